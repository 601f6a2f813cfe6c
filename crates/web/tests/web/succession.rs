//! Succession listings (後継者募集) over HTTP, on the backend `YUI_TEST_BACKEND` names: the
//! public list, detail and Japanese search; the owner's details never public; the inquiry
//! form's refusals and its mail to the coordinator; the staff pages and who may open them;
//! the owner's private page; the transparency counts.

use crate::common::{self, hidden_value, Session, TestApp};
use diesel::prelude::*;
use yui_db::outbox::OutboxEmail;
use yui_db::postings::Actor;
use yui_db::schema::{outbox_emails, succession_inquiries, succession_listings};
use yui_db::staff::StaffUser;
use yui_db::succession::{Listing, ListingContent};
use yui_db::{now, DbConnection};
use yui_domain::succession::{ListingDraft, ListingInput};
use yui_domain::SuccessionStatus;

const OWNER_NAME: &str = "魚住 源一郎";
const OWNER_EMAIL: &str = "genichiro.owner@sakana.example";
const OWNER_PHONE: &str = "0766-99-4321";
const SEEKER: &str = "hanako.yamada@mail.example";

/// A staff member of the organisation `org` (named "{org}センター").
fn staff(conn: &mut DbConnection, email: &str, role: &'static str, org: &str) -> StaffUser {
    common::staff(conn, email, role, (org, &format!("{org}センター")))
}

fn input(name: &str) -> ListingInput {
    ListingInput {
        public_name: name.into(),
        industry: "鮮魚小売".into(),
        area: "比美町".into(),
        years_in_business: "62".into(),
        staff_count: "3".into(),
        revenue_band: "10m_50m".into(),
        handover: "premises equipment customers".into(),
        handover_note: "冷蔵ショーケースとカウンター付きの店舗".into(),
        reason: "店主が高齢になり、子が市外で働いているため。".into(),
        successor_wish: "魚が好きで、朝が早くても平気な方。".into(),
        terms: "transfer succession".into(),
        description: "氷見漁港の朝どれの魚を60年売ってきました。".into(),
        owner_name: OWNER_NAME.into(),
        owner_email: OWNER_EMAIL.into(),
        owner_phone: OWNER_PHONE.into(),
        ..ListingInput::default()
    }
}

fn listing(conn: &mut DbConnection, coordinator: &StaffUser, input: ListingInput) -> Listing {
    let content = ListingContent::from_draft(ListingDraft::parse(&input).unwrap(), None, coordinator.organization_id);
    let actor = Actor { staff_id: Some(coordinator.id), organization_id: Some(coordinator.organization_id) };
    yui_db::succession::create(conn, &content, actor, now()).unwrap()
}

fn move_to(conn: &mut DbConnection, l: &Listing, by: &StaffUser, steps: &[SuccessionStatus]) {
    let actor = Actor { staff_id: Some(by.id), organization_id: Some(by.organization_id) };
    for to in steps {
        let current = yui_db::succession::find(conn, l.id).unwrap().unwrap();
        yui_db::succession::set_status(conn, l.id, current.version, *to, None, actor, now()).unwrap();
    }
}

fn outbox(app: &TestApp) -> Vec<OutboxEmail> {
    outbox_emails::table.order(outbox_emails::id.asc()).select(OutboxEmail::as_select()).load(&mut app.conn()).unwrap()
}

fn inquiry_count(app: &TestApp) -> i64 {
    succession_inquiries::table.count().get_result(&mut app.conn()).unwrap()
}

/// Posts the staff form that moves listing `l` to status `to` from `version`, with a note when
/// given: status, and the Location of a redirect or else the body.
async fn set_status(
    s: &Session,
    l: &Listing,
    csrf: &str,
    version: &str,
    to: &str,
    note: Option<&str>,
) -> (u16, String) {
    let mut form = vec![("csrf", csrf), ("version", version), ("to", to)];
    form.extend(note.map(|n| ("note", n)));
    s.post(&format!("/admin/succession/{}/status", l.public_id), &form).await
}

