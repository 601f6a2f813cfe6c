//! What every handler does the same way: run database work off the async threads, render a
//! page (a form's, or one a private link opens).

use crate::csrf::Csrf;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder};
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

/// A page with forms: the visitor's CSRF cookie is set when new, and nothing is cached (the
/// page carries the visitor's token).
pub fn form_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    template: &str,
    ctx: serde_json::Value,
    csrf: Option<&Csrf>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, template, ctx)?;
    let mut res = HttpResponse::build(status);
    if let Some(csrf) = csrf {
        csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
        res.insert_header((header::CACHE_CONTROL, "private, no-store"));
    }
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}

/// The page's address is the key (a private link): never let it leave in a Referer or a
/// shared cache.
pub fn private(res: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    res.insert_header((header::REFERRER_POLICY, "no-referrer")).insert_header((header::CACHE_CONTROL, "no-store"))
}

/// The page a private link opens (confirm, renew, withdraw): [`private`], with the CSRF cookie
/// when the page asks before it acts.
pub fn private_page(
    req: &HttpRequest,
    state: &AppState,
    template: &str,
    ctx: serde_json::Value,
    csrf: Option<&Csrf>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, template, ctx)?;
    let mut res = HttpResponse::Ok();
    private(&mut res);
    if let Some(csrf) = csrf {
        csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    }
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}
