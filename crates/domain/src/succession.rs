//! Succession listings (後継者募集) as typed into forms: the staff's listing form and the
//! public inquiry form. Parsing returns every problem at once, by field, in Japanese, so the
//! form can be shown again with each message next to its field and everything typed kept.
//! The listings' statuses and the codes their forms offer come first.

use crate::{coded_enum, parse_code_list, parse_sender_name, EmailAddress, FieldError, Message};

pub mod pool;
pub mod request;

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

const NAME_MAX: usize = 100;
const SHORT_MAX: usize = 60;
const TEXT_MAX: usize = 4000;
/// What an inquirer writes about themselves and their plans.
pub const ABOUT_MAX: usize = 4000;
const PHONE_MAX: usize = 20;

/// The staff's listing form, as strings.
#[derive(Debug, Clone, Default)]
pub struct ListingInput {
    pub public_name: String,
    pub industry: String,
    pub area: String,
    pub years_in_business: String,
    pub staff_count: String,
    pub revenue_band: String,
    /// Space-separated codes (a multi-select joined).
    pub handover: String,
    pub handover_note: String,
    pub reason: String,
    pub successor_wish: String,
    pub terms: String,
    pub price_text: String,
    pub description: String,
    pub owner_name: String,
    pub owner_email: String,
    pub owner_phone: String,
}

/// A checked listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingDraft {
    pub public_name: String,
    pub industry: String,
    /// A district, never an address.
    pub area: String,
    pub years_in_business: Option<i32>,
    pub staff_count: Option<i32>,
    pub revenue_band: RevenueBand,
    pub handover: Vec<HandoverItem>,
    pub handover_note: String,
    pub reason: String,
    pub successor_wish: String,
    pub terms: Vec<SuccessionTerm>,
    /// Empty means 「応相談」.
    pub price_text: String,
    pub description: String,
    pub owner_name: String,
    pub owner_email: EmailAddress,
    pub owner_phone: Option<String>,
}

/// `label` is the locale key of the field's name, for the messages.
fn one_line(
    field: &'static str,
    label: &'static str,
    s: &str,
    max: usize,
    required: bool,
) -> Result<String, FieldError> {
    let err = |key: &'static str| Message::new(key).with_key("label", label);
    if s.chars().any(char::is_control) {
        return Err(FieldError::new(field, err("field.succession.one_line")));
    }
    let s = s.trim();
    if required && s.is_empty() {
        return Err(FieldError::new(field, err("field.succession.required")));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, err("field.succession.too_long").with("max", max)));
    }
    Ok(s.to_owned())
}

fn text(field: &'static str, label: &'static str, s: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let err = |key: &'static str| Message::new(key).with_key("label", label);
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let s = s.trim();
    if required && s.is_empty() {
        return Err(FieldError::new(field, err("field.succession.required")));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, err("field.succession.too_long").with("max", max)));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new(field, err("field.succession.control")));
    }
    Ok(s.to_owned())
}

fn count(field: &'static str, label: &'static str, s: &str) -> Result<Option<i32>, FieldError> {
    let s: String = s.trim().chars().map(|c| if c.is_ascii_digit() { c } else { fullwidth_digit(c) }).collect();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i32>()
        .ok()
        .filter(|n| (0..=1000).contains(n))
        .map(Some)
        .ok_or_else(|| FieldError::new(field, Message::new("field.succession.count").with_key("label", label)))
}

fn fullwidth_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        other => other,
    }
}

/// A district such as 比美町 or 灘浦地区: a street address would let anyone find the shop, so
/// numbers and address words are refused.
fn area(s: &str) -> Result<String, FieldError> {
    let area = one_line("area", "field.succession.label.area", s, 40, true)?;
    let looks_like_address = area.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        || ["丁目", "番地", "番", "号"].iter().any(|w| area.contains(w));
    if looks_like_address {
        return Err(FieldError::new("area", Message::new("field.succession.area.address")));
    }
    Ok(area)
}

