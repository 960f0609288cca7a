//! The search API: public (per agency, or with its children) and staff (one tenant,
//! published items and the working versions the caller may read).

use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::Json;

use super::service::{self, SearchPage, SearchQuery};
use crate::disclosure::Disclosure;
use crate::http::access::{Access, Ctx};
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::Result;

/// The staff search (the console's search page shares its rule).
pub const STAFF_SEARCH: &str = "/api/v1/tenants/{slug}/search";

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/api/v1/public/{slug}/search",
        Access::Public,
        public_search,
    )
    .add(
        Method::GET,
        STAFF_SEARCH,
        Access::Tenant("items:read"),
        staff_search,
    )
}

/// Full-text search of an agency's published items (with `scope=children`, of the
/// agencies under it too): relevance or date order, filters and their facet counts,
/// snippets with the matched words marked.
#[utoipa::path(get, path = "/api/v1/public/{slug}/search", tag = "public",
    params(("slug" = String, Path), SearchQuery),
    responses((status = 200, body = SearchPage), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn public_search(
    State(d): State<Disclosure>,
    Path(slug): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<SearchPage>> {
    let tenant = d.tenants.public(&d.db, &slug).await?;
    Ok(Json(service::public_search(&d, &tenant, &q).await?))
}

/// Staff search of one tenant: its published items (as the public finds them) and its
/// unpublished working versions (drafts, in review, approved, scheduled, revisions) whose
/// title, document number or index number hold every word; each result has its stage.
/// `scope` is ignored.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/search", tag = "items",
    params(("slug" = String, Path), SearchQuery),
    responses((status = 200, body = SearchPage), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn staff_search(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> Result<Json<SearchPage>> {
    Ok(Json(service::staff_search(&d, ctx.tenant()?, &q).await?))
}
