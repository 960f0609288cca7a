//! Staff API: catalog and review-chain configuration, items and their lifecycle, the
//! scan findings and their resolution, the overdue list.
//!
//! Longer than 600 lines and kept whole: it is the route table and one thin handler per
//! route (extract, call the service, answer), each with its OpenAPI annotation; a reader
//! looks a route up here, and the work is in `service`.

use axum::extract::{FromRef, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::*;
use super::plugin_kinds::{self, TenantKind};
use super::service::{self, *};
use super::store;
use super::Disclosure;
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{Error, Result};
use gongkai_rules::disclosure::kinds::{KindSpec, KINDS};
use gongkai_rules::disclosure::lifecycle::Action;

/// The disclosure handles of the application state: what the handlers of `routes`,
/// `public` and `attachments` extract, and what the scheduler and the demo are given.
impl FromRef<AppState> for Disclosure {
    fn from_ref(state: &AppState) -> Disclosure {
        Disclosure {
            db: state.db.clone(),
            clock: state.clock.clone(),
            authz: state.authz.clone(),
            calendar: state.calendar.clone(),
            tenants: state.tenants.clone(),
            public_items: state.public_items.clone(),
            plugins: state.plugins.clone(),
            config: state.config.clone(),
            downloads: state.downloads.clone(),
        }
    }
}

pub fn routes(r: Routes) -> Routes {
    use Access::Tenant as T;
    r.add(
        Method::GET,
        "/api/v1/item-kinds",
        Access::Public,
        list_kinds,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/item-kinds",
        T("items:read"),
        tenant_kinds,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/catalog",
        T("items:read"),
        get_catalog,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/catalog",
        T("catalog:manage"),
        create_node,
    )
    .add(
        Method::PATCH,
        "/api/v1/tenants/{slug}/catalog/{id}",
        T("catalog:manage"),
        update_node,
    )
    .add(
        Method::DELETE,
        "/api/v1/tenants/{slug}/catalog/{id}",
        T("catalog:manage"),
        delete_node,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/catalog/{id}/review-chain",
        T("catalog:manage"),
        put_chain,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/disclosure/settings",
        T("items:read"),
        get_settings,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/disclosure/settings",
        T("catalog:manage"),
        put_settings,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/disclosure/sensitive-words",
        T("catalog:manage"),
        get_words,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/disclosure/sensitive-words",
        T("catalog:manage"),
        put_words,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items",
        T("items:read"),
        list_items,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items",
        T("items:write"),
        create_item,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/overdue",
        T("items:read"),
        overdue,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/review-inbox",
        T("items:read"),
        review_inbox,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/{id}",
        T("items:read"),
        get_item,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/{id}/preview",
        T("items:read"),
        preview,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/{id}/review-turn",
        T("items:read"),
        review_turn,
    )
    .add(
        Method::PATCH,
        "/api/v1/tenants/{slug}/items/{id}",
        T("items:write"),
        update_item,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/{id}/versions",
        T("items:read"),
        list_versions,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/submit",
        T("items:write"),
        submit,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/{id}/decisions",
        T("items:read"),
        list_decisions,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/decisions",
        T("items:read"),
        decide,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/{id}/findings",
        T("items:read"),
        list_findings,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/findings/{finding_id}",
        T("items:review"),
        resolve_finding,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/publish",
        T("items:publish"),
        publish,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/schedule",
        T("items:publish"),
        schedule,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/unschedule",
        T("items:publish"),
        unschedule,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/revise",
        T("items:write"),
        revise,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/withdraw",
        T("items:publish"),
        withdraw,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/repeal",
        T("items:publish"),
        repeal,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/amend",
        T("items:publish"),
        amend,
    )
}

/// The built-in item kinds and their typed fields.
#[utoipa::path(get, path = "/api/v1/item-kinds", tag = "items", responses((status = 200, body = Vec<KindSpec>)))]
pub async fn list_kinds() -> Json<&'static [KindSpec]> {
    Json(KINDS)
}

/// The kinds the tenant's staff can create: the built-in ones and those of the tenant's
/// enabled plugins (`plugin/kind`), each plugin kind with its catalog node.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/item-kinds", tag = "items", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<TenantKind>), (status = 403, body = Problem)))]
pub async fn tenant_kinds(State(d): State<Disclosure>, ctx: Ctx) -> Result<Json<Vec<TenantKind>>> {
    Ok(Json(plugin_kinds::tenant_kinds(&d, ctx.tenant()?).await?))
}

