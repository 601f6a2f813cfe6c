//! Joint campaigns (issue 20): drafted by an editor, published by a second one, entered through
//! one public form, worked by the co-issuing organisations' staff only, withdrawn by the
//! entrant's link, deleted after the retention period; and the read-only API.

use crate::common::{self, hidden_value, Session, TestApp};
use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use diesel::prelude::*;
use yui_db::campaigns::{Campaign, CampaignContent, Editor};
use yui_db::outbox::OutboxEmail;
use yui_db::postings::Posting;
use yui_db::schema::{campaign_entries, campaign_entry_records, editorial_events, outbox_emails};
use yui_db::staff::StaffUser;
use yui_db::DbConnection;
use yui_domain::campaigns::EntryStatus;

const ENTRANT: &str = "hanako.entrant@example.jp";

pub(crate) fn editor(conn: &mut DbConnection, email: &str, role: &'static str, org: &str) -> StaffUser {
    common::staff(conn, email, role, (org, &format!("{org}の団体")))
}

fn me(s: &StaffUser) -> Editor {
    Editor { staff_id: s.id, organization_id: s.organization_id, role: s.role }
}

fn posting(conn: &mut DbConnection, title: &str) -> Posting {
    use yui_db::testing::fixtures;
    let e = fixtures::employer(conn, "氷見まちづくり協議会", "machi@example.jp").unwrap();
    fixtures::published(conn, &e, fixtures::input(title, "side_job"), yui_db::now()).unwrap()
}

pub(crate) fn today() -> NaiveDate {
    yui_domain::today()
}

/// A campaign by `author` of the organisations `orgs`, published by `publisher` when given.
pub(crate) fn campaign(
    conn: &mut DbConnection,
    slug: &str,
    author: &StaffUser,
    orgs: &[i32],
    postings: &[i32],
    period: (NaiveDate, NaiveDate),
    publisher: Option<&StaffUser>,
) -> Campaign {
    let content = CampaignContent {
        slug: slug.into(),
        title: "氷見の副業プロジェクト2027".into(),
        story_markdown: "## 一緒に\n\n町と**商店街**が一緒に呼びかけます。<script>alert(1)</script>".into(),
        starts_on: period.0,
        ends_on: period.1,
        organizations: orgs.to_vec(),
        postings: postings.to_vec(),
    };
    let c = yui_db::campaigns::create(conn, &content, me(author), yui_db::now()).unwrap().unwrap();
    match publisher {
        Some(p) => yui_db::campaigns::publish(conn, c.id, me(p), yui_db::now()).unwrap().unwrap().unwrap(),
        None => c,
    }
}

fn outbox(app: &TestApp) -> Vec<OutboxEmail> {
    outbox_emails::table.order(outbox_emails::id.asc()).select(OutboxEmail::as_select()).load(&mut app.conn()).unwrap()
}

fn entry_count(app: &TestApp) -> i64 {
    campaign_entries::table.count().get_result(&mut app.conn()).unwrap()
}

/// Everything the editorial log holds, as one text.
fn log_text(app: &TestApp) -> String {
    let rows: Vec<(String, String, String, String, Option<String>)> = editorial_events::table
        .select((
            editorial_events::subject,
            editorial_events::action,
            editorial_events::from_status,
            editorial_events::to_status,
            editorial_events::note,
        ))
        .load(&mut app.conn())
        .unwrap();
    format!("{rows:?}")
}

fn entry_form(csrf: &str, interest: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("website_url", String::new()),
        ("name", "山田 花子".into()),
        ("email", ENTRANT.into()),
        ("offer", "週末に写真撮影とSNS発信を手伝えます。MARKER-OFFER".into()),
        ("interest", interest.into()),
        ("way", "side_job".into()),
        ("consent", "yes".into()),
    ]
}

async fn visit(app: &TestApp, slug: &str) -> (Session, String) {
    let s = Session::anonymous(app);
    let (status, page) = s.get(&format!("/campaigns/{slug}")).await;
    assert_eq!(status, 200, "{page}");
    let csrf = hidden_value(&page, "csrf");
    (s, csrf)
}

