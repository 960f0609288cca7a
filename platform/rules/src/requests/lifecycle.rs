//! Lifecycle of a request for disclosure (依申请公开), as plain functions.
//!
//! ```text
//! received → registered → [correction_requested → corrected] → assigned
//!   → [consulting (third party / other agency) → assigned] → answer_drafted
//!   → answer_reviewed (or returned to assigned for redrafting) → answered → closed
//! withdrawn: by the applicant at any time before answered
//! abandoned: no correction in time (outcome 6.1) or fee not paid in time (outcome 6.2)
//! ```
//!
//! Three facts are flags rather than phases, because they do not stop the work in progress:
//! - `correction_used`: the applicant is asked to correct once (Regulation art. 30);
//! - `extended`: the single extension of at most 20 working days (art. 33);
//! - `fee_pending`: a fee notice is out; nothing is delivered until it is paid.
//!
//! Deadlines are not here: they are derived from the timeline of these transitions and the
//! working-day calendar.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Who is being consulted; the time spent is excluded from the clock either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsultParty {
    /// 第三方 (art. 32): 15 working days to answer.
    ThirdParty,
    /// Another agency that made the information (art. 34): 15 working days, silence = consent.
    OtherAgency,
}

/// Why a request was abandoned; each maps to an outcome code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbandonReason {
    /// 申请人无正当理由逾期不补正 → outcome 6.1
    NoCorrection,
    /// 申请人逾期未按收费通知要求缴纳费用 → outcome 6.2
    FeeLapsed,
}

