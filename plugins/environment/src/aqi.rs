//! Air Quality Index per HJ 633, with breakpoint tables versioned by date.
//!
//! All arithmetic is exact: concentrations are held as integers in
//! thousandths of their unit (µg/m³, CO mg/m³), so "round up" never trips
//! over binary floating point (50.000000001 must not become 51).
//!
//! Choices where the standard text (DOMAIN.md §6) leaves room:
//! * **Rounding of concentrations (2026 only)** follows GB/T 8170 数值修约
//!   (ties to even: 34.5 → 34, 35.5 → 36), the rounding standard Chinese
//!   environmental standards refer to. HJ 633-2012 readings are used as given.
//! * **Periods.** A reading is hourly (`1h`, real-time report) or daily
//!   (`24h`, daily report). Hourly: SO2/NO2/CO/O3 use their 1-hour tables;
//!   PM10/PM2.5 use the 24-hour tables under both versions (HJ 633-2012 has
//!   no 1-hour PM table; 2026 says so explicitly); `o3_8h` is the 8-hour
//!   moving mean and counts when given. Daily: the 24-hour tables, `o3_8h`
//!   is the daily maximum 8-hour mean; `o3_1h` (daily maximum 1-hour mean)
//!   counts under 2012 only (seven indicators), and is ignored under 2026
//!   (six indicators).
//! * **Above the top breakpoint.** SO2 1h > 800: 2012 reports the SO2 24-hour
//!   IAQI instead (`so2_24h` must be given), 2026 counts IAQI 200. O3 8h > 800:
//!   2012 reports the O3 1-hour IAQI instead (`o3_1h` must be given), 2026
//!   counts 300. Any other value above the top of its table counts IAQI 500
//!   (the scale's end) and validation warns.
//! * **AQI range.** 2026: AQI is clamped to 1–500 (all-zero readings give 1).
//!   2012: 0–500. IAQI values themselves are not clamped below.
//! * **The date** that picks the table is the local date of the reading's
//!   time as written (China Standard Time); 2026-03-01T00:00 is judged by 2026.

use gongkai_plugin_sdk::Date;

pub const IAQI_LEVELS: [u32; 8] = [0, 50, 100, 150, 200, 300, 400, 500];

/// The first day HJ 633-2026 applies.
pub const HJ633_2026_IN_FORCE: Date = Date {
    year: 2026,
    month: 3,
    day: 1,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    Hj633_2012,
    Hj633_2026,
}

impl Standard {
    /// The rules in force on `date`.
    pub fn in_force_on(date: Date) -> Standard {
        if date >= HJ633_2026_IN_FORCE {
            Standard::Hj633_2026
        } else {
            Standard::Hj633_2012
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Standard::Hj633_2012 => "HJ 633-2012",
            Standard::Hj633_2026 => "HJ 633-2026",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Hour,
    Day,
}

/// One breakpoint table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    So2_24h,
    So2_1h,
    No2_24h,
    No2_1h,
    Pm10_24h,
    Co24h,
    Co1h,
    O3_1h,
    O3_8h,
    Pm25_24h,
}

impl Table {
    /// Concentration breakpoints for IAQI 0, 50, 100, … (µg/m³, CO mg/m³).
    pub fn breakpoints(self, std: Standard) -> &'static [u32] {
        let new = std == Standard::Hj633_2026;
        match self {
            Table::So2_24h => &[0, 50, 150, 475, 800, 1600, 2100, 2620],
            Table::So2_1h => &[0, 150, 500, 650, 800],
            Table::No2_24h => &[0, 40, 80, 180, 280, 565, 750, 940],
            Table::No2_1h => &[0, 100, 200, 700, 1200, 2340, 3090, 3840],
            Table::Pm10_24h if new => &[0, 50, 120, 250, 350, 420, 500, 600],
            Table::Pm10_24h => &[0, 50, 150, 250, 350, 420, 500, 600],
            Table::Co24h => &[0, 2, 4, 14, 24, 36, 48, 60],
            Table::Co1h => &[0, 5, 10, 35, 60, 90, 120, 150],
            Table::O3_1h => &[0, 160, 200, 300, 400, 800, 1000, 1200],
            Table::O3_8h => &[0, 100, 160, 215, 265, 800],
            Table::Pm25_24h if new => &[0, 35, 60, 115, 150, 250, 350, 500],
            Table::Pm25_24h => &[0, 35, 75, 115, 150, 250, 350, 500],
        }
    }
    pub fn is_co(self) -> bool {
        matches!(self, Table::Co24h | Table::Co1h)
    }
}

