//! Unit tests: every kind, every time limit the day before, on and after it
//! (with holidays where working days count), the sequence of notices, and
//! the exports (`ocds.rs`, validated against the OCDS 1.1.5 schemas).

mod notices;
mod ocds;

use crate::kinds::*;
use crate::money::{MoneyError, Yuan};
use crate::notice::Notice;
use crate::stage::Stage;
use crate::{sequence, timing, Procurement};
use gongkai_plugin_sdk::{
    serde_json::json, Context, Date, Fields, Plugin, PluginError, Problems, Severity, TestCalendar,
    Value,
};

pub(crate) const BUYER_CODE: &str = "12330000002482061M";
pub(crate) const SUPPLIER_CODE: &str = "91330100MA2B3C4D5N";
pub(crate) const OTHER_CODE: &str = "91330106MA27XL0E01";
pub(crate) const PERSON_ID: &str = "11010519491231002X";

pub(crate) fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn ctx(today: &str) -> Context<'static> {
    Context::new("tenant-1", d(today), "zh-CN")
}

fn fields(v: Value) -> Fields {
    Fields::from_value(v)
}

/// Adds the fields every notice carries.
fn notice(mut v: Value) -> Fields {
    let base = json!({
        "project_number": "ZJCG-2026-001",
        "project_name": "办公设备采购",
        "buyer": "某市财政局",
        "buyer_code": BUYER_CODE,
    });
    for (k, x) in base.as_object().unwrap() {
        v.as_object_mut()
            .unwrap()
            .entry(k.clone())
            .or_insert(x.clone());
    }
    fields(v)
}

fn has(p: &Problems, path: &str, code: &str, severity: Severity) -> bool {
    p.iter()
        .any(|x| x.path == path && x.code == code && x.severity == severity)
}

fn codes(p: &Problems) -> Vec<(String, String)> {
    p.iter().map(|x| (x.path.clone(), x.code.clone())).collect()
}

fn validate(kind: &str, f: &Fields, c: &Context) -> Problems {
    Procurement::validate(kind, f, c).unwrap()
}

pub(crate) fn intention_fields() -> Fields {
    notice(json!({
        "needs": "<p>台式计算机 200 台</p>",
        "budget": "1200000.00",
        "expected_start": "2026-05-01",
    }))
}

pub(crate) fn tender_fields(method: &str, from: &str, deadline: &str) -> Fields {
    notice(json!({
        "method": method,
        "agency": "某招标代理有限公司",
        "agency_code": OTHER_CODE,
        "budget": "1200000.00",
        "max_price": "1150000",
        "lots": [
            {"lot": "1", "name": "台式计算机", "quantity": "150台", "budget": "900000"},
            {"lot": "2", "name": "笔记本电脑", "budget": "300000.00"},
        ],
        "needs": "<p>详见采购文件</p>",
        "documents_from": from,
        "bid_deadline": deadline,
        "opening_time": deadline,
    }))
}

pub(crate) fn amendment_fields(notice_date: &str, prev: &str, new: &str) -> Fields {
    notice(json!({
        "method": "open",
        "notice_date": notice_date,
        "changes": [{"item": "投标截止时间", "before": prev, "after": new}],
        "affects_bids": true,
        "previous_bid_deadline": prev,
        "new_bid_deadline": new,
        "previous_opening_time": prev,
        "new_opening_time": new,
    }))
}

pub(crate) fn award_fields(opening: &str, decision: &str) -> Fields {
    notice(json!({
        "method": "open",
        "opening_time": opening,
        "decision_date": decision,
        "suppliers": [
            {"name": "某科技有限公司", "credit_code": SUPPLIER_CODE, "lot": "1", "amount": "880000.00"},
            {"name": "张三", "supplier_type": "person", "id_number": PERSON_ID, "lot": "2", "amount": "290000.50"},
        ],
        "total_amount": "1170000.50",
        "scoring_summary": "<p>综合评分法，有效投标3家</p>",
        "bids": [
            {"bidder": "某科技有限公司", "credit_code": SUPPLIER_CODE, "price": "880000.00", "score": 92.5},
            {"bidder": "另一有限公司", "credit_code": OTHER_CODE, "price": "910000", "score": 85},
        ],
        "panel": [{"name": "李四", "role": "expert"}, {"name": "王五", "role": "buyer-representative"}],
    }))
}

pub(crate) fn contract_fields(award_notice: &str, signed: &str) -> Fields {
    notice(json!({
        "contract_number": "HT-2026-001",
        "contract_name": "台式计算机采购合同",
        "lot": "1",
        "suppliers": [{"name": "某科技有限公司", "credit_code": SUPPLIER_CODE, "amount": "880000.00"}],
        "amount": "880000.00",
        "award_notice_date": award_notice,
        "signing_date": signed,
        "start_date": signed,
        "end_date": "2026-12-31",
        "contract_file": "https://example.gov.cn/files/ht-2026-001.pdf",
    }))
}