/// Posts the staff form that moves inquiry `id` on listing `l` to `status`, with `note`.
async fn set_inquiry_status(s: &Session, l: &Listing, id: i32, csrf: &str, status: &str, note: &str) -> (u16, String) {
    let path = format!("/admin/succession/{}/inquiries/{id}", l.public_id);
    s.post(&path, &[("csrf", csrf), ("status", status), ("note", note)]).await
}

/// A visitor's session on listing `l`'s public page, and the page's CSRF token.
async fn visit(app: &TestApp, l: &Listing) -> (Session, String) {
    let s = Session::anonymous(app);
    let (_, page) = s.get(&format!("/succession/{}", l.public_id)).await;
    let csrf = hidden_value(&page, "csrf");
    (s, csrf)
}

fn inquiry_form(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("website_url", String::new()),
        ("name", "山田 花子".into()),
        ("email", SEEKER.into()),
        ("phone", "090-1234-5678".into()),
        ("about", "金沢で魚屋に10年勤めています。\r\n氷見で独立したいと考えています。MARKER-ABOUT".into()),
        ("consent", "yes".into()),
    ]
}

async fn send_inquiry(s: &Session, l: &Listing, form: &[(&str, String)]) -> (u16, String) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post(&format!("/succession/{}/inquiry", l.public_id), &form).await
}

#[actix_web::test]
async fn the_public_list_detail_and_japanese_search() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");
    let fish = listing(&mut conn, &editor, input("市内の老舗鮮魚店"));
    let inn = listing(
        &mut conn,
        &editor,
        ListingInput {
            industry: "宿泊業".into(),
            area: "灘浦".into(),
            handover_note: String::new(),
            successor_wish: "宿の仕事が好きな方。".into(),
            description: "海の見える民宿。常連客と屋号を引き継げます。".into(),
            terms: "lease".into(),
            price_text: "月5万円".into(),
            ..input("灘浦の民宿")
        },
    );
    let matched = listing(&mut conn, &editor, input("成約済みの精肉店"));
    move_to(&mut conn, &matched, &editor, &[SuccessionStatus::InTalks, SuccessionStatus::Matched]);
    let closed = listing(&mut conn, &editor, input("募集を終えた菓子店"));
    move_to(&mut conn, &closed, &editor, &[SuccessionStatus::Closed]);

    let (status, html) = app.page("/succession").await;
    assert_eq!(status, 200);
    assert!(html.contains("市内の老舗鮮魚店") && html.contains("灘浦の民宿"));
    assert!(html.contains("成約済みの精肉店") && html.contains("成約"), "matched listings stay, marked 成約");
    assert!(!html.contains("募集を終えた菓子店"), "closed listings are hidden");
    assert!(html.find("灘浦の民宿").unwrap() < html.find("成約済みの精肉店").unwrap(), "matched ones come last");
    assert!(html.contains("href=\"/succession\""), "the header links to the list");

    // The same Japanese search as postings: bigrams, kana folded, one character scanned.
    let search = |q: &str| format!("/succession?q={}", urlencoding(q));
    for (q, finds_fish, finds_inn) in [
        ("鮮魚", true, false),
        ("かうんたー", true, false),  // hiragana finds カウンター
        ("ミンシュク", false, false), // 民宿 is written in kanji: no reading match
        ("民宿", false, true),
        ("屋号", false, true),
        ("譲渡", true, false), // a term's label
        ("魚", true, false),
        ("精肉", false, false),
    ] {
        let (status, html) = app.page(&search(q)).await;
        assert_eq!(status, 200);
        assert_eq!(html.contains("市内の老舗鮮魚店"), finds_fish, "{q} finds the fish shop: {finds_fish}");
        assert_eq!(html.contains("灘浦の民宿"), finds_inn, "{q} finds the inn: {finds_inn}");
    }
    let (_, html) = app.page("/succession?term=lease").await;
    assert!(html.contains("灘浦の民宿") && !html.contains("市内の老舗鮮魚店"));
    let (_, html) = app.page(&format!("/succession?area={}", urlencoding("比美町"))).await;
    assert!(!html.contains("灘浦の民宿") && html.contains("市内の老舗鮮魚店"));

    let (status, html) = app.page(&format!("/succession/{}", fish.public_id)).await;
    assert_eq!(status, 200);
    for expected in [
        "市内の老舗鮮魚店",
        "募集中",
        "鮮魚小売",
        "比美町",
        "62年",
        "3人",
        "1,000万〜5,000万円",
        "店舗・土地建物",
        "譲渡",
        "事業承継",
        "応相談",
        "himi-npoセンター",
        "i-consent",
    ] {
        assert!(html.contains(expected), "the detail page shows {expected:?}");
    }
    assert!(html.contains("property=\"og:title\" content=\"市内の老舗鮮魚店\""), "Open Graph tags");
    let (_, html) = app.page(&format!("/succession/{}", inn.public_id)).await;
    assert!(html.contains("月5万円") && !html.contains("応相談"));
    let (_, html) = app.page(&format!("/succession/{}", matched.public_id)).await;
    assert!(html.contains("成約") && !html.contains("i-consent"), "a matched listing takes no inquiries");
    assert_eq!(app.page(&format!("/succession/{}", closed.public_id)).await.0, 404);
    assert_eq!(app.page("/succession/nosuchid22").await.0, 404);
    assert_eq!(app.page("/succession/not-an-id").await.0, 404);
    let (_, html) = app.page("/succession?lang=en").await;
    assert!(html.contains("Business succession"));
    // The choice is remembered: the next pages stay English until Japanese is picked again.
    assert!(app.page("/succession").await.1.contains("Business succession"));
    app.page("/succession?lang=ja").await;

    // The same list as an Atom feed, with the same filters; the status is in the title.
    let (_, html) = app.page("/succession?term=lease").await;
    assert!(html.contains("href=\"/feeds/succession.atom?term&#x3D;lease\""), "the list links its feed: {html}");
    let res = app.get("/feeds/succession.atom").await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let feed = res.text().await.unwrap();
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
    assert_eq!(entries.len(), 3, "open, open and matched; never closed: {feed}");
    for e in &entries {
        for tag in ["<id>", "<title>", "<updated>", "<published>", "<summary type=\"text\">", "<author><name>"] {
            assert!(e.contains(tag), "{tag} in {e}");
        }
    }
    assert!(feed.contains(&format!("<id>http://127.0.0.1:8080/succession/{}</id>", fish.public_id)));
    assert!(feed.contains("<title>成約済みの精肉店（成約）</title>"), "{feed}");
    assert!(feed.contains("<title>灘浦の民宿</title>") && feed.contains("宿泊業 · 灘浦 · 賃貸"), "{feed}");
    assert!(!feed.contains("募集を終えた菓子店"));
    let (_, filtered) = app.page(&format!("/feeds/succession.atom?q={}", urlencoding("民宿"))).await;
    assert_eq!(filtered.matches("<entry>").count(), 1, "{filtered}");
    assert!(filtered.contains("灘浦の民宿"));
    let (_, english) = app.page("/feeds/succession.atom?lang=en").await;
    assert!(english.contains("xml:lang=\"en\"") && english.contains("(Matched)"), "{english}");
}

