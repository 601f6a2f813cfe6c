//! `GET|POST /admin/postings/new`: a posting entered by staff for an employer who phoned,
//! wrote or walked in, for an employer found by name (`GET /admin/employers/search`) or a new
//! one, whose email is optional. It waits in the queue like any other; the legal items it
//! leaves unstated are named on its review page, not refused here (staff write down what the
//! employer told them).

use super::{admin_page, field, see_other};
use crate::auth::{CanReview, Fields, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::{db, db_mail};
use crate::i18n::{query_pairs, Lang};
use crate::intake;
use crate::state::AppState;
use crate::views;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use yui_db::employers::Employer;
use yui_db::staff_entry::EmployerChoice;
use yui_domain::{FieldError, Message};
use yui_ingest::mapping::Intake;

/// How many employers a name search lists.
const MATCHES: i64 = 20;

/// The form as shown: the typed fields, the employers found, the field messages.
struct Shown<'a> {
    status: StatusCode,
    typed: &'a [(String, String)],
    query: String,
    errors: &'a [FieldError],
}

async fn form_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    shown: Shown<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let Shown { status, typed, query, errors } = shown;
    let chosen = field(typed, "employer").unwrap_or("new").to_owned();
    let (q, chosen_id) = (query.clone(), chosen.parse::<i32>().ok());
    let matches = db(state, move |conn| {
        let mut found = yui_db::employers::search_by_name(conn, &q, MATCHES)?;
        // The employer chosen before a re-render stays on the list.
        if let Some(id) = chosen_id.filter(|id| !found.iter().any(|e| e.id == *id)) {
            if let Some(employer) = yui_db::employers::find(conn, id)? {
                found.insert(0, employer);
            }
        }
        Ok(found)
    })
    .await?;
    let employers: Vec<Value> = matches.iter().map(|e| employer_option(e, &chosen)).collect();
    let mut values = serde_json::Map::new();
    for f in yui_ingest::mapping::Field::ALL {
        values.insert(f.code().into(), field(typed, f.code()).unwrap_or("").into());
    }
    values.insert("conditions".into(), crate::forms::values(typed, "conditions").into());
    let mut ctx = json!({
        "page_title": lang.t("staff_entry.title"),
        "query": query,
        "searched": !query.trim().is_empty(),
        "employers": employers,
        "new_employer": chosen == "new",
        "employer_error": errors.iter().find(|e| e.field == "employer").map(|e| lang.message(&e.message)),
        "no_email_hint": lang.tf("staff_entry.no_email_hint", &[("email", &staff.email)]),
    });
    if let Some(map) = ctx.as_object_mut() {
        map.extend(views::staff_posting_form(&values, errors, &state.settings.portal, lang));
    }
    admin_page(req, state, staff, status, "admin/posting_new", ctx).await
}

fn employer_option(e: &Employer, chosen: &str) -> Value {
    let email = (!yui_db::employers::has_no_email(&e.email)).then_some(e.email.as_str());
    json!({
        "id": e.id,
        "name": e.name,
        "contact_name": e.contact_name,
        "email": email,
        "phone": e.phone,
        "selected": e.id.to_string() == chosen,
    })
}

#[get("/admin/postings/new")]
pub async fn new_form(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    blank_form(req, staff, state).await
}

/// The employers whose name contains `q`, as choices on the same form: a plain GET form, so
/// it works without JavaScript.
#[get("/admin/employers/search")]
pub async fn search(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    blank_form(req, staff, state).await
}

async fn blank_form(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let pairs: Vec<(String, String)> = query_pairs(req.query_string()).collect();
    let query = field(&pairs, "q").unwrap_or("").trim().chars().take(100).collect();
    let shown = Shown { status: StatusCode::OK, typed: &[], query, errors: &[] };
    form_page(&req, &state, &staff, shown).await
}

