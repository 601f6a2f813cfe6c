//! The public portal through HTTP, on the backend `YUI_TEST_BACKEND` names.

use crate::common::{occurrences, TestApp};
use chrono::Duration;
use yui_db::now;
use yui_db::testing::fixtures;

#[actix_web::test]
async fn healthz_reports_the_backend_and_migrations() {
    let app = TestApp::spawn().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status().as_u16(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], TestDatabaseName::expected());
    assert!(body["migrations_applied"].as_i64().unwrap() >= 1, "{body}");
}

struct TestDatabaseName;
impl TestDatabaseName {
    fn expected() -> String {
        yui_db::testing::TestDatabase::backend_name()
    }
}

#[actix_web::test]
async fn the_top_page_shows_newest_public_postings_and_counts_by_type() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let t = now() - Duration::days(2);
    fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), t).unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("寒ブリの加工スタッフ", "part_time"), t + Duration::hours(1))
        .unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("鮮魚のネット販売", "part_time"), t + Duration::hours(2))
        .unwrap();
    fixtures::pending(&mut conn, &e, fixtures::input("審査待ちの求人", "full_time"), t, now() + Duration::days(5))
        .unwrap();

    let (status, html) = app.page("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"ja\">"));
    let newest = html.find("鮮魚のネット販売").unwrap();
    let oldest = html.find("定置網漁の乗組員").unwrap();
    assert!(newest < oldest, "newest first");
    assert!(!html.contains("審査待ちの求人"), "pending postings are not public");
    assert!(html.contains("パート・アルバイト <span class=\"count\">2</span>"), "counts by type");
    assert!(html.contains("正社員 <span class=\"count\">1</span>"));
    assert!(html.contains("すべてのしごとを見る（3件）"));
}

#[actix_web::test]
async fn an_empty_portal_says_so() {
    let app = TestApp::spawn().await;
    let (status, html) = app.page("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("いま掲載中のしごとはありません。"));
    let (status, html) = app.page("/jobs").await;
    assert_eq!(status, 200);
    assert!(html.contains("条件に合うしごとは、いまはありません。"));
}

#[actix_web::test]
async fn the_list_pages_newest_first_and_keeps_the_filter() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "旅館 海あかり", "recruit@umi.example").unwrap();
    let t = now() - Duration::days(5);
    // config/test.toml shows 5 per page: 7 part-time postings make two pages.
    for i in 0..7 {
        fixtures::published(
            &mut conn,
            &e,
            fixtures::input(&format!("仲居さん{i}号"), "part_time"),
            t + Duration::hours(i),
        )
        .unwrap();
    }
    fixtures::published(&mut conn, &e, fixtures::input("調理補助（副業）", "side_job"), t + Duration::hours(10))
        .unwrap();

    let (_, first) = app.page("/jobs").await;
    assert!(first.contains("8件"));
    assert_eq!(occurrences(&first, "class=\"card\""), 5);
    assert!(first.find("調理補助（副業）").unwrap() < first.find("仲居さん6号").unwrap());

    let (status, part) = app.page("/jobs?type=part_time").await;
    assert_eq!(status, 200);
    assert!(part.contains("7件"));
    assert!(!part.contains("調理補助（副業）"));
    assert!(part.contains("aria-current=\"page\">パート・アルバイト"), "the chosen filter is marked");
    // Handlebars escapes '=' in attributes; browsers read it back as '='.
    assert!(part.contains("href=\"/jobs?type&#x3D;part_time&amp;page&#x3D;2\""), "the next link keeps the filter");

    let (status, second) = app.page("/jobs?type=part_time&page=2").await;
    assert_eq!(status, 200);
    assert_eq!(occurrences(&second, "class=\"card\""), 2);
    assert!(second.contains("仲居さん0号") && second.contains("仲居さん1号"));
    assert!(second.contains("2 / 2 ページ"));
}

