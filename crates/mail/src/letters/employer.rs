//! Letters to an employer about their posting. Japanese only, each with the employer's
//! private link (the caller issues a fresh one per mail).

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// `submission_received`: the receipt of a submission that became a pending posting.
#[derive(Debug, Serialize)]
pub struct SubmissionReceived<'a> {
    pub employer_name: &'a str,
    pub contact_name: Option<&'a str>,
    pub title: &'a str,
    /// The last day the posting would be shown, as a Japanese date.
    pub valid_through: &'a str,
    pub manage_url: &'a str,
}

/// `expiry_reminder`: the posting ends in about a week; one click renews it.
#[derive(Debug, Serialize)]
pub struct ExpiryReminder<'a> {
    pub employer_name: &'a str,
    pub contact_name: Option<&'a str>,
    pub title: &'a str,
    /// The last day shown, as a Japanese date.
    pub last_day: &'a str,
    pub manage_url: &'a str,
    /// How many days one renewal adds.
    pub renew_days: u32,
}

/// `posting_published`: the editors approved the posting.
#[derive(Debug, Serialize)]
pub struct PostingPublished<'a> {
    pub employer_name: &'a str,
    pub contact_name: Option<&'a str>,
    pub title: &'a str,
    pub public_url: &'a str,
    /// The editors' words; empty for none.
    pub message: &'a str,
    pub manage_url: &'a str,
}

/// `revision_decided`: the editors applied or declined a correction of a published posting.
#[derive(Debug, Serialize)]
pub struct RevisionDecided<'a> {
    /// Applied (the public page shows it now) or declined (it stays as it was).
    pub applied: bool,
    pub employer_name: &'a str,
    pub contact_name: Option<&'a str>,
    pub title: &'a str,
    pub public_url: &'a str,
    /// The editors' words: required when declining, empty for none.
    pub message: &'a str,
    pub manage_url: &'a str,
}

/// `changes_requested`: the editors ask for changes before publishing.
#[derive(Debug, Serialize)]
pub struct ChangesRequested<'a> {
    pub employer_name: &'a str,
    pub contact_name: Option<&'a str>,
    pub title: &'a str,
    /// The reason's label.
    pub reason: &'a str,
    pub message: &'a str,
    pub manage_url: &'a str,
}

/// `posting_rejected`: the editors will not publish the posting.
#[derive(Debug, Serialize)]
pub struct PostingRejected<'a> {
    pub employer_name: &'a str,
    pub contact_name: Option<&'a str>,
    pub title: &'a str,
    /// The reason's label.
    pub reason: &'a str,
    pub message: &'a str,
    pub manage_url: &'a str,
}

impl Letters {
    pub fn submission_received(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &SubmissionReceived<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "submission_received", Lang::Ja, args)
    }

    pub fn expiry_reminder(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &ExpiryReminder<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "expiry_reminder", Lang::Ja, args)
    }

    pub fn posting_published(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &PostingPublished<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "posting_published", Lang::Ja, args)
    }

    pub fn revision_decided(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &RevisionDecided<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "revision_decided", Lang::Ja, args)
    }

    pub fn changes_requested(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &ChangesRequested<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "changes_requested", Lang::Ja, args)
    }

    pub fn posting_rejected(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &PostingRejected<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "posting_rejected", Lang::Ja, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::tests::{both, check_languages};

    const MANAGE: &str = "https://yui.example/manage/tok";

    #[test]
    fn submission_received() {
        let args = SubmissionReceived {
            employer_name: "比美水産",
            contact_name: None,
            title: "漁港の仕分け",
            valid_through: "2026年12月31日",
            manage_url: MANAGE,
        };
        let (ja, en) = both("submission_received", &args);
        check_languages("submission_received", &ja, &en);
        assert_eq!(ja.subject, "【結ポータル】求人「漁港の仕分け」を受け付けました");
        assert!(ja.text.starts_with("比美水産\nご担当者様\n"), "{}", ja.text);
        assert!(ja.text.contains("掲載終了日（予定）: 2026年12月31日") && ja.text.contains(MANAGE));
    }

    #[test]
    fn expiry_reminder() {
        let args = ExpiryReminder {
            employer_name: "比美水産",
            contact_name: Some("山田"),
            title: "漁港の仕分け",
            last_day: "2026年12月31日",
            manage_url: MANAGE,
            renew_days: 60,
        };
        let (ja, en) = both("expiry_reminder", &args);
        check_languages("expiry_reminder", &ja, &en);
        assert!(ja.text.starts_with("比美水産\n山田 様\n"), "{}", ja.text);
        assert!(ja.text.contains("掲載が60日延長されます") && ja.html.contains(MANAGE));
    }

    #[test]
    fn posting_published() {
        let mut args = PostingPublished {
            employer_name: "比美水産",
            contact_name: None,
            title: "漁港の仕分け",
            public_url: "https://yui.example/jobs/AB12",
            message: "",
            manage_url: MANAGE,
        };
        let (ja, en) = both("posting_published", &args);
        check_languages("posting_published", &ja, &en);
        assert!(!ja.text.contains("編集部より") && ja.text.contains("https://yui.example/jobs/AB12"));
        args.message = "写真がよかったです";
        let (ja, _) = both("posting_published", &args);
        assert!(ja.text.contains("編集部より:\n写真がよかったです"), "{}", ja.text);
    }

    #[test]
    fn revision_decided() {
        let mut args = RevisionDecided {
            applied: true,
            employer_name: "比美水産",
            contact_name: None,
            title: "漁港の仕分け",
            public_url: "https://yui.example/jobs/AB12",
            message: "",
            manage_url: MANAGE,
        };
        let (ja, en) = both("revision_decided", &args);
        check_languages("revision_decided", &ja, &en);
        assert!(ja.subject.ends_with("の修正を反映しました"), "{}", ja.subject);
        assert!(ja.text.contains("https://yui.example/jobs/AB12") && !ja.text.contains("編集部より"));
        args.applied = false;
        args.message = "写真は差し替えられません";
        let (ja, _) = both("revision_decided", &args);
        assert!(ja.subject.ends_with("の修正を見送りました"), "{}", ja.subject);
        assert!(
            ja.text.contains("編集部より:\n写真は差し替えられません") && !ja.text.contains("公開ページ:"),
            "{}",
            ja.text
        );
    }

    #[test]
    fn changes_requested() {
        let args = ChangesRequested {
            employer_name: "比美水産",
            contact_name: None,
            title: "漁港の仕分け",
            reason: "給与の記載",
            message: "時給を書いてください",
            manage_url: MANAGE,
        };
        let (ja, en) = both("changes_requested", &args);
        check_languages("changes_requested", &ja, &en);
        assert!(ja.text.contains("理由: 給与の記載") && ja.text.contains("時給を書いてください"));
    }

    #[test]
    fn posting_rejected() {
        let args = PostingRejected {
            employer_name: "比美水産",
            contact_name: None,
            title: "<漁港>",
            reason: "求人ではない",
            message: "ご了承ください",
            manage_url: MANAGE,
        };
        let (ja, en) = both("posting_rejected", &args);
        check_languages("posting_rejected", &ja, &en);
        assert!(ja.subject.contains("「<漁港>」"), "text parts are not escaped");
        assert!(ja.html.contains("「&lt;漁港&gt;」"), "HTML parts are");
    }
}
