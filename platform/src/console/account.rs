//! The user's own account: change the password, and API tokens (a new token's secret is
//! shown once, through the session, after the redirect; list; revoke). The same
//! services as `/api/v1/auth/*`, so limits, checks and audit entries are those of the API.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use tower_sessions::Session;

use super::{field, form, see_other, Desk};
use crate::app::AppState;
use crate::auth::tokens::{self, TokenInfo};
use crate::http::ClientAddr;
use crate::kernel::error::{Error, FieldProblem};
use crate::web::error::PageResult;
use crate::web::{Lang, PageReq};

/// The session key of a new token's secret, until the next page shows it.
const NEW_SECRET: &str = "console_new_token";

/// What went wrong in one of the page's two forms, with what was entered.
#[derive(Default)]
struct Problems {
    password: Vec<FieldProblem>,
    token: Vec<FieldProblem>,
    token_name: String,
    token_days: String,
}

/// `GET /console/account`
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    req: PageReq,
    desk: Desk,
) -> Response {
    let secret = session.remove::<String>(NEW_SECRET).await.ok().flatten();
    let result = render(
        &state,
        &req,
        &desk,
        secret,
        Problems::default(),
        StatusCode::OK,
    )
    .await;
    desk.finish(&req, result)
}

async fn render(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    secret: Option<String>,
    problems: Problems,
    status: StatusCode,
) -> PageResult {
    let lang = req.lang;
    let list = tokens::list(&state.db, &desk.principal.user.id).await?;
    let title = lang.t("console-account-title");
    let main = html! {
        h1 { (title) }
        p { (desk.principal.user.display_name) " <" (desk.principal.user.email) ">" }
        section aria-labelledby="pw-title" {
            h2 id="pw-title" { (lang.t("console-password-title")) }
            @if req.param("changed").is_some() {
                p class="notice" role="status" { (lang.t("console-password-changed")) }
            }
            form method="post" action="/console/account/password" novalidate {
                (desk.csrf_field())
                (password_field(lang, "current_password", "current-password", &problems.password))
                (password_field(lang, "new_password", "new-password", &problems.password))
                p { button type="submit" class="button" { (lang.t("console-password-change")) } }
            }
        }
        section aria-labelledby="tokens-title" {
            h2 id="tokens-title" { (lang.t("console-tokens-title")) }
            @if let Some(secret) = &secret {
                div class="notice" role="status" {
                    p { (lang.t("console-token-shown-once")) }
                    p { code id="new-token" { (secret) } }
                }
            }
            (token_table(lang, desk, &list))
            h3 { (lang.t("console-token-new")) }
            form method="post" action="/console/account/tokens" novalidate {
                (desk.csrf_field())
                (text_field(lang, "name", "text", &problems.token_name, &problems.token))
                (text_field(lang, "expires_in_days", "number", &problems.token_days, &problems.token))
                p { button type="submit" class="button" { (lang.t("console-token-create")) } }
            }
        }
    };
    Ok(desk.page(req, &title, main).status(status))
}

pub(super) fn problem_of<'a>(problems: &'a [FieldProblem], name: &str) -> Option<&'a FieldProblem> {
    problems.iter().find(|p| p.field == name)
}

pub(super) fn error_line(lang: Lang, id: &str, problem: Option<&FieldProblem>) -> Markup {
    html! {
        @if let Some(p) = problem {
            span class="field-error" id=(id) { (lang.t(&format!("console-error-{}", p.field))) " (" (p.message) ")" }
        }
    }
}

pub(super) fn password_field(
    lang: Lang,
    name: &str,
    autocomplete: &str,
    problems: &[FieldProblem],
) -> Markup {
    let problem = problem_of(problems, name);
    let err_id = format!("{name}-error");
    html! {
        p class="field" {
            label for=(name) { (lang.t(&format!("console-field-{name}"))) }
            input id=(name) name=(name) type="password" autocomplete=(autocomplete) required
                aria-invalid=[problem.map(|_| "true")] aria-describedby=[problem.map(|_| err_id.as_str())];
            (error_line(lang, &err_id, problem))
        }
    }
}

pub(super) fn text_field(
    lang: Lang,
    name: &str,
    kind: &str,
    value: &str,
    problems: &[FieldProblem],
) -> Markup {
    let problem = problem_of(problems, name);
    let err_id = format!("{name}-error");
    html! {
        p class="field" {
            label for=(name) { (lang.t(&format!("console-field-{name}"))) }
            input id=(name) name=(name) type=(kind) value=(value)
                aria-invalid=[problem.map(|_| "true")] aria-describedby=[problem.map(|_| err_id.as_str())];
            (error_line(lang, &err_id, problem))
        }
    }
}

