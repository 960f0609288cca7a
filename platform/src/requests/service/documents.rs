//! Documents an applicant sends with a request: an ID copy (身份证明), which an agency
//! may ask for to confirm who applies (条例第二十九条), or a power of attorney. They are
//! personal data: sealed with the data key before they reach the object store, listed
//! only to readers of the applicant's data, and every fetch is written to the audit chain.

use axum::body::Bytes;
use object_store::path::Path as ObjectPath;
use object_store::PutPayload;
use serde_json::json;

use super::reads::Reader;
use super::tracking::locate;
use crate::audit;
use crate::disclosure::attachments::{check_name, sniff};
use crate::kernel::actor::Actor;
use crate::kernel::crypto::sha256_hex;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::requests::model::DocumentView;
use crate::requests::store::{self, NewDocument};
use crate::requests::Requests;
use crate::tenancy::Tenant;

/// The largest document accepted (a phone photo or a scanned page fits).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// At most this many documents per request.
pub const MAX_PER_REQUEST: usize = 5;
/// Photos and scans only: nothing a browser or an office suite would run.
const ACCEPTED: &[&str] = &["image/jpeg", "image/png", "application/pdf"];
/// The field problems are reported against, on the API and beside the form's input.
pub const FIELD: &str = "document";

/// A document that passed its checks, not yet stored.
pub struct Document {
    pub file_name: String,
    pub media_type: &'static str,
    pub bytes: Bytes,
}

impl Document {
    /// Checks an upload: a file name, not empty, at most [`MAX_BYTES`], and a JPEG, PNG or
    /// PDF by its content (the name and the browser's claim are not believed).
    pub fn check(file_name: &str, bytes: Bytes) -> Result<Document> {
        let file_name = check_name(file_name).map_err(|_| {
            Error::invalid(FIELD, "the file needs a name: 1–200 characters, no slashes")
        })?;
        if bytes.is_empty() {
            return Err(Error::invalid(FIELD, "the file is empty"));
        }
        if bytes.len() > MAX_BYTES {
            return Err(Error::Invalid(vec![too_large()]));
        }
        let media_type = sniff(&bytes, &file_name)
            .ok()
            .filter(|t| ACCEPTED.contains(t))
            .ok_or_else(|| Error::invalid(FIELD, "a photo (JPEG, PNG) or a PDF only"))?;
        Ok(Document {
            file_name,
            media_type,
            bytes,
        })
    }

    /// What identifies the document in an idempotent submission's fingerprint.
    pub fn digest(&self) -> String {
        sha256_hex(&self.bytes)
    }
}

/// The problem of a file over [`MAX_BYTES`].
pub fn too_large() -> FieldProblem {
    FieldProblem::new(
        FIELD,
        format!("the file is larger than {} MB", MAX_BYTES / (1024 * 1024)),
    )
}

fn object_path(tenant_id: &str, id: &str) -> ObjectPath {
    ObjectPath::from(format!("tenants/{tenant_id}/request-documents/{id}"))
}

/// Seals and stores `documents` of `request_id` inside the caller's transaction. The
/// sealed bytes are written first: a failed commit leaves an unreadable orphan, never a
/// row without its bytes.
pub(super) async fn store_all(
    requests: &Requests,
    tx: &mut TenantTx,
    request_id: &str,
    documents: &[Document],
) -> Result<Vec<DocumentView>> {
    if store::documents(tx, request_id).await?.len() + documents.len() > MAX_PER_REQUEST {
        return Err(Error::invalid(
            FIELD,
            format!("at most {MAX_PER_REQUEST} documents per request"),
        ));
    }
    let received_at = ids::now_text();
    let mut stored = Vec::new();
    for d in documents {
        let id = ids::new_id();
        let path = object_path(tx.tenant_id(), &id);
        let sealed = requests.secrets.seal_bytes(&d.bytes);
        requests
            .objects
            .put(&path, PutPayload::from(sealed))
            .await
            .map_err(|e| Error::internal_cause("object store", e))?;
        store::insert_document(
            tx,
            &NewDocument {
                id: &id,
                request_id,
                file_name: &d.file_name,
                media_type: d.media_type,
                size_bytes: d.bytes.len() as i64,
                sha256: &d.digest(),
                object_path: path.as_ref(),
                received_at: &received_at,
            },
        )
        .await?;
        stored.push(DocumentView {
            id,
            file_name: d.file_name.clone(),
            media_type: d.media_type.to_string(),
            size_bytes: d.bytes.len() as i64,
            received_at: received_at.clone(),
        });
    }
    Ok(stored)
}

