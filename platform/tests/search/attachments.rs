//! The text the confidentiality scan extracts from attachments (PDF, DOCX, plain text) is
//! in the index once the item is published, with the values the reviewer masked taken
//! out; not before publication, and not after a withdrawal. (Only a text attachment can
//! be masked: a finding in a PDF or DOCX is kept with a reason or the file replaced.)

use super::*;

/// Uploads `bytes` as attachment `name` of a draft.
async fn upload(ed: &Client, slug: &str, id: &str, name: &str, bytes: Vec<u8>) {
    let url = format!(
        "/api/v1/tenants/{slug}/items/{id}/attachments?name={}",
        enc(name)
    );
    let (reply, _) = ed
        .raw(Method::POST, &url, Some(bytes), "application/octet-stream")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

both_backends!(
    attachment_text_is_found_and_its_masked_values_are_not,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let (mut ed, nodes) = tenant(&app, "city", None).await;
        let gzdt = node(&nodes, "GZDT").to_string();
        let id = draft(
            &mut ed,
            "city",
            &gzdt,
            "二〇二五年补贴发放公示",
            "名单详见附件。",
            json!({}),
            "news",
        )
        .await;
        let pdf = files::pdf_with_lines(&["Snowplow procurement schedule", "Amount: 3000"]);
        upload(&ed, "city", &id, "清单.pdf", pdf).await;
        let docx =
            files::docx_with_runs(&[&["冷链物流补贴", "申报指南"], &["申报截止日期为六月底。"]]);
        upload(&ed, "city", &id, "指南.docx", docx).await;
        // An ID number in a text attachment, which the reviewer masks.
        let txt = format!("农机购置补贴联系人身份证号 {ID_NUMBER}，请核对。");
        upload(&ed, "city", &id, "联系人.txt", txt.into_bytes()).await;

        // Submitted but not published: not searchable.
        ed.post(
            &format!("/api/v1/tenants/city/items/{id}/submit"),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            search(&app, "city", &format!("q={}", enc("冷链物流"))).await["total"],
            0
        );
        // The reviewer masks the finding in the text file; published.
        let findings = review_and_publish(&app, &mut ed, "city", &id).await;
        let on_files = findings
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["field"].as_str().unwrap().starts_with("attachments.")
                    && f["matched"] == ID_NUMBER
            })
            .count();
        assert_eq!(on_files, 1, "{findings}");

        // The words of each file find the item, with a snippet from the file's text.
        for q in [
            "冷链物流",
            "申报指南",
            "snowplow",
            "Snowplow procurement",
            "农机购置",
        ] {
            let page = search(&app, "city", &format!("q={}", enc(q))).await;
            assert_eq!(ids(&page), vec![id.clone()], "{q}: {page}");
        }
        let page = search(&app, "city", &format!("q={}", enc("冷链物流"))).await;
        let snippet = page["results"][0]["snippet_html"].as_str().unwrap();
        assert!(snippet.contains("<mark>"), "{snippet}");
        // The masked ID number is not: neither whole, nor in part, nor in the index.
        for q in [ID_NUMBER, "11010519491231002x", "110105", "19491231"] {
            let page = search(&app, "city", &format!("q={}", enc(q))).await;
            assert_eq!(page["total"], 0, "{q}: {page}");
        }
        assert!(!snippet.contains("19491231"), "{snippet}");
        assert_not_indexed(&app, backend, &["11010519491231002x", "19491231", "1949"]).await;

        // Withdrawn: the files' words find nothing.
        ed.post(
            &format!("/api/v1/tenants/city/items/{id}/withdraw"),
            json!({"reason": "名单有误"}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            search(&app, "city", &format!("q={}", enc("snowplow"))).await["total"],
            0
        );
    }
);
