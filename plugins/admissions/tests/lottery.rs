//! The lottery library: a known-answer vector from an independent
//! implementation (`tests/lottery_kat.py`, written from LOTTERY.md alone),
//! property tests of the guarantees, verification, and a timing.

use gongkai_plugin_admissions::lottery::{
    self, Assignment, Class, Commitment, DrawInputs, InputError, Mismatch, Placement, Reveal, Seed,
    Stream, Student,
};
use proptest::prelude::*;

fn student(id: &str, attrs: &[&str]) -> Student {
    Student {
        id: id.into(),
        attrs: attrs.iter().map(|a| a.to_string()).collect(),
    }
}

fn class(name: &str, size: u32) -> Class {
    Class {
        name: name.into(),
        size,
    }
}

/// The vector of `tests/lottery_kat.py`: 11 students S01..S11 (odd = F,
/// multiples of 3 = category B), classes 一班 4, 二班 4, 三班 3.
fn kat_inputs() -> DrawInputs {
    DrawInputs {
        version: lottery::VERSION.into(),
        constraints: vec!["sex".into(), "category".into()],
        classes: vec![class("一班", 4), class("二班", 4), class("三班", 3)],
        // Given in reverse: the canonical order is by id whatever the input order.
        students: (1..12)
            .rev()
            .map(|i| {
                let sex = if i % 2 == 1 { "F" } else { "M" };
                let cat = if i % 3 == 0 { "B" } else { "A" };
                student(&format!("S{i:02}"), &[sex, cat])
            })
            .collect(),
    }
}

const KAT_SECRET: &str = "agency-secret-2026-k7Qm";
const KAT_SOURCE: &str = "双色球2026150期开奖号码";
const KAT_VALUE: &str = "03 07 12 19 25 31 + 08";

fn kat_commitment() -> Commitment {
    Commitment {
        secret_sha256: lottery::commit(KAT_SECRET),
        public_source: KAT_SOURCE.into(),
    }
}

fn kat_reveal() -> Reveal {
    Reveal {
        secret: KAT_SECRET.into(),
        public_value: KAT_VALUE.into(),
    }
}