fn phone(field: &'static str, s: &str) -> Result<Option<String>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let ok = s.chars().count() <= PHONE_MAX
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
    if ok {
        Ok(Some(s.to_owned()))
    } else {
        Err(FieldError::new(field, Message::new("field.phone.invalid")))
    }
}

fn email(field: &'static str, s: &str) -> Result<EmailAddress, FieldError> {
    if s.chars().any(|c| c == '\r' || c == '\n') {
        return Err(FieldError::new(field, Message::new("field.email.newline")));
    }
    EmailAddress::parse(s).map_err(|message| FieldError { field, message })
}

fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

impl ListingDraft {
    pub fn parse(input: &ListingInput) -> Result<ListingDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let public_name = keep(
            &mut errors,
            one_line("public_name", "field.succession.label.public_name", &input.public_name, SHORT_MAX, true),
        );
        let industry = keep(
            &mut errors,
            one_line("industry", "field.succession.label.industry", &input.industry, SHORT_MAX, true),
        );
        let area = keep(&mut errors, area(&input.area));
        let years = keep(
            &mut errors,
            count("years_in_business", "field.succession.label.years_in_business", &input.years_in_business),
        );
        let staff = keep(&mut errors, count("staff_count", "field.succession.label.staff_count", &input.staff_count));
        let band = keep(
            &mut errors,
            input
                .revenue_band
                .parse::<RevenueBand>()
                .map_err(|_| FieldError::new("revenue_band", Message::new("field.succession.revenue_band.choose"))),
        );
        let handover_note = keep(
            &mut errors,
            text("handover_note", "field.succession.label.handover_note", &input.handover_note, TEXT_MAX, false),
        );
        let reason = keep(&mut errors, text("reason", "field.succession.label.reason", &input.reason, TEXT_MAX, false));
        let successor_wish = keep(
            &mut errors,
            text("successor_wish", "field.succession.label.successor_wish", &input.successor_wish, TEXT_MAX, false),
        );
        let price_text = keep(
            &mut errors,
            one_line("price_text", "field.succession.label.price_text", &input.price_text, SHORT_MAX, false),
        );
        let description = keep(
            &mut errors,
            text("description", "field.succession.label.description", &input.description, TEXT_MAX, true),
        );
        let owner_name = keep(
            &mut errors,
            one_line("owner_name", "field.succession.label.owner_name", &input.owner_name, NAME_MAX, true),
        );
        let owner_email = keep(&mut errors, email("owner_email", &input.owner_email));
        let owner_phone = keep(&mut errors, phone("owner_phone", &input.owner_phone));
        let handover = parse_code_list(HandoverItem::ALL, HandoverItem::code, &input.handover);
        let terms = parse_code_list(SuccessionTerm::ALL, SuccessionTerm::code, &input.terms);
        if terms.is_empty() {
            errors.push(FieldError::new("terms", Message::new("field.succession.terms.choose")));
        }
        match (
            public_name,
            industry,
            area,
            years,
            staff,
            band,
            handover_note,
            reason,
            successor_wish,
            price_text,
            description,
            owner_name,
            owner_email,
            owner_phone,
        ) {
            (
                Some(public_name),
                Some(industry),
                Some(area),
                Some(years_in_business),
                Some(staff_count),
                Some(revenue_band),
                Some(handover_note),
                Some(reason),
                Some(successor_wish),
                Some(price_text),
                Some(description),
                Some(owner_name),
                Some(owner_email),
                Some(owner_phone),
            ) if errors.is_empty() => Ok(ListingDraft {
                public_name,
                industry,
                area,
                years_in_business,
                staff_count,
                revenue_band,
                handover,
                handover_note,
                reason,
                successor_wish,
                terms,
                price_text,
                description,
                owner_name,
                owner_email,
                owner_phone,
            }),
            _ => Err(errors),
        }
    }
}

