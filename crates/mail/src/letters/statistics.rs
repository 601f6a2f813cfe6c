//! Letters of the statistics: the weekly note to operators who asked for it, and a paid
//! feature's report link to its sponsor. Japanese only, like the other letters to staff and
//! employers.

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// A week's count of new postings, as the note lists it.
#[derive(Debug, Serialize)]
pub struct NoteWeek {
    /// The week's first day, for people.
    pub label: String,
    pub count: i64,
}

/// A posting the note names.
#[derive(Debug, Serialize)]
pub struct NotePosting {
    pub title: String,
    /// When it came in (pending) or its last day (ending soon), for people.
    pub date: String,
    /// Where staff open it.
    pub url: String,
}

/// `weekly_note`: the week's figures, to every staff member who asked for them.
#[derive(Debug, Serialize)]
pub struct WeeklyNote<'a> {
    /// The week reported (the one that just ended), for people.
    pub week: &'a str,
    pub new_postings: i64,
    /// The eight weeks before it, newest first.
    pub earlier: &'a [NoteWeek],
    /// Their average, one decimal.
    pub earlier_average: &'a str,
    /// Fewer than the earlier weeks' average.
    pub fewer: bool,
    pub oldest_pending: Option<&'a NotePosting>,
    pub ending_soon: &'a [NotePosting],
    pub ending_days: i64,
    pub mails_failed: i64,
    pub mails_retrying: i64,
    pub account_url: &'a str,
}

/// `sponsor_report`: the link to a feature's report, to its sponsor at the end of its run.
#[derive(Debug, Serialize)]
pub struct SponsorReport<'a> {
    pub sponsor_name: &'a str,
    pub title: &'a str,
    pub report_url: &'a str,
}

impl Letters {
    /// One mail to every recipient, all in Bcc would hide nothing useful: they are colleagues,
    /// so all in To, as the editors' notices are.
    pub fn weekly_note(&self, conn: &mut DbConnection, to: &[&str], args: &WeeklyNote<'_>) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(to), "weekly_note", Lang::Ja, args)
    }

    pub fn sponsor_report(
        &self,
        conn: &mut DbConnection,
        to: &str,
        args: &SponsorReport<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "sponsor_report", Lang::Ja, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::tests::{both, check_languages};

    #[test]
    fn weekly_note() {
        let earlier = [NoteWeek { label: "2026年11月23日".into(), count: 4 }];
        let pending = NotePosting {
            title: "漁港の仕分け".into(),
            date: "2026年11月20日".into(),
            url: "https://yui.example/admin/review/AB12".into(),
        };
        let args = WeeklyNote {
            week: "2026年11月30日",
            new_postings: 1,
            earlier: &earlier,
            earlier_average: "4.0",
            fewer: true,
            oldest_pending: Some(&pending),
            ending_soon: &[],
            ending_days: 14,
            mails_failed: 2,
            mails_retrying: 1,
            account_url: "https://yui.example/admin/password",
        };
        let (ja, en) = both("weekly_note", &args);
        check_languages("weekly_note", &ja, &en);
        assert_eq!(ja.subject, "【週報】2026年11月30日からの週: 新しい求人 1件");
        assert!(ja.text.contains("  2026年11月23日の週: 4件\n"), "{}", ja.text);
        assert!(ja.text.contains("漁港の仕分け（2026年11月20日受付）"), "{}", ja.text);
        assert!(ja.text.contains("送信をあきらめたメール: 2通"), "{}", ja.text);
    }

    #[test]
    fn sponsor_report() {
        let args =
            SponsorReport {
                sponsor_name: "比美水産", title: "港の朝", report_url: "https://yui.example/reports/tok"
            };
        let (ja, en) = both("sponsor_report", &args);
        check_languages("sponsor_report", &ja, &en);
        assert!(ja.subject.contains("港の朝"));
        assert!(ja.text.contains("\n  https://yui.example/reports/tok\n"), "{}", ja.text);
    }
}
