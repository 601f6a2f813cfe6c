//! Joint campaigns (issue 20): a theme and a period issued by several organisations together,
//! the postings it gathers, and the one entry form people fill in. Who may publish, what an
//! entry must hold, and the entry statuses live here; SQL and HTTP ask.

use crate::{coded_enum, parse_sender_name, EmailAddress, FieldError, Message, PublicId, Slug, StaffRole};
use chrono::NaiveDate;

coded_enum! {
    CampaignStatus, "campaign status" {
        Draft => "draft", "下書き", "Draft";
        Published => "published", "公開中", "Published";
    }
}

coded_enum! {
    /// How an entrant would like to take part.
    EntryWay, "way to take part" {
        SideJob => "side_job", "副業・兼業として関わりたい", "As a side job";
        Volunteer => "volunteer", "ボランティアとして関わりたい", "As a volunteer";
        LearnFirst => "learn_first", "まずは話を聞いてみたい", "I would like to learn more first";
        Other => "other", "その他", "Other";
    }
}

coded_enum! {
    /// Where a coordinator is with an entry.
    EntryStatus, "entry status" {
        New => "new", "新規", "New";
        Contacted => "contacted", "連絡済み", "Contacted";
        Matched => "matched", "マッチング成立", "Matched";
        Declined => "declined", "見送り", "Declined";
    }
}

/// Why a publication was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    #[error("only editors and admins publish campaigns")]
    Role,
    #[error("the author of a campaign cannot publish it: a second editor must")]
    OwnCampaign,
    #[error("the campaign is already published")]
    AlreadyPublished,
}

/// Editors and admins draft and edit campaigns; writers do not.
pub fn may_edit_campaign(role: StaffRole) -> bool {
    matches!(role, StaffRole::Editor | StaffRole::Admin)
}

/// A second editor publishes: never the one who created the campaign.
pub fn may_publish(status: CampaignStatus, role: StaffRole, actor: i32, author: i32) -> Result<(), PublishError> {
    if !may_edit_campaign(role) {
        return Err(PublishError::Role);
    }
    if status == CampaignStatus::Published {
        return Err(PublishError::AlreadyPublished);
    }
    if actor == author {
        return Err(PublishError::OwnCampaign);
    }
    Ok(())
}

/// The staff form as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignForm {
    pub slug: String,
    pub title: String,
    pub story: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
    /// Ids of the ticked co-issuing organisations.
    pub organizations: Vec<String>,
    /// Public ids of postings, between spaces, commas or 「、」.
    pub postings: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignDraft {
    pub slug: Slug,
    pub title: String,
    pub story_markdown: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub organizations: Vec<i32>,
    pub postings: Vec<PublicId>,
}

pub const TITLE_MAX: usize = 120;
pub const STORY_MAX: usize = 20_000;

impl CampaignDraft {
    /// Every problem at once, by field.
    pub fn parse(form: &CampaignForm) -> Result<CampaignDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let slug = Slug::parse(&form.slug)
            .map_err(|_| errors.push(FieldError::new("slug", Message::new("field.campaign.slug.invalid"))))
            .ok();
        let title = form.title.trim().to_owned();
        if title.is_empty() {
            errors.push(FieldError::new("title", Message::new("field.campaign.title.required")));
        } else if title.chars().count() > TITLE_MAX {
            errors.push(FieldError::new("title", Message::new("field.campaign.title.too_long").with("max", TITLE_MAX)));
        }
        let story = form.story.replace("\r\n", "\n");
        if story.chars().count() > STORY_MAX {
            errors.push(FieldError::new("story", Message::new("field.campaign.story.too_long").with("max", STORY_MAX)));
        }
        let date = |errors: &mut Vec<FieldError>, field: &'static str, s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| errors.push(FieldError::new(field, Message::new("field.campaign.date.invalid"))))
                .ok()
        };
        let starts_on = date(&mut errors, "starts_on", &form.starts_on);
        let ends_on = date(&mut errors, "ends_on", &form.ends_on);
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.push(FieldError::new("ends_on", Message::new("field.campaign.ends_on.before_start")));
            }
        }
        let mut organizations: Vec<i32> = Vec::new();
        for o in &form.organizations {
            match o.trim().parse::<i32>() {
                Ok(id) if !organizations.contains(&id) => organizations.push(id),
                Ok(_) => {}
                Err(_) => {}
            }
        }
        if organizations.is_empty() {
            errors.push(FieldError::new("organizations", Message::new("field.campaign.organizations.choose")));
        }
        let mut postings: Vec<PublicId> = Vec::new();
        let mut bad = Vec::new();
        for id in form.postings.split(|c: char| c.is_whitespace() || c == ',' || c == '、').filter(|s| !s.is_empty()) {
            match PublicId::parse(id) {
                Some(p) if !postings.contains(&p) => postings.push(p),
                Some(_) => {}
                None => bad.push(id.to_owned()),
            }
        }
        if !bad.is_empty() {
            errors.push(FieldError::new(
                "postings",
                Message::new("field.campaign.postings.invalid").with("ids", bad.join(" ")),
            ));
        }
        match (slug, starts_on, ends_on) {
            (Some(slug), Some(starts_on), Some(ends_on)) if errors.is_empty() => {
                Ok(CampaignDraft { slug, title, story_markdown: story, starts_on, ends_on, organizations, postings })
            }
            _ => Err(errors),
        }
    }
}

