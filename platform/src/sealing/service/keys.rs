//! Key holders' key pairs: made on the server from the holder's passphrase, the private
//! key kept only encrypted under it.

use serde_json::json;

use super::{b64, seal_error};
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::error::{Error, Result};
use crate::sealing::model::KeyView;
use crate::sealing::store::{self, KeyRow};
use crate::sealing::Sealing;
use crate::tenancy::Tenant;
use gongkai_seal::HolderKey;

fn view(k: KeyRow) -> KeyView {
    KeyView {
        user_id: k.user_id,
        recipient: k.recipient,
        created_at: k.created_at,
    }
}

/// Makes the signed-in holder's key pair (replacing an earlier one), refused while they
/// hold a share of an opening not yet opened: those shares are encrypted to the old key.
pub async fn register(
    s: &Sealing,
    tenant: &Tenant,
    actor: &Actor,
    passphrase: String,
) -> Result<KeyView> {
    let user_id = actor
        .user_id
        .clone()
        .ok_or_else(|| Error::Forbidden("a key belongs to a signed-in person".into()))?;
    // scrypt runs for a tenth of a second: off the async workers.
    let key = tokio::task::spawn_blocking(move || HolderKey::generate(&passphrase))
        .await
        .map_err(|e| Error::internal_cause("key generation", e))?
        .map_err(seal_error)?;
    let mut tx = s.db.tenant(&tenant.id).await?;
    if store::holds_unopened(&mut tx, &user_id).await? {
        return Err(Error::conflict(
            "you hold a share of an opening not yet opened, encrypted to your present key: \
             the key can be replaced once those openings are opened",
        ));
    }
    let row = KeyRow {
        user_id,
        recipient: key.recipient,
        protected_identity: b64(&key.protected_identity),
        created_at: super::stamp(s.clock.now()),
    };
    store::put_key(&mut tx, &row).await?;
    audit::append(
        &mut tx,
        actor,
        "sealing.key.register",
        "sealing_key",
        &row.user_id,
        json!({"recipient": row.recipient}),
    )
    .await?;
    tx.commit().await?;
    Ok(view(row))
}

/// Every registered holder key of the tenant (public keys only).
pub async fn list(s: &Sealing, tenant: &Tenant) -> Result<Vec<KeyView>> {
    let mut tx = s.db.tenant_read(&tenant.id).await?;
    let keys = store::keys(&mut tx).await?;
    tx.commit().await?;
    Ok(keys.into_iter().map(view).collect())
}
