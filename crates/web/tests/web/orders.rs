//! Paid orders over HTTP, on the backend `YUI_TEST_BACKEND` names: who may open them, the order
//! form and its field errors, status steps allowed and refused, CSRF, and the CSV export opened
//! with a CSV reader.

use crate::common::{hidden_value, staff, Session, TestApp};
use diesel::prelude::*;
use yui_db::schema::{article_orders, articles, editorial_events};
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};

/// The organisation of every staff member here.
const NPO: (&str, &str) = ("npo", "テストNPO");

fn order_status(conn: &mut DbConnection, id: i32) -> String {
    article_orders::table.find(id).select(article_orders::status).first(conn).unwrap()
}

fn feature(conn: &mut DbConnection, author: i32, employer: i32, slug: &str) -> i32 {
    diesel::insert_into(articles::table)
        .values((
            articles::kind.eq("feature"),
            articles::slug.eq(slug),
            articles::title.eq("港で働く人たち"),
            articles::sponsor_employer_id.eq(Some(employer)),
            articles::author_id.eq(author),
            articles::created_at.eq(now()),
            articles::updated_at.eq(now()),
        ))
        .execute(conn)
        .unwrap();
    articles::table.filter(articles::slug.eq(slug)).select(articles::id).first(conn).unwrap()
}

/// Creates an order through the form; returns its id.
async fn create_order(s: &Session, csrf: &str, employer: i32, price: &str, notes: &str) -> i32 {
    let employer = employer.to_string();
    let (status, location) = s
        .post(
            "/admin/orders",
            &[
                ("csrf", csrf),
                ("employer_id", &employer),
                ("plan", "standard"),
                ("price_yen", price),
                ("quoted_on", "2026-11-02"),
                ("notes", notes),
            ],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    location.rsplit('/').next().unwrap().parse().unwrap()
}

#[actix_web::test]
async fn writers_and_strangers_are_refused_and_csrf_is_checked() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "writer@desk.example", "writer", NPO);
    staff(&mut conn, "editor@npo.example", "editor", NPO);
    let employer = fixtures::employer(&mut conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();

    let (status, _) = app.page("/admin/orders").await;
    assert_eq!(status, 303, "anonymous: to the login page");

    let editor = Session::login(&app, "editor@npo.example").await;
    let csrf = editor.csrf().await;
    let id = create_order(&editor, &csrf, employer.id, "", "").await;

    let writer = Session::login(&app, "writer@desk.example").await;
    for path in ["/admin/orders", "/admin/orders.csv", "/admin/orders/new", &format!("/admin/orders/{id}")] {
        let (status, body) = writer.get(path).await;
        assert_eq!(status, 403, "writer GET {path}");
        assert!(body.contains("権限がありません"), "{path}: a page that says why");
    }
    let wcsrf = writer.csrf().await;
    let id_s = employer.id.to_string();
    for (path, form) in [
        (
            "/admin/orders".to_owned(),
            vec![("csrf", wcsrf.as_str()), ("employer_id", id_s.as_str()), ("plan", "standard")],
        ),
        (format!("/admin/orders/{id}/status"), vec![("csrf", wcsrf.as_str()), ("to", "ordered")]),
        (format!("/admin/orders/{id}/article"), vec![("csrf", wcsrf.as_str()), ("article_id", "")]),
    ] {
        assert_eq!(writer.post(&path, &form).await.0, 403, "writer POST {path}");
    }

    // An editor without the page's token changes nothing.
    let (status, body) = editor.post(&format!("/admin/orders/{id}/status"), &[("to", "ordered")]).await;
    assert_eq!(status, 403);
    assert!(body.contains("有効期限"), "{body}");
    let (status, _) =
        editor.post(&format!("/admin/orders/{id}/status"), &[("csrf", "forged"), ("to", "ordered")]).await;
    assert_eq!(status, 403);
    let (status, _) = editor.post("/admin/orders", &[("employer_id", id_s.as_str()), ("plan", "standard")]).await;
    assert_eq!(status, 403);
    assert_eq!(order_status(&mut conn, id), "quoted");
    assert_eq!(article_orders::table.count().get_result::<i64>(&mut conn).unwrap(), 1, "no order was created");
}

