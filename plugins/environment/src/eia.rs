//! EIA public participation (MEE Order No. 4, 2018): the draft report is open
//! for public comment for at least 10 working days.
//!
//! Counting (a choice, as the order says "不少于10个工作日"): the working days
//! *from the start to the end, both included*, must be at least 10. A period
//! Monday 2 March – Friday 13 March 2026 is exactly 10. When the start is not
//! a working day, counting begins on the next working day.

use gongkai_plugin_sdk::{Date, WorkingDays};

pub const MIN_WORKING_DAYS: i32 = 10;

/// The earliest permissible end of a comment period starting on `start`.
pub fn earliest_end(start: Date, cal: &dyn WorkingDays) -> Result<Date, String> {
    let first = if cal.is_working_day(start)? {
        start
    } else {
        cal.add_working_days(start, 1)?
    };
    cal.add_working_days(first, MIN_WORKING_DAYS - 1)
}
