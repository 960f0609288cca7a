//! The verifiable class lottery (阳光分班), algorithm `gongkai-lottery/1`.
//!
//! Pure and deterministic: no clock, no randomness, no floating point. The same
//! inputs and seed material give the same placement on every machine. LOTTERY.md
//! specifies every byte so that an independent implementation agrees;
//! `tests/lottery_kat.py` is one (its output is the known-answer test).
//!
//! The steps: encode the inputs canonically and hash them ([`inputs_digest`]);
//! check the revealed secret against its commitment and derive the seed from
//! inputs, secret and the public value ([`derive_seed`]); shuffle the roster with
//! Fisher–Yates over a SHA-256 counter stream with rejection sampling ([`Stream`]);
//! sort by stratum (stable), decide class by class how many of each stratum it
//! gets so that every count is within one across classes, and hand the
//! students out in shuffled order ([`place`]).

mod quota;

use sha2::{Digest, Sha256};
use std::fmt;

/// The algorithm this module implements; part of every hash input.
pub const VERSION: &str = "gongkai-lottery/1";
/// At most this many balancing constraints (attributes) per draw.
pub const MAX_CONSTRAINTS: usize = 2;
/// At most this many students per draw (keeps a call within the host's budget).
pub const MAX_STUDENTS: usize = 20_000;
/// A revealed secret has at least this many bytes (a short one can be guessed
/// from the published commitment before the draw).
pub const MIN_SECRET_BYTES: usize = 16;

/// One student: a pseudonymous id (never a name or ID number) and the values of
/// the draw's constraint attributes, in the order of [`DrawInputs::constraints`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    pub id: String,
    pub attrs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub name: String,
    pub size: u32,
}

/// Everything fixed and published before the draw, except the commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawInputs {
    pub version: String,
    /// Attribute names to balance, most important first ("sex", "category").
    pub constraints: Vec<String>,
    pub classes: Vec<Class>,
    pub students: Vec<Student>,
}

/// Published before the draw: the hash of the agency's secret and the name of
/// the future public value that will be mixed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    /// SHA-256 of the secret's UTF-8 bytes, 64 lowercase hex digits.
    pub secret_sha256: String,
    /// Which public value, e.g. "中国福利彩票双色球第2026150期开奖号码".
    pub public_source: String,
}

/// Revealed after the draw: the secret and the public value as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reveal {
    pub secret: String,
    pub public_value: String,
}

/// The 32-byte seed of the stream.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Seed(pub [u8; 32]);

impl Seed {
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Seed({})", self.to_hex())
    }
}

/// One student's class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub student: String,
    pub class: String,
}

/// The result: one assignment per student, sorted by student id (bytewise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub assignments: Vec<Assignment>,
}

/// Inputs no draw can be made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    UnknownVersion(String),
    NoStudents,
    TooManyStudents(usize),
    NoClasses,
    TooManyConstraints(usize),
    DuplicateConstraint(String),
    EmptyStudentId(usize),
    DuplicateStudent(String),
    /// A student has not exactly one value per constraint.
    Attributes {
        student: String,
    },
    EmptyClassName(usize),
    DuplicateClass(String),
    EmptyClass(String),
    /// Class sizes must sum to the number of students.
    SizeSum {
        sizes: u64,
        students: usize,
    },
    /// Class sizes may differ by at most one (the guarantees rest on it).
    UnevenSizes {
        smallest: u32,
        largest: u32,
    },
    ShortSecret(usize),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use InputError::*;
        match self {
            UnknownVersion(v) => write!(f, "unknown algorithm version {v:?} (this is {VERSION})"),
            NoStudents => write!(f, "no students"),
            TooManyStudents(n) => write!(f, "{n} students; at most {MAX_STUDENTS}"),
            NoClasses => write!(f, "no classes"),
            TooManyConstraints(n) => write!(f, "{n} constraints; at most {MAX_CONSTRAINTS}"),
            DuplicateConstraint(c) => write!(f, "constraint {c:?} named twice"),
            EmptyStudentId(i) => write!(f, "student {i} has no id"),
            DuplicateStudent(id) => write!(f, "student id {id:?} appears twice"),
            Attributes { student } => {
                write!(f, "student {student:?} lacks a value for a constraint")
            }
            EmptyClassName(i) => write!(f, "class {i} has no name"),
            DuplicateClass(n) => write!(f, "class name {n:?} appears twice"),
            EmptyClass(n) => write!(f, "class {n:?} has size 0"),
            SizeSum { sizes, students } => {
                write!(
                    f,
                    "class sizes sum to {sizes}, but there are {students} students"
                )
            }
            UnevenSizes { smallest, largest } => write!(
                f,
                "class sizes range from {smallest} to {largest}; they may differ by at most one"
            ),
            ShortSecret(n) => write!(
                f,
                "the secret has {n} bytes; at least {MIN_SECRET_BYTES} are needed"
            ),
        }
    }
}

