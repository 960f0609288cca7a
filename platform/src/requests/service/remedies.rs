//! Remedies against an answer (reconsideration, litigation) and table 4 of the annual
//! report.

use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::day;
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::requests::model::RemedyView;
use crate::requests::store;
use crate::requests::Requests;
use crate::tenancy::Tenant;
use gongkai_rules::annual_report::{RemedyKind, RemedyResult};

/// The kinds and results a remedy record may hold: table 4's rows and columns (the rules
/// crate names them once).
fn is_kind(code: &str) -> bool {
    RemedyKind::ALL.iter().any(|k| k.code() == code)
}

fn is_result(code: &str) -> bool {
    RemedyResult::PARTS.iter().any(|r| r.code() == code)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemedyInput {
    /// `reconsideration` (行政复议), `litigation_direct` (未经复议直接起诉) or
    /// `litigation_after_reconsideration` (复议后起诉).
    pub kind: String,
    /// `upheld` (维持), `corrected` (纠正), `other` (其他), `pending` (尚未审结).
    pub result: Option<String>,
    pub case_number: Option<String>,
    pub filed_on: String,
    pub decided_on: Option<String>,
}

pub async fn add_remedy(
    requests: &Requests,
    tenant: &Tenant,
    actor: &Actor,
    request_id: &str,
    input: RemedyInput,
) -> Result<RemedyView> {
    let mut problems = Vec::new();
    if !is_kind(&input.kind) {
        problems.push(FieldProblem::new(
            "kind",
            "reconsideration, litigation_direct or litigation_after_reconsideration",
        ));
    }
    let result = input.result.clone().unwrap_or_else(|| "pending".into());
    if !is_result(&result) {
        problems.push(FieldProblem::new(
            "result",
            "upheld, corrected, other or pending",
        ));
    }
    if day(&input.filed_on).is_none() {
        problems.push(FieldProblem::new("filed_on", "a date as YYYY-MM-DD"));
    }
    if input
        .decided_on
        .as_deref()
        .is_some_and(|d| day(d).is_none())
    {
        problems.push(FieldProblem::new("decided_on", "a date as YYYY-MM-DD"));
    }
    check(problems)?;
    let mut tx = requests.db.tenant(&tenant.id).await?;
    store::get(&mut tx, request_id, false)
        .await?
        .ok_or_else(|| Error::NotFound(format!("request {request_id}")))?;
    let remedy = RemedyView {
        id: ids::new_id(),
        request_id: request_id.into(),
        kind: input.kind,
        result,
        case_number: input.case_number.unwrap_or_default(),
        filed_on: input.filed_on,
        decided_on: input.decided_on,
    };
    store::insert_remedy(&mut tx, &remedy, &ids::now_text()).await?;
    audit::append(
        &mut tx,
        actor,
        "request.remedy_add",
        "remedy",
        &remedy.id,
        json!({"request_id": request_id, "kind": remedy.kind, "result": remedy.result}),
    )
    .await?;
    tx.commit().await?;
    Ok(remedy)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemedyUpdate {
    pub result: String,
    pub decided_on: Option<String>,
    pub case_number: Option<String>,
}

pub async fn update_remedy(
    requests: &Requests,
    tenant: &Tenant,
    actor: &Actor,
    remedy_id: &str,
    input: RemedyUpdate,
) -> Result<RemedyView> {
    if !is_result(&input.result) {
        return Err(Error::invalid(
            "result",
            "upheld, corrected, other or pending",
        ));
    }
    if input
        .decided_on
        .as_deref()
        .is_some_and(|d| day(d).is_none())
    {
        return Err(Error::invalid("decided_on", "a date as YYYY-MM-DD"));
    }
    let mut tx = requests.db.tenant(&tenant.id).await?;
    let mut remedy = store::remedies(&mut tx, None)
        .await?
        .into_iter()
        .find(|r| r.id == remedy_id)
        .ok_or_else(|| Error::NotFound(format!("remedy {remedy_id}")))?;
    remedy.result = input.result;
    remedy.decided_on = input.decided_on.or(remedy.decided_on);
    if let Some(c) = input.case_number {
        remedy.case_number = c;
    }
    store::update_remedy(&mut tx, &remedy, &ids::now_text()).await?;
    audit::append(
        &mut tx,
        actor,
        "request.remedy_update",
        "remedy",
        &remedy.id,
        json!({"result": remedy.result}),
    )
    .await?;
    tx.commit().await?;
    Ok(remedy)
}

/// Table 4 of the annual report: remedies filed in `year` by kind, with their result as at
/// 31 December; counted by the report's own query, so the two never disagree.
pub async fn remedy_table(requests: &Requests, tenant: &Tenant, year: i32) -> Result<Value> {
    let mut tx = requests.db.tenant_read(&tenant.id).await?;
    let table = crate::reports::figures::table4_of(&mut tx, year).await?;
    tx.commit().await?;
    let out = RemedyKind::ALL
        .iter()
        .map(|&kind| {
            let row = &table.rows[kind as usize];
            let counts = RemedyResult::ALL
                .iter()
                .map(|&result| (result.code().to_string(), json!(row[result as usize])))
                .collect::<serde_json::Map<_, _>>();
            (kind.code().to_string(), Value::Object(counts))
        })
        .collect::<serde_json::Map<_, _>>();
    Ok(Value::Object(out))
}
