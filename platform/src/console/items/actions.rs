//! An item's lifecycle as forms (submit, publish, schedule, unschedule, revise,
//! withdraw, repeal, mark amended) and its attachments (upload as a multipart form,
//! remove). One console route per API route, registered with that route's rule; each
//! form becomes the API's input and goes to the same service. A form is offered when
//! the route table lets the user post it and the lifecycle rules let the item take it.

use axum::body::{Body, Bytes};
use axum::extract::{FromRef, Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use maud::{html, Markup};

use super::{answer, Failed, Origin, ATTACHMENT_API, ATTACH_API};
use crate::app::AppState;
use crate::console::{field, form, Desk};
use crate::disclosure::attachments;
use crate::disclosure::lifecycle::{apply, Action, ItemState};
use crate::disclosure::model::{self, AttachmentOut, ItemOut};
use crate::disclosure::service;
use crate::disclosure::Disclosure;
use crate::http::access::Ctx;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{Error, FieldProblem, Result};
use crate::web::{Lang, PageReq};

/// One lifecycle action: its path segment, console and API routes, and its fields.
pub struct ActionForm {
    pub action: &'static str,
    pub console: &'static str,
    pub api: &'static str,
    pub fields: &'static [&'static str],
}

macro_rules! actions {
    ($( $action:literal => [$( $field:literal ),*] ),* $(,)?) => {
        pub const ACTIONS: &[ActionForm] = &[$(ActionForm {
            action: $action,
            console: concat!("/console/{slug}/items/{id}/", $action),
            api: concat!("/api/v1/tenants/{slug}/items/{id}/", $action),
            fields: &[$($field),*],
        }),*];
    };
}

actions! {
    "submit" => [],
    "publish" => [],
    "schedule" => ["at"],
    "unschedule" => [],
    "revise" => [],
    "withdraw" => ["reason"],
    "repeal" => ["reason"],
    "amend" => [],
}

pub fn routes(mut r: Routes) -> Routes {
    for a in ACTIONS {
        let access = r.access_of(&Method::POST, a.api);
        let action = a.action;
        r = r.add_page(
            Method::POST,
            a.console,
            access,
            move |state: State<AppState>,
                  req: PageReq,
                  ctx: Ctx,
                  desk: Desk,
                  path: Path<(String, String)>,
                  body: Bytes| async move {
                post(state, req, ctx, desk, path, body, action).await
            },
        );
    }
    let upload_access = r.access_of(&Method::POST, ATTACH_API);
    let remove_access = r.access_of(&Method::DELETE, ATTACHMENT_API);
    r.add_page(
        Method::POST,
        "/console/{slug}/items/{id}/attachments",
        upload_access,
        upload,
    )
    .add_page(
        Method::POST,
        "/console/{slug}/items/{id}/attachments/{attachment_id}/remove",
        remove_access,
        remove,
    )
}

/// A time entered as `YYYY-MM-DDTHH:MM` (China time, as a `datetime-local` input
/// gives it) or RFC 3339, for the API's `at`.
fn at_of(text: &str) -> String {
    let t = text.trim();
    if t.len() == 16 && t.as_bytes().get(10) == Some(&b'T') {
        format!("{t}:00+08:00")
    } else {
        t.to_string()
    }
}

async fn post(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, id)): Path<(String, String)>,
    body: Bytes,
    action: &'static str,
) -> Response {
    let d = Disclosure::from_ref(&state);
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let actor = ctx.actor();
    let pairs = form(&body);
    let reason = field(&pairs, "reason").to_string();
    let done: Result<ItemOut> = match action {
        "submit" => service::submit(&d, &actor, &tenant, &id).await,
        "publish" => service::publish(&d, &actor, &tenant, &id).await,
        "schedule" => match service::parse_at(&at_of(field(&pairs, "at"))) {
            Ok(at) => service::act(&d, &actor, &tenant, &id, Action::Schedule { at }).await,
            Err(e) => Err(e),
        },
        "unschedule" => service::act(&d, &actor, &tenant, &id, Action::Unschedule).await,
        "revise" => service::act(&d, &actor, &tenant, &id, Action::Revise).await,
        "withdraw" => service::act(&d, &actor, &tenant, &id, Action::Withdraw { reason }).await,
        "repeal" => service::act_noted(&d, &actor, &tenant, &id, Action::Repeal, &reason).await,
        _ => service::act(&d, &actor, &tenant, &id, Action::MarkAmended).await,
    };
    let from = Origin::parse(&pairs);
    answer(
        &state,
        &req,
        &ctx,
        &desk,
        &id,
        from,
        action.to_string(),
        pairs,
        done.map(drop),
    )
    .await
}

