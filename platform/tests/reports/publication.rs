//! Publication of annual reports (docs/adr/0015), on both backends: the fixture year
//! submitted, reviewed and published through the 年度报告 column's chain; the portal
//! page's tables; the XLSX read back, the CSV, the PDF's extracted Chinese text; the
//! published copy frozen while the report is reopened and changed; public downloads of
//! an unpublished report 404; another tenant kept out; a government's summary equal to
//! the sum of its submitted children, the missing ones named; the dashboard reminder.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;

/// (status, content type, bytes) of a GET, with `client`'s session if any.
pub(super) async fn download(
    app: &TestApp,
    client: &Client,
    path: &str,
) -> (StatusCode, String, Vec<u8>) {
    let mut req = app.http.get(app.url(path));
    if let Some(cookie) = &client.cookie {
        req = req.header("cookie", cookie);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, kind, res.bytes().await.unwrap().to_vec())
}

/// A page in Chinese with `client`'s session: (status, HTML).
async fn page_zh(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let mut req = app
        .http
        .get(app.url(path))
        .header("accept-language", "zh-CN");
    if let Some(cookie) = &client.cookie {
        req = req.header("cookie", cookie);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The rows of an XLSX sheet as text (numbers as they print).
pub(super) fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|d| match d {
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

pub(super) fn row_of<'a>(rows: &'a [Vec<String>], heading: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r.iter().any(|c| c == heading))
        .unwrap_or_else(|| panic!("no row {heading}: {rows:?}"))
}

/// The text of a PDF as pdftotext reads it; a clear failure when the tool is missing.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("gk-report-{}", uuid_simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) is needed: scripts/test installs it");
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "pdftotext: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

async fn decide(client: &mut Client, id: &str, step: i64) {
    client
        .post(
            &format!("/api/v1/tenants/city/items/{id}/decisions"),
            json!({"step": step, "verdict": "approve"}),
        )
        .await
        .expect(StatusCode::OK);
}

const TITLE: &str = "city测试单位2026年政府信息公开工作年度报告";

both_backends!(
    published_through_review_with_downloads,
    |backend| async move {
        let app = start(backend).await;
        fixture(&app).await;
        let mut editor = app.login("editor@city.cn").await;
        let mut admin = app.login("tenant_admin@city.cn").await;
        let mut reviewer = app.login("reviewer@city.cn").await;
        let mut approver = app.login("approver@city.cn").await;
        let ndbg = node_id(&editor, "NDBG").await;
        admin
        .put(
            &format!("/api/v1/tenants/city/catalog/{ndbg}/review-chain"),
            Some(json!([{"name": "保密审查", "role": "reviewer"}, {"name": "领导签发", "role": "approver"}])),
        )
        .await
        .expect(StatusCode::OK);
        // 2025 first (2026's carry-over), then 2026 with an adjusted fee and its sections.
        editor
            .post("/api/v1/tenants/city/reports/2025", json!({}))
            .await
            .expect(StatusCode::OK);
        editor
            .put(
                "/api/v1/tenants/city/reports/2025/prior-carried",
                Some(json!({"columns": {}, "reason": "首年使用平台"})),
            )
            .await
            .expect(StatusCode::OK);
        editor
            .post("/api/v1/tenants/city/reports/2025/submit", json!({}))
            .await
            .expect(StatusCode::OK);
        editor
            .post("/api/v1/tenants/city/reports/2026", json!({}))
            .await
            .expect(StatusCode::OK);
        adjust(
            &mut editor,
            "t2:fee:amount_yuan",
            json!(12000),
            json!("财政票据核对为1.2万元"),
        )
        .await
        .expect(StatusCode::OK);
        editor
        .put(
            "/api/v1/tenants/city/reports/2026/sections",
            Some(json!({"overview": "2026年，本机关认真贯彻《条例》，主动公开政府信息。", "problems": "公开内容的规范性有待提高。"})),
        )
        .await
        .expect(StatusCode::OK);
        let submitted = editor
            .post("/api/v1/tenants/city/reports/2026/submit", json!({}))
            .await
            .expect(StatusCode::OK);
        let id = submitted["item_id"]
            .as_str()
            .expect("the report's item")
            .to_string();
        let item = editor
            .get(&format!("/api/v1/tenants/city/items/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (
                item["kind"].as_str(),
                item["node_id"].as_str(),
                item["stage"].as_str(),
                item["title"].as_str()
            ),
            (
                Some("annual_report"),
                Some(ndbg.as_str()),
                Some("draft"),
                Some(TITLE)
            )
        );
        assert_eq!(item["fields"]["figures"]["t3:new:person"], 3);
        assert_eq!(item["fields"]["figures"]["t2:fee:amount_yuan"], 12000);

        // The item API neither makes nor changes a report's item by hand.
        let refused = editor
            .post(
                "/api/v1/tenants/city/items",
                json!({"node_id": ndbg, "kind": "annual_report", "title": "x", "fields": {}}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&refused), ["kind"]);
        let refused = editor
            .patch(
                &format!("/api/v1/tenants/city/items/{id}"),
                json!({"version": 1, "fields": {"report_year": 2026, "figures": {}}}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&refused), ["fields"]);

        // Nothing is public before publication.
        let public = |f: &str| format!("/api/v1/public/city/reports/2026/download/{f}");
        for f in ["xlsx", "csv", "pdf"] {
            assert_eq!(
                download(&app, &app.anonymous(), &public(f)).await.0,
                StatusCode::NOT_FOUND
            );
        }
        app.anonymous()
            .get(&format!("/city/items/{id}"))
            .await
            .expect(StatusCode::NOT_FOUND);

        // The node's chain: the confidentiality review, then the leader; then publication.
        editor
            .post(
                &format!("/api/v1/tenants/city/items/{id}/submit"),
                json!({}),
            )
            .await
            .expect(StatusCode::OK);
        editor
            .post(
                &format!("/api/v1/tenants/city/items/{id}/publish"),
                json!({}),
            )
            .await
            .expect(StatusCode::CONFLICT);
        decide(&mut reviewer, &id, 0).await;
        decide(&mut approver, &id, 1).await;
        editor
            .post(
                &format!("/api/v1/tenants/city/items/{id}/publish"),
                json!({}),
            )
            .await
            .expect(StatusCode::OK);

        // The portal: sections and tables 2–4 as accessible tables, figures as submitted.
        let page = app
            .anonymous()
            .get(&format!("/city/items/{id}"))
            .await
            .expect(StatusCode::OK);
        let html = page.as_str().unwrap().to_string();
        for needle in [
            "<caption>表二 主动公开政府信息情况</caption>",
            "<caption>表三 收到和处理政府信息公开申请情况</caption>",
            "<caption>表四 政府信息公开行政复议、行政诉讼情况</caption>",
            "<th scope=\"row\" colspan=\"3\">一、本年新收政府信息公开申请数量</th>",
            "<th scope=\"rowgroup\" rowspan=\"22\">三、本年度办理结果</th>",
            "<th scope=\"colgroup\" colspan=\"5\">法人或其他组织</th>",
            "data-cell=\"t3:new:person\">3</td>",
            "data-cell=\"t3:new:total\">6</td>",
            "data-cell=\"t2:fee:amount_yuan\">1.2</td>",
            "data-cell=\"t4:reconsideration:total\">2</td>",
            "主动公开政府信息。",
            "/api/v1/public/city/reports/2026/download/pdf",
        ] {
            assert!(html.contains(needle), "{needle} not in the page");
        }
        let column = app
            .anonymous()
            .get("/city/reports")
            .await
            .expect(StatusCode::OK);
        assert!(column.as_str().unwrap().contains(TITLE));

        // XLSX: the tables as printed, the figures as numbers.
        let (status, kind, xlsx) = download(&app, &app.anonymous(), &public("xlsx")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(kind.starts_with("application/vnd.openxmlformats"), "{kind}");
        let t3 = sheet(&xlsx, "表三");
        assert_eq!(t3[0][0], "表三 收到和处理政府信息公开申请情况");
        let new = row_of(&t3, "一、本年新收政府信息公开申请数量");
        assert_eq!(&new[3..], ["3", "0", "1", "1", "1", "0", "6"]);
        let carried = row_of(&t3, "四、结转下年度继续办理");
        assert_eq!(&carried[3..], ["1", "0", "0", "1", "0", "0", "2"]);
        let t2 = sheet(&xlsx, "表二");
        assert_eq!(row_of(&t2, "行政事业性收费")[1], "1.2");
        assert_eq!(row_of(&t2, "行政许可")[1], "6");
        let t4 = sheet(&xlsx, "表四");
        assert_eq!(t4.last().unwrap()[..5], ["1", "0", "0", "1", "2"]);
        assert_eq!(sheet(&xlsx, "报告")[0][0], TITLE);

        // CSV: one line per figure, documented in its header.
        let (status, kind, csv) = download(&app, &app.anonymous(), &public("csv")).await;
        assert_eq!(
            (status, kind.as_str()),
            (StatusCode::OK, "text/csv; charset=utf-8")
        );
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with("\u{feff}# city测试单位2026年"), "{csv}");
        assert!(csv.contains("\ntable,row,column,cell,value\n"));
        assert!(csv.contains("\n表三,一、本年新收政府信息公开申请数量,自然人,t3:new:person,3\n"));
        assert!(csv.contains("\n表二,行政事业性收费,本年收费金额（万元）,t2:fee:amount_yuan,1.2\n"));
        assert_eq!(
            csv.lines().filter(|l| l.starts_with("表")).count(),
            10 + 25 * 7 + 15
        );

        // PDF: the Chinese text extracted again; the font subset, not embedded whole.
        let (status, kind, pdf) = download(&app, &app.anonymous(), &public("pdf")).await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(
            pdf.len() < 2_000_000,
            "the CJK font is subset: {} bytes",
            pdf.len()
        );
        let text = pdf_text(&pdf);
        for needle in [
            TITLE,
            "一、总体情况",
            "表三 收到和处理政府信息公开申请情况",
            "本年新收政府信息公开申请数量",
            "结果维持",
            "12345",
        ] {
            if needle == "12345" {
                // The fee was adjusted to 1.2 万元 before submission.
                assert!(!text.contains(needle));
                assert!(text.contains("1.2"));
            } else {
                // A table's heading may break across lines in the extracted text.
                let flat: String = text.split_whitespace().collect();
                assert!(
                    flat.contains(&needle.split_whitespace().collect::<String>()),
                    "{needle} not in the PDF text:\n{text}"
                );
            }
        }

        // Frozen: revising the item and reopening the report changes the figures, not the
        // published copy; submitting again gives the item a new version to review.
        editor
            .post(
                "/api/v1/tenants/city/reports/2026/reopen",
                json!({"reason": "更正收费金额"}),
            )
            .await
            .expect(StatusCode::CONFLICT);
        editor
            .post(
                &format!("/api/v1/tenants/city/items/{id}/revise"),
                json!({}),
            )
            .await
            .expect(StatusCode::OK);
        editor
            .post("/api/v1/tenants/city/reports/2026/reopen", json!({}))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let reopened = editor
            .post(
                "/api/v1/tenants/city/reports/2026/reopen",
                json!({"reason": "更正收费金额"}),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(reopened["status"], "draft");
        adjust(
            &mut editor,
            "t2:fee:amount_yuan",
            json!(99999),
            json!("再次核对"),
        )
        .await
        .expect(StatusCode::OK);
        let again = editor
            .post("/api/v1/tenants/city/reports/2026/submit", json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(again["item_id"].as_str(), Some(id.as_str()));
        let item = editor
            .get(&format!("/api/v1/tenants/city/items/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(item["fields"]["figures"]["t2:fee:amount_yuan"], 99999);
        let (_, _, csv) = download(&app, &app.anonymous(), &public("csv")).await;
        assert!(String::from_utf8(csv)
            .unwrap()
            .contains(",t2:fee:amount_yuan,1.2\n"));
        let page = app
            .anonymous()
            .get(&format!("/city/items/{id}"))
            .await
            .expect(StatusCode::OK);
        assert!(page
            .as_str()
            .unwrap()
            .contains("data-cell=\"t2:fee:amount_yuan\">1.2</td>"));
        // Staff download what the report holds now.
        let (status, _, csv) = download(
            &app,
            &editor,
            "/api/v1/tenants/city/reports/2026/download/csv",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(String::from_utf8(csv)
            .unwrap()
            .contains(",t2:fee:amount_yuan,9.9999\n"));
        assert_eq!(
            download(
                &app,
                &editor,
                "/api/v1/tenants/city/reports/2026/download/docx"
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );

        // Another tenant reaches neither the staff downloads nor an unpublished report.
        app.staffed("town", None, &["tenant_admin"]).await;
        let town = app.login("tenant_admin@town.cn").await;
        assert_eq!(
            download(
                &app,
                &town,
                "/api/v1/tenants/city/reports/2026/download/xlsx"
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            download(
                &app,
                &town,
                "/api/v1/tenants/town/reports/2026/download/xlsx"
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            download(
                &app,
                &app.anonymous(),
                "/api/v1/public/town/reports/2026/download/pdf"
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            download(
                &app,
                &app.anonymous(),
                "/api/v1/public/city/reports/2025/download/csv"
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
    }
);

/// A tenant of `kind` under `parent`, with a tenant admin `tenant_admin@{slug}.cn`.
pub(super) async fn tenant(
    app: &TestApp,
    slug: &str,
    parent: Option<&str>,
    kind: gongkai::tenancy::TenantKind,
) -> String {
    let input = gongkai::tenancy::service::NewTenant {
        slug: slug.to_string(),
        name_zh: format!("{slug}单位"),
        name_en: String::new(),
        kind,
        parent: parent.map(str::to_string),
    };
    let t = gongkai::tenancy::service::create(
        &app.state.db,
        &app.state.tenants,
        &gongkai::kernel::actor::Actor::cli(),
        input,
    )
    .await
    .expect("tenant created");
    app.add_member(&t, &format!("tenant_admin@{slug}.cn"), "tenant_admin")
        .await;
    t.id
}

/// A stored report of 2026 with `cells` (the others 0), as a child agency would have.
async fn stored_report(app: &TestApp, tenant_id: &str, status: &str, cells: &[(&str, i64)]) {
    let mut conn = app.owner_connection().await;
    let at = "2027-01-10T00:00:00Z";
    let submitted = if status == "submitted" {
        format!("'{at}'")
    } else {
        "NULL".into()
    };
    sqlx::query(&format!(
        "INSERT INTO annual_reports (tenant_id, year, id, status, computed_at, submitted_at, created_at, updated_at) \
         VALUES ('{tenant_id}', 2026, '{}', '{status}', '{at}', {submitted}, '{at}', '{at}')",
        uuid_simple()
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let given: BTreeMap<&str, i64> = cells.iter().copied().collect();
    for cell in gongkai_rules::annual_report::Cell::all() {
        let id = cell.to_string();
        let n = given.get(id.as_str()).copied().unwrap_or(0);
        sqlx::query(&format!(
            "INSERT INTO annual_report_cells (tenant_id, year, cell, computed) VALUES ('{tenant_id}', 2026, '{id}', {n})"
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    }
}

both_backends!(
    summary_is_the_sum_of_submitted_children,
    |backend| async move {
        use gongkai::tenancy::TenantKind;
        let app = start(backend).await;
        app.state.clock.set_today(d(2027, 2, 10));
        let gov = tenant(&app, "gov", None, TenantKind::Government).await;
        let a = tenant(&app, "dept-a", Some("gov"), TenantKind::Department).await;
        let b = tenant(&app, "dept-b", Some("gov"), TenantKind::Department).await;
        let c = tenant(&app, "dept-c", Some("gov"), TenantKind::Department).await;
        tenant(&app, "dept-d", Some("gov"), TenantKind::Department).await;
        let own = [("t2:fee:amount_yuan", 5000)];
        let in_a = [
            ("t2:licensing:decisions", 4),
            ("t3:new:person", 2),
            ("t3:new:total", 2),
            ("t3:1:person", 2),
            ("t3:1:total", 2),
            ("t3:total:person", 2),
            ("t3:total:total", 2),
        ];
        let in_b = [
            ("t3:new:commercial", 1),
            ("t3:new:total", 1),
            ("t3:carried_forward:commercial", 1),
            ("t3:carried_forward:total", 1),
            ("t4:reconsideration:upheld", 1),
            ("t4:reconsideration:total", 1),
        ];
        stored_report(&app, &gov, "draft", &own).await;
        stored_report(&app, &a, "submitted", &in_a).await;
        stored_report(&app, &b, "submitted", &in_b).await;
        stored_report(
            &app,
            &c,
            "draft",
            &[("t3:new:person", 100), ("t3:new:total", 100)],
        )
        .await;

        let admin = app.login("tenant_admin@gov.cn").await;
        let summary = admin
            .get("/api/v1/tenants/gov/reports/2026/summary")
            .await
            .expect(StatusCode::OK);
        let mut expected: BTreeMap<String, i64> = BTreeMap::new();
        for (cell, n) in own.iter().chain(&in_a).chain(&in_b) {
            *expected.entry(cell.to_string()).or_default() += n;
        }
        let got = cells(&summary);
        assert_eq!(got.len(), 10 + 25 * 7 + 15);
        for (cell, value) in &got {
            assert_eq!(
                *value,
                expected.get(cell).copied().unwrap_or(0),
                "cell {cell}"
            );
        }
        assert_eq!(summary["own_source"], "report");
        let slugs = |list: &Value| -> Vec<(String, String)> {
            list.as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    (
                        m["slug"].as_str().unwrap().into(),
                        m["status"].as_str().unwrap().into(),
                    )
                })
                .collect()
        };
        assert_eq!(
            slugs(&summary["included"]),
            [
                ("dept-a".to_string(), "submitted".to_string()),
                ("dept-b".into(), "submitted".into())
            ]
        );
        assert_eq!(
            slugs(&summary["missing"]),
            [
                ("dept-c".to_string(), "draft".to_string()),
                ("dept-d".into(), "none".into())
            ]
        );
        // The same checks on the sum: it balances; no 2025 reports to carry over from.
        assert_eq!(
            messages(&summary["checks"]),
            ["表三 第二行: 没有2025年度报告，也未录入2025年结转下年度数，无法核对上年结转"]
        );

        // Only a government sums; a child's admin reads neither the parent's summary nor a
        // summary of its own; a future year is refused.
        let child = app.login("tenant_admin@dept-a.cn").await;
        child
            .get("/api/v1/tenants/gov/reports/2026/summary")
            .await
            .expect(StatusCode::FORBIDDEN);
        child
            .get("/api/v1/tenants/dept-a/reports/2026/summary")
            .await
            .expect(StatusCode::CONFLICT);
        admin
            .get("/api/v1/tenants/gov/reports/2028/summary")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);

        // The dashboard reminds of last year's report: due by 31 March for a government
        // (its own is a draft), overdue for a department after 31 January.
        let (status, page) = page_zh(&app, &admin, "/console/gov/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("2026年度报告应于2027-03-31前公布（当前：草稿）"),
            "{page}"
        );
        let d_admin = app.login("tenant_admin@dept-d.cn").await;
        let (status, page) = page_zh(&app, &d_admin, "/console/dept-d/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("2026年度报告已逾期：应于2027-01-31前公布（当前：尚未起草）"),
            "{page}"
        );
    }
);