#[post("/admin/postings/new")]
pub async fn create(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: typed, .. } = form;
    let query = field(&typed, "q").unwrap_or("").to_owned();
    let (existing, has_email, intake) = match parse(&state, &typed).await? {
        Ok(parsed) => parsed,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let shown = Shown { status, typed: &typed, query, errors: &errors };
            return form_page(&req, &state, &staff, shown).await;
        }
    };
    let Intake { mut posting, employer } = intake;
    state.settings.portal.settle(&mut posting);

    let app = state.clone();
    let actor = staff.actor();
    let entered = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let now = yui_db::now();
            let choice = match existing {
                Some(employer) => EmployerChoice::Existing(employer.id),
                None => EmployerChoice::New { new: intake::new_employer(&employer, now), has_email },
            };
            let default_end = now + chrono::Duration::days(i64::from(app.settings.default_valid_days));
            let new = |employer_id| yui_db::postings::new_pending(posting, employer_id, None, now, default_end);
            let (posting, employer) = yui_db::staff_entry::create(conn, choice, new, actor, now)?;
            mail_receipt(conn, &app, &posting, &employer)?;
            Ok(posting)
        })
    })
    .await?;
    log::info!("posting {} entered by staff {}", entered.public_id, staff.id);
    Ok(see_other(&format!("/admin/review/{}?done=staff_entry", entered.public_id)))
}

/// The employer chosen (`None`: a new one), whether a new one has an email, and the posting,
/// or the field messages.
async fn parse(
    state: &web::Data<AppState>,
    typed: &[(String, String)],
) -> Result<Result<(Option<Employer>, bool, Intake), Vec<FieldError>>, WebError> {
    // The parser reads the employer as Yui's form gives it: a chosen employer's stored name
    // and address stand in for the typed ones, and an employer without email gets a
    // placeholder here (the stored stand-in is made with the posting).
    let mut fields = typed.to_vec();
    let existing = match field(typed, "employer").unwrap_or("new") {
        "new" => None,
        id => {
            let id: Option<i32> = id.parse().ok();
            let found = match id {
                Some(id) => db(state, move |conn| yui_db::employers::find(conn, id)).await?,
                None => None,
            };
            match found {
                Some(employer) => Some(employer),
                None => {
                    let unknown = FieldError::new("employer", Message::new("field.staff_entry.employer_unknown"));
                    return Ok(Err(vec![unknown]));
                }
            }
        }
    };
    let employer_fields = ["employer_name", "contact_name", "email", "phone", "website", "industry"];
    let has_email = match &existing {
        Some(employer) => {
            fields.retain(|(k, _)| !employer_fields.contains(&k.as_str()));
            fields.push(("employer_name".into(), employer.name.clone()));
            fields.push(("email".into(), employer.email.clone()));
            true
        }
        None => {
            let has_email = field(&fields, "email").is_some_and(|e| !e.trim().is_empty());
            if !has_email {
                fields.push(("email".into(), format!("placeholder@{}", yui_db::employers::NO_EMAIL_DOMAIN)));
            }
            has_email
        }
    };
    Ok(yui_ingest::mapping::map_fields(&fields, &state.settings.ingest.region).map(|i| (existing, has_email, i)))
}

/// The receipt with the private manage link, as for a posting sent through /submit: to the
/// employer, or to the staff member holding their mail when they have no email; and the
/// editors' notice that a posting waits.
fn mail_receipt(
    conn: &mut yui_db::DbConnection,
    state: &AppState,
    posting: &yui_db::postings::Posting,
    employer: &Employer,
) -> Result<(), yui_mail::MailError> {
    let ctx = intake::Context { settings: &state.settings, letters: &state.letters };
    let Some(to) = yui_db::employers::mail_address(conn, employer)? else {
        return Ok(());
    };
    let source = yui_domain::event_label(yui_db::staff_entry::STAFF_ENTRY, "ja");
    intake::mail_receipt(conn, ctx, posting, employer, &to, source).map(|_| ())
}
