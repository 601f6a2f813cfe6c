//! The commons' public ledger: money in and money out by category, and the monthly view the
//! transparency page shows. Entries are never edited: a mistake is corrected by a counter-entry.

use crate::{coded_enum, FieldError, Message};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

coded_enum! {
    /// Where money came from or went. `FeatureOrders` is counted from paid orders and never typed in.
    LedgerCategory, "ledger category" {
        Supporter => "supporter", "支援者からの寄付", "Donations from supporters";
        Grant => "grant", "助成金", "Grants";
        OtherIn => "other_in", "その他収入", "Other income";
        FeatureOrders => "feature_orders", "特集記事の掲載料", "Feature article fees";
        Writing => "writing", "取材・執筆", "Reporting and writing";
        Hosting => "hosting", "サーバー・運用", "Hosting and operations";
        Events => "events", "イベント", "Events";
        OtherOut => "other_out", "その他支出", "Other expenses";
    }
}

coded_enum! {
    Direction, "ledger direction" {
        In => "in", "収入", "Money in";
        Out => "out", "支出", "Money out";
    }
}

impl LedgerCategory {
    pub fn direction(self) -> Direction {
        use LedgerCategory as C;
        match self {
            C::Supporter | C::Grant | C::OtherIn | C::FeatureOrders => Direction::In,
            C::Writing | C::Hosting | C::Events | C::OtherOut => Direction::Out,
        }
    }

    /// Whether an admin may enter it by hand (paid orders are counted by Yui itself).
    pub fn entered_by_hand(self) -> bool {
        self != LedgerCategory::FeatureOrders
    }
}

/// A manual entry as an admin typed it, checked field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntryDraft {
    pub category: LedgerCategory,
    pub description: String,
    pub amount_yen: i64,
    pub occurred_on: NaiveDate,
}

impl LedgerEntryDraft {
    pub fn parse(category: &str, description: &str, amount: &str, occurred_on: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let category = category.parse::<LedgerCategory>().ok().filter(|c| c.entered_by_hand());
        if category.is_none() {
            errors.push(FieldError::new("category", Message::new("field.ledger.category.choose")));
        }
        let description = description.trim();
        if description.is_empty() || description.chars().count() > 200 {
            errors.push(FieldError::new(
                "description",
                Message::new("field.ledger.description.invalid").with("max", 200),
            ));
        }
        let amount = parse_yen(amount).filter(|a| *a > 0);
        if amount.is_none() {
            errors.push(FieldError::new("amount_yen", Message::new("field.ledger.amount.invalid")));
        }
        let date = NaiveDate::parse_from_str(occurred_on.trim(), "%Y-%m-%d").ok();
        if date.is_none() {
            errors.push(FieldError::new("occurred_on", Message::new("field.date.invalid")));
        }
        match (category, amount, date) {
            (Some(category), Some(amount_yen), Some(occurred_on)) if errors.is_empty() => {
                Ok(LedgerEntryDraft { category, description: description.to_owned(), amount_yen, occurred_on })
            }
            _ => Err(errors),
        }
    }
}

