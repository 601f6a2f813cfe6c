//! The takeover pool (issue 20): people who would take a business over register what they look
//! for; the entry counts once confirmed from the mail, is read only by the chosen
//! organisation's staff (admins read all), withdrawn by a link, deleted on schedule, and the
//! coordinators of a listing are told how many entries fit it, without a name.

use crate::common::browser::{browser, click_and_wait_for, fill, log_in_at, text};
use crate::common::smtp::{self, SmtpServer};
use crate::common::{self, hidden_value, Session, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use fantoccini::Locator;
use yui_db::outbox::OutboxEmail;
use yui_db::schema::{outbox_emails, succession_pool_entries};
use yui_db::staff::StaffUser;
use yui_db::DbConnection;
use yui_domain::succession::pool::{PoolEntry, PoolForm};

const PERSON: &str = "tsugu.ichiro@example.jp";
const PERSON_NAME: &str = "継田 一郎";
const EXPERIENCE: &str = "MARKER鮮魚店で十年働きました。";

fn editor(conn: &mut DbConnection, email: &str, role: &'static str, org: &str) -> StaffUser {
    common::staff(conn, email, role, (org, &format!("{org}の団体")))
}

fn form(csrf: &str, organization: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("website_url", String::new()),
        ("name", PERSON_NAME.into()),
        ("email", PERSON.into()),
        ("phone", "090-0000-0000".into()),
        ("industries", "fishery".into()),
        ("industries", "food".into()),
        ("areas", "比美町".into()),
        ("funds_band", "5m_10m".into()),
        ("start_band", "half_year".into()),
        ("experience", EXPERIENCE.into()),
        ("organization", organization.into()),
        ("consent", "yes".into()),
    ]
}

async fn visit(app: &TestApp) -> (Session, String) {
    let s = Session::anonymous(app);
    let (status, page) = s.get("/succession/pool").await;
    assert_eq!(status, 200, "{page}");
    let csrf = hidden_value(&page, "csrf");
    (s, csrf)
}

async fn send(s: &Session, form: &[(&str, String)]) -> (u16, String) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post("/succession/pool", &form).await
}

fn outbox(app: &TestApp) -> Vec<OutboxEmail> {
    outbox_emails::table.order(outbox_emails::id.asc()).select(OutboxEmail::as_select()).load(&mut app.conn()).unwrap()
}

fn entry_count(app: &TestApp) -> i64 {
    succession_pool_entries::table.count().get_result(&mut app.conn()).unwrap()
}

fn link_in(body: &str, path: &str) -> String {
    let start = body.find(path).unwrap_or_else(|| panic!("no {path} in {body}"));
    body[start..].chars().take_while(|c| !c.is_whitespace()).collect()
}

/// A confirmed entry stored directly: `org` an organisation id or none (let Yui choose).
fn confirmed(conn: &mut DbConnection, tag: &str, industries: &[&str], areas: &[&str], org: Option<i32>) -> i32 {
    let typed = PoolForm {
        name: format!("候補 {tag}"),
        email: format!("{tag}@example.jp"),
        industries: industries.iter().map(|s| (*s).to_owned()).collect(),
        areas: areas.iter().map(|s| (*s).to_owned()).collect(),
        funds_band: "discuss".into(),
        start_band: "now".into(),
        organization: "auto".into(),
        consent: "yes".into(),
        ..PoolForm::default()
    };
    let mut entry = PoolEntry::parse(&typed, &["fishery", "food"], &["比美町", "灘浦"], &[]).unwrap();
    entry.organization_id = org;
    let now = yui_db::now();
    let id = yui_db::succession_pool::add(conn, &entry, "ja", &format!("c-{tag}"), &format!("w-{tag}"), now).unwrap();
    yui_db::succession_pool::confirm(conn, &format!("c-{tag}"), 365, now).unwrap().unwrap();
    id
}

fn org_id(conn: &mut DbConnection, slug: &str) -> i32 {
    yui_db::organizations::find_by_slug(conn, slug).unwrap().unwrap().id
}

