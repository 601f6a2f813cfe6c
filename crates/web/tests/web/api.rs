//! The open-data API and the feeds: shapes, required fields, CORS, licence.

use crate::common::TestApp;
use chrono::Duration;
use yui_db::now;
use yui_db::testing::fixtures;
use yui_domain::PostingInput;

async fn app_with_postings() -> (TestApp, String, String) {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産 <&>", "saiyo@hama.example").unwrap();
    let t = now() - Duration::days(2);
    let a = fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), t).unwrap();
    let b = fixtures::published(
        &mut conn,
        &e,
        fixtures::input("寒ブリの加工 & 出荷 <急募>", "part_time"),
        t + Duration::hours(1),
    )
    .unwrap();
    fixtures::pending(&mut conn, &e, fixtures::input("審査待ち", "full_time"), t, now() + Duration::days(3)).unwrap();
    (app, a.public_id, b.public_id)
}

#[actix_web::test]
async fn the_list_has_items_paging_and_licence() {
    let (app, a, b) = app_with_postings().await;
    let res = app.get("/api/v1/jobs").await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "*");
    assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("application/json"));
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["total"], 2);
    assert_eq!((body["page"].as_i64(), body["per_page"].as_i64()), (Some(1), Some(5)));
    assert!(body["next"].is_null() && body["prev"].is_null());
    assert_eq!(body["license"]["name"], "CC BY 4.0");
    assert_eq!(body["license"]["url"], "https://creativecommons.org/licenses/by/4.0/");
    let items = body["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], b, "newest first");
    assert_eq!(items[1]["id"], a);
    let item = &items[1];
    for key in [
        "id",
        "url",
        "title",
        "employment_type",
        "employer",
        "location",
        "salary",
        "date_posted",
        "valid_through",
        "description",
    ] {
        assert!(!item[key].is_null(), "{key} missing in {item}");
    }
    assert_eq!(item["employment_type"]["code"], "full_time");
    assert_eq!(item["employment_type"]["label"], "正社員");
    assert_eq!(item["employer"]["name"], "株式会社氷見浜水産 <&>");
    assert!(item["url"].as_str().unwrap().ends_with(&format!("/jobs/{a}")));
    assert_eq!(
        item["salary"],
        serde_json::json!({"min": 1000, "max": 1200, "unit": "hour", "currency": "JPY", "text": "時給 1,000円〜1,200円"})
    );
    assert!(item["date_posted"].as_str().unwrap().ends_with('Z'));
    assert_eq!(item["location"]["municipality"], "氷見市");

    let body: serde_json::Value = app.get("/api/v1/jobs?type=part_time").await.json().await.unwrap();
    assert_eq!(body["total"], 1);
    let body: serde_json::Value = app.get("/api/v1/jobs?q=%E5%AE%9A%E7%BD%AE%E7%B6%B2").await.json().await.unwrap();
    assert_eq!(body["items"][0]["id"], a, "the same search as /jobs");
    let res = app.get("/api/v1/jobs?category=nope").await;
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "*");
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "bad_request");
}

#[actix_web::test]
async fn one_posting_or_a_json_404() {
    let (app, a, _) = app_with_postings().await;
    let res = app.get(&format!("/api/v1/jobs/{a}")).await;
    assert_eq!(res.status().as_u16(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["id"], a);
    assert_eq!(body["title"], "定置網漁の乗組員");
    assert_eq!(body["license"]["name"], "CC BY 4.0");
    for path in ["/api/v1/jobs/2345678923", "/api/v1/jobs/not-an-id"] {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 404, "{path}");
        assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "*");
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "not_found", "{path}");
    }
}

#[actix_web::test]
async fn the_openapi_document_lists_both_paths() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status().as_u16(), 200);
    let doc: serde_json::Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"]["/api/v1/jobs"]["get"]["parameters"].as_array().unwrap().len() >= 7);
    assert!(doc["paths"]["/api/v1/jobs/{id}"]["get"].is_object());
    assert!(doc["components"]["schemas"]["Job"]["required"].as_array().unwrap().contains(&"valid_through".into()));
}

/// The text of the first `<tag>…</tag>` in `xml` after `from`.
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = xml.find(&format!("<{tag}>")).or_else(|| xml.find(&format!("<{tag} ")))?;
    let start = open + xml[open..].find('>')? + 1;
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(&xml[start..end])
}

#[actix_web::test]
async fn the_atom_feed_has_the_required_elements_and_escapes() {
    let (app, a, b) = app_with_postings().await;
    let res = app.get("/feeds/jobs.atom").await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("application/atom+xml"));
    assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "*");
    let xml = res.text().await.unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(xml.trim_end().ends_with("</feed>"));
    let head = &xml[..xml.find("<entry>").unwrap()];
    for tag in ["id", "title", "updated"] {
        assert!(element(head, tag).is_some_and(|t| !t.is_empty()), "feed {tag}");
    }
    assert!(head.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"http"));
    assert!(head.contains("<rights>CC BY 4.0 https://creativecommons.org/licenses/by/4.0/</rights>"));
    let entries: Vec<&str> = xml.split("<entry>").skip(1).map(|e| &e[..e.find("</entry>").unwrap()]).collect();
    assert_eq!(entries.len(), 2);
    for e in &entries {
        for tag in ["id", "title", "updated", "summary", "author"] {
            assert!(element(e, tag).is_some_and(|t| !t.is_empty()), "entry {tag} in {e}");
        }
        assert!(e.contains("<link rel=\"alternate\" type=\"text/html\" href=\""));
        let updated = element(e, "updated").unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(updated).is_ok(), "{updated}");
    }
    assert!(element(entries[0], "id").unwrap().ends_with(&format!("/jobs/{b}")), "newest first");
    assert!(element(entries[1], "id").unwrap().ends_with(&format!("/jobs/{a}")));
    assert!(xml.contains("<title>寒ブリの加工 &amp; 出荷 &lt;急募&gt;</title>"), "titles are escaped");
    assert!(xml.contains("株式会社氷見浜水産 &lt;&amp;&gt;"));
    assert!(!xml.contains("<急募>") && !xml.contains("審査待ち"));

    let filtered = app.get("/feeds/jobs.atom?type=full_time").await.text().await.unwrap();
    assert_eq!(filtered.matches("<entry>").count(), 1);
    assert!(
        filtered.contains("feeds/jobs.atom?type&#61;full_time") || filtered.contains("feeds/jobs.atom?type=full_time")
    );
}

