//! The exports: OCDS 1.1 release and record packages, validated against the
//! official 1.1.5 JSON Schemas (draft-04, fixtures in tests/fixtures/ocds),
//! and CSV.

use super::*;
use crate::ocds::{self, Config};
use crate::{CSV, OCDS_RECORDS, OCDS_RELEASES};
use gongkai_plugin_sdk::ExportItem;
use jsonschema::{Draft, Resource, Validator};

const BASE: &str = "https://standard.open-contracting.org/schema/1__1__5/";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/ocds/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    gongkai_plugin_sdk::serde_json::from_str(&text).unwrap()
}

/// A draft-04 validator for one package schema; its absolute `$ref`s are
/// answered from the fixtures, never from the network.
fn validator(package: &str) -> Validator {
    let mut options = jsonschema::options()
        .with_draft(Draft::Draft4)
        .should_validate_formats(true);
    for name in [
        "release-schema.json",
        "versioned-release-validation-schema.json",
    ] {
        options = options.with_resource(
            format!("{BASE}{name}"),
            Resource::from_contents(fixture(name)),
        );
    }
    options.build(&fixture(package)).unwrap()
}

fn assert_valid(package: &str, doc: &Value) {
    let v = validator(package);
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{package}:\n{}", errors.join("\n"));
}

fn config() -> Config {
    Config {
        ocid_prefix: "ocds-test01".into(),
        uri: "https://example.gov.cn/open-data/procurement.json".into(),
        publisher: Some("某市财政局".into()),
        license: Some("https://creativecommons.org/licenses/by/4.0/".into()),
    }
}

fn json_of(out: &gongkai_plugin_sdk::ExportOutput) -> Value {
    assert_eq!(out.media_type, "application/json");
    assert_eq!(out.extension, "json");
    gongkai_plugin_sdk::serde_json::from_slice(&out.bytes).unwrap()
}

fn tags(releases: &Value) -> Vec<&str> {
    releases
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tag"][0].as_str().unwrap())
        .collect()
}

#[test]
fn release_package_of_a_whole_procurement_is_valid_ocds() {
    let pkg = json_of(&ocds::release_package(&whole_procurement(), &config()).unwrap());
    assert_valid("release-package-schema.json", &pkg);
    assert_eq!(pkg["version"], "1.1");
    assert_eq!(pkg["publisher"]["name"], "某市财政局");
    assert_eq!(pkg["publishedDate"], "2026-07-22T09:00:00+08:00");
    assert_eq!(
        tags(&pkg["releases"]),
        [
            "planning",
            "tender",
            "tenderAmendment",
            "award",
            "contract",
            "implementation"
        ]
    );
    let r = &pkg["releases"][1];
    assert_eq!(r["ocid"], "ocds-test01-ZJCG-2026-001");
    assert_eq!(r["initiationType"], "tender");
    assert_eq!(r["tender"]["procurementMethod"], "open");
    assert_eq!(
        r["tender"]["value"],
        json!({"amount": 1200000, "currency": "CNY"})
    );
    assert_eq!(
        r["tender"]["tenderPeriod"]["endDate"],
        "2026-05-26T09:30:00+08:00"
    );
    assert_eq!(
        r["tender"]["items"][0]["description"],
        "台式计算机（150台）"
    );
    assert_eq!(r["buyer"]["id"], format!("CN-USCC-{BUYER_CODE}"));
}

