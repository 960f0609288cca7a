//! Annual reports over the API, under `/api/v1/tenants/{slug}/reports/{year}`. Reading
//! needs `reports:read`; drafting, adjusting, writing and submitting `reports:write`.

use axum::extract::{FromRef, Path, Query, State};
use axum::http::Method;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::model::{AdjustInput, FigureView, PriorCarriedInput, ReportView, SectionsInput};
use super::summary::SummaryView;
use super::{service, Reports};
use crate::app::AppState;
use crate::disclosure::Disclosure;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{FieldProblem, Result};

const READ: Access = Access::Tenant("reports:read");
const WRITE: Access = Access::Tenant("reports:write");

pub fn routes(r: Routes) -> Routes {
    let r = super::downloads::routes(r);
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
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/reports/{year}/reopen",
        WRITE,
        reopen,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/reports/{year}/summary",
        READ,
        summary,
    )
}

fn reports(state: &AppState) -> Reports {
    Reports::new(Disclosure::from_ref(state))
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenInput {
    /// Why the submitted report must change: kept in the audit log.
    pub reason: Option<String>,
}

/// Return a submitted report to draft, with a reason, while its item is a draft (never
/// sent to review, sent back by a reviewer, or revised after publication). Submitting
/// it again gives the item a new version, which is reviewed again.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/reports/{year}/reopen", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path)), request_body = ReopenInput,
    responses((status = 200, body = ReportView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reopen(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
    ApiJson(input): ApiJson<ReopenInput>,
) -> Result<Json<ReportView>> {
    let reports = reports(&state);
    let tenant = ctx.tenant()?;
    super::publication::reopen(
        &reports,
        tenant,
        &ctx.actor(),
        year,
        input.reason.as_deref(),
    )
    .await?;
    Ok(Json(service::get(&reports, tenant, year).await?))
}

/// A government's summary of the year: its own figures plus its child agencies'
/// submitted reports, cell by cell; which children are included and which are missing;
/// the cross-checks on the sum.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/reports/{year}/summary", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = SummaryView), (status = 409, body = Problem, description = "not a government"), (status = 422, body = Problem)))]
pub async fn summary(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
) -> Result<Json<SummaryView>> {
    Ok(Json(
        super::summary::summary(&reports(&state), ctx.tenant()?, year).await?,
    ))
}
