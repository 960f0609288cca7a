//! Calendar dates and local date-times, just enough for plugin rules.

use std::fmt;

/// A proleptic Gregorian calendar date (years 1–9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(s: &str, len: usize) -> Option<u32> {
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let ok = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }

    /// Parses "YYYY-MM-DD" strictly.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y = digits(&s[0..4], 4)? as i32;
        let m = digits(&s[5..7], 2)? as u8;
        let d = digits(&s[8..10], 2)? as u8;
        Date::new(y, m, d)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// Inverse of [`Date::to_days`]; `None` outside years 1–9999.
    pub fn from_days(z: i64) -> Option<Date> {
        let z = z + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(i32::try_from(y).ok()?, m as u8, d as u8)
    }

    /// This date plus `n` calendar days.
    pub fn add_days(self, n: i64) -> Option<Date> {
        Date::from_days(self.to_days() + n)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        ((self.to_days() + 3).rem_euclid(7) + 1) as u8
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Date, String> {
        Date::parse(s).ok_or_else(|| format!("not a date (YYYY-MM-DD): {s:?}"))
    }
}

/// A local date-time as written ("2026-03-01T14:00", optional seconds and
/// UTC offset). The offset is kept as text and never applied: Gongkai's
/// readings are in China Standard Time and judged by their local date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// "+08:00", "Z" or "" when none was given.
    pub offset: String,
}

impl DateTime {
    /// Parses "YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]" (a space may replace the "T").
    /// Hour 24:00 is not accepted; write 00:00 of the next day.
    pub fn parse(s: &str) -> Option<DateTime> {
        if s.len() < 16 || !s.is_char_boundary(10) {
            return None;
        }
        let date = Date::parse(&s[..10])?;
        let sep = s.as_bytes()[10];
        if sep != b'T' && sep != b' ' {
            return None;
        }
        let rest = &s[11..];
        let b = rest.as_bytes();
        if b.len() < 5 || b[2] != b':' {
            return None;
        }
        let hour = digits(&rest[0..2], 2)? as u8;
        let minute = digits(&rest[3..5], 2)? as u8;
        let mut tail = &rest[5..];
        let mut second = 0;
        if tail.starts_with(':') {
            second = digits(tail.get(1..3)?, 2)? as u8;
            tail = &tail[3..];
        }
        let offset_ok = tail.is_empty()
            || tail == "Z"
            || (tail.len() == 6
                && (tail.starts_with('+') || tail.starts_with('-'))
                && tail.as_bytes()[3] == b':'
                && digits(&tail[1..3], 2).is_some_and(|h| h <= 14)
                && digits(&tail[4..6], 2).is_some_and(|m| m < 60));
        if hour > 23 || minute > 59 || second > 59 || !offset_ok {
            return None;
        }
        Some(DateTime {
            date,
            hour,
            minute,
            second,
            offset: tail.to_string(),
        })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}{}",
            self.date, self.hour, self.minute, self.second, self.offset
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_roundtrip() {
        let d = Date::parse("2026-03-01").unwrap();
        assert_eq!(d.to_string(), "2026-03-01");
        assert_eq!(Date::from_days(d.to_days()), Some(d));
        assert_eq!(Date::from_days(0), Date::new(1970, 1, 1));
        assert!(Date::parse("2026-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2026-3-01").is_none());
        assert_eq!(d.add_days(-1), Date::new(2026, 2, 28));
    }

    #[test]
    fn weekdays() {
        assert_eq!(Date::new(2026, 3, 2).unwrap().weekday(), 1); // Monday
        assert_eq!(Date::new(2026, 3, 1).unwrap().weekday(), 7); // Sunday
        assert_eq!(Date::new(2000, 1, 1).unwrap().weekday(), 6); // Saturday
    }

    #[test]
    fn datetimes() {
        let t = DateTime::parse("2026-03-01T14:05+08:00").unwrap();
        assert_eq!((t.hour, t.minute, t.second), (14, 5, 0));
        assert_eq!(t.offset, "+08:00");
        assert!(DateTime::parse("2026-03-01 14:05:09").is_some());
        assert!(DateTime::parse("2026-03-01T24:00").is_none());
        assert!(DateTime::parse("2026-03-01").is_none());
        assert!(DateTime::parse("2026-03-01T14:05+8").is_none());
    }
}
