//! Requests in the database. Every query goes through the tenant's transaction.

use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::model::{AnswerView, FeeView, RemedyView, TimelineEntry};
use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::{Error, Result};
use gongkai_rules::requests::lifecycle::{AbandonReason, Phase, RequestState};

/// One request row. Personal data stays sealed here.
#[derive(Clone)]
pub struct RequestRow {
    pub id: String,
    pub tracking_number: String,
    pub access_code_hash: String,
    pub applicant_type: String,
    pub applicant_sealed: String,
    pub applicant_key: String,
    pub description_sealed: String,
    pub delivery_method: String,
    pub delivery_form: String,
    pub language: String,
    pub received_on: String,
    pub phase: String,
    pub abandon_reason: Option<String>,
    pub open_consultations: i64,
    pub correction_used: bool,
    pub extended: bool,
    pub fee_pending: bool,
    pub outcome_code: Option<String>,
    pub assignee_id: Option<String>,
    pub department: Option<String>,
    pub referred_to: Option<String>,
    pub due_state: String,
    pub due_on: Option<String>,
    pub answered_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl RequestRow {
    pub fn state(&self) -> RequestState {
        let phase = match self.phase.as_str() {
            "registered" => Phase::Registered,
            "correction_requested" => Phase::CorrectionRequested,
            "corrected" => Phase::Corrected,
            "assigned" => Phase::Assigned,
            "consulting" => Phase::Consulting {
                open: self.open_consultations.max(1) as u32,
            },
            "answer_drafted" => Phase::AnswerDrafted,
            "answer_reviewed" => Phase::AnswerReviewed,
            "answered" => Phase::Answered,
            "closed" => Phase::Closed,
            "withdrawn" => Phase::Withdrawn,
            "abandoned" => Phase::Abandoned {
                reason: if self.abandon_reason.as_deref() == Some("fee_lapsed") {
                    AbandonReason::FeeLapsed
                } else {
                    AbandonReason::NoCorrection
                },
            },
            _ => Phase::Received,
        };
        RequestState {
            phase,
            correction_used: self.correction_used,
            extended: self.extended,
            fee_pending: self.fee_pending,
        }
    }

    pub fn set_state(&mut self, state: RequestState) {
        self.phase = state.phase.as_str().to_string();
        self.open_consultations = match state.phase {
            Phase::Consulting { open } => i64::from(open),
            _ => 0,
        };
        self.abandon_reason = match state.phase {
            Phase::Abandoned {
                reason: AbandonReason::FeeLapsed,
            } => Some("fee_lapsed".into()),
            Phase::Abandoned {
                reason: AbandonReason::NoCorrection,
            } => Some("no_correction".into()),
            _ => None,
        };
        self.correction_used = state.correction_used;
        self.extended = state.extended;
        self.fee_pending = state.fee_pending;
    }
}

const COLUMNS: &str = "id, tracking_number, access_code_hash, applicant_type, applicant_sealed, \
    applicant_key, description_sealed, delivery_method, delivery_form, language, received_on, phase, \
    abandon_reason, open_consultations, correction_used, extended, fee_pending, outcome_code, \
    assignee_id, department, referred_to, due_state, due_on, answered_on, created_at, updated_at";

fn row_of(row: &AnyRow) -> Result<RequestRow> {
    Ok(RequestRow {
        id: row.try_get("id")?,
        tracking_number: row.try_get("tracking_number")?,
        access_code_hash: row.try_get("access_code_hash")?,
        applicant_type: row.try_get("applicant_type")?,
        applicant_sealed: row.try_get("applicant_sealed")?,
        applicant_key: row.try_get("applicant_key")?,
        description_sealed: row.try_get("description_sealed")?,
        delivery_method: row.try_get("delivery_method")?,
        delivery_form: row.try_get("delivery_form")?,
        language: row.try_get("language")?,
        received_on: row.try_get("received_on")?,
        phase: row.try_get("phase")?,
        abandon_reason: row.try_get("abandon_reason")?,
        open_consultations: row.try_get("open_consultations")?,
        correction_used: row.try_get::<i64, _>("correction_used")? != 0,
        extended: row.try_get::<i64, _>("extended")? != 0,
        fee_pending: row.try_get::<i64, _>("fee_pending")? != 0,
        outcome_code: row.try_get("outcome_code")?,
        assignee_id: row.try_get("assignee_id")?,
        department: row.try_get("department")?,
        referred_to: row.try_get("referred_to")?,
        due_state: row.try_get("due_state")?,
        due_on: row.try_get("due_on")?,
        answered_on: row.try_get("answered_on")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn insert(tx: &mut TenantTx, r: &RequestRow) -> Result<()> {
    tx.query(
        "INSERT INTO requests (tenant_id, id, tracking_number, access_code_hash, applicant_type, \
         applicant_sealed, applicant_key, description_sealed, delivery_method, delivery_form, language, \
         received_on, phase, due_state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(r.id.clone())
    .bind(r.tracking_number.clone())
    .bind(r.access_code_hash.clone())
    .bind(r.applicant_type.clone())
    .bind(r.applicant_sealed.clone())
    .bind(r.applicant_key.clone())
    .bind(r.description_sealed.clone())
    .bind(r.delivery_method.clone())
    .bind(r.delivery_form.clone())
    .bind(r.language.clone())
    .bind(r.received_on.clone())
    .bind(r.phase.clone())
    .bind(r.due_state.clone())
    .bind(r.created_at.clone())
    .bind(r.updated_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Writes back everything a step may change.
pub async fn update(tx: &mut TenantTx, r: &RequestRow) -> Result<()> {
    tx.query(
        "UPDATE requests SET description_sealed = $3, phase = $4, abandon_reason = $5, \
         open_consultations = $6, correction_used = $7, extended = $8, fee_pending = $9, \
         outcome_code = $10, assignee_id = $11, department = $12, referred_to = $13, \
         due_state = $14, due_on = $15, answered_on = $16, updated_at = $17 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(r.id.clone())
    .bind(r.description_sealed.clone())
    .bind(r.phase.clone())
    .bind(r.abandon_reason.clone())
    .bind(r.open_consultations)
    .bind(i64::from(r.correction_used))
    .bind(i64::from(r.extended))
    .bind(i64::from(r.fee_pending))
    .bind(r.outcome_code.clone())
    .bind(r.assignee_id.clone())
    .bind(r.department.clone())
    .bind(r.referred_to.clone())
    .bind(r.due_state.clone())
    .bind(r.due_on.clone())
    .bind(r.answered_on.clone())
    .bind(r.updated_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Sets the cached due date of many requests in one statement per 1000:
/// (id, due_state, due_on).
pub async fn set_due_many(
    tx: &mut TenantTx,
    backend: Backend,
    items: &[(String, String, Option<String>)],
) -> Result<()> {
    let sql = match backend {
        Backend::Postgres => {
            "UPDATE requests AS r SET due_state = v.due_state, due_on = v.due_on \
             FROM json_to_recordset($2::json) AS v(id text, due_state text, due_on text) \
             WHERE r.tenant_id = $1 AND r.id = v.id"
        }
        Backend::Sqlite => {
            "UPDATE requests SET due_state = v.due_state, due_on = v.due_on \
             FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.due_state') AS due_state, \
             json_extract(value, '$.due_on') AS due_on FROM json_each($2)) AS v \
             WHERE requests.tenant_id = $1 AND requests.id = v.id"
        }
    };
    for chunk in items.chunks(1000) {
        let json: Vec<Value> = chunk
            .iter()
            .map(|(id, state, on)| serde_json::json!({"id": id, "due_state": state, "due_on": on}))
            .collect();
        tx.query(sql)
            .bind(Value::Array(json).to_string())
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

fn lock(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    }
}

/// One request by id; locked for the transaction on PostgreSQL when `for_update`.
pub async fn get(
    tx: &mut TenantTx,
    backend: Backend,
    id: &str,
    for_update: bool,
) -> Result<Option<RequestRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM requests WHERE tenant_id = $1 AND id = $2{}",
        if for_update { lock(backend) } else { "" }
    );
    let row = tx
        .query(&sql)
        .bind(id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    row.as_ref().map(row_of).transpose()
}

pub async fn by_number(tx: &mut TenantTx, number: &str) -> Result<Option<RequestRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM requests WHERE tenant_id = $1 AND tracking_number = $2");
    let row = tx
        .query(&sql)
        .bind(number.to_string())
        .fetch_optional(tx.conn())
        .await?;
    row.as_ref().map(row_of).transpose()
}

/// The next tracking number of the year, e.g. `YSQ2026-000042`. The counter row stays
/// locked until the transaction ends, so concurrent submissions never collide.
pub async fn next_tracking_number(tx: &mut TenantTx, year: i32) -> Result<String> {
    let row = tx
        .query(
            "INSERT INTO request_counters (tenant_id, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (tenant_id, year) DO UPDATE SET last = request_counters.last + 1 RETURNING last",
        )
        .bind(i64::from(year))
        .fetch_one(tx.conn())
        .await?;
    let n: i64 = row.try_get("last")?;
    Ok(format!("YSQ{year}-{n:06}"))
}

/// Filters of the staff list.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub status: Option<String>,
    pub assignee_id: Option<String>,
    pub due_before: Option<String>,
    /// Open requests whose due date is before this day.
    pub overdue_on: Option<String>,
    pub limit: i64,
}

pub async fn list(tx: &mut TenantTx, f: &ListFilter) -> Result<Vec<RequestRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM requests WHERE tenant_id = $1");
    let mut binds: Vec<String> = Vec::new();
    let mut add = |clause: &str, value: &String, binds: &mut Vec<String>| {
        binds.push(value.clone());
        sql.push_str(&format!(" AND {clause} ${}", binds.len() + 1));
    };
    if let Some(s) = &f.status {
        add("phase =", s, &mut binds);
    }
    if let Some(a) = &f.assignee_id {
        add("assignee_id =", a, &mut binds);
    }
    if let Some(d) = &f.due_before {
        add(
            "due_state IN ('due', 'paused', 'awaiting_fee') AND due_on <",
            d,
            &mut binds,
        );
    }
    if let Some(d) = &f.overdue_on {
        add(
            "due_state IN ('due', 'paused', 'awaiting_fee') AND due_on <",
            d,
            &mut binds,
        );
    }
    sql.push_str(&format!(
        " ORDER BY created_at DESC LIMIT {}",
        f.limit.clamp(1, 1000)
    ));
    let mut q = tx.query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(tx.conn()).await?;
    rows.iter().map(row_of).collect()
}

/// Ids of requests whose clock may still move (for recomputation and reminders).
pub async fn open_ids(tx: &mut TenantTx) -> Result<Vec<String>> {
    let rows = tx
        .query(
            "SELECT id FROM requests WHERE tenant_id = $1 AND phase NOT IN ('answered', 'closed', 'withdrawn', 'abandoned') \
             ORDER BY id",
        )
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Every open request with its timeline, in two queries (for a full recomputation).
pub async fn open_with_events(tx: &mut TenantTx) -> Result<Vec<(RequestRow, Vec<EventRow>)>> {
    let open = "phase NOT IN ('answered', 'closed', 'withdrawn', 'abandoned')";
    let rows = tx
        .query(&format!(
            "SELECT {COLUMNS} FROM requests WHERE tenant_id = $1 AND {open} ORDER BY id"
        ))
        .fetch_all(tx.conn())
        .await?;
    let mut out: Vec<(RequestRow, Vec<EventRow>)> = rows
        .iter()
        .map(|r| Ok((row_of(r)?, Vec::new())))
        .collect::<Result<_>>()?;
    let events = tx
        // No join: under row-level security a join of two policed tables plans badly;
        // events of concluded requests are skipped below.
        .query(
            "SELECT request_id, seq, kind, on_date, at, details FROM request_events \
             WHERE tenant_id = $1 ORDER BY request_id, seq",
        )
        .fetch_all(tx.conn())
        .await?;
    let index: std::collections::HashMap<String, usize> = out
        .iter()
        .enumerate()
        .map(|(i, (r, _))| (r.id.clone(), i))
        .collect();
    for e in &events {
        let request_id: String = e.try_get("request_id")?;
        let Some(&i) = index.get(&request_id) else {
            continue;
        };
        let details: String = e.try_get("details")?;
        out[i].1.push(EventRow {
            seq: e.try_get("seq")?,
            kind: e.try_get("kind")?,
            on: e.try_get("on_date")?,
            at: e.try_get("at")?,
            details: serde_json::from_str(&details)
                .map_err(|err| Error::internal_cause("stored event details", err))?,
        });
    }
    Ok(out)
}

/// Requests of one applicant received in one month (`YYYY-MM`), in order, for fees by count.
pub async fn applicant_month(
    tx: &mut TenantTx,
    applicant_key: &str,
    month: &str,
) -> Result<Vec<String>> {
    let rows = tx
        .query(
            "SELECT id FROM requests WHERE tenant_id = $1 AND applicant_key = $2 AND received_on LIKE $3 \
             ORDER BY created_at, id",
        )
        .bind(applicant_key.to_string())
        .bind(format!("{month}-%"))
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Counts by outcome code of requests concluded (answered or abandoned) in `from..=to`.
pub async fn outcome_counts(tx: &mut TenantTx, from: &str, to: &str) -> Result<Vec<(String, i64)>> {
    let rows = tx
        .query(
            "SELECT outcome_code, COUNT(*) AS n FROM requests WHERE tenant_id = $1 AND outcome_code IS NOT NULL \
             AND answered_on >= $2 AND answered_on <= $3 GROUP BY outcome_code ORDER BY outcome_code",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("outcome_code")?, r.try_get("n")?)))
        .collect()
}

// --- timeline -----------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct EventRow {
    pub seq: i64,
    pub kind: String,
    pub on: String,
    pub at: String,
    pub details: Value,
}

impl EventRow {
    pub fn view(&self) -> TimelineEntry {
        TimelineEntry {
            seq: self.seq,
            kind: self.kind.clone(),
            on: self.on.clone(),
            at: self.at.clone(),
            details: self.details.clone(),
        }
    }
}

pub async fn events(tx: &mut TenantTx, request_id: &str) -> Result<Vec<EventRow>> {
    let rows = tx
        .query(
            "SELECT seq, kind, on_date, at, details FROM request_events WHERE tenant_id = $1 AND request_id = $2 ORDER BY seq",
        )
        .bind(request_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            let details: String = r.try_get("details")?;
            Ok(EventRow {
                seq: r.try_get("seq")?,
                kind: r.try_get("kind")?,
                on: r.try_get("on_date")?,
                at: r.try_get("at")?,
                details: serde_json::from_str(&details)
                    .map_err(|e| Error::internal_cause("stored event details", e))?,
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub async fn add_event(
    tx: &mut TenantTx,
    request_id: &str,
    seq: i64,
    kind: &str,
    on: &str,
    at: &str,
    actor: &str,
    details: &Value,
) -> Result<()> {
    tx.query(
        "INSERT INTO request_events (tenant_id, request_id, seq, kind, on_date, at, actor, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(request_id.to_string())
    .bind(seq)
    .bind(kind.to_string())
    .bind(on.to_string())
    .bind(at.to_string())
    .bind(actor.to_string())
    .bind(details.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

// --- answers ------------------------------------------------------------------------

pub async fn answers(tx: &mut TenantTx, request_id: &str) -> Result<Vec<AnswerView>> {
    let rows = tx
        .query(
            "SELECT id, outcome_code, reply_text, status, drafted_by, drafted_at, reviewed_by, comments \
             FROM request_answers WHERE tenant_id = $1 AND request_id = $2 ORDER BY drafted_at, id",
        )
        .bind(request_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("outcome_code")?;
            let label = code
                .parse::<super::outcome::Outcome>()
                .map(|o| o.row_heading())
                .unwrap_or_default();
            Ok(AnswerView {
                id: r.try_get("id")?,
                outcome_code: code,
                outcome_label: label,
                reply_text: r.try_get("reply_text")?,
                status: r.try_get("status")?,
                drafted_by: r.try_get("drafted_by")?,
                drafted_at: r.try_get("drafted_at")?,
                reviewed_by: r.try_get("reviewed_by")?,
                comments: r.try_get("comments")?,
            })
        })
        .collect()
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

// --- fees ---------------------------------------------------------------------------

pub async fn fees(tx: &mut TenantTx, request_id: &str) -> Result<Vec<FeeView>> {
    let rows = tx
        .query(
            "SELECT id, basis, units, amount_yuan, noticed_on, pay_by, status, paid_on FROM request_fees \
             WHERE tenant_id = $1 AND request_id = $2 ORDER BY noticed_on, id",
        )
        .bind(request_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(FeeView {
                id: r.try_get("id")?,
                basis: r.try_get("basis")?,
                units: r.try_get("units")?,
                amount_yuan: r.try_get("amount_yuan")?,
                noticed_on: r.try_get("noticed_on")?,
                pay_by: r.try_get("pay_by")?,
                status: r.try_get("status")?,
                paid_on: r.try_get("paid_on")?,
            })
        })
        .collect()
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

// --- remedies -----------------------------------------------------------------------

fn remedy_of(r: &AnyRow) -> Result<RemedyView> {
    Ok(RemedyView {
        id: r.try_get("id")?,
        request_id: r.try_get("request_id")?,
        kind: r.try_get("kind")?,
        result: r.try_get("result")?,
        case_number: r.try_get("case_number")?,
        filed_on: r.try_get("filed_on")?,
        decided_on: r.try_get("decided_on")?,
    })
}

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
    rows.iter().map(remedy_of).collect()
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

// --- reply templates ----------------------------------------------------------------

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
    Ok(row.map(|r| r.try_get("body")).transpose()?)
}

pub async fn templates(tx: &mut TenantTx) -> Result<Vec<(String, String, String, String)>> {
    let rows = tx
        .query("SELECT outcome_code, language, body, updated_at FROM reply_templates WHERE tenant_id = $1")
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("outcome_code")?,
                r.try_get("language")?,
                r.try_get("body")?,
                r.try_get("updated_at")?,
            ))
        })
        .collect()
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

// --- idempotency --------------------------------------------------------------------

/// (body hash, status, sealed response) of a key used before.
pub async fn idempotency(tx: &mut TenantTx, key: &str) -> Result<Option<(String, i64, String)>> {
    let row = tx
        .query("SELECT body_hash, status, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2")
        .bind(key.to_string())
        .fetch_optional(tx.conn())
        .await?;
    row.map(|r| {
        Ok((
            r.try_get("body_hash")?,
            r.try_get("status")?,
            r.try_get("response")?,
        ))
    })
    .transpose()
}

pub async fn put_idempotency(
    tx: &mut TenantTx,
    key: &str,
    body_hash: &str,
    status: i64,
    sealed: &str,
    at: &str,
) -> Result<()> {
    tx.query(
        "INSERT INTO idempotency_keys (tenant_id, key, body_hash, status, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key.to_string())
    .bind(body_hash.to_string())
    .bind(status)
    .bind(sealed.to_string())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Records that a reminder went out; false if it already had.
pub async fn mark_reminder(
    tx: &mut TenantTx,
    request_id: &str,
    kind: &str,
    due_on: &str,
    at: &str,
) -> Result<bool> {
    let done = tx
        .query(
            "INSERT INTO request_reminders (tenant_id, request_id, kind, due_on, sent_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (tenant_id, request_id, kind, due_on) DO NOTHING",
        )
        .bind(request_id.to_string())
        .bind(kind.to_string())
        .bind(due_on.to_string())
        .bind(at.to_string())
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}
