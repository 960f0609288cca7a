//! Unit tests. The breakpoint tables below were computed independently of
//! this crate (exact fractions, then rounded up) at every breakpoint and one
//! unit (CO: 0.1 mg/m³) either side; -1 means "above the table". A few are
//! worked by hand in comments.

use crate::aqi::{self, Concentrations, Iaqi, Level, Period, Standard, Table, Table::*};
use crate::eia;
use crate::water::{self, WaterBody};
use crate::{Environment, AIR, EIA, WATER};
use gongkai_plugin_sdk::{
    serde_json::json, Context, Date, ExportItem, Fields, Plugin, PluginError, Severity,
    TestCalendar, Value,
};

const Y2012: Standard = Standard::Hj633_2012;
const Y2026: Standard = Standard::Hj633_2026;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn check(table: Table, std: Standard, cases: &[(f64, i64)]) {
    for &(c, want) in cases {
        let got = match aqi::iaqi(c, table, std) {
            Iaqi::Value(v) => i64::from(v),
            Iaqi::AboveTable => -1,
        };
        assert_eq!(got, want, "{table:?} {std:?} C={c}");
    }
}

#[test]
fn iaqi_at_and_around_every_breakpoint() {
    // By hand: NO2 24h 41 → (100−50)/(80−40)×(41−40)+50 = 51.25 → 52;
    // SO2 24h 149 → 50/100×99+50 = 99.5 → 100; PM2.5 (2026) 61 → 50/55×1+100 → 101.
    check(
        So2_24h,
        Y2012,
        &[
            (0.0, 0),
            (1.0, 1),
            (49.0, 49),
            (50.0, 50),
            (51.0, 51),
            (149.0, 100),
            (150.0, 100),
            (151.0, 101),
            (474.0, 150),
            (475.0, 150),
            (476.0, 151),
            (799.0, 200),
            (800.0, 200),
            (801.0, 201),
            (1599.0, 300),
            (1600.0, 300),
            (1601.0, 301),
            (2099.0, 400),
            (2100.0, 400),
            (2101.0, 401),
            (2619.0, 500),
            (2620.0, 500),
            (2621.0, -1),
        ],
    );
    check(
        So2_1h,
        Y2012,
        &[
            (0.0, 0),
            (1.0, 1),
            (149.0, 50),
            (150.0, 50),
            (151.0, 51),
            (499.0, 100),
            (500.0, 100),
            (501.0, 101),
            (649.0, 150),
            (650.0, 150),
            (651.0, 151),
            (799.0, 200),
            (800.0, 200),
            (801.0, -1),
        ],
    );
    check(
        No2_24h,
        Y2012,
        &[
            (0.0, 0),
            (1.0, 2),
            (39.0, 49),
            (40.0, 50),
            (41.0, 52),
            (79.0, 99),
            (80.0, 100),
            (81.0, 101),
            (179.0, 150),
            (180.0, 150),
            (181.0, 151),
            (279.0, 200),
            (280.0, 200),
            (281.0, 201),
            (564.0, 300),
            (565.0, 300),
            (566.0, 301),
            (749.0, 400),
            (750.0, 400),
            (751.0, 401),
            (939.0, 500),
            (940.0, 500),
            (941.0, -1),
        ],
    );
    check(
        No2_1h,
        Y2012,
        &[
            (0.0, 0),
            (1.0, 1),
            (99.0, 50),
            (100.0, 50),
            (101.0, 51),
            (199.0, 100),
            (200.0, 100),
            (201.0, 101),
            (699.0, 150),
            (700.0, 150),
            (701.0, 151),
            (1199.0, 200),
            (1200.0, 200),
            (1201.0, 201),
            (2339.0, 300),
            (2340.0, 300),
            (2341.0, 301),
            (3089.0, 400),
            (3090.0, 400),
            (3091.0, 401),
            (3839.0, 500),
            (3840.0, 500),
            (3841.0, -1),
        ],
    );
    check(
        Pm10_24h,
        Y2012,
        &[
            (0.0, 0),
            (1.0, 1),
            (49.0, 49),
            (50.0, 50),
            (51.0, 51),
            (149.0, 100),
            (150.0, 100),
            (151.0, 101),
            (249.0, 150),
            (250.0, 150),
            (251.0, 151),
            (349.0, 200),
            (350.0, 200),
            (351.0, 202),
            (419.0, 299),
            (420.0, 300),
            (421.0, 302),
            (499.0, 399),
            (500.0, 400),
            (501.0, 401),
            (599.0, 499),
            (600.0, 500),
            (601.0, -1),
        ],
    );
    check(
        Co24h,
        Y2012,
        &[
            (0.0, 0),
            (0.1, 3),
            (1.9, 48),
            (2.0, 50),
            (2.1, 53),
            (3.9, 98),
            (4.0, 100),
            (4.1, 101),
            (13.9, 150),
            (14.0, 150),
            (14.1, 151),
            (23.9, 200),
            (24.0, 200),
            (24.1, 201),
            (35.9, 300),
            (36.0, 300),
            (36.1, 301),
            (47.9, 400),
            (48.0, 400),
            (48.1, 401),
            (59.9, 500),
            (60.0, 500),
            (60.1, -1),
        ],
    );
    check(
        Co1h,
        Y2012,
        &[
            (0.0, 0),
            (0.1, 1),
            (4.9, 49),
            (5.0, 50),
            (5.1, 51),
            (9.9, 99),
            (10.0, 100),
            (10.1, 101),
            (34.9, 150),
            (35.0, 150),
            (35.1, 151),
            (59.9, 200),
            (60.0, 200),
            (60.1, 201),
            (89.9, 300),
            (90.0, 300),
            (90.1, 301),
            (119.9, 400),
            (120.0, 400),
            (120.1, 401),
            (149.9, 500),
            (150.0, 500),
            (150.1, -1),
        ],
    );
    check(
        O3_1h,
        Y2012,
        &[
            (0.0, 0),
            (1.0, 1),
            (159.0, 50),
            (160.0, 50),
            (161.0, 52),
            (199.0, 99),
            (200.0, 100),
            (201.0, 101),
            (299.0, 150),
            (300.0, 150),
            (301.0, 151),
            (399.0, 200),
            (400.0, 200),
            (401.0, 201),
            (799.0, 300),
            (800.0, 300),
            (801.0, 301),
            (999.0, 400),
            (1000.0, 400),
            (1001.0, 401),
            (1199.0, 500),
            (1200.0, 500),
            (1201.0, -1),
        ],
    );
    check(
        O3_8h,
        Y2012,
        &[
            (0.0, 0),
            (1.0, 1),
            (99.0, 50),
            (100.0, 50),
            (101.0, 51),
            (159.0, 100),
            (160.0, 100),
            (161.0, 101),
            (214.0, 150),
            (215.0, 150),
            (216.0, 151),
            (264.0, 199),
            (265.0, 200),
            (266.0, 201),
            (799.0, 300),
            (800.0, 300),
            (801.0, -1),
        ],
    );
    check(
        Pm25_24h,
        Y2012,
        &[
            (0.0, 0),
            (1.0, 2),
            (34.0, 49),
            (35.0, 50),
            (36.0, 52),
            (74.0, 99),
            (75.0, 100),
            (76.0, 102),
            (114.0, 149),
            (115.0, 150),
            (116.0, 152),
            (149.0, 199),
            (150.0, 200),
            (151.0, 201),
            (249.0, 299),
            (250.0, 300),
            (251.0, 301),
            (349.0, 399),
            (350.0, 400),
            (351.0, 401),
            (499.0, 500),
            (500.0, 500),
            (501.0, -1),
        ],
    );
    check(
        So2_24h,
        Y2026,
        &[
            (0.0, 0),
            (1.0, 1),
            (49.0, 49),
            (50.0, 50),
            (51.0, 51),
            (149.0, 100),
            (150.0, 100),
            (151.0, 101),
            (474.0, 150),
            (475.0, 150),
            (476.0, 151),
            (799.0, 200),
            (800.0, 200),
            (801.0, 201),
            (1599.0, 300),
            (1600.0, 300),
            (1601.0, 301),
            (2099.0, 400),
            (2100.0, 400),
            (2101.0, 401),
            (2619.0, 500),
            (2620.0, 500),
            (2621.0, -1),
        ],
    );
    check(
        So2_1h,
        Y2026,
        &[
            (0.0, 0),
            (1.0, 1),
            (149.0, 50),
            (150.0, 50),
            (151.0, 51),
            (499.0, 100),
            (500.0, 100),
            (501.0, 101),
            (649.0, 150),
            (650.0, 150),
            (651.0, 151),
            (799.0, 200),
            (800.0, 200),
            (801.0, -1),
        ],
    );
    check(
        No2_24h,
        Y2026,
        &[
            (0.0, 0),
            (1.0, 2),
            (39.0, 49),
            (40.0, 50),
            (41.0, 52),
            (79.0, 99),
            (80.0, 100),
            (81.0, 101),
            (179.0, 150),
            (180.0, 150),
            (181.0, 151),
            (279.0, 200),
            (280.0, 200),
            (281.0, 201),
            (564.0, 300),
            (565.0, 300),
            (566.0, 301),
            (749.0, 400),
            (750.0, 400),
            (751.0, 401),
            (939.0, 500),
            (940.0, 500),
            (941.0, -1),
        ],
    );
    check(
        No2_1h,
        Y2026,
        &[
            (0.0, 0),
            (1.0, 1),
            (99.0, 50),
            (100.0, 50),
            (101.0, 51),
            (199.0, 100),
            (200.0, 100),
            (201.0, 101),
            (699.0, 150),
            (700.0, 150),
            (701.0, 151),
            (1199.0, 200),
            (1200.0, 200),
            (1201.0, 201),
            (2339.0, 300),
            (2340.0, 300),
            (2341.0, 301),
            (3089.0, 400),
            (3090.0, 400),
            (3091.0, 401),
            (3839.0, 500),
            (3840.0, 500),
            (3841.0, -1),
        ],
    );
    check(
        Pm10_24h,
        Y2026,
        &[
            (0.0, 0),
            (1.0, 1),
            (49.0, 49),
            (50.0, 50),
            (51.0, 51),
            (119.0, 100),
            (120.0, 100),
            (121.0, 101),
            (249.0, 150),
            (250.0, 150),
            (251.0, 151),
            (349.0, 200),
            (350.0, 200),
            (351.0, 202),
            (419.0, 299),
            (420.0, 300),
            (421.0, 302),
            (499.0, 399),
            (500.0, 400),
            (501.0, 401),
            (599.0, 499),
            (600.0, 500),
            (601.0, -1),
        ],
    );
    check(
        Co24h,
        Y2026,
        &[
            (0.0, 0),
            (0.1, 3),
            (1.9, 48),
            (2.0, 50),
            (2.1, 53),
            (3.9, 98),
            (4.0, 100),
            (4.1, 101),
            (13.9, 150),
            (14.0, 150),
            (14.1, 151),
            (23.9, 200),
            (24.0, 200),
            (24.1, 201),
            (35.9, 300),
            (36.0, 300),
            (36.1, 301),
            (47.9, 400),
            (48.0, 400),
            (48.1, 401),
            (59.9, 500),
            (60.0, 500),
            (60.1, -1),
        ],
    );
    check(
        Co1h,
        Y2026,
        &[
            (0.0, 0),
            (0.1, 1),
            (4.9, 49),
            (5.0, 50),
            (5.1, 51),
            (9.9, 99),
            (10.0, 100),
            (10.1, 101),
            (34.9, 150),
            (35.0, 150),
            (35.1, 151),
            (59.9, 200),
            (60.0, 200),
            (60.1, 201),
            (89.9, 300),
            (90.0, 300),
            (90.1, 301),
            (119.9, 400),
            (120.0, 400),
            (120.1, 401),
            (149.9, 500),
            (150.0, 500),
            (150.1, -1),
        ],
    );
    check(
        O3_1h,
        Y2026,
        &[
            (0.0, 0),
            (1.0, 1),
            (159.0, 50),
            (160.0, 50),
            (161.0, 52),
            (199.0, 99),
            (200.0, 100),
            (201.0, 101),
            (299.0, 150),
            (300.0, 150),
            (301.0, 151),
            (399.0, 200),
            (400.0, 200),
            (401.0, 201),
            (799.0, 300),
            (800.0, 300),
            (801.0, 301),
            (999.0, 400),
            (1000.0, 400),
            (1001.0, 401),
            (1199.0, 500),
            (1200.0, 500),
            (1201.0, -1),
        ],
    );
    check(
        O3_8h,
        Y2026,
        &[
            (0.0, 0),
            (1.0, 1),
            (99.0, 50),
            (100.0, 50),
            (101.0, 51),
            (159.0, 100),
            (160.0, 100),
            (161.0, 101),
            (214.0, 150),
            (215.0, 150),
            (216.0, 151),
            (264.0, 199),
            (265.0, 200),
            (266.0, 201),
            (799.0, 300),
            (800.0, 300),
            (801.0, -1),
        ],
    );
    check(
        Pm25_24h,
        Y2026,
        &[
            (0.0, 0),
            (1.0, 2),
            (34.0, 49),
            (35.0, 50),
            (36.0, 52),
            (59.0, 98),
            (60.0, 100),
            (61.0, 101),
            (114.0, 150),
            (115.0, 150),
            (116.0, 152),
            (149.0, 199),
            (150.0, 200),
            (151.0, 201),
            (249.0, 299),
            (250.0, 300),
            (251.0, 301),
            (349.0, 399),
            (350.0, 400),
            (351.0, 401),
            (499.0, 500),
            (500.0, 500),
            (501.0, -1),
        ],
    );
}