#[actix_web::test]
async fn an_editor_quotes_an_order_and_moves_it_along_the_allowed_steps() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor_id = staff(&mut conn, "editor@npo.example", "editor", NPO).id;
    let employer = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let article = feature(&mut conn, editor_id, employer.id, "minato-2026");
    let s = Session::login(&app, "editor@npo.example").await;

    let (status, html) = s.get("/admin/orders/new").await;
    assert_eq!(status, 200);
    assert!(html.contains("氷見浜水産") && html.contains("港で働く人たち") && html.contains("取材記事 スタンダード"));
    let csrf = hidden_value(&html, "csrf");

    // Field errors in Japanese, the form again, never a 500.
    let (status, html) = s
        .post(
            "/admin/orders",
            &[("csrf", &csrf), ("employer_id", ""), ("plan", "gold"), ("price_yen", "-5"), ("quoted_on", "2026-02-30")],
        )
        .await;
    assert_eq!(status, 422);
    for message in
        ["事業者を選んでください。", "プランを選んでください。", "金額は0以上の整数", "日付を正しく入力してください"]
    {
        assert!(html.contains(message), "{message}");
    }
    let (status, html) = s
        .post("/admin/orders", &[("csrf", &csrf), ("employer_id", "99999"), ("plan", "standard"), ("price_yen", "")])
        .await;
    assert_eq!(status, 422, "an employer that does not exist");
    assert!(html.contains("事業者を選んでください。"));

    // The plan's price when the price is left empty; tax computed on the server.
    let article_s = article.to_string();
    let employer_s = employer.id.to_string();
    let (status, location) = s
        .post(
            "/admin/orders",
            &[
                ("csrf", &csrf),
                ("employer_id", &employer_s),
                ("plan", "standard"),
                ("price_yen", ""),
                ("quoted_on", ""),
                ("article_id", &article_s),
            ],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    let id: i32 = location.rsplit('/').next().unwrap().parse().unwrap();
    let (price, tax, linked): (i64, i64, Option<i32>) = article_orders::table
        .find(id)
        .select((article_orders::price_yen, article_orders::tax_yen, article_orders::article_id))
        .first(&mut conn)
        .unwrap();
    assert_eq!((price, tax, linked), (150_000, 15_000, Some(article)));

    // A second order for the same article is a field error.
    let (status, html) = s
        .post(
            "/admin/orders",
            &[
                ("csrf", &csrf),
                ("employer_id", &employer_s),
                ("plan", "light"),
                ("price_yen", "80,000"),
                ("article_id", &article_s),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("この記事にはすでに別の注文が紐づいています"), "{html}");

    // Allowed steps, each with its day; an illegal one is a 409 with a message.
    let path = format!("/admin/orders/{id}/status");
    let (status, html) = s.post(&path, &[("csrf", &csrf), ("to", "paid")]).await;
    assert_eq!(status, 409);
    assert!(html.contains("「見積」の注文を「入金済」にはできません。"), "{html}");
    assert_eq!(
        s.post(&path, &[("csrf", &csrf), ("to", "ordered"), ("on", "2026-11-05"), ("note", "発注書を受領")]).await.0,
        303
    );
    assert_eq!(s.post(&path, &[("csrf", &csrf), ("to", "quoted")]).await.0, 409, "no step back");
    assert_eq!(s.post(&path, &[("csrf", &csrf), ("to", "invoiced"), ("on", "2026-11-30")]).await.0, 303);
    assert_eq!(s.post(&path, &[("csrf", &csrf), ("to", "paid"), ("on", "2026-13-01")]).await.0, 422, "a bad date");
    assert_eq!(s.post(&path, &[("csrf", &csrf), ("to", "paid"), ("on", "2026-12-10")]).await.0, 303);
    let (status, html) = s.post(&path, &[("csrf", &csrf), ("to", "cancelled")]).await;
    assert_eq!(status, 409, "a paid order is not cancelled");
    assert!(html.contains("「入金済」の注文を「キャンセル」にはできません。"));
    assert_eq!(order_status(&mut conn, id), "paid");
    let days: (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) = article_orders::table
        .find(id)
        .select((article_orders::ordered_on, article_orders::invoiced_on, article_orders::paid_on))
        .first(&mut conn)
        .unwrap();
    assert_eq!(days.2.unwrap().to_string(), "2026-12-10");
    assert_eq!(days.0.unwrap().to_string(), "2026-11-05");
    assert!(yui_db::orders::publication_allowed(&mut conn, article).unwrap());

    let (status, html) = s.get(&format!("/admin/orders/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("発注書を受領") && html.contains("見積 → 受注") && html.contains("請求済 → 入金済"),
        "the log is shown"
    );
    let logged: i64 = editorial_events::table
        .filter(editorial_events::subject.eq("order"))
        .filter(editorial_events::subject_id.eq(id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(logged, 4, "created and three steps");

    // A cancelled order is listed, and the page says its money is not counted.
    let other = create_order(&s, &csrf, employer.id, "999999", "").await;
    assert_eq!(s.post(&format!("/admin/orders/{other}/status"), &[("csrf", &csrf), ("to", "cancelled")]).await.0, 303);
    let (_, html) = s.get("/admin/orders").await;
    assert!(html.contains("キャンセルした注文（1件）は一覧に残しますが、金額の集計には含めません。"));
    assert!(html.contains(&format!("#{other}")), "the cancelled order is listed");
    assert!(html.contains("165,000") && !html.contains("1,164,998"), "its money is not in the sum");
    let (_, html) = s.get("/admin/orders?status=cancelled").await;
    assert!(html.contains(&format!("/admin/orders/{other}\"")) && !html.contains(&format!("/admin/orders/{id}\"")));
}

#[actix_web::test]
async fn the_csv_export_opens_in_a_csv_reader_with_formulas_defused() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "editor@npo.example", "editor", NPO);
    let tricky = fixtures::employer(&mut conn, "株式会社\"海の幸\", 氷見", "umi@example.jp").unwrap();
    let plain = fixtures::employer(&mut conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    let s = Session::login(&app, "editor@npo.example").await;
    let csrf = s.csrf().await;
    let first = create_order(&s, &csrf, tricky.id, "150000", "=HYPERLINK(\"http://evil.example\",\"押して\")").await;
    create_order(&s, &csrf, plain.id, "80000", "@SUM(A1:A9)").await;

    let res = s.client.get(format!("{}/admin/orders.csv", s.base)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    let today = chrono::Utc::now().with_timezone(&yui_domain::tokyo()).format("%Y%m%d").to_string();
    assert_eq!(disposition, format!("attachment; filename=\"yui-orders-{today}.csv\""));
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a UTF-8 byte order mark");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.contains("\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "every line ends in CRLF");

    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "注文番号",
            "事業者",
            "プラン",
            "金額(税抜)",
            "消費税",
            "合計",
            "状態",
            "見積日",
            "受注日",
            "請求日",
            "入金日",
            "キャンセル日",
            "記事",
            "メモ"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let row = rows.iter().find(|r| r[0] == first.to_string()).unwrap();
    assert_eq!(&row[1], "株式会社\"海の幸\", 氷見", "comma, quote and Japanese survive the round trip");
    assert_eq!(
        (&row[2], &row[3], &row[4], &row[5], &row[6], &row[7]),
        ("取材記事 スタンダード", "150000", "15000", "165000", "見積", "2026-11-02")
    );
    assert_eq!(&row[13], "'=HYPERLINK(\"http://evil.example\",\"押して\")", "a formula is shown as text");
    let other = rows.iter().find(|r| r[0] != first.to_string()).unwrap();
    assert_eq!(&other[13], "'@SUM(A1:A9)");

    // The same filters as the list.
    let res = s.client.get(format!("{}/admin/orders.csv?status=paid", s.base)).send().await.unwrap();
    let bytes = res.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(reader.records().count(), 0);
}
