//! Public exports in a tenant's plugins' formats: made whole by one call, or streamed a
//! batch at a time when the plugin makes the format in parts (`export-part`, contract
//! 0.2), so that neither the host nor the plugin holds a page of thousands of notices.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use futures_util::StreamExt;

use super::feeds::{
    download_bytes, export_page, file_safe, page_batch, published_page, ExportPage, ExportQuery,
};
use super::model::PublicItem;
use super::Disclosure;
use crate::http::problem::Problem;
use crate::http::ClientAddr;
use crate::kernel::error::{Error, Result};
use crate::plugins::host::{ExportOutput, ExportPart, ExportPiece};
use crate::plugins::model::{ExportFormat, ExportItemInput};
use crate::plugins::Package;

/// A plugin's export format, served only as a type a browser will not run as a page.
/// An SVG chart keeps its type so that an `<img>` on the portal shows it (an image runs
/// no script); like every export it is an attachment (opening its address downloads it)
/// under a sandboxing CSP.
fn served_type(media_type: &str) -> HeaderValue {
    let lower = media_type.to_ascii_lowercase();
    if lower == SVG {
        return HeaderValue::from_static(SVG);
    }
    let runnable = ["html", "javascript", "ecmascript", "xml", "svg"]
        .iter()
        .any(|t| lower.contains(t));
    match HeaderValue::from_str(media_type) {
        Ok(value) if !runnable => value,
        _ => HeaderValue::from_static("application/octet-stream"),
    }
}

/// The media type of plugin charts the portal shows.
pub const SVG: &str = "image/svg+xml";

/// The published items of a catalog node (and its children) of one plugin's kinds, in
/// one of the plugin's export formats (for the environment plugin: `csv` of air-quality
/// readings, `json-feed`), made by the tenant's pinned version. A format the plugin
/// makes in parts (the procurement plugin's OCDS packages and CSV) is streamed: the
/// page is read `public_export_batch_items` at a time and each part sent on as it comes.
#[utoipa::path(get, path = "/api/v1/public/{slug}/catalog/{code}/export/{plugin}/{format}", tag = "public",
    params(("slug" = String, Path), ("code" = String, Path), ("plugin" = String, Path), ("format" = String, Path), ExportQuery),
    responses((status = 200, description = "the plugin's format"), (status = 404, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem), (status = 502, body = Problem)))]
pub async fn export_plugin(
    State(d): State<Disclosure>,
    ClientAddr(addr): ClientAddr,
    Path((slug, code, plugin_id, format)): Path<(String, String, String, String)>,
    Query(q): Query<ExportQuery>,
) -> Result<Response> {
    d.downloads.admit(addr)?;
    let tenant = d.tenants.public(&d.db, &slug).await?;
    let package = crate::plugins::service::enabled_package(&d.plugins, &tenant, &plugin_id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) | Error::Conflict { .. } => {
                Error::NotFound(format!("plugin `{plugin_id}` on this portal"))
            }
            other => other,
        })?;
    let known = package
        .manifest
        .export_formats
        .iter()
        .find(|f| f.id == format)
        .cloned();
    let Some(known) = known else {
        return Err(Error::NotFound(format!(
            "format `{format}` of plugin `{plugin_id}`"
        )));
    };
    let path = format!("/api/v1/public/{slug}/catalog/{code}/export/{plugin_id}/{format}");
    let (page, media_type, extension, body) = if known.streamed {
        let batch = batch_size(
            i64::from(d.config.public_export_page_items),
            i64::from(d.config.public_export_batch_items),
        );
        let page = export_page(&d, &slug, &code, &q, Some(batch)).await?;
        let mut parts = Parts::new(d.clone(), package, known, &page, code.clone(), batch);
        let (first, more) = parts.begin(&page.items).await?;
        let body = Body::from_stream(parts.rest(first.bytes, more));
        (page, first.media_type, first.extension, body)
    } else {
        let page = export_page(&d, &slug, &code, &q, None).await?;
        let items =
            whole_groups(&d, &package, &page.tenant.id, &page.node_ids, &page.items).await?;
        let items = for_plugin(&package, &known, &items);
        let out =
            crate::plugins::service::export(&d.plugins, &page.tenant, package, &format, items)
                .await?;
        (page, out.media_type, out.extension, Body::from(out.bytes))
    };
    let response = download_bytes(
        served_type(&media_type),
        format!(
            "{slug}-{}-{}.{}",
            file_safe(&code),
            file_safe(&format),
            file_safe(&extension)
        ),
        body,
    );
    let mut response = page.respond(&path, response);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
    );
    Ok(response)
}

