//! What goes in and out of the request capability: the public submission and its checks,
//! the applicant's sealed data, and the views for the applicant and for staff.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::kernel::error::FieldProblem;
use gongkai_rules::identity::{is_credit_code, is_resident_id};

/// Applicant types of table 3: a natural person, or one of the five kinds of legal
/// person / other organisation.
pub const APPLICANT_TYPES: &[(&str, &str)] = &[
    ("person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other", "其他"),
];

/// Identity documents of natural persons. Only the resident ID has a checksum to verify.
pub const ID_TYPES: &[&str] = &[
    "resident_id",
    "passport",
    "hk_macao_permit",
    "taiwan_permit",
    "foreign_permanent_residence",
    "other",
];

pub const DELIVERY_METHODS: &[&str] = &["email", "post", "collection", "online"];
pub const DELIVERY_FORMS: &[&str] = &["electronic", "paper"];

/// A request for information as an applicant submits it (no account needed).
#[derive(Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// `person`, `commercial`, `research`, `public_interest`, `legal_service` or `other`.
    pub applicant_type: String,
    /// The person's name, or the organisation's contact person.
    pub name: String,
    /// For persons: `resident_id`, `passport`, `hk_macao_permit`, `taiwan_permit`,
    /// `foreign_permanent_residence` or `other`.
    pub id_type: Option<String>,
    pub id_number: Option<String>,
    /// For organisations: name and unified social credit code (统一社会信用代码).
    pub organisation: Option<String>,
    pub credit_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// The information sought (所需政府信息的名称、文号或便于查询的其他特征性描述).
    pub description: String,
    /// `email`, `post`, `collection` or `online`.
    pub delivery_method: String,
    /// `electronic` or `paper`.
    pub delivery_form: String,
    /// `zh` (default) or `en`: English is added to Chinese in what we send.
    pub language: Option<String>,
}

/// Never print an applicant's data, not even in a debug log.
impl std::fmt::Debug for Submission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Submission(..)")
    }
}

/// The applicant's personal data, sealed as one JSON document.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct Applicant {
    pub name: String,
    pub id_type: Option<String>,
    pub id_number: Option<String>,
    pub organisation: Option<String>,
    pub credit_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl std::fmt::Debug for Applicant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Applicant(..)")
    }
}

fn clean(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !value.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn looks_like_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
}

