//! Official holiday data (国务院办公厅关于部分节假日安排的通知), read from the `chinese_holiday`
//! crate. This list seeds the database; the running system reads the database, so a notice
//! published after this crate's release can be entered there without a new build.
//!
//! Why `chinese_holiday` (2026.0.1) and not `holiday-cn` (0.2.20260915072418): the latter
//! ships an empty 2026 file and answers every unknown date with "weekends only", which is
//! exactly the silent guess we must not make. `chinese_holiday` carries 2004–2026, marks
//! 调休 working days, cites each notice in its source, and its 2024–2026 data matches the
//! published notices (see the tests below).
//!
//! Limits of the crate, handled here:
//! - its list is private; the only interface is a per-date lookup returning a `DayKind`, so
//!   we walk each year day by day;
//! - it panics outside 2004-01-01..=2026-12-25 (the last days of a year are left open
//!   because the next year's notice may move them). For 2026 we therefore report the days
//!   up to 12-25 only: if the 2027 notice moves a day in 2026-12-26..31, enter it in the
//!   database (or as a local adjustment) by hand;
//! - no 2027 data: the 2027 notice was not in this crate release. Until it is entered, a
//!   deadline that runs into 2027 is a `NoDataForYear(2027)` error, as it should be.

use chinese_holiday::{chinese_holiday, DayKind, Ymd};
use chrono::{Datelike, NaiveDate};

use super::{Calendar, OfficialDay, OfficialKind};

/// Where the data comes from, for display and audit.
pub const SOURCE: &str = "chinese_holiday 2026.0.1 (国务院办公厅节假日安排通知 2004–2026)";

const FIRST_YEAR: i32 = 2004;
const LAST_YEAR: i32 = 2026;
/// Last date the crate answers for (it panics after it).
const LAST_MONTH_DAY: (u32, u32) = (12, 25);

/// Years for which official data is available.
pub fn official_years() -> Vec<i32> {
    (FIRST_YEAR..=LAST_YEAR).collect()
}

/// All days named in `year`'s notice (holidays and 调休 working days), sorted by date.
/// `None` if the year is not covered. Ordinary weekdays and weekends are not listed.
pub fn official_days(year: i32) -> Option<Vec<OfficialDay>> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return None;
    }
    let last = if year == LAST_YEAR {
        NaiveDate::from_ymd_opt(year, LAST_MONTH_DAY.0, LAST_MONTH_DAY.1)?
    } else {
        NaiveDate::from_ymd_opt(year, 12, 31)?
    };
    let mut date = NaiveDate::from_ymd_opt(year, 1, 1)?;
    let mut days = Vec::new();
    while date <= last {
        // Year 2004..=2026 fits u16; month/day fit u8.
        let ymd = Ymd::new(date.year() as u16, date.month() as u8, date.day() as u8);
        if let Some((kind, name)) = classify(chinese_holiday(ymd)) {
            days.push(OfficialDay {
                date,
                kind,
                name: name.to_string(),
            });
        }
        date = date.succ_opt()?;
    }
    Some(days)
}

/// A calendar with every official year and no local adjustments (handy for tests and
/// for tenants that have not configured anything).
pub fn official_calendar() -> Calendar {
    let years = official_years();
    let days = years
        .iter()
        .flat_map(|&y| official_days(y).unwrap_or_default());
    // The crate's data is checked by the tests below; a failure here is a bug in the crate.
    Calendar::new(years.clone(), days, []).expect("official holiday data is consistent")
}

