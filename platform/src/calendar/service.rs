//! The calendar as the rest of the platform uses it: one tenant's working-day calendar
//! (official data shared in memory, the tenant's adjustments on top), and the changes
//! that platform and tenant admins make to it.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::{watch, RwLock};
use utoipa::ToSchema;

use super::store;
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::db::Db;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::tenancy::PLATFORM_TENANT_ID;
use gongkai_rules::calendar::official;
use gongkai_rules::calendar::{
    is_weekend, Calendar, LocalAdjustment, LocalKind, OfficialDay, OfficialKind,
};

/// The official calendar, read once and shared; replaced when a year is loaded. Other
/// capabilities watch `changes()` to recompute what depends on working days.
#[derive(Clone)]
pub struct CalendarCache {
    official: Arc<RwLock<Option<Arc<Calendar>>>>,
    changed: Arc<watch::Sender<u64>>,
}

impl Default for CalendarCache {
    fn default() -> Self {
        CalendarCache {
            official: Arc::default(),
            changed: Arc::new(watch::channel(0).0),
        }
    }
}

impl CalendarCache {
    pub async fn official(&self, db: &Db) -> Result<Arc<Calendar>> {
        if let Some(cal) = self.official.read().await.clone() {
            return Ok(cal);
        }
        let (years, days) = store::official(db).await?;
        let cal = Arc::new(Calendar::new(years, days, []).map_err(Error::internal_from)?);
        *self.official.write().await = Some(cal.clone());
        Ok(cal)
    }

    /// The calendar of one tenant: official days plus its local adjustments.
    pub async fn for_tenant(&self, db: &Db, tenant_id: &str) -> Result<Calendar> {
        let official = self.official(db).await?;
        let mut tx = db.tenant_read(tenant_id).await?;
        let local = store::adjustments(&mut tx).await?;
        tx.commit().await?;
        official.with_local(local).map_err(Error::internal_from)
    }

    /// Ticks on every change of official data or of any tenant's adjustments.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    async fn invalidate(&self) {
        *self.official.write().await = None;
        self.changed.send_modify(|n| *n += 1);
    }
}

