//! The statutory clock of a disclosure request (《政府信息公开条例》2019, arts. 30–34, and
//! 《政府信息公开信息处理费管理办法》国办函〔2020〕109号), as a pure function of the request's
//! timeline and a working-day [`Calendar`].
//!
//! Counting rules, precisely:
//! - **Start.** Day 1 is the first working day strictly after the date of receipt (art. 31
//!   fixes that date). A request received on a non-working day therefore also starts on the
//!   next working day: same formula. After a correction (补正), the same rule applies from the
//!   date the corrected request was received, and everything before it is forgotten.
//! - **Period.** 20 working days (art. 33), plus one extension of at most 20 working days.
//!   The due date is the last counted working day.
//! - **Pauses.** For a consultation (third party art. 32, other agency art. 34) that starts
//!   on S and ends on E, and for a fee notice sent on S and paid on E, the working days d
//!   with S < d <= E do not count. S itself counts (the agency worked that day, and the
//!   other side's own 15/20 days also start the day after S); E is excluded (the reply or
//!   payment arrives that day) and the agency's clock resumes the next working day, the
//!   same "day after" rule as for receipt. Overlapping pauses exclude a day only once.
//! - **Correction.** At most once, and no later than the 7th working day after receipt.
//!   While a correction is awaited there is no due date.
//! - While a pause is still open the due date is *provisional*: it assumes the pause ends
//!   on the other side's reply/payment deadline (or today, if that is already past).
//!
//! One file on purpose (about 700 lines before its tests): the rules above interact (a
//! correction forgets earlier pauses, an extension counts from the paused due date), and
//! the walk over the timeline that applies them is easiest to check against the statute
//! when it is read in one piece. The explanation shown to applicants lives beside it.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{fmt_date, Calendar, CalendarError, DayReason};

/// Working days to answer (art. 33).
pub const ANSWER_PERIOD: u32 = 20;
/// Longest extension (art. 33).
pub const MAX_EXTENSION: u32 = 20;
/// Last working day after receipt on which a correction may be requested (art. 30).
pub const CORRECTION_WINDOW: u32 = 7;
/// Working days a third party (art. 32) or another agency (art. 34) has to reply.
pub const CONSULTATION_REPLY: u32 = 15;
/// Working days the applicant has to pay a fee (109号 art. 7), counted from the day after the
/// notice. We count from the notice date given, i.e. assume same-day delivery.
pub const FEE_PAYMENT: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PauseReason {
    /// 征求第三方意见 (art. 32).
    ThirdParty,
    /// 征求其他机关意见 (art. 34).
    OtherAgency,
}

/// One dated fact in a request's life. Give them in date order (same-day events in the
/// order they happened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockEvent {
    Received {
        on: NaiveDate,
    },
    /// 补正通知; `respond_by` is the date given to the applicant.
    CorrectionRequested {
        on: NaiveDate,
        respond_by: NaiveDate,
    },
    Corrected {
        on: NaiveDate,
    },
    PauseStarted {
        on: NaiveDate,
        reason: PauseReason,
    },
    PauseEnded {
        on: NaiveDate,
    },
    Extended {
        on: NaiveDate,
        working_days: u32,
    },
    FeeNoticed {
        on: NaiveDate,
    },
    FeePaid {
        on: NaiveDate,
    },
    /// The answer was sent: the clock stops.
    Answered {
        on: NaiveDate,
    },
}

