//! Corrections of a published posting, on the backend `YUI_TEST_BACKEND` names: the employer
//! proposes one from the manage page while the public version stays up; an editor sees the
//! diff and applies or declines it; the public log shows both by organisation.

use crate::common::smtp::{self, SmtpServer};
use crate::common::{hidden_value, test_settings, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use yui_db::postings::{self, Posting};
use yui_db::schema::{employers, organizations, outbox_emails};
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};
use yui_domain::StaffRole;

const TITLE: &str = "寒ブリの加工スタッフ";
const NEW_TITLE: &str = "寒ブリの加工スタッフ（急募）";
const EMPLOYER: &str = "saiyo@hama.example";

/// A posting published three days ago, and the path of a fresh private link to it.
fn published(app: &TestApp) -> (Posting, String) {
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "氷見浜水産", EMPLOYER).unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input(TITLE, "full_time"), now() - Duration::days(3)).unwrap();
    let settings = test_settings();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    let url = yui_web::intake::new_manage_link(&mut conn, ctx, p.id).unwrap();
    (p, url[url.find("/manage/").unwrap()..].to_owned())
}

/// The manage form as the employer sends it: the posting's own values, with the title and
/// the hours changed.
fn proposal(csrf: &str, version: &str, title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("version", version.to_owned()),
        ("title", title.to_owned()),
        ("employment_type", "full_time".into()),
        ("description", "朝の水揚げから加工まで。\n\n未経験でも先輩が教えます。".into()),
        ("category", "fishery".into()),
        ("location", "富山県氷見市比美町1-2".into()),
        ("area", "hibi".into()),
        ("remote", "onsite".into()),
        ("salary_unit", "hour".into()),
        ("salary_min", "1000".into()),
        ("salary_max", "1200".into()),
        ("hours", "7:00〜16:00".into()),
        ("holidays", "日曜・祝日".into()),
        ("insurance", "雇用保険・労災保険".into()),
        ("trial_period", "なし".into()),
        ("smoking", "屋内禁煙".into()),
        ("requirements", "普通自動車免許".into()),
        ("how_to_apply", "電話でご連絡ください。".into()),
        ("valid_through", String::new()),
        // The fixture's working conditions, as the form shows them.
        ("duties_scope", "変更なし".into()),
        ("workplace_scope", "変更なし".into()),
        ("contract", "indefinite".into()),
        ("breaks", "60分".into()),
        ("overtime", "no".into()),
        ("fixed_overtime", "no".into()),
    ]
}

async fn post(client: &reqwest::Client, url: String, form: &[(&str, String)]) -> (u16, String) {
    let res = client.post(url).form(form).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, location.unwrap_or(res.text().await.unwrap()))
}