/// The public entry form as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryForm {
    pub name: String,
    pub email: String,
    pub offer: String,
    /// Public ids of the ticked postings.
    pub interests: Vec<String>,
    pub way: String,
    /// The consent box: `yes` when ticked.
    pub consent: String,
}

/// A checked entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignEntry {
    pub name: String,
    pub email: EmailAddress,
    pub offer: String,
    /// Only postings the campaign gathers, each once.
    pub interests: Vec<String>,
    pub way: EntryWay,
}

pub const OFFER_MAX: usize = 2000;

impl CampaignEntry {
    /// Every problem at once, by field; `allowed` are the public ids of the campaign's postings.
    pub fn parse(form: &EntryForm, allowed: &[String]) -> Result<CampaignEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name =
            parse_sender_name(&form.name).map_err(|m| errors.push(FieldError { field: "name", message: m })).ok();
        let email = if form.email.chars().any(|c| c == '\r' || c == '\n') {
            errors.push(FieldError::new("email", Message::new("field.email.newline")));
            None
        } else {
            EmailAddress::parse(&form.email).map_err(|m| errors.push(FieldError { field: "email", message: m })).ok()
        };
        let offer = form.offer.replace("\r\n", "\n").replace('\r', "\n").trim().to_owned();
        if offer.is_empty() {
            errors.push(FieldError::new("offer", Message::new("field.campaign.offer.required")));
        } else if offer.chars().count() > OFFER_MAX {
            errors.push(FieldError::new("offer", Message::new("field.campaign.offer.too_long").with("max", OFFER_MAX)));
        } else if offer.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            errors.push(FieldError::new("offer", Message::new("field.campaign.offer.control")));
        }
        let mut interests: Vec<String> = Vec::new();
        for i in form.interests.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !allowed.iter().any(|a| a == i) {
                errors.push(FieldError::new("interests", Message::new("field.campaign.interests.unknown")));
                break;
            }
            if !interests.iter().any(|x| x == i) {
                interests.push(i.to_owned());
            }
        }
        let way = form.way.trim().parse::<EntryWay>().map_err(|_| {
            errors.push(FieldError::new("way", Message::new("field.campaign.way.choose")));
        });
        if form.consent.trim() != "yes" {
            errors.push(FieldError::new("consent", Message::new("field.campaign.consent.required")));
        }
        match (name, email, way) {
            (Some(name), Some(email), Ok(way)) if errors.is_empty() => {
                Ok(CampaignEntry { name, email, offer, interests, way })
            }
            _ => Err(errors),
        }
    }
}

/// A coordinator's note on an entry: at most this many characters.
pub const NOTES_MAX: usize = 4000;

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> EntryForm {
        EntryForm {
            name: "山田 花子".into(),
            email: "hanako@example.jp".into(),
            offer: "週末に写真撮影ができます".into(),
            interests: vec!["abc123".into()],
            way: "side_job".into(),
            consent: "yes".into(),
        }
    }

    #[test]
    fn an_entry_needs_consent_a_way_and_only_the_campaigns_postings() {
        let allowed = vec!["abc123".to_owned()];
        assert!(CampaignEntry::parse(&entry(), &allowed).is_ok());
        let no_consent = EntryForm { consent: String::new(), ..entry() };
        let errors = CampaignEntry::parse(&no_consent, &allowed).err().unwrap_or_default();
        assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), ["consent"]);
        let stranger = EntryForm { interests: vec!["zzz999".into()], way: "x".into(), ..entry() };
        let errors = CampaignEntry::parse(&stranger, &allowed).err().unwrap_or_default();
        assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), ["interests", "way"]);
    }

    #[test]
    fn a_second_editor_publishes() {
        let d = CampaignStatus::Draft;
        assert_eq!(may_publish(d, StaffRole::Editor, 1, 1), Err(PublishError::OwnCampaign));
        assert_eq!(may_publish(d, StaffRole::Writer, 2, 1), Err(PublishError::Role));
        assert_eq!(may_publish(d, StaffRole::Editor, 2, 1), Ok(()));
        assert_eq!(may_publish(CampaignStatus::Published, StaffRole::Admin, 2, 1), Err(PublishError::AlreadyPublished));
    }
}