/// The page's items of `known`'s kinds, as the plugin receives them.
fn for_plugin(
    package: &Package,
    known: &ExportFormat,
    items: &[PublicItem],
) -> Vec<ExportItemInput> {
    let prefix = format!("{}/", package.id);
    items
        .iter()
        .filter_map(|i| {
            let kind = i.kind.strip_prefix(&prefix)?.to_string();
            if !known.kinds.is_empty() && !known.kinds.contains(&kind) {
                return None;
            }
            Some(ExportItemInput {
                id: i.id.clone(),
                kind,
                fields: i.fields.as_object().cloned().unwrap_or_default(),
                published_at: Some(i.published_at.clone()),
            })
        })
        .collect()
}

/// The largest batch that divides the page and is at most the configured batch, so
/// that every batch of a page is a page of batch size.
fn batch_size(per_page: i64, batch: i64) -> i64 {
    let (mut a, mut b) = (per_page.max(1), batch.max(1));
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A page of a streamed format, read a batch at a time, each batch's whole groups
/// handed to the plugin as one part with what the previous part carried.
struct Parts {
    d: Disclosure,
    package: Package,
    known: ExportFormat,
    tenant: crate::tenancy::Tenant,
    node_ids: Vec<String>,
    code: String,
    per_page: i64,
    batch: i64,
    page: i64,
    /// Batches of the page (at least one: an empty page is one empty part).
    batches: i64,
    /// The next batch to read, from 0.
    next: i64,
    carry: String,
}

impl Parts {
    fn new(
        d: Disclosure,
        package: Package,
        known: ExportFormat,
        page: &ExportPage,
        code: String,
        batch: i64,
    ) -> Parts {
        let on_page = (page.total - (page.page - 1) * page.per_page).clamp(0, page.per_page);
        Parts {
            d,
            package,
            known,
            tenant: page.tenant.clone(),
            node_ids: page.node_ids.clone(),
            code,
            per_page: page.per_page,
            batch,
            page: page.page,
            batches: ((on_page + batch - 1) / batch).max(1),
            next: 1,
            carry: String::new(),
        }
    }

    fn last(&self, k: i64) -> bool {
        k + 1 >= self.batches
    }

    /// The first part, made from the first batch with anything of the plugin's to
    /// export (batches whose groups went out earlier are passed over), before a byte is
    /// sent: a page with nothing to export is the plugin's to refuse, with a status.
    /// Returns its output (bytes included) and whether parts remain.
    async fn begin(&mut self, first_batch: &[PublicItem]) -> Result<(ExportOutput, bool)> {
        let mut items = self.of_batch(first_batch).await?;
        let mut k = 0;
        while items.is_empty() && !self.last(k) {
            k += 1;
            let batch = self.read(k).await?;
            items = self.of_batch(&batch).await?;
        }
        self.next = k + 1;
        let piece = self.part(items, true, self.last(k)).await?;
        Ok((piece.output, !self.last(k)))
    }

    /// The first part's bytes, then every other part's as it is made. A failure after
    /// the first byte can only cut the download short: it is logged, and the body ends
    /// with an error so that the client sees an incomplete transfer, not a short file.
    fn rest(
        self,
        first: Vec<u8>,
        more: bool,
    ) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
        let first = futures_util::stream::once(async move { Ok(Bytes::from(first)) });
        let state = more.then_some(self);
        let later = futures_util::stream::unfold(state, |state| async move {
            let mut parts = state?;
            let k = parts.next;
            parts.next += 1;
            match parts.made(k).await {
                Ok(bytes) => {
                    let more = !parts.last(k);
                    Some((Ok(bytes), more.then_some(parts)))
                }
                Err(e) => {
                    tracing::error!(error = %e, plugin = %parts.package.id, "a streamed export failed part-way");
                    Some((Err(std::io::Error::other(e.to_string())), None))
                }
            }
        });
        first.chain(later)
    }

    /// Part `k`'s bytes (nothing for an empty batch other than the last).
    async fn made(&mut self, k: i64) -> Result<Bytes> {
        let batch = self.read(k).await?;
        let items = self.of_batch(&batch).await?;
        if items.is_empty() && !self.last(k) {
            return Ok(Bytes::new());
        }
        let last = self.last(k);
        Ok(Bytes::from(
            self.part(items, false, last).await?.output.bytes,
        ))
    }

    async fn read(&self, k: i64) -> Result<Vec<PublicItem>> {
        let number = page_batch(self.per_page, self.batch, self.page, k);
        let (items, _, _) = published_page(
            &self.d,
            &self.tenant,
            Some(&self.code),
            self.batch,
            number,
            true,
            false, // the page was counted when the export began
        )
        .await?;
        Ok(items)
    }

    async fn of_batch(&self, batch: &[PublicItem]) -> Result<Vec<ExportItemInput>> {
        let whole = whole_groups(
            &self.d,
            &self.package,
            &self.tenant.id,
            &self.node_ids,
            batch,
        )
        .await?;
        Ok(for_plugin(&self.package, &self.known, &whole))
    }

    async fn part(
        &mut self,
        items: Vec<ExportItemInput>,
        first: bool,
        last: bool,
    ) -> Result<ExportPiece> {
        let part = ExportPart {
            first,
            last,
            carry: std::mem::take(&mut self.carry),
        };
        let piece = crate::plugins::service::export_part(
            &self.d.plugins,
            &self.tenant,
            &self.package,
            &self.known.id,
            items,
            part,
        )
        .await?;
        self.carry = piece.carry.clone();
        Ok(piece)
    }
}

