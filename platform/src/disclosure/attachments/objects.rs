//! Where attachments' bytes live: one object store per configuration (local files
//! under `<data_dir>/objects`, or S3-compatible), content-addressed by sha256 per
//! tenant, and the release of bytes no attachment refers to any more.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;

use crate::disclosure::store;
use crate::disclosure::Disclosure;
use crate::kernel::config::Config;
use crate::kernel::error::{Error, Result};

fn stores() -> &'static Mutex<HashMap<String, Arc<dyn ObjectStore>>> {
    static STORES: OnceLock<Mutex<HashMap<String, Arc<dyn ObjectStore>>>> = OnceLock::new();
    STORES.get_or_init(Default::default)
}

/// The configured object store (built once per configuration and shared).
pub(crate) fn object_store(config: &Config) -> Result<Arc<dyn ObjectStore>> {
    let key = match config.attachments_store.as_str() {
        "s3" => format!(
            "s3:{}:{}",
            config.s3_endpoint.clone().unwrap_or_default(),
            config.s3_bucket.clone().unwrap_or_default()
        ),
        _ => format!("local:{}", config.data_dir.display()),
    };
    let mut map = stores().lock().expect("object store cache");
    if let Some(store) = map.get(&key) {
        return Ok(store.clone());
    }
    let internal = |e| Error::internal_cause("object store", e);
    let built: Arc<dyn ObjectStore> = if config.attachments_store == "s3" {
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(config.s3_bucket.clone().unwrap_or_default())
            .with_region(config.s3_region.clone())
            .with_allow_http(config.s3_allow_http);
        if let Some(endpoint) = &config.s3_endpoint {
            // MinIO, Ceph and most S3-compatible services want path-style requests.
            b = b
                .with_endpoint(endpoint.clone())
                .with_virtual_hosted_style_request(false);
        }
        if let (Some(id), Some(secret)) = (&config.s3_access_key_id, &config.s3_secret_access_key) {
            b = b
                .with_access_key_id(id.clone())
                .with_secret_access_key(secret.clone());
        }
        Arc::new(b.build().map_err(internal)?)
    } else {
        let dir = config.data_dir.join("objects");
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::internal_cause(format!("creating {}", dir.display()), e))?;
        Arc::new(LocalFileSystem::new_with_prefix(&dir).map_err(internal)?)
    };
    map.insert(key, built.clone());
    Ok(built)
}

pub(super) fn location(tenant_id: &str, sha256: &str) -> ObjectPath {
    ObjectPath::from(format!(
        "tenants/{tenant_id}/sha256/{}/{sha256}",
        &sha256[..2]
    ))
}

/// The stored bytes of `sha256`.
pub(super) async fn read_object(config: &Config, tenant_id: &str, sha256: &str) -> Result<Vec<u8>> {
    read_at(config, &location(tenant_id, sha256)).await
}

/// The bytes stored at `path` (sealed documents keep their own paths).
pub(crate) async fn read_at(config: &Config, path: &ObjectPath) -> Result<Vec<u8>> {
    let failed = |e| Error::internal_cause("object store", e);
    let got = object_store(config)?.get(path).await.map_err(failed)?;
    Ok(got.bytes().await.map_err(failed)?.to_vec())
}

/// Deletes the stored bytes of `sha256` unless an attachment row of the tenant still
/// refers to them; true when deleted. Runs in a transaction of its own after the row
/// is gone, holding the object's lock (see [`store::lock_object`]) against an upload of
/// the same content.
pub(super) async fn release_object(d: &Disclosure, tenant_id: &str, sha256: &str) -> Result<bool> {
    let mut tx = d.db.tenant(tenant_id).await?;
    store::lock_object(&mut tx, sha256).await?;
    if store::object_refs(&mut tx, sha256).await? > 0 {
        tx.commit().await?;
        return Ok(false);
    }
    match object_store(&d.config)?
        .delete(&location(tenant_id, sha256))
        .await
    {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
        Err(e) => return Err(Error::internal_cause("object store", e)),
    }
    tx.commit().await?;
    Ok(true)
}
