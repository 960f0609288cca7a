//! Attachments of items, stored content-addressed (sha256) through `object_store`: the
//! local filesystem under `<data_dir>/objects` by default, S3-compatible storage by
//! configuration.
//!
//! An upload is read whole (up to `attachments_max_bytes`), its type is sniffed from the
//! content (never taken from the client) and checked against an allow-list; only then is
//! anything stored, so a refused upload leaves nothing behind. Files are served with
//! `X-Content-Type-Options: nosniff` and a sandboxing CSP, never as HTML; everything but
//! PDF and raster images is served as a download (`Content-Disposition: attachment`),
//! SVG included, since a browser runs scripts inside SVG.
//!
//! An attachment is removed from a draft like it is added. The row goes, unless a
//! published version still shows the attachment: then the row stays as that version's
//! record, marked with the first working version without it. Bytes are shared by every
//! row with the same content, so they are deleted only when no row of the tenant refers
//! to them any more; uploads and deletions of one object take a lock (PostgreSQL: an
//! advisory lock; SQLite: the write transaction) so that a concurrent upload of the
//! same content never loses its bytes.
//!
//! Adding or removing an attachment after a rejection discards the findings of the
//! working version, so that its next submission scans it again, attachments included.
//!
//! Here: what the scan reads of attachments, and the API. `files`: accepted types and
//! how a file is served; `objects`: the object store.

mod files;
mod objects;

pub use files::{is_text, sniff};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::Json;
use http_body_util::BodyExt;
use object_store::PutPayload;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::IntoParams;

use super::extract::{self, Extracted};
use super::lifecycle::Working;
use super::model::AttachmentOut;
use super::{sandbox, scan, store, Disclosure};
use crate::audit;
use crate::http::access::{Access, Ctx};
use crate::http::problem::Problem;
use crate::http::{ClientAddr, Routes};
use crate::kernel::error::{Error, Result};
use crate::kernel::ids;

pub(crate) use files::{check_name, file_response, named_file_response};
use objects::{location, read_object, release_object};
pub(crate) use objects::{object_store, read_at};

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/{id}/attachments",
        Access::Tenant("items:read"),
        list,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/items/{id}/attachments",
        Access::Tenant("items:write"),
        upload,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/items/{id}/attachments/{attachment_id}",
        Access::Tenant("items:read"),
        download,
    )
    .add(
        Method::DELETE,
        "/api/v1/tenants/{slug}/items/{id}/attachments/{attachment_id}",
        Access::Tenant("items:write"),
        remove,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/items/{id}/attachments/{attachment_id}",
        Access::Public,
        public_download,
    )
}

/// What the scan gets of each attachment of `list`: its text, why it cannot be read, or
/// that its type is not read. Each file is parsed once, in a child process with a
/// memory and time budget (`sandbox`).
pub async fn scan_texts(
    d: &Disclosure,
    tenant_id: &str,
    list: &[AttachmentOut],
) -> Result<Vec<(String, Extracted)>> {
    let mut out = Vec::new();
    let program = sandbox::program(d.config.attachments_extractor.as_deref())
        .ok_or_else(|| Error::internal("no attachment text extractor"))?;
    for a in list {
        let extracted = if extract::is_scanned(&a.media_type) {
            let bytes = read_object(&d.config, tenant_id, &a.sha256).await?;
            sandbox::extract(&program, tenant_id, &a.sha256, &a.media_type, bytes).await
        } else {
            Extracted::NotScanned
        };
        out.push((a.id.clone(), extracted));
    }
    Ok(out)
}

/// A request body of at most `max` bytes (refused early on a larger Content-Length, and
/// cut off while reading when the length lies): 413 otherwise.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    max: usize,
) -> std::result::Result<axum::body::Bytes, Problem> {
    let too_large = || {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "attachment-too-large",
            format!("attachments are limited to {max} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let bytes = http_body_util::Limited::new(body, max)
        .collect()
        .await
        .map_err(|_| too_large())?
        .to_bytes();
    Ok(bytes)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file name shown to readers.
    pub name: String,
}

/// Add an attachment to the draft. The body is the file itself; its type is sniffed.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/items/{id}/attachments", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = AttachmentOut), (status = 409, body = Problem),
              (status = 413, body = Problem), (status = 415, body = Problem)))]
