//! Feature articles and columns: their kinds, statuses and steps, who may take which step,
//! and an article's address. The database and the handlers ask here and nowhere else.

use crate::{coded_enum, StaffRole};

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
    fn slugs() {
        assert_eq!(Slug::parse(" himi-fish-2026 ").map(|s| s.to_string()), Ok("himi-fish-2026".into()));
        for bad in ["ab", "Himi", "-a-b", "a-b-", "a--b", "氷見の魚", "a b c", &"a".repeat(81)] {
            assert_eq!(Slug::parse(bad), Err(SlugError), "{bad}");
        }
    }
}
