//! Employers with faces, on the backend `YUI_TEST_BACKEND` names: the employer proposes a logo,
//! a photo and an introduction from their private page; nothing shows until an editor approves
//! it; then the logo is on the posting and the employer's page and the photo is the posting's
//! `og:image`. Declined proposals carry their reason back; bad uploads re-render the page.

use crate::articles::PNG;
use crate::common::{self, hidden_value, test_settings, Session, TestApp};
use chrono::Duration;
use yui_db::postings::{self, Actor, Posting, Reason};
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};
use yui_domain::PostingAction;

/// A posting published a day ago, its employer's id, and the path of a fresh private link.
fn published(conn: &mut DbConnection, title: &str) -> (Posting, String) {
    let e = fixtures::employer(conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let p = fixtures::published(conn, &e, fixtures::input(title, "full_time"), now() - Duration::days(1)).unwrap();
    let settings = test_settings();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    let url = yui_web::intake::new_manage_link(conn, ctx, p.id).unwrap();
    (p, url[url.find("/manage/").unwrap()..].to_owned())
}

/// A photo of `w`×`h` pixels in one colour, as a PNG file.
fn photo(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([30, 95, 91]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

/// A multipart form with text fields and the file `image`: status, and the redirect or the body.
async fn send(s: &Session, path: &str, fields: &[(&str, &str)], file: &[u8]) -> (u16, String) {
    s.post_file(path, fields, "image", "a.png", file).await
}

/// The `content` of the `<meta property="{property}">` of a page.
fn meta(html: &str, property: &str) -> String {
    let marker = format!("<meta property=\"{property}\" content=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {property}")) + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

fn twitter_card(html: &str) -> String {
    let marker = "<meta name=\"twitter:card\" content=\"";
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

fn slug_of(conn: &mut DbConnection, employer_id: i32) -> String {
    yui_db::employer_profiles::find(conn, employer_id).unwrap().expect("the employer has a page").slug
}

/// An editor signed in, on the review page of proposed faces: their session and its CSRF token.
async fn editor(app: &TestApp) -> (Session, String) {
    common::staff(&mut app.conn(), "henshu@desk.example", "editor", ("desk", "編集部"));
    let s = Session::login(app, "henshu@desk.example").await;
    let csrf = s.csrf_on("/admin/employers").await;
    (s, csrf)
}

#[actix_web::test]
async fn an_approved_logo_and_photo_show_on_the_posting_and_the_employer_page_and_as_og_image() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let (p, manage) = published(&mut conn, "寒ブリの加工スタッフ");
    let base = test_settings().site.base_url;
    let employer = Session::anonymous(&app);
    let (status, page) = employer.get(&manage).await;
    assert_eq!(status, 200);
    assert!(page.contains("事業所の紹介ページ"), "the manage page has the face section");
    let csrf = hidden_value(&page, "csrf");

    let (status, to) = send(&employer, &format!("{manage}/face/logo"), &[("csrf", &csrf)], PNG).await;
    assert_eq!(status, 303, "{to}");
    let picture = photo(64, 48);
    let fields = [("csrf", csrf.as_str()), ("caption", "朝の水揚げ")];
    let (status, to) = send(&employer, &format!("{manage}/face/photo"), &fields, &picture).await;
    assert_eq!(status, 303, "{to}");
    let text = [
        ("csrf", csrf.as_str()),
        ("intro", "氷見の浜で三代続く加工場です。\n<b>朝は早い</b>"),
        ("links", "https://hama.example\n"),
    ];
    let (status, to) = employer.post(&format!("{manage}/face"), &text).await;
    assert_eq!(status, 303, "{to}");
    let (_, page) = employer.get(&manage).await;
    assert!(page.contains("編集部の確認待ち") && page.contains("朝の水揚げ"), "{page}");

    let logo_name = format!("{}.png", yui_db::media::hash_of(&yui_web::hero_image::prepare(PNG).unwrap().bytes));
    let prepared_photo = yui_web::hero_image::prepare(&picture).unwrap();
    let photo_name = format!("{}.{}", yui_db::media::hash_of(&prepared_photo.bytes), prepared_photo.ext);

    // Before an editor approves: nothing public; the site's own picture is shared.
    let posting_path = format!("/jobs/{}", p.public_id);
    let (_, before) = app.page(&posting_path).await;
    assert!(!before.contains("/media/"), "nothing unapproved is public");
    assert_eq!(meta(&before, "og:image"), format!("{base}/static/og.png"));
    assert_eq!(twitter_card(&before), "summary");
    let slug = slug_of(&mut conn, p.employer_id);
    let employer_path = format!("/employers/{slug}");
    assert!(before.contains(&format!("href=\"{employer_path}\"")), "the name links to the employer's page");
    let (status, page) = app.page(&employer_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("氷見浜水産") && !page.contains("/media/") && !page.contains("三代"), "{page}");

    let (editor, csrf) = editor(&app).await;
    let (_, review) = editor.get("/admin/employers").await;
    assert!(review.contains("氷見浜水産") && review.contains(&logo_name) && review.contains("朝の水揚げ"), "{review}");
    let seen = hidden_value(&review, "seen");
    let id = p.employer_id.to_string();
    let (status, to) = editor
        .post(&format!("/admin/employers/{id}/face"), &[("csrf", &csrf), ("seen", &seen), ("decision", "approve")])
        .await;
    assert_eq!((status, to.as_str()), (303, "/admin/employers?done=1"));
    let log =
        yui_db::editorial_log::lines(&mut conn, yui_db::editorial_log::Subject::EmployerFace(p.employer_id)).unwrap();
    let actions: Vec<&str> = log.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(actions, ["face_submit", "face_approve"]);
    // Not a conflict-of-interest link: the public log does not show it as one.
    let (_, public_log) = app.page("/transparency/log.json").await;
    assert!(!public_log.contains("employer_link"), "{public_log}");
    // Deciding the same proposal again finds nothing to decide.
    let (status, _) = editor
        .post(&format!("/admin/employers/{id}/face"), &[("csrf", &csrf), ("seen", &seen), ("decision", "approve")])
        .await;
    assert_eq!(status, 409);

    let (_, after) = app.page(&posting_path).await;
    assert!(after.contains(&format!("src=\"/media/{logo_name}\"")), "the logo is beside the name");
    assert!(
        after.contains(&format!("src=\"/media/{photo_name}\" width=\"64\" height=\"48\"")),
        "the photo keeps its room"
    );
    assert!(after.contains("loading=\"lazy\""));
    let og_image = meta(&after, "og:image");
    assert_eq!(og_image, format!("{base}/media/{photo_name}"));
    assert_eq!((meta(&after, "og:image:width"), meta(&after, "og:image:height")), ("64".into(), "48".into()));
    assert_eq!(twitter_card(&after), "summary_large_image");
    assert!(after.contains(&format!("\"logo\":\"{base}/media/{logo_name}\"")), "JSON-LD names the logo");
    assert!(after.len() < 64 * 1024, "{} bytes", after.len());

    let (_, page) = app.page(&employer_path).await;
    assert!(
        page.contains(&format!("src=\"/media/{logo_name}\""))
            && page.contains("三代続く加工場です。<br>&lt;b&gt;朝は早い&lt;/b&gt;"),
        "{page}"
    );
    assert!(page.contains("href=\"https://hama.example\"") && page.contains("寒ブリの加工スタッフ"), "{page}");
    assert_eq!(meta(&page, "og:image"), format!("{base}/media/{photo_name}"));
    assert!(page.len() < 64 * 1024);

    // The image URL answers with the stored bytes.
    let res = app.get(&og_image.replace(&base, "")).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), prepared_photo.bytes.as_slice());
}

#[actix_web::test]
async fn a_declined_proposal_tells_the_employer_why_and_shows_nothing() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let (p, manage) = published(&mut conn, "港の事務");
    let employer = Session::anonymous(&app);
    let csrf = hidden_value(&employer.get(&manage).await.1, "csrf");
    let (status, _) = send(&employer, &format!("{manage}/face/logo"), &[("csrf", &csrf)], PNG).await;
    assert_eq!(status, 303);

    let (editor, csrf) = editor(&app).await;
    let seen = hidden_value(&editor.get("/admin/employers").await.1, "seen");
    let path = format!("/admin/employers/{}/face", p.employer_id);
    let (status, body) = editor.post(&path, &[("csrf", &csrf), ("seen", &seen), ("decision", "reject")]).await;
    assert_eq!(status, 422, "a decline needs its reason");
    assert!(body.contains("見送る理由を書いてください"), "{body}");
    let form = [
        ("csrf", csrf.as_str()),
        ("seen", seen.as_str()),
        ("decision", "reject"),
        ("reason", "ロゴが他社のものに見えます"),
    ];
    let (status, _) = editor.post(&path, &form).await;
    assert_eq!(status, 303);
    let log =
        yui_db::editorial_log::lines(&mut conn, yui_db::editorial_log::Subject::EmployerFace(p.employer_id)).unwrap();
    let last = log.last().unwrap();
    assert_eq!((last.action.as_str(), last.note.as_deref()), ("face_reject", Some("ロゴが他社のものに見えます")));

    let (_, page) = employer.get(&manage).await;
    assert!(page.contains("ロゴが他社のものに見えます") && !page.contains("/media/"), "{page}");
    let (_, posting) = app.page(&format!("/jobs/{}", p.public_id)).await;
    assert!(!posting.contains("/media/"));
    let (_, review) = editor.get("/admin/employers").await;
    assert!(review.contains("確認待ちの紹介はありません"), "nothing waits any more");
}

