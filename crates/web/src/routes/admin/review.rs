//! The review queue: what waits, one posting's review page, and the decisions. Every decision
//! goes through `apply_action` (version check + review event) and, where the employer must
//! know, queues their email in the same transaction.

use super::{admin_page, field, see_other};
use crate::auth::{CanReview, Fields, StaffForm};
use crate::auth::{Permission, Staff};
use crate::error::WebError;
use crate::handler::{db, db_mail};
use crate::i18n::Lang;
use crate::intake;
use crate::state::AppState;
use crate::views::{self, PostingDetail};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use yui_db::postings::{PostingContent, Reason};
use yui_db::review::{LogLine, QueueItem};
use yui_db::{DbConnection, DbError};
use yui_domain::disclosure::{self, PostingFields};
use yui_domain::{
    event_label, Approval, ApprovalBlock, ChangeReason, PostingAction, PostingStatus, PublicId, RejectReason,
};
use yui_mail::letters::employer::{ChangesRequested, PostingPublished, PostingRejected};
use yui_mail::MailError;

const QUEUE_LIMIT: i64 = 200;

fn age(created: chrono::NaiveDateTime, now: chrono::NaiveDateTime, lang: Lang) -> String {
    let hours = (now - created).num_hours().max(0);
    match hours {
        0..=23 => lang.tf("review.age.hours", &[("n", &hours)]),
        _ => lang.tf("review.age.days", &[("n", &(hours / 24))]),
    }
}

fn source_label(source: Option<&str>, lang: Lang) -> &'static str {
    match source {
        Some("google_forms") => lang.t("review.source.google_forms"),
        Some("tally") => "Tally",
        Some("typeform") => "Typeform",
        Some("standard") => "Webhook",
        Some("native") => lang.t("review.source.native"),
        _ => "—",
    }
}

fn queue_rows(items: &[QueueItem], now: chrono::NaiveDateTime, lang: Lang) -> Vec<Value> {
    items
        .iter()
        .map(|i| {
            json!({
                "id": i.posting.public_id,
                "title": i.posting.title,
                "employer": i.employer.name,
                "type": i.posting.employment_type.label(lang.code()),
                "source": source_label(i.source.as_deref(), lang),
                "age": age(i.posting.created_at, now, lang),
                "received": views::date(i.posting.created_at, lang),
            })
        })
        .collect()
}

#[get("/admin/review")]
pub async fn queue(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let tab = crate::i18n::query_pairs(req.query_string())
        .find(|(k, _)| k == "tab")
        .map(|(_, v)| v)
        .unwrap_or_else(|| "pending".into());
    let now = yui_db::now();
    let ctx = match tab.as_str() {
        "pending" | "changes" => {
            let status = if tab == "pending" { PostingStatus::Pending } else { PostingStatus::ChangesRequested };
            let items = db(&state, move |conn| yui_db::review::queue(conn, status, QUEUE_LIMIT)).await?;
            json!({"tab": tab, "postings": queue_rows(&items, now, lang), "submissions": []})
        }
        "quarantined" => {
            let subs = db(&state, |conn| yui_db::submissions::quarantined(conn, QUEUE_LIMIT)).await?;
            let rows: Vec<Value> = subs
                .iter()
                .map(|s| {
                    json!({
                        "id": s.id,
                        "source": source_label(Some(&s.source), lang),
                        "received": views::date(s.received_at, lang),
                        "age": age(s.received_at, now, lang),
                        "reason": s.error.clone().unwrap_or_default(),
                        "bytes": s.raw_body.len(),
                    })
                })
                .collect();
            json!({"tab": tab, "postings": [], "submissions": rows})
        }
        _ => return Err(WebError::BadRequest(lang.tf("review.no_such_tab", &[("tab", &tab)]))),
    };
    let mut ctx = ctx;
    if let Some(map) = ctx.as_object_mut() {
        map.insert("page_title".into(), lang.t("review.page_title").into());
        for t in ["pending", "changes", "quarantined"] {
            map.insert(format!("is_{t}"), (tab == t).into());
        }
    }
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/queue", ctx).await
}

