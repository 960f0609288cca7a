//! The session store of tower-sessions over our own database (both backends), with a
//! short-lived in-process cache in front so that an authenticated request costs no
//! database round trip. Staleness across replicas is bounded by the cache's lifetime;
//! on this replica, ending a user's sessions takes effect at once.

use std::time::Duration;

use async_trait::async_trait;
use chrono::DateTime;
use sqlx::FromRow;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::kernel::db::Db;
use crate::kernel::error::{Constraint, Error, Result};
use crate::kernel::ids;

/// How long a session read from the database is trusted without reading it again.
const CACHE_TTL: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct DbSessionStore {
    db: Db,
    cache: moka::sync::Cache<i128, Record>,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

// tower-sessions' errors carry text only: the cause is written into it in full.
fn backend(err: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(format!("{err:#}"))
}

/// The session's data as stored (JSON text).
fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(format!("{e:#}")))
}

/// A `sessions` row as read back.
#[derive(FromRow)]
struct SessionRow {
    data: String,
    expires_at: String,
}

fn expiry_text(record: &Record) -> String {
    let at = DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_default();
    ids::to_text(at)
}

fn user_of(record: &Record) -> Option<String> {
    record
        .data
        .get(super::SESSION_USER)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore {
            db,
            cache: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(CACHE_TTL)
                .support_invalidation_closures()
                .build(),
        }
    }

    /// Ends every session of a user (disabled account, password change) but `keep`, the
    /// session of a user who changed their own password.
    pub async fn delete_for_user(&self, user_id: &str, keep: Option<Id>) -> Result<()> {
        let keep_text = keep.map(|id| id.to_string()).unwrap_or_default();
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user_id)
            .bind(keep_text)
            .execute(self.db.pool())
            .await?;
        let user_id = user_id.to_string();
        self.cache
            .invalidate_entries_if(move |id, record| {
                Some(*id) != keep.map(|k| k.0) && user_of(record).as_deref() == Some(&user_id)
            })
            .map_err(|e| Error::internal_cause("forgetting the user's cached sessions", e))?;
        Ok(())
    }

    /// Removes expired sessions; the server runs this on a timer.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(ids::now_text())
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected())
    }

    async fn write(
        &self,
        record: &Record,
        data: &str,
        insert_only: bool,
    ) -> Result<(), sqlx::Error> {
        let sql = if insert_only {
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)"
        } else {
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, \
             expires_at = excluded.expires_at"
        };
        sqlx::query(sql)
            .bind(record.id.to_string())
            .bind(user_of(record))
            .bind(data.to_string())
            .bind(expiry_text(record))
            .execute(self.db.pool())
            .await?;
        self.cache.insert(record.id.0, record.clone());
        Ok(())
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = encode(record)?;
        loop {
            match self.write(record, &data, true).await {
                Err(e) if Constraint::Unique.violated_by(&e) => record.id = Id::default(),
                other => return other.map_err(backend),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.write(record, &encode(record)?, false)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc();
        if let Some(record) = self.cache.get(&id.0) {
            return Ok((record.expiry_date > now).then_some(record));
        }
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id.to_string())
        .bind(ids::now_text())
        .fetch_optional(self.db.pool())
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let expiry = ids::parse_time(&row.expires_at)
            .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t.timestamp()).ok())
            .ok_or_else(|| {
                session_store::Error::Decode(format!("bad expiry {}", row.expires_at))
            })?;
        let record = Record {
            id: *id,
            data: serde_json::from_str(&row.data)
                .map_err(|e| session_store::Error::Decode(format!("{e:#}")))?,
            expiry_date: expiry,
        };
        self.cache.insert(id.0, record.clone());
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
        self.cache.invalidate(&id.0);
        Ok(())
    }
}
