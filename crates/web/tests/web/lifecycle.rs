//! The employer's side of a posting's life through their private link, on the backend
//! `YUI_TEST_BACKEND` names: correcting and resubmitting after the editors asked for changes,
//! stale pages, renewal, expiry, the reminder a week before the end (with a fresh link), and
//! whether the hire came through Yui.

use crate::common::{hidden_value, test_settings, TestApp};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use yui_db::employers::Employer;
use yui_db::postings::Posting;
use yui_db::postings::{self, Actor, PostingContent, Reason};
use yui_db::schema::{outbox_emails, postings as postings_table};
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};
use yui_domain::{PostingAction, PostingStatus};

const EDITOR: &str = "editor@npo.example";

/// A fresh private link for a posting, as a mail would carry it; returns its path.
fn fresh_link(conn: &mut DbConnection, posting_id: i32) -> String {
    let settings = test_settings();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    let url = yui_web::intake::new_manage_link(conn, ctx, posting_id).unwrap();
    url[url.find("/manage/").unwrap()..].to_owned()
}

fn reminders(conn: &mut DbConnection, at: NaiveDateTime) -> Vec<String> {
    let settings = test_settings();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    yui_web::lifecycle::send_reminders(conn, ctx, at).unwrap()
}

fn mail(conn: &mut DbConnection) -> Vec<(String, String, String)> {
    outbox_emails::table
        .order(outbox_emails::id.asc())
        .select((outbox_emails::recipients, outbox_emails::subject, outbox_emails::body_text))
        .load(conn)
        .unwrap()
}

fn employer(conn: &mut DbConnection) -> Employer {
    fixtures::employer(conn, "氷見浜水産", "saiyo@hama.example").unwrap()
}

fn published(conn: &mut DbConnection, title: &str) -> Posting {
    let e = employer(conn);
    fixtures::published(conn, &e, fixtures::input(title, "full_time"), now() - Duration::days(3)).unwrap()
}

impl TestApp {
    async fn post_form(&self, path: &str, form: &[(&str, String)]) -> (u16, String, Option<String>) {
        let res = self.client.post(format!("{}{path}", self.address)).form(form).send().await.unwrap();
        let status = res.status().as_u16();
        let location = res.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
        (status, res.text().await.unwrap(), location)
    }

    /// Presses one of the page's buttons: the page is opened first, for its CSRF token and version.
    async fn press(&self, path: &str, action: &str, extra: &[(&str, &str)]) -> (u16, String, Option<String>) {
        let (status, html) = self.page(path).await;
        assert_eq!(status, 200, "{html}");
        let mut form = vec![
            ("csrf", hidden_value(&html, "csrf")),
            ("version", hidden_value(&html, "version")),
            ("action", action.to_owned()),
        ];
        form.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        self.post_form(path, &form).await
    }

    fn posting(&self, id: i32) -> Posting {
        postings::find_by_id(&mut self.conn(), id).unwrap()
    }
}

/// The manage page's edit form, as the employer sends it after correcting the content.
fn corrected(csrf: &str, version: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("version", version.to_owned()),
        ("title", "民宿の朝食スタッフ".into()),
        ("employment_type", "part_time".into()),
        ("description", "朝6時からの朝食準備と片付け。".into()),
        ("category", String::new()),
        ("location", "富山県氷見市北大町".into()),
        ("remote", "onsite".into()),
        ("salary_unit", "hour".into()),
        ("salary_min", "1050".into()),
        ("salary_max", "1200".into()),
        ("hours", "6:00〜10:00（週3日から）".into()),
        ("insurance", "雇用保険・労災保険".into()),
        ("trial_period", String::new()),
        ("requirements", String::new()),
        ("how_to_apply", "お電話ください（0766-00-0000）".into()),
        ("valid_through", "2099-03-31".into()),
        // The employer cannot be changed here: these are ignored.
        ("employer_name", "別の会社".into()),
        ("email", "someone-else@example.jp".into()),
    ]
    .into_iter()
    .chain(crate::common::complete_terms().into_iter().filter(|(k, _)| !["hours", "insurance"].contains(k)))
    .collect()
}