pub(crate) fn acceptance_fields(date: &str) -> Fields {
    notice(json!({
        "contract_number": "HT-2026-001",
        "lot": "1",
        "acceptance_date": date,
        "result": "pass",
        "public_service": false,
        "summary": "<p>货物数量、质量符合合同约定</p>",
    }))
}

pub(crate) fn cancellation_fields(date: &str) -> Fields {
    notice(json!({
        "notice_date": date,
        "reason_code": "failed",
        "reason": "<p>提交投标文件的供应商不足三家</p>",
    }))
}

pub(crate) fn prequalification_fields(notice_date: &str, deadline: &str) -> Fields {
    notice(json!({
        "method": "invited",
        "qualification": "<p>具有独立承担民事责任的能力</p>",
        "notice_date": notice_date,
        "application_deadline": deadline,
    }))
}

// ---------------------------------------------------------------- describe

#[test]
fn a_bid_seals_its_price_and_documents_until_the_opening_time() {
    let bid = Procurement::kind(BID).unwrap();
    let sealed: Vec<(&str, &str)> = bid
        .sealed
        .iter()
        .map(|s| (s.field.as_str(), s.until_field.as_str()))
        .collect();
    assert_eq!(
        sealed,
        [
            ("price", "opening_time"),
            ("commercial", "opening_time"),
            ("technical", "opening_time")
        ]
    );
    let ok = json!({"project_number": "SZCG2026-001", "supplier": "示例科技有限公司",
        "supplier_code": "91350100M000100Y43", "price": "1234567.80",
        "opening_time": "2026-12-21T09:30:00+08:00"});
    let c = ctx("2026-12-07");
    assert!(Procurement::validate(BID, &fields(ok.clone()), &c)
        .unwrap()
        .is_empty());
    assert!(Procurement::derive(BID, &fields(ok.clone()), &c)
        .unwrap()
        .is_empty());
    let mut bad = ok;
    bad["supplier_code"] = json!("91350100M000100Y44");
    bad["price"] = json!("12.345");
    let problems = Procurement::validate(BID, &fields(bad), &c).unwrap();
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert!(
        paths.contains(&"supplier_code") && paths.contains(&"price"),
        "{paths:?}"
    );
}

#[test]
fn describe_lists_every_kind_with_both_languages() {
    let info = Procurement::describe();
    let ids: Vec<&str> = info.kinds.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids[..ALL.len()], ALL);
    assert_eq!(ids[ALL.len()..], [BID]);
    for k in info.kinds.iter().filter(|k| k.id != BID) {
        assert_eq!(k.catalog.path, "重点领域/政府采购");
        assert!(!k.catalog.portal_column.en.is_empty());
        for f in k.fields.iter().chain(&k.derived) {
            assert!(
                !f.label.zh.is_empty() && f.label.en != f.id,
                "{} {}",
                k.id,
                f.id
            );
        }
        assert_eq!(k.derived.len(), 1, "every kind derives its stage");
        assert!(k.get_field("project_number").is_some_and(|f| f.required));
        assert_eq!(Procurement::kind(&k.id).as_ref(), Some(k));
    }
    let formats: Vec<&str> = info.export_formats.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        formats,
        ["ocds-release-package", "ocds-record-package", "csv"]
    );
    assert!(Procurement::kind("nope").is_none());
    assert!(matches!(
        Procurement::validate("nope", &fields(json!({})), &ctx("2026-03-02")),
        Err(PluginError::UnknownKind(_))
    ));
}

#[test]
fn every_kind_accepts_its_example_and_derives_its_stage() {
    let cal = TestCalendar::weekdays();
    let c = ctx("2026-04-15").with_calendar(&cal);
    let examples = [
        (INTENTION, intention_fields(), Stage::Planning),
        (
            PREQUALIFICATION,
            prequalification_fields("2026-04-01", "2026-04-10T17:00"),
            Stage::Tender,
        ),
        (
            TENDER,
            tender_fields("open", "2026-04-01T09:00", "2026-04-21T09:30"),
            Stage::Tender,
        ),
        (
            AMENDMENT,
            amendment_fields("2026-04-10", "2026-04-21T09:30", "2026-04-27T09:30"),
            Stage::Tender,
        ),
        (
            CANCELLATION,
            cancellation_fields("2026-04-15"),
            Stage::Cancelled,
        ),
        (
            AWARD,
            award_fields("2026-04-10T09:30", "2026-04-14"),
            Stage::Awarded,
        ),
        (
            CONTRACT,
            contract_fields("2026-04-14", "2026-04-14"),
            Stage::Contracted,
        ),
        (ACCEPTANCE, acceptance_fields("2026-04-15"), Stage::Accepted),
    ];
    for (kind, f, stage) in examples {
        let c = if kind == INTENTION {
            ctx("2026-03-02").with_calendar(&cal)
        } else {
            c.clone_for_test()
        };
        let p = validate(kind, &f, &c);
        assert!(p.is_empty(), "{kind}: {p:?}");
        let derived = Procurement::derive(kind, &f, &c).unwrap();
        assert_eq!(derived["stage"], stage.code());
    }
}

