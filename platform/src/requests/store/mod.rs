//! Requests in the database. Every query goes through the tenant's transaction; rows
//! decode through `sqlx::FromRow` structs, converted where the stored form differs.
//! This file holds the requests themselves; their timeline, answers and fees, remedies,
//! reply templates and the once-only records have a file each.

mod answers;
mod documents;
mod once;
mod remedies;
mod templates;
mod timeline;

pub use answers::{answers, fees, insert_answer, insert_fee, set_answer_status, settle_fee};
pub use documents::{document, documents, insert_document, NewDocument};
pub use once::{idempotency, mark_reminder, put_idempotency, IdempotencyRow};
pub use remedies::{insert_remedy, remedies, update_remedy};
pub use templates::{put_template, template, templates, TemplateRow};
pub use timeline::{add_event, events, EventRow, NewEvent};

use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::FromRow;

use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::Result;
use gongkai_rules::requests::lifecycle::{AbandonReason, Phase, RequestState};
use timeline::{EventColumns, EVENT_COLUMNS};

/// Decodes every row as `T`.
fn decode<T: for<'r> FromRow<'r, AnyRow>>(rows: &[AnyRow]) -> Result<Vec<T>> {
    Ok(rows.iter().map(T::from_row).collect::<Result<_, _>>()?)
}

/// One request row. Personal data stays sealed here.
#[derive(Clone, FromRow)]
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
    /// Stored as the columns of [`StateColumns`].
    #[sqlx(flatten, try_from = "StateColumns")]
    pub state: RequestState,
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
    /// The phase as stored and shown (`assigned`, `answered`, …).
    pub fn phase(&self) -> &'static str {
        self.state.phase.as_str()
    }

    /// Consultations still running (0 unless consulting).
    pub fn open_consultations(&self) -> i64 {
        StateColumns::from(&self.state).open_consultations
    }
}

/// How a request's lifecycle state is stored: the phase by name, the reason of an
/// abandoned request, the count of open consultations, and flags as 0/1.
#[derive(FromRow)]
pub struct StateColumns {
    phase: String,
    abandon_reason: Option<String>,
    open_consultations: i64,
    correction_used: i64,
    extended: i64,
    fee_pending: i64,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown request phase `{0}`")]
pub struct UnknownPhase(String);

impl TryFrom<StateColumns> for RequestState {
    type Error = UnknownPhase;

