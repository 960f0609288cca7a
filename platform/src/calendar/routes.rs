//! The calendar over the API: official years (read by anyone, loaded by platform
//! admins), a tenant's local adjustments, and explanations of a count of working days.

use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service::{self, AdjustmentInput, YearInput};
use super::store::{self, YearInfo};
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{Error, Result};
use gongkai_rules::calendar::{LocalAdjustment, LocalKind, OfficialKind};

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/api/v1/calendar/years",
        Access::Public,
        list_years,
    )
    .add(
        Method::GET,
        "/api/v1/calendar/years/{year}",
        Access::Public,
        get_year,
    )
    .add(
        Method::PUT,
        "/api/v1/calendar/years/{year}",
        Access::Platform("calendar:manage"),
        put_year,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/calendar/adjustments",
        Access::Tenant("tenant:read"),
        list_adjustments,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/calendar/adjustments/{date}",
        Access::Tenant("calendar:adjust"),
        put_adjustment,
    )
    .add(
        Method::DELETE,
        "/api/v1/tenants/{slug}/calendar/adjustments/{date}",
        Access::Tenant("calendar:adjust"),
        delete_adjustment,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/calendar/explain",
        Access::Tenant("tenant:read"),
        explain,
    )
}

/// Years with official data.
#[utoipa::path(get, path = "/api/v1/calendar/years", tag = "calendar", responses((status = 200, body = Vec<YearInfo>)))]
pub async fn list_years(State(state): State<AppState>) -> Result<Json<Vec<YearInfo>>> {
    Ok(Json(store::years(&state.db).await?))
}

#[derive(Serialize, ToSchema)]
pub struct DayOut {
    pub date: String,
    /// `holiday`, `make_up_workday`, `day_off` or `workday`.
    pub kind: String,
    /// The holiday's name, or the reason of a local adjustment.
    pub name: String,
}

/// The holidays and make-up working days of one year.
#[utoipa::path(get, path = "/api/v1/calendar/years/{year}", tag = "calendar", params(("year" = i32, Path)),
    responses((status = 200, body = Vec<DayOut>), (status = 404, body = Problem)))]
pub async fn get_year(
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> Result<Json<Vec<DayOut>>> {
    let cal = state.calendar.official(&state.db).await?;
    if !cal.has_year(year) {
        return Err(Error::NotFound(format!("calendar data for {year}")));
    }
    let (_, days) = store::official(&state.db).await?;
    Ok(Json(
        days.into_iter()
            .filter(|d| chrono::Datelike::year(&d.date) == year)
            .map(|d| DayOut {
                date: d.date.to_string(),
                kind: match d.kind {
                    OfficialKind::Holiday => "holiday".into(),
                    OfficialKind::MakeUpWorkday => "make_up_workday".into(),
                },
                name: d.name,
            })
            .collect(),
    ))
}

/// Load or replace a year's official days (platform admins), e.g. when the State
/// Council publishes next year's notice. Open deadlines are recomputed.
#[utoipa::path(put, path = "/api/v1/calendar/years/{year}", tag = "calendar", params(("year" = i32, Path)),
    request_body = YearInput, responses((status = 204), (status = 422, body = Problem)))]
pub async fn put_year(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(year): Path<i32>,
    ApiJson(input): ApiJson<YearInput>,
) -> Result<StatusCode> {
    service::load_year(&state.db, &state.calendar, &ctx.actor(), year, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn adjustment_out(adj: LocalAdjustment) -> DayOut {
    DayOut {
        date: adj.date.to_string(),
        kind: match adj.kind {
            LocalKind::DayOff => "day_off".into(),
            LocalKind::Workday => "workday".into(),
        },
        name: adj.reason,
    }
}

/// The tenant's local adjustments.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/calendar/adjustments", tag = "calendar",
    params(("slug" = String, Path)), responses((status = 200, body = Vec<DayOut>)))]
pub async fn list_adjustments(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<DayOut>>> {
    let mut tx = state.db.tenant_read(&ctx.tenant()?.id).await?;
    let list = store::adjustments(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(list.into_iter().map(adjustment_out).collect()))
}

/// Make a day a local day off or working day (tenant admins).
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/calendar/adjustments/{date}", tag = "calendar",
    params(("slug" = String, Path), ("date" = String, Path)), request_body = AdjustmentInput,
    responses((status = 200, body = DayOut), (status = 422, body = Problem)))]
pub async fn put_adjustment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, date)): Path<(String, String)>,
    ApiJson(input): ApiJson<AdjustmentInput>,
) -> Result<Json<DayOut>> {
    let date = service::parse_day("date", &date)?;
    let adj = service::set_adjustment(
        &state.db,
        &state.calendar,
        &ctx.actor(),
        &ctx.tenant()?.id,
        (date, state.clock.today()),
        input,
    )
    .await?;
    Ok(Json(adjustment_out(adj)))
}

/// Remove a local adjustment.
#[utoipa::path(delete, path = "/api/v1/tenants/{slug}/calendar/adjustments/{date}", tag = "calendar",
    params(("slug" = String, Path), ("date" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete_adjustment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, date)): Path<(String, String)>,
) -> Result<StatusCode> {
    let date = service::parse_day("date", &date)?;
    service::delete_adjustment(
        &state.db,
        &state.calendar,
        &ctx.actor(),
        &ctx.tenant()?.id,
        (date, state.clock.today()),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExplainQuery {
    /// The day the count starts after (YYYY-MM-DD).
    pub from: String,
    /// How many working days (1–400).
    pub days: u32,
}

#[derive(Serialize, ToSchema)]
pub struct ExplainOut {
    pub from: String,
    pub working_days: u32,
    pub end: String,
    /// Each day passed, with why it counted or not.
    pub lines: Vec<String>,
}

/// Count working days in the tenant's calendar and say which days were skipped and why.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/calendar/explain", tag = "calendar",
    params(("slug" = String, Path), ExplainQuery),
    responses((status = 200, body = ExplainOut), (status = 422, body = Problem)))]
pub async fn explain(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ExplainQuery>,
) -> Result<Json<ExplainOut>> {
    let from: NaiveDate = service::parse_day("from", &q.from)?;
    if !(1..=400).contains(&q.days) {
        return Err(Error::invalid("days", "1–400 working days"));
    }
    let cal = state
        .calendar
        .for_tenant(&state.db, &ctx.tenant()?.id)
        .await?;
    let explanation = cal
        .explain(from, q.days)
        .map_err(|e| Error::invalid("from", e.to_string()))?;
    Ok(Json(ExplainOut {
        from: from.to_string(),
        working_days: q.days,
        end: explanation.end.to_string(),
        lines: explanation.lines(),
    }))
}
