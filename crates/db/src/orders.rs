//! The paid orders behind feature articles: quoting, status changes (each logged in the same
//! transaction), linking an order to its article, and the totals the accounts need.

use crate::editorial_log::{self, Step, Subject};
use crate::postings::Actor;
use crate::schema::{article_orders, articles, employers};
use crate::{DbConnection, DbError, DbResult};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::BTreeMap;
use yui_domain::orders::OrderTransitionError;
use yui_domain::{ArticleKind, OrderStatus};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = article_orders)]
pub struct Order {
    pub id: i32,
    pub employer_id: i32,
    pub article_id: Option<i32>,
    pub plan: String,
    pub price_yen: i64,
    pub tax_yen: i64,
    #[diesel(deserialize_as = String)]
    pub status: OrderStatus,
    pub quoted_on: NaiveDate,
    pub ordered_on: Option<NaiveDate>,
    pub invoiced_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    pub cancelled_on: Option<NaiveDate>,
    pub notes: String,
    pub created_by: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Order {
    pub fn total_yen(&self) -> i64 {
        self.price_yen.saturating_add(self.tax_yen)
    }
}

/// An order with the names staff recognise it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderView {
    pub order: Order,
    pub employer_name: String,
    pub article_title: Option<String>,
    pub article_slug: Option<String>,
}

/// Why a change to an order was refused; each is shown next to the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderRefusal {
    NoEmployer,
    /// The article does not exist or is not a feature.
    NotAFeature,
    /// Another order is linked to the article already (one order per feature).
    ArticleTaken,
    Transition(OrderTransitionError),
}

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub employer_id: i32,
    pub plan: String,
    pub price_yen: i64,
    pub tax_yen: i64,
    pub quoted_on: NaiveDate,
    pub notes: String,
    pub article_id: Option<i32>,
}

/// The list's filters: a status, and a calendar month of the quote date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<OrderStatus>,
    pub month: Option<(i32, u32)>,
}

fn month_bounds(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((first, next))
}

type ViewRow = (Order, String, Option<String>, Option<String>);

fn into_view((order, employer_name, article_title, article_slug): ViewRow) -> OrderView {
    OrderView { order, employer_name, article_title, article_slug }
}

/// Newest quotes first.
pub fn list(conn: &mut DbConnection, filter: Filter) -> DbResult<Vec<OrderView>> {
    let mut query = article_orders::table
        .inner_join(employers::table)
        .left_join(articles::table.on(article_orders::article_id.eq(articles::id.nullable())))
        .select((Order::as_select(), employers::name, articles::title.nullable(), articles::slug.nullable()))
        .order((article_orders::quoted_on.desc(), article_orders::id.desc()))
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(article_orders::status.eq(status.code()));
    }
    if let Some((first, next)) = filter.month.and_then(|(y, m)| month_bounds(y, m)) {
        query = query.filter(article_orders::quoted_on.ge(first)).filter(article_orders::quoted_on.lt(next));
    }
    let rows: Vec<ViewRow> = query.load(conn)?;
    Ok(rows.into_iter().map(into_view).collect())
}

pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<OrderView>> {
    let row: Option<ViewRow> = article_orders::table
        .inner_join(employers::table)
        .left_join(articles::table.on(article_orders::article_id.eq(articles::id.nullable())))
        .filter(article_orders::id.eq(id))
        .select((Order::as_select(), employers::name, articles::title.nullable(), articles::slug.nullable()))
        .first(conn)
        .optional()?;
    Ok(row.map(into_view))
}

/// Employers to choose from on the order form, by name.
pub fn employer_choices(conn: &mut DbConnection) -> DbResult<Vec<(i32, String)>> {
    Ok(employers::table
        .select((employers::id, employers::name))
        .order((employers::name.asc(), employers::id.asc()))
        .load(conn)?)
}

/// Feature articles without an order yet (one order per feature), newest first.
pub fn unordered_features(conn: &mut DbConnection) -> DbResult<Vec<(i32, String)>> {
    let ordered = article_orders::table
        .filter(article_orders::article_id.is_not_null())
        .select(article_orders::article_id.assume_not_null());
    Ok(articles::table
        .filter(articles::kind.eq(ArticleKind::Feature.code()))
        .filter(articles::id.ne_all(ordered))
        .select((articles::id, articles::title))
        .order(articles::id.desc())
        .load(conn)?)
}