/// A pending posting sent through Yui's own form, as an employer would.
async fn submitted_through_the_form(app: &TestApp) -> Posting {
    let (status, html) = app.page("/submit").await;
    assert_eq!(status, 200);
    let form =
        crate::common::complete_submit_form(&hidden_value(&html, "csrf"), &hidden_value(&html, "submission_key"));
    let res = app.client.post(format!("{}/submit", app.address)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let id: i32 = postings_table::table.select(postings_table::id).first(&mut app.conn()).unwrap();
    app.posting(id)
}

#[actix_web::test]
async fn an_employer_corrects_what_the_editors_asked_for_and_resubmits() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = fixtures::editor(&mut conn, EDITOR).unwrap();
    let posting = submitted_through_the_form(&app).await;
    let sent_back = postings::apply_action(
        &mut conn,
        posting.id,
        posting.version,
        PostingAction::RequestChanges,
        Actor { staff_id: Some(editor.id), organization_id: Some(editor.organization_id) },
        Reason {
            code: Some("missing_conditions"),
            text: Some("給与の上限と勤務時間を書いてください。\nよろしくお願いします。"),
        },
        now(),
    )
    .unwrap();
    let path = fresh_link(&mut conn, posting.id);
    let mails_before = mail(&mut conn).len();

    // The page shows the editors' message and the form, filled from the posting.
    let res = app.get(&path).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers().get("referrer-policy").unwrap(), "no-referrer");
    assert_eq!(res.headers().get("cache-control").unwrap(), "no-store");
    let html = res.text().await.unwrap();
    assert!(html.contains("noindex"), "{html}");
    assert!(html.contains("編集部からの修正のお願い") && html.contains("労働条件の明示が不足"), "{html}");
    assert!(html.contains("給与の上限と勤務時間を書いてください。"), "{html}");
    assert!(html.contains("value=\"民宿の朝食スタッフ\""), "the title is prefilled");
    assert!(html.contains("value=\"富山県氷見市北大町\""), "the place is prefilled as one line");
    assert!(html.contains("<option value=\"part_time\" selected>"), "the type is preselected");
    assert!(html.contains("value=\"2099-03-31\""), "the last day is prefilled");
    assert!(html.contains("hamakaze@example.jp"), "the employer is shown, not editable");
    assert!(html.contains(&format!("action=\"{path}/edit\"")));
    let (csrf, version) = (hidden_value(&html, "csrf"), hidden_value(&html, "version"));
    assert_eq!(version, sent_back.version.to_string());

    // English on request.
    let (_, en) = app.page(&format!("{path}?lang=en")).await;
    assert!(en.contains("The editors ask for changes") && en.contains("Working conditions missing"), "{en}");
    app.page(&format!("{path}?lang=ja")).await;

    // A mistake comes back with its message in Japanese and everything typed kept.
    let mut form = corrected(&csrf, &version);
    form[2].1 = String::new();
    form[3].1 = String::new();
    let (status, html, _) = app.post_form(&format!("{path}/edit"), &form).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("2件の問題があります"), "{html}");
    assert!(html.contains("入力してください") && html.contains("雇用形態を選んでください"), "{html}");
    assert!(html.contains("6:00〜10:00（週3日から）"), "the typed hours are kept");
    assert!(html.contains("value=\"1200\""), "the typed amount is kept");
    assert_eq!(app.posting(posting.id).status, PostingStatus::ChangesRequested);

    // Corrected: saved, back in review, the editors told what changed; all or nothing.
    let (status, _, location) = app.post_form(&format!("{path}/edit"), &corrected(&csrf, &version)).await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some(format!("{path}?done=1").as_str()));
    let after = app.posting(posting.id);
    assert_eq!(after.status, PostingStatus::Pending);
    assert_eq!(after.version, sent_back.version + 2);
    assert_eq!((after.salary_max, after.hours.as_deref()), (Some(1200), Some("6:00〜10:00（週3日から）")));
    assert_eq!(after.municipality, "氷見市");
    assert_eq!(after.valid_through, posting.valid_through, "the unchanged last day keeps its exact end");
    let employer: String =
        yui_db::schema::employers::table.select(yui_db::schema::employers::name).first(&mut conn).unwrap();
    assert_eq!(employer, "民宿はまかぜ", "the employer was not changed");

    let log = postings::review_log(&mut conn, posting.id).unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["request_changes", "employer_edit", "resubmit"]);
    let diff: serde_json::Value = serde_json::from_str(log[1].diff.as_deref().unwrap()).unwrap();
    let mut changed: Vec<_> = diff.as_object().unwrap().keys().cloned().collect();
    changed.sort();
    assert_eq!(changed, ["hours", "insurance", "salary_max"], "{diff}");
    assert_eq!(diff["hours"]["to"], "6:00〜10:00（週3日から）");
    assert_eq!((log[2].actor_id, log[2].reason_code.as_deref()), (None, Some("employer")));
    assert_eq!((log[2].from_status.as_str(), log[2].to_status.as_str()), ("changes_requested", "pending"));

    let mails = mail(&mut conn);
    assert_eq!(mails.len(), mails_before + 1, "{mails:?}");
    let (to, subject, text) = mails.last().unwrap();
    assert_eq!(to, EDITOR);
    assert!(subject.contains("再提出") && subject.contains("民宿の朝食スタッフ"), "{subject}");
    assert!(text.contains("民宿はまかぜ") && text.contains("勤務時間") && text.contains("給与（上限）"), "{text}");

    // Back on the page: done, waiting for review, and still correctable (without a status change).
    let (status, html) = app.page(&format!("{path}?done=1")).await;
    assert_eq!(status, 200);
    assert!(html.contains("操作を受け付けました") && html.contains("審査待ち"), "{html}");
    assert!(!html.contains("編集部からの修正のお願い"));
    let mut form = corrected(&hidden_value(&html, "csrf"), &hidden_value(&html, "version"));
    form[4].1 = "朝6時からの朝食準備と片付け。まかない付き。".into();
    let (status, _, _) = app.post_form(&format!("{path}/edit"), &form).await;
    assert_eq!(status, 303);
    let again = app.posting(posting.id);
    assert_eq!((again.status, again.version), (PostingStatus::Pending, after.version + 1));
    let log = postings::review_log(&mut conn, posting.id).unwrap();
    assert_eq!(log.last().unwrap().action, "employer_edit");
    assert_eq!(mail(&mut conn).len(), mails_before + 2, "the editors hear of the edit too");
    assert!(mail(&mut conn).last().unwrap().1.contains("事業者が修正"));
}

