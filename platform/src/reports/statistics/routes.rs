//! Statistics over the API, under `/api/v1/tenants/{slug}/statistics`: JSON, downloads
//! (CSV, XLSX) and SVG charts of the monthly counts, the quarterly ranking and the
//! year-on-year comparison. All need `reports:read`.

use axum::extract::{FromRef, Path, Query, State};
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::export::{self, Sheet};
use super::monthly::{self, MonthlyQuery, MonthlyView};
use super::ranking::{self, RankingQuery, RankingView};
use super::views;
use super::year_on_year::{self, YearOnYearView};
use crate::app::AppState;
use crate::disclosure::Disclosure;
use crate::http::access::{Access, Ctx};
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{Error, Result};
use crate::reports::downloads::attachment;
use crate::reports::Reports;

const READ: Access = Access::Tenant("reports:read");

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/api/v1/tenants/{slug}/statistics/monthly",
        READ,
        monthly_json,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/statistics/monthly/download/{format}",
        READ,
        monthly_download,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/statistics/monthly/charts/{chart}",
        READ,
        monthly_chart,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/statistics/ranking",
        READ,
        ranking_json,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/statistics/ranking/download/{format}",
        READ,
        ranking_download,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/statistics/ranking/charts/{metric}",
        READ,
        ranking_chart,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/statistics/year-on-year/{year}",
        READ,
        year_on_year_json,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/statistics/year-on-year/{year}/download/{format}",
        READ,
        year_on_year_download,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/statistics/year-on-year/{year}/chart",
        READ,
        year_on_year_chart,
    )
}

fn reports(state: &AppState) -> Reports {
    Reports::new(Disclosure::from_ref(state))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";

/// `csv` (the first sheet, or the one `csv_sheet` picks) or `xlsx` (every sheet).
fn file(mut sheets: Vec<Sheet>, format: &str, stem: &str) -> Result<Response> {
    let pick = |sheets: &mut Vec<Sheet>, i: usize| {
        if i < sheets.len() {
            Ok(sheets.swap_remove(i))
        } else {
            Err(Error::NotFound(format!("download format `{format}`")))
        }
    };
    let (bytes, media, ext) = match format {
        "xlsx" => (export::xlsx(&sheets)?, XLSX, "xlsx"),
        "csv" => (export::csv(&pick(&mut sheets, 0)?), CSV, "csv"),
        "items-csv" => (export::csv(&pick(&mut sheets, 1)?), CSV, "csv"),
        other => return Err(Error::NotFound(format!("download format `{other}`"))),
    };
    let name = format!("{stem}.{ext}");
    Ok(attachment(bytes, media, &name, &name))
}

fn svg(body: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml; charset=utf-8"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            // Opened directly, the image may run nothing.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
            ),
        ],
        body,
    )
        .into_response()
}

/// Monthly counts of this agency (or, for a government, of an agency under it): items
/// first published by kind and node; requests received, closed, overdue, answered and
/// answered in time; the median days to answer; each figure's definition. Refused
/// (422, naming the field) for a month not begun, an unknown agency, or a range in
/// which no record counts.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/statistics/monthly", tag = "statistics",
    params(("slug" = String, Path), MonthlyQuery),
    responses((status = 200, body = MonthlyView), (status = 422, body = Problem)))]
pub async fn monthly_json(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MonthlyQuery>,
) -> Result<Json<MonthlyView>> {
    Ok(Json(
        monthly::monthly(&reports(&state), ctx.tenant()?, &q).await?,
    ))
}

/// The monthly counts as a file: `xlsx` (a sheet of months, a sheet by kind and node,
/// the definitions under each), `csv` (the months) or `items-csv` (by kind and node).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/statistics/monthly/download/{format}", tag = "statistics",
    params(("slug" = String, Path), ("format" = String, Path, description = "`xlsx`, `csv` or `items-csv`"), MonthlyQuery),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn monthly_download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, format)): Path<(String, String)>,
    Query(q): Query<MonthlyQuery>,
) -> Result<Response> {
    let view = monthly::monthly(&reports(&state), ctx.tenant()?, &q).await?;
    let stem = format!("statistics-{}-{}-{}", view.agency.slug, view.from, view.to);
    file(views::monthly_sheets(&view), &format, &stem)
}

