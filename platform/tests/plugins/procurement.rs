//! A whole procurement through the API, on both backends: intention, tender, amendment,
//! award, contract and acceptance published as items of the procurement plugin's kinds
//! through the review chain, on the days the law allows; the natural person's ID number
//! masked on the public rendition; malformed amounts, dates and credit codes refused in
//! one 422 with nothing stored; the portal's OCDS record package compiling one record with
//! every release, and the CSV.

use super::*;

const BUYER_CODE: &str = "113501000036320051";
const SUPPLIER_CODE: &str = "91350100M000100Y43";
const PERSON_ID: &str = "11010519491231002X";

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn notice(kind: &str, title: &str, fields: serde_json::Value) -> serde_json::Value {
    notice_of("FZCG-2026-031", kind, title, fields)
}

fn notice_of(
    project: &str,
    kind: &str,
    title: &str,
    mut fields: serde_json::Value,
) -> serde_json::Value {
    for (k, v) in [
        ("project_number", project),
        ("project_name", "全市中小学教室照明改造"),
        ("buyer", "某市教育局"),
        ("buyer_code", BUYER_CODE),
    ] {
        fields[k] = json!(v);
    }
    json!({"kind": format!("procurement/{kind}"), "title": title, "fields": fields})
}

/// Publishes one notice on `on` through the review chain; its public rendition. The
/// confidentiality reviewer redacts what the scan found (a natural person's ID number).
async fn publish_on(
    app: &TestApp,
    desk: &mut Desk,
    on: chrono::NaiveDate,
    body: serde_json::Value,
) -> serde_json::Value {
    app.state.clock.set_today(on);
    publish_through_review(app, "buyer", desk, body).await
}