#[actix_web::test]
async fn bad_list_parameters_get_a_page_not_a_500() {
    let app = TestApp::spawn().await;
    for (query, status, text) in [
        ("/jobs?page=-1", 400, "ページ番号「-1」は正しくありません"),
        ("/jobs?page=0", 400, "ページ番号「0」は正しくありません"),
        ("/jobs?page=abc", 400, "ページ番号「abc」は正しくありません"),
        ("/jobs?page=99999999999999999999", 400, "ページ番号"),
        ("/jobs?page=2", 404, "ページが見つかりません"),
        ("/jobs?type=boss", 400, "雇用形態「boss」はありません"),
        ("/jobs?type=%E6%AD%A3%E7%A4%BE%E5%93%A1%3Cscript%3E", 400, "雇用形態「正社員&lt;script&gt;」はありません"),
    ] {
        let (got, html) = app.page(query).await;
        assert_eq!(got, status, "{query}");
        assert!(html.contains(text), "{query}: {html}");
        assert!(html.contains("<html lang=\"ja\">"), "{query}: a real page");
    }
}

#[actix_web::test]
async fn the_posting_page_shows_everything_a_seeker_needs() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "社会福祉法人あおい会", "jinji@aoi.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("特別養護老人ホームの介護職員", "full_time"), now())
        .unwrap();

    let (status, html) = app.page(&format!("/jobs/{}", p.public_id)).await;
    assert_eq!(status, 200);
    for expected in [
        "<h1>特別養護老人ホームの介護職員</h1>",
        "社会福祉法人あおい会",
        "正社員",
        "時給 1,000円〜1,200円",
        // The place once, the district and the category by their labels.
        "<dd>富山県氷見市比美町1-2</dd>",
        "<dd>比美町</dd>",
        "<dd>水産・漁業</dd>",
        "<p>朝の水揚げから加工まで。</p>",
        "<p>未経験でも先輩が教えます。</p>",
        "8:00〜17:00",
        "日曜・祝日",
        "雇用保険・労災保険",
        "屋内禁煙",
        "普通自動車免許",
        "電話でご連絡ください。",
        "href=\"tel:0766001234\"",
        "情報更新日",
        "掲載終了日",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    let today_jst = chrono::Utc::now().with_timezone(&yui_domain::tokyo()).date_naive();
    let updated = format!("{}年{}月{}日", today_jst.format("%Y"), today_jst.format("%-m"), today_jst.format("%-d"));
    assert!(html.contains(&format!("<dd class=\"updated\">{updated}</dd>")), "情報更新日 is today in Japan");
}

#[actix_web::test]
async fn postings_that_are_not_public_are_not_found() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "上庄ファーム", "info@farm.example").unwrap();
    let pending =
        fixtures::pending(&mut conn, &e, fixtures::input("審査待ち", "part_time"), now(), now() + Duration::days(3))
            .unwrap();
    let expired =
        fixtures::published(&mut conn, &e, fixtures::input("期限切れ", "part_time"), now() - Duration::days(40))
            .unwrap();
    yui_db::postings::set_valid_through(&mut conn, expired.id, now() - Duration::hours(1)).unwrap();

    for path in [
        format!("/jobs/{}", pending.public_id),
        "/jobs/2345678923".to_owned(),
        "/jobs/not-an-id".to_owned(),
        // (A NUL, `%00`, is refused before routing with a 400: see `malformed`.)
        "/jobs/%FF%FE".to_owned(),
        "/no/such/page".to_owned(),
    ] {
        let (status, html) = app.page(&path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("ページが見つかりません"), "{path}");
    }
    // An ended posting stays at its address, marked as ended (the `posting` module has the rest).
    let (status, html) = app.page(&format!("/jobs/{}", expired.public_id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("掲載終了"));
    let (_, list) = app.page("/jobs").await;
    assert!(!list.contains("期限切れ") && !list.contains("審査待ち"));
}

