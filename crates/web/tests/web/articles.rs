//! Feature articles and columns over HTTP, on the backend `YUI_TEST_BACKEND` names: the staff
//! pages and their refusals, hero image uploads, the public pages (PR label and sponsor, 404
//! for drafts and scheduled articles, linked postings' live status), the Atom feed, the
//! sitemap, JSON-LD and the page cache.

use crate::common::{self, hidden_value, Session, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use yui_db::articles::{self, ArticleContent, Editor};
use yui_db::postings::{Actor, Reason};
use yui_db::schema::articles as articles_table;
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};
use yui_domain::ArticleAction;
use yui_domain::PostingAction;

/// A staff member of the editorial desk, as the articles module sees them.
pub(crate) fn staff(conn: &mut DbConnection, email: &str, role: &'static str) -> Editor {
    let user = common::staff(conn, email, role, ("desk", "編集部"));
    Editor { staff_id: user.id, organization_id: user.organization_id, role: user.role }
}

fn status_of(conn: &mut DbConnection, id: i32) -> String {
    articles_table::table.find(id).select(articles_table::status).first(conn).unwrap()
}

/// A multipart upload of `file` as the hero image.
pub(crate) async fn upload(
    s: &Session,
    path: &str,
    csrf: &str,
    version: &str,
    name: &str,
    file: &[u8],
) -> (u16, String) {
    s.post_file(path, &[("csrf", csrf), ("version", version)], "hero", name, file).await
}

fn article_id(location: &str) -> i32 {
    location.trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap()
}

/// A tiny valid PNG (1×1, transparent).
/// A whole 1×1 PNG (red, opaque), checksums and all: the upload decodes it.
pub(crate) const PNG: &[u8] = b"\x89PNG\x0d\x0a\x1a\x0a\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0dIDATx\xdac8!'\xf7\x1f\x00\x04\xba\x02\x04\xe1\x09\x0d\xd7\x00\x00\x00\x00IEND\xaeB`\x82";

