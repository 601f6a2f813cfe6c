//! `POST /manage/{token}/edit`: the employer corrects the content and sends it back for review,
//! or, once published, proposes the correction for the editors to apply.

use super::*;

/// The new content from the corrected form. What the employer left as it was keeps its
/// stored value exactly: the place (parsed back from one line it could come out split
/// differently) and the end (the form shows a day, the posting may end at another hour).
fn content_from(
    p: &Posting,
    terms: &TermsContent,
    project: &ProjectContent,
    mut draft: yui_domain::PostingDraft,
    typed: &[(String, String)],
) -> PostingContent {
    let before = prefill(p, terms);
    let unchanged = |name: &str| value_of(typed, name).trim() == value_of(&before, name).trim();
    if unchanged("valid_through") {
        draft.valid_through = None;
    }
    // An empty last day keeps the current end.
    let mut content = PostingContent::from_draft(draft, p.valid_through);
    if unchanged("location") {
        content.prefecture = p.prefecture.clone();
        content.municipality = p.municipality.clone();
        content.address = p.address.clone();
    }
    // A form from before the district was asked keeps the stored one.
    if !typed.iter().any(|(name, _)| name == "area") {
        content.area = p.area.clone();
    }
    // So does one from before the project terms were asked (a revision proposed then).
    if !typed.iter().any(|(name, _)| crate::views::PROJECT_FIELDS.contains(&name.as_str())) {
        content.project = project.clone();
    }
    content
}

/// The content the form's fields make for this posting: with the employer's name and email
/// (not edited here, but the parser wants them), parsed like /submit, the choices settled, and
/// what was left as it was kept as stored. The one way from typed fields to content: a
/// correction before publication, a proposed one, and an editor applying it all go through here.
/// The employer's form asks every legal item, so what they left out is marked as on /submit.
pub(crate) fn content_of_fields(
    state: &AppState,
    posting: &Posting,
    terms: &TermsContent,
    project: &ProjectContent,
    employer: &Employer,
    typed: &[(String, String)],
) -> Result<PostingContent, Vec<FieldError>> {
    content_of_fields_from(state, posting, terms, project, employer, typed, yui_domain::disclosure::Origin::Employer)
}

/// [`content_of_fields`] for a posting of `origin`: a Hello Work update's gaps are not refused
/// ([`yui_domain::disclosure::approval_needs_reason`]).
pub(crate) fn content_of_fields_from(
    state: &AppState,
    posting: &Posting,
    terms: &TermsContent,
    project: &ProjectContent,
    employer: &Employer,
    typed: &[(String, String)],
    origin: yui_domain::disclosure::Origin,
) -> Result<PostingContent, Vec<FieldError>> {
    let mut with_employer = typed.to_vec();
    with_employer.push(("employer_name".into(), employer.name.clone()));
    with_employer.push(("email".into(), employer.email.clone()));
    let mut draft = mapping::map_fields(&with_employer, &state.settings.ingest.region)?.posting;
    let gaps = intake::gap_errors(&draft);
    if yui_domain::disclosure::approval_needs_reason(origin, &draft.gaps()) {
        return Err(gaps);
    }
    state.settings.portal.settle(&mut draft);
    Ok(content_from(posting, terms, project, draft, typed))
}

/// A published posting's correction: stored as the open revision (replacing an earlier one)
/// for the editors to apply or decline, and the editors told, in one transaction. The public
/// content does not change here. A proposal equal to the public content withdraws the revision.
async fn propose(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    token: &str,
    loaded: &Loaded,
    version: i32,
    typed: Vec<(String, String)>,
    content: PostingContent,
) -> Result<HttpResponse, WebError> {
    let posting = &loaded.posting;
    let diff = PostingContent::of(posting, loaded.terms.clone(), loaded.project.clone(), loaded.conditions.clone())
        .diff(&content);
    let (id, public_id, title) = (posting.id, posting.public_id.clone(), posting.title.clone());
    let employer_name = loaded.employer.name.clone();
    let (app, fields) = (state.clone(), typed.clone());
    let saved = db_mail(state, move |conn| {
        yui_db::transaction(conn, |conn| {
            if diff.is_empty() {
                yui_db::revisions::withdraw(conn, id)?;
                return Ok(0);
            }
            yui_db::revisions::propose(conn, id, version, &fields, &diff, yui_db::now())?;
            let changed: Vec<&str> = diff.keys().map(|k| column_label(k)).collect();
            let notice = RevisionProposed {
                title: &title,
                employer_name: &employer_name,
                posting_id: &public_id,
                changed: &changed,
            };
            app.letters.revision_proposed(conn, &notice)?;
            Ok(diff.len())
        })
    })
    .await;
    match saved {
        Ok(changed) => {
            log::info!(
                "posting {}: its employer proposed a correction ({changed} field(s) changed)",
                posting.public_id
            );
            Ok(back_to_page(req, token))
        }
        Err(e) if is_conflict(&e) => conflict(req, state, token, Some(&typed)).await,
        Err(e) => Err(e),
    }
}

