//! Messages Yui carries between two people who have not written to each other yet: a seeker to
//! a posting's employer, someone interested in a business to its coordinators. Yui carries the
//! first message only: it goes to the recipient with `Reply-To` the sender, so a reply reaches
//! the sender directly, and the sender gets a copy in their language (without Reply-To: the
//! recipient's address is not Yui's to give). Yui keeps no copy of its own beyond the outbox.

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// The two outbox rows of a relayed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relayed {
    /// The message to the recipient.
    pub message: i32,
    /// The sender's copy.
    pub copy: i32,
}

/// `inquiry` and `inquiry_copy`: a seeker's message about a posting, to its employer.
#[derive(Debug, Serialize)]
pub struct Inquiry<'a> {
    pub employer_name: &'a str,
    pub contact_name: Option<&'a str>,
    pub title: &'a str,
    pub posting_url: &'a str,
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub message: &'a str,
}

/// What the employer's mail shows.
#[derive(Serialize)]
struct InquiryVars<'a> {
    #[serde(flatten)]
    args: &'a Inquiry<'a>,
    message_lines: Vec<&'a str>,
}

/// What the seeker's copy shows.
#[derive(Serialize)]
struct InquiryCopy<'a> {
    sender_name: &'a str,
    employer_name: &'a str,
    title: &'a str,
    posting_url: &'a str,
    message: &'a str,
    message_lines: Vec<&'a str>,
}

/// `succession_inquiry` and `succession_inquiry_copy`: someone who would take over a business
/// listed for succession, to the listing's coordinators (never to the owner directly).
#[derive(Debug, Serialize)]
pub struct SuccessionInquiry<'a> {
    pub listing_name: &'a str,
    pub listing_url: &'a str,
    /// The listing's admin page, for the coordinators.
    pub admin_url: &'a str,
    /// The coordinating organization's name.
    pub coordinator: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    /// Who they are and how they would take over.
    pub about: &'a str,
}

#[derive(Serialize)]
struct SuccessionInquiryVars<'a> {
    #[serde(flatten)]
    args: &'a SuccessionInquiry<'a>,
    about_lines: Vec<&'a str>,
}

#[derive(Serialize)]
struct SuccessionInquiryCopy<'a> {
    name: &'a str,
    listing_name: &'a str,
    listing_url: &'a str,
    coordinator: &'a str,
    about: &'a str,
    about_lines: Vec<&'a str>,
}

impl Letters {
    /// A seeker's message to the employer of a posting, and the seeker's copy in `lang`.
    pub fn inquiry(
        &self,
        conn: &mut DbConnection,
        employer_email: &str,
        lang: Lang,
        args: &Inquiry<'_>,
    ) -> Result<Relayed, MailError> {
        let lines = || args.message.lines().collect();
        let copy = InquiryCopy {
            sender_name: args.sender_name,
            employer_name: args.employer_name,
            title: args.title,
            posting_url: args.posting_url,
            message: args.message,
            message_lines: lines(),
        };
        self.relay(
            conn,
            &[employer_email],
            args.sender_email,
            lang,
            ("inquiry", &InquiryVars { args, message_lines: lines() }),
            ("inquiry_copy", &copy),
        )
    }

    /// An inquiry about a succession listing to its coordinators, and the inquirer's copy in `lang`.
    pub fn succession_inquiry(
        &self,
        conn: &mut DbConnection,
        coordinators: &[&str],
        lang: Lang,
        args: &SuccessionInquiry<'_>,
    ) -> Result<Relayed, MailError> {
        let lines = || args.about.lines().collect();
        let copy = SuccessionInquiryCopy {
            name: args.name,
            listing_name: args.listing_name,
            listing_url: args.listing_url,
            coordinator: args.coordinator,
            about: args.about,
            about_lines: lines(),
        };
        self.relay(
            conn,
            coordinators,
            args.email,
            lang,
            ("succession_inquiry", &SuccessionInquiryVars { args, about_lines: lines() }),
            ("succession_inquiry_copy", &copy),
        )
    }

