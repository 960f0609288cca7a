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

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::BodyExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::IntoParams;

use super::extract::{self, Extracted};
use super::model::AttachmentOut;
use super::store;
use crate::app::AppState;
use crate::audit;
use crate::http::access::{Access, Ctx};
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::config::Config;
use crate::kernel::error::{Error, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;
use gongkai_rules::disclosure::lifecycle::Working;
use gongkai_rules::disclosure::scan;

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

// ---------------------------------------------------------------------------------------
// The store.

fn stores() -> &'static Mutex<HashMap<String, Arc<dyn ObjectStore>>> {
    static STORES: OnceLock<Mutex<HashMap<String, Arc<dyn ObjectStore>>>> = OnceLock::new();
    STORES.get_or_init(Default::default)
}

/// The configured object store (built once per configuration and shared).
pub fn object_store(config: &Config) -> Result<Arc<dyn ObjectStore>> {
    let key = match config.attachments_store.as_str() {
        "s3" => format!(
            "s3:{}:{}",
            config.s3_endpoint.clone().unwrap_or_default(),
            config.s3_bucket.clone().unwrap_or_default()
        ),
        _ => format!("local:{}", config.data_dir.display()),
    };
    let mut map = stores().lock().expect("object store cache");
    if let Some(store) = map.get(&key) {
        return Ok(store.clone());
    }
    let internal = |e: &dyn std::fmt::Display| Error::internal(format!("object store: {e}"));
    let built: Arc<dyn ObjectStore> = if config.attachments_store == "s3" {
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(config.s3_bucket.clone().unwrap_or_default())
            .with_region(config.s3_region.clone())
            .with_allow_http(config.s3_allow_http);
        if let Some(endpoint) = &config.s3_endpoint {
            // MinIO, Ceph and most S3-compatible services want path-style requests.
            b = b
                .with_endpoint(endpoint.clone())
                .with_virtual_hosted_style_request(false);
        }
        if let (Some(id), Some(secret)) = (&config.s3_access_key_id, &config.s3_secret_access_key) {
            b = b
                .with_access_key_id(id.clone())
                .with_secret_access_key(secret.clone());
        }
        Arc::new(b.build().map_err(|e| internal(&e))?)
    } else {
        let dir = config.data_dir.join("objects");
        std::fs::create_dir_all(&dir).map_err(|e| internal(&e))?;
        Arc::new(LocalFileSystem::new_with_prefix(&dir).map_err(|e| internal(&e))?)
    };
    map.insert(key, built.clone());
    Ok(built)
}

fn location(tenant_id: &str, sha256: &str) -> ObjectPath {
    ObjectPath::from(format!(
        "tenants/{tenant_id}/sha256/{}/{sha256}",
        &sha256[..2]
    ))
}

async fn read_object(state: &AppState, tenant_id: &str, sha256: &str) -> Result<Vec<u8>> {
    let store = object_store(&state.config)?;
    let got = store
        .get(&location(tenant_id, sha256))
        .await
        .map_err(|e| Error::internal_cause("object store", e))?;
    let bytes = got
        .bytes()
        .await
        .map_err(|e| Error::internal_cause("object store", e))?;
    Ok(bytes.to_vec())
}

// ---------------------------------------------------------------------------------------
// Types.

/// Types accepted, as sniffed from the content.
const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "image/svg+xml",
    "text/plain",
    "text/csv",
];

/// Shown in the browser; everything else is a download.
const INLINE: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
];

/// The media type of `bytes`, or why it is refused.
pub fn sniff(bytes: &[u8], name: &str) -> std::result::Result<&'static str, String> {
    if let Some(kind) = infer::get(bytes) {
        let mut mime = kind.mime_type();
        if mime == "application/zip" && extract::is_docx_package(bytes) {
            mime = extract::DOCX;
        }
        return ALLOWED
            .iter()
            .find(|m| **m == mime)
            .copied()
            .ok_or_else(|| format!("files of type {mime} are not accepted"));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "unknown binary type".to_string())?;
    if text.contains('\0') {
        return Err("unknown binary type".into());
    }
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<svg") || (head.starts_with("<?xml") && head.contains("<svg")) {
        return Ok("image/svg+xml");
    }
    if head.contains("<html") || head.contains("<!doctype html") || head.contains("<script") {
        return Err("HTML is not accepted as an attachment".into());
    }
    if name.to_ascii_lowercase().ends_with(".csv") {
        Ok("text/csv")
    } else {
        Ok("text/plain")
    }
}

/// Text attachments: served as text, and the only ones whose findings can be masked.
pub fn is_text(media_type: &str) -> bool {
    matches!(media_type, "text/plain" | "text/csv")
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    let bad = name.is_empty()
        || name.chars().count() > 200
        || name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\');
    if bad {
        return Err(Error::invalid(
            "name",
            "1–200 characters, no slashes or control characters",
        ));
    }
    Ok(name.to_string())
}

