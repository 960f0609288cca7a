//! The agency's members and their roles: who works here with which roles, and for those
//! who manage members, a role given or taken back per member and an account enrolled with
//! roles. Each form posts to the console, which calls the same service as the members API
//! and is registered with that route's rule; the service's own refusals (nobody changes
//! their own roles, an agency's administrator enrols only accounts already in it) come
//! back on the page beside the form that caused them.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use maud::html;

use super::account::{error_line, problem_of, text_field};
use super::{field, form, see_other, Desk};
use crate::app::AppState;
use crate::authz::catalog;
use crate::http::access::Ctx;
use crate::http::Routes;
use crate::kernel::error::{Error, FieldProblem};
use crate::users::service::{self as users, NewMember};
use crate::users::store;
use crate::web::error::PageResult;
use crate::web::PageReq;

pub const LIST_API: &str = "/api/v1/tenants/{slug}/members";
const ROLE_API: &str = "/api/v1/tenants/{slug}/members/{user_id}/roles/{role}";

pub fn routes(r: Routes) -> Routes {
    let read = r.access_of(&Method::GET, LIST_API);
    let add = r.access_of(&Method::POST, LIST_API);
    let grant = r.access_of(&Method::PUT, ROLE_API);
    let revoke = r.access_of(&Method::DELETE, ROLE_API);
    r.add_page(Method::GET, "/console/{slug}/members", read, page)
        .add_page(Method::POST, "/console/{slug}/members", add, add_member)
        .add_page(
            Method::POST,
            "/console/{slug}/members/{user_id}/roles",
            grant,
            grant_role,
        )
        .add_page(
            Method::POST,
            "/console/{slug}/members/{user_id}/roles/{role}/revoke",
            revoke,
            revoke_role,
        )
}

/// What went wrong with a posted form, to show beside it.
enum Failed {
    /// The enrolment form, with its values (never the password) and problems.
    Add {
        email: String,
        display_name: String,
        roles: Vec<String>,
        problems: Vec<FieldProblem>,
    },
    /// A role change of one member, refused with a reason.
    Role { user_id: String, reason: String },
}

async fn page(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render(&state, &req, &desk, None).await;
    desk.finish(&req, result)
}

/// `POST /console/{slug}/members` with `email`, `display_name`, `password` and `roles`.
async fn add_member(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    body: Bytes,
) -> Response {
    let pairs = form(&body);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let optional =
        |name: &str| Some(field(&pairs, name).trim().to_string()).filter(|v| !v.is_empty());
    let roles: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "roles")
        .map(|(_, v)| v.clone())
        .collect();
    let input = NewMember {
        email: field(&pairs, "email").trim().to_string(),
        display_name: optional("display_name"),
        password: Some(field(&pairs, "password").to_string()).filter(|p| !p.is_empty()),
        roles: roles.clone(),
    };
    match users::add_member(state.accounts(), &ctx.actor(), tenant, input).await {
        Ok(_) => see_other(&format!("/console/{}/members", tenant.slug), &[]),
        Err(err) => {
            let Some(status) = refusal_status(&err) else {
                return desk.finish(&req, Err(err.into()));
            };
            let problems = match err {
                Error::Invalid(problems) => problems,
                other => vec![FieldProblem::new("email", other.to_string())],
            };
            let failed = Failed::Add {
                email: field(&pairs, "email").to_string(),
                display_name: field(&pairs, "display_name").to_string(),
                roles,
                problems,
            };
            let result = render(&state, &req, &desk, Some(failed)).await;
            desk.finish(&req, result.map(|p| p.status(status)))
        }
    }
}

/// `POST /console/{slug}/members/{user_id}/roles` with `role`.
async fn grant_role(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, user_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let pairs = form(&body);
    let role = field(&pairs, "role").to_string();
    change_role(state, req, ctx, desk, user_id, role, true).await
}

/// `POST /console/{slug}/members/{user_id}/roles/{role}/revoke`.
async fn revoke_role(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, user_id, role)): Path<(String, String, String)>,
) -> Response {
    change_role(state, req, ctx, desk, user_id, role, false).await
}

