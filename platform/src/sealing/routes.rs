//! Sealed openings over the API. Staff under `/api/v1/tenants/{slug}/`: a holder registers
//! a key (`sealing:hold`), managers make openings (`sealing:manage`), readers see them and,
//! once opened, their bids and documents (`sealing:read`); a contribution is open to every
//! member and the service decides whether they hold a share (a refusal is recorded).
//! Bidders under `/api/v1/public/{slug}/openings/`, with the token of their bid in the
//! `Gongkai-Bid-Token` header.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{
    BidInput, BidView, ContributionInput, ContributionView, KeyInput, KeyView, NewOpening,
    OpeningView, PublicOpeningView, Receipt,
};
use super::service::{bids, ceremony, keys, openings};
use super::Sealing;
use crate::app::AppState;
use crate::disclosure::attachments::{file_response, read_body};
use crate::disclosure::model::AttachmentOut;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{Error, Result};
use crate::tenancy::Tenant;

const HOLD: Access = Access::Tenant("sealing:hold");
const MANAGE: Access = Access::Tenant("sealing:manage");
const READ: Access = Access::Tenant("sealing:read");
/// Any member: whether they hold a share of the opening is the service's to decide, so
/// that a refusal is written to the audit chain.
const MEMBER: Access = Access::Tenant("tenant:read");
const TOKEN_HEADER: &str = "gongkai-bid-token";

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::PUT,
        "/api/v1/tenants/{slug}/sealing/key",
        HOLD,
        register_key,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/sealing/keys",
        MANAGE,
        list_keys,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/openings",
        MANAGE,
        create,
    )
    .add(Method::GET, "/api/v1/tenants/{slug}/openings", READ, list)
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/openings/{id}",
        READ,
        get,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/openings/{id}/bids",
        READ,
        list_bids,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/openings/{id}/bids/{bid}/documents/{slot}",
        READ,
        document,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/openings/{id}/contributions",
        MEMBER,
        contribute,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/openings/{id}",
        Access::Public,
        public_get,
    )
    .add(
        Method::POST,
        "/api/v1/public/{slug}/openings/{id}/bids",
        Access::Public,
        submit_bid,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/openings/{id}/bids/{bid}",
        Access::Public,
        get_receipt,
    )
    .add(
        Method::PUT,
        "/api/v1/public/{slug}/openings/{id}/bids/{bid}",
        Access::Public,
        replace_bid,
    )
    .add(
        Method::DELETE,
        "/api/v1/public/{slug}/openings/{id}/bids/{bid}",
        Access::Public,
        withdraw_bid,
    )
    .add(
        Method::PUT,
        "/api/v1/public/{slug}/openings/{id}/bids/{bid}/documents/{slot}",
        Access::Public,
        put_document,
    )
}

fn sealing(state: &AppState) -> Sealing {
    Sealing {
        db: state.db.clone(),
        clock: state.clock.clone(),
        config: state.config.clone(),
        plugins: state.plugins.clone(),
    }
}

async fn public_tenant(state: &AppState, slug: &str) -> Result<Tenant> {
    state.tenants.public(&state.db, slug).await
}

fn bid_token(headers: &HeaderMap) -> Result<String> {
    headers
        .get(TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| {
            Error::Forbidden("the bid's token is sent in the Gongkai-Bid-Token header".into())
        })
}

/// Make (or replace) your key pair as a key holder: the private key is stored only
/// encrypted under your passphrase. Refused while you hold a share of an unopened opening.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/sealing/key", tag = "sealing",
    params(("slug" = String, Path)), request_body = KeyInput,
    responses((status = 200, body = KeyView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register_key(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<KeyInput>,
) -> Result<Json<KeyView>> {
    let key = keys::register(
        &sealing(&state),
        ctx.tenant()?,
        &ctx.actor(),
        input.passphrase,
    )
    .await?;
    Ok(Json(key))
}

/// The holders' public keys registered in the agency.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/sealing/keys", tag = "sealing",
    params(("slug" = String, Path)), responses((status = 200, body = Vec<KeyView>)))]
pub async fn list_keys(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<KeyView>>> {
    Ok(Json(keys::list(&sealing(&state), ctx.tenant()?).await?))
}

/// Make an opening: the bid kind, deadline, opening time, named holders and threshold.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/openings", tag = "sealing",
    params(("slug" = String, Path)), request_body = NewOpening,
    responses((status = 201, body = OpeningView), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NewOpening>,
) -> Result<(StatusCode, Json<OpeningView>)> {
    let view = openings::create(&sealing(&state), ctx.tenant()?, &ctx.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(get, path = "/api/v1/tenants/{slug}/openings", tag = "sealing",
    params(("slug" = String, Path)), responses((status = 200, body = Vec<OpeningView>)))]
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<OpeningView>>> {
    Ok(Json(openings::list(&sealing(&state), ctx.tenant()?).await?))
}

#[utoipa::path(get, path = "/api/v1/tenants/{slug}/openings/{id}", tag = "sealing",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = OpeningView), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<OpeningView>> {
    Ok(Json(
        openings::get(&sealing(&state), ctx.tenant()?, &id).await?,
    ))
}

/// The bids: receipts and clear fields; the sealed fields once opened.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/openings/{id}/bids", tag = "sealing",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Vec<BidView>), (status = 404, body = Problem)))]
pub async fn list_bids(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, id)): Path<(String, String)>,
) -> Result<Json<Vec<BidView>>> {
    Ok(Json(
        openings::bids(&sealing(&state), ctx.tenant()?, &id).await?,
    ))
}

