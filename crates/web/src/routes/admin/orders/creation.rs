//! `GET|POST /admin/orders/new`: a quote, through `OrderDraft::parse`.

use super::*;

async fn form_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    status: StatusCode,
    form: OrderForm,
    errors: BTreeMap<&'static str, String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let (employers, articles) =
        db(state, |conn| Ok((yui_db::orders::employer_choices(conn)?, yui_db::orders::unordered_features(conn)?)))
            .await?;
    let employers: Vec<Value> = employers
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name, "selected": id.to_string() == form.employer_id}))
        .collect();
    let articles: Vec<Value> = articles
        .iter()
        .map(|(id, title)| json!({"id": id, "title": title, "selected": id.to_string() == form.article_id}))
        .collect();
    let plans: Vec<Value> = state
        .settings
        .editorial
        .plans
        .iter()
        .map(|p| json!({"code": p.code, "label": p.label(lang.code()), "price": yen(p.price_yen), "selected": p.code == form.plan}))
        .collect();
    let ctx = json!({
        "page_title": lang.t("orders.new.page_title"),
        "form": form,
        "errors": errors,
        "error_count": errors.len(),
        "employers": employers,
        "articles": articles,
        "plans": plans,
        "tax_rate": state.settings.editorial.tax_rate_percent,
    });
    admin_page(req, state, staff, status, "admin/order_new", ctx).await
}

#[get("/admin/orders/new")]
pub async fn new_form(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let form = OrderForm { quoted_on: yui_domain::today().format("%Y-%m-%d").to_string(), ..OrderForm::default() };
    form_page(&req, &state, &staff, StatusCode::OK, form, BTreeMap::new()).await
}

#[post("/admin/orders")]
pub async fn create(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let lang = Lang::of_request(&req);
    let get = |name: &str| field(&fields, name).unwrap_or("").trim().to_owned();
    let form = OrderForm {
        employer_id: get("employer_id"),
        plan: get("plan"),
        price_yen: get("price_yen"),
        quoted_on: get("quoted_on"),
        notes: get("notes"),
        article_id: get("article_id"),
    };
    let editorial = &state.settings.editorial;
    let plan_price = editorial.plan(&form.plan).map(|p| p.price_yen);
    let draft = match OrderDraft::parse(&form, plan_price, editorial.tax_rate_percent, yui_domain::today()) {
        Ok(draft) => draft,
        Err(errors) => {
            let errors = errors.iter().map(|e| (e.field, lang.message(&e.message))).collect();
            return form_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, form, errors).await;
        }
    };
    let new = NewOrder {
        employer_id: draft.employer_id,
        plan: draft.plan,
        price_yen: draft.price_yen,
        tax_yen: draft.tax_yen,
        quoted_on: draft.quoted_on,
        notes: draft.notes,
        article_id: draft.article_id,
    };
    let actor = staff.actor();
    match db(&state, move |conn| yui_db::orders::create(conn, &new, actor, yui_db::now())).await? {
        Ok(order) => {
            log::info!("order {} quoted by staff {}", order.id, staff.id);
            Ok(see_other(&format!("/admin/orders/{}", order.id)))
        }
        Err(refusal) => {
            let (field, message) = refusal_message(&refusal, lang);
            form_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, form, BTreeMap::from([(field, message)]))
                .await
        }
    }
}
