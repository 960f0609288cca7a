//! Reading and verifying a tenant's audit log over the API (auditors, tenant admins).

use axum::extract::{Query, State};
use axum::http::Method;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::chain::{Broken, Entry};
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::Result;

/// The routes whose rules the console's audit pages share.
pub const LIST: &str = "/api/v1/tenants/{slug}/audit";
pub const VERIFY: &str = "/api/v1/tenants/{slug}/audit/verify";

pub fn routes(r: Routes) -> Routes {
    r.add(Method::GET, LIST, Access::Tenant("audit:read"), list)
        .add(Method::GET, VERIFY, Access::Tenant("audit:read"), verify)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Entries after this sequence number (0 for the start).
    #[serde(default)]
    pub after: i64,
    /// At most this many (1–500, default 100).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryPage {
    pub entries: Vec<Entry>,
    /// Pass as `after` for the next page; absent at the end.
    pub next_after: Option<i64>,
}

/// The tenant's audit entries, oldest first.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/audit", tag = "audit",
    params(("slug" = String, Path), Page),
    responses((status = 200, body = EntryPage), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<Page>,
) -> Result<Json<EntryPage>> {
    let limit = page.limit.unwrap_or(100).clamp(1, 500);
    let mut tx = state.db.tenant_read(&ctx.tenant()?.id).await?;
    let entries = super::store::list(&mut tx, page.after, limit).await?;
    tx.commit().await?;
    let next_after = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(Json(EntryPage {
        entries,
        next_after,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Verification {
    pub intact: bool,
    pub entries: i64,
    pub broken: Option<Broken>,
}

/// Recompute the tenant's hash chain.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/audit/verify", tag = "audit",
    params(("slug" = String, Path)),
    responses((status = 200, body = Verification), (status = 403, body = Problem)))]
pub async fn verify(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Verification>> {
    Ok(Json(verification(&state.db, &ctx.tenant()?.id).await?))
}

/// Recomputes a tenant's chain: intact with its length, or the first broken entry.
pub async fn verification(db: &crate::kernel::db::Db, tenant_id: &str) -> Result<Verification> {
    Ok(match super::store::verify_tenant(db, tenant_id).await? {
        Ok(entries) => Verification {
            intact: true,
            entries,
            broken: None,
        },
        Err(broken) => Verification {
            intact: false,
            entries: broken.seq - 1,
            broken: Some(broken),
        },
    })
}