#[actix_web::test]
async fn a_bad_upload_re_renders_the_page_with_a_japanese_message() {
    let app = TestApp::spawn_with(|s| s.editorial.max_image_bytes = 10 * 1024).await;
    let mut conn = app.conn();
    let (p, manage) = published(&mut conn, "加工スタッフ");
    let employer = Session::anonymous(&app);
    let csrf = hidden_value(&employer.get(&manage).await.1, "csrf");
    let logo = format!("{manage}/face/logo");
    let photo_path = format!("{manage}/face/photo");

    let (status, body) = send(&employer, &logo, &[("csrf", &csrf)], b"%PDF-1.4 not an image").await;
    assert_eq!(status, 422);
    assert!(body.contains("JPEG・PNG・WebP の画像だけ") && body.contains("aria-invalid=\"true\""), "{body}");
    let big = vec![0x89u8; 20 * 1024];
    let (status, body) = send(&employer, &logo, &[("csrf", &csrf)], &big).await;
    assert_eq!(status, 422);
    assert!(body.contains("画像が大きすぎます"), "{body}");
    let (status, body) = send(&employer, &photo_path, &[("csrf", &csrf), ("caption", " ")], PNG).await;
    assert_eq!(status, 422);
    assert!(body.contains("写真の説明を書いてください"), "{body}");
    let (status, body) = send(&employer, &logo, &[("csrf", &csrf)], b"").await;
    assert_eq!(status, 422);
    assert!(body.contains("画像ファイルを選んでください"), "{body}");
    let text = [("csrf", csrf.as_str()), ("intro", "書きかけの紹介"), ("links", "javascript:alert(1)")];
    let (status, body) = employer.post(&format!("{manage}/face"), &text).await;
    assert_eq!(status, 422);
    assert!(body.contains("ウェブのアドレスとして読めません"), "{body}");
    assert!(body.contains(">書きかけの紹介</textarea>"), "what was typed comes back");
    // Without the form's token: refused, nothing kept.
    let (status, _) = send(&employer, &logo, &[("csrf", "forged")], PNG).await;
    assert_eq!(status, 403);

    // Five photos at most.
    for i in 0..5 {
        let caption = format!("写真{i}");
        let (status, _) =
            send(&employer, &photo_path, &[("csrf", &csrf), ("caption", &caption)], &photo(8 + i, 8)).await;
        assert_eq!(status, 303);
    }
    let (status, body) = send(&employer, &photo_path, &[("csrf", &csrf), ("caption", "六枚目")], &photo(20, 8)).await;
    assert_eq!(status, 422);
    assert!(body.contains("写真は5枚までです"), "{body}");
    let profile = yui_db::employer_profiles::find(&mut conn, p.employer_id).unwrap().unwrap();
    assert_eq!(profile.pending.unwrap().photos.len(), 5);
    assert!(profile.published.is_empty());
}