#[test]
fn tables_differ_only_in_pm_for_2026() {
    for t in [So2_24h, So2_1h, No2_24h, No2_1h, Co24h, Co1h, O3_1h, O3_8h] {
        assert_eq!(t.breakpoints(Y2012), t.breakpoints(Y2026), "{t:?}");
    }
    assert_eq!(Pm25_24h.breakpoints(Y2026)[2], 60);
    assert_eq!(Pm25_24h.breakpoints(Y2012)[2], 75);
    assert_eq!(Pm10_24h.breakpoints(Y2026)[2], 120);
    assert_eq!(Pm10_24h.breakpoints(Y2012)[2], 150);
}

#[test]
fn standard_switches_on_2026_03_01() {
    assert_eq!(Standard::in_force_on(d("2026-02-28")), Y2012);
    assert_eq!(Standard::in_force_on(d("2026-03-01")), Y2026);
    assert_eq!(Standard::in_force_on(d("2013-01-01")), Y2012);
}

#[test]
fn concentrations_rounded_only_under_2026() {
    // 2012: 35.4 used as is: 50/35×35.4 = 50.57 → 51 (良). 2026: 35.4 → 35 → 50 (优).
    assert_eq!(aqi::iaqi(35.4, Pm25_24h, Y2012), Iaqi::Value(51));
    assert_eq!(aqi::iaqi(35.4, Pm25_24h, Y2026), Iaqi::Value(50));
    // GB/T 8170 ties to even: 35.5 → 36 → 50/25×1+50 = 52; 34.5 → 34 → 48.57 → 49.
    assert_eq!(aqi::iaqi(35.5, Pm25_24h, Y2026), Iaqi::Value(52));
    assert_eq!(aqi::iaqi(34.5, Pm25_24h, Y2026), Iaqi::Value(49));
    assert_eq!(aqi::iaqi(34.51, Pm25_24h, Y2026), Iaqi::Value(50));
    // CO to 0.1 mg/m³: 2.05 → 2.0 (50); 2.15 → 2.2 → 50/2×0.2+50 = 55; 2012: 2.05 → 51.25 → 52.
    assert_eq!(aqi::iaqi(2.05, Co24h, Y2026), Iaqi::Value(50));
    assert_eq!(aqi::iaqi(2.15, Co24h, Y2026), Iaqi::Value(55));
    assert_eq!(aqi::iaqi(2.05, Co24h, Y2012), Iaqi::Value(52));
    // Rounding can bring a value back inside the table: PM2.5 500.4 → 500.
    assert_eq!(aqi::iaqi(500.4, Pm25_24h, Y2026), Iaqi::Value(500));
    assert_eq!(aqi::iaqi(500.4, Pm25_24h, Y2012), Iaqi::AboveTable);
    assert_eq!(aqi::round_half_even(2500, 1000), 2000);
    assert_eq!(aqi::round_half_even(3500, 1000), 4000);
    assert_eq!(aqi::round_half_even(3501, 1000), 4000);
}