/// An opened bid document; 409 until the opening.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/openings/{id}/bids/{bid}/documents/{slot}", tag = "sealing",
    params(("slug" = String, Path), ("id" = String, Path), ("bid" = String, Path), ("slot" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, id, bid, slot)): Path<(String, String, String, String)>,
) -> Result<Response> {
    let (part, bytes) =
        openings::document(&sealing(&state), ctx.tenant()?, &id, &bid, &slot).await?;
    let shown = AttachmentOut {
        id: format!("{bid}/{slot}"),
        name: part.file_name.unwrap_or(slot),
        media_type: "application/octet-stream".into(),
        size: bytes.len() as i64,
        sha256: part.plaintext_sha256.unwrap_or_default(),
        created_at: String::new(),
    };
    Ok(file_response(&shown, bytes))
}

/// Contribute your share as a key holder, after the opening time: your passphrase unlocks
/// your key for this moment only. When enough holders have contributed, the bids open.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/openings/{id}/contributions", tag = "sealing",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = ContributionInput,
    responses((status = 200, body = ContributionView), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn contribute(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ContributionInput>,
) -> Result<Json<ContributionView>> {
    let view = ceremony::contribute(
        &sealing(&state),
        ctx.tenant()?,
        &ctx.actor(),
        &id,
        input.passphrase,
    )
    .await?;
    Ok(Json(view))
}

/// The opening's notice: deadline, opening time, status by the server's clock.
#[utoipa::path(get, path = "/api/v1/public/{slug}/openings/{id}", tag = "public",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = PublicOpeningView), (status = 404, body = Problem)))]
pub async fn public_get(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<PublicOpeningView>> {
    let tenant = public_tenant(&state, &slug).await?;
    Ok(Json(
        openings::public_get(&sealing(&state), &tenant, &id).await?,
    ))
}

/// Send a bid before the deadline: sealed fields are encrypted before they are stored.
/// The answer is the receipt with the bid's token (shown once).
#[utoipa::path(post, path = "/api/v1/public/{slug}/openings/{id}/bids", tag = "public",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = BidInput,
    responses((status = 201, body = Receipt), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn submit_bid(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<BidInput>,
) -> Result<(StatusCode, Json<Receipt>)> {
    let tenant = public_tenant(&state, &slug).await?;
    let receipt = bids::submit(&sealing(&state), &tenant, &id, input.fields).await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}

/// The bid's receipt as it stands (its token in `Gongkai-Bid-Token`).
#[utoipa::path(get, path = "/api/v1/public/{slug}/openings/{id}/bids/{bid}", tag = "public",
    params(("slug" = String, Path), ("id" = String, Path), ("bid" = String, Path)),
    responses((status = 200, body = Receipt), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_receipt(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id, bid)): Path<(String, String, String)>,
) -> Result<Json<Receipt>> {
    let tenant = public_tenant(&state, &slug).await?;
    let token = bid_token(&headers)?;
    Ok(Json(
        bids::receipt(&sealing(&state), &tenant, &id, &bid, &token).await?,
    ))
}

/// Replace the bid's fields before the deadline (its token in `Gongkai-Bid-Token`).
#[utoipa::path(put, path = "/api/v1/public/{slug}/openings/{id}/bids/{bid}", tag = "public",
    params(("slug" = String, Path), ("id" = String, Path), ("bid" = String, Path)), request_body = BidInput,
    responses((status = 200, body = Receipt), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn replace_bid(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id, bid)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<BidInput>,
) -> Result<Json<Receipt>> {
    let tenant = public_tenant(&state, &slug).await?;
    let token = bid_token(&headers)?;
    let receipt = bids::replace(&sealing(&state), &tenant, &id, &bid, &token, input.fields).await?;
    Ok(Json(receipt))
}

/// Withdraw the bid before the deadline (its token in `Gongkai-Bid-Token`).
#[utoipa::path(delete, path = "/api/v1/public/{slug}/openings/{id}/bids/{bid}", tag = "public",
    params(("slug" = String, Path), ("id" = String, Path), ("bid" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn withdraw_bid(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id, bid)): Path<(String, String, String)>,
) -> Result<StatusCode> {
    let tenant = public_tenant(&state, &slug).await?;
    let token = bid_token(&headers)?;
    bids::withdraw(&sealing(&state), &tenant, &id, &bid, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// The file's name.
    pub name: String,
}

/// Put the document of a sealed slot (the body is the file), sealed before it is stored;
/// replaces the slot's earlier document. Before the deadline only.
#[utoipa::path(put, path = "/api/v1/public/{slug}/openings/{id}/bids/{bid}/documents/{slot}", tag = "public",
    params(("slug" = String, Path), ("id" = String, Path), ("bid" = String, Path), ("slot" = String, Path), DocumentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = Receipt), (status = 403, body = Problem), (status = 409, body = Problem),
              (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn put_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id, bid, slot)): Path<(String, String, String, String)>,
    Query(q): Query<DocumentQuery>,
    body: Body,
) -> std::result::Result<Json<Receipt>, Problem> {
    let tenant = public_tenant(&state, &slug).await?;
    let token = bid_token(&headers)?;
    let bytes = read_body(&headers, body, state.config.attachments_max_bytes).await?;
    let receipt = bids::put_document(
        &sealing(&state),
        &tenant,
        &id,
        &bid,
        &token,
        bids::NewDocument {
            slot,
            file_name: q.name,
            bytes: bytes.to_vec(),
        },
    )
    .await?;
    Ok(Json(receipt))
}
