//! A form submission's way in, whatever sent it: the raw bytes are stored, then read and
//! mapped; the result is a pending posting with its two emails (the employer's receipt with
//! the private manage link, the editors' notice), or a quarantined submission with the reason.
//! The bytes are committed first, on their own; processing is a second transaction, and the
//! sender is answered only after it commits.

use crate::settings::Settings;
use sha2::{Digest, Sha256};
use yui_db::employers::NewEmployer;
use yui_db::submissions::{self, NewSubmission, Submission, QUARANTINED};
use yui_db::{DbConnection, DbError, DbResult};
use yui_domain::FieldError;
use yui_ingest::mapping::{self, Field, Intake, Mapping};
use yui_ingest::source::{self, Source};
use yui_mail::letters::employer::SubmissionReceived;
use yui_mail::letters::staff::{Quarantined, ReviewWaiting};
use yui_mail::{Letters, MailError};

/// What Yui needs to turn a submission into a posting and its emails.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub settings: &'a Settings,
    pub letters: &'a Letters,
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

/// Stores the delivery, then processes it. The bytes commit on their own first, so nothing
/// that goes wrong while processing (a mail that cannot be written, a database error) can take
/// them back: the row then stays quarantined as [`submissions::UNPROCESSED`], in the editors'
/// queue and replayable, and the sender's retry processes it again.
pub fn receive(conn: &mut DbConnection, ctx: Context<'_>, delivery: Delivery<'_>) -> Result<Outcome, MailError> {
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
    let new = NewSubmission {
        source: delivery.source.code(),
        external_id: &external_id,
        received_at: now,
        headers: &delivery.headers,
        raw_body: delivery.body,
        signature_ok: true,
        status: QUARANTINED,
        error: Some(submissions::UNPROCESSED),
    };
    let stored = yui_db::transaction(conn, |conn| submissions::insert_or_existing(conn, &new))?;
    let stored = match stored {
        Ok(stored) => stored,
        // A retry of a delivery whose processing failed: finish it now.
        Err(existing) if existing.error.as_deref() == Some(submissions::UNPROCESSED) => existing,
        Err(existing) => return replayed(conn, existing),
    };
    let id = stored.id;
    yui_db::transaction(conn, |conn| {
        // Whoever claims the stored row processes it; a concurrent retry of the same delivery
        // waits for the claim's commit and answers as a replay.
        if !submissions::claim_unprocessed(conn, id)? {
            return Ok(None);
        }
        process(conn, ctx, &stored).map(Some)
    })
    .inspect_err(|e| log::error!("submission {id} ({}) is stored but was not processed: {e}", stored.source))?
    .map_or_else(|| replayed(conn, stored.clone()), Ok)
}

fn replayed(conn: &mut DbConnection, existing: Submission) -> Result<Outcome, MailError> {
    let existing = submissions::find(conn, existing.id)?.unwrap_or(existing);
    Ok(Outcome::Replayed {
        submission_id: existing.id,
        posting_id: submissions::posting_public_id(conn, existing.id)?,
        status: existing.status,
        error: existing.error,
    })
}