#[actix_web::test]
async fn a_writer_drafts_and_submits_and_only_another_editor_approves_once_ordered() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "writer@desk.example", "writer");
    let editor = staff(&mut conn, "editor@desk.example", "editor");
    let e = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("漁師見習い", "full_time"), now()).unwrap();
    let sponsor = e.id.to_string();

    let writer = Session::login(&app, "writer@desk.example").await;
    let csrf = writer.csrf_on("/admin/articles").await;
    let form = |slug: &'static str| {
        vec![
            ("kind", "feature"),
            ("slug", slug),
            ("title", "港の朝を支える人たち"),
            ("lede", "氷見の魚市場で働く三人に聞きました。"),
            ("body", "## 朝四時\n\n市場は**まだ暗い**。<script>alert(1)</script>"),
            ("writer_credit", "山田 太郎"),
        ]
    };
    // Without the CSRF token nothing is created.
    let mut no_csrf = form("hama-2026");
    no_csrf.push(("sponsor", &sponsor));
    let (status, _) = writer.post("/admin/articles", &no_csrf).await;
    assert_eq!(status, 403);
    assert_eq!(articles_table::table.count().get_result::<i64>(&mut conn).unwrap(), 0);
    // A feature without a sponsor gets a field message.
    let mut missing = form("hama-2026");
    missing.push(("csrf", &csrf));
    let (status, html) = writer.post("/admin/articles", &missing).await;
    assert_eq!(status, 422);
    assert!(html.contains("提供の事業者を選んでください"), "{html}");
    assert!(html.contains("港の朝を支える人たち"), "the form keeps what was typed");

    let mut good = form("hama-2026");
    good.extend([("csrf", csrf.as_str()), ("sponsor", sponsor.as_str()), ("posting", p.public_id.as_str())]);
    let (status, location) = writer.post("/admin/articles", &good).await;
    assert_eq!(status, 303, "{location}");
    let id = article_id(&location);
    // The same slug again is a field message, not a 500.
    let (status, html) = writer.post("/admin/articles", &good).await;
    assert_eq!(status, 422);
    assert!(html.contains("このURL名はほかの記事で使われています"), "{html}");

    let (status, html) = writer.get(&format!("/admin/articles/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h2>朝四時</h2>"), "the preview is rendered");
    assert!(!html.contains("<script>alert"), "and sanitised");
    assert!(!html.contains("/step/approve"), "a writer sees no approve button");
    assert!(html.contains("/step/submit"));
    assert!(html.contains("作成"), "the log shows the creation");

    // Approving a draft is out of order.
    let (status, body) =
        writer.post(&format!("/admin/articles/{id}/step/approve"), &[("csrf", &csrf), ("version", "1")]).await;
    assert_eq!(status, 409, "{body}");
    let (status, _) =
        writer.post(&format!("/admin/articles/{id}/step/submit"), &[("csrf", &csrf), ("version", "1")]).await;
    assert_eq!(status, 303);
    assert_eq!(status_of(&mut conn, id), "in_review");
    // A writer's POST to approve is refused, even of their own submitted article.
    let (status, body) =
        writer.post(&format!("/admin/articles/{id}/step/approve"), &[("csrf", &csrf), ("version", "2")]).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("編集者に依頼してください"), "{body}");
    assert_eq!(status_of(&mut conn, id), "in_review");

    let ed = Session::login(&app, "editor@desk.example").await;
    let ecsrf = ed.csrf_on("/admin/articles").await;
    // The list filters by status and kind.
    let link = format!("href=\"/admin/articles/{id}\"");
    assert!(ed.get("/admin/articles?status=in_review").await.1.contains(&link));
    assert!(!ed.get("/admin/articles?status=draft").await.1.contains(&link));
    assert!(!ed.get("/admin/articles?kind=column").await.1.contains(&link));
    assert!(ed.get("/admin/articles?kind=feature&status=in_review").await.1.contains(&link));
    let (_, html) = ed.get(&format!("/admin/articles/{id}")).await;
    assert!(html.contains("/step/approve"), "an editor sees the approve button");
    // Sending back needs a note for the writer.
    let (status, body) = ed
        .post(&format!("/admin/articles/{id}/step/send_back"), &[("csrf", &ecsrf), ("version", "2"), ("note", " ")])
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("差し戻す理由を書いてください"), "{body}");
    // No order yet: refused with a message.
    let (status, body) =
        ed.post(&format!("/admin/articles/{id}/step/approve"), &[("csrf", &ecsrf), ("version", "2")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("受注済みの発注がない"), "{body}");
    assert_eq!(status_of(&mut conn, id), "in_review");
    fixtures::feature_order(&mut conn, e.id, id, "ordered", editor.staff_id).unwrap();
    // A stale version is a conflict with a message.
    let (status, body) =
        ed.post(&format!("/admin/articles/{id}/step/approve"), &[("csrf", &ecsrf), ("version", "1")]).await;
    assert_eq!(status, 409);
    assert!(body.contains("ほかの人が更新しました"), "{body}");
    let (status, _) =
        ed.post(&format!("/admin/articles/{id}/step/approve"), &[("csrf", &ecsrf), ("version", "2")]).await;
    assert_eq!(status, 303);
    assert_eq!(status_of(&mut conn, id), "published");

    // Public: PR label, sponsor, the linked posting open, JSON-LD and og tags.
    let (status, html) = app.page("/features/hama-2026").await;
    assert_eq!(status, 200);
    assert!(html.contains(">PR<") && html.contains("提供：氷見浜水産"), "{html}");
    assert!(html.contains("https://social-plugins.line.me/lineit/share?url&#x3D;"), "plain share links");
    // Through the redirect that counts the click for the sponsor (statistics).
    let link = format!("href=\"/go/article/{id}/jobs/{}\"", p.public_id);
    assert!(html.contains(&link) && html.contains("class=\"card\""), "{html}");
    assert!(html.contains("\"@type\":\"Article\"") && html.contains("\"headline\":\"港の朝を支える人たち\""), "{html}");
    assert!(html.contains("property=\"og:type\" content=\"article\""));
    assert!(!html.contains("<script>alert"));
    let (_, list) = app.page("/features").await;
    assert!(list.contains("PR") && list.contains("提供：氷見浜水産") && list.contains("/features/hama-2026"));
    // The posting links back to its feature.
    let (_, job) = app.page(&format!("/jobs/{}", p.public_id)).await;
    assert!(job.contains("href=\"/features/hama-2026\""), "{job}");

    // Once the posting is filled, the article says so and links no more.
    let p = yui_db::postings::find_by_id(&mut conn, p.id).unwrap();
    yui_db::postings::apply_action(
        &mut conn,
        p.id,
        p.version,
        PostingAction::MarkFilled,
        Actor::default(),
        Reason::default(),
        now(),
    )
    .unwrap();
    let (_, html) = app.page("/features/hama-2026").await;
    assert!(html.contains("掲載終了"), "{html}");
    assert!(!html.contains(&format!("href=\"/jobs/{}\"", p.public_id)));

    // The editor edits the published article; the writer's old version is refused with the form kept.
    let (status, html) = ed.get(&format!("/admin/articles/{id}")).await;
    assert_eq!(status, 200);
    let version = hidden_value(&html, "version");
    let mut edit = form("hama-2026");
    edit.extend([("csrf", ecsrf.as_str()), ("sponsor", sponsor.as_str()), ("version", version.as_str())]);
    edit[2] = ("title", "港の朝を支える人たち（改）");
    let (status, _) = ed.post(&format!("/admin/articles/{id}/edit"), &edit).await;
    assert_eq!(status, 303);
    let mut stale = edit.clone();
    stale[2] = ("title", "古い版の見出し");
    let (status, body) = ed.post(&format!("/admin/articles/{id}/edit"), &stale).await;
    assert_eq!(status, 409);
    assert!(body.contains("ほかの人が更新しました") && body.contains("古い版の見出し"), "{body}");
    let lines = yui_db::editorial_log::lines(&mut conn, yui_db::editorial_log::Subject::Article(id)).unwrap();
    let actions: Vec<_> = lines.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(actions, ["create", "submit", "approve", "edit"]);
}