#[actix_web::test]
async fn a_page_opened_before_someone_else_changed_the_posting_gets_a_409() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = employer(&mut conn);
    let posting = fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("定置網の乗組員", "full_time"),
        now(),
        now() + Duration::days(30),
    )
    .unwrap();
    let path = fresh_link(&mut conn, posting.id);
    let (_, html) = app.page(&path).await;
    let (csrf, version) = (hidden_value(&html, "csrf"), hidden_value(&html, "version"));
    assert!(html.contains("value=\"富山県氷見市比美町1-2\""), "{html}");

    // Meanwhile an editor corrects the description.
    let mut content = PostingContent::load(&mut conn, &posting).unwrap();
    content.description = "編集者が直した説明。".into();
    postings::update_content(&mut conn, posting.id, posting.version, &content, "edit", Actor::default(), now())
        .unwrap();

    let mut form = corrected(&csrf, &version);
    form[2].1 = "定置網の乗組員（急募）".into();
    let (status, html, _) = app.post_form(&format!("{path}/edit"), &form).await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("あなたがページを開いた後に更新されていました"), "{html}");
    assert!(html.contains("定置網の乗組員（急募）"), "what was typed is kept");
    assert_eq!(
        hidden_value(&html, "version"),
        (posting.version + 1).to_string(),
        "the form now carries the current version"
    );
    assert_eq!(app.posting(posting.id).description, "編集者が直した説明。", "nothing was overwritten");

    // The same for a button pressed on a stale page.
    let (status, html, _) =
        app.post_form(&path, &[("csrf", csrf.clone()), ("version", version.clone()), ("action", "close".into())]).await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("最新の状態を表示しています"), "{html}");
    assert_eq!(app.posting(posting.id).status, PostingStatus::Pending);

    // Sent again from the re-shown form, it goes through, and the unchanged place stays as stored.
    let form = corrected(&hidden_value(&html, "csrf"), &hidden_value(&html, "version"));
    let mut form: Vec<_> = form.into_iter().filter(|(k, _)| *k != "location").collect();
    form.push(("location", "富山県氷見市比美町1-2".into()));
    let (status, _, _) = app.post_form(&format!("{path}/edit"), &form).await;
    assert_eq!(status, 303);
    let after = app.posting(posting.id);
    assert_eq!((after.area.as_deref(), after.address.as_deref()), (Some("比美町"), Some("富山県氷見市比美町1-2")));
}

