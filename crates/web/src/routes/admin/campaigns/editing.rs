//! `GET /admin/campaigns/new`, `POST /admin/campaigns`, `GET /admin/campaigns/{id}` and
//! `POST /admin/campaigns/{id}/edit`: a draft or an edit, through `CampaignDraft::parse`.

use super::*;

/// What the page shows besides the campaign.
pub(super) struct Shown<'a> {
    pub status: StatusCode,
    pub notice: &'a str,
    pub errors: &'a [FieldError],
    pub typed: Option<&'a [(String, String)]>,
}

/// The campaign's page: its form (new when `id` is None), its state, the publish button.
pub(super) async fn campaign_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    id: Option<i32>,
    shown: Shown<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let loaded = db(state, move |conn| {
        let orgs = yui_db::organizations::list(conn)?;
        let Some(id) = id else { return Ok(Some((orgs, None))) };
        let Some(c) = yui_db::campaigns::find(conn, id)? else { return Ok(None) };
        let named = yui_db::campaigns::organizations_of(conn, id)?;
        let postings: Vec<String> =
            yui_db::campaigns::postings_of(conn, id)?.into_iter().map(|(p, _)| p.public_id).collect();
        let entries = yui_db::campaigns::entry_count(conn, id)?;
        Ok(Some((orgs, Some((c, named, postings, entries)))))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    let (orgs, current) = loaded;
    let mut values = Map::new();
    let picked: Vec<String> = match (shown.typed, &current) {
        (Some(typed), _) => {
            for f in FIELDS {
                values.insert(f.into(), crate::forms::value(typed, f).into());
            }
            crate::forms::values(typed, "organization")
        }
        (None, Some((c, named, postings, _))) => {
            values.insert("slug".into(), c.slug.clone().into());
            values.insert("title".into(), c.title.clone().into());
            values.insert("story".into(), c.story_markdown.clone().into());
            values.insert("starts_on".into(), c.starts().to_string().into());
            values.insert("ends_on".into(), c.ends().to_string().into());
            values.insert("postings".into(), postings.join(" ").into());
            named.iter().map(|(o, _)| o.id.to_string()).collect()
        }
        (None, None) => {
            for f in FIELDS {
                values.insert(f.into(), "".into());
            }
            vec![staff.organization_id.to_string()]
        }
    };
    let organizations: Vec<Value> = orgs
        .iter()
        .map(|o| json!({"id": o.id, "name": o.name, "checked": picked.contains(&o.id.to_string())}))
        .collect();
    let mut errors = Map::new();
    for f in FIELDS.iter().chain(["organizations", "logo"].iter()) {
        errors.insert((*f).into(), "".into());
    }
    for e in shown.errors {
        errors.insert(e.field.into(), lang.message(&e.message).into());
    }
    let campaign = current.as_ref().map(|(c, named, _, entries)| {
        let logos: Vec<Value> = named
            .iter()
            .map(|(o, logo)| json!({"id": o.id, "name": o.name, "logo": logo.as_ref().map(|f| format!("/media/{f}"))}))
            .collect();
        let sees_pool = staff.role == StaffRole::Admin || named.iter().any(|(o, _)| o.id == staff.organization_id);
        json!({
            "pool": sees_pool,
            "logos": logos,
            "id": c.id,
            "slug": c.slug,
            "version": c.version,
            "status": c.status.label(lang.code()),
            "published": c.is_public(),
            "entries": entries,
            "can_publish": !c.is_public() && c.author_id != staff.id,
        })
    });
    let action = match id {
        Some(id) => format!("/admin/campaigns/{id}/edit"),
        None => "/admin/campaigns".to_owned(),
    };
    let title = current.as_ref().map_or_else(|| lang.t("campaigns.admin.new").to_owned(), |(c, ..)| c.title.clone());
    let ctx = json!({
        "page_title": title,
        "campaign": campaign,
        "action": action,
        "values": values,
        "errors": errors,
        "organizations": organizations,
        "notice": shown.notice,
    });
    admin_page(req, state, staff, shown.status, "admin/campaign", ctx).await
}

#[get("/admin/campaigns/new")]
pub async fn new_form(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let shown = Shown { status: StatusCode::OK, notice: "", errors: &[], typed: None };
    campaign_page(&req, &state, &staff, None, shown).await
}

#[get("/admin/campaigns/{id}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let done = crate::i18n::query_pairs(req.query_string()).find(|(k, _)| k == "done").map(|(_, v)| v);
    let notice = match done.as_deref() {
        Some("create") => lang.t("campaigns.admin.created"),
        Some("edit") => lang.t("campaigns.admin.saved"),
        Some("publish") => lang.t("campaigns.admin.published"),
        Some("logo") => lang.t("campaigns.admin.logo_saved"),
        _ => "",
    };
    let shown = Shown { status: StatusCode::OK, notice, errors: &[], typed: None };
    campaign_page(&req, &state, &staff, Some(path.into_inner()), shown).await
}

