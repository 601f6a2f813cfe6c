//! The public ledger over HTTP, on the backend `YUI_TEST_BACKEND` names: admins enter money in
//! and out, paid orders are counted by themselves, and the public page and JSON show the months.

use crate::common::{hidden_value, staff, Session, TestApp};
use chrono::NaiveDate;
use yui_db::orders::NewOrder;
use yui_db::postings::Actor;
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};
use yui_domain::OrderStatus;

/// The organisation of every staff member here.
const NPO: (&str, &str) = ("npo", "テストNPO");

/// A feature order for `employer`, paid on `paid_on`.
fn paid_order(conn: &mut DbConnection, actor: Actor, employer: i32, price: i64, paid_on: NaiveDate) {
    let new = NewOrder {
        employer_id: employer,
        plan: "standard".into(),
        price_yen: price,
        tax_yen: price / 10,
        quoted_on: paid_on,
        notes: String::new(),
        article_id: None,
    };
    let order = yui_db::orders::create(conn, &new, actor, now()).unwrap().unwrap();
    for to in [OrderStatus::Ordered, OrderStatus::Invoiced, OrderStatus::Paid] {
        yui_db::orders::set_status(conn, order.id, to, paid_on, None, actor, now()).unwrap().unwrap().unwrap();
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[actix_web::test]
async fn only_admins_enter_the_ledger() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "editor@npo.example", "editor", NPO);
    staff(&mut conn, "writer@desk.example", "writer", NPO);
    staff(&mut conn, "admin@city.example", "admin", NPO);
    assert_eq!(app.page("/admin/ledger").await.0, 303, "anonymous: to the login page");
    for who in ["editor@npo.example", "writer@desk.example"] {
        let s = Session::login(&app, who).await;
        let (status, body) = s.get("/admin/ledger").await;
        assert_eq!(status, 403, "{who}");
        assert!(body.contains("権限がありません"));
        let csrf = s.csrf().await;
        let form = [
            ("csrf", csrf.as_str()),
            ("category", "grant"),
            ("description", "x"),
            ("amount_yen", "1"),
            ("occurred_on", "2026-11-01"),
        ];
        assert_eq!(s.post("/admin/ledger", &form).await.0, 403, "{who} POST");
    }
    let admin = Session::login(&app, "admin@city.example").await;
    let form = [("category", "grant"), ("description", "x"), ("amount_yen", "1"), ("occurred_on", "2026-11-01")];
    assert_eq!(admin.post("/admin/ledger", &form).await.0, 403, "no CSRF token");
    assert!(yui_db::ledger::entries(&mut conn).unwrap().is_empty(), "nothing was entered");
}

#[actix_web::test]
async fn entries_and_paid_orders_make_the_public_ledger() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let admin = staff(&mut conn, "admin@city.example", "admin", NPO);
    let admin_actor = Actor { staff_id: Some(admin.id), organization_id: Some(admin.organization_id) };
    let employer = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    paid_order(&mut conn, admin_actor, employer.id, 150_000, day(2026, 11, 10));

    let s = Session::login(&app, "admin@city.example").await;
    let (status, html) = s.get("/admin/ledger").await;
    assert_eq!(status, 200);
    assert!(html.contains("反対向きの記録"), "the page says how to correct a mistake");
    assert!(!html.contains("feature_orders"), "paid orders are never typed in");
    let csrf = hidden_value(&html, "csrf");

    let (status, html) = s
        .post(
            "/admin/ledger",
            &[
                ("csrf", &csrf),
                ("category", "feature_orders"),
                ("description", " "),
                ("amount_yen", "0"),
                ("occurred_on", "11/1"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    for message in [
        "区分を選んでください。",
        "内容を200文字以内で入力してください。",
        "金額は1円以上の整数で入力してください。",
        "日付を正しく入力してください",
    ] {
        assert!(html.contains(message), "{message}");
    }
    for (category, description, amount, on) in [
        ("grant", "市の地域づくり助成金", "200,000", "2026-10-15"),
        ("supporter", "マンスリー支援（12名）", "12000", "2026-11-01"),
        ("hosting", "サーバー代 11月分", "3000", "2026-11-02"),
        ("writing", "取材交通費", "4500", "2026-11-20"),
    ] {
        let form = [
            ("csrf", csrf.as_str()),
            ("category", category),
            ("description", description),
            ("amount_yen", amount),
            ("occurred_on", on),
        ];
        let (status, location) = s.post("/admin/ledger", &form).await;
        assert_eq!((status, location.as_str()), (303, "/admin/ledger"), "{description}");
    }
    let (_, html) = s.get("/admin/ledger").await;
    assert!(html.contains("市の地域づくり助成金") && html.contains("200,000"));

    // The public page: newest month first, the paid order counted as money in, no names.
    let (status, html) = app.page("/transparency/ledger").await;
    assert_eq!(status, 200);
    let (nov, oct) = (html.find("2026年11月").unwrap(), html.find("2026年10月").unwrap());
    assert!(nov < oct, "newest month first");
    assert!(html.contains("特集記事の掲載料") && html.contains("165,000円") && html.contains("（1件）"));
    assert!(html.contains("事業者ごとの金額は取引上の情報のため"), "the page says why orders are summed");
    assert!(!html.contains("氷見浜水産") && !html.contains("市の地域づくり助成金"), "no employer, no single entry");
    // November: 165,000 + 12,000 in, 7,500 out; running total with October's 200,000.
    assert!(html.contains("177,000円") && html.contains("7,500円") && html.contains("369,500円"), "{html}");

    let json: serde_json::Value = app.get("/transparency/ledger.json").await.json().await.unwrap();
    let month = &json["months"][0];
    assert_eq!(month["month"], "2026-11");
    assert_eq!((month["total_in"].as_i64(), month["total_out"].as_i64()), (Some(177_000), Some(7_500)));
    assert_eq!(month["running_total"].as_i64(), Some(369_500));
    let orders = month["money_in"].as_array().unwrap().iter().find(|c| c["category"] == "feature_orders").unwrap();
    assert_eq!((orders["amount_yen"].as_i64(), orders["count"].as_i64()), (Some(165_000), Some(1)));
    assert_eq!(orders["label"], "特集記事の掲載料");
    assert_eq!(json["months"][1]["month"], "2026-10");
    assert_eq!(json["totals"]["balance"].as_i64(), Some(369_500));

    let json: serde_json::Value = app.get("/transparency/ledger.json?lang=en").await.json().await.unwrap();
    assert_eq!(json["categories"]["feature_orders"], "Feature article fees");
    let (_, html) = app.page("/transparency/ledger?lang=en").await;
    assert!(html.contains("Feature article fees") && html.contains("2026-11"));
    let (_, html) = app.page("/transparency").await;
    assert!(html.contains("href=\"/transparency/ledger\""), "linked from /transparency");
}