#[actix_web::test]
async fn english_is_one_click_away_and_remembered() {
    let app = TestApp::spawn().await;
    let (_, ja) = app.page("/jobs").await;
    assert!(ja.contains("しごとを探す"));
    assert!(ja.contains("href=\"/jobs?lang&#x3D;en\""));

    let res = app.get("/jobs?lang=en").await;
    let cookie = res.headers().get("set-cookie").expect("language cookie").to_str().unwrap().to_owned();
    assert!(
        cookie.contains("yui_lang=en") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let en = res.text().await.unwrap();
    assert!(en.contains("<html lang=\"en\">") && en.contains("Find work"));

    // The client keeps the cookie: the next page is English without asking again.
    let (_, next) = app.page("/").await;
    assert!(next.contains("<html lang=\"en\">"), "remembered");
    let (_, missing) = app.page("/nowhere").await;
    assert!(missing.contains("Page not found"));
}

#[actix_web::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/", "/jobs", "/nowhere", "/healthz", "/static/yui.css"] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h.get("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP")).to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
                && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert!(h.get("referrer-policy").is_some(), "{path}");
    }
    let css = app.get("/static/yui.css").await;
    assert_eq!(css.headers().get("content-type").unwrap(), "text/css");
    assert_eq!(app.get("/static/nope.css").await.status().as_u16(), 404);
}

#[actix_web::test]
async fn strict_transport_security_only_when_the_public_address_is_https() {
    let plain = TestApp::spawn().await;
    let secure = TestApp::spawn_with(|s| s.site.base_url = "https://shigoto.example".into()).await;
    for path in ["/", "/nowhere", "/healthz"] {
        let res = plain.get(path).await;
        assert!(res.headers().get("strict-transport-security").is_none(), "http: {path}");
        let res = secure.get(path).await;
        let hsts = res.headers().get("strict-transport-security").unwrap_or_else(|| panic!("https: {path}"));
        assert_eq!(hsts, "max-age=31536000", "{path}");
    }
}

#[actix_web::test]
async fn a_body_that_trickles_in_is_cut_off_at_the_deadline() {
    use std::io::{Read, Write};
    let limit = std::time::Duration::from_secs(1);
    let app = TestApp::spawn_with(|s| s.body_timeout = limit).await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    // Blocking sockets on threads of their own: the app runs on this test's thread.
    let answer = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(limit * 5)).unwrap();
        let mut writer = stream.try_clone().unwrap();
        std::thread::spawn(move || {
            let head = "POST /submit HTTP/1.1\r\nHost: yui\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                        Content-Length: 1000\r\n\r\n";
            writer.write_all(head.as_bytes()).unwrap();
            // One byte every 250 ms: a whole body would take 250 s.
            for _ in 0..1000 {
                if writer.write_all(b"a").is_err() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
        });
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => return Ok(answer),
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    return Err(String::from_utf8_lossy(&answer).into_owned())
                }
                // Closed with the body unread: the kernel may reset the connection.
                Err(_) => return Ok(answer),
            }
        }
    })
    .await
    .unwrap();
    let answer = answer.unwrap_or_else(|so_far| panic!("still open after five deadlines; answered so far: {so_far:?}"));
    let answer = String::from_utf8_lossy(&answer);
    // A 408 when it arrives first; a reset of the connection (the body left unread) may beat it.
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[actix_web::test]
async fn machine_routes_get_json_errors() {
    let app = TestApp::spawn().await;
    let res = app.client.post(format!("{}/healthz", app.address)).send().await.unwrap();
    assert!(res.status().is_client_error());
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["error"]["code"].is_string() && body["error"]["message"].is_string(), "{body}");
}