/// Why a published draw does not check out; names the first difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The published inputs cannot be drawn from.
    Inputs(InputError),
    /// The revealed secret does not hash to the published commitment.
    Commitment { committed: String, revealed: String },
    /// The published seed is not the one the inputs and reveal give.
    Seed { expected: String, published: String },
    /// The placement lists another number of students.
    Count { expected: usize, published: usize },
    /// At this position (sorted by id) the placement lists another student.
    Student {
        position: usize,
        expected: String,
        published: String,
    },
    /// This student is in another class than the draw gives.
    Class {
        student: String,
        expected: String,
        published: String,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Inputs(e) => write!(f, "inputs: {e}"),
            Mismatch::Commitment {
                committed,
                revealed,
            } => write!(
                f,
                "the revealed secret hashes to {revealed}, the commitment is {committed}"
            ),
            Mismatch::Seed {
                expected,
                published,
            } => write!(f, "seed {published} published, the draw gives {expected}"),
            Mismatch::Count {
                expected,
                published,
            } => write!(f, "{published} students placed, {expected} expected"),
            Mismatch::Student {
                position,
                expected,
                published,
            } => write!(
                f,
                "at position {position} the placement lists {published:?}, expected {expected:?}"
            ),
            Mismatch::Class {
                student,
                expected,
                published,
            } => write!(
                f,
                "student {student:?} is placed in {published:?}, the draw gives {expected:?}"
            ),
        }
    }
}

impl From<InputError> for Mismatch {
    fn from(e: InputError) -> Mismatch {
        Mismatch::Inputs(e)
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// `u32be(len) || bytes`: the encoding of every string in a hash input.
fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_be_bytes());
}

/// Checks the inputs; gives the students sorted by id (the canonical order).
pub fn check(inputs: &DrawInputs) -> Result<Vec<&Student>, InputError> {
    use InputError::*;
    if inputs.version != VERSION {
        return Err(UnknownVersion(inputs.version.clone()));
    }
    let c = &inputs.constraints;
    if c.len() > MAX_CONSTRAINTS {
        return Err(TooManyConstraints(c.len()));
    }
    if c.len() == 2 && c[0] == c[1] {
        return Err(DuplicateConstraint(c[0].clone()));
    }
    let n = inputs.students.len();
    if n == 0 {
        return Err(NoStudents);
    }
    if n > MAX_STUDENTS {
        return Err(TooManyStudents(n));
    }
    let mut students: Vec<&Student> = inputs.students.iter().collect();
    for (i, s) in students.iter().enumerate() {
        if s.id.is_empty() {
            return Err(EmptyStudentId(i));
        }
        if s.attrs.len() != c.len() || s.attrs.iter().any(String::is_empty) {
            return Err(Attributes {
                student: s.id.clone(),
            });
        }
    }
    students.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = students.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(DuplicateStudent(w[0].id.clone()));
    }
    if inputs.classes.is_empty() {
        return Err(NoClasses);
    }
    let mut names: Vec<&str> = Vec::with_capacity(inputs.classes.len());
    for (i, class) in inputs.classes.iter().enumerate() {
        if class.name.is_empty() {
            return Err(EmptyClassName(i));
        }
        if class.size == 0 {
            return Err(EmptyClass(class.name.clone()));
        }
        names.push(&class.name);
    }
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(DuplicateClass(w[0].to_string()));
    }
    let sizes: u64 = inputs.classes.iter().map(|c| u64::from(c.size)).sum();
    if sizes != n as u64 {
        return Err(SizeSum { sizes, students: n });
    }
    let smallest = inputs.classes.iter().map(|c| c.size).min().unwrap_or(0);
    let largest = inputs.classes.iter().map(|c| c.size).max().unwrap_or(0);
    if largest - smallest > 1 {
        return Err(UnevenSizes { smallest, largest });
    }
    Ok(students)
}

