//! Checks across the notices of one procurement (one project number).
//!
//! On the 0.1 contract a validation sees one notice only, so these checks
//! run where a list is at hand (the record compilation of the OCDS export)
//! and in tests; once the host passes the project's earlier notices to
//! `validate`, the same function reports them when a notice is saved.

use crate::kinds::*;
use crate::notice::{in_order, Notice};
use crate::stage::Stage;
use crate::timing::{INTENTION_LEAD_DAYS, SIGN_WITHIN_DAYS};
use gongkai_plugin_sdk::{DateTime, Severity};

/// A problem with one notice, seen against the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The notice's item id.
    pub notice: String,
    pub path: &'static str,
    pub severity: Severity,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

/// The procurement's current stage: the stage of its latest notice, except
/// that a cancellation closes it for good.
pub fn current_stage<'a>(notices: impl IntoIterator<Item = &'a Notice>) -> Option<Stage> {
    let ordered = in_order(notices);
    if ordered.iter().any(|n| n.kind == CANCELLATION) {
        return Some(Stage::Cancelled);
    }
    ordered.last().and_then(|n| Stage::of_kind(n.kind))
}

/// Every sequence problem of the notices of one procurement, in any order.
pub fn check<'a>(notices: impl IntoIterator<Item = &'a Notice>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |n: &Notice, path, severity, code, zh: String, en: String| {
        out.push(Finding {
            notice: n.id.clone(),
            path,
            severity,
            code,
            zh,
            en,
        })
    };
    let mut cancelled = false;
    let mut intention_published = None;
    // The bid deadline and opening time in force, as amended so far.
    let mut deadline: Option<DateTime> = None;
    let mut opening: Option<DateTime> = None;
    let mut award_date = None;
    let mut signed = None;
    let mut tendered = false;
    for n in in_order(notices) {
        if cancelled {
            push(
                n,
                "project_number",
                Severity::Error,
                "cancelled",
                "该采购项目已终止，不能再发布公告".into(),
                "this procurement was cancelled: no notice can follow".into(),
            );
            continue;
        }
        match n.kind {
            INTENTION => intention_published = n.published_on(),
            TENDER => {
                tendered = true;
                deadline = n.datetime("bid_deadline");
                opening = n.datetime("opening_time").or_else(|| deadline.clone());
                let start = n.datetime("documents_from").map(|t| t.date);
                let lead = intention_published.and_then(|p| p.add_days(INTENTION_LEAD_DAYS));
                if let (Some(start), Some(lead)) = (start, lead) {
                    if start < lead {
                        push(
                            n,
                            "documents_from",
                            Severity::Error,
                            "intention-late",
                            format!("采购意向公开不足30日，采购活动最早于 {lead} 开始"),
                            format!("the intention was public for less than 30 days: the procurement starts on {lead} at the earliest"),
                        );
                    }
                }
            }
            PREQUALIFICATION => tendered = true,
            AMENDMENT => {
                for (path, now, new) in [
                    (
                        "new_bid_deadline",
                        &mut deadline,
                        n.datetime("new_bid_deadline"),
                    ),
                    (
                        "new_opening_time",
                        &mut opening,
                        n.datetime("new_opening_time"),
                    ),
                ] {
                    let Some(new) = new else { continue };
                    if now.as_ref().is_some_and(|now| new < *now) {
                        let was = now.as_ref().map(ToString::to_string).unwrap_or_default();
                        push(
                            n,
                            path,
                            Severity::Error,
                            "moves-back",
                            format!("更正只能推迟时间，现行时间为 {was}"),
                            format!("an amendment only moves this time later; it is {was} now"),
                        );
                    } else {
                        *now = Some(new);
                    }
                }
            }
            CANCELLATION => cancelled = true,
            AWARD => {
                let decided = n.date("decision_date");
                if let (Some(d), Some(o)) = (decided, opening.as_ref()) {
                    if d < o.date {
                        push(
                            n,
                            "decision_date",
                            Severity::Error,
                            "award-before-opening",
                            format!("确定中标（成交）供应商早于开标时间 {o}"),
                            format!("the supplier was chosen before the opening time {o}"),
                        );
                    }
                }
                if !tendered {
                    push(
                        n,
                        "project_number",
                        Severity::Warning,
                        "no-tender",
                        "未找到该项目的采购公告".into(),
                        "no tender notice of this project was found".into(),
                    );
                }
                award_date = n.published_on().or(decided);
            }
            CONTRACT => {
                signed = n.date("signing_date");
                if let (Some(s), Some(a)) = (signed, award_date) {
                    if s < a {
                        push(
                            n,
                            "signing_date",
                            Severity::Error,
                            "contract-before-award",
                            format!("合同签订早于中标（成交）结果 {a}"),
                            format!("the contract was signed before the award of {a}"),
                        );
                    } else if a.add_days(SIGN_WITHIN_DAYS).is_some_and(|last| s > last) {
                        push(
                            n,
                            "signing_date",
                            Severity::Error,
                            "signing-late",
                            "合同应在中标（成交）通知书发出之日起30日内签订".into(),
                            "the contract must be signed within 30 days of the award".into(),
                        );
                    }
                }
                if award_date.is_none() {
                    push(
                        n,
                        "project_number",
                        Severity::Warning,
                        "no-award",
                        "未找到该项目的中标（成交）结果公告".into(),
                        "no award notice of this project was found".into(),
                    );
                }
            }
            ACCEPTANCE => {
                let accepted = n.date("acceptance_date");
                if let (Some(acc), Some(s)) = (accepted, signed) {
                    if acc < s {
                        push(
                            n,
                            "acceptance_date",
                            Severity::Error,
                            "acceptance-before-contract",
                            format!("验收早于合同签订日期 {s}"),
                            format!("accepted before the contract was signed on {s}"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    out
}