/// The tenant's catalog (公开目录), each node with its review chain.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/catalog", tag = "catalog", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<CatalogNode>)))]
pub async fn get_catalog(State(d): State<Disclosure>, ctx: Ctx) -> Result<Json<Vec<CatalogNode>>> {
    Ok(Json(service::nodes(&d, ctx.tenant()?).await?))
}

/// Add a catalog node (tenant admins).
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/catalog", tag = "catalog", params(("slug" = String, Path)),
    request_body = NewNode, responses((status = 201, body = CatalogNode), (status = 422, body = Problem)))]
pub async fn create_node(
    State(d): State<Disclosure>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NewNode>,
) -> Result<(StatusCode, Json<CatalogNode>)> {
    let node = service::create_node(&d, &ctx.actor(), ctx.tenant()?, input).await?;
    Ok((StatusCode::CREATED, Json(node)))
}

/// Rename, reorder or move a catalog node (`parent_id`: a node, or `null` for the top
/// level). Its items stay in it; a move under itself or its own subtree is refused.
#[utoipa::path(patch, path = "/api/v1/tenants/{slug}/catalog/{id}", tag = "catalog",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = NodePatch,
    responses((status = 200, body = CatalogNode), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn update_node(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<NodePatch>,
) -> Result<Json<CatalogNode>> {
    Ok(Json(
        service::update_node(&d, &ctx.actor(), ctx.tenant()?, &id, input).await?,
    ))
}

/// Remove an unused catalog node (409 while it has children or items).
#[utoipa::path(delete, path = "/api/v1/tenants/{slug}/catalog/{id}", tag = "catalog",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_node(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    service::delete_node(&d, &ctx.actor(), ctx.tenant()?, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set the review chain of a catalog node (applies to items submitted afterwards).
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/catalog/{id}/review-chain", tag = "catalog",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = Vec<ReviewStep>,
    responses((status = 200, body = CatalogNode), (status = 422, body = Problem)))]
pub async fn put_chain(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<Vec<ReviewStep>>,
) -> Result<Json<CatalogNode>> {
    Ok(Json(
        service::set_chain(&d, &ctx.actor(), ctx.tenant()?, &id, input).await?,
    ))
}

/// The tenant's index-number pattern and agency code.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/disclosure/settings", tag = "catalog", params(("slug" = String, Path)),
    responses((status = 200, body = Settings)))]
pub async fn get_settings(State(d): State<Disclosure>, ctx: Ctx) -> Result<Json<Settings>> {
    let tenant = ctx.tenant()?;
    service::ensure_seeded(&d, tenant).await?;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let settings = store::settings(&mut tx)
        .await?
        .ok_or_else(|| Error::internal("settings missing"))?;
    tx.commit().await?;
    Ok(Json(settings))
}

/// Change the index-number pattern (numbers already given stay).
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/disclosure/settings", tag = "catalog", params(("slug" = String, Path)),
    request_body = SettingsInput, responses((status = 200, body = Settings), (status = 422, body = Problem)))]
pub async fn put_settings(
    State(d): State<Disclosure>,
    ctx: Ctx,
    ApiJson(input): ApiJson<SettingsInput>,
) -> Result<Json<Settings>> {
    Ok(Json(
        service::update_settings(&d, &ctx.actor(), ctx.tenant()?, input).await?,
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub words: Vec<String>,
}

/// The tenant's sensitive words for the confidentiality scan.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/disclosure/sensitive-words", tag = "catalog", params(("slug" = String, Path)),
    responses((status = 200, body = Words)))]
pub async fn get_words(State(d): State<Disclosure>, ctx: Ctx) -> Result<Json<Words>> {
    let mut tx = d.db.tenant_read(&ctx.tenant()?.id).await?;
    let words = store::sensitive_words(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(Words { words }))
}

/// Replace the tenant's sensitive words.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/disclosure/sensitive-words", tag = "catalog", params(("slug" = String, Path)),
    request_body = Words, responses((status = 200, body = Words), (status = 422, body = Problem)))]
