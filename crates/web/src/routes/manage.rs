//! `/manage/{token}`: the employer's private page for one posting, reached from the link in
//! their receipt. No account: holding the link is the proof. They see the status, can
//! withdraw the posting before it is published, and close it or mark it filled afterwards.

use crate::csrf::{self, Csrf};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::routes::db;
use crate::startup::AppState;
use crate::tokens::hash_token;
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_db::postings::{Actor, Reason};
use yui_domain::{PostingAction, PostingStatus};

/// What the employer may do in each status, in the order the buttons are shown.
fn actions(status: PostingStatus) -> &'static [PostingAction] {
    match status {
        PostingStatus::Pending | PostingStatus::ChangesRequested => &[PostingAction::Close],
        PostingStatus::Published => &[PostingAction::MarkFilled, PostingAction::Close],
        _ => &[],
    }
}

fn action_label(action: PostingAction, status: PostingStatus, lang: Lang) -> &'static str {
    match (action, status, lang.is_en()) {
        (PostingAction::MarkFilled, _, false) => "採用が決まったので掲載を終える",
        (PostingAction::MarkFilled, _, true) => "Filled: end the listing",
        (PostingAction::Close, PostingStatus::Published, false) => "募集をやめて掲載を終える",
        (PostingAction::Close, PostingStatus::Published, true) => "Stop recruiting: end the listing",
        (_, _, false) => "掲載の申し込みを取り下げる",
        (_, _, true) => "Withdraw this submission",
    }
}

fn status_text(status: PostingStatus, lang: Lang) -> &'static str {
    match (status, lang.is_en()) {
        (PostingStatus::Pending, false) => "審査待ち：運営メンバーが内容を確認しています。",
        (PostingStatus::Pending, true) => "Waiting for review by the editors.",
        (PostingStatus::ChangesRequested, false) => "修正のお願い：編集部からのメールをご確認ください。",
        (PostingStatus::ChangesRequested, true) => "Changes requested: please see the editors' email.",
        (PostingStatus::Published, false) => "掲載中",
        (PostingStatus::Published, true) => "Published",
        (PostingStatus::Rejected, false) => "掲載を見送りました。",
        (PostingStatus::Rejected, true) => "Not published.",
        (PostingStatus::Expired, false) => "掲載期間が終わりました。",
        (PostingStatus::Expired, true) => "The listing period has ended.",
        (PostingStatus::Closed, false) => "掲載を終了しました。",
        (PostingStatus::Closed, true) => "Closed.",
        (PostingStatus::Filled, false) => "採用決定により掲載を終了しました。",
        (PostingStatus::Filled, true) => "Filled.",
    }
}

async fn load(
    state: &web::Data<AppState>,
    token: &str,
) -> Result<(yui_db::models::Posting, yui_db::models::Employer), WebError> {
    // Tokens are 43 URL-safe characters; anything else cannot match and skips the query.
    if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(WebError::NotFound);
    }
    let hash = hash_token(token);
    db(state, move |conn| yui_db::postings::find_by_manage_token_hash(conn, &hash)).await?.ok_or(WebError::NotFound)
}

#[get("/manage/{token}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let (posting, employer) = load(&state, &path).await?;
    let lang = Lang::of_request(&req);
    let csrf = Csrf::for_request(&req);
    let now = yui_db::now();
    let buttons: Vec<_> = actions(posting.status)
        .iter()
        .map(|a| json!({"code": a.code(), "label": action_label(*a, posting.status, lang)}))
        .collect();
    let done = crate::i18n::query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "1");
    let ctx = json!({
        "page_title": posting.title,
        "robots": "noindex,nofollow",
        "title": posting.title,
        "employer_name": employer.name,
        "status_code": posting.status.code(),
        "status_text": status_text(posting.status, lang),
        "public_url": if posting.is_public_at(now) { format!("/jobs/{}", posting.public_id) } else { String::new() },
        "valid_through": crate::views::date(posting.valid_through - chrono::Duration::seconds(1), lang),
        "submitted": crate::views::date(posting.created_at, lang),
        "version": posting.version,
        "buttons": buttons,
        "csrf": csrf.token(&state.settings.secret_key),
        "done": done,
    });
    let html =
        crate::templates::render_page(&state.templates, &state.settings.site, &req, lang, "manage/posting", ctx)?;
    let mut res = HttpResponse::Ok();
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    // The page's address is the key: never let it leave in a Referer or a shared cache.
    res.insert_header((header::REFERRER_POLICY, "no-referrer")).insert_header((header::CACHE_CONTROL, "no-store"));
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}

#[derive(serde::Deserialize)]
pub struct ActForm {
    action: String,
    version: i32,
    csrf: Option<String>,
}

#[post("/manage/{token}")]
pub async fn act(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ActForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let (posting, _) = load(&state, &path).await?;
    if !csrf::verify(&req, &state.settings.secret_key, form.csrf.as_deref()) {
        return Err(WebError::BadRequest(
            "ページの有効期限が切れていました。ページを読み込み直してから、もう一度お試しください。".into(),
        ));
    }
    let action = form
        .action
        .parse::<PostingAction>()
        .ok()
        .filter(|a| actions(posting.status).contains(a))
        .ok_or_else(|| WebError::BadRequest("この掲載では、その操作はできません。".into()))?;
    let (id, version) = (posting.id, form.version);
    db(&state, move |conn| {
        yui_db::postings::apply_action(
            conn,
            id,
            version,
            action,
            Actor::default(),
            Reason { code: Some("employer"), text: None },
            yui_db::now(),
        )
    })
    .await?;
    log::info!("posting {} {} by its employer", posting.public_id, action.code());
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/manage/{}?done=1", path.as_str())))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .finish())
}
