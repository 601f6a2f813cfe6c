//! Paying for a feature story or supporting the commons never changes review: the queue is in
//! order of arrival, whoever the employer is. This guards against a change that would let a
//! sponsor or a supporter jump the queue.

use chrono::Duration;
use diesel::prelude::*;
use yui_db::now;
use yui_db::schema::{article_orders, supporters};
use yui_db::testing::{fixtures, migrated};
use yui_domain::PostingStatus;

#[test]
fn sponsors_and_supporters_wait_their_turn_in_the_review_queue() {
    let (_db, mut conn) = migrated();
    let c = &mut conn;
    let editor = fixtures::editor(c, "shinsa@npo.example").unwrap();
    let plain = fixtures::employer(c, "ちいさな商店", "mise@x.example").unwrap();
    let sponsor = fixtures::employer(c, "大きな旅館", "ryokan@x.example").unwrap();
    let t = now() - Duration::hours(5);
    let end = now() + Duration::days(30);
    let first = fixtures::pending(c, &plain, fixtures::input("店番", "part_time"), t, end).unwrap();
    let second =
        fixtures::pending(c, &sponsor, fixtures::input("仲居", "full_time"), t + Duration::hours(1), end).unwrap();
    let third =
        fixtures::pending(c, &plain, fixtures::input("配達", "part_time"), t + Duration::hours(2), end).unwrap();

    // The sponsor has a paid feature order and is a confirmed supporter, with a big message.
    diesel::insert_into(article_orders::table)
        .values((
            article_orders::employer_id.eq(sponsor.id),
            article_orders::plan.eq("standard"),
            article_orders::price_yen.eq(1_500_000_i64),
            article_orders::tax_yen.eq(150_000_i64),
            article_orders::status.eq("paid"),
            article_orders::quoted_on.eq(now().date()),
            article_orders::paid_on.eq(Some(now().date())),
            article_orders::created_by.eq(editor.id),
            article_orders::created_at.eq(now()),
            article_orders::updated_at.eq(now()),
        ))
        .execute(c)
        .unwrap();
    diesel::insert_into(supporters::table)
        .values((
            supporters::email.eq("ryokan@x.example"),
            supporters::display_name.eq(Some("大きな旅館")),
            supporters::kind.eq("business"),
            supporters::support_types.eq("money banner"),
            supporters::message.eq("早く審査してください"),
            supporters::on_wall.eq(true),
            supporters::token_hash.eq("x".repeat(64)),
            supporters::confirm_expires_at.eq(now() + Duration::hours(48)),
            supporters::confirmed_at.eq(Some(now())),
            supporters::created_at.eq(now()),
        ))
        .execute(c)
        .unwrap();

    let queue = yui_db::review::queue(c, PostingStatus::Pending, 10).unwrap();
    let order: Vec<i32> = queue.iter().map(|i| i.posting.id).collect();
    assert_eq!(order, [first.id, second.id, third.id], "order of arrival, nothing else");
}
