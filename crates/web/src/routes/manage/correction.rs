//! `POST /manage/{token}/edit`: the employer corrects the content and sends it back for review.

use super::*;

/// The new content from the corrected form. What the employer left as it was keeps its
/// stored value exactly: the place (parsed back from one line it could come out split
/// differently) and the end (the form shows a day, the posting may end at another hour).
fn content_from(loaded: &Loaded, mut draft: yui_domain::PostingDraft, typed: &[(String, String)]) -> PostingContent {
    let p = &loaded.posting;
    let before = prefill(p, &loaded.terms);
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
    content
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
    let typed: Vec<(String, String)> = fields.iter().filter(|(k, _)| EDITABLE.contains(&k.as_str())).cloned().collect();
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
    let mut with_employer = typed.clone();
    with_employer.push(("employer_name".into(), loaded.employer.name.clone()));
    with_employer.push(("email".into(), loaded.employer.email.clone()));
    let mut draft = match mapping::map_fields(&with_employer, &state.settings.ingest.region) {
        Ok(intake) => intake.posting,
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
    // The employer's own form asks every legal item: what they left out is marked, as on /submit.
    let gaps = intake::gap_errors(&draft);
    if !gaps.is_empty() {
        let view =
            View { status: StatusCode::UNPROCESSABLE_ENTITY, typed: Some(&typed), errors: &gaps, ..View::default() };
        return render(&req, &state, &token, &loaded, view);
    }
    state.settings.portal.settle(&mut draft);
    let content = content_from(&loaded, draft, &typed);
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
