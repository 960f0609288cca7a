//! Error pages in the page language, each with a way back: 404 (unknown agency, node,
//! item or page), 429 (too many attempts, with when to try again), 400 for a malformed
//! address, and a plain 500 that names nothing internal.

use axum::http::{header, StatusCode};
use axum::response::Response;
use maud::html;

use super::layout::{self, Chrome};
use super::response::{PageReq, PageResponse};
use crate::kernel::error::Error;

/// A failure on its way to an error page.
#[derive(Debug)]
pub struct PageError(pub Error);

impl From<Error> for PageError {
    fn from(err: Error) -> Self {
        PageError(err)
    }
}

impl From<sqlx::Error> for PageError {
    fn from(err: sqlx::Error) -> Self {
        PageError(Error::Database(err))
    }
}

pub type PageResult<T = PageResponse> = Result<T, PageError>;

/// The error page for `err`, framed by `chrome`.
pub fn page(req: &PageReq, chrome: &Chrome, err: PageError) -> Response {
    let lang = req.lang;
    let (status, key, retry) = match &err.0 {
        Error::NotFound(_) => (StatusCode::NOT_FOUND, "error-not-found", None),
        Error::TooManyRequests { retry_after_secs } => (
            StatusCode::TOO_MANY_REQUESTS,
            "error-too-many",
            Some(*retry_after_secs),
        ),
        Error::Unauthenticated => (StatusCode::UNAUTHORIZED, "error-signin", None),
        Error::Forbidden(_) => (StatusCode::FORBIDDEN, "error-forbidden", None),
        Error::Invalid(_) | Error::BadRequest(_) => {
            (StatusCode::BAD_REQUEST, "error-bad-request", None)
        }
        other => {
            tracing::error!(error = ?other, "page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "error-internal", None)
        }
    };
    let title = lang.t(&format!("{key}-title"));
    let minutes = retry.map(|s| s.div_ceil(60).max(1) as i64).unwrap_or(1);
    let main = html! {
        section class="error-page" aria-labelledby="error-title" {
            h1 id="error-title" { (title) }
            p { (lang.tr(&format!("{key}-text"), &[("minutes", minutes.into())])) }
            p class="actions" {
                @if status == StatusCode::UNAUTHORIZED {
                    a class="button" href=(signin_href(req)) { (lang.t("error-signin-link")) }
                    " "
                }
                a class="button" href=(chrome.brand_href) { (lang.t("error-back-home")) }
                " "
                a href="/" { (lang.t("error-agency-index")) }
            }
        }
    };
    let mut response = PageResponse::new(layout::page(req, chrome, &title, main))
        .status(status)
        .no_store();
    if let Some(secs) = retry {
        response = response.header(header::RETRY_AFTER, secs.to_string());
    }
    response.finish(req)
}

/// The sign-in page, coming back here afterwards (a GET only: a form's input cannot
/// survive the detour through an address).
fn signin_href(req: &PageReq) -> String {
    let next = if req.query.is_empty() {
        req.path.clone()
    } else {
        req.href_with(&[])
    };
    format!("/console/login?next={}", super::response::url_encode(&next))
}

/// A page the access check refused (not signed in, no permission, unknown agency).
pub fn refused(req: &PageReq, err: Error) -> Response {
    let chrome = if req.path.starts_with("/console") {
        Chrome::console(req)
    } else {
        Chrome::platform(req)
    };
    page(req, &chrome, PageError(err))
}

/// The 404 page for an address no route knows.
pub fn not_found(req: &PageReq) -> Response {
    let chrome = Chrome::platform(req);
    page(req, &chrome, PageError(Error::NotFound(req.path.clone())))
}