#[test]
fn iaqi_rounds_up_without_float_noise() {
    // 2012 NO2 24h 0.8 → 50/40×0.8 = 1.0 exactly → 1 (not 2); 0.801 → 1.00125 → 2.
    assert_eq!(aqi::iaqi(0.8, No2_24h, Y2012), Iaqi::Value(1));
    assert_eq!(aqi::iaqi(0.801, No2_24h, Y2012), Iaqi::Value(2));
    // PM2.5 2012 0.7 → 50/35×0.7 = 1.0 exactly.
    assert_eq!(aqi::iaqi(0.7, Pm25_24h, Y2012), Iaqi::Value(1));
}

fn day(c: Concentrations, std: Standard) -> aqi::AqiResult {
    aqi::compute(&c, Period::Day, std).unwrap()
}

#[test]
fn aqi_primary_pollutants_and_levels() {
    let c = Concentrations {
        pm25: Some(70.0),
        pm10: Some(80.0),
        no2: Some(30.0),
        ..Default::default()
    };
    // 2012: PM2.5 70 → 50/40×35+50 = 93.75 → 94; PM10 80 → 50/100×30+50 = 65; NO2 30 → 37.5 → 38.
    let r = day(c, Y2012);
    assert_eq!((r.aqi, r.primary.clone()), (94, vec!["pm25"]));
    assert_eq!(r.iaqi, vec![("no2", 38), ("pm10", 65), ("pm25", 94)]);
    assert_eq!(r.level(), Level::II);
    // 2026: PM2.5 70 → 50/55×10+100 = 109.09 → 110 (轻度污染).
    let r = day(c, Y2026);
    assert_eq!((r.aqi, r.level().zh()), (110, "轻度污染"));
    // No primary pollutant at AQI ≤ 50.
    let clean = Concentrations {
        pm25: Some(20.0),
        so2: Some(5.0),
        ..Default::default()
    };
    assert!(day(clean, Y2012).primary.is_empty());
    // Ties name every pollutant at the AQI: PM2.5 75 and PM10 150 both 100 (2012).
    let tie = Concentrations {
        pm25: Some(75.0),
        pm10: Some(150.0),
        ..Default::default()
    };
    assert_eq!(day(tie, Y2012).primary, vec!["pm10", "pm25"]);
    // Level boundaries.
    for (aqi, lvl) in [
        (0, "I"),
        (50, "I"),
        (51, "II"),
        (100, "II"),
        (101, "III"),
        (150, "III"),
        (151, "IV"),
        (200, "IV"),
        (201, "V"),
        (300, "V"),
        (301, "VI"),
        (500, "VI"),
    ] {
        assert_eq!(Level::of(aqi).code(), lvl, "{aqi}");
    }
}

