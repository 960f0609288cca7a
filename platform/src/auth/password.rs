//! Passwords: argon2id with the crate's defaults (they match OWASP's advice), a length
//! rule and a shipped list of common passwords.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::kernel::error::FieldProblem;

const COMMON: &str = include_str!("common-passwords.txt");

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

/// Every problem with a proposed password, for a 422 that lists them.
pub fn check(field: &str, password: &str) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let len = password.chars().count();
    if !(MIN_LEN..=MAX_LEN).contains(&len) {
        problems.push(FieldProblem::new(
            field,
            format!("a password has {MIN_LEN}–{MAX_LEN} characters"),
        ));
    }
    if is_common(password) {
        problems.push(FieldProblem::new(
            field,
            "this password is too common; choose another",
        ));
    }
    problems
}

fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .any(|l| l == lower)
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any password")
        .to_string()
}

pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time a real check would, so that an unknown e-mail address cannot be told
/// from a wrong password by timing.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not a real password, only for timing"));
    let _ = verify(password, dummy);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse battery");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn policy() {
        assert!(check("password", "correct horse battery").is_empty());
        assert_eq!(check("password", "short").len(), 1);
        assert_eq!(check("password", &"x".repeat(129)).len(), 1);
        let common = check("password", "Password123");
        assert_eq!(common.len(), 1);
        assert!(common[0].message.contains("common"));
        assert!(!check("password", "woaini1314").is_empty());
        // Length counts characters, not bytes.
        assert!(check("password", "公开平台密码安全").is_empty());
    }
}
