//! A request's answers (drafted, reviewed, delivered) and fees.

use sqlx::FromRow;

use super::decode;
use crate::kernel::db::TenantTx;
use crate::kernel::error::Result;
use crate::requests::model::{AnswerView, FeeView};
use gongkai_rules::requests::outcome::Outcome;

/// An answer as stored; its outcome's heading is added when read.
#[derive(FromRow)]
struct AnswerColumns {
    id: String,
    outcome_code: String,
    reply_text: String,
    status: String,
    drafted_by: String,
    drafted_at: String,
    reviewed_by: Option<String>,
    comments: Option<String>,
}

impl From<AnswerColumns> for AnswerView {
    fn from(a: AnswerColumns) -> AnswerView {
        AnswerView {
            outcome_label: a
                .outcome_code
                .parse::<Outcome>()
                .map(|o| o.row_heading())
                .unwrap_or_default(),
            id: a.id,
            outcome_code: a.outcome_code,
            reply_text: a.reply_text,
            status: a.status,
            drafted_by: a.drafted_by,
            drafted_at: a.drafted_at,
            reviewed_by: a.reviewed_by,
            comments: a.comments,
        }
    }
}

pub async fn answers(tx: &mut TenantTx, request_id: &str) -> Result<Vec<AnswerView>> {
    let rows = tx
        .query(
            "SELECT id, outcome_code, reply_text, status, drafted_by, drafted_at, reviewed_by, comments \
             FROM request_answers WHERE tenant_id = $1 AND request_id = $2 ORDER BY drafted_at, id",
        )
        .bind(request_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    Ok(decode::<AnswerColumns>(&rows)?
        .into_iter()
        .map(AnswerView::from)
        .collect())
}

pub async fn insert_answer(
    tx: &mut TenantTx,
    request_id: &str,
    outcome_code: &str,
    reply_text: &str,
    drafted_by: &str,
    at: &str,
) -> Result<String> {
    let id = crate::kernel::ids::new_id();
    tx.query(
        "INSERT INTO request_answers (tenant_id, id, request_id, outcome_code, reply_text, status, drafted_by, drafted_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7)",
    )
    .bind(id.clone())
    .bind(request_id.to_string())
    .bind(outcome_code.to_string())
    .bind(reply_text.to_string())
    .bind(drafted_by.to_string())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(id)
}

pub async fn set_answer_status(
    tx: &mut TenantTx,
    answer_id: &str,
    status: &str,
    reviewed_by: Option<&str>,
    comments: Option<&str>,
    at: &str,
) -> Result<()> {
    tx.query(
        "UPDATE request_answers SET status = $3, reviewed_by = COALESCE($4, reviewed_by), \
         comments = COALESCE($5, comments), reviewed_at = COALESCE($6, reviewed_at) WHERE tenant_id = $1 AND id = $2",
    )
    .bind(answer_id.to_string())
    .bind(status.to_string())
    .bind(reviewed_by.map(str::to_string))
    .bind(comments.map(str::to_string))
    .bind(reviewed_by.map(|_| at.to_string()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn fees(tx: &mut TenantTx, request_id: &str) -> Result<Vec<FeeView>> {
    let rows = tx
        .query(
            "SELECT id, basis, units, amount_yuan, noticed_on, pay_by, status, paid_on FROM request_fees \
             WHERE tenant_id = $1 AND request_id = $2 ORDER BY noticed_on, id",
        )
        .bind(request_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    decode(&rows)
}

pub async fn insert_fee(tx: &mut TenantTx, request_id: &str, fee: &FeeView) -> Result<()> {
    tx.query(
        "INSERT INTO request_fees (tenant_id, id, request_id, basis, units, amount_yuan, noticed_on, pay_by, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')",
    )
    .bind(fee.id.clone())
    .bind(request_id.to_string())
    .bind(fee.basis.clone())
    .bind(fee.units)
    .bind(fee.amount_yuan)
    .bind(fee.noticed_on.clone())
    .bind(fee.pay_by.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Settles the pending fee of a request: `paid` (with the day) or `lapsed`.
pub async fn settle_fee(
    tx: &mut TenantTx,
    request_id: &str,
    status: &str,
    paid_on: Option<&str>,
) -> Result<()> {
    tx.query(
        "UPDATE request_fees SET status = $3, paid_on = $4 WHERE tenant_id = $1 AND request_id = $2 AND status = 'pending'",
    )
    .bind(request_id.to_string())
    .bind(status.to_string())
    .bind(paid_on.map(str::to_string))
    .execute(tx.conn())
    .await?;
    Ok(())
}
