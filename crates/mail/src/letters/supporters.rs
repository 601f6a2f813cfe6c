//! Letters to supporters (people who sign up to back the site), in their language.

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// `supporter_confirm`: open the link to confirm the sign-up.
#[derive(Debug, Serialize)]
pub struct SupporterConfirm<'a> {
    /// The name the supporter gave, or a word for an anonymous one.
    pub name: &'a str,
    pub confirm_url: &'a str,
    pub leave_url: &'a str,
    /// How long the link works.
    pub hours: i64,
}

impl Letters {
    pub fn supporter_confirm(
        &self,
        conn: &mut DbConnection,
        to: &str,
        lang: Lang,
        args: &SupporterConfirm<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "supporter_confirm", lang, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::tests::{both, check_languages};

    #[test]
    fn supporter_confirm() {
        let args = SupporterConfirm {
            name: "匿名",
            confirm_url: "https://yui.example/support/confirm/t",
            leave_url: "https://yui.example/support/leave/t",
            hours: 48,
        };
        let (ja, en) = both("supporter_confirm", &args);
        check_languages("supporter_confirm", &ja, &en);
        assert!(ja.text.starts_with("匿名 様\n") && en.text.starts_with("Dear 匿名,\n"));
        assert!(en.text.contains("works for 48 hours") && ja.text.contains("/support/leave/t"));
    }
}
