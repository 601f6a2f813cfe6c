//! A form submission's way in, whatever sent it: the raw bytes are stored, then read and
//! mapped; the result is a pending posting with its two emails (the employer's receipt with
//! the private manage link, the editors' notice), or a quarantined submission with the reason.
//! All of it is one transaction: the sender is answered only after it commits.

use crate::settings::Settings;
use handlebars::Handlebars;
use serde_json::json;
use sha2::{Digest, Sha256};
use yui_db::employers::NewEmployer;
use yui_db::submissions::{self, NewSubmission, Submission, QUARANTINED};
use yui_db::{DbConnection, DbError, DbResult};
use yui_domain::FieldError;
use yui_ingest::mapping::{self, Field, Intake};
use yui_ingest::source::{self, Source};

/// What Yui needs to turn a submission into a posting and its emails.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub settings: &'a Settings,
    pub templates: &'a Handlebars<'static>,
}

/// A delivery whose sender was verified, before anything was stored.
#[derive(Debug)]
pub struct Delivery<'a> {
    pub source: Source,
    /// From a header (Standard Webhooks), else read from the body.
    pub header_id: Option<String>,
    /// The kept headers as a JSON object.
    pub headers: String,
    pub body: &'a [u8],
}

#[derive(Debug)]
pub enum Outcome {
    /// A new pending posting. `manage_url` is the employer's private link (also mailed).
    Accepted { submission_id: i32, posting_id: String, manage_url: String },
    /// This sender's id was seen before: nothing new was created.
    Replayed { submission_id: i32, status: String, posting_id: Option<String>, error: Option<String> },
    /// Kept, but it could not become a posting; editors are told.
    Quarantined { submission_id: i32, problem: Problem },
}

#[derive(Debug)]
pub enum Problem {
    /// Not JSON, or not the sender's documented shape.
    Unreadable(String),
    /// Readable, but required answers are missing or wrong.
    Missing(Vec<FieldError>),
}

impl Problem {
    /// One line for the inbox and the editors.
    pub fn summary(&self) -> String {
        match self {
            Problem::Unreadable(m) => format!("読み取れない内容です: {m}"),
            Problem::Missing(errors) => {
                let items: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}（{}）", field_label(e.field), crate::i18n::Lang::Ja.message(&e.message)))
                    .collect();
                format!("必須の回答が足りません: {}", items.join("、"))
            }
        }
    }
}

/// The question a field code stands for, as docs/forms.md names it.
pub fn field_label(code: &str) -> &'static str {
    match code {
        "salary" => "給与",
        other => other.parse::<Field>().map_or("", Field::label_ja),
    }
}

/// Stores the delivery and processes it, in one transaction.
pub fn receive(conn: &mut DbConnection, ctx: Context<'_>, delivery: Delivery<'_>) -> DbResult<Outcome> {
    let now = yui_db::now();
    // The sender's id is the idempotency key; a body too broken to carry one is keyed by its
    // hash, so the same broken body sent twice is still kept once.
    let external_id = delivery
        .header_id
        .clone()
        .or_else(|| match delivery.source {
            Source::Native => None,
            s => source::parse(s, delivery.body).ok().and_then(|a| a.external_id),
        })
        .filter(|id| !id.trim().is_empty() && id.len() <= 200)
        .unwrap_or_else(|| format!("sha256:{}", hex(&Sha256::digest(delivery.body))));
    yui_db::transaction(conn, |conn| {
        let new = NewSubmission {
            source: delivery.source.code(),
            external_id: &external_id,
            received_at: now,
            headers: &delivery.headers,
            raw_body: delivery.body,
            signature_ok: true,
            status: QUARANTINED,
            error: Some("処理中"),
        };
        match submissions::insert_or_existing(conn, &new)? {
            Ok(stored) => process(conn, ctx, &stored),
            Err(existing) => Ok(Outcome::Replayed {
                submission_id: existing.id,
                posting_id: submissions::posting_public_id(conn, existing.id)?,
                status: existing.status,
                error: existing.error,
            }),
        }
    })
}

/// Re-runs a stored submission with today's mapping: `yui ingest replay ID`, after an editor
/// fixed the mapping of a quarantined one. An accepted submission is left as it is.
pub fn replay(conn: &mut DbConnection, ctx: Context<'_>, submission_id: i32) -> DbResult<Outcome> {
    yui_db::transaction(conn, |conn| {
        let stored = submissions::find(conn, submission_id)?
            .ok_or_else(|| DbError::Invalid(format!("there is no submission {submission_id}")))?;
        if let Some(posting_id) = submissions::posting_public_id(conn, stored.id)? {
            return Ok(Outcome::Replayed {
                submission_id: stored.id,
                status: stored.status,
                posting_id: Some(posting_id),
                error: stored.error,
            });
        }
        process(conn, ctx, &stored)
    })
}

fn read(ctx: Context<'_>, stored: &Submission) -> Result<Intake, Problem> {
    let source = Source::from_code(&stored.source)
        .ok_or_else(|| Problem::Unreadable(format!("unknown source {:?}", stored.source)))?;
    let region = &ctx.settings.ingest.region;
    match source {
        Source::Native => {
            let fields = source::native_fields(&stored.raw_body).map_err(|e| Problem::Unreadable(e.to_string()))?;
            mapping::map_fields(&fields, region).map_err(Problem::Missing)
        }
        webhook => {
            let answers = source::parse(webhook, &stored.raw_body).map_err(|e| Problem::Unreadable(e.to_string()))?;
            let mapping = ctx.settings.ingest.mapping(webhook, answers.form_id.as_deref());
            mapping::map_answers(&answers, &mapping, region).map_err(Problem::Missing)
        }
    }
}

