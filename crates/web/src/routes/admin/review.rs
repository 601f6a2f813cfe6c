//! The review queue: what waits, one posting's review page, and the decisions. Every decision
//! goes through `apply_action` (version check + review event) and, where the employer must
//! know, queues their email in the same transaction.

use super::{admin_page, checked_form, field, see_other};
use crate::auth::{Permission, Staff};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::intake;
use crate::state::AppState;
use crate::views::{self, PostingDetail};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use yui_db::postings::{PostingContent, Reason};
use yui_db::review::{LogLine, QueueItem};
use yui_db::{DbConnection, DbError, DbResult};
use yui_domain::disclosure::{self, PostingFields};
use yui_domain::{
    event_label, Approval, ApprovalBlock, ChangeReason, PostingAction, PostingStatus, PublicId, RejectReason,
};

const QUEUE_LIMIT: i64 = 200;

fn age(created: chrono::NaiveDateTime, now: chrono::NaiveDateTime, lang: Lang) -> String {
    let hours = (now - created).num_hours().max(0);
    match (hours, lang.is_en()) {
        (0..=23, false) => format!("{hours}時間"),
        (_, false) => format!("{}日", hours / 24),
        (0..=23, true) => format!("{hours} h"),
        (_, true) => format!("{} d", hours / 24),
    }
}

fn source_label(source: Option<&str>) -> &'static str {
    match source {
        Some("google_forms") => "Google フォーム",
        Some("tally") => "Tally",
        Some("typeform") => "Typeform",
        Some("standard") => "Webhook",
        Some("native") => "Yui のフォーム",
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
                "source": source_label(i.source.as_deref()),
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
                        "source": source_label(Some(&s.source)),
                        "received": views::date(s.received_at, lang),
                        "age": age(s.received_at, now, lang),
                        "reason": s.error.clone().unwrap_or_default(),
                        "bytes": s.raw_body.len(),
                    })
                })
                .collect();
            json!({"tab": tab, "postings": [], "submissions": rows})
        }
        _ => return Err(WebError::BadRequest(format!("タブ「{tab}」はありません。"))),
    };
    let mut ctx = ctx;
    if let Some(map) = ctx.as_object_mut() {
        map.insert("page_title".into(), "審査キュー".into());
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
                                Some(Value::Null) | None => "（なし）".into(),
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
                "who": l.actor_name.clone().unwrap_or_else(|| if l.reason_code.as_deref() == Some("employer") || l.action == "employer_edit" || l.action == "resubmit" { "事業者".into() } else { "システム".into() }),
                "reason": reason.unwrap_or(""),
                "text": l.reason_text.clone().unwrap_or_default(),
                "diff": diff,
            })
        })
        .collect()
}

/// Why this editor may not approve, if they may not (conflict of interest, four eyes).
fn approval_block(state: &AppState, staff: &Staff, item: &QueueItem, log: &[LogLine]) -> Option<&'static str> {
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
        ApprovalBlock::OwnOrganization => {
            "この事業者はあなたの所属団体の関係先のため、承認できません。ほかの団体の編集者に依頼してください。"
        }
        ApprovalBlock::OwnEdit => "内容を修正したのがあなたのため、承認はほかの編集者が行います（4つの目の原則）。",
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
    let block = approval_block(state, staff, &item, &log);
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
        errors.insert(e.field.into(), lang.message(&e.message).into());
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
        "source": source_label(item.source.as_deref()),
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
        "warnings": disclosure::warnings(&disclosure_fields(p, &item.employer), now),
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
    let notice = match done.as_deref() {
        Some("approve") => "承認しました。ポータルに掲載されています。",
        Some("request_changes") => "修正を依頼しました。事業者に専用リンク付きのメールを送ります。",
        Some("reject") => "不掲載にしました。事業者に理由をお知らせするメールを送ります。",
        Some("edit") => "修正を保存しました。",
        _ => "",
    };
    review_page(&req, &state, &staff, id, Shown::with(StatusCode::OK, notice)).await
}

