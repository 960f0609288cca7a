//! Money in 元 with two decimals, held as whole fen (分) so sums are exact.

use gongkai_plugin_sdk::Value;
use std::fmt;

/// An amount in fen (1 元 = 100 分); never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Yuan(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    /// Not a plain decimal number ("12,3", "1e5", "abc").
    NotANumber,
    Negative,
    /// More than two decimals ("12.345").
    TooPrecise,
    TooLarge,
}

impl Yuan {
    /// Reads a money value as the fields carry it: a string holding a decimal
    /// ("12.34") or a JSON number (read from its text, never through a float).
    pub fn from_value(v: &Value) -> Result<Yuan, MoneyError> {
        match v {
            Value::String(s) => Yuan::parse(s.trim()),
            Value::Number(n) => Yuan::parse(&n.to_string()),
            _ => Err(MoneyError::NotANumber),
        }
    }

    pub fn parse(s: &str) -> Result<Yuan, MoneyError> {
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(frac)
            || (body.contains('.') && frac.is_empty())
        {
            return Err(MoneyError::NotANumber);
        }
        if negative {
            return Err(MoneyError::Negative);
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::TooLarge)?;
        let fen: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(fen))
            .map(Yuan)
            .ok_or(MoneyError::TooLarge)
    }

    /// The amount as a JSON number in 元 (OCDS `amount`).
    pub fn to_json_number(self) -> Value {
        if self.0 % 100 == 0 {
            Value::from(self.0 / 100)
        } else {
            Value::from(self.0 as f64 / 100.0)
        }
    }
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl std::ops::Add for Yuan {
    type Output = Yuan;
    fn add(self, other: Yuan) -> Yuan {
        Yuan(self.0.saturating_add(other.0))
    }
}