/// Loads every year the bundled data covers that the database does not have yet
/// (run after migrations; a year loaded by an admin is never overwritten).
pub async fn seed_official(db: &Db) -> Result<()> {
    let loaded: Vec<i32> = store::years(db)
        .await?
        .into_iter()
        .map(|y| y.year)
        .collect();
    let at = ids::now_text();
    let mut tx = db.begin().await?;
    for year in official::official_years() {
        if loaded.contains(&year) {
            continue;
        }
        let days = official::official_days(year).unwrap_or_default();
        store::replace_year(&mut tx, year, official::SOURCE, &at, &days).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum DayKind {
    Holiday,
    MakeUpWorkday,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearDay {
    /// YYYY-MM-DD
    pub date: String,
    pub kind: DayKind,
    /// The holiday's name, e.g. 春节.
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearInput {
    /// The notice it comes from, e.g. 国办发明电〔2026〕7号.
    pub source: String,
    pub days: Vec<YearDay>,
}

/// Checks a year's days: all dates valid and in the year, no duplicates, make-up working
/// days on weekends, names present. Every problem at once.
pub fn check_year(year: i32, input: &YearInput) -> Result<Vec<OfficialDay>> {
    let mut problems = Vec::new();
    if !(2000..=2100).contains(&year) {
        problems.push(FieldProblem::new("year", "a year between 2000 and 2100"));
    }
    if input.source.trim().is_empty() {
        problems.push(FieldProblem::new(
            "source",
            "name the notice the days come from",
        ));
    }
    let mut days: Vec<OfficialDay> = Vec::new();
    for (i, day) in input.days.iter().enumerate() {
        let field = format!("days[{i}]");
        let Ok(date) = NaiveDate::parse_from_str(&day.date, "%Y-%m-%d") else {
            problems.push(FieldProblem::new(
                format!("{field}.date"),
                "a date as YYYY-MM-DD",
            ));
            continue;
        };
        if date.year() != year {
            problems.push(FieldProblem::new(
                format!("{field}.date"),
                format!("not in {year}"),
            ));
        }
        if days.iter().any(|d| d.date == date) {
            problems.push(FieldProblem::new(format!("{field}.date"), "listed twice"));
        }
        let kind = match day.kind {
            DayKind::Holiday => OfficialKind::Holiday,
            DayKind::MakeUpWorkday => OfficialKind::MakeUpWorkday,
        };
        if kind == OfficialKind::MakeUpWorkday && !is_weekend(date) {
            problems.push(FieldProblem::new(
                format!("{field}.kind"),
                "a make-up working day (调休上班) falls on a Saturday or Sunday",
            ));
        }
        if day.name.trim().is_empty() {
            problems.push(FieldProblem::new(
                format!("{field}.name"),
                "name the holiday",
            ));
        }
        days.push(OfficialDay {
            date,
            kind,
            name: day.name.trim().to_string(),
        });
    }
    check(problems)?;
    days.sort_by_key(|d| d.date);
    Ok(days)
}

/// Loads (or replaces) a year's official days; open deadlines are recomputed by those
/// who watch the cache.
pub async fn load_year(
    db: &Db,
    cache: &CalendarCache,
    actor: &Actor,
    year: i32,
    input: YearInput,
) -> Result<()> {
    let days = check_year(year, &input)?;
    let mut tx = db.tenant(PLATFORM_TENANT_ID).await?;
    store::replace_year(
        tx.conn(),
        year,
        input.source.trim(),
        &ids::now_text(),
        &days,
    )
    .await?;
    audit::append(
        &mut tx,
        actor,
        "calendar.load_year",
        "calendar_year",
        &year.to_string(),
        json!({"source": input.source.trim(), "days": days.len()}),
    )
    .await?;
    tx.commit().await?;
    cache.invalidate().await;
    Ok(())
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum AdjustmentKind {
    DayOff,
    Workday,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentInput {
    pub kind: AdjustmentKind,
    /// Why, e.g. 台风停工 or 地方性节日.
    pub reason: String,
}

pub fn parse_day(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, "a date as YYYY-MM-DD"))
}

/// Days before today are settled: deadlines already running counted them as they were,
/// and a change would move those deadlines after the fact. Today itself may change (an
/// office closed by a typhoon this morning).
fn check_not_past(date: NaiveDate, today: NaiveDate) -> Result<()> {
    if date < today {
        return Err(Error::invalid(
            "date",
            format!("{date} is before today ({today}): past days cannot change, deadlines already counted them"),
        ));
    }
    Ok(())
}

pub async fn set_adjustment(
    db: &Db,
    cache: &CalendarCache,
    actor: &Actor,
    tenant_id: &str,
    (date, today): (NaiveDate, NaiveDate),
    input: AdjustmentInput,
) -> Result<LocalAdjustment> {
    check_not_past(date, today)?;
    if input.reason.trim().is_empty() {
        return Err(Error::invalid("reason", "say why the day changes"));
    }
    let adj = LocalAdjustment {
        date,
        kind: match input.kind {
            AdjustmentKind::DayOff => LocalKind::DayOff,
            AdjustmentKind::Workday => LocalKind::Workday,
        },
        reason: input.reason.trim().to_string(),
    };
    let mut tx = db.tenant(tenant_id).await?;
    store::put_adjustment(&mut tx, &adj, &ids::now_text()).await?;
    audit::append(
        &mut tx,
        actor,
        "calendar.adjust",
        "calendar_day",
        &date.to_string(),
        json!({"kind": format!("{:?}", adj.kind), "reason": adj.reason}),
    )
    .await?;
    tx.commit().await?;
    cache.invalidate().await;
    Ok(adj)
}

pub async fn delete_adjustment(
    db: &Db,
    cache: &CalendarCache,
    actor: &Actor,
    tenant_id: &str,
    (date, today): (NaiveDate, NaiveDate),
) -> Result<()> {
    check_not_past(date, today)?;
    let mut tx = db.tenant(tenant_id).await?;
    if !store::delete_adjustment(&mut tx, date).await? {
        return Err(Error::NotFound(format!("local adjustment on {date}")));
    }
    audit::append(
        &mut tx,
        actor,
        "calendar.unadjust",
        "calendar_day",
        &date.to_string(),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    cache.invalidate().await;
    Ok(())
}
