//! The one permission check every route goes through. Each route is registered with its
//! [`Access`]; this middleware resolves the caller, checks CSRF for cookie-authenticated
//! state changes, resolves the tenant named in the path and asks the authoriser. The
//! handler then reads the outcome as a [`Ctx`].

use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::RequestExt;
use tower_sessions::Session;

use crate::app::AppState;
use crate::auth::principal::{self, Principal, Via};
use crate::auth::CSRF_HEADER;
use crate::authz::catalog;
use crate::kernel::actor::Actor;
use crate::kernel::error::{Error, Result};
use crate::tenancy::{Tenant, PLATFORM_TENANT_ID};

/// Who may call a route. Permissions are `object:action` from `authz::catalog`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user or token (self-service: own profile, own tokens).
    Authenticated,
    /// A permission held on the platform root.
    Platform(&'static str),
    /// A permission on the tenant named by the path's `{slug}` (or inherited from an
    /// ancestor through a `descendant:` grant).
    Tenant(&'static str),
}

/// The tenant a route acts on, with its ancestors (nearest first).
#[derive(Debug, Clone)]
pub struct TenantCtx {
    pub tenant: Tenant,
    pub ancestors: Vec<Tenant>,
}

/// What the access check established, for the handler.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub principal: Option<Principal>,
    pub tenant: Option<TenantCtx>,
}

impl Ctx {
    pub fn principal(&self) -> Result<&Principal> {
        self.principal.as_ref().ok_or(Error::Unauthenticated)
    }

    pub fn actor(&self) -> Actor {
        self.principal
            .as_ref()
            .map(Principal::actor)
            .unwrap_or_else(Actor::system)
    }

    pub fn tenant(&self) -> Result<&Tenant> {
        self.tenant
            .as_ref()
            .map(|t| &t.tenant)
            .ok_or_else(|| Error::internal("route has no tenant in its path"))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| Error::internal("route registered without an access check"))
    }
}

pub async fn enforce(
    state: State<AppState>,
    access: Access,
    page: bool,
    req: Request,
    next: Next,
) -> Response {
    if !page {
        return match check(&state, access, req).await {
            Ok(req) => next.run(req).await,
            Err(err) => err.into_response(),
        };
    }
    // A page: a signed-in form sends the CSRF token as a field (no script to set a
    // header), and a refusal is a page in the reader's language, not a problem document.
    let page_req =
        crate::web::PageReq::from_parts(req.uri().path(), req.uri().query(), req.headers());
    // Public forms (the request form, sign-in) carry their own form token (web::csrf).
    let req = if matches!(access, Access::Public) {
        req
    } else {
        match form_csrf(&state, req).await {
            Ok(req) => req,
            Err(err) => return crate::web::error::refused(&page_req, err),
        }
    };
    match check(&state, access, req).await {
        Ok(req) => next.run(req).await,
        Err(err) => crate::web::error::refused(&page_req, err),
    }
}

/// The form field a signed-in page form carries its session's CSRF token in.
pub const CSRF_FIELD: &str = "csrf";

