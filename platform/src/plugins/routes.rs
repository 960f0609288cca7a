//! Plugins over the API: the installed packages (everyone signed in), installing one
//! (platform admins), a tenant's settings (tenant admins), and validation and export
//! through the tenant's pinned version.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{
    ActionOutput, Evaluation, ExportItemInput, Package, Severity, TenantPlugin, TenantPluginInput,
    ValidateInput,
};
use super::service::{self, ActionCall, Caller};
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::ClientAddr;
use crate::http::Routes;
use crate::kernel::error::{Error, FieldProblem, Result};
use crate::tenancy::Tenant;

pub fn routes(r: Routes) -> Routes {
    r.add(Method::GET, "/api/v1/plugins", Access::Authenticated, list)
        .add(
            Method::POST,
            "/api/v1/plugins",
            Access::Platform("plugins:manage"),
            install,
        )
        .add(
            Method::GET,
            "/api/v1/tenants/{slug}/plugins",
            Access::Tenant("tenant:read"),
            tenant_list,
        )
        .add(
            Method::PUT,
            "/api/v1/tenants/{slug}/plugins/{plugin_id}",
            Access::Tenant("plugins:configure"),
            configure,
        )
        .add(
            Method::POST,
            "/api/v1/tenants/{slug}/plugins/{plugin_id}/validate",
            Access::Tenant("items:read"),
            validate,
        )
        .add(
            Method::POST,
            "/api/v1/tenants/{slug}/plugins/{plugin_id}/export",
            Access::Tenant("items:read"),
            export,
        )
        .add(
            Method::POST,
            "/api/v1/tenants/{slug}/plugins/{plugin_id}/actions/{action}",
            Access::Tenant("items:read"),
            staff_action,
        )
        // Anyone may re-run a plugin's public actions (a lottery's verification) on the
        // tenant's pinned version; rate-limited per client address.
        .add(
            Method::POST,
            "/api/v1/public/{slug}/plugins/{plugin_id}/actions/{action}",
            Access::Public,
            public_action,
        )
}

/// Installed plugin versions with their kinds and export formats.
#[utoipa::path(get, path = "/api/v1/plugins", tag = "plugins",
    responses((status = 200, body = Vec<Package>), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Package>>> {
    Ok(Json(service::list(&state.plugins).await?))
}

/// Install a plugin version: the component's bytes as `application/wasm`. It must be
/// a component of `gongkai:plugin@0.1.0` or `@0.2.0` importing nothing else.
#[utoipa::path(post, path = "/api/v1/plugins", tag = "plugins",
    request_body(content = Vec<u8>, content_type = "application/wasm"),
    responses((status = 201, body = Package), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn install(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Package>), Problem> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if media.split(';').next().map(str::trim) != Some("application/wasm") {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "send the component as application/wasm",
        ));
    }
    let limit = state.plugins.max_upload_bytes;
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
            format!("a component may have at most {limit} bytes"),
        )
    })?;
    let package = service::install(&state.plugins, &ctx.actor(), bytes.to_vec()).await?;
    Ok((StatusCode::CREATED, Json(package)))
}

/// The tenant's plugins: which are enabled and which version each is pinned to.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/plugins", tag = "plugins",
    params(("slug" = String, Path)),
    responses((status = 200, body = Vec<TenantPlugin>), (status = 403, body = Problem)))]
pub async fn tenant_list(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<TenantPlugin>>> {
    Ok(Json(
        service::tenant_settings(&state.plugins, ctx.tenant()?).await?,
    ))
}

/// Enable or disable a plugin for the tenant and pin its version. Items validated
/// earlier keep the version that validated them.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/plugins/{plugin_id}", tag = "plugins",
    params(("slug" = String, Path), ("plugin_id" = String, Path)), request_body = TenantPluginInput,
    responses((status = 200, body = TenantPlugin), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn configure(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, plugin_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<TenantPluginInput>,
) -> Result<Json<TenantPlugin>> {
    Ok(Json(
        service::configure(
            &state.plugins,
            &ctx.actor(),
            ctx.tenant()?,
            &plugin_id,
            input,
        )
        .await?,
    ))
}

/// Validate an item's fields through the tenant's pinned plugin version: problems,
/// derived fields and publication rules. Any problem of severity `error` makes it a 422
/// listing them; 502 when the plugin itself fails (timeout, memory, trap, bad output).
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/plugins/{plugin_id}/validate", tag = "plugins",
    params(("slug" = String, Path), ("plugin_id" = String, Path)), request_body = ValidateInput,
    responses((status = 200, body = Evaluation), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 502, body = Problem)))]
