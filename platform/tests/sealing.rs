//! Sealed openings through the API, on both backends, with the procurement plugin's bid
//! kind: holders register keys; an opening is made (bad input refused in one 422); bids
//! arrive, are replaced and withdrawn before the deadline and refused after it; the
//! prices and documents are ciphertext in every column of every table and every file of
//! the object store; contributions are refused before the opening time, from someone who
//! is not a holder, with a wrong passphrase and with a share altered in storage; k − 1
//! holders leave everything sealed, k open it; the audit chain shows the ceremony.

mod common;

use chrono::NaiveDate;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;

const PRICE_A: &str = "1234567.89";
const PRICE_B_FIRST: &str = "999000.55";
const PRICE_B: &str = "888000.66";
const PRICE_C: &str = "777000.77";
const DOCUMENT_MARKER: &str = "TECHNICAL-PLAINTEXT-7f3a 技术方案：全部设备国产化";
const CODE_A: &str = "91350100M000100Y43";

fn passphrase(i: usize) -> String {
    format!("holder {i} passphrase, long enough")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn install_procurement(app: &TestApp) -> String {
    let repo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::var("GKTEST_PLUGINS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| repo.join("target/plugins"));
    let bytes = std::fs::read(dir.join("procurement.wasm"))
        .expect("scripts/build-plugins has built procurement.wasm");
    let admin = app.admin().await;
    let package = admin
        .raw(
            reqwest::Method::POST,
            "/api/v1/plugins",
            Some(bytes),
            "application/wasm",
        )
        .await
        .0
        .expect(StatusCode::CREATED);
    package["version"].as_str().unwrap().to_string()
}

async fn user_id(client: &Client) -> String {
    client.get("/api/v1/auth/me").await.expect(StatusCode::OK)["user"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn bid(supplier: &str, price: &str) -> Value {
    json!({"fields": {
        "project_number": "SZCG2026-118",
        "supplier": supplier,
        "supplier_code": CODE_A,
        "price": price,
    }})
}

/// A bidder's call with the bid's token.
async fn as_bidder(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Vec<u8>>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(method, app.url(path))
        .header("gongkai-bid-token", token);
    if let Some(body) = body {
        // JSON bodies (fields) and raw files (documents).
        let content_type = if body.first() == Some(&b'{') {
            "application/json"
        } else {
            "application/octet-stream"
        };
        req = req.header("content-type", content_type).body(body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Every text value of every table, as the database owner sees it.
async fn every_stored_text(app: &TestApp) -> Vec<(String, String)> {
    let mut conn = app.owner_connection().await;
    let tables_sql = if app.db.backend == gongkai::kernel::db::Backend::Postgres {
        "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public'"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table'"
    };
    let tables: Vec<String> = sqlx::query(tables_sql)
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("name"))
        // The migrations' own bookkeeping holds no data (and types the Any driver lacks);
        // PostgreSQL's search index is a tsvector (made from search_documents' public
        // text, which is read here), another type the Any driver lacks.
        .filter(|t| !t.starts_with("_sqlx") && t != "search_terms")
        .collect();
    assert!(tables.iter().any(|t| t == "sealed_parts"), "{tables:?}");
    let mut out = Vec::new();
    for table in tables {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        for row in &rows {
            for i in 0..row.len() {
                if let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) {
                    out.push((table.clone(), text));
                }
            }
        }
    }
    out
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

async fn audit_actions(client: &Client) -> Vec<(String, Value)> {
    let page = client
        .get("/api/v1/tenants/buyer/audit?limit=500")
        .await
        .expect(StatusCode::OK);
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                serde_json::from_str(e["details"].as_str().unwrap()).unwrap(),
            )
        })
        .collect()
}

both_backends!(
    sealed_bids_open_only_with_k_of_n_holders,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.clock_today = Some("2026-12-07".into());
        })
        .await;
        let version = install_procurement(&app).await;
        let tenant = app
            .staffed("buyer", None, &["tenant_admin", "editor", "auditor"])
            .await;
        for i in 1..=4 {
            app.add_member(&tenant, &format!("holder{i}@buyer.cn"), "key_holder")
                .await;
        }
        let mut boss = app.login("tenant_admin@buyer.cn").await;
        boss.put(
            "/api/v1/tenants/buyer/plugins/procurement",
            Some(json!({"version": version, "enabled": true})),
        )
        .await
        .expect(StatusCode::OK);
        let mut editor = app.login("editor@buyer.cn").await;
        let mut holders = Vec::new();
        for i in 1..=4 {
            holders.push(app.login(&format!("holder{i}@buyer.cn")).await);
        }
        let mut ids = Vec::new();
        for h in &holders {
            ids.push(user_id(h).await);
        }

        // Keys: only holders make one, with a passphrase of 12 characters or more.
        editor
            .put(
                "/api/v1/tenants/buyer/sealing/key",
                Some(json!({"passphrase": passphrase(0)})),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        let short = holders[0]
            .put(
                "/api/v1/tenants/buyer/sealing/key",
                Some(json!({"passphrase": "short"})),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&short), ["passphrase"]);
        for (i, h) in holders.iter_mut().enumerate().take(3) {
            let key = h
                .put(
                    "/api/v1/tenants/buyer/sealing/key",
                    Some(json!({"passphrase": passphrase(i)})),
                )
                .await
                .expect(StatusCode::OK);
            assert!(key["recipient"].as_str().unwrap().starts_with("age1"));
        }

        // An opening with everything wrong: one 422 naming every field, nothing stored.
        let refused = editor
            .post(
                "/api/v1/tenants/buyer/openings",
                json!({"title": "", "reference": "SZCG2026-118", "kind": "procurement/tender",
                   "deadline_at": "2026-12-01T09:00:00+08:00",
                   "opening_at": "2026-11-30T09:00:00+08:00",
                   "threshold": 5, "holders": [ids[0], ids[3]]}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let mut fields = error_fields(&refused);
        fields.sort();
        assert_eq!(
            fields,
            [
                "deadline_at",
                "holders[1]",
                "kind",
                "opening_at",
                "threshold",
                "title"
            ],
            "{refused}"
        );
        // A holder named twice is one holder: refused, whatever the threshold.
        let twice = editor
            .post(
                "/api/v1/tenants/buyer/openings",
                json!({"title": "开标", "reference": "SZCG2026-118", "kind": "procurement/bid",
                       "deadline_at": "2026-12-14T09:00:00+08:00",
                       "opening_at": "2026-12-14T09:30:00+08:00",
                       "holders": [ids[0], ids[0], ids[1]]}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&twice), ["holders"], "{twice}");
        let opening = editor
            .post(
                "/api/v1/tenants/buyer/openings",
                json!({"title": "示范区智慧路灯采购项目开标", "reference": "SZCG2026-118",
                   "kind": "procurement/bid",
                   "deadline_at": "2026-12-14T09:00:00+08:00",
                   "opening_at": "2026-12-14T09:30:00+08:00",
                   "threshold": 2, "holders": [ids[0], ids[1], ids[2]]}),
            )
            .await
            .expect(StatusCode::CREATED);
        let id = opening["id"].as_str().unwrap().to_string();
        assert_eq!(opening["status"], "receiving");
        assert_eq!(opening["holders"].as_array().unwrap().len(), 3);
        let opening_path = format!("/api/v1/tenants/buyer/openings/{id}");
        let public_path = format!("/api/v1/public/buyer/openings/{id}");
        assert_eq!(
            app.anonymous()
                .get(&public_path)
                .await
                .expect(StatusCode::OK)["deadline_at"],
            "2026-12-14T01:00:00Z"
        );
        // A holder who has a share may not replace their key while the opening is unopened.
        holders[0]
            .put(
                "/api/v1/tenants/buyer/sealing/key",
                Some(json!({"passphrase": passphrase(9)})),
            )
            .await
            .expect(StatusCode::CONFLICT);

        // Bids: a malformed one is refused with every problem, and nothing is kept.
        let mut bidder = app.anonymous();
        let bids_path = format!("{public_path}/bids");
        let mut bad = bid("甲公司", "12.345");
        bad["fields"]["supplier_code"] = json!("91350100M000100Y44");
        bad["fields"]["colour"] = json!("red");
        let problem = bidder
            .post(&bids_path, bad.clone())
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&problem), ["fields.colour"]);
        bad["fields"].as_object_mut().unwrap().remove("colour");
        let problem = bidder
            .post(&bids_path, bad)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let mut fields = error_fields(&problem);
        fields.sort();
        assert_eq!(
            fields,
            ["fields.price", "fields.supplier_code"],
            "{problem}"
        );
        assert_eq!(
            editor.get(&opening_path).await.expect(StatusCode::OK)["bids"],
            0
        );

        // Bid A with a sealed technical document; bid B replaced; bid C withdrawn.
        let a = bidder
            .post(&bids_path, bid("甲科技有限公司", PRICE_A))
            .await
            .expect(StatusCode::CREATED);
        let a_id = a["bid_id"].as_str().unwrap().to_string();
        let a_token = a["token"].as_str().unwrap().to_string();
        assert_eq!(a["receipt_hash"].as_str().unwrap().len(), 64);
        let document = format!("%PDF-1.4\n{DOCUMENT_MARKER}\n")
            .repeat(200)
            .into_bytes();
        let (status, slot_refused) = as_bidder(
            &app,
            reqwest::Method::PUT,
            &format!("{bids_path}/{a_id}/documents/price?name=x.pdf"),
            &a_token,
            Some(document.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{slot_refused}");
        let (status, a_receipt) = as_bidder(
            &app,
            reqwest::Method::PUT,
            &format!("{bids_path}/{a_id}/documents/technical?name=技术文件.pdf"),
            &a_token,
            Some(document.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{a_receipt}");
        // An empty file is refused; without the bid's token nothing is shown; an unknown
        // opening takes no bid.
        let (status, empty) = as_bidder(
            &app,
            reqwest::Method::PUT,
            &format!("{bids_path}/{a_id}/documents/commercial?name=空.pdf"),
            &a_token,
            Some(Vec::new()),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{empty}");
        assert_eq!(error_fields(&empty), ["body"]);
        app.anonymous()
            .get(&format!("{bids_path}/{a_id}"))
            .await
            .expect(StatusCode::FORBIDDEN);
        bidder
            .post(
                "/api/v1/public/buyer/openings/0190d1e0-0000-7000-8000-000000000000/bids",
                bid("甲科技有限公司", PRICE_A),
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        assert_ne!(a_receipt["receipt_hash"], a["receipt_hash"]);
        let b = bidder
            .post(&bids_path, bid("乙建设集团", PRICE_B_FIRST))
            .await
            .expect(StatusCode::CREATED);
        let b_id = b["bid_id"].as_str().unwrap().to_string();
        let b_token = b["token"].as_str().unwrap().to_string();
        let (status, _) = as_bidder(
            &app,
            reqwest::Method::PUT,
            &format!("{bids_path}/{b_id}"),
            &a_token,
            Some(bid("乙建设集团", PRICE_B).to_string().into_bytes()),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "another bid's token");
        let replaced = reqwest::Client::new()
            .put(app.url(&format!("{bids_path}/{b_id}")))
            .header("gongkai-bid-token", &b_token)
            .json(&bid("乙建设集团", PRICE_B))
            .send()
            .await
            .unwrap();
        assert_eq!(replaced.status(), StatusCode::OK);
        let b_receipt: Value = replaced.json().await.unwrap();
        let c = bidder
            .post(&bids_path, bid("丙公司", PRICE_C))
            .await
            .expect(StatusCode::CREATED);
        let (status, _) = as_bidder(
            &app,
            reqwest::Method::DELETE,
            &format!("{bids_path}/{}", c["bid_id"].as_str().unwrap()),
            c["token"].as_str().unwrap(),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);

        // Before the opening, staff see receipts and clear fields only.
        let bids = editor
            .get(&format!("{opening_path}/bids"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(bids.as_array().unwrap().len(), 2);
        assert_eq!(bids[0]["clear_fields"]["supplier"], "甲科技有限公司");
        assert!(bids[0]["clear_fields"].get("price").is_none());
        assert_eq!(bids[0]["opened_fields"], Value::Null);
        let document_path = format!("{opening_path}/bids/{a_id}/documents/technical");
        editor
            .get(&document_path)
            .await
            .expect(StatusCode::CONFLICT);

        // Ciphertext only: no price and no document text in any column or stored file.
        let secrets = [
            PRICE_A,
            PRICE_B_FIRST,
            PRICE_B,
            PRICE_C,
            "TECHNICAL-PLAINTEXT-7f3a",
        ];
        for (table, text) in every_stored_text(&app).await {
            for secret in secrets {
                assert!(!text.contains(secret), "{table} holds {secret} in clear");
            }
        }
        let objects = files_under(&app.db.dir().join("objects"));
        assert!(!objects.is_empty());
        for file in objects {
            let bytes = std::fs::read(&file).unwrap();
            for secret in secrets {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{} holds {secret}",
                    file.display()
                );
            }
        }

        // Before the opening time, no share is accepted.
        let contribution = format!("{opening_path}/contributions");
        holders[0]
            .post(&contribution, json!({"passphrase": passphrase(0)}))
            .await
            .expect(StatusCode::CONFLICT);

        // After the deadline, nothing is received or changed.
        app.state.clock.set_today(day(2026, 12, 15));
        bidder
            .post(&bids_path, bid("丁公司", "1.00"))
            .await
            .expect(StatusCode::CONFLICT);
        let (status, _) = as_bidder(
            &app,
            reqwest::Method::DELETE,
            &format!("{bids_path}/{a_id}"),
            &a_token,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // Someone who is not a holder of this opening: 403, recorded.
        holders[3]
            .put(
                "/api/v1/tenants/buyer/sealing/key",
                Some(json!({"passphrase": passphrase(3)})),
            )
            .await
            .expect(StatusCode::OK);
        holders[3]
            .post(&contribution, json!({"passphrase": passphrase(3)}))
            .await
            .expect(StatusCode::FORBIDDEN);
        editor
            .post(&contribution, json!({"passphrase": passphrase(0)}))
            .await
            .expect(StatusCode::FORBIDDEN);

        // Holder 3's share of bid A's fields is replaced in storage by a share of someone
        // else's making, encrypted to holder 3's public key: detected and named.
        let recipient = opening["holders"][2]["recipient"]
            .as_str()
            .unwrap()
            .to_string();
        let forged = gongkai_seal::seal(b"x", "p", 2, &[recipient.clone(), recipient]).unwrap();
        {
            use base64::Engine;
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(&forged.shares[0].encrypted);
            let mut conn = app.owner_connection().await;
            let changed = sqlx::query(
            "UPDATE sealed_shares SET encrypted = $1 WHERE bid_id = $2 AND part = 'fields' AND user_id = $3",
        )
        .bind(encoded)
        .bind(a_id.clone())
        .bind(ids[2].clone())
        .execute(&mut conn)
        .await
        .unwrap();
            assert_eq!(changed.rows_affected(), 1);
        }
        let mismatch = holders[2]
            .post(&contribution, json!({"passphrase": passphrase(2)}))
            .await
            .expect(StatusCode::CONFLICT);
        let message = mismatch["detail"].as_str().unwrap();
        assert!(
            message.contains("holder 3") && message.contains(&a_id) && message.contains("`fields`"),
            "{message}"
        );

        // A wrong passphrase: refused, recorded.
        let wrong = holders[0]
            .post(&contribution, json!({"passphrase": passphrase(1)}))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&wrong), ["passphrase"]);

        // k − 1 = 1 holder: everything stays sealed.
        let first = holders[0]
            .post(&contribution, json!({"passphrase": passphrase(0)}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(first["shares"], 3, "A's fields and document, B's fields");
        assert_eq!(first["opening"]["status"], "closed");
        editor
            .get(&document_path)
            .await
            .expect(StatusCode::CONFLICT);
        holders[0]
            .post(&contribution, json!({"passphrase": passphrase(0)}))
            .await
            .expect(StatusCode::CONFLICT);

        // k = 2: opened.
        let second = holders[1]
            .post(&contribution, json!({"passphrase": passphrase(1)}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(second["opening"]["status"], "opened");
        let bids = editor
            .get(&format!("{opening_path}/bids"))
            .await
            .expect(StatusCode::OK);
        let prices: Vec<&str> = bids
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["opened_fields"]["price"].as_str().unwrap())
            .collect();
        assert_eq!(prices, [PRICE_A, PRICE_B]);
        let auditor = app.login("auditor@buyer.cn").await;
        let opened_document = auditor
            .raw(reqwest::Method::GET, &document_path, None, "")
            .await
            .0;
        assert_eq!(opened_document.status, StatusCode::OK);
        assert_eq!(
            opened_document.body.as_str().unwrap().as_bytes(),
            document.as_slice()
        );
        holders[2]
            .post(&contribution, json!({"passphrase": passphrase(2)}))
            .await
            .expect(StatusCode::CONFLICT);

        // The audit chain shows the refusals and the ceremony with both receipts.
        let actions = audit_actions(&boss).await;
        let count = |name: &str| actions.iter().filter(|(a, _)| a == name).count();
        assert_eq!(count("sealing.contribution.refused"), 3, "{actions:?}");
        assert_eq!(count("sealing.share.mismatch"), 1);
        assert_eq!(count("sealing.contribution"), 2);
        let (_, opened) = actions
            .iter()
            .find(|(a, _)| a == "sealing.opened")
            .expect("the opening is recorded");
        let contributors: Vec<&str> = opened["contributors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["user"].as_str().unwrap())
            .collect();
        assert_eq!(contributors, [ids[0].as_str(), ids[1].as_str()]);
        let receipts: Vec<&str> = opened["bids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["receipt_hash"].as_str().unwrap())
            .collect();
        assert_eq!(
            receipts,
            [
                a_receipt["receipt_hash"].as_str().unwrap(),
                b_receipt["receipt_hash"].as_str().unwrap()
            ]
        );
        assert_eq!(opened["failed"], json!([]));
        let verified = boss
            .get("/api/v1/tenants/buyer/audit/verify")
            .await
            .expect(StatusCode::OK);
        assert_eq!(verified["intact"], true, "{verified}");

        // Another agency reaches nothing of it by id.
        app.staffed("other", None, &["tenant_admin"]).await;
        let stranger = app.login("tenant_admin@other.cn").await;
        stranger
            .get(&format!("/api/v1/tenants/other/openings/{id}"))
            .await
            .expect(StatusCode::NOT_FOUND);
        stranger
            .get(&opening_path)
            .await
            .expect(StatusCode::FORBIDDEN);
    }
);