async fn get(client: &reqwest::Client, url: String) -> (u16, String) {
    let res = client.get(url).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The employer opens the manage page and proposes `title` (and new hours): status and body
/// or redirect.
async fn propose(app: &TestApp, path: &str, title: &str) -> (u16, String) {
    let (status, html) = app.page(path).await;
    assert_eq!(status, 200, "{html}");
    let form = proposal(&hidden_value(&html, "csrf"), &hidden_value(&html, "version"), title);
    post(&app.client, format!("{}{path}/edit", app.address), &form).await
}

/// An editor presses `action` on the review page (opened first, for its token and version).
async fn decide(app: &TestApp, editor: &reqwest::Client, p: &Posting, action: &str, message: &str) -> (u16, String) {
    let (status, html) = get(editor, format!("{}/admin/review/{}", app.address, p.public_id)).await;
    assert_eq!(status, 200, "{html}");
    let form = [
        ("csrf", hidden_value(&html, "csrf")),
        ("version", hidden_value(&html, "version")),
        ("message", message.to_owned()),
    ];
    post(editor, format!("{}/admin/review/{}/{action}", app.address, p.public_id), &form).await
}

fn outbox(conn: &mut DbConnection) -> Vec<(String, String, String)> {
    outbox_emails::table
        .order(outbox_emails::id.asc())
        .select((outbox_emails::recipients, outbox_emails::subject, outbox_emails::body_text))
        .load(conn)
        .unwrap()
}

fn open_revision(app: &TestApp, p: &Posting) -> bool {
    yui_db::revisions::find(&mut app.conn(), p.id).unwrap().is_some()
}

fn actions(app: &TestApp, p: &Posting) -> Vec<String> {
    postings::review_log(&mut app.conn(), p.id).unwrap().into_iter().map(|e| e.action).collect()
}

#[actix_web::test]
async fn a_correction_waits_for_the_editors_while_the_public_version_stays_up_and_is_applied() {
    let app = TestApp::spawn().await;
    let (p, path) = published(&app);
    let editor = app.login_as(StaffRole::Editor).await;

    let (status, location) = propose(&app, &path, NEW_TITLE).await;
    assert_eq!((status, location.as_str()), (303, format!("{path}?done=1").as_str()));

    // The public page still shows the published version.
    let (_, public) = app.page(&format!("/jobs/{}", p.public_id)).await;
    assert!(public.contains(TITLE) && !public.contains(NEW_TITLE), "{public}");
    let stored = postings::find_by_id(&mut app.conn(), p.id).unwrap();
    assert_eq!((stored.title.as_str(), stored.version), (TITLE, p.version));

    // The manage page says so and keeps the proposal in the form.
    let (_, html) = app.page(&path).await;
    assert!(html.contains("修正の確認待ち") && html.contains("いまの公開内容がそのまま表示されます"), "{html}");
    assert!(html.contains(&format!("value=\"{NEW_TITLE}\"")), "the form holds the proposal: {html}");
    let (_, en) = app.page(&format!("{path}?lang=en")).await;
    assert!(en.contains("Correction awaiting review") && en.contains("the current version stays up"), "{en}");
    app.page(&format!("{path}?lang=ja")).await;

    // Logged with the diff (status unchanged), and the editors told.
    let log = postings::review_log(&mut app.conn(), p.id).unwrap();
    let proposed = log.last().unwrap();
    assert_eq!(proposed.action, "employer_revision");
    assert_eq!((proposed.from_status.as_str(), proposed.to_status.as_str()), ("published", "published"));
    let diff: serde_json::Value = serde_json::from_str(proposed.diff.as_deref().unwrap()).unwrap();
    assert_eq!((diff["title"]["from"].as_str(), diff["title"]["to"].as_str()), (Some(TITLE), Some(NEW_TITLE)));
    assert_eq!(diff["hours"]["to"], "7:00〜16:00");
    let mails = outbox(&mut app.conn());
    let (_, subject, text) = mails.last().unwrap();
    assert!(subject.contains("公開中の修正の申請") && text.contains("求人タイトル"), "{subject}\n{text}");

    // The queue lists it, marked; the review page shows the diff, field by field.
    let (status, queue) = get(&editor, format!("{}/admin/review?tab=revisions", app.address)).await;
    assert_eq!(status, 200);
    assert!(queue.contains(&format!("/admin/review/{}", p.public_id)) && queue.contains("公開中・修正申請あり"));
    let (_, pending) = get(&editor, format!("{}/admin/review", app.address)).await;
    assert!(!pending.contains(&format!("/admin/review/{}", p.public_id)), "not a pending posting");
    let (_, page) = get(&editor, format!("{}/admin/review/{}", app.address, p.public_id)).await;
    assert!(page.contains("公開中の修正の申請") && page.contains("修正を反映する") && page.contains("修正を見送る"));
    assert!(page.contains(&format!("<td>求人タイトル</td><td><del>{TITLE}</del></td><td><ins>{NEW_TITLE}</ins></td>")));
    assert!(page.contains("<td>勤務時間</td><td><del>8:00〜17:00</del></td><td><ins>7:00〜16:00</ins></td>"), "{page}");
    let (_, page_en) = get(&editor, format!("{}/admin/review/{}?lang=en", app.address, p.public_id)).await;
    assert!(page_en.contains("<td>Job title</td>") && page_en.contains("Apply the correction"), "{page_en}");
    get(&editor, format!("{}/admin/review/{}?lang=ja", app.address, p.public_id)).await;

    // Applied: the public page shows it, logged with the diff by the editor, the revision gone.
    let (status, location) = decide(&app, &editor, &p, "apply_revision", "").await;
    assert_eq!((status, location), (303, format!("/admin/review/{}?done=apply_revision", p.public_id)));
    let (_, public) = app.page(&format!("/jobs/{}", p.public_id)).await;
    assert!(public.contains(NEW_TITLE), "{public}");
    let after = postings::find_by_id(&mut app.conn(), p.id).unwrap();
    assert_eq!((after.version, after.hours.as_deref()), (p.version + 1, Some("7:00〜16:00")));
    assert_eq!(after.valid_through, p.valid_through, "the end was left as it was");
    let applied = postings::review_log(&mut app.conn(), p.id).unwrap().pop().unwrap();
    assert_eq!(applied.action, "revision_applied");
    assert!(applied.actor_id.is_some());
    let diff: serde_json::Value = serde_json::from_str(applied.diff.as_deref().unwrap()).unwrap();
    assert_eq!(diff["title"]["to"], NEW_TITLE);
    assert!(!open_revision(&app, &p));

    // The public log names the organisation and the actions, never the person.
    let body: serde_json::Value =
        serde_json::from_str(&app.get("/transparency/log.json").await.text().await.unwrap()).unwrap();
    let events = body["events"].as_array().unwrap();
    let event = |action: &str| events.iter().find(|e| e["action"] == action).unwrap_or_else(|| panic!("{body}"));
    assert_eq!(event("revision_applied")["action_label"], "公開中の修正を反映");
    assert_eq!(event("revision_applied")["by"]["name"], "テストNPO");
    assert_eq!(event("employer_revision")["action_label"], "公開中の修正の申請");
    assert_eq!(event("employer_revision")["by"]["kind"], "employer");
    let (_, log_html) = app.page("/transparency/log").await;
    assert!(log_html.contains("公開中の修正を反映") && !log_html.contains("editor0@staff.example"));

    // The employer hears of it over SMTP, with the public page and a fresh link.
    if !smtp::available("a_correction_waits_for_the_editors_while_the_public_version_stays_up_and_is_applied") {
        return;
    }
    let server = SmtpServer::start();
    let report = server.deliver_due(app.conn()).await;
    assert_eq!(report.failed, 0, "{report:?}: {}", server.log());
    let got = server.messages();
    let to_employer = got.iter().find(|m| m["to"][0] == EMPLOYER).unwrap_or_else(|| panic!("{got:?}"));
    assert!(to_employer["subject"].as_str().unwrap().contains("修正を反映しました"), "{to_employer}");
    let text = to_employer["text"].as_str().unwrap();
    assert!(text.contains(&format!("/jobs/{}", p.public_id)) && text.contains("/manage/"), "{text}");
}

#[actix_web::test]
async fn a_declined_correction_leaves_the_public_version_and_the_employer_gets_the_message() {
    let app = TestApp::spawn().await;
    let (p, path) = published(&app);
    let editor = app.login_as(StaffRole::Editor).await;
    assert_eq!(propose(&app, &path, NEW_TITLE).await.0, 303);

    // A message to the employer is required.
    let (status, page) = decide(&app, &editor, &p, "decline_revision", "  ").await;
    assert_eq!(status, 422);
    assert!(page.contains("事業者へのメッセージを書いてください"), "{page}");
    assert!(open_revision(&app, &p));

    let (status, location) =
        decide(&app, &editor, &p, "decline_revision", "急募は求人タイトルに入れられません。").await;
    assert_eq!((status, location), (303, format!("/admin/review/{}?done=decline_revision", p.public_id)));
    let after = postings::find_by_id(&mut app.conn(), p.id).unwrap();
    assert_eq!((after.title.as_str(), after.version), (TITLE, p.version));
    assert!(!open_revision(&app, &p));
    let declined = postings::review_log(&mut app.conn(), p.id).unwrap().pop().unwrap();
    assert_eq!(declined.action, "revision_declined");
    assert_eq!(declined.reason_text.as_deref(), Some("急募は求人タイトルに入れられません。"));

    let (to, subject, text) = outbox(&mut app.conn()).pop().unwrap();
    assert_eq!(to, EMPLOYER);
    assert!(subject.contains("修正を見送りました"), "{subject}");
    assert!(text.contains("急募は求人タイトルに入れられません。") && text.contains("/manage/"), "{text}");

    let (_, public) = app.page(&format!("/jobs/{}", p.public_id)).await;
    assert!(public.contains(TITLE) && !public.contains(NEW_TITLE));

    // The public log shows the decision by organisation, never the message.
    let log = app.get("/transparency/log.json").await.text().await.unwrap();
    assert!(log.contains("公開中の修正を見送り") && log.contains("テストNPO"), "{log}");
    assert!(!log.contains("急募は求人タイトルに入れられません"));
}

#[actix_web::test]
async fn an_editor_of_the_employers_organisation_cannot_apply_a_correction() {
    let app = TestApp::spawn().await;
    let (p, path) = published(&app);
    let editor = app.login_as(StaffRole::Editor).await;
    assert_eq!(propose(&app, &path, NEW_TITLE).await.0, 303);
    let mut conn = app.conn();
    let own: i32 = organizations::table
        .filter(organizations::slug.eq("test-npo"))
        .select(organizations::id)
        .first(&mut conn)
        .unwrap();
    diesel::update(employers::table.filter(employers::email.eq(EMPLOYER)))
        .set(employers::organization_id.eq(own))
        .execute(&mut conn)
        .unwrap();

    let (_, page) = get(&editor, format!("{}/admin/review/{}", app.address, p.public_id)).await;
    assert!(!page.contains("/apply_revision\""), "no apply button for them");
    let (status, page) = decide(&app, &editor, &p, "apply_revision", "").await;
    assert_eq!(status, 403);
    assert!(page.contains("所属団体の関係先のため"), "{page}");
    assert_eq!(postings::find_by_id(&mut conn, p.id).unwrap().title, TITLE);
    assert!(open_revision(&app, &p));
    assert!(!actions(&app, &p).contains(&"revision_applied".to_owned()));
}

#[actix_web::test]
async fn a_stale_page_gets_the_conflict_page_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (p, path) = published(&app);
    let editor = app.login_as(StaffRole::Editor).await;
    let (_, manage) = app.page(&path).await;
    assert_eq!(propose(&app, &path, NEW_TITLE).await.0, 303);
    let (_, review) = get(&editor, format!("{}/admin/review/{}", app.address, p.public_id)).await;

    // Someone changes the posting (the employer renews it) after both pages were opened.
    let renewed = [
        ("csrf", hidden_value(&manage, "csrf")),
        ("version", hidden_value(&manage, "version")),
        ("action", "renew".to_owned()),
    ];
    assert_eq!(post(&app.client, format!("{}{path}", app.address), &renewed).await.0, 303);

    let form = [
        ("csrf", hidden_value(&review, "csrf")),
        ("version", hidden_value(&review, "version")),
        ("message", String::new()),
    ];
    let (status, page) =
        post(&editor, format!("{}/admin/review/{}/apply_revision", app.address, p.public_id), &form).await;
    assert_eq!(status, 409);
    assert!(page.contains("ほかの人が操作しました"), "{page}");
    assert_eq!(postings::find_by_id(&mut app.conn(), p.id).unwrap().title, TITLE);
    assert!(open_revision(&app, &p));

    // The employer's own page opened before the renewal: a 409 with what they typed kept.
    let form = proposal(&hidden_value(&manage, "csrf"), &hidden_value(&manage, "version"), "寒ブリの加工（再）");
    let (status, html) = post(&app.client, format!("{}{path}/edit", app.address), &form).await;
    assert_eq!(status, 409);
    assert!(html.contains("value=\"寒ブリの加工（再）\""), "{html}");
    let revision = yui_db::revisions::find(&mut app.conn(), p.id).unwrap().unwrap();
    assert!(revision.fields.contains(&("title".to_owned(), NEW_TITLE.to_owned())), "the open one is kept");
}

