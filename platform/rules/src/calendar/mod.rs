//! The Chinese official working-day calendar (工作日历) as plain data and pure functions.
//!
//! A day is a working day unless the data says otherwise, in this order of precedence:
//! 1. a tenant's local adjustment (extra day off, or extra working day) for that date;
//! 2. the State Council's yearly notice: a holiday (放假) or a make-up working day (调休上班);
//! 3. otherwise Monday–Friday work and Saturday/Sunday are rest days.
//!
//! A date in a year for which no official data was loaded is an error, never a silent
//! "weekends only" guess: the yearly notice moves many days, and a wrong deadline shown to
//! an applicant is worse than no deadline.
//!
//! Rules that count in working days take a [`WorkingDays`]; [`Calendar`] is the one real
//! implementation. The official data itself comes from [`official`].

pub mod official;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Kind of a day named in the State Council's yearly holiday notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfficialKind {
    /// 放假: a day off (weekday or weekend) of a named holiday.
    Holiday,
    /// 调休上班: a weekend day that is a working day.
    MakeUpWorkday,
}

/// One day named in the official notice, e.g. 2025-09-28 MakeUpWorkday "国庆节、中秋节".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialDay {
    pub date: NaiveDate,
    pub kind: OfficialKind,
    pub name: String,
}

/// What a tenant changed locally (e.g. a provincial holiday, or a typhoon closure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LocalKind {
    DayOff,
    Workday,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalAdjustment {
    pub date: NaiveDate,
    pub kind: LocalKind,
    pub reason: String,
}

/// Why a given date is, or is not, a working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayReason {
    /// Ordinary Monday–Friday.
    Weekday,
    /// Ordinary Saturday/Sunday.
    Weekend,
    /// Official holiday (放假), with its name.
    Holiday { name: String },
    /// Official make-up working day on a weekend (调休上班), with the holiday's name.
    MakeUpWorkday { name: String },
    /// Tenant's extra day off.
    LocalDayOff { reason: String },
    /// Tenant's extra working day.
    LocalWorkday { reason: String },
}

impl DayReason {
    pub fn is_working(&self) -> bool {
        matches!(
            self,
            DayReason::Weekday | DayReason::MakeUpWorkday { .. } | DayReason::LocalWorkday { .. }
        )
    }

    /// Chinese text, e.g. "国庆节放假".
    pub fn zh(&self) -> String {
        match self {
            DayReason::Weekday => "工作日".to_string(),
            DayReason::Weekend => "周末休息日".to_string(),
            DayReason::Holiday { name } => format!("{name}放假"),
            DayReason::MakeUpWorkday { name } => format!("{name}调休上班日"),
            DayReason::LocalDayOff { reason } => format!("本地休息日：{reason}"),
            DayReason::LocalWorkday { reason } => format!("本地工作日：{reason}"),
        }
    }

    /// English text, e.g. "public holiday (国庆节)".
    pub fn en(&self) -> String {
        match self {
            DayReason::Weekday => "working day".to_string(),
            DayReason::Weekend => "weekend".to_string(),
            DayReason::Holiday { name } => format!("public holiday ({name})"),
            DayReason::MakeUpWorkday { name } => format!("make-up working day ({name})"),
            DayReason::LocalDayOff { reason } => format!("local day off: {reason}"),
            DayReason::LocalWorkday { reason } => format!("local working day: {reason}"),
        }
    }

    /// "中文 / English".
    pub fn describe(&self) -> String {
        format!("{} / {}", self.zh(), self.en())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("no official calendar data for year {0}")]
    NoDataForYear(i32),
    #[error("official day {0} lies in year {1}, which is not in the calendar's list of years")]
    OfficialDayOutsideYears(NaiveDate, i32),
    #[error("date {0} is listed twice in the official data")]
    DuplicateOfficialDay(NaiveDate),
    #[error("date {0} is listed twice in the local adjustments")]
    DuplicateLocalAdjustment(NaiveDate),
    #[error("official make-up working day {0} is not a Saturday or Sunday")]
    MakeUpWorkdayNotWeekend(NaiveDate),
    #[error("date arithmetic overflowed after {0}")]
    DateOverflow(NaiveDate),
    #[error("date arithmetic overflowed before {0}")]
    DateUnderflow(NaiveDate),
    /// The caller has no calendar at hand (a plugin called outside any tenant).
    #[error("no calendar in this call")]
    NoCalendar,
}

