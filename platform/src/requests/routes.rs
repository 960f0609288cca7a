//! Requests over the API: the public portal (submission, tracking, the applicant's
//! answers) and the staff workflow, one route and one permission per step.
//!
//! Longer than most files on purpose: the route table and one thin handler per route
//! (extract, call the service, answer) stay together, so the capability's whole API and
//! its permissions read in one place. The only file of `requests` that sees `AppState`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::model::{PublicView, Receipt, RemedyView, RequestRead, RequestSummary, Submission};
use super::service::{
    self, ListQuery, OutcomeCount, Reader, RemedyInput, RemedyUpdate, Step, TemplateInput,
    TemplateView,
};
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::{ClientAddr, Routes};
use crate::kernel::crypto::sha256_hex;
use crate::kernel::error::{Error, FieldProblem, Result};
use gongkai_rules::requests::fees::{self, ChargeBasis, FeeQuote};
use gongkai_rules::requests::lifecycle::ConsultParty;

pub const ACCESS_CODE_HEADER: &str = "x-access-code";

pub fn routes(r: Routes) -> Routes {
    let r = super::document_routes::routes(r);
    r.add(
        Method::POST,
        "/api/v1/portal/{slug}/requests",
        Access::Public,
        submit,
    )
    .add(
        Method::GET,
        "/api/v1/portal/{slug}/requests/{number}",
        Access::Public,
        track,
    )
    .add(
        Method::POST,
        "/api/v1/portal/{slug}/requests/{number}/correction",
        Access::Public,
        applicant_correction,
    )
    .add(
        Method::POST,
        "/api/v1/portal/{slug}/requests/{number}/fee",
        Access::Public,
        applicant_fee,
    )
    .add(
        Method::POST,
        "/api/v1/portal/{slug}/requests/{number}/withdraw",
        Access::Public,
        applicant_withdraw,
    )
    .add(
        Method::GET,
        "/api/v1/requests/fee-quote",
        Access::Public,
        fee_quote,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/requests",
        Access::Tenant("requests:read"),
        list,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/requests/outcomes",
        Access::Tenant("requests:read"),
        outcomes,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/requests/{id}",
        Access::Tenant("requests:read"),
        get,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/register",
        Access::Tenant("requests:handle"),
        register,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/correction-request",
        Access::Tenant("requests:handle"),
        request_correction,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/correction",
        Access::Tenant("requests:handle"),
        receive_correction,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/assign",
        Access::Tenant("requests:assign"),
        assign,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/refer",
        Access::Tenant("requests:handle"),
        refer,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/consultation",
        Access::Tenant("requests:handle"),
        start_consultation,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/consultation/end",
        Access::Tenant("requests:handle"),
        end_consultation,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/extend",
        Access::Tenant("requests:extend"),
        extend,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/fee-notice",
        Access::Tenant("requests:handle"),
        fee_notice,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/fee-payment",
        Access::Tenant("requests:handle"),
        fee_payment,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/answer",
        Access::Tenant("requests:handle"),
        draft_answer,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/answer/approve",
        Access::Tenant("requests:approve"),
        approve_answer,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/answer/return",
        Access::Tenant("requests:approve"),
        return_answer,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/deliver",
        Access::Tenant("requests:handle"),
        deliver,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/close",
        Access::Tenant("requests:handle"),
        close,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/requests/{id}/remedies",
        Access::Tenant("requests:handle"),
        add_remedy,
    )
    .add(
        Method::PATCH,
        "/api/v1/tenants/{slug}/remedies/{remedy_id}",
        Access::Tenant("requests:handle"),
        update_remedy,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/remedies/table",
        Access::Tenant("requests:read"),
        remedy_table,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/reply-templates",
        Access::Tenant("requests:read"),
        list_templates,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/reply-templates/{code}/{language}",
        Access::Tenant("requests:templates"),
        put_template,
    )
}

