//! The API of applicants' documents: the applicant adds one to an open request with the
//! tracking number and access code; staff who read applicants' data fetch one (audited).

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::DocumentView;
use super::routes::{access_code, reader};
use super::service::documents::{self, Document};
use crate::app::AppState;
use crate::disclosure::attachments::{named_file_response, read_body};
use crate::http::access::{Access, Ctx};
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::Result;

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::POST,
        "/api/v1/portal/{slug}/requests/{number}/documents",
        Access::Public,
        applicant_add,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/requests/{id}/documents/{document_id}",
        Access::Tenant("requests:read"),
        staff_read,
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// The file's name, e.g. `身份证.jpg`.
    pub name: String,
}

/// The applicant adds a document (an ID copy: JPEG, PNG or PDF, at most 5 MB; the type
/// is read from the content) to a request not yet answered. The body is the file.
#[utoipa::path(post, path = "/api/v1/portal/{slug}/requests/{number}/documents", tag = "requests",
    params(("slug" = String, Path), ("number" = String, Path), ("X-Access-Code" = String, Header), DocumentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = DocumentView), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn applicant_add(
    State(state): State<AppState>,
    Path((slug, number)): Path<(String, String)>,
    Query(q): Query<DocumentQuery>,
    headers: HeaderMap,
    body: Body,
) -> std::result::Result<(StatusCode, Json<DocumentView>), Problem> {
    let tenant = state.tenants.public(&state.db, &slug).await?;
    let bytes = read_body(&headers, body, documents::MAX_BYTES).await?;
    let document = Document::check(&q.name, bytes)?;
    let added = documents::add_by_applicant(
        &state.requests,
        &tenant,
        &number,
        &access_code(&headers),
        document,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// A document the applicant sent, for staff holding `requests:personal_data`; the read
/// is written to the audit chain. Served as a download, never interpreted.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/requests/{id}/documents/{document_id}", tag = "requests",
    params(("slug" = String, Path), ("id" = String, Path), ("document_id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream"),
              (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn staff_read(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, id, document_id)): Path<(String, String, String)>,
) -> Result<Response> {
    let reader = reader(&state, &ctx).await?;
    let (view, bytes) =
        documents::read(&state.requests, ctx.tenant()?, &id, &document_id, &reader).await?;
    Ok(named_file_response(
        &view.file_name,
        view.media_type.as_str(),
        bytes,
    ))
}