pub async fn upload(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_slug, item_id)): Path<(String, String)>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> std::result::Result<(StatusCode, Json<AttachmentOut>), Problem> {
    let tenant = ctx.tenant()?.clone();
    let name = check_name(&q.name)?;
    let bytes = read_body(&headers, body, d.config.attachments_max_bytes).await?;
    let out = add(&d, &ctx.actor(), &tenant, &item_id, name, bytes).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Adds a file (its name checked by [`check_name`], its bytes within the limit) to the
/// draft of item `item_id`: the API's upload and the console's form alike.
pub async fn add(
    d: &Disclosure,
    actor: &crate::kernel::actor::Actor,
    tenant: &crate::tenancy::Tenant,
    item_id: &str,
    name: String,
    bytes: axum::body::Bytes,
) -> std::result::Result<AttachmentOut, Problem> {
    if bytes.is_empty() {
        return Err(Error::invalid("body", "the file is empty").into());
    }
    let media_type = sniff(&bytes, &name).map_err(|reason| {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "attachment-type-refused",
            reason,
        )
    })?;

    // The item must be a draft before anything is stored.
    let mut tx = d.db.tenant(&tenant.id).await.map_err(Error::from)?;
    let item = store::item(&mut tx, item_id, true)
        .await?
        .ok_or_else(|| Error::NotFound("item".into()))?;
    if item.state.working != Some(Working::Draft) {
        return Err(Error::Conflict {
            message: "attachments are added to a draft; revise the item first".into(),
            current_state: Some(item.state.stage().as_str().into()),
        }
        .into());
    }
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let size = bytes.len() as i64;
    // Held until commit: a removal of the same content waits, and sees this row.
    store::lock_object(&mut tx, &sha256).await?;
    object_store(&d.config)?
        .put(
            &location(&tenant.id, &sha256),
            PutPayload::from_bytes(bytes),
        )
        .await
        .map_err(|e| Error::internal_cause("object store", e))?;
    let out = AttachmentOut {
        id: ids::new_id(),
        name,
        media_type: media_type.into(),
        size,
        sha256,
        created_at: d.now_text(),
    };
    store::insert_attachment(
        &mut tx,
        item_id,
        item.version,
        &out,
        actor.user_id.as_deref().unwrap_or(""),
    )
    .await?;
    let discarded = store::discard_findings(&mut tx, item_id, item.version).await?;
    audit::append(
        &mut tx,
        actor,
        "item.attachment.add",
        "item",
        item_id,
        json!({"attachment": out.id, "name": out.name, "sha256": out.sha256, "size": out.size,
               "media_type": out.media_type, "findings_discarded": discarded}),
    )
    .await?;
    tx.commit().await.map_err(Error::from)?;
    Ok(out)
}

/// Remove an attachment from the draft. A published version that shows it keeps it;
/// otherwise it is gone, and its bytes too unless other attachments have the same content.
#[utoipa::path(delete, path = "/api/v1/tenants/{slug}/items/{id}/attachments/{attachment_id}", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path), ("attachment_id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_slug, item_id, attachment_id)): Path<(String, String, String)>,
) -> Result<StatusCode> {
    let tenant = ctx.tenant()?.clone();
    remove_one(&d, &ctx.actor(), &tenant, &item_id, &attachment_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes an attachment from the draft of item `item_id` (the API and the console).
pub async fn remove_one(
    d: &Disclosure,
    actor: &crate::kernel::actor::Actor,
    tenant: &crate::tenancy::Tenant,
    item_id: &str,
    attachment_id: &str,
) -> Result<()> {
    let mut tx = d.db.tenant(&tenant.id).await?;
    let item = store::item(&mut tx, item_id, true)
        .await?
        .ok_or_else(|| Error::NotFound("item".into()))?;
    let (a, from_version) = store::attachment(&mut tx, item_id, attachment_id)
        .await?
        .filter(|row| row.removed_version.is_none())
        .map(|row| (row.attachment, row.version))
        .ok_or_else(|| Error::NotFound("attachment".into()))?;
    if item.state.working != Some(Working::Draft) {
        return Err(Error::Conflict {
            message: "attachments are removed from a draft; revise the item first".into(),
            current_state: Some(item.state.stage().as_str().into()),
        });
    }
    // Part of a published version: the row stays for it, marked as removed from here on.
    let kept = from_version <= item.published_version.unwrap_or(0);
    if kept {
        store::mark_attachment_removed(
            &mut tx,
            &a.id,
            item.version,
            actor.user_id.as_deref().unwrap_or(""),
            &d.now_text(),
        )
        .await?;
    } else {
        store::delete_attachment(&mut tx, &a.id).await?;
    }
    let discarded = store::discard_findings(&mut tx, item_id, item.version).await?;
    audit::append(
        &mut tx,
        actor,
        "item.attachment.remove",
        "item",
        item_id,
        json!({"attachment": a.id, "name": a.name, "sha256": a.sha256, "version": item.version,
               "kept_for_published_version": kept, "findings_discarded": discarded}),
    )
    .await?;
    tx.commit().await?;
    if !kept {
        // The removal stands even if the bytes stay behind: they are unreachable, and a
        // later removal of the same content deletes them.
        if let Err(err) = release_object(d, &tenant.id, &a.sha256).await {
            tracing::warn!(error = %err, "the bytes of a removed attachment were not deleted");
        }
    }
    Ok(())
}

/// The item's attachments.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}/attachments", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Vec<AttachmentOut>), (status = 404, body = Problem)))]
pub async fn list(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_slug, item_id)): Path<(String, String)>,
) -> Result<Json<Vec<AttachmentOut>>> {
    Ok(Json(staff_list(&d, &ctx.tenant()?.id, &item_id).await?))
}

