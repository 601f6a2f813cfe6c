//! The posting page and what crawlers read: ended postings kept at their address, the
//! employer's other postings, schema.org JobPosting JSON-LD, Open Graph, the sitemap,
//! robots.txt, and the language from Accept-Language.

use crate::common::{self, TestApp};
use chrono::Duration;
use serde_json::Value;
use yui_db::now;
use yui_db::testing::fixtures;
use yui_domain::{PostingAction, PostingInput};

/// The JSON-LD blocks of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    let marker = "<script type=\"application/ld+json\">";
    html.match_indices(marker)
        .map(|(i, _)| {
            let start = i + marker.len();
            let end = start + html[start..].find("</script>").unwrap();
            serde_json::from_str(&html[start..end]).unwrap()
        })
        .collect()
}

fn meta_property(html: &str, property: &str) -> Option<String> {
    let marker = format!("<meta property=\"{property}\" content=\"");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..start + html[start..].find('"')?].to_owned())
}

fn act(conn: &mut yui_db::DbConnection, p: &yui_db::postings::Posting, action: PostingAction) {
    yui_db::postings::apply_action(conn, p.id, p.version, action, Default::default(), Default::default(), now())
        .unwrap();
}

#[actix_web::test]
async fn a_public_posting_carries_job_posting_json_ld_with_what_google_requires() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let input = PostingInput {
        description: "朝の水揚げから加工まで。</script><script>alert(1)</script>".into(),
        ..fixtures::input("寒ブリの加工スタッフ", "contract")
    };
    let p = fixtures::published(&mut conn, &e, input, now() - Duration::days(1)).unwrap();

    let (status, html) = app.page(&format!("/jobs/{}", p.public_id)).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)"), "nothing typed can close the JSON-LD block");
    let blocks = json_ld(&html);
    assert_eq!(blocks.len(), 1, "one JSON-LD block");
    let ld = &blocks[0];
    assert_eq!(ld["@context"], "https://schema.org/");
    assert_eq!(ld["@type"], "JobPosting");
    // Google's required properties.
    assert_eq!(ld["title"], "寒ブリの加工スタッフ");
    assert!(ld["description"].as_str().unwrap().contains("</script><script>alert(1)"), "the text itself is intact");
    let posted = chrono::DateTime::parse_from_rfc3339(ld["datePosted"].as_str().unwrap()).unwrap();
    assert_eq!(posted.offset().local_minus_utc(), 9 * 3600, "in Japan time");
    assert_eq!(ld["hiringOrganization"]["@type"], "Organization");
    assert_eq!(ld["hiringOrganization"]["name"], "株式会社氷見浜水産");
    assert_eq!(ld["hiringOrganization"]["sameAs"], "https://example.example/");
    let address = &ld["jobLocation"]["address"];
    assert_eq!(ld["jobLocation"]["@type"], "Place");
    assert_eq!(address["@type"], "PostalAddress");
    assert_eq!(address["addressCountry"], "JP");
    assert_eq!(address["addressRegion"], "富山県");
    assert_eq!(address["addressLocality"], "氷見市");
    assert_eq!(address["streetAddress"], "富山県氷見市比美町1-2");
    // Recommended ones.
    let valid = chrono::DateTime::parse_from_rfc3339(ld["validThrough"].as_str().unwrap()).unwrap();
    assert!(valid > posted);
    assert_eq!(ld["employmentType"], "TEMPORARY", "契約社員 is a fixed-term employee");
    let salary = &ld["baseSalary"];
    assert_eq!((salary["@type"].as_str(), salary["currency"].as_str()), (Some("MonetaryAmount"), Some("JPY")));
    assert_eq!(salary["value"]["@type"], "QuantitativeValue");
    assert_eq!((salary["value"]["minValue"].as_i64(), salary["value"]["maxValue"].as_i64()), (Some(1000), Some(1200)));
    assert_eq!(salary["value"]["unitText"], "HOUR");
    assert_eq!(ld["directApply"], true);
    assert_eq!(ld["identifier"]["@type"], "PropertyValue");
    assert_eq!(ld["identifier"]["value"], p.public_id.as_str());
    assert!(ld.get("jobLocationType").is_none(), "on site");

    // Open Graph and Twitter card.
    assert_eq!(meta_property(&html, "og:title").as_deref(), Some("寒ブリの加工スタッフ"));
    assert_eq!(meta_property(&html, "og:type").as_deref(), Some("article"));
    assert_eq!(meta_property(&html, "og:locale").as_deref(), Some("ja_JP"));
    assert!(meta_property(&html, "og:url").unwrap().ends_with(&format!("/jobs/{}", p.public_id)));
    assert!(meta_property(&html, "og:description").unwrap().starts_with("朝の水揚げから加工まで。"));
    assert!(meta_property(&html, "og:site_name").is_some());
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    assert!(html.contains("<meta name=\"robots\" content=\"index,follow\">"));
}