/// The staff's whole listing form: the listing, and the two choices around it.
#[derive(Debug, Clone, Default)]
pub struct ListingForm {
    pub listing: ListingInput,
    /// The coordinating organisation's slug.
    pub coordinator: String,
    /// The linked article's id, or empty for none.
    pub article: String,
}

/// A checked listing form: the listing, the organisation that coordinates it, and its article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingFormDraft {
    pub listing: ListingDraft,
    pub coordinator_organization_id: i32,
    pub article_id: Option<i32>,
}

impl ListingFormDraft {
    /// `organizations` are the `(id, slug)` pairs a coordinator is chosen from, `articles` the
    /// ids of the articles a listing may link to (the published ones). The listing's messages
    /// come first, then the coordinator's, then the article's.
    pub fn parse(
        form: &ListingForm,
        organizations: &[(i32, &str)],
        articles: &[i32],
    ) -> Result<ListingFormDraft, Vec<FieldError>> {
        let listing = ListingDraft::parse(&form.listing);
        let org = organizations.iter().find(|(_, slug)| *slug == form.coordinator).map(|(id, _)| *id);
        let article = match form.article.trim() {
            "" => Ok(None),
            id => articles.iter().find(|a| a.to_string() == id).map(|a| Some(*a)).ok_or(()),
        };
        let mut errors = listing.as_ref().err().cloned().unwrap_or_default();
        if org.is_none() {
            errors.push(FieldError::new("coordinator", Message::new("field.succession.coordinator.choose")));
        }
        if article.is_err() {
            errors.push(FieldError::new("article", Message::new("field.succession.article.choose")));
        }
        match (listing, org, article) {
            (Ok(listing), Some(coordinator_organization_id), Ok(article_id)) if errors.is_empty() => {
                Ok(ListingFormDraft { listing, coordinator_organization_id, article_id })
            }
            _ => Err(errors),
        }
    }
}

/// Someone who would like to take a business on, as the public inquiry form sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuccessionInquiry {
    pub name: String,
    pub email: EmailAddress,
    pub phone: Option<String>,
    /// Who they are and what they plan. Line ends normalized to `\n`.
    pub about: String,
}