/// The canonical encoding of the inputs (LOTTERY.md §2).
pub fn encode_inputs(inputs: &DrawInputs) -> Result<Vec<u8>, InputError> {
    let students = check(inputs)?;
    let mut out = Vec::with_capacity(64 + students.len() * 24);
    put_str(&mut out, &inputs.version);
    put_u32(&mut out, inputs.constraints.len() as u32);
    for c in &inputs.constraints {
        put_str(&mut out, c);
    }
    put_u32(&mut out, inputs.classes.len() as u32);
    for class in &inputs.classes {
        put_str(&mut out, &class.name);
        put_u32(&mut out, class.size);
    }
    put_u32(&mut out, students.len() as u32);
    for s in students {
        put_str(&mut out, &s.id);
        for a in &s.attrs {
            put_str(&mut out, a);
        }
    }
    Ok(out)
}

/// SHA-256 of [`encode_inputs`]: what the agency publishes (with the
/// commitment) before the draw.
pub fn inputs_digest(inputs: &DrawInputs) -> Result<[u8; 32], InputError> {
    Ok(Sha256::digest(encode_inputs(inputs)?).into())
}

/// The commitment to a secret: lowercase hex SHA-256 of its UTF-8 bytes.
pub fn commit(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// Whether the revealed secret is the committed one.
pub fn check_commitment(commitment: &Commitment, reveal: &Reveal) -> Result<(), Mismatch> {
    let revealed = commit(&reveal.secret);
    if revealed == commitment.secret_sha256.to_ascii_lowercase() {
        Ok(())
    } else {
        Err(Mismatch::Commitment {
            committed: commitment.secret_sha256.clone(),
            revealed,
        })
    }
}

/// The seed (LOTTERY.md §3), after checking the reveal against the commitment.
pub fn derive_seed(
    inputs: &DrawInputs,
    commitment: &Commitment,
    reveal: &Reveal,
) -> Result<Seed, Mismatch> {
    let digest = inputs_digest(inputs)?;
    if reveal.secret.len() < MIN_SECRET_BYTES {
        return Err(InputError::ShortSecret(reveal.secret.len()).into());
    }
    check_commitment(commitment, reveal)?;
    let mut m = Vec::new();
    put_str(&mut m, &format!("{VERSION} seed"));
    m.extend_from_slice(&digest);
    put_str(&mut m, &reveal.secret);
    put_str(&mut m, &commitment.public_source);
    put_str(&mut m, &reveal.public_value);
    Ok(Seed(Sha256::digest(&m).into()))
}

/// The random stream (LOTTERY.md §4): block j = SHA-256(seed || u64be(j)),
/// read as big-endian u32 words.
pub struct Stream {
    seed: [u8; 32],
    counter: u64,
    block: [u8; 32],
    /// Next unread word of `block` (8 = block used up).
    word: usize,
}

impl Stream {
    pub fn new(seed: &Seed) -> Stream {
        Stream {
            seed: seed.0,
            counter: 0,
            block: [0; 32],
            word: 8,
        }
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.word == 8 {
            let mut h = Sha256::new();
            h.update(self.seed);
            h.update(self.counter.to_be_bytes());
            self.block = h.finalize().into();
            self.counter += 1;
            self.word = 0;
        }
        let i = self.word * 4;
        self.word += 1;
        u32::from_be_bytes([
            self.block[i],
            self.block[i + 1],
            self.block[i + 2],
            self.block[i + 3],
        ])
    }

    /// A uniform integer in `0..n` (1 ≤ n ≤ 2³²−1): words at or above the
    /// largest multiple of `n` are discarded, so no value is favoured.
    pub fn below(&mut self, n: u32) -> u32 {
        assert!(n > 0, "below(0)");
        let limit = (1u64 << 32) - (1u64 << 32) % u64::from(n);
        loop {
            let w = self.next_u32();
            if u64::from(w) < limit {
                return w % n;
            }
        }
    }
}

/// Fisher–Yates (Durstenfeld): for i from len−1 down to 1, swap i with
/// `below(i + 1)`.
pub fn shuffle<T>(items: &mut [T], stream: &mut Stream) {
    for i in (1..items.len()).rev() {
        let j = stream.below(i as u32 + 1) as usize;
        items.swap(i, j);
    }
}

/// The placement (LOTTERY.md §5): shuffle the students (sorted by id), sort
/// them stably into strata by their constraint values, decide class by class
/// (largest first) how many of each stratum it gets ([`quota::counts`]), and
/// hand out each stratum's students in their shuffled order.
pub fn place(inputs: &DrawInputs, seed: &Seed) -> Result<Placement, InputError> {
    let mut order = check(inputs)?;
    shuffle(&mut order, &mut Stream::new(seed));
    order.sort_by(|a, b| a.attrs.cmp(&b.attrs));
    let strata: Vec<&[&Student]> = order.chunk_by(|a, b| a.attrs == b.attrs).collect();
    let mut deal: Vec<&Class> = inputs.classes.iter().collect();
    deal.sort_by_key(|c| std::cmp::Reverse(c.size));
    let keys: Vec<quota::Stratum> = strata
        .iter()
        .map(|s| quota::Stratum {
            row: s[0].attrs.first().map_or("", String::as_str),
            col: s[0].attrs.get(1).map_or("", String::as_str),
            students: s.len() as u32,
        })
        .collect();
    let sizes: Vec<u32> = deal.iter().map(|c| c.size).collect();
    let counts = quota::counts(&keys, &sizes);
    let mut next = vec![0usize; strata.len()];
    let mut assignments = Vec::with_capacity(order.len());
    for (class, row) in deal.iter().zip(&counts) {
        for (j, &x) in row.iter().enumerate() {
            for s in &strata[j][next[j]..next[j] + x as usize] {
                assignments.push(Assignment {
                    student: s.id.clone(),
                    class: class.name.clone(),
                });
            }
            next[j] += x as usize;
        }
    }
    assignments.sort_by(|a, b| a.student.cmp(&b.student));
    Ok(Placement { assignments })
}

/// SHA-256 of `u32be(n) || (str(student) || str(class))*` in id order: one
/// value that names a whole placement.
pub fn placement_digest(p: &Placement) -> String {
    let mut m = Vec::new();
    put_u32(&mut m, p.assignments.len() as u32);
    for a in &p.assignments {
        put_str(&mut m, &a.student);
        put_str(&mut m, &a.class);
    }
    sha256_hex(&m)
}

/// Re-runs the draw and compares: Ok, or the first difference in id order.
pub fn verify(inputs: &DrawInputs, seed: &Seed, published: &Placement) -> Result<(), Mismatch> {
    let expected = place(inputs, seed)?;
    let (e, p) = (&expected.assignments, &published.assignments);
    for (position, (e, p)) in e.iter().zip(p).enumerate() {
        if e.student != p.student {
            return Err(Mismatch::Student {
                position,
                expected: e.student.clone(),
                published: p.student.clone(),
            });
        }
        if e.class != p.class {
            return Err(Mismatch::Class {
                student: e.student.clone(),
                expected: e.class.clone(),
                published: p.class.clone(),
            });
        }
    }
    if e.len() != p.len() {
        return Err(Mismatch::Count {
            expected: e.len(),
            published: p.len(),
        });
    }
    Ok(())
}

/// The whole published draw: commitment, seed (if published) and placement.
pub fn verify_draw(
    inputs: &DrawInputs,
    commitment: &Commitment,
    reveal: &Reveal,
    published_seed: Option<&str>,
    published: &Placement,
) -> Result<(), Mismatch> {
    let seed = derive_seed(inputs, commitment, reveal)?;
    if let Some(s) = published_seed {
        if !s.eq_ignore_ascii_case(&seed.to_hex()) {
            return Err(Mismatch::Seed {
                expected: seed.to_hex(),
                published: s.to_string(),
            });
        }
    }
    verify(inputs, &seed, published)
}
