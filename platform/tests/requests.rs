//! Requests for information through the API, on both backends: submission, tracking,
//! the staff workflow and its clock, outcomes, fees, remedies, isolation, privacy, and
//! the e-mail outbox against a real SMTP server.

mod common;
#[path = "common/smtp.rs"]
mod smtp;

use chrono::NaiveDate;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::Row;

const ID: &str = "11010519491231002X";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn start(backend: gongkai::kernel::db::Backend) -> TestApp {
    start_smtp(backend, None).await
}

async fn start_smtp(backend: gongkai::kernel::db::Backend, smtp_port: Option<u16>) -> TestApp {
    let app = TestApp::start_with(backend, |c| {
        c.request_submissions_per_address_per_hour = 1000;
        c.clock_today = Some("2026-11-02".into());
        c.email_retry_base_secs = 1;
        match smtp_port {
            Some(port) => {
                c.email_transport = "smtp".into();
                c.smtp_host = Some("127.0.0.1".into());
                c.smtp_port = port;
                c.smtp_tls = "none".into();
            }
            None => c.email_transport = "none".into(),
        }
    })
    .await;
    let city = app.create_tenant("city", None).await;
    app.add_member(&city, "officer@city.cn", "request_officer")
        .await;
    app.add_member(&city, "head@city.cn", "approver").await;
    app.add_member(&city, "boss@city.cn", "tenant_admin").await;
    app
}

fn person(email: Option<&str>) -> Value {
    json!({
        "applicant_type": "person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": ID,
        "phone": "13800138000",
        "email": email,
        "address": "示例市人民路1号",
        "description": "2025年本市道路维修资金的使用情况",
        "delivery_method": if email.is_some() { "email" } else { "post" },
        "delivery_form": "electronic",
    })
}

async fn submit(app: &TestApp, slug: &str, body: Value) -> (String, String) {
    let mut anon = app.anonymous();
    let r = anon
        .post(&format!("/api/v1/portal/{slug}/requests"), body)
        .await
        .expect(StatusCode::CREATED);
    (
        r["tracking_number"].as_str().unwrap().to_string(),
        r["access_code"].as_str().unwrap().to_string(),
    )
}

async fn track(app: &TestApp, slug: &str, number: &str, code: &str) -> Reply {
    let mut anon = app.anonymous();
    anon.token = None;
    let (reply, _) = anon
        .raw_with(
            Method::GET,
            &format!("/api/v1/portal/{slug}/requests/{number}"),
            None,
            code,
        )
        .await;
    reply
}

trait AccessCode {
    async fn raw_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        code: &str,
    ) -> (Reply, ());
}

impl AccessCode for Client {
    async fn raw_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        code: &str,
    ) -> (Reply, ()) {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("x-access-code", code);
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (
            Reply {
                status,
                headers,
                body,
            },
            (),
        )
    }
}

async fn id_of(staff: &Client, slug: &str, number: &str) -> String {
    let list = staff
        .get(&format!("/api/v1/tenants/{slug}/requests"))
        .await
        .expect(StatusCode::OK);
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["tracking_number"] == number)
        .unwrap_or_else(|| panic!("{number} in {list}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn step(staff: &mut Client, slug: &str, id: &str, what: &str, body: Value) -> Reply {
    staff
        .post(
            &format!("/api/v1/tenants/{slug}/requests/{id}/{what}"),
            body,
        )
        .await
}

both_backends!(
    submission_tracking_idempotency_privacy,
    |backend| async move {
        let app = start(backend).await;
        // Good submission, tracked with its access code.
        let (number, code) = submit(&app, "city", person(Some("zhang@example.cn"))).await;
        assert!(number.starts_with("YSQ2026-"), "{number}");
        let view = track(&app, "city", &number, &code)
            .await
            .expect(StatusCode::OK);
        assert_eq!(view["status"], "received");
        assert_eq!(view["deadline"]["state"], "awaiting_registration");
        // A wrong access code and an unknown number look the same: 404, nothing leaks.
        let wrong = track(&app, "city", &number, "not-the-code")
            .await
            .expect(StatusCode::NOT_FOUND);
        let unknown = track(&app, "city", "YSQ2026-999999", &code)
            .await
            .expect(StatusCode::NOT_FOUND);
        assert_eq!(wrong["detail"], unknown["detail"]);
        assert!(!wrong.to_string().contains("张三"));

        // Wrong checksum and missing contact for the chosen delivery: precise 422s.
        let mut anon = app.anonymous();
        let mut bad = person(Some("zhang@example.cn"));
        bad["id_number"] = json!("110105194912310021");
        let r = anon
            .post("/api/v1/portal/city/requests", bad)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r["errors"][0]["field"], "id_number", "{r}");
        let mut bad = person(None);
        bad["address"] = Value::Null;
        let r = anon
            .post("/api/v1/portal/city/requests", bad)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == "address"),
            "{r}"
        );
        // Another document type is accepted without a checksum.
        let mut passport = person(None);
        passport["id_type"] = json!("passport");
        passport["id_number"] = json!("E12345678");
        submit(&app, "city", passport).await;

        // Idempotency: a retry returns the first receipt; another body with the key is refused.
        let body = person(None).to_string().into_bytes();
        let send = |body: Vec<u8>| {
            let http = app.http.clone();
            let url = app.url("/api/v1/portal/city/requests");
            async move {
                let res = http
                    .post(url)
                    .header("content-type", "application/json")
                    .header("idempotency-key", "key-1")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                (res.status(), res.json::<Value>().await.unwrap())
            }
        };
        let (s1, first) = send(body.clone()).await;
        let (s2, again) = send(body.clone()).await;
        assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::CREATED));
        assert_eq!(first, again);
        let mut other = person(None);
        other["description"] = json!("另一个申请的内容描述");
        let (s3, refused) = send(other.to_string().into_bytes()).await;
        assert_eq!(s3, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused.to_string().contains("Idempotency-Key"));

        // Personal data is not stored in clear anywhere in the request tables.
        let mut conn = app.owner_connection().await;
        for table in [
            "requests",
            "request_events",
            "email_outbox",
            "idempotency_keys",
            "audit_log",
        ] {
            let rows = sqlx::query(&format!("SELECT * FROM {table}"))
                .fetch_all(&mut conn)
                .await
                .unwrap();
            assert!(
                !rows.is_empty() || table == "email_outbox",
                "{table} has rows"
            );
            for row in &rows {
                for i in 0..sqlx::Row::len(row) {
                    let value: Option<String> = row.try_get(i).ok().flatten();
                    let value = value.unwrap_or_default();
                    for secret in [
                        ID,
                        "13800138000",
                        "zhang@example.cn",
                        "张三",
                        "人民路",
                        "道路维修",
                    ] {
                        assert!(!value.contains(secret), "{table} holds {secret} in clear");
                    }
                }
            }
        }
    }
);

