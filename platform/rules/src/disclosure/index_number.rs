//! Index numbers (索引号), unique within an agency, made from a tenant pattern.
//!
//! A pattern is literal text with placeholders:
//! - `{org}`  the agency's code (often its unified social credit code),
//! - `{year}` the four-digit year,
//! - `{cat}`  the catalog category code,
//! - `{seq}`  the sequence number; `{seq:05}` pads it with zeros to 5 digits.
//!
//! `{seq}` is mandatory: without it two items would get the same number.
//! Example: `{org}/{year}-{seq:05}` → `11341702486344515H/2021-00013`.
//! A sequence longer than its width is printed in full, never truncated (truncation would
//! make numbers collide).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The largest zero-padding width accepted for `{seq:0N}`.
pub const MAX_SEQ_WIDTH: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Org,
    Year,
    Category,
    Seq { width: usize },
}

/// A validated pattern. Keeps its source text for display and storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPattern {
    source: String,
    parts: Vec<Part>,
}

/// Why a pattern is not valid. Positions are char offsets in the pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("unknown placeholder {{{name}}} at position {at}; use {{org}}, {{year}}, {{cat}} or {{seq}}")]
    UnknownPlaceholder { name: String, at: usize },
    #[error("the pattern must contain {{seq}} so that numbers are unique")]
    MissingSeq,
    #[error("{{seq}} appears more than once")]
    RepeatedSeq,
    #[error("'{{' at position {at} is not closed")]
    Unclosed { at: usize },
    #[error("'}}' at position {at} has no matching '{{'")]
    UnmatchedClose { at: usize },
    #[error("bad format \"{spec}\" for {{{name}}}: only {{seq:0N}} with N from 1 to {max} is allowed", max = MAX_SEQ_WIDTH)]
    BadFormat { name: String, spec: String },
}

/// The values for one index number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexFields {
    pub org: String,
    pub year: i32,
    pub category: String,
    pub seq: u64,
}

/// Why a number could not be made from valid fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("the pattern uses {{{0}}} but no value was given")]
    EmptyValue(&'static str),
    #[error("year {0} is not a four-digit year")]
    BadYear(i32),
}

impl IndexPattern {
    pub fn parse(pattern: &str) -> Result<Self, PatternError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '{' => {
                    let close = chars[i + 1..]
                        .iter()
                        .position(|&c| c == '}' || c == '{')
                        .map(|p| p + i + 1)
                        .filter(|&p| chars[p] == '}')
                        .ok_or(PatternError::Unclosed { at: i })?;
                    let inner: String = chars[i + 1..close].iter().collect();
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(placeholder(&inner, i)?);
                    i = close + 1;
                }
                '}' => return Err(PatternError::UnmatchedClose { at: i }),
                c => {
                    literal.push(c);
                    i += 1;
                }
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        match parts
            .iter()
            .filter(|p| matches!(p, Part::Seq { .. }))
            .count()
        {
            0 => return Err(PatternError::MissingSeq),
            1 => {}
            _ => return Err(PatternError::RepeatedSeq),
        }
        Ok(IndexPattern {
            source: pattern.to_string(),
            parts,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern uses `{cat}` (then items need a category to get a number).
    pub fn uses_category(&self) -> bool {
        self.parts.contains(&Part::Category)
    }

    /// Whether the pattern uses `{year}` (then the sequence usually restarts each year;
    /// the caller picks the sequence, this is a hint for it).
    pub fn uses_year(&self) -> bool {
        self.parts.contains(&Part::Year)
    }

    pub fn format(&self, fields: &IndexFields) -> Result<String, FormatError> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Org => out.push_str(non_empty(&fields.org, "org")?),
                Part::Category => out.push_str(non_empty(&fields.category, "cat")?),
                Part::Year => {
                    if !(1000..=9999).contains(&fields.year) {
                        return Err(FormatError::BadYear(fields.year));
                    }
                    out.push_str(&fields.year.to_string());
                }
                Part::Seq { width } => out.push_str(&format!("{:0width$}", fields.seq)),
            }
        }
        Ok(out)
    }
}

fn non_empty<'a>(value: &'a str, name: &'static str) -> Result<&'a str, FormatError> {
    let v = value.trim();
    if v.is_empty() {
        Err(FormatError::EmptyValue(name))
    } else {
        Ok(v)
    }
}

fn placeholder(inner: &str, at: usize) -> Result<Part, PatternError> {
    let (name, spec) = match inner.split_once(':') {
        Some((n, s)) => (n.trim(), Some(s.trim())),
        None => (inner.trim(), None),
    };
    let bad_format = || PatternError::BadFormat {
        name: name.to_string(),
        spec: spec.unwrap_or_default().to_string(),
    };
    let part = match name {
        "org" => Part::Org,
        "year" => Part::Year,
        "cat" => Part::Category,
        "seq" => {
            let width = match spec {
                None => 0,
                Some(s) => {
                    let digits = s.strip_prefix('0').ok_or_else(bad_format)?;
                    let w: usize = digits.parse().map_err(|_| bad_format())?;
                    if !(1..=MAX_SEQ_WIDTH).contains(&w) {
                        return Err(bad_format());
                    }
                    w
                }
            };
            return Ok(Part::Seq { width });
        }
        _ => {
            return Err(PatternError::UnknownPlaceholder {
                name: name.to_string(),
                at,
            })
        }
    };
    if spec.is_some() {
        return Err(bad_format());
    }
    Ok(part)
}

