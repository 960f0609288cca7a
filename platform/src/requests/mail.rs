//! E-mail through a transactional outbox. A message row is written in the same
//! transaction as the state change it reports; the worker sends it later with lettre.
//!
//! Sending is at-least-once up to the moment of success and never again after it: the
//! worker leases a batch (attempts + 1, next attempt pushed past the lease) and commits,
//! sends outside any transaction, then marks each message `sent`, or schedules a retry
//! with exponential backoff on a transient failure (SMTP 4xx, connection trouble), or
//! marks it `failed` on a permanent one (SMTP 5xx, an impossible address) or when the
//! attempts run out. A crash between lease and mark leaves the lease to expire: the next
//! run (of any replica) sends it. On PostgreSQL leases are taken `FOR UPDATE SKIP
//! LOCKED`, so several replicas never lease the same message; SQLite runs one process.
//! Recipients and bodies are personal data: sealed at rest like the applicant's data.

use std::time::Duration;

use chrono::Utc;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::FromRow;

use super::texts::Mail;
use super::Requests;
use crate::kernel::config::Config;
use crate::kernel::crypto::Secrets;
use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::{Error, Result};
use crate::kernel::ids;

/// The outbox's configuration.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// The sender of every message.
    pub from: String,
    /// How often the outbox looks for due messages without being woken.
    pub poll_every: Duration,
    pub retry_base_secs: u64,
    pub max_attempts: u32,
    /// How long a leased message is left to its sender before another may send it.
    pub lease_secs: u64,
}

impl MailSettings {
    pub fn from_config(config: &Config) -> MailSettings {
        MailSettings {
            from: config.email_from.clone(),
            poll_every: Duration::from_secs(config.email_poll_secs.max(1)),
            retry_base_secs: config.email_retry_base_secs,
            max_attempts: config.email_max_attempts,
            lease_secs: config.email_lease_secs,
        }
    }
}

/// A message to put in the outbox.
pub struct Outgoing<'a> {
    pub kind: &'a str,
    pub request_id: Option<&'a str>,
    pub to: &'a str,
    pub mail: Mail,
    /// (file name, text content)
    pub attachment: Option<(String, String)>,
}

/// Writes the message in the caller's transaction.
pub async fn enqueue(tx: &mut TenantTx, secrets: &Secrets, out: Outgoing<'_>) -> Result<()> {
    let now = ids::now_text();
    let (name, content) = match out.attachment {
        Some((n, c)) => (Some(n), Some(secrets.seal(&c))),
        None => (None, None),
    };
    tx.query(
        "INSERT INTO email_outbox (tenant_id, id, kind, request_id, to_sealed, subject, body_sealed, \
         attachment_name, attachment_sealed, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10)",
    )
    .bind(ids::new_id())
    .bind(out.kind.to_string())
    .bind(out.request_id.map(str::to_string))
    .bind(secrets.seal(out.to))
    .bind(out.mail.subject)
    .bind(secrets.seal(&out.mail.body))
    .bind(name)
    .bind(content)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Where messages go.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// One `.eml` file per message in a folder (the embedded demo).
    File(AsyncFileTransport<Tokio1Executor>),
    /// Messages stay in the outbox.
    None,
}

impl Transport {
    pub fn from_config(config: &Config) -> anyhow::Result<Transport> {
        Ok(match config.email_transport.as_str() {
            "smtp" => {
                let host = config.smtp_host.clone().unwrap_or_default();
                let mut builder = match config.smtp_tls.as_str() {
                    "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&host)?,
                    "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host)?,
                    _ => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host),
                }
                .port(config.smtp_port)
                .timeout(Some(Duration::from_secs(20)));
                if let (Some(user), Some(password)) = (&config.smtp_username, &config.smtp_password)
                {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                Transport::Smtp(builder.build())
            }
            "file" => {
                let dir = config.data_dir.join("mail");
                std::fs::create_dir_all(&dir)?;
                Transport::File(AsyncFileTransport::<Tokio1Executor>::new(dir))
            }
            _ => Transport::None,
        })
    }
}

