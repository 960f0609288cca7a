//! Statistics (issue 14 point 6), on both backends: the monthly counts of the report
//! fixture equal figures counted by hand; a government's quarterly ranking of agencies
//! whose records are known equals hand-ranked values, ties and unranked agencies
//! included; the year-on-year comparison of two drafted reports; every statistic as CSV
//! and XLSX (read back), and as SVG that parses and carries the figures in its
//! accessible text; bad input (a future month, an unknown agency, a range or year with
//! no data) refused with a reason; permissions.

use gongkai::tenancy::TenantKind;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::publication::{download, row_of, sheet, tenant};
use super::*;

/// Parses an SVG to its end (quick-xml checks that every element closes as it opened):
/// (root element, its `<title>`, its `<desc>`).
fn svg_text(bytes: &[u8]) -> (String, String, String) {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let mut reader = quick_xml::Reader::from_str(text);
    let (mut root, mut title, mut desc) = (String::new(), String::new(), String::new());
    let mut depth = 0;
    let mut inside: Option<String> = None;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("malformed SVG: {e}\n{text}"));
        match event {
            Event::Start(e) => {
                let name = String::from_utf8(e.local_name().as_ref().to_vec()).unwrap();
                if depth == 0 {
                    root = name.clone();
                }
                depth += 1;
                // The chart's own title and description are the root's first children.
                if depth == 2 && (name == "title" || name == "desc") {
                    inside = Some(name);
                }
            }
            Event::End(_) => {
                depth -= 1;
                inside = None;
            }
            Event::Text(e) => {
                let t = e.decode().unwrap().to_string();
                match inside.as_deref() {
                    Some("title") => title.push_str(&t),
                    Some("desc") => desc.push_str(&t),
                    _ => {}
                }
            }
            Event::GeneralRef(e) => {
                let name = e.decode().unwrap().to_string();
                let c = quick_xml::escape::resolve_predefined_entity(&name)
                    .unwrap_or_else(|| panic!("entity {name}"));
                match inside.as_deref() {
                    Some("title") => title.push_str(c),
                    Some("desc") => desc.push_str(c),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
    (root, title, desc)
}

/// A chart, checked to be SVG that parses: its (title, description).
async fn chart(app: &TestApp, client: &Client, path: &str) -> (String, String) {
    let (status, kind, bytes) = download(app, client, path).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    assert!(kind.starts_with("image/svg+xml"), "{kind}");
    let (root, title, desc) = svg_text(&bytes);
    assert_eq!(root, "svg");
    (title, desc)
}

fn refused(reply: Reply) -> (Vec<String>, String) {
    let body = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let messages = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(" | ");
    (error_fields(&body), messages)
}

/// (month, items, received, closed, overdue, answered, in time, share, median days).
type Month = (
    &'static str,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<f64>,
    Option<f64>,
);

/// 2026 of the report fixture, counted by hand (clock at 2027-01-05). Items: the
/// policies of 3 February and 3 March, the licences of 2 April and 2 May, the fee of
/// 30 December. Requests: r2 (received 2025-11-03, due 2025-12-01) answered late on
/// 15 January after 73 days; r3 withdrawn on 2 February; r4 and r5 received 2 and 3
/// March, answered after 8 and 9 days; r6 received 1 April, answered after 9 days; r7
/// received 6 May, answered after 14; r8 received 1 December, due 29 December, open
/// (overdue in December); r9 received 21 December, its due date not yet passed.
const MONTHS_2026: [Month; 12] = [
    ("2026-01", 0, 0, 1, 0, 1, 0, Some(0.0), Some(73.0)),
    ("2026-02", 1, 0, 1, 0, 0, 0, None, None),
    ("2026-03", 1, 2, 2, 0, 2, 2, Some(1.0), Some(8.5)),
    ("2026-04", 1, 1, 1, 0, 1, 1, Some(1.0), Some(9.0)),
    ("2026-05", 1, 1, 1, 0, 1, 1, Some(1.0), Some(14.0)),
    ("2026-06", 0, 0, 0, 0, 0, 0, None, None),
    ("2026-07", 0, 0, 0, 0, 0, 0, None, None),
    ("2026-08", 0, 0, 0, 0, 0, 0, None, None),
    ("2026-09", 0, 0, 0, 0, 0, 0, None, None),
    ("2026-10", 0, 0, 0, 0, 0, 0, None, None),
    ("2026-11", 0, 0, 0, 0, 0, 0, None, None),
    ("2026-12", 1, 2, 0, 1, 0, 0, None, None),
];

fn month_of(row: &Value) -> Month {
    let n = |k: &str| row[k].as_i64().unwrap_or_else(|| panic!("{k} in {row}"));
    (
        MONTHS_2026
            .iter()
            .find(|m| m.0 == row["month"])
            .unwrap_or_else(|| panic!("month {}", row["month"]))
            .0,
        n("items_published"),
        n("received"),
        n("closed"),
        n("overdue"),
        n("answered"),
        n("answered_in_time"),
        row["share_answered_in_time"].as_f64(),
        row["median_days_to_answer"].as_f64(),
    )
}

both_backends!(
    monthly_counts_equal_the_hand_counted_fixture,
    |backend| async move {
        let app = start(backend).await;
        fixture(&app).await;
        let mut editor = app.login("editor@city.cn").await;
        const Q: &str = "from=2026-01&to=2026-12";

        let view = editor
            .get(&format!("/api/v1/tenants/city/statistics/monthly?{Q}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (view["from"].as_str(), view["to"].as_str()),
            (Some("2026-01"), Some("2026-12"))
        );
        assert_eq!(view["agency"]["slug"], "city");
        let months: Vec<Month> = view["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(month_of)
            .collect();
        assert_eq!(months, MONTHS_2026);
        // Items by kind and catalog node.
        let items = |m: usize| -> Vec<(String, String, i64)> {
            view["months"][m]["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["kind"].as_str().unwrap().into(),
                        i["node_code"].as_str().unwrap().into(),
                        i["count"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        assert_eq!(items(1), [("policy".to_string(), "GZDT".to_string(), 1)]);
        assert_eq!(items(3), [("licensing".to_string(), "GZDT".to_string(), 1)]);
        assert_eq!(items(11), [("fee".to_string(), "GZDT".to_string(), 1)]);
        assert!(items(0).is_empty());
        let defined: Vec<&str> = view["definitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["metric"].as_str().unwrap())
            .collect();
        assert!(
            defined.contains(&"overdue") && defined.contains(&"median_days_to_answer"),
            "{defined:?}"
        );

        // December 2025: r2 and r3 both passed their due dates unanswered; one penalty.
        let dec = editor
            .get("/api/v1/tenants/city/statistics/monthly?from=2025-12&to=2025-12")
            .await
            .expect(StatusCode::OK);
        let m = &dec["months"][0];
        assert_eq!(
            (
                m["items_published"].as_i64(),
                m["received"].as_i64(),
                m["overdue"].as_i64()
            ),
            (Some(1), Some(1), Some(2))
        );

        // The same figures as CSV and XLSX.
        let (status, kind, csv) = download(
            &app,
            &editor,
            &format!("/api/v1/tenants/city/statistics/monthly/download/csv?{Q}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(kind.starts_with("text/csv"), "{kind}");
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with('\u{feff}'))
            .collect();
        assert_eq!(lines[0], "month,items_published,received,closed,overdue,answered,answered_in_time,share_answered_in_time,median_days_to_answer");
        assert_eq!(lines[1], "2026-01,0,0,1,0,1,0,0,73");
        assert_eq!(lines[3], "2026-03,1,2,2,0,2,2,1,8.5");
        assert_eq!(lines[12], "2026-12,1,2,0,1,0,0,,");
        assert!(csv.contains("# 逾期申请数（overdue）："), "{csv}");
        let (_, _, csv) = download(
            &app,
            &editor,
            &format!("/api/v1/tenants/city/statistics/monthly/download/items-csv?{Q}"),
        )
        .await;
        assert!(String::from_utf8(csv)
            .unwrap()
            .contains("\n2026-04,licensing,GZDT,工作动态,1\n"));
        let (status, _, xlsx) = download(
            &app,
            &editor,
            &format!("/api/v1/tenants/city/statistics/monthly/download/xlsx?{Q}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let rows = sheet(&xlsx, "月度统计");
        assert_eq!(
            row_of(&rows, "2026-03"),
            ["2026-03", "1", "2", "2", "0", "2", "2", "1", "8.5"]
        );
        assert_eq!(
            row_of(&rows, "2026-01"),
            ["2026-01", "0", "0", "1", "0", "1", "0", "0", "73"]
        );
        let by_kind = sheet(&xlsx, "按类别和栏目");
        assert_eq!(
            row_of(&by_kind, "fee"),
            ["2026-12", "fee", "GZDT", "工作动态", "1"]
        );

        // Charts: SVG that parses, the figures in its accessible text.
        let (title, desc) = chart(
            &app,
            &editor,
            &format!("/api/v1/tenants/city/statistics/monthly/charts/requests?{Q}"),
        )
        .await;
        assert!(title.contains("每月收到、办结和逾期的申请"), "{title}");
        assert!(desc.contains("2026-03：收到 2，办结 2，逾期 0"), "{desc}");
        assert!(desc.contains("2026-12：收到 2，办结 0，逾期 1"), "{desc}");
        let (_, desc) = chart(
            &app,
            &editor,
            &format!("/api/v1/tenants/city/statistics/monthly/charts/timeliness?{Q}"),
        )
        .await;
        assert!(
            desc.contains("2026-01：按期答复率 0.0%")
                && desc.contains("2026-03：按期答复率 100.0%")
                && desc.contains("2026-02：按期答复率 无数据"),
            "{desc}"
        );
        let (_, desc) = chart(
            &app,
            &editor,
            &format!("/api/v1/tenants/city/statistics/monthly/charts/items?{Q}"),
        )
        .await;
        assert!(
            desc.contains("2026-05：发布信息数 1") && desc.contains("2026-06：发布信息数 0"),
            "{desc}"
        );
        let (_, desc) = chart(
            &app,
            &editor,
            &format!("/api/v1/tenants/city/statistics/monthly/charts/days?{Q}"),
        )
        .await;
        assert!(desc.contains("2026-03：答复用时中位数 8.5"), "{desc}");

        // Bad input: each refused with its reason, every problem listed.
        let (fields, why) = refused(
            editor
                .get("/api/v1/tenants/city/statistics/monthly?from=2026-12&to=2027-02")
                .await,
        );
        assert_eq!(fields, ["to"]);
        assert!(why.contains("2027-02 has not begun"), "{why}");
        let (fields, _) = refused(
            editor
                .get("/api/v1/tenants/city/statistics/monthly?from=2026-13&to=26-01")
                .await,
        );
        assert_eq!(fields, ["to", "from"]);
        let (fields, _) = refused(
            editor
                .get("/api/v1/tenants/city/statistics/monthly?from=2026-05&to=2026-04")
                .await,
        );
        assert_eq!(fields, ["from"]);
        let (fields, why) = refused(
            editor
                .get("/api/v1/tenants/city/statistics/monthly?from=2024-01&to=2024-12")
                .await,
        );
        assert_eq!(fields, ["from"]);
        assert!(
            why.contains("no records count from 2024-01 to 2024-12"),
            "{why}"
        );
        let (fields, why) = refused(
            editor
                .get("/api/v1/tenants/city/statistics/monthly?agency=nowhere")
                .await,
        );
        assert_eq!(fields, ["agency"]);
        assert!(why.contains("no agency `nowhere` under city"), "{why}");
        // Another tenant's agency is as unknown as one that does not exist.
        app.staffed("town", None, &["tenant_admin"]).await;
        let (fields, _) = refused(
            editor
                .get("/api/v1/tenants/city/statistics/monthly?agency=town")
                .await,
        );
        assert_eq!(fields, ["agency"]);
        let (fields, _) = refused(
            editor
                .get("/api/v1/tenants/city/statistics/monthly/charts/items?to=2027-03")
                .await,
        );
        assert_eq!(fields, ["to"]);
        editor
            .get(&format!(
                "/api/v1/tenants/city/statistics/monthly/download/pdf?{Q}"
            ))
            .await
            .expect(StatusCode::NOT_FOUND);
        editor
            .get(&format!(
                "/api/v1/tenants/city/statistics/monthly/charts/pie?{Q}"
            ))
            .await
            .expect(StatusCode::NOT_FOUND);

        // Permissions and isolation.
        app.login("request_officer@city.cn")
            .await
            .get(&format!("/api/v1/tenants/city/statistics/monthly?{Q}"))
            .await
            .expect(StatusCode::FORBIDDEN);
        let town = app.login("tenant_admin@town.cn").await;
        town.get(&format!("/api/v1/tenants/city/statistics/monthly?{Q}"))
            .await
            .expect(StatusCode::FORBIDDEN);
        town.get(&format!(
            "/api/v1/tenants/city/statistics/monthly/download/csv?{Q}"
        ))
        .await
        .expect(StatusCode::FORBIDDEN);
        let (fields, _) = refused(
            town.get(&format!("/api/v1/tenants/town/statistics/monthly?{Q}"))
                .await,
        );
        assert_eq!(
            fields,
            ["from"],
            "town has no records: none of city's are counted"
        );

        // Year on year: the drafted 2026 report beside 2025's, cell by cell.
        let (fields, why) = refused(
            editor
                .get("/api/v1/tenants/city/statistics/year-on-year/2026")
                .await,
        );
        assert_eq!(fields, ["year"]);
        assert!(why.contains("no report of 2026"), "{why}");
        editor
            .post("/api/v1/tenants/city/reports/2025", json!({}))
            .await
            .expect(StatusCode::OK);
        let first = editor
            .get("/api/v1/tenants/city/statistics/year-on-year/2025")
            .await
            .expect(StatusCode::OK);
        assert_eq!(first["previous_status"], "none");
        assert_eq!(first["cells"][0]["last_year"], Value::Null);
        editor
            .post("/api/v1/tenants/city/reports/2026", json!({}))
            .await
            .expect(StatusCode::OK);
        let yoy = editor
            .get("/api/v1/tenants/city/statistics/year-on-year/2026")
            .await
            .expect(StatusCode::OK);
        let cell = |id: &str| -> (i64, i64, i64) {
            let c = yoy["cells"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["cell"] == id)
                .unwrap();
            (
                c["this_year"].as_i64().unwrap(),
                c["last_year"].as_i64().unwrap(),
                c["change"].as_i64().unwrap(),
            )
        };
        assert_eq!(cell("t3:new:total"), (6, 3, 3));
        assert_eq!(cell("t3:carried_forward:total"), (2, 2, 0));
        assert_eq!(cell("t3:total:total"), (6, 1, 5));
        assert_eq!(cell("t2:licensing:decisions"), (6, 0, 6));
        assert_eq!(cell("t2:penalty:decisions"), (0, 1, -1));
        assert_eq!(
            (yoy["status"].as_str(), yoy["previous_status"].as_str()),
            (Some("draft"), Some("draft"))
        );
        let (title, desc) = chart(
            &app,
            &editor,
            "/api/v1/tenants/city/statistics/year-on-year/2026/chart",
        )
        .await;
        assert_eq!(title, "2026年与2025年主要数据对比");
        assert!(
            desc.contains("本年新收申请：2025年 3，2026年 6")
                && desc.contains("行政处罚决定：2025年 1，2026年 0"),
            "{desc}"
        );
        let (_, _, csv) = download(
            &app,
            &editor,
            "/api/v1/tenants/city/statistics/year-on-year/2026/download/csv",
        )
        .await;
        let csv = String::from_utf8(csv).unwrap();
        assert!(
            csv.contains("\nt3:new:total,表三 第一行 总计列,6,3,3\n"),
            "{csv}"
        );
        let (_, _, xlsx) = download(
            &app,
            &editor,
            "/api/v1/tenants/city/statistics/year-on-year/2026/download/xlsx",
        )
        .await;
        let rows = sheet(&xlsx, "2026与2025");
        assert_eq!(
            row_of(&rows, "t2:licensing:decisions")[2..],
            ["6", "0", "6"]
        );
        let (fields, _) = refused(
            editor
                .get("/api/v1/tenants/city/statistics/year-on-year/2028")
                .await,
        );
        assert_eq!(fields, ["year"]);
    }
);

/// One request of `tenant` received, answered (`phase` answered) with its due date.
async fn answered(
    conn: &mut sqlx::AnyConnection,
    tenant: &str,
    received: &str,
    answered: &str,
    due: &str,
) {
    let id = uuid_simple();
    sqlx::query(&format!(
        "INSERT INTO requests (tenant_id, id, tracking_number, access_code_hash, applicant_type, applicant_sealed, \
         applicant_key, description_sealed, delivery_method, delivery_form, received_on, phase, outcome_code, \
         due_state, due_on, answered_on, created_at, updated_at) VALUES ('{tenant}', '{id}', 'YSQ-{id}', 'x', 'person', 'x', \
         'x', 'x', 'post', 'paper', '{received}', 'answered', '1', 'answered', '{due}', '{answered}', '{received}T00:00:00Z', '{received}T00:00:00Z')"
    ))
    .execute(conn)
    .await
    .unwrap();
}

/// One proactive item of `tenant` first published at `at` (UTC), with its deadline.
async fn item(
    conn: &mut sqlx::AnyConnection,
    tenant: &str,
    node: &str,
    at: &str,
    due: Option<&str>,
) {
    let id = uuid_simple();
    let due = due.map_or("NULL".to_string(), |d| format!("'{d}'"));
    sqlx::query(&format!(
        "INSERT INTO items (tenant_id, id, node_id, kind, index_number, attribute, public_state, validity, version, \
         cycle_start, published_version, changed_on, due_on, created_at, updated_at, published_at, first_published_at, public_title) \
         VALUES ('{tenant}', '{id}', '{node}', 'notice', 'IX-{id}', 'proactive', 'published', 'in_force', 1, 1, 1, \
         '2026-01-01', {due}, '{at}', '{at}', '{at}', '{at}', '通知')"
    ))
    .execute(conn)
    .await
    .unwrap();
}

async fn node(conn: &mut sqlx::AnyConnection, tenant: &str) -> String {
    let id = uuid_simple();
    sqlx::query(&format!(
        "INSERT INTO catalog_nodes (tenant_id, id, code, name, created_at) VALUES ('{tenant}', '{id}', 'GZDT', '工作动态', '2026-01-01T00:00:00Z')"
    ))
    .execute(conn)
    .await
    .unwrap();
    id
}

/// (slug, rank, value, numerator, denominator).
type Entry = (String, Option<i64>, Option<f64>, i64, i64);

/// A metric's entries, in order.
fn entries(view: &Value, metric: &str) -> Vec<Entry> {
    let m = view["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == metric)
        .unwrap();
    assert!(!m["definition"].as_str().unwrap().is_empty());
    m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["agency"]["slug"].as_str().unwrap().to_string(),
                e["rank"].as_i64(),
                e["value"].as_f64(),
                e["numerator"].as_i64().unwrap(),
                e["denominator"].as_i64().unwrap(),
            )
        })
        .collect()
}

both_backends!(
    quarterly_ranking_equals_hand_ranked_values,
    |backend| async move {
        let app = start(backend).await;
        app.state.clock.set_today(d(2026, 7, 10));
        tenant(&app, "gov", None, TenantKind::Government).await;
        let a = tenant(&app, "dept-a", Some("gov"), TenantKind::Department).await;
        let b = tenant(&app, "dept-b", Some("gov"), TenantKind::Department).await;
        let c = tenant(&app, "dept-c", Some("gov"), TenantKind::Department).await;
        tenant(&app, "dept-d", Some("gov"), TenantKind::Department).await;
        let mut conn = app.owner_connection().await;
        // dept-a: six items first published in the second quarter (one at 00:30 on 1 April
        // in China, still 31 March in UTC), one at 23:59 on 31 March in China (the first
        // quarter); four with a deadline, three met. Four answers, three in time.
        let na = node(&mut conn, &a).await;
        item(
            &mut conn,
            &a,
            &na,
            "2026-03-31T15:59:00Z",
            Some("2026-04-30"),
        )
        .await;
        item(
            &mut conn,
            &a,
            &na,
            "2026-03-31T16:30:00Z",
            Some("2026-04-01"),
        )
        .await;
        item(
            &mut conn,
            &a,
            &na,
            "2026-04-10T02:00:00Z",
            Some("2026-04-10"),
        )
        .await;
        item(
            &mut conn,
            &a,
            &na,
            "2026-05-10T02:00:00Z",
            Some("2026-05-20"),
        )
        .await;
        item(
            &mut conn,
            &a,
            &na,
            "2026-06-10T02:00:00Z",
            Some("2026-06-09"),
        )
        .await;
        item(&mut conn, &a, &na, "2026-06-11T02:00:00Z", None).await;
        item(&mut conn, &a, &na, "2026-06-30T15:00:00Z", None).await;
        for (received, on, due) in [
            ("2026-03-20", "2026-04-02", "2026-04-17"),
            ("2026-04-01", "2026-04-20", "2026-04-29"),
            ("2026-05-06", "2026-06-01", "2026-06-03"),
            ("2026-05-06", "2026-06-10", "2026-06-03"),
        ] {
            answered(&mut conn, &a, received, on, due).await;
        }
        // Answered in the first quarter: not counted.
        answered(&mut conn, &a, "2026-03-02", "2026-03-20", "2026-03-30").await;
        // dept-b: three items (two with a deadline, both met); two answers, one in time.
        let nb = node(&mut conn, &b).await;
        item(
            &mut conn,
            &b,
            &nb,
            "2026-04-03T02:00:00Z",
            Some("2026-04-10"),
        )
        .await;
        item(
            &mut conn,
            &b,
            &nb,
            "2026-05-03T02:00:00Z",
            Some("2026-05-03"),
        )
        .await;
        item(&mut conn, &b, &nb, "2026-06-03T02:00:00Z", None).await;
        answered(&mut conn, &b, "2026-04-01", "2026-04-20", "2026-04-29").await;
        answered(&mut conn, &b, "2026-04-01", "2026-05-20", "2026-04-29").await;
        // dept-c: six items, none with a deadline; four answers, three in time.
        let nc = node(&mut conn, &c).await;
        for day in ["04-01", "04-02", "05-01", "05-02", "06-01", "06-02"] {
            item(&mut conn, &c, &nc, &format!("2026-{day}T02:00:00Z"), None).await;
        }
        for on in ["2026-04-10", "2026-04-11", "2026-04-12", "2026-05-30"] {
            answered(&mut conn, &c, "2026-04-01", on, "2026-04-29").await;
        }
        // dept-d: nothing.

        let admin = app.login("tenant_admin@gov.cn").await;
        // The default is the last quarter that is over: 2026Q2.
        let view = admin
            .get("/api/v1/tenants/gov/statistics/ranking")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (view["quarter"].as_str(), view["provisional"].as_bool()),
            (Some("2026Q2"), Some(false))
        );
        let e = |slug: &str, rank: Option<i64>, value: Option<f64>, n: i64, d: i64| {
            (slug.to_string(), rank, value, n, d)
        };
        assert_eq!(
            entries(&view, "items_per_month"),
            [
                e("dept-a", Some(1), Some(2.0), 6, 3),
                e("dept-c", Some(1), Some(2.0), 6, 3),
                e("dept-b", Some(3), Some(1.0), 3, 3),
                e("dept-d", Some(4), Some(0.0), 0, 3)
            ]
        );
        assert_eq!(
            entries(&view, "items_published_in_time"),
            [
                e("dept-b", Some(1), Some(1.0), 2, 2),
                e("dept-a", Some(2), Some(0.75), 3, 4),
                e("dept-c", None, None, 0, 0),
                e("dept-d", None, None, 0, 0)
            ]
        );
        assert_eq!(
            entries(&view, "requests_answered_in_time"),
            [
                e("dept-a", Some(1), Some(0.75), 3, 4),
                e("dept-c", Some(1), Some(0.75), 3, 4),
                e("dept-b", Some(3), Some(0.5), 1, 2),
                e("dept-d", None, None, 0, 0)
            ]
        );
        let same = admin
            .get("/api/v1/tenants/gov/statistics/ranking?quarter=2026Q2")
            .await
            .expect(StatusCode::OK);
        assert_eq!(same["metrics"], view["metrics"]);

        // The ranking as CSV (definitions first) and XLSX, and one metric as a chart.
        let (_, _, csv) = download(
            &app,
            &admin,
            "/api/v1/tenants/gov/statistics/ranking/download/csv?quarter=2026Q2",
        )
        .await;
        let csv = String::from_utf8(csv).unwrap();
        assert!(
            csv.contains("# 申请按期答复率（requests_answered_in_time）："),
            "{csv}"
        );
        assert!(
            csv.contains("\nitems_per_month,月均发布信息数,1,dept-a,dept-a单位,2,6,3\n"),
            "{csv}"
        );
        assert!(
            csv.contains("\nitems_published_in_time,信息按期发布率,,dept-c,dept-c单位,,0,0\n"),
            "{csv}"
        );
        let (_, _, xlsx) = download(
            &app,
            &admin,
            "/api/v1/tenants/gov/statistics/ranking/download/xlsx?quarter=2026Q2",
        )
        .await;
        let rows = sheet(&xlsx, "排名 2026Q2");
        let b_row = rows
            .iter()
            .find(|r| r[0] == "items_published_in_time" && r[3] == "dept-b")
            .unwrap();
        assert_eq!(b_row[2..], ["1", "dept-b", "dept-b单位", "1", "2", "2"]);
        let (title, desc) = chart(&app, &admin, "/api/v1/tenants/gov/statistics/ranking/charts/requests_answered_in_time?quarter=2026Q2").await;
        assert_eq!(title, "2026Q2 申请按期答复率");
        assert_eq!(desc, "dept-a单位：申请按期答复率 75.0%；dept-c单位：申请按期答复率 75.0%；dept-b单位：申请按期答复率 50.0%；dept-d单位：申请按期答复率 无数据");

        // A government may read an agency's monthly counts; the China day decides the month.
        let monthly = admin
            .get("/api/v1/tenants/gov/statistics/monthly?agency=dept-a&from=2026-03&to=2026-06")
            .await
            .expect(StatusCode::OK);
        let published: Vec<i64> = monthly["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["items_published"].as_i64().unwrap())
            .collect();
        assert_eq!(published, [1, 2, 1, 3]);
        assert_eq!(monthly["agency"]["slug"], "dept-a");

        // Refusals: a quarter not begun, not a quarter, one with nothing to rank; a tenant
        // that is not a government; a child reading its parent's ranking.
        let (fields, why) = refused(
            admin
                .get("/api/v1/tenants/gov/statistics/ranking?quarter=2026Q4")
                .await,
        );
        assert_eq!(fields, ["quarter"]);
        assert!(why.contains("2026Q4 has not begun"), "{why}");
        let (fields, _) = refused(
            admin
                .get("/api/v1/tenants/gov/statistics/ranking?quarter=2026Q5")
                .await,
        );
        assert_eq!(fields, ["quarter"]);
        let (_, why) = refused(
            admin
                .get("/api/v1/tenants/gov/statistics/ranking?quarter=2025Q4")
                .await,
        );
        assert!(why.contains("nothing to rank"), "{why}");
        admin
            .get("/api/v1/tenants/gov/statistics/ranking/charts/score?quarter=2026Q2")
            .await
            .expect(StatusCode::NOT_FOUND);
        let child = app.login("tenant_admin@dept-a.cn").await;
        child
            .get("/api/v1/tenants/dept-a/statistics/ranking?quarter=2026Q2")
            .await
            .expect(StatusCode::CONFLICT);
        child
            .get("/api/v1/tenants/gov/statistics/ranking?quarter=2026Q2")
            .await
            .expect(StatusCode::FORBIDDEN);
        let (fields, _) = refused(child.get("/api/v1/tenants/dept-a/statistics/monthly?agency=dept-b&from=2026-04&to=2026-06").await);
        assert_eq!(fields, ["agency"], "a sibling is not under dept-a");
    }
);