impl FromStr for IndexPattern {
    type Err = PatternError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IndexPattern::parse(s)
    }
}

impl fmt::Display for IndexPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Parses `pattern` and formats one number: for one-off use (tests, previews).
pub fn format_index_number(pattern: &str, fields: &IndexFields) -> Result<String, IndexError> {
    Ok(IndexPattern::parse(pattern)?.format(fields)?)
}

/// Either error of [`format_index_number`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Pattern(#[from] PatternError),
    #[error(transparent)]
    Format(#[from] FormatError),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(seq: u64) -> IndexFields {
        IndexFields {
            org: "11341702486344515H".into(),
            year: 2021,
            category: "GKML-03".into(),
            seq,
        }
    }

    #[test]
    fn formats() {
        let cases = [
            ("{org}-{year}-{seq:05}", 13, "11341702486344515H-2021-00013"),
            ("{org}/{year}-{seq:05}", 13, "11341702486344515H/2021-00013"),
            (
                "{org}-{cat}-{year}-{seq}",
                7,
                "11341702486344515H-GKML-03-2021-7",
            ),
            ("{seq:03}", 5, "005"),
            ("{seq:03}", 12345, "12345"), // longer than the width: printed in full
            ("索引号{year}第{seq:04}号", 1, "索引号2021第0001号"),
            ("{ seq : 02 }", 3, "03"),
        ];
        for (pattern, seq, want) in cases {
            assert_eq!(
                format_index_number(pattern, &fields(seq)).unwrap(),
                want,
                "{pattern}"
            );
        }
    }

    #[test]
    fn pattern_errors() {
        let cases = [
            ("{org}-{year}", PatternError::MissingSeq),
            ("", PatternError::MissingSeq),
            ("{seq}-{seq}", PatternError::RepeatedSeq),
            (
                "{org}-{month}-{seq}",
                PatternError::UnknownPlaceholder {
                    name: "month".into(),
                    at: 6,
                },
            ),
            (
                "{}{seq}",
                PatternError::UnknownPlaceholder {
                    name: "".into(),
                    at: 0,
                },
            ),
            ("{org-{seq}", PatternError::Unclosed { at: 0 }),
            ("{seq", PatternError::Unclosed { at: 0 }),
            ("{seq}}", PatternError::UnmatchedClose { at: 5 }),
            (
                "{seq:5}",
                PatternError::BadFormat {
                    name: "seq".into(),
                    spec: "5".into(),
                },
            ),
            (
                "{seq:0x}",
                PatternError::BadFormat {
                    name: "seq".into(),
                    spec: "0x".into(),
                },
            ),
            (
                "{seq:013}",
                PatternError::BadFormat {
                    name: "seq".into(),
                    spec: "013".into(),
                },
            ),
            (
                "{year:04}-{seq}",
                PatternError::BadFormat {
                    name: "year".into(),
                    spec: "04".into(),
                },
            ),
        ];
        for (pattern, want) in cases {
            assert_eq!(IndexPattern::parse(pattern), Err(want), "{pattern}");
        }
    }

    #[test]
    fn error_messages_are_clear() {
        let e = IndexPattern::parse("{org}-{month}-{seq}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown placeholder {month} at position 6; use {org}, {year}, {cat} or {seq}"
        );
        assert_eq!(
            IndexPattern::parse("{org}").unwrap_err().to_string(),
            "the pattern must contain {seq} so that numbers are unique"
        );
    }

    #[test]
    fn format_errors() {
        let p: IndexPattern = "{org}-{cat}-{year}-{seq}".parse().unwrap();
        assert!(p.uses_category() && p.uses_year());
        assert_eq!(p.to_string(), "{org}-{cat}-{year}-{seq}");
        let mut f = fields(1);
        f.category = " ".into();
        assert_eq!(p.format(&f), Err(FormatError::EmptyValue("cat")));
        let mut f = fields(1);
        f.org.clear();
        assert_eq!(p.format(&f), Err(FormatError::EmptyValue("org")));
        let mut f = fields(1);
        f.year = 21;
        assert_eq!(p.format(&f), Err(FormatError::BadYear(21)));
        // A pattern without {cat} does not need a category.
        let p = IndexPattern::parse("{org}-{seq}").unwrap();
        assert!(!p.uses_category());
        let mut f = fields(2);
        f.category.clear();
        assert_eq!(p.format(&f).unwrap(), "11341702486344515H-2");
    }
}