fn process(conn: &mut DbConnection, ctx: Context<'_>, stored: &Submission) -> DbResult<Outcome> {
    let now = yui_db::now();
    let intake = match read(ctx, stored) {
        Ok(intake) => intake,
        Err(problem) => {
            let summary = problem.summary();
            submissions::quarantine(conn, stored.id, &summary)?;
            log::warn!("submission {} ({}) quarantined: {summary}", stored.id, stored.source);
            notify_editors(
                conn,
                ctx,
                "quarantined",
                json!({"submission_id": stored.id, "source": stored.source, "reason": summary}),
            )?;
            return Ok(Outcome::Quarantined { submission_id: stored.id, problem });
        }
    };
    // First write of the accepting path: it claims the submission (see `mark_accepted`).
    submissions::mark_accepted(conn, stored.id)?;
    let Intake { posting, employer } = intake;
    let employer = yui_db::employers::upsert_by_email(
        conn,
        &NewEmployer {
            name: &employer.name,
            contact_name: employer.contact_name.as_deref(),
            email: employer.email.as_str(),
            phone: employer.phone.as_deref(),
            address: None,
            website: employer.website.as_deref(),
            industry: employer.industry.as_deref(),
            organization_id: None,
            created_at: now,
            updated_at: now,
        },
    )?;
    let default_end = now + chrono::Duration::days(i64::from(ctx.settings.default_valid_days));
    let new = yui_db::postings::new_pending(posting, employer.id, Some(stored.id), now, default_end);
    let posting = yui_db::postings::insert(conn, &new)?;
    let manage_url = new_manage_link(conn, ctx, posting.id)?;
    log::info!("submission {} ({}) became pending posting {}", stored.id, stored.source, posting.public_id);

    let site = &ctx.settings.site;
    let vars = json!({
        "site": site,
        "employer_name": employer.name,
        "contact_name": employer.contact_name.clone().unwrap_or_default(),
        "title": posting.title,
        "posting_id": posting.public_id,
        "manage_url": manage_url,
        "source": stored.source,
        "valid_through": crate::views::date(posting.valid_through - chrono::Duration::seconds(1), crate::i18n::Lang::Ja),
    });
    queue_email(conn, ctx, &[&employer.email], "submission_received", &vars)?;
    notify_editors(conn, ctx, "review_waiting", vars)?;
    Ok(Outcome::Accepted { submission_id: stored.id, posting_id: posting.public_id, manage_url })
}

/// A fresh private link for the employer, for a mail about to be sent: only its hash is
/// stored, so each mail carries a new link and the older ones stop working.
pub fn new_manage_link(conn: &mut DbConnection, ctx: Context<'_>, posting_id: i32) -> DbResult<String> {
    let token = crate::tokens::random_token();
    yui_db::postings::set_manage_token_hash(conn, posting_id, &crate::tokens::hash_token(&token))?;
    Ok(format!("{}/manage/{token}", ctx.settings.site.base_url))
}

/// Queues one email to every active editor and admin, rendered from `email/<template>/…`
/// with `vars` plus `site`. With no editor yet, it logs a warning and sends nothing.
pub fn notify_editors(
    conn: &mut DbConnection,
    ctx: Context<'_>,
    template: &str,
    mut vars: serde_json::Value,
) -> DbResult<()> {
    let reviewers = yui_db::staff::reviewer_emails(conn)?;
    if reviewers.is_empty() {
        log::warn!("no active editor to tell about a {template} submission: create one with `yui admin create`");
        return Ok(());
    }
    if let Some(map) = vars.as_object_mut() {
        map.insert("site".into(), serde_json::to_value(&ctx.settings.site).unwrap_or_default());
    }
    let to: Vec<&str> = reviewers.iter().map(String::as_str).collect();
    queue_email(conn, ctx, &to, template, &vars)?;
    Ok(())
}

/// Renders `email/<template>/…` with `vars` and queues it in the outbox, in the caller's
/// transaction, to `to` (all shown in To).
pub fn queue_email(
    conn: &mut DbConnection,
    ctx: Context<'_>,
    to: &[&str],
    template: &str,
    vars: &serde_json::Value,
) -> DbResult<i32> {
    let (subject, text, html) = render_email(ctx, template, vars)?;
    yui_db::outbox::enqueue(
        conn,
        &yui_db::outbox::NewEmail {
            to,
            reply_to: None,
            subject: &subject,
            body_text: &text,
            body_html: Some(&html),
            headers: &[],
        },
    )
}

/// `email/<name>/{subject,body.txt,body.html}`: a subject, a text body and an HTML body.
/// With `"lang": "en"` in `vars`, a mail written for people who may read English (followers,
/// supporters, a seeker's copy) comes from its `*.en` parts; mails to employers and staff have
/// none and stay Japanese whatever the sender read.
pub fn render_email(ctx: Context<'_>, name: &str, vars: &serde_json::Value) -> DbResult<(String, String, String)> {
    let en = vars.get("lang").and_then(|l| l.as_str()) == Some("en")
        && ctx.templates.has_template(&format!("email/{name}/subject.en"));
    let suffix = if en { ".en" } else { "" };
    let render = |part: &str| {
        ctx.templates
            .render(&format!("email/{name}/{part}{suffix}"), vars)
            .map_err(|e| DbError::Invalid(format!("email template {name}/{part}: {e}")))
    };
    Ok((render("subject")?.trim().to_owned(), render("body.txt")?, render("body.html")?))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
