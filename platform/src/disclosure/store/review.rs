//! Review decisions and scan findings.

use sqlx::FromRow;

use super::decode;
use crate::disclosure::lifecycle::review::{Decision, Verdict};
use crate::disclosure::model::{DecisionOut, FindingOut};
use crate::disclosure::scan::FindingKind;
use crate::kernel::db::TenantTx;
use crate::kernel::error::Result;

pub async fn insert_decision(tx: &mut TenantTx, item_id: &str, d: &DecisionOut) -> Result<()> {
    tx.query(
        "INSERT INTO review_decisions (tenant_id, id, item_id, version, step, step_name, verdict, \
         comments, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(d.id.clone())
    .bind(item_id.to_string())
    .bind(d.version)
    .bind(d.step)
    .bind(d.step_name.clone())
    .bind(d.verdict.clone())
    .bind(d.comments.clone())
    .bind(d.decided_by.clone())
    .bind(d.decided_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn decisions(tx: &mut TenantTx, item_id: &str) -> Result<Vec<DecisionOut>> {
    Ok(tx
        .query(
            "SELECT id, version, step, step_name, verdict, comments, decided_by, decided_at \
             FROM review_decisions WHERE tenant_id = $1 AND item_id = $2 ORDER BY decided_at, id",
        )
        .bind(item_id.to_string())
        .try_map(decode::<DecisionOut>)
        .fetch_all(tx.conn())
        .await?)
}

/// The decisions on one version, as the review rules take them.
pub fn as_rules(decisions: &[DecisionOut], version: i64) -> Vec<Decision<String>> {
    decisions
        .iter()
        .filter(|d| d.version == version)
        .map(|d| Decision {
            step: d.step as usize,
            by: d.decided_by.clone(),
            verdict: if d.verdict == "approve" {
                Verdict::Approve
            } else {
                Verdict::Reject
            },
        })
        .collect()
}

pub async fn insert_finding(
    tx: &mut TenantTx,
    item_id: &str,
    f: &FindingOut,
    at: &str,
) -> Result<()> {
    tx.query(
        "INSERT INTO scan_findings (tenant_id, id, item_id, version, field, kind, start_at, end_at, \
         matched, masked, found_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(f.id.clone())
    .bind(item_id.to_string())
    .bind(f.version)
    .bind(f.field.clone())
    .bind(f.kind.clone())
    .bind(f.start)
    .bind(f.end)
    .bind(f.matched.clone())
    .bind(f.masked.clone())
    .bind(at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A finding row as stored (its Chinese kind label is not).
#[derive(FromRow)]
struct FindingRecord {
    id: String,
    version: i64,
    field: String,
    kind: String,
    start_at: i64,
    end_at: i64,
    matched: String,
    masked: String,
    resolution: Option<String>,
    reason: Option<String>,
    resolved_by: Option<String>,
    resolved_at: Option<String>,
}

impl From<FindingRecord> for FindingOut {
    fn from(r: FindingRecord) -> FindingOut {
        FindingOut {
            kind_zh: FindingKind::parse(&r.kind)
                .map_or("其他", FindingKind::label_zh)
                .to_string(),
            id: r.id,
            version: r.version,
            field: r.field,
            kind: r.kind,
            start: r.start_at,
            end: r.end_at,
            matched: r.matched,
            masked: r.masked,
            resolution: r.resolution,
            reason: r.reason,
            resolved_by: r.resolved_by,
            resolved_at: r.resolved_at,
        }
    }
}

pub async fn findings(
    tx: &mut TenantTx,
    item_id: &str,
    version: Option<i64>,
) -> Result<Vec<FindingOut>> {
    let rows = tx
        .query(
            "SELECT id, version, field, kind, start_at, end_at, matched, masked, resolution, reason, \
             resolved_by, resolved_at FROM scan_findings WHERE tenant_id = $1 AND item_id = $2 \
             AND ($3 < 0 OR version = $3) ORDER BY version, field, start_at",
        )
        .bind(item_id.to_string())
        .bind(version.unwrap_or(-1))
        .try_map(decode::<FindingRecord>)
        .fetch_all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(FindingOut::from).collect())
}

pub async fn resolve_finding(
    tx: &mut TenantTx,
    id: &str,
    resolution: &str,
    reason: &str,
    by: &str,
    at: &str,
) -> Result<()> {
    tx.query(
        "UPDATE scan_findings SET resolution = $3, reason = $4, resolved_by = $5, resolved_at = $6 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(id.to_string())
    .bind(resolution.to_string())
    .bind(reason.to_string())
    .bind(by.to_string())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}