#[actix_web::test]
async fn an_author_cannot_approve_their_own_article() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "editor@desk.example", "editor");
    let mut content = column("henshu-no-me");
    content.title = "編集者のひとこと".into();
    let a = articles::create(&mut conn, &content, &[], editor, now()).unwrap().unwrap();
    let a = articles::step(&mut conn, a.id, 1, ArticleAction::Submit, editor, None, true, now()).unwrap().unwrap();
    let s = Session::login(&app, "editor@desk.example").await;
    let (_, html) = s.get(&format!("/admin/articles/{}", a.id)).await;
    assert!(!html.contains("/step/approve"), "no approve button on one's own article");
    let csrf = hidden_value(&html, "csrf");
    let (status, body) = s
        .post(
            &format!("/admin/articles/{}/step/approve", a.id),
            &[("csrf", &csrf), ("version", &a.version.to_string())],
        )
        .await;
    assert_eq!(status, 403);
    assert!(body.contains("自分が書いた記事は承認できません"), "{body}");
    assert_eq!(status_of(&mut conn, a.id), "in_review");
}

pub(crate) fn column(slug: &str) -> ArticleContent {
    ArticleContent {
        kind: "column".into(),
        slug: slug.into(),
        title: "海の話".into(),
        lede: "冬の氷見".into(),
        body_markdown: "本文".into(),
        hero_alt: None,
        sponsor_employer_id: None,
        writer_credit: Some("海野 凪".into()),
        photographer_credit: None,
        editor_credit: None,
        publish_at: None,
        hero_caption: None,
        interviewees: None,
    }
}

