//! `/unsubscribe/{token}`: one-click unsubscribe (RFC 8058) and its page.

use super::*;

/// What an unsubscribe link stops, once its signature holds.
enum Stop {
    Digest(Follower),
    Alert(SavedSearch, Follower),
}

async fn stop_target(state: &web::Data<AppState>, token: &str) -> Result<Option<Stop>, WebError> {
    let key = state.settings.secret_key.clone();
    let token = token.to_owned();
    db(state, move |conn| {
        Ok(match mailings::read(&token) {
            Some((Link::StopDigest, id)) => yui_db::following::find(conn, id)?
                .filter(|f| mailings::verify(&key, &token, Link::StopDigest, f.id, &f.link_salt))
                .map(Stop::Digest),
            Some((Link::StopAlert, id)) => yui_db::following::search(conn, id)?
                .filter(|(s, f)| mailings::verify(&key, &token, Link::StopAlert, s.id, &f.link_salt))
                .map(|(s, f)| Stop::Alert(s, f)),
            _ => None,
        })
    })
    .await
}

#[get("/unsubscribe/{token}")]
pub async fn unsubscribe_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let (what, f) = match stop_target(&state, &token).await? {
        Some(Stop::Digest(f)) => (lang.t("follow.page.the_weekly_digest").to_owned(), f),
        Some(Stop::Alert(s, f)) => (mailings::describe(&state.settings, &s.query, lang.code()), f),
        None => return bad_link(&req, &state),
    };
    html(
        &req,
        &state,
        StatusCode::OK,
        "follow/unsubscribe",
        json!({
            "robots": "noindex",
            "token": token.as_str(),
            "what": what,
            "digest": matches!(mailings::read(&token), Some((Link::StopDigest, _))),
            "manage_url": mailings::manage_path(&state.settings, &f),
        }),
    )
}

/// One-click unsubscribe (RFC 8058). Mail clients POST `List-Unsubscribe=One-Click` here with
/// no cookie and no form token, so this is the one state-changing route without a CSRF check:
/// the signed token in the path is itself unguessable (an HMAC under the server key), so a
/// third-party page cannot forge the request, and the worst it could do with a leaked link is
/// stop a mailing, which is what the link is for.
#[post("/unsubscribe/{token}")]
pub async fn unsubscribe(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    match stop_target(&state, &token).await? {
        Some(Stop::Digest(f)) => {
            db(&state, move |conn| yui_db::following::set_digest(conn, f.id, false)).await?;
        }
        Some(Stop::Alert(s, f)) => {
            db(&state, move |conn| yui_db::following::delete_search(conn, f.id, s.id)).await?;
        }
        None => return bad_link(&req, &state),
    }
    log::info!("follow: one mailing stopped by its unsubscribe link");
    message(&req, &state, StatusCode::OK, "follow.unsubscribed.title", "follow.unsubscribed.body")
}
