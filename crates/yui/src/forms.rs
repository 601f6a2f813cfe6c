//! `yui forms …`: set up a form tool to ask exactly Yui's questions.

use clap::Subcommand;
use yui_ingest::form_kit;
use yui_web::Settings;

#[derive(Debug, Subcommand)]
pub enum FormsCommand {
    /// Print a Google Apps Script that creates a Google Form with Yui's questions (this site's
    /// job categories and districts as choices) and forwards each response to this site.
    GoogleScript,
}

pub fn run(settings: &Settings, command: FormsCommand) -> Result<(), String> {
    match command {
        FormsCommand::GoogleScript => {
            let portal = &settings.portal;
            let categories: Vec<String> = portal.categories.iter().map(|c| c.ja.clone()).collect();
            let areas: Vec<String> = portal.areas.iter().map(|a| a.ja.clone()).collect();
            let questions = form_kit::questions(&categories, &areas);
            print!("{}", form_kit::google_apps_script(&questions, &settings.site.base_url));
            Ok(())
        }
    }
}