/// A column approved at once, or from `publish_at` on.
pub(crate) fn published_column(conn: &mut DbConnection, slug: &str, publish_at: Option<chrono::NaiveDateTime>) -> i32 {
    let writer = staff(conn, &format!("w-{slug}@desk.example"), "writer");
    let editor = staff(conn, &format!("e-{slug}@desk.example"), "editor");
    let mut c = column(slug);
    c.publish_at = publish_at;
    let a = articles::create(conn, &c, &[], writer, now()).unwrap().unwrap();
    let a = articles::step(conn, a.id, 1, ArticleAction::Submit, writer, None, true, now()).unwrap().unwrap();
    articles::step(conn, a.id, a.version, ArticleAction::Approve, editor, None, true, now()).unwrap().unwrap().id
}

#[actix_web::test]
async fn drafts_and_scheduled_articles_are_not_found_and_the_feed_and_sitemap_list_the_rest() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let writer = staff(&mut conn, "writer@desk.example", "writer");
    articles::create(&mut conn, &column("shitagaki"), &[], writer, now()).unwrap().unwrap();
    published_column(&mut conn, "mirai", Some(now() + Duration::days(3)));
    published_column(&mut conn, "ima", None);
    // A feature, published with its order.
    let editor = staff(&mut conn, "editor@desk.example", "editor");
    let e = fixtures::employer(&mut conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    let feature = ArticleContent {
        kind: "feature".into(),
        sponsor_employer_id: Some(e.id),
        title: "民宿の冬".into(),
        ..column("minshuku")
    };
    let a = articles::create(&mut conn, &feature, &[], writer, now()).unwrap().unwrap();
    let a = articles::step(&mut conn, a.id, 1, ArticleAction::Submit, writer, None, true, now()).unwrap().unwrap();
    fixtures::feature_order(&mut conn, e.id, a.id, "paid", editor.staff_id).unwrap();
    articles::step(&mut conn, a.id, a.version, ArticleAction::Approve, editor, None, true, now()).unwrap().unwrap();

    assert_eq!(app.page("/columns/shitagaki").await.0, 404, "a draft");
    assert_eq!(app.page("/columns/mirai").await.0, 404, "scheduled for later");
    assert_eq!(app.page("/features/ima").await.0, 404, "a column is not a feature");
    assert_eq!(app.page("/columns/ima").await.0, 200);
    let (_, list) = app.page("/columns").await;
    assert!(list.contains("/columns/ima") && !list.contains("/columns/mirai") && !list.contains("shitagaki"));

    let res = app.get("/feeds/articles.atom").await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let feed = res.text().await.unwrap();
    assert!(feed.contains("<title>【PR】民宿の冬</title>"), "{feed}");
    assert!(feed.contains("/columns/ima") && !feed.contains("/columns/mirai") && !feed.contains("shitagaki"));
    assert!(feed.find("民宿の冬").unwrap() < feed.find("/columns/ima").unwrap(), "newest first");

    let (_, sitemap) = app.page("/sitemap.xml").await;
    assert!(sitemap.contains("/features/minshuku") && sitemap.contains("/columns/ima"), "{sitemap}");
    assert!(sitemap.contains("/features</loc>") && sitemap.contains("/columns</loc>"), "{sitemap}");
    assert!(!sitemap.contains("/columns/mirai"));
}