/// The item's state as the lifecycle rules take it (a withdrawn item under revision
/// reads as never published: its forms are offered as for a new draft).
fn state_of(item: &ItemOut) -> Option<ItemState> {
    let working = match item.stage.as_str() {
        s @ ("draft" | "in_review" | "approved" | "scheduled") => Some(s),
        _ => None,
    };
    let public = if item.public {
        "published"
    } else if item.stage == "withdrawn" {
        "withdrawn"
    } else {
        "never"
    };
    model::state_from(
        working,
        item.scheduled_at.as_deref(),
        public,
        &item.validity,
    )
    .ok()
}

/// Would the lifecycle take `action` from the item's state?
fn fits(item: &ItemOut, action: &str) -> bool {
    let Some(state) = state_of(item) else {
        return true;
    };
    let probe = match action {
        "submit" => Action::Submit,
        "publish" => Action::Publish,
        "schedule" => Action::Schedule {
            at: chrono::Utc::now(),
        },
        "unschedule" => Action::Unschedule,
        "revise" => Action::Revise,
        "withdraw" => Action::Withdraw { reason: "?".into() },
        "repeal" => Action::Repeal,
        _ => Action::MarkAmended,
    };
    apply(state, &probe).is_ok()
}

/// The lifecycle forms this user may use on the item now.
pub async fn forms(
    state: &AppState,
    lang: Lang,
    desk: &Desk,
    item: &ItemOut,
    from: Origin,
    failed: Option<&Failed>,
) -> Result<Markup> {
    let slug = desk.slug().unwrap_or_default();
    let mut allowed = Vec::new();
    for a in ACTIONS {
        if fits(item, a.action) && desk.may(state, Method::POST, a.api).await? {
            allowed.push((a.action, a.fields));
        }
    }
    Ok(html! {
        @if allowed.is_empty() {
            p { (lang.t("console-item-no-actions")) }
        }
        @for (action, fields) in allowed {
            @let mine = Failed::of(failed, action);
            form method="post" class=(format!("action action-{action}")) action=(format!("/console/{slug}/items/{}/{action}", item.id)) novalidate {
                (desk.csrf_field())
                (from.field())
                @if let Some(r) = mine.and_then(|f| f.refusal.as_deref()) {
                    p class="form-error" role="alert" { (lang.t("console-item-refused")) " (" (r) ")" }
                }
                @for name in fields {
                    @let id = format!("{action}-{name}");
                    @let problem = mine.and_then(|f| f.problem(name));
                    @let err = format!("{id}-error");
                    p class="field" {
                        label for=(id) { (lang.t(&format!("console-action-{action}-{name}"))) }
                        @if *name == "at" {
                            input id=(id) name=(name) type="datetime-local" value=(mine.map(|f| f.value(name)).unwrap_or("")) aria-invalid=[problem.map(|_| "true")] aria-describedby=[problem.map(|_| err.as_str())];
                        } @else {
                            textarea id=(id) name=(name) rows="2" aria-invalid=[problem.map(|_| "true")] aria-describedby=[problem.map(|_| err.as_str())] { (mine.map(|f| f.value(name)).unwrap_or("")) }
                        }
                        @if let Some(p) = problem { span class="field-error" id=(err) { (p) } }
                    }
                }
                button type="submit" class="button" { (lang.t(&format!("console-action-{action}"))) }
            }
        }
    })
}

/// The attachments of the working version: download links, and removal and upload
/// forms while the item is a draft and the route table allows them.
pub async fn section(
    state: &AppState,
    lang: Lang,
    desk: &Desk,
    item: &ItemOut,
    list: &[AttachmentOut],
    failed: Option<&Failed>,
) -> Result<Markup> {
    let slug = desk.slug().unwrap_or_default();
    let draft = item.stage == "draft";
    let may_add = draft && desk.may(state, Method::POST, ATTACH_API).await?;
    let may_remove = draft && desk.may(state, Method::DELETE, ATTACHMENT_API).await?;
    let mine = Failed::of(failed, "upload");
    let problem = mine.and_then(|f| f.problem("file"));
    Ok(html! {
        section aria-labelledby="attachments-title" {
            h2 id="attachments-title" { (lang.t("console-item-attachments")) }
            @if let Some(r) = mine.and_then(|f| f.refusal.as_deref()) {
                p class="form-error" role="alert" { (lang.t("console-item-refused")) " (" (r) ")" }
            }
            @if list.is_empty() { p { (lang.t("console-item-no-attachments")) } }
            @if !list.is_empty() {
                ul class="attachments" {
                    @for a in list {
                        li {
                            a href=(format!("/api/v1/tenants/{slug}/items/{}/attachments/{}", item.id, a.id)) { (a.name) }
                            " (" (a.media_type) ", " (a.size) " B)"
                            @if may_remove {
                                form method="post" class="inline" action=(format!("/console/{slug}/items/{}/attachments/{}/remove", item.id, a.id)) {
                                    (desk.csrf_field())
                                    button type="submit" { (lang.t("console-item-attachment-remove")) }
                                }
                            }
                        }
                    }
                }
            }
            @if may_add {
                form method="post" class="upload" enctype="multipart/form-data" action=(format!("/console/{slug}/items/{}/attachments", item.id)) {
                    (desk.csrf_field())
                    p class="field" {
                        label for="file" { (lang.t("console-item-attachment-file")) }
                        input id="file" name="file" type="file" aria-invalid=[problem.map(|_| "true")] aria-describedby=[problem.map(|_| "file-error")];
                        @if let Some(p) = problem { span class="field-error" id="file-error" { (p) } }
                    }
                    progress class="upload-progress" max="100" value="0" hidden aria-label=(lang.t("console-item-attachment-progress")) { }
                    button type="submit" class="button" { (lang.t("console-item-attachment-upload")) }
                }
            }
        }
    })
}

