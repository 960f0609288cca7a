//! Lifecycle of a proactively disclosed item (主动公开), as plain functions.
//!
//! An item has two independent axes, because a published item can be revised while the
//! published version stays up (DESIGN.md "Lifecycles"):
//! - the *working version* (`working`): the version being edited and reviewed, if any:
//!   draft → in_review → approved → (scheduled) → published;
//! - the *public side* (`public`): whether a version is on the portal (never / published /
//!   withdrawn);
//! - and, for documents such as 规范性文件, the *validity* (现行有效 / 已修改 / 已废止),
//!   which changes while the item stays public.
//!
//! [`ItemState::stage`] folds the first two back into the single state the console shows.
//! The review chain (who signs which step) is in [`review`]; the disclosure attribute
//! (公开属性) and the 20-working-day timeliness rule are at the end of this file.
//!
//! Kept whole (just over 600 lines before its tests): the two axes and the review chain
//! are checked against each other by every transition, and splitting them would put one
//! state machine in three files.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::calendar::WorkingDays;

/// State of the version being worked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Working {
    Draft,
    InReview,
    Approved,
    /// Approved and to be published automatically at `at`.
    Scheduled {
        at: DateTime<Utc>,
    },
}

/// Whether a version of the item is on the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Public {
    /// No version was ever published.
    Never,
    Published,
    /// Taken down; the reason is recorded on the timeline event.
    Withdrawn,
}

/// Validity of the document (效力状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 现行有效
    InForce,
    /// 已修改
    Amended,
    /// 已废止
    Repealed,
}

impl Validity {
    pub fn as_str(self) -> &'static str {
        match self {
            Validity::InForce => "in_force",
            Validity::Amended => "amended",
            Validity::Repealed => "repealed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Validity::InForce => "现行有效",
            Validity::Amended => "已修改",
            Validity::Repealed => "已废止",
        }
    }
}

/// The single state shown in lists: the working version's state if one exists,
/// otherwise the public state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Draft,
    InReview,
    Approved,
    Scheduled,
    Published,
    Withdrawn,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::InReview => "in_review",
            Stage::Approved => "approved",
            Stage::Scheduled => "scheduled",
            Stage::Published => "published",
            Stage::Withdrawn => "withdrawn",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::Draft => "草稿",
            Stage::InReview => "审核中",
            Stage::Approved => "已审核",
            Stage::Scheduled => "定时发布",
            Stage::Published => "已发布",
            Stage::Withdrawn => "已撤回",
        }
    }
}

/// Full state of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemState {
    /// The version being worked on; `None` when the newest version is the published one
    /// (or the withdrawn one).
    pub working: Option<Working>,
    pub public: Public,
    pub validity: Validity,
}

impl ItemState {
    /// A newly created item: a draft, never published, in force.
    pub fn new() -> Self {
        ItemState {
            working: Some(Working::Draft),
            public: Public::Never,
            validity: Validity::InForce,
        }
    }

    pub fn stage(&self) -> Stage {
        match (self.working, self.public) {
            (Some(Working::Draft), _) => Stage::Draft,
            (Some(Working::InReview), _) => Stage::InReview,
            (Some(Working::Approved), _) => Stage::Approved,
            (Some(Working::Scheduled { .. }), _) => Stage::Scheduled,
            (None, Public::Withdrawn) => Stage::Withdrawn,
            // Cannot arise through `apply` (a new item starts as a draft); shown as a draft.
            (None, Public::Never) => Stage::Draft,
            (None, Public::Published) => Stage::Published,
        }
    }

    /// Whether the portal shows a version of this item.
    pub fn is_public(&self) -> bool {
        self.public == Public::Published
    }

    /// Whether a published item is being revised (the old version stays up meanwhile).
    pub fn is_revising(&self) -> bool {
        self.public == Public::Published && self.working.is_some()
    }

    /// For the scheduler: the item is scheduled and its time has come.
    pub fn due_for_publication(&self, now: DateTime<Utc>) -> bool {
        matches!(self.working, Some(Working::Scheduled { at }) if at <= now)
    }
}