/// Why a send failed.
#[derive(Debug)]
pub enum SendError {
    Transient(String),
    Permanent(String),
}

struct Leased {
    id: String,
    attempts: i64,
    to: String,
    subject: String,
    body: String,
    attachment: Option<(String, String)>,
}

fn build(from: &str, m: &Leased) -> std::result::Result<Message, SendError> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| SendError::Permanent(format!("from address: {e}")))?;
    let to: Mailbox =
        m.to.parse()
            .map_err(|e| SendError::Permanent(format!("recipient address: {e}")))?;
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject.clone());
    let built = match &m.attachment {
        Some((name, content)) => builder.multipart(
            MultiPart::mixed()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .header(ContentTransferEncoding::Base64)
                        .body(m.body.clone()),
                )
                .singlepart(Attachment::new(name.clone()).body(
                    content.clone(),
                    ContentType::parse("text/plain; charset=utf-8").expect("a valid type"),
                )),
        ),
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .header(ContentTransferEncoding::Base64)
            .body(m.body.clone()),
    };
    built.map_err(|e| SendError::Permanent(format!("message: {e}")))
}

async fn send(transport: &Transport, message: Message) -> std::result::Result<(), SendError> {
    match transport {
        Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
            if e.is_permanent() {
                SendError::Permanent(e.to_string())
            } else {
                SendError::Transient(e.to_string())
            }
        }),
        Transport::File(file) => file
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendError::Transient(e.to_string())),
        Transport::None => Err(SendError::Transient(
            "no e-mail transport configured".into(),
        )),
    }
}

/// Seconds to wait before attempt `attempts + 1`.
pub fn backoff_secs(base: u64, attempts: i64) -> u64 {
    base.saturating_mul(1u64 << attempts.clamp(0, 10) as u32 >> 1)
        .max(base)
}

/// Outbox times are wall-clock times (leases and backoff run in real time, also on a
/// demo's fixed day).
fn later(secs: u64) -> String {
    ids::to_text(Utc::now() + chrono::Duration::seconds(secs as i64))
}

/// A due message as stored, sealed.
#[derive(FromRow)]
struct SealedMessage {
    id: String,
    attempts: i64,
    to_sealed: String,
    subject: String,
    body_sealed: String,
    attachment_name: Option<String>,
    attachment_sealed: Option<String>,
}

/// Leases up to `limit` due messages of one tenant.
async fn lease(requests: &Requests, tenant_id: &str, limit: i64) -> Result<Vec<Leased>> {
    let mut tx = requests.db.tenant(tenant_id).await?;
    let sql = format!(
        "SELECT id, attempts, to_sealed, subject, body_sealed, attachment_name, attachment_sealed \
         FROM email_outbox WHERE tenant_id = $1 AND status = 'pending' AND next_attempt_at <= $2 \
         ORDER BY next_attempt_at, id LIMIT {limit}{}",
        if tx.backend() == Backend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        }
    );
    let rows = tx
        .query(&sql)
        .bind(ids::now_text())
        .fetch_all(tx.conn())
        .await?;
    let lease_until = later(requests.settings.mail.lease_secs);
    let mut out = Vec::new();
    for row in &rows {
        let m = SealedMessage::from_row(row)?;
        let attempts = m.attempts + 1;
        tx.query("UPDATE email_outbox SET attempts = $3, next_attempt_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(m.id.clone())
            .bind(attempts)
            .bind(lease_until.clone())
            .execute(tx.conn())
            .await?;
        let open = |sealed: &str| {
            requests
                .secrets
                .open(sealed)
                .map_err(|e| Error::internal_cause(format!("outbox message {}", m.id), e))
        };
        let attachment = match (&m.attachment_name, &m.attachment_sealed) {
            (Some(name), Some(content)) => Some((name.clone(), open(content)?)),
            _ => None,
        };
        out.push(Leased {
            attempts,
            to: open(&m.to_sealed)?,
            body: open(&m.body_sealed)?,
            attachment,
            subject: m.subject,
            id: m.id,
        });
    }
    tx.commit().await?;
    Ok(out)
}

