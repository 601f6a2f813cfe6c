use clap::Subcommand;
use std::io::BufRead;
use yui_db::staff::NewStaffUser;
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
        /// The organisation's slug: one of `yui org list` (`yui org create` adds one).
        #[arg(long)]
        org: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change a staff member's role (admin, editor or writer).
    Role {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
    },
    /// Stop a staff member from signing in; their sessions end at once.
    Deactivate {
        #[arg(long)]
        email: String,
    },
    /// Let a deactivated staff member sign in again.
    Activate {
        #[arg(long)]
        email: String,
    },
    /// Give a staff member who forgot their password a new one (generated and printed once, or
    /// read from standard input); their sessions end.
    ResetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

/// A password from the first line of standard input, or a generated one (and whether it was).
fn new_password(from_stdin: bool) -> Result<(String, bool), String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
        Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
    } else {
        Ok((password::generate(), true))
    }
}

pub fn run(settings: &Settings, command: AdminCommand) -> Result<(), String> {
    let (email, name, role, org, password_stdin) = match command {
        AdminCommand::Create { email, name, role, org, password_stdin } => (email, name, role, org, password_stdin),
        AdminCommand::Role { email, role } => {
            let role: StaffRole =
                role.parse().map_err(|_| format!("--role: {role:?} is not one of admin, editor, writer"))?;
            return change(settings, &email, |conn, id, now| yui_db::staff::set_role(conn, id, role, now), role.code());
        }
        AdminCommand::Deactivate { email } => {
            return change(
                settings,
                &email,
                |conn, id, now| yui_db::staff::set_active(conn, id, false, now),
                "inactive",
            )
        }
        AdminCommand::Activate { email } => {
            return change(settings, &email, |conn, id, now| yui_db::staff::set_active(conn, id, true, now), "active")
        }
        AdminCommand::ResetPassword { email, password_stdin } => {
            let (password, generated) = new_password(password_stdin)?;
            let hash = password::hash(&password).map_err(|e| e.to_string())?;
            change(
                settings,
                &email,
                |conn, id, now| yui_db::staff::reset_password(conn, id, &hash, now),
                "signed out everywhere, with a new password",
            )?;
            if generated {
                println!("password (shown once): {password}");
            }
            return Ok(());
        }
    };
    let email = EmailAddress::parse(&email).map_err(|m| format!("--email: {}", yui_web::i18n::Lang::En.message(&m)))?;
    let role: StaffRole = role.parse().map_err(|_| format!("--role: {role:?} is not one of admin, editor, writer"))?;
    if name.trim().is_empty() {
        return Err("--name: must not be empty".into());
    }
    let org_slug = yui_domain::OrgSlug::parse(&org)
        .map_err(|m| format!("--org: {org:?}: {}", yui_web::i18n::Lang::En.message(&m)))?;
    let org_slug = org_slug.as_str();
    let (password, generated) = new_password(password_stdin)?;
    let hash = password::hash(&password).map_err(|e| e.to_string())?;

    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let Some(organization) = yui_db::organizations::find_by_slug(&mut conn, org_slug).map_err(|e| e.to_string())?
    else {
        let known: Vec<String> =
            yui_db::organizations::list(&mut conn).map_err(|e| e.to_string())?.into_iter().map(|o| o.slug).collect();
        let known = if known.is_empty() { "none yet".to_owned() } else { known.join(", ") };
        return Err(format!(
            "--org: no organisation is called {org_slug} (known: {known}; add one with `yui org create`)"
        ));
    };
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

/// Applies `f` to the staff member with `email`, and says what they are now.
fn change(
    settings: &Settings,
    email: &str,
    f: impl FnOnce(&mut yui_db::DbConnection, i32, chrono::NaiveDateTime) -> yui_db::DbResult<()>,
    now_is: &str,
) -> Result<(), String> {
    let email = EmailAddress::parse(email).map_err(|m| format!("--email: {}", yui_web::i18n::Lang::En.message(&m)))?;
    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let user = yui_db::staff::find_by_email(&mut conn, email.as_str())
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("--email: no staff member has the address {}", email.as_str()))?;
    f(&mut conn, user.id, yui_db::now()).map_err(|e| e.to_string())?;
    println!("{} is now {now_is}", user.email);
    Ok(())
}
