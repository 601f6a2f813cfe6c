//! Paid orders and the ledger in the database, on the backend `YUI_TEST_BACKEND` names: every
//! status step allowed and refused, the dates and log lines each step writes, one order per
//! feature, totals without cancelled orders, and a ledger that refuses changes.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use yui_db::editorial_log::{self, Subject};
use yui_db::orders::{self, Filter, NewOrder, OrderRefusal};
use yui_db::postings::Actor;
use yui_db::schema::{article_orders, articles, ledger_entries};
use yui_db::testing::{fixtures, migrated};
use yui_db::{now, DbConnection};
use yui_domain::ledger::{LedgerCategory, LedgerEntryDraft};
use yui_domain::OrderStatus;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct World {
    actor: Actor,
    employer_id: i32,
}

fn world(conn: &mut DbConnection) -> World {
    let editor = fixtures::editor(conn, "henshu@npo.example").unwrap();
    let employer = fixtures::employer(conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    World {
        actor: Actor { staff_id: Some(editor.id), organization_id: Some(editor.organization_id) },
        employer_id: employer.id,
    }
}

fn article(conn: &mut DbConnection, w: &World, kind: &str, slug: &str) -> i32 {
    let sponsor = (kind == "feature").then_some(w.employer_id);
    diesel::insert_into(articles::table)
        .values((
            articles::kind.eq(kind),
            articles::slug.eq(slug),
            articles::title.eq(format!("記事 {slug}")),
            articles::sponsor_employer_id.eq(sponsor),
            articles::author_id.eq(w.actor.staff_id.unwrap()),
            articles::created_at.eq(now()),
            articles::updated_at.eq(now()),
        ))
        .execute(conn)
        .unwrap();
    articles::table.filter(articles::slug.eq(slug)).select(articles::id).first(conn).unwrap()
}

fn quote(
    conn: &mut DbConnection,
    w: &World,
    price: i64,
    on: NaiveDate,
    article_id: Option<i32>,
) -> Result<orders::Order, OrderRefusal> {
    let new = NewOrder {
        employer_id: w.employer_id,
        plan: "standard".into(),
        price_yen: price,
        tax_yen: price / 10,
        quoted_on: on,
        notes: String::new(),
        article_id,
    };
    orders::create(conn, &new, w.actor, now()).unwrap()
}

/// An order walked to `status` along the allowed path.
fn order_in(conn: &mut DbConnection, w: &World, status: OrderStatus) -> orders::Order {
    use OrderStatus as O;
    let mut o = quote(conn, w, 100_000, day(2026, 11, 2), None).unwrap();
    let path: &[OrderStatus] = match status {
        O::Quoted => &[],
        O::Ordered => &[O::Ordered],
        O::Invoiced => &[O::Ordered, O::Invoiced],
        O::Paid => &[O::Ordered, O::Invoiced, O::Paid],
        O::Cancelled => &[O::Cancelled],
    };
    for to in path {
        o = orders::set_status(conn, o.id, *to, day(2026, 11, 10), None, w.actor, now()).unwrap().unwrap().unwrap();
    }
    o
}

#[test]
fn every_status_step_is_allowed_or_refused_as_the_domain_says() {
    let (_db, mut conn) = migrated();
    let w = world(&mut conn);
    for from in OrderStatus::ALL {
        for to in OrderStatus::ALL {
            let o = order_in(&mut conn, &w, *from);
            let lines_before = editorial_log::lines(&mut conn, Subject::Order(o.id)).unwrap().len();
            let on = day(2026, 11, 20);
            let result = orders::set_status(&mut conn, o.id, *to, on, Some("メモ"), w.actor, now()).unwrap().unwrap();
            let lines = editorial_log::lines(&mut conn, Subject::Order(o.id)).unwrap();
            if from.next().contains(to) {
                let after = result.unwrap_or_else(|e| panic!("{from} → {to}: {e:?}"));
                assert_eq!(after.status, *to);
                let set_day = match to {
                    OrderStatus::Ordered => after.ordered_on,
                    OrderStatus::Invoiced => after.invoiced_on,
                    OrderStatus::Paid => after.paid_on,
                    OrderStatus::Cancelled => after.cancelled_on,
                    OrderStatus::Quoted => unreachable!("nothing moves back to quoted"),
                };
                assert_eq!(set_day, Some(on), "{from} → {to} records its day");
                assert_eq!(lines.len(), lines_before + 1, "{from} → {to} is logged");
                let last = lines.last().unwrap();
                assert_eq!(
                    (last.action.as_str(), last.from_status.as_str(), last.to_status.as_str()),
                    ("status", from.code(), to.code())
                );
                assert_eq!(last.note.as_deref(), Some("メモ"));
            } else {
                assert_eq!(
                    result,
                    Err(OrderRefusal::Transition(yui_domain::orders::OrderTransitionError { from: *from, to: *to })),
                    "{from} → {to} is refused"
                );
                assert_eq!(lines.len(), lines_before, "a refused step logs nothing");
                let still: String =
                    article_orders::table.find(o.id).select(article_orders::status).first(&mut conn).unwrap();
                assert_eq!(still, from.code());
            }
        }
    }
    assert_eq!(
        orders::set_status(&mut conn, 9999, OrderStatus::Ordered, day(2026, 1, 1), None, w.actor, now()).unwrap(),
        None
    );
}

#[test]
fn one_order_per_feature_and_publication_follows_the_order() {
    let (_db, mut conn) = migrated();
    let w = world(&mut conn);
    let feature = article(&mut conn, &w, "feature", "himi-fish-2026");
    let column = article(&mut conn, &w, "column", "working-by-the-sea");
    assert_eq!(orders::unordered_features(&mut conn).unwrap(), [(feature, "記事 himi-fish-2026".to_owned())]);
    assert!(!orders::publication_allowed(&mut conn, feature).unwrap(), "no order yet");

    let first = quote(&mut conn, &w, 150_000, day(2026, 11, 1), Some(feature)).unwrap();
    assert_eq!(quote(&mut conn, &w, 150_000, day(2026, 11, 1), Some(feature)), Err(OrderRefusal::ArticleTaken));
    assert_eq!(quote(&mut conn, &w, 150_000, day(2026, 11, 1), Some(column)), Err(OrderRefusal::NotAFeature));
    assert!(orders::unordered_features(&mut conn).unwrap().is_empty());

    // A second order cannot take the article; once the first lets go, it can.
    let second = quote(&mut conn, &w, 80_000, day(2026, 11, 3), None).unwrap();
    assert_eq!(
        orders::set_article(&mut conn, second.id, Some(feature), w.actor, now()).unwrap(),
        Some(Err(OrderRefusal::ArticleTaken))
    );
    assert!(!orders::publication_allowed(&mut conn, feature).unwrap(), "a quote does not allow publication");
    orders::set_status(&mut conn, first.id, OrderStatus::Ordered, day(2026, 11, 5), None, w.actor, now())
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(orders::publication_allowed(&mut conn, feature).unwrap(), "an order placed allows it");
    orders::set_article(&mut conn, first.id, None, w.actor, now()).unwrap().unwrap().unwrap();
    assert!(!orders::publication_allowed(&mut conn, feature).unwrap());
    let linked = orders::set_article(&mut conn, second.id, Some(feature), w.actor, now()).unwrap().unwrap().unwrap();
    assert_eq!(linked.article_id, Some(feature));
    let actions: Vec<String> =
        editorial_log::lines(&mut conn, Subject::Order(first.id)).unwrap().into_iter().map(|l| l.action).collect();
    assert_eq!(actions, ["create", "status", "unlink_article"]);

    let mut other = w;
    other.employer_id = 9999;
    assert_eq!(quote(&mut conn, &other, 1, day(2026, 11, 1), None), Err(OrderRefusal::NoEmployer));
}

#[test]
fn totals_per_month_and_status_leave_cancelled_orders_out() {
    let (_db, mut conn) = migrated();
    let w = world(&mut conn);
    let oct = quote(&mut conn, &w, 100_000, day(2026, 10, 20), None).unwrap();
    quote(&mut conn, &w, 150_000, day(2026, 11, 2), None).unwrap();
    let cancelled = quote(&mut conn, &w, 999_000, day(2026, 11, 3), None).unwrap();
    orders::set_status(&mut conn, cancelled.id, OrderStatus::Cancelled, day(2026, 11, 4), None, w.actor, now())
        .unwrap()
        .unwrap()
        .unwrap();
    orders::set_status(&mut conn, oct.id, OrderStatus::Ordered, day(2026, 10, 21), None, w.actor, now())
        .unwrap()
        .unwrap()
        .unwrap();

    let all = orders::list(&mut conn, Filter::default()).unwrap();
    assert_eq!(all.len(), 3, "cancelled orders are listed");
    let t = orders::totals(&all);
    assert_eq!((t.all.count, t.all.price_yen, t.all.tax_yen, t.all.total_yen), (2, 250_000, 25_000, 275_000));
    assert_eq!(t.cancelled, 1);
    let months: Vec<((i32, u32), i64)> = t.by_month.iter().map(|(m, money)| (*m, money.total_yen)).collect();
    assert_eq!(months, [((2026, 11), 165_000), ((2026, 10), 110_000)]);
    let status = |s: OrderStatus| t.by_status.iter().find(|(x, _)| *x == s).unwrap().1;
    assert_eq!(status(OrderStatus::Quoted).total_yen, 165_000);
    assert_eq!(status(OrderStatus::Ordered).price_yen, 100_000);
    assert_eq!((status(OrderStatus::Cancelled).count, status(OrderStatus::Cancelled).total_yen), (1, 0));

    let nov = orders::list(&mut conn, Filter { month: Some((2026, 11)), status: None }).unwrap();
    assert_eq!(nov.len(), 2);
    let ordered = orders::list(&mut conn, Filter { status: Some(OrderStatus::Ordered), month: None }).unwrap();
    assert_eq!(ordered.iter().map(|v| v.order.id).collect::<Vec<_>>(), [oct.id]);
    assert_eq!(ordered[0].employer_name, "氷見浜水産");
}

#[test]
fn the_ledger_counts_paid_orders_and_refuses_changes() {
    let (_db, mut conn) = migrated();
    let w = world(&mut conn);
    let paid = order_in(&mut conn, &w, OrderStatus::Paid);
    order_in(&mut conn, &w, OrderStatus::Invoiced);
    let grant = LedgerEntryDraft::parse("grant", "市の助成金", "200000", "2026-10-15").unwrap();
    let hosting = LedgerEntryDraft::parse("hosting", "サーバー代", "3,000", "2026-11-01").unwrap();
    for d in [&grant, &hosting] {
        yui_db::ledger::insert(&mut conn, d, w.actor, now()).unwrap();
    }
    let entries = yui_db::ledger::entries(&mut conn).unwrap();
    assert_eq!(
        entries.iter().map(|e| e.category).collect::<Vec<_>>(),
        [LedgerCategory::Hosting, LedgerCategory::Grant]
    );
    assert_eq!(entries[0].created_by, "審査 花子");

    let months = yui_domain::ledger::by_month(&yui_db::ledger::items(&mut conn).unwrap());
    assert_eq!(months.len(), 2);
    let nov = &months[0];
    assert_eq!(nov.money_in.len(), 1, "only the paid order, not the invoiced one");
    assert_eq!(
        (nov.money_in[0].category, nov.money_in[0].amount_yen, nov.money_in[0].count),
        (LedgerCategory::FeatureOrders, paid.total_yen(), 1)
    );
    assert_eq!((nov.total_out, nov.running_total), (3_000, 200_000 + 110_000 - 3_000));

    let first_id: i32 =
        ledger_entries::table.select(ledger_entries::id).order(ledger_entries::id.asc()).first(&mut conn).unwrap();
    let update =
        diesel::update(ledger_entries::table.find(first_id)).set(ledger_entries::amount_yen.eq(1)).execute(&mut conn);
    assert!(update.is_err(), "an entry cannot be changed");
    assert!(diesel::delete(ledger_entries::table.find(first_id)).execute(&mut conn).is_err(), "nor deleted");
    // The database keeps direction and category together, whatever code writes.
    let wrong = diesel::insert_into(ledger_entries::table)
        .values((
            ledger_entries::direction.eq("in"),
            ledger_entries::category.eq("hosting"),
            ledger_entries::description.eq("x"),
            ledger_entries::amount_yen.eq(1i64),
            ledger_entries::occurred_on.eq(day(2026, 11, 1)),
            ledger_entries::created_by.eq(w.actor.staff_id.unwrap()),
            ledger_entries::created_at.eq(now() - Duration::minutes(1)),
        ))
        .execute(&mut conn);
    assert!(wrong.is_err());
}
