//! The staff console at `/console/`: the pages agency staff work in, on the page
//! machinery of [`crate::web`] (one layout, one catalogue per language, security
//! headers). Every console page is a route of the route table with its access rule, so
//! the API's sessions, CSRF check and permissions apply unchanged; a page offers an
//! action only when [`Desk::may`] finds that the route table would let the user call it.

pub mod account;
pub mod audit;
pub mod desk;
pub mod items;
pub mod members;
pub mod permissions;
pub mod reports;
mod request_steps;
pub mod requests;
pub mod review;
pub mod search;
pub mod signin;

use std::sync::OnceLock;

use axum::extract::FromRequestParts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use crate::app::AppState;
use crate::auth::principal::{Principal, Via};
use crate::http::access::{self, Access, Ctx, TenantCtx, CSRF_FIELD};
use crate::http::{ApiRoute, Routes};
use crate::kernel::error::{Error, Result};
use crate::web::error::{self, PageError, PageResult};
use crate::web::{Chrome, PageReq};

/// The cookie that remembers the agency a user last worked in (a slug, not a secret).
pub const AGENCY_COOKIE: &str = "gk-agency";

pub fn routes(r: Routes) -> Routes {
    let r = requests::routes(r);
    let r = permissions::routes(r);
    let r = items::routes(r);
    let r = review::routes(r);
    let r = reports::routes(r);
    let r = audit::routes(r);
    let r = members::routes(r);
    let search_access = r.access_of(&Method::GET, search::SEARCH_API);
    r.add_page(
        Method::GET,
        "/console/{slug}/search",
        search_access,
        search::page,
    )
    .add_page(Method::GET, "/console/login", Access::Public, signin::show)
    .add_page(
        Method::POST,
        "/console/login",
        Access::Public,
        signin::submit,
    )
    .add_page(
        Method::POST,
        "/console/logout",
        Access::Authenticated,
        signin::logout,
    )
    .add_page(
        Method::GET,
        "/console/",
        Access::Authenticated,
        signin::choose,
    )
    .add_page(
        Method::GET,
        "/console/account",
        Access::Authenticated,
        account::page,
    )
    .add_page(
        Method::POST,
        "/console/account/password",
        Access::Authenticated,
        account::password,
    )
    .add_page(
        Method::POST,
        "/console/account/tokens",
        Access::Authenticated,
        account::create_token,
    )
    .add_page(
        Method::POST,
        "/console/account/tokens/{id}/revoke",
        Access::Authenticated,
        account::revoke_token,
    )
    .add_page(
        Method::GET,
        "/console/{slug}/",
        Access::Tenant("tenant:read"),
        desk::dashboard,
    )
}

/// An agency the user holds roles in.
#[derive(Debug, Clone)]
pub struct Agency {
    pub slug: String,
    pub name: String,
    pub roles: Vec<String>,
}

/// Who works at the console, where, and what the route table lets them do there.
pub struct Desk {
    pub principal: Principal,
    pub csrf: String,
    pub agencies: Vec<Agency>,
    pub tenant: Option<TenantCtx>,
    /// The console's sections this user may open in the current agency: (href, label key).
    pub sections: Vec<(String, &'static str)>,
}

/// The console's sections: where each lives and the API route whose rule opens it.
const SECTIONS: &[(&str, &str, &str)] = &[
    ("items", "console-nav-items", items::LIST_API),
    ("review", "console-nav-review", items::INBOX_API),
    ("search", "console-nav-search", search::SEARCH_API),
    ("requests", "console-nav-requests", requests::LIST_API),
    ("reports", "console-nav-reports", reports::REPORT_API),
    ("statistics", "console-nav-statistics", reports::MONTHLY_API),
    (
        "permissions",
        "console-nav-permissions",
        crate::authz::routes::MATRIX,
    ),
    ("members", "console-nav-members", members::LIST_API),
    ("audit", "console-nav-audit", crate::audit::routes::LIST),
];

impl Desk {
    pub async fn load(state: &AppState, req: &PageReq, ctx: &Ctx) -> Result<Desk> {
        let principal = ctx.principal()?.clone();
        let csrf = match &principal.via {
            Via::Session { csrf } => csrf.clone(),
            Via::Token { .. } => String::new(),
        };
        let mut agencies: Vec<Agency> = Vec::new();
        for m in state
            .principals
            .memberships(&state.db, &principal.user.id)
            .await?
        {
            if let Some(a) = agencies.iter_mut().find(|a| a.slug == m.tenant_slug) {
                a.roles.push(m.role);
                continue;
            }
            let Some(placed) = state.tenants.placed(&state.db, &m.tenant_slug).await? else {
                continue;
            };
            if !placed.tenant.active {
                continue;
            }
            agencies.push(Agency {
                slug: m.tenant_slug.clone(),
                name: crate::portal::tenant_name(&placed.tenant, req.lang).to_string(),
                roles: vec![m.role],
            });
        }
        let mut desk = Desk {
            principal,
            csrf,
            agencies,
            tenant: ctx.tenant.clone(),
            sections: Vec::new(),
        };
        if let Some(slug) = desk.slug().map(str::to_string) {
            for (path, key, api) in SECTIONS {
                if desk.may(state, Method::GET, api).await? {
                    desk.sections.push((format!("/console/{slug}/{path}"), key));
                }
            }
        }
        Ok(desk)
    }