/// Output of `python3 plugins/admissions/tests/lottery_kat.py`, pasted.
#[test]
fn known_answer_from_the_independent_implementation() {
    let inputs = kat_inputs();
    assert_eq!(
        lottery::commit(KAT_SECRET),
        "a597c382f34acdae08a7927baf642e35241f4bfba2de977c8c27b31d5845dfab"
    );
    assert_eq!(
        lottery::hex(&lottery::inputs_digest(&inputs).unwrap()),
        "a2b05a5645fd47e464c27abd84b96b947d62f46085ca70a1f6312876857164f0"
    );
    let seed = lottery::derive_seed(&inputs, &kat_commitment(), &kat_reveal()).unwrap();
    assert_eq!(
        seed.to_hex(),
        "7493c6fce82b131ffb02d9d425cd8b26f343e0f39e28a405634faf6c0255fb9b"
    );
    let mut stream = Stream::new(&seed);
    let words: Vec<u32> = (0..4).map(|_| stream.next_u32()).collect();
    assert_eq!(words, [1198733220, 316009263, 724415186, 1179938732]);
    let placement = lottery::place(&inputs, &seed).unwrap();
    let expected = [
        ("S01", "二班"),
        ("S02", "一班"),
        ("S03", "三班"),
        ("S04", "三班"),
        ("S05", "二班"),
        ("S06", "二班"),
        ("S07", "一班"),
        ("S08", "二班"),
        ("S09", "一班"),
        ("S10", "一班"),
        ("S11", "三班"),
    ];
    let got: Vec<(&str, &str)> = placement
        .assignments
        .iter()
        .map(|a| (a.student.as_str(), a.class.as_str()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        lottery::placement_digest(&placement),
        "6b3129c53ee10ebde6ec25c961d140aa7832704d9491047021343c005a4de4ae"
    );
}

/// The script's second vector: 200 students, 7 classes of 28 and 29 given
/// in mixed order, sex × three categories; many augmenting paths per class.
#[test]
fn known_answer_200_students() {
    let students = (0..200u32)
        .map(|i| {
            let sex = if i * 7 % 5 < 2 { "F" } else { "M" };
            let cat = ["甲", "乙", "丙"][(i * i % 7 % 3) as usize];
            student(&format!("R{i:03}"), &[sex, cat])
        })
        .collect();
    let classes = [28, 29, 28, 29, 29, 28, 29]
        .iter()
        .enumerate()
        .map(|(i, &z)| class(&format!("{}班", i + 1), z))
        .collect();
    let inputs = DrawInputs {
        version: lottery::VERSION.into(),
        constraints: vec!["sex".into(), "category".into()],
        classes,
        students,
    };
    let seed = lottery::derive_seed(&inputs, &kat_commitment(), &kat_reveal()).unwrap();
    let placement = lottery::place(&inputs, &seed).unwrap();
    assert_eq!(
        lottery::placement_digest(&placement),
        "4f6f9240eefd3057b2730ba6e7ea857e3a31bb9264131d144d1d6d2f83268c4a"
    );
}

#[test]
fn rejection_sampling_discards_the_biased_tail() {
    // n = 3: 2^32 mod 3 = 1, so only the word 0xFFFFFFFF is discarded.
    // Find a seed whose first word is at or above a limit by brute force over
    // n = 2^31 + 1 (limit 2^31 + 1: about half of all words are discarded).
    let n = (1u32 << 31) + 1;
    let mut rejected = 0;
    for b in 0..64u8 {
        let seed = Seed([b; 32]);
        let mut raw = Stream::new(&seed);
        let (w0, w1) = (raw.next_u32(), raw.next_u32());
        let got = Stream::new(&seed).below(n);
        if w0 >= n {
            rejected += 1;
            // The first word was thrown away; the answer comes from a later one.
            if w1 < n {
                assert_eq!(got, w1);
            }
        } else {
            assert_eq!(got, w0);
        }
    }
    assert!(rejected > 10, "some first words must have been rejected");
}

#[test]
fn stream_crosses_block_boundaries() {
    // Words 8.. come from block 1 = SHA-256(seed || 00..01).
    let seed = Seed([7; 32]);
    let mut s = Stream::new(&seed);
    let words: Vec<u32> = (0..9).map(|_| s.next_u32()).collect();
    let mut m = seed.0.to_vec();
    m.extend_from_slice(&1u64.to_be_bytes());
    let block1 = lottery::sha256_hex(&m);
    assert_eq!(format!("{:08x}", words[8]), block1[..8]);
}

#[test]
fn input_order_does_not_matter() {
    let seed = Seed([1; 32]);
    let a = kat_inputs();
    let mut b = a.clone();
    b.students.reverse();
    assert_eq!(lottery::place(&a, &seed), lottery::place(&b, &seed));
    assert_eq!(lottery::inputs_digest(&a), lottery::inputs_digest(&b));
}

#[test]
fn input_errors() {
    let seed = Seed([0; 32]);
    let err = |f: &dyn Fn(&mut DrawInputs)| {
        let mut i = kat_inputs();
        f(&mut i);
        lottery::place(&i, &seed).unwrap_err()
    };
    assert_eq!(
        err(&|i| i.version = "x".into()),
        InputError::UnknownVersion("x".into())
    );
    assert_eq!(err(&|i| i.students.clear()), InputError::NoStudents);
    assert_eq!(err(&|i| i.classes.clear()), InputError::NoClasses);
    assert_eq!(
        err(&|i| i.students[0].id = "S01".into()),
        InputError::DuplicateStudent("S01".into())
    );
    assert_eq!(
        err(&|i| i.students[0].attrs.pop().map(drop).unwrap_or(())),
        InputError::Attributes {
            student: "S11".into()
        }
    );
    assert_eq!(
        err(&|i| i.classes[2].name = "一班".into()),
        InputError::DuplicateClass("一班".into())
    );
    // Sizes 4 + 4 + 4 = 12 ≠ 11.
    assert_eq!(
        err(&|i| i.classes[2].size = 4),
        InputError::SizeSum {
            sizes: 12,
            students: 11
        }
    );
    // 5, 3, 3: sum right, but uneven.
    assert_eq!(
        err(&|i| {
            i.classes[0].size = 5;
            i.classes[1].size = 3;
        }),
        InputError::UnevenSizes {
            smallest: 3,
            largest: 5
        }
    );
    assert_eq!(
        err(&|i| i.constraints.push("x".into())),
        InputError::TooManyConstraints(3)
    );
}

#[test]
fn commitment_and_short_secret() {
    let inputs = kat_inputs();
    let wrong = Reveal {
        secret: "another-secret-of-enough-length".into(),
        public_value: KAT_VALUE.into(),
    };
    assert!(matches!(
        lottery::derive_seed(&inputs, &kat_commitment(), &wrong),
        Err(Mismatch::Commitment { .. })
    ));
    let short = Reveal {
        secret: "15 bytes secret".into(),
        public_value: KAT_VALUE.into(),
    };
    let c = Commitment {
        secret_sha256: lottery::commit(&short.secret),
        public_source: KAT_SOURCE.into(),
    };
    assert_eq!(
        lottery::derive_seed(&inputs, &c, &short),
        Err(Mismatch::Inputs(InputError::ShortSecret(15)))
    );
    // 16 bytes is enough.
    let ok = Reveal {
        secret: "16 bytes secret!".into(),
        public_value: KAT_VALUE.into(),
    };
    let c = Commitment {
        secret_sha256: lottery::commit(&ok.secret),
        public_source: KAT_SOURCE.into(),
    };
    assert!(lottery::derive_seed(&inputs, &c, &ok).is_ok());
}

#[test]
fn verification_names_the_first_difference() {
    let inputs = kat_inputs();
    let seed = lottery::derive_seed(&inputs, &kat_commitment(), &kat_reveal()).unwrap();
    let good = lottery::place(&inputs, &seed).unwrap();
    assert_eq!(lottery::verify(&inputs, &seed, &good), Ok(()));
    assert_eq!(
        lottery::verify_draw(
            &inputs,
            &kat_commitment(),
            &kat_reveal(),
            Some(&seed.to_hex()),
            &good
        ),
        Ok(())
    );

    // S02 moved from 一班 to 三班.
    let mut moved = good.clone();
    moved.assignments[1].class = "三班".into();
    assert_eq!(
        lottery::verify(&inputs, &seed, &moved),
        Err(Mismatch::Class {
            student: "S02".into(),
            expected: "一班".into(),
            published: "三班".into()
        })
    );
    let mut missing = good.clone();
    missing.assignments.pop();
    assert_eq!(
        lottery::verify(&inputs, &seed, &missing),
        Err(Mismatch::Count {
            expected: 11,
            published: 10
        })
    );
    let mut renamed = good.clone();
    renamed.assignments[0].student = "S00".into();
    assert!(matches!(
        lottery::verify(&inputs, &seed, &renamed),
        Err(Mismatch::Student { position: 0, .. })
    ));

    // Another public value: another seed, and the published one no longer fits.
    let other = Reveal {
        public_value: "03 07 12 19 25 32 + 08".into(),
        ..kat_reveal()
    };
    assert!(matches!(
        lottery::verify_draw(&inputs, &kat_commitment(), &other, None, &good),
        Err(Mismatch::Class { .. })
    ));
    assert!(matches!(
        lottery::verify_draw(
            &inputs,
            &kat_commitment(),
            &other,
            Some(&seed.to_hex()),
            &good
        ),
        Err(Mismatch::Seed { .. })
    ));
    // A changed roster (one student's category) changes the inputs digest and so the seed.
    let mut changed = inputs.clone();
    changed.students[0].attrs[1] = "B".into();
    assert!(lottery::verify_draw(&changed, &kat_commitment(), &kat_reveal(), None, &good).is_err());
}

// ---- properties ----

/// A roster of `n` students with sex F/M and one of `cats` categories,
/// `k` classes of sizes differing by at most one (larger ones anywhere).
fn roster(attrs: &[(u8, u8)], k: usize, rotate: usize) -> DrawInputs {
    let n = attrs.len();
    let mut classes: Vec<Class> = (0..k)
        .map(|i| {
            class(
                &format!("{}班", i + 1),
                (n / k + usize::from(i < n % k)) as u32,
            )
        })
        .collect();
    classes.rotate_left(rotate % k);
    DrawInputs {
        version: lottery::VERSION.into(),
        constraints: vec!["sex".into(), "category".into()],
        classes,
        students: attrs
            .iter()
            .enumerate()
            .map(|(i, (s, c))| {
                let sex = if *s == 0 { "F" } else { "M" };
                student(&format!("2026{i:05}"), &[sex, &format!("C{c}")])
            })
            .collect(),
    }
}

/// max − min over classes of the number of students satisfying `pred`.
fn spread(inputs: &DrawInputs, p: &Placement, pred: impl Fn(&[String]) -> bool) -> u32 {
    let counts: Vec<u32> = inputs
        .classes
        .iter()
        .map(|c| {
            p.assignments
                .iter()
                .filter(|a| a.class == c.name)
                .filter(|a| {
                    let s = inputs.students.iter().find(|s| s.id == a.student).unwrap();
                    pred(&s.attrs)
                })
                .count() as u32
        })
        .collect();
    counts.iter().max().unwrap() - counts.iter().min().unwrap()
}

fn values(inputs: &DrawInputs, i: usize) -> Vec<String> {
    // Values of constraint i present in the roster, sorted.
    let mut v: Vec<String> = inputs.students.iter().map(|s| s.attrs[i].clone()).collect();
    v.sort();
    v.dedup();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Sizes exact; every value of either constraint and every stratum
    /// within one across classes (LOTTERY.md §6).
    #[test]
    fn guarantees_hold(
        attrs in proptest::collection::vec((0u8..2, 0u8..4), 1..120),
        k in 1usize..9,
        rotate in 0usize..9,
        ncons in 0usize..3,
        seed in proptest::array::uniform32(any::<u8>()),
    ) {
        let k = k.min(attrs.len());
        let mut inputs = roster(&attrs, k, rotate);
        // 0, 1 or 2 constraints (the checks below skip the ones not drawn on).
        inputs.constraints.truncate(ncons);
        for s in &mut inputs.students {
            s.attrs.truncate(ncons);
        }
        let p = lottery::place(&inputs, &Seed(seed)).unwrap();
        prop_assert_eq!(p.assignments.len(), attrs.len());
        for c in &inputs.classes {
            let n = p.assignments.iter().filter(|a| a.class == c.name).count();
            prop_assert_eq!(n as u32, c.size);
        }
        for i in 0..ncons {
            for v in values(&inputs, i) {
                prop_assert!(spread(&inputs, &p, |a| a[i] == v) <= 1, "constraint {i} value {v}");
            }
        }
        let mut strata: Vec<Vec<String>> = inputs.students.iter().map(|s| s.attrs.clone()).collect();
        strata.sort();
        strata.dedup();
        for st in &strata {
            prop_assert!(spread(&inputs, &p, |a| a == st.as_slice()) <= 1, "stratum {st:?}");
        }
        prop_assert_eq!(lottery::verify(&inputs, &Seed(seed), &p), Ok(()));
    }

    /// Another seed gives another placement (60 students: the chance of the
    /// same one by accident is negligible).
    #[test]
    fn a_changed_seed_changes_the_placement(
        attrs in proptest::collection::vec((0u8..2, 0u8..3), 60),
        a in proptest::array::uniform32(any::<u8>()),
        flip in 0usize..256,
    ) {
        let inputs = roster(&attrs, 3, 0);
        let mut b = a;
        b[flip / 8] ^= 1 << (flip % 8);
        let pa = lottery::place(&inputs, &Seed(a)).unwrap();
        let pb = lottery::place(&inputs, &Seed(b)).unwrap();
        prop_assert_ne!(&pa, &pb);
        prop_assert!(lottery::verify(&inputs, &Seed(b), &pa).is_err());
    }

    /// Swapping two students of different classes is always caught.
    #[test]
    fn a_tampered_placement_fails(
        attrs in proptest::collection::vec((0u8..2, 0u8..3), 2..80),
        seed in proptest::array::uniform32(any::<u8>()),
        i in 0usize..80, j in 0usize..80,
    ) {
        let inputs = roster(&attrs, 2, 0);
        let good = lottery::place(&inputs, &Seed(seed)).unwrap();
        let (i, j) = (i % attrs.len(), j % attrs.len());
        let mut bad = good.clone();
        let (ci, cj) = (bad.assignments[i].class.clone(), bad.assignments[j].class.clone());
        bad.assignments[i].class = cj;
        bad.assignments[j].class = ci;
        let first = i.min(j);
        if good.assignments[i].class != good.assignments[j].class {
            let Assignment { student, .. } = &good.assignments[first];
            let is_class_mismatch = matches!(
                lottery::verify(&inputs, &Seed(seed), &bad),
                Err(Mismatch::Class { student: s, .. }) if &s == student
            );
            prop_assert!(is_class_mismatch);
        } else {
            prop_assert_eq!(lottery::verify(&inputs, &Seed(seed), &bad), Ok(()));
        }
    }
}

/// `cargo test -p gongkai-plugin-admissions --release --test lottery -- --ignored --nocapture`
#[test]
#[ignore = "timing; run by hand"]
fn time_2000_students_into_40_classes() {
    let attrs: Vec<(u8, u8)> = (0..2000u32)
        .map(|i| ((i * 7 % 2) as u8, (i * 13 % 5) as u8))
        .collect();
    let inputs = roster(&attrs, 40, 0);
    let runs = 20;
    let start = std::time::Instant::now();
    let mut last = None;
    for r in 0..runs {
        last = Some(lottery::place(&inputs, &Seed([r as u8; 32])).unwrap());
    }
    let per = start.elapsed() / runs;
    let p = last.unwrap();
    assert_eq!(p.assignments.len(), 2000);
    // The guarantees at this size: per class, each sex and each category within one.
    let class_of: std::collections::HashMap<&str, &str> = p
        .assignments
        .iter()
        .map(|a| (a.student.as_str(), a.class.as_str()))
        .collect();
    for i in 0..2 {
        let mut counts: std::collections::HashMap<(&str, &str), u32> = Default::default();
        for s in &inputs.students {
            *counts
                .entry((class_of[s.id.as_str()], &s.attrs[i]))
                .or_default() += 1;
        }
        for v in values(&inputs, i) {
            let per: Vec<u32> = inputs
                .classes
                .iter()
                .map(|c| {
                    counts
                        .get(&(c.name.as_str(), v.as_str()))
                        .copied()
                        .unwrap_or(0)
                })
                .collect();
            assert!(per.iter().max().unwrap() - per.iter().min().unwrap() <= 1);
        }
    }
    println!("native: 2,000 students into 40 classes, sex + category: {per:?} per draw");
}

/// The `place` action natively (JSON text in, JSON text out, as through the host), for
/// the host/native comparison of `cargo bench -p gongkai --bench plugins`:
/// `cargo test -p gongkai-plugin-admissions --release --test lottery -- --ignored --nocapture`
#[test]
#[ignore = "timing; run by hand"]
fn time_the_place_action_natively() {
    use gongkai_plugin_admissions::actions;
    use gongkai_plugin_sdk::{serde_json, Value};
    let students: Vec<Value> = (0..2000)
        .map(|i| {
            let sex = if i % 2 == 0 { "F" } else { "M" };
            serde_json::json!({"id": format!("2026{i:05}"), "attrs": [sex, CATEGORIES[i % 3]]})
        })
        .collect();
    let classes: Vec<Value> = (1..=40)
        .map(|c| serde_json::json!({"name": format!("{c}班"), "size": 50}))
        .collect();
    let input = serde_json::json!({
        "constraints": ["sex", "category"], "classes": classes, "students": students,
        "public_source": "双色球第2026150期", "secret": "a secret of thirty-two bytes....",
        "public_value": "03 07 12 19 25 31 + 09",
    })
    .to_string();
    let runs = 20;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        let v: Value = serde_json::from_str(std::hint::black_box(&input)).unwrap();
        std::hint::black_box(actions::place(&v).unwrap().to_string());
    }
    eprintln!(
        "place action natively, 2,000 into 40: {:?}",
        start.elapsed() / runs
    );
}

const CATEGORIES: [&str; 3] = ["A", "B", "C"];
