//! The statistics' aggregates over one tenant's records, in the database (`COUNT …
//! GROUP BY` month; no row is loaded to be counted). Days are `YYYY-MM-DD` text: `$2` the
//! first day counted, `$3` the last, `$4` (overdue only) today. A publication is dated by its day in
//! China (timestamps are stored in UTC), a request by its recorded days.
//!
//! Requests are read through the report's own definition (`figures::REQUESTS`): a
//! request is *closed* on the day it was concluded (answer delivered, abandoned, or
//! withdrawn), exactly as table 3 counts it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, FromRow};

use super::super::figures::REQUESTS;
use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::Result;

fn in_range<'q>(
    tx: &TenantTx,
    sql: &'q str,
    from: NaiveDate,
    to: NaiveDate,
) -> Query<'q, Any, AnyArguments<'q>> {
    tx.query(sql).bind(from.to_string()).bind(to.to_string())
}

fn decode<T: for<'r> FromRow<'r, AnyRow>>(rows: &[AnyRow]) -> Result<Vec<T>> {
    Ok(rows.iter().map(T::from_row).collect::<Result<_, _>>()?)
}

/// The day in China (UTC+8, no daylight saving) of a stored UTC timestamp, as SQL.
fn china_day(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => format!("date({column}, '+8 hours')"),
        Backend::Postgres => format!(
            "to_char((CAST({column} AS timestamptz) AT TIME ZONE 'UTC') + INTERVAL '8 hours', 'YYYY-MM-DD')"
        ),
    }
}

/// Calendar days from receipt to answer, as SQL.
fn days_to_answer(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST(julianday(answered_on) - julianday(received_on) AS BIGINT)",
        Backend::Postgres => {
            "CAST(CAST(answered_on AS DATE) - CAST(received_on AS DATE) AS BIGINT)"
        }
    }
}

/// Items first published in a month, by kind and catalog node.
#[derive(Debug, Clone, FromRow)]
pub struct Published {
    pub month: String,
    pub kind: String,
    pub node_code: String,
    pub node_name: String,
    pub n: i64,
}

/// Answered requests of a month with the same days to answer and timeliness.
#[derive(Debug, Clone, FromRow)]
pub struct Answered {
    pub month: String,
    pub days: i64,
    /// 1: answered on or before the due date.
    pub in_time: i64,
    pub n: i64,
}

/// Every count of a range of months, by month (`YYYY-MM`).
#[derive(Debug, Default)]
pub struct MonthCounts {
    pub published: Vec<Published>,
    pub received: BTreeMap<String, i64>,
    pub closed: BTreeMap<String, i64>,
    pub overdue: BTreeMap<String, i64>,
    pub answered: Vec<Answered>,
}

impl MonthCounts {
    /// Whether any record counts at all.
    pub fn is_empty(&self) -> bool {
        self.published.is_empty()
            && self.received.is_empty()
            && self.closed.is_empty()
            && self.overdue.is_empty()
            && self.answered.is_empty()
    }
}

async fn by_month(
    tx: &mut TenantTx,
    sql: &str,
    from: NaiveDate,
    to: NaiveDate,
    today: Option<NaiveDate>,
) -> Result<BTreeMap<String, i64>> {
    let mut query = in_range(tx, sql, from, to);
    if let Some(today) = today {
        query = query.bind(today.to_string());
    }
    let rows = query.fetch_all(tx.conn()).await?;
    Ok(decode::<(String, i64)>(&rows)?.into_iter().collect())
}

/// The counts of the days `from..=to` (whole months), `today` bounding what is overdue.
pub async fn months(
    tx: &mut TenantTx,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<MonthCounts> {
    let backend = tx.backend();
    let first = china_day(backend, "i.first_published_at");
    let published = format!(
        "SELECT substr(day, 1, 7) AS month, kind, node_code, node_name, COUNT(*) AS n FROM ( \
           SELECT i.kind AS kind, c.code AS node_code, c.name AS node_name, {first} AS day \
           FROM items i JOIN catalog_nodes c ON c.tenant_id = i.tenant_id AND c.id = i.node_id \
           WHERE i.tenant_id = $1 AND i.first_published_at IS NOT NULL) AS p \
         WHERE day >= $2 AND day <= $3 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3"
    );
    let rows = in_range(tx, &published, from, to)
        .fetch_all(tx.conn())
        .await?;
    let published = decode(&rows)?;
    // Each counts the requests whose day `d` falls in the range, by the month of `d`.
    let count_by = |day: &str, extra: &str| {
        format!(
            "SELECT substr({day}, 1, 7) AS month, COUNT(*) AS n FROM ({REQUESTS}) AS r \
             WHERE {day} >= $2 AND {day} <= $3{extra} GROUP BY 1"
        )
    };
    let received = by_month(tx, &count_by("received_on", ""), from, to, None).await?;
    let closed = by_month(tx, &count_by("concluded_on", ""), from, to, None).await?;
    // Overdue in the month its due date passed: not concluded by that date (whether
    // concluded later or still open), counted once the date is behind us.
    let overdue = by_month(
        tx,
        &count_by(
            "due_on",
            " AND due_on < $4 AND (concluded_on IS NULL OR concluded_on > due_on)",
        ),
        from,
        to,
        Some(today),
    )
    .await?;
    let answered = format!(
        "SELECT substr(answered_on, 1, 7) AS month, {} AS days, \
           CAST(CASE WHEN due_on IS NOT NULL AND answered_on <= due_on THEN 1 ELSE 0 END AS BIGINT) AS in_time, \
           COUNT(*) AS n FROM ({REQUESTS}) AS r \
         WHERE phase NOT IN ('withdrawn', 'abandoned') AND answered_on >= $2 AND answered_on <= $3 \
         GROUP BY 1, 2, 3",
        days_to_answer(backend)
    );
    let rows = in_range(tx, &answered, from, to)
        .fetch_all(tx.conn())
        .await?;
    Ok(MonthCounts {
        published,
        received,
        closed,
        overdue,
        answered: decode(&rows)?,
    })
}

/// Proactive items whose latest publication fell in `from..=to` and that have a
/// publication deadline: (how many, how many published on or before it).
pub async fn publication_timeliness(
    tx: &mut TenantTx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(i64, i64)> {
    let day = china_day(tx.backend(), "published_at");
    let sql = format!(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(CASE WHEN day <= due_on THEN 1 ELSE 0 END), 0) AS BIGINT) AS in_time \
         FROM (SELECT {day} AS day, due_on FROM items WHERE tenant_id = $1 AND attribute = 'proactive' \
               AND published_at IS NOT NULL AND due_on IS NOT NULL) AS p \
         WHERE day >= $2 AND day <= $3"
    );
    let row = in_range(tx, &sql, from, to).fetch_one(tx.conn()).await?;
    Ok(<(i64, i64)>::from_row(&row)?)
}
