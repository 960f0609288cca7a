//! Form tokens for the public forms (no session there): a random value in an HttpOnly,
//! SameSite=Strict cookie, and in the form an HMAC of that value and the form's name
//! under the server's cookie key. A cross-site page can neither read the cookie nor
//! compute the token; a token is good only with the browser that got it and only for its
//! form. (Signed-in forms use the session's CSRF token instead.)

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::response::PageReq;
use crate::kernel::crypto::random_token;

/// The cookie's name: `__Host-` when cookies are marked secure.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-gk-form"
    } else {
        "gk-form"
    }
}

/// The form's token, and the `Set-Cookie` to send when the browser has no cookie yet.
pub fn issue(key: &[u8], secure: bool, req: &PageReq, form: &str) -> (String, Option<String>) {
    let name = cookie_name(secure);
    match req.cookie(name).filter(|v| valid_nonce(v)) {
        Some(nonce) => (token(key, nonce, form), None),
        None => {
            let nonce = random_token(24);
            let cookie = format!(
                "{name}={nonce}; Path=/; HttpOnly; SameSite=Strict{}",
                if secure { "; Secure" } else { "" }
            );
            (token(key, &nonce, form), Some(cookie))
        }
    }
}

/// Whether `sent` is the token of `form` for this browser's cookie.
pub fn verify(key: &[u8], secure: bool, req: &PageReq, form: &str, sent: &str) -> bool {
    let Some(nonce) = req.cookie(cookie_name(secure)).filter(|v| valid_nonce(v)) else {
        return false;
    };
    let Ok(sent) = hex::decode(sent) else {
        return false;
    };
    mac(key, nonce, form).verify_slice(&sent).is_ok()
}

fn valid_nonce(v: &str) -> bool {
    (16..=64).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn mac(key: &[u8], nonce: &str, form: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"gongkai-form\0");
    mac.update(form.as_bytes());
    mac.update(b"\0");
    mac.update(nonce.as_bytes());
    mac
}

fn token(key: &[u8], nonce: &str, form: &str) -> String {
    hex::encode(mac(key, nonce, form).finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{header, HeaderMap, HeaderValue};

    fn with_cookie(cookie: Option<&str>) -> PageReq {
        let mut h = HeaderMap::new();
        if let Some(c) = cookie {
            h.insert(header::COOKIE, HeaderValue::from_str(c).unwrap());
        }
        PageReq::from_parts("/x/apply", None, &h)
    }

    #[test]
    fn a_token_holds_only_with_its_cookie_and_form() {
        let key = [7u8; 64];
        let (token, set) = issue(&key, false, &with_cookie(None), "apply");
        let set = set.expect("a new browser gets a cookie");
        let pair = set.split(';').next().unwrap();
        let req = with_cookie(Some(pair));
        assert!(verify(&key, false, &req, "apply", &token));
        assert!(!verify(&key, false, &req, "track", &token));
        assert!(!verify(&key, false, &with_cookie(None), "apply", &token));
        let other = with_cookie(Some("gk-form=AAAAAAAAAAAAAAAAAAAAAAAA"));
        assert!(!verify(&key, false, &other, "apply", &token));
        assert!(!verify(&[8u8; 64], false, &req, "apply", &token));
        let (again, none) = issue(&key, false, &req, "apply");
        assert_eq!(again, token);
        assert!(none.is_none());
    }
}
