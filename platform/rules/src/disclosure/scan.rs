//! Confidentiality scan (保密审查辅助): finds personal data in text before publication.
//!
//! The scan is an aid for the human reviewer, not a verdict: it errs towards flagging.
//! All offsets are in `char`s (not bytes), because the text is mostly Chinese and the
//! console highlights by character.
//!
//! What is found (DOMAIN.md §7):
//! - resident ID numbers (GB 11643, check character and birth date verified),
//! - mobile numbers (11 digits, `1[3-9]…`, also written `138 1234 5678` / `138-1234-5678`),
//! - bank card numbers (16–19 digits passing Luhn, also in groups of 4),
//! - e-mail addresses,
//! - the tenant's sensitive words.
//!
//! An attachment the scan should read but cannot (a corrupt or encrypted PDF, a PDF with
//! no text layer) is not passed over in silence: it becomes a finding of its own,
//! [`FindingKind::Unreadable`], that a reviewer resolves like any other (see
//! the platform's `disclosure::extract`).
//!
//! A unified social credit code (GB 32100) is public and is not flagged, unless it is at the
//! same time a valid resident ID (possible only for all-digit codes): then the ID wins,
//! because a missed ID leaks personal data while a false alarm costs a reviewer a glance.
//!
//! Full-width forms (０-９, Ａ-Ｚ, ＠, －, the ideographic space) are read as their ASCII
//! equivalents, since Chinese documents often contain them. The number checks themselves
//! live in [`crate::identity`], shared with request intake.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::identity::{is_bank_card, is_credit_code, is_mobile, is_resident_id, normalize};

/// What kind of personal data a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    ResidentId,
    Mobile,
    BankCard,
    Email,
    SensitiveWord,
    /// An attachment whose text could not be read: a person must look at it.
    Unreadable,
    /// An attachment of a type the scan does not read: a person must look at it.
    Unscanned,
}

impl FindingKind {
    /// Stable name, also used in serialized findings.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::ResidentId => "resident_id",
            FindingKind::Mobile => "mobile",
            FindingKind::BankCard => "bank_card",
            FindingKind::Email => "email",
            FindingKind::SensitiveWord => "sensitive_word",
            FindingKind::Unreadable => "unreadable",
            FindingKind::Unscanned => "unscanned",
        }
    }

    /// The kind named `name` ([`FindingKind::as_str`], which is also its serde name).
    pub fn parse(name: &str) -> Option<FindingKind> {
        let name: serde::de::value::StrDeserializer<serde::de::value::Error> =
            serde::de::IntoDeserializer::into_deserializer(name);
        FindingKind::deserialize(name).ok()
    }

    /// Label for the review console.
    pub fn label_zh(self) -> &'static str {
        match self {
            FindingKind::ResidentId => "居民身份证号码",
            FindingKind::Mobile => "手机号码",
            FindingKind::BankCard => "银行卡号",
            FindingKind::Email => "电子邮箱",
            FindingKind::SensitiveWord => "敏感词",
            FindingKind::Unreadable => "附件无法读取",
            FindingKind::Unscanned => "附件未经扫描",
        }
    }

    /// Which kind wins when two candidates cover the same span.
    fn priority(self) -> u8 {
        match self {
            FindingKind::ResidentId => 0,
            FindingKind::Email => 1,
            FindingKind::BankCard => 2,
            FindingKind::Mobile => 3,
            FindingKind::SensitiveWord => 4,
            FindingKind::Unreadable => 5,
            FindingKind::Unscanned => 6,
        }
    }
}

/// One piece of personal data found in one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// The field scanned, e.g. `body` or `attachments[2].title`.
    pub field: String,
    /// Char offset of the first char.
    pub start: usize,
    /// Char offset one past the last char.
    pub end: usize,
    /// The text as written (original characters, separators included).
    pub matched: String,
}

