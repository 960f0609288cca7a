//! The item editor: a new item of any kind the agency may create (built in, or of an
//! enabled plugin, whose form is generated from its field descriptions), and the edit
//! of a draft. The form becomes the API's `NewItem` / `ItemPatch` and goes to the same
//! service; its problems (the kind's, the plugin's, the attribute's) come back beside
//! the fields with every value kept (422). An edit carries the version it was made
//! on: when someone else saved in between, the page says so and shows the saved
//! version, the difference and the user's own text, ready to be saved over it (409).

use axum::body::Bytes;
use axum::extract::{FromRef, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use serde_json::Value;

use super::fields::{self, FormKind};
use super::history;
use super::list::kind_label;
use crate::app::AppState;
use crate::console::{field, form, see_other, Desk};
use crate::disclosure::lifecycle::{DisclosureAttribute, LegalGround};
use crate::disclosure::model::{CatalogNode, ItemOut};
use crate::disclosure::service::{self, ItemPatch, NewItem};
use crate::disclosure::{kinds, plugin_kinds, Disclosure};
use crate::http::access::Ctx;
use crate::kernel::error::{Error, FieldProblem};
use crate::tenancy::Tenant;
use crate::web::error::{PageError, PageResult};
use crate::web::{Lang, PageReq};

/// The form kind of `code` for this tenant: a built-in kind, or a kind of a plugin the
/// tenant has enabled (its description from the pinned version).
pub async fn form_kind(state: &AppState, tenant: &Tenant, code: &str) -> Option<FormKind> {
    if plugin_kinds::split(code).is_some() {
        crate::portal::plugin_fields::kind_of(state, tenant, code)
            .await
            .filter(|k| k.sealed.is_empty())
            .map(FormKind::Plugin)
    } else {
        kinds::kind(code).map(FormKind::Builtin)
    }
}

/// What the editor shows.
struct Editor {
    kind_code: String,
    kind: FormKind,
    /// Every value of the form (title, body, node, attribute, `f.…`).
    pairs: Vec<(String, String)>,
    problems: Vec<FieldProblem>,
    /// The item edited (its id and the version the edit is made on); `None`: a new item.
    editing: Option<(String, i64)>,
}

const FORM_FIELDS: &[&str] = &[
    "title",
    "body",
    "node_id",
    "attribute",
    "legal_ground",
    "attribute_reason",
    "kind",
];

fn problem_href(p: &FieldProblem) -> String {
    match p.field.strip_prefix("fields.") {
        Some(rest) => {
            let name = rest.split(['[', '.']).next().unwrap_or(rest);
            format!("#{}", fields::input_id(name))
        }
        None if FORM_FIELDS.contains(&p.field.as_str()) => format!("#{}", p.field),
        None => String::new(),
    }
}

fn error_of<'a>(problems: &'a [FieldProblem], name: &str) -> Option<&'a FieldProblem> {
    problems.iter().find(|p| p.field == name)
}

fn text_field(lang: Lang, ed: &Editor, name: &str, area: bool) -> Markup {
    let value = field(&ed.pairs, name);
    let problem = error_of(&ed.problems, name);
    let err = format!("{name}-error");
    let by = problem.map(|_| err.as_str());
    html! {
        p class="field" {
            label for=(name) { (lang.t(&format!("console-item-{name}"))) }
            @if area {
                textarea id=(name) name=(name) rows=(if name == "body" { "14" } else { "3" }) aria-invalid=[problem.map(|_| "true")] aria-describedby=[by] { (value) }
            } @else {
                input id=(name) name=(name) type="text" value=(value) aria-invalid=[problem.map(|_| "true")] aria-describedby=[by];
            }
            @if let Some(p) = problem { span class="field-error" id=(err) { (p.message) } }
        }
    }
}

