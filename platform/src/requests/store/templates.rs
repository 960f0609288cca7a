//! A tenant's own reply templates.

use sqlx::FromRow;

use super::decode;
use crate::kernel::db::TenantTx;
use crate::kernel::error::Result;

pub async fn template(
    tx: &mut TenantTx,
    outcome_code: &str,
    language: &str,
) -> Result<Option<String>> {
    let row = tx
        .query("SELECT body FROM reply_templates WHERE tenant_id = $1 AND outcome_code = $2 AND language = $3")
        .bind(outcome_code.to_string())
        .bind(language.to_string())
        .fetch_optional(tx.conn())
        .await?;
    let body = row.as_ref().map(<(String,)>::from_row).transpose()?;
    Ok(body.map(|(body,)| body))
}

/// A tenant's own reply template.
#[derive(FromRow)]
pub struct TemplateRow {
    pub outcome_code: String,
    pub language: String,
    pub body: String,
}

pub async fn templates(tx: &mut TenantTx) -> Result<Vec<TemplateRow>> {
    let rows = tx
        .query("SELECT outcome_code, language, body FROM reply_templates WHERE tenant_id = $1")
        .fetch_all(tx.conn())
        .await?;
    decode(&rows)
}

pub async fn put_template(
    tx: &mut TenantTx,
    outcome_code: &str,
    language: &str,
    body: &str,
    at: &str,
) -> Result<()> {
    tx.query(
        "INSERT INTO reply_templates (tenant_id, outcome_code, language, body, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (tenant_id, outcome_code, language) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(outcome_code.to_string())
    .bind(language.to_string())
    .bind(body.to_string())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}
