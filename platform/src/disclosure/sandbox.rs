//! Attachment text extraction in a child process with a memory and time budget.
//!
//! Parsing a PDF or a zip package means inflating streams whose size the file does not
//! bound: a few megabytes can inflate to gigabytes. A budget inside the parser would have
//! to cover every decoder of `pdf-extract` and `lopdf` (Flate, LZW, object streams,
//! chained filters), which they do not offer; so the parsing runs in a child process
//! (`gongkai extract-text`, the same binary) under `ulimit -v` (address space) and
//! `ulimit -t` (CPU seconds), killed after a wall-clock limit, and at most
//! [`CONCURRENT`] at once. A child that dies, runs out of its budget or answers more
//! than [`MAX_TEXT`] bytes makes the file [`Extracted::Unreadable`]: a finding a
//! reviewer must resolve. The server itself never holds the inflated bytes.
//!
//! Each result is kept per (tenant, content hash, type), so a file is parsed once, not
//! on every submission; the cache is bounded (entries and total text size).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

use super::extract::{Extracted, CHILD_COMMAND};

/// The address space a child may use (the binary's own mappings included).
pub const MEMORY_MIB: u64 = 1024;
/// CPU seconds a child may use; the wall-clock limit is a little longer.
pub const CPU_SECONDS: u64 = 30;
const WALL: Duration = Duration::from_secs(CPU_SECONDS + 10);
/// At most this much text is taken from one file.
pub const MAX_TEXT: u64 = 64 * 1024 * 1024;
/// Children at once: each may use [`MEMORY_MIB`].
const CONCURRENT: usize = 2;
/// Cache bounds.
const CACHE_ENTRIES: usize = 512;
const CACHE_BYTES: usize = 128 * 1024 * 1024;

static SLOTS: Semaphore = Semaphore::const_new(CONCURRENT);

type Key = (String, String, String);
#[derive(Default)]
struct Cache {
    entries: HashMap<Key, Extracted>,
    bytes: usize,
}
static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();

fn cache() -> &'static Mutex<Cache> {
    CACHE.get_or_init(Default::default)
}

fn size(e: &Extracted) -> usize {
    match e {
        Extracted::Text(t) | Extracted::Unreadable(t) => t.len(),
        Extracted::NotScanned => 0,
    }
}

/// The extractor program: the configured one, or this program.
pub fn program(configured: Option<&Path>) -> Option<PathBuf> {
    configured
        .map(Path::to_path_buf)
        .or_else(|| std::env::current_exe().ok())
}

/// The text of one attachment (`sha256` names its content within the tenant), parsed
/// once, in a bounded child process.
pub async fn extract(
    program: &Path,
    tenant_id: &str,
    sha256: &str,
    media_type: &str,
    bytes: Vec<u8>,
) -> Extracted {
    let key = (
        tenant_id.to_owned(),
        sha256.to_owned(),
        media_type.to_owned(),
    );
    if let Some(hit) = cache().lock().unwrap().entries.get(&key) {
        return hit.clone();
    }
    let extracted = run_child(program, media_type, bytes).await;
    let mut c = cache().lock().unwrap();
    let n = size(&extracted);
    if c.entries.len() >= CACHE_ENTRIES || c.bytes + n > CACHE_BYTES {
        c.entries.clear();
        c.bytes = 0;
    }
    if n <= CACHE_BYTES {
        c.bytes += n;
        c.entries.insert(key, extracted.clone());
    }
    extracted
}

async fn run_child(program: &Path, media_type: &str, bytes: Vec<u8>) -> Extracted {
    let Ok(_slot) = SLOTS.acquire().await else {
        return Extracted::Unreadable("the file cannot be read now".into());
    };
    let over = || {
        Extracted::Unreadable(format!(
            "reading the file went past its budget ({MEMORY_MIB} MiB, {CPU_SECONDS} s): \
             it may be a decompression bomb; check it by eye"
        ))
    };
    let child = tokio::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(r#"ulimit -v "$1" && ulimit -t "$2" && exec "$3" "$4" "$5""#)
        .arg("sh")
        .arg((MEMORY_MIB * 1024).to_string())
        .arg(CPU_SECONDS.to_string())
        .arg(program)
        .arg(CHILD_COMMAND)
        .arg(media_type)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the attachment text extractor");
            return Extracted::Unreadable("the file cannot be read now".into());
        }
    };
    let mut stdin = child.stdin.take().expect("piped");
    let mut stdout = child.stdout.take().expect("piped");
    let feed = async move {
        // A child that dies early closes its end: that shows in its exit status.
        let _ = stdin.write_all(&bytes).await;
        drop(stdin);
    };
    let read = async move {
        let mut out = Vec::new();
        let _ = (&mut stdout)
            .take(MAX_TEXT + 1024)
            .read_to_end(&mut out)
            .await;
        out
    };
    let work = async {
        let ((), out) = tokio::join!(feed, read);
        (child.wait().await, out)
    };
    match tokio::time::timeout(WALL, work).await {
        Ok((Ok(status), out)) if status.success() => {
            if out.len() as u64 > MAX_TEXT {
                return over();
            }
            serde_json::from_slice(&out).unwrap_or_else(|_| over())
        }
        Ok(_) => over(),
        // Dropping the child kills it (`kill_on_drop`).
        Err(_) => over(),
    }
}