impl ClockEvent {
    pub fn on(&self) -> NaiveDate {
        match self {
            ClockEvent::Received { on }
            | ClockEvent::CorrectionRequested { on, .. }
            | ClockEvent::Corrected { on }
            | ClockEvent::PauseStarted { on, .. }
            | ClockEvent::PauseEnded { on }
            | ClockEvent::Extended { on, .. }
            | ClockEvent::FeeNoticed { on }
            | ClockEvent::FeePaid { on }
            | ClockEvent::Answered { on } => *on,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PauseKind {
    ThirdParty,
    OtherAgency,
    Fee,
}

impl PauseKind {
    fn zh_en(self) -> (&'static str, &'static str) {
        match self {
            PauseKind::ThirdParty => ("征求第三方意见", "third-party consultation"),
            PauseKind::OtherAgency => ("征求其他机关意见", "consultation of another agency"),
            PauseKind::Fee => ("等待缴纳信息处理费", "waiting for fee payment"),
        }
    }
}

impl From<PauseReason> for PauseKind {
    fn from(r: PauseReason) -> Self {
        match r {
            PauseReason::ThirdParty => PauseKind::ThirdParty,
            PauseReason::OtherAgency => PauseKind::OtherAgency,
        }
    }
}

/// A stretch of time that does not count: working days d with `started < d <= end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PausedInterval {
    pub kind: PauseKind,
    pub started: NaiveDate,
    /// `None` while still open.
    pub ended: Option<NaiveDate>,
    /// The other side's deadline: reply (15 working days) or payment (20 working days).
    pub reply_by: NaiveDate,
    /// Working days excluded so far (up to `ended`, or up to today while open).
    pub excluded_working_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockState {
    Running,
    AwaitingCorrection {
        respond_by: NaiveDate,
        /// The applicant let the date pass: treated as abandoned (outcome 六.1).
        lapsed: bool,
    },
    Paused {
        kind: PauseKind,
        since: NaiveDate,
    },
    AwaitingFee {
        pay_by: NaiveDate,
        /// Not paid in time: treated as abandoned (outcome 六.2).
        lapsed: bool,
    },
    Answered {
        on: NaiveDate,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// First receipt of the request.
    pub received: NaiveDate,
    /// Receipt the clock counts from (the corrected request's, if corrected).
    pub clock_start: NaiveDate,
    /// Day 1 of the period; `None` while a correction is awaited.
    pub first_counted_day: Option<NaiveDate>,
    /// Last day on which a correction could be / could have been requested.
    pub correction_request_by: NaiveDate,
    /// 20, or 20 + extension.
    pub period_working_days: u32,
    /// `None` while a correction is awaited.
    pub due: Option<NaiveDate>,
    /// A pause is open: `due` assumes it ends on its `reply_by` (or today, if later).
    pub due_is_provisional: bool,
    pub pauses: Vec<PausedInterval>,
    /// Counted working days elapsed up to `today` (or up to the answer).
    pub working_days_used: u32,
    /// Negative once overdue.
    pub working_days_left: i64,
    pub overdue: bool,
    pub state: ClockState,
    /// The consulted party's own reply date while a consultation is open.
    pub consultation_reply_by: Option<NaiveDate>,
    /// Step-by-step account, each line "中文 / English".
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("the timeline must start with the receipt of the request")]
    NoReceipt,
    #[error("the request is received twice (second time on {0})")]
    DuplicateReceipt(NaiveDate),
    #[error("events out of order: {later} comes after {earlier}")]
    OutOfOrder {
        earlier: NaiveDate,
        later: NaiveDate,
    },
    #[error("correction requested on {on}, working day {working_day} after receipt; the limit is {CORRECTION_WINDOW}")]
    CorrectionTooLate { on: NaiveDate, working_day: u32 },
    #[error("a correction may be requested only once (second request on {0})")]
    SecondCorrection(NaiveDate),
    #[error("corrected request on {0} without a correction request")]
    CorrectedWithoutRequest(NaiveDate),
    #[error("correction reply date {respond_by} is before the request date {on}")]
    RespondByBeforeRequest {
        on: NaiveDate,
        respond_by: NaiveDate,
    },
    #[error("event on {0} while the corrected request is still awaited")]
    EventWhileAwaitingCorrection(NaiveDate),
    #[error("a consultation is already open since {0}")]
    PauseAlreadyOpen(NaiveDate),
    #[error("pause ended on {0} but none was started")]
    PauseEndWithoutStart(NaiveDate),
    #[error("a fee was already noticed on {0}")]
    SecondFeeNotice(NaiveDate),
    #[error("fee paid on {0} without a fee notice")]
    FeePaidWithoutNotice(NaiveDate),
    #[error("extension of {0} working days: must be 1..={MAX_EXTENSION}")]
    ExtensionOutOfRange(u32),
    #[error("the period may be extended only once (second extension on {0})")]
    SecondExtension(NaiveDate),
    #[error("extension decided on {on}, after the due date {due}")]
    ExtensionAfterDue { on: NaiveDate, due: NaiveDate },
    #[error("event on {0} after the request was answered")]
    EventAfterAnswer(NaiveDate),
}

/// Compute the clock for `events` as it stands on `today`.
pub fn compute(
    events: &[ClockEvent],
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Deadline, DeadlineError> {
    let Some(ClockEvent::Received { on: received }) = events.first() else {
        return Err(DeadlineError::NoReceipt);
    };
    let received = *received;
    let correction_request_by = cal.add_working_days(received, CORRECTION_WINDOW)?;

    let mut clock_start = received;
    let mut correction: Option<(NaiveDate, NaiveDate)> = None; // (requested, respond_by)
    let mut awaiting_correction = false;
    let mut pauses: Vec<Pause> = Vec::new();
    let mut extension: Option<(NaiveDate, u32)> = None;
    let mut answered: Option<NaiveDate> = None;
    // Dated facts, sorted by date at the end so the account reads in order.
    let mut steps: Vec<(NaiveDate, String)> = Vec::new();
    let mut last = received;

    steps.push((
        received,
        format!(
            "收到申请：{}。 / Request received on {received}.",
            fmt_date(received)
        ),
    ));
    steps.push((
        received,
        "周六、周日不计，调休上班日计入；法定节假日不计。 / Saturdays and Sundays do not count unless they are make-up working days; public holidays do not count."
            .to_string(),
    ));

    for ev in &events[1..] {
        let on = ev.on();
        if on < last {
            return Err(DeadlineError::OutOfOrder {
                earlier: last,
                later: on,
            });
        }
        last = on;
        if answered.is_some() {
            return Err(DeadlineError::EventAfterAnswer(on));
        }
        let needs_running_clock = !matches!(
            ev,
            ClockEvent::Corrected { .. } | ClockEvent::CorrectionRequested { .. }
        );
        if awaiting_correction && needs_running_clock {
            return Err(DeadlineError::EventWhileAwaitingCorrection(on));
        }
        match ev {
            ClockEvent::Received { on } => return Err(DeadlineError::DuplicateReceipt(*on)),
            ClockEvent::CorrectionRequested { on, respond_by } => {
                if correction.is_some() {
                    return Err(DeadlineError::SecondCorrection(*on));
                }
                if respond_by < on {
                    return Err(DeadlineError::RespondByBeforeRequest {
                        on: *on,
                        respond_by: *respond_by,
                    });
                }
                let working_day = cal.working_days_between(received, *on)?;
                if working_day > CORRECTION_WINDOW {
                    return Err(DeadlineError::CorrectionTooLate {
                        on: *on,
                        working_day,
                    });
                }
                correction = Some((*on, *respond_by));
                awaiting_correction = true;
                steps.push((*on, format!(
                    "{} 一次性告知申请人补正（收到申请后第{working_day}个工作日，法定不超过{CORRECTION_WINDOW}个），补正期限至 {}；期限暂不计算，收到补正后重新起算。 / Correction requested on working day {working_day} after receipt (limit {CORRECTION_WINDOW}); applicant to reply by {respond_by}; the clock restarts when the corrected request arrives.",
                    fmt_date(*on),
                    fmt_date(*respond_by)
                )));
            }
            ClockEvent::Corrected { on } => {
                if !awaiting_correction {
                    return Err(DeadlineError::CorrectedWithoutRequest(*on));
                }
                awaiting_correction = false;
                clock_start = *on;
                steps.push((*on, format!(
                    "收到补正后的申请：{}，答复期限自此重新计算。 / Corrected request received on {on}; the period starts again from here.",
                    fmt_date(*on)
                )));
            }
            ClockEvent::PauseStarted { on, reason } => {
                if let Some(open) = pauses
                    .iter()
                    .find(|p| p.ended.is_none() && p.kind != PauseKind::Fee)
                {
                    return Err(DeadlineError::PauseAlreadyOpen(open.started));
                }
                pauses.push(Pause {
                    kind: (*reason).into(),
                    started: *on,
                    ended: None,
                    reply_by: cal.add_working_days(*on, CONSULTATION_REPLY)?,
                });
            }
            ClockEvent::PauseEnded { on } => {
                let open = pauses
                    .iter_mut()
                    .find(|p| p.ended.is_none() && p.kind != PauseKind::Fee)
                    .ok_or(DeadlineError::PauseEndWithoutStart(*on))?;
                open.ended = Some(*on);
            }
            ClockEvent::FeeNoticed { on } => {
                if let Some(fee) = pauses.iter().find(|p| p.kind == PauseKind::Fee) {
                    return Err(DeadlineError::SecondFeeNotice(fee.started));
                }
                pauses.push(Pause {
                    kind: PauseKind::Fee,
                    started: *on,
                    ended: None,
                    reply_by: cal.add_working_days(*on, FEE_PAYMENT)?,
                });
            }
            ClockEvent::FeePaid { on } => {
                let fee = pauses
                    .iter_mut()
                    .find(|p| p.kind == PauseKind::Fee && p.ended.is_none())
                    .ok_or(DeadlineError::FeePaidWithoutNotice(*on))?;
                fee.ended = Some(*on);
            }
            ClockEvent::Extended { on, working_days } => {
                if extension.is_some() {
                    return Err(DeadlineError::SecondExtension(*on));
                }
                if !(1..=MAX_EXTENSION).contains(working_days) {
                    return Err(DeadlineError::ExtensionOutOfRange(*working_days));
                }
                // The extension must be decided while the original period still runs.
                let due_now = walk(cal, clock_start, ANSWER_PERIOD, &pauses, *on)?.due;
                if *on > due_now {
                    return Err(DeadlineError::ExtensionAfterDue {
                        on: *on,
                        due: due_now,
                    });
                }
                extension = Some((*on, *working_days));
            }
            ClockEvent::Answered { on } => answered = Some(*on),
        }
    }

    let period = ANSWER_PERIOD + extension.map_or(0, |(_, n)| n);
    // Measure "used" up to the answer if there is one, else up to today.
    let as_of = answered.map_or(today, |a| a.min(today));

    // Pauses finished before the (re)start of the clock are irrelevant: drop them.
    let pauses: Vec<Pause> = pauses
        .into_iter()
        .filter(|p| p.ended.is_none_or(|e| e > clock_start))
        .collect();

    let mut out_pauses = Vec::new();
    for p in &pauses {
        let end = p.ended.unwrap_or(today.max(p.started));
        out_pauses.push(PausedInterval {
            kind: p.kind,
            started: p.started,
            ended: p.ended,
            reply_by: p.reply_by,
            excluded_working_days: cal.working_days_between(p.started.max(clock_start), end)?,
        });
    }

    let consultation_reply_by = pauses
        .iter()
        .find(|p| p.ended.is_none() && p.kind != PauseKind::Fee)
        .map(|p| p.reply_by);

    if awaiting_correction {
        let (_, respond_by) = correction.expect("awaiting implies requested");
        return Ok(Deadline {
            received,
            clock_start,
            first_counted_day: None,
            correction_request_by,
            period_working_days: period,
            due: None,
            due_is_provisional: false,
            pauses: out_pauses,
            working_days_used: 0,
            working_days_left: i64::from(period),
            overdue: false,
            state: ClockState::AwaitingCorrection {
                respond_by,
                lapsed: today > respond_by,
            },
            consultation_reply_by: None,
            explanation: steps.into_iter().map(|(_, t)| t).collect(),
        });
    }

    let w = walk(cal, clock_start, period, &pauses, today)?;
    let used = count_used(cal, clock_start, &pauses, as_of)?;
    let overdue = match answered {
        Some(a) => a > w.due,
        None => today > w.due,
    };
    let provisional = pauses.iter().any(|p| p.ended.is_none());

    // --- explanation ---
    let start_reason = cal.day_reason(clock_start)?;
    if !start_reason.is_working() {
        steps.push((clock_start, format!(
            "{} 不是工作日（{}），期限自其后第一个工作日起算。 / Received on a non-working day ({}); counting starts on the next working day.",
            fmt_date(clock_start),
            start_reason.zh(),
            start_reason.en()
        )));
    }
    steps.push((
        w.first,
        format!(
            "起算日（第1个工作日）：{}。 / Day 1 of the period: {}.",
            fmt_date(w.first),
            w.first
        ),
    ));
    steps.extend(group_notable(&w.days));
    for p in &out_pauses {
        let (zh, en) = p.kind.zh_en();
        let (other_zh, other_en) = if p.kind == PauseKind::Fee {
            (
                format!(
                    "申请人应于 {} 前缴费，逾期视为放弃申请",
                    fmt_date(p.reply_by)
                ),
                format!("fee to be paid by {}", p.reply_by),
            )
        } else {
            (
                format!(
                    "对方应于 {} 前答复（{CONSULTATION_REPLY}个工作日）",
                    fmt_date(p.reply_by)
                ),
                format!(
                    "reply due by {} ({CONSULTATION_REPLY} working days)",
                    p.reply_by
                ),
            )
        };
        let n = p.excluded_working_days;
        let text = match p.ended {
            Some(e) => format!(
                "{zh}：{} 至 {}，其间 {n} 个工作日不计入答复期限；{other_zh}。 / {en} from {} to {e}: {n} working days excluded; {other_en}.",
                fmt_date(p.started),
                fmt_date(e),
                p.started,
            ),
            None => format!(
                "{zh}：自 {} 起，尚未结束，至今 {n} 个工作日不计入；{other_zh}。 / {en} open since {}: {n} working days excluded so far; {other_en}.",
                fmt_date(p.started),
                p.started,
            ),
        };
        steps.push((p.started, text));
    }
    if let Some((on, n)) = extension {
        steps.push((on, format!(
            "{} 经政府信息公开工作机构负责人同意延长答复期限 {n} 个工作日（法定最多{MAX_EXTENSION}个）。 / Period extended by {n} working days on {on} (limit {MAX_EXTENSION}).",
            fmt_date(on)
        )));
    }
    // Stable: same-day facts keep the order they were added in.
    steps.sort_by_key(|(date, _)| *date);
    let mut steps: Vec<String> = steps.into_iter().map(|(_, t)| t).collect();
    steps.push(format!(
        "答复期限：{}，即第{period}个计入的工作日{}。 / Answer due by {}: working day {period}{}.",
        fmt_date(w.due),
        if provisional {
            "（暂定，假设中止事项于对方期限届满时结束）"
        } else {
            ""
        },
        w.due,
        if provisional {
            " (provisional: assumes the open pause ends on its deadline)"
        } else {
            ""
        }
    ));
    let left = i64::from(period) - i64::from(used);
    steps.push(match answered {
        Some(a) => format!(
            "{} 已答复，用时 {used} 个工作日{}。 / Answered on {a} after {used} working days{}.",
            fmt_date(a),
            if overdue { "，已逾期" } else { "" },
            if overdue { ", late" } else { "" }
        ),
        None if overdue => format!(
            "截至 {}：已逾期 {} 个工作日。 / As of {today}: overdue by {} working days.",
            fmt_date(today),
            -left,
            -left
        ),
        None => format!(
            "截至 {}：已用 {used} 个工作日，剩余 {left} 个。 / As of {today}: {used} working days used, {left} left.",
            fmt_date(today)
        ),
    });

    let state = if let Some(on) = answered {
        ClockState::Answered { on }
    } else if let Some(p) = pauses
        .iter()
        .find(|p| p.ended.is_none() && p.kind != PauseKind::Fee)
    {
        ClockState::Paused {
            kind: p.kind,
            since: p.started,
        }
    } else if let Some(p) = pauses
        .iter()
        .find(|p| p.ended.is_none() && p.kind == PauseKind::Fee)
    {
        ClockState::AwaitingFee {
            pay_by: p.reply_by,
            lapsed: today > p.reply_by,
        }
    } else {
        ClockState::Running
    };

    Ok(Deadline {
        received,
        clock_start,
        first_counted_day: Some(w.first),
        correction_request_by,
        period_working_days: period,
        due: Some(w.due),
        due_is_provisional: provisional,
        pauses: out_pauses,
        working_days_used: used,
        working_days_left: left,
        overdue,
        state,
        consultation_reply_by,
        explanation: steps,
    })
}

#[derive(Debug, Clone)]
struct Pause {
    kind: PauseKind,
    started: NaiveDate,
    ended: Option<NaiveDate>,
    reply_by: NaiveDate,
}

impl Pause {
    /// Last excluded day, assuming an open pause runs to its deadline (or `today` if later).
    fn effective_end(&self, today: NaiveDate) -> NaiveDate {
        self.ended.unwrap_or(self.reply_by.max(today))
    }
}

fn paused_by(pauses: &[Pause], d: NaiveDate, today: NaiveDate) -> Option<PauseKind> {
    pauses
        .iter()
        .find(|p| p.started < d && d <= p.effective_end(today))
        .map(|p| p.kind)
}

#[derive(Debug)]
struct WalkDay {
    date: NaiveDate,
    reason: DayReason,
    paused: Option<PauseKind>,
}

struct Walk {
    first: NaiveDate,
    due: NaiveDate,
    days: Vec<WalkDay>,
}

/// Walk from the day after `start` until `period` working days outside pauses are counted.
fn walk(
    cal: &Calendar,
    start: NaiveDate,
    period: u32,
    pauses: &[Pause],
    today: NaiveDate,
) -> Result<Walk, CalendarError> {
    let mut days = Vec::new();
    let mut counted = 0;
    let mut first = None;
    let mut date = start;
    while counted < period {
        date = date.succ_opt().ok_or(CalendarError::DateOverflow(date))?;
        let reason = cal.day_reason(date)?;
        let paused = paused_by(pauses, date, today);
        if reason.is_working() && paused.is_none() {
            counted += 1;
            first.get_or_insert(date);
        }
        days.push(WalkDay {
            date,
            reason,
            paused,
        });
    }
    Ok(Walk {
        first: first.unwrap_or(start),
        due: date,
        days,
    })
}

/// Counted working days d with `start < d <= as_of`, skipping pauses (open ones up to
/// `as_of`).
fn count_used(
    cal: &Calendar,
    start: NaiveDate,
    pauses: &[Pause],
    as_of: NaiveDate,
) -> Result<u32, CalendarError> {
    let mut used = 0;
    let mut date = start;
    while date < as_of {
        date = date.succ_opt().ok_or(CalendarError::DateOverflow(date))?;
        let open_until_now = pauses
            .iter()
            .any(|p| p.started < date && p.ended.is_none_or(|e| date <= e));
        if cal.is_working_day(date)? && !open_until_now {
            used += 1;
        }
    }
    Ok(used)
}

/// Lines for the days worth mentioning, consecutive days with the same text merged:
/// holidays, make-up working days, local days. Ordinary weekends are covered by the
/// general rule line; paused days are covered by the pause lines.
fn group_notable(days: &[WalkDay]) -> Vec<(NaiveDate, String)> {
    let mut out = Vec::new();
    let mut run: Option<(NaiveDate, NaiveDate, String)> = None;
    for day in days {
        let text = match (&day.reason, day.paused) {
            (_, Some(_)) | (DayReason::Weekday, None) | (DayReason::Weekend, None) => None,
            (r, None) if r.is_working() => Some(format!("{}，计入 / {}, counted", r.zh(), r.en())),
            (r, None) => Some(format!("{}，不计 / {}, not counted", r.zh(), r.en())),
        };
        match (&mut run, text) {
            (Some((_, end, t)), Some(text)) if *t == text && end.succ_opt() == Some(day.date) => {
                *end = day.date;
            }
            (_, text) => {
                if let Some(done) = run.take() {
                    out.push((done.0, RunLine(done).to_string()));
                }
                run = text.map(|t| (day.date, day.date, t));
            }
        }
    }
    if let Some(done) = run {
        out.push((done.0, RunLine(done).to_string()));
    }
    out
}

struct RunLine((NaiveDate, NaiveDate, String));

impl fmt::Display for RunLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b, text) = &self.0;
        if a == b {
            write!(f, "{}：{text}", fmt_date(*a))
        } else {
            write!(f, "{} 至 {}：{text}", fmt_date(*a), fmt_date(*b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::official::official_calendar;
    use ClockEvent::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn run(events: &[ClockEvent], today: NaiveDate) -> Result<Deadline, DeadlineError> {
        compute(events, &official_calendar(), today)
    }

    /// Received Fri 2025-09-26, before National Day/Mid-Autumn 2025
    /// (10-01..10-08 off; Sun 09-28 and Sat 10-11 are make-up working days).
    /// 09-27 Sat off; 09-28 Sun = 1; 09-29 = 2; 09-30 = 3; 10-01..08 off; 10-09 = 4;
    /// 10-10 = 5; 10-11 Sat = 6; 10-12 Sun off; 10-13..17 = 7..11; 10-20..24 = 12..16;
    /// 10-27..30 = 17..20. Due Thu 2025-10-30.
    #[test]
    fn friday_before_national_day() {
        let dl = run(&[Received { on: d(2025, 9, 26) }], d(2025, 10, 10)).unwrap();
        assert_eq!(dl.first_counted_day, Some(d(2025, 9, 28)));
        assert_eq!(dl.due, Some(d(2025, 10, 30)));
        assert!(!dl.due_is_provisional);
        // As of 10-10: 09-28, 09-29, 09-30, 10-09, 10-10.
        assert_eq!(dl.working_days_used, 5);
        assert_eq!(dl.working_days_left, 15);
        assert!(!dl.overdue);
        assert_eq!(dl.state, ClockState::Running);
        let text = dl.explanation.join("\n");
        assert!(text.contains("收到申请：2025-09-26（周五）"), "{text}");
        assert!(
            text.contains("起算日（第1个工作日）：2025-09-28（周日）"),
            "{text}"
        );
        assert!(
            text.contains("2025-10-01（周三） 至 2025-10-08（周三）：国庆节放假"),
            "{text}"
        );
        assert!(
            text.contains("2025-10-11（周六）：国庆节调休上班日"),
            "{text}"
        );
        assert!(
            text.contains("答复期限：2025-10-30（周四），即第20个"),
            "{text}"
        );

        // Answered on the due date: on time; a day later: late.
        let on_time = run(
            &[
                Received { on: d(2025, 9, 26) },
                Answered {
                    on: d(2025, 10, 30),
                },
            ],
            d(2025, 12, 1),
        )
        .unwrap();
        assert!(!on_time.overdue);
        assert_eq!(on_time.working_days_used, 20);
        let late = run(
            &[
                Received { on: d(2025, 9, 26) },
                Answered {
                    on: d(2025, 10, 31),
                },
            ],
            d(2025, 12, 1),
        )
        .unwrap();
        assert!(late.overdue);
        assert_eq!(late.working_days_left, -1);
    }

    /// Received Sat 2025-10-11, a 调休 working day: counts from the next working day.
    /// 10-12 Sun off; 10-13..17 = 1..5; 10-20..24 = 6..10; 10-27..31 = 11..15;
    /// 11-03..07 = 16..20. Due Fri 2025-11-07. On Mon 11-10 it is one day overdue.
    #[test]
    fn received_on_makeup_saturday() {
        let dl = run(
            &[Received {
                on: d(2025, 10, 11),
            }],
            d(2025, 11, 10),
        )
        .unwrap();
        assert_eq!(dl.first_counted_day, Some(d(2025, 10, 13)));
        assert_eq!(dl.due, Some(d(2025, 11, 7)));
        assert!(dl.overdue);
        assert_eq!(dl.working_days_used, 21);
        assert_eq!(dl.working_days_left, -1);
        // A working-day receipt gets no "non-working day" note.
        assert!(!dl.explanation.iter().any(|l| l.contains("不是工作日")));
        assert!(dl.explanation.last().unwrap().contains("已逾期 1 个工作日"));
    }

    /// Received on a Sunday.
    /// (a) Sun 2026-03-01, no holidays: 03-02..06 = 1..5, 03-09..13 = 6..10,
    ///     03-16..20 = 11..15, 03-23..27 = 16..20. Due Fri 2026-03-27.
    /// (b) Sun 2026-02-22, inside Spring Festival 2026 (02-15..02-23 off; Sat 02-28 works):
    ///     02-23 Mon off; 02-24..27 = 1..4; 02-28 Sat = 5; 03-02..06 = 6..10;
    ///     03-09..13 = 11..15; 03-16..20 = 16..20. Due Fri 2026-03-20.
    #[test]
    fn received_on_sunday() {
        let a = run(&[Received { on: d(2026, 3, 1) }], d(2026, 3, 1)).unwrap();
        assert_eq!(a.first_counted_day, Some(d(2026, 3, 2)));
        assert_eq!(a.due, Some(d(2026, 3, 27)));
        assert_eq!(a.working_days_used, 0);
        assert_eq!(a.working_days_left, 20);
        assert!(a.explanation.iter().any(|l| l.contains("不是工作日（周末")));

        let b = run(&[Received { on: d(2026, 2, 22) }], d(2026, 2, 28)).unwrap();
        assert_eq!(b.first_counted_day, Some(d(2026, 2, 24)));
        assert_eq!(b.due, Some(d(2026, 3, 20)));
        assert_eq!(b.working_days_used, 5); // 02-24..27 and 02-28
        assert!(b
            .explanation
            .iter()
            .any(|l| l.contains("2026-02-23（周一）：春节放假，不计")));
        assert!(b
            .explanation
            .iter()
            .any(|l| l.contains("2026-02-28（周六）：春节调休上班日")));
    }

    /// Received Mon 2026-03-02. Correction requested Fri 03-06 (working day 4 of 7),
    /// corrected Tue 03-10: the clock restarts from 03-10.
    /// 03-11 = 1, 03-12 = 2, 03-13 = 3, 03-16 = 4 (day the consultation is sent counts);
    /// third party consulted 03-16..03-27: 03-17..20, 03-23..27 = 9 working days excluded
    /// (03-27, the reply day, too). Resume: 03-30 = 5, 03-31 = 6, 04-01 = 7, 04-02 = 8,
    /// 04-03 = 9, 04-04..06 清明 off, 04-07 = 10, 04-08..10 = 11..13, 04-13..17 = 14..18,
    /// 04-20 = 19, 04-21 = 20. Due Tue 2026-04-21.
    /// Third party's own deadline: 15 working days after 03-16 = 03-17..20 (4),
    /// 03-23..27 (9), 03-30..04-03 (14), 04-07 (15) → 2026-04-07.
    #[test]
    fn correction_then_consultation() {
        let events = [
            Received { on: d(2026, 3, 2) },
            CorrectionRequested {
                on: d(2026, 3, 6),
                respond_by: d(2026, 3, 20),
            },
            Corrected { on: d(2026, 3, 10) },
            PauseStarted {
                on: d(2026, 3, 16),
                reason: PauseReason::ThirdParty,
            },
            PauseEnded { on: d(2026, 3, 27) },
        ];
        let dl = run(&events, d(2026, 4, 1)).unwrap();
        assert_eq!(dl.received, d(2026, 3, 2));
        assert_eq!(dl.clock_start, d(2026, 3, 10));
        assert_eq!(dl.first_counted_day, Some(d(2026, 3, 11)));
        assert_eq!(dl.due, Some(d(2026, 4, 21)));
        assert_eq!(dl.pauses.len(), 1);
        assert_eq!(dl.pauses[0].excluded_working_days, 9);
        assert_eq!(dl.pauses[0].reply_by, d(2026, 4, 7));
        assert_eq!(dl.consultation_reply_by, None); // closed
                                                    // As of 04-01: 03-11, 12, 13, 16, 30, 31, 04-01 = 7.
        assert_eq!(dl.working_days_used, 7);
        assert_eq!(dl.working_days_left, 13);
        assert!(dl
            .explanation
            .iter()
            .any(|l| l.contains("征求第三方意见") && l.contains("9 个工作日不计入")));

        // Same request while the consultation is still open on 03-20:
        // used = 03-11, 12, 13, 16 = 4; the due date assumes the third party takes its full
        // 15 days (to 04-07): resume 04-08 = 5, 04-09 = 6, 04-10 = 7, 04-13..17 = 8..12,
        // 04-20..24 = 13..17, 04-27 = 18, 04-28 = 19, 04-29 = 20 → provisional 2026-04-29.
        let open = run(&events[..4], d(2026, 3, 20)).unwrap();
        assert_eq!(open.consultation_reply_by, Some(d(2026, 4, 7)));
        assert_eq!(
            open.state,
            ClockState::Paused {
                kind: PauseKind::ThirdParty,
                since: d(2026, 3, 16)
            }
        );
        assert_eq!(open.working_days_used, 4);
        assert_eq!(open.working_days_left, 16);
        assert_eq!(open.due, Some(d(2026, 4, 29)));
        assert!(open.due_is_provisional);
        assert_eq!(open.pauses[0].excluded_working_days, 4); // 03-17..20 so far

        // While the correction is awaited there is no due date.
        let waiting = run(&events[..2], d(2026, 3, 9)).unwrap();
        assert_eq!(waiting.due, None);
        assert_eq!(
            waiting.state,
            ClockState::AwaitingCorrection {
                respond_by: d(2026, 3, 20),
                lapsed: false
            }
        );
        let lapsed = run(&events[..2], d(2026, 3, 23)).unwrap();
        assert_eq!(
            lapsed.state,
            ClockState::AwaitingCorrection {
                respond_by: d(2026, 3, 20),
                lapsed: true
            }
        );
    }

    /// Received Wed 2025-12-10; extended by 20 on 2025-12-30.
    /// 12-11 = 1, 12-12 = 2, 12-15..19 = 3..7, 12-22..26 = 8..12, 12-29..31 = 13..15,
    /// 2026-01-01..03 元旦 off, 01-04 Sun (调休) = 16, 01-05..08 = 17..20 → original due
    /// Thu 2026-01-08. Extension: 01-09 = 21, 01-12..16 = 22..26, 01-19..23 = 27..31,
    /// 01-26..30 = 32..36, 02-02..05 = 37..40 → due Thu 2026-02-05.
    #[test]
    fn extension_across_new_year() {
        let base = run(
            &[Received {
                on: d(2025, 12, 10),
            }],
            d(2025, 12, 30),
        )
        .unwrap();
        assert_eq!(base.due, Some(d(2026, 1, 8)));
        let dl = run(
            &[
                Received {
                    on: d(2025, 12, 10),
                },
                Extended {
                    on: d(2025, 12, 30),
                    working_days: 20,
                },
            ],
            d(2026, 1, 9),
        )
        .unwrap();
        assert_eq!(dl.period_working_days, 40);
        assert_eq!(dl.due, Some(d(2026, 2, 5)));
        assert_eq!(dl.working_days_used, 21);
        assert_eq!(dl.working_days_left, 19);
        assert!(!dl.overdue);
        assert!(dl
            .explanation
            .iter()
            .any(|l| l.contains("2026-01-01（周四） 至 2026-01-03（周六）：元旦放假")));
        assert!(dl
            .explanation
            .iter()
            .any(|l| l.contains("2026-01-04（周日）：元旦调休上班日，计入")));
    }

    /// Received Mon 2026-03-02 (base due Mon 03-30). Fee noticed Fri 03-13 (day 9), paid
    /// Wed 03-18: 03-16, 17, 18 excluded; 03-19 = 10, 03-20 = 11, 03-23..27 = 12..16,
    /// 03-30 = 17, 03-31 = 18, 04-01 = 19, 04-02 = 20. Due Thu 2026-04-02.
    #[test]
    fn fee_notice_pauses_until_payment() {
        let dl = run(
            &[
                Received { on: d(2026, 3, 2) },
                FeeNoticed { on: d(2026, 3, 13) },
                FeePaid { on: d(2026, 3, 18) },
            ],
            d(2026, 3, 18),
        )
        .unwrap();
        assert_eq!(dl.due, Some(d(2026, 4, 2)));
        assert_eq!(dl.pauses[0].excluded_working_days, 3);
        assert_eq!(dl.working_days_used, 9);
        // Unpaid: 20 working days after 03-13 = 04-13 (03-16..20, 23..27, 30..04-03, 04-07..10
        // = 19 with 清明 04-06 off, 04-13 = 20). On 04-14 the fee has lapsed.
        let unpaid = run(
            &[
                Received { on: d(2026, 3, 2) },
                FeeNoticed { on: d(2026, 3, 13) },
            ],
            d(2026, 4, 14),
        )
        .unwrap();
        assert_eq!(
            unpaid.state,
            ClockState::AwaitingFee {
                pay_by: d(2026, 4, 13),
                lapsed: true
            }
        );
        assert!(unpaid.due_is_provisional);
        assert_eq!(unpaid.consultation_reply_by, None);
    }

    #[test]
    fn invalid_timelines() {
        let r = Received { on: d(2026, 3, 2) };
        let err = |events: &[ClockEvent]| run(events, d(2026, 6, 1)).unwrap_err();

        assert_eq!(
            err(&[
                r.clone(),
                Extended {
                    on: d(2026, 3, 9),
                    working_days: 21
                }
            ]),
            DeadlineError::ExtensionOutOfRange(21)
        );
        assert_eq!(
            err(&[
                r.clone(),
                Extended {
                    on: d(2026, 3, 9),
                    working_days: 0
                }
            ]),
            DeadlineError::ExtensionOutOfRange(0)
        );
        assert_eq!(
            err(&[
                r.clone(),
                Extended {
                    on: d(2026, 3, 9),
                    working_days: 5
                },
                Extended {
                    on: d(2026, 3, 10),
                    working_days: 5
                },
            ]),
            DeadlineError::SecondExtension(d(2026, 3, 10))
        );
        // Base due date is 03-30; an extension on 03-31 is too late.
        assert_eq!(
            err(&[
                r.clone(),
                Extended {
                    on: d(2026, 3, 31),
                    working_days: 10
                }
            ]),
            DeadlineError::ExtensionAfterDue {
                on: d(2026, 3, 31),
                due: d(2026, 3, 30)
            }
        );
        // 7th working day after Mon 03-02 is Wed 03-11: allowed; Thu 03-12 is the 8th.
        let ok = run(
            &[
                r.clone(),
                CorrectionRequested {
                    on: d(2026, 3, 11),
                    respond_by: d(2026, 3, 25),
                },
            ],
            d(2026, 3, 11),
        )
        .unwrap();
        assert_eq!(ok.correction_request_by, d(2026, 3, 11));
        assert_eq!(
            err(&[
                r.clone(),
                CorrectionRequested {
                    on: d(2026, 3, 12),
                    respond_by: d(2026, 3, 25)
                }
            ]),
            DeadlineError::CorrectionTooLate {
                on: d(2026, 3, 12),
                working_day: 8
            }
        );
        assert_eq!(
            err(&[
                r.clone(),
                CorrectionRequested {
                    on: d(2026, 3, 3),
                    respond_by: d(2026, 3, 10)
                },
                Corrected { on: d(2026, 3, 5) },
                CorrectionRequested {
                    on: d(2026, 3, 6),
                    respond_by: d(2026, 3, 13)
                },
            ]),
            DeadlineError::SecondCorrection(d(2026, 3, 6))
        );
        assert_eq!(
            err(&[r.clone(), Corrected { on: d(2026, 3, 5) }]),
            DeadlineError::CorrectedWithoutRequest(d(2026, 3, 5))
        );
        assert_eq!(
            err(&[
                r.clone(),
                CorrectionRequested {
                    on: d(2026, 3, 3),
                    respond_by: d(2026, 3, 10)
                },
                PauseStarted {
                    on: d(2026, 3, 4),
                    reason: PauseReason::OtherAgency
                },
            ]),
            DeadlineError::EventWhileAwaitingCorrection(d(2026, 3, 4))
        );
        assert_eq!(
            err(&[r.clone(), PauseEnded { on: d(2026, 3, 5) }]),
            DeadlineError::PauseEndWithoutStart(d(2026, 3, 5))
        );
        assert_eq!(
            err(&[
                r.clone(),
                PauseStarted {
                    on: d(2026, 3, 4),
                    reason: PauseReason::ThirdParty
                },
                PauseStarted {
                    on: d(2026, 3, 5),
                    reason: PauseReason::OtherAgency
                },
            ]),
            DeadlineError::PauseAlreadyOpen(d(2026, 3, 4))
        );
        assert_eq!(
            err(&[r.clone(), FeePaid { on: d(2026, 3, 5) }]),
            DeadlineError::FeePaidWithoutNotice(d(2026, 3, 5))
        );
        assert_eq!(
            err(&[Corrected { on: d(2026, 3, 5) }]),
            DeadlineError::NoReceipt
        );
        assert_eq!(err(&[]), DeadlineError::NoReceipt);
        assert_eq!(
            err(&[r.clone(), r.clone()]),
            DeadlineError::DuplicateReceipt(d(2026, 3, 2))
        );
        assert_eq!(
            err(&[
                r.clone(),
                PauseStarted {
                    on: d(2026, 3, 1),
                    reason: PauseReason::ThirdParty
                }
            ]),
            DeadlineError::OutOfOrder {
                earlier: d(2026, 3, 2),
                later: d(2026, 3, 1)
            }
        );
        assert_eq!(
            err(&[
                r.clone(),
                Answered { on: d(2026, 3, 5) },
                FeeNoticed { on: d(2026, 3, 6) }
            ]),
            DeadlineError::EventAfterAnswer(d(2026, 3, 6))
        );
    }

    /// Received Thu 2026-12-10: the 20th working day falls in January 2027, for which no
    /// official notice is loaded. That is an error, not a weekends-only guess.
    #[test]
    fn running_into_a_year_without_data() {
        assert_eq!(
            run(
                &[Received {
                    on: d(2026, 12, 10)
                }],
                d(2026, 12, 10)
            )
            .unwrap_err(),
            DeadlineError::Calendar(CalendarError::NoDataForYear(2027))
        );
    }
}