#[actix_web::test]
async fn an_entry_counts_once_confirmed_is_read_only_by_its_organisation_and_can_be_withdrawn() {
    common::logs::capture();
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    editor(&mut conn, "coord@shoko.example", "editor", "himi-shoko");
    editor(&mut conn, "outsider@other.example", "editor", "other-org");
    editor(&mut conn, "root@yui.example", "admin", "yui-admins");

    let (_, list) = app.page("/succession").await;
    assert!(list.contains("href=\"/succession/pool\""), "linked from /succession");
    assert!(app.page("/succession/request").await.1.contains("href=\"/succession/pool\""), "and from the owners' form");
    let (s, csrf) = visit(&app).await;
    let (status, location) = send(&s, &form(&csrf, "himi-shoko")).await;
    assert_eq!((status, location.as_str()), (303, "/succession/pool/sent"));
    assert!(s.get("/succession/pool/sent").await.1.contains("確認のメールをお送りしました"));
    let id: i32 = succession_pool_entries::table.select(succession_pool_entries::id).first(&mut conn).unwrap();

    // One mail, to the person, with both private links; nobody else is told yet.
    let mails = outbox(&app);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].recipients, PERSON);
    let confirm = link_in(&mails[0].body_text, "/succession/pool/confirm/");
    let withdraw = link_in(&mails[0].body_text, "/succession/pool/withdraw/");

    // Unconfirmed: not in the pool, even for its organisation.
    let coord = Session::login(&app, "coord@shoko.example").await;
    assert!(!coord.get("/admin/succession/pool").await.1.contains(PERSON_NAME));
    assert_eq!(coord.get(&format!("/admin/succession/pool/{id}")).await.0, 404);

    // Opening the link only asks; the button confirms, once.
    let p = Session::anonymous(&app);
    let (status, ask) = p.get(&confirm).await;
    assert_eq!(status, 200);
    assert!(ask.contains("登録を確定する"));
    assert!(!coord.get("/admin/succession/pool").await.1.contains(PERSON_NAME), "a GET confirms nothing");
    let csrf_p = hidden_value(&ask, "csrf");
    assert_eq!(p.post(&confirm, &[("csrf", "forged")]).await.0, 403);
    let (_, done) = p.post(&confirm, &[("csrf", &csrf_p)]).await;
    assert!(done.contains("登録を確定しました"), "{done}");
    let (_, again) = p.post(&confirm, &[("csrf", &csrf_p)]).await;
    assert!(again.contains("このリンクの登録は見つかりません"), "{again}");

    // Its organisation's coordinator reads it, filtered by industry; another organisation cannot.
    let (_, pool) = coord.get("/admin/succession/pool?industry=fishery").await;
    assert!(pool.contains(PERSON_NAME) && pool.contains("500万〜1000万円"), "{pool}");
    assert!(!coord.get("/admin/succession/pool?industry=care").await.1.contains(PERSON_NAME));
    let (status, page) = coord.get(&format!("/admin/succession/pool/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(PERSON) && page.contains(EXPERIENCE));
    let outsider = Session::login(&app, "outsider@other.example").await;
    assert_eq!(outsider.get(&format!("/admin/succession/pool/{id}")).await.0, 404);
    assert!(!outsider.get("/admin/succession/pool").await.1.contains(PERSON_NAME));
    assert!(!outsider.get("/admin/succession/pool.csv").await.1.contains(PERSON_NAME));
    let csrf_o = outsider.csrf().await;
    let path = format!("/admin/succession/pool/{id}");
    assert_eq!(outsider.post(&path, &[("csrf", &csrf_o), ("status", "closed"), ("notes", "x")]).await.0, 404);
    let root = Session::login(&app, "root@yui.example").await;
    assert!(root.get("/admin/succession/pool").await.1.contains(PERSON_NAME));

    // Status and note.
    let csrf_c = coord.csrf().await;
    assert_eq!(coord.post(&path, &[("csrf", &csrf_c), ("status", "contacted"), ("notes", "来週電話")]).await.0, 303);
    let (_, page) = coord.get(&path).await;
    assert!(page.contains("来週電話") && page.contains("value=\"contacted\" selected"));
    assert_eq!(coord.post(&path, &[("csrf", &csrf_c), ("status", "bogus")]).await.0, 400);

    // Nothing of the person on a public page, feed or API.
    for public in ["/succession", "/feeds/succession.atom", "/sitemap.xml", "/api/v1/jobs", "/succession/pool"] {
        let (_, body) = app.page(public).await;
        for private in [PERSON, PERSON_NAME, EXPERIENCE] {
            assert!(!body.contains(private), "{private} on {public}");
        }
    }

    // The withdraw link asks first; the button deletes everything.
    let (status, ask) = p.get(&withdraw).await;
    assert_eq!(status, 200);
    assert_eq!(entry_count(&app), 1);
    let csrf_w = hidden_value(&ask, "csrf");
    let (_, done) = p.post(&withdraw, &[("csrf", &csrf_w)]).await;
    assert!(done.contains("登録を取り消し、内容を削除しました"), "{done}");
    assert_eq!(entry_count(&app), 0);
    assert!(p.get(&withdraw).await.1.contains("このリンクの登録は見つかりません"));
    let tokens = [
        confirm.trim_start_matches("/succession/pool/confirm/"),
        withdraw.trim_start_matches("/succession/pool/withdraw/"),
    ];
    for private in [PERSON, PERSON_NAME, EXPERIENCE, tokens[0], tokens[1]] {
        assert!(common::logs::lines_with(private).is_empty(), "{private} in the log");
    }
}

#[actix_web::test]
async fn bad_entries_get_japanese_field_messages_and_bots_forgeries_and_floods_are_refused() {
    let app = TestApp::spawn_with(|s| s.succession.pool_per_hour = 2).await;
    editor(&mut app.conn(), "coord@shoko.example", "editor", "himi-shoko");
    let (s, csrf) = visit(&app).await;

    let mut bad: Vec<(&str, String)> = form(&csrf, "no-such-org")
        .into_iter()
        .filter(|(k, _)| !matches!(*k, "industries" | "areas" | "consent"))
        .collect();
    for (k, v) in bad.iter_mut() {
        match *k {
            "funds_band" => *v = "a-lot".into(),
            "email" => *v = "not an address".into(),
            _ => {}
        }
    }
    let (status, html) = send(&s, &bad).await;
    assert_eq!(status, 422);
    for message in [
        "業種を一つ以上選んでください",
        "地域を一つ以上選ぶか、「どこでも」を選んでください",
        "一覧から選んでください",
        "同意が必要です",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains(PERSON_NAME), "what was typed is kept");
    let (_, en) = s.get("/succession/pool?lang=en").await;
    assert!(en.contains("Register as a successor candidate") && en.contains("Anywhere"));
    // Who reads the form in English gets the confirmation in English.
    assert_eq!(send(&s, &form(&csrf, "auto")).await.0, 303);
    let english = outbox(&app);
    assert!(english[0].subject.contains("Please confirm your successor candidate entry"), "{english:?}");
    s.get("/succession/pool?lang=ja").await;

    let mut forged = form("", "auto");
    forged.retain(|(k, _)| *k != "csrf");
    assert_eq!(send(&s, &forged).await.0, 403);
    let mut bot = form(&csrf, "auto");
    bot.iter_mut().find(|(k, _)| *k == "website_url").unwrap().1 = "http://spam.example".into();
    assert_eq!(send(&s, &bot).await.0, 303);
    assert_eq!(entry_count(&app), 1, "neither the forgery nor the bot was stored");
    assert_eq!(outbox(&app).len(), 1);

    let statuses = [send(&s, &form(&csrf, "auto")).await.0, send(&s, &form(&csrf, "auto")).await.0];
    assert_eq!(statuses, [303, 429]);
    assert_eq!(entry_count(&app), 2);
}

#[actix_web::test]
async fn unconfirmed_and_expired_entries_are_deleted_by_the_lifecycle_worker() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let settings = common::test_settings();
    let hours = i64::from(settings.succession.pool_unconfirmed_hours);
    let days = settings.succession.pool_days;
    let typed = PoolForm {
        name: PERSON_NAME.into(),
        email: PERSON.into(),
        industries: vec!["fishery".into()],
        areas: vec!["anywhere".into()],
        funds_band: "discuss".into(),
        start_band: "now".into(),
        organization: "auto".into(),
        consent: "yes".into(),
        ..PoolForm::default()
    };
    let entry = PoolEntry::parse(&typed, &["fishery"], &["比美町"], &[]).unwrap();
    let now = yui_db::now();
    let add = |conn: &mut DbConnection, tag: &str, at| {
        yui_db::succession_pool::add(conn, &entry, "ja", &format!("c-{tag}"), &format!("w-{tag}"), at).unwrap()
    };
    let _stale = add(&mut conn, "stale", now - Duration::hours(hours + 1));
    let fresh = add(&mut conn, "fresh", now - Duration::hours(hours - 1));
    let expired = add(&mut conn, "expired", now - Duration::days(i64::from(days) + 2));
    yui_db::succession_pool::confirm(&mut conn, "c-expired", days, now - Duration::days(i64::from(days) + 1)).unwrap();
    let kept = add(&mut conn, "kept", now - Duration::days(i64::from(days) - 1));
    yui_db::succession_pool::confirm(&mut conn, "c-kept", days, now - Duration::days(i64::from(days) - 1)).unwrap();
    assert_ne!(expired, kept);

    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    yui_web::lifecycle::run_once(&mut conn, ctx, now).unwrap();
    let left: Vec<i32> = succession_pool_entries::table
        .order(succession_pool_entries::id.asc())
        .select(succession_pool_entries::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(left, [fresh, kept], "the stale unconfirmed entry and the expired one are gone");
}

#[actix_web::test]
async fn coordinators_are_told_how_many_candidates_fit_a_listing_and_never_who() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    editor(&mut conn, "coord@npo.example", "editor", "himi-npo");
    editor(&mut conn, "root@yui.example", "admin", "yui-admins");
    let npo = org_id(&mut conn, "himi-npo");
    confirmed(&mut conn, "fits-npo-1", &["fishery"], &["比美町"], Some(npo));
    confirmed(&mut conn, "fits-npo-2", &["fishery", "food"], &["anywhere"], Some(npo));
    confirmed(&mut conn, "fits-auto", &["fishery"], &["比美町", "灘浦"], None);
    confirmed(&mut conn, "other-trade", &["food"], &["比美町"], Some(npo));
    confirmed(&mut conn, "other-place", &["fishery"], &["灘浦"], Some(npo));
    // Unconfirmed: not counted.
    let typed = PoolForm {
        name: "未確定 さん".into(),
        email: "pending@example.jp".into(),
        industries: vec!["fishery".into()],
        areas: vec!["anywhere".into()],
        funds_band: "discuss".into(),
        start_band: "now".into(),
        organization: "auto".into(),
        consent: "yes".into(),
        ..PoolForm::default()
    };
    let pending = PoolEntry::parse(&typed, &["fishery"], &[], &[]).unwrap();
    yui_db::succession_pool::add(&mut conn, &pending, "ja", "c-pending", "w-pending", yui_db::now()).unwrap();

    let s = Session::login(&app, "coord@npo.example").await;
    let csrf = s.csrf_on("/admin/succession/new").await;
    let form: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("public_name", "港町の鮮魚店"),
        ("industry", "水産・漁業"),
        ("area", "比美町"),
        ("years_in_business", "62"),
        ("staff_count", ""),
        ("revenue_band", "undisclosed"),
        ("handover", "premises"),
        ("handover_note", ""),
        ("reason", ""),
        ("successor_wish", ""),
        ("terms", "transfer"),
        ("price_text", ""),
        ("description", "朝どれの魚を60年。"),
        ("article", ""),
        ("coordinator", "himi-npo"),
        ("owner_name", "店主 さん"),
        ("owner_email", "owner@example.jp"),
        ("owner_phone", ""),
    ];
    let (status, location) = s.post("/admin/succession/new", &form).await;
    assert_eq!(status, 303, "{location}");

    let notices: Vec<OutboxEmail> = outbox(&app).into_iter().filter(|m| m.subject.contains("後継者候補")).collect();
    assert_eq!(notices.len(), 2, "{notices:?}");
    let to_npo = notices.iter().find(|m| m.recipients == "coord@npo.example").unwrap();
    assert!(to_npo.subject.contains("2人の後継者候補が「港町の鮮魚店」に合っています"), "{}", to_npo.subject);
    let to_admins = notices.iter().find(|m| m.recipients == "root@yui.example").unwrap();
    assert!(to_admins.subject.contains("3人の後継者候補"), "{}", to_admins.subject);
    for m in &notices {
        assert!(m.body_text.contains("/admin/succession/pool?listing="));
        for private in ["候補 ", "@example.jp", "未確定", "店主"] {
            assert!(!m.subject.contains(private) && !m.body_text.contains(private), "{private} in {m:?}");
        }
    }
    let to_person = outbox(&app).into_iter().filter(|m| m.recipients.contains("fits-")).count();
    assert_eq!(to_person, 0, "candidates are not told automatically");

    // The listing's page counts what the coordinator may read; the link lists exactly those.
    let public_id = location.trim_start_matches("/admin/succession/").split('?').next().unwrap().to_owned();
    let (_, page) = s.get(&format!("/admin/succession/{public_id}")).await;
    assert!(page.contains("この掲載に合う方: 2人"), "{page}");
    let (_, pool) = s.get(&format!("/admin/succession/pool?listing={public_id}")).await;
    assert!(pool.contains("候補 fits-npo-1") && pool.contains("候補 fits-npo-2"));
    assert!(
        !pool.contains("候補 other-trade") && !pool.contains("候補 other-place") && !pool.contains("候補 fits-auto")
    );

    // A later confirmation that fits tells the coordinators again, with the new count.
    let before = outbox(&app).len();
    let mut fresh = pending.clone();
    fresh.organization_id = Some(npo);
    yui_db::succession_pool::add(&mut conn, &fresh, "ja", "c-late", "w-late", yui_db::now()).unwrap();
    let p = Session::anonymous(&app);
    // Only the hash is stored: give the entry a link whose token the test knows.
    let token = "late-token-for-the-test";
    diesel::update(succession_pool_entries::table.filter(succession_pool_entries::confirm_hash.eq("c-late")))
        .set(succession_pool_entries::confirm_hash.eq(yui_web::tokens::hash_token(token)))
        .execute(&mut conn)
        .unwrap();
    let path = format!("/succession/pool/confirm/{token}");
    let csrf_p = hidden_value(&p.get(&path).await.1, "csrf");
    assert!(p.post(&path, &[("csrf", &csrf_p)]).await.1.contains("登録を確定しました"));
    let later: Vec<OutboxEmail> = outbox(&app).into_iter().skip(before).collect();
    assert_eq!(later.len(), 2, "{later:?}");
    assert!(later.iter().any(|m| m.recipients == "coord@npo.example" && m.subject.contains("3人の後継者候補")));

    // Talks begin (nobody is told), then fall through: open again, the coordinators hear again.
    let listing = |conn: &mut DbConnection| yui_db::succession::find_by_public_id(conn, &public_id).unwrap().unwrap();
    let status_path = format!("/admin/succession/{public_id}/status");
    let notices = |app: &TestApp| outbox(app).into_iter().filter(|m| m.subject.contains("後継者候補")).count();
    let before = notices(&app);
    for to in ["in_talks", "open"] {
        let version = listing(&mut conn).version.to_string();
        let (status, location) = s.post(&status_path, &[("csrf", &csrf), ("version", &version), ("to", to)]).await;
        assert_eq!(status, 303, "{to}: {location}");
        if to == "in_talks" {
            assert_eq!(notices(&app), before, "talks tell nobody");
        }
    }
    let reopened: Vec<OutboxEmail> =
        outbox(&app).into_iter().filter(|m| m.subject.contains("後継者候補")).skip(before).collect();
    assert_eq!(reopened.len(), 2, "{reopened:?}");
    assert!(reopened.iter().any(|m| m.recipients == "coord@npo.example" && m.subject.contains("3人の後継者候補")));
}