/// What the disclosure check (`yui_domain::disclosure`) reads of a posting and its employer.
fn disclosure_fields<'a>(p: &'a yui_db::postings::Posting, e: &'a yui_db::employers::Employer) -> PostingFields<'a> {
    PostingFields {
        employment_type: p.employment_type,
        remote: p.remote,
        has_salary: p.salary().is_some(),
        description: &p.description,
        requirements: p.requirements.as_deref(),
        hours: p.hours.as_deref(),
        holidays: p.holidays.as_deref(),
        insurance: p.insurance.as_deref(),
        trial_period: p.trial_period.as_deref(),
        smoking: p.smoking.as_deref(),
        address: p.address.as_deref(),
        how_to_apply: &p.how_to_apply,
        valid_through: p.valid_through,
        employer_phone: e.phone.as_deref(),
        employer_website: e.website.as_deref(),
    }
}

fn log_rows(log: &[LogLine], lang: Lang) -> Vec<Value> {
    log.iter()
        .map(|l| {
            let reason = l.reason_code.as_deref().and_then(|c| {
                c.parse::<RejectReason>()
                    .map(|r| r.label(lang.code()))
                    .ok()
                    .or_else(|| c.parse::<ChangeReason>().map(|r| r.label(lang.code())).ok())
            });
            let diff: Vec<Value> = l
                .diff
                .as_deref()
                .and_then(|d| serde_json::from_str::<serde_json::Map<String, Value>>(d).ok())
                .map(|m| {
                    m.into_iter()
                        .map(|(field, change)| {
                            let text = |v: Option<&Value>| match v {
                                Some(Value::String(s)) => s.clone(),
                                Some(Value::Null) | None => lang.t("review.diff.none").into(),
                                Some(other) => other.to_string(),
                            };
                            json!({"field": crate::intake::field_label(&field), "from": text(change.get("from")), "to": text(change.get("to"))})
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "at": views::date(l.created_at, lang),
                "action": event_label(&l.action, lang.code()),
                "who": l.actor_name.clone().unwrap_or_else(|| if l.reason_code.as_deref() == Some("employer") || l.action == "employer_edit" || l.action == "resubmit" { lang.t("review.by.employer").into() } else { lang.t("review.by.system").into() }),
                "reason": reason.unwrap_or(""),
                "text": l.reason_text.clone().unwrap_or_default(),
                "diff": diff,
            })
        })
        .collect()
}

/// Why this editor may not approve, if they may not (conflict of interest, four eyes).
fn approval_block(
    state: &AppState,
    staff: &Staff,
    item: &QueueItem,
    log: &[LogLine],
    lang: Lang,
) -> Option<&'static str> {
    let rules = &state.settings.review;
    let approval = Approval {
        block_own_organization: rules.block_own_organization,
        four_eyes: rules.four_eyes,
        approver_id: staff.id,
        approver_organization_id: staff.organization_id,
        employer_organization_id: item.employer.organization_id,
        last_editor_id: yui_db::review::last_editor(log),
    };
    yui_domain::approval_block(&approval).map(|block| match block {
        ApprovalBlock::OwnOrganization => lang.t("review.block.own_organization"),
        ApprovalBlock::OwnEdit => lang.t("review.block.own_edit"),
    })
}

/// How the review page is shown again after a request: its status, a message at the top, and
/// for a refused edit, the field messages and what the editor typed.
struct Shown<'a> {
    status: StatusCode,
    notice: &'a str,
    edit_errors: &'a [yui_domain::FieldError],
    typed: Option<&'a [(String, String)]>,
}

impl<'a> Shown<'a> {
    fn with(status: StatusCode, notice: &'a str) -> Self {
        Shown { status, notice, edit_errors: &[], typed: None }
    }
}

