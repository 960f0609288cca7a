//! School admissions through the API, on both backends: an enrolment plan and the
//! admission results published as items of the admissions plugin through the review chain
//! (the plugin adds a privacy review the confidentiality reviewer may not also sign); the
//! public rendition shows the results masked (surname and `*`, the registration number's
//! middle starred) and never the list as entered; an ID number in the list is refused.

use super::*;

const PUPILS: [(&str, &str); 3] = [
    ("张三丰", "2026A00101"),
    ("欧阳明月", "2026A00102"),
    ("李四", "2026A00103"),
];

both_backends!(
    an_admission_from_plan_to_masked_results,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.clock_today = Some("2026-04-20".into());
        })
        .await;
        let school = app
            .staffed(
                "school",
                None,
                &["editor", "reviewer", "approver", "tenant_admin"],
            )
            .await;
        app.add_member(&school, "privacy@school.cn", "reviewer")
            .await;
        install_for(&app, "admissions.wasm", &["school"]).await;
        // The plugin's privacy review is the third step: another reviewer signs it.
        let mut staff = Desk {
            editor: app.login("editor@school.cn").await,
            signers: vec![
                app.login("reviewer@school.cn").await,
                app.login("approver@school.cn").await,
                app.login("privacy@school.cn").await,
            ],
        };

        // The plan, public before registration opens, its total derived.
        let plan = publish_through_review(
            &app,
            "school",
            &mut staff,
            json!({"kind": "admissions/enrolment-plan", "title": "示范小学2026年招生计划",
               "fields": {"school": "示范小学", "year": 2026, "grade": "primary-1",
                          "registration_start": "2026-05-10", "registration_end": "2026-05-20",
                          "places": [{"category": "学区内", "places": 180, "classes": 4},
                                     {"category": "随迁子女", "places": 45, "classes": 1}]}}),
        )
        .await;
        assert_eq!(plan["fields"]["places_total"], 225, "{plan}");

        // Results with a child's ID number in them: refused, naming the cell.
        let admitted: Vec<serde_json::Value> = PUPILS
        .iter()
        .map(|(name, number)| json!({"name": name, "registration_no": number, "category": "学区内"}))
        .collect();
        let mut bad = admitted.clone();
        bad[1]["note"] = json!("身份证 11010520190301002X");
        let refused = staff
            .editor
            .post(
                "/api/v1/tenants/school/items",
                json!({"kind": "admissions/admission-results", "title": "录取名单",
                   "fields": {"school": "示范小学", "year": 2026, "admitted": bad}}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error_fields(&refused),
            ["fields.admitted[1].note"],
            "{refused}"
        );

        // The results: three signatures (the plugin's privacy review by another reviewer),
        // and on the portal only the masked list.
        app.state
            .clock
            .set_today(chrono::NaiveDate::from_ymd_opt(2026, 7, 10).unwrap());
        let public = publish_through_review(
            &app,
            "school",
            &mut staff,
            json!({"kind": "admissions/admission-results", "title": "示范小学2026年一年级录取名单",
               "fields": {"school": "示范小学", "year": 2026, "batch": "第一批",
                          "announced_on": "2026-07-10", "publish_by": "2026-07-15",
                          "admitted": admitted}}),
        )
        .await;
        let text = public.to_string();
        for (name, number) in PUPILS {
            assert!(!text.contains(name), "{name} in clear: {public}");
            assert!(!text.contains(number), "{number} in clear: {public}");
        }
        let list: Vec<(&str, &str)> = public["fields"]["public_list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["name"].as_str().unwrap(),
                    r["registration_no"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            list,
            [
                ("张*", "2026****01"),
                ("欧阳*", "2026****02"),
                ("李*", "2026****03")
            ]
        );
        assert_eq!(public["fields"]["admitted_count"], 3);
    }
);
