//! A query and a document as each backend takes them.
//!
//! Both backends get the same terms (letters and digits only, from [`crate::segment`]):
//! SQLite as FTS5 columns of space-separated terms (the `ascii` tokenizer keeps them as
//! they are) and a MATCH of quoted terms; PostgreSQL as a `tsvector` literal with positions
//! and weights and a `tsquery` literal, both taken verbatim (no text search configuration
//! parses them), so neither backend's parser can cut a term differently.

use crate::segment::{index_terms, parts_of, query_terms};

/// A query's longest accepted length, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// Nothing to search for once punctuation is set aside.
    Empty,
    /// More than [`MAX_QUERY_CHARS`] characters.
    TooLong,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Empty => write!(f, "no words to search for"),
            QueryError::TooLong => write!(f, "at most {MAX_QUERY_CHARS} characters"),
        }
    }
}

impl std::error::Error for QueryError {}

/// What a result must contain for one word of the query: the word, or else all of its
/// parts ([`crate::segment::parts_of`]; none for a short word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub term: String,
    pub parts: Vec<String>,
}

/// The words every result must contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub groups: Vec<Group>,
    /// Every term and part, once each: what snippets mark.
    pub terms: Vec<String>,
}

impl Query {
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong);
        }
        let words = query_terms(text);
        if words.is_empty() {
            return Err(QueryError::Empty);
        }
        let groups: Vec<Group> = words
            .into_iter()
            .map(|term| Group {
                parts: parts_of(&term),
                term,
            })
            .collect();
        let mut terms: Vec<String> = Vec::new();
        for g in &groups {
            for t in std::iter::once(&g.term).chain(&g.parts) {
                if !terms.contains(t) {
                    terms.push(t.clone());
                }
            }
        }
        Ok(Query { groups, terms })
    }

    /// FTS5 MATCH text: every word quoted (terms hold no quote), all required, each
    /// word or else all its parts.
    pub fn fts5_match(&self) -> String {
        let quote = |t: &String| format!("\"{t}\"");
        self.groups
            .iter()
            .map(|g| {
                if g.parts.is_empty() {
                    quote(&g.term)
                } else {
                    let parts: Vec<String> = g.parts.iter().map(quote).collect();
                    format!("({} OR ({}))", quote(&g.term), parts.join(" AND "))
                }
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The FTS5 MATCH text restricted to the given scope tokens (see [`scope_token`]).
    pub fn fts5_match_in(&self, scopes: &[String]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| format!("\"{s}\"")).collect();
        format!(
            "scope : ({}) AND ({})",
            scopes.join(" OR "),
            self.fts5_match()
        )
    }

    /// A `tsquery` literal: every term quoted (terms hold no quote or backslash), all
    /// required.
    pub fn tsquery(&self) -> String {
        let quote = |t: &String| format!("'{t}'");
        self.groups
            .iter()
            .map(|g| {
                if g.parts.is_empty() {
                    quote(&g.term)
                } else {
                    let parts: Vec<String> = g.parts.iter().map(quote).collect();
                    format!("({} | ({}))", quote(&g.term), parts.join(" & "))
                }
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }
}

/// The token that puts a tenant's documents in its scope in FTS5 (ids are UUIDs: hex
/// digits once the dashes are gone).
pub fn scope_token(tenant_id: &str) -> String {
    let hex: String = tenant_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    format!("t{hex}")
}

/// How much a field counts (PostgreSQL's weights A–D; FTS5 column weights follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// The title.
    A,
    /// Document and index numbers.
    B,
    /// The issuing body and the fields of the kind.
    C,
    /// The body and the attachments' text.
    D,
}

impl Weight {
    fn letter(self) -> char {
        match self {
            Weight::A => 'A',
            Weight::B => 'B',
            Weight::C => 'C',
            Weight::D => 'D',
        }
    }
}

/// Positions in a `tsvector` run from 1 to this; later words share the last.
const MAX_POSITION: usize = 16_383;
/// A lexeme keeps at most this many positions in a `tsvector`.
const MAX_POSITIONS_PER_TERM: usize = 255;
/// The text of one document that is indexed, in characters; the rest is not.
pub const MAX_INDEXED_CHARS: usize = 200_000;

/// A field of a document: its weight and its terms, in order.
#[derive(Debug, Clone)]
pub struct Field {
    pub weight: Weight,
    pub terms: Vec<String>,
}

/// What is indexed of one published item: its fields' terms.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub fields: Vec<Field>,
}

impl Document {
    /// Adds a field's text (cut at [`MAX_INDEXED_CHARS`] characters over the document).
    pub fn add(&mut self, weight: Weight, text: &str) {
        let used: usize = self
            .fields
            .iter()
            .map(|f| f.terms.iter().map(|t| t.chars().count()).sum::<usize>())
            .sum();
        let left = MAX_INDEXED_CHARS.saturating_sub(used);
        if left == 0 || text.trim().is_empty() {
            return;
        }
        let text: String = text.chars().take(left).collect();
        self.fields.push(Field {
            weight,
            terms: index_terms(&text),
        });
    }

    /// The space-separated terms of the fields of one weight (an FTS5 column).
    pub fn column(&self, weight: Weight) -> String {
        self.fields
            .iter()
            .filter(|f| f.weight == weight)
            .flat_map(|f| f.terms.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `tsvector` literal: each term with its positions and its fields' weight.
    pub fn tsvector(&self) -> String {
        use std::collections::BTreeMap;
        let mut lexemes: BTreeMap<&str, Vec<(usize, char)>> = BTreeMap::new();
        let mut position = 0usize;
        for field in &self.fields {
            for term in &field.terms {
                position = (position + 1).min(MAX_POSITION);
                let positions = lexemes.entry(term.as_str()).or_default();
                if positions.len() < MAX_POSITIONS_PER_TERM
                    && positions.last().map(|p| p.0) != Some(position)
                {
                    positions.push((position, field.weight.letter()));
                }
            }
        }
        lexemes
            .into_iter()
            .map(|(term, positions)| {
                let list: Vec<String> = positions
                    .iter()
                    .map(|(p, w)| {
                        if *w == 'D' {
                            p.to_string()
                        } else {
                            format!("{p}{w}")
                        }
                    })
                    .collect();
                format!("'{term}':{}", list.join(","))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Every distinct term (for tests and the index's size).
    pub fn terms(&self) -> std::collections::BTreeSet<&str> {
        self.fields
            .iter()
            .flat_map(|f| f.terms.iter().map(String::as_str))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors() {
        assert_eq!(Query::parse("  ，。 "), Err(QueryError::Empty));
        assert_eq!(Query::parse(""), Err(QueryError::Empty));
        assert_eq!(Query::parse(&"政".repeat(101)), Err(QueryError::TooLong));
        assert!(Query::parse(&"政".repeat(100)).is_ok());
    }

    #[test]
    fn match_texts_quote_every_term() {
        let q = Query::parse("公务用车 2025 12号").unwrap();
        assert!(q.fts5_match().contains("\"dn2025x12\""));
        assert!(q.tsquery().contains("'dn2025x12'"));
        assert!(q.tsquery().contains(" & "));
        let scoped = q.fts5_match_in(&[scope_token("0190-AB")]);
        assert!(
            scoped.starts_with("scope : (\"t0190ab\") AND ("),
            "{scoped}"
        );
    }

    #[test]
    fn a_long_word_may_match_by_its_parts() {
        let q = Query::parse("常务会议").unwrap();
        assert_eq!(q.groups[0].parts, vec!["常务", "会议"]);
        assert_eq!(q.fts5_match(), "(\"常务会议\" OR (\"常务\" AND \"会议\"))");
        assert_eq!(q.tsquery(), "('常务会议' | ('常务' & '会议'))");
        assert_eq!(q.terms, vec!["常务会议", "常务", "会议"]);
        assert!(Query::parse("公告").unwrap().groups[0].parts.is_empty());
    }

    #[test]
    fn injection_stays_inside_quotes() {
        let q = Query::parse("\" OR scope : * ' | !x").unwrap();
        for t in &q.terms {
            assert!(t.chars().all(char::is_alphanumeric));
        }
    }

    #[test]
    fn tsvector_has_positions_and_weights() {
        let mut d = Document::default();
        d.add(Weight::A, "公务用车");
        d.add(Weight::D, "公务用车管理");
        let v = d.tsvector();
        assert!(v.contains("'公务':1A"), "{v}");
        assert!(v.split(' ').all(|l| l.starts_with('\'')), "{v}");
        assert!(d.column(Weight::A).contains("公务"));
        assert!(d.column(Weight::B).is_empty());
    }

    #[test]
    fn a_long_text_is_cut() {
        let mut d = Document::default();
        d.add(Weight::D, &"政府信息公开".repeat(60_000));
        let n: usize = d.fields[0].terms.iter().map(|t| t.chars().count()).sum();
        assert!(n <= MAX_INDEXED_CHARS * 2);
        d.add(Weight::D, "不再索引的文字");
        assert!(d.tsvector().len() < 1_000_000);
    }
}
