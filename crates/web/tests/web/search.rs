//! `/jobs`: Japanese search, facets, filters and pages through HTTP, on the backend
//! `YUI_TEST_BACKEND` names.

use crate::common::{occurrences, TestApp};
use chrono::Duration;
use yui_db::now;
use yui_db::testing::fixtures;
use yui_domain::PostingInput;

fn input(title: &str, description: &str, employment_type: &str, category: &str, area: &str) -> PostingInput {
    PostingInput {
        description: description.into(),
        category: category.into(),
        area: area.into(),
        address: String::new(),
        ..fixtures::input(title, employment_type)
    }
}

async fn app_with_postings() -> TestApp {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let c = &mut conn;
    let e = fixtures::employer(c, "社会福祉法人あおい会", "jinji@aoi.example").unwrap();
    let f = fixtures::employer(c, "株式会社ひみテック", "saiyo@tech.example").unwrap();
    let t = now() - Duration::days(3);
    let rows = [
        (&e, input("介護職員（パート）", "特別養護老人ホームでの介護のしごと。", "part_time", "care", "十二町")),
        (&f, input("営業事務スタッフ", "受発注と電話対応。", "full_time", "office", "中央町")),
        (
            &f,
            PostingInput {
                remote: "hybrid".into(),
                ..input("ITエンジニア", "社内システムの開発。", "full_time", "it", "中央町")
            },
        ),
        (
            &f,
            PostingInput {
                remote: "remote".into(),
                ..input("バックエンド開発（副業）", "ＲＵＳＴ を使います。", "side_job", "it", "")
            },
        ),
        (&e, input("定置網漁の乗組員", "朝の漁に出ます。カイゴの経験は不要です。", "full_time", "fishery", "灘浦")),
    ];
    for (i, (emp, inp)) in rows.into_iter().enumerate() {
        fixtures::published(c, emp, inp, t + Duration::hours(i as i64)).unwrap();
    }
    app
}

/// The page without the marks on the words found, to compare titles as written.
fn unmarked(html: &str) -> String {
    html.replace("<mark>", "").replace("</mark>", "")
}

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("q", s)]).unwrap()
}

#[actix_web::test]
async fn japanese_queries_find_what_a_person_expects() {
    let app = app_with_postings().await;
    for (q, found, not_found) in [
        ("介護", &["介護職員（パート）"][..], &["定置網漁の乗組員", "営業事務スタッフ"][..]),
        ("営業事務", &["営業事務スタッフ"], &["ITエンジニア"]),
        ("ITエンジニア", &["ITエンジニア"], &["営業事務スタッフ"]),
        ("rust", &["バックエンド開発（副業）"], &["ITエンジニア"]),
        ("Rust", &["バックエンド開発（副業）"], &[]),
        // A reading finds the kanji as well as the word written in kana.
        ("かいご", &["定置網漁の乗組員", "介護職員（パート）"], &["営業事務スタッフ"]),
        ("カイゴ", &["定置網漁の乗組員"], &[]),
    ] {
        let (status, html) = app.page(&format!("/jobs?{}", enc(q))).await;
        assert_eq!(status, 200, "{q}");
        let html = unmarked(&html);
        for title in found {
            assert!(html.contains(title), "{q} should find {title}");
        }
        for title in not_found {
            assert!(!html.contains(&format!("card-title\">{title}")), "{q} should not find {title}");
        }
        assert!(html.contains(&format!("value=\"{q}\"")), "{q}: the search box keeps the query");
    }
    let (_, html) = app.page(&format!("/jobs?{}", enc("介護"))).await;
    assert!(html.contains("「介護」の検索結果：1件"), "result count");
    assert_eq!(occurrences(&html, "class=\"card\""), 1);
}

#[actix_web::test]
async fn facets_show_counts_and_filters_combine() {
    let app = app_with_postings().await;
    let (_, html) = app.page("/jobs").await;
    assert!(html.contains("5件"));
    assert!(html.contains("正社員 <span class=\"count\">3</span>"), "type facet");
    assert!(html.contains("IT・Web <span class=\"count\">2</span>"), "category facet with configured labels");
    assert!(html.contains("中央町 <span class=\"count\">2</span>"), "area facet");
    assert!(html.contains("フルリモート <span class=\"count\">1</span>"), "remote facet");

    let (status, html) = app.page("/jobs?type=full_time&category=it").await;
    assert_eq!(status, 200);
    assert_eq!(occurrences(&html, "class=\"card\""), 1);
    assert!(html.contains("ITエンジニア"));
    // The type facet leaves the type out: side_job still shows its count within category it.
    assert!(html.contains("副業・兼業 <span class=\"count\">1</span>"), "{html}");
    // Facet links keep the other filters.
    assert!(html.contains("href=\"/jobs?type&#x3D;side_job&amp;category&#x3D;it\""), "{html}");

    let (_, html) = app.page(&format!("/jobs?{}&area=chuo", enc("スタッフ"))).await;
    let html = unmarked(&html);
    assert_eq!(occurrences(&html, "class=\"card\""), 1);
    assert!(html.contains("営業事務スタッフ"));

    let (_, html) = app.page("/jobs?remote=hybrid&lang=en").await;
    assert!(html.contains("ITエンジニア") && html.contains("Hybrid"), "English labels");
}

