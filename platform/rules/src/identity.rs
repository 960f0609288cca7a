//! Checks of identity numbers written in Chinese documents: the resident ID (GB 11643), the
//! unified social credit code (GB 32100), bank card numbers (Luhn) and mobile numbers. The
//! confidentiality scan looks for them in text; request intake checks the applicant's.
//!
//! Full-width forms (０-９, Ａ-Ｚ) are read as their ASCII equivalents ([`normalize`]), since
//! Chinese documents often contain them.

use chrono::{Datelike, NaiveDate};

/// GB 11643 check character for the first 17 digits, `None` if they are not 17 digits.
pub fn resident_id_check_char(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let digits: Vec<u32> = first17
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    Some(CHECK[(sum % 11) as usize])
}

/// Whether `s` is an 18-character resident ID with a correct check character (`x` accepted
/// for `X`) and a real birth date between 1900-01-01 and `today`.
pub fn is_resident_id(s: &str, today: NaiveDate) -> bool {
    let s: String = s.chars().map(normalize).collect();
    if s.chars().count() != 18 || !s.is_ascii() {
        return false;
    }
    let (first17, check) = s.split_at(17);
    let Some(expected) = resident_id_check_char(first17) else {
        return false;
    };
    if !check.eq_ignore_ascii_case(&expected.to_string()) {
        return false;
    }
    let Ok(birth) = NaiveDate::parse_from_str(&first17[6..14], "%Y%m%d") else {
        return false;
    };
    birth.year() >= 1900 && birth <= today
}

/// Whether `s` is a unified social credit code (GB 32100) with a correct check character.
pub fn is_credit_code(s: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    // 3^i mod 31, the weights of positions 1..=17.
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let values: Option<Vec<usize>> = s
        .chars()
        .map(|c| ALPHABET.find(normalize(c).to_ascii_uppercase()))
        .collect();
    let Some(values) = values else {
        return false;
    };
    if values.len() != 18 {
        return false;
    }
    let sum: usize = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    values[17] == check
}

/// Luhn check over a string of ASCII digits (false if anything else is present).
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let dd = d * 2;
                if dd > 9 {
                    dd - 9
                } else {
                    dd
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An 11-digit mainland mobile number (`1[3-9]…`), digits only.
pub fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
}

/// A bank card number: 16–19 digits passing the Luhn check.
pub fn is_bank_card(digits: &str) -> bool {
    (16..=19).contains(&digits.len()) && luhn_valid(digits)
}

/// Full-width ASCII forms and the ideographic space to ASCII; everything else unchanged.
pub fn normalize(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
    }

    #[test]
    fn gb11643_standard_examples() {
        // Examples printed in GB 11643-1999.
        assert!(is_resident_id("11010519491231002X", today()));
        assert!(is_resident_id("11010519491231002x", today()));
        assert!(!is_resident_id("440524188001010014", today())); // born 1880, before 1900
        assert_eq!(resident_id_check_char("44052418800101001"), Some('4'));
        assert_eq!(resident_id_check_char("4405241880010100"), None);
    }

    #[test]
    fn credit_code_check() {
        assert!(is_credit_code("91350100M000100Y43"));
        assert!(!is_credit_code("91350100M000100Y44"));
        assert!(!is_credit_code("91350100M000100Y4"));
        assert!(!is_credit_code("91350100I000100Y43")); // I is not in the alphabet
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid("4111111111111111"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("41111111 1111111"));
        assert!(!luhn_valid(""));
    }
}