fn urlencoding(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_owned()
}

#[actix_web::test]
async fn the_owners_details_never_reach_a_public_page() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");
    let l = listing(&mut conn, &editor, input("市内の老舗鮮魚店"));
    let paths = [
        "/".to_owned(),
        "/succession".to_owned(),
        format!("/succession?q={}", urlencoding("鮮魚")),
        format!("/succession/{}", l.public_id),
        format!("/succession/{}?lang=en", l.public_id),
        "/sitemap.xml".to_owned(),
        "/feeds/jobs.atom".to_owned(),
        "/feeds/jobs.json".to_owned(),
        "/feeds/succession.atom".to_owned(),
        "/feeds/succession.atom?lang=en".to_owned(),
        "/transparency".to_owned(),
        "/transparency.json".to_owned(),
    ];
    for path in &paths {
        let (status, body) = app.page(path).await;
        assert_eq!(status, 200, "{path}");
        for secret in [OWNER_NAME, "魚住", OWNER_EMAIL, "sakana.example", OWNER_PHONE, "4321"] {
            assert!(!body.contains(secret), "{path} shows the owner's {secret:?}");
        }
    }
    let (_, sitemap) = app.page("/sitemap.xml").await;
    assert!(sitemap.contains(&format!("/succession/{}</loc>", l.public_id)), "the listing is in the sitemap");
    assert!(sitemap.contains("/succession</loc>"), "and so is the list");
    let (_, robots) = app.page("/robots.txt").await;
    assert!(robots.contains("Disallow: /succession/manage/"));
}