impl Finding {
    /// The finding for an attachment (`field`, e.g. `attachments.<id>`) whose text could
    /// not be read; `matched` carries the reason, the span is empty.
    pub fn unreadable(field: impl Into<String>, reason: impl Into<String>) -> Finding {
        Finding {
            kind: FindingKind::Unreadable,
            field: field.into(),
            start: 0,
            end: 0,
            matched: reason.into(),
        }
    }

    /// The finding for an attachment of a type the scan does not read; `matched` says
    /// which type, the span is empty.
    pub fn unscanned(field: impl Into<String>, reason: impl Into<String>) -> Finding {
        Finding {
            kind: FindingKind::Unscanned,
            ..Finding::unreadable(field, reason)
        }
    }

    /// Whether this finding is about a whole attachment (no text to mask).
    pub fn is_about_a_file(kind: FindingKind) -> bool {
        matches!(kind, FindingKind::Unreadable | FindingKind::Unscanned)
    }

    /// The public rendition of this finding, see [`mask`].
    pub fn masked(&self) -> String {
        mask(self.kind, &self.matched)
    }
}

/// Scans `text` (the value of the field `field_path`) and returns non-overlapping findings
/// ordered by position. `today` bounds the birth dates of resident IDs (no clock is read here).
pub fn scan(
    field_path: &str,
    text: &str,
    sensitive_words: &[String],
    today: NaiveDate,
) -> Vec<Finding> {
    let original: Vec<char> = text.chars().collect();
    let chars: Vec<char> = original.iter().map(|&c| normalize(c)).collect();

    let mut candidates: Vec<(FindingKind, usize, usize)> = Vec::new();
    find_numbers(&chars, today, &mut candidates);
    find_emails(&chars, &mut candidates);
    find_words(&chars, sensitive_words, &mut candidates);

    // Longest first, then by kind priority, then leftmost; keep what does not overlap.
    candidates.sort_by_key(|&(kind, start, end)| {
        (std::cmp::Reverse(end - start), kind.priority(), start)
    });
    let mut kept: Vec<(FindingKind, usize, usize)> = Vec::new();
    for cand in candidates {
        if kept.iter().all(|k| cand.2 <= k.1 || cand.1 >= k.2) {
            kept.push(cand);
        }
    }
    kept.sort_by_key(|&(_, start, _)| start);

    kept.into_iter()
        .map(|(kind, start, end)| Finding {
            kind,
            field: field_path.to_string(),
            start,
            end,
            matched: original[start..end].iter().collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Finders. Each pushes (kind, start, end) candidates; `scan` resolves overlaps.

/// A maximal run of ASCII letters and digits.
struct Token {
    start: usize,
    end: usize,
    text: String,
}

impl Token {
    fn all_digits(&self) -> bool {
        self.text.bytes().all(|b| b.is_ascii_digit())
    }
}

fn tokens(chars: &[char]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            out.push(Token {
                start,
                end: i,
                text: chars[start..i].iter().collect(),
            });
        } else {
            i += 1;
        }
    }
    out
}

fn find_numbers(chars: &[char], today: NaiveDate, out: &mut Vec<(FindingKind, usize, usize)>) {
    let toks = tokens(chars);
    // A token glued to a decimal point ("3.14", "0.13812345678") belongs to a longer number.
    let in_decimal = |t: &Token| {
        let before =
            t.start >= 2 && chars[t.start - 1] == '.' && chars[t.start - 2].is_ascii_digit();
        let after =
            t.end + 1 < chars.len() && chars[t.end] == '.' && chars[t.end + 1].is_ascii_digit();
        before || after
    };

    // Single tokens: the whole token must be the number (no match inside a longer run).
    for t in &toks {
        if in_decimal(t) {
            continue;
        }
        let text = t.text.as_str();
        if text.len() == 18 && is_resident_id(text, today) {
            out.push((FindingKind::ResidentId, t.start, t.end));
            continue;
        }
        if !t.all_digits() {
            continue;
        }
        if is_mobile(text) {
            out.push((FindingKind::Mobile, t.start, t.end));
        } else if is_bank_card(text) && !is_credit_code(text) {
            out.push((FindingKind::BankCard, t.start, t.end));
        }
    }

    // Grouped forms: digit tokens separated by exactly one space or hyphen.
    let joined_by_separator =
        |a: &Token, b: &Token| b.start == a.end + 1 && matches!(chars[a.end], ' ' | '-');
    let mut i = 0;
    while i < toks.len() {
        let mut j = i;
        while j + 1 < toks.len() && joined_by_separator(&toks[j], &toks[j + 1]) {
            j += 1;
        }
        if j > i {
            grouped_candidates(&toks[i..=j], out);
        }
        i = j + 1;
    }
}

/// Tries every contiguous sub-sequence of a chain of separated tokens.
fn grouped_candidates(chain: &[Token], out: &mut Vec<(FindingKind, usize, usize)>) {
    for a in 0..chain.len() {
        for b in a + 1..chain.len() {
            let groups = &chain[a..=b];
            if !groups.iter().all(Token::all_digits) {
                break;
            }
            let lens: Vec<usize> = groups.iter().map(|t| t.text.len()).collect();
            let digits: String = groups.iter().map(|t| t.text.as_str()).collect();
            let (start, end) = (groups[0].start, groups[groups.len() - 1].end);
            if lens == [3, 4, 4] && is_mobile(&digits) {
                out.push((FindingKind::Mobile, start, end));
            }
            let (last, rest) = lens.split_last().expect("at least two groups");
            if rest.iter().all(|&l| l == 4) && (1..=4).contains(last) && is_bank_card(&digits) {
                out.push((FindingKind::BankCard, start, end));
            }
        }
    }
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

fn find_emails(chars: &[char], out: &mut Vec<(FindingKind, usize, usize)>) {
    for (at, &c) in chars.iter().enumerate() {
        if c != '@' {
            continue;
        }
        let mut start = at;
        while start > 0 && is_local_char(chars[start - 1]) {
            start -= 1;
        }
        while start < at && chars[start] == '.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < chars.len() && is_domain_char(chars[end]) {
            end += 1;
        }
        // A sentence may end right after the address: "请发送至 a@b.cn." .
        while end > at + 1 && matches!(chars[end - 1], '.' | '-') {
            end -= 1;
        }
        if start == at || end == at + 1 {
            continue;
        }
        let domain: String = chars[at + 1..end].iter().collect();
        let labels: Vec<&str> = domain.split('.').collect();
        let tld = labels[labels.len() - 1];
        let labels_ok = labels.len() >= 2
            && labels
                .iter()
                .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
        if labels_ok && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()) {
            out.push((FindingKind::Email, start, end));
        }
    }
}