#[actix_web::test]
async fn remote_work_says_telecommute_and_every_type_maps_to_googles_words() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "ひみ編集室", "hello@himi.example").unwrap();
    let google = ["FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"];
    for (code, expected) in [
        ("full_time", "FULL_TIME"),
        ("part_time", "PART_TIME"),
        ("side_job", "PART_TIME"),
        ("outsourcing", "CONTRACTOR"),
        ("internship", "INTERN"),
        ("volunteer", "VOLUNTEER"),
        ("other", "OTHER"),
    ] {
        let input = PostingInput {
            remote: "remote".into(),
            salary_min: Some(250_000),
            salary_max: None,
            salary_unit: "month".into(),
            ..fixtures::input(&format!("ウェブ編集 {code}"), code)
        };
        let p = fixtures::published(&mut conn, &e, input, now()).unwrap();
        let (_, html) = app.page(&format!("/jobs/{}", p.public_id)).await;
        let ld = &json_ld(&html)[0];
        assert_eq!(ld["employmentType"], expected, "{code}");
        assert!(google.contains(&ld["employmentType"].as_str().unwrap()));
        assert_eq!(ld["jobLocationType"], "TELECOMMUTE");
        assert_eq!(ld["applicantLocationRequirements"]["name"], "JP");
        assert_eq!(ld["baseSalary"]["value"]["minValue"], 250_000);
        assert!(ld["baseSalary"]["value"].get("maxValue").is_none());
        assert_eq!(ld["baseSalary"]["value"]["unitText"], "MONTH");
    }
}

#[actix_web::test]
async fn an_ended_posting_stays_at_its_address_without_contact_and_not_indexed() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "旅館 海あかり", "recruit@umi.example").unwrap();
    let filled = fixtures::published(&mut conn, &e, fixtures::input("仲居さん", "part_time"), now()).unwrap();
    act(&mut conn, &filled, PostingAction::MarkFilled);
    let closed = fixtures::published(&mut conn, &e, fixtures::input("調理補助", "part_time"), now()).unwrap();
    act(&mut conn, &closed, PostingAction::Close);
    let past = fixtures::published(&mut conn, &e, fixtures::input("夏季の清掃", "part_time"), now()).unwrap();
    yui_db::postings::set_valid_through(&mut conn, past.id, now() - Duration::hours(1)).unwrap();
    let expired = fixtures::published(&mut conn, &e, fixtures::input("冬季の清掃", "part_time"), now()).unwrap();
    act(&mut conn, &expired, PostingAction::Expire);

    for (p, reason) in
        [(&filled, "採用決定"), (&closed, "募集終了"), (&past, "掲載期限切れ"), (&expired, "掲載期限切れ")]
    {
        let (status, html) = app.page(&format!("/jobs/{}", p.public_id)).await;
        assert_eq!(status, 200, "{}", p.title);
        assert!(html.contains("掲載終了"), "{}", p.title);
        assert!(html.contains(reason), "{}: {reason}", p.title);
        assert!(html.contains(&format!("<h1>{}</h1>", p.title)));
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"), "{}", p.title);
        assert!(!html.contains("contact-form") && !html.contains("name=\"message\""), "{}: no contact form", p.title);
        assert!(!html.contains("0766-00-1234") && !html.contains("tel:"), "{}: no phone", p.title);
        assert!(!html.contains("電話でご連絡ください"), "{}: no how-to-apply", p.title);
        assert!(json_ld(&html).is_empty(), "{}: no JSON-LD", p.title);
    }
}