#[actix_web::test]
async fn an_inquiry_goes_to_the_coordinator_with_a_copy_to_the_seeker() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");
    staff(&mut conn, "other@elsewhere.example", "editor", "elsewhere");
    let l = listing(&mut conn, &editor, input("市内の老舗鮮魚店"));
    let (s, csrf) = visit(&app, &l).await;

    let (status, html) = send_inquiry(&s, &l, &inquiry_form(&csrf)).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("お問い合わせを受け付けました"));
    assert!(html.contains("コーディネーターからあなたにご連絡します"), "the next steps are explained");
    assert!(html.contains("所有者が同意したとき"), "the owner is named only when they agree");
    assert!(!html.contains(OWNER_NAME) && !html.contains(OWNER_EMAIL));

    let mails = outbox(&app);
    assert_eq!(mails.len(), 2, "{mails:?}");
    let (to_coordinator, copy) = (&mails[0], &mails[1]);
    assert_eq!(to_coordinator.recipients, "coord@npo.example", "only the coordinating organisation's editors");
    assert_eq!(to_coordinator.reply_to.as_deref(), Some(SEEKER));
    assert!(to_coordinator.subject.contains("市内の老舗鮮魚店"));
    for expected in ["山田 花子", SEEKER, "090-1234-5678", "MARKER-ABOUT", "/admin/succession/"] {
        assert!(to_coordinator.body_text.contains(expected), "the coordinator's mail has {expected:?}");
    }
    assert!(!to_coordinator.recipients.contains(OWNER_EMAIL), "never straight to the owner");
    assert_eq!(copy.recipients, SEEKER);
    assert!(copy.body_text.contains("MARKER-ABOUT") && !copy.body_text.contains(OWNER_NAME));

    let (consent_at, status): (chrono::NaiveDateTime, String) = succession_inquiries::table
        .select((succession_inquiries::consent_at, succession_inquiries::status))
        .first(&mut conn)
        .unwrap();
    assert_eq!(status, "received");
    assert!((now() - consent_at).num_seconds().abs() < 60, "consent is recorded now");
}

#[actix_web::test]
async fn a_seeker_reading_in_english_gets_an_english_copy_and_the_coordinator_japanese() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");
    let l = listing(&mut conn, &editor, input("市内の老舗鮮魚店"));
    let (s, csrf) = visit(&app, &l).await;
    let form = inquiry_form(&csrf);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html) = s.post(&format!("/succession/{}/inquiry?lang=en", l.public_id), &form).await;
    assert_eq!(status, 200, "{html}");
    let mails = outbox(&app);
    let (to_coordinator, copy) = (&mails[0], &mails[1]);
    assert!(to_coordinator.body_text.contains("MARKER-ABOUT") && to_coordinator.subject.contains("お問い合わせ"));
    assert!(copy.subject.contains("We received your inquiry about “市内の老舗鮮魚店”"), "{}", copy.subject);
    assert!(copy.body_text.contains("The coordinator contacts you first") && copy.body_text.contains("MARKER-ABOUT"));
    assert!(!copy.body_text.contains(OWNER_NAME) && !copy.body_text.contains("所有者"), "{}", copy.body_text);
}