/// The working version's attachments of an item (404 for an unknown item).
pub async fn staff_list(
    d: &Disclosure,
    tenant_id: &str,
    item_id: &str,
) -> Result<Vec<AttachmentOut>> {
    let mut tx = d.db.tenant_read(tenant_id).await?;
    store::item(&mut tx, item_id, false)
        .await?
        .ok_or_else(|| Error::NotFound("item".into()))?;
    let list = store::attachments(&mut tx, item_id).await?;
    tx.commit().await?;
    Ok(list)
}

/// Download an attachment as stored (staff).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}/attachments/{attachment_id}", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path), ("attachment_id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = Problem)))]
pub async fn download(
    State(d): State<Disclosure>,
    ctx: Ctx,
    Path((_slug, item_id, attachment_id)): Path<(String, String, String)>,
) -> Result<Response> {
    let tenant = ctx.tenant()?;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    // Removed ones too: staff read what a published version shows.
    let a = store::attachment(&mut tx, &item_id, &attachment_id)
        .await?
        .ok_or_else(|| Error::NotFound("attachment".into()))?
        .attachment;
    tx.commit().await?;
    let bytes = read_object(&d.config, &tenant.id, &a.sha256).await?;
    Ok(file_response(&a, bytes))
}

/// The attachments the published version of an item shows, for its public page;
/// nothing for an item that is not public.
pub async fn public_list(
    db: &crate::kernel::db::Db,
    tenant_id: &str,
    item_id: &str,
) -> Result<Vec<AttachmentOut>> {
    let mut tx = db.tenant_read(tenant_id).await?;
    let Some(item) = store::item(&mut tx, item_id, false)
        .await?
        .filter(|i| i.state.is_public())
    else {
        return Ok(Vec::new());
    };
    let published = item.published_version.unwrap_or(0);
    let list = store::attachments_with_removed(&mut tx, item_id)
        .await?
        .into_iter()
        .filter(|row| row.in_version(published))
        .map(|row| row.attachment)
        .collect();
    tx.commit().await?;
    Ok(list)
}

/// Download an attachment of a published item; text files come redacted.
#[utoipa::path(get, path = "/api/v1/public/{slug}/items/{id}/attachments/{attachment_id}", tag = "public",
    params(("slug" = String, Path), ("id" = String, Path), ("attachment_id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = Problem),
              (status = 429, body = Problem)))]
pub async fn public_download(
    State(d): State<Disclosure>,
    ClientAddr(addr): ClientAddr,
    Path((slug, item_id, attachment_id)): Path<(String, String, String)>,
) -> Result<Response> {
    d.downloads.admit(addr)?;
    let tenant = d.tenants.public(&d.db, &slug).await?;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let item = store::item(&mut tx, &item_id, false)
        .await?
        .filter(|i| i.state.is_public())
        .ok_or_else(|| Error::NotFound("attachment".into()))?;
    let published = item.published_version.unwrap_or(0);
    let a = store::attachment(&mut tx, &item_id, &attachment_id)
        .await?
        .filter(|row| row.in_version(published))
        .ok_or_else(|| Error::NotFound("attachment".into()))?
        .attachment;
    let field = format!("attachments.{}", a.id);
    let redactions: Vec<(usize, usize, String)> =
        store::findings(&mut tx, &item_id, Some(published))
            .await?
            .into_iter()
            .filter(|f| f.field == field && f.resolution.as_deref() == Some("redact"))
            .map(|f| (f.start as usize, f.end as usize, f.masked))
            .collect();
    tx.commit().await?;
    // Only text can be masked (see `service::resolve`); a file that was to be masked
    // and cannot be is never served as written.
    if !redactions.is_empty() && !is_text(&a.media_type) {
        return Err(Error::NotFound("attachment".into()));
    }
    let mut bytes = read_object(&d.config, &tenant.id, &a.sha256).await?;
    if is_text(&a.media_type) && !redactions.is_empty() {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        bytes = scan::apply_redactions(&text, &redactions).into_bytes();
    }
    Ok(file_response(&a, bytes))
}