#[actix_web::test]
async fn a_published_posting_is_renewed_with_one_click_up_to_180_days_ahead() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let posting = published(&mut conn, "定置網の乗組員");
    assert!(postings::mark_reminded(&mut conn, posting.id, now()).unwrap());
    let path = fresh_link(&mut conn, posting.id);
    let (_, html) = app.page(&path).await;
    assert!(html.contains("掲載を延長する"), "{html}");

    let (status, _, location) = app.press(&path, "renew", &[]).await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some(format!("{path}?done=1").as_str()));
    let renewed = app.posting(posting.id);
    assert_eq!(renewed.valid_through, posting.valid_through + Duration::days(60));
    assert_eq!((renewed.status, renewed.version), (PostingStatus::Published, posting.version + 1));
    assert_eq!(renewed.reminder_sent_at, None, "the next period gets its own reminder");
    let event = postings::review_log(&mut conn, posting.id).unwrap().pop().unwrap();
    assert_eq!((event.action.as_str(), event.to_status.as_str()), ("renew", "published"));
    assert!(event.diff.unwrap().contains("valid_through"));

    // Twice more: 30 + 60 + 60 + 60 days would pass 180, so it stops at 180 days from now.
    for _ in 0..2 {
        let (status, _, _) = app.press(&path, "renew", &[]).await;
        assert_eq!(status, 303);
    }
    let capped = app.posting(posting.id).valid_through;
    assert!((capped - (now() + Duration::days(180))).num_seconds().abs() < 60, "{capped}");
    // Then there is nothing left to extend.
    let (_, html) = app.page(&path).await;
    assert!(!html.contains("掲載を延長する") && html.contains("180日先まで"), "{html}");
    let (status, _, _) = app.press(&path, "renew", &[]).await;
    assert_eq!(status, 400);
    assert_eq!(app.posting(posting.id).valid_through, capped);
}

#[actix_web::test]
async fn expiry_ends_only_published_postings_whose_end_has_come() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let ended = published(&mut conn, "終わった求人");
    let open = published(&mut conn, "続く求人");
    let e = employer(&mut conn);
    let waiting =
        fixtures::pending(&mut conn, &e, fixtures::input("審査待ち", "part_time"), now(), now() - Duration::hours(1))
            .unwrap();
    postings::set_valid_through(&mut conn, ended.id, now() - Duration::minutes(1)).unwrap();

    assert_eq!(postings::expire_due(&mut conn, now()).unwrap(), vec![ended.public_id.clone()]);
    assert_eq!(app.posting(ended.id).status, PostingStatus::Expired);
    assert_eq!(app.posting(open.id).status, PostingStatus::Published);
    assert_eq!(app.posting(waiting.id).status, PostingStatus::Pending);
    let event = postings::review_log(&mut conn, ended.id).unwrap().pop().unwrap();
    assert_eq!((event.action.as_str(), event.actor_id, event.reason_code), ("expire", None, None));
    assert!(postings::expire_due(&mut conn, now()).unwrap().is_empty(), "once");

    // The pass `yui serve` runs every ten minutes does the same, and reminds nobody here.
    postings::set_valid_through(&mut conn, open.id, now() - Duration::seconds(1)).unwrap();
    let settings = test_settings();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    let report = yui_web::lifecycle::run_once(&mut conn, ctx, now()).unwrap();
    assert_eq!((report.expired, report.reminded.len()), (vec![open.public_id.clone()], 0));
    // An expired posting's page offers nothing more.
    let path = fresh_link(&mut conn, open.id);
    let (status, html) = app.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("掲載期間が終わりました") && !html.contains("掲載を延長する"), "{html}");
}