// ---------------------------------------------------------------------------------------
// Service.

/// How long the text of one attachment may take to extract before it counts as unreadable.
const EXTRACT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// What the scan reads of the item's current attachments: (attachment id, its text or
/// why it could not be read), for the types the scan reads (text, PDF, DOCX).
pub async fn texts_for_scan(state: &AppState, tenant: &Tenant, item_id: &str) -> Result<ScanInput> {
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    let list = store::attachments(&mut tx, item_id).await?;
    tx.commit().await?;
    Ok(ScanInput {
        attachment_ids: list.iter().map(|a| a.id.clone()).collect(),
        texts: scan_texts(state, &tenant.id, &list).await?,
    })
}

/// The text of each scanned attachment of `list`, or why it cannot be read.
pub async fn scan_texts(
    state: &AppState,
    tenant_id: &str,
    list: &[AttachmentOut],
) -> Result<Vec<(String, std::result::Result<String, String>)>> {
    let mut out = Vec::new();
    for a in list.iter().filter(|a| extract::is_scanned(&a.media_type)) {
        let bytes = read_object(state, tenant_id, &a.sha256).await?;
        let media_type = a.media_type.clone();
        // Parsing a PDF is CPU work: off the async workers, and bounded in time.
        let work = tokio::task::spawn_blocking(move || extract::extract(&media_type, &bytes));
        let extracted = match tokio::time::timeout(EXTRACT_TIMEOUT, work).await {
            Ok(Ok(extracted)) => extracted,
            Ok(Err(_)) => Extracted::Unreadable("the file cannot be read".into()),
            Err(_) => Extracted::Unreadable(format!(
                "reading the file took longer than {} s",
                EXTRACT_TIMEOUT.as_secs()
            )),
        };
        match extracted {
            Extracted::Text(text) => out.push((a.id.clone(), Ok(text))),
            Extracted::Unreadable(reason) => out.push((a.id.clone(), Err(reason))),
            Extracted::NotScanned => {}
        }
    }
    Ok(out)
}

/// What submit scans besides the fields, read before its transaction.
pub struct ScanInput {
    /// Every attachment of the item when it was read, to compare under the item's lock.
    pub attachment_ids: Vec<String>,
    /// Each scanned attachment's text, or why it cannot be read.
    pub texts: Vec<(String, std::result::Result<String, String>)>,
}

/// Deletes the stored bytes of `sha256` unless an attachment row of the tenant still
/// refers to them; true when deleted. Runs in a transaction of its own after the row
/// is gone, holding the object's lock (see [`store::lock_object`]) against an upload of
/// the same content.
async fn release_object(state: &AppState, tenant_id: &str, sha256: &str) -> Result<bool> {
    let mut tx = state.db.tenant(tenant_id).await?;
    store::lock_object(&mut tx, state.db.backend(), sha256).await?;
    if store::object_refs(&mut tx, sha256).await? > 0 {
        tx.commit().await?;
        return Ok(false);
    }
    match object_store(&state.config)?
        .delete(&location(tenant_id, sha256))
        .await
    {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
        Err(e) => return Err(Error::internal_cause("object store", e)),
    }
    tx.commit().await?;
    Ok(true)
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
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, item_id)): Path<(String, String)>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> std::result::Result<(StatusCode, Json<AttachmentOut>), Problem> {
    let tenant = ctx.tenant()?.clone();
    let name = check_name(&q.name)?;
    let max = state.config.attachments_max_bytes;
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
    let mut tx = state.db.tenant(&tenant.id).await.map_err(Error::from)?;
    let item = store::item(&mut tx, state.db.backend(), &item_id, true)
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
    store::lock_object(&mut tx, state.db.backend(), &sha256).await?;
    object_store(&state.config)?
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
        created_at: ids::now_text(),
    };
    store::insert_attachment(
        &mut tx,
        &item_id,
        item.version,
        &out,
        ctx.actor().user_id.as_deref().unwrap_or(""),
    )
    .await?;
    let discarded = store::discard_findings(&mut tx, &item_id, item.version).await?;
    audit::append(
        &mut tx,
        &ctx.actor(),
        "item.attachment.add",
        "item",
        &item_id,
        json!({"attachment": out.id, "name": out.name, "sha256": out.sha256, "size": out.size,
               "media_type": out.media_type, "findings_discarded": discarded}),
    )
    .await?;
    tx.commit().await.map_err(Error::from)?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Remove an attachment from the draft. A published version that shows it keeps it;
