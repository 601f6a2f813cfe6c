//! `POST /admin/orders/{id}/status` and `/article`: the order's status and its article.

use super::*;

#[derive(Debug, serde::Deserialize)]
pub struct StatusForm {
    to: Option<String>,
    on: Option<String>,
    note: Option<String>,
}

#[post("/admin/orders/{id}/status")]
pub async fn change_status(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<StatusForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let id = path.into_inner();
    let lang = Lang::of_request(&req);
    let mut errors = BTreeMap::new();
    let to = form.to.as_deref().and_then(|t| t.parse::<OrderStatus>().ok());
    let on = date_or_today(form.on.as_deref());
    if on.is_none() {
        errors.insert("on", lang.t("orders.error.date").to_owned());
    }
    if to.is_none() {
        errors.insert("status", lang.t("orders.error.status").to_owned());
    }
    let (Some(to), Some(on)) = (to, on) else {
        return order_page(&req, &state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    };
    let note =
        form.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(|n| n.chars().take(500).collect::<String>());
    let actor = staff.actor();
    let result =
        db(&state, move |conn| yui_db::orders::set_status(conn, id, to, on, note.as_deref(), actor, yui_db::now()))
            .await?;
    match result {
        None => Err(WebError::NotFound),
        Some(Ok(order)) => {
            log::info!("order {id} is now {} (staff {})", order.status.code(), staff.id);
            Ok(see_other(&format!("/admin/orders/{id}")))
        }
        Some(Err(refusal)) => {
            let (field, message) = refusal_message(&refusal, lang);
            errors.insert(field, message);
            order_page(&req, &state, &staff, id, StatusCode::CONFLICT, errors).await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct LinkArticleForm {
    article_id: Option<String>,
}

#[post("/admin/orders/{id}/article")]
pub async fn link_article(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<LinkArticleForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let id = path.into_inner();
    let lang = Lang::of_request(&req);
    let article_id = match form.article_id.as_deref().map(str::trim).unwrap_or("") {
        "" => None,
        text => match text.parse::<i32>() {
            Ok(a) => Some(a),
            Err(_) => {
                let (field, message) = refusal_message(&OrderRefusal::NotAFeature, lang);
                let errors = BTreeMap::from([(field, message)]);
                return order_page(&req, &state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
            }
        },
    };
    let actor = staff.actor();
    match db(&state, move |conn| yui_db::orders::set_article(conn, id, article_id, actor, yui_db::now())).await? {
        None => Err(WebError::NotFound),
        Some(Ok(_)) => Ok(see_other(&format!("/admin/orders/{id}"))),
        Some(Err(refusal)) => {
            let (field, message) = refusal_message(&refusal, lang);
            let status = if refusal == OrderRefusal::ArticleTaken {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            order_page(&req, &state, &staff, id, status, BTreeMap::from([(field, message)])).await
        }
    }
}
