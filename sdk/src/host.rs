//! What the host offers: the call context, the working-day calendar and logging.

use crate::Date;

/// The tenant's working-day calendar (the `working-days` import).
pub trait WorkingDays {
    /// The date `n` working days after `start` (`start` not counted; n < 0
    /// goes backwards; n = 0 returns `start`).
    fn add_working_days(&self, start: Date, n: i32) -> Result<Date, String>;
    fn is_working_day(&self, day: Date) -> Result<bool, String>;
}

/// A calendar for native tests: Monday–Friday are working days, except the
/// listed holidays; listed make-up days (调休) are working days even on weekends.
#[derive(Debug, Clone, Default)]
pub struct TestCalendar {
    pub holidays: Vec<Date>,
    pub makeup_days: Vec<Date>,
}

impl TestCalendar {
    pub fn weekdays() -> TestCalendar {
        TestCalendar::default()
    }
    pub fn holiday(mut self, d: Date) -> TestCalendar {
        self.holidays.push(d);
        self
    }
    pub fn makeup_day(mut self, d: Date) -> TestCalendar {
        self.makeup_days.push(d);
        self
    }
    fn working(&self, d: Date) -> bool {
        if self.makeup_days.contains(&d) {
            return true;
        }
        d.weekday() <= 5 && !self.holidays.contains(&d)
    }
}

impl WorkingDays for TestCalendar {
    fn add_working_days(&self, start: Date, n: i32) -> Result<Date, String> {
        let step = if n < 0 { -1 } else { 1 };
        let mut d = start;
        let mut left = n.unsigned_abs();
        while left > 0 {
            d = d.add_days(step).ok_or("date out of range")?;
            if self.working(d) {
                left -= 1;
            }
        }
        Ok(d)
    }
    fn is_working_day(&self, day: Date) -> Result<bool, String> {
        Ok(self.working(day))
    }
}

#[cfg(target_arch = "wasm32")]
static DEFAULT_CALENDAR: crate::__glue::HostCalendar = crate::__glue::HostCalendar;
#[cfg(not(target_arch = "wasm32"))]
static DEFAULT_CALENDAR: TestCalendar = TestCalendar {
    holidays: Vec::new(),
    makeup_days: Vec::new(),
};

/// Who is asking, when, in which language, with which calendar.
pub struct Context<'a> {
    pub tenant: String,
    /// The host's date in the tenant's time zone (plugins have no clock).
    pub today: Date,
    /// BCP 47 tag ("zh-CN", "en").
    pub locale: String,
    calendar: &'a dyn WorkingDays,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("tenant", &self.tenant)
            .field("today", &self.today)
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

impl Context<'static> {
    /// A context using the default calendar: the host's on wasm, Monday–Friday natively.
    pub fn new(tenant: &str, today: Date, locale: &str) -> Context<'static> {
        Context {
            tenant: tenant.into(),
            today,
            locale: locale.into(),
            calendar: &DEFAULT_CALENDAR,
        }
    }
}

impl<'a> Context<'a> {
    /// The same context with another calendar (for tests).
    pub fn with_calendar<'b>(self, calendar: &'b dyn WorkingDays) -> Context<'b> {
        Context {
            tenant: self.tenant,
            today: self.today,
            locale: self.locale,
            calendar,
        }
    }
    pub fn calendar(&self) -> &'a dyn WorkingDays {
        self.calendar
    }
    /// Whether messages should be English.
    pub fn english(&self) -> bool {
        self.locale.starts_with("en")
    }
    /// Picks the message for the locale.
    pub fn msg(&self, zh: impl Into<String>, en: impl Into<String>) -> String {
        if self.english() {
            en.into()
        } else {
            zh.into()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

/// Logs through the host (the `log` import). Natively: to stderr when
/// `GONGKAI_PLUGIN_LOG` is set. Never log personal data.
pub fn log(level: LogLevel, message: &str) {
    #[cfg(target_arch = "wasm32")]
    crate::__glue::log(level, message);
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("GONGKAI_PLUGIN_LOG").is_some() {
        eprintln!("[plugin {level:?}] {message}");
    }
}
