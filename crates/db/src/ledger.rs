//! The public ledger: entries admins type in (append-only; the table refuses changes) and the
//! paid feature orders, which are counted from `article_orders` rather than copied.

use crate::postings::Actor;
use crate::schema::{article_orders, ledger_entries, staff_users};
use crate::{DbConnection, DbError, DbResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use yui_domain::ledger::{LedgerCategory, LedgerEntryDraft, LedgerItem};
use yui_domain::OrderStatus;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i32,
    pub category: LedgerCategory,
    pub description: String,
    pub amount_yen: i64,
    pub occurred_on: NaiveDate,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, draft: &LedgerEntryDraft, actor: Actor, at: NaiveDateTime) -> DbResult<i32> {
    let staff_id =
        actor.staff_id.ok_or_else(|| DbError::Invalid("a ledger entry is entered by a staff member".into()))?;
    let values = (
        ledger_entries::direction.eq(draft.category.direction().code()),
        ledger_entries::category.eq(draft.category.code()),
        ledger_entries::description.eq(&draft.description),
        ledger_entries::amount_yen.eq(draft.amount_yen),
        ledger_entries::occurred_on.eq(draft.occurred_on),
        ledger_entries::source.eq("manual"),
        ledger_entries::created_by.eq(staff_id),
        ledger_entries::created_at.eq(at),
    );
    Ok(diesel::insert_into(ledger_entries::table).values(values).returning(ledger_entries::id).get_result(conn)?)
}

/// Every entry, newest first, for the admins' page.
pub fn entries(conn: &mut DbConnection) -> DbResult<Vec<Entry>> {
    type Row = (i32, String, String, i64, NaiveDate, String, NaiveDateTime);
    let rows: Vec<Row> = ledger_entries::table
        .inner_join(staff_users::table)
        .select((
            ledger_entries::id,
            ledger_entries::category,
            ledger_entries::description,
            ledger_entries::amount_yen,
            ledger_entries::occurred_on,
            staff_users::display_name,
            ledger_entries::created_at,
        ))
        .order((ledger_entries::occurred_on.desc(), ledger_entries::id.desc()))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, category, description, amount_yen, occurred_on, created_by, created_at)| {
            let category = category.parse().map_err(|e: yui_domain::UnknownCode| DbError::Invalid(e.to_string()))?;
            Ok(Entry { id, category, description, amount_yen, occurred_on, created_by, created_at })
        })
        .collect()
}

/// Everything the public ledger sums: each manual entry, and each paid order (price with tax)
/// on the day it was paid, under 「特集記事の掲載料」.
pub fn items(conn: &mut DbConnection) -> DbResult<Vec<LedgerItem>> {
    let manual: Vec<(String, i64, NaiveDate)> = ledger_entries::table
        .select((ledger_entries::category, ledger_entries::amount_yen, ledger_entries::occurred_on))
        .load(conn)?;
    let paid: Vec<(i64, i64, Option<NaiveDate>)> = article_orders::table
        .filter(article_orders::status.eq(OrderStatus::Paid.code()))
        .select((article_orders::price_yen, article_orders::tax_yen, article_orders::paid_on))
        .load(conn)?;
    let mut items = Vec::with_capacity(manual.len() + paid.len());
    for (category, amount_yen, on) in manual {
        let category = category.parse().map_err(|e: yui_domain::UnknownCode| DbError::Invalid(e.to_string()))?;
        items.push(LedgerItem { on, category, amount_yen, count: 1 });
    }
    for (price, tax, on) in paid {
        // A paid order always has its day (set_status writes it); one without is not counted.
        if let Some(on) = on {
            items.push(LedgerItem {
                on,
                category: LedgerCategory::FeatureOrders,
                amount_yen: price.saturating_add(tax),
                count: 1,
            });
        }
    }
    Ok(items)
}
