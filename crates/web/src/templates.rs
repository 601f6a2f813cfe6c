//! Templates, locales and static files, embedded in the binary so `target/release/yui` runs
//! anywhere. Templates hold no logic beyond loops and conditionals: views are prepared in Rust.

use crate::i18n::{query_pairs, Lang};
use crate::settings::SiteSettings;
use actix_web::HttpRequest;
use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason};

#[derive(rust_embed::RustEmbed)]
#[folder = "../../templates/"]
pub struct Assets;

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("template {name}: {source}")]
    Template { name: String, source: Box<handlebars::TemplateError> },
    #[error("locale {name}: {message}")]
    Locale { name: String, message: String },
}

/// Builds the registry from every embedded `*.hbs` file, named by its path without extension
/// (`portal/home`, `layouts/base`, `partials/posting_card`). Emails (`email/`) are yui_mail's letters.
pub fn registry() -> Result<Handlebars<'static>, TemplateError> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    for path in Assets::iter().filter(|p| p.ends_with(".hbs") && !p.starts_with("email/")) {
        let file = Assets::get(&path)
            .ok_or_else(|| TemplateError::Locale { name: path.to_string(), message: "vanished".into() })?;
        let source = String::from_utf8_lossy(&file.data);
        let name = path.trim_end_matches(".hbs");
        hb.register_template_string(name, source)
            .map_err(|e| TemplateError::Template { name: name.to_owned(), source: Box::new(e) })?;
    }
    crate::i18n::check_locales().map_err(|(name, message)| TemplateError::Locale { name, message })?;
    hb.register_helper("t", Box::new(Translate));
    Ok(hb)
}

/// `{{t "key"}}` prints the message for the page's language; `{{t "key" n=3}}` fills `{n}`.
/// A missing key is an error, so a test that renders the page catches it.
struct Translate;

impl HelperDef for Translate {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let key =
            h.param(0).and_then(|p| p.value().as_str()).ok_or(RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
        let lang = if ctx.data().get("lang").and_then(|v| v.as_str()) == Some("en") { Lang::En } else { Lang::Ja };
        let mut text =
            lang.lookup(key).ok_or_else(|| RenderErrorReason::Other(format!("no message {key:?}")))?.to_owned();
        for (name, value) in h.hash() {
            let value = match value.value() {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            text = text.replace(&format!("{{{name}}}"), &value);
        }
        out.write(&handlebars::html_escape(&text))?;
        Ok(())
    }
}

/// Renders a full page: the handler's context plus what every page needs (language, site,
/// the link to the same page in the other language).
pub fn render_page(
    hb: &Handlebars<'static>,
    site: &SiteSettings,
    req: &HttpRequest,
    lang: Lang,
    template: &str,
    mut ctx: serde_json::Value,
) -> Result<String, handlebars::RenderError> {
    let other = lang.other();
    let mut pairs: Vec<(String, String)> = query_pairs(req.query_string()).filter(|(k, _)| k != "lang").collect();
    pairs.push(("lang".into(), other.code().into()));
    let switch_href = format!("{}?{}", req.path(), serde_urlencoded::to_string(&pairs).unwrap_or_default());
    if let Some(map) = ctx.as_object_mut() {
        map.insert("lang".into(), lang.code().into());
        map.insert("site".into(), serde_json::to_value(site).unwrap_or_default());
        map.insert("lang_switch".into(), serde_json::json!({"href": switch_href, "label": other.t("lang.name")}));
        map.insert("canonical".into(), format!("{}{}", site.base_url, req.path()).into());
        map.entry("robots").or_insert_with(|| "index,follow".into());
        // Every page has a title and a description of its own. What a handler does not give
        // comes from the locale (`page.<template>.title` / `.description`); a description then
        // falls back to the page's share text, and last to the site's.
        let key = template.replace('/', ".");
        let region = |text: &str| text.replace("{region}", &site.region);
        if map.get("page_title").is_none_or(serde_json::Value::is_null) {
            if let Some(title) = lang.lookup(&format!("page.{key}.title")) {
                map.insert("page_title".into(), region(title).into());
            }
        }
        if map.get("meta_description").is_none_or(serde_json::Value::is_null) {
            let described = lang
                .lookup(&format!("page.{key}.description"))
                .map(region)
                .or_else(|| map.get("og").and_then(|og| og["description"].as_str()).map(str::to_owned))
                .unwrap_or_else(|| region(lang.t("site.description")));
            map.insert("meta_description".into(), described.into());
        }
    }
    // Handed over, not borrowed: `render` would copy the whole context first.
    hb.render_with_context(template, &handlebars::Context::from(ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let hb = registry().unwrap();
        for name in ["layouts/base", "portal/home", "portal/jobs", "portal/job", "errors/error"] {
            assert!(hb.has_template(name), "{name} missing");
        }
    }

    #[test]
    fn the_t_helper_fills_placeholders_and_escapes() {
        let mut hb = registry().unwrap();
        hb.register_template_string("probe", "{{t \"jobs.count\" n=count}}").unwrap();
        let ja = hb.render("probe", &serde_json::json!({"lang": "ja", "count": 12})).unwrap();
        let en = hb.render("probe", &serde_json::json!({"lang": "en", "count": 12})).unwrap();
        assert!(ja.contains("12"), "{ja}");
        assert!(en.contains("12"), "{en}");
        assert_ne!(ja, en);
        hb.register_template_string("missing", "{{t \"no.such.key\"}}").unwrap();
        assert!(hb.render("missing", &serde_json::json!({"lang": "ja"})).is_err());
    }
}