pub async fn validate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, plugin_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ValidateInput>,
) -> Result<Json<Evaluation>> {
    let item = service::ItemToEvaluate {
        kind: &input.kind,
        fields: &input.fields,
        today: state.clock.today(),
        locale: input.locale.as_deref().unwrap_or("zh-CN"),
        related: None,
    };
    let evaluation =
        service::evaluate_item(&state.plugins, ctx.tenant()?, &plugin_id, item).await?;
    if !evaluation.valid {
        return Err(Error::Invalid(
            evaluation
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .map(|p| FieldProblem::new(&p.path, &p.message).with_code(&p.code))
                .collect(),
        ));
    }
    Ok(Json(evaluation))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportInput {
    /// One of the plugin's export formats.
    pub format: String,
    pub items: Vec<ExportItemInput>,
}

/// Export items as open data in one of the plugin's formats (the bytes, with the
/// format's media type).
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/plugins/{plugin_id}/export", tag = "plugins",
    params(("slug" = String, Path), ("plugin_id" = String, Path)), request_body = ExportInput,
    responses((status = 200, body = Vec<u8>), (status = 422, body = Problem), (status = 502, body = Problem)))]
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, plugin_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ExportInput>,
) -> Result<Response> {
    let tenant = ctx.tenant()?;
    let package = service::enabled_package(&state.plugins, tenant, &plugin_id).await?;
    let out = service::export(&state.plugins, tenant, package, &input.format, input.items).await?;
    let media = HeaderValue::from_str(&out.media_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}-{}.{}\"",
        out.plugin_id,
        input.format,
        out.extension
            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, media),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        out.bytes,
    )
        .into_response())
}

/// Runs one of the tenant's plugin's actions (0.2 plugins), public or not, through the
/// pinned version: the body is the action's JSON input, the answer its JSON output.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/plugins/{plugin_id}/actions/{action}", tag = "plugins",
    params(("slug" = String, Path), ("plugin_id" = String, Path), ("action" = String, Path)),
    request_body = Object,
    responses((status = 200, body = ActionOutput), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 502, body = Problem)))]
pub async fn staff_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, plugin_id, action)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<serde_json::Value>,
) -> Result<Json<ActionOutput>> {
    let tenant = ctx.tenant()?;
    action_for(&state, tenant, &plugin_id, &action, &input, Caller::Staff).await
}

/// Runs a public action of a tenant's plugin (e.g. `admissions` `verify`: re-runs a
/// published class lottery on its published inputs) through the tenant's pinned
/// version. No account needed; limited per client address (429).
#[utoipa::path(post, path = "/api/v1/public/{slug}/plugins/{plugin_id}/actions/{action}", tag = "plugins",
    params(("slug" = String, Path), ("plugin_id" = String, Path), ("action" = String, Path)),
    request_body = Object,
    responses((status = 200, body = ActionOutput), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem), (status = 502, body = Problem)))]
pub async fn public_action(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Path((slug, plugin_id, action)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<serde_json::Value>,
) -> Result<Json<ActionOutput>> {
    state.plugins.admit_public(addr)?;
    let tenant = state.tenants.public(&state.db, &slug).await?;
    action_for(&state, &tenant, &plugin_id, &action, &input, Caller::Public).await
}

async fn action_for(
    state: &AppState,
    tenant: &Tenant,
    plugin_id: &str,
    action: &str,
    input: &serde_json::Value,
    caller: Caller,
) -> Result<Json<ActionOutput>> {
    let package = service::enabled_package(&state.plugins, tenant, plugin_id).await?;
    let call = ActionCall {
        caller,
        action,
        input,
        today: state.clock.today(),
    };
    let out = service::run_action(&state.plugins, tenant, &package.id, &package.version, call);
    Ok(Json(out.await?))
}
