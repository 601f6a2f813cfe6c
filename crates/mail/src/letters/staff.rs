//! Letters to staff: the editors' notices (to every active editor and admin), the
//! coordinators' mail about a succession listing, and a password reset link. Japanese only,
//! but for the reset link, which has its English below (staff have no language of their own,
//! and someone locked out must be able to read it).

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// `review_waiting`: a new posting waits for review.
#[derive(Debug, Serialize)]
pub struct ReviewWaiting<'a> {
    pub title: &'a str,
    pub employer_name: &'a str,
    /// Where the submission came from (its source code).
    pub source: &'a str,
    /// The posting's public id.
    pub posting_id: &'a str,
}

/// `quarantined`: a submission could not become a posting.
#[derive(Debug, Serialize)]
pub struct Quarantined<'a> {
    pub source: &'a str,
    pub submission_id: i32,
    pub reason: &'a str,
}

/// `changes_resubmitted`: an employer edited a pending posting, or resubmitted one.
#[derive(Debug, Serialize)]
pub struct ChangesResubmitted<'a> {
    /// Changes had been requested, and the posting is back in review.
    pub resubmitted: bool,
    pub title: &'a str,
    pub employer_name: &'a str,
    pub posting_id: &'a str,
    /// The labels of the fields changed.
    pub changed: &'a [&'a str],
}

/// `revision_proposed`: an employer proposed a correction of a published posting.
#[derive(Debug, Serialize)]
pub struct RevisionProposed<'a> {
    pub title: &'a str,
    pub employer_name: &'a str,
    pub posting_id: &'a str,
    /// The labels of the fields the correction changes.
    pub changed: &'a [&'a str],
}

/// `succession_change_request`: a listing's owner asks its coordinators for changes.
#[derive(Debug, Serialize)]
pub struct SuccessionChangeRequest<'a> {
    pub listing_name: &'a str,
    pub owner_name: &'a str,
    pub owner_email: &'a str,
    pub admin_url: &'a str,
    /// What the owner wrote.
    pub request: &'a str,
}

/// `staff_password_reset`: the link to set a new password, to the staff member who asked.
#[derive(Debug, Serialize)]
pub struct PasswordReset<'a> {
    pub display_name: &'a str,
    pub reset_url: &'a str,
    /// How long the link works.
    pub minutes: i64,
}

#[derive(Serialize)]
struct WithRequestLines<'a> {
    #[serde(flatten)]
    args: &'a SuccessionChangeRequest<'a>,
    request_lines: Vec<&'a str>,
}

impl Letters {
    /// Queues `letter` to every active editor and admin, all in To. With no editor yet, it
    /// logs a warning and queues nothing (`None`).
    fn to_editors<A: Serialize>(
        &self,
        conn: &mut DbConnection,
        letter: &'static str,
        args: &A,
    ) -> Result<Option<i32>, MailError> {
        let reviewers = yui_db::staff::reviewer_emails(conn)?;
        if reviewers.is_empty() {
            log::warn!("no active editor to tell about a {letter} submission: create one with `yui admin create`");
            return Ok(None);
        }
        let to: Vec<&str> = reviewers.iter().map(String::as_str).collect();
        self.queue(conn, Envelope::to(&to), letter, Lang::Ja, args).map(Some)
    }

    pub fn review_waiting(&self, conn: &mut DbConnection, args: &ReviewWaiting<'_>) -> Result<Option<i32>, MailError> {
        self.to_editors(conn, "review_waiting", args)
    }

    pub fn quarantined(&self, conn: &mut DbConnection, args: &Quarantined<'_>) -> Result<Option<i32>, MailError> {
        self.to_editors(conn, "quarantined", args)
    }

    pub fn changes_resubmitted(
        &self,
        conn: &mut DbConnection,
        args: &ChangesResubmitted<'_>,
    ) -> Result<Option<i32>, MailError> {
        self.to_editors(conn, "changes_resubmitted", args)
    }

    pub fn revision_proposed(
        &self,
        conn: &mut DbConnection,
        args: &RevisionProposed<'_>,
    ) -> Result<Option<i32>, MailError> {
        self.to_editors(conn, "revision_proposed", args)
    }

