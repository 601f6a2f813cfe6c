//! Letters: every email Yui writes, one typed function per letter. Each renders
//! `templates/email/<letter>/{subject,body.txt,body.html}` with its arguments and the site's
//! facts, and writes one outbox row (`yui_db::outbox::enqueue`) in the caller's transaction,
//! returning its id. Grouped by reader: [`employer`], [`owner`], [`staff`], [`followers`],
//! [`supporters`], and the messages Yui carries between two people ([`relay`]).
//!
//! Mails written for people who may read English (followers, supporters, a sender's copy) have
//! `*.en` parts and are written in the reader's [`Lang`]; mails to employers, owners and staff
//! have none and stay Japanese.

pub mod campaigns;
pub mod employer;
pub mod followers;
pub mod owner;
pub mod relay;
pub mod staff;
pub mod statistics;
pub mod succession_pool;
pub mod succession_requests;
pub mod supporters;

use handlebars::{Handlebars, RenderError, RenderErrorReason};
use serde::Serialize;
use yui_db::{DbConnection, DbError};

#[derive(rust_embed::RustEmbed)]
#[folder = "../../templates/email/"]
struct Templates;

/// A letter could not be written, or its outbox row not stored.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A template failed to compile or to render (a missing variable, in strict mode).
    #[error("email template {letter}/{part}: {source}")]
    Template { letter: &'static str, part: &'static str, source: Box<RenderError> },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// So a letter can be queued inside `yui_db::transaction`.
impl From<diesel::result::Error> for MailError {
    fn from(e: diesel::result::Error) -> Self {
        MailError::Db(DbError::Query(e))
    }
}

/// What templates know about the site: `site.name`, `site.region`, `site.base_url`.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub name: String,
    pub region: String,
    /// Without a trailing slash.
    pub base_url: String,
}

/// The reader's language. Only letters with English parts use it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// `en` is English; any other code Japanese.
    pub fn from_code(code: &str) -> Lang {
        if code == "en" {
            Lang::En
        } else {
            Lang::Ja
        }
    }
}

/// Every letter: a folder under `templates/email/`.
const LETTERS: [&str; 31] = [
    "campaign_entry_confirm",
    "campaign_message",
    "changes_requested",
    "changes_resubmitted",
    "expiry_reminder",
    "follow_alert",
    "follow_already",
    "follow_confirm",
    "follow_digest",
    "inquiry",
    "inquiry_copy",
    "posting_published",
    "posting_rejected",
    "quarantined",
    "review_waiting",
    "revision_decided",
    "revision_proposed",
    "sponsor_report",
    "staff_password_reset",
    "submission_received",
    "succession_change_request",
    "succession_inquiry",
    "succession_inquiry_copy",
    "succession_owner_link",
    "succession_pool_confirm",
    "succession_pool_matches",
    "succession_pool_reminder",
    "succession_request_confirm",
    "succession_request_received",
    "supporter_confirm",
    "weekly_note",
];

const PARTS: [&str; 3] = ["subject", "body.txt", "body.html"];

/// The email templates and the site they speak for. Build it once ([`Letters::new`]) and share it.
pub struct Letters {
    templates: Handlebars<'static>,
    site: Site,
}

impl std::fmt::Debug for Letters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Letters").field("site", &self.site).finish_non_exhaustive()
    }
}

/// One letter, written.
struct Rendered {
    subject: String,
    text: String,
    html: String,
}

/// Header text made one line: every run of control characters (line breaks, tabs, NUL) becomes
/// one space. Subjects and header values carry titles and names that senders typed, and the
/// outbox refuses a line break in a header (it would let content write headers): folding here,
/// where every letter is written, means content can never make a letter fail.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control()).map(str::trim).filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Who a letter goes to: all of `to` shown in To, replies to `reply_to`, extra headers.
#[derive(Clone, Copy)]
struct Envelope<'a> {
    to: &'a [&'a str],
    reply_to: Option<&'a str>,
    headers: &'a [(&'a str, &'a str)],
}

impl<'a> Envelope<'a> {
    fn to(to: &'a [&'a str]) -> Envelope<'a> {
        Envelope { to, reply_to: None, headers: &[] }
    }
}

/// What a template sees: the letter's arguments and `site`.
#[derive(Serialize)]
struct Vars<'a, A: Serialize> {
    site: &'a Site,
    #[serde(flatten)]
    args: &'a A,
}