fn classify(kind: DayKind) -> Option<(OfficialKind, &'static str)> {
    use DayKind::*;
    use OfficialKind::{Holiday, MakeUpWorkday};
    Some(match kind {
        NormalWorkday | NormalHoliday => return None,
        NewYearsDayHoliday => (Holiday, "元旦"),
        NewYearsDayWorkday => (MakeUpWorkday, "元旦"),
        SpringFestivalHoliday => (Holiday, "春节"),
        SpringFestivalWorkday => (MakeUpWorkday, "春节"),
        ChingMingFestivalHoliday => (Holiday, "清明节"),
        ChingMingFestivalWorkday => (MakeUpWorkday, "清明节"),
        InternationalWorkersDayHoliday => (Holiday, "劳动节"),
        InternationalWorkersDayWorkday => (MakeUpWorkday, "劳动节"),
        DragonBoatFestivalHoliday => (Holiday, "端午节"),
        DragonBoatFestivalWorkday => (MakeUpWorkday, "端午节"),
        MidAutumnFestivalHoliday => (Holiday, "中秋节"),
        MidAutumnFestivalWorkday => (MakeUpWorkday, "中秋节"),
        // The crate files joint arrangements (e.g. 2025 国庆节、中秋节) under National Day.
        NationalDayHoliday => (Holiday, "国庆节"),
        NationalDayWorkday => (MakeUpWorkday, "国庆节"),
        OtherHoliday => (Holiday, "其他假日"),
        OtherWorkday => (MakeUpWorkday, "其他调休"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dates(year: i32, kind: OfficialKind) -> Vec<NaiveDate> {
        official_days(year)
            .unwrap()
            .into_iter()
            .filter(|o| o.kind == kind)
            .map(|o| o.date)
            .collect()
    }

    fn range(a: NaiveDate, b: NaiveDate) -> Vec<NaiveDate> {
        a.iter_days().take_while(|x| *x <= b).collect()
    }

    #[test]
    fn years_covered() {
        let years = official_years();
        assert_eq!(years.first(), Some(&2004));
        assert_eq!(years.last(), Some(&2026));
        assert!(official_days(2003).is_none());
        assert!(official_days(2027).is_none());
    }

    /// 国办发明电〔2025〕7号 (2025-11-04), checked line by line against the published text.
    #[test]
    fn notice_2026() {
        let mut off = vec![];
        off.extend(range(d(2026, 1, 1), d(2026, 1, 3))); // 元旦
        off.extend(range(d(2026, 2, 15), d(2026, 2, 23))); // 春节, 9 days
        off.extend(range(d(2026, 4, 4), d(2026, 4, 6))); // 清明节
        off.extend(range(d(2026, 5, 1), d(2026, 5, 5))); // 劳动节
        off.extend(range(d(2026, 6, 19), d(2026, 6, 21))); // 端午节
        off.extend(range(d(2026, 9, 25), d(2026, 9, 27))); // 中秋节
        off.extend(range(d(2026, 10, 1), d(2026, 10, 7))); // 国庆节
        assert_eq!(dates(2026, OfficialKind::Holiday), off);
        assert_eq!(
            dates(2026, OfficialKind::MakeUpWorkday),
            vec![
                d(2026, 1, 4),   // Sun
                d(2026, 2, 14),  // Sat
                d(2026, 2, 28),  // Sat
                d(2026, 5, 9),   // Sat
                d(2026, 9, 20),  // Sun
                d(2026, 10, 10), // Sat
            ]
        );
    }

    /// 2025 notice (2024-11-12): 春节 01-28..02-04, 国庆节/中秋节 10-01..10-08, etc.
    #[test]
    fn notice_2025() {
        let mut off = vec![d(2025, 1, 1)];
        off.extend(range(d(2025, 1, 28), d(2025, 2, 4)));
        off.extend(range(d(2025, 4, 4), d(2025, 4, 6)));
        off.extend(range(d(2025, 5, 1), d(2025, 5, 5)));
        off.extend(range(d(2025, 5, 31), d(2025, 6, 2)));
        off.extend(range(d(2025, 10, 1), d(2025, 10, 8)));
        assert_eq!(dates(2025, OfficialKind::Holiday), off);
        assert_eq!(
            dates(2025, OfficialKind::MakeUpWorkday),
            vec![
                d(2025, 1, 26),
                d(2025, 2, 8),
                d(2025, 4, 27),
                d(2025, 9, 28),
                d(2025, 10, 11)
            ]
        );
    }

    /// 2024 notice (2023-10-25).
    #[test]
    fn notice_2024() {
        let mut off = vec![d(2024, 1, 1)];
        off.extend(range(d(2024, 2, 10), d(2024, 2, 17)));
        off.extend(range(d(2024, 4, 4), d(2024, 4, 6)));
        off.extend(range(d(2024, 5, 1), d(2024, 5, 5)));
        off.push(d(2024, 6, 10));
        off.extend(range(d(2024, 9, 15), d(2024, 9, 17)));
        off.extend(range(d(2024, 10, 1), d(2024, 10, 7)));
        assert_eq!(dates(2024, OfficialKind::Holiday), off);
        assert_eq!(
            dates(2024, OfficialKind::MakeUpWorkday),
            vec![
                d(2024, 2, 4),
                d(2024, 2, 18),
                d(2024, 4, 7),
                d(2024, 4, 28),
                d(2024, 5, 11),
                d(2024, 9, 14),
                d(2024, 9, 29),
                d(2024, 10, 12)
            ]
        );
    }

    #[test]
    fn names_and_calendar() {
        let oct = official_days(2025)
            .unwrap()
            .into_iter()
            .find(|o| o.date == d(2025, 10, 11))
            .unwrap();
        assert_eq!(oct.name, "国庆节");
        // Every year's data passes the Calendar's checks (make-up days fall on weekends, no
        // duplicates), and the calendar answers through 2026-12-31.
        let cal = official_calendar();
        assert!(cal.is_working_day(d(2026, 12, 31)).unwrap());
        assert!(cal.is_working_day(d(2026, 10, 10)).unwrap());
        assert!(!cal.is_working_day(d(2004, 1, 1)).unwrap());
    }
}
