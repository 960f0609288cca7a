//! The hash chain as plain functions over plain values.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Read back from `audit_log` as it is (`FromRow`): the columns are these fields.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct Entry {
    pub tenant_id: String,
    pub seq: i64,
    pub id: String,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    /// Canonical JSON text (keys sorted), exactly as hashed.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// JSON with object keys sorted at every level and no insignificant white space, so
/// that the same entry always hashes the same, whatever map type serde_json was built with.
pub fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&map[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical_json).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// The text that is hashed: every field of the entry except the hashes themselves.
pub fn canonical_entry(e: &Entry) -> String {
    let details: Value =
        serde_json::from_str(&e.details).unwrap_or(Value::String(e.details.clone()));
    canonical_json(&serde_json::json!({
        "tenant_id": e.tenant_id,
        "seq": e.seq,
        "id": e.id,
        "at": e.at,
        "actor_id": e.actor_id,
        "actor": e.actor,
        "action": e.action,
        "target_kind": e.target_kind,
        "target_id": e.target_id,
        "details": details,
    }))
}

pub fn entry_hash(prev_hash: &str, e: &Entry) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical_entry(e).as_bytes());
    hex::encode(hasher.finalize())
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Broken {
    pub seq: i64,
    pub id: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => write!(f, "entry #{} ({id}): {}", self.seq, self.reason),
            None => write!(f, "entry #{}: {}", self.seq, self.reason),
        }
    }
}

/// Walks one tenant's entries in sequence order and checks every link, then that the
/// chain ends where the head row says it does (so a deleted tail is noticed too).
/// Returns the number of entries checked.
pub fn verify<I>(entries: I, head: Option<(i64, String)>) -> Result<i64, Broken>
where
    I: IntoIterator<Item = Entry>,
{
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut expected_seq = 1;
    for e in entries {
        let broken = |reason: String| Broken {
            seq: e.seq,
            id: Some(e.id.clone()),
            reason,
        };
        if e.seq != expected_seq {
            return Err(Broken {
                seq: expected_seq,
                id: None,
                reason: format!("entry is missing (found #{} next)", e.seq),
            });
        }
        if e.prev_hash != prev_hash {
            return Err(broken(
                "prev_hash does not match the previous entry's hash".into(),
            ));
        }
        let recomputed = entry_hash(&prev_hash, &e);
        if recomputed != e.hash {
            return Err(broken("content does not match its hash (altered)".into()));
        }
        prev_hash = e.hash.clone();
        expected_seq += 1;
    }
    let count = expected_seq - 1;
    let (head_seq, head_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
    if head_seq != count || head_hash != prev_hash {
        return Err(Broken {
            seq: count + 1,
            id: None,
            reason: format!(
                "chain ends at #{count} but its head records #{head_seq} (entries deleted)"
            ),
        });
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = Entry {
                    tenant_id: "t".into(),
                    seq,
                    id: format!("id{seq}"),
                    at: "2026-11-30T00:00:00.000000Z".into(),
                    actor_id: None,
                    actor: "cli".into(),
                    action: "tenant.create".into(),
                    target_kind: "tenant".into(),
                    target_id: "x".into(),
                    details: canonical_json(
                        &serde_json::json!({"b": 1, "a": [2, {"d": 3, "c": 4}]}),
                    ),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = entry_hash(&prev, &e);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn head(entries: &[Entry]) -> Option<(i64, String)> {
        entries.last().map(|e| (e.seq, e.hash.clone()))
    }

    #[test]
    fn canonical_json_sorts_keys_everywhere() {
        let v = serde_json::json!({"b": 1, "a": [2, {"d": 3, "c": "文"}]});
        assert_eq!(canonical_json(&v), r#"{"a":[2,{"c":"文","d":3}],"b":1}"#);
    }

    #[test]
    fn intact_chain_verifies() {
        let entries = chain(5);
        let h = head(&entries);
        assert_eq!(verify(entries, h), Ok(5));
        assert_eq!(verify(Vec::new(), None), Ok(0));
    }

    #[test]
    fn altered_content_is_named() {
        let mut entries = chain(5);
        let h = head(&entries);
        entries[2].action = "tenant.delete".into();
        let broken = verify(entries, h).unwrap_err();
        assert_eq!(broken.seq, 3);
        assert!(broken.reason.contains("altered"));
    }

    #[test]
    fn rehashed_entry_breaks_the_next_link() {
        let mut entries = chain(5);
        let h = head(&entries);
        entries[1].actor = "someone else".into();
        entries[1].hash = entry_hash(&entries[1].prev_hash.clone(), &entries[1]);
        let broken = verify(entries, h).unwrap_err();
        assert_eq!(broken.seq, 3);
    }

    #[test]
    fn deleted_entries_are_noticed() {
        let mut entries = chain(5);
        let h = head(&entries);
        entries.remove(2);
        assert_eq!(verify(entries.clone(), h.clone()).unwrap_err().seq, 3);
        entries.truncate(2);
        let broken = verify(entries, h).unwrap_err();
        assert_eq!(broken.seq, 3);
        assert!(broken.reason.contains("deleted"));
    }
}
