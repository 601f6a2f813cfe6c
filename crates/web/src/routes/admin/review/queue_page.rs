//! `GET /admin/review`: the queue, by tab (pending, changes requested, published postings with a
//! correction proposed, quarantined).

use super::*;

const QUEUE_LIMIT: i64 = 200;

/// The rows of a tab; `waiting_since` is when each item entered the queue (a posting's
/// creation, or when its correction was proposed).
fn queue_rows(items: &[(QueueItem, chrono::NaiveDateTime)], now: chrono::NaiveDateTime, lang: Lang) -> Vec<Value> {
    items
        .iter()
        .map(|(i, since)| {
            json!({
                "id": i.posting.public_id,
                "title": i.posting.title,
                "employer": i.employer.name,
                "type": i.posting.employment_type.label(lang.code()),
                "source": source_label(i.source.as_deref(), lang),
                "age": age(*since, now, lang),
                "received": views::date(*since, lang),
                "revision": i.posting.status == PostingStatus::Published,
            })
        })
        .collect()
}

#[get("/admin/review")]
pub async fn queue(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let tab = crate::i18n::query_pairs(req.query_string())
        .find(|(k, _)| k == "tab")
        .map(|(_, v)| v)
        .unwrap_or_else(|| "pending".into());
    // `?source=hellowork`: only Hello Work's postings, for the editors choosing what to show.
    let hellowork =
        crate::i18n::query_pairs(req.query_string()).any(|(k, v)| k == "source" && v == yui_db::hellowork::SOURCE);
    let now = yui_db::now();
    let ctx = match tab.as_str() {
        "pending" | "changes" => {
            let status = if tab == "pending" { PostingStatus::Pending } else { PostingStatus::ChangesRequested };
            let items = db(&state, move |conn| match hellowork {
                true => yui_db::review::queue_of_origin(conn, status, yui_db::hellowork::SOURCE, QUEUE_LIMIT),
                false => yui_db::review::queue(conn, status, QUEUE_LIMIT),
            })
            .await?;
            let items: Vec<_> = items
                .into_iter()
                .map(|i| {
                    let at = i.posting.created_at;
                    (i, at)
                })
                .collect();
            json!({"tab": tab, "postings": queue_rows(&items, now, lang), "submissions": []})
        }
        "revisions" => {
            let items = db(&state, |conn| yui_db::review::revision_queue(conn, QUEUE_LIMIT)).await?;
            json!({"tab": tab, "postings": queue_rows(&items, now, lang), "submissions": []})
        }
        "quarantined" => {
            let subs = db(&state, |conn| yui_db::submissions::quarantined(conn, QUEUE_LIMIT)).await?;
            let rows: Vec<Value> = subs
                .iter()
                .map(|s| {
                    json!({
                        "id": s.id,
                        "source": source_label(Some(&s.source), lang),
                        "received": views::date(s.received_at, lang),
                        "age": age(s.received_at, now, lang),
                        "reason": s.error.clone().unwrap_or_default(),
                        "bytes": s.raw_body.len(),
                    })
                })
                .collect();
            json!({"tab": tab, "postings": [], "submissions": rows})
        }
        _ => return Err(WebError::BadRequest(lang.tf("review.no_such_tab", &[("tab", &tab)]))),
    };
    let mut ctx = ctx;
    if let Some(map) = ctx.as_object_mut() {
        map.insert("page_title".into(), lang.t("review.page_title").into());
        map.insert("only_hellowork".into(), hellowork.into());
        for t in ["pending", "changes", "revisions", "quarantined"] {
            map.insert(format!("is_{t}"), (tab == t).into());
        }
    }
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/queue", ctx).await
}
