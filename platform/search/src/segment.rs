//! Chinese word segmentation with jieba (search mode: a long word and the dictionary
//! words inside it, `中华人民共和国` also as `中华`, `华人`, `人民`, `共和`, `共和国`).
//!
//! HMM is off on both sides: the hidden Markov model guesses unknown words from their
//! context, so a title and a query containing the same words could be cut differently;
//! without it an unknown word falls apart into single characters, the same in both.
//! The text is folded first ([`crate::fold`]), so every term is letters and digits only,
//! which FTS5's `ascii` tokenizer and a `tsvector` literal both keep as they are.

use std::sync::OnceLock;

use jieba_rs::Jieba;

use crate::docnumber;
use crate::fold::fold;

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Loads the dictionary now (it takes a few hundred milliseconds), e.g. at start-up.
pub fn warm_up() {
    jieba();
}

/// The terms of folded text, in order, repeated as they occur.
fn cut(folded: &str, out: &mut Vec<String>) {
    for run in folded.split(' ').filter(|r| !r.is_empty()) {
        for token in jieba().cut_for_search(run, false) {
            let word = token.word.trim();
            if !word.is_empty() && word.chars().all(char::is_alphanumeric) {
                out.push(word.to_string());
            }
        }
    }
}

/// The index terms of a text, in order (positions matter to the ranking): its words,
/// then its document numbers' terms.
pub fn index_terms(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    cut(&folded, &mut out);
    out.extend(docnumber::doc_number_terms(&folded));
    out
}

/// Words that say nothing on their own; left out of a query that has other words.
const STOP: &[&str] = &[
    "的", "了", "和", "与", "及", "或", "在", "是", "之", "其", "对", "等", "有", "中",
];

/// At most this many terms in a query; the rest are ignored.
pub const MAX_QUERY_TERMS: usize = 16;

/// The parts of a long word that the index holds when the word itself was cut otherwise
/// in its context (`常务会议` in `县政府常务会议纪要` is indexed as `常务`, `会议纪要`, `会议`…):
/// the dictionary words inside it, tiling it from left to right, longest first, a single
/// character where none starts. Empty for a word of one or two characters, or one that
/// has no smaller words.
pub fn parts_of(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() <= 2 || !chars.iter().all(|c| !c.is_ascii()) {
        return Vec::new();
    }
    let subs: Vec<(usize, usize)> = jieba()
        .cut_for_search(word, false)
        .into_iter()
        .map(|t| (t.start, t.end))
        .filter(|(s, e)| e - s >= 2 && e - s < chars.len())
        .collect();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let end = subs
            .iter()
            .filter(|(s, _)| *s == i)
            .map(|(_, e)| *e)
            .max()
            .unwrap_or(i + 1);
        parts.push(chars[i..end].iter().collect::<String>());
        i = end;
    }
    if parts.len() <= 1 {
        return Vec::new();
    }
    parts
}

/// The distinct terms a query must match, in order: a document number in it is one
/// term, the rest is segmented like the index (precise mode: the long words; the index
/// holds those and the words inside them).
pub fn query_terms(q: &str) -> Vec<String> {
    let folded = fold(q);
    let numbers = docnumber::find(&folded);
    let mut rest: Vec<char> = folded.chars().collect();
    for f in &numbers {
        for c in &mut rest[f.start..f.end] {
            *c = ' ';
        }
    }
    let rest: String = rest.into_iter().collect();
    let mut out: Vec<String> = Vec::new();
    for run in rest.split(' ').filter(|r| !r.is_empty()) {
        for token in jieba().cut(run, false) {
            let word = token.word.trim();
            if !word.is_empty() && word.chars().all(char::is_alphanumeric) {
                out.push(word.to_string());
            }
        }
    }
    out.extend(numbers.into_iter().map(|f| f.term));
    let mut seen = std::collections::HashSet::new();
    out.retain(|t| seen.insert(t.clone()));
    if out.iter().any(|t| !STOP.contains(&t.as_str())) {
        out.retain(|t| !STOP.contains(&t.as_str()));
    }
    out.truncate(MAX_QUERY_TERMS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_all(index: &[String], query: &[String]) -> bool {
        query.iter().all(|q| index.contains(q))
    }

    #[test]
    fn a_query_finds_the_words_of_a_title() {
        let title = index_terms("关于规范公务用车管理的实施意见");
        for q in ["公务用车", "公务 用车", "实施意见", "用车管理", "规范"] {
            let terms = query_terms(q);
            assert!(!terms.is_empty(), "{q}");
            assert!(has_all(&title, &terms), "{q}: {terms:?} in {title:?}");
        }
    }

    #[test]
    fn traditional_and_full_width_queries_match() {
        let title = index_terms("2025年度部门预算公开说明");
        assert!(has_all(&title, &query_terms("２０２５年度部門預算")));
        let title = index_terms("营商环境优化实施意见");
        assert!(has_all(&title, &query_terms("營商環境")));
    }

    #[test]
    fn document_numbers_are_one_term_in_queries() {
        let index = index_terms("湘政办发〔2025〕12号");
        assert!(index.contains(&"dn2025x12".to_string()));
        assert_eq!(query_terms("2025 12号"), vec!["dn2025x12"]);
        assert_eq!(query_terms("〔2025〕12号"), vec!["dn2025x12"]);
        let exact = query_terms("湘政办发〔2025〕12号");
        assert!(exact.contains(&"dn2025x12".to_string()));
        assert!(has_all(&index, &exact), "{exact:?} in {index:?}");
        assert!(!index_terms("湘政办发〔2025〕112号").contains(&"dn2025x12".to_string()));
    }

    #[test]
    fn stop_words_go_unless_alone() {
        assert_eq!(query_terms("公务用车的"), query_terms("公务用车"));
        assert_eq!(query_terms("的"), vec!["的"]);
    }

    #[test]
    fn terms_are_letters_and_digits_only() {
        for t in index_terms("C++ 与 <b>WES-5.4</b> 'x' \"y\" 关于；拆迁") {
            assert!(t.chars().all(char::is_alphanumeric), "{t}");
        }
        for t in query_terms("a' OR 1=1 -- \"; DROP") {
            assert!(t.chars().all(char::is_alphanumeric), "{t}");
        }
    }

    #[test]
    fn queries_are_bounded() {
        let long = "公务 ".repeat(10) + &(0..40).map(|i| format!("w{i} ")).collect::<String>();
        assert!(query_terms(&long).len() <= MAX_QUERY_TERMS);
        assert!(query_terms("   ，。  ").is_empty());
    }
}
