//! Procurement methods (采购方式, 政府采购法 art. 26) and the periods each
//! one must leave to suppliers.

use crate::timing::{Period, SINGLE_SOURCE_WORKING_DAYS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// 公开招标
    Open,
    /// 邀请招标
    Invited,
    /// 竞争性谈判
    Negotiation,
    /// 竞争性磋商
    Consultation,
    /// 询价
    Inquiry,
    /// 单一来源
    SingleSource,
}

impl Method {
    pub const ALL: [Method; 6] = [
        Method::Open,
        Method::Invited,
        Method::Negotiation,
        Method::Consultation,
        Method::Inquiry,
        Method::SingleSource,
    ];

    /// The stored enumeration value.
    pub fn code(self) -> &'static str {
        match self {
            Method::Open => "open",
            Method::Invited => "invited",
            Method::Negotiation => "negotiation",
            Method::Consultation => "consultation",
            Method::Inquiry => "inquiry",
            Method::SingleSource => "single-source",
        }
    }

    pub fn from_code(code: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Method::Open => "公开招标",
            Method::Invited => "邀请招标",
            Method::Negotiation => "竞争性谈判",
            Method::Consultation => "竞争性磋商",
            Method::Inquiry => "询价",
            Method::SingleSource => "单一来源",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Method::Open => "Open tendering",
            Method::Invited => "Invited tendering",
            Method::Negotiation => "Competitive negotiation",
            Method::Consultation => "Competitive consultation",
            Method::Inquiry => "Request for quotations",
            Method::SingleSource => "Single source",
        }
    }

    /// OCDS `procurementMethod` (open codelist: open, selective, limited, direct).
    pub fn ocds(self) -> &'static str {
        match self {
            Method::Open => "open",
            Method::Invited => "selective",
            Method::Negotiation | Method::Consultation | Method::Inquiry => "limited",
            Method::SingleSource => "direct",
        }
    }

    pub fn is_tendering(self) -> bool {
        matches!(self, Method::Open | Method::Invited)
    }

    /// Minimum time from the first issue of the documents (or the start of
    /// the single-source publicity) to the bid or response deadline:
    /// 政府采购法 art. 35 (tendering, 20 days); 财政部令第74号 art. 29
    /// (negotiation) and art. 45 (inquiry), 3 working days; 财库〔2014〕214号
    /// art. 10 (consultation), 10 days; 实施条例 art. 38 (single-source
    /// publicity), 5 working days.
    pub fn minimum_response_period(self) -> Period {
        match self {
            Method::Open | Method::Invited => Period::Days(20),
            Method::Negotiation | Method::Inquiry => Period::WorkingDays(3),
            Method::Consultation => Period::Days(10),
            Method::SingleSource => Period::WorkingDays(SINGLE_SOURCE_WORKING_DAYS),
        }
    }

    /// How long before the deadline a clarification or change that affects
    /// the bids must be issued, else the deadline moves: 财政部令第87号
    /// art. 27 (15 days), 财库〔2014〕214号 art. 10 (5 days), 财政部令第74号
    /// (negotiation art. 29, inquiry likewise: 3 working days). Single source
    /// has no bidding.
    pub fn clarification_lead(self) -> Option<Period> {
        match self {
            Method::Open | Method::Invited => Some(Period::Days(15)),
            Method::Consultation => Some(Period::Days(5)),
            Method::Negotiation | Method::Inquiry => Some(Period::WorkingDays(3)),
            Method::SingleSource => None,
        }
    }
}
