//! The console's report and statistics pages over HTTP, on both backends: drafting a
//! year (a refused year said beside the field, the value kept), the report's tables
//! with each figure linked to its records, an adjustment without a reason refused with
//! the values kept, an adjusted figure marked and the failing cross-checks named, a
//! refused submission listing them, then a submission that opens the report's item;
//! the statistics page with its inline charts; CSRF and permissions.

use reqwest::StatusCode;
use serde_json::json;

use super::common::browser::{Browser, Page};
use super::*;

fn has(page: &Page, text: &str) {
    assert!(page.text.contains(text), "no `{text}` in:\n{}", page.text);
}

both_backends!(
    report_pages_draft_adjust_check_and_submit,
    |backend| async move {
        let app = start(backend).await;
        let mut office = Office::new(&app).await;
        let (id, number, _) = receive(&app, &mut office, d(2026, 3, 2), "person").await;
        answer(&app, &mut office, &id, d(2026, 3, 10), "1").await;
        app.state.clock.set_today(d(2027, 1, 5));
        let mut b = Browser::signed_in(&app, "editor@city.cn").await;

        let list = b.get("/console/city/reports").await.expect(StatusCode::OK);
        has(&list, "尚未起草任何年度报告");
        let csrf = list.hidden("csrf");
        // A page post without the session's token is refused.
        b.post("/console/city/reports", &[("year", "2026")])
            .await
            .expect(StatusCode::FORBIDDEN);
        // A future year: the reason beside the field, the year kept.
        let refused = b
            .post(
                "/console/city/reports",
                &[("csrf", &csrf), ("year", "2028")],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        has(&refused, "2028 has not begun");
        has(&refused, "value=\"2028\"");
        has(&refused, "aria-invalid=\"true\"");
        let drafted = b
            .post(
                "/console/city/reports",
                &[("csrf", &csrf), ("year", "2026")],
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        assert_eq!(drafted.location, "/console/city/reports/2026");

        // The tables, each figure linked to its records; the carry-over check names its row.
        let report = b
            .get("/console/city/reports/2026")
            .await
            .expect(StatusCode::OK);
        has(&report, "<caption>");
        has(
            &report,
            "href=\"/console/city/reports/2026/cells/t3:1:person\"",
        );
        has(&report, "没有2025年度报告");
        let cell = b
            .get("/console/city/reports/2026/cells/t3:1:person")
            .await
            .expect(StatusCode::OK);
        has(&cell, &number);
        has(&cell, &format!("href=\"/console/city/requests/{id}\""));

        // An adjustment without a reason: refused beside the field, the value kept.
        let refused = b
            .post(
                "/console/city/reports/2026/cells/t3:1:person",
                &[("csrf", &csrf), ("value", "2"), ("reason", " ")],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        has(&refused, "id=\"reason-error\"");
        has(&refused, "value=\"2\"");
        let refused = b
            .post(
                "/console/city/reports/2026/cells/t3:1:person",
                &[("csrf", &csrf), ("value", "two"), ("reason", "")],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        has(&refused, "id=\"value-error\"");
        has(&refused, "id=\"reason-error\"");
        let adjusted = b
            .post(
                "/console/city/reports/2026/cells/t3:1:person",
                &[("csrf", &csrf), ("value", "2"), ("reason", "核对纸质台账")],
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        assert_eq!(
            adjusted.location,
            "/console/city/reports/2026#c-t3-1-person"
        );
        let report = b
            .get("/console/city/reports/2026")
            .await
            .expect(StatusCode::OK);
        has(&report, "（已人工调整，统计值 1）");
        has(
            &report,
            "表三 第（七）行 自然人列: 1 ≠ 2（第（一）至（六）行各项之和）",
        );
        let refused = b
            .post("/console/city/reports/2026/submit", &[("csrf", &csrf)])
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        has(&refused, "不能提交：以下交叉核对未通过");
        has(&refused, "href=\"#c-t3-total-person\"");

        // Back to the counted value; the carry-over set through the API; submitted, the
        // report's item opens to be sent to review.
        b.post(
            "/console/city/reports/2026/cells/t3:1:person",
            &[("csrf", &csrf), ("value", ""), ("reason", "恢复统计值")],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
        // The first year on the platform: last year's carried figures typed in, with a
        // reason; every problem beside its field, the values kept.
        let refused = b
            .post(
                "/console/city/reports/2026/prior-carried",
                &[
                    ("csrf", &csrf),
                    ("columns.person", "x"),
                    ("carried_reason", ""),
                ],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        has(&refused, "id=\"columns.person-error\"");
        has(&refused, "id=\"carried_reason-error\"");
        has(&refused, "value=\"x\"");
        b.post(
            "/console/city/reports/2026/prior-carried",
            &[
                ("csrf", &csrf),
                ("columns.person", "-1"),
                ("carried_reason", "首年"),
            ],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        b.post(
            "/console/city/reports/2026/prior-carried",
            &[
                ("csrf", &csrf),
                ("columns.person", "0"),
                ("carried_reason", "首年使用平台，上年无结转"),
            ],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
        let editor = app.login("editor@city.cn").await;
        let view = editor
            .get("/api/v1/tenants/city/reports/2026")
            .await
            .expect(StatusCode::OK);
        assert_eq!(view["prior_carried"]["reason"], "首年使用平台，上年无结转");
        assert_eq!(view["checks"], json!([]));
        b.post(
            "/console/city/reports/2026/sections",
            &[
                ("csrf", &csrf),
                ("overview", "2026年总体情况。"),
                ("problems", ""),
                ("other_matters", "无。"),
            ],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
        let submitted = b
            .post("/console/city/reports/2026/submit", &[("csrf", &csrf)])
            .await
            .expect(StatusCode::SEE_OTHER);
        let item = editor
            .get("/api/v1/tenants/city/reports/2026")
            .await
            .expect(StatusCode::OK)["item_id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(submitted.location, format!("/console/city/items/{item}"));
        let report = b
            .get("/console/city/reports/2026")
            .await
            .expect(StatusCode::OK);
        has(&report, "2026年总体情况。");
        assert!(!report.text.contains("/console/city/reports/2026/submit"));

        // Statistics: the charts inline, a refused month beside its field.
        let stats = b
            .get("/console/city/statistics?from=2026-01&to=2026-12")
            .await
            .expect(StatusCode::OK);
        has(&stats, "<svg");
        has(&stats, "2026-03：收到 1，办结 1，逾期 0");
        let refused = b
            .get("/console/city/statistics?from=2026-01&to=2027-05")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        has(&refused, "2027-05 has not begun");
        has(&refused, "value=\"2027-05\"");
        b.get("/console/city/reports/2026/compare")
            .await
            .expect(StatusCode::OK);

        // Without the permission: the pages refuse.
        let mut officer = Browser::signed_in(&app, "request_officer@city.cn").await;
        officer
            .get("/console/city/reports")
            .await
            .expect(StatusCode::FORBIDDEN);
        officer
            .get("/console/city/statistics")
            .await
            .expect(StatusCode::FORBIDDEN);
        officer
            .get("/console/city/reports/2026/cells/t3:1:person")
            .await
            .expect(StatusCode::FORBIDDEN);
    }
);
