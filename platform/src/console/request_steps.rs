//! The steps of a request as forms: one console route per API step route, registered
//! with that API route's access rule, turning the form into the same `Step` the API
//! builds and calling the same service. A failed step leaves the request as it was (the
//! service runs each step in one transaction) and comes back with its errors beside
//! the fields and the entered values kept.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use maud::{html, Markup};

use super::{field, form, see_other, Desk};
use crate::app::AppState;
use crate::http::access::Ctx;
use crate::http::Routes;
use crate::kernel::error::{Error, FieldProblem};
use crate::requests::service::{self as requests, Step};
use crate::web::{Lang, PageReq};
use gongkai_rules::requests::outcome::Outcome;

/// How a form field is entered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Area,
    Number,
    Outcome,
    Basis,
    /// An officer of the agency (a list when the user may read the members).
    Member,
}

/// One step's form: its console address, the API route whose rule it shares, its fields.
pub struct StepForm {
    pub action: &'static str,
    pub console: &'static str,
    pub api: &'static str,
    pub fields: &'static [(&'static str, Input)],
}

macro_rules! steps {
    ($( $action:literal => [$( ($name:literal, $input:ident) ),*] ),* $(,)?) => {
        pub const STEPS: &[StepForm] = &[$(StepForm {
            action: $action,
            console: concat!("/console/{slug}/requests/{id}/", $action),
            api: concat!("/api/v1/tenants/{slug}/requests/{id}/", $action),
            fields: &[$(($name, Input::$input)),*],
        }),*];
    };
}

steps! {
    "register" => [],
    "correction-request" => [("what", Area), ("respond_within_working_days", Number)],
    "assign" => [("assignee_id", Member), ("department", Text)],
    "refer" => [("agency", Text)],
    "extend" => [("working_days", Number), ("reason", Area)],
    "fee-notice" => [("basis", Basis), ("pages", Number)],
    "answer" => [("outcome_code", Outcome), ("reply_text", Area)],
    "answer/approve" => [],
    "answer/return" => [("comments", Area)],
    "deliver" => [("note", Text)],
    "close" => [],
}

