//! Secrets and the sealing of personal data at rest (ChaCha20-Poly1305, random nonce
//! stored in front of the ciphertext).

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

/// A random secret as URL-safe text (session CSRF tokens, API tokens, access codes).
pub fn random_token(bytes: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(bytes))
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

#[derive(Clone)]
pub struct Secrets {
    cookie_key: Vec<u8>,
    data_key: Vec<u8>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(..)")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("sealed data cannot be opened with this data key")]
pub struct SealError;

impl Secrets {
    pub fn new(cookie_key: Vec<u8>, data_key: Vec<u8>) -> Self {
        Secrets {
            cookie_key,
            data_key,
        }
    }

    pub fn cookie_key(&self) -> &[u8] {
        &self.cookie_key
    }

    /// Identifies the data key without revealing it (for logs and checks).
    pub fn data_key_fingerprint(&self) -> String {
        sha256_hex(&self.data_key)[..16].to_string()
    }

    pub fn seal(&self, plaintext: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.seal_bytes(plaintext.as_bytes()))
    }

    pub fn open(&self, sealed: &str) -> Result<String, SealError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .map_err(|_| SealError)?;
        String::from_utf8(self.open_bytes(&bytes)?).map_err(|_| SealError)
    }

    /// Encrypts `plaintext` with the data key: the nonce, then the ciphertext and tag.
    pub fn seal_bytes(&self, plaintext: &[u8]) -> Vec<u8> {
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.data_key));
        let nonce_bytes = random_bytes(12);
        let nonce = Nonce::from_slice(&nonce_bytes);
        let mut out = nonce_bytes.clone();
        out.extend(
            cipher
                .encrypt(nonce, plaintext)
                .expect("encryption of a byte string cannot fail"),
        );
        out
    }

    pub fn open_bytes(&self, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        if sealed.len() < 12 {
            return Err(SealError);
        }
        let (nonce, ciphertext) = sealed.split_at(12);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.data_key));
        cipher
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| SealError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trip_and_wrong_key() {
        let a = Secrets::new(random_bytes(64), random_bytes(32));
        let b = Secrets::new(random_bytes(64), random_bytes(32));
        let sealed = a.seal("110101199003074514");
        assert!(!sealed.contains("1101011990"));
        assert_eq!(a.open(&sealed).unwrap(), "110101199003074514");
        assert!(b.open(&sealed).is_err());
        assert!(a.open("garbage").is_err());
        let bytes = a.seal_bytes(b"%PDF-1.7 id copy");
        assert_eq!(a.open_bytes(&bytes).unwrap(), b"%PDF-1.7 id copy");
        assert!(b.open_bytes(&bytes).is_err());
        assert!(a.open_bytes(&bytes[..8]).is_err());
    }
}
