//! The legal time limits of government procurement, as pure date arithmetic.
//!
//! Counting (民法典 art. 201): a period counted in days or working days from
//! an event does not count the day of the event; "at least N days from A to
//! B" means B falls on A + N or later. The only exception is how long a
//! document stays available ("提供期限不得少于5个工作日"), which counts both
//! the first and the last day, like a notice that is open from Monday to
//! Friday.

use gongkai_plugin_sdk::{Date, WorkingDays};

/// 采购意向: published at least 30 days before the procurement starts
/// (财库〔2020〕10号).
pub const INTENTION_LEAD_DAYS: i64 = 30;
/// 中标（成交）结果: published within 2 working days of the decision
/// (政府采购法实施条例 art. 43).
pub const RESULT_WORKING_DAYS: i32 = 2;
/// 合同: published within 2 working days of signing (实施条例 art. 50).
pub const CONTRACT_WORKING_DAYS: i32 = 2;
/// Contract signed within 30 days of the award notice (政府采购法 art. 46).
pub const SIGN_WITHIN_DAYS: i64 = 30;
/// Tender documents, pre-qualification documents and consultation
/// documents are available at least 5 working days (财政部令第87号 art. 18,
/// 财库〔2014〕214号 art. 10).
pub const DOCUMENTS_AVAILABLE_WORKING_DAYS: i32 = 5;
/// Pre-qualification applications: at least 5 working days from the notice
/// (财政部令第87号 art. 21).
pub const PREQUALIFICATION_WORKING_DAYS: i32 = 5;
/// 单一来源采购公示: at least 5 working days (实施条例 art. 38, 财政部令第74号 art. 38).
pub const SINGLE_SOURCE_WORKING_DAYS: i32 = 5;

/// A minimum period: calendar days or working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(i64),
    WorkingDays(i32),
}

impl Period {
    /// The earliest end of this period counted from `start` (start not counted).
    pub fn earliest_end(self, start: Date, cal: &dyn WorkingDays) -> Result<Date, String> {
        match self {
            Period::Days(n) => start.add_days(n).ok_or_else(|| "date out of range".into()),
            Period::WorkingDays(n) => cal.add_working_days(start, n),
        }
    }

    /// The latest start from which this period still ends by `end`
    /// (calendar days only; used for the intention lead time).
    pub fn latest_start(self, end: Date, cal: &dyn WorkingDays) -> Result<Date, String> {
        match self {
            Period::Days(n) => end.add_days(-n).ok_or_else(|| "date out of range".into()),
            Period::WorkingDays(n) => cal.add_working_days(end, -n),
        }
    }

    pub fn describe_zh(self) -> String {
        match self {
            Period::Days(n) => format!("{n}日"),
            Period::WorkingDays(n) => format!("{n}个工作日"),
        }
    }

    pub fn describe_en(self) -> String {
        match self {
            Period::Days(n) => format!("{n} days"),
            Period::WorkingDays(n) => format!("{n} working days"),
        }
    }
}

/// The last day of an availability period of `n` working days starting on
/// `start`, both ends counted (a start on a day off counts from the next
/// working day).
pub fn availability_end(start: Date, n: i32, cal: &dyn WorkingDays) -> Result<Date, String> {
    let first = if cal.is_working_day(start)? {
        start
    } else {
        cal.add_working_days(start, 1)?
    };
    cal.add_working_days(first, n - 1)
}

/// Where `today` stands against the last permitted day of a publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Before the last day: nothing to say.
    InTime,
    /// Today is the last permitted day.
    LastDay,
    /// The last day has passed.
    Late,
}

pub fn due(today: Date, last_day: Date) -> Due {
    match today.cmp(&last_day) {
        std::cmp::Ordering::Less => Due::InTime,
        std::cmp::Ordering::Equal => Due::LastDay,
        std::cmp::Ordering::Greater => Due::Late,
    }
}