/// Whether the article's order is placed (ordered, invoiced or paid), so it may be published.
pub fn publication_allowed(conn: &mut DbConnection, article_id: i32) -> DbResult<bool> {
    let status: Option<String> = article_orders::table
        .filter(article_orders::article_id.eq(article_id))
        .select(article_orders::status)
        .first(conn)
        .optional()?;
    Ok(status.and_then(|s| s.parse::<OrderStatus>().ok()).is_some_and(OrderStatus::allows_publication))
}

/// `None` when the article may take this order; otherwise why not.
fn article_refusal(conn: &mut DbConnection, article_id: i32, order_id: Option<i32>) -> DbResult<Option<OrderRefusal>> {
    let kind: Option<String> = articles::table.find(article_id).select(articles::kind).first(conn).optional()?;
    if kind.as_deref() != Some(ArticleKind::Feature.code()) {
        return Ok(Some(OrderRefusal::NotAFeature));
    }
    let holder: Option<i32> = article_orders::table
        .filter(article_orders::article_id.eq(article_id))
        .select(article_orders::id)
        .first(conn)
        .optional()?;
    Ok(match holder {
        Some(holder) if Some(holder) != order_id => Some(OrderRefusal::ArticleTaken),
        _ => None,
    })
}

/// Another transaction linked the article between our check and our write: the UNIQUE
/// constraint says so, and the person hears the same as if the check had caught it.
fn taken_on_unique<T>(result: QueryResult<T>) -> DbResult<Result<T, OrderRefusal>> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(Err(OrderRefusal::ArticleTaken))
        }
        Err(e) => Err(e.into()),
    }
}

/// Quotes a new order (status `quoted`) and logs it.
pub fn create(
    conn: &mut DbConnection,
    new: &NewOrder,
    actor: Actor,
    at: NaiveDateTime,
) -> DbResult<Result<Order, OrderRefusal>> {
    let staff_id = actor.staff_id.ok_or_else(|| DbError::Invalid("an order is created by a staff member".into()))?;
    crate::transaction(conn, |conn| {
        let employer: Option<i32> =
            employers::table.find(new.employer_id).select(employers::id).first(conn).optional()?;
        if employer.is_none() {
            return Ok(Err(OrderRefusal::NoEmployer));
        }
        if let Some(article_id) = new.article_id {
            if let Some(refusal) = article_refusal(conn, article_id, None)? {
                return Ok(Err(refusal));
            }
        }
        let values = (
            article_orders::employer_id.eq(new.employer_id),
            article_orders::article_id.eq(new.article_id),
            article_orders::plan.eq(&new.plan),
            article_orders::price_yen.eq(new.price_yen),
            article_orders::tax_yen.eq(new.tax_yen),
            article_orders::status.eq(OrderStatus::Quoted.code()),
            article_orders::quoted_on.eq(new.quoted_on),
            article_orders::notes.eq(&new.notes),
            article_orders::created_by.eq(staff_id),
            article_orders::created_at.eq(at),
            article_orders::updated_at.eq(at),
        );
        // In a savepoint, so that a refused insert leaves the transaction usable on PostgreSQL.
        let inserted = crate::transaction(conn, |conn| {
            diesel::insert_into(article_orders::table).values(values).returning(article_orders::id).get_result(conn)
        });
        let id: i32 = match taken_on_unique(inserted)? {
            Ok(id) => id,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let order = article_orders::table.find(id).select(Order::as_select()).first(conn)?;
        let quoted = OrderStatus::Quoted.code();
        editorial_log::append(
            conn,
            Subject::Order(order.id),
            Step { action: "create", from: quoted, to: quoted, note: None },
            actor,
            at,
        )?;
        Ok(Ok(order))
    })
}

/// Moves the order to `to` (only as [`OrderStatus::move_to`] allows), records the day it
/// happened in the matching date column, and logs the step.
pub fn set_status(
    conn: &mut DbConnection,
    id: i32,
    to: OrderStatus,
    on: NaiveDate,
    note: Option<&str>,
    actor: Actor,
    at: NaiveDateTime,
) -> DbResult<Option<Result<Order, OrderRefusal>>> {
    crate::transaction(conn, |conn| {
        let Some(order) = article_orders::table.find(id).select(Order::as_select()).first(conn).optional()? else {
            return Ok(None);
        };
        let to = match order.status.move_to(to) {
            Ok(to) => to,
            Err(e) => return Ok(Some(Err(OrderRefusal::Transition(e)))),
        };
        let target = article_orders::table.find(id).filter(article_orders::status.eq(order.status.code()));
        let changes = (article_orders::status.eq(to.code()), article_orders::updated_at.eq(at));
        let updated = match to {
            OrderStatus::Ordered => {
                diesel::update(target).set((changes, article_orders::ordered_on.eq(on))).execute(conn)?
            }
            OrderStatus::Invoiced => {
                diesel::update(target).set((changes, article_orders::invoiced_on.eq(on))).execute(conn)?
            }
            OrderStatus::Paid => diesel::update(target).set((changes, article_orders::paid_on.eq(on))).execute(conn)?,
            OrderStatus::Cancelled => {
                diesel::update(target).set((changes, article_orders::cancelled_on.eq(on))).execute(conn)?
            }
            OrderStatus::Quoted => 0,
        };
        if updated != 1 {
            return Err(DbError::Conflict("この注文"));
        }
        let step = Step { action: "status", from: order.status.code(), to: to.code(), note };
        editorial_log::append(conn, Subject::Order(id), step, actor, at)?;
        Ok(Some(Ok(article_orders::table.find(id).select(Order::as_select()).first(conn)?)))
    })
}

/// Links the order to a feature article, or unlinks it (`None`), and logs the change.
pub fn set_article(
    conn: &mut DbConnection,
    id: i32,
    article_id: Option<i32>,
    actor: Actor,
    at: NaiveDateTime,
) -> DbResult<Option<Result<Order, OrderRefusal>>> {
    crate::transaction(conn, |conn| {
        let Some(order) = article_orders::table.find(id).select(Order::as_select()).first(conn).optional()? else {
            return Ok(None);
        };
        if let Some(article_id) = article_id {
            if let Some(refusal) = article_refusal(conn, article_id, Some(id))? {
                return Ok(Some(Err(refusal)));
            }
        }
        let updated = crate::transaction(conn, |conn| {
            diesel::update(article_orders::table.find(id))
                .set((article_orders::article_id.eq(article_id), article_orders::updated_at.eq(at)))
                .execute(conn)
        });
        if let Err(refusal) = taken_on_unique(updated)? {
            return Ok(Some(Err(refusal)));
        }
        let note = article_id.map(|a| format!("article {a}"));
        let action = if article_id.is_some() { "link_article" } else { "unlink_article" };
        let status = order.status.code();
        editorial_log::append(
            conn,
            Subject::Order(id),
            Step { action, from: status, to: status, note: note.as_deref() },
            actor,
            at,
        )?;
        Ok(Some(Ok(article_orders::table.find(id).select(Order::as_select()).first(conn)?)))
    })
}

/// Money of a group of orders: price without tax, tax, and both together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Money {
    pub count: i64,
    pub price_yen: i64,
    pub tax_yen: i64,
    pub total_yen: i64,
}

