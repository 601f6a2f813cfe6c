//! Answers as people type them, read into domain values: 「パート」, 「時給1,000円〜1,200円」,
//! 「令和8年3月31日」, 「富山県氷見市中央町1-1」. Every reader returns `None` for what it
//! cannot read with confidence, so the caller keeps the original text instead of guessing.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;
use yui_domain::{ContractKind, EmploymentType, RemoteMode, Renewal, Salary, SalaryUnit, Yen};

/// NFKC (full-width digits and letters become ASCII, 「（」 becomes 「(」), trimmed.
pub fn normalize(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_owned()
}

/// A question label as a lookup key: normalised, lower-cased, without 「*」「※」「:」
/// decorations. 「給与（下限）*」 → 「給与(下限)」.
pub fn label_key(label: &str) -> String {
    trim_decorations(&normalize(label)).to_lowercase()
}

/// The part of a label before any parenthesis, for labels that carry a hint:
/// 「求人タイトル（30文字以内）」 → 「求人タイトル」.
pub fn label_stem(label: &str) -> String {
    let s = normalize(label);
    trim_decorations(s.split(['(', '[', '【']).next().unwrap_or("")).to_lowercase()
}

fn trim_decorations(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '※' | ':' | '：' | '・' | '-'))
}

/// A configured list of choices (job categories, districts) read from what people type: each
/// choice is known by its code, its Japanese and English labels and any synonyms, compared
/// after NFKC and case folding, so 「ＦＯＯＤ」, 「Food & lodging」 and 「飲食」 all find `food`.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    by_key: std::collections::HashMap<String, String>,
}