/// Working-day arithmetic, as the rules that count in working days need it (an item's
/// publication deadline, a plugin's dates). [`Calendar`] is the implementation; tests may
/// bring a small one. Fallible because a calendar only knows the years whose holiday notice
/// it has.
pub trait WorkingDays {
    type Error;

    fn is_working_day(&self, day: NaiveDate) -> Result<bool, Self::Error>;

    /// The `n`-th working day strictly after `start` (`n == 0` returns `start`).
    fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, Self::Error>;

    /// Signed [`WorkingDays::add_working_days`]: for `n < 0`, the `|n|`-th working day
    /// strictly before `start` (the plugin contract counts both ways).
    fn shift_working_days(&self, start: NaiveDate, n: i32) -> Result<NaiveDate, Self::Error>;
}

impl WorkingDays for Calendar {
    type Error = CalendarError;

    fn is_working_day(&self, day: NaiveDate) -> Result<bool, CalendarError> {
        Calendar::is_working_day(self, day)
    }

    fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        Calendar::add_working_days(self, start, n)
    }

    fn shift_working_days(&self, start: NaiveDate, n: i32) -> Result<NaiveDate, CalendarError> {
        Calendar::shift_working_days(self, start, n)
    }
}

/// A working-day calendar. Cheap to query; build it once per tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeSet<i32>,
    official: BTreeMap<NaiveDate, (OfficialKind, String)>,
    local: BTreeMap<NaiveDate, (LocalKind, String)>,
}

impl Calendar {
    /// Builds a calendar. `years` are the years whose official notice is loaded (a year with
    /// data may legitimately name no day at all, so the list is separate from `official`).
    pub fn new(
        years: impl IntoIterator<Item = i32>,
        official: impl IntoIterator<Item = OfficialDay>,
        local: impl IntoIterator<Item = LocalAdjustment>,
    ) -> Result<Self, CalendarError> {
        let years: BTreeSet<i32> = years.into_iter().collect();
        let mut cal = Calendar {
            years,
            ..Default::default()
        };
        for day in official {
            if !cal.years.contains(&day.date.year()) {
                return Err(CalendarError::OfficialDayOutsideYears(
                    day.date,
                    day.date.year(),
                ));
            }
            if day.kind == OfficialKind::MakeUpWorkday && !is_weekend(day.date) {
                return Err(CalendarError::MakeUpWorkdayNotWeekend(day.date));
            }
            if cal
                .official
                .insert(day.date, (day.kind, day.name))
                .is_some()
            {
                return Err(CalendarError::DuplicateOfficialDay(day.date));
            }
        }
        for adj in local {
            if cal.local.insert(adj.date, (adj.kind, adj.reason)).is_some() {
                return Err(CalendarError::DuplicateLocalAdjustment(adj.date));
            }
        }
        Ok(cal)
    }