/// `Context` is not `Clone`; tests make a fresh one with the same day.
trait CloneForTest {
    fn clone_for_test(&self) -> Context<'static>;
}
impl CloneForTest for Context<'_> {
    fn clone_for_test(&self) -> Context<'static> {
        Context::new(&self.tenant, self.today, &self.locale)
    }
}

#[test]
fn required_fields_of_every_kind() {
    let c = ctx("2026-03-02");
    for kind in ALL {
        let p = validate(kind, &fields(json!({})), &c);
        assert!(
            has(&p, "project_number", "required", Severity::Error),
            "{kind}"
        );
        assert!(has(&p, "buyer", "required", Severity::Error), "{kind}");
    }
    let p = validate(CANCELLATION, &notice(json!({})), &c);
    assert!(has(&p, "reason", "required", Severity::Error));
    let p = validate(AWARD, &notice(json!({})), &c);
    for path in [
        "suppliers",
        "panel",
        "scoring_summary",
        "total_amount",
        "decision_date",
    ] {
        assert!(has(&p, path, "required", Severity::Error), "{path}");
    }
    let p = validate(CONTRACT, &notice(json!({})), &c);
    for path in [
        "contract_number",
        "suppliers",
        "amount",
        "signing_date",
        "contract_file",
    ] {
        assert!(has(&p, path, "required", Severity::Error), "{path}");
    }
}

// ---------------------------------------------------------------- money and codes

#[test]
fn money_is_yuan_with_two_decimals() {
    assert_eq!(Yuan::parse("12.34"), Ok(Yuan(1234)));
    assert_eq!(Yuan::parse("12.3"), Ok(Yuan(1230)));
    assert_eq!(Yuan::parse("12.300"), Ok(Yuan(1230)));
    assert_eq!(Yuan::parse("0"), Ok(Yuan(0)));
    assert_eq!(Yuan::parse("12.345"), Err(MoneyError::TooPrecise));
    assert_eq!(Yuan::parse("-1"), Err(MoneyError::Negative));
    for bad in ["12,3", "1e5", "", ".5", "5.", "abc", "1 000"] {
        assert_eq!(Yuan::parse(bad), Err(MoneyError::NotANumber), "{bad}");
    }
    assert_eq!(
        Yuan::parse("99999999999999999999"),
        Err(MoneyError::TooLarge)
    );
    assert_eq!(Yuan::from_value(&json!(0.1)), Ok(Yuan(10)));
    assert_eq!(Yuan::from_value(&json!(880000)), Ok(Yuan(88_000_000)));
    assert_eq!(Yuan(117_000_050).to_string(), "1170000.50");
    assert_eq!(Yuan(100).to_json_number(), json!(1));
    assert_eq!(Yuan(150).to_json_number(), json!(1.5));
}

#[test]
fn malformed_amounts_are_each_named() {
    let mut f = tender_fields("open", "2026-03-02T09:00", "2026-03-23T09:30");
    f.set("budget", "12.345");
    f.set("max_price", "-5");
    f.set(
        "lots",
        json!([{"lot": "1", "name": "x", "budget": "12,3"}, {"lot": "2", "name": "y", "budget": 1.005}]),
    );
    let p = validate(TENDER, &f, &ctx("2026-03-01"));
    assert!(
        has(&p, "budget", "money-precision", Severity::Error),
        "{p:?}"
    );
    assert!(
        has(&p, "max_price", "out-of-range", Severity::Error),
        "{p:?}"
    );
    assert!(has(&p, "lots[0].budget", "type", Severity::Error), "{p:?}");
    assert!(
        has(&p, "lots[1].budget", "money-precision", Severity::Error),
        "{p:?}"
    );
    // One problem per path and code, though the schema check saw the type too.
    assert_eq!(p.iter().filter(|x| x.path == "lots[0].budget").count(), 1);
}

