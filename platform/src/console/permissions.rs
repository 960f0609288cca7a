//! The permission matrix page: the agency's roles × permissions, the platform's grants
//! shown as the default and the agency's withdrawals marked as its changes. Each cell the
//! user may change is a small form (withdraw / give back) posting to the console, which
//! calls the same service as `PUT /api/v1/tenants/{slug}/permissions/{role}/{permission}`
//! and is registered with that route's rule. The next request of every affected member
//! obeys the change.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use maud::html;

use super::{field, form, see_other, Desk};
use crate::app::AppState;
use crate::authz::routes::{MATRIX, MATRIX_CELL};
use crate::authz::withdrawals;
use crate::http::access::Ctx;
use crate::http::Routes;
use crate::kernel::error::Error;
use crate::web::error::PageResult;
use crate::web::PageReq;

pub fn routes(r: Routes) -> Routes {
    let read = r.access_of(&Method::GET, MATRIX);
    let change = r.access_of(&Method::PUT, MATRIX_CELL);
    r.add_page(Method::GET, "/console/{slug}/permissions", read, page)
        .add_page(Method::POST, "/console/{slug}/permissions", change, post)
}

async fn page(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render(&state, &req, &desk, None, StatusCode::OK).await;
    desk.finish(&req, result)
}

/// `POST /console/{slug}/permissions` with `role`, `permission` and `granted` (`0`/`1`).
async fn post(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    body: Bytes,
) -> Response {
    let pairs = form(&body);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let outcome = withdrawals::set(
        &state.db,
        &state.authz,
        &ctx.actor(),
        tenant,
        field(&pairs, "role"),
        field(&pairs, "permission"),
        field(&pairs, "granted") == "1",
    )
    .await;
    match outcome {
        Ok(()) => see_other(&format!("/console/{}/permissions", tenant.slug), &[]),
        Err(err @ (Error::Conflict { .. } | Error::Invalid(_) | Error::NotFound(_))) => {
            let status = match &err {
                Error::Conflict { .. } => StatusCode::CONFLICT,
                Error::NotFound(_) => StatusCode::NOT_FOUND,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let result = render(&state, &req, &desk, Some(err.to_string()), status).await;
            desk.finish(&req, result)
        }
        Err(other) => desk.finish(&req, Err(other.into())),
    }
}

async fn render(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    refusal: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let rows = withdrawals::matrix(&state.db, &state.authz, tenant).await?;
    let may_change = desk.may(state, Method::PUT, MATRIX_CELL).await?;
    let action = format!("/console/{}/permissions", tenant.slug);
    // Columns: the permissions some role here is granted (the rest are all "no").
    let permissions: Vec<&str> = rows[0]
        .cells
        .iter()
        .map(|c| c.permission.as_str())
        .filter(|p| {
            rows.iter().any(|r| {
                r.cells
                    .iter()
                    .any(|c| c.permission == *p && c.granted_by_platform)
            })
        })
        .collect();
    let title = lang.t("console-permissions-title");
    let main = html! {
        h1 { (title) }
        p { (lang.t("console-permissions-intro")) }
        @if let Some(r) = &refusal { p class="error" role="alert" id="permissions-error" { (r) } }
        div class="table-scroll" {
            table class="matrix" {
                caption { (lang.t("console-permissions-caption")) }
                thead {
                    tr {
                        th scope="col" { (lang.t("console-permissions-permission")) }
                        @for row in &rows { th scope="col" { code { (row.role) } } }
                    }
                }
                tbody {
                    @for permission in &permissions {
                        tr {
                            th scope="row" { code { (permission) } }
                            @for row in &rows {
                                @let cell = row.cells.iter().find(|c| c.permission == *permission).expect("every permission in every row");
                                @if !cell.granted_by_platform {
                                    td class="no" { span aria-label=(lang.t("console-permissions-not-granted")) { "—" } }
                                } @else {
                                    td class=(if cell.withdrawn { "changed" } else { "yes" }) data-role=(row.role) data-permission=(permission) {
                                        @if cell.withdrawn { (lang.t("console-permissions-withdrawn")) } @else { "✓" }
                                        @if may_change {
                                            form method="post" action=(action) class="cell" {
                                                (desk.csrf_field())
                                                input type="hidden" name="role" value=(row.role);
                                                input type="hidden" name="permission" value=(permission);
                                                input type="hidden" name="granted" value=(if cell.withdrawn { "1" } else { "0" });
                                                button type="submit" aria-label=(format!("{} {} {}", if cell.withdrawn { lang.t("console-permissions-restore") } else { lang.t("console-permissions-withdraw") }, row.role, permission)) {
                                                    @if cell.withdrawn { (lang.t("console-permissions-restore")) } @else { (lang.t("console-permissions-withdraw")) }
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
    };
    Ok(desk.page(req, &title, main).status(status))
}