#[actix_web::test]
async fn postings_never_published_are_not_found() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "上庄ファーム", "info@farm.example").unwrap();
    let end = now() + Duration::days(3);
    let pending = fixtures::pending(&mut conn, &e, fixtures::input("審査待ち", "part_time"), now(), end).unwrap();
    let rejected = fixtures::pending(&mut conn, &e, fixtures::input("不掲載", "part_time"), now(), end).unwrap();
    act(&mut conn, &rejected, PostingAction::Reject);
    let asked = fixtures::pending(&mut conn, &e, fixtures::input("修正依頼中", "part_time"), now(), end).unwrap();
    act(&mut conn, &asked, PostingAction::RequestChanges);
    for p in [&pending, &rejected, &asked] {
        let (status, html) = app.page(&format!("/jobs/{}", p.public_id)).await;
        assert_eq!(status, 404, "{}", p.title);
        assert!(!html.contains(&p.title));
    }
}

#[actix_web::test]
async fn the_page_links_the_employers_other_open_postings() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "社会福祉法人あおい会", "jinji@aoi.example").unwrap();
    let other = fixtures::employer(&mut conn, "別の法人", "x@other.example").unwrap();
    let t = now() - Duration::days(3);
    let main = fixtures::published(&mut conn, &e, fixtures::input("介護職員", "full_time"), t).unwrap();
    let mut siblings = Vec::new();
    for i in 0..6 {
        siblings.push(
            fixtures::published(
                &mut conn,
                &e,
                fixtures::input(&format!("姉妹求人{i}"), "part_time"),
                t + Duration::hours(i),
            )
            .unwrap(),
        );
    }
    let ended = fixtures::published(&mut conn, &e, fixtures::input("終了した求人", "part_time"), t).unwrap();
    act(&mut conn, &ended, PostingAction::Close);
    fixtures::published(&mut conn, &other, fixtures::input("他社の求人", "part_time"), t).unwrap();

    let (_, html) = app.page(&format!("/jobs/{}", main.public_id)).await;
    assert!(html.contains("この事業者のほかの求人"));
    let section = &html[html.find("other-postings").unwrap()..];
    for s in &siblings[1..] {
        assert!(section.contains(&format!("<a href=\"/jobs/{}\">{}</a>", s.public_id, s.title)), "{}", s.title);
    }
    assert!(!section.contains("姉妹求人0"), "at most five, newest first");
    assert!(!section.contains("終了した求人") && !section.contains("他社の求人"));
    assert!(!section.contains(&format!("/jobs/{}\"", main.public_id)), "not itself");
}

#[actix_web::test]
async fn the_sitemap_lists_exactly_the_public_postings() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "氷見の宿", "yado@himi.example").unwrap();
    let a = fixtures::published(&mut conn, &e, fixtures::input("フロント", "part_time"), now()).unwrap();
    let b = fixtures::published(&mut conn, &e, fixtures::input("清掃", "part_time"), now()).unwrap();
    let closed = fixtures::published(&mut conn, &e, fixtures::input("終了", "part_time"), now()).unwrap();
    act(&mut conn, &closed, PostingAction::Close);
    fixtures::pending(&mut conn, &e, fixtures::input("審査待ち", "part_time"), now(), now() + Duration::days(9))
        .unwrap();

    let res = app.get("/sitemap.xml").await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let xml = res.text().await.unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(xml.trim_end().ends_with("</urlset>"));
    let base = common::test_settings().site.base_url;
    let locs: Vec<&str> = xml.split("<loc>").skip(1).map(|s| &s[..s.find("</loc>").unwrap()]).collect();
    let mut expected = vec![format!("{base}/"), format!("{base}/jobs")];
    let mut postings: Vec<String> = [&a, &b].iter().map(|p| format!("{base}/jobs/{}", p.public_id)).collect();
    postings.sort();
    expected.extend(postings);
    let mut got: Vec<String> = locs.iter().map(|s| (*s).to_owned()).collect();
    got[2..].sort();
    assert_eq!(got, expected);
    assert_eq!(xml.matches("<url>").count(), xml.matches("</url>").count());
    for entry in xml.split("<url>").skip(3) {
        let lastmod = &entry[entry.find("<lastmod>").unwrap() + 9..entry.find("</lastmod>").unwrap()];
        chrono::DateTime::parse_from_rfc3339(lastmod).unwrap();
    }
}

