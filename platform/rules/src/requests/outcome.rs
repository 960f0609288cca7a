//! Outcome of a request: one primary code per request, the rows of section 三
//! "本年度办理结果" of table 3 in the annual report (国办公开办函〔2021〕30号).
//!
//! Stable code: `"<group>"` or `"<group>.<item>"` with the groups numbered 1–6 for
//! (一)–(六), e.g. `"1"` 予以公开, `"3.4"` 保护第三方合法权益, `"6.2"` 逾期未缴费.
//! ASCII digits keep codes easy to type, store, sort and put in URLs; the Chinese form
//! `（三）4` is available as [`Outcome::report_code`]. Codes never change meaning.
//! [`FromStr`] accepts the stable code only.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The group rows (一)–(六).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeGroup {
    /// (一) 予以公开
    Granted,
    /// (二) 部分公开
    PartlyGranted,
    /// (三) 不予公开
    Refused,
    /// (四) 无法提供
    Unavailable,
    /// (五) 不予处理
    NotProcessed,
    /// (六) 其他处理
    Other,
}

impl OutcomeGroup {
    pub const ALL: [OutcomeGroup; 6] = [
        OutcomeGroup::Granted,
        OutcomeGroup::PartlyGranted,
        OutcomeGroup::Refused,
        OutcomeGroup::Unavailable,
        OutcomeGroup::NotProcessed,
        OutcomeGroup::Other,
    ];

    /// 1–6.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// `（一）` … `（六）`.
    pub fn numeral(self) -> &'static str {
        ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"][self as usize]
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            OutcomeGroup::Granted => "予以公开",
            OutcomeGroup::PartlyGranted => "部分公开",
            OutcomeGroup::Refused => "不予公开",
            OutcomeGroup::Unavailable => "无法提供",
            OutcomeGroup::NotProcessed => "不予处理",
            OutcomeGroup::Other => "其他处理",
        }
    }
}

/// Every outcome, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// (一) 予以公开
    Granted,
    /// (二) 部分公开 (a request answered in part counts only here)
    PartlyGranted,
    /// (三)1 属于国家秘密
    StateSecret,
    /// (三)2 其他法律行政法规禁止公开
    ProhibitedByLaw,
    /// (三)3 危及"三安全一稳定"
    EndangersSecurity,
    /// (三)4 保护第三方合法权益
    ThirdPartyRights,
    /// (三)5 属于三类内部事务信息
    InternalAffairs,
    /// (三)6 属于四类过程性信息
    ProcessInformation,
    /// (三)7 属于行政执法案卷
    EnforcementFiles,
    /// (三)8 属于行政查询事项
    AdministrativeQuery,
    /// (四)1 本机关不掌握相关政府信息
    NotHeld,
    /// (四)2 没有现成信息需要另行制作
    WouldNeedCreating,
    /// (四)3 补正后申请内容仍不明确
    StillUnclear,
    /// (五)1 信访举报投诉类申请
    Petition,
    /// (五)2 重复申请
    Repeated,
    /// (五)3 要求提供公开出版物
    Publication,
    /// (五)4 无正当理由大量反复申请
    MassRepeated,
    /// (五)5 要求行政机关确认或重新出具已获取信息
    Confirmation,
    /// (六)1 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
    NoCorrection,
    /// (六)2 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请
    FeeLapsed,
    /// (六)3 其他
    OtherHandling,
}