async fn change_role(
    state: AppState,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    user_id: String,
    role: String,
    give: bool,
) -> Response {
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let actor = ctx.actor();
    let outcome = if give {
        users::grant(state.accounts(), &actor, tenant, &user_id, &role).await
    } else {
        users::revoke(state.accounts(), &actor, tenant, &user_id, &role).await
    };
    match outcome {
        Ok(()) => see_other(&format!("/console/{}/members", tenant.slug), &[]),
        Err(err) => {
            let Some(status) = refusal_status(&err) else {
                return desk.finish(&req, Err(err.into()));
            };
            let failed = Failed::Role {
                user_id,
                reason: match err {
                    Error::Invalid(problems) => problems
                        .iter()
                        .map(|p| p.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    other => other.to_string(),
                },
            };
            let result = render(&state, &req, &desk, Some(failed)).await;
            desk.finish(&req, result.map(|p| p.status(status)))
        }
    }
}

/// The status of a refusal the page answers itself (the rest are error pages).
fn refusal_status(err: &Error) -> Option<StatusCode> {
    match err {
        Error::Invalid(_) => Some(StatusCode::UNPROCESSABLE_ENTITY),
        Error::Forbidden(_) => Some(StatusCode::FORBIDDEN),
        Error::NotFound(_) => Some(StatusCode::NOT_FOUND),
        Error::Conflict { .. } => Some(StatusCode::CONFLICT),
        _ => None,
    }
}

async fn render(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    failed: Option<Failed>,
) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let members = store::members(&state.db, &tenant.id).await?;
    let may_grant = desk.may(state, Method::PUT, ROLE_API).await?;
    let may_revoke = desk.may(state, Method::DELETE, ROLE_API).await?;
    let may_add = desk.may(state, Method::POST, LIST_API).await?;
    // The roles an agency's member can hold (platform_admin only on the platform root).
    let roles: Vec<&str> = catalog::ROLES
        .iter()
        .map(|(r, _)| *r)
        .filter(|r| *r != "platform_admin" || tenant.is_platform())
        .collect();
    let me = desk.principal.user.id.as_str();
    let base = format!("/console/{}/members", tenant.slug);
    let role_label = |r: &str| lang.t(&format!("role-{r}"));
    let (add_values, add_problems) = match &failed {
        Some(Failed::Add {
            email,
            display_name,
            roles,
            problems,
        }) => (
            (email.as_str(), display_name.as_str(), roles.as_slice()),
            problems.as_slice(),
        ),
        _ => (("", "", &[][..]), &[][..]),
    };
    let title = lang.t("console-members-title");
    let main = html! {
        h1 { (title) }
        p { (lang.t("console-members-intro")) }
        div class="table-scroll" {
            table class="data" {
                caption { (lang.t("console-members-caption")) }
                thead {
                    tr {
                        th scope="col" { (lang.t("console-field-display_name")) }
                        th scope="col" { (lang.t("console-field-email")) }
                        th scope="col" { (lang.t("console-members-roles")) }
                        @if may_grant { th scope="col" { (lang.t("console-members-give")) } }
                    }
                }
                tbody {
                    @for m in &members {
                        @let own = m.user.id == me;
                        tr data-user=(m.user.id) {
                            td { (m.user.display_name) @if !m.user.active { " (" (lang.t("console-members-inactive")) ")" } }
                            td { (m.user.email) }
                            td {
                                ul class="roles" {
                                    @for r in &m.roles {
                                        li {
                                            (role_label(r))
                                            @if may_revoke && !own {
                                                form method="post" action=(format!("{base}/{}/roles/{r}/revoke", m.user.id)) class="inline" {
                                                    (desk.csrf_field())
                                                    button type="submit" aria-label=(format!("{} {} {}", lang.t("console-members-take"), m.user.display_name, role_label(r))) { (lang.t("console-members-take")) }
                                                }
                                            }
                                        }
                                    }
                                }
                                @if let Some(Failed::Role { user_id, reason }) = &failed {
                                    @if *user_id == m.user.id { p class="error" role="alert" id="role-error" { (reason) } }
                                }
                            }
                            @if may_grant {
                                td {
                                    @if own { (lang.t("console-members-not-own")) } @else {
                                        form method="post" action=(format!("{base}/{}/roles", m.user.id)) class="inline" {
                                            (desk.csrf_field())
                                            label class="visually-hidden" for=(format!("give-{}", m.user.id)) { (lang.t("console-members-give")) " " (m.user.display_name) }
                                            select id=(format!("give-{}", m.user.id)) name="role" {
                                                @for r in roles.iter().filter(|r| !m.roles.iter().any(|h| h == *r)) {
                                                    option value=(r) { (role_label(r)) }
                                                }
                                            }
                                            button type="submit" { (lang.t("console-members-give")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if may_add {
            h2 id="add-title" { (lang.t("console-members-add")) }
            p { (lang.t("console-members-add-intro")) }
            form method="post" action=(base) aria-labelledby="add-title" {
                (desk.csrf_field())
                (text_field(lang, "email", "email", add_values.0, add_problems))
                (text_field(lang, "display_name", "text", add_values.1, add_problems))
                // Not `required`: an account already in the agency is enrolled without one.
                (text_field(lang, "password", "password", "", add_problems))
                fieldset {
                    legend { (lang.t("console-members-roles")) }
                    @for r in &roles {
                        p class="field check" {
                            input type="checkbox" id=(format!("role-{r}")) name="roles" value=(r) checked[add_values.2.iter().any(|c| c == r)];
                            label for=(format!("role-{r}")) { (role_label(r)) }
                        }
                    }
                    (error_line(lang, "roles-error", problem_of(add_problems, "roles")))
                }
                p { button type="submit" class="button" { (lang.t("console-members-add")) } }
            }
        }
    };
    Ok(desk.page(req, &title, main))
}