#[actix_web::test]
async fn a_bad_proposed_value_comes_back_with_its_message_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (p, path) = published(&app);
    let before = outbox(&mut app.conn()).len();

    let (status, html) = propose(&app, &path, "").await;
    assert_eq!(status, 422);
    assert!(html.contains("入力してください") && html.contains("aria-invalid=\"true\""), "{html}");
    assert!(html.contains("7:00〜16:00"), "what was typed is kept");
    assert!(!open_revision(&app, &p));
    assert_eq!(actions(&app, &p), ["approve"]);
    assert_eq!(outbox(&mut app.conn()).len(), before, "nobody is mailed");
}

#[actix_web::test]
async fn proposing_the_public_content_again_withdraws_the_open_correction() {
    let app = TestApp::spawn().await;
    let (p, path) = published(&app);
    assert_eq!(propose(&app, &path, NEW_TITLE).await.0, 303);
    assert!(open_revision(&app, &p));
    let mails = outbox(&mut app.conn()).len();

    let (_, html) = app.page(&path).await;
    let mut form = proposal(&hidden_value(&html, "csrf"), &hidden_value(&html, "version"), TITLE);
    form.iter_mut().filter(|(k, _)| *k == "hours").for_each(|(_, v)| *v = "8:00〜17:00".into());
    let (status, _) = post(&app.client, format!("{}{path}/edit", app.address), &form).await;
    assert_eq!(status, 303);
    assert!(!open_revision(&app, &p));
    assert_eq!(actions(&app, &p), ["approve", "employer_revision"], "nothing to log");
    assert_eq!(outbox(&mut app.conn()).len(), mails, "nothing to tell the editors");
    let (_, html) = app.page(&path).await;
    assert!(!html.contains("修正の確認待ち"), "{html}");
}

#[actix_web::test]
async fn deciding_a_correction_that_is_not_there_is_a_409_and_a_missing_version_a_400() {
    let app = TestApp::spawn().await;
    let (p, _) = published(&app);
    let editor = app.login_as(StaffRole::Editor).await;
    for action in ["apply_revision", "decline_revision"] {
        let (status, page) = decide(&app, &editor, &p, action, "見送ります").await;
        assert_eq!(status, 409, "{action}: {page}");
        assert!(page.contains("確認待ちの修正申請がありません"), "{page}");
    }
    let (_, html) = get(&editor, format!("{}/admin/review/{}", app.address, p.public_id)).await;
    let form = [("csrf", hidden_value(&html, "csrf")), ("version", "abc".to_owned())];
    let (status, _) =
        post(&editor, format!("{}/admin/review/{}/apply_revision", app.address, p.public_id), &form).await;
    assert_eq!(status, 400);
    assert_eq!(actions(&app, &p), ["approve"]);
}
