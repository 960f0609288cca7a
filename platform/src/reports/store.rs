//! Stored reports: one row per tenant and year, one row per cell (computed value and any
//! adjustment beside it). Every query goes through the tenant's transaction.

use sqlx::FromRow;

use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::Result;

#[derive(Debug, Clone, FromRow)]
pub struct ReportRow {
    pub year: i64,
    pub id: String,
    pub status: String,
    pub overview: String,
    pub problems: String,
    pub other_matters: String,
    /// JSON array of the seven columns of row 四 of the previous year, set by hand.
    pub prior_carried: Option<String>,
    pub prior_carried_reason: Option<String>,
    pub computed_at: String,
    pub submitted_at: Option<String>,
    pub submitted_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The item of the 年度报告 column that publishes the report (made at submission).
    pub item_id: Option<String>,
}

const REPORT_COLUMNS: &str = "year, id, status, overview, problems, other_matters, prior_carried, \
    prior_carried_reason, computed_at, submitted_at, submitted_by, created_at, updated_at, item_id";

#[derive(Debug, Clone, FromRow)]
pub struct CellRow {
    pub cell: String,
    pub computed: i64,
    pub adjusted: Option<i64>,
    pub reason: Option<String>,
    pub adjusted_by: Option<String>,
    pub adjusted_at: Option<String>,
}

impl CellRow {
    /// The value the report uses: the adjustment when there is one.
    pub fn value(&self) -> i64 {
        self.adjusted.unwrap_or(self.computed)
    }
}

/// The report of `year`; locked for the transaction on PostgreSQL when `for_update`.
pub async fn get(tx: &mut TenantTx, year: i32, for_update: bool) -> Result<Option<ReportRow>> {
    let lock = match tx.backend() {
        Backend::Postgres if for_update => " FOR UPDATE",
        _ => "",
    };
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM annual_reports WHERE tenant_id = $1 AND year = $2{lock}"
    );
    let row = tx
        .query(&sql)
        .bind(i64::from(year))
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.as_ref().map(ReportRow::from_row).transpose()?)
}

/// Every report of the tenant, the newest year first.
pub async fn list(tx: &mut TenantTx) -> Result<Vec<ReportRow>> {
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM annual_reports WHERE tenant_id = $1 ORDER BY year DESC"
    );
    let rows = tx.query(&sql).fetch_all(tx.conn()).await?;
    Ok(rows
        .iter()
        .map(ReportRow::from_row)
        .collect::<Result<_, _>>()?)
}

pub async fn insert(tx: &mut TenantTx, r: &ReportRow) -> Result<()> {
    tx.query(
        "INSERT INTO annual_reports (tenant_id, year, id, status, overview, problems, other_matters, \
         computed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(r.year)
    .bind(r.id.clone())
    .bind(r.status.clone())
    .bind(r.overview.clone())
    .bind(r.problems.clone())
    .bind(r.other_matters.clone())
    .bind(r.computed_at.clone())
    .bind(r.created_at.clone())
    .bind(r.updated_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Writes back what the service may change after creation.
pub async fn update(tx: &mut TenantTx, r: &ReportRow) -> Result<()> {
    tx.query(
        "UPDATE annual_reports SET status = $3, overview = $4, problems = $5, other_matters = $6, \
         prior_carried = $7, prior_carried_reason = $8, computed_at = $9, submitted_at = $10, \
         submitted_by = $11, updated_at = $12, item_id = $13 WHERE tenant_id = $1 AND year = $2",
    )
    .bind(r.year)
    .bind(r.status.clone())
    .bind(r.overview.clone())
    .bind(r.problems.clone())
    .bind(r.other_matters.clone())
    .bind(r.prior_carried.clone())
    .bind(r.prior_carried_reason.clone())
    .bind(r.computed_at.clone())
    .bind(r.submitted_at.clone())
    .bind(r.submitted_by.clone())
    .bind(r.updated_at.clone())
    .bind(r.item_id.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn cells(tx: &mut TenantTx, year: i32) -> Result<Vec<CellRow>> {
    let rows = tx
        .query(
            "SELECT cell, computed, adjusted, reason, adjusted_by, adjusted_at FROM annual_report_cells \
             WHERE tenant_id = $1 AND year = $2",
        )
        .bind(i64::from(year))
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .iter()
        .map(CellRow::from_row)
        .collect::<Result<_, _>>()?)
}

/// Stores freshly computed values of every cell (one statement), keeping adjustments.
pub async fn put_computed(tx: &mut TenantTx, year: i32, cells: &[(String, i64)]) -> Result<()> {
    let json: Vec<serde_json::Value> = cells
        .iter()
        .map(|(cell, n)| serde_json::json!({"cell": cell, "n": n}))
        .collect();
    let source = match tx.backend() {
        Backend::Postgres => {
            "SELECT v.cell, v.n FROM json_to_recordset($3::json) AS v(cell text, n bigint)"
        }
        Backend::Sqlite => {
            "SELECT json_extract(value, '$.cell'), json_extract(value, '$.n') FROM json_each($3)"
        }
    };
    // The rows are the tenant's own (`$1`, as in `VALUES ($1, …)`); `WHERE true` lets
    // SQLite parse an upsert after a SELECT (its documented ambiguity).
    let sql = format!(
        "INSERT INTO annual_report_cells (tenant_id, year, cell, computed) SELECT ($1), $2, s.* FROM ({source}) AS s WHERE true \
         ON CONFLICT (tenant_id, year, cell) DO UPDATE SET computed = excluded.computed"
    );
    tx.query(&sql)
        .bind(i64::from(year))
        .bind(serde_json::Value::Array(json).to_string())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Sets or (with `None`) clears the adjustment of one cell.
pub async fn put_adjustment(
    tx: &mut TenantTx,
    year: i32,
    cell: &str,
    adjusted: Option<(i64, &str)>,
    by: &str,
    at: &str,
) -> Result<()> {
    let (value, reason) = adjusted.map_or((None, None), |(v, r)| (Some(v), Some(r.to_string())));
    let (by, at) = match adjusted {
        Some(_) => (Some(by.to_string()), Some(at.to_string())),
        None => (None, None),
    };
    tx.query(
        "UPDATE annual_report_cells SET adjusted = $4, reason = $5, adjusted_by = $6, adjusted_at = $7 \
         WHERE tenant_id = $1 AND year = $2 AND cell = $3",
    )
    .bind(i64::from(year))
    .bind(cell.to_string())
    .bind(value)
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(tx.conn())
    .await?;
    Ok(())
}
