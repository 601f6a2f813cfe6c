//! Supporters of the commons and what they sign up with. Supporting never buys anything: no
//! field here reaches the review queue.

use crate::{coded_enum, parse_sender_name, EmailAddress, FieldError};

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
        let mut fail = |field: &'static str, message: String| errors.push(FieldError { field, message });
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
                    fail("name", format!("{m}（匿名を選ぶこともできます）"));
                    None
                }
            }
        };
        let kind = form.kind.parse::<SupporterKind>().ok();
        if kind.is_none() {
            fail("kind", "個人・事業者・団体のいずれかを選んでください".into());
        }
        let chosen: Result<Vec<SupportType>, _> = form.support_types.iter().map(|c| c.parse::<SupportType>()).collect();
        let support_types: Vec<SupportType> = match chosen {
            Err(_) => {
                fail("support_types", "応援の方法の選択に誤りがあります".into());
                Vec::new()
            }
            Ok(chosen) if chosen.is_empty() => {
                fail("support_types", "応援の方法を1つ以上選んでください".into());
                Vec::new()
            }
            Ok(chosen) => SupportType::ALL.iter().copied().filter(|t| chosen.contains(t)).collect(),
        };
        let message = form.message.replace("\r\n", "\n").trim().to_owned();
        if message.chars().count() > MESSAGE_MAX_CHARS {
            fail("message", format!("メッセージは{MESSAGE_MAX_CHARS}文字以内で入力してください"));
        } else if message.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            fail("message", "メッセージに使えない文字（制御文字）が含まれています".into());
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
        assert!(errors.iter().all(|e| !e.message.is_empty()));
    }
}