#[test]
fn ceiling_and_lots_stay_within_the_budget() {
    let mut f = tender_fields("open", "2026-03-02T09:00", "2026-03-23T09:30");
    f.set("max_price", "1200000.01");
    f.set(
        "lots",
        json!([{"lot": "1", "name": "x", "budget": "1200000.01"}]),
    );
    let p = validate(TENDER, &f, &ctx("2026-03-01"));
    assert!(has(&p, "max_price", "above-budget", Severity::Error));
    assert!(has(&p, "lots", "above-budget", Severity::Error));
    f.set("max_price", "1200000.00");
    f.set(
        "lots",
        json!([{"lot": "1", "name": "x", "budget": "1200000"}]),
    );
    assert!(validate(TENDER, &f, &ctx("2026-03-01")).is_empty());
}

#[test]
fn credit_codes_name_the_expected_check_character() {
    let mut f = award_fields("2026-03-02T09:30", "2026-03-03");
    f.set(
        "suppliers",
        json!([
            {"name": "A", "credit_code": "91330100MA2B3C4D5X", "amount": "880000.00"},
            {"name": "B", "credit_code": "91330100MA2B3C4D", "amount": "290000.50"},
        ]),
    );
    let c = Context::new("t", d("2026-03-03"), "en");
    let p = validate(AWARD, &f, &c);
    let wrong = p
        .iter()
        .find(|x| x.path == "suppliers[0].credit_code")
        .unwrap();
    assert_eq!(wrong.code, "organisation-code");
    assert!(wrong.message.contains("call for N"), "{}", wrong.message);
    let short = p
        .iter()
        .find(|x| x.path == "suppliers[1].credit_code")
        .unwrap();
    assert!(short.message.contains("18 characters"), "{}", short.message);
    // The buyer's and agency's codes are checked the same way.
    let mut t = tender_fields("open", "2026-03-02T09:00", "2026-03-23T09:30");
    t.set("agency_code", "91330106MA27XL0E02");
    let p = validate(TENDER, &t, &ctx("2026-03-01"));
    let m = &p.iter().find(|x| x.path == "agency_code").unwrap().message;
    assert!(m.contains("应为 1"), "{m}");
}

#[test]
fn suppliers_give_a_code_or_an_id_number() {
    let mut f = award_fields("2026-03-02T09:30", "2026-03-03");
    f.set(
        "suppliers",
        json!([
            {"name": "A", "amount": "880000.00"},
            {"name": "张三", "supplier_type": "person", "amount": "290000.50"},
            {"name": "李四", "supplier_type": "person", "id_number": "110105194912310021"},
        ]),
    );
    let p = validate(AWARD, &f, &ctx("2026-03-03"));
    assert!(has(
        &p,
        "suppliers[0].credit_code",
        "required",
        Severity::Error
    ));
    assert!(has(
        &p,
        "suppliers[1].id_number",
        "required",
        Severity::Error
    ));
    assert!(has(
        &p,
        "suppliers[2].id_number",
        "identity-number",
        Severity::Error
    ));
}

#[test]
fn supplier_amounts_add_up_to_the_total() {
    let mut f = award_fields("2026-03-02T09:30", "2026-03-03");
    f.set("total_amount", "1170000.49");
    let p = validate(AWARD, &f, &ctx("2026-03-03"));
    assert!(
        has(&p, "total_amount", "amount-sum", Severity::Error),
        "{p:?}"
    );
    let mut c = contract_fields("2026-03-03", "2026-03-04");
    c.set("amount", 880000.01);
    assert!(has(
        &validate(CONTRACT, &c, &ctx("2026-03-04")),
        "amount",
        "amount-sum",
        Severity::Error
    ));
}

// ---------------------------------------------------------------- intention: 30 days

#[test]
fn intention_at_least_30_days_before_the_start() {
    // Start 1 May: the last day to publish is 1 April, holidays or not.
    let cal = TestCalendar::weekdays().holiday(d("2026-04-06"));
    let f = intention_fields();
    let at = |today| validate(INTENTION, &f, &ctx(today).with_calendar(&cal));
    assert!(at("2026-03-31").is_empty());
    assert!(has(
        &at("2026-04-01"),
        "expected_start",
        "last-day",
        Severity::Warning
    ));
    assert!(!at("2026-04-01").has_errors());
    assert!(has(
        &at("2026-04-02"),
        "expected_start",
        "late",
        Severity::Error
    ));
    let mut excused = f.clone();
    excused.set("delay_reason", "预算批复延迟");
    let p = validate(INTENTION, &excused, &ctx("2026-04-02"));
    assert!(has(&p, "expected_start", "late", Severity::Warning) && !p.has_errors());
}

// ---------------------------------------------------------------- tender: minimum periods

fn tender_problems(method: &str, from: &str, deadline: &str, cal: &TestCalendar) -> Problems {
    let mut f = tender_fields(method, from, deadline);
    if method == "single-source" {
        f.set("single_source_supplier", "某科技有限公司");
    }
    validate(TENDER, &f, &ctx("2026-03-01").with_calendar(cal))
}