#[actix_web::test]
async fn the_csv_is_the_filtered_list_with_formulas_defused() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    editor(&mut conn, "coord@npo.example", "editor", "himi-npo");
    let npo = org_id(&mut conn, "himi-npo");
    confirmed(&mut conn, "fish", &["fishery"], &["比美町"], Some(npo));
    confirmed(&mut conn, "food", &["food"], &["比美町"], Some(npo));
    diesel::update(succession_pool_entries::table.filter(succession_pool_entries::email.eq("fish@example.jp")))
        .set(succession_pool_entries::notes.eq("=HYPERLINK(\"http://evil.example\")"))
        .execute(&mut conn)
        .unwrap();
    let s = Session::login(&app, "coord@npo.example").await;
    let (status, csv) = s.get("/admin/succession/pool.csv?industry=fishery").await;
    assert_eq!(status, 200);
    assert!(csv.starts_with('\u{feff}'), "a byte order mark for spreadsheets");
    assert!(csv.contains("fish@example.jp") && !csv.contains("food@example.jp"), "{csv}");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert_eq!(Session::anonymous(&app).get("/admin/succession/pool.csv").await.0 / 100, 3, "staff only");
}

/// In real headless Chromium (skipped without it, except under `CI=true`): a person registers,
/// confirms from the mail read off the loopback SMTP server, and a coordinator finds the entry
/// filtered by industry.
#[actix_web::test]
async fn a_person_registers_confirms_from_the_mail_and_a_coordinator_finds_them() {
    let Some(driver) = browser().await else { return };
    if !smtp::available("a_person_registers_confirms_from_the_mail_and_a_coordinator_finds_them") {
        return;
    }
    let app = TestApp::spawn().await;
    common::named_staff(
        &mut app.conn(),
        "coord@npo.example",
        "承継 次郎",
        "editor",
        ("himi-npo", "ひみ事業承継センター"),
    );
    let c = &driver.client;
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{}/succession", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("a[href='/succession/pool']")).await.unwrap();
    click_and_wait_for(c, "a[href='/succession/pool']", "form[action='/succession/pool']").await;
    fill(c, "#p-name", PERSON_NAME).await;
    fill(c, "#p-email", PERSON).await;
    for css in [
        "input[name='industries'][value='fishery']",
        "input[name='areas'][value='anywhere']",
        "input[name='funds_band'][value='10m_30m']",
        "input[name='start_band'][value='year']",
        "#p-organization option[value='himi-npo']",
        "#p-consent",
    ] {
        c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
    }
    fill(c, "#p-experience", EXPERIENCE).await;
    click_and_wait_for(c, "form[action='/succession/pool'] button", ".succession-pool-sent").await;

    let server = SmtpServer::start();
    let report = server.deliver_due(app.conn()).await;
    assert_eq!(report.sent, 1, "{report:?}: {}", server.log());
    let got = server.messages();
    assert_eq!(got[0]["to"][0], PERSON);
    let link = link_in(got[0]["text"].as_str().unwrap(), "/succession/pool/confirm/");
    c.goto(&format!("{}{link}", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css(".succession-pool-link form button")).await.unwrap();
    click_and_wait_for(c, ".succession-pool-link form button", ".succession-pool-link .notice.ok").await;

    c.delete_all_cookies().await.unwrap();
    let url = format!("{}/admin/succession/pool", app.address);
    log_in_at(c, &url, "coord@npo.example", "form.filters").await;
    c.find(Locator::Css("#pf-industry option[value='fishery']")).await.unwrap().click().await.unwrap();
    click_and_wait_for(c, "form.filters button", "#pf-industry option[value='fishery'][selected]").await;
    let table = text(c, ".succession-pool table").await;
    assert!(table.contains(PERSON_NAME) && table.contains("1000万〜3000万円") && table.contains("どこでも"), "{table}");
}

/// The owners' form in headless Chromium: fill it in, send it, see the thanks.
#[actix_web::test]
async fn an_owner_sends_the_request_form_and_sees_the_thanks() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let c = &driver.client;
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{}/succession/request", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("form[action='/succession/request']")).await.unwrap();
    for (css, value) in [
        ("#r-business_name", "港町の鮮魚店"),
        ("#r-reason", "高齢のため、来年の春までに引き継ぎたい。"),
        ("#r-handover", "店舗と常連のお客さま"),
        ("#r-contact_name", "店主 太郎"),
        ("#r-contact_email", "owner@sakana.example"),
    ] {
        fill(c, css, value).await;
    }
    for css in [
        "#r-industry option[value='fishery']",
        "#r-area option[value='比美町']",
        "input[name='staff_band'][value='2_4']",
        "#r-consent",
    ] {
        c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
    }
    click_and_wait_for(c, "form[action='/succession/request'] button", ".succession-request-sent").await;
    assert!(text(c, ".succession-request-sent h1").await.contains("ご相談を受け付けました"));
}

