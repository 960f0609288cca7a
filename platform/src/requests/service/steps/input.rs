//! The steps of the workflow: what each takes as input, its checks that need no
//! database, and the lifecycle transition it asks for.

use super::conflict;
use crate::kernel::error::{check, FieldProblem, Result};
use crate::requests::store::RequestRow;
use gongkai_rules::requests::deadline;
use gongkai_rules::requests::lifecycle::{
    self, AbandonReason, Action, ConsultParty, Phase, RequestState,
};
use gongkai_rules::requests::outcome::Outcome;

/// One step of the workflow, with what it needs.
#[derive(Debug, Clone)]
pub enum Step {
    Register,
    RequestCorrection {
        what: String,
        respond_within_working_days: u32,
    },
    /// The corrected request arrived (from the applicant's page, or on paper).
    ReceiveCorrection {
        text: Option<String>,
    },
    Assign {
        assignee_id: Option<String>,
        department: Option<String>,
    },
    Refer {
        agency: String,
    },
    StartConsultation {
        party: ConsultParty,
        with: String,
    },
    EndConsultation {
        result: String,
    },
    Extend {
        working_days: u32,
        reason: String,
    },
    NotifyFee {
        basis: String,
        pages: Option<u32>,
    },
    FeePaid,
    Draft {
        outcome: String,
        reply_text: Option<String>,
    },
    Approve,
    Return {
        comments: String,
    },
    Deliver {
        note: Option<String>,
    },
    Close,
    Withdraw {
        reason: Option<String>,
    },
    Abandon(AbandonReason),
}

impl Step {
    /// The event's kind, and the audit action's suffix.
    pub(super) fn name(&self) -> &'static str {
        match self {
            Step::Register => "registered",
            Step::RequestCorrection { .. } => "correction_requested",
            Step::ReceiveCorrection { .. } => "corrected",
            Step::Assign { .. } => "assigned",
            Step::Refer { .. } => "referred",
            Step::StartConsultation { .. } => "consultation_started",
            Step::EndConsultation { .. } => "consultation_ended",
            Step::Extend { .. } => "extended",
            Step::NotifyFee { .. } => "fee_noticed",
            Step::FeePaid => "fee_paid",
            Step::Draft { .. } => "answer_drafted",
            Step::Approve => "answer_approved",
            Step::Return { .. } => "answer_returned",
            Step::Deliver { .. } => "delivered",
            Step::Close => "closed",
            Step::Withdraw { .. } => "withdrawn",
            Step::Abandon(_) => "abandoned",
        }
    }

    /// Input checks that need no database (422, every problem at once).
    pub(super) fn check(&self) -> Result<()> {
        let mut problems = Vec::new();
        match self {
            Step::RequestCorrection {
                what,
                respond_within_working_days,
            } => {
                if what.trim().is_empty() {
                    problems.push(FieldProblem::new(
                        "what",
                        "say what the applicant must correct",
                    ));
                }
                if !(1..=30).contains(respond_within_working_days) {
                    problems.push(FieldProblem::new(
                        "respond_within_working_days",
                        "1 to 30 working days",
                    ));
                }
            }
            Step::Assign {
                assignee_id: None,
                department,
            } if department.as_deref().unwrap_or("").trim().is_empty() => {
                problems.push(FieldProblem::new(
                    "assignee_id",
                    "name an officer or a department",
                ));
            }
            Step::Refer { agency } if agency.trim().is_empty() => {
                problems.push(FieldProblem::new(
                    "agency",
                    "name the agency that holds the information",
                ));
            }
            Step::StartConsultation { with, .. } if with.trim().is_empty() => {
                problems.push(FieldProblem::new("with", "name the party consulted"));
            }
            Step::EndConsultation { result }
                if !matches!(result.as_str(), "consent" | "objection" | "no_reply") =>
            {
                problems.push(FieldProblem::new(
                    "result",
                    "consent, objection or no_reply",
                ));
            }
            Step::Extend {
                working_days,
                reason,
            } => {
                if !(1..=deadline::MAX_EXTENSION).contains(working_days) {
                    problems.push(FieldProblem::new(
                        "working_days",
                        format!(
                            "an extension is 1 to {} working days (art. 33)",
                            deadline::MAX_EXTENSION
                        ),
                    ));
                }
                if reason.trim().is_empty() {
                    problems.push(FieldProblem::new("reason", "the applicant is told why"));
                }
            }
            Step::NotifyFee { basis, pages } => match (basis.as_str(), pages) {
                ("count", None) => {}
                ("count", Some(_)) => problems.push(FieldProblem::new(
                    "pages",
                    "a fee by count does not take pages: never both on one request",
                )),
                ("pages", Some(p)) if *p > 0 => {}
                ("pages", _) => problems.push(FieldProblem::new(
                    "pages",
                    "the number of pages (above zero)",
                )),
                _ => problems.push(FieldProblem::new("basis", "count or pages")),
            },
            Step::Draft { outcome, .. } => match outcome.parse::<Outcome>() {
                Err(e) => problems.push(FieldProblem::new("outcome_code", e.to_string())),
                Ok(o) if matches!(o.code(), "6.1" | "6.2") => problems.push(FieldProblem::new(
                    "outcome_code",
                    "6.1 and 6.2 follow from a correction or fee that lapsed; they are not drafted",
                )),
                Ok(_) => {}
            },
            Step::Return { comments } if comments.trim().is_empty() => {
                problems.push(FieldProblem::new("comments", "say what to change"));
            }
            _ => {}
        }
        check(problems)
    }

    /// The lifecycle state after this step, or a refusal (409) in the current phase.
    pub(super) fn transition(&self, row: &RequestRow) -> Result<RequestState> {
        let current = row.state;
        let action = match self {
            Step::Register => Action::Register {
                tracking_number: row.tracking_number.clone(),
            },
            Step::RequestCorrection { .. } => Action::RequestCorrection,
            Step::ReceiveCorrection { .. } => Action::ReceiveCorrection,
            // Reassigning a request in hand keeps its phase; referring never moves it.
            Step::Assign { .. } if current.phase == Phase::Assigned => {
                return keep_phase(self, row)
            }
            Step::Assign { .. } => Action::Assign,
            Step::Refer { .. } => return keep_phase(self, row),
            Step::StartConsultation { party, .. } => Action::StartConsultation { party: *party },
            Step::EndConsultation { .. } => Action::EndConsultation,
            Step::Extend { .. } => Action::Extend,
            Step::NotifyFee { .. } => Action::NotifyFee,
            Step::FeePaid => Action::FeePaid,
            Step::Draft { .. } => Action::DraftAnswer,
            Step::Approve => Action::ApproveAnswer,
            Step::Return { comments } => Action::ReturnAnswer {
                comments: comments.clone(),
            },
            Step::Deliver { .. } => Action::Deliver,
            Step::Close => Action::Close,
            Step::Withdraw { .. } => Action::Withdraw,
            Step::Abandon(reason) => Action::Abandon { reason: *reason },
        };
        lifecycle::apply(current, &action).map_err(|e| conflict(row, e.to_string()))
    }
}

/// A step that leaves the phase as it is: allowed once registered and before the answer.
fn keep_phase(step: &Step, row: &RequestRow) -> Result<RequestState> {
    let phase = row.state.phase;
    if !phase.before_answer() || phase == Phase::Received {
        return Err(conflict(
            row,
            format!("cannot {} a request that is {}", step.name(), row.phase()),
        ));
    }
    Ok(row.state)
}
