//! The working-day calendar through the API, on both backends.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

both_backends!(
    official_years_are_seeded_and_a_new_year_can_be_loaded,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let anon = app.anonymous();
        let years = anon
            .get("/api/v1/calendar/years")
            .await
            .expect(StatusCode::OK);
        let list: Vec<i64> = years
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y["year"].as_i64().unwrap())
            .collect();
        assert!(list.contains(&2025) && list.contains(&2026), "{list:?}");
        let y2026 = anon
            .get("/api/v1/calendar/years/2026")
            .await
            .expect(StatusCode::OK);
        assert!(y2026
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["date"] == "2026-02-14" && d["kind"] == "make_up_workday"));
        anon.get("/api/v1/calendar/years/2027")
            .await
            .expect(StatusCode::NOT_FOUND);

        let city = app.create_tenant("city", None).await;
        app.add_member(&city, "boss@city.cn", "tenant_admin").await;
        let mut boss = app.login("boss@city.cn").await;
        // 2026-12-25 (Fri) + 10 working days runs into 2027: no data is an error, not a guess.
        let missing = boss
            .get("/api/v1/tenants/city/calendar/explain?from=2026-12-25&days=10")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.to_string().contains("2027"), "{missing}");

        // A platform admin loads 2027 (New Year's Day only, as a small fixture).
        let mut admin = app.admin().await;
        let bad = admin
            .put(
                "/api/v1/calendar/years/2027",
                Some(json!({"source": "", "days": [
                    {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                    {"date": "2027-01-05", "kind": "make_up_workday", "name": "元旦"},
                    {"date": "2026-12-31", "kind": "holiday", "name": "元旦"}
                ]})),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["errors"].as_array().unwrap().len(), 3, "{bad}");
        admin
        .put(
            "/api/v1/calendar/years/2027",
            Some(json!({"source": "测试通知", "days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]})),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let explained = boss
            .get("/api/v1/tenants/city/calendar/explain?from=2026-12-25&days=10")
            .await
            .expect(StatusCode::OK);
        // 12-28..31 (4), 01-01 holiday, 01-04..08 (5), 01-11 → the 10th.
        assert_eq!(explained["end"], "2027-01-11", "{explained}");
        assert!(explained.to_string().contains("元旦"));

        // A local day off moves the count.
        boss.put(
            "/api/v1/tenants/city/calendar/adjustments/2027-01-04",
            Some(json!({"kind": "day_off", "reason": "台风停工"})),
        )
        .await
        .expect(StatusCode::OK);
        let moved = boss
            .get("/api/v1/tenants/city/calendar/explain?from=2026-12-25&days=10")
            .await
            .expect(StatusCode::OK);
        assert_eq!(moved["end"], "2027-01-12");
        // Only for this tenant.
        let other = app.create_tenant("other", None).await;
        app.add_member(&other, "boss@other.cn", "tenant_admin")
            .await;
        let other_boss = app.login("boss@other.cn").await;
        let unchanged = other_boss
            .get("/api/v1/tenants/other/calendar/explain?from=2026-12-25&days=10")
            .await
            .expect(StatusCode::OK);
        assert_eq!(unchanged["end"], "2027-01-11");
        other_boss
            .get("/api/v1/tenants/city/calendar/adjustments")
            .await
            .expect(StatusCode::FORBIDDEN);

        boss.delete("/api/v1/tenants/city/calendar/adjustments/2027-01-04")
            .await
            .expect(StatusCode::NO_CONTENT);
        boss.delete("/api/v1/tenants/city/calendar/adjustments/2027-01-04")
            .await
            .expect(StatusCode::NOT_FOUND);
        boss.put(
            "/api/v1/tenants/city/calendar/adjustments/not-a-date",
            Some(json!({"kind": "day_off", "reason": "x"})),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        boss.get("/api/v1/tenants/city/calendar/explain?from=2026-01-01&days=0")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        // Editors and tenant admins cannot load official years.
        boss.put(
            "/api/v1/calendar/years/2028",
            Some(json!({"source": "x", "days": []})),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
    }
);

both_backends!(
    past_days_cannot_be_adjusted_or_unadjusted,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| c.clock_today = Some("2026-10-01".into())).await;
        let city = app.create_tenant("city", None).await;
        app.add_member(&city, "boss@city.cn", "tenant_admin").await;
        let mut boss = app.login("boss@city.cn").await;
        let path = |day: &str| format!("/api/v1/tenants/city/calendar/adjustments/{day}");
        // While 2026-10-20 lies ahead it can be made a day off.
        boss.put(
            &path("2026-10-20"),
            Some(json!({"kind": "day_off", "reason": "地方性节日"})),
        )
        .await
        .expect(StatusCode::OK);
        app.state
            .clock
            .set_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
        // Once past, neither a new day off, nor a working day, nor removing the old one.
        for kind in ["day_off", "workday"] {
            let refused = boss
                .put(
                    &path("2026-11-01"),
                    Some(json!({"kind": kind, "reason": "补登"})),
                )
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(error_fields(&refused), ["date"], "{refused}");
        }
        let refused = boss
            .delete(&path("2026-10-20"))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&refused), ["date"], "{refused}");
        let kept = boss
            .get("/api/v1/tenants/city/calendar/adjustments")
            .await
            .expect(StatusCode::OK);
        assert_eq!(kept.as_array().unwrap().len(), 1, "{kept}");
        // Today itself still may change (an office closed this morning).
        boss.put(
            &path("2026-11-02"),
            Some(json!({"kind": "day_off", "reason": "台风停工"})),
        )
        .await
        .expect(StatusCode::OK);
    }
);