impl SuccessionInquiry {
    /// `consent` is the checkbox's value: anything non-empty means ticked.
    pub fn parse(
        name: &str,
        email_text: &str,
        phone_text: &str,
        about: &str,
        consent: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = parse_sender_name(name).map_err(|m| errors.push(FieldError { field: "name", message: m })).ok();
        let email = email("email", email_text).map_err(|e| errors.push(e)).ok();
        let phone = phone("phone", phone_text).map_err(|e| errors.push(e)).ok();
        let about = match text("about", "field.succession.label.about", about, ABOUT_MAX, true) {
            Ok(a) => Some(a),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        if consent.trim().is_empty() {
            errors.push(FieldError::new("consent", Message::new("field.succession.consent.required")));
        }
        match (name, email, phone, about) {
            (Some(name), Some(email), Some(phone), Some(about)) if errors.is_empty() => {
                Ok(SuccessionInquiry { name, email, phone, about })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an inquiry that is {from} cannot become {to}")]
pub struct InquiryTransitionError {
    pub from: InquiryStatus,
    pub to: InquiryStatus,
}

impl InquiryStatus {
    /// The coordinator asks the owner (or turns an obvious mismatch down at once), then
    /// introduces the two or declines; both ends are final.
    pub fn next(self) -> &'static [InquiryStatus] {
        use InquiryStatus as I;
        match self {
            I::Received => &[I::InProgress, I::Declined],
            I::InProgress => &[I::Introduced, I::Declined],
            I::Introduced | I::Declined => &[],
        }
    }

    pub fn move_to(self, to: InquiryStatus) -> Result<InquiryStatus, InquiryTransitionError> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(InquiryTransitionError { from: self, to })
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::code_list;

    fn input() -> ListingInput {
        ListingInput {
            public_name: "市内の老舗鮮魚店".into(),
            industry: "鮮魚小売".into(),
            area: "比美町".into(),
            years_in_business: "６２".into(),
            staff_count: "3".into(),
            revenue_band: "10m_50m".into(),
            handover: "premises brand customers".into(),
            terms: "transfer succession".into(),
            description: "朝どれの魚を60年。".into(),
            owner_name: "氷見 太郎".into(),
            owner_email: "owner@sakana.example".into(),
            ..ListingInput::default()
        }
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
    fn a_complete_listing_parses() {
        let d = ListingDraft::parse(&input()).unwrap();
        assert_eq!(d.years_in_business, Some(62));
        assert_eq!(d.terms, [SuccessionTerm::Transfer, SuccessionTerm::Succession]);
        assert_eq!(d.handover.len(), 3);
        assert_eq!(d.owner_phone, None);
        assert_eq!(d.price_text, "");
    }

    #[test]
    fn listing_errors_come_all_at_once_by_field() {
        let bad = ListingInput {
            public_name: String::new(),
            area: "比美町1-2-3".into(),
            staff_count: "many".into(),
            revenue_band: "lots".into(),
            terms: String::new(),
            owner_email: "owner@".into(),
            ..input()
        };
        let fields: Vec<_> = ListingDraft::parse(&bad).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["public_name", "area", "staff_count", "revenue_band", "owner_email", "terms"]);
        let address = ListingInput { area: "中央町三丁目".into(), ..input() };
        assert_eq!(ListingDraft::parse(&address).unwrap_err()[0].field, "area");
    }

    #[test]
    fn the_listing_form_picks_an_offered_coordinator_and_article() {
        let orgs = [(1, "himi-npo"), (2, "shoko")];
        let form = ListingForm { listing: input(), coordinator: "shoko".into(), article: " 7 ".into() };
        let d = ListingFormDraft::parse(&form, &orgs, &[5, 7]).unwrap();
        assert_eq!((d.coordinator_organization_id, d.article_id), (2, Some(7)));
        assert_eq!(d.listing, ListingDraft::parse(&input()).unwrap());
        let no_article = ListingForm { article: String::new(), ..form.clone() };
        assert_eq!(ListingFormDraft::parse(&no_article, &orgs, &[]).unwrap().article_id, None);

        let bad = ListingForm {
            listing: ListingInput { public_name: String::new(), ..input() },
            coordinator: "elsewhere".into(),
            article: "8".into(),
        };
        let fields: Vec<_> =
            ListingFormDraft::parse(&bad, &orgs, &[5, 7]).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["public_name", "coordinator", "article"]);
    }

    #[test]
    fn an_inquiry_needs_consent_and_a_real_address() {
        let ok = SuccessionInquiry::parse("山田 花子", "hanako@mail.example", "090-1234-5678", "魚屋を継ぎたい", "yes");
        assert_eq!(ok.unwrap().phone.as_deref(), Some("090-1234-5678"));
        let errors = SuccessionInquiry::parse("山田", "hanako@", "abc", "", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "phone", "about", "consent"]);
        assert_eq!(errors[3].message.key(), "field.succession.consent.required");
        assert!(SuccessionInquiry::parse("山田\r\nBcc: x", "a@b.example", "", "x", "yes").is_err());
        assert!(SuccessionInquiry::parse("山田", "a@b.example", "", &"あ".repeat(ABOUT_MAX + 1), "yes").is_err());
    }

    #[test]
    fn inquiries_move_forward_only() {
        use InquiryStatus as I;
        assert!(I::Received.move_to(I::InProgress).is_ok());
        assert!(I::Received.move_to(I::Declined).is_ok());
        assert!(I::Received.move_to(I::Introduced).is_err());
        assert!(I::InProgress.move_to(I::Introduced).is_ok());
        assert!(I::Introduced.next().is_empty() && I::Declined.next().is_empty());
    }
}