#[test]
fn aqi_range() {
    let zero = Concentrations {
        pm25: Some(0.0),
        so2: Some(0.0),
        ..Default::default()
    };
    assert_eq!(day(zero, Y2012).aqi, 0);
    assert_eq!(day(zero, Y2026).aqi, 1);
    let high = Concentrations {
        pm25: Some(700.0),
        ..Default::default()
    };
    let r = day(high, Y2012);
    assert_eq!((r.aqi, r.above_scale.clone()), (500, vec!["pm25"]));
    assert_eq!(day(high, Y2026).aqi, 500);
    assert_eq!(
        aqi::compute(&Concentrations::default(), Period::Day, Y2012),
        Err(aqi::AqiError::NoIndicators)
    );
}

#[test]
fn so2_1h_above_800() {
    let c = Concentrations {
        so2: Some(900.0),
        ..Default::default()
    };
    // 2026: counts IAQI 200.
    assert_eq!(aqi::compute(&c, Period::Hour, Y2026).unwrap().aqi, 200);
    // 2012: the 24-hour IAQI is reported instead.
    assert_eq!(
        aqi::compute(&c, Period::Hour, Y2012),
        Err(aqi::AqiError::NeedsCompanion("so2", "so2_24h"))
    );
    let c = Concentrations {
        so2_24h: Some(300.0),
        ..c
    };
    // SO2 24h 300 → 50/325×150+100 = 123.08 → 124.
    let r = aqi::compute(&c, Period::Hour, Y2012).unwrap();
    assert_eq!((r.aqi, r.iaqi.clone()), (124, vec![("so2", 124)]));
    // At 800 the 1-hour table still applies.
    let at = Concentrations {
        so2: Some(800.0),
        ..Default::default()
    };
    assert_eq!(aqi::compute(&at, Period::Hour, Y2012).unwrap().aqi, 200);
}