#[actix_web::test]
async fn the_employer_is_reminded_once_a_week_before_the_end_with_a_fresh_link() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let posting = published(&mut conn, "定置網の乗組員");
    let far = published(&mut conn, "まだ先の求人");
    let old_link = fresh_link(&mut conn, posting.id);
    postings::set_valid_through(&mut conn, posting.id, now() + Duration::days(5)).unwrap();
    let before = mail(&mut conn).len();

    assert_eq!(reminders(&mut conn, now()), vec![posting.public_id.clone()]);
    assert!(reminders(&mut conn, now()).is_empty(), "once per period");
    assert!(app.posting(posting.id).reminder_sent_at.is_some());
    assert!(app.posting(far.id).reminder_sent_at.is_none());
    let mails = mail(&mut conn);
    assert_eq!(mails.len(), before + 1);
    let (to, subject, text) = mails.last().unwrap();
    assert_eq!(to, "saiyo@hama.example");
    assert!(subject.contains("定置網の乗組員"), "{subject}");
    assert!(text.contains("掲載を延長する") && text.contains("掲載終了日"), "{text}");
    let link = text.lines().map(str::trim).find(|l| l.contains("/manage/")).unwrap();
    let new_link = link[link.find("/manage/").unwrap()..].to_owned();
    assert_ne!(new_link, old_link);

    // The older link opens nothing now, and says why.
    let res = app.get(&old_link).await;
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(res.headers().get("referrer-policy").unwrap(), "no-referrer");
    let html = res.text().await.unwrap();
    assert!(html.contains("いちばん新しいメールのリンク"), "{html}");
    let (status, html) = app.page(&format!("{old_link}?lang=en")).await;
    assert_eq!(status, 404);
    assert!(html.contains("newest email"), "{html}");
    let (status, _, _) =
        app.post_form(&old_link, &[("csrf", "x".into()), ("version", "1".into()), ("action", "renew".into())]).await;
    assert_eq!(status, 404);

    // The new one works: one click renews, and the next period will be reminded again.
    let (status, _, _) = app.press(&new_link, "renew", &[]).await;
    assert_eq!(status, 303);
    let renewed = app.posting(posting.id);
    assert!(renewed.valid_through > now() + Duration::days(60));
    assert!(reminders(&mut conn, now()).is_empty());
    assert_eq!(reminders(&mut conn, renewed.valid_through - Duration::days(6)), vec![posting.public_id.clone()]);
}

#[actix_web::test]
async fn whether_the_hire_came_through_yui_is_recorded_only_once_filled_or_closed() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let posting = published(&mut conn, "定置網の乗組員");
    let path = fresh_link(&mut conn, posting.id);

    // Not while it is published.
    let (_, html) = app.page(&path).await;
    assert!(!html.contains("value=\"hired_via_yui\""), "{html}");
    let (status, _, _) = app.press(&path, "hired_via_yui", &[("value", "yes")]).await;
    assert_eq!(status, 400);
    assert_eq!(app.posting(posting.id).hired_via_yui, None);
    assert!(!postings::set_hired_via_yui(&mut conn, posting.id, true).unwrap());

    let (status, _, location) = app.press(&path, "mark_filled", &[]).await;
    assert_eq!(status, 303);
    let (_, html) = app.page(location.as_deref().unwrap()).await;
    assert!(html.contains("この採用は Yui を通じた応募からでしたか？"), "{html}");
    assert!(html.contains("value=\"hired_via_yui\"") && html.contains("操作を受け付けました"), "{html}");
    let (status, _, _) = app.press(&path, "hired_via_yui", &[("value", "yes")]).await;
    assert_eq!(status, 303);
    assert_eq!(app.posting(posting.id).hired_via_yui, Some(true));
    let (_, html) = app.page(&path).await;
    assert!(!html.contains("value=\"hired_via_yui\""), "asked once");
    assert!(html.contains("はい（Yui を通じた応募から）"), "the answer is shown: {html}");

    // Closed after publication: asked too, and "no" is kept.
    let other = published(&mut conn, "募集をやめる求人");
    let other_path = fresh_link(&mut conn, other.id);
    let (status, _, _) = app.press(&other_path, "close", &[]).await;
    assert_eq!(status, 303);
    let (status, _, _) = app.press(&other_path, "hired_via_yui", &[("value", "no")]).await;
    assert_eq!(status, 303);
    assert_eq!(app.posting(other.id).hired_via_yui, Some(false));

    // A submission withdrawn before publication hired nobody through Yui: not asked.
    let e = employer(&mut conn);
    let withdrawn =
        fixtures::pending(&mut conn, &e, fixtures::input("取り下げ", "part_time"), now(), now() + Duration::days(9))
            .unwrap();
    let withdrawn_path = fresh_link(&mut conn, withdrawn.id);
    let (status, _, _) = app.press(&withdrawn_path, "close", &[]).await;
    assert_eq!(status, 303);
    let (_, html) = app.page(&withdrawn_path).await;
    assert!(html.contains("掲載を終了しました") && !html.contains("value=\"hired_via_yui\""), "{html}");
    // Its page has no form left: the token of another form of this visitor does for the try.
    let (_, other_html) = app.page("/submit").await;
    let form = [
        ("csrf", hidden_value(&other_html, "csrf")),
        ("version", "3".into()),
        ("action", "hired_via_yui".into()),
        ("value", "yes".into()),
    ];
    let (status, _, _) = app.post_form(&withdrawn_path, &form).await;
    assert_eq!(status, 400);
    assert_eq!(app.posting(withdrawn.id).hired_via_yui, None);
}
