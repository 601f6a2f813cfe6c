//! Main user journeys in real headless Chromium, driven over WebDriver. `make test` installs
//! Debian's chromium and chromium-driver. Without them the test is skipped, except under
//! `CI=true`, where a missing browser fails the run.

use crate::common::browser::{browser, browser_in, click_and_wait_for, fill, fill_terms, log_in_at, text};
use crate::common::{named_staff, TestApp};
use chrono::Duration;
use fantoccini::Locator;
use yui_db::now;
use yui_db::testing::fixtures;

#[actix_web::test]
async fn a_seeker_browses_from_the_top_page_to_a_posting_on_a_phone() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let t = now() - Duration::days(1);
    fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), t).unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("寒ブリの加工スタッフ", "part_time"), t + Duration::hours(1))
        .unwrap();
    fixtures::pending(&mut conn, &e, fixtures::input("まだ審査中の求人", "part_time"), t, now() + Duration::days(9))
        .unwrap();
    let c = &driver.client;

    c.goto(&app.address).await.unwrap();
    assert_eq!(text(c, ".hero h1").await, "地域のしごとが、ぜんぶ見える。");
    let titles: Vec<String> = {
        let mut v = Vec::new();
        for card in c.find_all(Locator::Css(".card-title")).await.unwrap() {
            v.push(card.text().await.unwrap());
        }
        v
    };
    assert_eq!(titles, ["寒ブリの加工スタッフ", "定置網漁の乗組員"], "newest first, pending hidden");

    // The page fits a phone: nothing wider than the screen.
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "horizontal overflow of {overflow}px on a 390px screen");

    c.find(Locator::LinkText("寒ブリの加工スタッフ")).await.ok();
    click_and_wait_for(c, ".card a", "article.posting").await;
    assert!(c.current_url().await.unwrap().path().starts_with("/jobs/"));
    assert_eq!(text(c, "article.posting h1").await, "寒ブリの加工スタッフ");
    assert_eq!(text(c, ".employer-name").await, "株式会社氷見浜水産");
    let body = text(c, "article.posting").await;
    for expected in ["時給 1,000円〜1,200円", "応募方法", "電話でご連絡ください。", "情報更新日", "0766-00-1234"]
    {
        assert!(body.contains(expected), "the posting page shows {expected:?}");
    }
    std::fs::create_dir_all(concat!(env!("CARGO_TARGET_TMPDIR"), "/browser")).ok();
    if let Ok(png) = c.screenshot().await {
        std::fs::write(concat!(env!("CARGO_TARGET_TMPDIR"), "/browser/posting.png"), png).ok();
    }

    // Back to the list, filter by part-time, switch to English.
    click_and_wait_for(c, "header nav a[href='/jobs']", ".filters").await;
    // The unfiltered list has a current link too (「すべて」): the chosen type is what the new page has.
    click_and_wait_for(c, ".filters a[href='/jobs?type=part_time']", ".facet-type a[aria-current][href*='part_time']")
        .await;
    assert!(text(c, "h1").await.contains("1件"));
    click_and_wait_for(c, "a.lang", "html[lang='en']").await;
    assert!(text(c, "h1").await.contains("Find work"));

    driver.client.clone().close().await.unwrap();
}