/// otherwise it is gone, and its bytes too unless other attachments have the same content.
#[utoipa::path(delete, path = "/api/v1/tenants/{slug}/items/{id}/attachments/{attachment_id}", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path), ("attachment_id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, item_id, attachment_id)): Path<(String, String, String)>,
) -> Result<StatusCode> {
    let tenant = ctx.tenant()?.clone();
    let actor = ctx.actor();
    let mut tx = state.db.tenant(&tenant.id).await?;
    let item = store::item(&mut tx, state.db.backend(), &item_id, true)
        .await?
        .ok_or_else(|| Error::NotFound("item".into()))?;
    let (a, from_version) = store::attachment(&mut tx, &item_id, &attachment_id)
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
            &ids::now_text(),
        )
        .await?;
    } else {
        store::delete_attachment(&mut tx, &a.id).await?;
    }
    let discarded = store::discard_findings(&mut tx, &item_id, item.version).await?;
    audit::append(
        &mut tx,
        &actor,
        "item.attachment.remove",
        "item",
        &item_id,
        json!({"attachment": a.id, "name": a.name, "sha256": a.sha256, "version": item.version,
               "kept_for_published_version": kept, "findings_discarded": discarded}),
    )
    .await?;
    tx.commit().await?;
    if !kept {
        // The removal stands even if the bytes stay behind: they are unreachable, and a
        // later removal of the same content deletes them.
        if let Err(err) = release_object(&state, &tenant.id, &a.sha256).await {
            tracing::warn!(error = %err, "the bytes of a removed attachment were not deleted");
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The item's attachments.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}/attachments", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Vec<AttachmentOut>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, item_id)): Path<(String, String)>,
) -> Result<Json<Vec<AttachmentOut>>> {
    let mut tx = state.db.tenant_read(&ctx.tenant()?.id).await?;
    store::item(&mut tx, state.db.backend(), &item_id, false)
        .await?
        .ok_or_else(|| Error::NotFound("item".into()))?;
    let list = store::attachments(&mut tx, &item_id).await?;
    tx.commit().await?;
    Ok(Json(list))
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The response for a file: its type (text as plain text), never sniffed, sandboxed.
fn file_response(a: &AttachmentOut, bytes: Vec<u8>) -> Response {
    let content_type = if is_text(&a.media_type) {
        format!("{}; charset=utf-8", a.media_type)
    } else {
        a.media_type.clone()
    };
    let disposition = if INLINE.contains(&a.media_type.as_str()) {
        "inline"
    } else {
        "attachment"
    };
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    let value =
        |s: &str| HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static("attachment"));
    h.insert(header::CONTENT_TYPE, value(&content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        value(&format!(
            "{disposition}; filename=\"download\"; filename*=UTF-8''{}",
            percent_encode(&a.name)
        )),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}

/// Download an attachment as stored (staff).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/items/{id}/attachments/{attachment_id}", tag = "items",
    params(("slug" = String, Path), ("id" = String, Path), ("attachment_id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = Problem)))]
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, item_id, attachment_id)): Path<(String, String, String)>,
) -> Result<Response> {
    let tenant = ctx.tenant()?;
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    // Removed ones too: staff read what a published version shows.
    let a = store::attachment(&mut tx, &item_id, &attachment_id)
        .await?
        .ok_or_else(|| Error::NotFound("attachment".into()))?
        .attachment;
    tx.commit().await?;
    let bytes = read_object(&state, &tenant.id, &a.sha256).await?;
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
    let Some(item) = store::item(&mut tx, db.backend(), item_id, false)
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
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = Problem)))]
pub async fn public_download(
    State(state): State<AppState>,
    Path((slug, item_id, attachment_id)): Path<(String, String, String)>,
) -> Result<Response> {
    let tenant = state.tenants.public(&state.db, &slug).await?;
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    let item = store::item(&mut tx, state.db.backend(), &item_id, false)
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
    let mut bytes = read_object(&state, &tenant.id, &a.sha256).await?;
    if is_text(&a.media_type) && !redactions.is_empty() {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        bytes = scan::apply_redactions(&text, &redactions).into_bytes();
    }
    Ok(file_response(&a, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n...", "x.txt"), Ok("application/pdf"));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a.pdf"),
            Ok("image/png")
        );
        assert_eq!(
            sniff("联系人 13812345678".as_bytes(), "a.txt"),
            Ok("text/plain")
        );
        assert_eq!(sniff(b"a,b\n1,2\n", "list.CSV"), Ok("text/csv"));
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.png"),
            Ok("image/svg+xml")
        );
        assert!(sniff(b"<!DOCTYPE html><html><script>x</script>", "a.txt").is_err());
        assert!(sniff(b"  <script>alert(1)</script>", "a.txt").is_err());
        assert!(sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff", "a.pdf").is_err());
        assert!(sniff(b"\x7fELF\x02\x01\x01\0", "a.txt").is_err());
        assert!(sniff(&[0xff, 0xfe, 0x00, 0x01], "a.txt").is_err());
    }

    #[test]
    fn names_are_checked_and_encoded() {
        assert!(check_name("../etc/passwd").is_err());
        assert!(check_name("").is_err());
        assert_eq!(check_name(" 附件1.pdf ").unwrap(), "附件1.pdf");
        assert_eq!(percent_encode("附 1\".pdf"), "%E9%99%84%201%22.pdf");
    }
}