/// Whole yen as people type them: `150000`, `150,000`, `１５００００`, `¥150,000`, `150000円`.
pub fn parse_yen(s: &str) -> Option<i64> {
    let digits: String = s
        .trim()
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches('円')
        .chars()
        .filter(|c| !matches!(c, ',' | '，'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// One amount on one day in one category; `count` is how many entries or orders it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerItem {
    pub on: NaiveDate,
    pub category: LedgerCategory,
    pub amount_yen: i64,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTotal {
    pub category: LedgerCategory,
    pub amount_yen: i64,
    pub count: i64,
}

/// A calendar month of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerMonth {
    pub year: i32,
    pub month: u32,
    /// By category, in the order of [`LedgerCategory::ALL`]; categories without money left out.
    pub money_in: Vec<CategoryTotal>,
    pub money_out: Vec<CategoryTotal>,
    pub total_in: i64,
    pub total_out: i64,
    /// Everything in minus everything out, from the first month up to the end of this one.
    pub running_total: i64,
}

/// The months that have money in them, newest first, with the running total carried from the
/// oldest.
pub fn by_month(items: &[LedgerItem]) -> Vec<LedgerMonth> {
    let mut months: BTreeMap<(i32, u32), BTreeMap<usize, (i64, i64)>> = BTreeMap::new();
    for item in items {
        let index = LedgerCategory::ALL.iter().position(|c| *c == item.category).unwrap_or(0);
        let slot = months.entry((item.on.year(), item.on.month())).or_default().entry(index).or_default();
        slot.0 = slot.0.saturating_add(item.amount_yen);
        slot.1 += item.count;
    }
    let mut running = 0i64;
    let mut out: Vec<LedgerMonth> = months
        .into_iter()
        .map(|((year, month), cats)| {
            let (mut money_in, mut money_out) = (Vec::new(), Vec::new());
            for (index, (amount_yen, count)) in cats {
                let category = LedgerCategory::ALL[index];
                let total = CategoryTotal { category, amount_yen, count };
                match category.direction() {
                    Direction::In => money_in.push(total),
                    Direction::Out => money_out.push(total),
                }
            }
            let total_in = money_in.iter().map(|c| c.amount_yen).fold(0i64, i64::saturating_add);
            let total_out = money_out.iter().map(|c| c.amount_yen).fold(0i64, i64::saturating_add);
            running = running.saturating_add(total_in).saturating_sub(total_out);
            LedgerMonth { year, month, money_in, money_out, total_in, total_out, running_total: running }
        })
        .collect();
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use LedgerCategory as C;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn drafts_are_parsed_field_by_field() {
        let d = LedgerEntryDraft::parse("grant", " 市の助成金 ", "１５０,０００円", "2026-11-02").unwrap();
        assert_eq!((d.category, d.description.as_str(), d.amount_yen), (C::Grant, "市の助成金", 150_000));
        let fields = |e: Vec<FieldError>| e.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(
            fields(LedgerEntryDraft::parse("feature_orders", "", "0", "2026-13-01").unwrap_err()),
            ["category", "description", "amount_yen", "occurred_on"]
        );
        assert!(LedgerEntryDraft::parse("hosting", "VPS", "-5", "2026-11-01").is_err());
        assert!(LedgerEntryDraft::parse("hosting", "VPS", "1.5", "2026-11-01").is_err());
    }

    #[test]
    fn months_are_newest_first_with_a_running_total() {
        let items = [
            LedgerItem { on: day(2026, 10, 3), category: C::Grant, amount_yen: 100_000, count: 1 },
            LedgerItem { on: day(2026, 10, 9), category: C::Hosting, amount_yen: 30_000, count: 1 },
            LedgerItem { on: day(2026, 11, 1), category: C::FeatureOrders, amount_yen: 165_000, count: 1 },
            LedgerItem { on: day(2026, 11, 20), category: C::Supporter, amount_yen: 5_000, count: 1 },
            LedgerItem { on: day(2026, 11, 21), category: C::Supporter, amount_yen: 3_000, count: 1 },
            LedgerItem { on: day(2026, 11, 22), category: C::Writing, amount_yen: 50_000, count: 1 },
        ];
        let months = by_month(&items);
        assert_eq!(months.len(), 2);
        let nov = &months[0];
        assert_eq!((nov.year, nov.month, nov.total_in, nov.total_out), (2026, 11, 173_000, 50_000));
        assert_eq!(nov.money_in[0], CategoryTotal { category: C::Supporter, amount_yen: 8_000, count: 2 });
        assert_eq!(nov.money_in[1].category, C::FeatureOrders);
        assert_eq!(months[1].running_total, 70_000);
        assert_eq!(nov.running_total, 70_000 + 123_000);
    }
}