/// The employer's email about a decision, with a fresh private link.
fn mail_employer(
    conn: &mut DbConnection,
    state: &AppState,
    posting: &yui_db::postings::Posting,
    template: &str,
    reason_label: &str,
    message: &str,
) -> DbResult<()> {
    let ctx = intake::Context { settings: &state.settings, templates: &state.templates };
    let employer = yui_db::employers::find_by_id(conn, posting.employer_id)?;
    let manage_url = intake::new_manage_link(conn, ctx, posting.id)?;
    let vars = json!({
        "site": state.settings.site,
        "employer_name": employer.name,
        "contact_name": employer.contact_name.clone().unwrap_or_default(),
        "title": posting.title,
        "manage_url": manage_url,
        "public_url": format!("{}/jobs/{}", state.settings.site.base_url, posting.public_id),
        "reason": reason_label,
        "message": message,
    });
    intake::queue_email(conn, ctx, &[&employer.email], template, &vars)?;
    Ok(())
}

#[post("/admin/review/{id}/{action}")]
pub async fn act(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    staff: Staff,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let fields = checked_form(&req, &state, &staff, Permission::Review, &body)?;
    let (id, action) = path.into_inner();
    let public_id = PublicId::parse(&id).ok_or(WebError::NotFound)?.to_string();
    let version: i32 = field(&fields, "version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::BadRequest("フォームの版番号がありません。ページを読み込み直してください。".into()))?;
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
            if let Some(why) = approval_block(&state, &staff, &item, &log) {
                return review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::FORBIDDEN, why)).await;
            }
            (PostingAction::Approve, None, "posting_published", "")
        }
        "request_changes" | "reject" => {
            let code = field(&fields, "reason").unwrap_or("");
            let label = if action == "reject" {
                code.parse::<RejectReason>().map(|r| r.label_ja()).ok()
            } else {
                code.parse::<ChangeReason>().map(|r| r.label_ja()).ok()
            };
            let problem = match (label, message.is_empty()) {
                (None, _) => Some("理由を選んでください。"),
                (_, true) => Some("事業者へのメッセージを書いてください。"),
                _ => None,
            };
            if let Some(problem) = problem {
                let shown = Shown::with(StatusCode::UNPROCESSABLE_ENTITY, problem);
                return review_page(&req, &state, &staff, public_id, shown).await;
            }
            if action == "reject" {
                (PostingAction::Reject, Some(code.to_owned()), "posting_rejected", label.unwrap_or(""))
            } else {
                (PostingAction::RequestChanges, Some(code.to_owned()), "changes_requested", label.unwrap_or(""))
            }
        }
        "edit" => return edit(req, staff, state, item, version, fields).await,
        _ => return Err(WebError::NotFound),
    };
    let (posting_action, reason_code, template, reason_label) = decision;
    let actor = staff.actor();
    let app = state.clone();
    let posting_id = item.posting.id;
    let result = db(&state, move |conn| {
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
            mail_employer(conn, &app, &updated, template, reason_label, &message)?;
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
            let notice = "この求人は、あなたがページを開いた後にほかの人が操作しました。最新の状態を確認してから、もう一度判断してください。";
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
            let notice = "修正内容に問題があります。赤い項目を確認してください。";
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
            let notice = "この求人は、あなたがページを開いた後にほかの人が修正しました。最新の内容を確認してから、もう一度修正してください。";
            review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::CONFLICT, notice)).await
        }
        Err(e) => Err(e),
    }
}

/// Declares (or clears) that an employer is linked to one of the operating organisations, so
/// the conflict-of-interest rule knows it. Any reviewer may declare it; it applies to all.
#[post("/admin/employers/{id}/organization")]
pub async fn link_employer(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let fields = checked_form(&req, &state, &staff, Permission::Review, &body)?;
    let employer_id = path.into_inner();
    let slug = field(&fields, "org").unwrap_or("").to_owned();
    let back = field(&fields, "back").and_then(PublicId::parse).map(|p| format!("/admin/review/{p}"));
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
