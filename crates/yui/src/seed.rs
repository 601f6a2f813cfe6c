//! Demo data for `make run` and for trying Yui out: a fishing town's worth of work.

use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use yui_db::employers::NewEmployer;
use yui_db::postings::{Actor, Reason};
use yui_db::staff::NewStaffUser;
use yui_db::{DbConnection, DbError};
use yui_domain::{end_of_day_utc, tokyo, PostingAction, PostingDraft, PostingInput};
use yui_web::Settings;

const DEMO: &str = include_str!("../demo/demo.json");

#[derive(Debug, Deserialize)]
struct Demo {
    organizations: Vec<DemoOrganization>,
    employers: Vec<DemoEmployer>,
    postings: Vec<DemoPosting>,
}

#[derive(Debug, Deserialize)]
struct DemoOrganization {
    slug: String,
    name: String,
    kind: String,
}

#[derive(Debug, Deserialize)]
struct DemoEmployer {
    key: String,
    name: String,
    contact_name: Option<String>,
    email: String,
    phone: Option<String>,
    address: Option<String>,
    website: Option<String>,
    industry: Option<String>,
    organization: Option<String>,
}

#[derive(Debug, Deserialize)]
struct DemoPosting {
    employer: String,
    #[serde(flatten)]
    input: PostingInput,
    days_ago: i64,
    valid_days: i64,
    status: String,
}

pub fn run(settings: &Settings) -> Result<(), String> {
    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    if yui_db::postings::count_all(&mut conn).map_err(|e| e.to_string())? > 0 {
        println!("the database already holds postings: demo data not added");
        return Ok(());
    }
    let today = chrono::Utc::now().with_timezone(&tokyo()).date_naive();
    let n = seed(&mut conn, today).map_err(|e| e.to_string())?;
    println!("demo data added: {n} postings");
    Ok(())
}

