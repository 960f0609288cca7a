//! Cross-checks at their boundaries, derived changes, the deadline and exports,
//! with a real county's 2016 final accounts (DOMAIN.md §10).

use crate::{ThreeExpenses, BUDGET, FINAL};
use gongkai_plugin_sdk::{
    serde_json::{self, json},
    Context, Date, ExportItem, Fields, Plugin, PluginError, Problems, Severity, Value,
};

fn ctx() -> Context<'static> {
    Context::new("t", Date::new(2017, 9, 1).unwrap(), "en")
}

fn validate(kind: &str, v: &Value) -> Problems {
    ThreeExpenses::validate(kind, &Fields::from_value(v.clone()), &ctx()).unwrap()
}

fn errors(p: &Problems) -> Vec<(String, String)> {
    p.iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.path.clone(), p.code.clone()))
        .collect()
}

fn err(path: &str, code: &str) -> (String, String) {
    (path.into(), code.into())
}

/// The county's 2016 final accounts (万元), 2015 beside them; counts made up
/// to be consistent (no car bought, so no purchase money).
fn county() -> Value {
    json!({
        "department": "某县", "year": 2016, "approved_on": "2017-08-10",
        "total": "2706.86", "total_prev": "2911.47",
        "abroad": "10.20", "abroad_prev": "13.06",
        "vehicles": "1105.72", "vehicles_prev": "1218.72",
        "vehicle_purchase": "0", "vehicle_purchase_prev": "14.80",
        "vehicle_running": "1105.72", "vehicle_running_prev": "1203.92",
        "reception": "1590.94", "reception_prev": "1679.69",
        "abroad_groups": 2, "abroad_people": 6, "vehicles_bought": 0,
        "vehicles_held": 230, "reception_batches": 1800, "reception_people": 21000,
    })
}

#[test]
fn the_county_example_adds_up_and_asks_for_two_reasons() {
    let v = county();
    // Abroad −21.90 % and purchase −100 % exceed 10 %; total −7.03 %, cars
    // −9.27 %, running −8.16 %, reception −5.28 % do not.
    let p = validate(FINAL, &v);
    assert_eq!(
        errors(&p),
        [
            err("abroad_note", "explanation-required"),
            err("vehicle_purchase_note", "explanation-required")
        ]
    );
    let msg = &p.iter().next().unwrap().message;
    assert!(msg.contains("-2.86") && msg.contains("-21.90%"), "{msg}");

    let mut v = v;
    v["abroad_note"] = "压减出访团组".into();
    v["vehicle_purchase_note"] = "本年未购置公务用车".into();
    assert!(errors(&validate(FINAL, &v)).is_empty());

    let d = ThreeExpenses::derive(FINAL, &Fields::from_value(v), &ctx()).unwrap();
    let want = [
        ("total", "-204.61", "-7.03"),
        ("abroad", "-2.86", "-21.90"),
        ("vehicles", "-113.00", "-9.27"),
        ("vehicle_purchase", "-14.80", "-100.00"),
        ("vehicle_running", "-98.20", "-8.16"),
        ("reception", "-88.75", "-5.28"),
    ];
    for (line, change, pct) in want {
        assert_eq!(d[&format!("{line}_change")], change, "{line}");
        assert_eq!(d[&format!("{line}_change_percent")], pct, "{line}");
    }
    assert_eq!(d["publish_by"], "2017-08-30");
}

#[test]
fn totals_must_equal_their_parts_in_every_column() {
    let mut v = county();
    v["abroad_note"] = "x".into();
    v["vehicle_purchase_note"] = "x".into();
    v["total"] = "2706.87".into(); // one hundredth off
    v["vehicles_prev"] = "1218.73".into();
    let p = validate(FINAL, &v);
    let e = errors(&p);
    assert!(e.contains(&err("total", "sum")));
    // vehicles_prev no longer equals purchase + running, and total_prev no
    // longer equals its parts either.
    assert!(e.contains(&err("vehicles_prev", "sum")));
    assert!(e.contains(&err("total_prev", "sum")));
    let m = &p.iter().find(|p| p.path == "total").unwrap().message;
    assert!(m.contains("2706.87") && m.contains("2706.86"), "{m}");
}

#[test]
fn amounts_two_decimals_not_negative() {
    let mut v = county();
    v["abroad_note"] = "x".into();
    v["vehicle_purchase_note"] = "x".into();
    v["reception"] = "1590.945".into();
    assert!(errors(&validate(FINAL, &v)).contains(&err("reception", "decimals")));
    v["reception"] = "-1".into();
    assert!(errors(&validate(FINAL, &v)).contains(&err("reception", "out-of-range")));
    v["reception"] = 1590.94.into(); // a JSON number is fine too
    assert!(errors(&validate(FINAL, &v)).is_empty());
}

