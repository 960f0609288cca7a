//! The kinds' rules, derivations, publication rules and exports.

use crate::lottery::Mismatch;
use crate::package::{self, PackageError};
use crate::{lottery, Admissions, CATCHMENT, PLACEMENT, PLAN, POLICY, RESULTS};
use gongkai_plugin_sdk::{
    serde_json::json, Context, Date, ExportItem, Fields, Plugin, PluginError, Problems, Severity,
    Value,
};

fn ctx() -> Context<'static> {
    Context::new("t", Date::new(2026, 7, 1).unwrap(), "en")
}

fn validate(kind: &str, v: Value) -> Problems {
    Admissions::validate(kind, &Fields::from_value(v), &ctx()).unwrap()
}

/// (path, code) of every error.
fn errors(p: &Problems) -> Vec<(String, String)> {
    p.iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.path.clone(), p.code.clone()))
        .collect()
}

fn has(p: &Problems, path: &str, code: &str) -> bool {
    p.iter().any(|p| p.path == path && p.code == code)
}

#[test]
fn describe_lists_every_kind_and_kind_agrees() {
    let info = Admissions::describe();
    let ids: Vec<&str> = info.kinds.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids, [PLAN, CATCHMENT, POLICY, RESULTS, PLACEMENT]);
    for k in &info.kinds {
        assert_eq!(Admissions::kind(&k.id).as_ref(), Some(k));
    }
    assert!(matches!(
        Admissions::validate("x", &Fields::default(), &ctx()),
        Err(PluginError::UnknownKind(_))
    ));
}

fn plan(places: Value, total: Option<i64>) -> Value {
    json!({
        "school": "第一小学", "year": 2026, "grade": "primary-1",
        "registration_start": "2026-07-10", "registration_end": "2026-07-20",
        "places": places, "total_places": total,
    })
}

#[test]
fn plan_totals_and_counts() {
    let places = json!([{"category": "学区户籍", "places": 120, "classes": 3},
                        {"category": "随迁子女", "places": 40}]);
    assert!(errors(&validate(PLAN, plan(places.clone(), Some(160)))).is_empty());
    assert!(errors(&validate(PLAN, plan(places.clone(), None))).is_empty());
    let p = validate(PLAN, plan(places.clone(), Some(161)));
    assert_eq!(errors(&p), [("total_places".into(), "sum".into())]);
    let derived =
        Admissions::derive(PLAN, &Fields::from_value(plan(places, None)), &ctx()).unwrap();
    assert_eq!(derived["places_total"], 160);

    // 0 places is allowed, −1 is not; classes likewise.
    let zero = json!([{"category": "A", "places": 0, "classes": 0}]);
    assert!(errors(&validate(PLAN, plan(zero, None))).is_empty());
    let neg = json!([{"category": "A", "places": -1, "classes": -1}]);
    let p = validate(PLAN, plan(neg, None));
    assert!(has(&p, "places[0].places", "out-of-range"));
    assert!(has(&p, "places[0].classes", "out-of-range"));

    let dup = json!([{"category": "A", "places": 1}, {"category": "A", "places": 2}]);
    assert!(has(
        &validate(PLAN, plan(dup, None)),
        "places[1].category",
        "duplicate"
    ));

    let mut v = plan(json!([{"category": "A", "places": 1}]), None);
    v["registration_end"] = "2026-07-09".into();
    assert!(has(&validate(PLAN, v.clone()), "registration_end", "order"));
    v["registration_end"] = "2026-07-10".into(); // same day: fine
    assert!(errors(&validate(PLAN, v)).is_empty());
}

#[test]
fn plan_and_catchment_are_public_when_registration_opens() {
    let f = Fields::from_value(plan(json!([]), None));
    let r = Admissions::publication_rules(PLAN, &f, &ctx()).unwrap();
    let by = r.publish_by.unwrap();
    assert_eq!(
        (by.from, by.working_days),
        (Date::new(2026, 7, 10).unwrap(), 0)
    );
    let none = Fields::from_value(json!({"school": "x"}));
    assert!(Admissions::publication_rules(CATCHMENT, &none, &ctx())
        .unwrap()
        .publish_by
        .is_none());
}