#[test]
fn o3_8h_above_800() {
    let c = Concentrations {
        o3_8h: Some(850.0),
        ..Default::default()
    };
    assert_eq!(day(c, Y2026).aqi, 300);
    assert_eq!(
        aqi::compute(&c, Period::Day, Y2012),
        Err(aqi::AqiError::NeedsCompanion("o3_8h", "o3_1h"))
    );
    // 2012 reports O3 1h instead: 900 → 100/200×100+300 = 350.
    let c = Concentrations {
        o3_1h: Some(900.0),
        ..c
    };
    let r = day(c, Y2012);
    assert_eq!(
        (r.aqi, r.iaqi.clone(), r.primary.clone()),
        (350, vec![("o3_1h", 350)], vec!["o3_1h"])
    );
    // 2026 daily reports ignore the 1-hour ozone value.
    let r = day(c, Y2026);
    assert_eq!(r.iaqi, vec![("o3_8h", 300)]);
}

#[test]
fn hourly_readings_use_1h_tables_and_daily_pm_tables() {
    let c = Concentrations {
        no2: Some(150.0),
        pm25: Some(70.0),
        co: Some(7.0),
        ..Default::default()
    };
    let r = aqi::compute(&c, Period::Hour, Y2026).unwrap();
    // NO2 1h 150 → 50/100×50+50 = 75; CO 1h 7 → 50/5×2+50 = 70; PM2.5 (daily table) 110.
    assert_eq!(r.iaqi, vec![("no2", 75), ("co", 70), ("pm25", 110)]);
    let r = aqi::compute(&c, Period::Hour, Y2012).unwrap();
    assert_eq!(r.iaqi, vec![("no2", 75), ("co", 70), ("pm25", 94)]);
}

fn ctx(today: &str) -> Context<'static> {
    Context::new("tenant-1", d(today), "zh-CN")
}

fn reading(time: &str, period: &str, extra: Value) -> Fields {
    let mut v = json!({"station": "市监测站", "time": time, "period": period});
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    Fields::from_value(v)
}

#[test]
fn derive_switches_tables_by_reading_date() {
    let before = reading(
        "2026-02-28T23:00+08:00",
        "24h",
        json!({"pm25": 70, "pm10": 130}),
    );
    let after = reading(
        "2026-03-01T00:00+08:00",
        "24h",
        json!({"pm25": 70, "pm10": 130}),
    );
    let a = Environment::derive(AIR, &before, &ctx("2026-03-05")).unwrap();
    // 2012: PM2.5 94, PM10 130 → 50/100×80+50 = 90.
    assert_eq!(a["standard"], "HJ 633-2012");
    assert_eq!(
        (a["aqi"].as_u64(), a["iaqi_pm10"].as_u64()),
        (Some(94), Some(90))
    );
    assert_eq!(
        (a["level"].as_str(), a["category"].as_str()),
        (Some("II"), Some("良"))
    );
    assert_eq!(a["primary_pollutants"], "PM2.5");
    let b = Environment::derive(AIR, &after, &ctx("2026-03-05")).unwrap();
    // 2026: PM2.5 110, PM10 130 → 50/130×10+100 = 103.85 → 104.
    assert_eq!(b["standard"], "HJ 633-2026");
    assert_eq!(
        (b["aqi"].as_u64(), b["iaqi_pm10"].as_u64()),
        (Some(110), Some(104))
    );
    assert_eq!(
        (b["level"].as_str(), b["category"].as_str()),
        (Some("III"), Some("轻度污染"))
    );
}

