//! Annual reports through the API, on both backends: a fixture year whose tables equal
//! hand-computed figures cell by cell, the records behind a figure, every cross-check
//! failing on a deliberately adjusted figure, adjustments without a reason, future and
//! empty years, permissions and tenant isolation; publication, downloads and the
//! government summary in `reports/publication.rs`.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const CREDIT_CODE: &str = "91350100M000100Y43";

async fn start(backend: gongkai::kernel::db::Backend) -> TestApp {
    let app = TestApp::start_with(backend, |c| {
        c.request_submissions_per_address_per_hour = 1000;
        c.clock_today = Some("2025-06-02".into());
        c.email_transport = "none".into();
    })
    .await;
    app.staffed(
        "city",
        None,
        &[
            "request_officer",
            "approver",
            "editor",
            "tenant_admin",
            "reviewer",
        ],
    )
    .await;
    app
}

fn applicant(kind: &str) -> Value {
    let mut body = json!({
        "applicant_type": kind,
        "name": "张三",
        "phone": "13800138000",
        "address": "示例市人民路1号",
        "description": "本市道路维修资金的使用情况",
        "delivery_method": "post",
        "delivery_form": "electronic",
    });
    if kind == "person" {
        body["id_type"] = json!("resident_id");
        body["id_number"] = json!("11010519491231002X");
    } else {
        body["organisation"] = json!("某某单位");
        body["credit_code"] = json!(CREDIT_CODE);
    }
    body
}

/// The staff of `city` who handle requests.
struct Office {
    officer: Client,
    head: Client,
}

impl Office {
    async fn new(app: &TestApp) -> Office {
        Office {
            officer: app.login("request_officer@city.cn").await,
            head: app.login("approver@city.cn").await,
        }
    }

    async fn step(&mut self, head: bool, id: &str, what: &str, body: Value) {
        let who = if head {
            &mut self.head
        } else {
            &mut self.officer
        };
        who.post(&format!("/api/v1/tenants/city/requests/{id}/{what}"), body)
            .await
            .expect(StatusCode::OK);
    }
}

/// A request received on `on`: (id, tracking number, access code).
async fn receive(
    app: &TestApp,
    office: &mut Office,
    on: NaiveDate,
    kind: &str,
) -> (String, String, String) {
    app.state.clock.set_today(on);
    let r = app
        .anonymous()
        .post("/api/v1/portal/city/requests", applicant(kind))
        .await
        .expect(StatusCode::CREATED);
    let number = r["tracking_number"].as_str().unwrap().to_string();
    let code = r["access_code"].as_str().unwrap().to_string();
    let list = office
        .officer
        .get("/api/v1/tenants/city/requests?limit=1000")
        .await
        .expect(StatusCode::OK);
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tracking_number"] == number.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    office.step(false, &id, "register", json!({})).await;
    office
        .step(true, &id, "assign", json!({"department": "办公室"}))
        .await;
    (id, number, code)
}

/// Delivers an answer with `outcome` on `on`.
async fn answer(app: &TestApp, office: &mut Office, id: &str, on: NaiveDate, outcome: &str) {
    app.state.clock.set_today(on);
    office
        .step(false, id, "answer", json!({"outcome_code": outcome}))
        .await;
    office.step(true, id, "answer/approve", json!({})).await;
    office.step(false, id, "deliver", json!({})).await;
}

async fn remedy(office: &mut Office, id: &str, body: Value) {
    office
        .officer
        .post(
            &format!("/api/v1/tenants/city/requests/{id}/remedies"),
            body,
        )
        .await
        .expect(StatusCode::CREATED);
}

/// The editor and the approver who signs the GZDT node's one-step chain.
struct Desk {
    editor: Client,
    approver: Client,
}

