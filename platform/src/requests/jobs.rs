//! Background jobs of the request capability, started once per process by [`spawn`]:
//! the e-mail outbox, the daily sweep (lapsed corrections → 6.1, lapsed fees → 6.2,
//! reminders to staff at 5 and 1 working days and when overdue), and the recomputation
//! of cached due dates whenever the calendar changes.
//!
//! On PostgreSQL several replicas may run them: the outbox leases messages with
//! `FOR UPDATE SKIP LOCKED`; a sweep step locks its request row (`FOR UPDATE`) and
//! re-checks it, and a reminder is recorded with `ON CONFLICT DO NOTHING` before it is
//! queued, so it goes out once. On SQLite one process runs them.

use chrono::NaiveDate;

use super::mail::{self, Outgoing, Transport};
use super::service::{self, Step};
use super::store::{self, RequestRow};
use super::texts::{self, StaffMail};
use super::Requests;
use crate::kernel::actor::Actor;
use crate::kernel::config::Config;
use crate::kernel::error::Result;
use crate::kernel::ids;
use crate::tenancy::{store as tenants, Tenant};
use gongkai_rules::requests::deadline::{self, ClockState};
use gongkai_rules::requests::lifecycle::AbandonReason;

/// Starts the outbox worker (with the transport `config` names), the sweep and the
/// calendar watcher.
pub fn spawn(requests: &Requests, config: &Config) {
    match Transport::from_config(config) {
        Ok(transport) => {
            tokio::spawn(mail::worker(requests.clone(), transport));
        }
        Err(err) => {
            tracing::error!(error = %err, "e-mail transport cannot be set up; the outbox keeps its messages")
        }
    }
    let r = requests.clone();
    tokio::spawn(async move {
        loop {
            let today = r.clock.today();
            if let Err(err) = sweep(&r, today).await {
                tracing::warn!(error = %err, "request sweep failed");
            }
            tokio::time::sleep(r.settings.sweep_every).await;
        }
    });
    let r = requests.clone();
    tokio::spawn(async move {
        let mut changes = r.calendar.changes();
        while changes.changed().await.is_ok() {
            match recompute_all(&r).await {
                Ok(n) => {
                    tracing::info!(requests = n, "due dates recomputed after a calendar change")
                }
                Err(err) => tracing::warn!(error = %err, "due date recomputation failed"),
            }
        }
    });
}

/// Active tenants, for the jobs that walk them all.
async fn tenant_ids(requests: &Requests) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM tenants WHERE active = 1 ORDER BY id")
            .fetch_all(requests.db.pool())
            .await?,
    )
}

/// Recomputes the cached due date of every open request of every tenant (after a
/// calendar change). Returns how many were computed.
pub async fn recompute_all(requests: &Requests) -> Result<usize> {
    let today = requests.clock.today();
    let mut n = 0;
    for tenant_id in tenant_ids(requests).await? {
        let cal = requests
            .calendar
            .for_tenant(&requests.db, &tenant_id)
            .await?;
        let mut tx = requests.db.tenant(&tenant_id).await?;
        let mut changed = Vec::new();
        for (row, events) in store::open_with_events(&mut tx).await? {
            let clock = service::clock_events(&events);
            let view = service::deadline_view(row.phase(), &clock, &cal, today);
            if view.state != row.due_state || view.due != row.due_on {
                changed.push((row.id, view.state, view.due));
            }
            n += 1;
        }
        store::set_due_many(&mut tx, &changed).await?;
        tx.commit().await?;
    }
    Ok(n)
}

/// One pass of the daily rules as of `today`: lapses and reminders.
pub async fn sweep(requests: &Requests, today: NaiveDate) -> Result<()> {
    let system = Actor::system();
    for tenant_id in tenant_ids(requests).await? {
        let Some(tenant) =
            tenants::by_id(&mut *requests.db.pool().acquire().await?, &tenant_id).await?
        else {
            continue;
        };
        let cal = requests
            .calendar
            .for_tenant(&requests.db, &tenant_id)
            .await?;
        let mut tx = requests.db.tenant_read(&tenant_id).await?;
        let ids = store::open_ids(&mut tx).await?;
        tx.commit().await?;
        for id in ids {
            let mut tx = requests.db.tenant_read(&tenant_id).await?;
            let Some(row) = store::get(&mut tx, &id, false).await? else {
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
                if let Err(err) = service::step_on(
                    requests,
                    &tenant,
                    &system,
                    &id,
                    Step::Abandon(reason),
                    today,
                )
                .await
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
            remind(requests, &tenant, &row, kind, due).await?;
        }
    }
    Ok(())
}

/// Sends a reminder about `row` to its officer (and, when overdue, to the tenant's
/// admins) once per request, kind and due date.
async fn remind(
    requests: &Requests,
    tenant: &Tenant,
    row: &RequestRow,
    kind: StaffMail,
    due: NaiveDate,
) -> Result<()> {
    let members = crate::users::store::members(&requests.db, &tenant.id).await?;
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
    let mut tx = requests.db.tenant(&tenant.id).await?;
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
            &requests.secrets,
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
    requests.wake_outbox();
    Ok(())
}