async fn finish(
    requests: &Requests,
    tenant_id: &str,
    m: &Leased,
    result: std::result::Result<(), SendError>,
) -> Result<()> {
    let mut tx = requests.db.tenant(tenant_id).await?;
    let now = ids::now_text();
    match result {
        Ok(()) => {
            tx.query("UPDATE email_outbox SET status = 'sent', sent_at = $3, last_error = NULL WHERE tenant_id = $1 AND id = $2")
                .bind(m.id.clone())
                .bind(now)
                .execute(tx.conn())
                .await?;
        }
        Err(SendError::Transient(err))
            if (m.attempts as u64) < u64::from(requests.settings.mail.max_attempts) =>
        {
            let wait = backoff_secs(requests.settings.mail.retry_base_secs, m.attempts);
            tracing::warn!(message = %m.id, attempts = m.attempts, retry_in_secs = wait, "e-mail not sent, will retry");
            tx.query("UPDATE email_outbox SET next_attempt_at = $3, last_error = $4 WHERE tenant_id = $1 AND id = $2")
                .bind(m.id.clone())
                .bind(later(wait))
                .bind(err)
                .execute(tx.conn())
                .await?;
        }
        Err(SendError::Transient(err) | SendError::Permanent(err)) => {
            tracing::warn!(message = %m.id, attempts = m.attempts, "e-mail failed for good");
            tx.query("UPDATE email_outbox SET status = 'failed', last_error = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(m.id.clone())
                .bind(err)
                .execute(tx.conn())
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Sends every due message of every tenant once; returns how many were sent.
pub async fn run_once(requests: &Requests, transport: &Transport) -> Result<usize> {
    if matches!(transport, Transport::None) {
        return Ok(0);
    }
    let tenants: Vec<String> = sqlx::query_scalar("SELECT id FROM tenants ORDER BY id")
        .fetch_all(requests.db.pool())
        .await?;
    let mut sent = 0;
    for tenant_id in &tenants {
        loop {
            let batch = lease(requests, tenant_id, 20).await?;
            if batch.is_empty() {
                break;
            }
            for m in &batch {
                let result = match build(&requests.settings.mail.from, m) {
                    Ok(message) => send(transport, message).await,
                    Err(e) => Err(e),
                };
                if result.is_ok() {
                    sent += 1;
                }
                finish(requests, tenant_id, m, result).await?;
            }
            if batch.len() < 20 {
                break;
            }
        }
    }
    Ok(sent)
}

/// Runs the outbox until the process ends: on every wake-up (a commit that wrote mail)
/// and every `poll_every`.
pub async fn worker(requests: Requests, transport: Transport) {
    let wake = requests.outbox_wake.clone();
    loop {
        if let Err(err) = run_once(&requests, &transport).await {
            tracing::warn!(error = %err, "outbox run failed");
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(requests.settings.mail.poll_every) => {}
        }
    }
}

/// Counts of the outbox by status, for tests and the console.
pub async fn status_counts(tx: &mut TenantTx) -> Result<Vec<(String, i64)>> {
    let rows = tx
        .query("SELECT status, COUNT(*) AS n FROM email_outbox WHERE tenant_id = $1 GROUP BY status ORDER BY status")
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .iter()
        .map(<(String, i64)>::from_row)
        .collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles() {
        assert_eq!(backoff_secs(30, 1), 30);
        assert_eq!(backoff_secs(30, 2), 60);
        assert_eq!(backoff_secs(30, 3), 120);
        assert_eq!(backoff_secs(1, 40), 512);
    }
}
