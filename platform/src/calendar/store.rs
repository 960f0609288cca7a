//! The calendar in the database: official years and days (platform tables), and each
//! tenant's local adjustments (a tenant table).

use chrono::{Datelike, NaiveDate};
use sqlx::{AnyConnection, Row};

use crate::kernel::db::{Db, TenantTx};
use crate::kernel::error::{Error, Result};
use gongkai_rules::calendar::{LocalAdjustment, LocalKind, OfficialDay, OfficialKind};

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::internal(format!("bad stored date {text}")))
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

pub async fn years(db: &Db) -> Result<Vec<YearInfo>> {
    let rows = sqlx::query(
        "SELECT y.year, y.source, y.loaded_at, (SELECT COUNT(*) FROM calendar_days d WHERE d.year = y.year) AS days \
         FROM calendar_years y ORDER BY y.year",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(YearInfo {
                year: row.try_get::<i64, _>("year")? as i32,
                source: row.try_get("source")?,
                loaded_at: row.try_get("loaded_at")?,
                days: row.try_get("days")?,
            })
        })
        .collect()
}

/// Every official day, with the list of loaded years.
pub async fn official(db: &Db) -> Result<(Vec<i32>, Vec<OfficialDay>)> {
    let years = years(db).await?.into_iter().map(|y| y.year).collect();
    let rows = sqlx::query("SELECT date, kind, name FROM calendar_days ORDER BY date")
        .fetch_all(db.pool())
        .await?;
    let days = rows
        .iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(OfficialDay {
                date: parse_date(&row.try_get::<String, _>("date")?)?,
                kind: if kind == "holiday" {
                    OfficialKind::Holiday
                } else {
                    OfficialKind::MakeUpWorkday
                },
                name: row.try_get("name")?,
            })
        })
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
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(LocalAdjustment {
                date: parse_date(&row.try_get::<String, _>("date")?)?,
                kind: if kind == "day_off" {
                    LocalKind::DayOff
                } else {
                    LocalKind::Workday
                },
                reason: row.try_get("reason")?,
            })
        })
        .collect()
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
