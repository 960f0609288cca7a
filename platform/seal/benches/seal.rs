//! Sealing and opening a 10 MiB bid document, against a plain upload of the same file in
//! the same run (`cargo bench -p gongkai-seal`). A plain upload stores the bytes and their
//! SHA-256 (what an attachment upload does with the body); sealing adds the encryption,
//! the key's split into three shares, each share's encryption to its holder, and stores
//! the ciphertext and its hash. Opening decrypts three shares with unlocked keys (the
//! passphrases' scrypt is measured apart: it is paid once per holder and ceremony, not
//! per document), recovers the key and decrypts. Target: sealing < 1.5 × a plain upload.

use std::time::{Duration, Instant};

use gongkai_seal::{commitment, open, recover_key, seal, sha256_hex, unlock, HolderKey};
use rand::RngCore;

const SIZE: usize = 10 * 1024 * 1024;
const RUNS: usize = 15;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time(mut f: impl FnMut()) -> Duration {
    f(); // warm the page cache and allocator
    median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn mib_per_s(d: Duration) -> f64 {
    SIZE as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
}

fn main() {
    let dir = std::env::temp_dir().join(format!("gongkai-seal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut document = vec![0u8; SIZE];
    rand::thread_rng().fill_bytes(&mut document);
    let passphrases = [
        "buyer passphrase 1",
        "agent passphrase 2",
        "supervisor pass 3",
    ];
    let keys: Vec<HolderKey> = passphrases
        .iter()
        .map(|p| HolderKey::generate(p).unwrap())
        .collect();
    let recipients: Vec<String> = keys.iter().map(|k| k.recipient.clone()).collect();
    let place = "opening/bid/technical";

    // Each run stores a new file, as a new upload does, and removes it afterwards. Plain
    // and sealed uploads alternate, so that the disk's mood weighs on both alike.
    let store = |bytes: &[u8]| {
        let path = dir.join(sha256_hex(bytes));
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let mut written = Vec::new();
    let (mut plain, mut sealing) = (Vec::new(), Vec::new());
    for n in 0..=RUNS {
        let mut copy = document.clone();
        copy[0] = n as u8; // a distinct file each run
        let start = Instant::now();
        written.push(store(&copy));
        plain.push(start.elapsed());

        let mut copy = document.clone();
        copy[0] = n as u8;
        let start = Instant::now();
        let sealed = seal(&copy, place, 3, &recipients).unwrap();
        written.push(store(&sealed.ciphertext));
        sealing.push(start.elapsed());
    }
    // The first pair warms the page cache and the allocator.
    let plain = median(plain.split_off(1));
    let sealing = median(sealing.split_off(1));
    for path in written {
        std::fs::remove_file(path).ok();
    }
    // The cryptography alone, without the hash and the file.
    let crypto_only = time(|| {
        seal(&document, place, 3, &recipients).unwrap();
    });

    let unlocking = Instant::now();
    let unlocked: Vec<_> = keys
        .iter()
        .zip(passphrases)
        .map(|(k, p)| unlock(&k.protected_identity, p).unwrap())
        .collect();
    let unlock_each = unlocking.elapsed() / 3;
    let sealed = seal(&document, place, 3, &recipients).unwrap();
    let opening = time(|| {
        let shares: Vec<Vec<u8>> = unlocked
            .iter()
            .zip(&sealed.shares)
            .zip(&recipients)
            .map(|((key, share), recipient)| {
                let bytes = key.decrypt_share(&share.encrypted).unwrap();
                assert_eq!(commitment(place, recipient, &bytes), share.commitment);
                bytes
            })
            .collect();
        let key = recover_key(3, &shares).unwrap();
        let plaintext = open(&key, &sealed.ciphertext, place).unwrap();
        assert_eq!(sha256_hex(&plaintext).len(), 64);
    });
    std::fs::remove_dir_all(&dir).ok();

    println!("10 MiB bid document, 3 of 3 holders, median of {RUNS} runs");
    println!(
        "  plain upload (hash + store): {:>8.1} ms  {:>7.0} MiB/s",
        plain.as_secs_f64() * 1e3,
        mib_per_s(plain)
    );
    println!(
        "  sealing (+ encrypt, split, 3 shares): {:>8.1} ms  {:>7.0} MiB/s  = {:.2} × plain (target < 1.5)",
        sealing.as_secs_f64() * 1e3,
        mib_per_s(sealing),
        sealing.as_secs_f64() / plain.as_secs_f64()
    );
    println!(
        "  of which the cryptography alone: {:>8.1} ms  {:>7.0} MiB/s",
        crypto_only.as_secs_f64() * 1e3,
        mib_per_s(crypto_only)
    );
    println!(
        "  opening (3 shares, recover, decrypt, hash): {:>8.1} ms  {:>7.0} MiB/s  = {:.2} × plain",
        opening.as_secs_f64() * 1e3,
        mib_per_s(opening),
        opening.as_secs_f64() / plain.as_secs_f64()
    );
    println!(
        "  unlocking one holder's key (scrypt 2^{}): {:.1} ms, once per holder and ceremony",
        gongkai_seal::WORK_FACTOR,
        unlock_each.as_secs_f64() * 1e3
    );
}
