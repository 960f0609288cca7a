//! Annual reports over the API, under `/api/v1/tenants/{slug}/reports/{year}`. Reading
//! needs `reports:read`; drafting, adjusting, writing and submitting `reports:write`.

use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{AdjustInput, FigureView, PriorCarriedInput, ReportView, SectionsInput};
use super::{service, Reports};
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{FieldProblem, Result};

const READ: Access = Access::Tenant("reports:read");
const WRITE: Access = Access::Tenant("reports:write");

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::POST,
        "/api/v1/tenants/{slug}/reports/{year}",
        WRITE,
        draft,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/reports/{year}",
        READ,
        get,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/reports/{year}/cells/{cell}",
        WRITE,
        adjust,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/reports/{year}/sections",
        WRITE,
        sections,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/reports/{year}/prior-carried",
        WRITE,
        prior_carried,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/reports/{year}/checks",
        READ,
        checks,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/reports/{year}/submit",
        WRITE,
        submit,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/reports/{year}/figures/{cell}",
        READ,
        figure,
    )
}

fn reports(state: &AppState) -> Reports {
    Reports {
        db: state.db.clone(),
        clock: state.clock.clone(),
    }
}

/// Count the year's figures from the records: creates the draft, or refreshes a draft's
/// computed values (adjustments and sections are kept). Refused for a future year or a
/// year without records.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/reports/{year}", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = ReportView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn draft(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
) -> Result<Json<ReportView>> {
    let view = service::draft(&reports(&state), ctx.tenant()?, &ctx.actor(), year).await?;
    Ok(Json(view))
}

/// The report: every cell (adjusted ones marked, the computed value beside), sections,
/// and the cross-checks that fail now.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/reports/{year}", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = ReportView), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
) -> Result<Json<ReportView>> {
    Ok(Json(
        service::get(&reports(&state), ctx.tenant()?, year).await?,
    ))
}

/// Adjust one cell by hand (`reason` required), or return it to the computed value
/// (`value: null`). Written to the audit log.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/reports/{year}/cells/{cell}", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path), ("cell" = String, Path, description = "e.g. t3:3.4:person")),
    request_body = AdjustInput,
    responses((status = 200, body = ReportView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn adjust(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year, cell)): Path<(String, i32, String)>,
    ApiJson(input): ApiJson<AdjustInput>,
) -> Result<Json<ReportView>> {
    let view = service::adjust(
        &reports(&state),
        ctx.tenant()?,
        &ctx.actor(),
        year,
        &cell,
        input,
    )
    .await?;
    Ok(Json(view))
}

/// Write sections 一, 五 and 六.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/reports/{year}/sections", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path)), request_body = SectionsInput,
    responses((status = 200, body = ReportView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn sections(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
    ApiJson(input): ApiJson<SectionsInput>,
) -> Result<Json<ReportView>> {
    let view =
        service::edit_sections(&reports(&state), ctx.tenant()?, &ctx.actor(), year, input).await?;
    Ok(Json(view))
}

/// Set the previous year's carried-to-next-year figure (row 四) by hand, with a reason,
/// when the platform has no report of that year.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/reports/{year}/prior-carried", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path)), request_body = PriorCarriedInput,
    responses((status = 200, body = ReportView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn prior_carried(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
    ApiJson(input): ApiJson<PriorCarriedInput>,
) -> Result<Json<ReportView>> {
    let view =
        service::set_prior_carried(&reports(&state), ctx.tenant()?, &ctx.actor(), year, input)
            .await?;
    Ok(Json(view))
}

/// The cross-checks that fail now, each naming its cell and both sides of the equation.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/reports/{year}/checks", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = Vec<FieldProblem>), (status = 404, body = Problem)))]
pub async fn checks(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
) -> Result<Json<Vec<FieldProblem>>> {
    Ok(Json(
        service::check(&reports(&state), ctx.tenant()?, year).await?,
    ))
}

/// Submit the report: refused (422, every failing check in `errors`) unless it adds up,
/// and while its year is not over.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/reports/{year}/submit", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = ReportView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
) -> Result<Json<ReportView>> {
    let view = service::submit(&reports(&state), ctx.tenant()?, &ctx.actor(), year).await?;
    Ok(Json(view))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FigureQuery {
    /// How many records to list (default 500, at most 5000).
    pub limit: Option<i64>,
}

/// The records a figure counts: request ids and tracking numbers, item ids and titles,
/// remedy ids and case numbers.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/reports/{year}/figures/{cell}", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path), ("cell" = String, Path, description = "e.g. t3:new:person"), FigureQuery),
    responses((status = 200, body = FigureView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn figure(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year, cell)): Path<(String, i32, String)>,
    Query(q): Query<FigureQuery>,
) -> Result<Json<FigureView>> {
    Ok(Json(
        service::figure(&reports(&state), ctx.tenant()?, year, &cell, q.limit).await?,
    ))
}