    /// Years with official data, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// Why `date` is or is not a working day.
    pub fn day_reason(&self, date: NaiveDate) -> Result<DayReason, CalendarError> {
        // A local adjustment never makes up for missing official data: without the notice we
        // cannot know the rest of the year.
        if !self.years.contains(&date.year()) {
            return Err(CalendarError::NoDataForYear(date.year()));
        }
        if let Some((kind, reason)) = self.local.get(&date) {
            let reason = reason.clone();
            return Ok(match kind {
                LocalKind::DayOff => DayReason::LocalDayOff { reason },
                LocalKind::Workday => DayReason::LocalWorkday { reason },
            });
        }
        if let Some((kind, name)) = self.official.get(&date) {
            let name = name.clone();
            return Ok(match kind {
                OfficialKind::Holiday => DayReason::Holiday { name },
                OfficialKind::MakeUpWorkday => DayReason::MakeUpWorkday { name },
            });
        }
        Ok(if is_weekend(date) {
            DayReason::Weekend
        } else {
            DayReason::Weekday
        })
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day_reason(date)?.is_working())
    }

    /// The `n`-th working day strictly after `start` (`n == 0` returns `start`).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut date = start;
        let mut counted = 0;
        while counted < n {
            date = next_day(date)?;
            if self.is_working_day(date)? {
                counted += 1;
            }
        }
        Ok(date)
    }

    /// Signed [`Calendar::add_working_days`]: for `n < 0`, the `|n|`-th working day strictly
    /// before `start`.
    pub fn shift_working_days(&self, start: NaiveDate, n: i32) -> Result<NaiveDate, CalendarError> {
        if n >= 0 {
            return self.add_working_days(start, n.unsigned_abs());
        }
        let mut date = start;
        let mut left = n.unsigned_abs();
        while left > 0 {
            date = date.pred_opt().ok_or(CalendarError::DateUnderflow(date))?;
            if self.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// Number of working days `d` with `a < d <= b` (0 when `b <= a`).
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<u32, CalendarError> {
        let mut count = 0;
        let mut date = a;
        while date < b {
            date = next_day(date)?;
            if self.is_working_day(date)? {
                count += 1;
            }
        }
        Ok(count)
    }

    /// Every day after `start` up to the `n`-th working day, with the reason each one was
    /// counted or skipped. Meant to be shown to an applicant.
    pub fn explain(&self, start: NaiveDate, n: u32) -> Result<Explanation, CalendarError> {
        let mut days = Vec::new();
        let mut date = start;
        let mut counted = 0;
        while counted < n {
            date = next_day(date)?;
            let reason = self.day_reason(date)?;
            let ordinal = if reason.is_working() {
                counted += 1;
                Some(counted)
            } else {
                None
            };
            days.push(ExplainedDay {
                date,
                reason,
                ordinal,
            });
        }
        Ok(Explanation {
            start,
            working_days: n,
            end: date,
            days,
        })
    }
}

/// One day walked over by [`Calendar::explain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainedDay {
    pub date: NaiveDate,
    pub reason: DayReason,
    /// `Some(k)`: the k-th working day counted; `None`: skipped.
    pub ordinal: Option<u32>,
}

