//! Children's data on the public page (个人信息保护法 art. 28: data of children
//! under 14 is sensitive): names become the surname and one `*`, registration
//! numbers keep only their ends, ID numbers are never accepted.

/// Two-character surnames kept whole ("欧阳*", not "欧*").
const COMPOUND_SURNAMES: [&str; 20] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "呼延",
];

/// "张三丰" → "张*", "欧阳修" → "欧阳*", "" → "". Always exactly one `*`, so
/// the length of the given name is not revealed either.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let two: String = chars.iter().take(2).collect();
    let keep = if chars.len() >= 3 && COMPOUND_SURNAMES.contains(&two.as_str()) {
        2
    } else {
        1
    };
    let mut out: String = chars[..keep.min(chars.len())].iter().collect();
    out.push('*');
    out
}

/// A registration number with its middle starred: 8 or more characters keep
/// the first 4 and last 2 ("2026010123" → "2026****23"), 3 to 7 keep the first
/// and last, shorter ones are all stars.
pub fn mask_number(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    let n = chars.len();
    let (head, tail) = match n {
        0..=2 => (0, 0),
        3..=7 => (1, 1),
        _ => (4, 2),
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { *c } else { '*' })
        .collect()
}

/// Whether `text` contains something shaped like a resident ID number (GB 11643):
/// 17 digits and a digit or X, not part of a longer run of digits. The shape is
/// enough: an invalid check digit is still somebody's mistyped ID number.
pub fn contains_id_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - start;
        let x = i < b.len() && (b[i] == b'X' || b[i] == b'x');
        if digits == 18 || (digits == 17 && x) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_the_surname_only() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张三丰"), "张*");
        assert_eq!(mask_name("欧阳修"), "欧阳*");
        // Two characters starting like a compound surname: 欧 is the surname.
        assert_eq!(mask_name("欧阳"), "欧*");
        assert_eq!(mask_name("李"), "李*");
        assert_eq!(mask_name(" 王小明 "), "王*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn numbers_keep_their_ends() {
        assert_eq!(mask_number("2026010123"), "2026****23");
        assert_eq!(mask_number("20260101"), "2026**01");
        assert_eq!(mask_number("1234567"), "1*****7");
        assert_eq!(mask_number("123"), "1*3");
        assert_eq!(mask_number("12"), "**");
        assert_eq!(mask_number(""), "");
    }

    #[test]
    fn id_numbers_by_shape() {
        assert!(contains_id_number("11010519491231002X"));
        assert!(contains_id_number("身份证 110105194912310021 号"));
        assert!(contains_id_number("11010520150101123x"));
        assert!(!contains_id_number("1101051949123100")); // 16 digits
        assert!(!contains_id_number("1101051949123100211")); // 19 digits
        assert!(!contains_id_number("2026010123"));
    }
}
