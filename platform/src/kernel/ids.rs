//! Ids are UUIDv7 made in Rust and stored as text; times are RFC 3339 UTC text with a
//! fixed width so that they sort correctly as strings on both backends.

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

pub fn new_id() -> String {
    Uuid::now_v7().to_string()
}

pub fn to_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn now_text() -> String {
    to_text(Utc::now())
}

pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_sort_as_text() {
        let a = to_text(DateTime::from_timestamp(1_700_000_000, 5_000).unwrap());
        let b = to_text(DateTime::from_timestamp(1_700_000_000, 50_000).unwrap());
        assert!(a < b, "{a} < {b}");
        assert_eq!(parse_time(&a).map(to_text), Some(a));
    }

    #[test]
    fn ids_are_v7_and_increase() {
        let a = new_id();
        let b = new_id();
        assert_eq!(Uuid::parse_str(&a).unwrap().get_version_num(), 7);
        assert!(a < b);
    }
}