fn find_words(chars: &[char], words: &[String], out: &mut Vec<(FindingKind, usize, usize)>) {
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    for word in words {
        let w: Vec<char> = word
            .trim()
            .chars()
            .map(|c| normalize(c).to_ascii_lowercase())
            .collect();
        if w.is_empty() || w.len() > lower.len() {
            continue;
        }
        for start in 0..=lower.len() - w.len() {
            if lower[start..start + w.len()] == w[..] {
                out.push((FindingKind::SensitiveWord, start, start + w.len()));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Masking.

/// The public rendition of a finding.
///
/// - Resident ID: only the first 2 characters (the province) and the last one are kept,
///   `11***************X`. The popular "first 6 + last 4" leaks the county, the sex digit and
///   the check character; with the county known, the hidden part is just a birth date and
///   the check character lets anyone test guesses, so a name plus an approximate age
///   recovers the full number. Two kept ends are enough to tell rows apart in a list.
/// - Mobile: `138****5678` (the usual public form; the middle four hide the subscriber).
/// - Bank card: only the last 4 digits, the convention of bank statements.
/// - E-mail: first char of the local part, `***`, then `@domain`.
/// - Sensitive word: one `＊` per wide (CJK) char, one `*` per other char, so that the
///   layout does not shift.
/// - Unreadable attachment: nothing (its `matched` is a reason, not text of the file).
///
/// Separators (spaces, hyphens) inside numbers are kept.
pub fn mask(kind: FindingKind, matched: &str) -> String {
    let total = matched
        .chars()
        .filter(|&c| normalize(c).is_ascii_alphanumeric())
        .count();
    match kind {
        FindingKind::ResidentId => mask_alnum(matched, |i| i < 2 || i + 1 >= total),
        FindingKind::Mobile => mask_alnum(matched, |i| !(3..7).contains(&i)),
        FindingKind::BankCard => mask_alnum(matched, |i| i + 4 >= total),
        FindingKind::Email => match matched.split_once(['@', '＠']) {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "*".repeat(matched.chars().count()),
        },
        FindingKind::SensitiveWord => matched
            .chars()
            .map(|c| if c.is_ascii() { '*' } else { '＊' })
            .collect(),
        FindingKind::Unreadable | FindingKind::Unscanned => String::new(),
    }
}

/// Replaces letters and digits by `*` unless `keep(index among letters and digits)`.
fn mask_alnum(matched: &str, keep: impl Fn(usize) -> bool) -> String {
    let mut i = 0;
    matched
        .chars()
        .map(|c| {
            if normalize(c).is_ascii_alphanumeric() {
                let kept = keep(i);
                i += 1;
                if kept {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

/// Masks a private person's name: first and last char kept, the middle starred
/// (`张三丰` → `张*丰`, `欧阳娜娜` → `欧**娜`); a two-char name keeps its surname (`张三` → `张*`).
pub fn mask_person_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_string(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// Replaces char ranges `[start, end)` of `text` by their masks.
///
/// Ranges may come in any order. Ranges beyond the text are clipped. Where ranges overlap,
/// the first (by start) keeps its mask and the uncovered rest of the later one becomes `*`,
/// so that every char of every range stays hidden.
pub fn apply_redactions(text: &str, redactions: &[(usize, usize, String)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut sorted: Vec<&(usize, usize, String)> = redactions.iter().collect();
    sorted.sort_by_key(|r| (r.0, std::cmp::Reverse(r.1)));

    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for (start, end, mask) in sorted {
        let (start, end) = (*start.min(&chars.len()), *end.min(&chars.len()));
        if end <= start || end <= cursor {
            continue;
        }
        if start >= cursor {
            out.extend(&chars[cursor..start]);
            out.push_str(mask);
        } else {
            out.push_str(&"*".repeat(end - cursor));
        }
        cursor = end;
    }
    out.extend(&chars[cursor..]);
    out
}

/// Convenience: the text with every finding replaced by its [`mask`].
pub fn redact(text: &str, findings: &[Finding]) -> String {
    let redactions: Vec<(usize, usize, String)> = findings
        .iter()
        .map(|f| (f.start, f.end, f.masked()))
        .collect();
    apply_redactions(text, &redactions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{luhn_valid, resident_id_check_char};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
    }

    /// Appends the right check character to 17 digits.
    fn id(first17: &str) -> String {
        format!("{first17}{}", resident_id_check_char(first17).unwrap())
    }

    /// Makes a wrong check character for 17 digits.
    fn id_wrong(first17: &str) -> String {
        let right = resident_id_check_char(first17).unwrap();
        let wrong = if right == '1' { '2' } else { '1' };
        format!("{first17}{wrong}")
    }

    /// Appends the Luhn check digit.
    fn card(prefix: &str) -> String {
        (0..10)
            .map(|d| format!("{prefix}{d}"))
            .find(|c| luhn_valid(c))
            .unwrap()
    }

    fn run(text: &str) -> Vec<Finding> {
        scan("body", text, &[], today())
    }

    fn kinds(text: &str) -> Vec<(FindingKind, String)> {
        run(text).into_iter().map(|f| (f.kind, f.matched)).collect()
    }

    #[test]
    fn kinds_parse_back_from_their_names() {
        use FindingKind::*;
        for k in [
            ResidentId,
            Mobile,
            BankCard,
            Email,
            SensitiveWord,
            Unreadable,
            Unscanned,
        ] {
            assert_eq!(FindingKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FindingKind::parse("other"), None);
    }

    #[test]
    fn resident_id_found_with_char_offsets() {
        let text = "申请人张三，身份证号11010519491231002X，住址略。";
        let f = run(text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, FindingKind::ResidentId);
        assert_eq!(f[0].field, "body");
        assert_eq!((f[0].start, f[0].end), (10, 28));
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(
            chars[f[0].start..f[0].end].iter().collect::<String>(),
            f[0].matched
        );
    }

    #[test]
    fn resident_id_near_misses() {
        // Wrong check character: not an ID (and not a card either, for this number).
        let wrong = id_wrong("11010519900307123");
        assert!(!kinds(&format!("号码{wrong}。"))
            .iter()
            .any(|(k, _)| *k == FindingKind::ResidentId));
        // 1999-02-30 does not exist.
        let bad_date = id("11010519990230123");
        assert!(!is_resident_id(&bad_date, today()));
        assert!(kinds(&format!("号码{bad_date}"))
            .iter()
            .all(|(k, _)| *k != FindingKind::ResidentId));
        // Born in the future, or before 1900.
        assert!(!is_resident_id(&id("11010520300101123"), today()));
        assert!(!is_resident_id(&id("11010518991231123"), today()));
        assert!(is_resident_id(&id("11010519000101123"), today()));
        assert!(is_resident_id(&id("11010520250601123"), today()));
        assert!(!is_resident_id(&id("11010520250602123"), today()));
        // Inside a longer run of digits or letters.
        let good = id("11010519900307123");
        // (19 digits may still pass Luhn as a card number; it is not an ID.)
        assert!(run(&format!("9{good}"))
            .iter()
            .all(|f| f.kind != FindingKind::ResidentId));
        assert!(kinds(&format!("A{good}")).is_empty());
        assert!(kinds(&format!("{good}B")).is_empty());
    }

    #[test]
    fn wrong_check_character_failing_luhn_gives_nothing() {
        let first17 = "11010519900307123";
        let candidates: Vec<String> = "0123456789X"
            .chars()
            .map(|c| format!("{first17}{c}"))
            .filter(|s| !is_resident_id(s, today()) && !luhn_valid(s))
            .collect();
        assert!(!candidates.is_empty());
        for s in candidates {
            assert!(run(&s).is_empty(), "{s}");
        }
    }

    #[test]
    fn credit_code_not_flagged() {
        assert!(run("统一社会信用代码：91350100M000100Y43").is_empty());
        assert!(run("统一社会信用代码91350100M000100Y43。").is_empty());
    }

    #[test]
    fn mobile_true_positives() {
        assert_eq!(
            kinds("电话13812345678。"),
            vec![(FindingKind::Mobile, "13812345678".into())]
        );
        assert_eq!(
            kinds("电话 138 1234 5678 联系"),
            vec![(FindingKind::Mobile, "138 1234 5678".into())]
        );
        assert_eq!(
            kinds("电话138-1234-5678"),
            vec![(FindingKind::Mobile, "138-1234-5678".into())]
        );
        assert_eq!(
            kinds("电话１３８１２３４５６７８"),
            vec![(FindingKind::Mobile, "１３８１２３４５６７８".into())]
        );
        // Two numbers separated by a space are two findings.
        let f = kinds("13812345678 13987654321");
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|(k, _)| *k == FindingKind::Mobile));
    }

    #[test]
    fn mobile_near_misses() {
        assert!(run("编号138123456789").is_empty()); // 12-digit run
        assert!(run("编号913812345678").is_empty());
        assert!(run("12812345678").is_empty()); // second digit 2
        assert!(run("1381234567").is_empty()); // 10 digits
        assert!(run("ab13812345678").is_empty());
        assert!(run("比例为0.13812345678").is_empty());
        assert!(run("座机0591-87654321").is_empty());
    }

    #[test]
    fn bank_card_true_positives() {
        let c16 = card("622202123456789");
        let c19 = card("622848001234567890");
        assert_eq!(
            kinds(&format!("卡号{c16}")),
            vec![(FindingKind::BankCard, c16.clone())]
        );
        assert_eq!(
            kinds(&format!("卡号：{c19}。")),
            vec![(FindingKind::BankCard, c19.clone())]
        );
        let spaced = format!(
            "{} {} {} {}",
            &c16[0..4],
            &c16[4..8],
            &c16[8..12],
            &c16[12..16]
        );
        assert_eq!(
            kinds(&format!("卡号 {spaced} 开户行")),
            vec![(FindingKind::BankCard, spaced.clone())]
        );
        let hyphen = format!(
            "{}-{}-{}-{}-{}",
            &c19[0..4],
            &c19[4..8],
            &c19[8..12],
            &c19[12..16],
            &c19[16..]
        );
        assert_eq!(
            kinds(&format!("卡号{hyphen}")),
            vec![(FindingKind::BankCard, hyphen.clone())]
        );
        // A grouped card followed by an unrelated small number.
        assert_eq!(
            kinds(&format!("卡号 {spaced} 1 张")),
            vec![(FindingKind::BankCard, spaced)]
        );
    }

    #[test]
    fn bank_card_near_misses() {
        let c16 = card("622202123456789");
        let last = c16.chars().last().unwrap().to_digit(10).unwrap();
        let bad = format!("{}{}", &c16[..15], (last + 1) % 10);
        assert!(!luhn_valid(&bad));
        assert!(run(&format!("卡号{bad}")).is_empty());
        assert!(run(&format!("卡号{c16}0000")).is_empty()); // 20 digits
        let groups3 = format!("{} {} {}", &c16[0..4], &c16[4..8], &c16[8..12]);
        assert!(run(&groups3).is_empty());
    }

    #[test]
    fn id_that_also_passes_luhn_is_only_an_id() {
        // Find a valid ID that also passes Luhn: it must be reported once, as an ID.
        let both = (0..1000)
            .map(|n| id(&format!("110105199003070{:02}", n % 100)))
            .chain((100..1000).map(|n| id(&format!("11010519900307{n:03}"))))
            .find(|s| luhn_valid(s))
            .expect("some ID passes Luhn");
        let f = run(&format!("证件{both}"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, FindingKind::ResidentId);
    }

    #[test]
    fn email() {
        assert_eq!(
            kinds("请发送至zhang.san@example.com.cn。"),
            vec![(FindingKind::Email, "zhang.san@example.com.cn".into())]
        );
        assert_eq!(
            kinds("邮箱：a_b+c@mail.gov.cn."),
            vec![(FindingKind::Email, "a_b+c@mail.gov.cn".into())]
        );
        // The mobile inside the address is not reported separately.
        assert_eq!(
            kinds("13812345678@139.com"),
            vec![(FindingKind::Email, "13812345678@139.com".into())]
        );
        assert!(run("@example.com").is_empty());
        assert!(run("user@localhost").is_empty());
        assert!(run("user@example.c0m").is_empty());
        assert!(run("微博@某某部门").is_empty());
    }

    #[test]
    fn sensitive_words() {
        let words = vec![
            "内部资料".to_string(),
            "Secret".to_string(),
            "  ".to_string(),
        ];
        let f = scan(
            "title",
            "本文为内部资料，SECRET，勿传。内部资料",
            &words,
            today(),
        );
        let got: Vec<(usize, usize, &str)> = f
            .iter()
            .map(|f| (f.start, f.end, f.matched.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![(3, 7, "内部资料"), (8, 14, "SECRET"), (18, 22, "内部资料")]
        );
        assert!(f
            .iter()
            .all(|f| f.kind == FindingKind::SensitiveWord && f.field == "title"));
    }

    #[test]
    fn overlapping_words_keep_the_longest() {
        let words = vec!["秘密".to_string(), "国家秘密".to_string()];
        let f = scan("body", "属于国家秘密", &words, today());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].matched, "国家秘密");
    }

    #[test]
    fn several_kinds_in_order() {
        let c16 = card("622202123456789");
        let text = format!("张三，11010519491231002X，13812345678，{c16}，zs@qq.com");
        let k: Vec<FindingKind> = run(&text).iter().map(|f| f.kind).collect();
        assert_eq!(
            k,
            vec![
                FindingKind::ResidentId,
                FindingKind::Mobile,
                FindingKind::BankCard,
                FindingKind::Email
            ]
        );
    }

    #[test]
    fn masks() {
        assert_eq!(
            mask(FindingKind::ResidentId, "11010519491231002X"),
            "11***************X"
        );
        assert_eq!(mask(FindingKind::Mobile, "13812345678"), "138****5678");
        assert_eq!(mask(FindingKind::Mobile, "138 1234 5678"), "138 **** 5678");
        assert_eq!(
            mask(FindingKind::BankCard, "6222021234567890123"),
            "***************0123"
        );
        assert_eq!(
            mask(FindingKind::BankCard, "6222 0212 3456 7890"),
            "**** **** **** 7890"
        );
        assert_eq!(
            mask(FindingKind::Email, "zhangsan@example.com"),
            "z***@example.com"
        );
        assert_eq!(mask(FindingKind::SensitiveWord, "内部资料"), "＊＊＊＊");
        assert_eq!(mask(FindingKind::SensitiveWord, "abc"), "***");
    }

    #[test]
    fn an_unscanned_attachment_is_a_finding_without_text() {
        let f = Finding::unscanned("attachments.a1", "image/png");
        assert_eq!(f.kind.as_str(), "unscanned");
        assert_eq!((f.start, f.end, f.masked()), (0, 0, String::new()));
        assert!(Finding::is_about_a_file(f.kind));
        assert!(!Finding::is_about_a_file(FindingKind::Mobile));
    }

    #[test]
    fn an_unreadable_attachment_is_a_finding_without_text() {
        let f = Finding::unreadable("attachments.a1", "the PDF is encrypted");
        assert_eq!(f.kind.as_str(), "unreadable");
        assert_eq!((f.field.as_str(), f.start, f.end), ("attachments.a1", 0, 0));
        assert_eq!(f.matched, "the PDF is encrypted");
        assert_eq!(f.masked(), "");
    }

    #[test]
    fn person_names() {
        assert_eq!(mask_person_name("张三丰"), "张*丰");
        assert_eq!(mask_person_name("张三"), "张*");
        assert_eq!(mask_person_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_person_name("张"), "*");
        assert_eq!(mask_person_name(" 李四 "), "李*");
        assert_eq!(mask_person_name(""), "");
    }

    #[test]
    fn redactions() {
        let text = "电话13812345678，邮箱zs@qq.com。";
        let f = run(text);
        assert_eq!(redact(text, &f), "电话138****5678，邮箱z***@qq.com。");
        // Order does not matter; out-of-range is clipped.
        let r = vec![(5, 99, "X".to_string()), (0, 2, "AB".to_string())];
        assert_eq!(apply_redactions("一二三四五六七", &r), "AB三四五X");
        // Overlap: the later range's uncovered rest is starred, nothing leaks.
        let r = vec![(0, 3, "[A]".to_string()), (2, 5, "[B]".to_string())];
        assert_eq!(apply_redactions("一二三四五六", &r), "[A]**六");
        // A range inside another adds nothing.
        let r = vec![(0, 4, "[A]".to_string()), (1, 2, "[B]".to_string())];
        assert_eq!(apply_redactions("一二三四五", &r), "[A]五");
        assert_eq!(apply_redactions("abc", &[]), "abc");
    }

    #[test]
    fn findings_never_overlap() {
        let c16 = card("622202123456789");
        let text = format!(
            "{c16}@bank.cn 11010519491231002X 138 1234 5678 13812345678 {} {} {} {}",
            &c16[0..4],
            &c16[4..8],
            &c16[8..12],
            &c16[12..16]
        );
        let f = run(&text);
        for (i, a) in f.iter().enumerate() {
            for b in &f[i + 1..] {
                assert!(a.end <= b.start, "{a:?} overlaps {b:?}");
            }
        }
        assert_eq!(f[0].kind, FindingKind::Email);
    }
}
