//! The report's operations: draft (count the figures, keep adjustments), read, adjust a
//! cell with a reason, write the sections, set the previous year's carried figure, check
//! and submit. Every write is one transaction with its audit entry; a submitted report
//! no longer changes.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde_json::json;

use super::figures::{self, Counted};
use super::model::{
    AdjustInput, CellView, FigureView, PriorCarriedInput, PriorCarriedView, ReportView, Sections,
    SectionsInput,
};
use super::store::{self, CellRow, ReportRow};
use super::Reports;
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;
use gongkai_rules::annual_report::{
    cross_checks, AnnualFigures, Cell, Column, PriorCarry, Table3Row, UnknownCell,
};

/// The Regulation (政府信息公开条例) took effect on 1 May 2008: no report is older.
const FIRST_YEAR: i32 = 2008;

/// A year that can be reported: begun, and not before the Regulation.
fn check_year(reports: &Reports, year: i32) -> Result<()> {
    let today = reports.clock.today();
    if year > today.year() {
        return Err(Error::invalid(
            "year",
            format!("{year} has not begun (today is {today}): a report covers a past or the current year"),
        ));
    }
    if year < FIRST_YEAR {
        return Err(Error::invalid(
            "year",
            format!("the Regulation on Open Government Information took effect in {FIRST_YEAR}"),
        ));
    }
    Ok(())
}

fn parse_cell(text: &str) -> Result<Cell> {
    text.parse()
        .map_err(|e: UnknownCell| Error::invalid("cell", e.to_string()))
}

/// A reason for a change by hand: required, at most 2000 characters.
pub(crate) fn required_reason(reason: Option<&str>) -> Result<String> {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if r.chars().count() <= 2000 => Ok(r.to_string()),
        Some(_) => Err(Error::invalid("reason", "at most 2000 characters")),
        None => Err(Error::invalid(
            "reason",
            "say why the figure differs from the records; a figure is changed by hand only with a reason",
        )),
    }
}

fn not_found(year: i32) -> Error {
    Error::NotFound(format!("report of {year}"))
}

/// The draft of `year`, locked for the change about to be made.
async fn open_draft(tx: &mut TenantTx, year: i32) -> Result<ReportRow> {
    let report = store::get(tx, year, true)
        .await?
        .ok_or_else(|| not_found(year))?;
    draft_only(&report)?;
    Ok(report)
}

/// The end of every write: the report row, its audit entry, the view, the commit.
async fn finish(
    mut tx: TenantTx,
    actor: &Actor,
    action: &str,
    report: ReportRow,
    details: serde_json::Value,
) -> Result<ReportView> {
    store::update(&mut tx, &report).await?;
    audit::append(&mut tx, actor, action, "annual_report", &report.id, details).await?;
    let view = view_in(&mut tx, report).await?;
    tx.commit().await?;
    Ok(view)
}

fn draft_only(report: &ReportRow) -> Result<()> {
    if report.status != "draft" {
        return Err(Error::Conflict {
            message: format!(
                "the report of {} is submitted and no longer changes",
                report.year
            ),
            current_state: Some(report.status.clone()),
        });
    }
    Ok(())
}

/// Section 六's opening: the processing fees collected (国办函〔2020〕109号).
fn fees_text(count: i64, yuan: i64) -> String {
    if count == 0 {
        "本年度未收取政府信息公开信息处理费。".into()
    } else {
        format!("本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费{count}笔，共计{yuan}元。")
    }
}

