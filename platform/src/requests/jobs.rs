//! Background jobs of the request capability, started once per process by [`spawn`]:
//! the e-mail outbox, the daily sweep (lapsed corrections → 6.1, lapsed fees → 6.2,
//! reminders to staff at 5 and 1 working days and when overdue), and the recomputation
//! of cached due dates whenever the calendar changes.
//!
//! On PostgreSQL several replicas may run them: the outbox leases messages with
//! `FOR UPDATE SKIP LOCKED`; a sweep step locks its request row (`FOR UPDATE`) and
//! re-checks it, and a reminder is recorded with `ON CONFLICT DO NOTHING` before it is
//! queued, so it goes out once. On SQLite one process runs them.

use std::time::Duration;

use chrono::NaiveDate;
use sqlx::Row;

use super::mail::{self, Outgoing};
use super::service::{self, By, Step};
use super::store;
use super::texts::{self, StaffMail};
use crate::app::AppState;
use crate::kernel::actor::Actor;
use crate::kernel::error::Result;
use crate::kernel::ids;
use crate::tenancy::store as tenants;
use gongkai_rules::requests::deadline::{self, ClockState};
use gongkai_rules::requests::lifecycle::AbandonReason;

/// Starts the outbox worker, the sweep and the calendar watcher.
pub fn spawn(state: &AppState) {
    tokio::spawn(mail::worker(state.clone()));
    let s = state.clone();
    tokio::spawn(async move {
        let every = Duration::from_secs(s.config.requests_sweep_secs.max(1));
        loop {
            let today = s.clock.today();
            if let Err(err) = sweep(&s, today).await {
                tracing::warn!(error = %err, "request sweep failed");
            }
            tokio::time::sleep(every).await;
        }
    });
    let s = state.clone();
    tokio::spawn(async move {
        let mut changes = s.calendar.changes();
        while changes.changed().await.is_ok() {
            match recompute_all(&s).await {
                Ok(n) => {
                    tracing::info!(requests = n, "due dates recomputed after a calendar change")
                }
                Err(err) => tracing::warn!(error = %err, "due date recomputation failed"),
            }
        }
    });
}

async fn tenant_ids(state: &AppState) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT id FROM tenants WHERE active = 1 ORDER BY id")
        .fetch_all(state.db.pool())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Recomputes the cached due date of every open request of every tenant (after a
/// calendar change). Returns how many were computed.
pub async fn recompute_all(state: &AppState) -> Result<usize> {
    let today = state.clock.today();
    let mut n = 0;
    for tenant_id in tenant_ids(state).await? {
        let cal = state.calendar.for_tenant(&state.db, &tenant_id).await?;
        let mut tx = state.db.tenant(&tenant_id).await?;
        let mut changed = Vec::new();
        for (row, events) in store::open_with_events(&mut tx).await? {
            let clock = service::clock_events(&events);
            let view = service::deadline_view(&row.phase, &clock, &cal, today);
            if view.state != row.due_state || view.due != row.due_on {
                changed.push((row.id, view.state, view.due));
            }
            n += 1;
        }
        store::set_due_many(&mut tx, state.db.backend(), &changed).await?;
        tx.commit().await?;
    }
    Ok(n)
}

/// One pass of the daily rules as of `today`: lapses and reminders.
pub async fn sweep(state: &AppState, today: NaiveDate) -> Result<()> {
    let system = Actor::system();
    let by = By {
        actor: &system,
        label: "system".into(),
    };
    for tenant_id in tenant_ids(state).await? {
        let Some(tenant) =
            tenants::by_id(&mut *state.db.pool().acquire().await?, &tenant_id).await?
        else {
            continue;
        };
        let cal = state.calendar.for_tenant(&state.db, &tenant_id).await?;
        let mut tx = state.db.tenant_read(&tenant_id).await?;
        let ids = store::open_ids(&mut tx).await?;
        tx.commit().await?;
        for id in ids {
            let mut tx = state.db.tenant_read(&tenant_id).await?;
            let Some(row) = store::get(&mut tx, state.db.backend(), &id, false).await? else {
                continue;
            };
            let events = store::events(&mut tx, &id).await?;
            tx.commit().await?;
            let clock = service::clock_events(&events);
            if clock.is_empty() {
                continue;
            }
            let Ok(d) = deadline::compute(&clock, &cal, today) else {
                continue;
            };
            let lapse = match d.state {
                ClockState::AwaitingCorrection { lapsed: true, .. } => {
                    Some(AbandonReason::NoCorrection)
                }
                ClockState::AwaitingFee { lapsed: true, .. } => Some(AbandonReason::FeeLapsed),
                _ => None,
            };
            if let Some(reason) = lapse {
                // Another replica may have done it: a refused step is fine here.
                if let Err(err) =
                    service::step_on(state, &tenant, &by, &id, Step::Abandon(reason), today).await
                {
                    tracing::debug!(request = %id, error = %err, "lapse not applied");
                }
                continue;
            }
            let (Some(due), ClockState::Running) = (d.due, &d.state) else {
                continue;
            };
            // "At most n days left" rather than "exactly n": a sweep missed on the day
            // (a restart) still sends the reminder; the reminders table keeps it to one.
            let kind = if d.overdue {
                StaffMail::Overdue
            } else if d.working_days_left <= 1 {
                StaffMail::DueIn1
            } else if d.working_days_left <= 5 {
                StaffMail::DueIn5
            } else {
                continue;
            };
            remind(state, &tenant, &row, kind, due).await?;
        }
    }
    Ok(())
}

/// Sends a reminder about `row` to its officer (and, when overdue, to the tenant's
/// admins) once per request, kind and due date.
async fn remind(
    state: &AppState,
    tenant: &crate::tenancy::Tenant,
    row: &store::RequestRow,
    kind: StaffMail,
    due: NaiveDate,
) -> Result<()> {
    let members = crate::users::store::members(&state.db, &tenant.id).await?;
    let mut to: Vec<String> = Vec::new();
    if let Some(officer) = members
        .iter()
        .find(|m| Some(&m.user.id) == row.assignee_id.as_ref())
    {
        to.push(officer.user.email.clone());
    }
    if kind == StaffMail::Overdue || to.is_empty() {
        for m in members
            .iter()
            .filter(|m| m.roles.iter().any(|r| r == "tenant_admin"))
        {
            if !to.contains(&m.user.email) {
                to.push(m.user.email.clone());
            }
        }
    }
    let mut tx = state.db.tenant(&tenant.id).await?;
    if !store::mark_reminder(
        &mut tx,
        &row.id,
        kind.kind(),
        &due.to_string(),
        &ids::now_text(),
    )
    .await?
    {
        return Ok(());
    }
    for address in &to {
        let mail = texts::staff_mail(
            kind,
            &tenant.name_zh,
            &row.tracking_number,
            &due.to_string(),
        );
        mail::enqueue(
            &mut tx,
            &state.secrets,
            Outgoing {
                kind: kind.kind(),
                request_id: Some(&row.id),
                to: address,
                mail,
                attachment: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    state.requests.wake_outbox();
    Ok(())
}
