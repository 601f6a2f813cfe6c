//! `[editorial]`: the paid plans of feature articles, the publication rule, and the size of
//! hero images (kept in the database: `yui_db::media`).

use std::path::PathBuf;

#[derive(Debug, serde::Deserialize)]
pub(crate) struct RawEditorial {
    require_order: bool,
    tax_rate_percent: u32,
    /// Where images were kept before they moved into the database; read by `yui media import`.
    #[serde(default)]
    media_dir: Option<String>,
    max_image_bytes: usize,
    #[serde(default)]
    plans: Vec<Plan>,
}

/// A priced plan for feature articles (取材記事 スタンダード, …). `code` is stored on orders.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Plan {
    pub code: String,
    pub ja: String,
    #[serde(default)]
    pub en: String,
    pub price_yen: i64,
}

impl Plan {
    pub fn label(&self, lang: &str) -> &str {
        if lang == "en" && !self.en.is_empty() {
            &self.en
        } else {
            &self.ja
        }
    }
}

#[derive(Debug, Clone)]
pub struct EditorialSettings {
    /// A feature article cannot be published before its order is placed (ordered or later).
    pub require_order: bool,
    pub tax_rate_percent: u32,
    /// The directory earlier versions kept uploaded images in, when the operator's settings
    /// still name it: `yui media import` loads it, and `serve` refuses to start while it holds
    /// images not imported yet (they would answer 404).
    pub legacy_media_dir: Option<PathBuf>,
    pub max_image_bytes: usize,
    pub plans: Vec<Plan>,
}

impl EditorialSettings {
    pub fn plan(&self, code: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.code == code)
    }

    pub(crate) fn parse(raw: RawEditorial) -> Result<Self, (&'static str, String)> {
        if raw.tax_rate_percent > 100 {
            return Err(("editorial.tax_rate_percent", "must be between 0 and 100".into()));
        }
        if !(10 * 1024..=50 * 1024 * 1024).contains(&raw.max_image_bytes) {
            return Err(("editorial.max_image_bytes", "must be between 10240 and 52428800".into()));
        }
        for (i, plan) in raw.plans.iter().enumerate() {
            if plan.code.trim().is_empty() || plan.ja.trim().is_empty() || plan.price_yen < 0 {
                return Err(("editorial.plans", format!("plan {} needs a code, a ja name and a price ≥ 0", i + 1)));
            }
            if raw.plans[..i].iter().any(|p| p.code == plan.code) {
                return Err(("editorial.plans", format!("the code {:?} is used twice", plan.code)));
            }
        }
        Ok(EditorialSettings {
            require_order: raw.require_order,
            tax_rate_percent: raw.tax_rate_percent,
            legacy_media_dir: raw.media_dir.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(PathBuf::from),
            max_image_bytes: raw.max_image_bytes,
            plans: raw.plans,
        })
    }
}