impl Default for ItemState {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ItemState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.stage().as_str())?;
        if self.is_revising() {
            write!(f, " (revision of a published item)")?;
        }
        if self.validity != Validity::InForce {
            write!(f, ", {}", self.validity.as_str())?;
        }
        Ok(())
    }
}

/// What someone asks to do with an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The editor sends the working version for review.
    Submit,
    /// A reviewer signs one step; `chain_complete` says whether every step is now approved
    /// (see [`review::all_approved`]). Only then does the version become approved.
    ApproveStep { chain_complete: bool },
    /// A reviewer rejects: the version returns to draft. Comments are required.
    Reject { comments: String },
    /// Publish automatically at `at` (the caller checks that `at` is in the future).
    Schedule { at: DateTime<Utc> },
    /// Cancel a schedule; the version stays approved.
    Unschedule,
    /// Publish now (also used by the scheduler for a scheduled version).
    Publish,
    /// Start a new working version: of a published or withdrawn item, or of an approved
    /// version not yet published (its approvals no longer count).
    Revise,
    /// Take the item off the portal. Reason required.
    Withdraw { reason: String },
    /// Validity → 已废止; the item stays public.
    Repeal,
    /// Validity → 已修改 (amended by a later document); the item stays public.
    MarkAmended,
}

/// The action without its data, for errors and audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Submit,
    ApproveStep,
    Reject,
    Schedule,
    Unschedule,
    Publish,
    Revise,
    Withdraw,
    Repeal,
    MarkAmended,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Submit => "submit",
            ActionKind::ApproveStep => "approve_step",
            ActionKind::Reject => "reject",
            ActionKind::Schedule => "schedule",
            ActionKind::Unschedule => "unschedule",
            ActionKind::Publish => "publish",
            ActionKind::Revise => "revise",
            ActionKind::Withdraw => "withdraw",
            ActionKind::Repeal => "repeal",
            ActionKind::MarkAmended => "mark_amended",
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Submit => ActionKind::Submit,
            Action::ApproveStep { .. } => ActionKind::ApproveStep,
            Action::Reject { .. } => ActionKind::Reject,
            Action::Schedule { .. } => ActionKind::Schedule,
            Action::Unschedule => ActionKind::Unschedule,
            Action::Publish => ActionKind::Publish,
            Action::Revise => ActionKind::Revise,
            Action::Withdraw { .. } => ActionKind::Withdraw,
            Action::Repeal => ActionKind::Repeal,
            Action::MarkAmended => ActionKind::MarkAmended,
        }
    }
}

/// A refused transition: names the state and the action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} an item that is {state}: {reason}", action.as_str())]
pub struct TransitionError {
    pub state: ItemState,
    pub action: ActionKind,
    pub reason: &'static str,
}