#[test]
fn catchment_rows() {
    let v = |areas: Value| json!({"school": "第一小学", "year": 2026, "areas": areas});
    let ok = json!([{"street": "城关街道", "community": "东门社区"},
                    {"street": "城关街道", "community": "西门社区"}]);
    assert!(errors(&validate(CATCHMENT, v(ok))).is_empty());
    let dup = json!([{"street": "城关街道", "community": "东门社区"},
                     {"street": "城关街道", "community": "东门社区"}]);
    assert!(has(
        &validate(CATCHMENT, v(dup)),
        "areas[1].community",
        "duplicate"
    ));
    assert!(has(&validate(CATCHMENT, v(json!([]))), "areas", "required"));
    let missing = json!([{"street": "城关街道"}]);
    assert!(has(
        &validate(CATCHMENT, v(missing)),
        "areas[0].community",
        "required"
    ));
}

#[test]
fn policy_asks_for_its_interpretation() {
    let v = json!({"title": "2026年义务教育招生入学工作方案", "issued_on": "2026-05-01"});
    let p = validate(POLICY, v.clone());
    assert!(errors(&p).is_empty());
    assert!(p
        .iter()
        .any(|p| p.path == "interpretation" && p.severity == Severity::Warning));
    let mut v = v;
    v["interpretation"] = "《2026年招生入学工作方案》政策解读".into();
    assert!(validate(POLICY, v).is_empty());
}

fn results(rows: Value) -> Value {
    json!({"school": "第一小学", "year": 2026, "publish_by": "2026-08-15", "admitted": rows})
}

#[test]
fn results_never_take_an_id_number() {
    let ok = json!([{"name": "张三丰", "registration_no": "2026010123", "category": "学区户籍"}]);
    assert!(errors(&validate(RESULTS, results(ok))).is_empty());
    for key in ["name", "registration_no", "category", "note"] {
        let mut row = json!({"name": "张三", "registration_no": "2026010123"});
        row[key] = "11010520150101123X".into();
        let p = validate(RESULTS, results(json!([row])));
        assert!(
            has(&p, &format!("admitted[0].{key}"), "identity-number"),
            "{key}"
        );
    }
    let dup =
        json!([{"name": "张三", "registration_no": "1"}, {"name": "李四", "registration_no": "1"}]);
    assert!(has(
        &validate(RESULTS, results(dup)),
        "admitted[1].registration_no",
        "duplicate"
    ));
}

#[test]
fn results_are_masked_on_the_public_rendition() {
    let rows = json!([
        {"name": "张三丰", "registration_no": "2026010123", "category": "学区户籍", "note": "x"},
        {"name": "欧阳修", "registration_no": "A12", "category": "随迁子女"},
    ]);
    let f = Fields::from_value(results(rows));
    let d = Admissions::derive(RESULTS, &f, &ctx()).unwrap();
    assert_eq!(d["admitted_count"], 2);
    assert_eq!(
        d["public_list"],
        json!([
            {"name": "张*", "registration_no": "2026****23", "category": "学区户籍"},
            {"name": "欧阳*", "registration_no": "A*2", "category": "随迁子女"},
        ])
    );
    let r = Admissions::publication_rules(RESULTS, &f, &ctx()).unwrap();
    assert_eq!(r.mask, ["admitted"]);
    assert_eq!(r.review_steps[0].role, "reviewer");
    let by = r.publish_by.unwrap();
    assert_eq!(
        (by.from, by.working_days),
        (Date::new(2026, 8, 15).unwrap(), 0)
    );

    let csv = Admissions::export(
        "results-csv",
        &[ExportItem {
            id: "1".into(),
            kind: RESULTS.into(),
            fields: f,
            published_at: None,
        }],
    )
    .unwrap();
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(text.contains("第一小学,2026,,张*,2026****23,学区户籍\r\n"));
    assert!(!text.contains("张三丰") && !text.contains("2026010123"));
}

const SECRET: &str = "agency-secret-2026-k7Qm";

fn placement(secret: Option<&str>, value: Option<&str>) -> Value {
    let students: Vec<Value> = (1..=12)
        .map(|i| {
            json!({"id": format!("2026{i:04}"), "sex": if i % 2 == 0 { "F" } else { "M" },
                   "category": if i % 3 == 0 { "B" } else { "A" }})
        })
        .collect();
    json!({
        "school": "第一小学", "grade": "一年级", "balance": "sex,category",
        "classes": [{"name": "一班", "size": 4}, {"name": "二班", "size": 4}, {"name": "三班", "size": 4}],
        "students": students,
        "commitment": lottery::commit(SECRET),
        "public_source": "双色球2026150期开奖号码",
        "public_value": value, "secret": secret,
    })
}