/// Rounds a concentration (in thousandths) to `step` thousandths, ties to even
/// (GB/T 8170).
pub fn round_half_even(milli: i64, step: i64) -> i64 {
    let q = milli.div_euclid(step);
    let r = milli.rem_euclid(step);
    let up = match (2 * r).cmp(&step) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => q % 2 != 0,
    };
    (q + i64::from(up)) * step
}

/// A concentration as thousandths of its unit.
pub fn to_milli(c: f64) -> i64 {
    (c * 1000.0).round() as i64
}

/// The concentration the standard computes with: as given (2012) or
/// rounded to 1 µg/m³ / 0.1 mg/m³ for CO (2026).
pub fn effective_milli(c: f64, table: Table, std: Standard) -> i64 {
    let m = to_milli(c);
    match std {
        Standard::Hj633_2012 => m,
        Standard::Hj633_2026 => round_half_even(m, if table.is_co() { 100 } else { 1000 }),
    }
}

/// IAQI of one concentration on one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Iaqi {
    Value(u32),
    /// Above the table's top breakpoint.
    AboveTable,
}

/// IAQI = (IAQI_hi − IAQI_lo)/(BP_hi − BP_lo) × (C − BP_lo) + IAQI_lo, rounded up.
pub fn iaqi_milli(c_milli: i64, table: Table, std: Standard) -> Iaqi {
    let bp = table.breakpoints(std);
    let c = c_milli.max(0);
    for i in 1..bp.len() {
        let hi = i64::from(bp[i]) * 1000;
        if c <= hi {
            let lo = i64::from(bp[i - 1]) * 1000;
            let (ilo, ihi) = (i64::from(IAQI_LEVELS[i - 1]), i64::from(IAQI_LEVELS[i]));
            let num = (ihi - ilo) * (c - lo);
            let den = hi - lo;
            let v = ilo + (num + den - 1) / den; // ceil for num >= 0
            return Iaqi::Value(v as u32);
        }
    }
    Iaqi::AboveTable
}

/// IAQI of a concentration as reported (applies the version's rounding).
pub fn iaqi(c: f64, table: Table, std: Standard) -> Iaqi {
    iaqi_milli(effective_milli(c, table, std), table, std)
}

/// Concentrations of one reading, as given (µg/m³; CO mg/m³).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Concentrations {
    pub so2: Option<f64>,
    pub no2: Option<f64>,
    pub pm10: Option<f64>,
    pub co: Option<f64>,
    pub o3_1h: Option<f64>,
    pub o3_8h: Option<f64>,
    pub pm25: Option<f64>,
    /// SO2 24-hour mean, used for hourly readings with SO2 1h > 800 under 2012.
    pub so2_24h: Option<f64>,
}

/// Indicator ids (= field ids) and their display names.
pub const INDICATORS: [(&str, &str); 7] = [
    ("so2", "SO2"),
    ("no2", "NO2"),
    ("pm10", "PM10"),
    ("co", "CO"),
    ("o3_1h", "O3_1h"),
    ("o3_8h", "O3_8h"),
    ("pm25", "PM2.5"),
];

pub fn display_name(id: &str) -> &'static str {
    INDICATORS
        .iter()
        .find(|(i, _)| *i == id)
        .map_or("?", |(_, n)| n)
}