both_backends!(
    a_procurement_from_intention_to_acceptance,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.clock_today = Some("2026-03-02".into());
            // Small export pages, to see that a procurement is never split across them,
            // read two notices at a time: the plugin's formats are streamed in parts.
            c.public_export_page_items = 4;
            c.public_export_batch_items = 2;
        })
        .await;
        app.staffed(
            "buyer",
            None,
            &["editor", "reviewer", "approver", "tenant_admin"],
        )
        .await;
        install_for(&app, "procurement.wasm", &["buyer"]).await;
        let mut staff = Desk {
            editor: app.login("editor@buyer.cn").await,
            signers: vec![
                app.login("reviewer@buyer.cn").await,
                app.login("approver@buyer.cn").await,
            ],
        };

        // The bid kind is not offered as an item, and refused as one.
        let kinds = staff
            .editor
            .get("/api/v1/tenants/buyer/item-kinds")
            .await
            .expect(StatusCode::OK);
        let codes: Vec<&str> = kinds
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|k| k["code"].as_str())
            .filter(|c| c.starts_with("procurement/"))
            .collect();
        assert_eq!(codes.len(), 8, "{codes:?}");
        assert!(!codes.contains(&"procurement/bid"));
        let refused = staff
            .editor
            .post(
                "/api/v1/tenants/buyer/items",
                json!({"kind": "procurement/bid", "title": "投标", "fields": {}}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.to_string().contains("sealed opening"), "{refused}");

        // Malformed amounts, dates and credit codes: one 422 listing every problem, nothing stored.
        let mut bad = notice(
            "intention",
            "采购意向",
            json!({"needs": "<p>LED 教室灯 3000 套</p>", "budget": "12,00.001",
               "expected_start": "2026-02-30"}),
        );
        bad["fields"]["buyer_code"] = json!("11350100003632005K");
        let problem = staff
            .editor
            .post("/api/v1/tenants/buyer/items", bad)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let mut fields = error_fields(&problem);
        fields.sort();
        fields.dedup();
        assert_eq!(
            fields,
            [
                "fields.budget",
                "fields.buyer_code",
                "fields.expected_start"
            ],
            "{problem}"
        );
        assert!(
            problem.to_string().contains("校验码"),
            "the credit code's check character is named: {problem}"
        );
        let list = staff
            .editor
            .get("/api/v1/tenants/buyer/items")
            .await
            .expect(StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 0, "{list}");

        // The notices, each on a day the law allows.
        publish_on(
            &app,
            &mut staff,
            day(2026, 3, 2),
            notice(
                "intention",
                "2026年5月采购意向",
                json!({"needs": "<p>LED 教室灯 3000 套</p>", "budget": "1800000.00",
                   "expected_start": "2026-05-01"}),
            ),
        )
        .await;
        publish_on(
        &app,
        &mut staff,
        day(2026, 5, 6),
        notice(
            "tender",
            "教室照明改造公开招标公告",
            json!({"method": "open", "agency": "某招标代理有限公司", "agency_code": SUPPLIER_CODE,
                   "budget": "1800000.00", "max_price": "1750000",
                   "lots": [{"lot": "1", "name": "LED 教室灯", "budget": "1800000"}],
                   "needs": "<p>详见招标文件</p>",
                   "documents_from": "2026-05-06T09:00+08:00",
                   "bid_deadline": "2026-05-27T09:30+08:00",
                   "opening_time": "2026-05-27T09:30+08:00"}),
        ),
    )
    .await;
        publish_on(
        &app,
        &mut staff,
        day(2026, 5, 12),
        notice(
            "amendment",
            "教室照明改造更正公告",
            json!({"method": "open", "notice_date": "2026-05-12",
                   "changes": [{"item": "投标截止时间", "before": "2026-05-27 09:30", "after": "2026-06-03 09:30"}],
                   "affects_bids": true,
                   "previous_bid_deadline": "2026-05-27T09:30+08:00",
                   "new_bid_deadline": "2026-06-03T09:30+08:00",
                   "previous_opening_time": "2026-05-27T09:30+08:00",
                   "new_opening_time": "2026-06-03T09:30+08:00"}),
        ),
    )
    .await;
        let award = publish_on(
        &app,
        &mut staff,
        day(2026, 6, 5),
        notice(
            "award",
            "教室照明改造中标结果公告",
            json!({"method": "open", "opening_time": "2026-06-03T09:30+08:00",
                   "decision_date": "2026-06-05",
                   "suppliers": [
                       {"name": "某照明科技有限公司", "credit_code": SUPPLIER_CODE, "lot": "1", "amount": "1690000.00"},
                       {"name": "张三", "supplier_type": "person", "id_number": PERSON_ID, "lot": "1", "amount": "0.50"}],
                   "total_amount": "1690000.50",
                   "scoring_summary": "<p>综合评分法，有效投标 5 家</p>",
                   "panel": [{"name": "李四", "role": "expert"}]}),
        ),
    )
    .await;
        assert!(
            !award.to_string().contains(PERSON_ID),
            "the natural person's ID number is masked: {award}"
        );
        assert!(award.to_string().contains("某照明科技有限公司"), "{award}");
        publish_on(
        &app,
        &mut staff,
        day(2026, 6, 22),
        notice(
            "contract",
            "教室照明改造合同公告",
            json!({"contract_number": "HT-2026-031", "contract_name": "教室照明改造合同",
                   "lot": "1",
                   "suppliers": [{"name": "某照明科技有限公司", "credit_code": SUPPLIER_CODE, "amount": "1690000.00"}],
                   "amount": "1690000.00", "award_notice_date": "2026-06-05",
                   "signing_date": "2026-06-19", "start_date": "2026-06-19", "end_date": "2026-08-31",
                   "contract_file": "https://example.gov.cn/files/ht-2026-031.pdf"}),
        ),
    )
    .await;
        publish_on(
        &app,
        &mut staff,
        day(2026, 9, 8),
        notice(
            "acceptance",
            "教室照明改造履约验收公告",
            json!({"contract_number": "HT-2026-031", "lot": "1", "acceptance_date": "2026-09-07",
                   "result": "pass", "public_service": true,
                   "summary": "<p>灯具数量、照度符合合同约定</p>"}),
        ),
    )
    .await;

        // Against the procurement's published notices: an award decided before the opening
        // time in force (as amended) is refused with the rule named, and nothing is stored.
        let early = staff
        .editor
        .post(
            "/api/v1/tenants/buyer/items",
            notice(
                "award",
                "提前的中标公告",
                json!({"method": "open", "opening_time": "2026-05-27T09:30+08:00",
                       "decision_date": "2026-05-28",
                       "suppliers": [{"name": "某照明科技有限公司", "credit_code": SUPPLIER_CODE, "amount": "1690000.00"}],
                       "total_amount": "1690000.00", "scoring_summary": "<p>综合评分法</p>"}),
            ),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            early["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == "fields.decision_date"
                    && e["message"].as_str().unwrap().contains("早于开标时间")),
            "{early}"
        );
        // A procurement cancelled after its tender takes no further notice.
        publish_on(
            &app,
            &mut staff,
            day(2026, 9, 8),
            notice_of(
                "FZCG-2026-032",
                "tender",
                "课桌椅采购公开招标公告",
                json!({"method": "open", "budget": "500000.00",
                   "lots": [{"lot": "1", "name": "课桌椅", "budget": "500000"}],
                   "needs": "<p>详见招标文件</p>",
                   "documents_from": "2026-09-08T09:00+08:00",
                   "bid_deadline": "2026-09-29T09:30+08:00",
                   "opening_time": "2026-09-29T09:30+08:00"}),
            ),
        )
        .await;
        publish_on(
            &app,
            &mut staff,
            day(2026, 9, 10),
            notice_of(
                "FZCG-2026-032",
                "cancellation",
                "课桌椅采购终止公告",
                json!({"notice_date": "2026-09-10", "reason_code": "withdrawn",
                   "reason": "<p>采购需求发生变化</p>"}),
            ),
        )
        .await;
        let after = staff
        .editor
        .post(
            "/api/v1/tenants/buyer/items",
            notice_of(
                "FZCG-2026-032",
                "amendment",
                "课桌椅采购更正公告",
                json!({"method": "open", "notice_date": "2026-09-11",
                       "changes": [{"item": "开标时间", "before": "2026-09-29 09:30", "after": "2026-10-09 09:30"}],
                       "affects_bids": true,
                       "new_bid_deadline": "2026-10-09T09:30+08:00",
                       "new_opening_time": "2026-10-09T09:30+08:00"}),
            ),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&after), ["fields.project_number"], "{after}");
        assert!(after.to_string().contains("已终止"), "{after}");

        // The portal's exports of the procurement column, four notices a page read two at
        // a time: each procurement's record whole on the page of its first notice, none
        // split across pages or parts (page 1's second batch holds only notices sent
        // whole with its first: an empty last part closes the package).
        let code = column_code(&staff.editor, "buyer", "procurement/tender").await;
        let anon = app.anonymous();
        let export = |format: &str, page: u32| {
            let (anon, code, format) = (anon.clone(), code.clone(), format.to_string());
            async move {
                anon.get(&format!(
                    "/api/v1/public/buyer/catalog/{code}/export/procurement/{format}?page={page}"
                ))
                .await
            }
        };
        let json_of = |body: serde_json::Value| match body {
            serde_json::Value::String(text) => serde_json::from_str(&text).unwrap(),
            v => v,
        };
        let first_page = export("ocds-record-package", 1).await;
        assert_eq!(first_page.status, StatusCode::OK, "{}", first_page.body);
        assert_eq!(first_page.headers["x-total-count"], "8");
        // Sent as it is made, not measured first: a streamed body has no length.
        assert!(first_page.headers.get("content-length").is_none());
        assert!(first_page.headers["link"]
            .to_str()
            .unwrap()
            .contains("page=2"));
        let records: serde_json::Value = json_of(first_page.body);
        let all = records["records"].as_array().unwrap();
        assert_eq!(all.len(), 1, "{records}");
        assert!(all[0]["ocid"].as_str().unwrap().ends_with("FZCG-2026-031"));
        assert_eq!(all[0]["releases"].as_array().unwrap().len(), 6);
        assert!(!records.to_string().contains(PERSON_ID));
        let second_page = export("ocds-record-package", 2).await;
        assert!(second_page.headers.get("link").is_none());
        let records: serde_json::Value = json_of(second_page.body);
        let all = records["records"].as_array().unwrap();
        assert_eq!(all.len(), 1, "{records}");
        assert!(all[0]["ocid"].as_str().unwrap().ends_with("FZCG-2026-032"));
        assert_eq!(all[0]["releases"].as_array().unwrap().len(), 2);
        // The plugin's CSV keeps them together the same way: a header and six notices,
        // then a header and two.
        let lines = |reply: Reply| reply.body.as_str().unwrap_or_default().lines().count();
        let csv = export("csv", 1).await;
        assert_eq!(csv.status, StatusCode::OK);
        let text = csv.body.as_str().unwrap_or_default().to_string();
        assert_eq!(text.lines().count(), 7, "{text}");
        assert_eq!(lines(export("csv", 2).await), 3);
        assert!(text.contains("FZCG-2026-031"));
    }
);