#[actix_web::test]
async fn the_json_feed_has_the_required_fields() {
    let (app, a, b) = app_with_postings().await;
    let res = app.get("/feeds/jobs.json?q=%E5%AE%9A%E7%BD%AE%E7%B6%B2").await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("application/feed+json"));
    assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "*");
    let feed: serde_json::Value = res.json().await.unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(feed["home_page_url"].as_str().unwrap().starts_with("http"));
    assert!(feed["feed_url"].as_str().unwrap().contains("/feeds/jobs.json?q="));
    assert_eq!(feed["_yui"]["license"]["name"], "CC BY 4.0");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    for key in ["id", "url", "title", "content_text", "date_published"] {
        assert!(items[0][key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
    }
    assert!(items[0]["url"].as_str().unwrap().ends_with(&format!("/jobs/{a}")));
    let all: serde_json::Value = app.get("/feeds/jobs.json").await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert!(all["items"][0]["id"].as_str().unwrap().ends_with(&b));
}

#[actix_web::test]
async fn a_postings_area_code_feeds_back_into_the_area_filter() {
    let (app, a, _) = app_with_postings().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "民宿うみかぜ", "yado@umikaze.example").unwrap();
    let unlisted =
        PostingInput { area: "東京都千代田区".into(), ..fixtures::input("民宿の調理補助", "part_time") };
    let c = fixtures::published(&mut conn, &e, unlisted, now() - Duration::days(1)).unwrap();

    let body: serde_json::Value = app.get(&format!("/api/v1/jobs/{a}")).await.json().await.unwrap();
    assert_eq!(body["location"]["area"], "比美町", "the name as the posting gives it, as before");
    assert_eq!(body["location"]["area_code"], "hibi");
    let code = body["location"]["area_code"].as_str().unwrap();
    let list: serde_json::Value = app.get(&format!("/api/v1/jobs?area={code}")).await.json().await.unwrap();
    assert_eq!(list["total"], 2, "both postings in 比美町, and not the one elsewhere");
    assert!(list["items"].as_array().unwrap().iter().all(|i| i["location"]["area_code"] == code));

    let body: serde_json::Value = app.get(&format!("/api/v1/jobs/{}", c.public_id)).await.json().await.unwrap();
    assert_eq!(body["location"]["area"], "東京都千代田区");
    assert!(body["location"]["area_code"].is_null(), "a district the instance does not list has no code");
}

#[actix_web::test]
async fn an_unknown_or_repeated_lang_is_a_400_that_says_so() {
    let (app, a, _) = app_with_postings().await;
    for path in ["/api/v1/jobs?lang=AAA", &format!("/api/v1/jobs/{a}?lang=AAA"), "/api/v1/jobs?lang="] {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 400, "{path}");
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "bad_request", "{path}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains("ja（日本語）か en（英語）"), "{path}: {message}");
    }
    let err: serde_json::Value = app.get("/api/v1/jobs?lang=ja&lang=en").await.json().await.unwrap();
    assert_eq!(err["error"]["message"], "「lang」が2回以上指定されています。1回だけにしてください。");
    let err: serde_json::Value = app.get("/api/v1/jobs?type=full_time&type=part_time").await.json().await.unwrap();
    assert_eq!(err["error"]["code"], "bad_request", "a repeated filter too");
    let body: serde_json::Value = app.get("/api/v1/jobs?lang=en").await.json().await.unwrap();
    assert_eq!(body["items"][1]["employment_type"]["label"], "Full-time");
}

#[actix_web::test]
async fn a_preflight_is_204_with_the_cors_headers_and_other_methods_405() {
    let (app, a, _) = app_with_postings().await;
    for path in ["/api/v1/jobs", &format!("/api/v1/jobs/{a}"), "/api/v1/openapi.json"] {
        let res = app
            .client
            .request(reqwest::Method::OPTIONS, format!("{}{path}", app.address))
            .header("origin", "https://other.example")
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "accept-language, x-requested-with")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 204, "{path}");
        let h = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(h("access-control-allow-origin").as_deref(), Some("*"), "{path}");
        assert_eq!(h("access-control-allow-methods").as_deref(), Some("GET, HEAD, OPTIONS"), "{path}");
        assert_eq!(h("access-control-allow-headers").as_deref(), Some("*"), "{path}");
        assert_eq!(h("access-control-max-age").as_deref(), Some("86400"), "{path}");

        let res = app.client.head(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "HEAD {path}");
        let res = app.client.post(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 405, "POST {path}");
        assert_eq!(res.headers().get("allow").unwrap(), "GET, HEAD, OPTIONS");
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "method_not_allowed");
    }
}