#[test]
fn every_kind_gives_a_valid_release() {
    let notices = [
        n("a", INTENTION, intention_fields(), None),
        n(
            "b",
            PREQUALIFICATION,
            prequalification_fields("2026-04-01", "2026-04-10T17:00"),
            None,
        ),
        n(
            "c",
            TENDER,
            tender_fields("single-source", "2026-04-01T09:00", "2026-04-09T17:00"),
            None,
        ),
        n(
            "d",
            AMENDMENT,
            amendment_fields("2026-04-10", "2026-04-21T09:30", "2026-04-27T09:30"),
            None,
        ),
        n("e", CANCELLATION, cancellation_fields("2026-04-15"), None),
        n(
            "f",
            AWARD,
            award_fields("2026-04-10T09:30", "2026-04-14"),
            None,
        ),
        n(
            "g",
            CONTRACT,
            contract_fields("2026-04-14", "2026-04-14"),
            None,
        ),
        n("h", ACCEPTANCE, acceptance_fields("2026-04-15"), None),
    ];
    for notice in &notices {
        let pkg = json_of(&ocds::release_package(std::slice::from_ref(notice), &config()).unwrap());
        assert_valid("release-package-schema.json", &pkg);
        let r = &pkg["releases"][0];
        assert_eq!(r["tag"][0], ocds::tag(notice.kind), "{}", notice.kind);
        // Without a publication time the notice's own date stands in.
        assert!(r["date"].as_str().unwrap().starts_with("2026-0"), "{r}");
    }
    let cancelled = ocds::release(&notices[4], &config());
    assert_eq!(cancelled["tender"]["status"], "unsuccessful");
    assert_eq!(
        cancelled["tender"]["amendments"][0]["rationale"],
        "提交投标文件的供应商不足三家"
    );
    let intention = ocds::release(&notices[0], &config());
    assert_eq!(intention["date"], "2026-04-01T00:00:00+08:00");
    assert_eq!(intention["planning"]["budget"]["amount"]["amount"], 1200000);
    let award = ocds::release(&notices[5], &config());
    let awards = award["awards"].as_array().unwrap();
    assert_eq!(awards.len(), 2, "one award per lot");
    assert_eq!(awards[1]["value"]["amount"], 290000.5);
    assert_eq!(award["tender"]["numberOfTenderers"], 2);
    let acceptance = ocds::release(&notices[7], &config());
    let milestone = &acceptance["contracts"][0]["implementation"]["milestones"][0];
    assert_eq!(milestone["status"], "met");
    assert_eq!(acceptance["contracts"][0]["awardID"], "ZJCG-2026-001-1");
}