/// Re-runs a stored submission with today's mapping: `yui ingest replay ID`, after an editor
/// fixed the mapping of a quarantined one. An accepted submission is left as it is.
pub fn replay(conn: &mut DbConnection, ctx: Context<'_>, submission_id: i32) -> Result<Outcome, MailError> {
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

/// The submission's answers as an intake, its category and district settled to the configured
/// values (see `PortalSettings::settle`).
fn read(conn: &mut DbConnection, ctx: Context<'_>, stored: &Submission) -> DbResult<Result<Intake, Problem>> {
    Ok(read_answers(conn, ctx, stored)?.map(|mut intake| {
        ctx.settings.portal.settle(&mut intake.posting);
        intake
    }))
}

fn read_answers(conn: &mut DbConnection, ctx: Context<'_>, stored: &Submission) -> DbResult<Result<Intake, Problem>> {
    let Some(source) = Source::from_code(&stored.source) else {
        return Ok(Err(Problem::Unreadable(format!("unknown source {:?}", stored.source))));
    };
    let region = &ctx.settings.ingest.region;
    Ok(match source {
        Source::Native => source::native_fields(&stored.raw_body)
            .map_err(|e| Problem::Unreadable(e.to_string()))
            .and_then(|fields| mapping::map_fields(&fields, region).map_err(Problem::Missing)),
        webhook => match source::parse(webhook, &stored.raw_body) {
            Err(e) => Err(Problem::Unreadable(e.to_string())),
            Ok(answers) => {
                let mapping = mapping_for(conn, ctx.settings, webhook, answers.form_id.as_deref())?;
                mapping::map_answers(&answers, &mapping, region).map_err(Problem::Missing)
            }
        },
    })
}

/// The mapping a form's deliveries are read with: the configured one (`[[ingest.mappings]]`),
/// then the rules editors saved in the browser for the source and the form, which win for the
/// same label. The rules are read for every delivery, not cached: they are few, and a rule
/// saved on one instance must hold on all of them at once.
pub fn mapping_for(
    conn: &mut DbConnection,
    settings: &Settings,
    source: Source,
    form_id: Option<&str>,
) -> DbResult<Mapping> {
    let mut mapping = settings.ingest.mapping(source, form_id);
    for rule in yui_db::ingest_mappings::for_form(conn, source.code(), form_id)? {
        match rule.field.parse::<Field>() {
            Ok(field) => mapping.add(field, &[&rule.label]),
            // Only a field code this version no longer has: the rest of the rules still hold.
            Err(e) => log::warn!("ingest mapping {} is skipped: {e}", rule.id),
        }
    }
    Ok(mapping)
}

/// What saving editors' rules for a submission came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedRules {
    NotFound,
    /// Yui's own form, or a body that could not be read: it has no questions to map.
    NoQuestions,
    /// How many rules changed (a rule the mapping already follows changes nothing).
    Saved(usize),
}

/// Saves rules for the source and the form the stored submission came from, as an editor
/// chose them on its page.
pub fn save_rules(
    conn: &mut DbConnection,
    settings: &Settings,
    submission_id: i32,
    rules: &[mapping::Rule],
    actor: yui_db::postings::Actor,
) -> DbResult<SavedRules> {
    yui_db::transaction(conn, |conn| {
        let Some(stored) = submissions::find(conn, submission_id)? else { return Ok(SavedRules::NotFound) };
        let Some((source, answers)) = Source::from_code(&stored.source)
            .filter(|s| *s != Source::Native)
            .and_then(|s| source::parse(s, &stored.raw_body).ok().map(|a| (s, a)))
        else {
            return Ok(SavedRules::NoQuestions);
        };
        let form_id = answers.form_id.as_deref();
        let current = mapping_for(conn, settings, source, form_id)?;
        let now = yui_db::now();
        let mut changed = 0;
        for rule in rules.iter().filter(|r| current.field_for(r.label()) != Some(r.field())) {
            let new = yui_db::ingest_mappings::NewRule {
                source: source.code(),
                form_id: form_id.unwrap_or(yui_db::ingest_mappings::EVERY_FORM),
                label: rule.label(),
                label_key: &rule.key(),
                field: rule.field().code(),
            };
            if yui_db::ingest_mappings::set(conn, &new, actor, now)? {
                changed += 1;
            }
        }
        Ok(SavedRules::Saved(changed))
    })
}

fn process(conn: &mut DbConnection, ctx: Context<'_>, stored: &Submission) -> Result<Outcome, MailError> {
    let now = yui_db::now();
    let intake = match read(conn, ctx, stored)? {
        Ok(intake) => intake,
        Err(problem) => {
            let summary = problem.summary();
            submissions::quarantine(conn, stored.id, &summary)?;
            log::warn!("submission {} ({}) quarantined: {summary}", stored.id, stored.source);
            let reason = &summary;
            ctx.letters.quarantined(conn, &Quarantined { source: &stored.source, submission_id: stored.id, reason })?;
            return Ok(Outcome::Quarantined { submission_id: stored.id, problem });
        }
    };
    // First write of the accepting path: it claims the submission (see `mark_accepted`).
    submissions::mark_accepted(conn, stored.id)?;
    let Intake { posting, employer } = intake;
    let employer = yui_db::employers::upsert_by_email(conn, &new_employer(&employer, now))?;
    let default_end = now + chrono::Duration::days(i64::from(ctx.settings.default_valid_days));
    let new = yui_db::postings::new_pending(posting, employer.id, Some(stored.id), now, default_end);
    let posting = yui_db::postings::insert(conn, &new)?;
    log::info!("submission {} ({}) became pending posting {}", stored.id, stored.source, posting.public_id);
    let manage_url = mail_receipt(conn, ctx, &posting, &employer, &employer.email, &stored.source)?;
    Ok(Outcome::Accepted { submission_id: stored.id, posting_id: posting.public_id, manage_url })
}