/// (method, deadline a day short, deadline at the limit) from Mon 2 March
/// 2026 09:00, with Wed 4 March a holiday.
const LIMITS: [(&str, &str, &str); 6] = [
    // 20 days: 22 March (a Sunday) is fine, holidays do not count.
    ("open", "2026-03-21", "2026-03-22"),
    ("invited", "2026-03-21", "2026-03-22"),
    // 10 days.
    ("consultation", "2026-03-11", "2026-03-12"),
    // 3 working days: Tue 3, Thu 5 (holiday Wed 4 skipped), Fri 6.
    ("negotiation", "2026-03-05", "2026-03-06"),
    ("inquiry", "2026-03-05", "2026-03-06"),
    // 5 working days of publicity: Tue 3, Thu 5, Fri 6, Mon 9, Tue 10.
    ("single-source", "2026-03-09", "2026-03-10"),
];

#[test]
fn bid_deadline_minimum_period_per_method() {
    let cal = TestCalendar::weekdays().holiday(d("2026-03-04"));
    for (method, short, limit) in LIMITS {
        let before = tender_problems(method, "2026-03-02T09:00", &format!("{short}T09:30"), &cal);
        assert!(
            has(&before, "bid_deadline", "min-period", Severity::Error),
            "{method} {before:?}"
        );
        let at = tender_problems(method, "2026-03-02T09:00", &format!("{limit}T09:30"), &cal);
        assert!(!at.about("bid_deadline"), "{method} {at:?}");
        let after = d(limit).add_days(1).unwrap();
        let after = tender_problems(method, "2026-03-02T09:00", &format!("{after}T09:30"), &cal);
        assert!(!after.about("bid_deadline"), "{method} {after:?}");
    }
    // Without the holiday the working-day limits come a day earlier.
    let plain = TestCalendar::weekdays();
    let p = tender_problems(
        "negotiation",
        "2026-03-02T09:00",
        "2026-03-05T09:30",
        &plain,
    );
    assert!(!p.about("bid_deadline"), "{p:?}");
    assert!(has(
        &tender_problems("negotiation", "2026-03-02T09:00", "2026-03-05T09:30", &cal),
        "bid_deadline",
        "min-period",
        Severity::Error
    ));
}

#[test]
fn documents_available_five_working_days_both_ends_counted() {
    let cal = TestCalendar::weekdays().holiday(d("2026-03-04"));
    assert_eq!(
        timing::availability_end(d("2026-03-02"), 5, &cal),
        Ok(d("2026-03-09"))
    );
    assert_eq!(
        timing::availability_end(d("2026-03-02"), 5, &TestCalendar::weekdays()),
        Ok(d("2026-03-06"))
    );
    // Starting on a Saturday: counting begins on Monday.
    assert_eq!(
        timing::availability_end(d("2026-02-28"), 5, &TestCalendar::weekdays()),
        Ok(d("2026-03-06"))
    );
    for (until, ok) in [
        ("2026-03-06", false),
        ("2026-03-09", true),
        ("2026-03-10", true),
    ] {
        let mut f = tender_fields("open", "2026-03-02T09:00", "2026-03-23T09:30");
        f.set("documents_until", format!("{until}T17:00"));
        let p = validate(TENDER, &f, &ctx("2026-03-01").with_calendar(&cal));
        assert_eq!(!p.about("documents_until"), ok, "{until} {p:?}");
    }
    // Negotiation has no such rule.
    let mut f = tender_fields("negotiation", "2026-03-02T09:00", "2026-03-09T09:30");
    f.set("documents_until", "2026-03-02T17:00");
    assert!(validate(TENDER, &f, &ctx("2026-03-01").with_calendar(&cal)).is_empty());
}

#[test]
fn opening_is_at_the_bid_deadline() {
    let mut f = tender_fields("open", "2026-03-02T09:00", "2026-03-23T09:30");
    f.set("opening_time", "2026-03-23T09:00");
    let p = validate(TENDER, &f, &ctx("2026-03-01"));
    assert!(has(
        &p,
        "opening_time",
        "opening-before-deadline",
        Severity::Error
    ));
    f.set("opening_time", "2026-03-23T10:00");
    let p = validate(TENDER, &f, &ctx("2026-03-01"));
    assert!(has(&p, "opening_time", "opening-time", Severity::Warning) && !p.has_errors());
    let mut n = tender_fields("negotiation", "2026-03-02T09:00", "2026-03-09T09:30");
    n.set("opening_time", "2026-03-09T14:00");
    assert!(validate(TENDER, &n, &ctx("2026-03-01")).is_empty());
}

#[test]
fn single_source_names_its_supplier() {
    let f = tender_fields("single-source", "2026-03-02T09:00", "2026-03-09T17:00");
    let p = validate(TENDER, &f, &ctx("2026-03-01"));
    assert!(has(
        &p,
        "single_source_supplier",
        "required",
        Severity::Error
    ));
}

