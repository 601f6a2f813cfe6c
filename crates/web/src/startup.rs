use crate::error::render_error_page;
use crate::rate_limit::RateLimiter;
use crate::routes;
use crate::settings::Settings;
use crate::state::AppState;
use crate::templates::TemplateError;
use actix_web::body::MessageBody;
use actix_web::dev::Server;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::http::header::HeaderValue;
use actix_web::middleware::{ErrorHandlers, Logger, Next};
use actix_web::{web, App, HttpServer};
use std::net::TcpListener;
use std::time::Duration;
use yui_db::{DbError, DbPool};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Templates(#[from] TemplateError),
    #[error(transparent)]
    Letters(#[from] yui_mail::MailError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("configuration key open_data.dir: cannot create {dir}: {source}")]
    OpenDataDir { dir: String, source: std::io::Error },
}

/// Strict by default: no inline script anywhere, no framing (the embeddable widget will be the
/// one exception, on its own route).
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The widget's page may be framed by any site (that is its purpose); it runs no script and
/// posts no form, so framing it risks nothing.
const EMBED_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
                         form-action 'none'; frame-ancestors *";

/// Security headers on every response, in one place. Only `/embed/jobs` may be framed.
async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let embed = req.path() == "/embed/jobs";
    let https = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.site.base_url.starts_with("https://"));
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::CONTENT_SECURITY_POLICY, if embed { EMBED_CSP } else { CSP });
    if !embed {
        set(header::X_FRAME_OPTIONS, "DENY");
    }
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(header::HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()");
    // Only when the public address is https: a browser that saw it over http would otherwise be
    // told to refuse a site that has no certificate. One year, this host only: Yui cannot know
    // what else runs under the town's domain.
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    Ok(res)
}

pub struct Application {
    server: Server,
    port: u16,
    pool: DbPool,
    page_views: std::sync::Arc<crate::page_views::ViewCounter>,
    flush_every: Duration,
}