#[actix_web::test]
async fn pagination_keeps_the_query() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "社会福祉法人あおい会", "jinji@aoi.example").unwrap();
    let t = now() - Duration::days(3);
    // config/test.toml shows 5 per page.
    for i in 0..7 {
        let inp = input(&format!("介護スタッフ{i}号"), "介護のしごと", "part_time", "care", "十二町");
        fixtures::published(&mut conn, &e, inp, t + Duration::hours(i)).unwrap();
    }
    fixtures::published(&mut conn, &e, input("調理補助", "厨房", "part_time", "food", "十二町"), t).unwrap();
    let (_, first) = app.page("/jobs?q=%E4%BB%8B%E8%AD%B7&category=care").await;
    assert!(first.contains("7件"));
    assert_eq!(occurrences(&first, "class=\"card\""), 5);
    assert!(
        first.contains("href=\"/jobs?q&#x3D;%E4%BB%8B%E8%AD%B7&amp;category&#x3D;care&amp;page&#x3D;2\""),
        "the next link keeps the query and filters"
    );
    assert!(
        first.contains("href=\"/follow?q&#x3D;%E4%BB%8B%E8%AD%B7\""),
        "the follow link keeps what a saved search can hold (not the category)"
    );
    let (status, second) = app.page("/jobs?q=%E4%BB%8B%E8%AD%B7&category=care&page=2").await;
    assert_eq!(status, 200);
    assert_eq!(occurrences(&second, "class=\"card\""), 2);
    assert!(!second.contains("調理補助"));
}

#[actix_web::test]
async fn bad_codes_are_400_pages_in_japanese() {
    let app = TestApp::spawn().await;
    for (query, text) in [
        ("/jobs?category=nope", "職種「nope」はありません"),
        ("/jobs?area=tokyo", "地区「tokyo」はありません"),
        ("/jobs?remote=moon", "働き方「moon」はありません"),
        ("/jobs?type=boss", "雇用形態「boss」はありません"),
        ("/jobs?salary_min=lots", "希望月給「lots」は正しくありません"),
    ] {
        let (status, html) = app.page(query).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(text), "{query}: {html}");
    }
}

#[actix_web::test]
async fn no_results_suggest_removing_filters_and_mention_alerts() {
    let app = app_with_postings().await;
    let (status, html) = app.page(&format!("/jobs?{}&area=nadaura", enc("営業事務"))).await;
    assert_eq!(status, 200);
    assert!(html.contains("条件に合うしごとは、いまはありません。"));
    assert!(html.contains("「灘浦」を外す"), "a link drops the area");
    assert!(html.contains("「営業事務」を外す"), "and one drops the query");
    assert!(html.contains("href=\"/jobs?q&#x3D;%E5%96%B6%E6%A5%AD%E4%BA%8B%E5%8B%99\""), "…keeping the query");
    assert!(html.contains("求人アラート"), "alerts are announced");
    assert!(
        html.contains("rel=\"license\">求人データはCC BY 4.0で提供しています。"),
        "the data licence is on the page"
    );
}

#[actix_web::test]
async fn the_search_form_is_on_both_pages_with_labels() {
    let app = app_with_postings().await;
    for path in ["/", "/jobs"] {
        let (_, html) = app.page(path).await;
        assert!(html.contains("<form class=\"search-form"), "{path}");
        assert!(html.contains("<label for=\"s-q\">キーワード</label>"), "{path}");
    }
    let (_, html) = app.page("/jobs?type=part_time").await;
    for id in ["s-type", "s-category", "s-area", "s-remote", "s-salary"] {
        assert!(html.contains(&format!("<label for=\"{id}\">")), "{id} has a label");
    }
    assert!(html.contains("<option value=\"part_time\" selected>"), "the form shows the chosen type");
}

#[actix_web::test]
async fn a_search_that_finds_nothing_offers_nearby_searches_and_what_loosening_gives() {
    let app = app_with_postings().await;
    // 介護 and 漁業 each find postings, never the same one.
    let (status, html) = app.page(&format!("/jobs?{}", enc("介護 漁業"))).await;
    assert_eq!(status, 200);
    assert_eq!(occurrences(&html, "class=\"card\""), 0);
    assert!(html.contains("近いキーワードならこちらが見つかります"), "{html}");
    let link =
        |q: &str| format!("href=\"/jobs?{}\">{q}</a> <span class=\"count\">1件</span>", enc(q).replace('=', "&#x3D;"));
    assert!(html.contains(&link("介護")) && html.contains(&link("漁業")), "{html}");
    // A filter that empties the results says how many taking it away gives.
    let (_, html) = app.page(&format!("/jobs?{}&type=side_job", enc("介護"))).await;
    assert_eq!(occurrences(&html, "class=\"card\""), 0);
    assert!(html.contains("「副業・兼業」を外す</a> <span class=\"count\">1件</span>"), "{html}");
}
