//! A government's summary (汇总) of a year: its own figures plus the *submitted* reports
//! of its child agencies (the tenants directly under it), cell by cell, with the same
//! cross-checks as one agency's report. Which children are included and which are
//! missing (no report, or a draft) is listed beside the sum.
//!
//! Own figures: the government's own stored report of the year (adjustments applied,
//! any status), else counted from its records. The carry-over check compares row 二 of
//! the sum with the sum of row 四 of the previous year's reports of the same tenants,
//! and says so when one of them has none.

use chrono::Datelike;
use serde::Serialize;
use utoipa::ToSchema;

use super::figures;
use super::model::CellView;
use super::service::figures_of;
use super::store;
use super::Reports;
use crate::kernel::error::{Error, FieldProblem, Result};
use crate::tenancy::{Tenant, TenantKind};
use gongkai_rules::annual_report::{cross_checks, AnnualFigures, Cell, PriorCarry, Table3Row};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummaryMember {
    pub slug: String,
    pub name: String,
    /// `submitted` or `draft` (a report exists), `none` (none for the year).
    pub status: String,
    pub submitted_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummaryView {
    pub year: i32,
    /// Where the government's own figures come from: `report` (its stored report of the
    /// year) or `records` (counted now: it has no report of the year).
    pub own_source: String,
    /// The children whose submitted reports are in the sum.
    pub included: Vec<SummaryMember>,
    /// The children whose figures are not in the sum (no report, or not submitted).
    pub missing: Vec<SummaryMember>,
    /// Every cell of the sum, in printed order (`computed` = `value`; nothing adjusted).
    pub cells: Vec<CellView>,
    /// The cross-checks that fail on the sum.
    pub checks: Vec<FieldProblem>,
}

fn add(sum: &mut AnnualFigures, part: &AnnualFigures) {
    for cell in Cell::all() {
        sum.set(cell, sum.get(cell) + part.get(cell));
    }
}

/// The report of `year` of `tenant`, if any: (status, submitted_at, figures).
async fn stored(
    reports: &Reports,
    tenant_id: &str,
    year: i32,
) -> Result<Option<(String, Option<String>, AnnualFigures)>> {
    let mut tx = reports.db.tenant_read(tenant_id).await?;
    let found = match store::get(&mut tx, year, false).await? {
        Some(r) => {
            let cells = store::cells(&mut tx, year).await?;
            Some((r.status, r.submitted_at, figures_of(&cells)?))
        }
        None => None,
    };
    tx.commit().await?;
    Ok(found)
}

/// The active agencies directly under `tenant`, by slug (a summary's and a ranking's).
pub(crate) async fn children(reports: &Reports, tenant: &Tenant) -> Result<Vec<Tenant>> {
    let mut children: Vec<Tenant> = crate::tenancy::store::all(&reports.db)
        .await?
        .into_iter()
        .filter(|t| t.active && t.parent_id.as_deref() == Some(tenant.id.as_str()))
        .collect();
    children.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(children)
}

/// Refuses anything but a government: only a government sums or ranks its agencies.
pub(crate) fn government_only(tenant: &Tenant, what: &str) -> Result<()> {
    if tenant.kind != TenantKind::Government {
        return Err(Error::conflict(format!(
            "{what} is a government's: this tenant is not a government"
        )));
    }
    Ok(())
}

pub async fn summary(reports: &Reports, tenant: &Tenant, year: i32) -> Result<SummaryView> {
    government_only(tenant, "a summary")?;
    if year > reports.clock.today().year() {
        return Err(Error::invalid("year", format!("{year} has not begun")));
    }
    let mut sum = AnnualFigures::default();
    let own_source = match stored(reports, &tenant.id, year).await? {
        Some((_, _, own)) => {
            add(&mut sum, &own);
            "report"
        }
        None => {
            let mut tx = reports.db.tenant_read(&tenant.id).await?;
            let own = figures::compute(&mut tx, year).await?;
            tx.commit().await?;
            add(&mut sum, &own);
            "records"
        }
    };
    let children = children(reports, tenant).await?;
    let mut included = Vec::new();
    let mut missing = Vec::new();
    let mut members = vec![tenant.id.clone()];
    for child in &children {
        let member = |status: &str, at: Option<String>| SummaryMember {
            slug: child.slug.clone(),
            name: child.name_zh.clone(),
            status: status.to_string(),
            submitted_at: at,
        };
        match stored(reports, &child.id, year).await? {
            Some((status, at, figures)) if status == "submitted" => {
                add(&mut sum, &figures);
                members.push(child.id.clone());
                included.push(member(&status, at));
            }
            Some((status, _, _)) => missing.push(member(&status, None)),
            None => missing.push(member("none", None)),
        }
    }
    // Row 四 of last year, summed over the same tenants, when every one has a report.
    let mut last = AnnualFigures::default();
    let mut complete = true;
    for id in &members {
        match stored(reports, id, year - 1).await? {
            Some((_, _, figures)) => add(&mut last, &figures),
            None => complete = false,
        }
    }
    let prior = if complete {
        PriorCarry::Report {
            year: year - 1,
            row: *last.table3.row(Table3Row::CarriedForward),
        }
    } else {
        PriorCarry::Missing { year: year - 1 }
    };
    let checks = cross_checks(&sum, &prior);
    let cells = Cell::all()
        .map(|c| CellView {
            cell: c.to_string(),
            table: c.table(),
            label: c.label_zh(),
            value: sum.get(c),
            computed: sum.get(c),
            adjusted: false,
            reason: None,
            adjusted_by: None,
            adjusted_at: None,
        })
        .collect();
    Ok(SummaryView {
        year,
        own_source: own_source.into(),
        included,
        missing,
        cells,
        checks,
    })
}