impl Application {
    /// Migrates the database, builds the pool and binds the listener. Port 0 picks a free port,
    /// which is how the tests run many apps side by side.
    pub fn build(settings: Settings) -> Result<Self, StartError> {
        // Before anything else starts: the daily export must have somewhere to go.
        std::fs::create_dir_all(&settings.open_data_dir)
            .map_err(|source| StartError::OpenDataDir { dir: settings.open_data_dir.display().to_string(), source })?;
        let applied = yui_db::migrate::run_pending(&settings.database_url)?;
        if !applied.is_empty() {
            log::info!("applied migrations: {}", applied.join(", "));
        }
        if settings.secret_key_is_random {
            log::warn!(
                "server.secret_key is not set: a random key is used, so open forms stop working on restart \
                 and differ between instances (set YUI__SERVER__SECRET_KEY)"
            );
        }
        let pool = yui_db::conn::pool(&settings.database_url, settings.pool_size)?;
        let started = std::time::Instant::now();
        let mut pooled = pool.get().map_err(DbError::from)?;
        let search = crate::search_model::SearchModel::load(&mut pooled, &settings)?;
        drop(pooled);
        log::info!("search: {} postings indexed in {:.1}s", search.len(), started.elapsed().as_secs_f64());
        let search_poll = settings.search.poll;
        let templates = crate::templates::registry()?;
        let letters = settings.site.letters()?;
        let listener = TcpListener::bind(settings.listen)
            .map_err(|source| StartError::Listen { addr: settings.listen, source })?;
        let port = listener.local_addr().map_err(|source| StartError::Listen { addr: settings.listen, source })?.port();
        let submit_limit = RateLimiter::new("submit", settings.ingest.submit_per_hour, Duration::from_secs(3600));
        let login_per_minute = settings.review.login_per_minute;
        let page_cache_ttl = Duration::from_secs(settings.page_cache_secs);
        let follow_per_hour = settings.following.signup_per_hour;
        let entries_per_hour = settings.campaigns.entries_per_hour;
        let requests_per_hour = settings.succession.requests_per_hour;
        let pool_per_hour = settings.succession.pool_per_hour;
        let page_views = std::sync::Arc::new(crate::page_views::ViewCounter::default());
        let flush_every = settings.statistics.flush_every;
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            backend: settings.database_url.backend(),
            templates,
            letters,
            settings,
            submit_limit,
            page_cache: crate::cache::PageCache::new(page_cache_ttl),
            login_limit_ip: RateLimiter::new("login_ip", login_per_minute, Duration::from_secs(60)),
            login_limit_account: RateLimiter::new("login_account", login_per_minute, Duration::from_secs(60)),
            contact_limit_ip: RateLimiter::new(
                "contact_ip",
                crate::state::CONTACT_PER_IP_PER_HOUR,
                Duration::from_secs(3600),
            ),
            contact_limit_posting: RateLimiter::new(
                "contact_posting",
                crate::state::CONTACT_PER_POSTING_PER_HOUR,
                Duration::from_secs(3600),
            ),
            inquiry_limit_listing: RateLimiter::new(
                "inquiry_listing",
                crate::state::CONTACT_PER_POSTING_PER_HOUR,
                Duration::from_secs(3600),
            ),
            signup_limit_ip: RateLimiter::new(
                "signup_ip",
                crate::state::SIGNUPS_PER_IP_PER_HOUR,
                Duration::from_secs(3600),
            ),
            follow_limit_ip: RateLimiter::new("follow_ip", follow_per_hour, Duration::from_secs(3600)),
            metrics: crate::metrics::Metrics::default(),
            reset_limit_ip: RateLimiter::new(
                "password_reset_ip",
                crate::state::RESETS_PER_IP_PER_HOUR,
                Duration::from_secs(3600),
            ),
            reset_limit_account: RateLimiter::new(
                "password_reset_account",
                crate::state::RESETS_PER_ACCOUNT_PER_HOUR,
                Duration::from_secs(3600),
            ),
            search,
            campaign_limit_ip: RateLimiter::new("campaign_entry_ip", entries_per_hour, Duration::from_secs(3600)),
            succession_request_limit_ip: RateLimiter::new(
                "succession_request_ip",
                requests_per_hour,
                Duration::from_secs(3600),
            ),
            succession_pool_limit_ip: RateLimiter::new("succession_pool_ip", pool_per_hour, Duration::from_secs(3600)),
            page_views: std::sync::Arc::clone(&page_views),
        });
        crate::search_model::follow_changes(std::sync::Arc::downgrade(&state.clone().into_inner()), search_poll);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(actix_web::middleware::from_fn(crate::head::as_get))
                .wrap(actix_web::middleware::from_fn(crate::body_deadline::limit))
                .wrap(actix_web::middleware::from_fn(crate::cache::serve))
                // Outside the cache, so that a page served from memory is counted too.
                .wrap(actix_web::middleware::from_fn(crate::page_views::count))
                .wrap(actix_web::middleware::from_fn(crate::uri_guard::refuse_nul))
                .wrap(ErrorHandlers::new().default_handler(render_error_page))
                .wrap(actix_web::middleware::from_fn(routes::api::cors))
                .wrap(actix_web::middleware::from_fn(security_headers))
                .wrap(actix_web::middleware::from_fn(crate::i18n::remember))
                .wrap(
                    Logger::new("%{client}xi \"%{request}xi\" %s %b %Dms")
                        .custom_request_replace("request", |req| crate::logging::request_line(req.method(), req.path()))
                        // Not `%a`: it believes X-Forwarded-For from anyone.
                        .custom_request_replace("client", |req| {
                            crate::client::address(req.request()).map_or_else(|| "-".to_owned(), |ip| ip.to_string())
                        }),
                )
                .wrap(actix_web::middleware::from_fn(crate::metrics::record))
                .service(routes::health::healthz)
                .service(routes::health::readyz)
                .service(routes::metrics::metrics)
                .service(routes::assets::static_file)
                .service(routes::assets::favicon)
                .service(routes::portal::home)
                .service(routes::search::jobs)
                .configure(routes::api::configure)
                .configure(routes::open_data::configure)
                .configure(routes::pages::configure)
                .service(routes::feeds::atom)
                .service(routes::feeds::json_feed)
                .service(routes::employers::show)
                .service(routes::posting::show)
                .service(routes::feature_click::follow)
                .service(routes::sponsor_report::show)
                .service(routes::contact::contact)
                .service(routes::contact::contact_sent)
                .service(routes::crawl::sitemap)
                .service(routes::crawl::robots)
                .service(routes::hooks::receive)
                .service(routes::admin::home)
                .service(routes::admin::login::form)
                .service(routes::admin::login::login)
                .service(routes::admin::login::logout)
                .service(routes::admin::login::password_form)
                .service(routes::admin::login::change_password)
                .service(routes::admin::weekly_note::set)
                .configure(routes::admin::review::configure)
                .service(routes::admin::staff_entry::new_form)
                .service(routes::admin::staff_entry::search)
                .service(routes::admin::staff_entry::create)
                .service(routes::admin::submissions::show)
                .service(routes::admin::submissions::replay)
                .service(routes::admin::submissions::discard)
                .service(routes::admin::submissions::map)
                .service(routes::admin::mappings::list)
                .service(routes::admin::mappings::delete)
                .service(routes::admin::staff::list)
                .service(routes::admin::staff::create)
                .service(routes::admin::staff::update)
                .service(routes::submit::form)
                .service(routes::submit::submit)
                .configure(routes::manage::configure)
                .configure(routes::transparency::configure)
                .configure(routes::support::configure)
                .configure(routes::embed::configure)
                .configure(routes::admin::supporters::configure)
                .configure(routes::admin::employers::configure)
                .configure(routes::articles::configure)
                .configure(routes::succession::configure)
                .configure(routes::admin::articles::configure)
                .configure(routes::admin::orders::configure)
                .configure(routes::ledger::configure)
                .configure(routes::admin::succession::configure)
                .configure(routes::follow::configure)
                .configure(routes::admin::hellowork::configure)
                .configure(routes::admin::organizations::configure)
                .configure(routes::admin::password_reset::configure)
                .configure(routes::campaigns::configure)
                .configure(routes::admin::campaigns::configure)
                .default_service(web::to(routes::not_found))
        })
        .listen(listener)
        .map_err(|source| StartError::Listen { addr: std::net::SocketAddr::from(([0, 0, 0, 0], port)), source })?
        .run();
        Ok(Application { server, port, pool, page_views, flush_every })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The pool the app uses, for the mail worker that runs beside it.
    pub fn pool(&self) -> DbPool {
        self.pool.clone()
    }

    /// The views this instance counted and has not written yet (tests flush it themselves).
    pub fn page_views(&self) -> std::sync::Arc<crate::page_views::ViewCounter> {
        std::sync::Arc::clone(&self.page_views)
    }

    /// Serves until stopped, writing the counted views every few seconds and once more at the end.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let flusher = actix_web::rt::spawn(crate::page_views::flush_every(
            std::sync::Arc::clone(&self.page_views),
            self.pool.clone(),
            self.flush_every,
        ));
        let stopped = self.server.await;
        flusher.abort();
        crate::page_views::flush_now(&self.page_views, &self.pool).await;
        stopped
    }
}