/// A monthly chart as SVG: `items` (bars), `requests` (lines: received, closed,
/// overdue), `timeliness` (line: share answered in time) or `days` (bars: median days).
/// Its `<title>` names it and its `<desc>` carries every figure.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/statistics/monthly/charts/{chart}", tag = "statistics",
    params(("slug" = String, Path), ("chart" = String, Path, description = "`items`, `requests`, `timeliness` or `days`"), MonthlyQuery),
    responses((status = 200, description = "SVG", content_type = "image/svg+xml"),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn monthly_chart(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, chart)): Path<(String, String)>,
    Query(q): Query<MonthlyQuery>,
) -> Result<Response> {
    if !views::MONTHLY_CHARTS.iter().any(|(n, _)| *n == chart) {
        return Err(Error::NotFound(format!("chart `{chart}`")));
    }
    let view = monthly::monthly(&reports(&state), ctx.tenant()?, &q).await?;
    let body = views::monthly_chart(&view, &chart)
        .ok_or_else(|| Error::NotFound(format!("chart `{chart}`")))?;
    Ok(svg(body))
}

/// The quarterly ranking of a government's agencies: each metric ranked on its own,
/// its definition beside it, the counts behind each value; no composite score.
/// 409 for a tenant that is not a government; 422 for a quarter not begun or one in
/// which no agency has records.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/statistics/ranking", tag = "statistics",
    params(("slug" = String, Path), RankingQuery),
    responses((status = 200, body = RankingView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn ranking_json(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RankingQuery>,
) -> Result<Json<RankingView>> {
    Ok(Json(
        ranking::ranking(&reports(&state), ctx.tenant()?, &q).await?,
    ))
}

/// The ranking as a file: `xlsx` or `csv` (one line per metric and agency; the
/// definitions first).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/statistics/ranking/download/{format}", tag = "statistics",
    params(("slug" = String, Path), ("format" = String, Path, description = "`xlsx` or `csv`"), RankingQuery),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn ranking_download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, format)): Path<(String, String)>,
    Query(q): Query<RankingQuery>,
) -> Result<Response> {
    let view = ranking::ranking(&reports(&state), ctx.tenant()?, &q).await?;
    let stem = format!("ranking-{}", view.quarter);
    file(vec![views::ranking_sheet(&view)], &format, &stem)
}

/// One metric's ranking as an SVG bar chart, best first.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/statistics/ranking/charts/{metric}", tag = "statistics",
    params(("slug" = String, Path), ("metric" = String, Path, description = "`items_per_month`, `items_published_in_time` or `requests_answered_in_time`"), RankingQuery),
    responses((status = 200, description = "SVG", content_type = "image/svg+xml"),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn ranking_chart(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, metric)): Path<(String, String)>,
    Query(q): Query<RankingQuery>,
) -> Result<Response> {
    if !ranking::METRICS.iter().any(|m| m.0 == metric) {
        return Err(Error::NotFound(format!("metric `{metric}`")));
    }
    let view = ranking::ranking(&reports(&state), ctx.tenant()?, &q).await?;
    let body = views::ranking_chart(&view, &metric)
        .ok_or_else(|| Error::NotFound(format!("metric `{metric}`")))?;
    Ok(svg(body))
}

/// The report of `year` beside the previous year's, cell by cell (the change; `null`
/// without a previous report). 422 when there is no report of `year`.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/statistics/year-on-year/{year}", tag = "statistics",
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = YearOnYearView), (status = 422, body = Problem)))]
pub async fn year_on_year_json(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
) -> Result<Json<YearOnYearView>> {
    Ok(Json(
        year_on_year::compare(&reports(&state), ctx.tenant()?, year).await?,
    ))
}

/// The comparison as a file: `xlsx` or `csv`.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/statistics/year-on-year/{year}/download/{format}", tag = "statistics",
    params(("slug" = String, Path), ("year" = i32, Path), ("format" = String, Path, description = "`xlsx` or `csv`")),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn year_on_year_download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year, format)): Path<(String, i32, String)>,
) -> Result<Response> {
    let view = year_on_year::compare(&reports(&state), ctx.tenant()?, year).await?;
    file(
        vec![views::year_on_year_sheet(&view)],
        &format,
        &format!("year-on-year-{year}"),
    )
}

/// The main figures of `year` and the previous year as an SVG bar chart.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/statistics/year-on-year/{year}/chart", tag = "statistics",
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, description = "SVG", content_type = "image/svg+xml"), (status = 422, body = Problem)))]
pub async fn year_on_year_chart(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year)): Path<(String, i32)>,
) -> Result<Response> {
    let view = year_on_year::compare(&reports(&state), ctx.tenant()?, year).await?;
    Ok(svg(views::year_on_year_chart(&view)))
}
