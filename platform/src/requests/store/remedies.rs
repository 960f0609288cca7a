//! Remedies against answers (reconsideration, litigation).

use super::decode;
use crate::kernel::db::TenantTx;
use crate::kernel::error::Result;
use crate::requests::model::RemedyView;

const REMEDY_COLUMNS: &str = "id, request_id, kind, result, case_number, filed_on, decided_on";

pub async fn remedies(tx: &mut TenantTx, request_id: Option<&str>) -> Result<Vec<RemedyView>> {
    let rows = match request_id {
        Some(id) => {
            tx.query(&format!(
                "SELECT {REMEDY_COLUMNS} FROM request_remedies WHERE tenant_id = $1 AND request_id = $2 ORDER BY filed_on, id"
            ))
            .bind(id.to_string())
            .fetch_all(tx.conn())
            .await?
        }
        None => {
            tx.query(&format!(
                "SELECT {REMEDY_COLUMNS} FROM request_remedies WHERE tenant_id = $1 ORDER BY filed_on, id"
            ))
            .fetch_all(tx.conn())
            .await?
        }
    };
    decode(&rows)
}

pub async fn insert_remedy(tx: &mut TenantTx, r: &RemedyView, at: &str) -> Result<()> {
    tx.query(
        "INSERT INTO request_remedies (tenant_id, id, request_id, kind, result, case_number, filed_on, decided_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(r.id.clone())
    .bind(r.request_id.clone())
    .bind(r.kind.clone())
    .bind(r.result.clone())
    .bind(r.case_number.clone())
    .bind(r.filed_on.clone())
    .bind(r.decided_on.clone())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn update_remedy(tx: &mut TenantTx, r: &RemedyView, at: &str) -> Result<bool> {
    let done = tx
        .query(
            "UPDATE request_remedies SET result = $3, decided_on = $4, case_number = $5, updated_at = $6 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(r.id.clone())
        .bind(r.result.clone())
        .bind(r.decided_on.clone())
        .bind(r.case_number.clone())
        .bind(at.to_string())
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}