#[actix_web::test]
async fn robots_txt_keeps_crawlers_to_the_portal_and_names_the_sitemap() {
    let app = TestApp::spawn().await;
    let res = app.get("/robots.txt").await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    for line in ["User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /manage/", "Disallow: /hooks/"] {
        assert!(lines.contains(&line), "{line}: {body}");
    }
    let base = common::test_settings().site.base_url;
    assert!(lines.contains(&format!("Sitemap: {base}/sitemap.xml").as_str()), "{body}");
}

/// The `User-agent: *` group's rules in order: (allowed, path prefix).
fn robots_rules(body: &str) -> Vec<(bool, String)> {
    body.lines()
        .filter_map(|line| {
            let (field, value) = line.split_once(':')?;
            let allowed = match field.trim().to_ascii_lowercase().as_str() {
                "allow" => true,
                "disallow" => false,
                _ => return None,
            };
            Some((allowed, value.trim().to_owned()))
        })
        .filter(|(_, path)| !path.is_empty())
        .collect()
}

#[actix_web::test]
async fn robots_txt_reads_the_same_to_first_match_and_longest_match_parsers() {
    let app = TestApp::spawn().await;
    let (_, body) = app.page("/robots.txt").await;
    let rules = robots_rules(&body);
    // Python's urllib.robotparser: the first rule whose path is a prefix decides.
    let first_match = |path: &str| rules.iter().find(|(_, p)| path.starts_with(p.as_str())).is_none_or(|(a, _)| *a);
    // RFC 9309: the longest matching path decides, Allow winning a tie.
    let longest_match = |path: &str| {
        rules
            .iter()
            .filter(|(_, p)| path.starts_with(p.as_str()))
            .max_by_key(|(a, p)| (p.len(), *a))
            .is_none_or(|(a, _)| *a)
    };
    let expected = [
        ("/", true),
        ("/jobs", true),
        ("/jobs/abc123", true),
        ("/succession", true),
        ("/succession/abc", true),
        ("/support", true),
        ("/support/banners", true),
        ("/sitemap.xml", true),
        ("/admin/", false),
        ("/admin/review/1", false),
        ("/manage/secret", false),
        ("/succession/manage/secret", false),
        ("/hooks/tally", false),
        ("/follow/manage/secret", false),
        ("/follow/confirm/secret", false),
        ("/follow/feeds/secret.atom", false),
        ("/unsubscribe/secret", false),
        ("/support/confirm/secret", false),
        ("/support/leave/secret", false),
    ];
    for (path, allowed) in expected {
        assert_eq!(first_match(path), allowed, "first match, {path}: {body}");
        assert_eq!(longest_match(path), allowed, "longest match, {path}: {body}");
    }
}

#[actix_web::test]
async fn the_top_page_has_open_graph_tags() {
    let app = TestApp::spawn().await;
    let (_, html) = app.page("/").await;
    assert_eq!(meta_property(&html, "og:type").as_deref(), Some("website"));
    assert_eq!(meta_property(&html, "og:site_name"), meta_property(&html, "og:title"));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary\">"));
}

#[actix_web::test]
async fn accept_language_chooses_english_after_the_query_and_the_cookie() {
    let app = TestApp::spawn().await;
    let fresh = || reqwest::Client::builder().build().unwrap();
    let get = |lang: &'static str| {
        let client = fresh();
        let url = format!("{}/jobs", app.address);
        async move { client.get(url).header("accept-language", lang).send().await.unwrap().text().await.unwrap() }
    };
    assert!(get("en-US,en;q=0.9,ja;q=0.8").await.contains("<html lang=\"en\">"));
    assert!(get("ja,en;q=0.5").await.contains("<html lang=\"ja\">"));
    assert!(get("fr-FR,fr;q=0.9").await.contains("<html lang=\"ja\">"), "neither: the site default");
    // The query beats the header; the cookie too.
    let client = fresh();
    let html = client
        .get(format!("{}/jobs?lang=ja", app.address))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"ja\">"));
    let html = client
        .get(format!("{}/jobs", app.address))
        .header("accept-language", "en")
        .header("cookie", "yui_lang=ja")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"ja\">"));
}
