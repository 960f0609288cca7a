//! Documents applicants send with their requests (an ID copy), on both backends: the
//! request form takes one beside the other fields, keeps every value when the file is
//! refused, and stores it sealed; the applicant can add one later through the API; only
//! readers of the applicant's data fetch it (audited), never an overseer, never another
//! agency.

mod common;

use common::pages::*;
use common::*;
use reqwest::StatusCode;
use serde_json::json;

/// A PNG: the signature and the start of its header, enough to be recognised.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0ID-COPY-MARKER";

/// The bytes a staff client downloads from `path`, with its session.
async fn download(app: &TestApp, client: &Client, path: &str) -> (StatusCode, Vec<u8>) {
    let res = app
        .http
        .get(app.url(path))
        .header("cookie", client.cookie.clone().unwrap_or_default())
        .send()
        .await
        .unwrap();
    (res.status(), res.bytes().await.unwrap().to_vec())
}

both_backends!(
    an_id_copy_goes_sealed_to_readers_of_applicant_data,
    |backend| async move {
        let app = TestApp::start(backend).await;
        app.staffed("city", None, &["overseer"]).await;
        app.staffed("edu", Some("city"), &["request_officer"]).await;
        app.staffed("other", None, &["request_officer"]).await;

        let form = get(&app, "/edu/apply").await.expect(StatusCode::OK);
        assert!(form.text.contains("enctype=\"multipart/form-data\""));
        assert!(form.text.contains("id=\"f-document\""));
        let cookie = set_cookie(&form, "gk-form");
        let (token, key) = (form.hidden("token"), form.hidden("idempotency_key"));
        let fields = [
            ("token", token.as_str()),
            ("idempotency_key", key.as_str()),
            ("applicant_type", "person"),
            ("name", "王五"),
            ("id_type", "resident_id"),
            ("id_number", "11010519491231002X"),
            ("phone", "13812345678"),
            ("description", "请公开本区2026年义务教育阶段招生划片范围"),
            ("delivery_method", "online"),
            ("delivery_form", "electronic"),
        ];
        let headers = [("cookie", cookie.as_str())];

        // A file that is not a photo or a PDF, and one over the limit: the form again with
        // the message beside the file input and every value kept; no request is made.
        for (name, bytes) in [
            ("id.html", b"<html><script>alert(1)</script>".to_vec()),
            ("id.png", {
                let mut big = PNG.to_vec();
                big.resize(5 * 1024 * 1024 + 1, 0);
                big
            }),
        ] {
            let refused = post_multipart(
                &app,
                "/edu/apply",
                &headers,
                &fields,
                &[("document", name, &bytes)],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                refused.text.contains("id=\"err-document\""),
                "{}",
                refused.text
            );
            assert!(refused.text.contains("value=\"王五\""));
            assert!(refused
                .text
                .contains("请公开本区2026年义务教育阶段招生划片范围"));
            assert_eq!(refused.hidden("idempotency_key"), key);
        }
        // Another field wrong while the file was fine: the reader is asked to choose the
        // file again (a browser cannot refill a file input).
        let mut wrong = fields;
        wrong[5] = ("id_number", "110105194912310021");
        let again = post_multipart(
            &app,
            "/edu/apply",
            &headers,
            &wrong,
            &[("document", "id.png", PNG)],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.text.contains("id=\"err-id_number\"") && again.text.contains("请重新选择"));

        // Accepted: a receipt; sent twice (double click), still one request with one document.
        let receipt = post_multipart(
            &app,
            "/edu/apply",
            &headers,
            &fields,
            &[("document", "身份证.png", PNG)],
        )
        .await
        .expect(StatusCode::OK);
        let number = between(&receipt.text, "id=\"tracking-number\">", "<");
        let code = between(&receipt.text, "id=\"access-code\">", "<");
        let twice = post_multipart(
            &app,
            "/edu/apply",
            &headers,
            &fields,
            &[("document", "身份证.png", PNG)],
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(between(&twice.text, "id=\"tracking-number\">", "<"), number);

        let officer = app.login("request_officer@edu.cn").await;
        let listed = officer
            .get("/api/v1/tenants/edu/requests")
            .await
            .expect(StatusCode::OK);
        let id = listed.as_array().unwrap()[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let read = officer
            .get(&format!("/api/v1/tenants/edu/requests/{id}"))
            .await
            .expect(StatusCode::OK);
        let docs = read["documents"].as_array().unwrap().clone();
        assert_eq!(docs.len(), 1, "{read}");
        assert_eq!(docs[0]["file_name"], "身份证.png");
        assert_eq!(docs[0]["media_type"], "image/png");
        let doc = docs[0]["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/tenants/edu/requests/{id}/documents/{doc}");
        let (status, bytes) = download(&app, &officer, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(bytes, PNG);

        // At rest the bytes are sealed: nothing in the object store holds them in clear.
        let mut stored = Vec::new();
        let mut dirs = vec![app.state.config.data_dir.join("objects")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                if entry.file_type().unwrap().is_dir() {
                    dirs.push(entry.path());
                } else {
                    stored.push(std::fs::read(entry.path()).unwrap());
                }
            }
        }
        assert!(!stored.is_empty());
        assert!(stored
            .iter()
            .all(|b| !b.windows(14).any(|w| w == b"ID-COPY-MARKER")));

        // The fetch is in the audit chain.
        let mut conn = app.owner_connection().await;
        let (reads,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM audit_log WHERE action = 'request.document.read'")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        assert_eq!(reads, 1);

        // The parent's overseer reads the request's status, not the document; another
        // agency's officer and a guessed id get 404.
        let overseer = app.login("overseer@city.cn").await;
        assert_eq!(
            download(&app, &overseer, &path).await.0,
            StatusCode::FORBIDDEN
        );
        let stranger = app.login("request_officer@other.cn").await;
        let elsewhere = format!("/api/v1/tenants/other/requests/{id}/documents/{doc}");
        assert_eq!(
            download(&app, &stranger, &elsewhere).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            download(&app, &stranger, &path).await.0,
            StatusCode::FORBIDDEN
        );
        let guessed = format!("/api/v1/tenants/edu/requests/{id}/documents/nope");
        assert_eq!(
            download(&app, &officer, &guessed).await.0,
            StatusCode::NOT_FOUND
        );

        // The applicant adds a scan later through the API with the access code; a wrong
        // code looks like an unknown number; an SVG is refused; after withdrawal, 409.
        let api = format!("/api/v1/portal/edu/requests/{number}/documents?name=scan.pdf");
        let send = |code: String, body: Vec<u8>| {
            let (app, api) = (&app, api.clone());
            async move {
                app.http
                    .post(app.url(&api))
                    .header("x-access-code", code)
                    .body(body)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let added = send(code.clone(), b"%PDF-1.7\n1 0 obj\n".to_vec()).await;
        assert_eq!(added.status(), StatusCode::CREATED);
        let added: serde_json::Value = added.json().await.unwrap();
        assert_eq!(added["media_type"], "application/pdf");
        assert_eq!(
            send("WRONGCODE1".into(), b"%PDF-1.7\n".to_vec())
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        let svg = send(code.clone(), b"<svg onload=\"alert(1)\"/>".to_vec()).await;
        assert_eq!(svg.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(svg.text().await.unwrap().contains("document"));
        let withdrawn = app
            .http
            .post(app.url(&format!("/api/v1/portal/edu/requests/{number}/withdraw")))
            .header("x-access-code", code.clone())
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(withdrawn.status(), StatusCode::OK);
        let late = send(code.clone(), b"%PDF-1.7\n".to_vec()).await;
        assert_eq!(late.status(), StatusCode::CONFLICT);
    }
);