    /// Would the route table let this user call `method pattern` (a path as registered,
    /// e.g. `/api/v1/tenants/{slug}/requests`) in the current agency? The very rule the
    /// access check enforces, asked ahead so that a page offers only what will work.
    pub async fn may(&self, state: &AppState, method: Method, pattern: &str) -> Result<bool> {
        self.may_as(state, &self.principal.user.id, method, pattern)
            .await
    }

    /// [`Desk::may`] for another user of the agency (whom a request can be assigned to).
    pub async fn may_as(
        &self,
        state: &AppState,
        user_id: &str,
        method: Method,
        pattern: &str,
    ) -> Result<bool> {
        let route = table(state)
            .iter()
            .find(|r| r.method == method && r.path == pattern)
            .ok_or_else(|| Error::internal(format!("no route {method} {pattern}")))?;
        access::permits(state, user_id, route.access, self.tenant.as_ref()).await
    }

    pub fn slug(&self) -> Option<&str> {
        self.tenant.as_ref().map(|t| t.tenant.slug.as_str())
    }

    /// The frame of console pages: the current agency and the console's navigation.
    pub fn chrome(&self, req: &PageReq) -> Chrome {
        let lang = req.lang;
        let mut chrome = Chrome::console(req);
        if let Some(t) = &self.tenant {
            let slug = &t.tenant.slug;
            chrome.brand = format!(
                "{} · {}",
                crate::portal::tenant_name(&t.tenant, lang),
                lang.t("console-name")
            );
            chrome.brand_href = format!("/console/{slug}/");
            chrome
                .nav
                .push((format!("/console/{slug}/"), lang.t("console-nav-desk")));
            for (href, key) in &self.sections {
                chrome.nav.push((href.clone(), lang.t(key)));
            }
        }
        chrome
            .nav
            .push(("/console/account".into(), lang.t("console-nav-account")));
        chrome
    }

    /// The hidden field every signed-in form carries.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name=(CSRF_FIELD) value=(self.csrf); }
    }

    /// The line above every console page: who is signed in, the agency switch, sign out.
    pub fn bar(&self, req: &PageReq) -> Markup {
        let lang = req.lang;
        let current = self.slug();
        html! {
            div class="desk-bar" {
                p class="who" {
                    (crate::web::layout::labelled(lang, "console-signed-in-as", &self.principal.user.display_name))
                }
                @if self.agencies.len() > 1 || current.is_none() {
                    nav class="agencies" aria-label=(lang.t("console-agencies")) {
                        ul {
                            @for a in &self.agencies {
                                li {
                                    @if Some(a.slug.as_str()) == current {
                                        a href=(format!("/console/{}/", a.slug)) aria-current="page" { (a.name) }
                                    } @else {
                                        a href=(format!("/console/{}/", a.slug)) { (a.name) }
                                    }
                                }
                            }
                        }
                    }
                }
                form method="post" action="/console/logout" class="signout" {
                    (self.csrf_field())
                    button type="submit" { (lang.t("console-sign-out")) }
                }
            }
        }
    }

    /// A console page: the bar, then the content.
    pub fn page(&self, req: &PageReq, title: &str, main: Markup) -> crate::web::PageResponse {
        let body = html! {
            (self.bar(req))
            (main)
            script src=(crate::web::assets::href("console.js")) defer {}
        };
        crate::web::PageResponse::new(crate::web::layout::page(
            req,
            &self.chrome(req),
            title,
            body,
        ))
        .no_store()
    }

    /// The page's response, or its error page in the console's frame.
    pub fn finish(&self, req: &PageReq, result: PageResult) -> Response {
        match result {
            Ok(page) => page.finish(req),
            Err(err) => error::page(req, &self.chrome(req), err),
        }
    }
}

/// Loads the desk or answers with the error page.
/// Every console page handler takes its `Desk` as an extractor: who is at the console,
/// where, and what they may do there; a failure to load it is the console's error page.
impl FromRequestParts<AppState> for Desk {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Desk, Response> {
        let Ok(req) = PageReq::from_request_parts(parts, state).await;
        let loaded = match Ctx::from_request_parts(parts, state).await {
            Ok(ctx) => Desk::load(state, &req, &ctx).await,
            Err(err) => Err(err),
        };
        loaded.map_err(|err| error::page(&req, &Chrome::console(&req), PageError(err)))
    }
}

/// The route table, built once (it does not change while the server runs).
fn table(state: &AppState) -> &'static [ApiRoute] {
    static TABLE: OnceLock<Vec<ApiRoute>> = OnceLock::new();
    TABLE.get_or_init(|| crate::http::route_table(state))
}

/// `303 See Other` to `location` (post/redirect/get), with the pages' headers.
pub fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let h = response.headers_mut();
    crate::web::response::secure(h);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(location) {
        h.insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    response
}

/// A same-site console address to return to after signing in, or the console's start.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with("/console/")
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok {
        next.to_string()
    } else {
        "/console/".to_string()
    }
}

/// The form fields of a url-encoded body.
pub fn form(body: &[u8]) -> Vec<(String, String)> {
    crate::web::response::url_decode_pairs(&String::from_utf8_lossy(body))
}

pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_console_addresses_are_returned_to() {
        assert_eq!(safe_next("/console/city/"), "/console/city/");
        assert_eq!(safe_next("//evil.example/console/"), "/console/");
        assert_eq!(safe_next("https://evil.example/"), "/console/");
        assert_eq!(safe_next("/console/\\evil"), "/console/");
        assert_eq!(safe_next("/api/v1/x"), "/console/");
    }
}
