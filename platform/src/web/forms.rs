//! Posted forms, url-encoded or multipart (a form with a file input), read within
//! limits: text fields and files in the order sent. A file larger than its limit is
//! read on (so that the fields after it still arrive) but not kept: it comes back
//! marked `too_large`, so the page can say so beside its input with everything else
//! kept.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};

/// A file input's content.
pub struct PostedFile {
    pub field: String,
    pub file_name: String,
    /// At most the file limit; empty when `too_large`.
    pub bytes: Bytes,
    pub too_large: bool,
}

/// What a form sent.
#[derive(Default)]
pub struct Posted {
    pub fields: Vec<(String, String)>,
    pub files: Vec<PostedFile>,
}

impl Posted {
    /// The file sent in `field`, if one was chosen.
    pub fn file(&self, field: &str) -> Option<&PostedFile> {
        self.files.iter().find(|f| f.field == field)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum FormError {
    /// More than the whole form may hold.
    TooLarge,
    /// Not a form this page can read.
    Malformed,
}

/// The most text one field of a multipart form may hold.
const TEXT_FIELD_MAX: usize = 64 * 1024;
/// The most fields a form may send.
const FIELDS_MAX: usize = 100;

/// Reads a posted form: url-encoded within `text_max` bytes, multipart within
/// `stream_max` bytes with files kept up to `file_max` bytes each.
pub async fn read(
    headers: &HeaderMap,
    body: Body,
    text_max: usize,
    file_max: usize,
    stream_max: usize,
) -> Result<Posted, FormError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("multipart/form-data") {
        let bytes = axum::body::to_bytes(body, text_max)
            .await
            .map_err(|_| FormError::TooLarge)?;
        return Ok(Posted {
            fields: super::response::url_decode_pairs(&String::from_utf8_lossy(&bytes)),
            files: Vec::new(),
        });
    }
    let boundary = multer::parse_boundary(content_type).map_err(|_| FormError::Malformed)?;
    let limits = multer::Constraints::new()
        .size_limit(multer::SizeLimit::new().whole_stream(stream_max as u64));
    let mut parts = multer::Multipart::with_constraints(body.into_data_stream(), boundary, limits);
    let mut posted = Posted::default();
    while let Some(mut part) = parts.next_field().await.map_err(failure)? {
        if posted.fields.len() + posted.files.len() >= FIELDS_MAX {
            return Err(FormError::Malformed);
        }
        let field = part.name().unwrap_or_default().to_string();
        match part.file_name().map(str::to_string) {
            Some(file_name) => {
                let mut kept = Vec::new();
                let mut too_large = false;
                while let Some(chunk) = part.chunk().await.map_err(failure)? {
                    if kept.len() + chunk.len() > file_max {
                        too_large = true;
                        kept = Vec::new();
                    } else if !too_large {
                        kept.extend_from_slice(&chunk);
                    }
                }
                // An empty file input sends a part with no name and no content.
                if !(file_name.is_empty() && kept.is_empty() && !too_large) {
                    posted.files.push(PostedFile {
                        field,
                        file_name,
                        bytes: Bytes::from(kept),
                        too_large,
                    });
                }
            }
            None => {
                let mut text = Vec::new();
                while let Some(chunk) = part.chunk().await.map_err(failure)? {
                    if text.len() + chunk.len() > TEXT_FIELD_MAX {
                        return Err(FormError::TooLarge);
                    }
                    text.extend_from_slice(&chunk);
                }
                posted
                    .fields
                    .push((field, String::from_utf8_lossy(&text).into_owned()));
            }
        }
    }
    Ok(posted)
}

fn failure(err: multer::Error) -> FormError {
    match err {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            FormError::TooLarge
        }
        _ => FormError::Malformed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (HeaderMap, Body) {
        let mut body = Vec::new();
        for (name, file, content) in parts {
            body.extend_from_slice(b"--XyZ\r\n");
            match file {
                Some(f) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--XyZ--\r\n");
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=XyZ".parse().unwrap(),
        );
        (headers, Body::from(body))
    }

    #[tokio::test]
    async fn fields_and_files_in_order_an_oversized_file_marked_not_kept() {
        let (h, b) = multipart(&[
            ("name", None, "张三".as_bytes()),
            ("document", Some("id.pdf"), &[b'x'; 100]),
            ("after", None, b"kept"),
        ]);
        let posted = read(&h, b, 1000, 50, 10_000).await.unwrap();
        assert_eq!(posted.fields[0], ("name".into(), "张三".into()));
        assert_eq!(posted.fields[1], ("after".into(), "kept".into()));
        let file = posted.file("document").unwrap();
        assert!(file.too_large && file.bytes.is_empty());

        let (h, b) = multipart(&[("document", Some("id.pdf"), b"%PDF-1.7")]);
        let posted = read(&h, b, 1000, 50, 10_000).await.unwrap();
        let file = posted.file("document").unwrap();
        assert_eq!(
            (file.file_name.as_str(), &file.bytes[..]),
            ("id.pdf", &b"%PDF-1.7"[..])
        );

        // No file chosen: no file.
        let (h, b) = multipart(&[("document", Some(""), b"")]);
        assert!(read(&h, b, 1000, 50, 10_000)
            .await
            .unwrap()
            .files
            .is_empty());
    }

    #[tokio::test]
    async fn too_much_or_malformed_is_refused() {
        let (h, b) = multipart(&[("document", Some("a.pdf"), &[b'x'; 5000])]);
        assert_eq!(
            read(&h, b, 1000, 50, 1000).await.err(),
            Some(FormError::TooLarge)
        );
        let (h, _) = multipart(&[]);
        let garbage = Body::from("not multipart at all");
        assert_eq!(
            read(&h, garbage, 1000, 50, 1000).await.err(),
            Some(FormError::Malformed)
        );
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, "multipart/form-data".parse().unwrap());
        assert_eq!(
            read(&h, Body::from("x"), 1000, 50, 1000).await.err(),
            Some(FormError::Malformed)
        );
        let plain = HeaderMap::new();
        let form = Body::from("a=1&b=%E4%B8%AD");
        let posted = read(&plain, form, 1000, 50, 1000).await.unwrap();
        assert_eq!(posted.fields[1], ("b".into(), "中".into()));
        assert_eq!(
            read(&plain, Body::from(vec![b'a'; 2000]), 1000, 50, 1000)
                .await
                .err(),
            Some(FormError::TooLarge)
        );
    }
}