#[actix_web::test]
async fn the_employer_page_lists_open_postings_only() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let (open, _) = published(&mut conn, "募集中の仕事");
    let e = yui_db::employers::find_by_id(&mut conn, open.employer_id).unwrap();
    let closed = fixtures::published(&mut conn, &e, fixtures::input("締め切った仕事", "part_time"), now()).unwrap();
    postings::apply_action(
        &mut conn,
        closed.id,
        closed.version,
        PostingAction::Close,
        Actor::default(),
        Reason::default(),
        now(),
    )
    .unwrap();
    let expired = fixtures::published(&mut conn, &e, fixtures::input("期限切れの仕事", "part_time"), now()).unwrap();
    postings::set_valid_through(&mut conn, expired.id, now() - Duration::hours(1)).unwrap();
    fixtures::pending(&mut conn, &e, fixtures::input("審査中の仕事", "part_time"), now(), now() + Duration::days(9))
        .unwrap();
    let other = fixtures::employer(&mut conn, "別の会社", "other@example.jp").unwrap();
    fixtures::published(&mut conn, &other, fixtures::input("別の会社の仕事", "part_time"), now()).unwrap();

    assert_eq!(app.page(&format!("/jobs/{}", open.public_id)).await.0, 200);
    let slug = slug_of(&mut conn, e.id);
    let (status, page) = app.page(&format!("/employers/{slug}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("募集中の仕事"), "{page}");
    for hidden in ["締め切った仕事", "期限切れの仕事", "審査中の仕事", "別の会社の仕事"] {
        assert!(!page.contains(hidden), "{hidden} is not listed");
    }
    assert!(page.contains("<title>氷見浜水産 |"), "the page has its own title");
    let (_, english) = app.page(&format!("/employers/{slug}?lang=en")).await;
    assert!(english.contains("Open jobs") && english.contains("募集中の仕事"), "{english}");
    app.page(&format!("/employers/{slug}?lang=ja")).await;
    assert_eq!(app.page("/employers/abcdefghjk").await.0, 404);
    assert_eq!(app.page("/employers/..%2Fadmin").await.0, 404);
}

#[actix_web::test]
async fn staff_set_the_page_of_an_employer_without_email_directly() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let stand_in = format!("minshuku@{}", yui_db::employers::NO_EMAIL_DOMAIN);
    let e = fixtures::employer(&mut conn, "山の民宿", &stand_in).unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("民宿の手伝い", "part_time"), now()).unwrap();
    let (with_email, _) = published(&mut conn, "加工スタッフ");

    let (editor, _) = editor(&app).await;
    let (_, found) = editor.get("/admin/employers?q=%E5%B1%B1%E3%81%AE").await;
    assert!(found.contains(&format!("href=\"/admin/employers/{}\"", e.id)), "{found}");
    let (status, _) = editor.get(&format!("/admin/employers/{}", with_email.employer_id)).await;
    assert_eq!(status, 403, "an employer with email proposes their own page");
    let page_path = format!("/admin/employers/{}", e.id);
    let csrf = editor.csrf_on(&page_path).await;

    let (status, body) = send(&editor, &format!("{page_path}/page/photo"), &[("csrf", &csrf)], PNG).await;
    assert_eq!(status, 422);
    assert!(body.contains("写真の説明を書いてください"), "{body}");
    let (status, to) = send(&editor, &format!("{page_path}/page/logo"), &[("csrf", &csrf)], PNG).await;
    assert_eq!((status, to.as_str()), (303, page_path.as_str()));
    let (status, _) = send(&editor, &format!("{page_path}/page/logo"), &[("csrf", "forged")], PNG).await;
    assert_eq!(status, 403);

    let text = [("csrf", csrf.as_str()), ("intro", "山あいの民宿です。"), ("links", "minshuku.example")];
    let (status, body) = editor.post(&format!("{page_path}/page"), &text).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("ウェブのアドレスとして読めません") && body.contains(">山あいの民宿です。</textarea>"),
        "{body}"
    );
    let text = [("csrf", csrf.as_str()), ("intro", "山あいの民宿です。"), ("links", "https://minshuku.example")];
    assert_eq!(editor.post(&format!("{page_path}/page"), &text).await.0, 303);

    let slug = slug_of(&mut conn, e.id);
    let (_, page) = app.page(&format!("/employers/{slug}")).await;
    assert!(page.contains("山あいの民宿です。") && page.contains("href=\"https://minshuku.example\""), "{page}");
    let logo_name = format!("{}.png", yui_db::media::hash_of(&yui_web::hero_image::prepare(PNG).unwrap().bytes));
    assert!(page.contains(&format!("src=\"/media/{logo_name}\"")) && page.contains("民宿の手伝い"), "{page}");
    let log = yui_db::editorial_log::lines(&mut conn, yui_db::editorial_log::Subject::EmployerFace(e.id)).unwrap();
    assert_eq!(log.iter().map(|l| l.action.as_str()).collect::<Vec<_>>(), ["face_staff_edit", "face_staff_edit"]);
}