async fn review_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    public_id: String,
    shown: Shown<'_>,
) -> Result<HttpResponse, WebError> {
    let Shown { status, notice, edit_errors, typed } = shown;
    let lang = Lang::of_request(req);
    let id = public_id.clone();
    let (item, log, orgs) = db(state, move |conn| {
        let Some(item) = yui_db::review::find(conn, &id)? else { return Ok(None) };
        let log = yui_db::review::log(conn, item.posting.id)?;
        Ok(Some((item, log, yui_db::organizations::list(conn)?)))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    let now = yui_db::now();
    let orgs: Vec<Value> = orgs
        .iter()
        .map(|o| json!({"slug": o.slug, "name": o.name, "selected": item.employer.organization_id == Some(o.id)}))
        .collect();
    let p = &item.posting;
    let decidable = p.status == PostingStatus::Pending;
    let block = approval_block(state, staff, &item, &log, lang);
    // The edit form starts from the stored content, or from what the editor just typed.
    let mut values = serde_json::Map::new();
    let content = serde_json::to_value(PostingContent::of(p)).unwrap_or_default();
    for f in yui_ingest::mapping::Field::ALL {
        let stored = match f.code() {
            "valid_through" => views::date_iso(p.valid_through - chrono::Duration::seconds(1)),
            "salary_unit" | "salary_min" | "salary_max" | "title" | "description" | "category" | "address"
            | "hours" | "holidays" | "insurance" | "trial_period" | "smoking" | "requirements" | "how_to_apply"
            | "employment_type" | "remote" | "municipality" | "prefecture" | "area" => match content.get(f.code()) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        let typed_value = typed.and_then(|t| field(t, f.code())).map(str::to_owned);
        values.insert(f.code().into(), typed_value.unwrap_or(stored).into());
    }
    let mut errors = serde_json::Map::new();
    for f in yui_ingest::mapping::Field::ALL {
        errors.insert(f.code().into(), "".into());
    }
    for e in edit_errors {
        errors.insert(e.field.into(), e.message.clone().into());
    }
    let options = |all: &[(&'static str, &'static str)], selected: &str| -> Vec<Value> {
        all.iter().map(|(code, label)| json!({"code": code, "label": label, "selected": *code == selected})).collect()
    };
    let types: Vec<(&str, &str)> =
        yui_domain::EmploymentType::ALL.iter().map(|t| (t.code(), t.label(lang.code()))).collect();
    let remotes: Vec<(&str, &str)> =
        yui_domain::RemoteMode::ALL.iter().map(|t| (t.code(), t.label(lang.code()))).collect();
    let units: Vec<(&str, &str)> =
        yui_domain::SalaryUnit::ALL.iter().map(|t| (t.code(), t.label(lang.code()))).collect();
    let pick = |name: &str| values.get(name).and_then(Value::as_str).unwrap_or("").to_owned();
    let ctx = json!({
        "page_title": p.title,
        "notice": notice,
        "posting": PostingDetail::new(p, &item.employer, lang),
        "public_id": p.public_id,
        "status": p.status.label(lang.code()),
        "version": p.version,
        "source": source_label(item.source.as_deref(), lang),
        "received": views::date(p.created_at, lang),
        "orgs": orgs,
        "employer": {
            "id": item.employer.id,
            "linked": item.employer.organization_id.is_some(),
            "name": item.employer.name,
            "contact_name": item.employer.contact_name,
            "email": item.employer.email,
            "phone": item.employer.phone,
        },
        "warnings": disclosure::warnings(&disclosure_fields(p, &item.employer), now)
            .into_iter()
            .map(|code| lang.lookup(&format!("review.warning.{code}")).unwrap_or(code))
            .collect::<Vec<_>>(),
        "log": log_rows(&log, lang),
        "decidable": decidable,
        "approval_block": block.unwrap_or(""),
        "is_public": p.is_public_at(now),
        "reject_reasons": RejectReason::ALL.iter().map(|r| json!({"code": r.code(), "label": r.label(lang.code())})).collect::<Vec<_>>(),
        "change_reasons": ChangeReason::ALL.iter().map(|r| json!({"code": r.code(), "label": r.label(lang.code())})).collect::<Vec<_>>(),
        "values": values,
        "errors": errors,
        "types": options(&types, &pick("employment_type")),
        "remotes": options(&remotes, &pick("remote")),
        "units": options(&units, &pick("salary_unit")),
        "editable": matches!(p.status, PostingStatus::Pending | PostingStatus::ChangesRequested | PostingStatus::Published),
    });
    admin_page(req, state, staff, status, "admin/posting", ctx).await
}

#[get("/admin/review/{id}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<String>,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let id = PublicId::parse(&path).ok_or(WebError::NotFound)?.to_string();
    let done = crate::i18n::query_pairs(req.query_string()).find(|(k, _)| k == "done").map(|(_, v)| v);
    let lang = Lang::of_request(&req);
    let notice = match done.as_deref() {
        Some("approve") => lang.t("review.done.approve"),
        Some("request_changes") => lang.t("review.done.request_changes"),
        Some("reject") => lang.t("review.done.reject"),
        Some("edit") => lang.t("review.done.edit"),
        _ => "",
    };
    review_page(&req, &state, &staff, id, Shown::with(StatusCode::OK, notice)).await
}

/// The employer's email about a decision (approved, changes requested, rejected), with a
/// fresh private link. Other actions mail nobody from here.
fn mail_employer(
    conn: &mut DbConnection,
    state: &AppState,
    posting: &yui_db::postings::Posting,
    action: PostingAction,
    reason: &str,
    message: &str,
) -> Result<(), MailError> {
    let ctx = intake::Context { settings: &state.settings, letters: &state.letters };
    let employer = yui_db::employers::find_by_id(conn, posting.employer_id)?;
    let manage_url = &intake::new_manage_link(conn, ctx, posting.id)?;
    let (to, employer_name, contact_name) = (&employer.email, &employer.name, employer.contact_name.as_deref());
    let title = &posting.title;
    match action {
        PostingAction::Approve => {
            let public_url = &format!("{}/jobs/{}", state.settings.site.base_url, posting.public_id);
            let args = PostingPublished { employer_name, contact_name, title, public_url, message, manage_url };
            state.letters.posting_published(conn, to, &args)?;
        }
        PostingAction::RequestChanges => {
            let args = ChangesRequested { employer_name, contact_name, title, reason, message, manage_url };
            state.letters.changes_requested(conn, to, &args)?;
        }
        PostingAction::Reject => {
            let args = PostingRejected { employer_name, contact_name, title, reason, message, manage_url };
            state.letters.posting_rejected(conn, to, &args)?;
        }
        _ => {}
    }
    Ok(())
}

#[post("/admin/review/{id}/{action}")]
pub async fn act(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let lang = Lang::of_request(&req);
    let (id, action) = path.into_inner();
    let public_id = PublicId::parse(&id).ok_or(WebError::NotFound)?.to_string();
    let version: i32 = field(&fields, "version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::BadRequest(lang.t("review.no_version").into()))?;
    let message = field(&fields, "message").unwrap_or("").trim().to_owned();

    let lookup = public_id.clone();
    let (item, log) = db(&state, move |conn| {
        let Some(item) = yui_db::review::find(conn, &lookup)? else { return Ok(None) };
        let log = yui_db::review::log(conn, item.posting.id)?;
        Ok(Some((item, log)))
    })
    .await?
    .ok_or(WebError::NotFound)?;

    let decision = match action.as_str() {
        "approve" => {
            if let Some(why) = approval_block(&state, &staff, &item, &log, lang) {
                return review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::FORBIDDEN, why)).await;
            }
            (PostingAction::Approve, None, "")
        }
        "request_changes" | "reject" => {
            let code = field(&fields, "reason").unwrap_or("");
            let label = if action == "reject" {
                code.parse::<RejectReason>().map(|r| r.label_ja()).ok()
            } else {
                code.parse::<ChangeReason>().map(|r| r.label_ja()).ok()
            };
            let problem = match (label, message.is_empty()) {
                (None, _) => Some(lang.t("review.choose_reason")),
                (_, true) => Some(lang.t("review.write_message")),
                _ => None,
            };
            if let Some(problem) = problem {
                let shown = Shown::with(StatusCode::UNPROCESSABLE_ENTITY, problem);
                return review_page(&req, &state, &staff, public_id, shown).await;
            }
            if action == "reject" {
                (PostingAction::Reject, Some(code.to_owned()), label.unwrap_or(""))
            } else {
                (PostingAction::RequestChanges, Some(code.to_owned()), label.unwrap_or(""))
            }
        }
        "edit" => return edit(req, staff, state, item, version, fields).await,
        _ => return Err(WebError::NotFound),
    };
    let (posting_action, reason_code, reason_label) = decision;
    let actor = staff.actor();
    let app = state.clone();
    let posting_id = item.posting.id;
    let result = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let reason =
                Reason { code: reason_code.as_deref(), text: (!message.is_empty()).then_some(message.as_str()) };
            let updated = yui_db::postings::apply_action(
                conn,
                posting_id,
                version,
                posting_action,
                actor,
                reason,
                yui_db::now(),
            )?;
            mail_employer(conn, &app, &updated, posting_action, reason_label, &message)?;
            Ok(updated)
        })
    })
    .await;
    match result {
        Ok(updated) => {
            log::info!("posting {} {} by staff {}", updated.public_id, posting_action.code(), staff.id);
            Ok(see_other(&format!("/admin/review/{}?done={}", updated.public_id, posting_action.code())))
        }
        Err(WebError::Db(DbError::Conflict(_) | DbError::Transition(_))) => {
            let notice = lang.t("review.conflict.decision");
            review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::CONFLICT, notice)).await
        }
        Err(e) => Err(e),
    }
}