/// Counts the figures of `year` from the records and stores them: creates the draft, or
/// refreshes a draft's computed values, keeping every adjustment and text. Refused for a
/// future year and for a year with no records at all.
pub async fn draft(
    reports: &Reports,
    tenant: &Tenant,
    actor: &Actor,
    year: i32,
) -> Result<ReportView> {
    check_year(reports, year)?;
    let mut tx = reports.db.tenant(&tenant.id).await?;
    let existing = store::get(&mut tx, year, true).await?;
    if let Some(report) = &existing {
        draft_only(report)?;
    }
    let computed = figures::compute(&mut tx, year).await?;
    let cells: Vec<(String, i64)> = computed
        .cells()
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
    if cells.iter().all(|(_, n)| *n == 0) {
        return Err(Error::invalid(
            "year",
            format!("no records count in {year}: no request, published item or remedy of that year, so there is nothing to report"),
        ));
    }
    let now = ids::to_text(reports.clock.now());
    let (report, action) = match existing {
        Some(mut report) => {
            report.computed_at = now.clone();
            report.updated_at = now;
            (report, "report.refresh")
        }
        None => {
            let (count, yuan) = figures::fees_paid(&mut tx, year).await?;
            let report = ReportRow {
                year: i64::from(year),
                id: ids::new_id(),
                status: "draft".into(),
                overview: String::new(),
                problems: String::new(),
                other_matters: fees_text(count, yuan),
                prior_carried: None,
                prior_carried_reason: None,
                computed_at: now.clone(),
                submitted_at: None,
                submitted_by: None,
                created_at: now.clone(),
                updated_at: now,
                item_id: None,
            };
            store::insert(&mut tx, &report).await?;
            (report, "report.draft")
        }
    };
    store::put_computed(&mut tx, year, &cells).await?;
    finish(tx, actor, action, report, json!({"year": year})).await
}