#[actix_web::test]
async fn head_answers_like_get_without_a_body_on_pages_feeds_and_health() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        "/jobs",
        "/jobs?q=漁業",
        "/feeds/jobs.atom",
        "/feeds/jobs.json",
        "/api/v1/jobs",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/readyz",
        "/static/yui.css",
        "/nowhere",
    ] {
        let get = app.get(path).await;
        let (get_status, get_type) = (get.status().as_u16(), get.headers().get("content-type").cloned());
        let get_len = get.bytes().await.unwrap().len();
        let head = app.client.head(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(head.status().as_u16(), get_status, "HEAD {path}");
        assert_eq!(head.headers().get("content-type").cloned(), get_type, "HEAD {path}");
        if let Some(len) = head.headers().get("content-length") {
            assert_eq!(len.to_str().unwrap(), get_len.to_string(), "HEAD {path}: the GET body's length");
        }
        assert!(head.bytes().await.unwrap().is_empty(), "HEAD {path} sends no body");
    }
    // A route that only takes POST still answers HEAD as it answers GET.
    let get = app.get("/hooks/tally").await.status().as_u16();
    let head = app.client.head(format!("{}/hooks/tally", app.address)).send().await.unwrap().status().as_u16();
    assert_eq!(head, get);
}

#[actix_web::test]
async fn readyz_says_ready_once_every_migration_is_applied() {
    let app = TestApp::spawn().await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status().as_u16(), 200);
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(json["status"], "ready");
    // One migration record gone, as on a database an older build set up: not ready, and which.
    use diesel::prelude::*;
    let newest: String = yui_db::schema::__diesel_schema_migrations::table
        .select(yui_db::schema::__diesel_schema_migrations::version)
        .order(yui_db::schema::__diesel_schema_migrations::version.desc())
        .first(&mut app.conn())
        .unwrap();
    diesel::delete(
        yui_db::schema::__diesel_schema_migrations::table
            .filter(yui_db::schema::__diesel_schema_migrations::version.eq(&newest)),
    )
    .execute(&mut app.conn())
    .unwrap();
    let res = app.get("/readyz").await;
    assert_eq!(res.status().as_u16(), 503);
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(json["missing_migrations"], serde_json::json!([newest]), "{json}");
}

#[actix_web::test]
async fn who_runs_the_site_what_it_stores_and_its_terms_are_one_click_from_every_page() {
    let app = TestApp::spawn().await;
    yui_db::organizations::ensure(&mut app.conn(), "himi-npo", "ひみNPOセンター", "npo").unwrap();
    let change = yui_db::organizations::OrganizationChange {
        name_en: Some(Some("Himi NPO Centre".into())),
        description: Some(Some("移住者の仕事さがしを手伝います".into())),
        ..Default::default()
    };
    assert!(yui_db::organizations::update(&mut app.conn(), "himi-npo", &change).unwrap());
    let (_, home) = app.page("/").await;
    for link in ["href=\"/about\"", "href=\"/privacy\"", "href=\"/terms\""] {
        assert!(home.contains(link), "the footer links {link}");
    }
    let (status, about) = app.page("/about").await;
    assert_eq!(status, 200);
    assert!(
        about.contains("<h1>運営について</h1>") && about.contains("ひみNPOセンター") && about.contains("NPO"),
        "{about}"
    );
    let (status, privacy) = app.page("/privacy").await;
    assert_eq!(status, 200);
    assert!(privacy.contains("<h1>プライバシーポリシー</h1>") && privacy.contains("保管する期間"), "{privacy}");
    assert!(privacy.contains("<table>"), "the table of what is kept is rendered");
    assert!(about.contains("移住者の仕事さがしを手伝います"), "what it does");
    let (_, about_en) = app.page("/about?lang=en").await;
    assert!(about_en.contains("Himi NPO Centre"), "its English name in English");
    let (status, terms) = app.page("/terms?lang=en").await;
    assert_eq!(status, 200);
    assert!(terms.contains("<h1>Terms of use</h1>"), "{terms}");
    app.page("/?lang=ja").await;
}