#[actix_web::test]
async fn two_weeks_before_the_end_the_author_is_reminded_once_and_can_renew_or_withdraw() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let settings = common::test_settings();
    let days = settings.succession.pool_days;
    let now = yui_db::now();
    let id = confirmed(&mut conn, "soon", &["fishery"], &["比美町"], None);
    let later = confirmed(&mut conn, "later", &["fishery"], &["比美町"], None);
    diesel::update(succession_pool_entries::table.find(id))
        .set(succession_pool_entries::expires_at.eq(Some(now + Duration::days(10))))
        .execute(&mut conn)
        .unwrap();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    assert_eq!(yui_web::lifecycle::remind_pool_entries(&mut conn, ctx, now).unwrap(), 1);
    assert_eq!(yui_web::lifecycle::remind_pool_entries(&mut conn, ctx, now).unwrap(), 0, "once");
    let mails: Vec<OutboxEmail> =
        outbox(&app).into_iter().filter(|m| m.subject.contains("まもなく終わります")).collect();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].recipients, "soon@example.jp");
    let renew = link_in(&mails[0].body_text, "/succession/pool/renew/");
    let withdraw = link_in(&mails[0].body_text, "/succession/pool/withdraw/");

    let p = Session::anonymous(&app);
    let (status, ask) = p.get(&renew).await;
    assert_eq!(status, 200);
    let csrf = hidden_value(&ask, "csrf");
    assert!(p.post(&renew, &[("csrf", &csrf)]).await.1.contains("登録を延長しました"));
    assert!(p.post(&renew, &[("csrf", &csrf)]).await.1.contains("このリンクの登録は見つかりません"), "once");
    let expires: Option<chrono::NaiveDateTime> =
        succession_pool_entries::table.find(id).select(succession_pool_entries::expires_at).first(&mut conn).unwrap();
    assert!(expires.unwrap() > now + Duration::days(i64::from(days) - 1), "another full term");

    // The reminder's withdraw link works; the other entry is untouched.
    let csrf = hidden_value(&p.get(&withdraw).await.1, "csrf");
    assert!(p.post(&withdraw, &[("csrf", &csrf)]).await.1.contains("登録を取り消し、内容を削除しました"));
    let left: Vec<i32> = succession_pool_entries::table.select(succession_pool_entries::id).load(&mut conn).unwrap();
    assert_eq!(left, [later]);
}