#[test]
fn validate_air_reading() {
    let c = ctx("2026-03-05");
    let ok = reading("2026-03-02T10:00", "1h", json!({"pm25": "35", "so2": 5}));
    assert!(Environment::validate(AIR, &ok, &c).unwrap().is_empty());
    let bad = reading("2026-03-09T10:00", "1h", json!({"pm25": -1}));
    let p = Environment::validate(AIR, &bad, &c).unwrap();
    let codes: Vec<_> = p
        .iter()
        .map(|p| (p.path.as_str(), p.code.as_str()))
        .collect();
    assert!(codes.contains(&("pm25", "out-of-range")), "{codes:?}");
    assert!(codes.contains(&("time", "future")), "{codes:?}");
    let missing = Fields::from_value(json!({"station": "x"}));
    let p = Environment::validate(AIR, &missing, &c).unwrap();
    assert!(p.about("time") && p.about("period") && p.has_errors());
    // 2012 hourly SO2 > 800 needs the 24-hour mean.
    let so2 = reading("2025-12-01T10:00", "1h", json!({"so2": 900}));
    let p = Environment::validate(AIR, &so2, &c).unwrap();
    assert!(p
        .iter()
        .any(|p| p.path == "so2_24h" && p.severity == Severity::Error));
    // Above the scale is a warning, not an error.
    let high = reading("2026-03-02T00:00", "24h", json!({"pm25": 800}));
    let p = Environment::validate(AIR, &high, &c).unwrap();
    assert!(!p.has_errors() && p.iter().any(|p| p.code == "above-scale"));
    assert_eq!(
        Environment::validate("nope", &ok, &c),
        Err(PluginError::UnknownKind("nope".into()))
    );
}

#[test]
fn water_classes_at_limits() {
    use WaterBody::*;
    let cases: &[(&str, f64, WaterBody, Option<u8>)] = &[
        ("do", 7.5, River, Some(1)),
        ("do", 7.49, River, Some(2)),
        ("do", 6.0, River, Some(2)),
        ("do", 5.99, River, Some(3)),
        ("do", 5.0, River, Some(3)),
        ("do", 3.0, River, Some(4)),
        ("do", 2.0, River, Some(5)),
        ("do", 1.99, River, Some(6)),
        ("codmn", 2.0, River, Some(1)),
        ("codmn", 2.01, River, Some(2)),
        ("codmn", 4.0, River, Some(2)),
        ("codmn", 6.0, River, Some(3)),
        ("codmn", 10.0, River, Some(4)),
        ("codmn", 15.0, River, Some(5)),
        ("codmn", 15.01, River, Some(6)),
        ("cod", 15.0, River, Some(1)),
        ("cod", 15.1, River, Some(3)),
        ("cod", 20.0, River, Some(3)),
        ("cod", 30.0, River, Some(4)),
        ("cod", 40.0, River, Some(5)),
        ("cod", 40.1, River, Some(6)),
        ("bod5", 3.0, River, Some(1)),
        ("bod5", 3.1, River, Some(3)),
        ("bod5", 4.0, River, Some(3)),
        ("bod5", 6.0, River, Some(4)),
        ("bod5", 10.0, River, Some(5)),
        ("bod5", 10.1, River, Some(6)),
        ("nh3n", 0.15, River, Some(1)),
        ("nh3n", 0.16, River, Some(2)),
        ("nh3n", 0.5, River, Some(2)),
        ("nh3n", 1.0, River, Some(3)),
        ("nh3n", 1.5, River, Some(4)),
        ("nh3n", 2.0, River, Some(5)),
        ("nh3n", 2.01, River, Some(6)),
        ("tp", 0.02, River, Some(1)),
        ("tp", 0.021, River, Some(2)),
        ("tp", 0.1, River, Some(2)),
        ("tp", 0.2, River, Some(3)),
        ("tp", 0.3, River, Some(4)),
        ("tp", 0.4, River, Some(5)),
        ("tp", 0.41, River, Some(6)),
        ("tp", 0.01, Lake, Some(1)),
        ("tp", 0.025, Lake, Some(2)),
        ("tp", 0.026, Lake, Some(3)),
        ("tp", 0.05, Lake, Some(3)),
        ("tp", 0.1, Lake, Some(4)),
        ("tp", 0.2, Lake, Some(5)),
        ("tp", 0.21, Lake, Some(6)),
        ("tn", 0.2, Lake, Some(1)),
        ("tn", 0.5, Lake, Some(2)),
        ("tn", 1.0, Lake, Some(3)),
        ("tn", 1.5, Lake, Some(4)),
        ("tn", 2.0, Lake, Some(5)),
        ("tn", 2.1, Lake, Some(6)),
        ("tn", 5.0, River, None),
        ("ph", 6.0, River, Some(1)),
        ("ph", 9.0, River, Some(1)),
        ("ph", 5.9, River, Some(6)),
        ("ph", 9.1, Lake, Some(6)),
    ];
    for &(p, v, body, want) in cases {
        assert_eq!(water::class_of(p, v, body), want, "{p} {v} {body:?}");
    }
}