#[test]
fn prequalification_five_working_days() {
    let cal = TestCalendar::weekdays().holiday(d("2026-03-04"));
    let c = ctx("2026-03-01").with_calendar(&cal);
    // From Mon 2 March, not counted: Tue 3, Thu 5, Fri 6, Mon 9, Tue 10.
    for (deadline, ok) in [
        ("2026-03-09", false),
        ("2026-03-10", true),
        ("2026-03-11", true),
    ] {
        let p = validate(
            PREQUALIFICATION,
            &prequalification_fields("2026-03-02", &format!("{deadline}T17:00")),
            &c,
        );
        assert_eq!(p.is_empty(), ok, "{deadline} {p:?}");
    }
}

// ---------------------------------------------------------------- amendment

#[test]
fn amendment_moves_dates_only_forward() {
    let c = ctx("2026-03-05");
    let f = amendment_fields("2026-03-05", "2026-03-23T09:30", "2026-03-23T09:00");
    let p = validate(AMENDMENT, &f, &c);
    assert!(
        has(&p, "new_bid_deadline", "moves-back", Severity::Error),
        "{p:?}"
    );
    assert!(
        has(&p, "new_opening_time", "moves-back", Severity::Error),
        "{p:?}"
    );
    let mut f = amendment_fields("2026-03-05", "2026-03-23T09:30", "2026-03-30T09:30");
    f.set("new_opening_time", "2026-03-30T09:00");
    let p = validate(AMENDMENT, &f, &c);
    assert_eq!(
        codes(&p),
        [(
            "new_opening_time".to_string(),
            "opening-before-deadline".to_string()
        )]
    );
}

#[test]
fn a_change_that_affects_bids_keeps_15_days_before_the_deadline() {
    let c = ctx("2026-03-10");
    // Issued 10 March: the deadline falls on 25 March or later.
    for (new, ok) in [
        ("2026-03-24", false),
        ("2026-03-25", true),
        ("2026-03-26", true),
    ] {
        let f = amendment_fields("2026-03-10", "2026-03-23T09:30", &format!("{new}T09:30"));
        let p = validate(AMENDMENT, &f, &c);
        assert_eq!(
            !has(
                &p,
                "new_bid_deadline",
                "clarification-period",
                Severity::Error
            ),
            ok,
            "{new}"
        );
    }
    // A change that does not affect the bids needs no extra time.
    let mut f = amendment_fields("2026-03-10", "2026-03-23T09:30", "2026-03-24T09:30");
    f.set("affects_bids", false);
    assert!(validate(AMENDMENT, &f, &c).is_empty());
    // Consultation: 5 days; negotiation: 3 working days (holiday Thu 12 March).
    let cal = TestCalendar::weekdays().holiday(d("2026-03-12"));
    let c = ctx("2026-03-10").with_calendar(&cal);
    for (method, short, limit) in [
        ("consultation", "2026-03-14", "2026-03-15"),
        ("negotiation", "2026-03-13", "2026-03-16"),
    ] {
        for (day, ok) in [(short, false), (limit, true)] {
            let mut f = amendment_fields("2026-03-10", "2026-03-13T09:30", &format!("{day}T09:30"));
            f.set("method", method);
            let p = validate(AMENDMENT, &f, &c);
            assert_eq!(!p.about("new_bid_deadline"), ok, "{method} {day} {p:?}");
        }
    }
}

// ---------------------------------------------------------------- award: 2 working days

#[test]
fn award_not_before_the_opening() {
    let p = validate(
        AWARD,
        &award_fields("2026-03-23T09:30", "2026-03-22"),
        &ctx("2026-03-23"),
    );
    assert!(has(
        &p,
        "decision_date",
        "award-before-opening",
        Severity::Error
    ));
    let p = validate(
        AWARD,
        &award_fields("2026-03-23T09:30", "2026-03-23"),
        &ctx("2026-03-23"),
    );
    assert!(p.is_empty(), "{p:?}");
    let p = validate(
        AWARD,
        &award_fields("2026-03-23T09:30", "2026-03-24"),
        &ctx("2026-03-23"),
    );
    assert!(has(&p, "decision_date", "future", Severity::Warning) && !p.has_errors());
}

