//! Feature articles and columns: their kinds, statuses and steps, who may take which step, an
//! article's address, and the article form. The database and the handlers ask here and nowhere
//! else.

use crate::{coded_enum, FieldError, Message, PublicId, StaffRole};
use chrono::NaiveDateTime;

coded_enum! {
    /// A paid recruitment story about one employer (labelled 「PR」), or a free column.
    ArticleKind, "article kind" {
        Feature => "feature", "求人特集", "Feature";
        Column => "column", "コラム", "Column";
    }
}

coded_enum! {
    ArticleStatus, "article status" {
        Draft => "draft", "下書き", "Draft";
        InReview => "in_review", "承認待ち", "In review";
        Published => "published", "公開中", "Published";
        Archived => "archived", "アーカイブ", "Archived";
    }
}

coded_enum! {
    ArticleAction, "article action" {
        Submit => "submit", "承認を依頼", "Submit for review";
        SendBack => "send_back", "差し戻し", "Send back";
        Approve => "approve", "承認・公開", "Approve and publish";
        Archive => "archive", "アーカイブ", "Archive";
        Restore => "restore", "再公開", "Publish again";
    }
}

/// Why an article step was refused; the message is shown to the staff member.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleStepError {
    #[error("an article that is {from} cannot be given the step {action}")]
    Transition { from: ArticleStatus, action: ArticleAction },
    #[error("a {role} may not {action} an article")]
    Role { role: StaffRole, action: ArticleAction },
    #[error("the author of an article cannot approve it: a second editor must")]
    OwnArticle,
    #[error("a writer can only submit their own articles")]
    NotAuthor,
}

impl ArticleStatus {
    /// The one place that says which steps exist.
    pub fn apply(self, action: ArticleAction) -> Result<ArticleStatus, ArticleStepError> {
        use ArticleAction as A;
        use ArticleStatus as S;
        Ok(match (self, action) {
            (S::Draft, A::Submit) => S::InReview,
            (S::InReview, A::SendBack) => S::Draft,
            (S::InReview, A::Approve) => S::Published,
            (S::Published, A::Archive) => S::Archived,
            (S::Archived, A::Restore) => S::Published,
            (from, action) => return Err(ArticleStepError::Transition { from, action }),
        })
    }

    /// Whether readers may see the article (once its publication time has come).
    pub fn is_public(self) -> bool {
        self == ArticleStatus::Published
    }
}

/// Whether `role` (the staff member `actor`) may take `action` on an article by `author` that
/// is now `from`; returns the status it moves to. Writers draft and submit their own articles;
/// editors and admins do every step, but never approve an article they wrote.
pub fn article_step(
    from: ArticleStatus,
    action: ArticleAction,
    role: StaffRole,
    actor: i32,
    author: i32,
) -> Result<ArticleStatus, ArticleStepError> {
    let to = from.apply(action)?;
    match role {
        StaffRole::Writer if action != ArticleAction::Submit => return Err(ArticleStepError::Role { role, action }),
        StaffRole::Writer if actor != author => return Err(ArticleStepError::NotAuthor),
        _ => {}
    }
    if action == ArticleAction::Approve && actor == author {
        return Err(ArticleStepError::OwnArticle);
    }
    Ok(to)
}

/// Whether `role` may change an article's text in `status`: writers their own drafts only,
/// editors and admins anything not archived.
pub fn may_edit_article(status: ArticleStatus, role: StaffRole, actor: i32, author: i32) -> bool {
    match role {
        StaffRole::Writer => actor == author && status == ArticleStatus::Draft,
        StaffRole::Editor | StaffRole::Admin => status != ArticleStatus::Archived,
    }
}

/// An article's address: lower-case ASCII letters, digits and single hyphens, 3 to 80
/// characters, starting and ending with a letter or digit (`/features/himi-fish-2026`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(into = "String")]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a slug is 3–80 lower-case letters, digits and single hyphens")]
pub struct SlugError;

