//! `yui org …`: the member organisations that run the site. Staff belong to one; `/about` lists
//! them with what they do and how to reach them.

use clap::Subcommand;
use yui_web::Settings;

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an organisation.
    Create {
        /// A short id: letters, digits, - and _ (used by `admin create --org`).
        #[arg(long)]
        slug: String,
        /// Its public name in Japanese.
        #[arg(long)]
        name: String,
        /// city_hall, npo, editorial, business or other.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        name_en: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        contact: Option<String>,
    },
    /// List the organisations.
    List,
    /// Change an organisation's public details (an empty value clears an optional one).
    Rename {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        name_en: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        contact: Option<String>,
    },
}

pub fn run(settings: &Settings, command: OrgCommand) -> Result<(), String> {
    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    match command {
        OrgCommand::Create { slug, name, kind, name_en, description, contact } => {
            let form = yui_domain::OrganizationForm {
                slug,
                name,
                kind,
                name_en: name_en.unwrap_or_default(),
                description: description.unwrap_or_default(),
                contact: contact.unwrap_or_default(),
            };
            // The same rules as the admin page, worded for the command line's flags.
            let draft = yui_domain::NewOrganizationDraft::parse(&form).map_err(|errors| flag_errors(&errors))?;
            let slug = draft.slug.as_str();
            let none = yui_db::postings::Actor { staff_id: None, organization_id: None };
            match yui_db::organizations::create(&mut conn, &draft.slug, &draft.details, none, yui_db::now()) {
                Err(yui_db::DbError::Exists(_)) => {
                    return Err(format!("--slug: {slug} already exists (change it with `yui org rename`)"))
                }
                other => other.map_err(|e| e.to_string())?,
            };
            println!("created {slug} ({}, {})", draft.details.name, draft.details.kind.code());
        }
        OrgCommand::List => {
            for o in yui_db::organizations::list(&mut conn).map_err(|e| e.to_string())? {
                let en = o.name_en.map(|n| format!(" / {n}")).unwrap_or_default();
                println!("{}\t{}{en}\t{}", o.slug, o.name, o.kind);
            }
        }
        OrgCommand::Rename { slug, name, name_en, description, contact } => {
            let slug = slug.trim();
            let Some(org) = yui_db::organizations::find_by_slug(&mut conn, slug).map_err(|e| e.to_string())? else {
                return Err(format!("--slug: no organisation is called {slug} (see `yui org list`)"));
            };
            // What is not given stays; the result is checked as the admin page checks it.
            let form = yui_domain::OrganizationForm {
                slug: org.slug.clone(),
                name: name.unwrap_or(org.name),
                name_en: name_en.or(org.name_en).unwrap_or_default(),
                kind: org.kind,
                description: description.or(org.description).unwrap_or_default(),
                contact: contact.or(org.contact).unwrap_or_default(),
            };
            let details = yui_domain::OrganizationDetails::parse(&form).map_err(|errors| flag_errors(&errors))?;
            let none = yui_db::postings::Actor { staff_id: None, organization_id: None };
            yui_db::organizations::edit(&mut conn, slug, &details, none, yui_db::now()).map_err(|e| e.to_string())?;
            println!("{slug} updated");
        }
    }
    Ok(())
}

/// Every refused flag on one line: `--name: This is required; --kind: Choose a kind … (city_hall, …)`.
fn flag_errors(errors: &[yui_domain::FieldError]) -> String {
    let codes: Vec<&str> = yui_domain::OrgKind::ALL.iter().map(|k| k.code()).collect();
    let lines: Vec<String> = errors
        .iter()
        .map(|e| {
            let text = yui_web::i18n::Lang::En.message(&e.message);
            let known = if e.field == "kind" { format!(" ({})", codes.join(", ")) } else { String::new() };
            format!("--{}: {text}{known}", e.field.replace('_', "-"))
        })
        .collect();
    lines.join("; ")
}
