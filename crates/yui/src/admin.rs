use clap::Subcommand;
use std::io::BufRead;
use yui_db::models::NewStaffUser;
use yui_domain::{EmailAddress, StaffRole};
use yui_web::auth::password;
use yui_web::Settings;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a staff account. Without --password-stdin a password is generated and printed once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, editor or writer.
        #[arg(long)]
        role: String,
        /// The organization's slug; created if it does not exist yet.
        #[arg(long)]
        org: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

pub fn run(settings: &Settings, command: AdminCommand) -> Result<(), String> {
    let AdminCommand::Create { email, name, role, org, password_stdin } = command;
    let email = EmailAddress::parse(&email).map_err(|m| format!("--email: {m}"))?;
    let role: StaffRole = role.parse().map_err(|_| format!("--role: {role:?} is not one of admin, editor, writer"))?;
    if name.trim().is_empty() {
        return Err("--name: must not be empty".into());
    }
    let org_slug = org.trim();
    if org_slug.is_empty() || !org_slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!("--org: {org:?} is not a slug (letters, digits, - and _)"));
    }
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (password::generate(), true)
    };
    let hash = password::hash(&password).map_err(|e| e.to_string())?;

    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let organization =
        yui_db::organizations::ensure(&mut conn, org_slug, org_slug, "member").map_err(|e| e.to_string())?;
    let now = yui_db::now();
    let user = yui_db::staff::create(
        &mut conn,
        &NewStaffUser {
            organization_id: organization.id,
            email: email.as_str(),
            display_name: name.trim(),
            password_hash: &hash,
            role: role.code(),
            active: true,
            created_at: now,
            updated_at: now,
        },
    )
    .map_err(|e| e.to_string())?;
    println!("created {} {} ({}) in {}", role.code(), user.email, user.display_name, organization.slug);
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(())
}