#[actix_web::test]
async fn inquiry_refusals_keep_what_was_typed() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");
    let l = listing(&mut conn, &editor, input("市内の老舗鮮魚店"));
    let (s, csrf) = visit(&app, &l).await;

    // No consent, a broken address: Japanese messages next to the fields, entries kept.
    let mut form = inquiry_form(&csrf);
    form.retain(|(k, _)| *k != "consent");
    form.iter_mut().find(|(k, _)| *k == "email").unwrap().1 = "hanako@mail".into();
    let (status, html) = send_inquiry(&s, &l, &form).await;
    assert_eq!(status, 422);
    assert!(html.contains("入力内容に問題があります"));
    assert!(html.contains("同意が必要です"), "the missing consent is named");
    assert!(html.contains("メールアドレス"), "the address problem is named");
    assert!(html.contains("value=\"hanako@mail\""), "the typed address is kept");
    assert!(html.contains("MARKER-ABOUT"), "the typed text is kept");
    assert_eq!(inquiry_count(&app), 0);

    let en_path = format!("/succession/{}/inquiry?lang=en", l.public_id);
    let en_form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html) = s.post(&en_path, &en_form).await;
    assert_eq!(status, 422);
    assert!(html.contains("Your consent is needed"), "English messages with ?lang=en");
    assert!(html.contains("Please enter an email address such as name@example.jp."), "{html}");
    assert!(!html.contains("メールアドレスの形式"), "{html}");
    s.get(&format!("/succession/{}?lang=ja", l.public_id)).await;

    // Missing CSRF token: 403, nothing sent.
    let mut form = inquiry_form("");
    form.retain(|(k, _)| *k != "csrf");
    let (status, html) = send_inquiry(&s, &l, &form).await;
    assert_eq!(status, 403);
    assert!(html.contains("有効期限"));
    assert!(html.contains("MARKER-ABOUT"));

    // A bot fills the hidden field: it is thanked, and nothing is stored or sent.
    let mut form = inquiry_form(&csrf);
    form.iter_mut().find(|(k, _)| *k == "website_url").unwrap().1 = "http://spam.example".into();
    let (status, html) = send_inquiry(&s, &l, &form).await;
    assert_eq!(status, 200);
    assert!(html.contains("お問い合わせを受け付けました"));
    assert_eq!(inquiry_count(&app), 0);
    assert!(outbox(&app).is_empty());

    // A matched listing takes no more inquiries.
    move_to(&mut conn, &l, &editor, &[SuccessionStatus::InTalks, SuccessionStatus::Matched]);
    let (status, _) = send_inquiry(&s, &l, &inquiry_form(&csrf)).await;
    assert_eq!(status, 410);
    assert_eq!(inquiry_count(&app), 0);
}

#[actix_web::test]
async fn inquiries_are_rate_limited_per_address_and_per_listing() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");
    let l = listing(&mut conn, &editor, input("市内の老舗鮮魚店"));
    let (s, csrf) = visit(&app, &l).await;
    let mut statuses = Vec::new();
    for _ in 0..(yui_web::routes::posting::CONTACT_PER_IP_PER_HOUR + 1) {
        statuses.push(send_inquiry(&s, &l, &inquiry_form(&csrf)).await.0);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(inquiry_count(&app), i64::from(yui_web::routes::posting::CONTACT_PER_IP_PER_HOUR));

    // Per listing, from any number of addresses (any 127.x.y.z reaches the server on Linux).
    let per_listing = i64::from(yui_web::routes::posting::CONTACT_PER_POSTING_PER_HOUR);
    let mut last = (0, String::new());
    for host in 2..20u8 {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .local_address(Some(std::net::IpAddr::from([127, 0, 0, host])))
            .build()
            .unwrap();
        let s = Session { client, base: app.address.clone() };
        let (_, page) = s.get(&format!("/succession/{}", l.public_id)).await;
        let csrf = hidden_value(&page, "csrf");
        for _ in 0..4 {
            last = send_inquiry(&s, &l, &inquiry_form(&csrf)).await;
            if last.0 == 429 || inquiry_count(&app) > per_listing {
                break;
            }
        }
        if last.0 == 429 {
            break;
        }
    }
    assert_eq!(last.0, 429);
    assert!(last.1.contains("この募集へのお問い合わせが1時間の上限に達しました"), "{}", last.1);
    assert!(last.1.contains("MARKER-ABOUT"), "what was typed is kept");
    assert_eq!(inquiry_count(&app), per_listing);
}