impl AbandonReason {
    /// The outcome code (see `requests::outcome`).
    pub fn outcome_code(self) -> &'static str {
        match self {
            AbandonReason::NoCorrection => "6.1",
            AbandonReason::FeeLapsed => "6.2",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    Received,
    /// Has a tracking number.
    Registered,
    CorrectionRequested,
    Corrected,
    /// A handler works on it (also: drafting, and redrafting after a returned answer).
    Assigned,
    /// `open` consultations are running (letters to several parties may be out at once).
    Consulting {
        open: u32,
    },
    AnswerDrafted,
    /// The answer was approved and can be delivered.
    AnswerReviewed,
    /// Delivered to the applicant.
    Answered,
    Closed,
    Withdrawn,
    Abandoned {
        reason: AbandonReason,
    },
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Received => "received",
            Phase::Registered => "registered",
            Phase::CorrectionRequested => "correction_requested",
            Phase::Corrected => "corrected",
            Phase::Assigned => "assigned",
            Phase::Consulting { .. } => "consulting",
            Phase::AnswerDrafted => "answer_drafted",
            Phase::AnswerReviewed => "answer_reviewed",
            Phase::Answered => "answered",
            Phase::Closed => "closed",
            Phase::Withdrawn => "withdrawn",
            Phase::Abandoned { .. } => "abandoned",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Phase::Received => "已接收",
            Phase::Registered => "已登记",
            Phase::CorrectionRequested => "待补正",
            Phase::Corrected => "已补正",
            Phase::Assigned => "办理中",
            Phase::Consulting { .. } => "征求意见中",
            Phase::AnswerDrafted => "答复待审核",
            Phase::AnswerReviewed => "答复已审核",
            Phase::Answered => "已答复",
            Phase::Closed => "已办结",
            Phase::Withdrawn => "已撤回",
            Phase::Abandoned { .. } => "视为放弃",
        }
    }

    /// No further transition is possible.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Phase::Closed | Phase::Withdrawn | Phase::Abandoned { .. }
        )
    }

    /// Phases in which the applicant may still withdraw (before the answer is delivered).
    pub fn before_answer(self) -> bool {
        !matches!(
            self,
            Phase::Answered | Phase::Closed | Phase::Withdrawn | Phase::Abandoned { .. }
        )
    }

    /// Phases in which a handler works on the substance (extension and fees apply).
    fn in_handling(self) -> bool {
        matches!(
            self,
            Phase::Assigned
                | Phase::Consulting { .. }
                | Phase::AnswerDrafted
                | Phase::AnswerReviewed
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestState {
    pub phase: Phase,
    /// A correction was already requested (it may be requested only once).
    pub correction_used: bool,
    /// The answer period was extended (at most once).
    pub extended: bool,
    /// A fee notice is out and unpaid.
    pub fee_pending: bool,
}

impl RequestState {
    /// A request just received.
    pub fn new() -> Self {
        RequestState {
            phase: Phase::Received,
            correction_used: false,
            extended: false,
            fee_pending: false,
        }
    }
}

impl Default for RequestState {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.phase.as_str())?;
        if self.extended {
            f.write_str(" (extended)")?;
        }
        if self.fee_pending {
            f.write_str(" (fee pending)")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Give the request its tracking number.
    Register {
        tracking_number: String,
    },
    /// Tell the applicant, once, what to correct.
    RequestCorrection,
    /// The corrected request arrived (the clock restarts from here).
    ReceiveCorrection,
    /// Hand it to a handler (again after a correction).
    Assign,
    StartConsultation {
        party: ConsultParty,
    },
    /// One consultation answered or its period ran out.
    EndConsultation,
    /// The single extension, approved by the head of the disclosure office.
    Extend,
    /// Tell the applicant a fee is due.
    NotifyFee,
    FeePaid,
    DraftAnswer,
    ApproveAnswer,
    /// Send the draft back for redrafting.
    ReturnAnswer {
        comments: String,
    },
    /// Deliver the answer to the applicant.
    Deliver,
    Close,
    /// The applicant withdraws the request.
    Withdraw,
    Abandon {
        reason: AbandonReason,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Register,
    RequestCorrection,
    ReceiveCorrection,
    Assign,
    StartConsultation,
    EndConsultation,
    Extend,
    NotifyFee,
    FeePaid,
    DraftAnswer,
    ApproveAnswer,
    ReturnAnswer,
    Deliver,
    Close,
    Withdraw,
    Abandon,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Register => "register",
            ActionKind::RequestCorrection => "request_correction",
            ActionKind::ReceiveCorrection => "receive_correction",
            ActionKind::Assign => "assign",
            ActionKind::StartConsultation => "start_consultation",
            ActionKind::EndConsultation => "end_consultation",
            ActionKind::Extend => "extend",
            ActionKind::NotifyFee => "notify_fee",
            ActionKind::FeePaid => "fee_paid",
            ActionKind::DraftAnswer => "draft_answer",
            ActionKind::ApproveAnswer => "approve_answer",
            ActionKind::ReturnAnswer => "return_answer",
            ActionKind::Deliver => "deliver",
            ActionKind::Close => "close",
            ActionKind::Withdraw => "withdraw",
            ActionKind::Abandon => "abandon",
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Register { .. } => ActionKind::Register,
            Action::RequestCorrection => ActionKind::RequestCorrection,
            Action::ReceiveCorrection => ActionKind::ReceiveCorrection,
            Action::Assign => ActionKind::Assign,
            Action::StartConsultation { .. } => ActionKind::StartConsultation,
            Action::EndConsultation => ActionKind::EndConsultation,
            Action::Extend => ActionKind::Extend,
            Action::NotifyFee => ActionKind::NotifyFee,
            Action::FeePaid => ActionKind::FeePaid,
            Action::DraftAnswer => ActionKind::DraftAnswer,
            Action::ApproveAnswer => ActionKind::ApproveAnswer,
            Action::ReturnAnswer { .. } => ActionKind::ReturnAnswer,
            Action::Deliver => ActionKind::Deliver,
            Action::Close => ActionKind::Close,
            Action::Withdraw => ActionKind::Withdraw,
            Action::Abandon { .. } => ActionKind::Abandon,
        }
    }
}

/// A refused transition: names the state and the action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a request that is {state}: {reason}", action.as_str())]
pub struct TransitionError {
    pub state: RequestState,
    pub action: ActionKind,
    pub reason: &'static str,
}

/// Whether a correction may still be requested (only once, and only before the
/// substance is handled past assignment).
pub fn may_request_correction(state: &RequestState) -> bool {
    !state.correction_used && matches!(state.phase, Phase::Registered | Phase::Assigned)
}

/// Applies `action` to `state`.
pub fn apply(state: RequestState, action: &Action) -> Result<RequestState, TransitionError> {
    let refuse = |reason: &'static str| TransitionError {
        state,
        action: action.kind(),
        reason,
    };
    let to = |phase: Phase| Ok(RequestState { phase, ..state });
    let p = state.phase;

    match action {
        Action::Register { tracking_number } => match p {
            Phase::Received if tracking_number.trim().is_empty() => {
                Err(refuse("a tracking number is required"))
            }
            Phase::Received => to(Phase::Registered),
            _ => Err(refuse("only a received request can be registered")),
        },
        Action::RequestCorrection => {
            if state.correction_used && matches!(p, Phase::Registered | Phase::Assigned) {
                Err(refuse("a correction may be requested only once"))
            } else if may_request_correction(&state) {
                Ok(RequestState {
                    phase: Phase::CorrectionRequested,
                    correction_used: true,
                    ..state
                })
            } else {
                Err(refuse(
                    "a correction is requested right after registration or assignment",
                ))
            }
        }
        Action::ReceiveCorrection => match p {
            Phase::CorrectionRequested => to(Phase::Corrected),
            _ => Err(refuse("no correction was requested")),
        },
        Action::Assign => match p {
            Phase::Registered | Phase::Corrected => to(Phase::Assigned),
            _ => Err(refuse(
                "only a registered or corrected request can be assigned",
            )),
        },
        Action::StartConsultation { .. } => match p {
            Phase::Assigned => to(Phase::Consulting { open: 1 }),
            Phase::Consulting { open } => to(Phase::Consulting { open: open + 1 }),
            _ => Err(refuse("consultations happen while the request is handled")),
        },
        Action::EndConsultation => match p {
            Phase::Consulting { open } if open > 1 => to(Phase::Consulting { open: open - 1 }),
            Phase::Consulting { .. } => to(Phase::Assigned),
            _ => Err(refuse("no consultation is open")),
        },
        Action::Extend => {
            if !p.in_handling() {
                Err(refuse("only a request being handled can be extended"))
            } else if state.extended {
                Err(refuse("the period can be extended only once"))
            } else {
                Ok(RequestState {
                    extended: true,
                    ..state
                })
            }
        }
        Action::NotifyFee => {
            if !p.in_handling() {
                Err(refuse("a fee is notified while the request is handled"))
            } else if state.fee_pending {
                Err(refuse("a fee notice is already out"))
            } else {
                Ok(RequestState {
                    fee_pending: true,
                    ..state
                })
            }
        }
        Action::FeePaid => {
            if state.fee_pending && p.in_handling() {
                Ok(RequestState {
                    fee_pending: false,
                    ..state
                })
            } else {
                Err(refuse("no fee is pending"))
            }
        }
        Action::DraftAnswer => match p {
            Phase::Assigned => to(Phase::AnswerDrafted),
            Phase::Consulting { .. } => Err(refuse("a consultation is still open")),
            _ => Err(refuse("an answer is drafted for an assigned request")),
        },
        Action::ApproveAnswer => match p {
            Phase::AnswerDrafted => to(Phase::AnswerReviewed),
            _ => Err(refuse("no drafted answer to review")),
        },
        Action::ReturnAnswer { comments } => match p {
            Phase::AnswerDrafted | Phase::AnswerReviewed if comments.trim().is_empty() => {
                Err(refuse("returning an answer needs comments"))
            }
            Phase::AnswerDrafted | Phase::AnswerReviewed => to(Phase::Assigned),
            _ => Err(refuse("no drafted answer to return")),
        },
        Action::Deliver => match p {
            Phase::AnswerReviewed if state.fee_pending => Err(refuse("the fee is not paid yet")),
            Phase::AnswerReviewed => to(Phase::Answered),
            _ => Err(refuse("only a reviewed answer can be delivered")),
        },
        Action::Close => match p {
            Phase::Answered => to(Phase::Closed),
            _ => Err(refuse("only an answered request can be closed")),
        },
        Action::Withdraw => {
            if p.before_answer() {
                to(Phase::Withdrawn)
            } else {
                Err(refuse(
                    "the applicant can withdraw only before the answer is delivered",
                ))
            }
        }
        Action::Abandon { reason } => match reason {
            AbandonReason::NoCorrection if p == Phase::CorrectionRequested => {
                to(Phase::Abandoned { reason: *reason })
            }
            AbandonReason::NoCorrection => Err(refuse("no correction is awaited")),
            AbandonReason::FeeLapsed if state.fee_pending && p.in_handling() => Ok(RequestState {
                phase: Phase::Abandoned { reason: *reason },
                fee_pending: false,
                ..state
            }),
            AbandonReason::FeeLapsed => Err(refuse("no fee is pending")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_phases() -> Vec<Phase> {
        vec![
            Phase::Received,
            Phase::Registered,
            Phase::CorrectionRequested,
            Phase::Corrected,
            Phase::Assigned,
            Phase::Consulting { open: 1 },
            Phase::Consulting { open: 2 },
            Phase::AnswerDrafted,
            Phase::AnswerReviewed,
            Phase::Answered,
            Phase::Closed,
            Phase::Withdrawn,
            Phase::Abandoned {
                reason: AbandonReason::NoCorrection,
            },
            Phase::Abandoned {
                reason: AbandonReason::FeeLapsed,
            },
        ]
    }

    fn all_states() -> Vec<RequestState> {
        let mut out = Vec::new();
        for phase in all_phases() {
            for bits in 0..8u8 {
                out.push(RequestState {
                    phase,
                    correction_used: bits & 1 != 0,
                    extended: bits & 2 != 0,
                    fee_pending: bits & 4 != 0,
                });
            }
        }
        out
    }

    fn all_actions() -> Vec<Action> {
        vec![
            Action::Register {
                tracking_number: "YSQ-2025-0001".into(),
            },
            Action::Register {
                tracking_number: " ".into(),
            },
            Action::RequestCorrection,
            Action::ReceiveCorrection,
            Action::Assign,
            Action::StartConsultation {
                party: ConsultParty::ThirdParty,
            },
            Action::StartConsultation {
                party: ConsultParty::OtherAgency,
            },
            Action::EndConsultation,
            Action::Extend,
            Action::NotifyFee,
            Action::FeePaid,
            Action::DraftAnswer,
            Action::ApproveAnswer,
            Action::ReturnAnswer {
                comments: "依据引用有误".into(),
            },
            Action::ReturnAnswer {
                comments: "".into(),
            },
            Action::Deliver,
            Action::Close,
            Action::Withdraw,
            Action::Abandon {
                reason: AbandonReason::NoCorrection,
            },
            Action::Abandon {
                reason: AbandonReason::FeeLapsed,
            },
        ]
    }

    /// The rules, restated independently of `apply`.
    fn expected(s: RequestState, a: &Action) -> Option<RequestState> {
        use Phase::*;
        let to = |phase| Some(RequestState { phase, ..s });
        let handling = matches!(
            s.phase,
            Assigned | Consulting { .. } | AnswerDrafted | AnswerReviewed
        );
        match (a, s.phase) {
            (Action::Register { tracking_number }, Received)
                if !tracking_number.trim().is_empty() =>
            {
                to(Registered)
            }
            (Action::RequestCorrection, Registered | Assigned) if !s.correction_used => {
                Some(RequestState {
                    phase: CorrectionRequested,
                    correction_used: true,
                    ..s
                })
            }
            (Action::ReceiveCorrection, CorrectionRequested) => to(Corrected),
            (Action::Assign, Registered | Corrected) => to(Assigned),
            (Action::StartConsultation { .. }, Assigned) => to(Consulting { open: 1 }),
            (Action::StartConsultation { .. }, Consulting { open }) => {
                to(Consulting { open: open + 1 })
            }
            (Action::EndConsultation, Consulting { open: 1 }) => to(Assigned),
            (Action::EndConsultation, Consulting { open }) => to(Consulting { open: open - 1 }),
            (Action::Extend, _) if handling && !s.extended => Some(RequestState {
                extended: true,
                ..s
            }),
            (Action::NotifyFee, _) if handling && !s.fee_pending => Some(RequestState {
                fee_pending: true,
                ..s
            }),
            (Action::FeePaid, _) if handling && s.fee_pending => Some(RequestState {
                fee_pending: false,
                ..s
            }),
            (Action::DraftAnswer, Assigned) => to(AnswerDrafted),
            (Action::ApproveAnswer, AnswerDrafted) => to(AnswerReviewed),
            (Action::ReturnAnswer { comments }, AnswerDrafted | AnswerReviewed)
                if !comments.is_empty() =>
            {
                to(Assigned)
            }
            (Action::Deliver, AnswerReviewed) if !s.fee_pending => to(Answered),
            (Action::Close, Answered) => to(Closed),
            (
                Action::Withdraw,
                Received
                | Registered
                | CorrectionRequested
                | Corrected
                | Assigned
                | Consulting { .. }
                | AnswerDrafted
                | AnswerReviewed,
            ) => to(Withdrawn),
            (
                Action::Abandon {
                    reason: AbandonReason::NoCorrection,
                },
                CorrectionRequested,
            ) => to(Abandoned {
                reason: AbandonReason::NoCorrection,
            }),
            (
                Action::Abandon {
                    reason: AbandonReason::FeeLapsed,
                },
                _,
            ) if handling && s.fee_pending => Some(RequestState {
                phase: Abandoned {
                    reason: AbandonReason::FeeLapsed,
                },
                fee_pending: false,
                ..s
            }),
            _ => None,
        }
    }

    #[test]
    fn every_state_and_action() {
        let (mut allowed, mut refused) = (0, 0);
        for s in all_states() {
            for a in all_actions() {
                let got = apply(s, &a);
                match expected(s, &a) {
                    Some(want) => {
                        assert_eq!(got, Ok(want), "{s:?} {a:?}");
                        allowed += 1;
                    }
                    None => {
                        let err = got.expect_err(&format!("{s:?} {a:?} should be refused"));
                        assert_eq!((err.state, err.action), (s, a.kind()));
                        refused += 1;
                    }
                }
            }
        }
        assert!(allowed > 100 && refused > 1000, "{allowed} {refused}");
    }

    fn run(actions: &[Action]) -> Result<RequestState, TransitionError> {
        actions.iter().try_fold(RequestState::new(), apply)
    }

    #[test]
    fn full_path_with_every_optional_step() {
        use Action::*;
        let s = run(&[
            Register {
                tracking_number: "YSQ-2025-0001".into(),
            },
            RequestCorrection,
            ReceiveCorrection,
            Assign,
            StartConsultation {
                party: ConsultParty::ThirdParty,
            },
            StartConsultation {
                party: ConsultParty::OtherAgency,
            },
            EndConsultation,
            Extend,
            EndConsultation,
            DraftAnswer,
            ReturnAnswer {
                comments: "补充理由".into(),
            },
            DraftAnswer,
            NotifyFee,
            ApproveAnswer,
            FeePaid,
            Deliver,
            Close,
        ])
        .unwrap();
        assert_eq!(s.phase, Phase::Closed);
        assert!(s.extended && s.correction_used && !s.fee_pending);
        assert!(s.phase.is_final());
    }

    #[test]
    fn correction_only_once() {
        use Action::*;
        let corrected = run(&[
            Register {
                tracking_number: "1".into(),
            },
            RequestCorrection,
            ReceiveCorrection,
            Assign,
        ])
        .unwrap();
        assert!(!may_request_correction(&corrected));
        let err = apply(corrected, &RequestCorrection).unwrap_err();
        assert_eq!(err.reason, "a correction may be requested only once");
        assert_eq!(err.state.phase, Phase::Assigned);
    }

    #[test]
    fn abandonment_outcomes() {
        use Action::*;
        let s = run(&[
            Register {
                tracking_number: "1".into(),
            },
            RequestCorrection,
            Abandon {
                reason: AbandonReason::NoCorrection,
            },
        ])
        .unwrap();
        assert_eq!(
            s.phase,
            Phase::Abandoned {
                reason: AbandonReason::NoCorrection
            }
        );
        assert_eq!(AbandonReason::NoCorrection.outcome_code(), "6.1");
        assert_eq!(AbandonReason::FeeLapsed.outcome_code(), "6.2");
    }

    #[test]
    fn withdraw_before_answer_only() {
        use Action::*;
        let answered = run(&[
            Register {
                tracking_number: "1".into(),
            },
            Assign,
            DraftAnswer,
            ApproveAnswer,
            Deliver,
        ])
        .unwrap();
        let err = apply(answered, &Withdraw).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot withdraw a request that is answered: the applicant can withdraw only before the answer is delivered"
        );
        assert_eq!(
            apply(RequestState::new(), &Withdraw).unwrap().phase,
            Phase::Withdrawn
        );
    }

    #[test]
    fn serde_names() {
        assert_eq!(Phase::Consulting { open: 1 }.as_str(), "consulting");
        assert_eq!(ActionKind::RequestCorrection.as_str(), "request_correction");
        assert_eq!(RequestState::new().to_string(), "received");
    }
}
