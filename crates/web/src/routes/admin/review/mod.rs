//! The review queue: what waits (and corrections proposed for published postings), one
//! posting's review page, and the decisions. Every decision
//! goes through `apply_action` (version check + review event) and, where the employer must
//! know, queues their email in the same transaction.

mod correct;
mod decide;
mod employer_link;
mod note;
mod posting_page;
mod queue_page;
mod revision;

use self::{correct::*, posting_page::*, revision::revision_view};
use super::{admin_page, field, see_other};
use crate::auth::{CanReview, Fields, StaffForm};
use crate::auth::{Permission, Staff};
use crate::error::WebError;
use crate::handler::{db, db_mail};
use crate::i18n::Lang;
use crate::intake;
use crate::state::AppState;
use crate::views::{self, PostingDetail};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use yui_db::postings::{PostingContent, Reason};
use yui_db::review::{LogLine, QueueItem};
use yui_db::{DbConnection, DbError};
use yui_domain::disclosure::{self, PostingFields};
use yui_domain::{
    event_label, Approval, ApprovalBlock, ChangeReason, PostingAction, PostingStatus, PublicId, RejectReason,
    LEGAL_OVERRIDE,
};
use yui_mail::letters::employer::{ChangesRequested, PostingPublished, PostingRejected};
use yui_mail::MailError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(queue_page::queue)
        .service(posting_page::show)
        .service(decide::act)
        .service(employer_link::link_employer);
}

fn age(created: chrono::NaiveDateTime, now: chrono::NaiveDateTime, lang: Lang) -> String {
    let hours = (now - created).num_hours().max(0);
    match hours {
        0..=23 => lang.tf("review.age.hours", &[("n", &hours)]),
        _ => lang.tf("review.age.days", &[("n", &(hours / 24))]),
    }
}

fn source_label(source: Option<&str>, lang: Lang) -> &'static str {
    match source {
        Some("google_forms") => lang.t("review.source.google_forms"),
        Some("tally") => "Tally",
        Some("typeform") => "Typeform",
        Some("standard") => "Webhook",
        Some("native") => lang.t("review.source.native"),
        Some("hellowork") => lang.t("hellowork.label"),
        _ => "—",
    }
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
