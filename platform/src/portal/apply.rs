//! 在线申请: the request form and its receipt (回执). The form posts to itself; every
//! problem shows beside its field with everything entered kept. A form token tied to a
//! cookie (web::csrf), an Idempotency-Key made when the form is first shown (a second
//! click or the back button makes no second request), and the submission limit per
//! address protect it. The checks themselves are the requests service's.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{html, Markup};

use super::view::breadcrumbs;
use super::Site;
use crate::app::AppState;
use crate::http::ClientAddr;
use crate::kernel::crypto::{random_token, sha256_hex};
use crate::kernel::error::{Error, FieldProblem};
use crate::requests::model::{Receipt, Submission, APPLICANT_TYPES, ID_TYPES};
use crate::requests::service::documents::{self, Document};
use crate::web::error::PageResult;
use crate::web::forms::{self, FormError, Posted};
use crate::web::{csrf, layout, Lang, PageReq, PageResponse};

const FORM: &str = "apply";

/// What the form holds, as typed.
#[derive(Debug, Clone, Default)]
pub struct ApplyForm {
    pub applicant_type: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub organisation: String,
    pub credit_code: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub description: String,
    pub purpose: String,
    pub delivery_method: String,
    pub delivery_form: String,
    pub idempotency_key: String,
    pub token: String,
    /// A document was chosen when the form was last sent.
    pub had_document: bool,
}

/// The longest each field may be before the service sees it (the description's limit
/// is the service's own).
const LIMITS: &[(&str, usize)] = &[
    ("name", 100),
    ("id_number", 40),
    ("organisation", 200),
    ("credit_code", 40),
    ("phone", 40),
    ("email", 200),
    ("address", 300),
    ("purpose", 500),
];

impl ApplyForm {
    fn from_fields(fields: Vec<(String, String)>) -> ApplyForm {
        let mut f = ApplyForm::default();
        for (k, v) in fields {
            let slot = match k.as_str() {
                "applicant_type" => &mut f.applicant_type,
                "name" => &mut f.name,
                "id_type" => &mut f.id_type,
                "id_number" => &mut f.id_number,
                "organisation" => &mut f.organisation,
                "credit_code" => &mut f.credit_code,
                "phone" => &mut f.phone,
                "email" => &mut f.email,
                "address" => &mut f.address,
                "description" => &mut f.description,
                "purpose" => &mut f.purpose,
                "delivery_method" => &mut f.delivery_method,
                "delivery_form" => &mut f.delivery_form,
                "idempotency_key" => &mut f.idempotency_key,
                "token" => &mut f.token,
                _ => continue,
            };
            *slot = v;
        }
        f
    }

    fn value(&self, field: &str) -> &str {
        match field {
            "name" => &self.name,
            "id_number" => &self.id_number,
            "organisation" => &self.organisation,
            "credit_code" => &self.credit_code,
            "phone" => &self.phone,
            "email" => &self.email,
            "address" => &self.address,
            "purpose" => &self.purpose,
            _ => "",
        }
    }

    fn too_long(&self) -> Vec<FieldProblem> {
        LIMITS
            .iter()
            .filter(|(field, max)| self.value(field).chars().count() > *max)
            .map(|(field, max)| FieldProblem::new(*field, format!("at most {max} characters")))
            .collect()
    }

    fn submission(&self, lang: Lang) -> Submission {
        let some = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let person = self.applicant_type == "person";
        let mut description = self.description.trim().to_string();
        if !self.purpose.trim().is_empty() {
            description = format!("{description}\n\n用途：{}", self.purpose.trim());
        }
        Submission {
            applicant_type: self.applicant_type.clone(),
            name: self.name.clone(),
            id_type: if person { some(&self.id_type) } else { None },
            id_number: if person { some(&self.id_number) } else { None },
            organisation: if person {
                None
            } else {
                some(&self.organisation)
            },
            credit_code: if person {
                None
            } else {
                some(&self.credit_code)
            },
            phone: some(&self.phone),
            email: some(&self.email),
            address: some(&self.address),
            description,
            delivery_method: self.delivery_method.clone(),
            delivery_form: self.delivery_form.clone(),
            language: Some(lang.code().to_string()),
        }
    }

    /// What identifies the request for the Idempotency-Key (the same key with other
    /// content is refused by the service); a document counts by its digest.
    fn fingerprint(&self, document: Option<&Document>) -> String {
        let digest = document.map(Document::digest).unwrap_or_default();
        let parts = [
            &self.applicant_type,
            &self.name,
            &self.id_type,
            &self.id_number,
            &self.organisation,
            &self.credit_code,
            &self.phone,
            &self.email,
            &self.address,
            &self.description,
            &self.purpose,
            &self.delivery_method,
            &self.delivery_form,
            &digest,
        ];
        let joined: Vec<&str> = parts.iter().map(|p| p.trim()).collect();
        sha256_hex(joined.join("\u{1f}").as_bytes())
    }
}