#[actix_web::test]
async fn an_employer_posts_a_job_with_yuis_form_and_withdraws_it_from_the_private_link() {
    use diesel::prelude::*;
    use yui_db::schema::{outbox_emails, postings};

    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let c = &driver.client;

    c.goto(&app.address).await.unwrap();
    click_and_wait_for(c, "header nav a[href='/submit']", "form[action='/submit']").await;
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "the form fits a 390px screen ({overflow}px over)");

    fill(c, "#f-title", "民宿の朝食スタッフ").await;
    c.find(Locator::Css("#f-employment_type option[value='part_time']")).await.unwrap().click().await.unwrap();
    fill(c, "#f-description", "朝6時からの朝食準備と片付け。").await;
    fill(c, "#f-how_to_apply", "お電話ください").await;
    fill(c, "#f-employer_name", "民宿はまかぜ").await;
    fill(c, "#f-location", "富山県氷見市北大町1-1").await;
    c.find(Locator::Css("#f-salary_unit option[value='hour']")).await.unwrap().click().await.unwrap();
    fill(c, "#f-salary_min", "1050").await;
    fill_terms(c).await;
    fill(c, "#f-email", "hamakaze@example").await; // a typo: no top-level domain
    click_and_wait_for(c, "form[action='/submit'] button[type='submit']", ".field.invalid #f-email").await;
    assert!(text(c, ".field.invalid .field-error").await.contains("メールアドレス"));
    let kept = c.find(Locator::Css("#f-title")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("民宿の朝食スタッフ"), "what was typed is still there");

    fill(c, "#f-email", "hamakaze@example.jp").await;
    click_and_wait_for(c, "form[action='/submit'] button[type='submit']", ".thanks").await;
    assert_eq!(text(c, "h1").await, "受け付けました");

    // The receipt in the outbox holds the private link; following it shows the status.
    let body: String = outbox_emails::table.select(outbox_emails::body_text).first(&mut app.conn()).unwrap();
    let link = body.lines().map(str::trim).find(|l| l.contains("/manage/")).unwrap();
    let path = &link[link.find("/manage/").unwrap()..];
    c.goto(&format!("{}{path}", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css(".manage")).await.unwrap();
    assert!(text(c, ".status").await.contains("審査待ち"));
    click_and_wait_for(c, ".manage-action button", ".notice[role=status]").await;
    assert!(text(c, ".status").await.contains("掲載を終了しました"));
    let status: String = postings::table.select(postings::status).first(&mut app.conn()).unwrap();
    assert_eq!(status, "closed");

    driver.client.clone().close().await.unwrap();
}

