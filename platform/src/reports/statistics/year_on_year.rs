//! The report's tables of a year beside the previous year's, cell by cell: the stored
//! reports' values (adjustments applied; a draft's as it is now). A comparison reads
//! two stored reports by cell id (docs/adr/0011), so an imported earlier year compares
//! like one drafted here.

use chrono::Datelike;
use serde::Serialize;
use utoipa::ToSchema;

use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, Result};
use crate::reports::service::figures_of;
use crate::reports::{store, Reports};
use crate::tenancy::Tenant;
use gongkai_rules::annual_report::{AnnualFigures, Cell};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellComparison {
    pub cell: String,
    pub table: u8,
    pub label: String,
    pub this_year: i64,
    /// `null` when there is no report of the previous year.
    pub last_year: Option<i64>,
    /// `this_year - last_year`.
    pub change: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearOnYearView {
    pub year: i32,
    /// `draft` or `submitted`.
    pub status: String,
    pub previous_year: i32,
    /// The previous year's report status, `none` when there is none.
    pub previous_status: String,
    /// Every cell, in printed order.
    pub cells: Vec<CellComparison>,
}

/// The figures drawn in the year-on-year chart: (cell id, short label).
pub const CHARTED: [(&str, &str); 8] = [
    ("t3:new:total", "本年新收申请"),
    ("t3:carried_over:total", "上年结转"),
    ("t3:total:total", "本年办结"),
    ("t3:carried_forward:total", "结转下年"),
    ("t2:licensing:decisions", "行政许可决定"),
    ("t2:penalty:decisions", "行政处罚决定"),
    ("t4:reconsideration:total", "行政复议"),
    ("t4:litigation_direct:total", "直接起诉"),
];

async fn stored(tx: &mut TenantTx, year: i32) -> Result<Option<(String, AnnualFigures)>> {
    Ok(match store::get(tx, year, false).await? {
        Some(r) => Some((r.status, figures_of(&store::cells(tx, year).await?)?)),
        None => None,
    })
}

pub async fn compare(reports: &Reports, tenant: &Tenant, year: i32) -> Result<YearOnYearView> {
    let today = reports.clock.today();
    if year > today.year() {
        return Err(Error::invalid(
            "year",
            format!("{year} has not begun (today is {today})"),
        ));
    }
    let mut tx = reports.db.tenant_read(&tenant.id).await?;
    let this = stored(&mut tx, year).await?;
    let last = stored(&mut tx, year - 1).await?;
    tx.commit().await?;
    let (status, this) = this.ok_or_else(|| {
        Error::invalid(
            "year",
            format!("no report of {year} to compare: draft it (or import it) first"),
        )
    })?;
    let cells = Cell::all()
        .map(|c| {
            let previous = last.as_ref().map(|(_, f)| f.get(c));
            CellComparison {
                cell: c.to_string(),
                table: c.table(),
                label: c.label_zh(),
                this_year: this.get(c),
                last_year: previous,
                change: previous.map(|p| this.get(c) - p),
            }
        })
        .collect();
    Ok(YearOnYearView {
        year,
        status,
        previous_year: year - 1,
        previous_status: last.map_or("none".into(), |(s, _)| s),
        cells,
    })
}