/// Checks a submission; every problem at once. Returns the applicant's data, cleaned.
pub fn check_submission(
    input: &Submission,
    today: NaiveDate,
) -> Result<Applicant, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut bad = |field: &str, message: &str| problems.push(FieldProblem::new(field, message));
    let person = input.applicant_type == "person";
    if !APPLICANT_TYPES
        .iter()
        .any(|(t, _)| *t == input.applicant_type)
    {
        bad(
            "applicant_type",
            "one of person, commercial, research, public_interest, legal_service, other",
        );
    }
    if input.name.trim().is_empty() {
        bad(
            "name",
            "the applicant's name (or the organisation's contact person) is required",
        );
    }
    let id_type = clean(&input.id_type);
    let id_number = clean(&input.id_number).map(|n| n.to_uppercase());
    let organisation = clean(&input.organisation);
    let credit_code = clean(&input.credit_code).map(|c| c.to_uppercase());
    if person {
        match id_type.as_deref() {
            None => bad("id_type", "a natural person names an identity document"),
            Some(t) if !ID_TYPES.contains(&t) => bad(
                "id_type",
                "one of resident_id, passport, hk_macao_permit, taiwan_permit, foreign_permanent_residence, other",
            ),
            _ => {}
        }
        match id_number.as_deref() {
            None => bad("id_number", "the identity document's number is required"),
            Some(n) if id_type.as_deref() == Some("resident_id") && !is_resident_id(n, today) => bad(
                "id_number",
                "not a valid resident ID number: 18 characters whose check character (GB 11643) and birth date are right",
            ),
            Some(n) if n.chars().count() > 40 => bad("id_number", "at most 40 characters"),
            _ => {}
        }
    } else {
        if organisation.is_none() {
            bad("organisation", "an organisation gives its name");
        }
        match credit_code.as_deref() {
            None => bad("credit_code", "an organisation gives its unified social credit code"),
            Some(c) if !is_credit_code(c) => bad(
                "credit_code",
                "not a valid unified social credit code: 18 characters whose check character (GB 32100) is right",
            ),
            _ => {}
        }
    }
    let phone = clean(&input.phone);
    let email = clean(&input.email);
    let address = clean(&input.address);
    if let Some(p) = &phone {
        if !looks_like_phone(p) {
            bad("phone", "a telephone number of 7 to 15 digits");
        }
    }
    if let Some(e) = &email {
        if !looks_like_email(e) {
            bad("email", "an e-mail address like name@example.cn");
        }
    }
    if phone.is_none() && email.is_none() && address.is_none() {
        bad(
            "phone",
            "give at least one way to reach the applicant (phone, e-mail or address)",
        );
    }
    let description = input.description.trim();
    if description.chars().count() < 5 {
        bad(
            "description",
            "describe the information sought (at least 5 characters)",
        );
    } else if description.chars().count() > 5000 {
        bad("description", "at most 5000 characters");
    }
    if !DELIVERY_METHODS.contains(&input.delivery_method.as_str()) {
        bad("delivery_method", "one of email, post, collection, online");
    }
    if !DELIVERY_FORMS.contains(&input.delivery_form.as_str()) {
        bad("delivery_form", "one of electronic, paper");
    }
    match (input.delivery_method.as_str(), input.delivery_form.as_str()) {
        ("email", _) if email.is_none() => bad(
            "email",
            "delivery by e-mail needs the applicant's e-mail address",
        ),
        ("post", _) if address.is_none() => bad(
            "address",
            "delivery by post needs the applicant's postal address",
        ),
        ("collection", _) if phone.is_none() => bad(
            "phone",
            "collection in person needs a phone number to say when the answer is ready",
        ),
        _ => {}
    }
    if matches!(input.delivery_method.as_str(), "email" | "online")
        && input.delivery_form == "paper"
    {
        bad(
            "delivery_form",
            "paper copies are sent by post or collected; choose electronic for e-mail or online",
        );
    }
    if let Some(l) = &input.language {
        if l != "zh" && l != "en" {
            bad("language", "zh or en");
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Applicant {
        name: input.name.trim().to_string(),
        id_type: if person { id_type } else { None },
        id_number: if person { id_number } else { None },
        organisation: if person { None } else { organisation },
        credit_code: if person { None } else { credit_code },
        phone,
        email,
        address,
    })
}

/// What the applicant gets back: keep both to follow the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Receipt {
    pub tracking_number: String,
    pub access_code: String,
    pub status: String,
    pub received_on: String,
    /// Where to follow it (send the access code in the `X-Access-Code` header).
    pub track_url: String,
}

/// One step of a request's life as the applicant sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub seq: i64,
    pub kind: String,
    pub on: String,
    pub at: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// The due date and how it was computed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineView {
    /// `due`, `awaiting_registration`, `awaiting_correction`, `paused`, `awaiting_fee`,
    /// `answered`, `stopped` (withdrawn/abandoned/closed) or `no_calendar`.
    pub state: String,
    pub due: Option<String>,
    pub provisional: bool,
    pub working_days_left: Option<i64>,
    pub overdue: bool,
    /// Why no due date is shown, when none is.
    pub message: Option<String>,
    /// Step-by-step account, each line "中文 / English".
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct FeeView {
    pub id: String,
    pub basis: String,
    pub units: i64,
    pub amount_yuan: i64,
    pub noticed_on: String,
    pub pay_by: String,
    pub status: String,
    pub paid_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswerView {
    pub id: String,
    pub outcome_code: String,
    pub outcome_label: String,
    pub reply_text: String,
    pub status: String,
    pub drafted_by: String,
    pub drafted_at: String,
    pub reviewed_by: Option<String>,
    pub comments: Option<String>,
}

/// The applicant's view (tracking number + access code).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicView {
    pub tracking_number: String,
    pub status: String,
    pub status_zh: String,
    pub received_on: String,
    pub outcome_code: Option<String>,
    pub deadline: DeadlineView,
    pub timeline: Vec<TimelineEntry>,
    pub fee: Option<FeeView>,
    /// The reply, once delivered.
    pub answer: Option<AnswerView>,
}

