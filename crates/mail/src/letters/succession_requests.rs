//! Letters of owners' requests for a succession listing: the owner's confirmation (with the
//! private withdraw link), and the coordinators' notice that a request came in. The notice
//! names no one: the person and the business are read behind the staff login.

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// `succession_request_confirm`: your request arrived; who will contact you; how to withdraw.
#[derive(Debug, Serialize)]
pub struct RequestConfirm<'a> {
    pub name: &'a str,
    pub business_name: &'a str,
    /// The chosen organisation, or the operators when Yui chooses.
    pub coordinator: &'a str,
    pub withdraw_url: &'a str,
}

/// `succession_request_received`: a request is waiting in the admin pages.
#[derive(Debug, Serialize)]
pub struct RequestReceived<'a> {
    pub industry: &'a str,
    pub area: &'a str,
    pub admin_url: &'a str,
}

impl Letters {
    pub fn succession_request_confirm(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &RequestConfirm<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "succession_request_confirm", Lang::Ja, args)
    }

    pub fn succession_request_received(
        &self,
        conn: &mut DbConnection,
        coordinators: &[&str],
        args: &RequestReceived<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(coordinators), "succession_request_received", Lang::Ja, args)
    }
}