/// The employer as a form describes them, for storing.
pub fn new_employer(draft: &yui_ingest::mapping::EmployerDraft, now: chrono::NaiveDateTime) -> NewEmployer<'_> {
    NewEmployer {
        name: &draft.name,
        contact_name: draft.contact_name.as_deref(),
        email: draft.email.as_str(),
        phone: draft.phone.as_deref(),
        address: None,
        website: draft.website.as_deref(),
        industry: draft.industry.as_deref(),
        organization_id: None,
        created_at: now,
        updated_at: now,
    }
}

/// The receipt of a new pending posting, with a fresh private manage link, to `to`; and the
/// editors' notice that it waits (`source` says how it came). Returns the link.
pub fn mail_receipt(
    conn: &mut DbConnection,
    ctx: Context<'_>,
    posting: &yui_db::postings::Posting,
    employer: &yui_db::employers::Employer,
    to: &str,
    source: &str,
) -> Result<String, MailError> {
    let manage_url = new_manage_link(conn, ctx, posting.id)?;
    let valid_through = crate::views::date(posting.valid_through - chrono::Duration::seconds(1), crate::i18n::Lang::Ja);
    let receipt = SubmissionReceived {
        employer_name: &employer.name,
        contact_name: employer.contact_name.as_deref(),
        title: &posting.title,
        valid_through: &valid_through,
        manage_url: &manage_url,
    };
    ctx.letters.submission_received(conn, to, &receipt)?;
    let notice =
        ReviewWaiting { title: &posting.title, employer_name: &employer.name, source, posting_id: &posting.public_id };
    ctx.letters.review_waiting(conn, &notice)?;
    Ok(manage_url)
}

/// The legal items a draft from Yui's own forms leaves unstated, as messages next to their
/// fields: the employer is there to fill them in. (A form tool's submission with gaps still
/// becomes a pending posting: then the editors decide.)
pub fn gap_errors(draft: &yui_domain::PostingDraft) -> Vec<yui_domain::FieldError> {
    draft.gaps().into_iter().map(|gap| yui_domain::FieldError::new(gap.field(), gap.message())).collect()
}

/// A fresh private link for the employer, for a mail about to be sent: only its hash is
/// stored, so each mail carries a new link and the older ones stop working.
pub fn new_manage_link(conn: &mut DbConnection, ctx: Context<'_>, posting_id: i32) -> DbResult<String> {
    let token = crate::tokens::random_token();
    yui_db::postings::set_manage_token_hash(conn, posting_id, &crate::tokens::hash_token(&token))?;
    Ok(format!("{}/manage/{token}", ctx.settings.site.base_url))
}

/// Settles the category and district of every stored posting to the configured choice (`yui
/// ingest settle-choices`): for postings stored before answers were settled on the way in, or
/// after a synonym was added. Each change is a correction in the review log, by nobody in
/// particular. Returns the public ids changed.
pub fn settle_stored_choices(conn: &mut DbConnection, settings: &Settings) -> DbResult<Vec<String>> {
    let portal = &settings.portal;
    let mut changed = Vec::new();
    for (id, version, category, area) in yui_db::postings::choice_values(conn)? {
        let (new_category, new_area) =
            (portal.settled_category(category.as_deref()), portal.settled_area(area.as_deref()));
        if (&new_category, &new_area) == (&category, &area) {
            continue;
        }
        let posting = yui_db::postings::find_by_id(conn, id)?;
        let mut content = yui_db::postings::PostingContent::load(conn, &posting)?;
        (content.category, content.area) = (new_category, new_area);
        let actor = yui_db::postings::Actor::default();
        let (updated, _) = yui_db::postings::update_content(conn, id, version, &content, "edit", actor, yui_db::now())?;
        changed.push(updated.public_id);
    }
    Ok(changed)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
