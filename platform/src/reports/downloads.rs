//! The report's downloads: XLSX, CSV and PDF. Staff download the stored report (draft or
//! submitted: what the figures are now, adjustments applied) under
//! `/api/v1/tenants/{slug}/reports/{year}/download/{format}` with `reports:read`; the
//! public downloads only the published report, from the published item's frozen
//! fields, under `/api/v1/public/{slug}/reports/{year}/download/{format}` (404 until
//! then). The rendering is CPU work (the PDF subsets a font): it runs off the async
//! threads.

use axum::extract::{FromRef, Path, State};
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};

use super::document::ReportDoc;
use super::render::{self, Format};
use super::{publication, store, Reports};
use crate::app::AppState;
use crate::disclosure::Disclosure;
use crate::http::access::{Access, Ctx};
use crate::http::problem::Problem;
use crate::http::{ClientAddr, Routes};
use crate::kernel::error::{Error, Result};

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/api/v1/tenants/{slug}/reports/{year}/download/{format}",
        Access::Tenant("reports:read"),
        staff,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/reports/{year}/download/{format}",
        Access::Public,
        public,
    )
}

fn format_of(text: &str) -> Result<Format> {
    Format::parse(text).ok_or_else(|| Error::NotFound(format!("download format `{text}`")))
}

/// RFC 5987 encoding of a UTF-8 file name.
fn encoded(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The file of `doc` in `format`, rendered on a blocking thread.
pub async fn file(doc: ReportDoc, format: Format) -> Result<Response> {
    let (bytes, doc) = tokio::task::spawn_blocking(move || {
        let bytes = match format {
            Format::Xlsx => render::xlsx::render(&doc),
            Format::Csv => Ok(render::csv::render(&doc)),
            Format::Pdf => render::pdf::render(&doc),
        };
        (bytes, doc)
    })
    .await
    .map_err(Error::internal_from)?;
    let ext = format.extension();
    Ok(attachment(
        bytes?,
        format.media_type(),
        &doc.file_name(ext),
        &format!("{}.{ext}", doc.title),
    ))
}

/// A file to download: `ascii_name` for old clients, `name` (UTF-8) for the others.
pub(crate) fn attachment(
    bytes: Vec<u8>,
    media_type: &'static str,
    ascii_name: &str,
    name: &str,
) -> Response {
    let disposition = format!(
        "attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}",
        encoded(name)
    );
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The stored report (draft or submitted) as XLSX, CSV or PDF: the figures the report
/// uses now, adjustments applied.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/reports/{year}/download/{format}", tag = "reports",
    params(("slug" = String, Path), ("year" = i32, Path),
           ("format" = String, Path, description = "`xlsx` (the tables as printed), `csv` (one line per figure: table, row, column, cell, value) or `pdf` (official-document layout, Chinese font subset embedded)")),
    responses((status = 200, description = "the file: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, text/csv or application/pdf", content_type = "application/octet-stream"),
              (status = 404, body = Problem), (status = 502, body = Problem, description = "PDF: no Chinese font installed")))]
pub async fn staff(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, year, format)): Path<(String, i32, String)>,
) -> Result<Response> {
    let format = format_of(&format)?;
    let reports = Reports::new(Disclosure::from_ref(&state));
    let tenant = ctx.tenant()?;
    let mut tx = reports.db.tenant_read(&tenant.id).await?;
    let report = store::get(&mut tx, year, false)
        .await?
        .ok_or_else(|| Error::NotFound(format!("report of {year}")))?;
    let doc = publication::doc_of(&mut tx, tenant, &report).await?;
    tx.commit().await?;
    file(doc, format).await
}

/// The published report as XLSX, CSV or PDF, exactly as it was submitted and published
/// (a later recount does not change it). 404 until the report's item is published.
#[utoipa::path(get, path = "/api/v1/public/{slug}/reports/{year}/download/{format}", tag = "public",
    params(("slug" = String, Path), ("year" = i32, Path),
           ("format" = String, Path, description = "`xlsx`, `csv` or `pdf`")),
    responses((status = 200, description = "the file: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, text/csv or application/pdf", content_type = "application/octet-stream"),
              (status = 404, body = Problem), (status = 429, body = Problem), (status = 502, body = Problem)))]
pub async fn public(
    State(d): State<Disclosure>,
    ClientAddr(addr): ClientAddr,
    Path((slug, year, format)): Path<(String, i32, String)>,
) -> Result<Response> {
    d.downloads.admit(addr)?;
    let format = format_of(&format)?;
    let tenant = d.tenants.public(&d.db, &slug).await?;
    let reports = Reports::new(d);
    let doc = publication::published_doc(&reports, &tenant, year).await?;
    file(doc, format).await
}