    fn try_from(c: StateColumns) -> std::result::Result<RequestState, UnknownPhase> {
        let phase = match c.phase.as_str() {
            "received" => Phase::Received,
            "registered" => Phase::Registered,
            "correction_requested" => Phase::CorrectionRequested,
            "corrected" => Phase::Corrected,
            "assigned" => Phase::Assigned,
            "consulting" => Phase::Consulting {
                open: c.open_consultations.max(1) as u32,
            },
            "answer_drafted" => Phase::AnswerDrafted,
            "answer_reviewed" => Phase::AnswerReviewed,
            "answered" => Phase::Answered,
            "closed" => Phase::Closed,
            "withdrawn" => Phase::Withdrawn,
            "abandoned" => Phase::Abandoned {
                reason: if c.abandon_reason.as_deref() == Some("fee_lapsed") {
                    AbandonReason::FeeLapsed
                } else {
                    AbandonReason::NoCorrection
                },
            },
            _ => return Err(UnknownPhase(c.phase)),
        };
        Ok(RequestState {
            phase,
            correction_used: c.correction_used != 0,
            extended: c.extended != 0,
            fee_pending: c.fee_pending != 0,
        })
    }
}

impl From<&RequestState> for StateColumns {
    fn from(state: &RequestState) -> StateColumns {
        StateColumns {
            phase: state.phase.as_str().to_string(),
            abandon_reason: match state.phase {
                Phase::Abandoned {
                    reason: AbandonReason::FeeLapsed,
                } => Some("fee_lapsed".into()),
                Phase::Abandoned {
                    reason: AbandonReason::NoCorrection,
                } => Some("no_correction".into()),
                _ => None,
            },
            open_consultations: match state.phase {
                Phase::Consulting { open } => i64::from(open),
                _ => 0,
            },
            correction_used: i64::from(state.correction_used),
            extended: i64::from(state.extended),
            fee_pending: i64::from(state.fee_pending),
        }
    }
}

const COLUMNS: &str = "id, tracking_number, access_code_hash, applicant_type, applicant_sealed, \
    applicant_key, description_sealed, delivery_method, delivery_form, language, received_on, phase, \
    abandon_reason, open_consultations, correction_used, extended, fee_pending, outcome_code, \
    assignee_id, department, referred_to, due_state, due_on, answered_on, created_at, updated_at";

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
    .bind(r.phase())
    .bind(r.due_state.clone())
    .bind(r.created_at.clone())
    .bind(r.updated_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Writes back everything a step may change.
pub async fn update(tx: &mut TenantTx, r: &RequestRow) -> Result<()> {
    let state = StateColumns::from(&r.state);
    tx.query(
        "UPDATE requests SET description_sealed = $3, phase = $4, abandon_reason = $5, \
         open_consultations = $6, correction_used = $7, extended = $8, fee_pending = $9, \
         outcome_code = $10, assignee_id = $11, department = $12, referred_to = $13, \
         due_state = $14, due_on = $15, answered_on = $16, updated_at = $17 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(r.id.clone())
    .bind(r.description_sealed.clone())
    .bind(state.phase)
    .bind(state.abandon_reason)
    .bind(state.open_consultations)
    .bind(state.correction_used)
    .bind(state.extended)
    .bind(state.fee_pending)
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
    items: &[(String, String, Option<String>)],
) -> Result<()> {
    let sql = match tx.backend() {
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

/// One request by id; locked for the transaction on PostgreSQL when `for_update`.
pub async fn get(tx: &mut TenantTx, id: &str, for_update: bool) -> Result<Option<RequestRow>> {
    let lock = match tx.backend() {
        Backend::Postgres if for_update => " FOR UPDATE",
        _ => "",
    };
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE tenant_id = $1 AND id = $2{lock}");
    let row = tx
        .query(&sql)
        .bind(id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.as_ref().map(RequestRow::from_row).transpose()?)
}

pub async fn by_number(tx: &mut TenantTx, number: &str) -> Result<Option<RequestRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM requests WHERE tenant_id = $1 AND tracking_number = $2");
    let row = tx
        .query(&sql)
        .bind(number.to_string())
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.as_ref().map(RequestRow::from_row).transpose()?)
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
    let (n,) = <(i64,)>::from_row(&row)?;
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
    decode(&rows)
}

/// The first column of every row, as text (ids).
fn first_texts(rows: &[AnyRow]) -> Result<Vec<String>> {
    Ok(decode::<(String,)>(rows)?
        .into_iter()
        .map(|(id,)| id)
        .collect())
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
    first_texts(&rows)
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
    let mut out: Vec<(RequestRow, Vec<EventRow>)> = decode::<RequestRow>(&rows)?
        .into_iter()
        .map(|r| (r, Vec::new()))
        .collect();
    let events = tx
        // No join: under row-level security a join of two policed tables plans badly;
        // events of concluded requests are skipped below.
        .query(&format!(
            "SELECT {EVENT_COLUMNS} FROM request_events WHERE tenant_id = $1 ORDER BY request_id, seq"
        ))
        .fetch_all(tx.conn())
        .await?;
    let index: std::collections::HashMap<String, usize> = out
        .iter()
        .enumerate()
        .map(|(i, (r, _))| (r.id.clone(), i))
        .collect();
    for e in decode::<EventColumns>(&events)? {
        let Some(&i) = index.get(&e.request_id) else {
            continue;
        };
        out[i].1.push(EventRow::try_from(e)?);
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
    first_texts(&rows)
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
    decode(&rows)
}

/// Whether `user_id` holds a role in the transaction's tenant (officers to assign).
pub async fn is_member(tx: &mut TenantTx, user_id: &str) -> Result<bool> {
    let row = tx
        .query("SELECT 1 AS one FROM role_assignments WHERE tenant_id = $1 AND user_id = $2")
        .bind(user_id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.is_some())
}

/// Whether the tenant has any request at all (the demo seeds only empty tenants).
pub async fn has_any(tx: &mut TenantTx) -> Result<bool> {
    let row = tx
        .query("SELECT COUNT(*) AS n FROM requests WHERE tenant_id = $1")
        .fetch_one(tx.conn())
        .await?;
    let (n,) = <(i64,)>::from_row(&row)?;
    Ok(n > 0)
}
