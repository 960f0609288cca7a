//! The one clock of the platform. Every "today" (request deadlines, publication
//! deadlines, plugin rules, reminders, scheduled publication) comes from here, so a
//! demo or a test that fixes the day (`clock_today`) is consistent everywhere.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

/// China Standard Time: legal days are counted in it (UTC+8, no daylight saving).
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

/// The calendar day in China at `at`.
pub fn day_in_china(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china()).date_naive()
}

/// The wall clock, or a fixed day (demos and tests). Cloning shares the setting.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed_day: Arc<RwLock<Option<NaiveDate>>>,
}

impl Clock {
    /// The wall clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock whose day is `day` until moved (times of day still run).
    pub fn fixed(day: NaiveDate) -> Clock {
        let clock = Clock::default();
        clock.set_today(day);
        clock
    }

    /// The wall clock, or the fixed day when `day` is given.
    pub fn from_setting(day: Option<NaiveDate>) -> Clock {
        day.map(Clock::fixed).unwrap_or_default()
    }

    /// Today in China.
    pub fn today(&self) -> NaiveDate {
        self.fixed_day().unwrap_or_else(|| day_in_china(Utc::now()))
    }

    /// Now. On a fixed day, the wall clock's time of day (in China) on that day, so that
    /// "now" and "today" never disagree.
    pub fn now(&self) -> DateTime<Utc> {
        let wall = Utc::now();
        match self.fixed_day() {
            None => wall,
            Some(day) => wall + Duration::days((day - day_in_china(wall)).num_days()),
        }
    }

    /// Moves the fixed day (tests and demos).
    pub fn set_today(&self, day: NaiveDate) {
        *self.fixed_day.write().expect("clock lock") = Some(day);
    }

    fn fixed_day(&self) -> Option<NaiveDate> {
        *self.fixed_day.read().expect("clock lock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_day_is_today_and_now_falls_on_it() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
        let clock = Clock::fixed(day);
        assert_eq!(clock.today(), day);
        assert_eq!(day_in_china(clock.now()), day);
        let moved = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        clock.clone().set_today(moved);
        assert_eq!(clock.today(), moved, "clones share the setting");
    }

    #[test]
    fn the_system_clock_follows_the_wall() {
        let clock = Clock::system();
        assert_eq!(clock.today(), day_in_china(Utc::now()));
    }
}