pub fn routes(mut r: Routes) -> Routes {
    for step in STEPS {
        let access = r.access_of(&Method::POST, step.api);
        let action = step.action;
        r = r.add_page(
            Method::POST,
            step.console,
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
    r
}

/// A form's failure, to show beside it.
pub struct Failed {
    pub action: &'static str,
    pub values: Vec<(String, String)>,
    pub problems: Vec<FieldProblem>,
    /// A refusal of the whole step (the request's state does not allow it).
    pub refusal: Option<String>,
}

fn number(pairs: &[(String, String)], name: &str, problems: &mut Vec<FieldProblem>) -> Option<u32> {
    let text = field(pairs, name).trim();
    if text.is_empty() {
        return None;
    }
    text.parse()
        .map_err(|_| problems.push(FieldProblem::new(name, "a whole number")))
        .ok()
}

fn text(pairs: &[(String, String)], name: &str) -> String {
    field(pairs, name).trim().to_string()
}

fn optional(pairs: &[(String, String)], name: &str) -> Option<String> {
    Some(text(pairs, name)).filter(|t| !t.is_empty())
}

/// The form as the API's step (the same `Step` the JSON route builds).
fn parse(action: &str, pairs: &[(String, String)]) -> Result<Step, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let step = match action {
        "register" => Step::Register,
        "correction-request" => Step::RequestCorrection {
            what: text(pairs, "what"),
            respond_within_working_days: number(
                pairs,
                "respond_within_working_days",
                &mut problems,
            )
            .unwrap_or(15),
        },
        "assign" => Step::Assign {
            assignee_id: optional(pairs, "assignee_id"),
            department: optional(pairs, "department"),
        },
        "refer" => Step::Refer {
            agency: text(pairs, "agency"),
        },
        "extend" => Step::Extend {
            working_days: number(pairs, "working_days", &mut problems).unwrap_or(0),
            reason: text(pairs, "reason"),
        },
        "fee-notice" => Step::NotifyFee {
            basis: text(pairs, "basis"),
            pages: number(pairs, "pages", &mut problems),
        },
        "answer" => Step::Draft {
            outcome: text(pairs, "outcome_code"),
            reply_text: optional(pairs, "reply_text"),
        },
        "answer/approve" => Step::Approve,
        "answer/return" => Step::Return {
            comments: text(pairs, "comments"),
        },
        "deliver" => Step::Deliver {
            note: optional(pairs, "note"),
        },
        _ => Step::Close,
    };
    if problems.is_empty() {
        Ok(step)
    } else {
        Err(problems)
    }
}

async fn post(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
    action: &'static str,
) -> Response {
    let pairs = form(&body);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let done = match parse(action, &pairs) {
        Ok(step) => requests::step(&state.requests, tenant, &ctx.actor(), &id, step).await,
        Err(problems) => Err(Error::Invalid(problems)),
    };
    let (problems, refusal, status) = match done {
        Ok(()) => return see_other(&format!("/console/{slug}/requests/{id}"), &[]),
        Err(Error::Invalid(problems)) => (problems, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(Error::Conflict { message, .. }) => (Vec::new(), Some(message), StatusCode::CONFLICT),
        Err(other) => return desk.finish(&req, Err(other.into())),
    };
    let failed = Failed {
        action,
        values: pairs,
        problems,
        refusal,
    };
    // The page shown is the request's (its language switch leads there, not here).
    let mut shown = req.clone();
    shown.path = format!("/console/{slug}/requests/{id}");
    let result = super::requests::request_page(&state, &shown, &ctx, &desk, &id, Some(failed))
        .await
        .map(|page| page.status(status));
    desk.finish(&shown, result)
}

/// The forms of the steps the route table lets this user take.
pub async fn forms(
    state: &AppState,
    lang: Lang,
    desk: &Desk,
    id: &str,
    failed: Option<&Failed>,
) -> crate::kernel::error::Result<Markup> {
    let slug = desk.slug().unwrap_or_default();
    let members = officers(state, desk).await?;
    let mut allowed = Vec::new();
    for step in STEPS {
        if desk.may(state, Method::POST, step.api).await? {
            allowed.push(step);
        }
    }
    Ok(html! {
        @if allowed.is_empty() {
            p { (lang.t("console-steps-none")) }
        }
        @for step in allowed {
            @let mine = failed.filter(|f| f.action == step.action);
            details class="step" open[mine.is_some()] {
                summary { (lang.t(&step_key(step.action))) }
                form method="post" action=(format!("/console/{slug}/requests/{id}/{}", step.action)) novalidate {
                    (desk.csrf_field())
                    @if let Some(message) = mine.and_then(|f| f.refusal.as_ref()) {
                        p class="form-error" role="alert" { (lang.t("console-step-refused")) " (" (message) ")" }
                    }
                    @for (name, input) in step.fields {
                        (field_markup(lang, step.action, name, *input, mine, &members))
                    }
                    p { button type="submit" class="button" { (lang.t(&step_key(step.action))) } }
                }
            }
        }
    })
}

fn step_key(action: &str) -> String {
    format!("console-step-{}", action.replace('/', "-"))
}

/// The agency's members who handle requests, when the user may list members.
async fn officers(
    state: &AppState,
    desk: &Desk,
) -> crate::kernel::error::Result<Option<Vec<(String, String)>>> {
    let Some(t) = &desk.tenant else {
        return Ok(None);
    };
    if !desk
        .may(state, Method::GET, "/api/v1/tenants/{slug}/members")
        .await?
    {
        return Ok(None);
    }
    let mut officers = Vec::new();
    for m in crate::users::store::members(&state.db, &t.tenant.id).await? {
        // Those who may take the steps of an assigned request (registering is one).
        let handles = m.user.active
            && desk
                .may_as(state, &m.user.id, Method::POST, STEPS[0].api)
                .await?;
        if handles && !officers.iter().any(|(id, _)| *id == m.user.id) {
            officers.push((m.user.id, m.user.display_name));
        }
    }
    Ok(Some(officers))
}

fn field_markup(
    lang: Lang,
    action: &str,
    name: &str,
    input: Input,
    failed: Option<&Failed>,
    members: &Option<Vec<(String, String)>>,
) -> Markup {
    let id = format!("{}-{name}", action.replace('/', "-"));
    let err_id = format!("{id}-error");
    let value = failed.map(|f| field(&f.values, name)).unwrap_or("");
    let problem = failed.and_then(|f| f.problems.iter().find(|p| p.field == name));
    let invalid = problem.map(|_| "true");
    let described = problem.map(|_| err_id.as_str());
    html! {
        p class="field" {
            label for=(id) { (lang.t(&format!("console-field-{name}"))) }
            @match input {
                Input::Area => textarea id=(id) name=(name) rows="4" aria-invalid=[invalid] aria-describedby=[described] { (value) },
                Input::Number => input id=(id) name=(name) type="number" min="1" value=(value) aria-invalid=[invalid] aria-describedby=[described];,
                Input::Member if members.is_some() => select id=(id) name=(name) aria-invalid=[invalid] aria-describedby=[described] {
                    option value="" { "—" }
                    @for (uid, uname) in members.as_deref().unwrap_or_default() {
                        option value=(uid) selected[uid == value] { (uname) }
                    }
                },
                Input::Text | Input::Member => input id=(id) name=(name) type="text" value=(value) aria-invalid=[invalid] aria-describedby=[described];,
                Input::Outcome => select id=(id) name=(name) aria-invalid=[invalid] aria-describedby=[described] {
                    option value="" { "—" }
                    @for o in Outcome::all() {
                        option value=(o.code()) selected[o.code() == value] { (o.code()) " " (o.row_heading()) }
                    }
                },
                Input::Basis => select id=(id) name=(name) aria-invalid=[invalid] aria-describedby=[described] {
                    @for b in ["count", "pages"] {
                        option value=(b) selected[b == value] { (lang.t(&format!("console-basis-{b}"))) }
                    }
                },
            }
            @if let Some(p) = problem {
                span class="field-error" id=(err_id) { (p.message) }
            }
        }
    }
}