pub async fn put_words(
    State(d): State<Disclosure>,
    ctx: Ctx,
    ApiJson(input): ApiJson<Words>,
) -> Result<Json<Words>> {
    let words = service::set_sensitive_words(&d, &ctx.actor(), ctx.tenant()?, input.words).await?;
    Ok(Json(Words { words }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// draft, in_review, approved, scheduled, published, withdrawn
    pub stage: Option<String>,
    pub node_id: Option<String>,
    pub kind: Option<String>,
    /// Only the items the caller created (with `stage=draft`: my drafts).
    pub mine: Option<bool>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The tenant's items, newest change first.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items", tag = "items", params(("slug" = String, Path), ListQuery),
    responses((status = 200, body = Vec<ItemSummary>)))]
pub async fn list_items(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<ItemSummary>>> {
    let created_by = match q.mine {
        Some(true) => Some(ctx.principal()?.user.id.clone()),
        _ => None,
    };
    let filter = ListFilter {
        stage: q.stage,
        node_id: q.node_id,
        kind: q.kind,
        created_by,
        limit: q.limit.unwrap_or(50).clamp(1, 200),
        offset: q.offset.unwrap_or(0).max(0),
    };
    Ok(Json(service::list(&d, ctx.tenant()?, filter).await?))
}

/// Create an item (a draft, version 1) with its index number.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items", tag = "items", params(("slug" = String, Path)),
    request_body = NewItem, responses((status = 201, body = ItemOut), (status = 422, body = Problem)))]