fn render(
    lang: Lang,
    desk: &Desk,
    ed: &Editor,
    nodes: &[CatalogNode],
    kind_name: &str,
    action: &str,
) -> Markup {
    let summary: Vec<(String, String)> = ed
        .problems
        .iter()
        .map(|p| (problem_href(p), p.message.clone()))
        .collect();
    let stray = fields::elsewhere(&ed.kind, &ed.problems, FORM_FIELDS);
    let node = field(&ed.pairs, "node_id");
    let attribute = field(&ed.pairs, "attribute");
    let ground = field(&ed.pairs, "legal_ground");
    html! {
        (super::error_summary(lang, &summary))
        form class="item-form" method="post" action=(action) novalidate {
            (desk.csrf_field())
            input type="hidden" name="kind" value=(ed.kind_code);
            @if let Some((_, version)) = &ed.editing {
                input type="hidden" name="version" value=(version);
            }
            p { (crate::web::layout::labelled(lang, "console-item-kind-is", kind_name)) }
            p class="field" {
                label for="node_id" { (lang.t("console-item-node")) }
                select id="node_id" name="node_id" aria-invalid=[error_of(&ed.problems, "node_id").map(|_| "true")] aria-describedby=[error_of(&ed.problems, "node_id").map(|_| "node_id-error")] {
                    option value="" { "—" }
                    @for n in nodes {
                        option value=(n.id) selected[n.id == node] { (n.code) " " (n.name) }
                    }
                }
                @if let Some(p) = error_of(&ed.problems, "node_id") { span class="field-error" id="node_id-error" { (p.message) } }
            }
            (text_field(lang, ed, "title", false))
            (text_field(lang, ed, "body", true))
            @if !stray.is_empty() {
                ul class="form-error" {
                    @for p in &stray { li { (p.field) ": " (p.message) } }
                }
            }
            fieldset class="kind-fields" {
                legend { (lang.t("console-item-fields")) }
                (fields::inputs(lang, &ed.kind, &ed.pairs, &ed.problems))
            }
            fieldset class="attribute" {
                legend { (lang.t("console-item-attribute")) }
                @if ed.editing.is_some() {
                    p { (attribute_label(lang, attribute)) " " (lang.t("console-item-attribute-fixed")) }
                } @else {
                    p class="field" {
                        label for="attribute" { (lang.t("console-item-attribute-choice")) }
                        select id="attribute" name="attribute" {
                            @for a in ["proactive", "on_request", "not_disclosed"] {
                                option value=(a) selected[a == attribute] { (attribute_label(lang, a)) }
                            }
                        }
                    }
                    p class="field" {
                        label for="legal_ground" { (lang.t("console-item-legal_ground")) }
                        select id="legal_ground" name="legal_ground" aria-invalid=[error_of(&ed.problems, "legal_ground").map(|_| "true")] aria-describedby=[error_of(&ed.problems, "legal_ground").map(|_| "legal_ground-error")] {
                            option value="" { "—" }
                            @for g in LegalGround::ALL {
                                @let code = ground_code(g);
                                option value=(code) selected[code == ground] { (g.outcome_code()) " " (g.label_zh()) }
                            }
                        }
                        @if let Some(p) = error_of(&ed.problems, "legal_ground") { span class="field-error" id="legal_ground-error" { (p.message) } }
                    }
                    (text_field(lang, ed, "attribute_reason", true))
                }
            }
            p { button type="submit" class="button" { (lang.t("console-item-save")) } }
        }
    }
}

