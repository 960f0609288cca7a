//! The HTTP boundary: the route table (every route with its access rule), the layers
//! around it, and the conversion of errors into problem details.

pub mod access;
pub mod client_addr;
pub mod health;
pub mod json;
pub mod metrics;
pub mod openapi;
pub mod problem;

use std::net::SocketAddr;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::routing::{on, MethodFilter};
use axum::Router;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::{Key, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::app::AppState;
use access::Access;
pub use client_addr::ClientAddr;
use problem::Problem;

/// One entry of the route table, kept for the tests that walk every route.
#[derive(Debug, Clone)]
pub struct ApiRoute {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// An HTML page (portal, console), not part of the JSON API and its OpenAPI document.
    pub page: bool,
}

/// Builds the router and its route table together, so that no route can be added
/// without an access rule.
pub struct Routes {
    state: AppState,
    router: Router<AppState>,
    table: Vec<ApiRoute>,
}

impl Routes {
    pub fn add<H, T>(self, method: Method, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.route(method, path, access, handler, false)
    }

    /// An HTML page: the same access check, kept apart from the API in the table.
    pub fn add_page<H, T>(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.route(method, path, access, handler, true)
    }

    /// The access rule of a route already in the table: a page that performs an API
    /// route's action is registered with that route's rule, never a copy written by hand.
    /// Panics at start-up when the route is not (yet) registered.
    pub fn access_of(&self, method: &Method, path: &str) -> Access {
        self.table
            .iter()
            .find(|r| r.method == *method && r.path == path)
            .map(|r| r.access)
            .unwrap_or_else(|| panic!("no route {method} {path} registered before its page"))
    }

    fn route<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
        page: bool,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
        let check =
            axum::middleware::from_fn_with_state(self.state.clone(), move |state, req, next| {
                access::enforce(state, access, page, req, next)
            });
        self.router = self
            .router
            .route(path, on(filter, handler).route_layer(check));
        self.table.push(ApiRoute {
            method,
            path,
            access,
            page,
        });
        self
    }
}

fn all_routes(state: &AppState) -> Routes {
    let routes = Routes {
        state: state.clone(),
        router: Router::new(),
        table: Vec::new(),
    };
    let routes = health::routes(routes);
    let routes = crate::auth::routes::routes(routes);
    let routes = crate::tenancy::routes::routes(routes);
    let routes = crate::users::routes::routes(routes);
    let routes = crate::authz::routes::routes(routes);
    let routes = crate::calendar::routes::routes(routes);
    let routes = crate::plugins::routes::routes(routes);
    let routes = crate::requests::routes::routes(routes);
    let routes = crate::reports::routes::routes(routes);
    let routes = crate::reports::statistics::routes::routes(routes);
    let routes = crate::sealing::routes::routes(routes);
    let routes = crate::disclosure::routes::routes(routes);
    let routes = crate::disclosure::public::routes(routes);
    let routes = crate::disclosure::attachments::routes(routes);
    let routes = crate::search::routes::routes(routes);
    let routes = crate::audit::routes::routes(routes);
    // Pages last: each takes the access rule of the API route it shares.
    let routes = crate::console::routes(routes);
    crate::portal::routes(routes)
}

/// Every route with its access rule.
pub fn route_table(state: &AppState) -> Vec<ApiRoute> {
    all_routes(state).table
}

/// The whole application: routes, sessions, limits, logs, metrics.
pub fn router(state: AppState) -> Router {
    let config = &state.config;
    let cookie_name = if config.cookie_secure {
        "__Host-gongkai"
    } else {
        "gongkai"
    };
    let sessions = SessionManagerLayer::new(state.sessions.clone())
        .with_name(cookie_name)
        .with_secure(config.cookie_secure)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            config.session_idle_secs as i64,
        )))
        .with_signed(Key::from(state.secrets.cookie_key()));
    let max_body = config.max_body_bytes;
    all_routes(&state)
        .router
        .fallback(not_found)
        .layer(sessions)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// No route: problem details under `/api/`, a page in the reader's language elsewhere.
async fn not_found(
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        return Problem::new(StatusCode::NOT_FOUND, "not-found", "no such route").into_response();
    }
    crate::web::error::not_found(&crate::web::PageReq::from_parts(
        uri.path(),
        uri.query(),
        &headers,
    ))
}

/// Serves the application on a bound listener until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