#[test]
fn placement_before_the_draw_is_committed_only() {
    let v = placement(None, None);
    assert!(errors(&validate(PLACEMENT, v.clone())).is_empty());
    let d = Admissions::derive(PLACEMENT, &Fields::from_value(v), &ctx()).unwrap();
    assert_eq!(d["status"], "committed");
    assert_eq!(d["algorithm"], lottery::VERSION);
    assert_eq!(d["inputs_digest"].as_str().unwrap().len(), 64);
    assert!(d.get("placement").is_none() && d.get("seed").is_none());

    // Half a reveal: a warning naming the missing half, still no placement.
    let half = placement(None, Some("03 07 12"));
    let p = validate(PLACEMENT, half.clone());
    assert!(errors(&p).is_empty());
    assert!(has(&p, "secret", "incomplete"));
    let d = Admissions::derive(PLACEMENT, &Fields::from_value(half), &ctx()).unwrap();
    assert!(d.get("placement").is_none());
}

#[test]
fn placement_after_the_draw_is_derived_and_verifiable() {
    let v = placement(Some(SECRET), Some("03 07 12 19 25 31 + 08"));
    assert!(errors(&validate(PLACEMENT, v.clone())).is_empty());
    let f = Fields::from_value(v);
    let d = Admissions::derive(PLACEMENT, &f, &ctx()).unwrap();
    assert_eq!(d["status"], "drawn");
    assert_eq!(d["placement"].as_array().unwrap().len(), 12);
    for row in d["summary"].as_array().unwrap() {
        assert_eq!(row["size"], 4);
        assert_eq!(row["female"], 2);
        assert_eq!(row["male"], 2);
    }
    // Same input, same output (fresh derivation, as on another machine).
    assert_eq!(d, Admissions::derive(PLACEMENT, &f, &ctx()).unwrap());

    // The package re-runs: its placement verifies against its own inputs and reveal.
    let item = ExportItem {
        id: "9".into(),
        kind: PLACEMENT.into(),
        fields: f,
        published_at: Some("2026-08-30T10:00:00+08:00".into()),
    };
    let out = Admissions::export("lottery-package", &[item]).unwrap();
    let pkg: Value = gongkai_plugin_sdk::serde_json::from_slice(&out.bytes).unwrap();
    let draw = &pkg["draws"][0];
    assert_eq!(pkg["algorithm"], lottery::VERSION);
    assert_eq!(draw["reveal"]["secret"], SECRET);
    assert_eq!(draw["seed"], d["seed"]);
    assert_eq!(draw["inputs"]["students"].as_array().unwrap().len(), 12);
    assert_eq!(draw["placement_digest"], d["placement_digest"]);
}

#[test]
fn placement_rule_boundaries() {
    let err = |v: Value, path: &str, code: &str| {
        let p = validate(PLACEMENT, v);
        assert!(has(&p, path, code), "{path} {code}: {:?}", errors(&p));
    };
    // A student number shaped like an ID number.
    let mut v = placement(None, None);
    v["students"][3]["id"] = "11010520150101123X".into();
    err(v, "students[3].id", "identity-number");
    // Duplicate student: the second occurrence is named.
    let mut v = placement(None, None);
    v["students"][5]["id"] = "20260001".into();
    err(v, "students[5].id", "draw-inputs");
    // Sizes 4+4+5 ≠ 12.
    let mut v = placement(None, None);
    v["classes"][2]["size"] = 5.into();
    err(v, "classes", "draw-inputs");
    // 5+4+3 = 12 but uneven; 5+4+3 → uneven; 4+4+4 fine (above).
    let mut v = placement(None, None);
    v["classes"][0]["size"] = 5.into();
    v["classes"][2]["size"] = 3.into();
    err(v, "classes", "draw-inputs");
    // Size 0.
    let mut v = placement(None, None);
    v["classes"][0]["size"] = 0.into();
    v["classes"][1]["size"] = 6.into();
    v["classes"][2]["size"] = 6.into();
    err(v, "classes[0].size", "draw-inputs");
    // A student without the category the draw balances on.
    let mut v = placement(None, None);
    v["students"][2]["category"] = Value::Null;
    err(v.clone(), "students[2].id", "draw-inputs");
    v["balance"] = "sex".into(); // not needed when only sex counts
    assert!(errors(&validate(PLACEMENT, v)).is_empty());
    // Commitment shape: 63 hex digits is wrong.
    let mut v = placement(None, None);
    v["commitment"] = "a".repeat(63).into();
    err(v, "commitment", "commitment");
    // A secret that is not the committed one, and a short one.
    err(
        placement(Some("another-secret-of-enough-length"), Some("1 2 3")),
        "secret",
        "commitment",
    );
    err(placement(Some("short"), Some("1 2 3")), "secret", "secret");
}

