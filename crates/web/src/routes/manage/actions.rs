//! `POST /manage/{token}`: renew, close, or mark filled.

use super::*;
use yui_domain::Message;

#[derive(serde::Deserialize)]
pub struct ActForm {
    action: String,
    version: Option<i32>,
    /// The answer to the hired-through-Yui question: `yes` or `no`.
    value: Option<String>,
    csrf: Option<String>,
}

pub(super) fn not_allowed() -> WebError {
    WebError::Invalid(Message::new("field.manage.not_allowed"))
}

#[post("/manage/{token}")]
pub async fn act(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ActForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Some(Loaded { posting, .. }) = load(&state, &path).await? else {
        return link_not_found(&req, &state);
    };
    if !crate::forms::csrf_ok(&req, &state.settings.secret_key, form.csrf.as_deref()) {
        return Err(WebError::Expired);
    }
    let id = posting.id;
    let result = match form.action.as_str() {
        "hired_via_yui" => {
            let hired = match form.value.as_deref() {
                Some("yes") => true,
                Some("no") => false,
                _ => return Err(WebError::Invalid(Message::new("field.manage.yes_or_no"))),
            };
            if !asks_hired(&posting) {
                return Err(not_allowed());
            }
            if !db(&state, move |conn| yui_db::postings::set_hired_via_yui(conn, id, hired)).await? {
                return Err(not_allowed());
            }
            log::info!("posting {}: its employer says the hire came through Yui: {hired}", posting.public_id);
            Ok(())
        }
        "renew" => {
            let version = form.version.ok_or_else(not_allowed)?;
            if posting.status != PostingStatus::Published {
                return Err(not_allowed());
            }
            let now = yui_db::now();
            let new_end = renewal(&posting, &state, now)
                .ok_or_else(|| WebError::Invalid(Message::new("field.manage.renew_limit")))?;
            let renewed = db(&state, move |conn| yui_db::postings::renew(conn, id, version, new_end, now)).await;
            if renewed.is_ok() {
                log::info!("posting {} renewed by its employer", posting.public_id);
            }
            renewed.map(|_| ())
        }
        code => {
            let action = code
                .parse::<PostingAction>()
                .ok()
                .filter(|a| buttons(&posting, &state, yui_db::now()).contains(&Button::Status(*a)))
                .ok_or_else(not_allowed)?;
            let version = form.version.ok_or_else(not_allowed)?;
            let applied = db(&state, move |conn| {
                yui_db::postings::apply_action(
                    conn,
                    id,
                    version,
                    action,
                    Actor::default(),
                    Reason { code: Some(EMPLOYER), text: None },
                    yui_db::now(),
                )
            })
            .await;
            if applied.is_ok() {
                log::info!("posting {} {} by its employer", posting.public_id, action.code());
            }
            applied.map(|_| ())
        }
    };
    match result {
        Ok(()) => Ok(back_to_page(&req, &path)),
        Err(e) if is_conflict(&e) => conflict(&req, &state, &path, None).await,
        Err(e) => Err(e),
    }
}
