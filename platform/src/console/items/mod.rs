//! The console's items section: the list with filters (`list`), the editor for every
//! kind the agency may create, plugin kinds' forms generated from the plugin's field
//! descriptions (`editor`, `fields`), an item's page with its lifecycle forms and
//! attachments (`page`, `actions`), the scan's findings beside the text (`findings`)
//! and the versions with a diff of two (`history`).
//!
//! Each console route mirrors an API route and is registered with that route's rule
//! (`Routes::access_of`); the pages call the same disclosure services as the API and
//! offer a form only when `Desk::may` says the route table would let the user use it.

mod actions;
mod editor;
mod fields;
pub mod findings;
mod history;
mod list;
pub mod page;

use axum::http::Method;
use maud::{html, Markup};

use crate::http::Routes;
use crate::web::Lang;

pub use fields::FormKind;
pub use list::kind_label;

pub const LIST_API: &str = "/api/v1/tenants/{slug}/items";
pub const VIEW_API: &str = "/api/v1/tenants/{slug}/items/{id}";
pub const VERSIONS_API: &str = "/api/v1/tenants/{slug}/items/{id}/versions";
pub const FINDING_API: &str = "/api/v1/tenants/{slug}/items/{id}/findings/{finding_id}";
pub const ATTACH_API: &str = "/api/v1/tenants/{slug}/items/{id}/attachments";
pub const ATTACHMENT_API: &str = "/api/v1/tenants/{slug}/items/{id}/attachments/{attachment_id}";
pub const DECIDE_API: &str = "/api/v1/tenants/{slug}/items/{id}/decisions";
pub const INBOX_API: &str = "/api/v1/tenants/{slug}/items/review-inbox";
pub const PREVIEW_API: &str = "/api/v1/tenants/{slug}/items/{id}/preview";

pub fn routes(r: Routes) -> Routes {
    let list = r.access_of(&Method::GET, LIST_API);
    let create = r.access_of(&Method::POST, LIST_API);
    let view = r.access_of(&Method::GET, VIEW_API);
    let edit = r.access_of(&Method::PATCH, VIEW_API);
    let versions = r.access_of(&Method::GET, VERSIONS_API);
    let resolve = r.access_of(&Method::POST, FINDING_API);
    let r = r
        .add_page(Method::GET, "/console/{slug}/items", list, list::page)
        .add_page(
            Method::GET,
            "/console/{slug}/items/new",
            create,
            editor::new_form,
        )
        .add_page(
            Method::POST,
            "/console/{slug}/items/new",
            create,
            editor::create,
        )
        .add_page(Method::GET, "/console/{slug}/items/{id}", view, page::show)
        .add_page(
            Method::GET,
            "/console/{slug}/items/{id}/edit",
            edit,
            editor::edit_form,
        )
        .add_page(
            Method::POST,
            "/console/{slug}/items/{id}/edit",
            edit,
            editor::save,
        )
        .add_page(
            Method::GET,
            "/console/{slug}/items/{id}/history",
            versions,
            history::show,
        )
        .add_page(
            Method::POST,
            "/console/{slug}/items/{id}/findings/{finding_id}",
            resolve,
            findings::resolve,
        );
    actions::routes(r)
}

/// A stage's name in the page language.
pub fn stage_label(lang: Lang, stage: &str) -> String {
    or_code(lang, &format!("console-stage-{stage}"), stage)
}

/// A built-in kind's name (`kind-…`), else the code (plugin kinds are named by their
/// plugin: see [`editor::kind_name`]).
pub fn builtin_kind_label(lang: Lang, kind: &str) -> String {
    or_code(lang, &format!("kind-{kind}"), kind)
}

pub fn or_code(lang: Lang, key: &str, code: &str) -> String {
    let text = lang.t(key);
    if text == key {
        code.to_string()
    } else {
        text
    }
}

/// A form's problems listed above it, each linking to its input.
pub fn error_summary(lang: Lang, problems: &[(String, String)]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div class="error-summary" role="alert" tabindex="-1" {
                h2 { (lang.t("console-form-problems")) }
                ul {
                    @for (href, message) in problems {
                        li {
                            @if href.is_empty() { (message) } @else { a href=(href) { (message) } }
                        }
                    }
                }
            }
        }
    }
}

/// A form of an item's page that came back with problems, to show beside it.
pub struct Failed {
    /// Which form: `finding-<id>`, `withdraw`, `upload`, `decide`, …
    pub form: String,
    pub values: Vec<(String, String)>,
    pub problems: Vec<crate::kernel::error::FieldProblem>,
    /// A refusal of the whole action (the item's state or a rule does not allow it).
    pub refusal: Option<String>,
}

impl Failed {
    /// This failure, if it is `form`'s.
    pub fn of<'a>(failed: Option<&'a Failed>, form: &str) -> Option<&'a Failed> {
        failed.filter(|f| f.form == form)
    }

    pub fn value(&self, name: &str) -> &str {
        crate::console::field(&self.values, name)
    }

    pub fn problem(&self, name: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == name)
            .map(|p| p.message.as_str())
    }
}

/// Where a form of an item was sent from: the item's page or its review page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Item,
    Review,
}

impl Origin {
    pub fn parse(pairs: &[(String, String)]) -> Origin {
        if crate::console::field(pairs, "from") == "review" {
            Origin::Review
        } else {
            Origin::Item
        }
    }

    pub fn href(self, slug: &str, id: &str) -> String {
        match self {
            Origin::Item => format!("/console/{slug}/items/{id}"),
            Origin::Review => format!("/console/{slug}/review/{id}"),
        }
    }

    pub fn field(self) -> Markup {
        let v = match self {
            Origin::Item => "item",
            Origin::Review => "review",
        };
        html! { input type="hidden" name="from" value=(v); }
    }
}

#[allow(clippy::too_many_arguments)]
/// The answer to an item's form: `303` back to the page it came from, or that page
/// again with the failure beside the form (422 problems, 409 refusal, 403 rule).
pub async fn answer(
    state: &crate::app::AppState,
    req: &crate::web::PageReq,
    ctx: &crate::http::access::Ctx,
    desk: &crate::console::Desk,
    id: &str,
    from: Origin,
    form: String,
    values: Vec<(String, String)>,
    done: crate::kernel::error::Result<()>,
) -> axum::response::Response {
    use crate::kernel::error::Error;
    use axum::http::StatusCode;
    let slug = desk.slug().unwrap_or_default().to_string();
    let (problems, refusal, status) = match done {
        Ok(()) => return crate::console::see_other(&from.href(&slug, id), &[]),
        Err(Error::Invalid(problems)) => (problems, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(Error::Conflict { message, .. }) => (Vec::new(), Some(message), StatusCode::CONFLICT),
        Err(Error::Forbidden(message)) if !message.is_empty() => {
            (Vec::new(), Some(message), StatusCode::FORBIDDEN)
        }
        Err(other) => return desk.finish(req, Err(other.into())),
    };
    let failed = Failed {
        form,
        values,
        problems,
        refusal,
    };
    let mut shown = req.clone();
    shown.path = from.href(&slug, id);
    let result = match from {
        Origin::Item => page::item_page(state, &shown, ctx, desk, id, Some(&failed)).await,
        Origin::Review => {
            crate::console::review::review_page(state, &shown, desk, id, Some(&failed)).await
        }
    }
    .map(|p| p.status(status));
    desk.finish(&shown, result)
}