    pub fn staff_password_reset(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &PasswordReset<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "staff_password_reset", Lang::Ja, args)
    }

    /// To the listing's coordinators; a reply goes to the owner.
    pub fn succession_change_request(
        &self,
        conn: &mut DbConnection,
        coordinators: &[&str],
        args: &SuccessionChangeRequest<'_>,
    ) -> Result<i32, MailError> {
        let vars = WithRequestLines { args, request_lines: args.request.lines().collect() };
        let mail = self.render("succession_change_request", Lang::Ja, &vars)?;
        let envelope = Envelope { to: coordinators, reply_to: Some(args.owner_email), headers: &[] };
        Self::enqueue(conn, envelope, &mail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::tests::{both, check_languages};

    #[test]
    fn review_waiting() {
        let args =
            ReviewWaiting {
                title: "漁港の仕分け", employer_name: "比美水産", source: "native", posting_id: "AB12"
            };
        let (ja, en) = both("review_waiting", &args);
        check_languages("review_waiting", &ja, &en);
        assert_eq!(ja.subject, "【審査待ち】漁港の仕分け（比美水産）");
        assert!(ja.text.contains("掲載ID: AB12") && ja.text.contains("受付: native"));
    }

    #[test]
    fn revision_proposed() {
        let args = RevisionProposed {
            title: "漁港の仕分け",
            employer_name: "比美水産",
            posting_id: "AB12",
            changed: &["職種名"],
        };
        let (ja, en) = both("revision_proposed", &args);
        check_languages("revision_proposed", &ja, &en);
        assert_eq!(ja.subject, "【公開中の修正の申請】漁港の仕分け（比美水産）");
        assert!(ja.text.contains("修正された項目: 職種名"), "{}", ja.text);
    }

    #[test]
    fn quarantined() {
        let args = Quarantined { source: "tally", submission_id: 7, reason: "必須の回答が足りません" };
        let (ja, en) = both("quarantined", &args);
        check_languages("quarantined", &ja, &en);
        assert_eq!(ja.subject, "【要確認】取り込めなかった送信があります（tally #7）");
        assert!(ja.text.contains("yui ingest replay 7"));
        assert!(ja.text.contains("/admin/submissions/7\n"), "the submission's page, to map and re-run: {}", ja.text);
        assert!(ja.html.contains(r#"/admin/submissions/7">"#), "{}", ja.html);
    }

    #[test]
    fn changes_resubmitted() {
        let mut args = ChangesResubmitted {
            resubmitted: true,
            title: "漁港の仕分け",
            employer_name: "比美水産",
            posting_id: "AB12",
            changed: &["給与", "勤務時間"],
        };
        let (ja, en) = both("changes_resubmitted", &args);
        check_languages("changes_resubmitted", &ja, &en);
        assert!(ja.subject.starts_with("【再提出】"));
        assert!(ja.text.contains("修正された項目: 給与、勤務時間"), "{}", ja.text);
        args.resubmitted = false;
        args.changed = &[];
        let (ja, _) = both("changes_resubmitted", &args);
        assert!(ja.subject.starts_with("【事業者が修正】") && ja.text.contains("修正された項目: なし"));
    }

    #[test]
    fn staff_password_reset() {
        let args = PasswordReset {
            display_name: "山田",
            reset_url: "https://yui.example/admin/password/reset/tok",
            minutes: 60,
        };
        let (ja, en) = both("staff_password_reset", &args);
        check_languages("staff_password_reset", &ja, &en);
        assert_eq!(ja.subject, "【結ポータル】パスワードの再設定 / Password reset");
        assert!(ja.text.contains("\n  https://yui.example/admin/password/reset/tok\n"), "{}", ja.text);
        assert!(ja.text.contains("60分間、1回だけ") && ja.text.contains("for 60 minutes"), "{}", ja.text);
        let japanese = ja.text.find("パスワードを再設定").unwrap();
        assert!(japanese < ja.text.find("To reset").unwrap(), "Japanese first");
    }

    #[test]
    fn succession_change_request() {
        let args = SuccessionChangeRequest {
            listing_name: "港町の食堂",
            owner_name: "田中",
            owner_email: "owner@example.jp",
            admin_url: "https://yui.example/admin/succession/XY34",
            request: "営業時間を\n直してください",
        };
        let vars = WithRequestLines { args: &args, request_lines: args.request.lines().collect() };
        let (ja, en) = both("succession_change_request", &vars);
        check_languages("succession_change_request", &ja, &en);
        assert!(ja.text.contains("---- 依頼の内容 ----\n営業時間を\n直してください\n"), "{}", ja.text);
        assert!(ja.html.contains("営業時間を<br>直してください<br>"), "{}", ja.html);
        assert!(ja.text.contains("所有者（owner@example.jp）"));
    }
}