/// A multipart form's file and fields (the CSRF token was checked before).
struct Upload {
    name: String,
    bytes: Bytes,
}

async fn read_upload(
    body: Bytes,
    headers: &HeaderMap,
) -> std::result::Result<Option<Upload>, Error> {
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(ct)
        .map_err(|_| Error::BadRequest("a multipart form is expected".into()))?;
    let stream = Body::from(body).into_data_stream();
    let mut mp = multer::Multipart::new(stream, boundary);
    while let Some(f) = mp
        .next_field()
        .await
        .map_err(|e| Error::BadRequest(format!("the form: {e}")))?
    {
        if f.name() == Some("file") {
            let name = f.file_name().unwrap_or("").to_string();
            let bytes = f
                .bytes()
                .await
                .map_err(|e| Error::BadRequest(format!("the file: {e}")))?;
            if name.is_empty() && bytes.is_empty() {
                return Ok(None);
            }
            return Ok(Some(Upload { name, bytes }));
        }
    }
    Ok(None)
}

/// A refusal of the attachments API as the form's problem beside the file input.
fn as_error(p: Problem) -> Error {
    match p.status {
        404 => Error::NotFound("item".into()),
        409 => Error::Conflict {
            message: p.detail.unwrap_or_default(),
            current_state: p.current_state,
        },
        403 => Error::Forbidden(p.detail.unwrap_or_default()),
        _ => {
            let message = p
                .errors
                .first()
                .map(|e| e.message.clone())
                .or(p.detail)
                .unwrap_or_default();
            Error::Invalid(vec![FieldProblem::new("file", message)])
        }
    }
}

/// `POST /console/{slug}/items/{id}/attachments` (multipart: `csrf`, `file`).
async fn upload(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let d = Disclosure::from_ref(&state);
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let max = d.config.attachments_max_bytes;
    let done = async {
        let body = attachments::read_body(&headers, body, max + 64 * 1024)
            .await
            .map_err(|_| {
                Error::invalid("file", format!("attachments are limited to {max} bytes"))
            })?;
        let Some(file) = read_upload(body, &headers).await? else {
            return Err(Error::invalid("file", "choose a file"));
        };
        if file.bytes.len() > max {
            return Err(Error::invalid(
                "file",
                format!("attachments are limited to {max} bytes"),
            ));
        }
        let name = attachments::check_name(&file.name)
            .map_err(|_| Error::invalid("file", "the file's name: 1–200 characters, no slashes"))?;
        attachments::add(&d, &ctx.actor(), &tenant, &id, name, file.bytes)
            .await
            .map(drop)
            .map_err(as_error)
    }
    .await;
    answer(
        &state,
        &req,
        &ctx,
        &desk,
        &id,
        Origin::Item,
        "upload".into(),
        Vec::new(),
        done,
    )
    .await
}

/// `POST /console/{slug}/items/{id}/attachments/{attachment_id}/remove`
async fn remove(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, id, attachment_id)): Path<(String, String, String)>,
) -> Response {
    let d = Disclosure::from_ref(&state);
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let done = attachments::remove_one(&d, &ctx.actor(), &tenant, &id, &attachment_id).await;
    answer(
        &state,
        &req,
        &ctx,
        &desk,
        &id,
        Origin::Item,
        "upload".into(),
        Vec::new(),
        done,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::at_of;

    #[test]
    fn a_local_time_is_china_time() {
        assert_eq!(at_of("2026-12-08T09:30"), "2026-12-08T09:30:00+08:00");
        assert_eq!(at_of("2026-12-08T09:30:00Z"), "2026-12-08T09:30:00Z");
    }
}
