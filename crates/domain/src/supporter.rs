//! Supporters of the commons and what they sign up with. Supporting never buys anything: no
//! field here reaches the review queue.

use crate::{coded_enum, parse_sender_name, EmailAddress, FieldError, Message};

const MESSAGE_MAX_CHARS: usize = 2000;

coded_enum! {
    SupporterKind, "supporter kind" {
        Individual => "individual", "個人", "Individuals";
        Business => "business", "事業者", "Businesses";
        Organization => "organization", "団体", "Organisations";
    }
}

coded_enum! {
    /// The ways of supporting that `/support` explains.
    SupportType, "support type" {
        Money => "money", "寄付・会費", "Money";
        Share => "share", "SNSでシェア", "Sharing on social media";
        Banner => "banner", "サイトにバナー・リンク", "A banner or link on a website";
        Writer => "writer", "ライターとして協力", "Writing";
        Photographer => "photographer", "カメラマンとして協力", "Photography";
        Volunteer => "volunteer", "その他のボランティア", "Other volunteering";
    }
}

/// A checked sign-up from `/support`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupporterSignup {
    pub email: EmailAddress,
    /// `None`: anonymous (「匿名」 on the wall).
    pub display_name: Option<String>,
    pub kind: SupporterKind,
    pub support_types: Vec<SupportType>,
    pub message: String,
    pub on_wall: bool,
}

/// The form as typed. Checkboxes arrive as repeated fields; absent means unchecked.
#[derive(Debug, Default)]
pub struct SignupForm<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub anonymous: bool,
    pub kind: &'a str,
    pub support_types: Vec<&'a str>,
    pub message: &'a str,
    pub on_wall: bool,
}

impl SupporterSignup {
    /// Every problem at once, by field (`email`, `name`, `kind`, `support_types`, `message`).
    pub fn parse(form: &SignupForm<'_>) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &'static str, message: Message| errors.push(FieldError { field, message });
        let email = match EmailAddress::parse(form.email) {
            Ok(e) => Some(e),
            Err(m) => {
                fail("email", m);
                None
            }
        };
        let display_name = if form.anonymous {
            None
        } else {
            match parse_sender_name(form.name) {
                Ok(n) => Some(n),
                Err(m) => {
                    fail("name", Message::wrap("field.support.name.or_anonymous", "reason", m));
                    None
                }
            }
        };
        let kind = form.kind.parse::<SupporterKind>().ok();
        if kind.is_none() {
            fail("kind", Message::new("field.support.kind.choose"));
        }
        let chosen: Result<Vec<SupportType>, _> = form.support_types.iter().map(|c| c.parse::<SupportType>()).collect();
        let support_types: Vec<SupportType> = match chosen {
            Err(_) => {
                fail("support_types", Message::new("field.support.types.invalid"));
                Vec::new()
            }
            Ok(chosen) if chosen.is_empty() => {
                fail("support_types", Message::new("field.support.types.choose"));
                Vec::new()
            }
            Ok(chosen) => SupportType::ALL.iter().copied().filter(|t| chosen.contains(t)).collect(),
        };
        let message = form.message.replace("\r\n", "\n").trim().to_owned();
        if message.chars().count() > MESSAGE_MAX_CHARS {
            fail("message", Message::new("field.support.message.too_long").with("max", MESSAGE_MAX_CHARS));
        } else if message.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            fail("message", Message::new("field.support.message.control"));
        }
        match (email, kind) {
            (Some(email), Some(kind)) if errors.is_empty() => {
                Ok(SupporterSignup { email, display_name, kind, support_types, message, on_wall: form.on_wall })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SignupForm<'static> {
        SignupForm {
            email: "hana@example.jp",
            name: "氷見 花子",
            kind: "individual",
            support_types: vec!["share", "money", "share"],
            message: "応援しています\r\n",
            on_wall: true,
            ..SignupForm::default()
        }
    }

    #[test]
    fn a_complete_signup_is_read_in_order_without_repeats() {
        let s = SupporterSignup::parse(&form()).unwrap();
        assert_eq!(s.display_name.as_deref(), Some("氷見 花子"));
        assert_eq!(s.support_types, [SupportType::Money, SupportType::Share]);
        assert_eq!(s.message, "応援しています");
        assert!(s.on_wall);
    }

    #[test]
    fn anonymous_needs_no_name() {
        let s = SupporterSignup::parse(&SignupForm { name: "", anonymous: true, ..form() }).unwrap();
        assert_eq!(s.display_name, None);
    }

    #[test]
    fn every_problem_is_named_by_field() {
        let bad = SignupForm {
            email: "not-an-address",
            name: "",
            kind: "robot",
            support_types: vec![],
            message: "\u{7}",
            ..SignupForm::default()
        };
        let errors = SupporterSignup::parse(&bad).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "name", "kind", "support_types", "message"]);
        assert_eq!(errors[1].message.key(), "field.support.name.or_anonymous");
        assert_eq!(errors[1].message.keys(), [("reason", "field.name.required")]);
        assert_eq!(errors[3].message.key(), "field.support.types.choose");
    }
}