fn ground_code(g: LegalGround) -> String {
    serde_json::to_value(g)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub fn attribute_label(lang: Lang, attribute: &str) -> String {
    super::or_code(lang, &format!("console-attribute-{attribute}"), attribute)
}

async fn editor_page(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    ed: &Editor,
    banner: Markup,
) -> PageResult {
    let lang = req.lang;
    let d = Disclosure::from_ref(state);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let kinds = plugin_kinds::tenant_kinds(&d, tenant).await?;
    let nodes = service::nodes(&d, tenant).await?;
    let kind_name = kind_label(lang, &kinds, &ed.kind_code);
    let (title, action) = match &ed.editing {
        Some((id, _)) => (
            lang.t("console-item-edit-title"),
            format!("/console/{}/items/{id}/edit", tenant.slug),
        ),
        None => (
            lang.t("console-item-new-title"),
            format!("/console/{}/items/new", tenant.slug),
        ),
    };
    let main = html! {
        h1 { (title) }
        (banner)
        (render(lang, desk, ed, &nodes, &kind_name, &action))
    };
    Ok(desk.page(req, &title, main))
}

/// `GET /console/{slug}/items/new[?kind=]`: the kinds to choose from, then the form.
pub async fn new_form(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = new_page(&state, &req, &desk).await;
    desk.finish(&req, result)
}

async fn new_page(state: &AppState, req: &PageReq, desk: &Desk) -> PageResult {
    let lang = req.lang;
    let d = Disclosure::from_ref(state);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let kinds = plugin_kinds::tenant_kinds(&d, tenant).await?;
    let chosen = req.param("kind").unwrap_or_default();
    let kind = match kinds.iter().find(|k| k.code == chosen) {
        Some(_) => form_kind(state, tenant, chosen).await,
        None => None,
    };
    let Some(kind) = kind else {
        let title = lang.t("console-item-new-title");
        let main = html! {
            h1 { (title) }
            h2 { (lang.t("console-item-choose-kind")) }
            ul class="kinds" {
                @for k in &kinds {
                    li {
                        a href=(format!("{}?kind={}", req.path, crate::web::response::url_encode(&k.code))) { (kind_label(lang, &kinds, &k.code)) }
                        @if let Some(p) = &k.plugin { " " span class="hint" { "(" (p) " " (k.plugin_version.as_deref().unwrap_or("")) ")" } }
                    }
                }
            }
        };
        return Ok(desk.page(req, &title, main));
    };
    let node = kinds
        .iter()
        .find(|k| k.code == chosen)
        .and_then(|k| k.catalog_node_id.clone())
        .unwrap_or_default();
    let ed = Editor {
        kind_code: chosen.to_string(),
        kind,
        pairs: vec![
            ("node_id".into(), node),
            ("attribute".into(), "proactive".into()),
        ],
        problems: Vec::new(),
        editing: None,
    };
    editor_page(state, req, desk, &ed, html! {}).await
}

fn parse_attribute(
    pairs: &[(String, String)],
    problems: &mut Vec<FieldProblem>,
) -> DisclosureAttribute {
    let text = field(pairs, "attribute");
    let text = if text.is_empty() { "proactive" } else { text };
    serde_json::from_value(Value::String(text.into())).unwrap_or_else(|_| {
        problems.push(FieldProblem::new(
            "attribute",
            "proactive, on_request or not_disclosed",
        ));
        DisclosureAttribute::Proactive
    })
}

fn parse_ground(
    pairs: &[(String, String)],
    problems: &mut Vec<FieldProblem>,
) -> Option<LegalGround> {
    let text = field(pairs, "legal_ground");
    if text.is_empty() {
        return None;
    }
    serde_json::from_value(Value::String(text.into()))
        .map_err(|_| problems.push(FieldProblem::new("legal_ground", "not a legal ground")))
        .ok()
}

/// `POST /console/{slug}/items/new`
pub async fn create(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    body: Bytes,
) -> Response {
    let d = Disclosure::from_ref(&state);
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let pairs = form(&body);
    let code = field(&pairs, "kind").to_string();
    let Some(kind) = form_kind(&state, &tenant, &code).await else {
        return desk.finish(&req, Err(PageError(Error::NotFound("item kind".into()))));
    };
    let mut problems = Vec::new();
    let attribute = parse_attribute(&pairs, &mut problems);
    let legal_ground = parse_ground(&pairs, &mut problems);
    let input = NewItem {
        node_id: Some(field(&pairs, "node_id").to_string()).filter(|n| !n.is_empty()),
        kind: code.clone(),
        title: field(&pairs, "title").to_string(),
        body: field(&pairs, "body").to_string(),
        fields: fields::values(&kind, &pairs),
        attribute,
        legal_ground,
        attribute_reason: field(&pairs, "attribute_reason").to_string(),
    };
    let done = if problems.is_empty() {
        service::create_item(&d, &ctx.actor(), &tenant, input).await
    } else {
        Err(Error::Invalid(problems))
    };
    let problems = match done {
        Ok(item) => return see_other(&format!("/console/{}/items/{}", tenant.slug, item.id), &[]),
        Err(Error::Invalid(problems)) => problems,
        Err(other) => return desk.finish(&req, Err(other.into())),
    };
    let ed = Editor {
        kind_code: code,
        kind,
        pairs,
        problems,
        editing: None,
    };
    let result = editor_page(&state, &req, &desk, &ed, html! {})
        .await
        .map(|p| p.status(StatusCode::UNPROCESSABLE_ENTITY));
    desk.finish(&req, result)
}

/// The item's draft as the editor's values.
fn pairs_of_item(item: &ItemOut) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("title".to_string(), item.title.clone()),
        ("body".to_string(), item.body.clone()),
        ("node_id".to_string(), item.node_id.clone()),
        ("attribute".to_string(), item.attribute.clone()),
    ];
    pairs.extend(fields::pairs_of(&item.fields));
    pairs
}

/// `GET /console/{slug}/items/{id}/edit`
pub async fn edit_form(
    State(state): State<AppState>,
    req: PageReq,
    desk: Desk,
    Path((_slug, id)): Path<(String, String)>,
) -> Response {
    let result = edit_page(&state, &req, &desk, &id).await;
    desk.finish(&req, result)
}

