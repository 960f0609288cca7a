//! The stage a procurement is in, as its notices tell it.

use crate::kinds::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Planning,
    Tender,
    Awarded,
    Contracted,
    Accepted,
    /// Closed by a cancellation notice; nothing follows.
    Cancelled,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Planning,
        Stage::Tender,
        Stage::Awarded,
        Stage::Contracted,
        Stage::Accepted,
        Stage::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Planning => "planning",
            Stage::Tender => "tender",
            Stage::Awarded => "awarded",
            Stage::Contracted => "contracted",
            Stage::Accepted => "accepted",
            Stage::Cancelled => "cancelled",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::Planning => "采购意向",
            Stage::Tender => "采购中",
            Stage::Awarded => "已确定中标（成交）供应商",
            Stage::Contracted => "已签订合同",
            Stage::Accepted => "已验收",
            Stage::Cancelled => "已终止",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Stage::Planning => "Planning",
            Stage::Tender => "Tendering",
            Stage::Awarded => "Awarded",
            Stage::Contracted => "Contract signed",
            Stage::Accepted => "Accepted",
            Stage::Cancelled => "Cancelled",
        }
    }

    /// The stage a notice of `kind` puts its procurement in.
    pub fn of_kind(kind: &str) -> Option<Stage> {
        Some(match kind {
            INTENTION => Stage::Planning,
            PREQUALIFICATION | TENDER | AMENDMENT => Stage::Tender,
            CANCELLATION => Stage::Cancelled,
            AWARD => Stage::Awarded,
            CONTRACT => Stage::Contracted,
            ACCEPTANCE => Stage::Accepted,
            _ => return None,
        })
    }
}