/// Adds the demo data in one transaction; returns how many postings were added.
pub fn seed(conn: &mut DbConnection, today: NaiveDate) -> Result<usize, DbError> {
    let demo: Demo = serde_json::from_str(DEMO).map_err(|e| DbError::Invalid(format!("demo.json: {e}")))?;
    yui_db::transaction(conn, |conn| {
        let mut orgs = Vec::new();
        for o in &demo.organizations {
            orgs.push(yui_db::organizations::ensure(conn, &o.slug, &o.name, &o.kind)?);
        }
        let editorial = orgs
            .iter()
            .find(|o| o.kind == "editorial")
            .or(orgs.first())
            .ok_or_else(|| DbError::Invalid("demo.json has no organization".into()))?;
        let now = yui_db::now();
        // The demo editor signs the demo decisions; the account cannot log in.
        let editor = match yui_db::staff::find_by_email(conn, "demo-editor@yui.invalid")? {
            Some(u) => u,
            None => yui_db::staff::create(
                conn,
                &NewStaffUser {
                    organization_id: editorial.id,
                    email: "demo-editor@yui.invalid",
                    display_name: "デモ編集者",
                    password_hash: yui_web::auth::password::LOCKED,
                    role: "editor",
                    active: true,
                    created_at: now,
                    updated_at: now,
                },
            )?,
        };
        let editor_actor = Actor { staff_id: Some(editor.id), organization_id: Some(editorial.id) };

        let mut employers = std::collections::HashMap::new();
        for e in &demo.employers {
            let organization_id =
                e.organization.as_ref().and_then(|slug| orgs.iter().find(|o| &o.slug == slug)).map(|o| o.id);
            let row = yui_db::employers::upsert_by_email(
                conn,
                &NewEmployer {
                    name: &e.name,
                    contact_name: e.contact_name.as_deref(),
                    email: &e.email,
                    phone: e.phone.as_deref(),
                    address: e.address.as_deref(),
                    website: e.website.as_deref(),
                    industry: e.industry.as_deref(),
                    organization_id,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            employers.insert(e.key.as_str(), row);
        }

        for (i, p) in demo.postings.iter().enumerate() {
            let employer = employers
                .get(p.employer.as_str())
                .ok_or_else(|| DbError::Invalid(format!("posting {i}: unknown employer {}", p.employer)))?;
            let posted_on = today - Duration::days(p.days_ago);
            let input = PostingInput {
                prefecture: "富山県".into(),
                municipality: "氷見市".into(),
                valid_through: Some(posted_on + Duration::days(p.valid_days)),
                ..p.input.clone()
            };
            let draft = PostingDraft::parse(input)
                .map_err(|errs| DbError::Invalid(format!("posting {i} ({}): {errs:?}", p.input.title)))?;
            // Posted in the morning, Japan time, minutes apart so "newest first" has an order.
            let posted_at =
                posted_on.and_hms_opt(9, 0, 0).unwrap_or_default() - Duration::hours(9) + Duration::minutes(i as i64);
            let row = yui_db::postings::insert(
                conn,
                &yui_db::postings::new_pending(draft, employer.id, None, posted_at, end_of_day_utc(posted_on)),
            )?;
            let actions: &[PostingAction] = match p.status.as_str() {
                "pending" => &[],
                "published" => &[PostingAction::Approve],
                "expired" => &[PostingAction::Approve, PostingAction::Expire],
                "closed" => &[PostingAction::Approve, PostingAction::Close],
                "filled" => &[PostingAction::Approve, PostingAction::MarkFilled],
                other => return Err(DbError::Invalid(format!("posting {i}: unknown status {other}"))),
            };
            let mut version = row.version;
            for action in actions {
                let actor = if *action == PostingAction::Approve { editor_actor } else { Actor::default() };
                version = yui_db::postings::apply_action(
                    conn,
                    row.id,
                    version,
                    *action,
                    actor,
                    Reason::default(),
                    posted_at,
                )?
                .version;
            }
        }
        crate::seed_editorial::seed(conn, today, &orgs, &editor, &employers)?;
        Ok(demo.postings.len())
    })
}

/// `yui seed-bench N`: the demo data, then `count` more published postings made from the demo
/// postings' Japanese texts (varied titles, employers, dates), for `make bench`. Inserted in
/// batches through the normal insert, so search indexing is part of it.
pub fn bench(settings: &Settings, count: usize) -> Result<(), String> {
    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let today = chrono::Utc::now().with_timezone(&tokyo()).date_naive();
    if yui_db::postings::count_all(&mut conn).map_err(|e| e.to_string())? == 0 {
        seed(&mut conn, today).map_err(|e| e.to_string())?;
    }
    let demo: Demo = serde_json::from_str(DEMO).map_err(|e| format!("demo.json: {e}"))?;
    let employer_ids: Vec<i32> = demo
        .employers
        .iter()
        .map(|e| yui_db::employers::find_by_email(&mut conn, &e.email).map(|row| row.map(|r| r.id)))
        .collect::<Result<Option<Vec<_>>, _>>()
        .map_err(|e| e.to_string())?
        .ok_or("the demo employers are missing")?;
    // Words that make titles differ, so search has work to do.
    const SHIFTS: &[&str] =
        &["早番", "遅番", "週3日から", "土日休み", "未経験歓迎", "経験者優遇", "Uターン歓迎", "副業OK"];
    let now = yui_db::now();
    let started = std::time::Instant::now();
    for batch in (0..count).collect::<Vec<_>>().chunks(500) {
        yui_db::transaction(&mut conn, |conn| {
            for &n in batch {
                let template = &demo.postings[n % demo.postings.len()];
                let input = PostingInput {
                    title: format!("{}（{}・No.{n}）", template.input.title, SHIFTS[n % SHIFTS.len()]),
                    prefecture: "富山県".into(),
                    municipality: "氷見市".into(),
                    valid_through: Some(today + Duration::days(30 + (n % 60) as i64)),
                    ..template.input.clone()
                };
                let draft = PostingDraft::parse(input).map_err(|e| DbError::Invalid(format!("{e:?}")))?;
                let posted_at = now - Duration::minutes((n % 40_000) as i64);
                let mut row = yui_db::postings::new_pending(
                    draft,
                    employer_ids[n % employer_ids.len()],
                    None,
                    posted_at,
                    now + Duration::days(30),
                );
                row.status = yui_domain::PostingStatus::Published.code();
                row.published_at = Some(posted_at);
                yui_db::postings::insert(conn, &row)?;
            }
            Ok::<_, DbError>(())
        })
        .map_err(|e| e.to_string())?;
    }
    println!("bench data added: {count} published postings in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}