/// Applies `action` to `state`.
pub fn apply(state: ItemState, action: &Action) -> Result<ItemState, TransitionError> {
    let refuse = |reason: &'static str| TransitionError {
        state,
        action: action.kind(),
        reason,
    };
    let with_working = |w: Option<Working>| ItemState {
        working: w,
        ..state
    };

    match action {
        Action::Submit => match state.working {
            Some(Working::Draft) => Ok(with_working(Some(Working::InReview))),
            _ => Err(refuse("only a draft can be submitted")),
        },
        Action::ApproveStep { chain_complete } => match state.working {
            Some(Working::InReview) if *chain_complete => Ok(with_working(Some(Working::Approved))),
            Some(Working::InReview) => Ok(state),
            _ => Err(refuse("only a version in review can be approved")),
        },
        Action::Reject { comments } => match state.working {
            Some(Working::InReview) if comments.trim().is_empty() => {
                Err(refuse("a rejection needs comments"))
            }
            Some(Working::InReview) => Ok(with_working(Some(Working::Draft))),
            _ => Err(refuse("only a version in review can be rejected")),
        },
        Action::Schedule { at } => match state.working {
            Some(Working::Approved) => Ok(with_working(Some(Working::Scheduled { at: *at }))),
            _ => Err(refuse("only an approved version can be scheduled")),
        },
        Action::Unschedule => match state.working {
            Some(Working::Scheduled { .. }) => Ok(with_working(Some(Working::Approved))),
            _ => Err(refuse("the item is not scheduled")),
        },
        Action::Publish => match state.working {
            Some(Working::Approved | Working::Scheduled { .. }) => Ok(ItemState {
                working: None,
                public: Public::Published,
                validity: state.validity,
            }),
            _ => Err(refuse("only an approved version can be published")),
        },
        Action::Revise => match (state.working, state.public) {
            (None, Public::Published | Public::Withdrawn) => Ok(with_working(Some(Working::Draft))),
            (Some(Working::Approved | Working::Scheduled { .. }), _) => {
                Ok(with_working(Some(Working::Draft)))
            }
            (None, Public::Never) => Err(refuse("there is no version to revise")),
            (Some(_), _) => Err(refuse("a version is already being edited or reviewed")),
        },
        Action::Withdraw { reason } => match state.public {
            Public::Published if reason.trim().is_empty() => {
                Err(refuse("a withdrawal needs a reason"))
            }
            // A revision in progress is kept: it may be published later, which
            // republishes the item.
            Public::Published => Ok(ItemState {
                public: Public::Withdrawn,
                ..state
            }),
            _ => Err(refuse("only a published item can be withdrawn")),
        },
        Action::Repeal => match (state.public, state.validity) {
            (Public::Published, Validity::InForce | Validity::Amended) => Ok(ItemState {
                validity: Validity::Repealed,
                ..state
            }),
            (Public::Published, Validity::Repealed) => Err(refuse("already repealed")),
            _ => Err(refuse("only a published item can be repealed")),
        },
        Action::MarkAmended => match (state.public, state.validity) {
            (Public::Published, Validity::InForce) => Ok(ItemState {
                validity: Validity::Amended,
                ..state
            }),
            (Public::Published, _) => Err(refuse("only an item in force can be marked amended")),
            _ => Err(refuse("only a published item can be marked amended")),
        },
    }
}

/// The review chain (审查链): ordered sign-off steps for the working version.
pub mod review {
    use serde::{Deserialize, Serialize};