#[test]
fn water_overall_class_is_the_worst() {
    let f = Fields::from_value(json!({
        "site": "断面1", "water_body": "lake", "date": "2026-03-02",
        "do": 6.5, "codmn": "3.2", "nh3n": 0.6, "tp": 0.12, "tn": 1.2, "ph": 7.4, "sampler": "张三"
    }));
    let c = ctx("2026-03-05");
    assert!(Environment::validate(WATER, &f, &c).unwrap().is_empty());
    let out = Environment::derive(WATER, &f, &c).unwrap();
    assert_eq!(out["class_do"], "II");
    assert_eq!(out["class_tp"], "V");
    assert_eq!(out["class_tn"], "IV");
    assert_eq!(out["class"], "V");
    assert_eq!(out["worst_parameters"], "TP");
    let worse = Fields::from_value(
        json!({"site": "s", "water_body": "river", "date": "2026-03-02",
        "cod": 41, "nh3n": 2.5, "tn": 9}),
    );
    let out = Environment::derive(WATER, &worse, &c).unwrap();
    assert_eq!(out["class"], "worse-than-V");
    assert_eq!(out["worst_parameters"], "COD,NH3-N");
    assert!(out.get("class_tn").is_none());
    let p = Environment::validate(WATER, &worse, &c).unwrap();
    assert!(p
        .iter()
        .any(|p| p.path == "tn" && p.severity == Severity::Warning));
    assert!(!p.has_errors());
    let all_i = Fields::from_value(
        json!({"site": "s", "water_body": "river", "date": "2026-03-02", "do": 8}),
    );
    let out = Environment::derive(WATER, &all_i, &c).unwrap();
    assert_eq!(
        (out["class"].as_str(), out["worst_parameters"].as_str()),
        (Some("I"), Some(""))
    );
}

fn eia_fields(start: &str, end: &str) -> Fields {
    Fields::from_value(json!({
        "project": "某化工项目", "builder": "某公司", "comment_start": start, "comment_end": end,
        "builder_code": "91350100M000100Y43"
    }))
}

#[test]
fn eia_comment_period_is_at_least_10_working_days() {
    let cal = TestCalendar::weekdays();
    let c = ctx("2026-03-01").with_calendar(&cal);
    // Mon 2 – Fri 13 March 2026: exactly 10 working days, both ends included.
    assert_eq!(
        eia::earliest_end(d("2026-03-02"), &cal),
        Ok(d("2026-03-13"))
    );
    assert!(
        Environment::validate(EIA, &eia_fields("2026-03-02", "2026-03-13"), &c)
            .unwrap()
            .is_empty()
    );
    let p = Environment::validate(EIA, &eia_fields("2026-03-02", "2026-03-12"), &c).unwrap();
    assert!(
        p.iter()
            .any(|p| p.path == "comment_end" && p.code == "comment-period"),
        "{p:?}"
    );
    // Starting on a Saturday: counting begins on Monday.
    assert_eq!(
        eia::earliest_end(d("2026-02-28"), &cal),
        Ok(d("2026-03-13"))
    );
    // A holiday inside the period pushes the end; a make-up Saturday pulls it in.
    let hol = TestCalendar::weekdays().holiday(d("2026-03-05"));
    assert_eq!(
        eia::earliest_end(d("2026-03-02"), &hol),
        Ok(d("2026-03-16"))
    );
    let c2 = ctx("2026-03-01").with_calendar(&hol);
    assert!(
        Environment::validate(EIA, &eia_fields("2026-03-02", "2026-03-13"), &c2)
            .unwrap()
            .has_errors()
    );
    let makeup = TestCalendar::weekdays().makeup_day(d("2026-03-07"));
    assert_eq!(
        eia::earliest_end(d("2026-03-02"), &makeup),
        Ok(d("2026-03-12"))
    );
    // End before start.
    let p = Environment::validate(EIA, &eia_fields("2026-03-10", "2026-03-02"), &c).unwrap();
    assert!(p.iter().any(|p| p.code == "order"));
    // A bad credit code is caught by the schema check.
    let mut f = eia_fields("2026-03-02", "2026-03-13");
    f.set("builder_code", "91350100M000100Y44");
    assert!(Environment::validate(EIA, &f, &c)
        .unwrap()
        .about("builder_code"));
}

struct Failing;
impl gongkai_plugin_sdk::WorkingDays for Failing {
    fn add_working_days(&self, _: Date, _: i32) -> Result<Date, String> {
        Err("calendar not loaded".into())
    }
    fn is_working_day(&self, _: Date) -> Result<bool, String> {
        Err("calendar not loaded".into())
    }
}

#[test]
fn eia_calendar_failure_is_a_plugin_error() {
    let c = ctx("2026-03-01").with_calendar(&Failing);
    let r = Environment::validate(EIA, &eia_fields("2026-03-02", "2026-03-13"), &c);
    assert!(matches!(r, Err(PluginError::Internal(_))));
}