/// Outcome, stable code, group, item number within the group (0 when the group has none),
/// row label as printed in table 3.
const TABLE: [(Outcome, &str, OutcomeGroup, u8, &str); 21] = [
    (Outcome::Granted, "1", OutcomeGroup::Granted, 0, "予以公开"),
    (
        Outcome::PartlyGranted,
        "2",
        OutcomeGroup::PartlyGranted,
        0,
        "部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    (
        Outcome::StateSecret,
        "3.1",
        OutcomeGroup::Refused,
        1,
        "属于国家秘密",
    ),
    (
        Outcome::ProhibitedByLaw,
        "3.2",
        OutcomeGroup::Refused,
        2,
        "其他法律行政法规禁止公开",
    ),
    (
        Outcome::EndangersSecurity,
        "3.3",
        OutcomeGroup::Refused,
        3,
        "危及“三安全一稳定”",
    ),
    (
        Outcome::ThirdPartyRights,
        "3.4",
        OutcomeGroup::Refused,
        4,
        "保护第三方合法权益",
    ),
    (
        Outcome::InternalAffairs,
        "3.5",
        OutcomeGroup::Refused,
        5,
        "属于三类内部事务信息",
    ),
    (
        Outcome::ProcessInformation,
        "3.6",
        OutcomeGroup::Refused,
        6,
        "属于四类过程性信息",
    ),
    (
        Outcome::EnforcementFiles,
        "3.7",
        OutcomeGroup::Refused,
        7,
        "属于行政执法案卷",
    ),
    (
        Outcome::AdministrativeQuery,
        "3.8",
        OutcomeGroup::Refused,
        8,
        "属于行政查询事项",
    ),
    (
        Outcome::NotHeld,
        "4.1",
        OutcomeGroup::Unavailable,
        1,
        "本机关不掌握相关政府信息",
    ),
    (
        Outcome::WouldNeedCreating,
        "4.2",
        OutcomeGroup::Unavailable,
        2,
        "没有现成信息需要另行制作",
    ),
    (
        Outcome::StillUnclear,
        "4.3",
        OutcomeGroup::Unavailable,
        3,
        "补正后申请内容仍不明确",
    ),
    (
        Outcome::Petition,
        "5.1",
        OutcomeGroup::NotProcessed,
        1,
        "信访举报投诉类申请",
    ),
    (
        Outcome::Repeated,
        "5.2",
        OutcomeGroup::NotProcessed,
        2,
        "重复申请",
    ),
    (
        Outcome::Publication,
        "5.3",
        OutcomeGroup::NotProcessed,
        3,
        "要求提供公开出版物",
    ),
    (
        Outcome::MassRepeated,
        "5.4",
        OutcomeGroup::NotProcessed,
        4,
        "无正当理由大量反复申请",
    ),
    (
        Outcome::Confirmation,
        "5.5",
        OutcomeGroup::NotProcessed,
        5,
        "要求行政机关确认或重新出具已获取信息",
    ),
    (
        Outcome::NoCorrection,
        "6.1",
        OutcomeGroup::Other,
        1,
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        Outcome::FeeLapsed,
        "6.2",
        OutcomeGroup::Other,
        2,
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    (
        Outcome::OtherHandling,
        "6.3",
        OutcomeGroup::Other,
        3,
        "其他",
    ),
];

impl Outcome {
    fn entry(self) -> &'static (Outcome, &'static str, OutcomeGroup, u8, &'static str) {
        // TABLE is in declaration order, checked by a test.
        &TABLE[self as usize]
    }

    /// All outcomes in report order (the order of the rows of table 3).
    pub fn all() -> impl Iterator<Item = Outcome> {
        TABLE.iter().map(|e| e.0)
    }

    /// The stable code, e.g. `"3.4"`.
    pub fn code(self) -> &'static str {
        self.entry().1
    }

    pub fn group(self) -> OutcomeGroup {
        self.entry().2
    }

    /// The number within the group (`4` for 3.4); `None` for (一) and (二).
    pub fn item(self) -> Option<u8> {
        Some(self.entry().3).filter(|&n| n > 0)
    }

    /// The row label as printed in table 3 (without the numbering).
    pub fn label_zh(self) -> &'static str {
        self.entry().4
    }

    /// The numbering used in the report: `（一）`, `（三）4`.
    pub fn report_code(self) -> String {
        match self.item() {
            Some(n) => format!("{}{n}", self.group().numeral()),
            None => self.group().numeral().to_string(),
        }
    }

    /// Full row heading, e.g. `（三）不予公开 4.保护第三方合法权益`.
    pub fn row_heading(self) -> String {
        let g = self.group();
        match self.item() {
            Some(n) => format!("{}{} {n}.{}", g.numeral(), g.label_zh(), self.label_zh()),
            None => format!("{}{}", g.numeral(), self.label_zh()),
        }
    }

    /// Index of this outcome's row among the data rows of table 3 section 三 (0-based,
    /// `(七) 总计` follows at index 21).
    pub fn table3_row(self) -> usize {
        self as usize
    }
}