#[test]
fn placement_is_signed_off_by_the_supervisor() {
    let f = Fields::from_value(placement(None, None));
    let r = Admissions::publication_rules(PLACEMENT, &f, &ctx()).unwrap();
    assert_eq!(r.review_steps[0].role, "approver");
    assert_eq!(r.mask, ["secret"]);
    // Secret without the public value: still hidden.
    let f = Fields::from_value(placement(Some(SECRET), None));
    let r = Admissions::publication_rules(PLACEMENT, &f, &ctx()).unwrap();
    assert_eq!(r.mask, ["secret"]);
    // Both there: the secret is public with the placement.
    let f = Fields::from_value(placement(Some(SECRET), Some("1 2 3")));
    let r = Admissions::publication_rules(PLACEMENT, &f, &ctx()).unwrap();
    assert!(r.mask.is_empty());
}

#[test]
fn exports_refuse_other_kinds() {
    let item = ExportItem {
        id: "1".into(),
        kind: PLAN.into(),
        fields: Fields::default(),
        published_at: None,
    };
    for format in ["lottery-package", "results-csv"] {
        assert!(matches!(
            Admissions::export(format, std::slice::from_ref(&item)),
            Err(PluginError::BadInput(_))
        ));
    }
    assert!(matches!(
        Admissions::export("x", &[]),
        Err(PluginError::UnknownFormat(_))
    ));
}

fn package(fields: Value) -> Value {
    let item = ExportItem {
        id: "9".into(),
        kind: PLACEMENT.into(),
        fields: Fields::from_value(fields),
        published_at: None,
    };
    let out = Admissions::export("lottery-package", &[item]).unwrap();
    gongkai_plugin_sdk::serde_json::from_slice(&out.bytes).unwrap()
}

fn verdict(pkg: &Value) -> Result<(), PackageError> {
    let bytes = pkg.to_string().into_bytes();
    package::verify(&bytes).unwrap().remove(0)
}

#[test]
fn an_exported_package_verifies_and_tampering_is_named() {
    let good = package(placement(Some(SECRET), Some("03 07 12 19 25 31 + 08")));
    assert_eq!(verdict(&good), Ok(()));

    // A student moved to another class.
    let mut p = good.clone();
    let row = &mut p["draws"][0]["placement"][0];
    let other = if row["class"] == "一班" {
        "二班"
    } else {
        "一班"
    };
    row["class"] = other.into();
    assert!(matches!(
        verdict(&p),
        Err(PackageError::Draw(Mismatch::Class { student, .. })) if student == "20260001"
    ));
    // Another seed published.
    let mut p = good.clone();
    p["draws"][0]["seed"] = "00".repeat(32).into();
    assert!(matches!(
        verdict(&p),
        Err(PackageError::Draw(Mismatch::Seed { .. }))
    ));
    // Another secret revealed.
    let mut p = good.clone();
    p["draws"][0]["reveal"]["secret"] = "another-secret-of-enough-length".into();
    assert!(matches!(
        verdict(&p),
        Err(PackageError::Draw(Mismatch::Commitment { .. }))
    ));
    // Another public value: the seed no longer matches.
    let mut p = good.clone();
    p["draws"][0]["reveal"]["public_value"] = "03 07 12 19 25 31 + 09".into();
    assert!(matches!(
        verdict(&p),
        Err(PackageError::Draw(Mismatch::Seed { .. }))
    ));
    // A student's attribute changed after the commitment.
    let mut p = good.clone();
    p["draws"][0]["inputs"]["students"][0]["attrs"][0] = "F".into();
    assert!(matches!(
        verdict(&p),
        Err(PackageError::InputsDigest { .. })
    ));
    // The placement digest edited.
    let mut p = good.clone();
    p["draws"][0]["placement_digest"] = "00".into();
    assert!(matches!(
        verdict(&p),
        Err(PackageError::PlacementDigest { .. })
    ));

    // Before the draw there is nothing to verify, but the inputs digest is checked.
    let committed = package(placement(None, None));
    assert!(committed["draws"][0]["reveal"].is_null());
    assert!(committed["draws"][0]["placement"].is_null());
    assert_eq!(verdict(&committed), Err(PackageError::NotDrawn));

    assert!(package::verify(b"{}").is_err());
    assert!(package::verify(b"[").is_err());
    let mut p = good;
    p["draws"][0]["inputs"]["classes"][0]["size"] = "4".into();
    assert!(matches!(verdict(&p), Err(PackageError::Malformed(_))));
}

