//! Document numbers (文号): `湘政办发〔2025〕12号`, `国办函[2020]109号`, `2025年第3号`.
//!
//! Segmentation alone would find `2025`, `12` and `号` anywhere in a text, and `112号` would
//! share the `号`. So a year and a serial number written as a document number make one
//! term of their own, `dn{year}x{serial}` (serial without leading zeros), in the index
//! wherever such a number is written (the item's number, or a body citing it) and in a
//! query that contains one. `2025 12号`, `〔2025〕12号`, `[2025]012号` and the full number
//! all give `dn2025x12`.
//!
//! Recognised in folded text (see [`crate::fold`]: brackets are spaces there): four digits
//! of a year (1949–2099) standing alone, optional `年`, optional `第`, one to six digits,
//! `号`, with any spaces between.

/// A document number found in folded text: its term and the character range it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub term: String,
    /// Character indexes in the folded text: `start..end`.
    pub start: usize,
    pub end: usize,
}

pub fn term(year: u32, serial: u64) -> String {
    format!("dn{year}x{serial}")
}

/// Every document number in `folded` (folded text), left to right.
pub fn find(folded: &str) -> Vec<Found> {
    let chars: Vec<char> = folded.chars().collect();
    let digits_at =
        |i: usize| -> usize { chars[i..].iter().take_while(|c| c.is_ascii_digit()).count() };
    let skip_spaces = |mut i: usize| {
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let n = digits_at(i);
        let found = (|| {
            if n != 4 {
                return None;
            }
            let year: u32 = chars[i..i + 4].iter().collect::<String>().parse().ok()?;
            if !(1949..=2099).contains(&year) {
                return None;
            }
            let mut j = skip_spaces(i + 4);
            if chars.get(j) == Some(&'年') {
                j = skip_spaces(j + 1);
            }
            if chars.get(j) == Some(&'第') {
                j = skip_spaces(j + 1);
            }
            // The year must be set apart: `2025 12号`, `2025年12号`, not `202512号`.
            if j == i + 4 {
                return None;
            }
            let m = digits_at(j);
            if m == 0 || m > 6 {
                return None;
            }
            let serial: u64 = chars[j..j + m].iter().collect::<String>().parse().ok()?;
            let k = skip_spaces(j + m);
            (chars.get(k) == Some(&'号')).then(|| Found {
                term: term(year, serial),
                start: i,
                end: k + 1,
            })
        })();
        match found {
            Some(f) => {
                i = f.end;
                out.push(f);
            }
            None => i += n,
        }
    }
    out
}

/// The document-number terms of a folded text.
pub fn doc_number_terms(folded: &str) -> Vec<String> {
    find(folded).into_iter().map(|f| f.term).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold;

    fn terms(text: &str) -> Vec<String> {
        doc_number_terms(&fold(text))
    }

    #[test]
    fn the_usual_forms_give_one_term() {
        for text in [
            "湘政办发〔2025〕12号",
            "〔2025〕12号",
            "2025 12号",
            "[2025]12号",
            "［２０２５］１２號",
            "(2025)012号",
            "2025年第12号",
            "2025年12号",
        ] {
            assert_eq!(terms(text), vec!["dn2025x12".to_string()], "{text}");
        }
    }

    #[test]
    fn other_numbers_are_not_document_numbers() {
        for text in [
            "2025年12月12号",
            "202512号",
            "12号楼",
            "20251 12号",
            "1850 3号",
            "2025年",
        ] {
            assert!(terms(text).is_empty(), "{text}");
        }
        assert_eq!(terms("〔2025〕112号"), vec!["dn2025x112".to_string()]);
    }

    #[test]
    fn several_numbers_in_a_body() {
        assert_eq!(
            terms("根据《通知》（国办函〔2020〕109号）和湘政发〔2019〕3号"),
            vec!["dn2020x109".to_string(), "dn2019x3".to_string()]
        );
    }

    #[test]
    fn the_span_covers_year_to_hao() {
        let folded = fold("湘政办发〔2025〕12号文");
        let f = &find(&folded)[0];
        let span: String = folded.chars().skip(f.start).take(f.end - f.start).collect();
        assert_eq!(span, "2025 12号");
    }
}
