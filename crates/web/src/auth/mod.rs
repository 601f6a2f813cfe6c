//! Staff authentication: argon2id passwords, and sessions kept in the database (so several
//! instances share them) behind an HttpOnly, SameSite=Lax cookie holding a random token.

pub mod form;
pub mod password;

pub use form::{CanManageStaff, CanReview, CanWrite, Fields, StaffForm};

use crate::error::WebError;
use crate::handler::db;
use crate::state::AppState;
use crate::tokens::{csrf_matches, csrf_token, hash_token, random_token};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;
use yui_db::postings::Actor;
use yui_db::staff::StaffUser;
use yui_domain::StaffRole;

pub const SESSION_COOKIE: &str = "yui_session";

/// The signed-in staff member. As an extractor it sends anyone without a valid session to the
/// login page; each admin handler then checks the role it needs with [`Staff::require`].
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i32,
    pub organization_id: i32,
    pub role: StaffRole,
    pub email: String,
    pub display_name: String,
    /// The hash of this session's token, to end it or keep it when others are ended.
    pub session_hash: String,
}

/// What a role may do. Admins do everything editors do, and manage staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// The review queue: postings and quarantined submissions.
    Review,
    /// Staff accounts: create, deactivate, change roles.
    ManageStaff,
    /// Drafting articles and submitting them for approval: every role, writers included.
    Write,
}

impl Staff {
    pub fn can(&self, permission: Permission) -> bool {
        match permission {
            Permission::Review => matches!(self.role, StaffRole::Admin | StaffRole::Editor),
            Permission::ManageStaff => self.role == StaffRole::Admin,
            Permission::Write => true,
        }
    }

    /// Refuses with 403 unless the role allows `permission`: checked on the server for every
    /// admin route, whatever the menu shows.
    pub fn require(&self, permission: Permission) -> Result<(), WebError> {
        if self.can(permission) {
            Ok(())
        } else {
            log::warn!("staff {} ({}) refused {:?}", self.id, self.role.code(), permission);
            Err(WebError::Forbidden)
        }
    }

    /// The CSRF token of this session's forms: an HMAC, under the server key, of the session
    /// (its stored hash). A token is good for this session only: one taken from another
    /// session, or from a visitor's cookie, is refused, and signing out ends it.
    pub fn csrf_token(&self, secret_key: &[u8]) -> String {
        csrf_token(secret_key, &self.csrf_subject())
    }

    /// Refuses (403, "the page expired") a form whose token is not this session's.
    pub fn require_csrf(&self, secret_key: &[u8], submitted: Option<&str>) -> Result<(), WebError> {
        match submitted {
            Some(token) if csrf_matches(secret_key, &self.csrf_subject(), token) => Ok(()),
            _ => Err(WebError::Expired),
        }
    }

    /// A state-changing staff form's fields, once its token is this session's.
    pub fn checked(&self, secret_key: &[u8], body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
        let fields = crate::forms::fields(body)?;
        let token = fields.iter().find(|(k, _)| k == crate::csrf::FIELD).map(|(_, v)| v.as_str());
        self.require_csrf(secret_key, token)?;
        Ok(fields)
    }

    /// What a staff token is an HMAC of; the prefix keeps it apart from visitors' cookies,
    /// which never contain a colon.
    fn csrf_subject(&self) -> String {
        format!("staff-session:{}", self.session_hash)
    }

    pub fn actor(&self) -> Actor {
        Actor { staff_id: Some(self.id), organization_id: Some(self.organization_id) }
    }

    fn from_user(user: StaffUser, session_hash: String) -> Self {
        Staff {
            id: user.id,
            organization_id: user.organization_id,
            role: user.role,
            email: user.email,
            display_name: user.display_name,
            session_hash,
        }
    }
}

impl FromRequest for Staff {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let next = match req.query_string() {
                "" => req.path().to_owned(),
                q => format!("{}?{q}", req.path()),
            };
            let login = || WebError::LoginRequired { next: next.clone() };
            let state = req.app_data::<web::Data<AppState>>().cloned().ok_or_else(login)?;
            let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()).ok_or_else(login)?;
            let hash = hash_token(&token);
            let lookup = hash.clone();
            let user = db(&state, move |conn| yui_db::sessions::resolve(conn, &lookup, yui_db::now())).await?;
            user.map(|u| Staff::from_user(u, hash)).ok_or_else(login)
        })
    }
}

/// Starts a session for `staff_id`; returns the cookie to set.
pub async fn start_session(state: &web::Data<AppState>, staff_id: i32) -> Result<Cookie<'static>, WebError> {
    let token = random_token();
    let hash = hash_token(&token);
    db(state, move |conn| yui_db::sessions::create(conn, &hash, staff_id, yui_db::now())).await?;
    Ok(session_cookie(state, token, false))
}

/// The session cookie, or (with `expired`) the instruction to forget it.
pub fn session_cookie(state: &AppState, value: String, expired: bool) -> Cookie<'static> {
    let mut cookie = Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.site.base_url.starts_with("https://"))
        .finish();
    if expired {
        cookie.make_removal();
    }
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: StaffRole) -> Staff {
        Staff {
            id: 1,
            organization_id: 1,
            role,
            email: "a@b.example".into(),
            display_name: "a".into(),
            session_hash: String::new(),
        }
    }

    #[test]
    fn roles_and_permissions() {
        let table =
            [(StaffRole::Admin, [true, true]), (StaffRole::Editor, [true, false]), (StaffRole::Writer, [false, false])];
        for (role, [review, manage]) in table {
            assert_eq!(staff(role).can(Permission::Review), review, "{role:?} review");
            assert_eq!(staff(role).can(Permission::ManageStaff), manage, "{role:?} manage staff");
        }
        assert!(matches!(staff(StaffRole::Writer).require(Permission::Review), Err(WebError::Forbidden)));
    }
}
