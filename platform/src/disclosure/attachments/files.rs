//! What an attachment may be and how it is served: the type sniffed from the content
//! against an allow-list, the file name, and a response that a browser never runs.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::disclosure::extract;
use crate::disclosure::model::AttachmentOut;
use crate::kernel::error::{Error, Result};

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
pub(super) const INLINE: &[&str] = &[
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
        if mime == "application/zip" {
            mime = extract::package_type(bytes).unwrap_or(mime);
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

pub(crate) fn check_name(name: &str) -> Result<String> {
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

/// The response for a file: its type (text as plain text; SVG, which can carry scripts, as
/// bare bytes), never sniffed, sandboxed.
pub(crate) fn file_response(a: &AttachmentOut, bytes: Vec<u8>) -> Response {
    named_file_response(&a.name, &a.media_type, bytes)
}

/// A stored file as the browser gets it: its type, inline only when harmless, never
/// sniffed, sandboxed.
pub(crate) fn named_file_response(name: &str, media_type: &str, bytes: Vec<u8>) -> Response {
    let content_type = if is_text(media_type) {
        format!("{media_type}; charset=utf-8")
    } else if INLINE.contains(&media_type) || media_type.starts_with("application/") {
        media_type.to_string()
    } else {
        "application/octet-stream".to_string()
    };
    let disposition = if INLINE.contains(&media_type) {
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
            percent_encode(name)
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