impl Choices {
    /// The key a typed value is looked up by: NFKC, lower-cased, inner spaces dropped.
    pub fn key(s: &str) -> String {
        normalize(s).to_lowercase().chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// `names` are the code, labels and synonyms; `stored` is what a posting keeps. A name
    /// already taken by another choice is returned, so a setting cannot make one word mean two.
    pub fn add<S: AsRef<str>>(&mut self, stored: &str, names: &[S]) -> Result<(), String> {
        for name in names {
            let key = Self::key(name.as_ref());
            if key.is_empty() {
                continue;
            }
            match self.by_key.get(&key) {
                Some(other) if other != stored => return Err(name.as_ref().to_owned()),
                _ => {
                    self.by_key.insert(key, stored.to_owned());
                }
            }
        }
        Ok(())
    }

    /// The stored value `typed` stands for, if it names a choice.
    pub fn find(&self, typed: &str) -> Option<&str> {
        self.by_key.get(&Self::key(typed)).map(String::as_str)
    }
}

/// 「正社員」「パート」「Full-time」「副業OK」: the first kind whose words the answer contains.
pub fn employment_type(s: &str) -> Option<EmploymentType> {
    let s = normalize(s).to_lowercase();
    if let Ok(code) = s.parse::<EmploymentType>() {
        return Some(code);
    }
    const WORDS: &[(EmploymentType, &[&str])] = &[
        (EmploymentType::SideJob, &["副業", "兼業", "side job", "side-job", "sidejob"]),
        (EmploymentType::FullTime, &["正社員", "正職員", "full-time", "full time", "fulltime", "permanent"]),
        (EmploymentType::Contract, &["契約社員", "契約職員", "嘱託", "派遣", "contract"]),
        (EmploymentType::PartTime, &["パート", "アルバイト", "バイト", "part-time", "part time", "parttime"]),
        (EmploymentType::Outsourcing, &["業務委託", "委託", "フリーランス", "請負", "freelance", "outsourcing"]),
        (EmploymentType::Internship, &["インターン", "intern"]),
        (EmploymentType::Volunteer, &["ボランティア", "プロボノ", "volunteer", "pro bono", "pro-bono"]),
        (EmploymentType::Other, &["その他", "other"]),
    ];
    WORDS.iter().find(|(_, words)| words.iter().any(|w| s.contains(w))).map(|(t, _)| *t)
}

/// 「フルリモート」「一部リモート」「出勤」, or the codes.
pub fn remote_mode(s: &str) -> Option<RemoteMode> {
    let s = normalize(s).to_lowercase();
    if let Ok(code) = s.parse::<RemoteMode>() {
        return Some(code);
    }
    if ["一部", "併用", "ハイブリッド", "hybrid", "週"].iter().any(|w| s.contains(w))
        && (s.contains("リモート") || s.contains("在宅") || s.contains("hybrid") || s.contains("テレワーク"))
    {
        Some(RemoteMode::Hybrid)
    } else if ["リモート", "在宅", "テレワーク", "remote"].iter().any(|w| s.contains(w))
        && !["不可", "なし", "無し", "no "].iter().any(|w| s.contains(w))
    {
        Some(RemoteMode::Remote)
    } else if ["出勤", "出社", "現地", "通勤", "on site", "onsite", "on-site", "不可", "なし"]
        .iter()
        .any(|w| s.contains(w))
    {
        Some(RemoteMode::Onsite)
    } else {
        None
    }
}

/// 「あり」「有」「はい」「yes」 or 「なし」「無し」「いいえ」「no」, or the codes (`yes`, `no`);
/// 「なし（月平均0時間）」 reads as no. Anything else is not guessed.
pub fn yes_no(s: &str) -> Option<bool> {
    let s = normalize(s).to_lowercase();
    let starts = |words: &[&str]| words.iter().any(|w| s.starts_with(w));
    if yui_domain::says_none(&s) || starts(&["なし", "無し", "無", "いいえ", "ない", "no", "false", "not "]) {
        Some(false)
    } else if starts(&["あり", "有り", "有", "ある", "はい", "yes", "true", "○", "◯"]) {
        Some(true)
    } else {
        None
    }
}

/// 「期間の定めなし」「無期雇用」 or 「期間の定めあり（1年）」「有期」, or the codes.
pub fn contract_kind(s: &str) -> Option<ContractKind> {
    let s = normalize(s).to_lowercase();
    if let Ok(code) = s.parse::<ContractKind>() {
        return Some(code);
    }
    if ["無期", "定めなし", "定め無し", "定めのない", "indefinite", "no fixed", "permanent", "open-ended"]
        .iter()
        .any(|w| s.contains(w))
        || yes_no(&s) == Some(false)
    {
        Some(ContractKind::Indefinite)
    } else if ["有期", "定めあり", "定め有り", "定めのある", "fixed"].iter().any(|w| s.contains(w))
        || yes_no(&s) == Some(true)
    {
        Some(ContractKind::Fixed)
    } else {
        None
    }
}

/// 「自動更新」, 「更新する場合あり」「契約の更新の可能性あり」, 「更新しない」「更新なし」, or
/// the codes.
pub fn renewal(s: &str) -> Option<Renewal> {
    let s = normalize(s).to_lowercase();
    if let Ok(code) = s.parse::<Renewal>() {
        return Some(code);
    }
    if ["自動", "automatic"].iter().any(|w| s.contains(w)) {
        Some(Renewal::Automatic)
    } else if ["しない", "なし", "無し", "不可", "not renewed", "no renewal", "never"].iter().any(|w| s.contains(w))
        || s == "no"
    {
        Some(Renewal::Never)
    } else if ["場合", "可能性", "あり", "有り", "する", "may", "possible", "renewable"].iter().any(|w| s.contains(w))
        || s == "yes"
    {
        Some(Renewal::Possible)
    } else {
        None
    }
}

/// 「月平均10時間」「20時間」「１５」: the first whole number in the text.
pub fn count(s: &str) -> Option<i64> {
    let s = normalize(s);
    let digits: String = s.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// 「時給」「月給」「hour」…, as found anywhere in the text.
pub fn salary_unit(s: &str) -> Option<SalaryUnit> {
    let s = normalize(s).to_lowercase();
    if let Ok(code) = s.parse::<SalaryUnit>() {
        return Some(code);
    }
    const WORDS: &[(SalaryUnit, &[&str])] = &[
        (SalaryUnit::Hour, &["時給", "時間給", "/時", "per hour", "hourly"]),
        (SalaryUnit::Day, &["日給", "日額", "日当", "/日", "per day", "daily"]),
        (SalaryUnit::Month, &["月給", "月額", "月収", "/月", "per month", "monthly"]),
        (SalaryUnit::Year, &["年収", "年俸", "年給", "/年", "per year", "yearly", "annual"]),
        (SalaryUnit::Project, &["報酬", "謝礼", "案件", "1件", "一件", "per project"]),
    ];
    WORDS.iter().find(|(_, words)| words.iter().any(|w| s.contains(w))).map(|(u, _)| *u)
}

/// 「1,000円」「20万円」「20万」「3.5万」「２５００」 → yen. The first amount in the text.
pub fn yen(s: &str) -> Option<i64> {
    amounts(&normalize(s)).first().map(|a| a.yen)
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Amount {
    yen: i64,
    /// Where the amount's text starts and ends, in bytes of the normalised string.
    start: usize,
    end: usize,
}

/// Every amount in already-normalised text: digits with thousands commas, an optional decimal
/// part, an optional 万 or 千 multiplier.
fn amounts(s: &str) -> Vec<Amount> {
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (start, c) = bytes[i];
        if !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        let mut j = i;
        while j < bytes.len() {
            let (_, c) = bytes[j];
            let next_is_digit = bytes.get(j + 1).is_some_and(|(_, n)| n.is_ascii_digit());
            if c.is_ascii_digit() || (c == '.' && next_is_digit) {
                digits.push(c);
            } else if c != ',' || !next_is_digit {
                break;
            }
            j += 1;
        }
        let multiplier = match bytes.get(j).map(|(_, c)| *c) {
            Some('万') => 10_000.0,
            Some('千') => 1_000.0,
            _ => 1.0,
        };
        if multiplier > 1.0 {
            j += 1;
        }
        let end = bytes.get(j).map_or(s.len(), |(at, _)| *at);
        if let Ok(n) = digits.parse::<f64>() {
            let value = (n * multiplier).round();
            if value.is_finite() && (0.0..=1e12).contains(&value) {
                out.push(Amount { yen: value as i64, start, end });
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// A pay answer that starts with a minus (「-5000円」「−1,000」「マイナス5万」): never a wage.
/// A minus between two amounts is a range mark (「1000-1200」) and is not this.
pub fn is_negative_amount(s: &str) -> bool {
    let s = normalize(s);
    let s = s.trim_start_matches(|c: char| !c.is_ascii_digit() && !matches!(c, '-' | '−' | '▲' | 'マ'));
    ["-", "−", "▲", "マイナス"].iter().any(|minus| {
        s.strip_prefix(minus).is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The most a wage in `unit` can plausibly be: above it, an amount is a typing slip (an extra
/// zero, a phone number in the pay field), not an offer.
pub fn plausible_pay_ceiling(unit: SalaryUnit) -> i64 {
    match unit {
        SalaryUnit::Hour => 100_000,
        SalaryUnit::Day => 1_000_000,
        SalaryUnit::Month => 10_000_000,
        SalaryUnit::Year | SalaryUnit::Project => 100_000_000,
    }
}

/// 「時給1,000円〜1,200円」「月給20万円」「年収300万〜500万円」「日給8,000円以上」. A lone
/// amount is exact unless 「〜」「以上」 makes it a floor or 「まで」「以下」 a ceiling. The unit
/// may come from `unit_hint` (a separate question) when the text has none.
pub fn salary(s: &str, unit_hint: Option<SalaryUnit>) -> Option<Salary> {
    let s = normalize(s);
    let unit = salary_unit(&s).or(unit_hint)?;
    let found = amounts(&s);
    let is_range_mark = |c: char| matches!(c, '~' | '〜' | '～' | '-' | '−' | 'ー' | '–' | '—');
    let (min, max) = match found.as_slice() {
        [one] => {
            let before = s[..one.start].trim_end();
            let after = s[one.end..].trim_start().trim_start_matches('円').trim_start();
            if before.ends_with(is_range_mark) || after.starts_with("まで") || after.starts_with("以下") {
                (None, Some(one.yen))
            } else if after.starts_with(is_range_mark) || after.starts_with("以上") || after.starts_with("から") {
                (Some(one.yen), None)
            } else {
                (Some(one.yen), Some(one.yen))
            }
        }
        [lo, hi] => {
            let between = &s[lo.end..hi.start];
            if !between.contains(is_range_mark) && !between.contains("から") {
                return None;
            }
            // 「20〜25万円」: the multiplier written once applies to both ends.
            let lo_yen = if lo.yen < 10_000 && hi.yen >= 10_000 && s[hi.start..hi.end].ends_with('万') {
                lo.yen * 10_000
            } else {
                lo.yen
            };
            (Some(lo_yen), Some(hi.yen))
        }
        _ => return None,
    };
    Salary::new(min.and_then(Yen::new), max.and_then(Yen::new), unit).ok()
}

/// 「2026-03-31」「2026/3/31」「2026年3月31日」「令和8年3月31日」「R8.3.31」, and ISO timestamps.
pub fn date(s: &str) -> Option<NaiveDate> {
    let s = normalize(s);
    let (era_offset, rest) = if let Some(rest) = s.strip_prefix("令和") {
        (Some(2018), rest)
    } else if let Some(rest) = s.strip_prefix('R').or_else(|| s.strip_prefix('r')) {
        (Some(2018), rest)
    } else {
        (None, s.as_str())
    };
    let rest = rest.replace("元年", "1年");
    let numbers: Vec<i64> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .map(|p| p.parse::<i64>().unwrap_or(-1))
        .collect();
    let [y, m, d] = numbers.as_slice() else {
        return None;
    };
    let year = match era_offset {
        Some(offset) if (1..100).contains(y) => y + offset,
        Some(_) => return None,
        None if (1900..=2200).contains(y) => *y,
        None => return None,
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, u32::try_from(*m).ok()?, u32::try_from(*d).ok()?)
}

/// A place as typed: 「富山県氷見市中央町1-1」 → 富山県 / 氷見市 / 中央町1-1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub prefecture: Option<String>,
    pub municipality: Option<String>,
    pub rest: Option<String>,
}

pub fn place(s: &str) -> Place {
    let s = normalize(s);
    let mut rest = s.as_str();
    let mut prefecture = None;
    // 「北海道」「東京都」 and 「〇〇県/府」 at the start, no longer than the longest name (神奈川県).
    if let Some(name) = ["北海道", "東京都"].into_iter().find(|name| rest.starts_with(name)) {
        prefecture = Some(name.to_owned());
        rest = &rest[name.len()..];
    } else if let Some((i, c)) = rest.char_indices().take(4).find(|(_, c)| matches!(c, '県' | '府')) {
        let end = i + c.len_utf8();
        if i > 0 {
            prefecture = Some(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    let mut municipality = None;
    // 「氷見市」「射水郡〇〇町」「〇〇村」: up to the first 市, or 町/村 after a 郡.
    if let Some((i, c)) = rest.char_indices().take(8).find(|(_, c)| *c == '市') {
        let end = i + c.len_utf8();
        municipality = Some(rest[..end].to_owned());
        rest = &rest[end..];
    } else if let Some(gun) = rest.find('郡') {
        if let Some((i, c)) = rest[gun..].char_indices().find(|(_, c)| matches!(c, '町' | '村')) {
            let end = gun + i + c.len_utf8();
            municipality = Some(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    let rest = rest.trim();
    Place { prefecture, municipality, rest: (!rest.is_empty()).then(|| rest.to_owned()) }
}

/// A project's on-site visits: 「現地訪問なし」「完全リモート」, 「期間中に数回」, 「月1回程度」,
/// 「週1回以上」, or the codes.
pub fn visits(s: &str) -> Option<yui_domain::project::Visits> {
    use yui_domain::project::Visits;
    let s = normalize(s).to_lowercase();
    if let Ok(code) = s.parse::<Visits>() {
        return Some(code);
    }
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&["週", "week"]) {
        Some(Visits::Weekly)
    } else if has(&["月", "month"]) {
        Some(Visits::Monthly)
    } else if has(&["数回", "何回", "few", "回"]) {
        Some(Visits::Few)
    } else if has(&["完全リモート", "フルリモート", "no visit"]) || yes_no(&s) == Some(false) {
        Some(Visits::Never)
    } else {
        None
    }
}

/// Travel paid to the site: 「交通費・宿泊費を支給」「全額」, 「一部支給」「上限あり」, 「なし」, or the codes.
pub fn travel_support(s: &str) -> Option<yui_domain::project::TravelSupport> {
    use yui_domain::project::TravelSupport;
    let s = normalize(s).to_lowercase();
    if let Ok(code) = s.parse::<TravelSupport>() {
        return Some(code);
    }
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&["一部", "上限", "partly", "partial"]) {
        Some(TravelSupport::Partial)
    } else if yes_no(&s) == Some(false) || has(&["支給なし", "自己負担", "not paid"]) {
        Some(TravelSupport::NotPaid)
    } else if has(&["全額", "支給", "負担します", "paid"]) || yes_no(&s) == Some(true) {
        Some(TravelSupport::Full)
    } else {
        None
    }
}

/// How the work is rewarded: 「有償」「謝礼あり」, 「成果報酬」, 「無償」「プロボノ」, or the codes.
pub fn reward(s: &str) -> Option<yui_domain::project::Reward> {
    use yui_domain::project::Reward;
    let s = normalize(s).to_lowercase();
    if let Ok(code) = s.parse::<Reward>() {
        return Some(code);
    }
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&["成果", "success"]) {
        Some(Reward::SuccessFee)
    } else if has(&["無償", "無報酬", "プロボノ", "ボランティア", "unpaid", "pro bono"]) {
        Some(Reward::Unpaid)
    } else if has(&["有償", "有給", "謝礼", "報酬あり", "paid"]) {
        Some(Reward::Paid)
    } else {
        None
    }
}

/// The share of remote work in percent: 「80%」, 「8割」, 「フルリモート」 (100), 「なし」 (0).
pub fn remote_share(s: &str) -> Option<i64> {
    let n = normalize(s).to_lowercase();
    if ["完全リモート", "フルリモート", "full remote", "fully remote"].iter().any(|w| n.contains(w)) {
        return Some(100);
    }
    match count(&n) {
        Some(k) if n.contains('割') => Some(k * 10),
        Some(k) => Some(k),
        None if yes_no(&n) == Some(false) => Some(0),
        None => None,
    }
}

/// A duration in months: 「3か月」「3ヶ月」, 「1年」 (12), 「半年」 (6).
pub fn months(s: &str) -> Option<i64> {
    let n = normalize(s);
    if n.contains("半年") {
        return Some(6);
    }
    let k = count(&n)?;
    Some(if n.contains('年') && !n.contains('月') { k * 12 } else { k })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn labels_lose_their_decorations() {
        assert_eq!(label_stem("求人タイトル（30文字以内）*"), "求人タイトル");
        assert_eq!(label_key("給与（下限）*"), "給与(下限)");
        assert_eq!(label_key(" メールアドレス："), "メールアドレス");
        assert_eq!(label_stem("Job Title (required)"), "job title");
        assert_eq!(label_stem("【必須】"), "");
    }

    #[test]
    fn employment_types_from_everyday_words() {
        use EmploymentType::*;
        let cases = [
            ("正社員", FullTime),
            ("パート・アルバイト", PartTime),
            ("アルバイト", PartTime),
            ("ﾊﾟｰﾄ", PartTime),
            ("契約社員（1年更新）", Contract),
            ("副業・兼業", SideJob),
            ("副業OK（業務委託）", SideJob),
            ("業務委託", Outsourcing),
            ("フリーランス", Outsourcing),
            ("Full-time", FullTime),
            ("part time", PartTime),
            ("pro bono", Volunteer),
            ("ボランティア・プロボノ", Volunteer),
            ("インターンシップ", Internship),
            ("full_time", FullTime),
        ];
        for (text, want) in cases {
            assert_eq!(employment_type(text), Some(want), "{text}");
        }
        assert_eq!(employment_type("社長"), None);
    }

    #[test]
    fn remote_modes() {
        assert_eq!(remote_mode("フルリモート"), Some(RemoteMode::Remote));
        assert_eq!(remote_mode("一部リモート可"), Some(RemoteMode::Hybrid));
        assert_eq!(remote_mode("リモート不可"), Some(RemoteMode::Onsite));
        assert_eq!(remote_mode("出勤"), Some(RemoteMode::Onsite));
        assert_eq!(remote_mode("hybrid"), Some(RemoteMode::Hybrid));
        assert_eq!(remote_mode("わからない"), None);
    }

    fn ja(s: &str) -> Option<String> {
        salary(s, None).map(|s| s.to_japanese())
    }

    #[test]
    fn salaries_as_job_ads_write_them() {
        assert_eq!(ja("時給1,000円〜1,200円").as_deref(), Some("時給 1,000円〜1,200円"));
        assert_eq!(ja("時給 １０５０円～").as_deref(), Some("時給 1,050円〜"));
        assert_eq!(ja("月給20万円").as_deref(), Some("月給 20万円"));
        assert_eq!(ja("月給20〜25万円").as_deref(), Some("月給 20万円〜25万円"));
        assert_eq!(ja("年収300万円〜500万円").as_deref(), Some("年収 300万円〜500万円"));
        assert_eq!(ja("日給8,000円以上").as_deref(), Some("日給 8,000円〜"));
        assert_eq!(ja("報酬 5万円まで").as_deref(), Some("報酬（案件） 〜5万円"));
        assert_eq!(ja("月給 18.5万円").as_deref(), Some("月給 185,000円"));
        assert_eq!(salary("1,000円", Some(SalaryUnit::Hour)).map(|s| s.to_japanese()).as_deref(), Some("時給 1,000円"));
    }

    #[test]
    fn unreadable_salaries_are_not_guessed() {
        assert_eq!(ja("応相談"), None);
        assert_eq!(ja("1,000円"), None, "no unit");
        assert_eq!(ja("時給1,200円〜1,000円"), None, "minimum above maximum");
        assert_eq!(ja("時給1000円、交通費500円、賞与2回"), None, "three amounts");
    }

    #[test]
    fn yen_amounts() {
        assert_eq!(yen("20万"), Some(200_000));
        assert_eq!(yen("１，２００円"), Some(1200));
        assert_eq!(yen("3.5万円"), Some(35_000));
        assert_eq!(yen("なし"), None);
    }

    #[test]
    fn dates_in_japanese_and_iso_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31);
        for s in ["2026-03-31", "2026/3/31", "2026年3月31日", "２０２６年３月３１日", "令和8年3月31日", "R8.3.31"]
        {
            assert_eq!(date(s), d, "{s}");
        }
        assert_eq!(date("2026-03-31T09:00:00.000Z"), d);
        assert_eq!(date("令和元年5月1日"), NaiveDate::from_ymd_opt(2019, 5, 1));
        assert_eq!(date("2026-02-30"), None);
        assert_eq!(date("来年の春"), None);
        assert_eq!(date("3/31"), None);
    }

    #[test]
    fn places_split_into_prefecture_municipality_and_the_rest() {
        let p = place("富山県氷見市中央町1-1");
        assert_eq!(p.prefecture.as_deref(), Some("富山県"));
        assert_eq!(p.municipality.as_deref(), Some("氷見市"));
        assert_eq!(p.rest.as_deref(), Some("中央町1-1"));
        let p = place("氷見市");
        assert_eq!((p.prefecture, p.municipality.as_deref(), p.rest), (None, Some("氷見市"), None));
        let p = place("神奈川県足柄下郡箱根町湯本");
        assert_eq!(p.municipality.as_deref(), Some("足柄下郡箱根町"));
        assert_eq!(place("北海道札幌市").prefecture.as_deref(), Some("北海道"));
        assert_eq!(place("京都府京都市左京区").prefecture.as_deref(), Some("京都府"));
        assert_eq!(place("東京都府中市").municipality.as_deref(), Some("府中市"));
        assert_eq!(place("漁港の近く"), Place { rest: Some("漁港の近く".into()), ..Place::default() });
    }

    #[test]
    fn choices_are_found_by_code_label_or_synonym_in_any_width_and_case() {
        let mut c = Choices::default();
        c.add("food", &["food", "飲食・宿泊", "Food & lodging", "飲食"]).unwrap();
        c.add("care", &["care", "介護・福祉", "Care & welfare", "介護"]).unwrap();
        for typed in ["food", "ＦＯＯＤ", " Food  &  Lodging ", "飲食・宿泊", "飲食"] {
            assert_eq!(c.find(typed), Some("food"), "{typed}");
        }
        assert_eq!(c.find("介護・福祉"), Some("care"));
        assert_eq!(c.find("漁師"), None);
        assert_eq!(c.find(""), None);
        assert_eq!(c.add("it", &["介護"]), Err("介護".to_owned()), "one word cannot mean two choices");
    }

    #[test]
    fn working_terms_read_from_peoples_words() {
        for (typed, want) in [("あり", Some(true)), ("有", Some(true)), ("はい", Some(true)), ("Yes", Some(true))]
        {
            assert_eq!(yes_no(typed), want, "{typed}");
        }
        for typed in ["なし", "無し", "いいえ", "No", "なし（月平均0時間）", "no"] {
            assert_eq!(yes_no(typed), Some(false), "{typed}");
        }
        assert_eq!(yes_no("たまに"), None);
        assert_eq!(contract_kind("期間の定めなし"), Some(ContractKind::Indefinite));
        assert_eq!(contract_kind("無期雇用"), Some(ContractKind::Indefinite));
        assert_eq!(contract_kind("期間の定めあり（1年）"), Some(ContractKind::Fixed));
        assert_eq!(contract_kind("Fixed term"), Some(ContractKind::Fixed));
        assert_eq!(contract_kind("indefinite"), Some(ContractKind::Indefinite));
        assert_eq!(contract_kind("応相談"), None);
        assert_eq!(renewal("自動更新"), Some(Renewal::Automatic));
        assert_eq!(renewal("更新する場合あり"), Some(Renewal::Possible));
        assert_eq!(renewal("契約の更新はしない"), Some(Renewal::Never));
        assert_eq!(renewal("May be renewed"), Some(Renewal::Possible));
        assert_eq!(renewal("none"), Some(Renewal::Never));
        assert_eq!(renewal("?"), None);
        assert_eq!(count("月平均１０時間"), Some(10));
        assert_eq!(count("約20h"), Some(20));
        assert_eq!(count("少し"), None);
    }

    #[test]
    fn project_words_become_numbers_and_codes() {
        use yui_domain::project::{Reward, TravelSupport, Visits};
        assert_eq!(remote_share("8割"), Some(80));
        assert_eq!(remote_share("８０％"), Some(80));
        assert_eq!(remote_share("フルリモート"), Some(100));
        assert_eq!(remote_share("なし"), Some(0));
        assert_eq!(months("3ヶ月"), Some(3));
        assert_eq!(months("半年"), Some(6));
        assert_eq!(months("1年"), Some(12));
        assert_eq!(visits("月1回程度"), Some(Visits::Monthly));
        assert_eq!(visits("期間中に数回"), Some(Visits::Few));
        assert_eq!(visits("完全リモート"), Some(Visits::Never));
        assert_eq!(travel_support("上限1万円まで支給"), Some(TravelSupport::Partial));
        assert_eq!(travel_support("交通費・宿泊費を支給"), Some(TravelSupport::Full));
        assert_eq!(travel_support("なし"), Some(TravelSupport::NotPaid));
        assert_eq!(reward("プロボノ（無償）"), Some(Reward::Unpaid));
        assert_eq!(reward("成果報酬"), Some(Reward::SuccessFee));
        assert_eq!(reward("有償"), Some(Reward::Paid));
        assert_eq!(reward("気持ちで"), None);
    }
}