fn token_table(lang: Lang, desk: &Desk, list: &[TokenInfo]) -> Markup {
    html! {
        @if list.is_empty() {
            p { (lang.t("console-tokens-none")) }
        } @else {
            table class="data" {
                thead { tr {
                    th scope="col" { (lang.t("console-field-name")) }
                    th scope="col" { (lang.t("console-token-created")) }
                    th scope="col" { (lang.t("console-token-expires")) }
                    th scope="col" { (lang.t("console-token-state")) }
                } }
                tbody {
                    @for t in list {
                        tr {
                            td { (t.name) }
                            td { (short(&t.created_at)) }
                            td { (t.expires_at.as_deref().map(short).unwrap_or("—")) }
                            td {
                                @if t.revoked_at.is_some() {
                                    (lang.t("console-token-revoked"))
                                } @else {
                                    form method="post" action=(format!("/console/account/tokens/{}/revoke", t.id)) {
                                        (desk.csrf_field())
                                        button type="submit" aria-label=(format!("{} {}", lang.t("console-token-revoke"), t.name)) {
                                            (lang.t("console-token-revoke"))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The day of a stored timestamp.
fn short(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// `POST /console/account/password`: the API's service; this session stays, every
/// other session and every API token of the account ends.
pub async fn password(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    session: Session,
    mut req: PageReq,
    desk: Desk,
    body: Bytes,
) -> Response {
    // A page shown again is the account page (its language switch leads there).
    req.path = "/console/account".into();
    let pairs = form(&body);
    let user = &desk.principal.user;
    let done = match state.login_limiter.attempt(&user.email, addr) {
        Ok(()) => {
            crate::users::service::change_own_password(
                state.accounts(),
                &desk.principal.actor(),
                &user.id,
                field(&pairs, "current_password"),
                field(&pairs, "new_password"),
                session.id(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    let password = match done {
        Ok(()) => return see_other("/console/account?changed=1", &[]),
        Err(Error::BadCredentials) => vec![FieldProblem::new(
            "current_password",
            "the current password is not right",
        )],
        Err(Error::Invalid(problems)) => problems,
        Err(other) => return desk.finish(&req, Err(other.into())),
    };
    let problems = Problems {
        password,
        ..Problems::default()
    };
    let result = render(
        &state,
        &req,
        &desk,
        None,
        problems,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    desk.finish(&req, result)
}

/// `POST /console/account/tokens`
pub async fn create_token(
    State(state): State<AppState>,
    session: Session,
    mut req: PageReq,
    desk: Desk,
    body: Bytes,
) -> Response {
    // A page shown again is the account page (its language switch leads there).
    req.path = "/console/account".into();
    let pairs = form(&body);
    let name = field(&pairs, "name").to_string();
    let days_text = field(&pairs, "expires_in_days").trim().to_string();
    let days = match days_text.as_str() {
        "" => Ok(None),
        d => d
            .parse::<u32>()
            .map(Some)
            .map_err(|_| Error::invalid("expires_in_days", "1–3650 days, or none")),
    };
    let created = match days {
        Ok(days) => {
            let principal = &desk.principal;
            tokens::create(
                &state.db,
                &principal.actor(),
                &principal.user.id,
                &name,
                days,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match created {
        Ok((_, secret)) => match session.insert(NEW_SECRET, secret).await {
            Ok(()) => see_other("/console/account", &[]),
            Err(e) => desk.finish(&req, Err(Error::internal_cause("session", e).into())),
        },
        Err(Error::Invalid(token)) => {
            let problems = Problems {
                token,
                token_name: name,
                token_days: days_text,
                ..Problems::default()
            };
            let result = render(
                &state,
                &req,
                &desk,
                None,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
            desk.finish(&req, result)
        }
        Err(other) => desk.finish(&req, Err(other.into())),
    }
}

/// `POST /console/account/tokens/{id}/revoke`: only the user's own tokens (another's id
/// is not found).
pub async fn revoke_token(
    State(state): State<AppState>,
    req: PageReq,
    desk: Desk,
    Path(id): Path<String>,
) -> Response {
    let principal = &desk.principal;
    match tokens::revoke(&state.db, &principal.actor(), &principal.user.id, &id).await {
        Ok(()) => {
            state.principals.forget_tokens();
            see_other("/console/account", &[])
        }
        Err(other) => desk.finish(&req, Err(other.into())),
    }
}