async fn edit_page(state: &AppState, req: &PageReq, desk: &Desk, id: &str) -> PageResult {
    let d = Disclosure::from_ref(state);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let item = service::get_item(&d, tenant, id).await?;
    if item.stage != "draft" {
        // Only a draft is edited (the service's rule, said again when saving): 409.
        let lang = req.lang;
        let title = lang.t("console-item-edit-title");
        let main = html! {
            h1 { (title) }
            p class="form-error" role="alert" { (lang.t("console-item-not-a-draft")) }
            p { a href=(format!("/console/{}/items/{id}", tenant.slug)) { (lang.t("console-item-back")) } }
        };
        return Ok(desk.page(req, &title, main).status(StatusCode::CONFLICT));
    }
    let kind = form_kind(state, tenant, &item.kind)
        .await
        .ok_or_else(|| Error::NotFound("item kind".into()))?;
    let ed = Editor {
        kind_code: item.kind.clone(),
        kind,
        pairs: pairs_of_item(&item),
        problems: Vec::new(),
        editing: Some((item.id.clone(), item.version)),
    };
    editor_page(state, req, desk, &ed, html! {}).await
}

/// `POST /console/{slug}/items/{id}/edit`
pub async fn save(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let d = Disclosure::from_ref(&state);
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let mut pairs = form(&body);
    // The kind is the stored item's, never the form's word.
    let item = match service::get_item(&d, &tenant, &id).await {
        Ok(item) => item,
        Err(err) => return desk.finish(&req, Err(err.into())),
    };
    let Some(kind) = form_kind(&state, &tenant, &item.kind).await else {
        return desk.finish(&req, Err(PageError(Error::NotFound("item kind".into()))));
    };
    let Ok(version) = field(&pairs, "version").parse::<i64>() else {
        return desk.finish(&req, Err(PageError(Error::BadRequest("version".into()))));
    };
    let patch = ItemPatch {
        version,
        title: Some(field(&pairs, "title").to_string()),
        body: Some(field(&pairs, "body").to_string()),
        fields: Some(fields::values(&kind, &pairs)),
        node_id: Some(field(&pairs, "node_id").to_string()).filter(|n| !n.is_empty()),
    };
    let mine = (
        field(&pairs, "title").to_string(),
        field(&pairs, "body").to_string(),
        fields::values(&kind, &pairs),
    );
    let done = service::update_item(&d, &ctx.actor(), &tenant, &id, patch).await;
    let (problems, banner, status) = match done {
        Ok(_) => return see_other(&format!("/console/{slug}/items/{id}"), &[]),
        Err(Error::Invalid(problems)) => (problems, html! {}, StatusCode::UNPROCESSABLE_ENTITY),
        Err(Error::Conflict { message, .. }) => {
            let now = match service::get_item(&d, &tenant, &id).await {
                Ok(now) => now,
                Err(err) => return desk.finish(&req, Err(err.into())),
            };
            if now.version != version && now.stage == "draft" {
                // Someone saved in between: the form keeps this user's text, now on
                // the saved version, and the page shows what that version says.
                pairs.retain(|(k, _)| k != "version");
                pairs.push(("version".into(), now.version.to_string()));
                (
                    Vec::new(),
                    stale_banner(req.lang, &now, version, &mine),
                    StatusCode::CONFLICT,
                )
            } else {
                (
                    Vec::new(),
                    html! { p class="form-error" role="alert" { (req.lang.t("console-item-refused")) " (" (message) ")" } },
                    StatusCode::CONFLICT,
                )
            }
        }
        Err(other) => return desk.finish(&req, Err(other.into())),
    };
    let editing_version = field(&pairs, "version").parse().unwrap_or(version);
    let ed = Editor {
        kind_code: item.kind.clone(),
        kind,
        pairs,
        problems,
        editing: Some((id.clone(), editing_version)),
    };
    let result = editor_page(&state, &req, &desk, &ed, banner)
        .await
        .map(|p| p.status(status));
    desk.finish(&req, result)
}

/// Someone else saved: which version, by whom and when, what it says, and how it
/// differs from what this user wrote.
fn stale_banner(lang: Lang, now: &ItemOut, edited: i64, mine: &(String, String, Value)) -> Markup {
    let theirs = history::as_text(&now.title, &now.body, &now.fields);
    let ours = history::as_text(&mine.0, &mine.1, &mine.2);
    html! {
        section class="stale" role="alert" aria-labelledby="stale-title" {
            h2 id="stale-title" { (lang.t("console-item-stale-title")) }
            p { (lang.tr("console-item-stale-text", &[
                ("edited", edited.into()),
                ("saved", now.version.into()),
                ("at", now.updated_at.clone().into()),
            ])) }
            div class="side-by-side" {
                section aria-labelledby="stale-saved" {
                    h3 id="stale-saved" { (lang.tr("console-item-stale-saved", &[("version", now.version.into())])) }
                    pre class="version-text" { (theirs) }
                }
                section aria-labelledby="stale-diff" {
                    h3 id="stale-diff" { (lang.t("console-item-stale-diff")) }
                    (history::diff(lang, &theirs, &ours))
                }
            }
            p { (lang.t("console-item-stale-yours")) }
        }
    }
}