    /// One step, e.g. `{ name: "保密审查", role: "reviewer" }`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Step {
        pub name: String,
        /// The role a user must hold to decide this step.
        pub role: String,
    }

    impl Step {
        pub fn new(name: &str, role: &str) -> Self {
            Step {
                name: name.to_string(),
                role: role.to_string(),
            }
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Verdict {
        Approve,
        Reject,
    }

    /// A recorded sign-off for the current version. `U` is the user id type.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Decision<U> {
        /// Index into the chain.
        pub step: usize,
        pub by: U,
        pub verdict: Verdict,
    }

    /// The chain for a version: the catalog node's configured steps, then the extra steps
    /// (e.g. a plugin's publication rules) whose names are not already configured.
    pub fn chain(configured: &[Step], extra: &[Step]) -> Vec<Step> {
        let mut steps = configured.to_vec();
        for step in extra {
            if !steps.iter().any(|s| s.name == step.name) {
                steps.push(step.clone());
            }
        }
        steps
    }

    /// Decisions that still count: those after the last rejection (a rejection sends the
    /// version back to draft, so everything must be signed again).
    fn current<U>(decisions: &[Decision<U>]) -> &[Decision<U>] {
        match decisions.iter().rposition(|d| d.verdict == Verdict::Reject) {
            Some(i) => &decisions[i + 1..],
            None => decisions,
        }
    }

    /// The first step not yet approved, or `None` when all are.
    pub fn pending_step<U>(chain: &[Step], decisions: &[Decision<U>]) -> Option<usize> {
        let current = current(decisions);
        (0..chain.len()).find(|&i| {
            !current
                .iter()
                .any(|d| d.step == i && d.verdict == Verdict::Approve)
        })
    }

    /// Whether every step is approved (then the version becomes approved).
    /// An empty chain is complete: a tenant may configure no review, which is its choice.
    pub fn all_approved<U>(chain: &[Step], decisions: &[Decision<U>]) -> bool {
        pending_step(chain, decisions).is_none()
    }

    /// Why someone may not decide a step.
    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    pub enum Refusal {
        #[error("every step is already approved")]
        NothingPending,
        #[error("step {requested} cannot be decided yet: step {pending} comes first")]
        NotPending { requested: usize, pending: usize },
        #[error("whoever edited this version may not review it")]
        EditedThisVersion,
        #[error("this user already signed another step of this version")]
        AlreadySigned,
        #[error("step \"{step}\" needs the role \"{role}\"")]
        WrongRole { step: String, role: String },
    }

    /// Whether `user` holding `roles` may decide step `step` of the current version.
    ///
    /// Rules: steps are decided in order; nobody decides a step of a version they edited;
    /// one person signs at most one step of a version (the point of 三级审查 is three
    /// different people); the step's role must be among the user's roles.
    pub fn may_decide<U: PartialEq>(
        chain: &[Step],
        decisions: &[Decision<U>],
        step: usize,
        user: &U,
        roles: &[String],
        editors: &[U],
    ) -> Result<(), Refusal> {
        let pending = pending_step(chain, decisions).ok_or(Refusal::NothingPending)?;
        if step != pending {
            return Err(Refusal::NotPending {
                requested: step,
                pending,
            });
        }
        if editors.contains(user) {
            return Err(Refusal::EditedThisVersion);
        }
        if current(decisions).iter().any(|d| &d.by == user) {
            return Err(Refusal::AlreadySigned);
        }
        let needed = &chain[step];
        if !roles.iter().any(|r| r == &needed.role) {
            return Err(Refusal::WrongRole {
                step: needed.name.clone(),
                role: needed.role.clone(),
            });
        }
        Ok(())
    }

    /// The item action that records `verdict` once `decisions` include it.
    pub fn action_for<U>(
        chain: &[Step],
        decisions_including_new: &[Decision<U>],
        verdict: Verdict,
        comments: &str,
    ) -> super::Action {
        match verdict {
            Verdict::Approve => super::Action::ApproveStep {
                chain_complete: all_approved(chain, decisions_including_new),
            },
            Verdict::Reject => super::Action::Reject {
                comments: comments.to_string(),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------
// Disclosure attribute (公开属性源头认定).

/// The disclosure attribute fixed when an item is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureAttribute {
    /// 主动公开
    Proactive,
    /// 依申请公开
    OnRequest,
    /// 不予公开
    NotDisclosed,
}

impl DisclosureAttribute {
    pub fn label_zh(self) -> &'static str {
        match self {
            DisclosureAttribute::Proactive => "主动公开",
            DisclosureAttribute::OnRequest => "依申请公开",
            DisclosureAttribute::NotDisclosed => "不予公开",
        }
    }
}

/// Legal grounds for not publishing proactively, matching the (三) 不予公开 codes of the
/// annual report (DOMAIN.md §3) so that the figures line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalGround {
    /// (三)1 属于国家秘密 (art. 14)
    StateSecret,
    /// (三)2 其他法律行政法规禁止公开 (art. 14)
    ProhibitedByLaw,
    /// (三)3 危及"三安全一稳定" (art. 14)
    EndangersSecurity,
    /// (三)4 保护第三方合法权益: trade secrets, privacy (art. 15)
    ThirdPartyRights,
    /// (三)5 属于三类内部事务信息 (art. 16 ¶1)
    InternalAffairs,
    /// (三)6 属于四类过程性信息 (art. 16 ¶2)
    ProcessInformation,
    /// (三)7 属于行政执法案卷 (art. 16 ¶2)
    EnforcementFiles,
    /// (三)8 属于行政查询事项
    AdministrativeQuery,
}

impl LegalGround {
    pub const ALL: [LegalGround; 8] = [
        LegalGround::StateSecret,
        LegalGround::ProhibitedByLaw,
        LegalGround::EndangersSecurity,
        LegalGround::ThirdPartyRights,
        LegalGround::InternalAffairs,
        LegalGround::ProcessInformation,
        LegalGround::EnforcementFiles,
        LegalGround::AdministrativeQuery,
    ];

    /// The matching outcome code of `requests::outcome` ("3.1" … "3.8").
    pub fn outcome_code(self) -> &'static str {
        match self {
            LegalGround::StateSecret => "3.1",
            LegalGround::ProhibitedByLaw => "3.2",
            LegalGround::EndangersSecurity => "3.3",
            LegalGround::ThirdPartyRights => "3.4",
            LegalGround::InternalAffairs => "3.5",
            LegalGround::ProcessInformation => "3.6",
            LegalGround::EnforcementFiles => "3.7",
            LegalGround::AdministrativeQuery => "3.8",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            LegalGround::StateSecret => "属于国家秘密",
            LegalGround::ProhibitedByLaw => "其他法律行政法规禁止公开",
            LegalGround::EndangersSecurity => "危及“三安全一稳定”",
            LegalGround::ThirdPartyRights => "保护第三方合法权益",
            LegalGround::InternalAffairs => "属于三类内部事务信息",
            LegalGround::ProcessInformation => "属于四类过程性信息",
            LegalGround::EnforcementFiles => "属于行政执法案卷",
            LegalGround::AdministrativeQuery => "属于行政查询事项",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributeError {
    #[error("{} needs a legal ground", .0.label_zh())]
    GroundMissing(DisclosureAttribute),
    #[error("{} needs a written reason", .0.label_zh())]
    ReasonMissing(DisclosureAttribute),
    #[error("a proactive item takes no legal ground for non-disclosure")]
    GroundNotApplicable,
}

/// Checks an attribute decision: `on_request` and `not_disclosed` need a ground and a
/// written reason; `proactive` takes neither ground nor (required) reason.
pub fn check_attribute(
    attribute: DisclosureAttribute,
    ground: Option<LegalGround>,
    reason: &str,
) -> Result<(), AttributeError> {
    match attribute {
        DisclosureAttribute::Proactive if ground.is_some() => {
            Err(AttributeError::GroundNotApplicable)
        }
        DisclosureAttribute::Proactive => Ok(()),
        _ if ground.is_none() => Err(AttributeError::GroundMissing(attribute)),
        _ if reason.trim().is_empty() => Err(AttributeError::ReasonMissing(attribute)),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// Timeliness (Regulation art. 26): a proactive item is published within 20 working days
// of being created or changed.

/// Working days a proactive item may wait for publication.
pub const PUBLICATION_WORKING_DAYS: u32 = 20;

/// Last day to publish an item created or changed on `changed_on`; `Ok(None)` unless the
/// item is proactive.
pub fn publication_due<C: WorkingDays + ?Sized>(
    attribute: DisclosureAttribute,
    changed_on: NaiveDate,
    calendar: &C,
) -> Result<Option<NaiveDate>, C::Error> {
    if attribute != DisclosureAttribute::Proactive {
        return Ok(None);
    }
    calendar
        .add_working_days(changed_on, PUBLICATION_WORKING_DAYS)
        .map(Some)
}

/// Whether publication was (or, if still unpublished, is as of `today`) late.
pub fn is_late(due: NaiveDate, published_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    published_on.unwrap_or(today) > due
}

#[cfg(test)]
mod tests {
    use super::review::*;
    use super::*;
    use chrono::{Datelike, TimeZone, Weekday};

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 7, 1, 9, 0, 0).unwrap()
    }

    fn st(working: Option<Working>, public: Public, validity: Validity) -> ItemState {
        ItemState {
            working,
            public,
            validity,
        }
    }

    /// Every combination of the three axes.
    fn all_states() -> Vec<ItemState> {
        let workings = [
            None,
            Some(Working::Draft),
            Some(Working::InReview),
            Some(Working::Approved),
            Some(Working::Scheduled { at: at() }),
        ];
        let publics = [Public::Never, Public::Published, Public::Withdrawn];
        let validities = [Validity::InForce, Validity::Amended, Validity::Repealed];
        let mut out = Vec::new();
        for w in workings {
            for p in publics {
                for v in validities {
                    out.push(st(w, p, v));
                }
            }
        }
        out
    }

    fn all_actions() -> Vec<Action> {
        vec![
            Action::Submit,
            Action::ApproveStep {
                chain_complete: false,
            },
            Action::ApproveStep {
                chain_complete: true,
            },
            Action::Reject {
                comments: "请补充依据".into(),
            },
            Action::Reject {
                comments: " ".into(),
            },
            Action::Schedule { at: at() },
            Action::Unschedule,
            Action::Publish,
            Action::Revise,
            Action::Withdraw {
                reason: "含个人信息".into(),
            },
            Action::Withdraw { reason: "".into() },
            Action::Repeal,
            Action::MarkAmended,
        ]
    }

    /// The expected result of every (state, action), written as rules independent of `apply`.
    fn expected(s: ItemState, a: &Action) -> Option<ItemState> {
        use Working::*;
        let w = |working| Some(ItemState { working, ..s });
        match (a, s.working, s.public, s.validity) {
            (Action::Submit, Some(Draft), _, _) => w(Some(InReview)),
            (
                Action::ApproveStep {
                    chain_complete: false,
                },
                Some(InReview),
                _,
                _,
            ) => Some(s),
            (
                Action::ApproveStep {
                    chain_complete: true,
                },
                Some(InReview),
                _,
                _,
            ) => w(Some(Approved)),
            (Action::Reject { comments }, Some(InReview), _, _) if !comments.trim().is_empty() => {
                w(Some(Draft))
            }
            (Action::Schedule { at }, Some(Approved), _, _) => w(Some(Scheduled { at: *at })),
            (Action::Unschedule, Some(Scheduled { .. }), _, _) => w(Some(Approved)),
            (Action::Publish, Some(Approved | Scheduled { .. }), _, v) => {
                Some(st(None, Public::Published, v))
            }
            (Action::Revise, None, Public::Published | Public::Withdrawn, _) => w(Some(Draft)),
            (Action::Revise, Some(Approved | Scheduled { .. }), _, _) => w(Some(Draft)),
            (Action::Withdraw { reason }, _, Public::Published, _) if !reason.trim().is_empty() => {
                Some(ItemState {
                    public: Public::Withdrawn,
                    ..s
                })
            }
            (Action::Repeal, _, Public::Published, Validity::InForce | Validity::Amended) => {
                Some(ItemState {
                    validity: Validity::Repealed,
                    ..s
                })
            }
            (Action::MarkAmended, _, Public::Published, Validity::InForce) => Some(ItemState {
                validity: Validity::Amended,
                ..s
            }),
            _ => None,
        }
    }

    #[test]
    fn every_state_and_action() {
        let mut allowed = 0;
        let mut refused = 0;
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
                        assert_eq!(err.state, s);
                        assert_eq!(err.action, a.kind());
                        refused += 1;
                    }
                }
            }
        }
        assert!(allowed > 50 && refused > 300, "{allowed} {refused}");
    }

    #[test]
    fn table_of_the_main_path() {
        use Action::*;
        let s0 = ItemState::new();
        assert_eq!(s0.stage(), Stage::Draft);
        let table: Vec<(Action, Stage)> = vec![
            (Submit, Stage::InReview),
            (
                ApproveStep {
                    chain_complete: false,
                },
                Stage::InReview,
            ),
            (
                Reject {
                    comments: "文号有误".into(),
                },
                Stage::Draft,
            ),
            (Submit, Stage::InReview),
            (
                ApproveStep {
                    chain_complete: true,
                },
                Stage::Approved,
            ),
            (Schedule { at: at() }, Stage::Scheduled),
            (Unschedule, Stage::Approved),
            (Schedule { at: at() }, Stage::Scheduled),
            (Publish, Stage::Published),
            (Revise, Stage::Draft),
            (Submit, Stage::InReview),
            (
                ApproveStep {
                    chain_complete: true,
                },
                Stage::Approved,
            ),
            (Publish, Stage::Published),
            (MarkAmended, Stage::Published),
            (Repeal, Stage::Published),
            (
                Withdraw {
                    reason: "误发".into(),
                },
                Stage::Withdrawn,
            ),
            (Revise, Stage::Draft),
        ];
        let mut s = s0;
        for (a, stage) in table {
            s = apply(s, &a).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(s.stage(), stage, "after {a:?}");
        }
        assert_eq!(s.validity, Validity::Repealed);
        assert_eq!(s.public, Public::Withdrawn);
    }

    #[test]
    fn revision_keeps_the_published_version_up() {
        let published = st(None, Public::Published, Validity::InForce);
        let revising = apply(published, &Action::Revise).unwrap();
        assert!(revising.is_public());
        assert!(revising.is_revising());
        assert_eq!(revising.stage(), Stage::Draft);
        // Withdrawing during a revision keeps the draft.
        let w = apply(revising, &Action::Withdraw { reason: "x".into() }).unwrap();
        assert!(!w.is_public());
        assert_eq!(w.working, Some(Working::Draft));
    }

    #[test]
    fn refusals_name_state_and_action() {
        let err = apply(ItemState::new(), &Action::Publish).unwrap_err();
        assert_eq!(err.action, ActionKind::Publish);
        assert_eq!(err.state.stage(), Stage::Draft);
        assert_eq!(
            err.to_string(),
            "cannot publish an item that is draft: only an approved version can be published"
        );
        let err = apply(
            st(None, Public::Published, Validity::Repealed),
            &Action::Repeal,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot repeal an item that is published, repealed: already repealed"
        );
    }

    #[test]
    fn scheduler_due() {
        let s = st(
            Some(Working::Scheduled { at: at() }),
            Public::Never,
            Validity::InForce,
        );
        assert!(!s.due_for_publication(at() - chrono::Duration::seconds(1)));
        assert!(s.due_for_publication(at()));
        assert!(!ItemState::new().due_for_publication(at()));
    }

    fn three_level() -> Vec<Step> {
        vec![
            Step::new("经办人审核", "reviewer"),
            Step::new("部门负责人审核", "reviewer"),
            Step::new("主管领导审批", "approver"),
        ]
    }

    fn roles(r: &[&str]) -> Vec<String> {
        r.iter().map(|s| s.to_string()).collect()
    }

    fn d(step: usize, by: u32, verdict: Verdict) -> Decision<u32> {
        Decision { step, by, verdict }
    }

    #[test]
    fn chain_with_extra_steps() {
        let c = chain(
            &three_level(),
            &[
                Step::new("保密审查", "reviewer"),
                Step::new("部门负责人审核", "x"),
            ],
        );
        let names: Vec<&str> = c.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["经办人审核", "部门负责人审核", "主管领导审批", "保密审查"]
        );
    }

    #[test]
    fn pending_and_complete() {
        let c = three_level();
        let none: Vec<Decision<u32>> = vec![];
        assert_eq!(pending_step(&c, &none), Some(0));
        let ds = vec![d(0, 10, Verdict::Approve)];
        assert_eq!(pending_step(&c, &ds), Some(1));
        let ds = vec![
            d(0, 10, Verdict::Approve),
            d(1, 11, Verdict::Approve),
            d(2, 12, Verdict::Approve),
        ];
        assert_eq!(pending_step(&c, &ds), None);
        assert!(all_approved(&c, &ds));
        // A rejection voids earlier approvals.
        let ds = vec![
            d(0, 10, Verdict::Approve),
            d(1, 11, Verdict::Reject),
            d(0, 10, Verdict::Approve),
        ];
        assert_eq!(pending_step(&c, &ds), Some(1));
        assert!(all_approved::<u32>(&[], &[]));
    }

    #[test]
    fn who_may_decide() {
        let c = three_level();
        let editors = vec![1u32];
        let reviewer = roles(&["reviewer"]);
        let approver = roles(&["approver"]);
        let none: Vec<Decision<u32>> = vec![];

        assert_eq!(may_decide(&c, &none, 0, &10, &reviewer, &editors), Ok(()));
        // Self-approval: the editor holds the role but edited the version.
        assert_eq!(
            may_decide(&c, &none, 0, &1, &reviewer, &editors),
            Err(Refusal::EditedThisVersion)
        );
        // Wrong role.
        assert_eq!(
            may_decide(&c, &none, 0, &10, &approver, &editors),
            Err(Refusal::WrongRole {
                step: "经办人审核".into(),
                role: "reviewer".into()
            })
        );
        // Out of order.
        assert_eq!(
            may_decide(&c, &none, 2, &12, &approver, &editors),
            Err(Refusal::NotPending {
                requested: 2,
                pending: 0
            })
        );
        // The same person may not sign two steps.
        let ds = vec![d(0, 10, Verdict::Approve)];
        assert_eq!(
            may_decide(&c, &ds, 1, &10, &reviewer, &editors),
            Err(Refusal::AlreadySigned)
        );
        assert_eq!(may_decide(&c, &ds, 1, &11, &reviewer, &editors), Ok(()));
        // Nothing left.
        let ds = vec![
            d(0, 10, Verdict::Approve),
            d(1, 11, Verdict::Approve),
            d(2, 12, Verdict::Approve),
        ];
        assert_eq!(
            may_decide(&c, &ds, 2, &13, &approver, &editors),
            Err(Refusal::NothingPending)
        );
    }

    #[test]
    fn review_drives_the_item() {
        let c = three_level();
        let mut ds: Vec<Decision<u32>> = vec![];
        let mut s = apply(ItemState::new(), &Action::Submit).unwrap();
        for (step, user) in [(0, 10), (1, 11), (2, 12)] {
            ds.push(d(step, user, Verdict::Approve));
            s = apply(s, &action_for(&c, &ds, Verdict::Approve, "")).unwrap();
        }
        assert_eq!(s.stage(), Stage::Approved);
        let mut s2 = apply(ItemState::new(), &Action::Submit).unwrap();
        ds.push(d(0, 10, Verdict::Reject));
        s2 = apply(s2, &action_for(&c, &ds, Verdict::Reject, "请修改")).unwrap();
        assert_eq!(s2.stage(), Stage::Draft);
    }

    #[test]
    fn attributes() {
        use DisclosureAttribute::*;
        assert_eq!(check_attribute(Proactive, None, ""), Ok(()));
        assert_eq!(
            check_attribute(Proactive, Some(LegalGround::StateSecret), "x"),
            Err(AttributeError::GroundNotApplicable)
        );
        for a in [OnRequest, NotDisclosed] {
            assert_eq!(
                check_attribute(a, None, "理由"),
                Err(AttributeError::GroundMissing(a))
            );
            assert_eq!(
                check_attribute(a, Some(LegalGround::ThirdPartyRights), " "),
                Err(AttributeError::ReasonMissing(a))
            );
            assert_eq!(
                check_attribute(a, Some(LegalGround::ProcessInformation), "讨论稿"),
                Ok(())
            );
        }
        let codes: Vec<&str> = LegalGround::ALL.iter().map(|g| g.outcome_code()).collect();
        assert_eq!(
            codes,
            ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"]
        );
    }

    /// Weekdays only; enough to test the rule without the real calendar.
    struct Weekdays;

    impl WorkingDays for Weekdays {
        type Error = String;

        fn is_working_day(&self, day: NaiveDate) -> Result<bool, String> {
            Ok(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
        }

        fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, String> {
            let mut d = from;
            let mut left = n;
            while left > 0 {
                d = d.succ_opt().unwrap();
                if self.is_working_day(d)? {
                    left -= 1;
                }
            }
            Ok(d)
        }

        fn shift_working_days(&self, _: NaiveDate, _: i32) -> Result<NaiveDate, String> {
            unimplemented!("publication deadlines count forward")
        }
    }

    /// A calendar that lacks the holiday notice of the year asked about.
    struct NoNotice;

    impl WorkingDays for NoNotice {
        type Error = &'static str;

        fn is_working_day(&self, _: NaiveDate) -> Result<bool, &'static str> {
            Err("no holiday notice for 2030")
        }

        fn add_working_days(&self, _: NaiveDate, _: u32) -> Result<NaiveDate, &'static str> {
            Err("no holiday notice for 2030")
        }

        fn shift_working_days(&self, _: NaiveDate, _: i32) -> Result<NaiveDate, &'static str> {
            Err("no holiday notice for 2030")
        }
    }

    #[test]
    fn timeliness() {
        let created = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(); // a Monday
        let due = publication_due(DisclosureAttribute::Proactive, created, &Weekdays)
            .unwrap()
            .unwrap();
        assert_eq!(due, NaiveDate::from_ymd_opt(2025, 3, 31).unwrap());
        assert_eq!(
            publication_due(DisclosureAttribute::OnRequest, created, &Weekdays),
            Ok(None)
        );
        // A calendar error is passed through.
        assert_eq!(
            publication_due(DisclosureAttribute::Proactive, created, &NoNotice),
            Err("no holiday notice for 2030")
        );
        assert!(!is_late(due, Some(due), due));
        assert!(is_late(due, Some(due.succ_opt().unwrap()), due));
        assert!(!is_late(due, None, due));
        assert!(is_late(due, None, due.succ_opt().unwrap()));
    }
}
