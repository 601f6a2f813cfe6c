//! `GET /admin/review/{id}`: one posting with its disclosure warnings, its log and the decision forms.

use super::*;

/// What the checks (`yui_domain::disclosure`) read of a posting, its terms and its employer.
fn disclosure_fields<'a>(item: &'a QueueItem, terms: &'a yui_domain::WorkingTerms) -> PostingFields<'a> {
    let (p, e) = (&item.posting, &item.employer);
    PostingFields {
        employment_type: p.employment_type,
        remote: p.remote,
        salary: p.salary(),
        description: &p.description,
        hours: p.hours.as_deref(),
        holidays: p.holidays.as_deref(),
        insurance: p.insurance.as_deref(),
        trial_period: p.trial_period.as_deref(),
        smoking: p.smoking.as_deref(),
        address: p.address.as_deref(),
        how_to_apply: &p.how_to_apply,
        terms,
        valid_through: p.valid_through,
        employer_phone: e.phone.as_deref(),
        employer_website: e.website.as_deref(),
    }
}

/// The legal items the posting leaves unstated, as the page names them: the item and its rule.
pub(super) fn legal_gaps(item: &QueueItem) -> Vec<yui_domain::disclosure::Gap> {
    let terms = item.terms.terms();
    disclosure::gaps(&disclosure_fields(item, &terms))
}

/// A category or district that names no configured choice, and the choices to settle it with
/// one click.
fn choice_warnings(state: &AppState, p: &yui_db::postings::Posting, lang: Lang) -> Vec<Value> {
    let portal = &state.settings.portal;
    let options = |list: &[crate::settings::portal::Choice]| -> Vec<Value> {
        list.iter().map(|c| json!({"code": c.code, "label": c.label(lang.code())})).collect()
    };
    let mut out = Vec::new();
    if let Some(typed) = p.category.as_deref().filter(|c| portal.category_of(c).is_none()) {
        out.push(json!({
            "text": lang.tf("review.choice.category", &[("value", &typed)]),
            "field": "category",
            "label": lang.t("job.category"),
            "options": options(&portal.categories),
        }));
    }
    if let Some(typed) = p.area.as_deref().filter(|a| portal.area_of(a).is_none()) {
        out.push(json!({
            "text": lang.tf("review.choice.area", &[("value", &typed)]),
            "field": "area",
            "label": lang.t("job.area"),
            "options": options(&portal.areas),
        }));
    }
    out
}

/// Whether the posting's place is outside the prefecture and municipality of `[site] region`.
fn outside_region(state: &AppState, p: &yui_db::postings::Posting) -> bool {
    let region = &state.settings.ingest.region;
    let differs = |stored: &str, ours: &str| !stored.is_empty() && !ours.is_empty() && stored != ours;
    differs(&p.prefecture, &region.prefecture) || differs(&p.municipality, &region.municipality)
}

