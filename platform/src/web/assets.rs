//! The pages' own static files, compiled into the binary and served with a content hash
//! in their link, so that browsers keep them for a year and a new build is fetched anew.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::response::secure;

const FILES: &[(&str, &str, &str)] = &[
    (
        "portal.css",
        "text/css; charset=utf-8",
        include_str!("../../static/portal.css"),
    ),
    (
        "console.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/console.js"),
    ),
    (
        "kiosk.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/kiosk.js"),
    ),
];

static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(_, _, body)| crate::kernel::crypto::sha256_hex(body.as_bytes())[..12].to_string())
        .collect()
});

/// The link to a static file, with its content hash.
pub fn href(name: &str) -> String {
    match FILES.iter().position(|(n, _, _)| *n == name) {
        Some(i) => format!("/static/{name}?v={}", VERSIONS[i]),
        None => format!("/static/{name}"),
    }
}

/// `GET /static/{file}`
pub async fn serve(Path(file): Path<String>) -> Response {
    let Some((_, media_type, body)) = FILES.iter().find(|(n, _, _)| *n == file) else {
        let mut r = (StatusCode::NOT_FOUND, "no such file").into_response();
        secure(r.headers_mut());
        return r;
    };
    let mut r = (*body).into_response();
    let h = r.headers_mut();
    secure(h);
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    r
}