#[test]
fn round_trip_tender_amendment_award_contract_is_one_record() {
    let all = whole_procurement();
    let trip: Vec<Notice> = all[1..5].to_vec();
    let pkg = json_of(&ocds::record_package(&trip, &config()).unwrap());
    assert_valid("record-package-schema.json", &pkg);
    let records = pkg["records"].as_array().unwrap();
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(record["ocid"], "ocds-test01-ZJCG-2026-001");
    let ids: Vec<&str> = record["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["n2", "n3", "n4", "n5"]);
    assert_eq!(
        tags(&record["releases"]),
        ["tender", "tenderAmendment", "award", "contract"]
    );
    let compiled = &record["compiledRelease"];
    assert_eq!(compiled["tag"], json!(["compiled"]));
    assert_eq!(compiled["date"], "2026-06-11T09:00:00+08:00");
    // The amendment moved the deadline; the tender's start stays.
    assert_eq!(
        compiled["tender"]["tenderPeriod"]["startDate"],
        "2026-05-06T09:00:00+08:00"
    );
    assert_eq!(
        compiled["tender"]["tenderPeriod"]["endDate"],
        "2026-06-01T09:30:00+08:00"
    );
    assert_eq!(compiled["tender"]["amendments"][0]["id"], "n3");
    assert_eq!(compiled["tender"]["title"], "办公设备采购");
    assert_eq!(compiled["awards"].as_array().unwrap().len(), 2);
    assert_eq!(compiled["contracts"][0]["id"], "HT-2026-001");
    assert_eq!(
        compiled["contracts"][0]["awardID"],
        compiled["awards"][0]["id"]
    );
    // Parties merge by id: the supplier of the award is the contract's.
    let parties = compiled["parties"].as_array().unwrap();
    let supplier = format!("CN-USCC-{SUPPLIER_CODE}");
    assert_eq!(
        parties
            .iter()
            .filter(|p| p["id"] == supplier.as_str())
            .count(),
        1
    );
}

#[test]
fn record_package_of_several_procurements_with_every_kind() {
    let mut notices = whole_procurement();
    let mut other = cancellation_fields("2026-04-15");
    other.set("project_number", "ZJCG-2026-002");
    notices.push(n(
        "x",
        CANCELLATION,
        other,
        Some("2026-04-15T12:00:00+08:00"),
    ));
    let pkg = json_of(&ocds::record_package(&notices, &config()).unwrap());
    assert_valid("record-package-schema.json", &pkg);
    let records = pkg["records"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["releases"].as_array().unwrap().len(), 6);
    assert_eq!(
        records[0]["compiledRelease"]["contracts"][0]["implementation"]["milestones"][0]["status"],
        "met"
    );
    assert_eq!(records[1]["ocid"], "ocds-test01-ZJCG-2026-002");
    assert_eq!(
        records[1]["compiledRelease"]["tender"]["status"],
        "unsuccessful"
    );
}

#[test]
fn exports_leave_out_what_is_not_public() {
    let notices = whole_procurement();
    for out in [
        ocds::release_package(&notices, &config()).unwrap(),
        ocds::record_package(&notices, &config()).unwrap(),
        crate::table::csv(&notices),
    ] {
        let text = String::from_utf8(out.bytes).unwrap();
        for secret in [PERSON_ID, "910000", "李四", "王五"] {
            assert!(!text.contains(secret), "{secret} in {}", out.extension);
        }
        assert!(text.contains("张三"), "a natural person supplier is named");
    }
}

#[test]
fn compile_follows_the_ocds_merge_rules() {
    let a = json!({"ocid": "o", "id": "1", "date": "2026-01-01T00:00:00Z", "tag": ["tender"],
        "tender": {"id": "t", "title": "A", "items": [{"id": "1", "description": "x"}], "x": [1, 2]}});
    let b = json!({"ocid": "o", "id": "2", "date": "2026-01-02T00:00:00Z", "tag": ["tenderUpdate"],
        "tender": {"id": "t", "title": null, "items": [{"id": "1", "quantity": 2}, {"id": "2"}], "x": [3]}});
    let c = ocds::compile(&[a, b]);
    assert_eq!(c["id"], "o-compiled");
    assert_eq!(c["date"], "2026-01-02T00:00:00Z");
    assert!(c["tender"].get("title").is_none());
    assert_eq!(
        c["tender"]["items"],
        json!([{"id": "1", "description": "x", "quantity": 2}, {"id": "2"}])
    );
    assert_eq!(c["tender"]["x"], json!([3]));
}

fn item(notice: &Notice) -> ExportItem {
    ExportItem {
        id: notice.id.clone(),
        kind: notice.kind.into(),
        fields: notice.fields.clone(),
        published_at: notice.published_at.clone(),
    }
}

#[test]
fn plugin_export_dispatches_formats() {
    let items: Vec<ExportItem> = whole_procurement().iter().map(item).collect();
    let pkg = json_of(&Procurement::export(OCDS_RELEASES, &items).unwrap());
    assert_valid("release-package-schema.json", &pkg);
    assert!(pkg["releases"][0]["ocid"]
        .as_str()
        .unwrap()
        .starts_with(ocds::DEFAULT_OCID_PREFIX));
    let pkg = json_of(&Procurement::export(OCDS_RECORDS, &items).unwrap());
    assert_valid("record-package-schema.json", &pkg);
    assert!(matches!(
        Procurement::export("xml", &items),
        Err(PluginError::UnknownFormat(_))
    ));
    assert!(matches!(
        Procurement::export(OCDS_RELEASES, &[]),
        Err(PluginError::BadInput(_))
    ));
    let mut wrong = items[0].clone();
    wrong.kind = "air-quality-reading".into();
    assert!(matches!(
        Procurement::export(CSV, &[wrong]),
        Err(PluginError::BadInput(_))
    ));
}

/// Streams `batches` through `export_part` as the host does, each carry handed on.
fn in_parts(format: &str, batches: &[Vec<ExportItem>]) -> Vec<u8> {
    let mut carry = String::new();
    let mut bytes = Vec::new();
    for (i, batch) in batches.iter().enumerate() {
        let part = gongkai_plugin_sdk::ExportPart {
            first: i == 0,
            last: i + 1 == batches.len(),
            carry,
        };
        let piece = Procurement::export_part(format, batch, &part).unwrap();
        bytes.extend(piece.output.bytes);
        carry = piece.carry;
    }
    bytes
}

#[test]
fn an_export_made_in_parts_is_the_export_made_whole() {
    // Two procurements in two batches, and an empty batch between them (the host may
    // find a batch's procurements already sent whole with an earlier one).
    let first: Vec<ExportItem> = whole_procurement().iter().map(item).collect();
    let mut other = cancellation_fields("2026-04-15");
    other.set("project_number", "ZJCG-2026-002");
    let second = vec![item(&n(
        "x",
        CANCELLATION,
        other,
        Some("2026-04-15T12:00:00+08:00"),
    ))];
    let batches = [first.clone(), Vec::new(), second.clone()];
    let all: Vec<ExportItem> = first.into_iter().chain(second).collect();
    for (format, schema) in [
        (OCDS_RELEASES, "release-package-schema.json"),
        (OCDS_RECORDS, "record-package-schema.json"),
    ] {
        let parts: Value =
            gongkai_plugin_sdk::serde_json::from_slice(&in_parts(format, &batches)).unwrap();
        assert_valid(schema, &parts);
        assert_eq!(parts, json_of(&Procurement::export(format, &all).unwrap()));
        // The metadata sees every part: the newest release date is the first batch's,
        // handed on in the carry past the older last batch.
        assert!(
            parts["publishedDate"]
                .as_str()
                .unwrap()
                .starts_with("2026-07-22"),
            "{parts}"
        );
    }
    let csv = in_parts(CSV, &batches);
    assert_eq!(csv, Procurement::export(CSV, &all).unwrap().bytes);
    // A carry that is not the plugin's own is refused, not trusted.
    let forged = gongkai_plugin_sdk::ExportPart {
        first: false,
        last: true,
        carry: "{\"written\":\"many\"}".into(),
    };
    assert!(matches!(
        Procurement::export_part(OCDS_RELEASES, &all, &forged),
        Err(PluginError::BadInput(_))
    ));
}

#[test]
fn csv_lists_every_notice_with_the_current_stage() {
    let mut notices = whole_procurement();
    notices[1]
        .fields
        .set("project_name", "办公设备采购, \"一期\"");
    let out = Procurement::export(CSV, &notices.iter().map(item).collect::<Vec<_>>()).unwrap();
    assert_eq!(out.media_type, "text/csv; charset=utf-8");
    let text = String::from_utf8(out.bytes).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}project_number,project_name,notice,kind,notice_stage,procurement_stage,method,buyer,date,amount_yuan,suppliers,published_at"
    );
    assert_eq!(lines.len(), 8, "header, six notices, final CRLF");
    assert!(lines[2].starts_with("ZJCG-2026-001,\"办公设备采购, \"\"一期\"\"\",n2,采购公告（招标公告）,tender,accepted,公开招标,"), "{}", lines[2]);
    assert!(
        lines[4].contains(",1170000.50,某科技有限公司（91330100MA2B3C4D5N）；张三,"),
        "{}",
        lines[4]
    );
}

#[test]
fn the_schema_check_rejects_what_ocds_forbids() {
    let pkg = json_of(&ocds::release_package(&whole_procurement(), &config()).unwrap());
    let v = validator("release-package-schema.json");
    assert!(v.is_valid(&pkg));
    for (pointer, bad) in [
        ("/releases/0/tag", json!(["bogus"])),
        ("/releases/0/date", json!("2026-03-20")),
        ("/releases/1/tender/status", json!("open")),
        ("/releases/1/tender/value/amount", json!("1200000")),
        ("/version", json!("1.1.5")),
    ] {
        let mut broken = pkg.clone();
        *broken.pointer_mut(pointer).unwrap() = bad;
        assert!(!v.is_valid(&broken), "{pointer}");
    }
    let mut broken = pkg.clone();
    broken["releases"][0]
        .as_object_mut()
        .unwrap()
        .remove("initiationType");
    assert!(!v.is_valid(&broken));
    let mut broken = pkg;
    broken["releases"] = json!([]);
    assert!(!v.is_valid(&broken));
}