/// `GET /{slug}/apply`
pub async fn form(
    State(state): State<AppState>,
    req: PageReq,
    Path(slug): Path<String>,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let fresh = ApplyForm {
        applicant_type: "person".into(),
        id_type: "resident_id".into(),
        delivery_method: "online".into(),
        delivery_form: "electronic".into(),
        idempotency_key: random_token(18),
        ..ApplyForm::default()
    };
    let result = Ok(render_form(
        &state,
        &req,
        &site,
        &fresh,
        &[],
        StatusCode::OK,
    ));
    site.finish(&req, result)
}

/// `POST /{slug}/apply`: url-encoded, or multipart when a document is attached.
pub async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    req: PageReq,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    // A file larger than the limit is drained, not kept; a whole form beyond four times
    // the limit is refused without reading on.
    let posted = forms::read(
        &headers,
        body,
        state.config.max_body_bytes,
        documents::MAX_BYTES,
        4 * documents::MAX_BYTES,
    )
    .await;
    let result = match posted {
        Ok(posted) => submit_page(&state, addr, &req, &site, posted).await,
        Err(FormError::TooLarge) => Err(Error::BadRequest(
            "the form is larger than a request with its document may be".into(),
        )
        .into()),
        Err(FormError::Malformed) => {
            Err(Error::BadRequest("the form could not be read".into()).into())
        }
    };
    site.finish(&req, result)
}

/// The attached document, checked: none, or one the service will store, or the problem
/// to show beside its input.
fn attached(posted: &Posted) -> Result<Option<Document>, FieldProblem> {
    let Some(file) = posted.file(documents::FIELD) else {
        return Ok(None);
    };
    if file.too_large {
        return Err(documents::too_large());
    }
    match Document::check(&file.file_name, file.bytes.clone()) {
        Ok(d) => Ok(Some(d)),
        Err(Error::Invalid(mut problems)) if !problems.is_empty() => Err(problems.remove(0)),
        Err(_) => Err(FieldProblem::new(documents::FIELD, "not accepted")),
    }
}