impl fmt::Display for ExplainedDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = fmt_date(self.date);
        match (self.ordinal, &self.reason) {
            (Some(k), DayReason::Weekday) => {
                write!(f, "{day}：第{k}个工作日 / working day {k}")
            }
            // Working on a weekend surprises people: say why it counts.
            (Some(k), reason) => write!(
                f,
                "{day}：第{k}个工作日（{}） / working day {k}: {}",
                reason.zh(),
                reason.en()
            ),
            (None, reason) => write!(
                f,
                "{day}：不计（{}） / not counted: {}",
                reason.zh(),
                reason.en()
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub start: NaiveDate,
    pub working_days: u32,
    pub end: NaiveDate,
    pub days: Vec<ExplainedDay>,
}

impl Explanation {
    /// One line per day, ready to show.
    pub fn lines(&self) -> Vec<String> {
        self.days.iter().map(|d| d.to_string()).collect()
    }

    /// Only the days that need a word of explanation: skipped days and weekend days that
    /// counted.
    pub fn notable_days(&self) -> impl Iterator<Item = &ExplainedDay> {
        self.days.iter().filter(|d| d.reason != DayReason::Weekday)
    }
}

/// "周一" … "周日".
pub fn weekday_zh(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

/// "2025-10-11（周六）".
pub fn fmt_date(date: NaiveDate) -> String {
    format!("{date}（{}）", weekday_zh(date))
}

pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.succ_opt().ok_or(CalendarError::DateOverflow(date))
}

impl Calendar {
    /// The same official data with a tenant's local adjustments (replacing any it had).
    pub fn with_local(
        &self,
        local: impl IntoIterator<Item = LocalAdjustment>,
    ) -> Result<Calendar, CalendarError> {
        let mut cal = Calendar {
            years: self.years.clone(),
            official: self.official.clone(),
            local: BTreeMap::new(),
        };
        for adj in local {
            if cal.local.insert(adj.date, (adj.kind, adj.reason)).is_some() {
                return Err(CalendarError::DuplicateLocalAdjustment(adj.date));
            }
        }
        Ok(cal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn off(date: NaiveDate, name: &str) -> OfficialDay {
        OfficialDay {
            date,
            kind: OfficialKind::Holiday,
            name: name.into(),
        }
    }

    fn work(date: NaiveDate, name: &str) -> OfficialDay {
        OfficialDay {
            date,
            kind: OfficialKind::MakeUpWorkday,
            name: name.into(),
        }
    }

    /// The real 2025 National Day/Mid-Autumn and 2026 New Year arrangements, as in the
    /// State Council notices (国办发明电〔2024〕12号, 国办发明电〔2025〕7号) and in the
    /// `chinese_holiday` crate (cross-checked in official.rs tests):
    /// 2025: 10-01..10-08 off; 09-28 (Sun) and 10-11 (Sat) work.
    /// 2026: 01-01..01-03 off; 01-04 (Sun) work.
    fn cal() -> Calendar {
        let mut days = vec![
            work(d(2025, 9, 28), "国庆节、中秋节"),
            work(d(2025, 10, 11), "国庆节、中秋节"),
            work(d(2026, 1, 4), "元旦"),
        ];
        for day in 1..=8 {
            days.push(off(d(2025, 10, day), "国庆节、中秋节"));
        }
        for day in 1..=3 {
            days.push(off(d(2026, 1, day), "元旦"));
        }
        Calendar::new([2025, 2026], days, []).unwrap()
    }

    #[test]
    fn weekday_weekend_holiday_makeup() {
        let c = cal();
        assert!(c.is_working_day(d(2025, 9, 26)).unwrap()); // Fri
        assert!(!c.is_working_day(d(2025, 9, 27)).unwrap()); // Sat
        assert!(c.is_working_day(d(2025, 9, 28)).unwrap()); // Sun, 调休
        assert!(!c.is_working_day(d(2025, 10, 1)).unwrap()); // Wed, holiday
        assert!(!c.is_working_day(d(2025, 10, 8)).unwrap()); // Wed, holiday
        assert!(c.is_working_day(d(2025, 10, 9)).unwrap()); // Thu
        assert!(c.is_working_day(d(2025, 10, 11)).unwrap()); // Sat, 调休
        assert!(!c.is_working_day(d(2025, 10, 12)).unwrap()); // Sun
        assert_eq!(
            c.day_reason(d(2025, 10, 11)).unwrap(),
            DayReason::MakeUpWorkday {
                name: "国庆节、中秋节".into()
            }
        );
    }

    #[test]
    fn shifting_counts_both_ways() {
        let c = cal();
        // Forward, the same as adding; backward from Mon 10-13: 10-11 Sat (调休) = -1,
        // 10-10 = -2, 10-09 = -3, then the holiday week back to 09-30 = -4.
        assert_eq!(
            c.shift_working_days(d(2025, 9, 26), 7).unwrap(),
            d(2025, 10, 13)
        );
        assert_eq!(
            c.shift_working_days(d(2025, 10, 13), 0).unwrap(),
            d(2025, 10, 13)
        );
        assert_eq!(
            c.shift_working_days(d(2025, 10, 13), -1).unwrap(),
            d(2025, 10, 11)
        );
        assert_eq!(
            c.shift_working_days(d(2025, 10, 13), -4).unwrap(),
            d(2025, 9, 30)
        );
        // The trait object the plugin host holds answers the same.
        let days: &dyn WorkingDays<Error = CalendarError> = &c;
        assert_eq!(
            days.shift_working_days(d(2025, 10, 13), -4).unwrap(),
            d(2025, 9, 30)
        );
        assert_eq!(
            c.shift_working_days(d(2025, 1, 2), -5),
            Err(CalendarError::NoDataForYear(2024))
        );
    }

    #[test]
    fn national_day_week_2025() {
        let c = cal();
        // From Fri 09-26: 09-27 Sat off; 09-28 Sun (调休) = 1; 09-29 = 2; 09-30 = 3;
        // 10-01..10-08 off; 10-09 = 4; 10-10 = 5; 10-11 Sat (调休) = 6; 10-12 Sun off; 10-13 = 7.
        assert_eq!(
            c.add_working_days(d(2025, 9, 26), 1).unwrap(),
            d(2025, 9, 28)
        );
        assert_eq!(
            c.add_working_days(d(2025, 9, 26), 3).unwrap(),
            d(2025, 9, 30)
        );
        assert_eq!(
            c.add_working_days(d(2025, 9, 26), 4).unwrap(),
            d(2025, 10, 9)
        );
        assert_eq!(
            c.add_working_days(d(2025, 9, 26), 6).unwrap(),
            d(2025, 10, 11)
        );
        assert_eq!(
            c.add_working_days(d(2025, 9, 26), 7).unwrap(),
            d(2025, 10, 13)
        );
        assert_eq!(
            c.working_days_between(d(2025, 9, 26), d(2025, 10, 13))
                .unwrap(),
            7
        );
        // 18 calendar days, of which the whole holiday week counts zero.
        assert_eq!(
            c.working_days_between(d(2025, 9, 30), d(2025, 10, 8))
                .unwrap(),
            0
        );
        assert_eq!(
            c.add_working_days(d(2025, 10, 1), 0).unwrap(),
            d(2025, 10, 1)
        );
    }

    #[test]
    fn across_new_year() {
        let c = cal();
        // 2025-12-31 Wed; 2026-01-01..03 off; 01-04 Sun (调休) is the first working day.
        assert_eq!(
            c.add_working_days(d(2025, 12, 31), 1).unwrap(),
            d(2026, 1, 4)
        );
        assert_eq!(
            c.add_working_days(d(2025, 12, 31), 2).unwrap(),
            d(2026, 1, 5)
        );
        // 12-26 Fri, 12-29, 12-30, 12-31, 01-04, 01-05 = 6.
        assert_eq!(
            c.working_days_between(d(2025, 12, 25), d(2026, 1, 5))
                .unwrap(),
            6
        );
        assert_eq!(
            c.working_days_between(d(2026, 1, 5), d(2025, 12, 25))
                .unwrap(),
            0
        );
    }

    #[test]
    fn missing_year_is_an_error() {
        let c = cal();
        assert_eq!(
            c.is_working_day(d(2024, 12, 31)),
            Err(CalendarError::NoDataForYear(2024))
        );
        // Running off the end of the data is an error too, not a guess.
        assert_eq!(
            c.add_working_days(d(2026, 12, 20), 20),
            Err(CalendarError::NoDataForYear(2027))
        );
        assert_eq!(
            c.working_days_between(d(2026, 12, 30), d(2027, 1, 5)),
            Err(CalendarError::NoDataForYear(2027))
        );
        // A local adjustment does not stand in for the missing official notice.
        let with_local = Calendar::new(
            [2026],
            [],
            [LocalAdjustment {
                date: d(2027, 1, 4),
                kind: LocalKind::Workday,
                reason: "x".into(),
            }],
        )
        .unwrap();
        assert_eq!(
            with_local.is_working_day(d(2027, 1, 4)),
            Err(CalendarError::NoDataForYear(2027))
        );
    }

    #[test]
    fn local_adjustments_override_official_data() {
        let mut days = vec![];
        for day in 1..=8 {
            days.push(off(d(2025, 10, day), "国庆节、中秋节"));
        }
        days.push(work(d(2025, 10, 11), "国庆节、中秋节"));
        let c = Calendar::new(
            [2025],
            days,
            [
                // Typhoon closure on an ordinary Thursday.
                LocalAdjustment {
                    date: d(2025, 10, 9),
                    kind: LocalKind::DayOff,
                    reason: "台风停工".into(),
                },
                // A make-up working day cancelled locally.
                LocalAdjustment {
                    date: d(2025, 10, 11),
                    kind: LocalKind::DayOff,
                    reason: "本地不调休".into(),
                },
                // An official holiday worked locally.
                LocalAdjustment {
                    date: d(2025, 10, 8),
                    kind: LocalKind::Workday,
                    reason: "值班".into(),
                },
            ],
        )
        .unwrap();
        assert!(c.is_working_day(d(2025, 10, 8)).unwrap());
        assert!(!c.is_working_day(d(2025, 10, 9)).unwrap());
        assert!(!c.is_working_day(d(2025, 10, 11)).unwrap());
        // From 10-07: 10-08 (local workday) = 1, 10-09 off, 10-10 = 2, 10-11 off,
        // 10-12 Sun off, 10-13 = 3.
        assert_eq!(
            c.add_working_days(d(2025, 10, 7), 3).unwrap(),
            d(2025, 10, 13)
        );
        assert_eq!(
            c.day_reason(d(2025, 10, 9)).unwrap(),
            DayReason::LocalDayOff {
                reason: "台风停工".into()
            }
        );
    }

    #[test]
    fn explain_lists_every_day_with_reason() {
        let c = cal();
        let e = c.explain(d(2025, 9, 26), 4).unwrap();
        assert_eq!(e.end, d(2025, 10, 9));
        // 09-27 .. 10-09 inclusive = 13 days.
        assert_eq!(e.days.len(), 13);
        assert_eq!(e.days[0].reason, DayReason::Weekend);
        assert_eq!(e.days[0].ordinal, None);
        assert_eq!(e.days[1].ordinal, Some(1)); // 09-28 调休
        assert!(matches!(e.days[1].reason, DayReason::MakeUpWorkday { .. }));
        assert!(matches!(e.days[4].reason, DayReason::Holiday { .. })); // 10-01
        let lines = e.lines();
        assert!(lines[1].starts_with("2025-09-28（周日）：第1个工作日（国庆节、中秋节调休上班日"));
        assert!(lines[4].contains("不计（国庆节、中秋节放假"));
        // 1 weekend + 1 调休 + 8 holiday days need explaining; 3 ordinary days do not.
        assert_eq!(e.notable_days().count(), 10);
    }

    #[test]
    fn bad_input_is_rejected() {
        assert_eq!(
            Calendar::new([2025], [off(d(2026, 1, 1), "元旦")], []),
            Err(CalendarError::OfficialDayOutsideYears(d(2026, 1, 1), 2026))
        );
        assert_eq!(
            Calendar::new([2025], [work(d(2025, 10, 10), "x")], []),
            Err(CalendarError::MakeUpWorkdayNotWeekend(d(2025, 10, 10)))
        );
        assert_eq!(
            Calendar::new(
                [2025],
                [off(d(2025, 10, 1), "a"), off(d(2025, 10, 1), "b")],
                []
            ),
            Err(CalendarError::DuplicateOfficialDay(d(2025, 10, 1)))
        );
    }

    #[test]
    fn year_with_data_but_no_named_days_is_plain_weeks() {
        let c = Calendar::new([2030], [], []).unwrap();
        assert!(c.is_working_day(d(2030, 1, 1)).unwrap()); // Tue, no notice entries given
        assert!(!c.is_working_day(d(2030, 1, 5)).unwrap()); // Sat
    }
}