#[test]
fn publication_rules() {
    let c = ctx("2026-03-05");
    let r = Environment::publication_rules(AIR, &reading("2026-03-02T10:00", "1h", json!({})), &c)
        .unwrap();
    assert_eq!(
        r.publish_by.map(|d| (d.from, d.working_days)),
        Some((d("2026-03-02"), 1))
    );
    assert!(r.review_steps.is_empty());
    let mut f = eia_fields("2026-03-10", "2026-03-24");
    f.set("publish_on", "2026-03-09");
    let r = Environment::publication_rules(EIA, &f, &c).unwrap();
    assert_eq!(r.review_steps.len(), 1);
    assert_eq!(r.review_steps[0].role, "reviewer");
    assert_eq!(
        r.publish_by.map(|d| (d.from, d.working_days)),
        Some((d("2026-03-10"), 0))
    );
    assert_eq!(r.not_before, Some(d("2026-03-09")));
    let w = Fields::from_value(json!({"date": "2026-03-02"}));
    assert_eq!(
        Environment::publication_rules(WATER, &w, &c).unwrap().mask,
        vec!["sampler"]
    );
}

fn item(id: &str, kind: &str, fields: Fields) -> ExportItem {
    ExportItem {
        id: id.into(),
        kind: kind.into(),
        fields,
        published_at: Some("2026-03-02T12:00:00+08:00".into()),
    }
}

#[test]
fn csv_export() {
    let items = [
        item(
            "1",
            AIR,
            reading(
                "2026-03-01T00:00+08:00",
                "24h",
                json!({"pm25": 70, "pm10": 130}),
            ),
        ),
        item(
            "2",
            AIR,
            Fields::from_value(
                json!({"station": "站,\"东\"", "time": "2026-03-02T01:00", "period": "1h", "so2": 3}),
            ),
        ),
    ];
    let out = Environment::export("csv", &items).unwrap();
    assert_eq!(out.media_type, "text/csv; charset=utf-8");
    let text = String::from_utf8(out.bytes).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "\u{feff}station,time,period,so2,no2,pm10,co,o3_1h,o3_8h,pm25,aqi,level,category,primary_pollutants,standard");
    assert_eq!(
        lines[1],
        "市监测站,2026-03-01T00:00+08:00,24h,,,130,,,,70,110,III,轻度污染,PM2.5,HJ 633-2026"
    );
    assert_eq!(
        lines[2],
        "\"站,\"\"东\"\"\",2026-03-02T01:00,1h,3,,,,,,,1,I,优,,HJ 633-2026"
    );
    assert_eq!(lines.len(), 4);
    let mixed = [item("3", WATER, Fields::default())];
    assert!(matches!(
        Environment::export("csv", &mixed),
        Err(PluginError::BadInput(_))
    ));
    assert!(matches!(
        Environment::export("xml", &mixed),
        Err(PluginError::UnknownFormat(_))
    ));
}

#[test]
fn json_feed_export_masks_fields() {
    let items = [
        item(
            "a",
            AIR,
            reading("2026-03-02T10:00", "1h", json!({"pm25": 20})),
        ),
        item(
            "w",
            WATER,
            Fields::from_value(
                json!({"site": "断面1", "water_body": "river", "date": "2026-03-02", "cod": 18, "sampler": "张三"}),
            ),
        ),
        item("e", EIA, eia_fields("2026-03-02", "2026-03-13")),
    ];
    let out = Environment::export("json-feed", &items).unwrap();
    assert_eq!(out.media_type, "application/json");
    let v: Value = gongkai_plugin_sdk::serde_json::from_slice(&out.bytes).unwrap();
    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["_gongkai"]["derived"]["aqi"], 29);
    assert_eq!(items[1]["_gongkai"]["derived"]["class"], "III");
    assert!(items[1]["_gongkai"]["fields"].get("sampler").is_none());
    assert!(!String::from_utf8_lossy(&out.bytes).contains("张三"));
    assert_eq!(items[2]["title"], "某化工项目 环境影响评价公示");
}

#[test]
fn describe_lists_kinds_and_formats() {
    let info = Environment::describe();
    let kinds: Vec<_> = info.kinds.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(kinds, [AIR, WATER, EIA]);
    assert!(info
        .kinds
        .iter()
        .all(|k| k.catalog.path == "重点领域/环境保护"));
    // `kind` (what validation builds) is exactly what `describe` lists.
    for k in &info.kinds {
        assert_eq!(Environment::kind(&k.id).as_ref(), Some(k));
    }
    assert_eq!(Environment::kind("nope"), None);
    let formats: Vec<_> = info.export_formats.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(formats, ["csv", "json-feed"]);
    // Every derived key the plugin emits is declared.
    let f = reading(
        "2026-03-02T10:00",
        "1h",
        json!({"pm25": 80, "so2": 1, "no2": 1, "pm10": 1, "co": 1, "o3_1h": 1, "o3_8h": 1}),
    );
    let air = info.kind(AIR).unwrap();
    for key in Environment::derive(AIR, &f, &ctx("2026-03-05"))
        .unwrap()
        .keys()
    {
        assert!(
            air.derived.iter().any(|d| &d.id == key),
            "{key} not declared"
        );
    }
}
