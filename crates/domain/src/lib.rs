//! Yui's domain: plain types that make bad states unrepresentable, and the rules between them.
//! Nothing here knows about SQL or HTTP, so every rule is tested in microseconds.

pub mod articles;
pub mod campaigns;
mod conditions;
mod contact;
pub mod disclosure;
mod email;
pub mod employer_face;
mod employment;
pub mod following;
mod ids;
pub mod ledger;
mod message;
pub mod orders;
mod organization;
mod page;
mod posting;
pub mod project;
pub mod redact;
mod review;
mod role;
mod salary;
pub mod search;
pub mod statistics;
mod status;
pub mod succession;
mod supporter;
mod terms;

pub use articles::{ArticleAction, ArticleDraft, ArticleForm, ArticleKind, ArticleStatus, Slug};
pub use conditions::{Condition, Conditions};
pub use contact::{parse_sender_name, ContactMessage};
pub use email::{is_deliverable, EmailAddress};
pub use employment::{EmploymentType, RemoteMode};
pub use ids::PublicId;
pub use message::Message;
pub use orders::{OrderDraft, OrderForm, OrderStatus};
pub use organization::{NewOrganizationDraft, OrgKind, OrgSlug, OrganizationDetails, OrganizationForm};
pub use page::PageNumber;
pub use posting::{end_of_day_utc, renewed_end, FieldError, PostingDraft, PostingInput, Text, RENEWAL_MAX_DAYS_AHEAD};
pub use project::{ProjectFilter, ProjectInput, ProjectTerms};
pub use review::{
    approval_block, event_label, may_change_employer_link, Approval, ApprovalBlock, ChangeReason, RejectReason,
    LEGAL_OVERRIDE,
};
pub use role::StaffRole;
pub use salary::{Salary, SalaryUnit, Yen};
pub use status::{PostingAction, PostingStatus, TransitionError};
pub use succession::{HandoverItem, InquiryStatus, RevenueBand, SuccessionStatus, SuccessionTerm};
pub use supporter::{SignupForm, SupportType, SupporterKind, SupporterSignup};
pub use terms::{says_none, ContractKind, Renewal, TermsInput, WorkingTerms};

/// A value read from storage or a request that is not one of the codes Yui knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code: {code:?}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// Japan has had no daylight saving time since 1951, so a fixed offset is exact.
pub fn tokyo() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// Today in Japan: the day of a ledger entry or an order step, unless one is typed.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&tokyo()).date_naive()
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

/// Declares a closed set of codes with stable machine codes and Japanese/English labels.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($variant:ident => $code:literal, $ja:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable machine code stored in the database and used in URLs.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label_ja(self) -> &'static str {
                match self { $($name::$variant => $ja),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            pub fn label(self, lang: &str) -> &'static str {
                if lang == "en" { self.label_en() } else { self.label_ja() }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)+
                    other => Err($crate::UnknownCode { kind: $kind, code: other.to_owned() }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::UnknownCode;
            fn try_from(s: String) -> Result<Self, Self::Error> { s.parse() }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> &'static str { v.code() }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.code()) }
        }
    };
}
pub(crate) use coded_enum;