#[actix_web::test]
async fn a_google_form_submission_is_reviewed_corrected_by_the_employer_approved_and_on_the_record() {
    use diesel::prelude::*;
    use yui_db::schema::{outbox_emails, postings};

    let Some(driver) = browser().await else { return };
    const SECRET: &str = "google-shared-secret-0001";
    let app = TestApp::spawn_with(|s| {
        s.ingest
            .secrets
            .insert(yui_ingest::source::Source::GoogleForms, yui_ingest::source::Secrets::Shared(vec![SECRET.into()]));
    })
    .await;
    let mut conn = app.conn();
    named_staff(&mut conn, "editor@npo.example", "審査 花子", "editor", ("himi-npo", "ひみNPOセンター"));

    // 1. The employer's Google Form delivers a submission.
    let body =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/testdata/google_forms_items.json")).unwrap();
    let res = app
        .client
        .post(format!("{}/hooks/google-forms", app.address))
        .header("content-type", "application/json")
        .header("x-yui-secret", SECRET)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let public_id: String = postings::table.select(postings::public_id).first(&mut conn).unwrap();
    let c = &driver.client;

    // 2. An editor logs in and asks for changes.
    log_in_at(c, &format!("{}/admin/review", app.address), "editor@npo.example", "table.queue").await;
    click_and_wait_for(c, &format!("a[href='/admin/review/{public_id}']"), "form.decision.changes").await;
    c.find(Locator::Css("#f-change-reason option[value='missing_conditions']")).await.unwrap().click().await.unwrap();
    fill(c, "#f-change-message", "休日と社会保険を書き足してください。").await;
    // The review page may carry a note of its own (`.notice[role=note]`); the decision's is an alert.
    click_and_wait_for(c, "form.decision.changes button", ".notice[role=alert]").await;
    assert!(text(c, ".notice[role=alert]").await.contains("修正を依頼しました"));

    // 3. The employer follows the link in the newest mail and corrects the posting.
    let body: String = outbox_emails::table
        .filter(outbox_emails::recipients.eq("saiyo@example.jp"))
        .order(outbox_emails::id.desc())
        .select(outbox_emails::body_text)
        .first(&mut conn)
        .unwrap();
    assert!(body.contains("休日と社会保険を書き足してください。"));
    let link = body.lines().map(str::trim).find(|l| l.contains("/manage/")).unwrap();
    let path = &link[link.find("/manage/").unwrap()..];
    c.goto(&format!("{}{path}", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("form[action*='/edit']")).await.unwrap();
    assert!(text(c, "main").await.contains("休日と社会保険を書き足してください。"), "the editor's message is shown");
    fill_terms(c).await;
    // Pay with its unit and the harbour's address: the form asks for them too.
    c.find(Locator::Css("#f-salary_unit option[value='hour']")).await.unwrap().click().await.unwrap();
    fill(c, "#f-location", "北海道目梨郡羅臼町本町1").await;
    fill(c, "#f-salary_min", "1200").await;
    fill(c, "#t-holidays", "土日祝").await;
    fill(c, "#t-insurance", "雇用保険・労災保険").await;
    click_and_wait_for(c, "form[action*='/edit'] button[type='submit']", ".notice[role=status]").await;
    let status: String = postings::table.select(postings::status).first(&mut conn).unwrap();
    assert_eq!(status, "pending", "back in the queue");

    // 4. The editor sees the employer's change and approves.
    c.goto(&format!("{}/admin/review/{public_id}", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("table.diff")).await.unwrap();
    assert!(text(c, "table.diff").await.contains("土日祝"));
    click_and_wait_for(c, "form.decision.approve button", ".notice[role=alert]").await;
    assert!(text(c, ".notice[role=alert]").await.contains("承認しました"));

    // 5. Seekers see it on the portal, and the public record shows the decisions.
    c.goto(&format!("{}/jobs/{public_id}", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("article.posting")).await.unwrap();
    assert_eq!(text(c, "article.posting h1").await, "定置網漁の乗組員");
    assert!(text(c, "article.posting").await.contains("土日祝"));
    c.goto(&format!("{}/transparency/log", app.address)).await.unwrap();
    let log = text(c, "main").await;
    for expected in ["承認・掲載", "修正依頼", "ひみNPOセンター", "定置網漁の乗組員"] {
        assert!(log.contains(expected), "the public log shows {expected:?}");
    }
    assert!(!log.contains("審査 花子"), "never the person");

    driver.client.clone().close().await.unwrap();
}

#[actix_web::test]
async fn a_posting_page_kept_by_the_browser_still_sends_its_message_after_a_browser_restart() {
    use diesel::prelude::*;
    use yui_db::schema::inquiries;
    let profile = tempfile::tempdir().unwrap();
    let Some(driver) = browser_in(profile.path()).await else { return };
    // The page cache on, as in production: pages carry ETags, and browsers ask again with them.
    let app = TestApp::spawn_with(|s| s.page_cache_secs = 60).await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "民宿はまかぜ", "yado@hamakaze.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("朝食の調理スタッフ", "part_time"), now()).unwrap();
    let url = format!("{}/jobs/{}", app.address, p.public_id);

    driver.client.goto(&url).await.unwrap();
    driver.client.wait().for_element(Locator::Css("section.contact-form")).await.unwrap();
    // The browser ends: its HTTP cache stays in the profile, its session cookies do not.
    driver.client.clone().close().await.unwrap();
    drop(driver);
    let driver = browser_in(profile.path()).await.expect("the browser starts again");
    let c = &driver.client;
    c.goto(&url).await.unwrap();
    c.wait().for_element(Locator::Css("section.contact-form")).await.unwrap();
    fill(c, "#c-name", "浜野 汐").await;
    fill(c, "#c-email", "shio@mail.example").await;
    fill(c, "#c-message", "朝は何時からですか。").await;
    click_and_wait_for(c, "section.contact-form button[type='submit']", ".contact-sent").await;
    assert_eq!(text(c, "h1").await, "送信しました");
    assert_eq!(inquiries::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 1);
    driver.client.clone().close().await.unwrap();
}

#[actix_web::test]
async fn a_seeker_writes_to_the_employer_from_the_posting_page_and_sees_the_confirmation() {
    use diesel::prelude::*;
    use yui_db::schema::{inquiries, outbox_emails};
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "社会福祉法人あおい会", "jinji@aoi.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("介護職員（日勤のみ）", "part_time"), now()).unwrap();
    let c = &driver.client;

    c.goto(&format!("{}/jobs/{}", app.address, p.public_id)).await.unwrap();
    c.wait().for_element(Locator::Css("section.contact-form")).await.unwrap();
    // The JSON-LD block is there as data (CSP allows no inline script, and this is none).
    let ld = c
        .execute(
            "return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ld["@type"], "JobPosting");
    assert_eq!(ld["title"], "介護職員（日勤のみ）");

    // On a 390×844 phone: pay, hours, place and the apply button in the first screen, and a bar
    // at the bottom of the screen with the phone number and the way to the form.
    c.set_window_size(390, 844).await.unwrap();
    let first_screen = c
        .execute(
            "const top = s => document.querySelector(s).getBoundingClientRect().top + window.scrollY;\
             return [top('.apply-now .button'), top('.summary'), window.innerHeight];",
            vec![],
        )
        .await
        .unwrap();
    let (button, viewport) = (first_screen[0].as_f64().unwrap(), first_screen[2].as_f64().unwrap());
    assert!(button + 40.0 < viewport, "the apply button's top is at {button}px of a {viewport}px screen");
    assert!(text(c, ".summary").await.contains("時給"), "the pay is among the key facts");
    let bar = c
        .execute(
            "const r = document.querySelector('.apply-bar').getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight];",
            vec![],
        )
        .await
        .unwrap();
    let (top, bottom, height) = (bar[0].as_f64().unwrap(), bar[1].as_f64().unwrap(), bar[2].as_f64().unwrap());
    assert!(top > height / 2.0 && bottom <= height + 1.0, "the bar stays at the bottom of the screen: {bar:?}");
    let call = c.find(Locator::Css(".apply-bar a[href^='tel:']")).await.unwrap();
    assert_eq!(call.text().await.unwrap(), "電話する");
    c.find(Locator::Css(".apply-bar a[href='#contact']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#contact:target")).await.unwrap();

    fill(c, "#c-name", "山田 花子").await;
    fill(c, "#c-email", "hanako@mail.example").await;
    fill(c, "#c-message", "はじめまして。\n見学はできますか。").await;
    click_and_wait_for(c, "section.contact-form button[type='submit']", ".contact-sent").await;
    assert_eq!(text(c, "h1").await, "送信しました");
    assert!(text(c, ".contact-sent").await.contains("直接"));
    // The thanks page has an address of its own: reloading it sends nothing again.
    assert!(c.current_url().await.unwrap().path().ends_with("/contact/sent"));
    c.refresh().await.unwrap();
    c.wait().for_element(Locator::Css(".contact-sent")).await.unwrap();

    let mut conn = app.conn();
    let mails: Vec<(String, Option<String>)> = outbox_emails::table
        .order(outbox_emails::id.asc())
        .select((outbox_emails::recipients, outbox_emails::reply_to))
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        mails,
        [
            ("jinji@aoi.example".to_owned(), Some("hanako@mail.example".to_owned())),
            ("hanako@mail.example".to_owned(), None)
        ]
    );
    assert_eq!(inquiries::table.count().get_result::<i64>(&mut conn).unwrap(), 1);

    // On a wide screen the apply button is in view anyway: no bar.
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&format!("{}/jobs/{}", app.address, p.public_id)).await.unwrap();
    c.wait().for_element(Locator::Css(".apply-now")).await.unwrap();
    let shown = c.execute("return getComputedStyle(document.querySelector('.apply-bar')).display;", vec![]).await;
    assert_eq!(shown.unwrap(), "none");

    driver.client.clone().close().await.unwrap();
}