#[actix_web::test]
async fn writers_are_refused_and_editors_run_a_listing_from_creation_to_match() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "writer@desk.example", "writer", "desk");
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");

    let writer = Session::login(&app, "writer@desk.example").await;
    assert_eq!(writer.get("/admin/succession").await.0, 403);
    assert_eq!(writer.get("/admin/succession/new").await.0, 403);
    let (_, pw) = writer.get("/admin/password").await;
    let writer_csrf = hidden_value(&pw, "csrf");
    assert_eq!(writer.post("/admin/succession/new", &[("csrf", &writer_csrf), ("public_name", "x")]).await.0, 403);
    assert_eq!(Session::anonymous(&app).get("/admin/succession").await.0, 303, "to the login page");

    let s = Session::login(&app, "coord@npo.example").await;
    let (status, html) = s.get("/admin/succession/new").await;
    assert_eq!(status, 200);
    let csrf = hidden_value(&html, "csrf");
    let mut form: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("public_name", "市内の老舗鮮魚店"),
        ("industry", "鮮魚小売"),
        ("area", "比美町1-2-3"),
        ("years_in_business", "62"),
        ("staff_count", ""),
        ("revenue_band", "undisclosed"),
        ("handover", "premises"),
        ("handover", "brand"),
        ("handover_note", ""),
        ("reason", ""),
        ("successor_wish", ""),
        ("terms", "transfer"),
        ("price_text", ""),
        ("description", "朝どれの魚を60年。"),
        ("article", ""),
        ("coordinator", "himi-npo"),
        ("owner_name", OWNER_NAME),
        ("owner_email", OWNER_EMAIL),
        ("owner_phone", OWNER_PHONE),
    ];
    // An address is refused, with the form kept.
    let (status, html) = s.post("/admin/succession/new", &form).await;
    assert_eq!(status, 422);
    assert!(html.contains("地区名までにしてください"));
    assert!(html.contains("value=\"市内の老舗鮮魚店\""));
    form.iter_mut().find(|(k, _)| *k == "area").unwrap().1 = "比美町";
    let (status, location) = s.post("/admin/succession/new", &form).await;
    assert_eq!(status, 303, "{location}");
    let l: Listing = succession_listings::table.select(Listing::as_select()).first(&mut conn).unwrap();
    assert_eq!(location, format!("/admin/succession/{}?done=created", l.public_id));
    assert_eq!(l.handover, "premises brand");
    assert!(l.manage_token_hash.is_some(), "an owner link was made");

    // The owner's mail carries their private link; only its hash is stored.
    let mails = outbox(&app);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipients, OWNER_EMAIL);
    let link = mails[0].body_text.lines().map(str::trim).find(|l| l.contains("/succession/manage/")).unwrap();
    let token = link.rsplit('/').next().unwrap();
    assert_eq!(yui_web::tokens::hash_token(token), l.manage_token_hash.clone().unwrap());
    assert!(!l.manage_token_hash.clone().unwrap().contains(token));

    // Status: open → in talks, with the version guarding against a stale form.
    let (status, html) = s.get(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("掲載を作成し"), "{html}");
    let csrf = hidden_value(&html, "csrf");
    let (status, _) = set_status(&s, &l, &csrf, "1", "matched", None).await;
    assert_eq!(status, 400, "open cannot jump to matched");
    let (status, _) = set_status(&s, &l, &csrf, "1", "in_talks", Some("面談を設定")).await;
    assert_eq!(status, 303);
    let (status, html) = set_status(&s, &l, &csrf, "1", "open", None).await;
    assert_eq!(status, 409, "a stale version is refused");
    assert!(html.contains("ほかの人が先に"));

    // An inquiry arrives; the coordinator records progress on it.
    let (seeker, seeker_csrf) = visit(&app, &l).await;
    let (status, _) = send_inquiry(&seeker, &l, &inquiry_form(&seeker_csrf)).await;
    assert_eq!(status, 200);
    let inquiry_id: i32 = succession_inquiries::table.select(succession_inquiries::id).first(&mut conn).unwrap();
    let (status, _) = set_inquiry_status(&s, &l, inquiry_id, &csrf, "introduced", "").await;
    assert_eq!(status, 400, "received cannot jump to introduced");
    let (status, _) = set_inquiry_status(&s, &l, inquiry_id, &csrf, "in_progress", "所有者に打診中").await;
    assert_eq!(status, 303);
    let (status, html) = s.get(&format!("/admin/succession/{}", l.public_id)).await;
    assert_eq!(status, 200);
    for expected in [
        "山田 花子",
        SEEKER,
        "MARKER-ABOUT",
        "所有者に確認中",
        "所有者に打診中",
        "面談を設定",
        "交渉中",
        "作成",
        "問い合わせを受付",
    ] {
        assert!(html.contains(expected), "the staff page shows {expected:?}");
    }
    let (status, _) = set_status(&s, &l, &csrf, "2", "matched", None).await;
    assert_eq!(status, 303);
    let l: Listing = succession_listings::table.select(Listing::as_select()).first(&mut conn).unwrap();
    assert_eq!(l.status, SuccessionStatus::Matched);
    assert!(l.matched_at.is_some());
    let _ = editor;

    let (_, html) = s.get("/admin/succession").await;
    assert!(html.contains("市内の老舗鮮魚店") && html.contains("成約"));
}