/// Items of a page (or a batch of one) with each group of related items whole (a
/// procurement's notices, tied by the kinds' `related_by` field): a group goes out with
/// its oldest item, complete, and is left off the later pages and batches its other
/// items fall in. So a reader never sees a procurement split across record packages,
/// and a plugin making a streamed export in parts sees each procurement in one part.
async fn whole_groups(
    d: &Disclosure,
    package: &Package,
    tenant_id: &str,
    node_ids: &[String],
    items: &[PublicItem],
) -> Result<Vec<PublicItem>> {
    let prefix = format!("{}/", package.id);
    let key_of = |item: &PublicItem| -> Option<(String, String)> {
        let kind = item.kind.strip_prefix(&prefix)?;
        let field = package
            .manifest
            .kinds
            .iter()
            .find(|k| k.id == kind)?
            .related_by
            .clone()?;
        let value = item.fields.get(&field)?.as_str()?.trim().to_string();
        (!value.is_empty()).then_some((field, value))
    };
    let mut wanted: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for item in items {
        if let Some((field, value)) = key_of(item) {
            let values = wanted.entry(field).or_default();
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }
    if wanted.is_empty() {
        return Ok(items.to_vec());
    }
    let mut groups: std::collections::HashMap<(String, String), Vec<PublicItem>> =
        Default::default();
    let mut tx = d.db.tenant_read(tenant_id).await?;
    for (field, values) in &wanted {
        for item in
            super::public::published_sharing(&mut tx, &package.id, field, values, node_ids).await?
        {
            // Only kinds that relate by this very field belong to the group.
            if let Some(key) = key_of(&item).filter(|(f, _)| f == field) {
                groups.entry(key).or_default().push(item);
            }
        }
    }
    tx.commit().await?;
    let mut out = Vec::new();
    for item in items {
        match key_of(item).and_then(|key| groups.get(&key)) {
            Some(group) if group.first().is_some_and(|first| first.id == item.id) => {
                out.extend(group.iter().cloned());
            }
            // Out on the page of the group's oldest item (this one or an earlier one).
            Some(_) => {}
            None => out.push(item.clone()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_exports_are_never_served_as_something_a_browser_runs() {
        assert_eq!(
            served_type("text/csv; charset=utf-8"),
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            served_type("application/feed+json"),
            "application/feed+json"
        );
        // A chart for an `<img>`; the export is still an attachment under a sandbox.
        assert_eq!(served_type("image/svg+xml"), "image/svg+xml");
        for runnable in [
            "text/html",
            "application/javascript",
            "image/svg+xml; charset=utf-8",
            "application/xhtml+xml",
            "text/xml",
            "bad\nvalue",
        ] {
            assert_eq!(
                served_type(runnable),
                "application/octet-stream",
                "{runnable}"
            );
        }
    }

    #[test]
    fn a_page_is_read_in_batches_that_divide_it() {
        assert_eq!(batch_size(5_000, 500), 500);
        assert_eq!(batch_size(4, 500), 4);
        assert_eq!(batch_size(4, 3), 1);
        assert_eq!(batch_size(6, 4), 2);
        // Page 2 of 4 in batches of 2 starts at batch page 3.
        assert_eq!(page_batch(4, 2, 2, 0), 3);
        assert_eq!(page_batch(4, 2, 2, 1), 4);
        assert_eq!(page_batch(5_000, 500, 1, 9), 10);
    }
}