impl Slug {
    pub fn parse(s: &str) -> Result<Slug, SlugError> {
        let s = s.trim();
        let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        let valid = (3..=80).contains(&s.len())
            && s.chars().all(ok_char)
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if valid {
            Ok(Slug(s.to_owned()))
        } else {
            Err(SlugError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The article form as it was sent: every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleForm {
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub lede: String,
    /// Markdown, kept as typed but for its line ends.
    pub body: String,
    pub hero_alt: String,
    /// The sponsoring employer's id.
    pub sponsor: String,
    /// Public ids of postings typed in, between spaces, commas or 「、」.
    pub postings: String,
    /// Public ids of the postings ticked in the list.
    pub checked_postings: Vec<String>,
    pub writer_credit: String,
    pub photographer_credit: String,
    pub editor_credit: String,
    /// `YYYY-MM-DDTHH:MM` in Japan's time (`<input type="datetime-local">`), or empty.
    pub publish_at: String,
    pub hero_caption: String,
    /// One person a line: 「山田 花子（定置網漁 船長）」.
    pub interviewees: String,
}

/// A checked article: its content, and for a feature the postings it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDraft {
    pub kind: ArticleKind,
    pub slug: Slug,
    pub title: String,
    pub lede: String,
    /// Line ends normalized to `\n`.
    pub body_markdown: String,
    pub hero_alt: Option<String>,
    /// A feature's sponsor; a column has none.
    pub sponsor_employer_id: Option<i32>,
    pub writer_credit: Option<String>,
    pub photographer_credit: Option<String>,
    pub editor_credit: Option<String>,
    /// When readers may see it, in UTC; `None` means once approved.
    pub publish_at: Option<NaiveDateTime>,
    /// A feature's postings, each once, in the order given (typed ones first); a column has none.
    pub postings: Vec<PublicId>,
    pub hero_caption: Option<String>,
    /// The people the story is about, one a line, blank lines dropped.
    pub interviewees: Option<String>,
}

/// The longest caption under a hero image, and the most people an article names.
pub const MAX_CAPTION: usize = 200;
pub const MAX_INTERVIEWEES: usize = 12;

impl ArticleDraft {
    /// Parses the form and reports every problem at once, by field, in Japanese.
    pub fn parse(form: &ArticleForm) -> Result<ArticleDraft, Vec<FieldError>> {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let mut errors = Vec::new();
        let err = |errors: &mut Vec<FieldError>, field: &'static str, message: Message| {
            errors.push(FieldError { field, message });
        };
        let kind = form.kind.trim().parse::<ArticleKind>();
        if kind.is_err() {
            err(&mut errors, "kind", Message::new("field.article.kind.choose"));
        }
        let slug = Slug::parse(form.slug.trim());
        if slug.is_err() {
            err(&mut errors, "slug", Message::new("field.article.slug.invalid"));
        }
        let title = form.title.trim().to_owned();
        if title.is_empty() {
            err(&mut errors, "title", Message::new("field.article.title.required"));
        } else if title.chars().count() > 120 {
            err(&mut errors, "title", Message::new("field.article.title.too_long").with("max", 120));
        }
        let lede = form.lede.trim().to_owned();
        if lede.chars().count() > 400 {
            err(&mut errors, "lede", Message::new("field.article.lede.too_long").with("max", 400));
        }
        let is_feature = kind == Ok(ArticleKind::Feature);
        let sponsor = form.sponsor.trim().parse::<i32>().ok();
        if is_feature && sponsor.is_none() {
            err(&mut errors, "sponsor", Message::new("field.article.sponsor.choose"));
        }
        let publish_at = match form.publish_at.trim() {
            "" => None,
            text => match NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M") {
                Ok(local) => Some(local - chrono::Duration::hours(9)),
                Err(_) => {
                    err(&mut errors, "publish_at", Message::new("field.article.publish_at.invalid"));
                    None
                }
            },
        };
        let mut postings: Vec<PublicId> = Vec::new();
        let words =
            form.postings.trim().split(|c: char| c.is_whitespace() || c == ',' || c == '、').filter(|s| !s.is_empty());
        // The editor's "add a posting" box arrives empty when nothing was added.
        let checked = form.checked_postings.iter().map(|s| s.trim()).filter(|s| !s.is_empty());
        let mut bad = Vec::new();
        for id in words.chain(checked) {
            match PublicId::parse(id) {
                Some(p) if !postings.contains(&p) => postings.push(p),
                Some(_) => {}
                None => bad.push(id.to_owned()),
            }
        }
        if !bad.is_empty() {
            err(&mut errors, "postings", Message::new("field.article.postings.invalid").with("ids", bad.join(" ")));
        }
        let hero_caption = opt(&form.hero_caption);
        if hero_caption.as_ref().is_some_and(|c| c.chars().count() > MAX_CAPTION) {
            err(&mut errors, "hero_caption", Message::new("field.article.caption.too_long").with("max", MAX_CAPTION));
        }
        let people: Vec<&str> = form.interviewees.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if people.len() > MAX_INTERVIEWEES || people.iter().any(|p| p.chars().count() > 100) {
            let message = Message::new("field.article.interviewees.too_many").with("max", MAX_INTERVIEWEES);
            err(&mut errors, "interviewees", message);
        }
        let (Ok(kind), Ok(slug)) = (kind, slug) else { return Err(errors) };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ArticleDraft {
            kind,
            slug,
            title,
            lede,
            body_markdown: form.body.replace("\r\n", "\n"),
            hero_alt: opt(&form.hero_alt),
            sponsor_employer_id: if is_feature { sponsor } else { None },
            writer_credit: opt(&form.writer_credit),
            photographer_credit: opt(&form.photographer_credit),
            editor_credit: opt(&form.editor_credit),
            publish_at,
            postings: if is_feature { postings } else { Vec::new() },
            hero_caption,
            interviewees: (!people.is_empty()).then(|| people.join("\n")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ArticleAction as A;
    use ArticleStatus as S;

    #[test]
    fn article_steps_and_who_may_take_them() {
        let (writer, editor, other_editor) = (StaffRole::Writer, StaffRole::Editor, StaffRole::Editor);
        // A writer submits their own draft, and nothing else.
        assert_eq!(article_step(S::Draft, A::Submit, writer, 1, 1), Ok(S::InReview));
        assert_eq!(article_step(S::Draft, A::Submit, writer, 2, 1), Err(ArticleStepError::NotAuthor));
        assert_eq!(
            article_step(S::InReview, A::Approve, writer, 2, 1),
            Err(ArticleStepError::Role { role: writer, action: A::Approve })
        );
        // An editor approves another's article, never their own.
        assert_eq!(article_step(S::InReview, A::Approve, other_editor, 2, 1), Ok(S::Published));
        assert_eq!(article_step(S::InReview, A::Approve, editor, 1, 1), Err(ArticleStepError::OwnArticle));
        assert_eq!(article_step(S::InReview, A::Approve, StaffRole::Admin, 1, 1), Err(ArticleStepError::OwnArticle));
        assert_eq!(article_step(S::InReview, A::SendBack, editor, 1, 1), Ok(S::Draft));
        assert_eq!(article_step(S::Published, A::Archive, editor, 2, 1), Ok(S::Archived));
        assert_eq!(article_step(S::Archived, A::Restore, editor, 2, 1), Ok(S::Published));
        assert_eq!(
            article_step(S::Draft, A::Approve, editor, 2, 1),
            Err(ArticleStepError::Transition { from: S::Draft, action: A::Approve })
        );
    }

    #[test]
    fn every_article_transition_not_listed_is_refused() {
        let allowed = [
            (S::Draft, A::Submit),
            (S::InReview, A::SendBack),
            (S::InReview, A::Approve),
            (S::Published, A::Archive),
            (S::Archived, A::Restore),
        ];
        for from in S::ALL {
            for action in A::ALL {
                assert_eq!(from.apply(*action).is_ok(), allowed.contains(&(*from, *action)), "{from} {action}");
            }
        }
    }

    #[test]
    fn editing_rights() {
        assert!(may_edit_article(S::Draft, StaffRole::Writer, 1, 1));
        assert!(!may_edit_article(S::InReview, StaffRole::Writer, 1, 1));
        assert!(!may_edit_article(S::Draft, StaffRole::Writer, 2, 1));
        assert!(may_edit_article(S::Published, StaffRole::Editor, 2, 1));
        assert!(!may_edit_article(S::Archived, StaffRole::Editor, 2, 1));
    }

    #[test]
    fn the_form_parses_japan_time_and_keeps_features_and_columns_apart() {
        let id = PublicId::generate();
        let form = ArticleForm {
            kind: "feature".into(),
            slug: "hama-2026".into(),
            title: "港の朝".into(),
            body: "一行目\r\n二行目 ".into(),
            sponsor: "7".into(),
            publish_at: "2026-12-01T09:00".into(),
            postings: format!("{id}, {id}"),
            // The editor's empty "add a posting" box, and the same posting added again.
            checked_postings: vec![String::new(), id.to_string()],
            hero_caption: " 夜明け前の氷見漁港 ".into(),
            interviewees: "山田 花子（船長）\n\n 海野 凪（乗組員） \n".into(),
            ..ArticleForm::default()
        };
        let d = ArticleDraft::parse(&form).unwrap();
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(d.publish_at, Some(utc), "09:00 in Japan is midnight UTC");
        assert_eq!((d.sponsor_employer_id, d.postings), (Some(7), vec![id.clone()]));
        assert_eq!(d.body_markdown, "一行目\n二行目 ", "the body keeps its spaces");
        assert_eq!((d.writer_credit, d.lede.as_str()), (None, ""));
        assert_eq!(d.hero_caption.as_deref(), Some("夜明け前の氷見漁港"));
        assert_eq!(
            d.interviewees.as_deref(),
            Some("山田 花子（船長）\n海野 凪（乗組員）"),
            "one a line, blanks dropped"
        );

        let column = ArticleForm { kind: "column".into(), ..form };
        let d = ArticleDraft::parse(&column).unwrap();
        assert_eq!((d.sponsor_employer_id, d.postings.len()), (None, 0), "columns have no sponsor or postings");

        let bad = ArticleForm {
            kind: "feature".into(),
            slug: "Hama 2026".into(),
            title: String::new(),
            publish_at: "明日".into(),
            postings: "x".into(),
            ..ArticleForm::default()
        };
        let fields: Vec<_> = ArticleDraft::parse(&bad).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["slug", "title", "sponsor", "publish_at", "postings"]);
        let long = ArticleForm {
            kind: "kind".into(),
            title: "あ".repeat(121),
            lede: "あ".repeat(401),
            hero_caption: "写".repeat(MAX_CAPTION + 1),
            interviewees: "人\n".repeat(MAX_INTERVIEWEES + 1),
            ..column
        };
        let errors = ArticleDraft::parse(&long).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "title", "lede", "hero_caption", "interviewees"]);
        assert_eq!(errors[1].message, Message::new("field.article.title.too_long").with("max", 120));
    }

    #[test]
    fn slugs() {
        assert_eq!(Slug::parse(" himi-fish-2026 ").map(|s| s.to_string()), Ok("himi-fish-2026".into()));
        for bad in ["ab", "Himi", "-a-b", "a-b-", "a--b", "氷見の魚", "a b c", &"a".repeat(81)] {
            assert_eq!(Slug::parse(bad), Err(SlugError), "{bad}");
        }
    }
}