fn small(abroad: &str, prev: &str, groups: i64) -> Value {
    json!({
        "department": "某局", "year": 2026, "approved_on": "2026-02-01",
        "total": abroad, "abroad": abroad, "vehicles": "0", "vehicle_purchase": "0",
        "vehicle_running": "0", "reception": "0",
        "total_note": "n", "abroad_prev": prev, "abroad_groups": groups, "abroad_people": groups,
    })
}

#[test]
fn change_threshold_boundary() {
    // 110.00 against 100.00 is exactly 10 %: no explanation needed.
    assert!(errors(&validate(BUDGET, &small("110.00", "100.00", 1))).is_empty());
    assert!(errors(&validate(BUDGET, &small("90.00", "100.00", 1))).is_empty());
    // 110.01 is more than 10 %.
    let e = errors(&validate(BUDGET, &small("110.01", "100.00", 1)));
    assert_eq!(e, [err("abroad_note", "explanation-required")]);
    let e = errors(&validate(BUDGET, &small("89.99", "100.00", 1)));
    assert_eq!(e, [err("abroad_note", "explanation-required")]);
    // From 0 to anything is more than any share.
    let e = errors(&validate(BUDGET, &small("0.01", "0", 1)));
    assert_eq!(e, [err("abroad_note", "explanation-required")]);
    // A threshold set on the item: 20 % lets 110.01 pass; out of range is refused.
    let mut v = small("110.01", "100.00", 1);
    v["threshold_percent"] = 20.into();
    assert!(errors(&validate(BUDGET, &v)).is_empty());
    v["threshold_percent"] = 101.into();
    assert!(errors(&validate(BUDGET, &v)).contains(&err("threshold_percent", "out-of-range")));
    // No previous figure: nothing to compare.
    let mut v = small("110.01", "100.00", 1);
    v["abroad_prev"] = Value::Null;
    assert!(errors(&validate(BUDGET, &v)).is_empty());
}

#[test]
fn counts_and_money_go_together() {
    // Money with no group, and a group with no money, each need a reason.
    let e = errors(&validate(BUDGET, &small("5.00", "5.00", 0)));
    assert_eq!(e, [err("abroad_note", "explanation-required")]);
    let e = errors(&validate(BUDGET, &small("0", "0", 1)));
    assert_eq!(e, [err("abroad_note", "explanation-required")]);
    assert!(errors(&validate(BUDGET, &small("0", "0", 0))).is_empty());
    let mut v = small("5.00", "5.00", 0);
    v["abroad_note"] = "上年结转团组费用".into();
    assert!(errors(&validate(BUDGET, &v)).is_empty());
    // Negative counts.
    let mut v = small("5.00", "5.00", 1);
    v["abroad_people"] = (-1).into();
    assert!(errors(&validate(BUDGET, &v)).contains(&err("abroad_people", "out-of-range")));
    // Not an integer.
    v["abroad_people"] = 1.5.into();
    assert!(errors(&validate(BUDGET, &v)).contains(&err("abroad_people", "type")));
}

#[test]
fn final_accounts_against_the_budget() {
    let mut v = small("110.00", "110.00", 1);
    v["abroad_budget"] = "100.00".into();
    v["total_budget"] = "100.00".into();
    v["vehicles_budget"] = "0".into();
    v["vehicle_purchase_budget"] = "0".into();
    v["vehicle_running_budget"] = "0".into();
    v["reception_budget"] = "0".into();
    assert!(errors(&validate(FINAL, &v)).is_empty());
    v["abroad"] = "110.01".into();
    v["total"] = "110.01".into();
    v["abroad_note"] = "x".into();
    let e = errors(&validate(FINAL, &v));
    assert_eq!(
        e,
        [
            err("total_budget_note", "explanation-required"),
            err("abroad_budget_note", "explanation-required")
        ]
    );
    let d = ThreeExpenses::derive(FINAL, &Fields::from_value(v.clone()), &ctx()).unwrap();
    assert_eq!(d["abroad_vs_budget"], "10.01");
    assert_eq!(d["abroad_vs_budget_percent"], "10.01");
    // A budget table has no budget column: the field is unknown there.
    let p = validate(BUDGET, &v);
    assert!(p
        .iter()
        .any(|p| p.path == "abroad_budget" && p.code == "unknown-field"));
}