fn form_of(fields: &[(String, String)]) -> CampaignForm {
    let get = |name: &str| crate::forms::value(fields, name).to_owned();
    CampaignForm {
        slug: get("slug"),
        title: get("title"),
        story: get("story"),
        starts_on: get("starts_on"),
        ends_on: get("ends_on"),
        organizations: crate::forms::values(fields, "organization"),
        postings: get("postings"),
    }
}

async fn save(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
    id: Option<i32>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let lang = Lang::of_request(&req);
    let problem = lang.t("campaigns.admin.fix_fields");
    let again = |status, errors: Vec<FieldError>, notice: String| {
        let (req, state, staff, fields) = (req.clone(), state.clone(), &staff, &fields);
        async move {
            let shown = Shown { status, notice: &notice, errors: &errors, typed: Some(fields) };
            campaign_page(&req, &state, staff, id, shown).await
        }
    };
    let draft = match CampaignDraft::parse(&form_of(&fields)) {
        Ok(d) => d,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, errors, problem.into()).await,
    };
    let version: i32 = field(&fields, "version").and_then(|v| v.parse().ok()).unwrap_or(1);
    let me = editor(&staff);
    let public_ids: Vec<String> = draft.postings.iter().map(ToString::to_string).collect();
    let outcome = db(&state, move |conn| {
        let not_public = yui_db::campaigns::not_public(conn, &public_ids, yui_db::now())?;
        if !not_public.is_empty() {
            return Ok(Some(Err(Refused::NotPublic(not_public))));
        }
        let known: Vec<i32> = yui_db::organizations::list(conn)?.iter().map(|o| o.id).collect();
        let mut organizations = draft.organizations.clone();
        organizations.retain(|o| known.contains(o));
        let content = yui_db::campaigns::CampaignContent {
            slug: draft.slug.to_string(),
            title: draft.title.clone(),
            story_markdown: draft.story_markdown.clone(),
            starts_on: draft.starts_on,
            ends_on: draft.ends_on,
            organizations,
            postings: yui_db::campaigns::posting_ids(conn, &public_ids)?,
        };
        let now = yui_db::now();
        match id {
            None => Ok(Some(yui_db::campaigns::create(conn, &content, me, now)?)),
            Some(id) if yui_db::campaigns::find(conn, id)?.is_none() => Ok(None),
            Some(id) => Ok(Some(yui_db::campaigns::update(conn, id, version, &content, me, now)?)),
        }
    })
    .await?
    .ok_or(WebError::NotFound)?;
    let field_error = |field, key| vec![FieldError::new(field, yui_domain::Message::new(key))];
    match outcome {
        Ok(c) => {
            log::info!("campaign {} saved by staff {}", c.id, staff.id);
            let done = if id.is_none() { "create" } else { "edit" };
            Ok(see_other(&format!("/admin/campaigns/{}?done={done}", c.id)))
        }
        Err(Refused::SlugTaken) => {
            again(StatusCode::UNPROCESSABLE_ENTITY, field_error("slug", "field.campaign.slug.taken"), problem.into())
                .await
        }
        Err(Refused::NotPublic(ids)) => {
            let message = yui_domain::Message::new("field.campaign.postings.not_public").with("ids", ids.join(" "));
            again(StatusCode::UNPROCESSABLE_ENTITY, vec![FieldError::new("postings", message)], problem.into()).await
        }
        Err(Refused::Stale) => again(StatusCode::CONFLICT, vec![], lang.t("campaigns.admin.stale").into()).await,
        Err(Refused::Publish(_)) => Err(WebError::Forbidden),
    }
}

#[post("/admin/campaigns")]
pub async fn create(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    save(req, form, state, None).await
}

#[post("/admin/campaigns/{id}/edit")]
pub async fn edit(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    save(req, form, state, Some(path.into_inner())).await
}