#[actix_web::test]
async fn malformed_requests_to_employer_pages_get_4xx_never_5xx() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let (p, manage) = published(&mut conn, "加工スタッフ");
    let employer = Session::anonymous(&app);
    let csrf = hidden_value(&employer.get(&manage).await.1, "csrf");
    let mut statuses = Vec::new();
    for path in ["/employers/%00", "/employers/ABCDEFGHJK", "/employers/", "/employers/a/b"] {
        statuses.push((path.to_owned(), app.page(path).await.0));
    }
    for (path, form) in [
        (format!("{manage}/face"), vec![("intro", "x")]),
        (format!("{manage}/face/remove"), vec![("csrf", csrf.as_str()), ("remove", "99")]),
        (format!("{manage}/face/remove"), vec![("csrf", csrf.as_str()), ("remove", "logo")]),
        (format!("{manage}/face/remove"), vec![("csrf", csrf.as_str())]),
        (format!("{manage}/face/logo"), vec![("csrf", csrf.as_str())]),
        ("/manage/not-a-token/face".to_owned(), vec![("csrf", csrf.as_str()), ("intro", "x")]),
    ] {
        let status = employer.post(&path, &form).await.0;
        statuses.push((path, status));
    }
    let res = employer
        .client
        .post(format!("{}{manage}/face/photo", app.address))
        .header("content-type", "multipart/form-data; boundary=zz")
        .body("--zz\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nno end")
        .send()
        .await
        .unwrap();
    statuses.push(("broken multipart".into(), res.status().as_u16()));

    let (editor, csrf) = editor(&app).await;
    let path = format!("/admin/employers/{}/face", p.employer_id);
    for form in [
        vec![("csrf", csrf.as_str()), ("seen", "abc"), ("decision", "approve")],
        vec![("csrf", csrf.as_str()), ("seen", "9223372036854775807"), ("decision", "approve")],
        vec![("csrf", csrf.as_str()), ("seen", "1"), ("decision", "maybe")],
        vec![("csrf", csrf.as_str()), ("seen", "1"), ("decision", "approve")],
    ] {
        statuses.push((format!("{path} {form:?}"), editor.post(&path, &form).await.0));
    }
    for path in ["/admin/employers/999999", "/admin/employers/abc", "/admin/employers?q=%25%5F"] {
        statuses.push((path.to_owned(), editor.get(path).await.0));
    }
    let failed: Vec<_> = statuses.iter().filter(|(_, s)| *s >= 500).collect();
    assert!(failed.is_empty(), "{failed:?}");
    assert!(statuses.iter().filter(|(p, _)| !p.contains("?q=")).all(|(_, s)| (400..500).contains(s)), "{statuses:?}");
}