#[actix_web::test]
async fn article_pages_are_served_from_the_page_cache() {
    let app = TestApp::spawn_with(|s| s.page_cache_secs = 60).await;
    let mut conn = app.conn();
    let id = published_column(&mut conn, "cache-me", None);
    let first = app.get("/columns/cache-me").await;
    assert_eq!(first.status().as_u16(), 200);
    let etag = first.headers().get("etag").expect("cached pages carry an ETag").to_str().unwrap().to_owned();
    // A change behind the app's back is not seen while the page is cached.
    diesel::update(articles_table::table.find(id))
        .set(articles_table::title.eq("書き換え"))
        .execute(&mut conn)
        .unwrap();
    let (_, html) = app.page("/columns/cache-me").await;
    assert!(html.contains("海の話") && !html.contains("書き換え"), "served from the cache");
    let again = app.client.get(format!("{}/columns/cache-me", app.address)).header("if-none-match", &etag).send().await;
    assert_eq!(again.unwrap().status().as_u16(), 304);
}

#[actix_web::test]
async fn hero_images_are_checked_by_their_bytes_and_size() {
    let app = TestApp::spawn_with(|s| s.editorial.max_image_bytes = 10 * 1024).await;
    let mut conn = app.conn();
    let writer = staff(&mut conn, "writer@desk.example", "writer");
    let a = articles::create(&mut conn, &column("gazou"), &[], writer, now()).unwrap().unwrap();
    let s = Session::login(&app, "writer@desk.example").await;
    let csrf = s.csrf_on("/admin/articles").await;
    let path = format!("/admin/articles/{}/hero", a.id);

    let (status, body) = upload(&s, &path, &csrf, "1", "photo.png", b"just some text, not an image").await;
    assert_eq!(status, 422);
    assert!(body.contains("JPEG・PNG・WebP の画像だけ") && body.contains("field-error"), "{body}");
    let (status, body) =
        upload(&s, &path, &csrf, "1", "broken.jpg", b"\xFF\xD8\xFF\xE0 a JPEG's first bytes only").await;
    assert_eq!(status, 422);
    assert!(body.contains("画像を読み取れませんでした"), "{body}");
    let (status, body) = upload(&s, &path, &csrf, "1", "big.png", &[PNG, &[0u8; 11 * 1024]].concat()).await;
    assert_eq!(status, 413);
    assert!(body.contains("画像が大きすぎます"), "{body}");
    let (status, _) = upload(&s, &path, "forged", "1", "photo.png", PNG).await;
    assert_eq!(status, 403);
    assert_eq!(yui_db::media::count(&mut conn).unwrap(), 0, "nothing refused was stored");

    let (status, location) = upload(&s, &path, &csrf, "1", "../../photo.png", PNG).await;
    assert_eq!(status, 303, "{location}");
    let stored = articles::find(&mut conn, a.id).unwrap().unwrap().hero_image.unwrap();
    assert!(stored.ends_with(".png") && stored.len() == 68 && !stored.contains("photo"), "{stored}");
    let res = app.get(&format!("/media/{stored}")).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    // What is served is the image encoded again (upright, at most 1600 px, no metadata).
    let served = res.bytes().await.unwrap();
    assert_eq!(served.as_ref(), yui_web::hero_image::prepare(PNG).unwrap().bytes.as_slice());
    assert_ne!(served.as_ref(), PNG);
    assert_eq!(app.page("/media/..%2Fyui.sqlite").await.0, 404);
    assert_eq!(app.page("/media/00000000000000000000000000000000.png").await.0, 404);
    let lines = yui_db::editorial_log::lines(&mut conn, yui_db::editorial_log::Subject::Article(a.id)).unwrap();
    assert_eq!(lines.last().unwrap().action, "hero_image");

    // Once published, the page shows it, and tells social sites and search engines about it.
    let editor = staff(&mut conn, "editor@desk.example", "editor");
    let a = articles::step(&mut conn, a.id, 2, ArticleAction::Submit, writer, None, true, now()).unwrap().unwrap();
    articles::step(&mut conn, a.id, a.version, ArticleAction::Approve, editor, None, true, now()).unwrap().unwrap();
    let (status, html) = app.page("/columns/gazou").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("<img src=\"/media/{stored}\"")), "{html}");
    assert!(html.contains("property=\"og:image\" content=\"http") && html.contains(&format!("/media/{stored}\">")));
    assert!(html.contains("\"image\":[\"") && html.contains("\"datePublished\""), "{html}");
}