#[test]
fn result_within_2_working_days_of_the_decision() {
    // Decided Tue 3 March; Wed 4 is a holiday: Thu 5 and Fri 6 are the two days.
    let cal = TestCalendar::weekdays().holiday(d("2026-03-04"));
    let f = award_fields("2026-03-02T09:30", "2026-03-03");
    let at = |today| validate(AWARD, &f, &ctx(today).with_calendar(&cal));
    assert!(at("2026-03-05").is_empty());
    assert!(has(
        &at("2026-03-06"),
        "decision_date",
        "last-day",
        Severity::Warning
    ));
    assert!(!at("2026-03-06").has_errors());
    assert!(has(
        &at("2026-03-07"),
        "decision_date",
        "late",
        Severity::Error
    ));
    // Without the holiday Thursday is the last day.
    let p = validate(AWARD, &f, &ctx("2026-03-06"));
    assert!(has(&p, "decision_date", "late", Severity::Error));
    let mut excused = f.clone();
    excused.set("delay_reason", "质疑处理");
    let p = validate(AWARD, &excused, &ctx("2026-03-09").with_calendar(&cal));
    assert!(has(&p, "decision_date", "late", Severity::Warning) && !p.has_errors());
}

#[test]
fn award_rules_mask_id_numbers_and_prices_before_the_decision() {
    let f = award_fields("2026-03-02T09:30", "2026-03-03");
    let r = Procurement::publication_rules(AWARD, &f, &ctx("2026-03-03")).unwrap();
    assert_eq!(r.mask, ["suppliers[1].id_number"]);
    assert_eq!(
        r.publish_by.map(|p| (p.from, p.working_days)),
        Some((d("2026-03-03"), 2))
    );
    assert_eq!(r.not_before, Some(d("2026-03-03")));
    // Written the day before the decision: the bidders' prices stay hidden.
    let r = Procurement::publication_rules(AWARD, &f, &ctx("2026-03-02")).unwrap();
    assert_eq!(
        r.mask,
        ["suppliers[1].id_number", "bids[0].price", "bids[1].price"]
    );
    let mut undecided = f.clone();
    undecided.set("decision_date", Value::Null);
    let r = Procurement::publication_rules(AWARD, &undecided, &ctx("2026-03-02")).unwrap();
    assert!(r.mask.contains(&"bids[1].price".to_string()) && r.publish_by.is_none());
}

// ---------------------------------------------------------------- contract

#[test]
fn contract_within_2_working_days_of_signing() {
    // Signed Thu 30 April; 1–5 May are holidays: Wed 6 and Thu 7 May.
    let mut cal = TestCalendar::weekdays();
    for day in ["2026-05-01", "2026-05-04", "2026-05-05"] {
        cal = cal.holiday(d(day));
    }
    let f = contract_fields("2026-04-20", "2026-04-30");
    let at = |today| validate(CONTRACT, &f, &ctx(today).with_calendar(&cal));
    assert!(at("2026-05-06").is_empty(), "{:?}", at("2026-05-06"));
    assert!(has(
        &at("2026-05-07"),
        "signing_date",
        "last-day",
        Severity::Warning
    ));
    assert!(has(
        &at("2026-05-08"),
        "signing_date",
        "late",
        Severity::Error
    ));
    let r = Procurement::publication_rules(CONTRACT, &f, &ctx("2026-05-06")).unwrap();
    assert_eq!(
        r.publish_by.map(|p| (p.from, p.working_days)),
        Some((d("2026-04-30"), 2))
    );
    assert!(r.mask.is_empty());
}

#[test]
fn contract_signed_within_30_days_of_the_award() {
    let c = ctx("2026-04-10");
    let at = |signed| validate(CONTRACT, &contract_fields("2026-03-10", signed), &c);
    assert!(has(
        &at("2026-03-09"),
        "signing_date",
        "contract-before-award",
        Severity::Error
    ));
    assert!(!at("2026-04-09").about("signing_date"));
    assert!(has(
        &at("2026-04-10"),
        "signing_date",
        "signing-late",
        Severity::Error
    ));
    let mut f = contract_fields("2026-03-10", "2026-04-10");
    f.set("delay_reason", "供应商延迟签订");
    assert!(has(
        &validate(CONTRACT, &f, &c),
        "signing_date",
        "signing-late",
        Severity::Warning
    ));
    let mut f = contract_fields("2026-03-10", "2026-04-09");
    f.set("end_date", "2026-04-08");
    assert!(has(
        &validate(CONTRACT, &f, &c),
        "end_date",
        "order",
        Severity::Error
    ));
}

#[test]
fn contract_masks_a_natural_persons_id_number() {
    let mut f = contract_fields("2026-03-10", "2026-03-11");
    f.set("suppliers", json!([{"name": "张三", "supplier_type": "person", "id_number": PERSON_ID, "amount": "880000"}]));
    assert!(validate(CONTRACT, &f, &ctx("2026-03-11")).is_empty());
    let r = Procurement::publication_rules(CONTRACT, &f, &ctx("2026-03-11")).unwrap();
    assert_eq!(r.mask, ["suppliers[0].id_number"]);
}