fn log_rows(log: &[LogLine], lang: Lang) -> Vec<Value> {
    log.iter()
        .map(|l| {
            let reason = l.reason_code.as_deref().and_then(|c| {
                c.parse::<RejectReason>()
                    .map(|r| r.label(lang.code()))
                    .ok()
                    .or_else(|| c.parse::<ChangeReason>().map(|r| r.label(lang.code())).ok())
                    .or_else(|| (c == LEGAL_OVERRIDE).then(|| lang.t("review.reason.legal_override")))
            });
            let diff: Vec<Value> = l
                .diff
                .as_deref()
                .and_then(|d| serde_json::from_str::<serde_json::Map<String, Value>>(d).ok())
                .map(|m| {
                    m.into_iter()
                        .map(|(field, change)| {
                            let text = |v: Option<&Value>| match v {
                                Some(Value::String(s)) => s.clone(),
                                Some(Value::Null) | None => lang.t("review.diff.none").into(),
                                Some(other) => other.to_string(),
                            };
                            json!({"field": crate::intake::field_label(&field), "from": text(change.get("from")), "to": text(change.get("to"))})
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "at": views::date(l.created_at, lang),
                "action": event_label(&l.action, lang.code()),
                "who": l.actor_name.clone().unwrap_or_else(|| if l.reason_code.as_deref() == Some("employer") || l.action == "employer_edit" || l.action == "resubmit" { lang.t("review.by.employer").into() } else { lang.t("review.by.system").into() }),
                "reason": reason.unwrap_or(""),
                "text": l.reason_text.clone().unwrap_or_default(),
                "diff": diff,
            })
        })
        .collect()
}

/// Why this editor may not approve, if they may not (conflict of interest, four eyes).
pub(super) fn approval_block(
    state: &AppState,
    staff: &Staff,
    item: &QueueItem,
    log: &[LogLine],
    lang: Lang,
) -> Option<&'static str> {
    let rules = &state.settings.review;
    let approval = Approval {
        block_own_organization: rules.block_own_organization,
        four_eyes: rules.four_eyes,
        approver_id: staff.id,
        approver_organization_id: staff.organization_id,
        employer_organization_id: item.employer.organization_id,
        last_editor_id: yui_db::review::last_editor(log),
        entered_by_id: yui_db::review::entered_by(log),
    };
    yui_domain::approval_block(&approval).map(|block| match block {
        ApprovalBlock::OwnOrganization => lang.t("review.block.own_organization"),
        ApprovalBlock::OwnEdit => lang.t("review.block.own_edit"),
        ApprovalBlock::OwnEntry => lang.t("review.block.own_entry"),
    })
}

pub(super) async fn review_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    public_id: String,
    shown: Shown<'_>,
) -> Result<HttpResponse, WebError> {
    let Shown { status, notice, edit_errors, typed } = shown;
    let lang = Lang::of_request(req);
    let id = public_id.clone();
    let (item, log, orgs, revision, mail_holder, (origin, note)) = db(state, move |conn| {
        let Some(item) = yui_db::review::find(conn, &id)? else { return Ok(None) };
        let log = yui_db::review::log(conn, item.posting.id)?;
        let revision = yui_db::revisions::find(conn, item.posting.id)?;
        let holder = yui_db::employers::mail_holder(conn, item.employer.id)?.map(|(_, email)| email);
        let curation =
            (yui_db::hellowork::origin_of(conn, item.posting.id)?, yui_db::hellowork::note_of(conn, item.posting.id)?);
        Ok(Some((item, log, yui_db::organizations::list(conn)?, revision, holder, curation)))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    let now = yui_db::now();
    let orgs: Vec<Value> = orgs
        .iter()
        .map(|o| json!({"slug": o.slug, "name": o.name, "selected": item.employer.organization_id == Some(o.id)}))
        .collect();
    let p = &item.posting;
    let decidable = p.status == PostingStatus::Pending;
    let block = approval_block(state, staff, &item, &log, lang);
    // The edit form starts from the stored content, or from what the editor just typed.
    let mut values = serde_json::Map::new();
    let content =
        serde_json::to_value(PostingContent::of(p, item.terms.clone(), item.project.clone(), item.conditions.clone()))
            .unwrap_or_default();
    for f in yui_ingest::mapping::Field::ALL {
        let stored = match (f.code(), content.get(f.code())) {
            ("valid_through", _) => views::date_iso(p.valid_through - chrono::Duration::seconds(1)),
            (_, Some(Value::String(s))) => s.clone(),
            (_, Some(Value::Number(n))) => n.to_string(),
            _ => String::new(),
        };
        let typed_value = typed.and_then(|t| field(t, f.code())).map(str::to_owned);
        values.insert(f.code().into(), typed_value.unwrap_or(stored).into());
    }
    // Checkboxes: every ticked one, as typed or as stored.
    let conditions = match typed {
        Some(t) => crate::forms::values(t, "conditions"),
        None => item.conditions.clone(),
    };
    values.insert("conditions".into(), conditions.into());
    let ctx = json!({
        "page_title": p.title,
        "notice": notice,
        "posting": PostingDetail::new(p, &item.employer, &state.settings.portal, lang)
            .with_conditions(&item.conditions, lang),
        "public_id": p.public_id,
        "status": p.status.label(lang.code()),
        "version": p.version,
        "source": match yui_db::review::entered_by(&log) {
            Some(_) => yui_domain::event_label(yui_db::staff_entry::STAFF_ENTRY, lang.code()),
            None => source_label(item.source.as_deref(), lang),
        },
        "received": views::date(p.created_at, lang),
        "orgs": orgs,
        "own_link": (!yui_domain::may_change_employer_link(item.employer.organization_id, staff.organization_id))
            .then(|| lang.t("review.block.own_link")),
        "employer": {
            "id": item.employer.id,
            "linked": item.employer.organization_id.is_some(),
            "name": item.employer.name,
            "contact_name": item.employer.contact_name,
            // An employer without email: whose address their mail goes to instead.
            "email": match &mail_holder {
                Some(email) => lang.tf("staff_entry.mail_via", &[("email", email)]),
                None => item.employer.email.clone(),
            },
            "phone": item.employer.phone,
        },
        "gaps_need_reason": disclosure::approval_needs_reason(
            disclosure::Origin::of_source(item.source.as_deref()),
            &legal_gaps(&item),
        ),
        "hellowork": origin.as_ref().map(|o| views::hellowork_origin(o, lang)),
        "note": note.unwrap_or_default(),
        "gaps": legal_gaps(&item)
            .into_iter()
            .map(|gap| json!({
                "text": lang.lookup(&format!("review.gap.{}", gap.code())).unwrap_or(gap.code()),
                "rule": lang.lookup(&format!("review.rule.{}", gap.rule().code())).unwrap_or(""),
            }))
            .collect::<Vec<_>>(),
        "warnings": disclosure::warnings(&disclosure_fields(&item, &item.terms.terms()), now)
            .into_iter()
            .map(|code| lang.lookup(&format!("review.warning.{code}")).unwrap_or(code).to_owned())
            .chain(outside_region(state, p).then(|| {
                lang.tf("review.warning.outside_region", &[("region", &state.settings.site.region)])
            }))
            .collect::<Vec<_>>(),
        "choice_warnings": choice_warnings(state, p, lang),
        "terms": views::terms_rows(&item.terms.terms(), p.trial_period.as_deref(), lang),
        "project": views::project_rows(&item.project.terms(), lang),
        "log": log_rows(&log, lang),
        "decidable": decidable,
        "revision": revision.as_ref().map(|r| revision_view(state, &item, r, lang)),
        "approval_block": block.unwrap_or(""),
        "is_public": p.is_public_at(now),
        "reject_reasons": RejectReason::ALL.iter().map(|r| json!({"code": r.code(), "label": r.label(lang.code())})).collect::<Vec<_>>(),
        "change_reasons": ChangeReason::ALL.iter().map(|r| json!({"code": r.code(), "label": r.label(lang.code())})).collect::<Vec<_>>(),
        "editable": matches!(p.status, PostingStatus::Pending | PostingStatus::ChangesRequested | PostingStatus::Published),
    });
    let mut ctx = ctx;
    if let Some(map) = ctx.as_object_mut() {
        map.extend(views::staff_posting_form(&values, edit_errors, &state.settings.portal, lang));
    }
    admin_page(req, state, staff, status, "admin/posting", ctx).await
}

#[get("/admin/review/{id}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<String>,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let id = PublicId::parse(&path).ok_or(WebError::NotFound)?.to_string();
    let done = crate::i18n::query_pairs(req.query_string()).find(|(k, _)| k == "done").map(|(_, v)| v);
    let lang = Lang::of_request(&req);
    let notice = match done.as_deref() {
        Some("approve") => lang.t("review.done.approve"),
        Some("request_changes") => lang.t("review.done.request_changes"),
        Some("reject") => lang.t("review.done.reject"),
        Some("edit") => lang.t("review.done.edit"),
        Some("staff_entry") => lang.t("review.done.staff_entry"),
        Some("apply_revision") => lang.t("review.done.apply_revision"),
        Some("decline_revision") => lang.t("review.done.decline_revision"),
        Some("note") => lang.t("review.done.note"),
        _ => "",
    };
    review_page(&req, &state, &staff, id, Shown::with(StatusCode::OK, notice)).await
}