impl Letters {
    /// Compiles every letter's parts (strict mode: a variable a template names but a letter
    /// does not give is an error when it is written).
    pub fn new(site: Site) -> Result<Letters, MailError> {
        let mut templates = Handlebars::new();
        templates.set_strict_mode(true);
        for letter in LETTERS {
            for part in PARTS {
                for suffix in ["", ".en"] {
                    let name = format!("{letter}/{part}{suffix}");
                    let Some(file) = Templates::get(&format!("{name}.hbs")) else {
                        if suffix.is_empty() {
                            let missing = RenderErrorReason::TemplateNotFound(name);
                            return Err(MailError::Template { letter, part, source: Box::new(missing.into()) });
                        }
                        continue;
                    };
                    let source = String::from_utf8_lossy(&file.data);
                    templates.register_template_string(&name, source).map_err(|e| MailError::Template {
                        letter,
                        part,
                        source: Box::new(e.into()),
                    })?;
                }
            }
        }
        Ok(Letters { templates, site })
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Writes `letter` with `args` and `site`. English only when the reader reads English and
    /// the letter has English parts (the subject's tells: a test checks that the bodies follow).
    fn render<A: Serialize>(&self, letter: &'static str, lang: Lang, args: &A) -> Result<Rendered, MailError> {
        let en = lang == Lang::En && self.templates.has_template(&format!("{letter}/subject.en"));
        let suffix = if en { ".en" } else { "" };
        let vars = Vars { site: &self.site, args };
        let render = |part: &'static str| {
            self.templates.render(&format!("{letter}/{part}{suffix}"), &vars).map_err(|e| MailError::Template {
                letter,
                part,
                source: Box::new(e),
            })
        };
        Ok(Rendered { subject: one_line(&render("subject")?), text: render("body.txt")?, html: render("body.html")? })
    }

    /// Queues a written letter in the outbox; returns its id.
    fn enqueue(conn: &mut DbConnection, envelope: Envelope<'_>, mail: &Rendered) -> Result<i32, MailError> {
        let folded: Vec<(&str, String)> =
            envelope.headers.iter().map(|(name, value)| (*name, one_line(value))).collect();
        let headers: Vec<(&str, &str)> = folded.iter().map(|(name, value)| (*name, value.as_str())).collect();
        Ok(yui_db::outbox::enqueue(
            conn,
            &yui_db::outbox::NewEmail {
                to: envelope.to,
                reply_to: envelope.reply_to,
                subject: &mail.subject,
                body_text: &mail.text,
                body_html: Some(&mail.html),
                headers: &headers,
            },
        )?)
    }