// ---------------------------------------------------------------- other kinds

#[test]
fn acceptance_cancellation_and_prequalification_rules() {
    let p = validate(
        ACCEPTANCE,
        &acceptance_fields("2026-03-11"),
        &ctx("2026-03-10"),
    );
    assert!(has(&p, "acceptance_date", "future", Severity::Error));
    let mut f = acceptance_fields("2026-03-10");
    f.set("result", "maybe");
    assert!(has(
        &validate(ACCEPTANCE, &f, &ctx("2026-03-10")),
        "result",
        "option",
        Severity::Error
    ));
    let mut f = cancellation_fields("2026-03-10");
    f.set("reason_code", "whim");
    assert!(has(
        &validate(CANCELLATION, &f, &ctx("2026-03-10")),
        "reason_code",
        "option",
        Severity::Error
    ));
    let r = Procurement::publication_rules(
        PREQUALIFICATION,
        &prequalification_fields("2026-03-02", "2026-03-10T17:00"),
        &ctx("2026-03-01"),
    )
    .unwrap();
    assert_eq!(
        r.publish_by.map(|p| (p.from, p.working_days)),
        Some((d("2026-03-02"), 0))
    );
    let r = Procurement::publication_rules(
        TENDER,
        &tender_fields("open", "2026-03-02T09:00", "2026-03-23T09:30"),
        &ctx("2026-03-01"),
    )
    .unwrap();
    assert_eq!(
        r.publish_by.map(|p| (p.from, p.working_days)),
        Some((d("2026-03-02"), 0))
    );
    let r =
        Procurement::publication_rules(INTENTION, &intention_fields(), &ctx("2026-03-01")).unwrap();
    assert_eq!(
        r.publish_by.map(|p| (p.from, p.working_days)),
        Some((d("2026-04-01"), 0))
    );
    let r = Procurement::publication_rules(
        CANCELLATION,
        &cancellation_fields("2026-03-10"),
        &ctx("2026-03-10"),
    )
    .unwrap();
    assert_eq!(r, Default::default());
    assert!(
        Procurement::publication_rules("nope", &fields(json!({})), &ctx("2026-03-10")).is_err()
    );
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
fn calendar_failure_is_a_plugin_error() {
    let c = ctx("2026-03-03").with_calendar(&Failing);
    let r = Procurement::validate(AWARD, &award_fields("2026-03-02T09:30", "2026-03-03"), &c);
    assert!(matches!(r, Err(PluginError::Internal(_))));
}

// ---------------------------------------------------------------- whole procurements

pub(crate) fn n(id: &str, kind: &str, f: Fields, published: Option<&str>) -> Notice {
    Notice::new(id, kind, f, published).unwrap()
}

/// Intention → tender → amendment → award → contract → acceptance, all in time.
pub(crate) fn whole_procurement() -> Vec<Notice> {
    vec![
        n(
            "n1",
            INTENTION,
            intention_fields(),
            Some("2026-03-20T10:00:00+08:00"),
        ),
        n(
            "n2",
            TENDER,
            tender_fields("open", "2026-05-06T09:00", "2026-05-26T09:30"),
            Some("2026-05-06T08:30:00+08:00"),
        ),
        n(
            "n3",
            AMENDMENT,
            amendment_fields("2026-05-08", "2026-05-26T09:30", "2026-06-01T09:30"),
            Some("2026-05-08T16:00:00+08:00"),
        ),
        n(
            "n4",
            AWARD,
            award_fields("2026-06-01T09:30", "2026-06-02"),
            Some("2026-06-03T10:00:00+08:00"),
        ),
        n(
            "n5",
            CONTRACT,
            contract_fields("2026-06-03", "2026-06-10"),
            Some("2026-06-11T09:00:00+08:00"),
        ),
        n(
            "n6",
            ACCEPTANCE,
            acceptance_fields("2026-07-20"),
            Some("2026-07-22T09:00:00+08:00"),
        ),
    ]
}

#[test]
fn every_problem_of_a_notice_at_once() {
    let mut f = contract_fields("2026-03-10", "2026-03-11");
    f.set("amount", "88万");
    f.set("signing_date", "2026-02-30");
    f.set(
        "suppliers",
        json!([{"name": "A", "credit_code": "91330100MA2B3C4D5Y", "amount": "1.001"}]),
    );
    let p = validate(CONTRACT, &f, &ctx("2026-03-11"));
    assert_eq!(
        codes(&p),
        [
            (
                "suppliers[0].credit_code".to_string(),
                "organisation-code".to_string()
            ),
            ("amount".to_string(), "type".to_string()),
            ("signing_date".to_string(), "type".to_string()),
            (
                "suppliers[0].amount".to_string(),
                "money-precision".to_string()
            ),
        ]
    );
}
