//! Sign in, sign out and the choice of agency. Signing in goes through
//! `auth::signin` like the API (login limits, one answer for every bad credential);
//! the form carries a form token (there is no session yet), and the agency last worked
//! in is remembered in a cookie so that the next sign-in lands there.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use tower_sessions::Session;

use super::{field, form, safe_next, see_other, Desk, AGENCY_COOKIE};
use crate::app::AppState;
use crate::http::ClientAddr;
use crate::kernel::error::Error;
use crate::web::{csrf, layout, Chrome, PageReq, PageResponse};

const FORM: &str = "console-login";

/// The sign-in form, with the entered address and the reason of a refusal.
async fn form_page(
    state: &AppState,
    req: &PageReq,
    email: &str,
    error: Option<(String, StatusCode)>,
) -> Response {
    let lang = req.lang;
    let (token, cookie) = csrf::issue(
        state.secrets.cookie_key(),
        state.config.cookie_secure,
        req,
        FORM,
    );
    let next = safe_next(req.param("next").unwrap_or(""));
    let status = error.as_ref().map_or(StatusCode::OK, |(_, s)| *s);
    let main = html! {
        section class="signin" aria-labelledby="signin-title" {
            h1 id="signin-title" { (lang.t("console-signin-title")) }
            @if let Some((message, _)) = &error {
                p class="form-error" role="alert" id="signin-error" { (message) }
            }
            form method="post" action=(format!("/console/login?next={}", crate::web::response::url_encode(&next))) {
                input type="hidden" name="token" value=(token);
                p class="field" {
                    label for="email" { (lang.t("console-email")) }
                    input id="email" name="email" type="email" autocomplete="username" required
                        value=(email) aria-describedby=[error.as_ref().map(|_| "signin-error")];
                }
                p class="field" {
                    label for="password" { (lang.t("console-password")) }
                    input id="password" name="password" type="password" autocomplete="current-password" required;
                }
                p { button type="submit" class="button" { (lang.t("console-sign-in")) } }
            }
        }
    };
    let title = lang.t("console-signin-title");
    let mut page = PageResponse::new(layout::page(req, &Chrome::console(req), &title, main))
        .status(status)
        .no_store();
    if let Some(c) = cookie {
        page = page.cookie(c);
    }
    page.finish(req)
}

/// `GET /console/login`
pub async fn show(State(state): State<AppState>, req: PageReq) -> Response {
    form_page(&state, &req, "", None).await
}

/// `POST /console/login`
pub async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    session: Session,
    req: PageReq,
    body: Bytes,
) -> Response {
    let lang = req.lang;
    let pairs = form(&body);
    let email: String = field(&pairs, "email").trim().chars().take(200).collect();
    let password = field(&pairs, "password");
    if !csrf::verify(
        state.secrets.cookie_key(),
        state.config.cookie_secure,
        &req,
        FORM,
        field(&pairs, "token"),
    ) {
        let message = lang.t("apply-error-form");
        return form_page(&state, &req, &email, Some((message, StatusCode::FORBIDDEN))).await;
    }
    let result = crate::auth::signin::sign_in(
        &state.db,
        &state.login_limiter,
        &session,
        &email,
        password,
        addr,
    )
    .await;
    let refused = match result {
        Ok(_) => {
            let next = safe_next(req.param("next").unwrap_or(""));
            return see_other(&next, &[]);
        }
        Err(Error::BadCredentials) => (lang.t("console-signin-wrong"), StatusCode::UNAUTHORIZED),
        Err(Error::TooManyRequests { retry_after_secs }) => (
            lang.tr(
                "console-signin-locked",
                &[(
                    "minutes",
                    (retry_after_secs.div_ceil(60).max(1) as i64).into(),
                )],
            ),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(Error::Forbidden(_)) => (lang.t("console-signin-no-role"), StatusCode::FORBIDDEN),
        Err(other) => {
            return crate::web::error::page(&req, &Chrome::console(&req), other.into());
        }
    };
    form_page(&state, &req, &email, Some(refused)).await
}

/// `POST /console/logout`
pub async fn logout(session: Session, req: PageReq) -> Response {
    match crate::auth::principal::end_session(&session).await {
        Ok(()) => see_other("/console/login", &[]),
        Err(err) => crate::web::error::page(&req, &Chrome::console(&req), err.into()),
    }
}

/// `GET /console/`: the agency remembered from last time, the only one, or a choice.
pub async fn choose(req: PageReq, desk: Desk) -> Response {
    let remembered = req
        .cookie(AGENCY_COOKIE)
        .filter(|slug| desk.agencies.iter().any(|a| a.slug == *slug));
    if let Some(slug) = remembered {
        return see_other(&format!("/console/{slug}/"), &[]);
    }
    if let [only] = desk.agencies.as_slice() {
        return see_other(&format!("/console/{}/", only.slug), &[]);
    }
    let lang = req.lang;
    let main = html! {
        h1 { (lang.t("console-choose-title")) }
        @if desk.agencies.is_empty() {
            p { (lang.t("console-choose-none")) }
        }
        ul class="agency-list" {
            @for a in &desk.agencies {
                li {
                    a href=(format!("/console/{}/", a.slug)) { (a.name) }
                    " "
                    span class="roles" { (super::desk::role_names(lang, &a.roles)) }
                }
            }
        }
    };
    desk.finish(
        &req,
        Ok(desk.page(&req, &lang.t("console-choose-title"), main)),
    )
}