impl Money {
    fn add(&mut self, o: &Order) {
        self.count += 1;
        self.price_yen = self.price_yen.saturating_add(o.price_yen);
        self.tax_yen = self.tax_yen.saturating_add(o.tax_yen);
        self.total_yen = self.total_yen.saturating_add(o.total_yen());
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// By month of the quote, newest first. Cancelled orders are not counted.
    pub by_month: Vec<((i32, u32), Money)>,
    /// By status in the order of [`OrderStatus::ALL`]; cancelled ones are counted, their money is not.
    pub by_status: Vec<(OrderStatus, Money)>,
    /// Every order that is not cancelled.
    pub all: Money,
    pub cancelled: i64,
}

/// Totals of the listed orders: cancelled orders are listed but their money counts nowhere.
pub fn totals(orders: &[OrderView]) -> Totals {
    let mut by_month: BTreeMap<(i32, u32), Money> = BTreeMap::new();
    let mut by_status: Vec<(OrderStatus, Money)> = OrderStatus::ALL.iter().map(|s| (*s, Money::default())).collect();
    let mut t = Totals::default();
    for v in orders {
        let o = &v.order;
        let Some((_, status_money)) = by_status.iter_mut().find(|(s, _)| *s == o.status) else { continue };
        if o.status == OrderStatus::Cancelled {
            status_money.count += 1;
            t.cancelled += 1;
            continue;
        }
        status_money.add(o);
        by_month.entry((o.quoted_on.year(), o.quoted_on.month())).or_default().add(o);
        t.all.add(o);
    }
    t.by_month = by_month.into_iter().rev().collect();
    t.by_status = by_status;
    t
}