async fn submit_page(
    state: &AppState,
    addr: std::net::IpAddr,
    req: &PageReq,
    site: &Site,
    posted: Posted,
) -> PageResult {
    let document = attached(&posted);
    let mut form = ApplyForm::from_fields(posted.fields);
    // A browser cannot put a file back into its input: after any problem the reader is
    // asked to choose it again.
    form.had_document = posted.files.iter().any(|f| f.field == documents::FIELD);
    let key = state.secrets.cookie_key();
    let secure = state.config.cookie_secure;
    if !csrf::verify(key, secure, req, FORM, &form.token) {
        let problem = FieldProblem::new("form", "expired");
        return Ok(render_form(
            state,
            req,
            site,
            &form,
            &[problem],
            StatusCode::FORBIDDEN,
        ));
    }
    if form.idempotency_key.is_empty() || form.idempotency_key.len() > 100 {
        form.idempotency_key = random_token(18);
    }
    let mut problems = form.too_long();
    let document = match document {
        Ok(document) => document,
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    if !problems.is_empty() {
        // Everything wrong at once: the service's own checks of the other fields too.
        let today = state.requests.clock.today();
        if let Err(more) =
            crate::requests::model::check_submission(&form.submission(req.lang), today)
        {
            for p in more {
                if !problems.iter().any(|q| q.field == p.field) {
                    problems.push(p);
                }
            }
        }
        return Ok(render_form(
            state,
            req,
            site,
            &form,
            &problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    state.requests.admit(addr)?;
    let outcome = crate::requests::service::submit(
        &state.requests,
        &site.tenant,
        form.submission(req.lang),
        document.as_slice(),
        &form.fingerprint(document.as_ref()),
        Some(form.idempotency_key.clone()),
    )
    .await;
    match outcome {
        Ok(receipt) => Ok(receipt_page(req, site, &receipt)),
        Err(Error::Invalid(problems)) => Ok(render_form(
            state,
            req,
            site,
            &form,
            &problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

/// The message shown beside a field: the catalogue's for the field in Chinese, the
/// service's own (more precise) in English.
fn message(lang: Lang, problem: &FieldProblem) -> String {
    let key = format!("apply-error-{}", problem.field);
    let text = lang.t(&key);
    match lang {
        _ if problem.field == "form" => lang.t("apply-error-form"),
        _ if problem.message.starts_with("at most") => lang.tr(
            "apply-error-too-long",
            &[(
                "limit",
                problem
                    .message
                    .trim_start_matches("at most ")
                    .trim_end_matches(" characters")
                    .to_string()
                    .into(),
            )],
        ),
        Lang::Zh if text != key => text,
        _ => problem.message.clone(),
    }
}

fn render_form(
    state: &AppState,
    req: &PageReq,
    site: &Site,
    form: &ApplyForm,
    problems: &[FieldProblem],
    status: StatusCode,
) -> PageResponse {
    let lang = req.lang;
    let (token, cookie) = csrf::issue(
        state.secrets.cookie_key(),
        state.config.cookie_secure,
        req,
        FORM,
    );
    let error = |field: &str| -> Option<String> {
        let messages: Vec<String> = problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| message(lang, p))
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    };
    let text_field = |field: &str,
                      label: &str,
                      kind: &str,
                      hint: Option<String>,
                      value: &str,
                      autocomplete: &str|
     -> Markup {
        let err = error(field);
        let id = format!("f-{field}");
        let described = match (&err, &hint) {
            (Some(_), _) => Some(format!("err-{field}")),
            (None, Some(_)) => Some(format!("hint-{field}")),
            _ => None,
        };
        html! {
            div class=(field_class(err.is_some())) {
                label for=(id) { (label) }
                @if let Some(h) = &hint { p class="hint" id={ "hint-" (field) } { (h) } }
                @if let Some(e) = &err { p class="error" id={ "err-" (field) } { (e) } }
                input id=(id) name=(field) type=(kind) value=(value) autocomplete=(autocomplete)
                    aria-invalid=[err.as_ref().map(|_| "true")] aria-describedby=[described];
            }
        }
    };
    let radio = |name: &str, value: &str, label: String, checked: bool| -> Markup {
        let id = format!("f-{name}-{value}");
        html! {
            div class="choice" {
                input type="radio" id=(id) name=(name) value=(value) checked[checked];
                label for=(id) { (label) }
            }
        }
    };
    let group_error = |field: &str| -> Markup {
        html! { @if let Some(e) = error(field) { p class="error" id={ "err-" (field) } { (e) } } }
    };
    let title = lang.t("apply-title");
    let description_err = error("description");
    let main = html! {
        (breadcrumbs(lang, site, &[], &title))
        h1 { (title) }
        @if !problems.is_empty() {
            div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 id="error-summary-title" { (lang.t("apply-errors-title")) }
                ul {
                    @for p in problems {
                        li { a href={ "#f-" (anchor(&p.field, form)) } { (message(lang, p)) } }
                    }
                }
            }
        }
        section class="notice" aria-labelledby="rules-title" {
            h2 id="rules-title" { (lang.t("apply-rules-title")) }
            p { (lang.t("apply-rules-deadline")) }
            p { (lang.t("apply-rules-fees")) }
            p { (lang.t("apply-rules-privacy")) }
        }
        form class="apply" method="post" action=(site.href("apply")) enctype="multipart/form-data" novalidate {
            input type="hidden" name="token" value=(token);
            input type="hidden" name="idempotency_key" value=(form.idempotency_key);
            fieldset {
                legend { (lang.t("apply-applicant-type")) }
                (group_error("applicant_type"))
                @for (code, _) in APPLICANT_TYPES {
                    (radio("applicant_type", code, lang.t(&format!("applicant-{code}")), form.applicant_type == *code))
                }
            }
            (text_field("name", &lang.t("apply-name"), "text", Some(lang.t("apply-name-hint")), &form.name, "name"))
            fieldset {
                legend { (lang.t("apply-person")) }
                div class=(field_class(error("id_type").is_some())) {
                    label for="f-id_type" { (lang.t("apply-id-type")) }
                    (group_error("id_type"))
                    select id="f-id_type" name="id_type" {
                        @for t in ID_TYPES {
                            option value=(t) selected[form.id_type == *t] { (lang.t(&format!("id-type-{t}"))) }
                        }
                    }
                }
                (text_field("id_number", &lang.t("apply-id-number"), "text", Some(lang.t("apply-id-number-hint")), &form.id_number, "off"))
            }
            fieldset {
                legend { (lang.t("apply-organisation")) }
                (text_field("organisation", &lang.t("apply-organisation-name"), "text", None, &form.organisation, "organization"))
                (text_field("credit_code", &lang.t("apply-credit-code"), "text", Some(lang.t("apply-credit-code-hint")), &form.credit_code, "off"))
            }
            fieldset {
                legend { (lang.t("apply-contact")) }
                p class="hint" { (lang.t("apply-contact-hint")) }
                (text_field("phone", &lang.t("apply-phone"), "tel", None, &form.phone, "tel"))
                (text_field("email", &lang.t("apply-email"), "email", None, &form.email, "email"))
                (text_field("address", &lang.t("apply-address"), "text", None, &form.address, "street-address"))
            }
            div class=(field_class(description_err.is_some())) {
                label for="f-description" { (lang.t("apply-description")) }
                p class="hint" id="hint-description" { (lang.t("apply-description-hint")) }
                @if let Some(e) = &description_err { p class="error" id="err-description" { (e) } }
                textarea id="f-description" name="description" rows="8" maxlength="5000"
                    aria-invalid=[description_err.as_ref().map(|_| "true")]
                    aria-describedby=(if description_err.is_some() { "err-description" } else { "hint-description" }) {
                    (form.description)
                }
            }
            @if site.settings.ask_purpose {
                (text_field("purpose", &lang.t("apply-purpose"), "text", None, &form.purpose, "off"))
            }
            fieldset {
                legend { (lang.t("apply-delivery-method")) }
                (group_error("delivery_method"))
                @for m in crate::requests::model::DELIVERY_METHODS {
                    (radio("delivery_method", m, lang.t(&format!("delivery-{m}")), form.delivery_method == *m))
                }
            }
            fieldset {
                legend { (lang.t("apply-delivery-form")) }
                (group_error("delivery_form"))
                @for m in crate::requests::model::DELIVERY_FORMS {
                    (radio("delivery_form", m, lang.t(&format!("form-{m}")), form.delivery_form == *m))
                }
            }
            @let document_err = error(documents::FIELD);
            div class=(field_class(document_err.is_some())) {
                label for="f-document" { (lang.t("apply-document")) }
                p class="hint" id="hint-document" {
                    (lang.t("apply-document-hint"))
                    @if form.had_document && document_err.is_none() { " " strong { (lang.t("apply-document-again")) } }
                }
                @if let Some(e) = &document_err { p class="error" id="err-document" { (e) } }
                input id="f-document" name="document" type="file" accept="image/jpeg,image/png,application/pdf"
                    aria-invalid=[document_err.as_ref().map(|_| "true")]
                    aria-describedby=(if document_err.is_some() { "err-document" } else { "hint-document" });
            }
            div class="actions" {
                button type="submit" class="primary" { (lang.t("apply-submit")) }
            }
        }
    };
    let mut page = PageResponse::new(layout::page(req, &site.chrome(req), &title, main))
        .status(status)
        .no_store();
    if let Some(c) = cookie {
        page = page.cookie(c);
    }
    page
}

fn field_class(has_error: bool) -> &'static str {
    if has_error {
        "field has-error"
    } else {
        "field"
    }
}

/// The input a problem's link jumps to (radio groups: the chosen or first option).
fn anchor(field: &str, form: &ApplyForm) -> String {
    match field {
        "applicant_type" => format!(
            "applicant_type-{}",
            if form.applicant_type.is_empty() {
                "person"
            } else {
                &form.applicant_type
            }
        ),
        "delivery_method" => format!(
            "delivery_method-{}",
            if form.delivery_method.is_empty() {
                "email"
            } else {
                &form.delivery_method
            }
        ),
        "delivery_form" => format!(
            "delivery_form-{}",
            if form.delivery_form.is_empty() {
                "electronic"
            } else {
                &form.delivery_form
            }
        ),
        "form" => "description".into(),
        other => other.to_string(),
    }
}

/// The receipt: number and access code, shown once, printable.
fn receipt_page(req: &PageReq, site: &Site, receipt: &Receipt) -> PageResponse {
    let lang = req.lang;
    let title = lang.t("receipt-title");
    let main = html! {
        section class="receipt" aria-labelledby="receipt-title" {
            h1 id="receipt-title" { (title) }
            p class="lead" role="status" { (lang.t("receipt-lead")) }
            dl class="facts receipt-facts" {
                dt { (lang.t("receipt-agency")) } dd { (site.name(lang)) }
                dt { (lang.t("receipt-number")) } dd class="mono big" id="tracking-number" { (receipt.tracking_number) }
                dt { (lang.t("receipt-code")) } dd class="mono big" id="access-code" { (receipt.access_code) }
                dt { (lang.t("receipt-received")) } dd { (receipt.received_on) }
                dt { (lang.t("receipt-status")) } dd { (lang.t(&format!("status-{}", receipt.status))) }
            }
            p class="warning" { (lang.t("receipt-code-once")) }
            p { (lang.t("receipt-print")) }
            p class="actions no-print" {
                a class="button primary" href=(site.href("track")) { (lang.t("receipt-track")) }
            }
        }
    };
    PageResponse::new(layout::page(req, &site.chrome(req), &title, main))
        .status(StatusCode::OK)
        .no_store()
}