#[actix_web::test]
async fn the_owner_sees_counted_inquiries_and_asks_for_changes() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");
    let s = Session::login(&app, "coord@npo.example").await;
    let l = listing(&mut conn, &editor, input("市内の老舗鮮魚店"));
    let (_, html) = s.get(&format!("/admin/succession/{}", l.public_id)).await;
    let csrf = hidden_value(&html, "csrf");
    let (status, _) = s.post(&format!("/admin/succession/{}/owner_link", l.public_id), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    let body = outbox(&app).pop().unwrap().body_text;
    let link = body.lines().map(str::trim).find(|l| l.contains("/succession/manage/")).unwrap().to_owned();
    let path = &link[link.find("/succession/manage/").unwrap()..];

    let owner = Session::anonymous(&app);
    let (status, html) = owner.get(path).await;
    assert_eq!(status, 200);
    assert!(html.contains("0件") && html.contains("募集中") && html.contains("市内の老舗鮮魚店"));

    let seeker = Session::anonymous(&app);
    let (_, page) = seeker.get(&format!("/succession/{}", l.public_id)).await;
    send_inquiry(&seeker, &l, &inquiry_form(&hidden_value(&page, "csrf"))).await;
    let (_, html) = owner.get(path).await;
    assert!(html.contains("1件"), "the inquiry is counted");
    assert!(!html.contains("山田") && !html.contains(SEEKER), "no identities on the owner's page");

    // A request for changes goes to the coordinator by mail, Reply-To the owner, and is logged.
    let csrf = hidden_value(&html, "csrf");
    let (status, html) = owner.post(path, &[("csrf", &csrf), ("request", "  ")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("変更してほしい内容を入力してください"));
    let (status, location) = owner.post(path, &[("csrf", &csrf), ("request", "写真を差し替えてください。")]).await;
    assert_eq!(status, 303);
    assert!(location.ends_with("?done=1"));
    let mail = outbox(&app).pop().unwrap();
    assert_eq!(mail.recipients, "coord@npo.example");
    assert_eq!(mail.reply_to.as_deref(), Some(OWNER_EMAIL));
    assert!(mail.body_text.contains("写真を差し替えてください。"));
    let (_, html) = s.get(&format!("/admin/succession/{}", l.public_id)).await;
    assert!(html.contains("所有者から変更の依頼") && html.contains("写真を差し替えてください。"));

    // A wrong or old token opens nothing.
    assert_eq!(owner.get("/succession/manage/not-a-token").await.0, 404);
    assert_eq!(owner.get(&format!("/succession/manage/{}", "A".repeat(43))).await.0, 404);
    s.post(
        &format!("/admin/succession/{}/owner_link", l.public_id),
        &[("csrf", &hidden_value(&s.get(&format!("/admin/succession/{}", l.public_id)).await.1, "csrf"))],
    )
    .await;
    assert_eq!(owner.get(path).await.0, 404, "a new link replaces the old one");
}

#[actix_web::test]
async fn the_transparency_page_counts_listings_by_status() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");
    listing(&mut conn, &editor, input("一"));
    listing(&mut conn, &editor, input("二"));
    let talks = listing(&mut conn, &editor, input("三"));
    move_to(&mut conn, &talks, &editor, &[SuccessionStatus::InTalks]);
    let done = listing(&mut conn, &editor, input("四"));
    move_to(&mut conn, &done, &editor, &[SuccessionStatus::InTalks, SuccessionStatus::Matched]);
    let gone = listing(&mut conn, &editor, input("五"));
    move_to(&mut conn, &gone, &editor, &[SuccessionStatus::Closed]);

    let json: serde_json::Value = app.get("/transparency.json").await.json().await.unwrap();
    assert_eq!(json["succession"], serde_json::json!({"open": 2, "in_talks": 1, "matched": 1}));
    let (_, html) = app.page("/transparency").await;
    assert!(html.contains("事業承継（後継者募集）"));
    let row = |label: &str| {
        let at = html.find(&format!("<th scope=\"row\">{label}</th>")).unwrap();
        html[at..at + 80].to_owned()
    };
    assert!(row("募集中").contains(">2<"), "{}", row("募集中"));
    assert!(row("交渉中").contains(">1<"));
    assert!(row("成約").contains(">1<"));
}