#[actix_web::test]
async fn the_operators_own_page_replaces_the_shipped_one_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let app = TestApp::spawn_with(move |s| s.pages_dir = Some(path)).await;
    let (_, shipped) = app.page("/privacy").await;
    assert!(shipped.contains("保管する期間"));
    std::fs::write(
        dir.path().join("privacy.ja.md"),
        "## 氷見市の個人情報保護方針\n\n<script>alert(1)</script>\n\n窓口: [市役所](/about)",
    )
    .unwrap();
    let (status, own) = app.page("/privacy?fresh=1").await;
    assert_eq!(status, 200);
    assert!(own.contains("<h2>氷見市の個人情報保護方針</h2>") && own.contains("窓口: <a href=\"/about\""), "{own}");
    assert!(!own.contains("<script>alert"), "the operator's Markdown is sanitised too");
    // No English file of their own: their Japanese one, not the shipped English.
    let (_, en) = app.page("/privacy?lang=en").await;
    assert!(en.contains("氷見市の個人情報保護方針"), "{en}");
    app.page("/?lang=ja").await;
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    Some(&html[from..from + html[from..].find(end)?])
}

#[actix_web::test]
async fn every_public_page_has_a_title_and_a_description_of_its_own_and_a_favicon() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), now()).unwrap();
    let posting = format!("/jobs/{}", p.public_id);
    let pages = ["/", "/jobs", "/features", "/succession", "/supporters", "/support/banners", "/support", "/about"];
    let mut titles = std::collections::HashSet::new();
    for path in pages.iter().copied().chain([posting.as_str()]) {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
        let html = res.text().await.unwrap();
        let title = between(&html, "<title>", "</title>").unwrap_or_else(|| panic!("{path}: no title"));
        assert!(title.contains(" | "), "{path}: the title names the page, then the site: {title:?}");
        assert!(titles.insert(title.to_owned()), "{path}: the title {title:?} is another page's too");
        let description = between(&html, "<meta name=\"description\" content=\"", "\"").unwrap_or_default();
        assert!(description.chars().count() >= 20, "{path}: a description of its own: {description:?}");
        assert!(html.contains("<link rel=\"icon\" href=\"/static/favicon.svg\""), "{path}");
    }
    let res = app.get("/jobs?q=介護&lang=en").await;
    let html = res.text().await.unwrap();
    assert!(between(&html, "<title>", "</title>").unwrap().starts_with("介護 | "), "a search is titled by its words");
    app.get("/?lang=ja").await;

    let old_place = app.get("/favicon.ico").await;
    assert_eq!(old_place.status().as_u16(), 301);
    assert_eq!(old_place.headers()["location"], "/static/favicon.svg");
    let icon = app.get("/static/favicon.svg").await;
    assert_eq!(icon.status().as_u16(), 200);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    assert!(icon.text().await.unwrap().contains("結"));
}

#[actix_web::test]
async fn the_front_page_tells_the_towns_story_in_both_languages() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), now()).unwrap();
    let html = app.get("/").await.text().await.unwrap();
    // No stories yet: their sections stay away rather than showing empty headings.
    assert!(!html.contains("home-stories"), "no features or columns yet");
    crate::articles::published_column(&mut conn, "umi", None);

    let html = app.get("/").await.text().await.unwrap();
    let settings = crate::common::test_settings().home;
    let picture = settings.picture.as_ref().expect("the shipped configuration has a picture");
    assert!(html.contains(&format!("<img src=\"{}\" alt=\"{}\"", picture.src, picture.alt.ja)), "the town's picture");
    for help in &settings.help {
        assert!(html.contains(&help.title.ja), "help for people moving here: {}", help.title.ja);
    }
    for (expected, why) in [
        ("class=\"home-stories\"", "the newest column"),
        ("href=\"/columns/umi\"", "linked"),
        ("href=\"/succession\"", "the succession teaser"),
        ("href=\"/follow\"", "follow"),
        ("href=\"/support\"", "support"),
        ("定置網漁の乗組員", "new postings"),
        ("href=\"/about\"", "who runs it"),
    ] {
        assert!(html.contains(expected), "{why}: {expected}");
    }
    let html = app.get("/?lang=en").await.text().await.unwrap();
    assert!(html.contains(&picture.alt.en) && html.contains(&settings.help[0].title.en), "English from the settings");
    assert!(html.contains("Thinking of moving here?"));
    app.get("/?lang=ja").await;
}