pub async fn create_item(
    State(d): State<Disclosure>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NewItem>,
) -> Result<(StatusCode, Json<ItemOut>)> {
    let item = service::create_item(&d, &ctx.actor(), ctx.tenant()?, input).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// Items not published within 20 working days, of this tenant and of the children the
/// caller oversees.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/overdue", tag = "items", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<ItemSummary>)))]
pub async fn overdue(State(d): State<Disclosure>, ctx: Ctx) -> Result<Json<Vec<ItemSummary>>> {
    let user = ctx.principal()?.user.id.clone();
    Ok(Json(service::overdue(&d, &user, ctx.tenant()?).await?))
}

/// The review steps waiting for the caller's roles: items in review whose pending step
/// needs a role the caller holds, each with whether the caller may decide it and, if
/// not, why (e.g. the author of the version may not review it).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/review-inbox", tag = "items", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<InboxEntry>)))]
pub async fn review_inbox(State(d): State<Disclosure>, ctx: Ctx) -> Result<Json<Vec<InboxEntry>>> {
    let user = ctx.principal()?.user.id.clone();
    Ok(Json(service::review_inbox(&d, ctx.tenant()?, &user).await?))
}

/// Whether the caller may decide the item's pending review step, and which rule refuses.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}/review-turn", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = ReviewTurn), (status = 404, body = Problem)))]
pub async fn review_turn(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<ReviewTurn>> {
    let user = ctx.principal()?.user.id.clone();
    Ok(Json(
        service::review_turn(&d, ctx.tenant()?, &user, &id).await?,
    ))
}

/// The working version as it would be published with the resolutions made so far
/// (redacted, rendered): what a reviewer signs.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}/preview", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Preview), (status = 404, body = Problem)))]
pub async fn preview(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<Preview>> {
    Ok(Json(service::preview(&d, ctx.tenant()?, &id).await?))
}

/// One item with its newest version.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), responses((status = 200, body = ItemOut), (status = 404, body = Problem)))]
pub async fn get_item(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<ItemOut>> {
    Ok(Json(service::get_item(&d, ctx.tenant()?, &id).await?))
}

/// Edit the draft: a new version. `version` is the version edited; a stale one answers 409.
#[utoipa::path(patch, path = "/api/v1/tenants/{slug}/items/{id}", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = ItemPatch,
    responses((status = 200, body = ItemOut), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_item(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ItemPatch>,
) -> Result<Json<ItemOut>> {
    Ok(Json(
        service::update_item(&d, &ctx.actor(), ctx.tenant()?, &id, input).await?,
    ))
}

/// Every version of the item (immutable).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}/versions", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), responses((status = 200, body = Vec<Version>)))]
pub async fn list_versions(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<Vec<Version>>> {
    Ok(Json(service::versions(&d, ctx.tenant()?, &id).await?))
}

/// Send the draft for review; runs the confidentiality scan.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/submit", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), responses((status = 200, body = ItemOut), (status = 409, body = Problem)))]
pub async fn submit(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<ItemOut>> {
    Ok(Json(
        service::submit(&d, &ctx.actor(), ctx.tenant()?, &id).await?,
    ))
}

/// The review decisions on the item (all versions).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}/decisions", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), responses((status = 200, body = Vec<DecisionOut>)))]
pub async fn list_decisions(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<Vec<DecisionOut>>> {
    Ok(Json(service::decisions(&d, ctx.tenant()?, &id).await?))
}

/// Approve or reject the pending step. The step's role is required; whoever edited the
/// version may not decide; one person signs one step.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/decisions", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = DecisionInput,
    responses((status = 200, body = ItemOut), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn decide(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<ItemOut>> {
    Ok(Json(
        service::decide(&d, &ctx.actor(), ctx.tenant()?, &id, input).await?,
    ))
}

/// The scan findings and their resolutions (the redaction log).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}/findings", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), responses((status = 200, body = Vec<FindingOut>)))]
pub async fn list_findings(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<Vec<FindingOut>>> {
    Ok(Json(service::findings(&d, ctx.tenant()?, &id).await?))
}

/// Resolve a finding: redact (mask in the public rendition) or keep, with a reason.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/findings/{finding_id}", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path), ("finding_id" = String, Path)), request_body = ResolutionInput,
    responses((status = 200, body = FindingOut), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn resolve_finding(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id, finding)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<ResolutionInput>,
) -> Result<Json<FindingOut>> {
    Ok(Json(
        service::resolve(&d, &ctx.actor(), ctx.tenant()?, &id, &finding, input).await?,
    ))
}

/// Publish the approved version now (refused while findings are unresolved).
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/publish", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), responses((status = 200, body = ItemOut), (status = 409, body = Problem)))]
pub async fn publish(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<ItemOut>> {
    Ok(Json(
        service::publish(&d, &ctx.actor(), ctx.tenant()?, &id).await?,
    ))
}

/// Publish the approved version automatically at a future time.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/schedule", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = ScheduleInput,
    responses((status = 200, body = ItemOut), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn schedule(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ScheduleInput>,
) -> Result<Json<ItemOut>> {
    let at = service::parse_at(&input.at)?;
    Ok(Json(
        service::act(
            &d,
            &ctx.actor(),
            ctx.tenant()?,
            &id,
            Action::Schedule { at },
        )
        .await?,
    ))
}

/// Cancel a scheduled publication.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/unschedule", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), responses((status = 200, body = ItemOut), (status = 409, body = Problem)))]
pub async fn unschedule(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<ItemOut>> {
    Ok(Json(
        service::act(&d, &ctx.actor(), ctx.tenant()?, &id, Action::Unschedule).await?,
    ))
}

/// Start a new version; the published one stays up until the new one is published.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/revise", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), responses((status = 200, body = ItemOut), (status = 409, body = Problem)))]
pub async fn revise(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<ItemOut>> {
    Ok(Json(
        service::act(&d, &ctx.actor(), ctx.tenant()?, &id, Action::Revise).await?,
    ))
}

/// Take the item off the portal, with a reason.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/withdraw", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = ReasonInput,
    responses((status = 200, body = ItemOut), (status = 409, body = Problem)))]
pub async fn withdraw(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> Result<Json<ItemOut>> {
    Ok(Json(
        service::act(
            &d,
            &ctx.actor(),
            ctx.tenant()?,
            &id,
            Action::Withdraw {
                reason: input.reason,
            },
        )
        .await?,
    ))
}

/// Mark the document repealed (已废止); it stays public as repealed. The reason (e.g. the
/// decision that repeals it) is optional and goes into the audit log.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/repeal", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), request_body = RepealInput,
    responses((status = 200, body = ItemOut), (status = 409, body = Problem)))]
pub async fn repeal(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<RepealInput>,
) -> Result<Json<ItemOut>> {
    Ok(Json(
        service::act_noted(
            &d,
            &ctx.actor(),
            ctx.tenant()?,
            &id,
            Action::Repeal,
            &input.reason,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepealInput {
    /// Why (optional): recorded in the audit log.
    #[serde(default)]
    pub reason: String,
}

/// Mark the document amended (已修改) by a later one; it stays public.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/amend", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)), responses((status = 200, body = ItemOut), (status = 409, body = Problem)))]
pub async fn amend(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_s, id)): Path<(String, String)>,
) -> Result<Json<ItemOut>> {
    Ok(Json(
        service::act(&d, &ctx.actor(), ctx.tenant()?, &id, Action::MarkAmended).await?,
    ))
}
