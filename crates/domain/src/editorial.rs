//! The editorial module's rules: feature articles and columns, the paid orders behind
//! features, and succession listings (後継者募集). Each status set says which steps exist and
//! who may take them; the database and the handlers ask here and nowhere else.

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

coded_enum! {
    /// The paid order behind a feature article.
    OrderStatus, "order status" {
        Quoted => "quoted", "見積", "Quoted";
        Ordered => "ordered", "受注", "Ordered";
        Invoiced => "invoiced", "請求済", "Invoiced";
        Paid => "paid", "入金済", "Paid";
        Cancelled => "cancelled", "キャンセル", "Cancelled";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an order that is {from} cannot become {to}")]
pub struct OrderTransitionError {
    pub from: OrderStatus,
    pub to: OrderStatus,
}

impl OrderStatus {
    /// Orders move forward one step at a time, or are cancelled before they are paid.
    pub fn next(self) -> &'static [OrderStatus] {
        use OrderStatus as O;
        match self {
            O::Quoted => &[O::Ordered, O::Cancelled],
            O::Ordered => &[O::Invoiced, O::Cancelled],
            O::Invoiced => &[O::Paid, O::Cancelled],
            O::Paid | O::Cancelled => &[],
        }
    }

    pub fn move_to(self, to: OrderStatus) -> Result<OrderStatus, OrderTransitionError> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(OrderTransitionError { from: self, to })
        }
    }

    /// A feature may be published once its order is placed (and stays so once invoiced or paid).
    pub fn allows_publication(self) -> bool {
        matches!(self, OrderStatus::Ordered | OrderStatus::Invoiced | OrderStatus::Paid)
    }
}

/// Consumption tax in whole yen, rounded down as Japanese invoices usually do.
pub fn tax_yen(price_yen: i64, rate_percent: u32) -> i64 {
    price_yen.saturating_mul(i64::from(rate_percent)) / 100
}

coded_enum! {
    SuccessionStatus, "succession status" {
        Open => "open", "募集中", "Open";
        InTalks => "in_talks", "交渉中", "In talks";
        Matched => "matched", "成約", "Matched";
        Closed => "closed", "募集終了", "Closed";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a listing that is {from} cannot become {to}")]
pub struct SuccessionTransitionError {
    pub from: SuccessionStatus,
    pub to: SuccessionStatus,
}

impl SuccessionStatus {
    /// Talks may fall through (back to open); a match or a close is final.
    pub fn next(self) -> &'static [SuccessionStatus] {
        use SuccessionStatus as S;
        match self {
            S::Open => &[S::InTalks, S::Closed],
            S::InTalks => &[S::Open, S::Matched, S::Closed],
            S::Matched | S::Closed => &[],
        }
    }

    pub fn move_to(self, to: SuccessionStatus) -> Result<SuccessionStatus, SuccessionTransitionError> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(SuccessionTransitionError { from: self, to })
        }
    }

    /// Listed in public (matched ones stay visible, marked 「成約」, as a record of success).
    pub fn is_listed(self) -> bool {
        self != SuccessionStatus::Closed
    }

    /// Whether the inquiry form is offered.
    pub fn takes_inquiries(self) -> bool {
        matches!(self, SuccessionStatus::Open | SuccessionStatus::InTalks)
    }
}

coded_enum! {
    /// How a business may pass on.
    SuccessionTerm, "succession term" {
        Transfer => "transfer", "譲渡", "Transfer";
        Succession => "succession", "事業承継", "Business succession";
        Franchise => "franchise", "のれん分け", "Branch-off (noren-wake)";
        Lease => "lease", "賃貸", "Lease";
        Other => "other", "その他", "Other";
    }
}