/// Number of outcome rows; the total row (七) comes after them.
pub const TABLE3_ROWS: usize = TABLE.len();

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown outcome code \"{0}\": expected one of 1, 2, 3.1–3.8, 4.1–4.3, 5.1–5.5, 6.1–6.3")]
pub struct UnknownOutcome(pub String);

impl FromStr for Outcome {
    type Err = UnknownOutcome;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim();
        TABLE
            .iter()
            .find(|e| e.1 == code)
            .map(|e| e.0)
            .ok_or_else(|| UnknownOutcome(s.to_string()))
    }
}

impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order() {
        for (i, e) in TABLE.iter().enumerate() {
            assert_eq!(e.0 as usize, i, "{:?}", e.0);
        }
    }

    #[test]
    fn all_in_report_order() {
        let codes: Vec<&str> = Outcome::all().map(Outcome::code).collect();
        assert_eq!(
            codes,
            [
                "1", "2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "4.1", "4.2",
                "4.3", "5.1", "5.2", "5.3", "5.4", "5.5", "6.1", "6.2", "6.3"
            ]
        );
        let per_group: Vec<usize> = OutcomeGroup::ALL
            .iter()
            .map(|g| Outcome::all().filter(|o| o.group() == *g).count())
            .collect();
        assert_eq!(per_group, [1, 1, 8, 3, 5, 3]);
        assert_eq!(TABLE3_ROWS, 21);
    }

    #[test]
    fn round_trip_every_code() {
        for o in Outcome::all() {
            assert_eq!(o.code().parse::<Outcome>(), Ok(o));
            assert_eq!(o.to_string().parse::<Outcome>(), Ok(o));
            let json = format!("\"{}\"", o.code());
            // Serialize/deserialize through the string code.
            let back: Outcome = serde_plain_from(&json);
            assert_eq!(back, o);
            assert_eq!(Outcome::all().nth(o.table3_row()), Some(o));
        }
    }

    /// A minimal string deserializer so the test needs no JSON crate.
    fn serde_plain_from(json: &str) -> Outcome {
        use serde::de::value::{Error, StrDeserializer};
        use serde::de::IntoDeserializer;
        let inner = json.trim_matches('"');
        let d: StrDeserializer<'_, Error> = inner.into_deserializer();
        Outcome::deserialize(d).unwrap()
    }

    #[test]
    fn unknown_codes_refused() {
        for bad in [
            "",
            "0",
            "3",
            "3.0",
            "3.9",
            "4.4",
            "5.6",
            "6.4",
            "7",
            "（三）4",
            "3.4.1",
            "x",
        ] {
            let err = bad.parse::<Outcome>().unwrap_err();
            assert_eq!(err, UnknownOutcome(bad.to_string()));
            assert!(err.to_string().contains("unknown outcome code"));
        }
        assert_eq!(" 3.4 ".parse::<Outcome>(), Ok(Outcome::ThirdPartyRights));
    }

    #[test]
    fn labels_and_report_numbering() {
        assert_eq!(Outcome::Granted.report_code(), "（一）");
        assert_eq!(Outcome::ThirdPartyRights.report_code(), "（三）4");
        assert_eq!(Outcome::ThirdPartyRights.item(), Some(4));
        assert_eq!(Outcome::PartlyGranted.item(), None);
        assert_eq!(
            Outcome::ThirdPartyRights.row_heading(),
            "（三）不予公开 4.保护第三方合法权益"
        );
        assert_eq!(Outcome::Granted.row_heading(), "（一）予以公开");
        assert_eq!(Outcome::FeeLapsed.group().number(), 6);
        assert_eq!(Outcome::StillUnclear.group().label_zh(), "无法提供");
    }
}