/// An editor's correction of the content: parsed like Yui's own form, saved with a diff.
async fn edit(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    item: QueueItem,
    version: i32,
    mut fields: Vec<(String, String)>,
) -> Result<HttpResponse, WebError> {
    // The employer's details are not edited here; the parser needs them to be complete.
    fields.retain(|(k, _)| k != "employer_name" && k != "email");
    fields.push(("employer_name".into(), item.employer.name.clone()));
    fields.push(("email".into(), item.employer.email.clone()));
    let public_id = item.posting.public_id.clone();
    let draft = match yui_ingest::mapping::map_fields(&fields, &state.settings.ingest.region) {
        Ok(intake) => intake.posting,
        Err(errors) => {
            let notice = Lang::of_request(&req).t("review.edit.invalid");
            let shown =
                Shown { status: StatusCode::UNPROCESSABLE_ENTITY, notice, edit_errors: &errors, typed: Some(&fields) };
            return review_page(&req, &state, &staff, public_id, shown).await;
        }
    };
    let default_end = item.posting.valid_through;
    let content = PostingContent::from_draft(draft, default_end);
    let actor = staff.actor();
    let posting_id = item.posting.id;
    let result = db(&state, move |conn| {
        yui_db::postings::update_content(conn, posting_id, version, &content, "edit", actor, yui_db::now())
    })
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/review/{public_id}?done=edit"))),
        Err(WebError::Db(DbError::Conflict(_))) => {
            let notice = Lang::of_request(&req).t("review.conflict.edit");
            review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::CONFLICT, notice)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct LinkEmployerForm {
    #[serde(default)]
    org: String,
    back: Option<String>,
}

/// Declares (or clears) that an employer is linked to one of the operating organisations, so
/// the conflict-of-interest rule knows it. Any reviewer may declare it; it applies to all.
#[post("/admin/employers/{id}/organization")]
pub async fn link_employer(
    path: web::Path<i32>,
    form: StaffForm<LinkEmployerForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let employer_id = path.into_inner();
    let slug = form.org;
    let back = form.back.as_deref().and_then(PublicId::parse).map(|p| format!("/admin/review/{p}"));
    db(&state, move |conn| {
        let org = match slug.as_str() {
            "" => None,
            s => Some(
                yui_db::organizations::find_by_slug(conn, s)?
                    .ok_or_else(|| DbError::Invalid(format!("unknown organisation {s:?}")))?
                    .id,
            ),
        };
        yui_db::employers::set_organization(conn, employer_id, org)
    })
    .await?;
    log::info!("employer {employer_id} organisation link set by staff {}", staff.id);
    Ok(see_other(&back.unwrap_or_else(|| "/admin/review".into())))
}
