use super::*;

const PASSPHRASES: [&str; 3] = [
    "采购人的口令 buyer-2026",
    "代理机构口令 agent-2026",
    "监督部门口令 supervisor",
];

fn holders() -> Vec<HolderKey> {
    PASSPHRASES
        .iter()
        .map(|p| HolderKey::generate(p).unwrap())
        .collect()
}

fn recipients(keys: &[HolderKey]) -> Vec<String> {
    keys.iter().map(|k| k.recipient.clone()).collect()
}

/// The shares holders `which` decrypt with their passphrases, each checked against its
/// commitment.
fn contribute(keys: &[HolderKey], sealed: &Sealed, place: &str, which: &[usize]) -> Vec<Vec<u8>> {
    which
        .iter()
        .map(|&i| {
            let key = unlock(&keys[i].protected_identity, PASSPHRASES[i]).unwrap();
            assert_eq!(key.recipient(), keys[i].recipient);
            let share = key.decrypt_share(&sealed.shares[i].encrypted).unwrap();
            assert_eq!(
                commitment(place, &keys[i].recipient, &share),
                sealed.shares[i].commitment
            );
            share
        })
        .collect()
}

#[test]
fn k_of_n_open_and_k_minus_one_do_not() {
    let keys = holders();
    let price = "投标报价：1,234,567.89元".as_bytes();
    let sealed = seal(price, "o1/b1/fields", 2, &recipients(&keys)).unwrap();
    assert!(!sealed.ciphertext.windows(price.len()).any(|w| w == price));

    for pair in [[0, 1], [0, 2], [1, 2]] {
        let shares = contribute(&keys, &sealed, "o1/b1/fields", &pair);
        let key = recover_key(2, &shares).unwrap();
        assert_eq!(
            open(&key, &sealed.ciphertext, "o1/b1/fields").unwrap(),
            price
        );
    }
    let one = contribute(&keys, &sealed, "o1/b1/fields", &[2]);
    assert_eq!(
        recover_key(2, &one).unwrap_err(),
        SealError::TooFewShares { have: 1, need: 2 }
    );
    // The same share twice is still one holder.
    let twice = vec![one[0].clone(), one[0].clone()];
    assert!(matches!(
        recover_key(2, &twice),
        Err(SealError::TooFewShares { .. })
    ));
}

#[test]
fn a_wrong_passphrase_a_swapped_share_and_a_moved_ciphertext_are_caught() {
    let keys = holders();
    assert_eq!(
        unlock(&keys[0].protected_identity, "not the passphrase").err(),
        Some(SealError::WrongPassphrase)
    );
    assert_eq!(
        HolderKey::generate("short").err(),
        Some(SealError::ShortPassphrase)
    );

    let sealed = seal(b"documents", "o1/b1/technical", 3, &recipients(&keys)).unwrap();
    // Someone with write access replaces holder 0's share by a share of their own making,
    // encrypted to holder 0's public key: it decrypts, but its commitment does not match.
    let forged = age::encrypt(
        &age::x25519::Recipient::from_str(&keys[0].recipient).unwrap(),
        &[1u8; 33],
    )
    .unwrap();
    let key0 = unlock(&keys[0].protected_identity, PASSPHRASES[0]).unwrap();
    let share = key0.decrypt_share(&forged).unwrap();
    assert_ne!(
        commitment("o1/b1/technical", &keys[0].recipient, &share),
        sealed.shares[0].commitment
    );
    // Another holder's share does not decrypt with this key at all.
    assert_eq!(
        key0.decrypt_share(&sealed.shares[1].encrypted).err(),
        Some(SealError::UndecryptableShare)
    );

    // Opened with the right key but at another place: refused.
    let shares = contribute(&keys, &sealed, "o1/b1/technical", &[0, 1, 2]);
    let key = recover_key(3, &shares).unwrap();
    assert_eq!(
        open(&key, &sealed.ciphertext, "o1/b2/technical").err(),
        Some(SealError::ContentAltered)
    );
    let mut altered = sealed.ciphertext.clone();
    *altered.last_mut().unwrap() ^= 1;
    assert_eq!(
        open(&key, &altered, "o1/b1/technical").err(),
        Some(SealError::ContentAltered)
    );
}

#[test]
fn nobody_opens_alone_and_thresholds_stay_within_the_holders() {
    let keys = holders();
    let r = recipients(&keys);
    for (k, n) in [(1, 3), (4, 3), (0, 3)] {
        assert_eq!(
            seal(b"x", "p", k, &r[..n]).err(),
            Some(SealError::BadThreshold {
                threshold: k,
                holders: n
            })
        );
    }
    assert_eq!(
        seal(b"x", "p", 2, &["age1notakey".to_string(), r[0].clone()]).err(),
        Some(SealError::BadRecipient)
    );
    // A fresh key per part: the same plaintext seals differently every time.
    let a = seal(b"same", "p", 2, &r).unwrap();
    let b = seal(b"same", "p", 2, &r).unwrap();
    assert_ne!(a.ciphertext, b.ciphertext);
    assert_ne!(a.shares[0].commitment, b.shares[0].commitment);
}
