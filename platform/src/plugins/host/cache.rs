//! The compile cache: a component compiled once is kept on disk under its content hash
//! and the engine's fingerprint, so a restart (or a second replica on the same disk)
//! deserialises it in milliseconds instead of compiling it again.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::Ordering;

use wasmtime::component::Component;
use wasmtime::Engine;

use super::error::Reason;
use super::PluginHost;

/// The engine's fingerprint in cache file names: a different wasmtime or setting misses.
pub(super) fn fingerprint(engine: &Engine) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

impl PluginHost {
    /// The compiled component of these bytes: from the disk cache when there, else
    /// compiled (and cached). Bytes that are no component are refused as bad input.
    pub(super) fn component(&self, sha256: &str, bytes: &[u8]) -> Result<Component, Reason> {
        let path = self
            .cache_dir
            .join(format!("{sha256}-{}.cwasm", self.fingerprint));
        if path.is_file() {
            // SAFETY: the file is one this host wrote itself with `Component::serialize`,
            // named by the component's content hash and the engine's compatibility
            // fingerprint, under the server's own data directory.
            match unsafe { Component::deserialize_file(&self.engine, &path) } {
                Ok(component) => {
                    self.stats.cache_hits.fetch_add(1, Ordering::Relaxed);
                    return Ok(component);
                }
                Err(err) => {
                    tracing::warn!(path = %path.display(), error = %err, "dropping unusable compiled plugin");
                    // Best effort: the fresh compile below writes over it anyway.
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        let component = Component::new(&self.engine, bytes)
            .map_err(|e| Reason::BadInput(format!("not a valid component: {e:#}")))?;
        self.stats.compiled.fetch_add(1, Ordering::Relaxed);
        match component.serialize() {
            Ok(compiled) => {
                if let Err(err) = write_file_atomically(&path, &compiled) {
                    tracing::warn!(path = %path.display(), error = %err, "cannot cache a compiled plugin");
                }
            }
            Err(err) => tracing::warn!(error = %err, "cannot serialise a compiled plugin"),
        }
        Ok(component)
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so a
/// reader never sees half a file.
pub(crate) fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
