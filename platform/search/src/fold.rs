//! Folding: the form in which text is segmented, indexed and matched.
//!
//! One character at a time, so that a snippet can map a match in the folded text back
//! to the characters the reader sees ([`fold_char`]): NFKC (full-width `Ａ１２` is `a12`,
//! `（` is `(`), lower case, then OpenCC's traditional-to-simplified character table
//! (`號` is `号`, `關於` is `关于`). A character that is neither a letter nor a digit
//! becomes a space: punctuation, brackets of document numbers (〔〕), symbols.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

static TABLE: &str = include_str!("../data/ts_characters.txt");

fn simplified() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::with_capacity(4200);
        for line in TABLE.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut parts = line.split('\t');
            let (Some(from), Some(to)) = (parts.next(), parts.next()) else {
                continue;
            };
            let mut from_chars = from.chars();
            let (Some(f), None) = (from_chars.next(), from_chars.next()) else {
                continue;
            };
            // The first of the listed forms is the usual one.
            let first = to.split(' ').next().unwrap_or_default();
            let mut to_chars = first.chars();
            if let (Some(t), None) = (to_chars.next(), to_chars.next()) {
                map.insert(f, t);
            }
        }
        map
    })
}

/// The folded form of one character (usually one character; NFKC may give several,
/// e.g. `㈱` is `(株)`, folded ` 株 `).
pub fn fold_char(c: char, out: &mut String) {
    let map = simplified();
    for n in std::iter::once(c).nfkc() {
        for l in n.to_lowercase() {
            let s = map.get(&l).copied().unwrap_or(l);
            if s.is_alphanumeric() {
                out.push(s);
            } else {
                out.push(' ');
            }
        }
    }
}

/// The folded form of a text.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_becomes_simplified() {
        assert_eq!(
            fold("關於規範公務用車管理的通知"),
            "关于规范公务用车管理的通知"
        );
        assert_eq!(fold("營商環境"), "营商环境");
        assert_eq!(fold("號"), "号");
    }

    #[test]
    fn full_width_becomes_half_width_and_lower_case() {
        assert_eq!(fold("ＡＢＣ１２３"), "abc123");
        assert_eq!(fold("GB 11643"), "gb 11643");
    }

    #[test]
    fn punctuation_and_brackets_become_spaces() {
        assert_eq!(fold("〔2025〕12号"), " 2025 12号");
        assert_eq!(fold("［2025］12号"), " 2025 12号");
        assert_eq!(fold("《通知》，"), " 通知  ");
        assert_eq!(fold("<script>"), " script ");
    }

    #[test]
    fn simplified_text_is_unchanged() {
        let text = "拆迁补偿标准";
        assert_eq!(fold(text), text);
    }
}
