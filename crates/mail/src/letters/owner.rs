//! Letters to the owner of a business listed for succession. Japanese only.

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// `succession_owner_link`: the listing is up; here is the owner's private page.
#[derive(Debug, Serialize)]
pub struct SuccessionOwnerLink<'a> {
    pub owner_name: &'a str,
    pub listing_name: &'a str,
    pub public_url: &'a str,
    /// The coordinating organization's name.
    pub coordinator: &'a str,
    pub manage_url: &'a str,
}

impl Letters {
    pub fn succession_owner_link(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &SuccessionOwnerLink<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "succession_owner_link", Lang::Ja, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::tests::{both, check_languages};

    #[test]
    fn succession_owner_link() {
        let args = SuccessionOwnerLink {
            owner_name: "田中",
            listing_name: "港町の食堂",
            public_url: "https://yui.example/succession/XY34",
            coordinator: "比美町商工会",
            manage_url: "https://yui.example/succession/manage/tok",
        };
        let (ja, en) = both("succession_owner_link", &args);
        check_languages("succession_owner_link", &ja, &en);
        assert!(ja.text.starts_with("田中 様\n"));
        assert!(ja.text.contains("コーディネーター: 比美町商工会") && ja.text.contains("/succession/manage/tok"));
    }
}
