//! `GET /manage/{token}`: the employer's private page, with the edit form and the buttons its status allows.

use super::*;

/// The last day shown for an end instant, as a form's date value (Japan time).
fn last_day_value(end: chrono::NaiveDateTime) -> String {
    (end - chrono::Duration::seconds(1)).and_utc().with_timezone(&yui_domain::tokyo()).format("%Y-%m-%d").to_string()
}

/// The place as one line, the way /submit asks for it.
fn location_value(p: &Posting) -> String {
    let address = p.address.as_deref().unwrap_or("");
    let head = format!("{}{}", p.prefecture, p.municipality);
    if address.starts_with(&head) || (!p.prefecture.is_empty() && address.starts_with(&p.prefecture)) {
        address.to_owned()
    } else {
        format!("{head}{address}")
    }
}

/// The edit form's fields, filled from the stored posting and its working conditions.
pub(super) fn prefill(p: &Posting, terms: &yui_db::postings::TermsContent) -> Vec<(String, String)> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let number = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let t = terms.terms().to_input();
    [
        ("title", p.title.clone()),
        ("employment_type", p.employment_type.code().to_owned()),
        ("description", p.description.clone()),
        ("category", text(&p.category)),
        ("location", location_value(p)),
        ("area", text(&p.area)),
        ("remote", p.remote.code().to_owned()),
        ("salary_unit", text(&p.salary_unit)),
        ("salary_min", number(p.salary_min)),
        ("salary_max", number(p.salary_max)),
        ("duties_scope", t.duties_scope),
        ("workplace_scope", t.workplace_scope),
        ("contract", t.contract),
        ("contract_length", t.contract_length),
        ("renewal", t.renewal),
        ("renewal_limit", t.renewal_limit),
        ("trial", t.trial),
        ("trial_period", text(&p.trial_period)),
        ("trial_conditions", t.trial_conditions),
        ("hours", text(&p.hours)),
        ("breaks", t.breaks),
        ("overtime", t.overtime),
        ("overtime_hours", number(t.overtime_hours)),
        ("holidays", text(&p.holidays)),
        ("fixed_overtime", t.fixed_overtime),
        ("fixed_overtime_pay", number(t.fixed_overtime_pay)),
        ("fixed_overtime_hours", number(t.fixed_overtime_hours)),
        ("insurance", text(&p.insurance)),
        ("smoking", text(&p.smoking)),
        ("requirements", text(&p.requirements)),
        ("how_to_apply", p.how_to_apply.clone()),
        ("valid_through", last_day_value(p.valid_through)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// A changed column, as the editors' mail names it.
pub(super) fn column_label(column: &str) -> &'static str {
    match column {
        "area" => "地区",
        "salary_min" => "給与（下限）",
        "salary_max" => "給与（上限）",
        other => match intake::field_label(other) {
            "" => "その他",
            label => label,
        },
    }
}

fn options<T: Copy>(
    all: &[T],
    selected: &str,
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Value {
    all.iter().map(|v| json!({"code": code(*v), "label": label(*v), "selected": code(*v) == selected})).collect()
}

pub(super) fn render(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    loaded: &Loaded,
    view: View<'_>,
) -> Result<HttpResponse, WebError> {
    let Loaded { posting, employer, request, terms, project, conditions, revision, profile, weeks } = loaded;
    let lang = Lang::of_request(req);
    let csrf = Csrf::for_request(req);
    let now = yui_db::now();
    let buttons: Vec<_> = buttons(posting, state, now)
        .iter()
        .map(|b| json!({"code": b.code(), "label_key": b.label_key(posting.status)}))
        .collect();
    let done = crate::i18n::query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "1");
    let renew_hint = renewal(posting, state, now)
        .map(|end| crate::views::date(end - chrono::Duration::seconds(1), lang))
        .unwrap_or_default();
    let request = request.as_ref().map(|e| {
        let reason =
            e.reason_code.as_deref().and_then(|c| c.parse::<ChangeReason>().ok()).map(|r| r.label(lang.code()));
        let lines: Vec<&str> =
            e.reason_text.as_deref().unwrap_or("").lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        json!({"reason": reason.unwrap_or(""), "lines": lines})
    });
    let edit_form = editable(posting.status).then(|| {
        let mut prefilled = prefill(posting, terms);
        prefilled.extend(conditions.iter().map(|c| ("conditions".to_owned(), c.clone())));
        prefilled.extend(crate::views::project_values(&project.terms()));
        // What the employer typed last: now, or in the correction that awaits the editors.
        let values_from = view.typed.or(revision.as_ref().map(|r| r.fields.as_slice())).unwrap_or(&prefilled);
        let mut values = Map::new();
        let mut messages = Map::new();
        for name in editable_fields() {
            values.insert(name.into(), value_of(values_from, name).into());
            messages.insert(name.into(), "".into());
        }
        for name in ["salary", "municipality"] {
            messages.insert(name.into(), "".into());
        }
        for e in view.errors {
            messages.insert(e.field.into(), lang.message(&e.message).into());
        }
        let value = |name: &str| value_of(values_from, name).to_owned();
        json!({
            "resubmit": posting.status == PostingStatus::ChangesRequested,
            "published": posting.status == PostingStatus::Published,
            "open": posting.status == PostingStatus::ChangesRequested || view.typed.is_some(),
            "values": values,
            "errors": messages,
            "error_count": view.errors.len(),
            "error_summary": crate::views::posting_error_summary(view.errors, crate::views::PostingForm::Public, lang),
            "types": options(EmploymentType::ALL, &value("employment_type"), EmploymentType::code, |t| t.label(lang.code())),
            "remotes": options(RemoteMode::ALL, &value("remote"), RemoteMode::code, |t| t.label(lang.code())),
            "units": options(SalaryUnit::ALL, &value("salary_unit"), SalaryUnit::code, |t| t.label(lang.code())),
            "categories": state.settings.portal.category_options(&value("category"), lang.code()),
            "areas": state.settings.portal.area_options(&value("area"), lang.code()),
            "terms_choices": crate::views::terms_choices(value, lang),
            "condition_choices": crate::views::condition_choices(&crate::forms::values(values_from, "conditions"), lang),
        })
    });
    let hired_answer = match posting.hired_via_yui {
        Some(true) => "manage.hired.answered_yes",
        Some(false) => "manage.hired.answered_no",
        None => "",
    };
    let face = face_section(token, employer, profile.as_ref(), &view, lang);
    let ctx = json!({
        "face": face,
        "page_title": posting.title,
        "robots": "noindex,nofollow",
        "token": token,
        "lang_query": lang_query(req),
        "title": posting.title,
        "employer_name": employer.name,
        // An employer without email carries a stand-in address, not for anyone's eyes.
        "employer_email": if yui_db::employers::has_no_email(&employer.email) {
            lang.t("staff_entry.no_email")
        } else {
            employer.email.as_str()
        },
        "status_code": posting.status.code(),
        "status_key": format!("manage.state.{}", posting.status.code()),
        "public_url": if posting.is_public_at(now) { format!("/jobs/{}", posting.public_id) } else { String::new() },
        "valid_through": crate::views::date(posting.valid_through - chrono::Duration::seconds(1), lang),
        "submitted": crate::views::date(posting.created_at, lang),
        "version": posting.version,
        "buttons": buttons,
        "renew_hint": renew_hint,
        "renew_at_most": posting.status == PostingStatus::Published && renewal(posting, state, now).is_none(),
        "csrf": csrf.token(&state.settings.secret_key),
        "done": done,
        "notice_key": view.notice_key,
        "request": request,
        "revision": revision.as_ref().map(|r| json!({"proposed": crate::views::date(r.created_at, lang)})),
        "edit": edit_form,
        "region": state.settings.site.region,
        "weeks": weeks.iter().rev().map(|w| json!({"week": crate::views::week_label(w.monday, lang), "views": w.views, "contacts": w.contacts})).collect::<Vec<_>>(),
        "hired": {"ask": asks_hired(posting) && posting.hired_via_yui.is_none(), "answer_key": hired_answer},
    });
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "manage/posting", ctx)?;
    let mut res = HttpResponse::build(view.status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    Ok(private(&mut res).content_type("text/html; charset=utf-8").body(html))
}

/// The section where the employer proposes their public face: what they proposed last (else
/// what is published), whether it waits for the editors, and why the last one was declined.
fn face_section(
    token: &str,
    employer: &Employer,
    profile: Option<&yui_db::employer_profiles::Profile>,
    view: &View<'_>,
    lang: Lang,
) -> Value {
    use yui_domain::employer_face::{Face, MAX_PHOTOS};
    let empty = Face::default();
    let published = profile.map_or(&empty, |p| &p.published);
    let pending = profile.and_then(|p| p.pending.as_ref());
    let shown = pending.unwrap_or(published);
    let public_url = profile.map(|p| format!("/employers/{}", p.slug)).unwrap_or_default();
    let mut messages = Map::new();
    for e in view.face_errors {
        messages.insert(e.field.into(), lang.message(&e.message).into());
    }
    let mut current = crate::face::view(shown, &employer.name, &public_url, lang);
    let links_text = match view.face_typed {
        Some((intro, links)) => {
            current["intro"] = intro.into();
            links.to_owned()
        }
        None => shown.links.join("\n"),
    };
    json!({
        "action": format!("/manage/{token}/face"),
        "current": current,
        "links_text": links_text,
        "pending": pending.is_some(),
        "public_url": if published.is_empty() { "" } else { public_url.as_str() },
        "rejected_reason": profile.and_then(|p| p.rejected_reason.as_deref()),
        "errors": messages,
        "can_add_photo": shown.photos.len() < MAX_PHOTOS,
        "max_photos": MAX_PHOTOS,
    })
}

#[get("/manage/{token}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    match load(&state, &path).await? {
        Some(loaded) => render(&req, &state, &path, &loaded, View::default()),
        None => link_not_found(&req, &state),
    }
}
