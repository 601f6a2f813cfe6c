//! Letters of the takeover pool: the person's confirmation (the private confirm and withdraw
//! links) and reminder (renew and withdraw), in the language they read the form in; and the coordinators' notice that entries fit a listing. The notice names no one
//! and counts only: the people are read behind the staff login, and introduced by hand.

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// `succession_pool_confirm`: confirm your entry; who may contact you; how to withdraw.
#[derive(Debug, Serialize)]
pub struct PoolConfirm<'a> {
    pub name: &'a str,
    /// The chosen organisation, or the operators when Yui chooses.
    pub coordinator: &'a str,
    pub confirm_url: &'a str,
    pub withdraw_url: &'a str,
    pub unconfirmed_hours: u32,
    pub pool_days: u32,
}

/// `succession_pool_matches`: N entries of the pool fit a listing.
#[derive(Debug, Serialize)]
pub struct PoolMatches<'a> {
    pub count: usize,
    /// The listing's public name (already public).
    pub listing: &'a str,
    pub admin_url: &'a str,
}

impl Letters {
    pub fn succession_pool_confirm(
        &self,
        conn: &mut DbConnection,
        to: &str,
        lang: Lang,
        args: &PoolConfirm<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "succession_pool_confirm", lang, args)
    }

    pub fn succession_pool_matches(
        &self,
        conn: &mut DbConnection,
        coordinators: &[&str],
        args: &PoolMatches<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(coordinators), "succession_pool_matches", Lang::Ja, args)
    }
}

/// `succession_pool_reminder`: your entry ends soon; renew it or withdraw it.
#[derive(Debug, Serialize)]
pub struct PoolReminder<'a> {
    pub name: &'a str,
    pub last_day: &'a str,
    pub renew_url: &'a str,
    pub withdraw_url: &'a str,
    pub pool_days: u32,
}

impl Letters {
    pub fn succession_pool_reminder(
        &self,
        conn: &mut DbConnection,
        to: &str,
        lang: Lang,
        args: &PoolReminder<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "succession_pool_reminder", lang, args)
    }
}
