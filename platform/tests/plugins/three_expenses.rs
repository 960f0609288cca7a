//! The three public expenses on the portal, on both backends: a department's final
//! accounts published through the review chain, and its column page showing the plugin's
//! chart of the lines over the years as an image whose export keeps the SVG type (for the
//! `<img>`), comes as an attachment under a sandboxing CSP, and names its figures in
//! accessible titles; the city government's column lists its departments' tables.

use super::*;

both_backends!(
    the_column_page_shows_the_chart_over_the_years,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.clock_today = Some("2017-08-15".into());
        })
        .await;
        // A city government and one of its departments, both with the plugin.
        app.staffed("city", None, &["tenant_admin"]).await;
        app.staffed(
            "county",
            Some("city"),
            &["editor", "reviewer", "approver", "tenant_admin"],
        )
        .await;
        install_for(&app, "three-expenses.wasm", &["city", "county"]).await;
        let mut ed = app.login("editor@county.cn").await;

        // The county's 2016 final accounts (万元), 2015 beside them.
        let item = ed
            .post(
                "/api/v1/tenants/county/items",
                json!({"kind": "three-expenses/final-account", "title": "某县2016年三公经费决算",
                   "fields": {"department": "某县", "year": 2016, "approved_on": "2017-08-10",
                              "total": "2706.86", "total_prev": "2911.47",
                              "abroad": "10.20", "abroad_prev": "13.06",
                              "abroad_note": "压减出访团组",
                              "vehicles": "1105.72", "vehicles_prev": "1218.72",
                              "vehicle_purchase": "0", "vehicle_purchase_prev": "14.80",
                              "vehicle_purchase_note": "本年未购置公务用车",
                              "vehicle_running": "1105.72", "vehicle_running_prev": "1203.92",
                              "reception": "1590.94", "reception_prev": "1679.69",
                              "abroad_groups": 2, "abroad_people": 6, "vehicles_bought": 0,
                              "vehicles_held": 230, "reception_batches": 1800,
                              "reception_people": 21000}}),
            )
            .await
            .expect(StatusCode::CREATED);
        let id = item["id"].as_str().unwrap().to_string();
        ed.post(
            &format!("/api/v1/tenants/county/items/{id}/submit"),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
        decide_all(&app, "county", &id, &[("reviewer", 0), ("approver", 1)]).await;
        ed.post(
            &format!("/api/v1/tenants/county/items/{id}/publish"),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);

        let code = column_code(&ed, "county", "three-expenses/final-account").await;

        let anon = app.anonymous();
        let page = anon.get(&format!("/county/catalog/{code}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.body.as_str().unwrap();
        let chart = format!("/api/v1/public/county/catalog/{code}/export/three-expenses/svg");
        assert!(
            html.contains(&format!(
                "<img src=\"{chart}\" alt=\"三公经费历年变化图（SVG）\""
            )),
            "{html}"
        );
        let svg = anon.get(&chart).await;
        assert_eq!(svg.status, StatusCode::OK);
        assert_eq!(header(&svg, "content-type"), Some("image/svg+xml"));
        assert!(header(&svg, "content-disposition")
            .unwrap()
            .starts_with("attachment"));
        assert!(header(&svg, "content-security-policy")
            .unwrap()
            .contains("sandbox"));
        let text = svg.body.as_str().unwrap();
        assert!(
            text.starts_with("<svg") && text.contains("<title>"),
            "{text}"
        );
        assert!(text.contains("2016") && text.contains("2706.86"), "{text}");
        // The government's own column lists its departments' tables.
        let city_admin = app.login("tenant_admin@city.cn").await;
        let city_code = column_code(&city_admin, "city", "three-expenses/final-account").await;
        let summary = anon.get(&format!("/city/catalog/{city_code}")).await;
        assert_eq!(summary.status, StatusCode::OK);
        let html = summary.body.as_str().unwrap();
        assert!(html.contains("所属部门公开的表格"), "{html}");
        assert!(
            html.contains(&format!("href=\"/county/items/{id}\""))
                && html.contains("某县2016年三公经费决算"),
            "{html}"
        );
        // A page without such a kind shows no chart.
        let other = anon.get("/county/catalog/GZDT").await;
        assert!(!other
            .body
            .as_str()
            .unwrap()
            .contains("figure class=\"chart\""));
    }
);
