//! Who runs this site and on what terms: `/about` (運営について, with the member organisations),
//! `/privacy` (プライバシーポリシー) and `/terms` (利用規約). Their text is Markdown the operator
//! edits: `{site.pages_dir}/{name}.{lang}.md` when there, else the text Yui ships
//! (`templates/pages/`). Read on each request (the page cache keeps it a few seconds), so an
//! edit shows without a restart; rendered through the same sanitiser as articles (relative links allowed). The page's title
//! is the template's; a file's own `# heading` would be dropped by the sanitiser.

use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(about).service(privacy).service(terms);
}

/// The page's Markdown: the operator's file in this language, the operator's Japanese one, the
/// shipped one in this language, the shipped Japanese one.
fn markdown(state: &AppState, name: &str, lang: Lang) -> String {
    let langs = [lang.code(), "ja"];
    if let Some(dir) = &state.settings.pages_dir {
        for code in langs {
            match std::fs::read_to_string(dir.join(format!("{name}.{code}.md"))) {
                Ok(text) => return text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    log::warn!("site.pages_dir: {name}.{code}.md cannot be read ({e}); the shipped text stands in")
                }
            }
        }
    }
    langs
        .iter()
        .find_map(|code| crate::templates::Assets::get(&format!("pages/{name}.{code}.md")))
        .map(|file| String::from_utf8_lossy(&file.data).into_owned())
        .unwrap_or_default()
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    name: &str,
    title_key: &'static str,
    organisations: Vec<serde_json::Value>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let ctx = json!({
        "page_title": lang.t(title_key),
        "body": crate::markdown::render_site_page(&markdown(state, name, lang)),
        "organizations": organisations,
    });
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "pages/page", ctx)?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}

#[get("/about")]
pub async fn about(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let orgs = db(&state, yui_db::organizations::list).await?;
    let orgs = orgs
        .iter()
        .map(|o| {
            let kind = lang.lookup(&format!("about.kind.{}", o.kind)).unwrap_or("");
            let name = o.name_en.clone().filter(|_| lang.code() == "en").unwrap_or_else(|| o.name.clone());
            json!({"name": name, "kind": kind, "description": o.description, "contact": o.contact})
        })
        .collect();
    render(&req, &state, "about", "about.title", orgs)
}

#[get("/privacy")]
pub async fn privacy(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    render(&req, &state, "privacy", "about.privacy", Vec::new())
}

#[get("/terms")]
pub async fn terms(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    render(&req, &state, "terms", "about.terms", Vec::new())
}