/// Copies a form's `csrf` field into the CSRF header, so that the one check below
/// applies to forms too. The body is read and put back: a url-encoded form within the
/// body limit; a multipart form (a file) within the attachments' limit, and only for
/// someone signed in (an anonymous upload is refused before its body is read).
async fn form_csrf(state: &AppState, req: Request) -> Result<Request> {
    let content_type = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_multipart = content_type.starts_with("multipart/form-data");
    if !(is_form || is_multipart) || req.headers().contains_key(CSRF_HEADER) {
        return Ok(req);
    }
    let limit = if is_multipart {
        let session = req.extensions().get::<Session>().cloned();
        principal::resolve(
            &state.db,
            &state.principals,
            &state.session_timeouts(),
            req.headers(),
            session.as_ref(),
        )
        .await?
        .ok_or(Error::Unauthenticated)?;
        state.config.attachments_max_bytes + 64 * 1024
    } else {
        state.config.max_body_bytes
    };
    let (mut parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Error::BadRequest("the form is too large".into()))?;
    // The pages' own form reader: url-encoded or multipart alike.
    let sent = crate::web::forms::read(
        &parts.headers,
        axum::body::Body::from(bytes.clone()),
        limit,
        limit,
        limit,
    )
    .await
    .ok()
    .and_then(|posted| {
        posted
            .fields
            .into_iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v)
    });
    if let Some(value) = sent.and_then(|v| axum::http::HeaderValue::from_str(&v).ok()) {
        parts.headers.insert(CSRF_HEADER, value);
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

/// Would the route table let this principal call a route with `access` on `tenant`?
/// The same question [`check`] asks, for pages that offer only what the user may do.
pub async fn permits(
    state: &AppState,
    user_id: &str,
    access: Access,
    tenant: Option<&TenantCtx>,
) -> Result<bool> {
    Ok(match access {
        Access::Public | Access::Authenticated => true,
        Access::Platform(permission) => {
            let root = platform_root(state).await?;
            allowed(state, user_id, &root, &[], permission).await
        }
        Access::Tenant(permission) => match tenant {
            Some(t) => allowed(state, user_id, &t.tenant, &t.ancestors, permission).await,
            None => false,
        },
    })
}

async fn allowed(
    state: &AppState,
    user_id: &str,
    tenant: &Tenant,
    ancestors: &[Tenant],
    permission: &str,
) -> bool {
    let (object, action) = catalog::split(permission).expect("permission has object:action");
    state
        .authz
        .allowed(user_id, tenant, ancestors, object, action)
        .await
}

async fn platform_root(state: &AppState) -> Result<Tenant> {
    state
        .tenants
        .by_slug(&state.db, "platform")
        .await?
        .filter(|t| t.id == PLATFORM_TENANT_ID)
        .ok_or_else(|| Error::internal("the platform root tenant is missing"))
}

async fn check(state: &AppState, access: Access, mut req: Request) -> Result<Request> {
    let session = req.extensions().get::<Session>().cloned();
    let principal = match access {
        Access::Public => None,
        _ => {
            let principal = principal::resolve(
                &state.db,
                &state.principals,
                &state.session_timeouts(),
                req.headers(),
                session.as_ref(),
            )
            .await?
            .ok_or(Error::Unauthenticated)?;
            check_csrf(&principal, req.method(), req.headers())?;
            Some(principal)
        }
    };

    let tenant = match access {
        Access::Public | Access::Authenticated => None,
        Access::Platform(permission) => {
            let user_id = &principal.as_ref().expect("resolved above").user.id;
            let root = platform_root(state).await?;
            if !allowed(state, user_id, &root, &[], permission).await {
                return Err(Error::forbidden());
            }
            Some(TenantCtx {
                tenant: root,
                ancestors: Vec::new(),
            })
        }
        Access::Tenant(permission) => {
            let user_id = principal.as_ref().expect("resolved above").user.id.clone();
            let params = req
                .extract_parts::<RawPathParams>()
                .await
                .map_err(|e| Error::BadRequest(e.body_text()))?;
            let slug = params
                .iter()
                .find(|(name, _)| *name == "slug")
                .map(|(_, value)| value.to_string())
                .ok_or_else(|| Error::internal("tenant route without {slug}"))?;
            let placed = state
                .tenants
                .placed(&state.db, &slug)
                .await?
                .ok_or_else(|| Error::NotFound(format!("tenant `{slug}`")))?;
            let (tenant, ancestors) = (placed.tenant.clone(), placed.ancestors.clone());
            // A deactivated tenant is gone for everyone but those who may reactivate it.
            if !tenant.active
                && !state
                    .authz
                    .allowed(&user_id, &tenant, &ancestors, "tenants", "manage")
                    .await
            {
                return Err(Error::NotFound(format!("tenant `{slug}`")));
            }
            if !allowed(state, &user_id, &tenant, &ancestors, permission).await {
                return Err(Error::forbidden());
            }
            Some(TenantCtx { tenant, ancestors })
        }
    };

    req.extensions_mut().insert(Ctx { principal, tenant });
    Ok(req)
}

/// A state change authenticated by the session cookie must carry the session's CSRF
/// token in a header (a cross-site form cannot set one). Tokens are not cookies, so
/// bearer-token calls need none.
fn check_csrf(
    principal: &Principal,
    method: &Method,
    headers: &axum::http::HeaderMap,
) -> Result<()> {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    match &principal.via {
        Via::Session { csrf } if !safe => {
            let sent = headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if csrf.is_empty() || !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
                return Err(Error::Forbidden(format!(
                    "missing or wrong {CSRF_HEADER} header for a signed-in state change"
                )));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