/// The tenant's reports, the newest year first (their rows: status, item, times).
pub async fn list(reports: &Reports, tenant: &Tenant) -> Result<Vec<ReportRow>> {
    let mut tx = reports.db.tenant_read(&tenant.id).await?;
    let rows = store::list(&mut tx).await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn get(reports: &Reports, tenant: &Tenant, year: i32) -> Result<ReportView> {
    let mut tx = reports.db.tenant_read(&tenant.id).await?;
    let report = store::get(&mut tx, year, false)
        .await?
        .ok_or_else(|| not_found(year))?;
    let view = view_in(&mut tx, report).await?;
    tx.commit().await?;
    Ok(view)
}

/// Sets (or, with no value, clears) the hand adjustment of one cell. Totals are not
/// changed with it: the cross-checks show what else must change.
pub async fn adjust(
    reports: &Reports,
    tenant: &Tenant,
    actor: &Actor,
    year: i32,
    cell: &str,
    input: AdjustInput,
) -> Result<ReportView> {
    let cell = parse_cell(cell)?;
    let reason = required_reason(input.reason.as_deref())?;
    if input.value.is_some_and(|v| v < 0) {
        return Err(Error::invalid("value", "a figure is 0 or more"));
    }
    let mut tx = reports.db.tenant(&tenant.id).await?;
    let mut report = open_draft(&mut tx, year).await?;
    let before = store::cells(&mut tx, year)
        .await?
        .into_iter()
        .find(|c| c.cell == cell.to_string())
        .ok_or_else(|| Error::internal(format!("report {year} has no cell {cell}")))?;
    let now = ids::to_text(reports.clock.now());
    let adjusted = input.value.map(|v| (v, reason.as_str()));
    store::put_adjustment(
        &mut tx,
        year,
        &cell.to_string(),
        adjusted,
        &actor.label,
        &now,
    )
    .await?;
    report.updated_at = now;
    let details = json!({"year": year, "cell": cell.to_string(), "computed": before.computed,
        "from": before.value(), "to": input.value.unwrap_or(before.computed), "reason": reason});
    finish(tx, actor, "report.adjust", report, details).await
}

pub async fn edit_sections(
    reports: &Reports,
    tenant: &Tenant,
    actor: &Actor,
    year: i32,
    input: SectionsInput,
) -> Result<ReportView> {
    let too_long = [
        ("overview", &input.overview),
        ("problems", &input.problems),
        ("other_matters", &input.other_matters),
    ]
    .into_iter()
    .find(|(_, text)| text.as_ref().is_some_and(|t| t.chars().count() > 50_000));
    if let Some((field, _)) = too_long {
        return Err(Error::invalid(field, "at most 50000 characters"));
    }
    let mut tx = reports.db.tenant(&tenant.id).await?;
    let mut report = open_draft(&mut tx, year).await?;
    let mut changed = Vec::new();
    for (name, new, old) in [
        ("overview", input.overview, &mut report.overview),
        ("problems", input.problems, &mut report.problems),
        (
            "other_matters",
            input.other_matters,
            &mut report.other_matters,
        ),
    ] {
        if let Some(text) = new {
            *old = text;
            changed.push(name);
        }
    }
    report.updated_at = ids::to_text(reports.clock.now());
    finish(
        tx,
        actor,
        "report.sections",
        report,
        json!({"year": year, "sections": changed}),
    )
    .await
}

/// Sets row 四 of the previous year by hand, for a year the platform has no report of
/// (its first year, before earlier reports are imported).
pub async fn set_prior_carried(
    reports: &Reports,
    tenant: &Tenant,
    actor: &Actor,
    year: i32,
    input: PriorCarriedInput,
) -> Result<ReportView> {
    let reason = required_reason(input.reason.as_deref())?;
    let mut row = [0i64; 7];
    for (code, n) in &input.columns {
        let column = Column::of_applicant_type(code).ok_or_else(|| {
            Error::invalid(
                format!("columns.{code}"),
                "one of person, commercial, research, public_interest, legal_service, other",
            )
        })?;
        if *n < 0 {
            return Err(Error::invalid(format!("columns.{code}"), "0 or more"));
        }
        row[column as usize] = *n;
    }
    row[Column::Total as usize] = Column::APPLICANTS.iter().map(|&c| row[c as usize]).sum();
    let mut tx = reports.db.tenant(&tenant.id).await?;
    let mut report = open_draft(&mut tx, year).await?;
    if store::get(&mut tx, year - 1, false).await?.is_some() {
        return Err(Error::conflict(format!(
            "the report of {} exists: its row 四 is the carried figure",
            year - 1
        )));
    }
    report.prior_carried = Some(json!(row).to_string());
    report.prior_carried_reason = Some(reason.clone());
    report.updated_at = ids::to_text(reports.clock.now());
    finish(
        tx,
        actor,
        "report.prior_carried",
        report,
        json!({"year": year, "row": row, "reason": reason}),
    )
    .await
}

/// Runs the cross-checks and marks the report submitted; refused with every failing
/// check, or while the year is not over.
pub async fn submit(
    reports: &Reports,
    tenant: &Tenant,
    actor: &Actor,
    year: i32,
) -> Result<ReportView> {
    let today = reports.clock.today();
    let due = super::publication::prepare(reports, tenant).await?;
    let mut tx = reports.db.tenant(&tenant.id).await?;
    let mut report = open_draft(&mut tx, year).await?;
    if year >= today.year() {
        return Err(Error::conflict(format!(
            "{year} is not over (today is {today}): a report is submitted after its year"
        )));
    }
    let failures = checks_in(&mut tx, &report).await?;
    if !failures.is_empty() {
        return Err(Error::Invalid(failures));
    }
    let now = ids::to_text(reports.clock.now());
    report.status = "submitted".into();
    report.submitted_at = Some(now.clone());
    report.submitted_by = Some(actor.label.clone());
    report.updated_at = now;
    // The report is frozen in the item of the 年度报告 column that publishes it.
    super::publication::freeze_in(reports, &mut tx, actor, tenant, &mut report, due).await?;
    let details = json!({"year": year, "item": report.item_id});
    finish(tx, actor, "report.submit", report, details).await
}

/// The records one figure counts.
pub async fn figure(
    reports: &Reports,
    tenant: &Tenant,
    year: i32,
    cell: &str,
    limit: Option<i64>,
) -> Result<FigureView> {
    let cell = parse_cell(cell)?;
    let limit = limit.unwrap_or(500).clamp(1, 5000);
    let mut tx = reports.db.tenant_read(&tenant.id).await?;
    store::get(&mut tx, year, false)
        .await?
        .ok_or_else(|| not_found(year))?;
    let row = store::cells(&mut tx, year)
        .await?
        .into_iter()
        .find(|c| c.cell == cell.to_string())
        .ok_or_else(|| Error::internal(format!("report {year} has no cell {cell}")))?;
    // One more than asked tells whether the list is cut.
    let mut records: Vec<Counted> = figures::records(&mut tx, year, cell, limit + 1).await?;
    tx.commit().await?;
    let truncated = records.len() as i64 > limit;
    records.truncate(limit as usize);
    Ok(FigureView {
        cell: cell_view(cell, &row),
        records,
        truncated,
    })
}

fn cell_view(cell: Cell, row: &CellRow) -> CellView {
    CellView {
        cell: cell.to_string(),
        table: cell.table(),
        label: cell.label_zh(),
        value: row.value(),
        computed: row.computed,
        adjusted: row.adjusted.is_some(),
        reason: row.reason.clone(),
        adjusted_by: row.adjusted_by.clone(),
        adjusted_at: row.adjusted_at.clone(),
    }
}

/// The figures the report uses (adjustments applied), by cell.
pub(super) fn figures_of(rows: &[CellRow]) -> Result<AnnualFigures> {
    let mut out = AnnualFigures::default();
    for row in rows {
        let cell = row.cell.parse::<Cell>().map_err(Error::internal_from)?;
        out.set(cell, row.value());
    }
    Ok(out)
}

fn parse_row(text: &str) -> Result<[i64; 7]> {
    serde_json::from_str(text).map_err(|e| Error::internal_cause("stored carried figure", e))
}

/// What row 二 must equal: row 四 of last year's report, else the figure set by hand.
pub(super) async fn prior_carry(tx: &mut TenantTx, report: &ReportRow) -> Result<PriorCarry> {
    let year = report.year as i32 - 1;
    if store::get(tx, year, false).await?.is_some() {
        let last = figures_of(&store::cells(tx, year).await?)?;
        return Ok(PriorCarry::Report {
            year,
            row: *last.table3.row(Table3Row::CarriedForward),
        });
    }
    Ok(match &report.prior_carried {
        Some(text) => PriorCarry::Imported {
            year,
            row: parse_row(text)?,
        },
        None => PriorCarry::Missing { year },
    })
}

async fn checks_in(tx: &mut TenantTx, report: &ReportRow) -> Result<Vec<FieldProblem>> {
    let rows = store::cells(tx, report.year as i32).await?;
    checks_over(tx, report, &rows).await
}

/// The cross-checks over cells already read (the view has them; no second read).
async fn checks_over(
    tx: &mut TenantTx,
    report: &ReportRow,
    rows: &[CellRow],
) -> Result<Vec<FieldProblem>> {
    let figures = figures_of(rows)?;
    let prior = prior_carry(tx, report).await?;
    Ok(cross_checks(&figures, &prior))
}

pub(super) async fn view_in(tx: &mut TenantTx, report: ReportRow) -> Result<ReportView> {
    let rows = store::cells(tx, report.year as i32).await?;
    let by_cell: BTreeMap<&str, &CellRow> = rows.iter().map(|r| (r.cell.as_str(), r)).collect();
    let cells = Cell::all()
        .filter_map(|c| {
            by_cell
                .get(c.to_string().as_str())
                .map(|row| cell_view(c, row))
        })
        .collect();
    let checks = checks_over(tx, &report, &rows).await?;
    let prior_carried = match (&report.prior_carried, &report.prior_carried_reason) {
        (Some(text), Some(reason)) => {
            let row = parse_row(text)?;
            Some(PriorCarriedView {
                columns: Column::ALL
                    .iter()
                    .map(|&c| (c.code().to_string(), row[c as usize]))
                    .collect(),
                reason: reason.clone(),
            })
        }
        _ => None,
    };
    Ok(ReportView {
        id: report.id,
        year: report.year as i32,
        status: report.status,
        sections: Sections {
            overview: report.overview,
            problems: report.problems,
            other_matters: report.other_matters,
        },
        prior_carried,
        computed_at: report.computed_at,
        submitted_at: report.submitted_at,
        submitted_by: report.submitted_by,
        item_id: report.item_id,
        cells,
        checks,
    })
}

/// The cross-checks that fail now (empty: the report adds up).
pub async fn check(reports: &Reports, tenant: &Tenant, year: i32) -> Result<Vec<FieldProblem>> {
    let mut tx = reports.db.tenant_read(&tenant.id).await?;
    let report = store::get(&mut tx, year, false)
        .await?
        .ok_or_else(|| not_found(year))?;
    let failures = checks_in(&mut tx, &report).await?;
    tx.commit().await?;
    Ok(failures)
}
