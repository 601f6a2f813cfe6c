//! Letters of joint campaigns: the entrant's confirmation (with the private withdraw link), and
//! a coordinator's message to one entrant (replies go to the coordinator).

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// `campaign_entry_confirm`: your entry arrived; the named organisations may contact you.
#[derive(Debug, Serialize)]
pub struct EntryConfirm<'a> {
    pub name: &'a str,
    pub campaign_title: &'a str,
    pub campaign_url: &'a str,
    /// The co-issuing organisations, joined for a sentence.
    pub organizations: &'a str,
    pub withdraw_url: &'a str,
}

/// `campaign_message`: a coordinator writes to one entrant.
#[derive(Debug, Serialize)]
pub struct EntrantMessage<'a> {
    pub name: &'a str,
    pub campaign_title: &'a str,
    pub organization: &'a str,
    pub coordinator: &'a str,
    pub message: &'a str,
}

impl Letters {
    pub fn campaign_entry_confirm(
        &self,
        conn: &mut DbConnection,
        to: &str,
        lang: Lang,
        args: &EntryConfirm<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "campaign_entry_confirm", lang, args)
    }

    /// Replies go to the coordinator who wrote.
    pub fn campaign_message(
        &self,
        conn: &mut DbConnection,
        to: &str,
        reply_to: &str,
        args: &EntrantMessage<'_>,
    ) -> Result<i32, MailError> {
        let envelope = Envelope { to: &[to], reply_to: Some(reply_to), headers: &[] };
        self.queue(conn, envelope, "campaign_message", Lang::Ja, args)
    }
}
