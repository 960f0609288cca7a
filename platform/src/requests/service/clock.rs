//! The statutory clock as a request's timeline gives it, and its due date as shown.

use chrono::NaiveDate;

use super::day;
use crate::kernel::error::{Error, Result};
use crate::requests::model::DeadlineView;
use crate::requests::store::EventRow;
use gongkai_rules::calendar::{Calendar, CalendarError};
use gongkai_rules::requests::deadline::{self, ClockEvent, ClockState, DeadlineError, PauseReason};

/// The statutory clock's events in a request's timeline. The clock of an online request
/// starts on the day the agency registers it (art. 31).
pub fn clock_events(events: &[EventRow]) -> Vec<ClockEvent> {
    let mut out = Vec::new();
    for e in events {
        let Some(on) = day(&e.on) else { continue };
        let d = &e.details;
        let pause = d["pause"].as_bool().unwrap_or(false);
        let ev = match e.kind.as_str() {
            "registered" => ClockEvent::Received { on },
            "correction_requested" => ClockEvent::CorrectionRequested {
                on,
                respond_by: d["respond_by"].as_str().and_then(day).unwrap_or(on),
            },
            "corrected" => ClockEvent::Corrected { on },
            "consultation_started" if pause => ClockEvent::PauseStarted {
                on,
                reason: if d["party"] == "other_agency" {
                    PauseReason::OtherAgency
                } else {
                    PauseReason::ThirdParty
                },
            },
            "consultation_ended" if pause => ClockEvent::PauseEnded { on },
            "extended" => ClockEvent::Extended {
                on,
                working_days: d["working_days"].as_u64().unwrap_or(0) as u32,
            },
            "fee_noticed" => ClockEvent::FeeNoticed { on },
            "fee_paid" => ClockEvent::FeePaid { on },
            "delivered" => ClockEvent::Answered { on },
            _ => continue,
        };
        out.push(ev);
    }
    out
}

/// The due date as shown to applicants and staff.
pub fn deadline_view(
    row_phase: &str,
    clock: &[ClockEvent],
    cal: &Calendar,
    today: NaiveDate,
) -> DeadlineView {
    let stopped = matches!(row_phase, "withdrawn" | "abandoned");
    let mut view = DeadlineView {
        state: String::new(),
        due: None,
        provisional: false,
        working_days_left: None,
        overdue: false,
        message: None,
        explanation: Vec::new(),
    };
    if clock.is_empty() {
        view.state = if stopped {
            "stopped"
        } else {
            "awaiting_registration"
        }
        .into();
        view.message = Some(
            "网上申请以本机关登记之日为收到申请之日，答复期限自登记后起算。 / An online request counts as received on the day the agency registers it; the period starts then."
                .into(),
        );
        return view;
    }
    match deadline::compute(clock, cal, today) {
        Ok(d) => {
            view.due = d.due.map(|x| x.to_string());
            view.provisional = d.due_is_provisional;
            view.explanation = d.explanation;
            view.state = match d.state {
                _ if stopped => "stopped",
                ClockState::Running => "due",
                ClockState::AwaitingCorrection { .. } => "awaiting_correction",
                ClockState::Paused { .. } => "paused",
                ClockState::AwaitingFee { .. } => "awaiting_fee",
                ClockState::Answered { .. } => "answered",
            }
            .into();
            if !stopped && !matches!(d.state, ClockState::Answered { .. }) && d.due.is_some() {
                view.working_days_left = Some(d.working_days_left);
                view.overdue = d.overdue;
            }
        }
        Err(DeadlineError::Calendar(CalendarError::NoDataForYear(year))) => {
            view.state = if stopped { "stopped" } else { "no_calendar" }.into();
            view.message = Some(format!(
                "答复期限需待{year}年节假日安排载入后计算。 / The due date cannot be computed until the {year} holiday calendar is loaded."
            ));
        }
        Err(err) => {
            view.state = "error".into();
            view.message = Some(err.to_string());
        }
    }
    view
}

/// Refuses a step whose clock event breaks a rule of the clock; a year without calendar
/// data does not block work (the due date waits for the calendar, the request does not).
pub(super) fn check_clock(
    clock: &[ClockEvent],
    cal: &Calendar,
    today: NaiveDate,
    phase: &str,
) -> Result<()> {
    match deadline::compute(clock, cal, today) {
        Ok(_) | Err(DeadlineError::Calendar(CalendarError::NoDataForYear(_))) => Ok(()),
        Err(err) => Err(Error::Conflict {
            message: err.to_string(),
            current_state: Some(phase.to_string()),
        }),
    }
}
