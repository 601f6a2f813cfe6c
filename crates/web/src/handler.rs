//! What every handler does the same way: run database work off the async threads, render a page.

use crate::error::WebError;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use yui_db::DbConnection;

/// Runs blocking database work on actix's thread pool with a pooled connection.
pub async fn db<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, yui_db::DbError> + Send + 'static,
{
    blocking(state, f).await
}

/// [`db`] for work that writes letters too (`state.letters`): a template may fail as well as a query.
pub async fn db_mail<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, yui_mail::MailError> + Send + 'static,
{
    blocking(state, f).await
}

async fn blocking<T, E, F>(state: &web::Data<AppState>, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    E: From<yui_db::DbError> + Send + 'static,
    WebError: From<E>,
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(yui_db::DbError::from)?;
        f(&mut conn)
    })
    .await?
    .map_err(WebError::from)
}

/// Renders a page in the reader's language.
pub fn page(
    req: &HttpRequest,
    state: &AppState,
    template: &str,
    ctx: serde_json::Value,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, template, ctx)?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}