both_backends!(
    workflow_correction_consultation_extension_and_refusals,
    |backend| async move {
        let app = start(backend).await;
        let (number, code) = submit(&app, "city", person(Some("zhang@example.cn"))).await;
        let mut officer = app.login("officer@city.cn").await;
        let mut head = app.login("head@city.cn").await;
        let id = id_of(&officer, "city", &number).await;
        let path = format!("/api/v1/tenants/city/requests/{id}");

        // Out of order: deliver before anything; 409 with the current state, nothing changed.
        let before = officer.get(&path).await.expect(StatusCode::OK);
        let r = step(&mut officer, "city", &id, "deliver", json!({}))
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(r["current_state"], "received", "{r}");
        assert_eq!(officer.get(&path).await.expect(StatusCode::OK), before);

        // Registered on Mon 2026-11-02: 20 working days → Mon 2026-11-30.
        let v = step(&mut officer, "city", &id, "register", json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(v["deadline"]["due"], "2026-11-30", "{v}");
        // Correction on day 3 (Thu 11-05), reply within 10 working days.
        app.state.clock.set_today(d(2026, 11, 5));
        let v = step(
            &mut officer,
            "city",
            &id,
            "correction-request",
            json!({"what": "请写明文件名称或文号", "respond_within_working_days": 10}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(v["deadline"]["state"], "awaiting_correction");
        // Only once.
        step(
            &mut officer,
            "city",
            &id,
            "correction-request",
            json!({"what": "again"}),
        )
        .await
        .expect(StatusCode::CONFLICT);
        // The applicant corrects on Tue 11-10: the clock restarts, due Tue 12-08.
        app.state.clock.set_today(d(2026, 11, 10));
        let (r, _) = app
            .anonymous()
            .raw_with(
                Method::POST,
                &format!("/api/v1/portal/city/requests/{number}/correction"),
                Some(json!({"text": "《示例市道路养护资金管理办法》"})),
                &code,
            )
            .await;
        let t = r.expect(StatusCode::OK);
        assert_eq!(t["status"], "corrected");
        assert_eq!(t["deadline"]["due"], "2026-12-08", "{t}");
        assert!(t["deadline"]["explanation"]
            .to_string()
            .contains("重新计算"));

        // Assign needs requests:assign (the officer lacks it; the head has it).
        let officer_id = {
            let members = app
                .login("boss@city.cn")
                .await
                .get("/api/v1/tenants/city/members")
                .await
                .expect(StatusCode::OK);
            members
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["user"]["email"] == "officer@city.cn")
                .unwrap()["user"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        };
        step(
            &mut officer,
            "city",
            &id,
            "assign",
            json!({"assignee_id": officer_id}),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
        step(&mut head, "city", &id, "assign", json!({}))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        step(
            &mut head,
            "city",
            &id,
            "assign",
            json!({"assignee_id": officer_id, "department": "信息公开科"}),
        )
        .await
        .expect(StatusCode::OK);

        // Consultation from Wed 11-11 to Wed 11-18: 5 working days excluded → due 12-15.
        app.state.clock.set_today(d(2026, 11, 11));
        let v = step(
            &mut officer,
            "city",
            &id,
            "consultation",
            json!({"party": "third_party", "with": "某公司"}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(v["deadline"]["state"], "paused", "{v}");
        assert!(
            !v["timeline"].to_string().contains("某公司"),
            "the consulted party stays off the timeline"
        );
        // A draft while consulting is refused.
        step(
            &mut officer,
            "city",
            &id,
            "answer",
            json!({"outcome_code": "1"}),
        )
        .await
        .expect(StatusCode::CONFLICT);
        app.state.clock.set_today(d(2026, 11, 18));
        let v = step(
            &mut officer,
            "city",
            &id,
            "consultation/end",
            json!({"result": "objection"}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(v["deadline"]["due"], "2026-12-15", "{v}");

        // Extension: at most 20 working days, by the head; 25 is refused precisely.
        step(
            &mut officer,
            "city",
            &id,
            "extend",
            json!({"working_days": 5, "reason": "x"}),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
        let r = step(
            &mut head,
            "city",
            &id,
            "extend",
            json!({"working_days": 25, "reason": ""}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r["errors"].as_array().unwrap().len(), 2, "{r}");
        // +10 working days from 12-15 → 12-29 (2026 data suffices).
        let v = step(
            &mut head,
            "city",
            &id,
            "extend",
            json!({"working_days": 10, "reason": "需要检索大量档案"}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(v["deadline"]["due"], "2026-12-29", "{v}");
        step(
            &mut head,
            "city",
            &id,
            "extend",
            json!({"working_days": 1, "reason": "again"}),
        )
        .await
        .expect(StatusCode::CONFLICT);

        // The agency edits its 3.4 template; placeholders are checked.
        let mut boss = app.login("boss@city.cn").await;
        let r = boss
            .put(
                "/api/v1/tenants/city/reply-templates/3.4/zh",
                Some(json!({"body": "{applicant}：{nonsense} {tracking_number}"})),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.to_string().contains("{nonsense}"), "{r}");
        officer
            .put(
                "/api/v1/tenants/city/reply-templates/3.4/zh",
                Some(json!({"body": "x {tracking_number}"})),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        boss.put(
            "/api/v1/tenants/city/reply-templates/3.4/zh",
            Some(json!({"body": "{applicant}：\n申请（{tracking_number}）处理结果：{outcome}。\n本机关专用模板。\n{agency} {date}"})),
        )
        .await
        .expect(StatusCode::OK);
        let templates = officer
            .get("/api/v1/tenants/city/reply-templates")
            .await
            .expect(StatusCode::OK);
        assert_eq!(templates.as_array().unwrap().len(), 42);
        assert!(templates
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["outcome_code"] == "3.4"
                && t["language"] == "zh"
                && t["source"] == "tenant"));

        // Unknown outcome code: 422; then draft 3.4 from the template, return, redraft, approve, deliver, close.
        let r = step(
            &mut officer,
            "city",
            &id,
            "answer",
            json!({"outcome_code": "3.9"}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.to_string().contains("3.9"));
        let v = step(
            &mut officer,
            "city",
            &id,
            "answer",
            json!({"outcome_code": "3.4"}),
        )
        .await
        .expect(StatusCode::OK);
        let reply = v["answers"][0]["reply_text"].as_str().unwrap();
        assert!(
            reply.contains(&number)
                && reply.contains("第三方合法权益")
                && reply.contains("张三")
                && reply.contains("本机关专用模板"),
            "{reply}"
        );
        step(&mut officer, "city", &id, "answer/approve", json!({}))
            .await
            .expect(StatusCode::FORBIDDEN);
        step(
            &mut head,
            "city",
            &id,
            "answer/return",
            json!({"comments": "补充理由"}),
        )
        .await
        .expect(StatusCode::OK);
        step(
            &mut officer,
            "city",
            &id,
            "answer",
            json!({"outcome_code": "3.4"}),
        )
        .await
        .expect(StatusCode::OK);
        step(&mut head, "city", &id, "answer/approve", json!({}))
            .await
            .expect(StatusCode::OK);
        app.state.clock.set_today(d(2026, 12, 1));
        let v = step(&mut officer, "city", &id, "deliver", json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(v["summary"]["outcome_code"], "3.4");
        step(&mut officer, "city", &id, "close", json!({}))
            .await
            .expect(StatusCode::OK);
        let t = track(&app, "city", &number, &code)
            .await
            .expect(StatusCode::OK);
        assert_eq!(t["status"], "closed");
        assert_eq!(t["answer"]["outcome_code"], "3.4");
        // Withdrawal after the answer is refused.
        let (r, _) = app
            .anonymous()
            .raw_with(
                Method::POST,
                &format!("/api/v1/portal/city/requests/{number}/withdraw"),
                Some(json!({})),
                &code,
            )
            .await;
        r.expect(StatusCode::CONFLICT);

        // Remedies linked to the request, counted for table 4.
        officer
            .post(
                &format!("{path}/remedies"),
                json!({"kind": "appeal", "filed_on": "x"}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let table = remedy_decided(
            &mut officer,
            &path,
            ("reconsideration", "2026-12-10"),
            ("upheld", "2026-12-20"),
        )
        .await;
        assert_eq!(table["reconsideration"]["upheld"], 1);
        assert_eq!(table["reconsideration"]["total"], 1);
        // A case decided after 31 December was still pending in that year's table.
        let table = remedy_decided(
            &mut officer,
            &path,
            ("litigation_direct", "2026-12-12"),
            ("corrected", "2027-01-08"),
        )
        .await;
        assert_eq!(table["litigation_direct"]["pending"], 1, "{table}");
        assert_eq!(table["litigation_direct"]["corrected"], 0, "{table}");
        assert_eq!(table["litigation_direct"]["total"], 1, "{table}");
    }
);

/// Registers the request and has the head assign it to 办公室.
async fn register_and_assign(officer: &mut Client, head: &mut Client, id: &str) {
    step(officer, "city", id, "register", json!({}))
        .await
        .expect(StatusCode::OK);
    step(head, "city", id, "assign", json!({"department": "办公室"}))
        .await
        .expect(StatusCode::OK);
}

/// Takes a registered, assigned request to a delivered answer with `code`.
async fn answer_with(app: &TestApp, officer: &mut Client, head: &mut Client, code: &str) -> String {
    let (number, _) = submit(app, "city", person(None)).await;
    let id = id_of(officer, "city", &number).await;
    register_and_assign(officer, head, &id).await;
    if code == "4.1" {
        step(
            officer,
            "city",
            &id,
            "refer",
            json!({"agency": "示例市财政局"}),
        )
        .await
        .expect(StatusCode::OK);
    }
    let v = step(
        officer,
        "city",
        &id,
        "answer",
        json!({"outcome_code": code}),
    )
    .await
    .expect(StatusCode::OK);
    if code == "4.1" {
        assert!(v["answers"][0]["reply_text"]
            .as_str()
            .unwrap()
            .contains("示例市财政局"));
    }
    step(head, "city", &id, "answer/approve", json!({}))
        .await
        .expect(StatusCode::OK);
    step(
        officer,
        "city",
        &id,
        "deliver",
        json!({"note": "挂号信 XA123"}),
    )
    .await
    .expect(StatusCode::OK);
    id
}

both_backends!(
    every_outcome_code_fees_lapses_and_withdrawal,
    |backend| async move {
        let app = start(backend).await;
        let mut officer = app.login("officer@city.cn").await;
        let mut head = app.login("head@city.cn").await;
        let drafted = [
            "1", "2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "4.1", "4.2", "4.3",
            "5.1", "5.2", "5.3", "5.4", "5.5", "6.3",
        ];
        for code in drafted {
            answer_with(&app, &mut officer, &mut head, code).await;
        }
        // 6.1 and 6.2 are not drafted.
        let (number, code) = submit(&app, "city", person(None)).await;
        let id = id_of(&officer, "city", &number).await;
        register_and_assign(&mut officer, &mut head, &id).await;
        step(
            &mut officer,
            "city",
            &id,
            "answer",
            json!({"outcome_code": "6.1"}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);

        // Fees: this applicant's request no. 21 of November costs 100 yuan by count; pages
        // and count never both. The applicant declines: 6.2.
        let r = step(
            &mut officer,
            "city",
            &id,
            "fee-notice",
            json!({"basis": "count", "pages": 50}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r["errors"][0]["field"], "pages");
        let v = step(
            &mut officer,
            "city",
            &id,
            "fee-notice",
            json!({"basis": "count"}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(v["fees"][0]["amount_yuan"], 100, "{v}");
        assert_eq!(v["deadline"]["state"], "awaiting_fee");
        let (r, _) = app
            .anonymous()
            .raw_with(
                Method::POST,
                &format!("/api/v1/portal/city/requests/{number}/fee"),
                Some(json!({"decision": "decline"})),
                &code,
            )
            .await;
        let t = r.expect(StatusCode::OK);
        assert_eq!(
            (t["status"].as_str(), t["outcome_code"].as_str()),
            (Some("abandoned"), Some("6.2")),
            "{t}"
        );

        // A fee by pages that is not paid in time lapses in the sweep → 6.2.
        let (number, _) = submit(&app, "city", person(None)).await;
        let id2 = id_of(&officer, "city", &number).await;
        register_and_assign(&mut officer, &mut head, &id2).await;
        let r = step(
            &mut officer,
            "city",
            &id2,
            "fee-notice",
            json!({"basis": "pages", "pages": 20}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.to_string().contains("first 30 are free"), "{r}");
        let v = step(
            &mut officer,
            "city",
            &id2,
            "fee-notice",
            json!({"basis": "pages", "pages": 120}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(v["fees"][0]["amount_yuan"], 700 + 400, "{v}");
        gongkai::requests::jobs::sweep(&app.state.requests, d(2026, 12, 1))
            .await
            .unwrap();
        let v = officer
            .get(&format!("/api/v1/tenants/city/requests/{id2}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(v["summary"]["status"], "abandoned", "{v}");
        assert_eq!(v["summary"]["outcome_code"], "6.2");
        assert_eq!(v["fees"][0]["status"], "lapsed");

        // No correction in time → 6.1.
        let (number, _) = submit(&app, "city", person(None)).await;
        let id3 = id_of(&officer, "city", &number).await;
        step(&mut officer, "city", &id3, "register", json!({}))
            .await
            .expect(StatusCode::OK);
        step(
            &mut officer,
            "city",
            &id3,
            "correction-request",
            json!({"what": "请说明所需信息", "respond_within_working_days": 5}),
        )
        .await
        .expect(StatusCode::OK);
        gongkai::requests::jobs::sweep(&app.state.requests, d(2026, 11, 6))
            .await
            .unwrap();
        let v = officer
            .get(&format!("/api/v1/tenants/city/requests/{id3}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            v["summary"]["status"], "correction_requested",
            "not yet lapsed"
        );
        gongkai::requests::jobs::sweep(&app.state.requests, d(2026, 11, 10))
            .await
            .unwrap();
        let v = officer
            .get(&format!("/api/v1/tenants/city/requests/{id3}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(v["summary"]["outcome_code"], "6.1", "{v}");

        // Withdrawal before the answer.
        let (number, code) = submit(&app, "city", person(None)).await;
        let (r, _) = app
            .anonymous()
            .raw_with(
                Method::POST,
                &format!("/api/v1/portal/city/requests/{number}/withdraw"),
                Some(json!({"reason": "已自行获取"})),
                &code,
            )
            .await;
        assert_eq!(r.expect(StatusCode::OK)["status"], "withdrawn");

        // Counts by outcome for the period: every code once, 6.2 twice.
        let counts = officer
            .get("/api/v1/tenants/city/requests/outcomes?from=2026-11-01&to=2026-12-31")
            .await
            .expect(StatusCode::OK);
        let count = |c: &str| {
            counts
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["outcome_code"] == c)
                .unwrap()["count"]
                .as_i64()
                .unwrap()
        };
        for code in drafted {
            assert_eq!(count(code), 1, "{code}: {counts}");
        }
        assert_eq!((count("6.1"), count("6.2")), (1, 2));
        // Filters: overdue and by status.
        app.state.clock.set_today(d(2026, 12, 31));
        let overdue = officer
            .get("/api/v1/tenants/city/requests?overdue=true")
            .await
            .expect(StatusCode::OK);
        assert!(overdue
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["overdue"] == true));
        let withdrawn = officer
            .get("/api/v1/tenants/city/requests?status=withdrawn")
            .await
            .expect(StatusCode::OK);
        assert_eq!(withdrawn.as_array().unwrap().len(), 1);
    }
);

both_backends!(
    isolation_overseers_and_the_2027_calendar,
    |backend| async move {
        let app = start(backend).await;
        let city = gongkai::tenancy::store::by_slug(&app.state.db, "city")
            .await
            .unwrap()
            .unwrap();
        let _ = city;
        app.create_tenant("edu", Some("city")).await;
        let edu = gongkai::tenancy::store::by_slug(&app.state.db, "edu")
            .await
            .unwrap()
            .unwrap();
        app.add_member(&edu, "officer@edu.cn", "request_officer")
            .await;
        let other = app.create_tenant("other", None).await;
        app.add_member(&other, "officer@other.cn", "request_officer")
            .await;
        let city_t = gongkai::tenancy::store::by_slug(&app.state.db, "city")
            .await
            .unwrap()
            .unwrap();
        app.add_member(&city_t, "overseer@city.cn", "overseer")
            .await;

        let (edu_number, edu_code) = submit(&app, "edu", person(None)).await;
        let (city_number, _) = submit(&app, "city", person(None)).await;
        let edu_officer = app.login("officer@edu.cn").await;
        let edu_id = id_of(&edu_officer, "edu", &edu_number).await;

        // Tenant B's staff see nothing of A's requests, through any route.
        let mut stranger = app.login("officer@other.cn").await;
        stranger
            .get("/api/v1/tenants/edu/requests")
            .await
            .expect(StatusCode::FORBIDDEN);
        stranger
            .get(&format!("/api/v1/tenants/edu/requests/{edu_id}"))
            .await
            .expect(StatusCode::FORBIDDEN);
        stranger
            .get(&format!("/api/v1/tenants/other/requests/{edu_id}"))
            .await
            .expect(StatusCode::NOT_FOUND);
        step(&mut stranger, "other", &edu_id, "register", json!({}))
            .await
            .expect(StatusCode::NOT_FOUND);
        assert!(stranger
            .get("/api/v1/tenants/other/requests")
            .await
            .expect(StatusCode::OK)
            .as_array()
            .unwrap()
            .is_empty());
        // Public tracking of edu's number under another slug is 404.
        track(&app, "city", &edu_number, &edu_code)
            .await
            .expect(StatusCode::NOT_FOUND);
        track(&app, "edu", &edu_number, &edu_code)
            .await
            .expect(StatusCode::OK);
        // The parent's overseer reads the child's requests, but cannot handle them.
        let mut overseer = app.login("overseer@city.cn").await;
        let list = overseer
            .get("/api/v1/tenants/edu/requests")
            .await
            .expect(StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["tracking_number"], edu_number);
        overseer
            .get(&format!("/api/v1/tenants/edu/requests/{edu_id}"))
            .await
            .expect(StatusCode::OK);
        step(&mut overseer, "edu", &edu_id, "register", json!({}))
            .await
            .expect(StatusCode::FORBIDDEN);
        let city_list = overseer
            .get("/api/v1/tenants/city/requests")
            .await
            .expect(StatusCode::OK);
        assert!(city_list
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["tracking_number"] == city_number));

        // A request registered on 2026-12-15 runs into 2027: accepted and tracked, with the
        // due date waiting for the 2027 calendar; loading it recomputes the cached date.
        app.state.clock.set_today(d(2026, 12, 15));
        let (number, code) = submit(&app, "city", person(None)).await;
        let mut officer = app.login("officer@city.cn").await;
        let id = id_of(&officer, "city", &number).await;
        let v = step(&mut officer, "city", &id, "register", json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(v["deadline"]["state"], "no_calendar", "{v}");
        assert_eq!(v["summary"]["due_state"], "no_calendar");
        let t = track(&app, "city", &number, &code)
            .await
            .expect(StatusCode::OK);
        assert!(
            t["deadline"]["message"]
                .as_str()
                .unwrap()
                .contains("2027 holiday calendar is loaded"),
            "{t}"
        );
        let mut admin = app.admin().await;
        admin
        .put("/api/v1/calendar/years/2027", Some(json!({"source": "测试通知", "days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]})))
        .await
        .expect(StatusCode::NO_CONTENT);
        let n = gongkai::requests::jobs::recompute_all(&app.state.requests)
            .await
            .unwrap();
        assert!(n >= 1);
        let list = officer
            .get("/api/v1/tenants/city/requests")
            .await
            .expect(StatusCode::OK);
        let row = list
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["tracking_number"] == number)
            .unwrap();
        // 12-16..12-31 = 12 working days, 01-01 off, 01-04..01-11 = 6, 01-12 → the 20th... check the date is in 2027.
        assert!(
            row["due_on"].as_str().unwrap().starts_with("2027-01"),
            "{row}"
        );
        assert_eq!(row["due_state"], "due");
    }
);

both_backends!(outbox_delivers_through_real_smtp, |backend| async move {
    use gongkai::requests::mail::{run_once, Transport};
    // The server is down when the request is committed.
    let server = smtp::SmtpServer::reserve().await;
    let app = start_smtp(backend, Some(server.port)).await;
    let transport = Transport::from_config(&app.state.config).unwrap();
    let (number, _) = submit(&app, "city", person(Some("zhang@example.cn"))).await;
    assert_eq!(run_once(&app.state.requests, &transport).await.unwrap(), 0);
    let city = gongkai::tenancy::store::by_slug(&app.state.db, "city")
        .await
        .unwrap()
        .unwrap();
    let status = |state: gongkai::app::AppState, id: String| async move {
        let mut tx = state.db.tenant_read(&id).await.unwrap();
        let counts = gongkai::requests::mail::status_counts(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        counts
    };
    assert_eq!(
        status(app.state.clone(), city.id.clone()).await,
        vec![("pending".to_string(), 1)]
    );
    // Up again: after the backoff the message goes out, once.
    server.up().await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(run_once(&app.state.requests, &transport).await.unwrap(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(run_once(&app.state.requests, &transport).await.unwrap(), 0);
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["zhang@example.cn"]);
    let text = got[0].decoded();
    assert!(
        text.contains("已收到您的政府信息公开申请") && text.contains(&number),
        "{text}"
    );

    // The answer is delivered by e-mail with the reply document attached.
    let mut officer = app.login("officer@city.cn").await;
    let mut head = app.login("head@city.cn").await;
    let id = id_of(&officer, "city", &number).await;
    register_and_assign(&mut officer, &mut head, &id).await;
    step(
        &mut officer,
        "city",
        &id,
        "answer",
        json!({"outcome_code": "1"}),
    )
    .await
    .expect(StatusCode::OK);
    step(&mut head, "city", &id, "answer/approve", json!({}))
        .await
        .expect(StatusCode::OK);
    step(&mut officer, "city", &id, "deliver", json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(run_once(&app.state.requests, &transport).await.unwrap(), 1);
    let got = server.received();
    let answer = got.last().unwrap().decoded();
    assert!(
        answer.contains("答复书")
            && answer.contains(&format!("reply-{number}.txt"))
            && answer.contains("予以公开"),
        "{answer}"
    );

    // A permanent rejection marks the message failed; it is not retried.
    server.set_mode(smtp::Mode::RejectPermanent);
    submit(&app, "city", person(Some("nobody@example.cn"))).await;
    assert_eq!(run_once(&app.state.requests, &transport).await.unwrap(), 0);
    server.set_mode(smtp::Mode::Accept);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(run_once(&app.state.requests, &transport).await.unwrap(), 0);
    let counts = status(app.state.clone(), city.id.clone()).await;
    assert!(counts.contains(&("failed".to_string(), 1)), "{counts:?}");

    // A restart between commit and send: the message committed by one process is sent by
    // the next one's worker.
    server.down();
    submit(&app, "city", person(Some("restart@example.cn"))).await;
    let config = app.state.config.as_ref().clone();
    let next = gongkai::app::AppState::build(config).await.unwrap();
    server.up().await;
    gongkai::requests::spawn(&next.requests, &next.config);
    let mut delivered = false;
    for _ in 0..50 {
        if server
            .received()
            .iter()
            .any(|m| m.to == vec!["restart@example.cn"])
        {
            delivered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        delivered,
        "the restarted worker sends the committed message"
    );
    assert_eq!(
        server
            .received()
            .iter()
            .filter(|m| m.to == vec!["restart@example.cn"])
            .count(),
        1
    );
});

both_backends!(demo_requests_cover_every_state, |backend| async move {
    // The demo is seeded only into a database without other agencies.
    let app = TestApp::start_with(backend, |c| {
        c.clock_today = Some("2026-11-02".into());
        c.email_transport = "none".into();
    })
    .await;
    gongkai::app::demo::seed(&app.state).await.unwrap();
    // Idempotent.
    gongkai::app::demo::seed(&app.state).await.unwrap();
    let city = gongkai::tenancy::store::by_slug(&app.state.db, "demo-city")
        .await
        .unwrap()
        .unwrap();
    let list = gongkai::requests::service::list(&app.state.requests, &city, Default::default())
        .await
        .unwrap();
    assert_eq!(list.len(), 15);
    let mut phases: Vec<&str> = list.iter().map(|r| r.status.as_str()).collect();
    phases.sort();
    phases.dedup();
    for phase in [
        "received",
        "registered",
        "correction_requested",
        "corrected",
        "assigned",
        "consulting",
        "answer_drafted",
        "answer_reviewed",
        "answered",
        "closed",
        "withdrawn",
        "abandoned",
    ] {
        assert!(phases.contains(&phase), "{phase} in {phases:?}");
    }
    // As of 2026-11-30 some are overdue.
    app.state.clock.set_today(d(2026, 11, 30));
    let overdue = gongkai::requests::service::list(
        &app.state.requests,
        &city,
        gongkai::requests::service::ListQuery {
            overdue: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(!overdue.is_empty());
});

async fn outbox_kinds(app: &TestApp, slug: &str) -> Vec<String> {
    let tenant = gongkai::tenancy::store::by_slug(&app.state.db, slug)
        .await
        .unwrap()
        .unwrap();
    let mut tx = app.state.db.tenant_read(&tenant.id).await.unwrap();
    let rows = tx
        .query("SELECT kind FROM email_outbox WHERE tenant_id = $1 ORDER BY created_at, id")
        .fetch_all(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    rows.iter().map(|r| r.get::<String, _>("kind")).collect()
}

both_backends!(
    reminders_rate_limit_and_applicant_mail,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.request_submissions_per_address_per_hour = 3;
            c.clock_today = Some("2026-11-02".into());
            c.email_transport = "none".into();
        })
        .await;
        let city = app.create_tenant("city", None).await;
        let officer_user = app
            .add_member(&city, "officer@city.cn", "request_officer")
            .await;
        app.add_member(&city, "head@city.cn", "approver").await;
        app.add_member(&city, "boss@city.cn", "tenant_admin").await;
        let mut officer = app.login("officer@city.cn").await;
        let mut head = app.login("head@city.cn").await;

        let (number, _) = submit(&app, "city", person(Some("zhang@example.cn"))).await;
        let id = id_of(&officer, "city", &number).await;
        step(&mut officer, "city", &id, "register", json!({}))
            .await
            .expect(StatusCode::OK);
        step(
            &mut head,
            "city",
            &id,
            "assign",
            json!({"assignee_id": officer_user.id}),
        )
        .await
        .expect(StatusCode::OK);
        step(
            &mut head,
            "city",
            &id,
            "extend",
            json!({"working_days": 3, "reason": "档案量大"}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            outbox_kinds(&app, "city").await,
            ["acknowledgement", "staff_assigned", "extension_notice"]
        );
        // Due 2026-11-30 + 3 = Thu 12-03. Five working days before: Thu 11-26; one: Wed 12-02.
        let sweep = |day| gongkai::requests::jobs::sweep(&app.state.requests, day);
        sweep(d(2026, 11, 25)).await.unwrap();
        assert_eq!(outbox_kinds(&app, "city").await.len(), 3);
        sweep(d(2026, 11, 26)).await.unwrap();
        sweep(d(2026, 11, 26)).await.unwrap();
        sweep(d(2026, 12, 2)).await.unwrap();
        sweep(d(2026, 12, 4)).await.unwrap();
        sweep(d(2026, 12, 4)).await.unwrap();
        let kinds = outbox_kinds(&app, "city").await;
        assert_eq!(
            kinds[3..],
            [
                "staff_due_in_5",
                "staff_due_in_1",
                "staff_overdue",
                "staff_overdue"
            ],
            "once each; overdue also to the tenant admin"
        );

        // Submissions per address are limited (3 per hour here: one was used above).
        let mut anon = app.anonymous();
        anon.post("/api/v1/portal/city/requests", person(None))
            .await
            .expect(StatusCode::CREATED);
        anon.post("/api/v1/portal/city/requests", person(None))
            .await
            .expect(StatusCode::CREATED);
        let r = anon
            .post("/api/v1/portal/city/requests", person(None))
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    }
);

/// Personal data never reaches the logs: every log line of this test binary (all tests
/// run in it, at DEBUG) is captured and searched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_data_is_not_logged() {
    use std::io::Write;
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber)
        .expect("the only subscriber of this binary");
    let app = start(gongkai::kernel::db::Backend::Sqlite).await;
    let (number, code) = submit(&app, "city", person(Some("zhang@example.cn"))).await;
    let mut officer = app.login("officer@city.cn").await;
    let id = id_of(&officer, "city", &number).await;
    step(&mut officer, "city", &id, "register", json!({}))
        .await
        .expect(StatusCode::OK);
    officer
        .get(&format!("/api/v1/tenants/city/requests/{id}"))
        .await
        .expect(StatusCode::OK);
    track(&app, "city", &number, &code)
        .await
        .expect(StatusCode::OK);
    let mut bad = person(Some("zhang@example.cn"));
    bad["id_number"] = json!("110105194912310021");
    app.anonymous()
        .post("/api/v1/portal/city/requests", bad)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let logs = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.is_empty(), "logs were captured");
    for secret in [
        ID,
        "110105194912310021",
        "13800138000",
        "zhang@example.cn",
        "张三",
        "人民路",
        "道路维修",
        &code,
    ] {
        assert!(!logs.contains(secret), "the logs hold {secret}");
    }
}

// Separation of duties on answers, as on items: whoever drafted an answer may neither
// approve nor return it; another approver may.
both_backends!(
    whoever_drafted_an_answer_may_not_review_it,
    |backend| async move {
        let app = start(backend).await;
        let city = gongkai::tenancy::store::by_slug(&app.state.db, "city")
            .await
            .unwrap()
            .unwrap();
        // The head both handles and approves.
        app.add_member(&city, "head@city.cn", "request_officer")
            .await;
        app.add_member(&city, "deputy@city.cn", "approver").await;
        let mut officer = app.login("officer@city.cn").await;
        let mut head = app.login("head@city.cn").await;
        let mut deputy = app.login("deputy@city.cn").await;
        let (number, _) = submit(&app, "city", person(None)).await;
        let id = id_of(&officer, "city", &number).await;
        register_and_assign(&mut officer, &mut head, &id).await;
        step(
            &mut head,
            "city",
            &id,
            "answer",
            json!({"outcome_code": "3.4"}),
        )
        .await
        .expect(StatusCode::OK);
        let refused = step(&mut head, "city", &id, "answer/approve", json!({}))
            .await
            .expect(StatusCode::FORBIDDEN);
        assert!(refused.to_string().contains("drafted"), "{refused}");
        step(
            &mut head,
            "city",
            &id,
            "answer/return",
            json!({"comments": "自己退回"}),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
        let approved = step(&mut deputy, "city", &id, "answer/approve", json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(approved["answers"][0]["status"], "approved", "{approved}");
    }
);

// The acknowledgement's tracking link is built on `public_base_url`.
both_backends!(mail_links_use_the_public_base_url, |backend| async move {
    let app = TestApp::start_with(backend, |c| {
        c.email_transport = "none".into();
        c.public_base_url = Some("https://gongkai.example.cn/".into());
    })
    .await;
    app.create_tenant("city", None).await;
    let reply = app
        .http
        .post(app.url("/api/v1/portal/city/requests"))
        .header("host", "evil.example")
        .json(&person(Some("zhang@example.cn")))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::CREATED);
    let receipt: Value = reply.json().await.unwrap();
    let link = receipt["track_url"].as_str().unwrap();
    assert!(
        link.starts_with("https://gongkai.example.cn/api/v1/portal/city/requests/"),
        "{link}"
    );
});

// Oversight reads a child agency's request as a projection (status, dates, outcome,
// counts) with nothing of the applicant and no request text; a handler, who holds
// `requests:personal_data`, reads it in full, and each such read is in the audit chain.
both_backends!(
    oversight_sees_no_personal_data_and_full_reads_are_audited,
    |backend| async move {
        let app = start(backend).await;
        let city = gongkai::tenancy::store::by_slug(&app.state.db, "city")
            .await
            .unwrap()
            .unwrap();
        let edu = app.create_tenant("edu", Some("city")).await;
        app.add_member(&city, "overseer@city.cn", "overseer").await;
        app.add_member(&edu, "officer@edu.cn", "request_officer")
            .await;
        app.add_member(&edu, "boss@edu.cn", "tenant_admin").await;
        let (number, _) = submit(&app, "edu", person(Some("zhang@example.cn"))).await;
        let officer = app.login("officer@edu.cn").await;
        let id = id_of(&officer, "edu", &number).await;
        let path = format!("/api/v1/tenants/edu/requests/{id}");

        for reader in ["overseer@city.cn", "boss@edu.cn"] {
            let seen = app
                .login(reader)
                .await
                .get(&path)
                .await
                .expect(StatusCode::OK);
            assert_eq!(seen["view"], "oversight", "{reader}: {seen}");
            assert_eq!(seen["summary"]["tracking_number"], number.as_str());
            let text = seen.to_string();
            for private in [
                ID,
                "张三",
                "13800138000",
                "示例市人民路1号",
                "道路维修资金",
                "zhang@example.cn",
            ] {
                assert!(!text.contains(private), "{reader} saw {private}: {text}");
            }
        }

        for _ in 0..2 {
            let full = officer.get(&path).await.expect(StatusCode::OK);
            assert_eq!(full["view"], "full");
            assert_eq!(full["applicant"]["id_number"], ID);
        }
        let audit = app
            .login("boss@edu.cn")
            .await
            .get("/api/v1/tenants/edu/audit")
            .await
            .expect(StatusCode::OK);
        let reads: Vec<&Value> = audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "request.personal_data.read")
            .collect();
        assert_eq!(reads.len(), 2, "{audit}");
        assert!(reads
            .iter()
            .all(|e| e["actor"] == "officer@edu.cn" && e["target_id"] == id.as_str()));
    }
);

/// Files a remedy (kind, day filed) against the request at `path`, records its result
/// (result, day decided), and answers 2026's table 4.
async fn remedy_decided(
    officer: &mut Client,
    path: &str,
    (kind, filed_on): (&str, &str),
    (result, decided_on): (&str, &str),
) -> Value {
    let remedy = officer
        .post(
            &format!("{path}/remedies"),
            json!({"kind": kind, "filed_on": filed_on}),
        )
        .await
        .expect(StatusCode::CREATED);
    officer
        .patch(
            &format!(
                "/api/v1/tenants/city/remedies/{}",
                remedy["id"].as_str().unwrap()
            ),
            json!({"result": result, "decided_on": decided_on}),
        )
        .await
        .expect(StatusCode::OK);
    officer
        .get("/api/v1/tenants/city/remedies/table?year=2026")
        .await
        .expect(StatusCode::OK)
}