/// A request in staff lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestSummary {
    pub id: String,
    pub tracking_number: String,
    pub applicant_type: String,
    pub status: String,
    pub received_on: String,
    pub due_state: String,
    pub due_on: Option<String>,
    pub overdue: bool,
    pub assignee_id: Option<String>,
    pub department: Option<String>,
    pub outcome_code: Option<String>,
    pub extended: bool,
    pub fee_pending: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct RemedyView {
    pub id: String,
    pub request_id: String,
    pub kind: String,
    pub result: String,
    pub case_number: String,
    pub filed_on: String,
    pub decided_on: Option<String>,
}

/// What a reader without `requests:personal_data` (oversight above the agency, an
/// administrator) sees of one request: status, dates, outcome and counts. No applicant,
/// no request text, no reply text, no timeline details.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OversightView {
    pub summary: RequestSummary,
    pub answered_on: Option<String>,
    pub deadline: DeadlineView,
    pub events: usize,
    pub answers: usize,
    pub fees: usize,
    pub remedies: usize,
}

/// One request as its reader may see it: `view` says which.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "view", rename_all = "snake_case")]
pub enum RequestRead {
    /// Personal data opened; the read is in the audit chain.
    Full(Box<StaffView>),
    Oversight(Box<OversightView>),
}

/// Everything staff see of one request, personal data opened.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffView {
    pub summary: RequestSummary,
    pub applicant: Applicant,
    pub description: String,
    pub delivery_method: String,
    pub delivery_form: String,
    pub language: String,
    pub referred_to: Option<String>,
    pub correction_used: bool,
    pub open_consultations: i64,
    pub deadline: DeadlineView,
    pub timeline: Vec<TimelineEntry>,
    pub answers: Vec<AnswerView>,
    pub fees: Vec<FeeView>,
    pub remedies: Vec<RemedyView>,
    /// What the applicant sent with the request (an ID copy): fetched one by one, each
    /// fetch audited.
    pub documents: Vec<DocumentView>,
}

/// A document the applicant sent (身份证明等材料): what it is, never its bytes.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DocumentView {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub received_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> Submission {
        Submission {
            applicant_type: "person".into(),
            name: "张三".into(),
            id_type: Some("resident_id".into()),
            id_number: Some("11010519491231002X".into()),
            organisation: None,
            credit_code: None,
            phone: Some("13800138000".into()),
            email: Some("zhang@example.cn".into()),
            address: None,
            description: "2025年本市道路维修资金使用情况".into(),
            delivery_method: "email".into(),
            delivery_form: "electronic".into(),
            language: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
    }

    #[test]
    fn a_good_submission_passes() {
        let a = check_submission(&input(), today()).unwrap();
        assert_eq!(a.id_number.as_deref(), Some("11010519491231002X"));
    }

    #[test]
    fn every_problem_is_named() {
        let mut s = input();
        s.id_number = Some("110105194912310021".into());
        s.email = None;
        s.delivery_form = "paper".into();
        let problems = check_submission(&s, today()).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["id_number", "email", "delivery_form"],
            "{problems:?}"
        );
    }

    #[test]
    fn organisations_need_a_valid_credit_code() {
        let mut s = input();
        s.applicant_type = "legal_service".into();
        s.organisation = Some("某律师事务所".into());
        s.credit_code = Some("91350100M000100Y40".into());
        let problems = check_submission(&s, today()).unwrap_err();
        assert_eq!(problems[0].field, "credit_code");
        s.credit_code = Some("91350100M000100Y43".into());
        let a = check_submission(&s, today()).unwrap();
        assert!(a.id_number.is_none());
    }
}
