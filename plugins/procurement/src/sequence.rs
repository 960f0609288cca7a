//! Checks across the notices of one procurement (one project number).
//!
//! They run when a notice is saved: every notice kind is `related_by` the project
//! number, so the host passes the procurement's published notices to
//! `validate_related` (contract 0.2), which reports the saved notice's findings; and
//! where a list is at hand (the record compilation of the OCDS export).

use crate::kinds::*;
use crate::notice::{in_order, Notice};
use crate::stage::Stage;
use crate::timing::{INTENTION_LEAD_DAYS, SIGN_WITHIN_DAYS};
use gongkai_plugin_sdk::{Date, DateTime, Severity};

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
    let mut walk = Walk::default();
    for n in in_order(notices) {
        if walk.cancelled {
            walk.error(
                n,
                "project_number",
                "cancelled",
                "该采购项目已终止，不能再发布公告".into(),
                "this procurement was cancelled: no notice can follow".into(),
            );
            continue;
        }
        match n.kind {
            INTENTION => walk.intention_published = n.published_on(),
            PREQUALIFICATION => walk.tendered = true,
            TENDER => walk.tender(n),
            AMENDMENT => walk.amendment(n),
            CANCELLATION => walk.cancelled = true,
            AWARD => walk.award(n),
            CONTRACT => walk.contract(n),
            ACCEPTANCE => walk.acceptance(n),
            _ => {}
        }
    }
    walk.findings
}

/// What the notices so far have established, walking them in order.
#[derive(Default)]
struct Walk {
    findings: Vec<Finding>,
    cancelled: bool,
    tendered: bool,
    intention_published: Option<Date>,
    /// The bid deadline and opening time in force, as amended so far.
    deadline: Option<DateTime>,
    opening: Option<DateTime>,
    /// When the award was published (else decided).
    awarded: Option<Date>,
    signed: Option<Date>,
}

impl Walk {
    fn push(
        &mut self,
        n: &Notice,
        path: &'static str,
        severity: Severity,
        code: &'static str,
        zh: String,
        en: String,
    ) {
        self.findings.push(Finding {
            notice: n.id.clone(),
            path,
            severity,
            code,
            zh,
            en,
        });
    }

    fn error(
        &mut self,
        n: &Notice,
        path: &'static str,
        code: &'static str,
        zh: String,
        en: String,
    ) {
        self.push(n, path, Severity::Error, code, zh, en);
    }

    fn tender(&mut self, n: &Notice) {
        self.tendered = true;
        self.deadline = n.datetime("bid_deadline");
        self.opening = n.datetime("opening_time").or_else(|| self.deadline.clone());
        let start = n.datetime("documents_from").map(|t| t.date);
        let lead = self
            .intention_published
            .and_then(|p| p.add_days(INTENTION_LEAD_DAYS));
        if let (Some(start), Some(lead)) = (start, lead) {
            if start < lead {
                self.error(
                    n,
                    "documents_from",
                    "intention-late",
                    format!("采购意向公开不足30日，采购活动最早于 {lead} 开始"),
                    format!("the intention was public for less than 30 days: the procurement starts on {lead} at the earliest"),
                );
            }
        }
    }

    /// New dates replace those in force only when they are later.
    fn amendment(&mut self, n: &Notice) {
        for path in ["new_bid_deadline", "new_opening_time"] {
            let Some(new) = n.datetime(path) else {
                continue;
            };
            let now = if path == "new_bid_deadline" {
                &self.deadline
            } else {
                &self.opening
            };
            match now.clone() {
                Some(now) if new < now => self.error(
                    n,
                    path,
                    "moves-back",
                    format!("更正只能推迟时间，现行时间为 {now}"),
                    format!("an amendment only moves this time later; it is {now} now"),
                ),
                _ if path == "new_bid_deadline" => self.deadline = Some(new),
                _ => self.opening = Some(new),
            }
        }
    }

    fn award(&mut self, n: &Notice) {
        let decided = n.date("decision_date");
        if let (Some(d), Some(o)) = (decided, self.opening.clone()) {
            if d < o.date {
                self.error(
                    n,
                    "decision_date",
                    "award-before-opening",
                    format!("确定中标（成交）供应商早于开标时间 {o}"),
                    format!("the supplier was chosen before the opening time {o}"),
                );
            }
        }
        if !self.tendered {
            self.push(
                n,
                "project_number",
                Severity::Warning,
                "no-tender",
                "未找到该项目的采购公告".into(),
                "no tender notice of this project was found".into(),
            );
        }
        self.awarded = n.published_on().or(decided);
    }

    fn contract(&mut self, n: &Notice) {
        self.signed = n.date("signing_date");
        match (self.signed, self.awarded) {
            (Some(s), Some(a)) if s < a => self.error(
                n,
                "signing_date",
                "contract-before-award",
                format!("合同签订早于中标（成交）结果 {a}"),
                format!("the contract was signed before the award of {a}"),
            ),
            (Some(s), Some(a)) if a.add_days(SIGN_WITHIN_DAYS).is_some_and(|last| s > last) => self
                .error(
                    n,
                    "signing_date",
                    "signing-late",
                    "合同应在中标（成交）通知书发出之日起30日内签订".into(),
                    "the contract must be signed within 30 days of the award".into(),
                ),
            (_, None) => self.push(
                n,
                "project_number",
                Severity::Warning,
                "no-award",
                "未找到该项目的中标（成交）结果公告".into(),
                "no award notice of this project was found".into(),
            ),
            _ => {}
        }
    }

    fn acceptance(&mut self, n: &Notice) {
        if let (Some(acc), Some(s)) = (n.date("acceptance_date"), self.signed) {
            if acc < s {
                self.error(
                    n,
                    "acceptance_date",
                    "acceptance-before-contract",
                    format!("验收早于合同签订日期 {s}"),
                    format!("accepted before the contract was signed on {s}"),
                );
            }
        }
    }
}
