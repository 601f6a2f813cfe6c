//! `/admin/articles`: writers draft feature articles and columns and submit them; a second
//! editor approves. Every step goes through `yui_db::articles` (rules from
//! `yui_domain::articles`, version check, editorial log); a refused step is shown on the
//! article's page in Japanese with 403, 409 or 422.

mod detail;
mod listing;
mod saving;
mod steps;
mod upload;

use self::{detail::*, listing::*, saving::*, steps::*, upload::*};
use super::{admin_page, field, see_other};
use crate::auth::{CanWrite, Fields, StaffForm};
use crate::auth::{Permission, Staff};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde_json::{json, Map, Value};
use yui_db::articles::{Article, ArticleContent, Editor, Refused};
use yui_domain::articles::{
    article_step, may_edit_article, ArticleAction, ArticleDraft, ArticleForm, ArticleKind, ArticleStatus,
    ArticleStepError,
};
use yui_domain::{tokyo, FieldError};

const LIST_LIMIT: i64 = 300;

/// Open postings offered by the editor's title search, newest first.
const POSTING_CHOICES: i64 = 300;

/// The form's fields, in the order the page shows them.
const FIELDS: [&str; 14] = [
    "kind",
    "slug",
    "title",
    "lede",
    "body",
    "hero_alt",
    "sponsor",
    "postings",
    "writer_credit",
    "photographer_credit",
    "editor_credit",
    "publish_at",
    "hero_caption",
    "interviewees",
];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(new_form)
        .service(create)
        .service(show)
        .service(edit)
        .service(act)
        .service(hero)
        .service(body_image);
}

fn editor(staff: &Staff) -> Editor {
    Editor { staff_id: staff.id, organization_id: staff.organization_id, role: staff.role }
}

/// What the page shows besides the article: a message, and for a refused save the field
/// messages and what was typed.
struct Shown<'a> {
    status: StatusCode,
    notice: &'a str,
    errors: &'a [FieldError],
    typed: Option<&'a [(String, String)]>,
}

impl<'a> Shown<'a> {
    fn with(status: StatusCode, notice: &'a str) -> Self {
        Shown { status, notice, errors: &[], typed: None }
    }

    fn failed(status: StatusCode, notice: &'a str, errors: &'a [FieldError]) -> Self {
        Shown { status, notice, errors, typed: None }
    }
}

/// The refusal as the person reads it, with its status.
fn refusal(r: &Refused, lang: Lang) -> (StatusCode, String) {
    match r {
        Refused::Step(ArticleStepError::Role { role, .. }) => {
            (StatusCode::FORBIDDEN, lang.tf("articles.refused.role", &[("role", &role.label(lang.code()))]))
        }
        Refused::Step(ArticleStepError::NotAuthor) => {
            (StatusCode::FORBIDDEN, lang.t("articles.refused.not_author").into())
        }
        Refused::Step(ArticleStepError::OwnArticle) => {
            (StatusCode::FORBIDDEN, lang.t("articles.refused.own_article").into())
        }
        Refused::Step(ArticleStepError::Transition { from, action }) => (
            StatusCode::CONFLICT,
            lang.tf(
                "articles.refused.transition",
                &[("from", &from.label(lang.code())), ("action", &action.label(lang.code()))],
            ),
        ),
        Refused::MayNotEdit => (StatusCode::FORBIDDEN, lang.t("articles.refused.may_not_edit").into()),
        Refused::NoOrder => (StatusCode::UNPROCESSABLE_ENTITY, lang.t("articles.refused.no_order").into()),
        Refused::SlugTaken => (StatusCode::UNPROCESSABLE_ENTITY, lang.t("articles.refused.slug_taken").into()),
        Refused::Stale => (StatusCode::CONFLICT, lang.t("articles.refused.stale").into()),
    }
}