/// Why an AQI cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AqiError {
    /// No concentration counts for this period and version.
    NoIndicators,
    /// (indicator id, missing companion field id)
    NeedsCompanion(&'static str, &'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AqiResult {
    pub standard: Standard,
    /// (indicator id, IAQI) for every indicator that counts, in INDICATORS order.
    pub iaqi: Vec<(&'static str, u32)>,
    pub aqi: u32,
    /// Indicator ids whose IAQI equals the AQI, when AQI > 50.
    pub primary: Vec<&'static str>,
    /// Indicators above the top of their table (counted as 500).
    pub above_scale: Vec<&'static str>,
}

impl AqiResult {
    pub fn level(&self) -> Level {
        Level::of(self.aqi)
    }
    pub fn iaqi_of(&self, id: &str) -> Option<u32> {
        self.iaqi.iter().find(|(i, _)| *i == id).map(|(_, v)| *v)
    }
}

/// The table an indicator is judged by for a period.
pub fn table_for(id: &str, period: Period) -> Option<Table> {
    Some(match (id, period) {
        ("so2", Period::Day) => Table::So2_24h,
        ("so2", Period::Hour) => Table::So2_1h,
        ("no2", Period::Day) => Table::No2_24h,
        ("no2", Period::Hour) => Table::No2_1h,
        ("pm10", _) => Table::Pm10_24h,
        ("pm25", _) => Table::Pm25_24h,
        ("co", Period::Day) => Table::Co24h,
        ("co", Period::Hour) => Table::Co1h,
        ("o3_1h", _) => Table::O3_1h,
        ("o3_8h", _) => Table::O3_8h,
        _ => return None,
    })
}

/// Whether an indicator counts for this period and version.
pub fn counts(id: &str, period: Period, std: Standard) -> bool {
    !(id == "o3_1h" && period == Period::Day && std == Standard::Hj633_2026)
}

/// The AQI of one reading.
pub fn compute(c: &Concentrations, period: Period, std: Standard) -> Result<AqiResult, AqiError> {
    let values = [c.so2, c.no2, c.pm10, c.co, c.o3_1h, c.o3_8h, c.pm25];
    let mut iaqi = Vec::new();
    let mut above_scale = Vec::new();
    for ((id, _), v) in INDICATORS.iter().zip(values) {
        let Some(v) = v else { continue };
        if !counts(id, period, std) {
            continue;
        }
        let table = table_for(id, period).expect("every indicator has a table");
        let value = match (iaqi_fn(v, table, std), table, std) {
            (Iaqi::Value(x), _, _) => x,
            (Iaqi::AboveTable, Table::So2_1h, Standard::Hj633_2026) => 200,
            (Iaqi::AboveTable, Table::O3_8h, Standard::Hj633_2026) => 300,
            (Iaqi::AboveTable, Table::So2_1h, Standard::Hj633_2012) => {
                let d = c
                    .so2_24h
                    .ok_or(AqiError::NeedsCompanion("so2", "so2_24h"))?;
                match iaqi_fn(d, Table::So2_24h, std) {
                    Iaqi::Value(x) => x,
                    Iaqi::AboveTable => {
                        above_scale.push(*id);
                        500
                    }
                }
            }
            (Iaqi::AboveTable, Table::O3_8h, Standard::Hj633_2012) => {
                // Reported through the O3 1-hour IAQI, which is an indicator of
                // its own; the 8-hour one drops out.
                if c.o3_1h.is_none() {
                    return Err(AqiError::NeedsCompanion("o3_8h", "o3_1h"));
                }
                continue;
            }
            (Iaqi::AboveTable, _, _) => {
                above_scale.push(*id);
                500
            }
        };
        iaqi.push((*id, value));
    }
    if iaqi.is_empty() {
        return Err(AqiError::NoIndicators);
    }
    let max = iaqi.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let aqi = match std {
        Standard::Hj633_2012 => max.min(500),
        Standard::Hj633_2026 => max.clamp(1, 500),
    };
    let primary = if aqi > 50 {
        iaqi.iter()
            .filter(|(_, v)| *v == aqi)
            .map(|(i, _)| *i)
            .collect()
    } else {
        Vec::new()
    };
    Ok(AqiResult {
        standard: std,
        iaqi,
        aqi,
        primary,
        above_scale,
    })
}

fn iaqi_fn(c: f64, table: Table, std: Standard) -> Iaqi {
    iaqi(c, table, std)
}

/// AQI level (级别) and category (类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    I,
    II,
    III,
    IV,
    V,
    VI,
}

impl Level {
    pub fn of(aqi: u32) -> Level {
        match aqi {
            0..=50 => Level::I,
            51..=100 => Level::II,
            101..=150 => Level::III,
            151..=200 => Level::IV,
            201..=300 => Level::V,
            _ => Level::VI,
        }
    }
    pub fn code(self) -> &'static str {
        ["I", "II", "III", "IV", "V", "VI"][self as usize]
    }
    pub fn zh(self) -> &'static str {
        ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"][self as usize]
    }
    pub fn en(self) -> &'static str {
        [
            "Excellent",
            "Good",
            "Lightly polluted",
            "Moderately polluted",
            "Heavily polluted",
            "Severely polluted",
        ][self as usize]
    }
    pub const ALL: [Level; 6] = [
        Level::I,
        Level::II,
        Level::III,
        Level::IV,
        Level::V,
        Level::VI,
    ];
}