/// An item published on `on` (GZDT's one step signed by the approver).
async fn publish(
    app: &TestApp,
    desk: &mut Desk,
    node: &str,
    on: NaiveDate,
    kind: &str,
    title: &str,
    fields: Value,
) -> String {
    app.state.clock.set_today(on);
    let item = desk
        .editor
        .post(
            "/api/v1/tenants/city/items",
            json!({"node_id": node, "kind": kind, "title": title, "body": "正文。", "fields": fields}),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = item["id"].as_str().unwrap().to_string();
    let at = |action: &str| format!("/api/v1/tenants/city/items/{id}{action}");
    desk.editor
        .post(&at("/submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    desk.approver
        .post(&at("/decisions"), json!({"step": 0, "verdict": "approve"}))
        .await
        .expect(StatusCode::OK);
    desk.editor
        .post(&at("/publish"), json!({}))
        .await
        .expect(StatusCode::OK);
    id
}

fn decision(decided_on: &str, count: Option<i64>) -> Value {
    let mut fields = json!({"document_number": "示许〔2026〕1号", "party": "示例市某有限公司",
        "party_type": "legal_person", "decided_on": decided_on, "legal_basis": "《行政许可法》",
        "content": "准予许可"});
    if let Some(n) = count {
        fields["decision_count"] = json!(n);
    }
    fields
}

fn policy(policy_type: &str, issued_on: &str) -> Value {
    json!({"policy_type": policy_type, "document_number": "示政规〔2026〕1号",
           "issued_on": issued_on, "effective_on": issued_on})
}

/// Tracking numbers of the fixture's requests, by name.
struct Fixture {
    numbers: BTreeMap<&'static str, String>,
    licences: Vec<String>,
}

/// Requests, items and remedies of 2025 and 2026, each placed on its day by the test
/// clock. The figures they make are written out in `expected_2026`.
async fn fixture(app: &TestApp) -> Fixture {
    let mut office = Office::new(app).await;
    let mut numbers = BTreeMap::new();
    // 2025: r1 answered in 2025; r2 and r3 still open at the end of 2025.
    let (r1, n, _) = receive(app, &mut office, d(2025, 6, 2), "person").await;
    numbers.insert("r1", n);
    answer(app, &mut office, &r1, d(2025, 6, 10), "1").await;
    let (r2, n, _) = receive(app, &mut office, d(2025, 11, 3), "person").await;
    numbers.insert("r2", n);
    let (_r3, n3, code3) = receive(app, &mut office, d(2025, 12, 1), "commercial").await;
    numbers.insert("r3", n3.clone());
    // 2026: r2 refused (third party), r3 withdrawn by its applicant.
    answer(app, &mut office, &r2, d(2026, 1, 15), "3.4").await;
    app.state.clock.set_today(d(2026, 2, 2));
    let withdrawn = app
        .http
        .post(app.url(&format!("/api/v1/portal/city/requests/{n3}/withdraw")))
        .header("x-access-code", code3)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), StatusCode::OK);
    // New in 2026: r4 granted (with a fee paid), r5 partly granted, r6 repeated,
    // r7 refused, r8 and r9 still open at the end of 2026.
    let (r4, n, _) = receive(app, &mut office, d(2026, 3, 2), "person").await;
    numbers.insert("r4", n);
    app.state.clock.set_today(d(2026, 3, 4));
    office
        .step(
            false,
            &r4,
            "fee-notice",
            json!({"basis": "pages", "pages": 120}),
        )
        .await;
    office.step(false, &r4, "fee-payment", json!({})).await;
    answer(app, &mut office, &r4, d(2026, 3, 10), "1").await;
    let (r5, n, _) = receive(app, &mut office, d(2026, 3, 3), "person").await;
    numbers.insert("r5", n);
    answer(app, &mut office, &r5, d(2026, 3, 12), "2").await;
    let (r6, n, _) = receive(app, &mut office, d(2026, 4, 1), "research").await;
    numbers.insert("r6", n);
    answer(app, &mut office, &r6, d(2026, 4, 10), "5.2").await;
    let (r7, n, _) = receive(app, &mut office, d(2026, 5, 6), "legal_service").await;
    numbers.insert("r7", n);
    answer(app, &mut office, &r7, d(2026, 5, 20), "3.4").await;
    let (_, n, _) = receive(app, &mut office, d(2026, 12, 1), "public_interest").await;
    numbers.insert("r8", n);
    let (_, n, _) = receive(app, &mut office, d(2026, 12, 21), "person").await;
    numbers.insert("r9", n);
    // Remedies filed in 2026: one reconsideration upheld in 2026, one decided only in
    // 2027 (pending at the end of 2026), one lawsuit pending.
    app.state.clock.set_today(d(2026, 6, 1));
    remedy(&mut office, &r2, json!({"kind": "reconsideration", "result": "upheld", "case_number": "示复〔2026〕1号", "filed_on": "2026-02-01", "decided_on": "2026-03-01"})).await;
    remedy(&mut office, &r4, json!({"kind": "reconsideration", "result": "corrected", "case_number": "示复〔2026〕2号", "filed_on": "2026-05-01", "decided_on": "2027-01-03"})).await;
    remedy(
        &mut office,
        &r5,
        json!({"kind": "litigation_direct", "filed_on": "2026-04-01"}),
    )
    .await;

    // Items: documents made, repealed and in force, decisions (one batch of 5), a fee.
    let mut desk = Desk {
        editor: app.login("editor@city.cn").await,
        approver: app.login("approver@city.cn").await,
    };
    let mut admin = app.login("tenant_admin@city.cn").await;
    let node = node_id(&desk.editor, "GZDT").await;
    admin
        .put(
            &format!("/api/v1/tenants/city/catalog/{node}/review-chain"),
            Some(json!([{"name": "领导签发", "role": "approver"}])),
        )
        .await
        .expect(StatusCode::OK);
    publish(
        app,
        &mut desk,
        &node,
        d(2025, 5, 6),
        "policy",
        "2025年规范性文件",
        policy("normative", "2025-05-01"),
    )
    .await;
    publish(
        app,
        &mut desk,
        &node,
        d(2025, 12, 2),
        "penalty",
        "2025年处罚决定",
        decision("2025-12-01", None),
    )
    .await;
    publish(
        app,
        &mut desk,
        &node,
        d(2026, 2, 3),
        "policy",
        "2026年规章",
        policy("regulation", "2026-02-01"),
    )
    .await;
    let repealed = publish(
        app,
        &mut desk,
        &node,
        d(2026, 3, 3),
        "policy",
        "2026年废止的规范性文件",
        policy("normative", "2026-03-01"),
    )
    .await;
    app.state.clock.set_today(d(2026, 9, 1));
    desk.editor
        .post(
            &format!("/api/v1/tenants/city/items/{repealed}/repeal"),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
    let licences = vec![
        publish(
            app,
            &mut desk,
            &node,
            d(2026, 4, 2),
            "licensing",
            "2026年第一批行政许可",
            decision("2026-04-01", Some(5)),
        )
        .await,
        publish(
            app,
            &mut desk,
            &node,
            d(2026, 5, 2),
            "licensing",
            "2026年行政许可决定",
            decision("2026-05-01", None),
        )
        .await,
    ];
    publish(app, &mut desk, &node, d(2026, 12, 30), "fee", "2026年行政事业性收费", json!({"fee_name": "证照工本费", "standard": "每证10元", "basis": "收费文件", "amount_yuan": 12345, "period_end": "2026-12-31"})).await;
    // Not counted in 2026: a licence decided in 2027.
    app.state.clock.set_today(d(2027, 1, 5));
    publish(
        app,
        &mut desk,
        &node,
        d(2027, 1, 5),
        "licensing",
        "2027年行政许可",
        decision("2027-01-04", Some(3)),
    )
    .await;
    Fixture { numbers, licences }
}

async fn node_id(client: &Client, code: &str) -> String {
    let nodes = client
        .get("/api/v1/tenants/city/catalog")
        .await
        .expect(StatusCode::OK);
    nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == code)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Every cell of 2026 that is not zero, counted by hand from the fixture.
fn expected_2026() -> BTreeMap<&'static str, i64> {
    BTreeMap::from([
        // Table 2.
        ("t2:regulation:made", 1),
        ("t2:regulation:in_force", 1),
        ("t2:normative:made", 1),
        ("t2:normative:repealed", 1),
        ("t2:normative:in_force", 1),
        ("t2:licensing:decisions", 6),
        ("t2:fee:amount_yuan", 12345),
        // Table 3, 一: r4, r5, r9 persons; r6 research; r8 public interest; r7 legal service.
        ("t3:new:person", 3),
        ("t3:new:research", 1),
        ("t3:new:public_interest", 1),
        ("t3:new:legal_service", 1),
        ("t3:new:total", 6),
        // 二: r2 (person) and r3 (commercial) from 2025.
        ("t3:carried_over:person", 1),
        ("t3:carried_over:commercial", 1),
        ("t3:carried_over:total", 2),
        // 三: r4 granted, r5 partly, r2 and r7 third party, r6 repeated, r3 withdrawn.
        ("t3:1:person", 1),
        ("t3:1:total", 1),
        ("t3:2:person", 1),
        ("t3:2:total", 1),
        ("t3:3.4:person", 1),
        ("t3:3.4:legal_service", 1),
        ("t3:3.4:total", 2),
        ("t3:5.2:research", 1),
        ("t3:5.2:total", 1),
        ("t3:6.3:commercial", 1),
        ("t3:6.3:total", 1),
        ("t3:total:person", 3),
        ("t3:total:commercial", 1),
        ("t3:total:research", 1),
        ("t3:total:legal_service", 1),
        ("t3:total:total", 6),
        // 四: r8 and r9.
        ("t3:carried_forward:person", 1),
        ("t3:carried_forward:public_interest", 1),
        ("t3:carried_forward:total", 2),
        // Table 4.
        ("t4:reconsideration:upheld", 1),
        ("t4:reconsideration:pending", 1),
        ("t4:reconsideration:total", 2),
        ("t4:litigation_direct:pending", 1),
        ("t4:litigation_direct:total", 1),
    ])
}

/// Drafting `year` of `slug` is refused for its year; the reason given.
async fn refused_draft(client: &mut Client, slug: &str, year: i32) -> String {
    let r = client
        .post(&format!("/api/v1/tenants/{slug}/reports/{year}"), json!({}))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&r), ["year"]);
    r["errors"][0]["message"].as_str().unwrap().to_string()
}