    /// Writes `letter` and queues it.
    fn queue<A: Serialize>(
        &self,
        conn: &mut DbConnection,
        envelope: Envelope<'_>,
        letter: &'static str,
        lang: Lang,
        args: &A,
    ) -> Result<i32, MailError> {
        let mail = self.render(letter, lang, args)?;
        Self::enqueue(conn, envelope, &mail)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    pub(super) fn letters() -> Letters {
        Letters::new(Site {
            name: "結ポータル".into(),
            region: "比美町".into(),
            base_url: "https://yui.example".into(),
        })
        .unwrap()
    }

    /// Writes a letter both ways and checks what every letter has.
    pub(super) fn both<A: Serialize>(letter: &'static str, args: &A) -> (Rendered, Rendered) {
        let l = letters();
        let ja = l.render(letter, Lang::Ja, args).unwrap_or_else(|e| panic!("{e}"));
        let en = l.render(letter, Lang::En, args).unwrap_or_else(|e| panic!("{e}"));
        for mail in [&ja, &en] {
            assert!(!mail.subject.is_empty() && !mail.subject.contains('\n'), "{letter}: {:?}", mail.subject);
            assert!(mail.text.contains("結ポータル"), "{letter}");
            assert!(mail.html.starts_with("<!doctype html>"), "{letter}");
        }
        (ja, en)
    }

    /// English parts exist for exactly these letters; the others stay Japanese for everyone.
    pub(super) fn check_languages(letter: &str, ja: &Rendered, en: &Rendered) {
        let english = [
            "follow_alert",
            "follow_already",
            "follow_confirm",
            "follow_digest",
            "inquiry_copy",
            "succession_inquiry_copy",
            "supporter_confirm",
        ];
        assert!(ja.html.contains("<html lang=\"ja\">"), "{letter}");
        if english.contains(&letter) {
            assert!(en.html.contains("<html lang=\"en\">"), "{letter}");
            assert_ne!(ja.text, en.text, "{letter}");
        } else {
            assert_eq!((&ja.subject, &ja.text, &ja.html), (&en.subject, &en.text, &en.html), "{letter}");
        }
    }

    #[test]
    fn every_folder_is_a_letter() {
        let mut folders: Vec<String> =
            Templates::iter().filter_map(|p| p.split_once('/').map(|(dir, _)| dir.to_owned())).collect();
        folders.dedup();
        assert_eq!(folders, LETTERS);
    }

    /// `render` picks the English parts by the subject alone: a mail with an English subject
    /// must have English bodies too.
    #[test]
    fn english_mails_have_all_three_parts_and_their_japanese_twins() {
        let l = letters();
        let english: Vec<&str> =
            LETTERS.into_iter().filter(|m| l.templates.has_template(&format!("{m}/subject.en"))).collect();
        assert!(english.len() >= 7, "{english:?}");
        for mail in &english {
            for part in PARTS {
                assert!(l.templates.has_template(&format!("{mail}/{part}.en")), "{mail}: no English {part}");
                assert!(l.templates.has_template(&format!("{mail}/{part}")), "{mail}: no Japanese {part}");
            }
        }
    }

    #[test]
    fn a_missing_variable_is_an_error_naming_the_letter_and_part() {
        #[derive(Serialize)]
        struct Nothing {}
        let e = letters().render("follow_already", Lang::En, &Nothing {}).err().unwrap();
        assert!(matches!(e, MailError::Template { letter: "follow_already", part: "body.txt", .. }), "{e}");
        assert!(e.to_string().starts_with("email template follow_already/body.txt: "), "{e}");
    }

    /// Each letter is one outbox row with its envelope: editors' notices to every editor (none
    /// without one), a relay's message with Reply-To and its copy, a mailing with list headers.
    #[test]
    fn letters_are_queued_with_their_envelopes() {
        let (_db, mut conn) = yui_db::testing::migrated();
        let conn = &mut conn;
        let l = letters();
        let notice =
            staff::ReviewWaiting {
                title: "漁港", employer_name: "比美水産", source: "native", posting_id: "AB12"
            };
        assert_eq!(l.review_waiting(conn, &notice).unwrap(), None, "no editor yet");
        yui_db::testing::fixtures::editor(conn, "editor@npo.example").unwrap();
        let notice = l.review_waiting(conn, &notice).unwrap().unwrap();

        let inquiry = relay::Inquiry {
            employer_name: "比美水産",
            contact_name: None,
            title: "漁港",
            posting_url: "https://yui.example/jobs/AB12",
            sender_name: "Sam",
            sender_email: "sam@example.jp",
            message: "Hello",
        };
        let relayed = l.inquiry(conn, "shop@example.jp", Lang::En, &inquiry).unwrap();
        let alert = followers::FollowAlert {
            frequency: "daily",
            what: "All postings",
            count: 0,
            more: false,
            postings: &[],
            search_url: "https://yui.example/jobs?lang=en",
            feed_url: "https://yui.example/follow/feeds/f1.atom",
            manage_url: "https://yui.example/follow/manage/m1",
            unsubscribe_url: "https://yui.example/unsubscribe/a1",
        };
        let alert = l.follow_alert(conn, "fan@example.jp", Lang::En, &alert).unwrap();

        let rows = yui_db::outbox::list_recent(conn, 10).unwrap();
        let row = |id: i32| rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!((row(notice).recipients.as_str(), row(notice).reply_to.as_deref()), ("editor@npo.example", None));
        assert_eq!(row(notice).subject, "【審査待ち】漁港（比美水産）");
        let (message, copy) = (row(relayed.message), row(relayed.copy));
        assert_eq!(
            (message.recipients.as_str(), message.reply_to.as_deref()),
            ("shop@example.jp", Some("sam@example.jp"))
        );
        assert!(message.subject.starts_with("【結ポータル】"), "employers read Japanese: {}", message.subject);
        assert_eq!((copy.recipients.as_str(), copy.reply_to.as_deref()), ("sam@example.jp", None));
        assert!(copy.subject.starts_with("[結ポータル] Your message"), "{}", copy.subject);
        assert!(row(alert).body_html.as_deref().is_some_and(|h| h.contains("<html lang=\"en\">")));
        assert_eq!(
            row(alert).header_list(),
            [
                ("List-Id".to_owned(), "alerts <alerts.yui.yui.example>".to_owned()),
                ("List-Unsubscribe".to_owned(), "<https://yui.example/unsubscribe/a1>".to_owned()),
                ("List-Unsubscribe-Post".to_owned(), "List-Unsubscribe=One-Click".to_owned()),
            ]
        );
    }

    #[test]
    fn header_text_is_folded_to_one_line() {
        assert_eq!(one_line("a\tb\u{7}c"), "a b c");
        assert_eq!(one_line(" 鮮魚店の\n販売スタッフ "), "鮮魚店の 販売スタッフ");
        assert_eq!(one_line("鮮魚店の\r\n販売\r\n\r\nスタッフ\0"), "鮮魚店の 販売 スタッフ");
        assert_eq!(one_line("\n"), "");
    }

    #[test]
    fn a_title_with_line_breaks_still_makes_a_letter_with_a_one_line_subject() {
        let args = employer::SubmissionReceived {
            employer_name: "氷見\r\n水産",
            contact_name: None,
            title: "鮮魚店の\n販売スタッフ",
            valid_through: "2026年12月31日",
            manage_url: "https://yui.example/manage/t",
        };
        let mail = letters().render("submission_received", Lang::Ja, &args).unwrap();
        assert!(!mail.subject.contains(['\r', '\n']), "{:?}", mail.subject);
        assert!(mail.subject.contains("鮮魚店の 販売スタッフ"), "{:?}", mail.subject);
    }
}
