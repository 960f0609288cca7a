//! Publication of a report through the disclosure capability (docs/adr/0015): submitting
//! a report makes (or, after a reopening, gives a new version to) an item of kind
//! `annual_report` in the 年度报告 column (NDBG). The item's version freezes the report
//! (sections and every figure); from there the item takes the node's review chain and
//! is published like every other item. The public reads the report only from the
//! published item, so a recount never changes what was published.

use serde_json::json;

use super::document::{self, ReportDoc};
use super::store::{self, ReportRow};
use super::Reports;
use crate::audit;
use crate::disclosure::lifecycle::{DisclosureAttribute, Working};
use crate::disclosure::model::Version;
use crate::disclosure::service::{self as items, NewItem, Prepared};
use crate::disclosure::store as item_store;
use crate::kernel::actor::Actor;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;
use gongkai_rules::annual_report::{AnnualFigures, Cell};

/// The catalog node of the annual reports in the default catalog (政府信息公开年报).
pub const REPORTS_NODE: &str = "NDBG";

/// The report as stored: sections and the figures the report uses (adjustments applied).
pub async fn doc_of(tx: &mut TenantTx, tenant: &Tenant, report: &ReportRow) -> Result<ReportDoc> {
    let mut figures = AnnualFigures::default();
    for row in store::cells(tx, report.year as i32).await? {
        let cell = row.cell.parse::<Cell>().map_err(Error::internal_from)?;
        figures.set(cell, row.value());
    }
    let year = report.year as i32;
    Ok(ReportDoc {
        agency: tenant.name_zh.clone(),
        year,
        title: document::title(&tenant.name_zh, year),
        overview: report.overview.clone(),
        problems: report.problems.clone(),
        other_matters: report.other_matters.clone(),
        figures,
    })
}

/// What the item needs from outside the report's transaction: the catalog seeded and the
/// publication deadline (working days) of an item made today.
pub async fn prepare(reports: &Reports, tenant: &Tenant) -> Result<Option<String>> {
    items::ensure_seeded(&reports.disclosure, tenant).await?;
    Ok(items::due_today(&reports.disclosure, tenant).await)
}

/// Inside the submission's transaction: makes the report's item, or gives the item a new
/// version when the report was reopened while its item was a draft. Sets
/// `report.item_id`.
pub async fn freeze_in(
    reports: &Reports,
    tx: &mut TenantTx,
    actor: &Actor,
    tenant: &Tenant,
    report: &mut ReportRow,
    due: Option<String>,
) -> Result<()> {
    let doc = doc_of(tx, tenant, report).await?;
    if let Some(id) = &report.item_id {
        let mut item = item_store::item(tx, id, true)
            .await?
            .ok_or_else(|| Error::internal("the report's item is gone"))?;
        if item.state.working != Some(Working::Draft) {
            return Err(Error::conflict(
                "the report's item is in review or published: revise or send it back first",
            ));
        }
        let now = ids::to_text(reports.clock.now());
        let current = item_store::version(tx, id, item.version).await?;
        let version = Version {
            number: item.version + 1,
            fields: doc.to_fields(),
            created_by: actor.user_id.clone(),
            created_at: now.clone(),
            ..current
        };
        item_store::insert_version(tx, id, &version).await?;
        item.version = version.number;
        item.updated_at = now;
        item_store::save_item(tx, &item).await?;
        audit::append(
            tx,
            actor,
            "item.edit",
            "item",
            id,
            json!({"version": item.version, "report_year": report.year}),
        )
        .await?;
        return Ok(());
    }
    let node = item_store::nodes(tx)
        .await?
        .into_iter()
        .find(|n| n.code == REPORTS_NODE)
        .ok_or_else(|| {
            Error::conflict(format!(
                "the catalog has no 年度报告 node (code {REPORTS_NODE}): the report is published there"
            ))
        })?;
    let input = NewItem {
        node_id: Some(node.id.clone()),
        kind: "annual_report".into(),
        title: doc.title.clone(),
        body: String::new(),
        fields: doc.to_fields(),
        attribute: DisclosureAttribute::Proactive,
        legal_ground: None,
        attribute_reason: String::new(),
    };
    let prepared = Prepared {
        node_id: Some(node.id),
        record: None,
        due,
        problems: Vec::new(),
    };
    let item = items::create_item_in(&reports.disclosure, tx, actor, input, prepared).await?;
    report.item_id = Some(item.id);
    Ok(())
}

/// Returns a submitted report to draft so its figures and sections can change, while its
/// item is a draft (never sent to review, sent back by a reviewer, or revised after
/// publication). Submitting it again gives the item a new version to review.
pub async fn reopen(
    reports: &Reports,
    tenant: &Tenant,
    actor: &Actor,
    year: i32,
    reason: Option<&str>,
) -> Result<ReportRow> {
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| Error::invalid("reason", "say why the submitted report must change"))?
        .to_string();
    let mut tx = reports.db.tenant(&tenant.id).await?;
    let mut report = store::get(&mut tx, year, true)
        .await?
        .ok_or_else(|| Error::NotFound(format!("report of {year}")))?;
    if report.status != "submitted" {
        return Err(Error::conflict(format!(
            "the report of {year} is a draft already"
        )));
    }
    if let Some(id) = &report.item_id {
        let item = item_store::item(&mut tx, id, true)
            .await?
            .ok_or_else(|| Error::internal("the report's item is gone"))?;
        if item.state.working != Some(Working::Draft) {
            return Err(Error::conflict(
                "the report's item is in review, approved or published unchanged: \
                 a reviewer sends it back, or a published report is revised first",
            ));
        }
    }
    report.status = "draft".into();
    report.submitted_at = None;
    report.submitted_by = None;
    report.updated_at = ids::to_text(reports.clock.now());
    store::update(&mut tx, &report).await?;
    audit::append(
        &mut tx,
        actor,
        "report.reopen",
        "annual_report",
        &report.id,
        json!({"year": year, "reason": reason}),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// The published report of `year` (the item's public rendition), or 404: nothing of a
/// report is public before its item is published.
pub async fn published_doc(reports: &Reports, tenant: &Tenant, year: i32) -> Result<ReportDoc> {
    let not_found = || Error::NotFound(format!("published report of {year}"));
    let mut tx = reports.db.tenant_read(&tenant.id).await?;
    let report = store::get(&mut tx, year, false).await?;
    tx.commit().await?;
    let item_id = report.and_then(|r| r.item_id).ok_or_else(not_found)?;
    let item = crate::disclosure::public::published_item(&reports.disclosure, tenant, &item_id)
        .await
        .map_err(|_| not_found())?;
    ReportDoc::from_fields(&tenant.name_zh, &item.title, &item.fields)
}
