//! The console's search page (`/console/{slug}/search`): the staff search of the
//! agency (published items and unpublished working versions) with its stage, facets,
//! a zero-result hint and problems beside the field; never another agency's drafts,
//! refused to a member who may not read items, and in the menu only for those who may.

use super::*;
use crate::common::browser::Browser;

both_backends!(console_search_page, |backend| async move {
    let app = TestApp::start(backend).await;
    let (mut ed, nodes) = tenant(&app, "city", None).await;
    let city = gongkai::tenancy::store::by_slug(&app.state.db, "city")
        .await
        .unwrap()
        .unwrap();
    app.add_member(&city, "request_officer@city.cn", "request_officer")
        .await;
    let gzdt = node(&nodes, "GZDT").to_string();
    let published = publish(
        &app,
        &mut ed,
        "city",
        &gzdt,
        "城区防汛物资储备情况通报",
        "防汛物资储备充足，分布在三个仓库。",
        json!({}),
        "news",
    )
    .await;
    let drafted = draft(
        &mut ed,
        "city",
        &gzdt,
        "防汛物资采购计划",
        "草稿正文",
        json!({}),
        "notice",
    )
    .await;
    let (mut other, other_nodes) = tenant(&app, "other", None).await;
    let other_gzdt = node(&other_nodes, "GZDT").to_string();
    let their_draft = draft(
        &mut other,
        "other",
        &other_gzdt,
        "外单位防汛物资草稿",
        "正文",
        json!({}),
        "news",
    )
    .await;
    let their_item = publish(
        &app,
        &mut other,
        "other",
        &other_gzdt,
        "外单位防汛物资通报",
        "正文",
        json!({}),
        "news",
    )
    .await;

    // In the menu of a member who may read items; the hint before any words.
    let mut editor = Browser::signed_in(&app, "editor@city.cn").await;
    let desk = editor.get("/console/city/").await.expect(StatusCode::OK);
    assert!(
        desk.text.contains("href=\"/console/city/search\""),
        "{}",
        desk.text
    );
    let empty = editor
        .get("/console/city/search")
        .await
        .expect(StatusCode::OK);
    assert!(
        empty.text.contains("按标题、文号和索引号查找"),
        "{}",
        empty.text
    );

    // Published and draft, each with its stage and its console page; never the other
    // agency's, published or not.
    let words = enc("防汛物资");
    let found = editor
        .get(&format!("/console/city/search?q={words}"))
        .await
        .expect(StatusCode::OK);
    let text = &found.text;
    assert!(
        text.contains(&format!("href=\"/console/city/items/{published}\"")),
        "{text}"
    );
    assert!(
        text.contains(&format!("href=\"/console/city/items/{drafted}\"")),
        "{text}"
    );
    assert!(
        text.contains("badge stage-published") && text.contains("badge stage-draft"),
        "{text}"
    );
    assert!(
        text.contains("共 2 条") && text.contains("<mark>"),
        "{text}"
    );
    assert!(text.contains("hit-snippet"), "{text}");
    for foreign in [&their_draft, &their_item] {
        assert!(!text.contains(foreign.as_str()), "{text}");
    }
    assert!(!text.contains("外单位"), "{text}");
    // Facets narrow the published matches; the draft has no year of publication.
    assert!(text.contains("class=\"facets\""), "{text}");
    let by_kind = editor
        .get(&format!("/console/city/search?q={words}&kind=notice"))
        .await
        .expect(StatusCode::OK);
    assert!(by_kind.text.contains(&drafted) && !by_kind.text.contains(&published));
    // Nothing found under a filter: the hint offers to remove it.
    let none = editor
        .get(&format!("/console/city/search?q={words}&year=2001"))
        .await
        .expect(StatusCode::OK);
    assert!(
        none.text.contains("去掉全部筛选条件") && none.text.contains("共 0 条"),
        "{}",
        none.text
    );
    let en = editor
        .get(&format!("/console/city/search?q={words}&lang=en"))
        .await
        .expect(StatusCode::OK);
    assert!(en.text.contains("Search items") && en.text.contains("Draft"));
    // A bad parameter is said beside the form, the words kept.
    let bad = editor
        .get(&format!("/console/city/search?q={words}&page=0"))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("value=\"防汛物资\"") && bad.text.contains("error-summary"));
    let long = editor
        .get(&format!(
            "/console/city/search?q={}",
            enc(&"长".repeat(101))
        ))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.text.contains("id=\"q-error\""), "{}", long.text);

    // The other agency's editor: city's page refused; their own never shows city's.
    let mut outsider = Browser::signed_in(&app, "editor@other.cn").await;
    outsider
        .get(&format!("/console/city/search?q={words}"))
        .await
        .expect(StatusCode::FORBIDDEN);
    let theirs = outsider
        .get(&format!("/console/other/search?q={words}"))
        .await
        .expect(StatusCode::OK);
    assert!(theirs.text.contains(&their_draft) && theirs.text.contains(&their_item));
    assert!(!theirs.text.contains(&drafted) && !theirs.text.contains(&published));

    // A member without items:read: no menu entry, the page refused.
    let mut officer = Browser::signed_in(&app, "request_officer@city.cn").await;
    let desk = officer.get("/console/city/").await.expect(StatusCode::OK);
    assert!(!desk.text.contains("/console/city/search"));
    let refused = officer
        .get(&format!("/console/city/search?q={words}"))
        .await
        .expect(StatusCode::FORBIDDEN);
    assert!(refused.text.contains("没有权限"), "{}", refused.text);
    // Nobody signed in: not the results.
    let anon = Browser::new(&app)
        .get(&format!("/console/city/search?q={words}"))
        .await;
    assert!(!anon.text.contains(&drafted));
    assert!(anon.status == StatusCode::UNAUTHORIZED || anon.status == StatusCode::SEE_OTHER);
});
