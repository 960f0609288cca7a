//! The calendar in the database: official years and days (platform tables), and each
//! tenant's local adjustments (a tenant table).

use chrono::{Datelike, NaiveDate};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow};

use crate::kernel::db::{Db, TenantTx};
use crate::kernel::error::{Error, Result};
use gongkai_rules::calendar::{LocalAdjustment, LocalKind, OfficialDay, OfficialKind};

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| Error::internal_cause(format!("stored date {text}"), e))
}

fn official_kind(kind: OfficialKind) -> &'static str {
    match kind {
        OfficialKind::Holiday => "holiday",
        OfficialKind::MakeUpWorkday => "make_up_workday",
    }
}

fn local_kind(kind: LocalKind) -> &'static str {
    match kind {
        LocalKind::DayOff => "day_off",
        LocalKind::Workday => "workday",
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct YearInfo {
    pub year: i32,
    pub source: String,
    pub loaded_at: String,
    pub days: i64,
}

/// A `calendar_years` row with its count of days: integers are 64-bit in the database.
#[derive(FromRow)]
struct YearRow {
    year: i64,
    source: String,
    loaded_at: String,
    days: i64,
}

impl TryFrom<YearRow> for YearInfo {
    type Error = Error;

    fn try_from(row: YearRow) -> Result<YearInfo> {
        Ok(YearInfo {
            year: i32::try_from(row.year)
                .map_err(|e| Error::internal_cause(format!("stored year {}", row.year), e))?,
            source: row.source,
            loaded_at: row.loaded_at,
            days: row.days,
        })
    }
}

/// A `calendar_days` row: the date and kind as text.
#[derive(FromRow)]
struct DayRow {
    date: String,
    kind: String,
    name: String,
}

impl TryFrom<DayRow> for OfficialDay {
    type Error = Error;

    fn try_from(row: DayRow) -> Result<OfficialDay> {
        Ok(OfficialDay {
            date: parse_date(&row.date)?,
            kind: if row.kind == "holiday" {
                OfficialKind::Holiday
            } else {
                OfficialKind::MakeUpWorkday
            },
            name: row.name,
        })
    }
}

/// A `calendar_adjustments` row: the date and kind as text.
#[derive(FromRow)]
struct AdjustmentRow {
    date: String,
    kind: String,
    reason: String,
}

impl TryFrom<AdjustmentRow> for LocalAdjustment {
    type Error = Error;

    fn try_from(row: AdjustmentRow) -> Result<LocalAdjustment> {
        Ok(LocalAdjustment {
            date: parse_date(&row.date)?,
            kind: if row.kind == "day_off" {
                LocalKind::DayOff
            } else {
                LocalKind::Workday
            },
            reason: row.reason,
        })
    }
}

pub async fn years(db: &Db) -> Result<Vec<YearInfo>> {
    let rows: Vec<YearRow> = sqlx::query_as(
        "SELECT y.year, y.source, y.loaded_at, (SELECT COUNT(*) FROM calendar_days d WHERE d.year = y.year) AS days \
         FROM calendar_years y ORDER BY y.year",
    )
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(YearInfo::try_from).collect()
}

/// Every official day, with the list of loaded years.
pub async fn official(db: &Db) -> Result<(Vec<i32>, Vec<OfficialDay>)> {
    let years = years(db).await?.into_iter().map(|y| y.year).collect();
    let rows: Vec<DayRow> =
        sqlx::query_as("SELECT date, kind, name FROM calendar_days ORDER BY date")
            .fetch_all(db.pool())
            .await?;
    let days = rows
        .into_iter()
        .map(OfficialDay::try_from)
        .collect::<Result<_>>()?;
    Ok((years, days))
}

/// Replaces one year's official days.
pub async fn replace_year(
    conn: &mut AnyConnection,
    year: i32,
    source: &str,
    at: &str,
    days: &[OfficialDay],
) -> Result<()> {
    sqlx::query("DELETE FROM calendar_days WHERE year = $1")
        .bind(i64::from(year))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO calendar_years (year, source, loaded_at) VALUES ($1, $2, $3) \
         ON CONFLICT (year) DO UPDATE SET source = excluded.source, loaded_at = excluded.loaded_at",
    )
    .bind(i64::from(year))
    .bind(source)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    for day in days {
        debug_assert_eq!(day.date.year(), year);
        sqlx::query("INSERT INTO calendar_days (date, year, kind, name) VALUES ($1, $2, $3, $4)")
            .bind(day.date.to_string())
            .bind(i64::from(year))
            .bind(official_kind(day.kind))
            .bind(day.name.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn adjustments(tx: &mut TenantTx) -> Result<Vec<LocalAdjustment>> {
    let rows = tx
        .query("SELECT date, kind, reason FROM calendar_adjustments WHERE tenant_id = $1 ORDER BY date")
        .try_map(|row: AnyRow| AdjustmentRow::from_row(&row))
        .fetch_all(tx.conn())
        .await?;
    rows.into_iter().map(LocalAdjustment::try_from).collect()
}

pub async fn put_adjustment(tx: &mut TenantTx, adj: &LocalAdjustment, at: &str) -> Result<()> {
    tx.query(
        "INSERT INTO calendar_adjustments (tenant_id, date, kind, reason, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (tenant_id, date) DO UPDATE SET kind = excluded.kind, reason = excluded.reason",
    )
    .bind(adj.date.to_string())
    .bind(local_kind(adj.kind))
    .bind(adj.reason.clone())
    .bind(at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn delete_adjustment(tx: &mut TenantTx, date: NaiveDate) -> Result<bool> {
    let done = tx
        .query("DELETE FROM calendar_adjustments WHERE tenant_id = $1 AND date = $2")
        .bind(date.to_string())
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}