pub(super) fn access_code(headers: &HeaderMap) -> String {
    headers
        .get(ACCESS_CODE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Submit a request for information (no account needed). Send an `Idempotency-Key`
/// header to make retries safe.
#[utoipa::path(post, path = "/api/v1/portal/{slug}/requests", tag = "requests",
    params(("slug" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = Submission,
    responses((status = 201, body = Receipt), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Receipt>)> {
    state.requests.admit(addr)?;
    let tenant = state.tenants.public(&state.db, &slug).await?;
    let input: Submission = serde_json::from_slice(&body)
        .map_err(|e| Error::Invalid(vec![FieldProblem::new("body", e.to_string())]))?;
    let key = headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str()
                .map(str::to_string)
                .map_err(|_| Error::invalid("Idempotency-Key", "visible ASCII"))
        })
        .transpose()?;
    let receipt = service::submit(
        &state.requests,
        &tenant,
        input,
        &[],
        &sha256_hex(&body),
        key,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}

/// Follow a request: status, timeline, due date and how it was computed. The access
/// code goes in the `X-Access-Code` header.
#[utoipa::path(get, path = "/api/v1/portal/{slug}/requests/{number}", tag = "requests",
    params(("slug" = String, Path), ("number" = String, Path), ("X-Access-Code" = String, Header)),
    responses((status = 200, body = PublicView), (status = 404, body = Problem)))]
pub async fn track(
    State(state): State<AppState>,
    Path((slug, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<PublicView>> {
    let tenant = state.tenants.public(&state.db, &slug).await?;
    Ok(Json(
        service::track(&state.requests, &tenant, &number, &access_code(&headers)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    /// The corrected or completed description.
    pub text: String,
}

/// The applicant sends the correction asked for (补正).
#[utoipa::path(post, path = "/api/v1/portal/{slug}/requests/{number}/correction", tag = "requests",
    params(("slug" = String, Path), ("number" = String, Path), ("X-Access-Code" = String, Header)),
    request_body = CorrectionInput,
    responses((status = 200, body = PublicView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn applicant_correction(
    State(state): State<AppState>,
    Path((slug, number)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<CorrectionInput>,
) -> Result<Json<PublicView>> {
    if input.text.trim().is_empty() {
        return Err(Error::invalid("text", "write the correction"));
    }
    let tenant = state.tenants.public(&state.db, &slug).await?;
    let step = Step::ReceiveCorrection {
        text: Some(input.text),
    };
    Ok(Json(
        service::applicant_step(
            &state.requests,
            &tenant,
            &number,
            &access_code(&headers),
            step,
        )
        .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeDecision {
    /// `accept` (will pay) or `decline` (the request is then not processed, outcome 6.2).
    pub decision: String,
}

/// The applicant answers a fee notice.
#[utoipa::path(post, path = "/api/v1/portal/{slug}/requests/{number}/fee", tag = "requests",
    params(("slug" = String, Path), ("number" = String, Path), ("X-Access-Code" = String, Header)),
    request_body = FeeDecision,
    responses((status = 200, body = PublicView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn applicant_fee(
    State(state): State<AppState>,
    Path((slug, number)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<FeeDecision>,
) -> Result<Json<PublicView>> {
    let accept = match input.decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(Error::invalid("decision", "accept or decline")),
    };
    let tenant = state.tenants.public(&state.db, &slug).await?;
    Ok(Json(
        service::applicant_fee(
            &state.requests,
            &tenant,
            &number,
            &access_code(&headers),
            accept,
        )
        .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawInput {
    pub reason: Option<String>,
}

/// The applicant withdraws the request (possible until the answer is delivered).
#[utoipa::path(post, path = "/api/v1/portal/{slug}/requests/{number}/withdraw", tag = "requests",
    params(("slug" = String, Path), ("number" = String, Path), ("X-Access-Code" = String, Header)),
    request_body = WithdrawInput,
    responses((status = 200, body = PublicView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn applicant_withdraw(
    State(state): State<AppState>,
    Path((slug, number)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<WithdrawInput>,
) -> Result<Json<PublicView>> {
    let tenant = state.tenants.public(&state.db, &slug).await?;
    let step = Step::Withdraw {
        reason: input.reason.filter(|r| !r.trim().is_empty()),
    };
    Ok(Json(
        service::applicant_step(
            &state.requests,
            &tenant,
            &number,
            &access_code(&headers),
            step,
        )
        .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QuoteQuery {
    /// `count` or `pages`.
    pub basis: String,
    /// With `count`: the request's place among the applicant's requests this month.
    pub nth_in_month: Option<u32>,
    /// With `pages`: pages of the output.
    pub pages: Option<u32>,
}

/// The fee calculator (国办函〔2020〕109号): by count or by pages, never both.
#[utoipa::path(get, path = "/api/v1/requests/fee-quote", tag = "requests", params(QuoteQuery),
    responses((status = 200, body = Object), (status = 422, body = Problem)))]
pub async fn fee_quote(Query(q): Query<QuoteQuery>) -> Result<Json<FeeQuote>> {
    let basis = match (q.basis.as_str(), q.nth_in_month, q.pages) {
        ("count", Some(n), None) => ChargeBasis::ByCount { nth_in_month: n },
        ("pages", None, Some(p)) => ChargeBasis::ByPages { pages: p },
        ("count", _, _) => {
            return Err(Error::invalid(
                "nth_in_month",
                "count takes nth_in_month only",
            ))
        }
        ("pages", _, _) => return Err(Error::invalid("pages", "pages takes pages only")),
        _ => return Err(Error::invalid("basis", "count or pages")),
    };
    Ok(Json(fees::fee_for_request(basis)))
}

/// Requests of the agency, filtered.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/requests", tag = "requests",
    params(("slug" = String, Path), ListQuery),
    responses((status = 200, body = Vec<RequestSummary>), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<RequestSummary>>> {
    Ok(Json(
        service::list(&state.requests, ctx.tenant()?, q).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    pub from: String,
    pub to: String,
}

/// Requests concluded in a period, counted by outcome code.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/requests/outcomes", tag = "requests",
    params(("slug" = String, Path), PeriodQuery),
    responses((status = 200, body = Vec<OutcomeCount>), (status = 422, body = Problem)))]
pub async fn outcomes(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Vec<OutcomeCount>>> {
    Ok(Json(
        service::outcome_counts(&state.requests, ctx.tenant()?, &q.from, &q.to).await?,
    ))
}

/// What the caller may see of a tenant's requests: with `requests:personal_data` (on the
/// tenant, or `descendant:` above it) everything, audited; otherwise the oversight view.
pub async fn reader(state: &AppState, ctx: &Ctx) -> Result<Reader> {
    let principal = ctx.principal()?;
    let place = ctx
        .tenant
        .as_ref()
        .ok_or_else(|| Error::internal("route has no tenant in its path"))?;
    let allowed = state
        .authz
        .allowed(
            &principal.user.id,
            &place.tenant,
            &place.ancestors,
            "requests",
            "personal_data",
        )
        .await;
    Ok(if allowed {
        Reader::PersonalData(principal.actor())
    } else {
        Reader::Oversight
    })
}

/// One request: with `requests:personal_data`, the applicant's data, text, timeline,
/// answers, fees and remedies (the read is audited); otherwise the oversight view.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/requests/{id}", tag = "requests",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = RequestRead), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<RequestRead>> {
    let reader = reader(&state, &ctx).await?;
    Ok(Json(
        service::view(&state.requests, ctx.tenant()?, &id, &reader).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRequestInput {
    /// What the applicant must correct, once and completely.
    pub what: String,
    /// Working days the applicant has (default 15).
    pub respond_within_working_days: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperCorrectionInput {
    pub text: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignInput {
    pub assignee_id: Option<String>,
    pub department: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferInput {
    /// The agency that holds the information.
    pub agency: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultInput {
    pub party: ConsultParty,
    /// Who is consulted (kept off the public timeline).
    pub with: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultEndInput {
    /// `consent`, `objection` or `no_reply`.
    pub result: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendInput {
    pub working_days: u32,
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeNoticeInput {
    /// `count` or `pages`.
    pub basis: String,
    pub pages: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftInput {
    /// Exactly one outcome code of table 3, e.g. `1`, `3.4`, `4.1`.
    pub outcome_code: String,
    /// The reply document; by default the tenant's template for the outcome, filled in.
    pub reply_text: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnInput {
    pub comments: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverInput {
    /// For post or collection: the registered-mail number or who collected it, and when.
    pub note: Option<String>,
}

macro_rules! step_route {
    ($name:ident, $path:tt, $body:ty, $doc:tt, |$input:ident| $step:expr) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "requests",
            params(("slug" = String, Path), ("id" = String, Path)), request_body = $body,
            responses((status = 200, body = RequestRead), (status = 403, body = Problem),
                (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
        pub async fn $name(
            State(state): State<AppState>,
            ctx: Ctx,
            Path((_slug, id)): Path<(String, String)>,
            ApiJson($input): ApiJson<$body>,
        ) -> Result<Json<RequestRead>> {
            let tenant = ctx.tenant()?;
            let actor = ctx.actor();
            service::step(&state.requests, tenant, &actor, &id, $step).await?;
            let reader = reader(&state, &ctx).await?;
            Ok(Json(service::view(&state.requests, tenant, &id, &reader).await?))
        }
    };
}

step_route!(
    register,
    "/api/v1/tenants/{slug}/requests/{id}/register",
    Empty,
    "Register an online request: the date of receipt, from which the clock runs.",
    |_i| Step::Register
);
step_route!(
    request_correction,
    "/api/v1/tenants/{slug}/requests/{id}/correction-request",
    CorrectionRequestInput,
    "Ask the applicant, once and within 7 working days of receipt, to correct the request.",
    |i| Step::RequestCorrection {
        what: i.what,
        respond_within_working_days: i.respond_within_working_days.unwrap_or(15)
    }
);
step_route!(
    receive_correction,
    "/api/v1/tenants/{slug}/requests/{id}/correction",
    PaperCorrectionInput,
    "Record a correction received on paper (the clock restarts).",
    |i| Step::ReceiveCorrection { text: i.text }
);
step_route!(
    assign,
    "/api/v1/tenants/{slug}/requests/{id}/assign",
    AssignInput,
    "Assign the request to an officer or a department.",
    |i| Step::Assign {
        assignee_id: i.assignee_id,
        department: i.department
    }
);
step_route!(
    refer,
    "/api/v1/tenants/{slug}/requests/{id}/refer",
    ReferInput,
    "Record the agency that holds the information (used by the reply of outcome 4.1).",
    |i| Step::Refer { agency: i.agency }
);
step_route!(start_consultation, "/api/v1/tenants/{slug}/requests/{id}/consultation", ConsultInput,
    "Consult a third party or another agency: the time is excluded from the clock; they have 15 working days.",
    |i| Step::StartConsultation { party: i.party, with: i.with });
step_route!(
    end_consultation,
    "/api/v1/tenants/{slug}/requests/{id}/consultation/end",
    ConsultEndInput,
    "A consultation answered (or its 15 working days ran out).",
    |i| Step::EndConsultation { result: i.result }
);
step_route!(
    extend,
    "/api/v1/tenants/{slug}/requests/{id}/extend",
    ExtendInput,
    "Extend the period once, by at most 20 working days; the applicant is told.",
    |i| Step::Extend {
        working_days: i.working_days,
        reason: i.reason
    }
);
step_route!(
    fee_notice,
    "/api/v1/tenants/{slug}/requests/{id}/fee-notice",
    FeeNoticeInput,
    "Send a fee notice (by count or by pages); the clock waits for payment.",
    |i| Step::NotifyFee {
        basis: i.basis,
        pages: i.pages
    }
);
step_route!(
    fee_payment,
    "/api/v1/tenants/{slug}/requests/{id}/fee-payment",
    Empty,
    "Record the payment of the fee.",
    |_i| Step::FeePaid
);
step_route!(
    draft_answer,
    "/api/v1/tenants/{slug}/requests/{id}/answer",
    DraftInput,
    "Draft the answer: one outcome code and the reply document.",
    |i| Step::Draft {
        outcome: i.outcome_code,
        reply_text: i.reply_text
    }
);
step_route!(
    approve_answer,
    "/api/v1/tenants/{slug}/requests/{id}/answer/approve",
    Empty,
    "Approve the drafted answer.",
    |_i| Step::Approve
);
step_route!(
    return_answer,
    "/api/v1/tenants/{slug}/requests/{id}/answer/return",
    ReturnInput,
    "Send the drafted answer back with comments.",
    |i| Step::Return {
        comments: i.comments
    }
);
step_route!(
    deliver,
    "/api/v1/tenants/{slug}/requests/{id}/deliver",
    DeliverInput,
    "Deliver the approved answer (e-mail with the reply attached, or record post/collection).",
    |i| Step::Deliver { note: i.note }
);
step_route!(
    close,
    "/api/v1/tenants/{slug}/requests/{id}/close",
    Empty,
    "Close an answered request.",
    |_i| Step::Close
);

/// Link an administrative reconsideration or lawsuit to the request.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/requests/{id}/remedies", tag = "requests",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = RemedyInput,
    responses((status = 201, body = RemedyView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_remedy(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<RemedyInput>,
) -> Result<(StatusCode, Json<RemedyView>)> {
    let remedy =
        service::add_remedy(&state.requests, ctx.tenant()?, &ctx.actor(), &id, input).await?;
    Ok((StatusCode::CREATED, Json(remedy)))
}

/// Record a remedy's result.
#[utoipa::path(patch, path = "/api/v1/tenants/{slug}/remedies/{remedy_id}", tag = "requests",
    params(("slug" = String, Path), ("remedy_id" = String, Path)), request_body = RemedyUpdate,
    responses((status = 200, body = RemedyView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_remedy(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, remedy_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<RemedyUpdate>,
) -> Result<Json<RemedyView>> {
    Ok(Json(
        service::update_remedy(
            &state.requests,
            ctx.tenant()?,
            &ctx.actor(),
            &remedy_id,
            input,
        )
        .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    pub year: i32,
}

/// Remedies filed in a year by kind and result (annual report, table 4).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/remedies/table", tag = "requests",
    params(("slug" = String, Path), YearQuery), responses((status = 200, body = Object)))]
pub async fn remedy_table(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>> {
    Ok(Json(
        service::remedy_table(&state.requests, ctx.tenant()?, q.year).await?,
    ))
}

/// Reply templates per outcome and language (the shipped standard text unless edited).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/reply-templates", tag = "requests",
    params(("slug" = String, Path)), responses((status = 200, body = Vec<TemplateView>)))]
pub async fn list_templates(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<TemplateView>>> {
    Ok(Json(
        service::templates(&state.requests, ctx.tenant()?).await?,
    ))
}

/// Replace the reply template of an outcome (placeholders in braces).
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/reply-templates/{code}/{language}", tag = "requests",
    params(("slug" = String, Path), ("code" = String, Path), ("language" = String, Path)),
    request_body = TemplateInput, responses((status = 200, body = TemplateView), (status = 422, body = Problem)))]
pub async fn put_template(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, code, language)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<TemplateInput>,
) -> Result<Json<TemplateView>> {
    Ok(Json(
        service::put_template(
            &state.requests,
            ctx.tenant()?,
            &ctx.actor(),
            &code,
            &language,
            input,
        )
        .await?,
    ))
}