/// The figure of a 2026 cell and the `field` (`id`, `title`) of each record it counts.
async fn counted(client: &Client, cell: &str, field: &str) -> (i64, Vec<String>) {
    let fig = client
        .get(&format!("/api/v1/tenants/city/reports/2026/figures/{cell}"))
        .await
        .expect(StatusCode::OK);
    let records = fig["records"].as_array().unwrap();
    let listed = records
        .iter()
        .map(|r| r[field].as_str().unwrap().to_string())
        .collect();
    (fig["cell"]["value"].as_i64().unwrap(), listed)
}

fn cells(report: &Value) -> BTreeMap<String, i64> {
    report["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["cell"].as_str().unwrap().to_string(),
                c["value"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn messages(problems: &Value) -> Vec<String> {
    problems
        .as_array()
        .unwrap_or_else(|| panic!("a list: {problems}"))
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect()
}

async fn adjust(client: &mut Client, cell: &str, value: Value, reason: Value) -> Reply {
    client
        .put(
            &format!("/api/v1/tenants/city/reports/2026/cells/{cell}"),
            Some(json!({"value": value, "reason": reason})),
        )
        .await
}

/// Adjusts `cell` to `value`, submits, and returns the messages the refusal lists; then
/// returns the cell to its computed value.
async fn failing_submit(client: &mut Client, adjustments: &[(&str, i64)]) -> Vec<String> {
    for (cell, value) in adjustments {
        adjust(client, cell, json!(value), json!("核对纸质台账后更正"))
            .await
            .expect(StatusCode::OK);
    }
    let refused = client
        .post("/api/v1/tenants/city/reports/2026/submit", json!({}))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused["type"],
        "https://gongkai.dev/problems/invalid-input"
    );
    let listed = messages(&refused["errors"]);
    let checked = client
        .get("/api/v1/tenants/city/reports/2026/checks")
        .await
        .expect(StatusCode::OK);
    assert_eq!(messages(&checked), listed);
    for (cell, _) in adjustments {
        adjust(client, cell, Value::Null, json!("恢复为统计值"))
            .await
            .expect(StatusCode::OK);
    }
    listed
}

both_backends!(fixture_year_adds_up_cell_by_cell, |backend| async move {
    let app = start(backend).await;
    let fx = fixture(&app).await;
    let mut editor = app.login("editor@city.cn").await;

    // 2025 first: its row 四 is 2026's carry-over; its own carry-over is set by hand.
    let r2025 = editor
        .post("/api/v1/tenants/city/reports/2025", json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        messages(&r2025["checks"]),
        ["表三 第二行: 没有2024年度报告，也未录入2024年结转下年度数，无法核对上年结转"]
    );
    let c2025 = cells(&r2025);
    assert_eq!(
        (
            c2025["t3:new:total"],
            c2025["t3:total:total"],
            c2025["t3:carried_forward:person"],
            c2025["t3:carried_forward:commercial"]
        ),
        (3, 1, 1, 1)
    );
    assert_eq!(
        (c2025["t2:normative:made"], c2025["t2:penalty:decisions"]),
        (1, 1)
    );
    editor
        .put(
            "/api/v1/tenants/city/reports/2025/prior-carried",
            Some(json!({"columns": {}})),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let r2025 = editor
        .put("/api/v1/tenants/city/reports/2025/prior-carried", Some(json!({"columns": {"person": 0}, "reason": "2025年为本单位使用平台首年，2024年无结转"})))
        .await
        .expect(StatusCode::OK);
    assert_eq!(r2025["checks"], json!([]));
    assert_eq!(r2025["prior_carried"]["columns"]["total"], 0);
    editor
        .post("/api/v1/tenants/city/reports/2025/submit", json!({}))
        .await
        .expect(StatusCode::OK);

    // 2026: every cell as counted by hand.
    let report = editor
        .post("/api/v1/tenants/city/reports/2026", json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(report["status"], "draft");
    assert_eq!(report["checks"], json!([]), "{}", report["checks"]);
    let expected = expected_2026();
    let got = cells(&report);
    assert_eq!(got.len(), 10 + 25 * 7 + 15);
    for (cell, value) in &got {
        assert_eq!(
            *value,
            expected.get(cell.as_str()).copied().unwrap_or(0),
            "cell {cell}"
        );
    }
    let first = &report["cells"][0];
    assert_eq!(
        (first["cell"].as_str(), first["label"].as_str()),
        (
            Some("t2:regulation:made"),
            Some("表二 规章行 本年制发件数列")
        )
    );
    // Section 六 is pre-filled from the fee records: r4's 120 pages cost 1100 yuan.
    assert_eq!(
        report["sections"]["other_matters"],
        "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费1笔，共计1100元。"
    );

    // "Why is this 3?": the records behind figures.
    let (value, titles) = counted(&editor, "t3:new:person", "title").await;
    assert_eq!(value, 3);
    assert_eq!(
        titles,
        [&fx.numbers["r4"], &fx.numbers["r5"], &fx.numbers["r9"]].map(String::clone)
    );
    let (_, titles) = counted(&editor, "t3:6.3:total", "title").await;
    assert_eq!(titles, [fx.numbers["r3"].clone()]);
    let (value, ids) = counted(&editor, "t2:licensing:decisions", "id").await;
    assert_eq!(value, 6);
    assert_eq!(ids, fx.licences);
    let fig = editor
        .get("/api/v1/tenants/city/reports/2026/figures/t4:reconsideration:pending?limit=1")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (
            fig["records"][0]["title"].as_str(),
            fig["truncated"].as_bool()
        ),
        (Some("示复〔2026〕2号"), Some(false))
    );
    let fig = editor
        .get("/api/v1/tenants/city/reports/2026/figures/t3:carried_forward:total?limit=1")
        .await
        .expect(StatusCode::OK);
    assert_eq!(fig["truncated"], true);
    editor
        .get("/api/v1/tenants/city/reports/2026/figures/t2:licensing:made")
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);

    // Each cross-check fails on a figure adjusted on purpose, naming cell and both sides.
    assert_eq!(
        failing_submit(&mut editor, &[("t3:new:person", 4)]).await,
        [
            "表三 自然人列: 第一行 + 第二行 = 第（七）行 + 第四行 不成立: 4 + 1 ≠ 3 + 1",
            "表三 第一行 总计列: 6 ≠ 4 + 0 + 1 + 1 + 1 + 0（自然人及五类法人或其他组织之和）",
        ]
    );
    assert_eq!(
        failing_submit(
            &mut editor,
            &[("t3:total:commercial", 2), ("t3:total:total", 7)]
        )
        .await,
        [
            "表三 商业企业列: 第一行 + 第二行 = 第（七）行 + 第四行 不成立: 0 + 1 ≠ 2 + 0",
            "表三 总计列: 第一行 + 第二行 = 第（七）行 + 第四行 不成立: 6 + 2 ≠ 7 + 2",
            "表三 第（七）行 商业企业列: 2 ≠ 1（第（一）至（六）行各项之和）",
            "表三 第（七）行 总计列: 7 ≠ 1 + 1 + 2 + 1 + 1（第（一）至（六）行各项之和）",
        ]
    );
    assert_eq!(
        failing_submit(
            &mut editor,
            &[
                ("t3:carried_over:person", 2),
                ("t3:carried_over:total", 3),
                ("t3:new:person", 2),
                ("t3:new:total", 5)
            ]
        )
        .await,
        [
            "表三 第二行 自然人列: 2 ≠ 1（2025年度报告第四行）",
            "表三 第二行 总计列: 3 ≠ 2（2025年度报告第四行）",
        ]
    );
    assert_eq!(
        failing_submit(&mut editor, &[("t4:reconsideration:total", 3)]).await,
        ["表四 行政复议 总计列: 3 ≠ 1 + 0 + 0 + 1（维持、纠正、其他、尚未审结之和）"]
    );

    // An adjustment keeps the computed value beside it, marked, with its reason, audited.
    let adjusted = adjust(
        &mut editor,
        "t2:fee:amount_yuan",
        json!(12000),
        json!("财政票据核对为1.2万元"),
    )
    .await
    .expect(StatusCode::OK);
    let cell = adjusted["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cell"] == "t2:fee:amount_yuan")
        .unwrap()
        .clone();
    assert_eq!(
        (
            cell["value"].as_i64(),
            cell["computed"].as_i64(),
            cell["adjusted"].as_bool()
        ),
        (Some(12000), Some(12345), Some(true))
    );
    assert_eq!(cell["reason"], "财政票据核对为1.2万元");
    let audit = app
        .login("tenant_admin@city.cn")
        .await
        .get("/api/v1/tenants/city/audit?limit=500")
        .await
        .expect(StatusCode::OK);
    assert!(
        audit.to_string().contains("report.adjust")
            && audit.to_string().contains("财政票据核对为1.2万元"),
        "{audit}"
    );
    // A refresh counts again and keeps the adjustment and the sections.
    editor
        .put(
            "/api/v1/tenants/city/reports/2026/sections",
            Some(json!({"overview": "2026年，本机关认真贯彻《条例》。"})),
        )
        .await
        .expect(StatusCode::OK);
    let refreshed = editor
        .post("/api/v1/tenants/city/reports/2026", json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(cells(&refreshed)["t2:fee:amount_yuan"], 12000);
    assert_eq!(
        refreshed["sections"]["overview"],
        "2026年，本机关认真贯彻《条例》。"
    );

    // The report adds up: submitted, and then it no longer changes.
    let submitted = editor
        .post("/api/v1/tenants/city/reports/2026/submit", json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(submitted["status"], "submitted");
    adjust(&mut editor, "t3:new:person", json!(1), json!("迟到的更正"))
        .await
        .expect(StatusCode::CONFLICT);
    editor
        .post("/api/v1/tenants/city/reports/2026", json!({}))
        .await
        .expect(StatusCode::CONFLICT);
});

both_backends!(refusals_permissions_and_isolation, |backend| async move {
    let app = start(backend).await;
    app.staffed("town", None, &["tenant_admin", "editor"]).await;
    let mut office = Office::new(&app).await;
    let (id, _, _) = receive(&app, &mut office, d(2026, 3, 2), "person").await;
    answer(&app, &mut office, &id, d(2026, 3, 10), "1").await;
    app.state.clock.set_today(d(2027, 1, 5));
    let mut editor = app.login("editor@city.cn").await;

    // A future year, a year with no records, a year before the Regulation.
    let reason = refused_draft(&mut editor, "city", 2028).await;
    assert!(reason.contains("2028 has not begun"), "{reason}");
    let reason = refused_draft(&mut editor, "city", 2024).await;
    assert!(reason.contains("no records count in 2024"), "{reason}");
    editor
        .post("/api/v1/tenants/city/reports/2007", json!({}))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    editor
        .get("/api/v1/tenants/city/reports/2026")
        .await
        .expect(StatusCode::NOT_FOUND);
    let report = editor
        .post("/api/v1/tenants/city/reports/2026", json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(cells(&report)["t3:1:person"], 1);

    // An adjustment without a reason is refused and changes nothing.
    for reason in [Value::Null, json!("   ")] {
        let r = adjust(&mut editor, "t3:1:person", json!(2), reason)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&r), ["reason"]);
    }
    adjust(&mut editor, "t3:1:person", json!(-1), json!("x"))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    adjust(&mut editor, "t9:x:y", json!(1), json!("x"))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let after = editor
        .get("/api/v1/tenants/city/reports/2026")
        .await
        .expect(StatusCode::OK);
    assert_eq!(cells(&after)["t3:1:person"], 1);
    assert!(after["cells"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["adjusted"] == false));

    // Without the permission: 403; with it (the tenant admin) reading works.
    let mut officer = app.login("request_officer@city.cn").await;
    officer
        .get("/api/v1/tenants/city/reports/2026")
        .await
        .expect(StatusCode::FORBIDDEN);
    officer
        .post("/api/v1/tenants/city/reports/2026", json!({}))
        .await
        .expect(StatusCode::FORBIDDEN);
    let mut reviewer = app.login("reviewer@city.cn").await;
    adjust(&mut reviewer, "t3:1:person", json!(2), json!("x"))
        .await
        .expect(StatusCode::FORBIDDEN);
    app.login("tenant_admin@city.cn")
        .await
        .get("/api/v1/tenants/city/reports/2026")
        .await
        .expect(StatusCode::OK);

    // Tenant isolation: town's staff reach city's report neither by city's slug nor by
    // asking their own tenant for it; drafting their own finds none of city's records.
    let mut town = app.login("tenant_admin@town.cn").await;
    town.get("/api/v1/tenants/city/reports/2026")
        .await
        .expect(StatusCode::FORBIDDEN);
    town.get("/api/v1/tenants/city/reports/2026/figures/t3:new:person")
        .await
        .expect(StatusCode::FORBIDDEN);
    town.get("/api/v1/tenants/city/reports/2026/checks")
        .await
        .expect(StatusCode::FORBIDDEN);
    adjust(&mut town, "t3:1:person", json!(2), json!("x"))
        .await
        .expect(StatusCode::FORBIDDEN);
    town.put(
        "/api/v1/tenants/city/reports/2026/sections",
        Some(json!({"overview": "x"})),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    town.post("/api/v1/tenants/city/reports/2026/submit", json!({}))
        .await
        .expect(StatusCode::FORBIDDEN);
    town.get("/api/v1/tenants/town/reports/2026")
        .await
        .expect(StatusCode::NOT_FOUND);
    town.get("/api/v1/tenants/town/reports/2026/figures/t3:new:person")
        .await
        .expect(StatusCode::NOT_FOUND);
    town.put(
        "/api/v1/tenants/town/reports/2026/cells/t3:1:person",
        Some(json!({"value": 2, "reason": "x"})),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    let reason = refused_draft(&mut town, "town", 2026).await;
    assert!(reason.contains("no records count in 2026"), "{reason}");
    let unchanged = editor
        .get("/api/v1/tenants/city/reports/2026")
        .await
        .expect(StatusCode::OK);
    assert_eq!(unchanged["sections"]["overview"], "");
    assert_eq!(cells(&unchanged)["t3:1:person"], 1);

    // The current year may be drafted but not submitted before it is over.
    app.state.clock.set_today(d(2026, 12, 1));
    editor
        .post("/api/v1/tenants/city/reports/2026/submit", json!({}))
        .await
        .expect(StatusCode::CONFLICT);
});

#[path = "reports/publication.rs"]
mod publication;

#[path = "reports/statistics.rs"]
mod statistics;

#[path = "reports/console.rs"]
mod console;
