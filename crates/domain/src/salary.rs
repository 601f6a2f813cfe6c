use crate::coded_enum;

/// An amount of money in whole yen. Never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Yen(i64);

impl Yen {
    pub fn new(amount: i64) -> Option<Self> {
        (0..=1_000_000_000_000).contains(&amount).then_some(Yen(amount))
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// 「20万円」 for round man-yen amounts, 「1,050円」 otherwise: the way job ads write it.
    pub fn to_japanese(self) -> String {
        if self.0 >= 10_000 && (self.0 as u64).is_multiple_of(10_000) {
            format!("{}万円", group_thousands(self.0 / 10_000))
        } else {
            format!("{}円", group_thousands(self.0))
        }
    }
}

impl Yen {
    /// "¥220,000": English pages write the whole amount.
    pub fn to_english(self) -> String {
        format!("¥{}", group_thousands(self.0))
    }
}

fn group_thousands(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

coded_enum! {
    /// What a salary amount is paid per.
    SalaryUnit, "salary unit" {
        Hour => "hour", "時給", "per hour";
        Day => "day", "日給", "per day";
        Month => "month", "月給", "per month";
        Year => "year", "年収", "per year";
        Project => "project", "報酬（案件）", "per project";
    }
}

/// A pay range: at least one bound, and never a minimum above the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Salary {
    min: Option<Yen>,
    max: Option<Yen>,
    unit: SalaryUnit,
}

impl Salary {
    pub fn new(min: Option<Yen>, max: Option<Yen>, unit: SalaryUnit) -> Result<Self, crate::Message> {
        match (min, max) {
            (None, None) => Err(crate::Message::new("field.salary.amount.required")),
            (Some(lo), Some(hi)) if lo > hi => Err(crate::Message::new("field.salary.min_above_max")),
            _ => Ok(Salary { min, max, unit }),
        }
    }

    pub fn min(&self) -> Option<Yen> {
        self.min
    }
    pub fn max(&self) -> Option<Yen> {
        self.max
    }
    pub fn unit(&self) -> SalaryUnit {
        self.unit
    }

    /// 「時給 1,000円〜1,200円」, 「月給 20万円〜」, 「報酬（案件） 〜10万円」.
    pub fn to_japanese(&self) -> String {
        let unit = self.unit.label_ja();
        match (self.min, self.max) {
            (Some(lo), Some(hi)) if lo == hi => format!("{unit} {}", lo.to_japanese()),
            (Some(lo), Some(hi)) => format!("{unit} {}〜{}", lo.to_japanese(), hi.to_japanese()),
            (Some(lo), None) => format!("{unit} {}〜", lo.to_japanese()),
            (None, Some(hi)) => format!("{unit} 〜{}", hi.to_japanese()),
            (None, None) => unit.to_owned(),
        }
    }

    /// "¥1,000–1,200 an hour", "from ¥200,000 a month", "up to ¥100,000 per project".
    pub fn to_english(&self) -> String {
        let per = match self.unit {
            SalaryUnit::Hour => "an hour",
            SalaryUnit::Day => "a day",
            SalaryUnit::Month => "a month",
            SalaryUnit::Year => "a year",
            SalaryUnit::Project => "per project",
        };
        match (self.min, self.max) {
            (Some(lo), Some(hi)) if lo == hi => format!("{} {per}", lo.to_english()),
            (Some(lo), Some(hi)) => format!("{}–{} {per}", lo.to_english(), group_thousands(hi.0)),
            (Some(lo), None) => format!("from {} {per}", lo.to_english()),
            (None, Some(hi)) => format!("up to {} {per}", hi.to_english()),
            (None, None) => self.unit.label_en().to_owned(),
        }
    }

    /// The pay as a reader of `lang` (a language code) reads it.
    pub fn text(&self, lang: &str) -> String {
        if lang == "en" {
            self.to_english()
        } else {
            self.to_japanese()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yen(n: i64) -> Option<Yen> {
        Yen::new(n)
    }

    #[test]
    fn english_rendering() {
        let hourly = Salary::new(yen(1000), yen(1200), SalaryUnit::Hour).unwrap();
        assert_eq!(hourly.to_english(), "¥1,000–1,200 an hour");
        let monthly = Salary::new(yen(220_000), yen(300_000), SalaryUnit::Month).unwrap();
        assert_eq!(monthly.text("en"), "¥220,000–300,000 a month");
        assert_eq!(monthly.text("ja"), "月給 22万円〜30万円");
        let from = Salary::new(yen(200_000), None, SalaryUnit::Month).unwrap();
        assert_eq!(from.to_english(), "from ¥200,000 a month");
        let upto = Salary::new(None, yen(100_000), SalaryUnit::Project).unwrap();
        assert_eq!(upto.to_english(), "up to ¥100,000 per project");
        let yearly = Salary::new(yen(3_500_000), yen(3_500_000), SalaryUnit::Year).unwrap();
        assert_eq!(yearly.to_english(), "¥3,500,000 a year");
    }

    #[test]
    fn japanese_rendering() {
        let hourly = Salary::new(yen(1000), yen(1200), SalaryUnit::Hour).unwrap();
        assert_eq!(hourly.to_japanese(), "時給 1,000円〜1,200円");
        let monthly = Salary::new(yen(200_000), None, SalaryUnit::Month).unwrap();
        assert_eq!(monthly.to_japanese(), "月給 20万円〜");
        let yearly = Salary::new(yen(3_500_000), yen(3_500_000), SalaryUnit::Year).unwrap();
        assert_eq!(yearly.to_japanese(), "年収 350万円");
        let odd = Salary::new(None, yen(12_345_678), SalaryUnit::Project).unwrap();
        assert_eq!(odd.to_japanese(), "報酬（案件） 〜12,345,678円");
    }

    #[test]
    fn impossible_ranges_are_refused() {
        assert_eq!(Salary::new(None, None, SalaryUnit::Hour).unwrap_err().key(), "field.salary.amount.required");
        assert_eq!(
            Salary::new(yen(1200), yen(1000), SalaryUnit::Hour).unwrap_err().key(),
            "field.salary.min_above_max"
        );
        assert_eq!(Yen::new(-1), None);
    }
}