/// `cargo test -p gongkai-plugin-admissions --release --lib -- --ignored --nocapture`
#[test]
#[ignore = "timing; run by hand"]
fn time_a_2000_student_item_through_the_plugin_api() {
    let students: Vec<Value> = (0..2000)
        .map(|i| {
            json!({"id": format!("2026{i:05}"), "sex": if i % 2 == 0 { "F" } else { "M" },
                   "category": format!("C{}", i * 13 % 5)})
        })
        .collect();
    let classes: Vec<Value> = (1..=40)
        .map(|i| json!({"name": format!("{i}班"), "size": 50}))
        .collect();
    let mut v = placement(Some(SECRET), Some("03 07 12 19 25 31 + 08"));
    v["students"] = Value::Array(students);
    v["classes"] = Value::Array(classes);
    let json = v.to_string();
    let runs = 10;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        let f = Fields::from_json(&json).unwrap();
        assert!(errors(&Admissions::validate(PLACEMENT, &f, &ctx()).unwrap()).is_empty());
    }
    let validate = start.elapsed() / runs;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        let f = Fields::from_json(&json).unwrap();
        let d = Admissions::derive(PLACEMENT, &f, &ctx()).unwrap();
        assert_eq!(d["placement"].as_array().unwrap().len(), 2000);
    }
    let derive = start.elapsed() / runs;
    println!(
        "native, 2,000 students / 40 classes from JSON: validate {validate:?}, derive {derive:?}"
    );
}

mod actions {
    use super::*;

    fn draw_input() -> Value {
        let students: Vec<Value> = (0..40)
            .map(|i| {
                let sex = if i % 2 == 0 { "F" } else { "M" };
                let cat = ["A", "B", "C"][i % 3];
                json!({"id": format!("S{i:03}"), "attrs": [sex, cat]})
            })
            .collect();
        json!({
            "constraints": ["sex", "category"],
            "classes": [{"name": "1班", "size": 20}, {"name": "2班", "size": 20}],
            "students": students,
            "public_source": "双色球第2026150期",
            "secret": "a secret of at least sixteen bytes",
            "public_value": "03 07 12 19 25 31 + 09",
        })
    }

    fn act(name: &str, input: &Value) -> Result<Value, PluginError> {
        Admissions::action(name, input, &ctx())
    }

    #[test]
    fn place_gives_a_package_verify_accepts() {
        let package = act("place", &draw_input()).unwrap();
        assert_eq!(
            package,
            act("place", &draw_input()).unwrap(),
            "deterministic"
        );
        let draw = &package["draws"][0];
        assert_eq!(draw["placement"].as_array().unwrap().len(), 40);
        assert_eq!(
            draw["commitment"]["secret_sha256"],
            lottery::commit("a secret of at least sixteen bytes")
        );
        let verdict = act("verify", &package).unwrap();
        assert_eq!(verdict, json!({"ok": true, "draws": [{"ok": true}]}));
    }

    #[test]
    fn verify_names_a_tampered_seed_and_a_tampered_placement() {
        let package = act("place", &draw_input()).unwrap();
        let mut seed = package.clone();
        seed["draws"][0]["seed"] = json!("00".repeat(32));
        let v = act("verify", &seed).unwrap();
        assert_eq!(
            (&v["ok"], &v["draws"][0]["mismatch"]),
            (&json!(false), &json!("seed"))
        );

        let mut moved = package.clone();
        let row = &mut moved["draws"][0]["placement"][0];
        let other = if row["class"] == "1班" {
            "2班"
        } else {
            "1班"
        };
        row["class"] = json!(other);
        let v = act("verify", &moved).unwrap();
        assert_eq!(v["draws"][0]["mismatch"], "placement-class");
        assert!(v["draws"][0]["message"].as_str().unwrap().contains("S000"));
    }

    #[test]
    fn bad_inputs_and_unknown_actions_are_refused() {
        let mut short = draw_input();
        short["secret"] = json!("short");
        assert!(matches!(act("place", &short), Err(PluginError::BadInput(m)) if m.contains("16")));
        let mut wrong = draw_input();
        wrong["secret_sha256"] = json!("00".repeat(32));
        assert!(matches!(
            act("place", &wrong),
            Err(PluginError::BadInput(_))
        ));
        assert!(matches!(
            act("verify", &json!({"format": "x"})),
            Err(PluginError::BadInput(_))
        ));
        assert!(matches!(
            act("shuffle", &json!({})),
            Err(PluginError::UnknownAction(_))
        ));
        let names: Vec<(String, bool)> = Admissions::actions()
            .into_iter()
            .map(|a| (a.name, a.public))
            .collect();
        assert_eq!(names, [("place".into(), false), ("verify".into(), true)]);
    }
}