#[test]
fn due_twenty_calendar_days_after_approval() {
    // Approved 2026-09-20: due 2026-10-10, in the National Day week; calendar
    // days, so the holiday does not move it.
    let f = Fields::from_value(json!({"approved_on": "2026-09-20"}));
    let r = ThreeExpenses::publication_rules(BUDGET, &f, &ctx()).unwrap();
    let by = r.publish_by.unwrap();
    assert_eq!(
        (by.from, by.working_days),
        (Date::new(2026, 10, 10).unwrap(), 0)
    );
    let none = ThreeExpenses::publication_rules(BUDGET, &Fields::default(), &ctx()).unwrap();
    assert!(none.publish_by.is_none());
    assert!(matches!(
        ThreeExpenses::publication_rules("x", &f, &ctx()),
        Err(PluginError::UnknownKind(_))
    ));
}

fn item(id: &str, kind: &str, v: Value) -> ExportItem {
    ExportItem {
        id: id.into(),
        kind: kind.into(),
        fields: Fields::from_value(v),
        published_at: None,
    }
}

#[test]
fn exports_csv_and_a_summable_json() {
    let mut other = county();
    other["department"] = "某局".into();
    let items = [item("1", FINAL, county()), item("2", FINAL, other)];
    let csv = String::from_utf8(ThreeExpenses::export("csv", &items).unwrap().bytes).unwrap();
    assert!(csv.contains(
        "某县,2016,final-account,total,三公经费合计,万元,2706.86,2911.47,-204.61,-7.03,\r\n"
    ));
    assert!(csv.contains("某县,2016,final-account,vehicles_held,公务用车保有量,辆,230,,,,\r\n"));
    assert_eq!(csv.lines().count(), 1 + 2 * 12);

    let out = ThreeExpenses::export("json-summary", &items).unwrap();
    let doc: Value = serde_json::from_slice(&out.bytes).unwrap();
    assert_eq!(
        doc["tables"][0]["lines"]["abroad"]["change_percent"],
        "-21.90"
    );
    let total = &doc["totals"][0];
    assert_eq!(total["departments"], 2);
    assert_eq!(total["lines"]["total"]["amount"], "5413.72");
    assert_eq!(total["lines"]["total"]["hundredths"], 541372);
    assert_eq!(total["counts"]["vehicles_held"], 460);

    let bad = [item("3", "x", json!({}))];
    assert!(matches!(
        ThreeExpenses::export("csv", &bad),
        Err(PluginError::BadInput(_))
    ));
    assert!(matches!(
        ThreeExpenses::export("pdf", &items),
        Err(PluginError::UnknownFormat(_))
    ));
}

#[test]
fn both_kinds_are_described() {
    let info = ThreeExpenses::describe();
    assert_eq!(info.kinds.len(), 2);
    for k in &info.kinds {
        assert_eq!(ThreeExpenses::kind(&k.id).as_ref(), Some(k));
    }
    assert!(info
        .kind(BUDGET)
        .unwrap()
        .get_field("abroad_budget")
        .is_none());
    assert!(info
        .kind(FINAL)
        .unwrap()
        .get_field("abroad_budget")
        .is_some());
}

#[test]
fn svg_chart_of_the_lines_over_the_years() {
    let mut older = county();
    older["year"] = 2015.into();
    older["department"] = "某县<A&B>".into();
    let items = [
        item("1", FINAL, county()),
        item(
            "2",
            BUDGET,
            json!({"department": "某县", "year": 2016, "total": "9999.99"}),
        ),
        item("3", FINAL, older),
    ];
    let out = ThreeExpenses::export("svg", &items).unwrap();
    assert_eq!(out.media_type, "image/svg+xml");
    let svg = String::from_utf8(out.bytes).unwrap();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    // 2015 from the 2016 final account's "last year" column, 2016 from the
    // final account (not the budget).
    assert!(svg.contains("<title>2015 三公经费合计 2911.47</title>"));
    assert!(svg.contains("<title>2016 三公经费合计 2706.86</title>"));
    assert!(!svg.contains("9999.99"));
    assert!(svg.contains("某县&lt;A&amp;B&gt;"));
    assert_eq!(svg.matches("<polyline").count(), 8); // 4 lines × 2 departments
    assert!(matches!(
        ThreeExpenses::export("svg", &[item("4", "x", json!({}))]),
        Err(PluginError::BadInput(_))
    ));
}