    /// Writes both letters (subjects on one line: they carry what the sender typed), then
    /// queues the message to `to` with Reply-To `sender`, and the copy to `sender`, together.
    fn relay<M: Serialize, C: Serialize>(
        &self,
        conn: &mut DbConnection,
        to: &[&str],
        sender: &str,
        lang: Lang,
        (message, message_args): (&'static str, &M),
        (copy, copy_args): (&'static str, &C),
    ) -> Result<Relayed, MailError> {
        let message = self.render(message, lang, message_args)?;
        let copy = self.render(copy, lang, copy_args)?;
        yui_db::transaction(conn, |conn| {
            Ok(Relayed {
                message: Self::enqueue(conn, Envelope { to, reply_to: Some(sender), headers: &[] }, &message)?,
                copy: Self::enqueue(conn, Envelope::to(&[sender]), &copy)?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::tests::{both, check_languages};

    fn inquiry() -> Inquiry<'static> {
        Inquiry {
            employer_name: "比美水産",
            contact_name: Some("山田"),
            title: "漁港の仕分け",
            posting_url: "https://yui.example/jobs/AB12",
            sender_name: "佐藤",
            sender_email: "sato@example.jp",
            message: "見学できますか。\n土曜日は空いています。",
        }
    }

    #[test]
    fn inquiry_and_its_copy() {
        let args = inquiry();
        let (ja, en) = both("inquiry", &InquiryVars { args: &args, message_lines: args.message.lines().collect() });
        check_languages("inquiry", &ja, &en);
        assert_eq!(ja.subject, "【結ポータル】「漁港の仕分け」へのお問い合わせ（佐藤 様より）");
        assert!(
            ja.text.starts_with("比美水産\n山田 様\n") && ja.text.contains("佐藤 様（sato@example.jp）に直接届きます")
        );
        assert!(ja.html.contains("見学できますか。<br>土曜日は空いています。<br>"), "{}", ja.html);

        let copy = InquiryCopy {
            sender_name: args.sender_name,
            employer_name: args.employer_name,
            title: args.title,
            posting_url: args.posting_url,
            message: args.message,
            message_lines: args.message.lines().collect(),
        };
        let (ja, en) = both("inquiry_copy", &copy);
        check_languages("inquiry_copy", &ja, &en);
        assert_eq!(en.subject, "[結ポータル] Your message about “漁港の仕分け” was sent (your copy)");
        assert!(
            en.text.starts_with("Dear 佐藤,\n") && ja.text.contains("---- お問い合わせ内容 ----\n見学できますか。\n")
        );
    }

    #[test]
    fn succession_inquiry_and_its_copy() {
        let args = SuccessionInquiry {
            listing_name: "港町の食堂",
            listing_url: "https://yui.example/succession/XY34",
            admin_url: "https://yui.example/admin/succession/XY34",
            coordinator: "比美町商工会",
            name: "鈴木",
            email: "suzuki@example.jp",
            phone: None,
            about: "調理師です。\n店を続けたい。",
        };
        let vars = SuccessionInquiryVars { args: &args, about_lines: args.about.lines().collect() };
        let (ja, en) = both("succession_inquiry", &vars);
        check_languages("succession_inquiry", &ja, &en);
        assert!(ja.text.starts_with("比美町商工会 ご担当者様\n") && !ja.text.contains("電話番号"));
        let with_phone = SuccessionInquiry { phone: Some("0766-00-0000"), ..args };
        let vars = SuccessionInquiryVars { args: &with_phone, about_lines: with_phone.about.lines().collect() };
        let (ja, _) = both("succession_inquiry", &vars);
        assert!(ja.text.contains("  メールアドレス: suzuki@example.jp\n  電話番号: 0766-00-0000\n"), "{}", ja.text);

        let copy = SuccessionInquiryCopy {
            name: args.name,
            listing_name: args.listing_name,
            listing_url: args.listing_url,
            coordinator: args.coordinator,
            about: args.about,
            about_lines: args.about.lines().collect(),
        };
        let (ja, en) = both("succession_inquiry_copy", &copy);
        check_languages("succession_inquiry_copy", &ja, &en);
        assert!(en.text.starts_with("Dear 鈴木,\n") && ja.text.starts_with("鈴木 様\n"));
    }

    #[test]
    fn a_subject_that_carries_a_line_break_is_made_one_line() {
        let args = Inquiry { title: "漁港の\n仕分け", ..inquiry() };
        let vars = InquiryVars { args: &args, message_lines: vec![] };
        let mail = crate::letters::tests::letters().render("inquiry", Lang::Ja, &vars);
        assert!(mail.map(|m| m.subject).is_ok_and(|s| s.contains("「漁港の 仕分け」")));
    }
}