#[actix_web::test]
async fn a_listing_links_to_a_published_article_only() {
    use yui_db::schema::articles;
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = staff(&mut conn, "coord@npo.example", "editor", "himi-npo");
    let article = |slug: &str, title: &str, status: &str| {
        (
            articles::kind.eq("column"),
            articles::slug.eq(slug.to_owned()),
            articles::title.eq(title.to_owned()),
            articles::author_id.eq(editor.id),
            articles::status.eq(status.to_owned()),
            articles::published_at.eq((status == "published").then(|| now() - chrono::Duration::days(1))),
            articles::created_at.eq(now()),
            articles::updated_at.eq(now()),
        )
    };
    diesel::insert_into(articles::table)
        .values(article("sakanaya-60", "魚屋の60年を継ぐ人へ", "published"))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(articles::table)
        .values(article("draft-one", "まだ下書きの記事", "draft"))
        .execute(&mut conn)
        .unwrap();
    let published: i32 =
        articles::table.filter(articles::slug.eq("sakanaya-60")).select(articles::id).first(&mut conn).unwrap();
    let draft: i32 =
        articles::table.filter(articles::slug.eq("draft-one")).select(articles::id).first(&mut conn).unwrap();
    let l = listing(&mut conn, &editor, input("市内の老舗鮮魚店"));

    let s = Session::login(&app, "coord@npo.example").await;
    let (_, html) = s.get(&format!("/admin/succession/{}", l.public_id)).await;
    assert!(
        html.contains("魚屋の60年を継ぐ人へ") && !html.contains("まだ下書きの記事"),
        "only published articles are offered"
    );
    let csrf = hidden_value(&html, "csrf");
    let form = |article: String| {
        let mut f: Vec<(String, String)> = [
            ("csrf", csrf.clone()),
            ("version", "1".into()),
            ("public_name", "市内の老舗鮮魚店".into()),
            ("industry", "鮮魚小売".into()),
            ("area", "比美町".into()),
            ("revenue_band", "undisclosed".into()),
            ("terms", "succession".into()),
            ("description", "朝どれの魚を60年。".into()),
            ("coordinator", "himi-npo".into()),
            ("owner_name", OWNER_NAME.into()),
            ("owner_email", OWNER_EMAIL.into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        f.push(("article".into(), article));
        f
    };
    let post = |f: Vec<(String, String)>| {
        let path = format!("/admin/succession/{}", l.public_id);
        let s = &s;
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            s.post(&path, &f).await
        }
    };
    let (status, html) = post(form(draft.to_string())).await;
    assert_eq!(status, 422, "a draft cannot be linked");
    assert!(html.contains("公開中の記事から選んでください"));
    let (status, _) = post(form(published.to_string())).await;
    assert_eq!(status, 303);

    let (_, html) = app.page(&format!("/succession/{}", l.public_id)).await;
    assert!(html.contains("href=\"/columns/sakanaya-60\"") && html.contains("魚屋の60年を継ぐ人へ"));
    let log = yui_db::editorial_log::lines(&mut conn, yui_db::editorial_log::Subject::Succession(l.id)).unwrap();
    assert_eq!(log.last().unwrap().action, "edit");
}