/// `POST`: the corrected content, checked like /submit; saved, and when the editors asked for
/// changes, sent back for review, with the editors told (one transaction). `GET` (a language
/// switch on the re-shown form) goes back to the page.
#[route("/manage/{token}/edit", method = "GET", method = "POST")]
pub async fn edit(
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    if req.method() == Method::GET {
        let query = match req.query_string() {
            "" => String::new(),
            q => format!("?{q}"),
        };
        // The path as it came, still percent-encoded: the decoded token may hold anything
        // (a line break), and a header cannot.
        let page = req.path().strip_suffix("/edit").unwrap_or("/manage");
        return Ok(private(&mut HttpResponse::SeeOther())
            .insert_header((header::LOCATION, format!("{page}{query}")))
            .finish());
    }
    let Some(loaded) = load(&state, &token).await? else {
        return link_not_found(&req, &state);
    };
    let fields = crate::forms::fields(&body)?;
    // Only the posting's own fields: the employer is not changed here.
    let typed: Vec<(String, String)> =
        fields.iter().filter(|(k, _)| editable_fields().any(|f| f == k)).cloned().collect();
    let posting = &loaded.posting;
    if !editable(posting.status) {
        return conflict(&req, &state, &token, None).await;
    }
    if !crate::forms::csrf_ok(&req, &state.settings.secret_key, Some(value_of(&fields, csrf::FIELD))) {
        let view = View {
            status: StatusCode::FORBIDDEN,
            notice_key: "manage.notice.expired_form",
            typed: Some(&typed),
            ..View::default()
        };
        return render(&req, &state, &token, &loaded, view);
    }
    let version: i32 = value_of(&fields, "version").trim().parse().map_err(|_| not_allowed())?;
    if version != posting.version {
        return conflict(&req, &state, &token, Some(&typed)).await;
    }
    let content = match content_of_fields(&state, posting, &loaded.terms, &loaded.project, &loaded.employer, &typed) {
        Ok(content) => content,
        Err(errors) => {
            let view = View {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                typed: Some(&typed),
                errors: &errors,
                ..View::default()
            };
            return render(&req, &state, &token, &loaded, view);
        }
    };
    if posting.status == PostingStatus::Published {
        return propose(&req, &state, &token, &loaded, version, typed, content).await;
    }
    let (id, public_id, employer_name) = (posting.id, posting.public_id.clone(), loaded.employer.name.clone());
    let app = state.clone();
    let saved = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let now = yui_db::now();
            let (updated, diff) =
                yui_db::postings::update_content(conn, id, version, &content, "employer_edit", Actor::default(), now)?;
            let resubmitted = updated.status == PostingStatus::ChangesRequested;
            if resubmitted {
                yui_db::postings::apply_action(
                    conn,
                    id,
                    updated.version,
                    PostingAction::Resubmit,
                    Actor::default(),
                    Reason { code: Some(EMPLOYER), text: None },
                    now,
                )?;
            }
            if resubmitted || !diff.is_empty() {
                let changed: Vec<&str> = diff.keys().map(|k| column_label(k)).collect();
                let notice = ChangesResubmitted {
                    resubmitted,
                    title: &updated.title,
                    employer_name: &employer_name,
                    posting_id: &public_id,
                    changed: &changed,
                };
                app.letters.changes_resubmitted(conn, &notice)?;
            }
            Ok((resubmitted, diff.len()))
        })
    })
    .await;
    match saved {
        Ok((resubmitted, changed)) => {
            let what = if resubmitted { "corrected and resubmitted" } else { "edited" };
            log::info!("posting {} {what} by its employer ({changed} field(s) changed)", posting.public_id);
            Ok(back_to_page(&req, &token))
        }
        Err(e) if is_conflict(&e) => conflict(&req, &state, &token, Some(&typed)).await,
        Err(e) => Err(e),
    }
}