/// A photo for an article's text, as the editor's form sends it: the status and the page.
async fn body_image(s: &Session, id: i32, csrf: &str, alt: &str, file: &[u8]) -> (u16, String) {
    s.post_file(&format!("/admin/articles/{id}/images"), &[("csrf", csrf), ("image_alt", alt)], "image", "p.png", file)
        .await
}

#[actix_web::test]
async fn a_feature_reads_like_a_magazine_with_a_captioned_photo_its_people_quotes_photos_and_posting_cards() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let writer = staff(&mut conn, "writer@desk.example", "writer");
    let editor = staff(&mut conn, "editor@desk.example", "editor");
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let open = fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), now()).unwrap();
    let feature = ArticleContent {
        kind: "feature".into(),
        sponsor_employer_id: Some(e.id),
        title: "定置網の朝".into(),
        hero_caption: Some("夜明け前の氷見漁港".into()),
        interviewees: Some("山田 花子（船長）\n海野 凪（乗組員）".into()),
        ..column("teichiami")
    };
    let a = articles::create(&mut conn, &feature, &[open.id], writer, now()).unwrap().unwrap();

    // The writer adds a photo to the text: the page gives the line to paste.
    let s = Session::login(&app, "writer@desk.example").await;
    let csrf = s.csrf_on(&format!("/admin/articles/{}", a.id)).await;
    let (status, html) = body_image(&s, a.id, &csrf, "", PNG).await;
    assert_eq!(status, 422, "a photo needs its words");
    assert!(html.contains("写真に写っているもの"), "{html}");
    let (status, html) = body_image(&s, a.id, &csrf, "港の朝", b"not an image").await;
    assert_eq!(status, 422);
    assert!(html.contains("JPEG・PNG・WebP"), "{html}");
    let (status, html) = body_image(&s, a.id, &csrf, "港の[朝]", PNG).await;
    assert_eq!(status, 200, "{html}");
    let hash = yui_db::media::hash_of(&yui_web::hero_image::prepare(PNG).unwrap().bytes);
    let line = format!("![港の朝](/media/{hash}.png)");
    assert!(html.contains(&line), "the Markdown line to paste, brackets out of the description: {html}");

    let body = format!("## 午前四時\n\n> 海は毎日ちがう顔を見せる。\n\n{line}\n\n船は暗い海へ。");
    diesel::update(articles_table::table.find(a.id))
        .set((articles_table::body_markdown.eq(&body), articles_table::hero_image.eq(format!("{hash}.png"))))
        .execute(&mut conn)
        .unwrap();
    let a = articles::step(&mut conn, a.id, 1, ArticleAction::Submit, writer, None, true, now()).unwrap().unwrap();
    fixtures::feature_order(&mut conn, e.id, a.id, "paid", editor.staff_id).unwrap();
    articles::step(&mut conn, a.id, a.version, ArticleAction::Approve, editor, None, true, now()).unwrap().unwrap();

    let (status, page) = app.page("/features/teichiami").await;
    assert_eq!(status, 200);
    for (want, why) in [
        ("<figcaption>夜明け前の氷見漁港</figcaption>", "the hero's caption"),
        ("<li>山田 花子（船長）</li>", "the people in the story"),
        ("<blockquote>", "a pull quote"),
        (&format!("<img src=\"/media/{hash}.png\" alt=\"港の朝\" loading=\"lazy\">") as &str, "the photo in the text"),
        ("class=\"card-title\">定置網漁の乗組員", "the posting as a card"),
        ("PR", "the PR mark of a feature"),
    ] {
        assert!(page.contains(want), "{why}: {want}");
    }
    assert_eq!(app.get(&format!("/media/{hash}.png")).await.status().as_u16(), 200);
}
