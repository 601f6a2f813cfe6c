//! The conditions people filter on (寮・社宅あり, マイカー通勤可, 移住歓迎…): a closed, coded list,
//! so `/jobs?cond=dorm`, the API, saved searches and the forms all speak the same codes.
//!
//! Beyond the seven the issue names, three come from what people moving to a small town ask
//! (the context articles on 副業・兼業 and working "in gradations"): 副業OK (a job that allows
//! another), 週3日から (a foothold while settling in) and 資格取得支援 (a trade learnt on the job).

use crate::{coded_enum, Message};

coded_enum! {
    /// One condition a posting offers. The codes are stable: URLs, the API and the database hold them.
    Condition, "condition" {
        Dorm => "dorm", "寮・社宅あり", "Dormitory or company housing";
        HousingAllowance => "housing", "住宅手当あり", "Housing allowance";
        Car => "car", "マイカー通勤可", "Commuting by car allowed";
        Parking => "parking", "駐車場あり", "Parking available";
        NoExperience => "beginner", "未経験歓迎", "No experience needed";
        Relocation => "relocation", "移住歓迎", "Newcomers to the town welcome";
        Childcare => "childcare", "子育て配慮（急な休みに対応など）", "Family-friendly (time off when a child is ill)";
        SideJob => "side_job", "副業OK", "Side jobs allowed";
        FewDays => "few_days", "週3日から", "From 3 days a week";
        Licence => "licence", "資格取得支援", "Help to gain qualifications";
    }
}

impl Condition {
    /// The short words on a chip: the label without its parenthesised example.
    pub fn chip(self, lang: &str) -> &'static str {
        let label = self.label(lang);
        label.split(['（', '(']).next().unwrap_or(label).trim_end()
    }

    /// Reads a person's words for a condition, as a form tool sends the chosen answer
    /// (「寮・社宅あり」「社宅あり」「Parking available」) or its code.
    pub fn from_words(words: &str) -> Option<Condition> {
        let w: String = words.trim().nfkc_lower();
        if w.is_empty() {
            return None;
        }
        if let Ok(c) = w.parse::<Condition>() {
            return Some(c);
        }
        Condition::ALL.iter().copied().find(|c| {
            let ja = c.label_ja().nfkc_lower();
            let en = c.label_en().nfkc_lower();
            let chip = c.chip("ja").nfkc_lower();
            w == ja || w == en || w == chip || c.synonyms().iter().any(|s| w == s.nfkc_lower())
        })
    }

    /// Other words people use for the same thing.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Condition::Dorm => &["寮あり", "社宅あり", "寮", "社宅", "住み込み可", "dormitory", "company housing"],
            Condition::HousingAllowance => &["住宅手当", "家賃補助", "家賃補助あり", "housing allowance"],
            Condition::Car => &["マイカー通勤", "車通勤可", "車通勤OK", "マイカー通勤OK", "car commute ok"],
            Condition::Parking => &["駐車場", "駐車場有", "無料駐車場あり", "parking"],
            Condition::NoExperience => &["未経験可", "未経験OK", "経験不問", "no experience"],
            Condition::Relocation => &["移住者歓迎", "UIターン歓迎", "Uターン・Iターン歓迎", "relocation welcome"],
            Condition::Childcare => &["子育て配慮", "子育て中の方歓迎", "子育て支援", "family-friendly"],
            Condition::SideJob => &["副業可", "副業・兼業OK", "兼業可", "side job ok"],
            Condition::FewDays => &["週3日〜", "週3日以上", "週3日からOK", "3 days a week"],
            Condition::Licence => &["資格取得支援あり", "資格取得支援制度", "qualification support"],
        }
    }
}

trait NfkcLower {
    fn nfkc_lower(&self) -> String;
}

impl NfkcLower for str {
    fn nfkc_lower(&self) -> String {
        use unicode_normalization::UnicodeNormalization;
        self.nfkc().flat_map(char::to_lowercase).filter(|c| !c.is_whitespace()).collect()
    }
}

/// The conditions of one posting: no repeats, in the list's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Conditions(Vec<Condition>);

impl Conditions {
    /// Codes from a form or the API: an unknown code is refused (a person chose from a list,
    /// so a code not on it is a mistake or a forged request, not something to keep as text).
    pub fn parse<S: AsRef<str>>(codes: &[S]) -> Result<Self, Message> {
        let mut chosen = Vec::new();
        for code in codes.iter().map(|c| c.as_ref().trim()).filter(|c| !c.is_empty()) {
            let c = code.parse::<Condition>().map_err(|_| Message::new("field.posting.conditions.unknown"))?;
            chosen.push(c);
        }
        Ok(Self::of(chosen))
    }

    /// Stored codes (or a query string's): unknown ones are dropped.
    pub fn lenient<S: AsRef<str>>(codes: &[S]) -> Self {
        Self::of(codes.iter().filter_map(|c| c.as_ref().trim().parse::<Condition>().ok()))
    }

    pub fn of(chosen: impl IntoIterator<Item = Condition>) -> Self {
        let chosen: Vec<Condition> = chosen.into_iter().collect();
        Conditions(Condition::ALL.iter().copied().filter(|c| chosen.contains(c)).collect())
    }

    pub fn as_slice(&self) -> &[Condition] {
        &self.0
    }

    pub fn codes(&self) -> Vec<String> {
        self.0.iter().map(|c| c.code().to_owned()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_in_list_order_without_repeats_and_unknown_ones_are_refused() {
        let c = Conditions::parse(&["car", " dorm", "car", ""]).unwrap();
        assert_eq!(c.as_slice(), [Condition::Dorm, Condition::Car]);
        assert_eq!(Conditions::parse(&["dorm", "pool"]).unwrap_err().key(), "field.posting.conditions.unknown");
        assert_eq!(Conditions::lenient(&["pool", "parking"]).codes(), ["parking"]);
    }

    #[test]
    fn people_s_words_read_as_conditions() {
        assert_eq!(Condition::from_words("寮・社宅あり"), Some(Condition::Dorm));
        assert_eq!(Condition::from_words(" 社宅あり "), Some(Condition::Dorm));
        assert_eq!(Condition::from_words("ＵＩターン歓迎"), Some(Condition::Relocation));
        assert_eq!(Condition::from_words("子育て配慮"), Some(Condition::Childcare));
        assert_eq!(Condition::from_words("Parking available"), Some(Condition::Parking));
        assert_eq!(Condition::from_words("side_job"), Some(Condition::SideJob));
        assert_eq!(Condition::from_words("プールあり"), None);
    }

    #[test]
    fn chips_leave_the_example_out() {
        assert_eq!(Condition::Childcare.chip("ja"), "子育て配慮");
        assert_eq!(Condition::Childcare.chip("en"), "Family-friendly");
        assert_eq!(Condition::Dorm.chip("ja"), "寮・社宅あり");
    }
}
