//! Reply templates: the shipped standard text per outcome and language, or the
//! tenant's own.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{check, FieldProblem, Result};
use crate::kernel::ids;
use crate::requests::model::Applicant;
use crate::requests::store::{self, RequestRow};
use crate::requests::texts;
use crate::requests::Requests;
use crate::tenancy::Tenant;
use gongkai_rules::requests::outcome::Outcome;

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct TemplateView {
    pub outcome_code: String,
    pub language: String,
    pub body: String,
    /// `standard` (shipped) or `tenant` (edited).
    pub source: String,
}

pub async fn templates(requests: &Requests, tenant: &Tenant) -> Result<Vec<TemplateView>> {
    let mut tx = requests.db.tenant_read(&tenant.id).await?;
    let own = store::templates(&mut tx).await?;
    tx.commit().await?;
    let mut out = Vec::new();
    for o in Outcome::all() {
        for language in ["zh", "en"] {
            let mine = own
                .iter()
                .find(|t| t.outcome_code == o.code() && t.language == language);
            out.push(TemplateView {
                outcome_code: o.code().into(),
                language: language.into(),
                body: mine
                    .map(|m| m.body.clone())
                    .unwrap_or_else(|| texts::standard_reply(o, language)),
                source: if mine.is_some() { "tenant" } else { "standard" }.into(),
            });
        }
    }
    Ok(out)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateInput {
    pub body: String,
}

pub async fn put_template(
    requests: &Requests,
    tenant: &Tenant,
    actor: &Actor,
    code: &str,
    language: &str,
    input: TemplateInput,
) -> Result<TemplateView> {
    let mut problems = Vec::new();
    let outcome = code.parse::<Outcome>();
    if let Err(e) = &outcome {
        problems.push(FieldProblem::new("outcome_code", e.to_string()));
    }
    if language != "zh" && language != "en" {
        problems.push(FieldProblem::new("language", "zh or en"));
    }
    if !input.body.contains("{tracking_number}") {
        problems.push(FieldProblem::new(
            "body",
            "a reply names the request: include {tracking_number}",
        ));
    }
    for word in input.body.split('{').skip(1) {
        if let Some((name, _)) = word.split_once('}') {
            if !texts::PLACEHOLDERS.contains(&format!("{{{name}}}").as_str()) {
                problems.push(FieldProblem::new(
                    "body",
                    format!(
                        "unknown placeholder {{{name}}}; known: {}",
                        texts::PLACEHOLDERS.join(" ")
                    ),
                ));
            }
        }
    }
    check(problems)?;
    let mut tx = requests.db.tenant(&tenant.id).await?;
    store::put_template(&mut tx, code, language, &input.body, &ids::now_text()).await?;
    audit::append(
        &mut tx,
        actor,
        "request.template_put",
        "reply_template",
        &format!("{code}/{language}"),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(TemplateView {
        outcome_code: code.into(),
        language: language.into(),
        body: input.body,
        source: "tenant".into(),
    })
}

/// The reply document for `outcome` from the tenant's template (or the standard text).
pub(super) async fn reply_document(
    tx: &mut TenantTx,
    tenant: &Tenant,
    row: &RequestRow,
    applicant: &Applicant,
    outcome: Outcome,
    today: NaiveDate,
) -> Result<String> {
    let language = if row.language == "en" { "en" } else { "zh" };
    let template = match store::template(tx, outcome.code(), language).await? {
        Some(t) => t,
        None => texts::standard_reply(outcome, language),
    };
    let referred = match &row.referred_to {
        Some(agency) if language == "en" => format!("Please apply to {agency}."),
        Some(agency) => format!("建议您向{agency}申请。"),
        None => String::new(),
    };
    let who = applicant
        .organisation
        .clone()
        .unwrap_or_else(|| applicant.name.clone());
    Ok(texts::fill(
        &template,
        &[
            ("applicant", who),
            ("tracking_number", row.tracking_number.clone()),
            ("received_on", row.received_on.clone()),
            ("agency", tenant.name_zh.clone()),
            ("date", today.to_string()),
            ("outcome", outcome.row_heading()),
            ("referred_to", referred),
        ],
    ))
}