coded_enum! {
    /// What the successor takes over.
    HandoverItem, "handover item" {
        Premises => "premises", "店舗・土地建物", "Premises";
        Equipment => "equipment", "設備・道具", "Equipment";
        Brand => "brand", "屋号・ブランド", "Name and brand";
        Customers => "customers", "顧客・取引先", "Customers and suppliers";
        Recipes => "recipes", "技術・レシピ", "Skills and recipes";
        Staff => "staff", "従業員", "Staff";
        Licences => "licences", "許認可", "Licences";
    }
}

coded_enum! {
    /// Yearly revenue, in bands so that a small town cannot guess the business from it.
    RevenueBand, "revenue band" {
        Undisclosed => "undisclosed", "非公開", "Undisclosed";
        Under10m => "under_10m", "1,000万円未満", "Under ¥10M";
        From10mTo50m => "10m_50m", "1,000万〜5,000万円", "¥10M–50M";
        From50mTo100m => "50m_100m", "5,000万〜1億円", "¥50M–100M";
        Over100m => "over_100m", "1億円以上", "Over ¥100M";
    }
}

coded_enum! {
    /// Where a succession inquiry is; only the coordinator sees it.
    InquiryStatus, "inquiry status" {
        Received => "received", "受付", "Received";
        InProgress => "in_progress", "所有者に確認中", "With the owner";
        Introduced => "introduced", "紹介済み", "Introduced";
        Declined => "declined", "見送り", "Declined";
    }
}

/// A list of codes stored space-separated (handover items, terms): unknown codes are dropped,
/// order follows `ALL`, no repeats.
pub fn parse_code_list<T: Copy + PartialEq + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    text: &str,
) -> Vec<T> {
    let given: Vec<&str> = text.split_whitespace().collect();
    all.iter().copied().filter(|item| given.contains(&code(*item))).collect()
}

pub fn code_list<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|i| code(*i)).collect::<Vec<_>>().join(" ")
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
    fn orders_move_forward_or_are_cancelled() {
        use OrderStatus as O;
        assert_eq!(O::Quoted.move_to(O::Ordered), Ok(O::Ordered));
        assert_eq!(O::Quoted.move_to(O::Paid), Err(OrderTransitionError { from: O::Quoted, to: O::Paid }));
        assert_eq!(O::Invoiced.move_to(O::Cancelled), Ok(O::Cancelled));
        assert!(O::Paid.next().is_empty() && O::Cancelled.next().is_empty());
        let publishable: Vec<_> = O::ALL.iter().filter(|s| s.allows_publication()).collect();
        assert_eq!(publishable, [&O::Ordered, &O::Invoiced, &O::Paid]);
        assert_eq!(tax_yen(150_000, 10), 15_000);
        assert_eq!(tax_yen(99, 10), 9);
    }

    #[test]
    fn succession_statuses() {
        use SuccessionStatus as S;
        assert_eq!(S::Open.move_to(S::InTalks), Ok(S::InTalks));
        assert_eq!(S::InTalks.move_to(S::Open), Ok(S::Open));
        assert!(S::Open.move_to(S::Matched).is_err());
        assert!(S::Matched.move_to(S::Open).is_err());
        assert!(S::Matched.is_listed() && !S::Closed.is_listed());
        assert!(!S::Matched.takes_inquiries() && S::InTalks.takes_inquiries());
    }

    #[test]
    fn code_lists_keep_known_codes_in_order() {
        let items = parse_code_list(HandoverItem::ALL, HandoverItem::code, "brand premises nonsense brand");
        assert_eq!(items, [HandoverItem::Premises, HandoverItem::Brand]);
        assert_eq!(code_list(&items, HandoverItem::code), "premises brand");
    }

    #[test]
    fn slugs() {
        assert_eq!(Slug::parse(" himi-fish-2026 ").map(|s| s.to_string()), Ok("himi-fish-2026".into()));
        for bad in ["ab", "Himi", "-a-b", "a-b-", "a--b", "氷見の魚", "a b c", &"a".repeat(81)] {
            assert_eq!(Slug::parse(bad), Err(SlugError), "{bad}");
        }
    }
}