/// The applicant adds a document to an open request (tracking number and access code).
pub async fn add_by_applicant(
    requests: &Requests,
    tenant: &Tenant,
    number: &str,
    access_code: &str,
    document: Document,
) -> Result<DocumentView> {
    let mut tx = requests.db.tenant(&tenant.id).await?;
    let row = locate(&mut tx, number, access_code).await?;
    if !row.state.phase.before_answer() {
        return Err(Error::Conflict {
            message: "the request has been answered; documents are no longer taken".into(),
            current_state: Some(row.phase().into()),
        });
    }
    let added = store_all(requests, &mut tx, &row.id, std::slice::from_ref(&document))
        .await?
        .pop()
        .ok_or_else(|| Error::internal("the stored document is missing"))?;
    let actor = Actor {
        user_id: None,
        label: "applicant".into(),
    };
    audit::append(
        &mut tx,
        &actor,
        "request.document.add",
        "request",
        &row.id,
        json!({"media_type": document.media_type, "size_bytes": document.bytes.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(added)
}

/// A document's bytes for a reader of the applicant's data; the read is audited in the
/// same transaction. Anyone else gets 403, whatever the id.
pub async fn read(
    requests: &Requests,
    tenant: &Tenant,
    request_id: &str,
    document_id: &str,
    reader: &Reader,
) -> Result<(DocumentView, Vec<u8>)> {
    let Reader::PersonalData(actor) = reader else {
        return Err(Error::Forbidden(
            "documents are personal data: reading them needs requests:personal_data".into(),
        ));
    };
    let mut tx = requests.db.tenant(&tenant.id).await?;
    let (view, path) = store::document(&mut tx, request_id, document_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("document {document_id}")))?;
    audit::append(
        &mut tx,
        actor,
        "request.document.read",
        "request",
        request_id,
        json!({"document": document_id}),
    )
    .await?;
    let sealed = requests
        .objects
        .get(&ObjectPath::from(path))
        .await
        .map_err(|e| Error::internal_cause("object store", e))?
        .bytes()
        .await
        .map_err(|e| Error::internal_cause("object store", e))?;
    let bytes = requests
        .secrets
        .open_bytes(&sealed)
        .map_err(Error::internal_from)?;
    tx.commit().await?;
    Ok((view, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_photos_and_pdfs_within_the_limit() {
        let png = Bytes::from_static(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01");
        assert_eq!(
            Document::check("id.png", png).unwrap().media_type,
            "image/png"
        );
        let pdf = Bytes::from_static(b"%PDF-1.7\n1 0 obj\n");
        assert_eq!(
            Document::check("id.pdf", pdf).unwrap().media_type,
            "application/pdf"
        );
        for (name, bytes) in [
            ("id.png", Bytes::new()),
            ("id.svg", Bytes::from_static(b"<svg onload=alert(1)>")),
            (
                "id.txt",
                Bytes::from_static("身份证 110101199003074514".as_bytes()),
            ),
            ("id.html", Bytes::from_static(b"<html><script>x</script>")),
            ("", Bytes::from_static(b"%PDF-1.7\n")),
            ("../id.pdf", Bytes::from_static(b"%PDF-1.7\n")),
        ] {
            let Err(Error::Invalid(problems)) = Document::check(name, bytes) else {
                panic!("{name} was accepted");
            };
            assert_eq!(problems[0].field, FIELD);
        }
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        assert!(Document::check("big.pdf", Bytes::from(big)).is_err());
    }
}