async fn enter(s: &Session, slug: &str, form: &[(&str, String)]) -> (u16, String) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post(&format!("/campaigns/{slug}/entry"), &form).await
}

fn org_id(conn: &mut DbConnection, slug: &str) -> i32 {
    yui_db::organizations::find_by_slug(conn, slug).unwrap().unwrap().id
}

#[actix_web::test]
async fn an_editor_drafts_a_second_editor_publishes_and_the_public_sees_no_entrant() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    editor(&mut conn, "author@town.example", "editor", "himi-town");
    editor(&mut conn, "second@npo.example", "editor", "himi-npo");
    let (town, npo) = (org_id(&mut conn, "himi-town"), org_id(&mut conn, "himi-npo"));
    let p = posting(&mut conn, "商店街のSNS発信プロジェクト");

    let a = Session::login(&app, "author@town.example").await;
    let csrf = a.csrf_on("/admin/campaigns/new").await;
    let (town_s, npo_s) = (town.to_string(), npo.to_string());
    let (start, end) = (today().to_string(), (today() + Duration::days(30)).to_string());
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("title", "氷見の副業プロジェクト2027"),
        ("slug", "himi-fukugyo-2027"),
        ("starts_on", start.as_str()),
        ("ends_on", end.as_str()),
        ("organization", town_s.as_str()),
        ("organization", npo_s.as_str()),
        ("postings", p.public_id.as_str()),
        ("story", "町と**商店街**が一緒に呼びかけます。"),
    ];
    // Bad input comes back with Japanese field messages and what was typed.
    let bad: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| (*k, if *k == "ends_on" { "2020-01-01" } else { *v })).collect();
    let (status, html) = a.post("/admin/campaigns", &bad).await;
    assert_eq!(status, 422);
    assert!(html.contains("終了日は開始日以降にしてください"), "{html}");
    assert!(html.contains("氷見の副業プロジェクト2027"));

    let (status, location) = a.post("/admin/campaigns", &form).await;
    assert_eq!(status, 303, "{location}");
    let id: i32 = location.trim_start_matches("/admin/campaigns/").split('?').next().unwrap().parse().unwrap();
    // A draft is not public, nor in the API.
    assert_eq!(app.page("/campaigns/himi-fukugyo-2027").await.0, 404);
    assert_eq!(app.page("/api/v1/campaigns/himi-fukugyo-2027").await.0, 404);
    // Its author may not publish it.
    let (status, html) = a.post(&format!("/admin/campaigns/{id}/publish"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 403);
    assert!(html.contains("自分で作成したキャンペーンは公開できません"));
    // Without a CSRF token nothing is saved.
    form[0] = ("csrf", "forged");
    assert_eq!(a.post("/admin/campaigns", &form).await.0, 403);

    let b = Session::login(&app, "second@npo.example").await;
    let csrf_b = b.csrf_on(&format!("/admin/campaigns/{id}")).await;
    let (status, location) = b.post(&format!("/admin/campaigns/{id}/publish"), &[("csrf", &csrf_b)]).await;
    assert_eq!((status, location.as_str()), (303, format!("/admin/campaigns/{id}?done=publish").as_str()));

    // The town's logo: re-encoded, kept in the media table, shown beside its name.
    let img = image::RgbImage::from_pixel(64, 64, image::Rgb([30, 95, 91]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let logo_path = format!("/admin/campaigns/{id}/logo/{town}");
    let (status, _) = b.post_file(&logo_path, &[("csrf", &csrf_b)], "logo", "logo.png", &png).await;
    assert_eq!(status, 303);
    let other = org_id(&mut conn, "himi-npo") + 1000;
    let (status, _) =
        b.post_file(&format!("/admin/campaigns/{id}/logo/{other}"), &[("csrf", &csrf_b)], "logo", "l.png", &png).await;
    assert_eq!(status, 404, "only a co-issuing organisation has a logo here");

    let (status, html) = app.page("/campaigns/himi-fukugyo-2027").await;
    assert_eq!(status, 200);
    assert!(html.contains("<img src=\"/media/"), "{html}");
    for shown in [
        "氷見の副業プロジェクト2027",
        "himi-townの団体",
        "himi-npoの団体",
        "商店街のSNS発信プロジェクト",
        "<strong>商店街</strong>",
        "エントリー 0件",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    let (_, list) = app.page("/campaigns").await;
    assert!(list.contains("/campaigns/himi-fukugyo-2027"));
    let (_, sitemap) = app.page("/sitemap.xml").await;
    assert!(sitemap.contains("/campaigns/himi-fukugyo-2027</loc>"));
    let log = log_text(&app);
    assert!(log.contains("\"campaign\", \"create\"") && log.contains("\"campaign\", \"publish\""), "{log}");
}

#[actix_web::test]
async fn an_entry_is_confirmed_by_mail_counted_and_withdrawn_by_its_private_link() {
    common::logs::capture();
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let (a, b) = (
        editor(&mut conn, "a@town.example", "editor", "himi-town"),
        editor(&mut conn, "b@town.example", "editor", "himi-town"),
    );
    let p = posting(&mut conn, "古民家カフェの改装プロジェクト");
    let period = (today() - Duration::days(1), today() + Duration::days(10));
    campaign(&mut conn, "kominka", &a, &[a.organization_id], &[p.id], period, Some(&b));

    let (s, csrf) = visit(&app, "kominka").await;
    let (status, location) = enter(&s, "kominka", &entry_form(&csrf, &p.public_id)).await;
    assert_eq!((status, location.as_str()), (303, "/campaigns/kominka/entry/sent"));
    let (status, thanks) = s.get("/campaigns/kominka/entry/sent").await;
    assert_eq!(status, 200);
    assert!(thanks.contains("エントリーを受け付けました"));
    let (_, page) = app.page("/campaigns/kominka").await;
    assert!(page.contains("エントリー 1件"));
    assert!(!page.contains("山田") && !page.contains(ENTRANT), "the public page names nobody");
    let api: serde_json::Value = app.get("/api/v1/campaigns/kominka").await.json().await.unwrap();
    assert_eq!(api["data"]["entry_count"], 1, "{api}");
    assert!(!api.to_string().contains("山田") && !api.to_string().contains(ENTRANT), "{api}");
    let listed: serde_json::Value = app.get("/api/v1/campaigns").await.json().await.unwrap();
    assert_eq!(listed["data"][0]["slug"], "kominka");
    assert_eq!(listed["data"][0]["entry_count"], 1);
    assert_eq!(listed["license"]["name"], "CC BY 4.0");
    assert_eq!(app.page("/api/v1/campaigns/nothing-here").await.0, 404);
    let res = app.client.head(format!("{}/api/v1/campaigns", app.address)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let res = app.client.post(format!("{}/api/v1/campaigns/kominka", app.address)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 405);

    let mail = outbox(&app).pop().unwrap();
    assert_eq!(mail.recipients, ENTRANT);
    assert!(mail.body_text.contains("himi-townの団体"), "{}", mail.body_text);
    let start = mail.body_text.find("/campaigns/withdraw/").unwrap();
    let path: String = mail.body_text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    let token = path.trim_start_matches("/campaigns/withdraw/");
    let stored: String =
        campaign_entries::table.select(campaign_entries::withdraw_hash).first(&mut app.conn()).unwrap();
    assert_ne!(stored, token, "only the token's hash is stored");

    // Opening the link asks; only the button deletes (a mail scanner's visit changes nothing).
    let w = Session::anonymous(&app);
    let (status, ask) = w.get(&path).await;
    assert_eq!(status, 200);
    assert!(ask.contains("古民家") || ask.contains("氷見の副業プロジェクト2027"));
    assert_eq!(entry_count(&app), 1);
    let csrf_w = hidden_value(&ask, "csrf");
    let (status, done) = w.post(&path, &[("csrf", &csrf_w)]).await;
    assert_eq!(status, 200);
    assert!(done.contains("エントリーを取り消し、内容を削除しました"));
    assert_eq!(entry_count(&app), 0);
    let (_, again) = w.get(&path).await;
    assert!(again.contains("このリンクのエントリーは見つかりません"));
    let (_, page) = app.page("/campaigns/kominka").await;
    assert!(page.contains("エントリー 0件"));
    // Nothing personal, and no withdraw key, reached the log (the access log included).
    assert!(!common::logs::lines_with("/campaigns/withdraw/").is_empty(), "the requests were logged");
    for private in [ENTRANT, "山田 花子", "MARKER-OFFER", token] {
        assert!(common::logs::lines_with(private).is_empty(), "{private} in the log");
    }
}

#[actix_web::test]
async fn bad_entries_get_japanese_field_messages_and_bots_forgeries_and_floods_are_refused() {
    let app = TestApp::spawn_with(|s| s.campaigns.entries_per_hour = 2).await;
    let mut conn = app.conn();
    let (a, b) = (
        editor(&mut conn, "a@town.example", "editor", "himi-town"),
        editor(&mut conn, "b@town.example", "admin", "himi-town"),
    );
    let p = posting(&mut conn, "朝市の運営ボランティア");
    let period = (today(), today() + Duration::days(10));
    campaign(&mut conn, "asaichi", &a, &[a.organization_id], &[p.id], period, Some(&b));
    let (s, csrf) = visit(&app, "asaichi").await;

    // Nothing chosen, no consent, a posting of another campaign.
    let mut form = entry_form(&csrf, "zzzz9999");
    for (k, v) in form.iter_mut() {
        if ["name", "offer", "way", "consent"].contains(k) {
            v.clear();
        }
    }
    let (status, html) = enter(&s, "asaichi", &form).await;
    assert_eq!(status, 422);
    for message in [
        "できること・関わり方のイメージを入力してください",
        "関わり方を選んでください",
        "連絡を受けることへの同意が必要です",
        "このキャンペーンにない求人が選ばれています",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains(ENTRANT), "what was typed is kept");
    let (_, en) = s.get("/campaigns/asaichi?lang=en").await;
    assert!(en.contains("Send my entry"));
    s.get("/campaigns/asaichi?lang=ja").await;

    // An expired page: 403, typed text kept, nothing stored.
    let mut forged = entry_form("", &p.public_id);
    forged.retain(|(k, _)| *k != "csrf");
    let (status, html) = enter(&s, "asaichi", &forged).await;
    assert_eq!(status, 403);
    assert!(html.contains("MARKER-OFFER"));
    // A bot fills the hidden field: thanked, nothing kept or sent.
    let mut bot = entry_form(&csrf, &p.public_id);
    bot.iter_mut().find(|(k, _)| *k == "website_url").unwrap().1 = "http://spam.example".into();
    assert_eq!(enter(&s, "asaichi", &bot).await.0, 303);
    assert_eq!(entry_count(&app), 0);
    assert!(outbox(&app).is_empty());

    // Two entries an hour from one address, then 429.
    let statuses = [
        enter(&s, "asaichi", &entry_form(&csrf, &p.public_id)).await.0,
        enter(&s, "asaichi", &entry_form(&csrf, &p.public_id)).await.0,
        enter(&s, "asaichi", &entry_form(&csrf, &p.public_id)).await.0,
    ];
    assert_eq!(statuses, [303, 303, 429]);
    assert_eq!(entry_count(&app), 2);

    // A campaign that has ended takes no entries.
    let old = (today() - Duration::days(20), today() - Duration::days(10));
    campaign(&mut conn, "ended-one", &a, &[a.organization_id], &[], old, Some(&b));
    let (status, _) = enter(&s, "ended-one", &entry_form(&csrf, "")).await;
    assert_eq!(status, 410);
}

#[actix_web::test]
async fn the_pool_is_for_the_co_issuers_only_with_status_notes_csv_and_mail() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let a = editor(&mut conn, "coord@town.example", "editor", "himi-town");
    let b = editor(&mut conn, "second@town.example", "editor", "himi-town");
    editor(&mut conn, "writer@shoten.example", "writer", "himi-shoten");
    editor(&mut conn, "outsider@other.example", "editor", "other-org");
    editor(&mut conn, "root@yui.example", "admin", "yui-admins");
    let shoten = org_id(&mut conn, "himi-shoten");
    let p = posting(&mut conn, "祭りの運営スタッフ");
    let period = (today(), today() + Duration::days(10));
    let c = campaign(&mut conn, "matsuri", &a, &[a.organization_id, shoten], &[p.id], period, Some(&b));
    let (s, csrf) = visit(&app, "matsuri").await;
    assert_eq!(enter(&s, "matsuri", &entry_form(&csrf, &p.public_id)).await.0, 303);
    let entry_id: i32 = campaign_entries::table.select(campaign_entries::id).first(&mut app.conn()).unwrap();
    let pool = format!("/admin/campaigns/{}/entries", c.id);

    // Another organisation's editor: no pool, no CSV, no change, no mail.
    let outsider = Session::login(&app, "outsider@other.example").await;
    assert_eq!(outsider.get(&pool).await.0, 404);
    assert_eq!(outsider.get(&format!("{pool}.csv")).await.0, 404);
    let csrf_o = outsider.csrf().await;
    let set = format!("{pool}/{entry_id}");
    assert_eq!(outsider.post(&set, &[("csrf", &csrf_o), ("status", "declined"), ("notes", "x")]).await.0, 404);
    assert_eq!(outsider.post(&format!("{set}/mail"), &[("csrf", &csrf_o), ("message", "x")]).await.0, 404);

    let pool_link = format!("href=\"{pool}\"");
    assert!(!outsider.get("/admin/campaigns").await.1.contains(&pool_link), "no link to a pool it cannot open");

    // A co-issuer's writer sees the pool; an admin sees every pool.
    let writer = Session::login(&app, "writer@shoten.example").await;
    assert!(writer.get("/admin/campaigns").await.1.contains(&pool_link));
    assert_eq!(writer.get("/admin/campaigns/new").await.0, 403, "writers do not draft campaigns");
    let (status, html) = writer.get(&pool).await;
    assert_eq!(status, 200);
    assert!(html.contains("山田 花子") && html.contains(ENTRANT));
    assert_eq!(Session::login(&app, "root@yui.example").await.get(&pool).await.0, 200);

    let coord = Session::login(&app, "coord@town.example").await;
    let csrf_c = coord.csrf_on(&pool).await;
    let (status, _) =
        coord.post(&set, &[("csrf", &csrf_c), ("status", "matched"), ("notes", "MARKER-NOTE 火曜に面談")]).await;
    assert_eq!(status, 303);
    let (_, html) = coord.get(&pool).await;
    assert!(html.contains("MARKER-NOTE") && html.contains("マッチング成立"));
    assert_eq!(coord.post(&set, &[("csrf", &csrf_c), ("status", "nonsense")]).await.0, 422);
    // The outcome is counted on /transparency (this month: one entry, one match), never who.
    let (_, json) = app.page("/transparency.json").await;
    let months: serde_json::Value = serde_json::from_str(&json).unwrap();
    let this_month = months["by_month"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((this_month["campaign_entries"].as_i64(), this_month["campaign_matches"].as_i64()), (Some(1), Some(1)));
    assert!(!json.contains(ENTRANT) && !json.contains("山田"));

    let res = coord.client.get(format!("{}{pool}.csv", app.address)).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("番号,受付日,お名前,メールアドレス,関わり方,気になる求人,できること,状態,メモ"));
    let row = lines.next().unwrap();
    for cell in [
        entry_id.to_string().as_str(),
        "山田 花子",
        ENTRANT,
        "副業・兼業として関わりたい",
        p.public_id.as_str(),
        "マッチング成立",
        "MARKER-NOTE 火曜に面談",
    ] {
        assert!(row.contains(cell), "{cell}: {row}");
    }

    let (status, html) = coord
        .post(&format!("{set}/mail"), &[("csrf", &csrf_c), ("message", "面談の日程をご相談させてください。")])
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("メールを送信待ちに入れました"));
    let mail = outbox(&app).pop().unwrap();
    assert_eq!(mail.recipients, ENTRANT);
    assert_eq!(mail.reply_to.as_deref(), Some("coord@town.example"));
    assert!(mail.body_text.contains("面談の日程をご相談させてください。"));

    // The editorial log saw every staff action, and no personal data.
    let log = log_text(&app);
    for action in ["entry_status", "export", "mail"] {
        assert!(log.contains(action), "{action}: {log}");
    }
    for private in ["山田", ENTRANT, "MARKER-NOTE", "MARKER-OFFER", "面談"] {
        assert!(!log.contains(private), "{private} in the log: {log}");
    }
}

#[actix_web::test]
async fn entries_are_deleted_the_retention_period_after_the_campaign_ends() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let (a, b) = (
        editor(&mut conn, "a@town.example", "editor", "himi-town"),
        editor(&mut conn, "b@town.example", "editor", "himi-town"),
    );
    let retention = common::test_settings().campaigns.retention_days;
    let days = i64::from(retention);
    let old = campaign(
        &mut conn,
        "long-ago",
        &a,
        &[a.organization_id],
        &[],
        (today() - Duration::days(days + 40), today() - Duration::days(days + 2)),
        Some(&b),
    );
    let recent = campaign(
        &mut conn,
        "just-ended",
        &a,
        &[a.organization_id],
        &[],
        (today() - Duration::days(30), today() - Duration::days(days - 5)),
        Some(&b),
    );
    for (c, hash) in [(&old, "h1"), (&recent, "h2")] {
        let entry = yui_db::campaigns::NewEntry {
            name: "山田 花子",
            email: ENTRANT,
            offer: "写真",
            interests: &[],
            way: yui_domain::campaigns::EntryWay::Volunteer,
            withdraw_hash: hash,
        };
        yui_db::campaigns::add_entry(&mut conn, c.id, &entry, yui_db::now()).unwrap();
    }
    // The old campaign's entry was matched; a note written later does not move the match's time.
    let entry = yui_db::campaigns::entries(&mut conn, old.id).unwrap().remove(0);
    let matched = yui_db::now();
    yui_db::campaigns::set_entry(&mut conn, &entry, EntryStatus::Matched, "", me(&a), matched).unwrap();
    let entry = yui_db::campaigns::entries(&mut conn, old.id).unwrap().remove(0);
    yui_db::campaigns::set_entry(
        &mut conn,
        &entry,
        EntryStatus::Matched,
        "後日メモ",
        me(&a),
        matched + Duration::days(40),
    )
    .unwrap();
    let outcomes = || async {
        let json: serde_json::Value = app.get("/transparency.json").await.json().await.unwrap();
        let last = json["by_month"].as_array().unwrap().last().unwrap().clone();
        (last["campaign_entries"].as_i64().unwrap(), last["campaign_matches"].as_i64().unwrap())
    };
    assert_eq!(outcomes().await, (2, 1), "counted in the month they happened");

    let settings = common::test_settings();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    yui_web::lifecycle::run_once(&mut conn, ctx, yui_db::now()).unwrap();
    let left: Vec<i32> = campaign_entries::table.select(campaign_entries::campaign_id).load(&mut conn).unwrap();
    assert_eq!(left, [recent.id], "only the campaign over for longer than {retention} days lost its entries");
    // What stays is when, to the hour, and nothing about the person.
    let records: Vec<(i32, NaiveDateTime, Option<NaiveDateTime>)> = campaign_entry_records::table
        .select((
            campaign_entry_records::campaign_id,
            campaign_entry_records::entered_at,
            campaign_entry_records::matched_at,
        ))
        .load(&mut conn)
        .unwrap();
    let hour = |t: NaiveDateTime| t.date().and_hms_opt(t.hour(), 0, 0).unwrap();
    assert_eq!(records, [(old.id, hour(entry.created_at), Some(hour(matched)))]);
    // The public count and the outcomes keep it.
    let (_, page) = app.page("/campaigns/long-ago").await;
    assert!(page.contains("エントリー 1件"), "{page}");
    assert_eq!(outcomes().await, (2, 1));
    // A withdrawn entry leaves nothing: the other campaign's count falls to none.
    yui_db::campaigns::withdraw(&mut conn, "h2").unwrap();
    assert!(app.page("/campaigns/just-ended").await.1.contains("エントリー 0件"));
    assert_eq!(outcomes().await, (1, 1));
}
