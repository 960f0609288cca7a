//! Reading and checking a `lottery-package` (LOTTERY.md §7–8): what the
//! `verify` action (and so `gongkai lottery verify FILE`) calls. Pure: a
//! package in, a verdict per draw out.

use crate::export::PACKAGE_FORMAT;
use crate::lottery::{
    self, Assignment, Class, Commitment, DrawInputs, Mismatch, Placement, Reveal, Student,
};
use gongkai_plugin_sdk::{serde_json, Value};
use std::fmt;

/// Why a package entry does not check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageError {
    /// Not a package of this format, or a field missing or of the wrong shape.
    Malformed(String),
    /// The entry has no reveal yet: nothing to verify.
    NotDrawn,
    /// The published inputs digest is not that of the published inputs.
    InputsDigest { expected: String, published: String },
    /// The published placement digest is not that of the published placement.
    PlacementDigest { expected: String, published: String },
    /// The draw itself does not check out.
    Draw(Mismatch),
}

impl PackageError {
    /// A stable code naming what does not match (the verify action's answer).
    pub fn code(&self) -> &'static str {
        match self {
            PackageError::Malformed(_) => "malformed",
            PackageError::NotDrawn => "not-drawn",
            PackageError::InputsDigest { .. } => "inputs-digest",
            PackageError::PlacementDigest { .. } => "placement-digest",
            PackageError::Draw(Mismatch::Inputs(_)) => "inputs",
            PackageError::Draw(Mismatch::Commitment { .. }) => "commitment",
            PackageError::Draw(Mismatch::Seed { .. }) => "seed",
            PackageError::Draw(Mismatch::Count { .. }) => "placement-count",
            PackageError::Draw(Mismatch::Student { .. }) => "placement-student",
            PackageError::Draw(Mismatch::Class { .. }) => "placement-class",
        }
    }
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageError::Malformed(m) => write!(f, "malformed package: {m}"),
            PackageError::NotDrawn => write!(f, "not drawn yet (no reveal)"),
            PackageError::InputsDigest {
                expected,
                published,
            } => write!(
                f,
                "inputs digest {published} published, the inputs give {expected}"
            ),
            PackageError::PlacementDigest {
                expected,
                published,
            } => write!(
                f,
                "placement digest {published} published, the placement gives {expected}"
            ),
            PackageError::Draw(m) => write!(f, "{m}"),
        }
    }
}

fn bad(what: &str) -> PackageError {
    PackageError::Malformed(what.into())
}

pub(crate) fn string(v: &Value, key: &str) -> Result<String, PackageError> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| bad(&format!("{key} must be a string")))
}

fn array<'a>(v: &'a Value, key: &str) -> Result<&'a Vec<Value>, PackageError> {
    v.get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| bad(&format!("{key} must be an array")))
}

fn strings(v: &Value, key: &str) -> Result<Vec<String>, PackageError> {
    array(v, key)?
        .iter()
        .map(|s| {
            s.as_str()
                .map(str::to_string)
                .ok_or_else(|| bad(&format!("{key} must hold strings")))
        })
        .collect()
}

pub(crate) fn inputs(v: &Value) -> Result<DrawInputs, PackageError> {
    let classes = array(v, "classes")?
        .iter()
        .map(|c| {
            let size = c.get("size").and_then(Value::as_u64);
            let size = size.and_then(|s| u32::try_from(s).ok());
            Ok(Class {
                name: string(c, "name")?,
                size: size.ok_or_else(|| bad("a class size must be a whole number"))?,
            })
        })
        .collect::<Result<_, PackageError>>()?;
    let students = array(v, "students")?
        .iter()
        .map(|s| {
            Ok(Student {
                id: string(s, "id")?,
                attrs: strings(s, "attrs")?,
            })
        })
        .collect::<Result<_, PackageError>>()?;
    Ok(DrawInputs {
        version: string(v, "version")?,
        constraints: strings(v, "constraints")?,
        classes,
        students,
    })
}

fn placement(v: &Value) -> Result<Placement, PackageError> {
    let assignments = v
        .as_array()
        .ok_or_else(|| bad("placement must be an array"))?
        .iter()
        .map(|a| {
            Ok(Assignment {
                student: string(a, "student")?,
                class: string(a, "class")?,
            })
        })
        .collect::<Result<_, PackageError>>()?;
    Ok(Placement { assignments })
}

/// Checks one draw of a package: digests, commitment, seed and placement.
pub fn verify_draw(draw: &Value) -> Result<(), PackageError> {
    let inputs = inputs(draw.get("inputs").ok_or_else(|| bad("no inputs"))?)?;
    let digest =
        lottery::inputs_digest(&inputs).map_err(|e| PackageError::Draw(Mismatch::Inputs(e)))?;
    let published = string(draw, "inputs_digest")?;
    if lottery::hex(&digest) != published {
        return Err(PackageError::InputsDigest {
            expected: lottery::hex(&digest),
            published,
        });
    }
    let c = draw.get("commitment").ok_or_else(|| bad("no commitment"))?;
    let commitment = Commitment {
        secret_sha256: string(c, "secret_sha256")?,
        public_source: string(c, "public_source")?,
    };
    let r = match draw.get("reveal") {
        None | Some(Value::Null) => return Err(PackageError::NotDrawn),
        Some(r) => r,
    };
    let reveal = Reveal {
        secret: string(r, "secret")?,
        public_value: string(r, "public_value")?,
    };
    let placement = placement(draw.get("placement").ok_or_else(|| bad("no placement"))?)?;
    let seed = string(draw, "seed")?;
    lottery::verify_draw(&inputs, &commitment, &reveal, Some(&seed), &placement)
        .map_err(PackageError::Draw)?;
    let expected = lottery::placement_digest(&placement);
    let published = string(draw, "placement_digest")?;
    if expected != published {
        return Err(PackageError::PlacementDigest {
            expected,
            published,
        });
    }
    Ok(())
}

/// Checks every draw of a package; one verdict per draw, in order.
pub fn verify(bytes: &[u8]) -> Result<Vec<Result<(), PackageError>>, PackageError> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| bad(&format!("not JSON: {e}")))?;
    verify_value(&doc)
}

/// [`verify`] of a package already parsed.
pub fn verify_value(doc: &Value) -> Result<Vec<Result<(), PackageError>>, PackageError> {
    if doc.get("format").and_then(Value::as_str) != Some(PACKAGE_FORMAT) {
        return Err(bad(&format!("format must be {PACKAGE_FORMAT}")));
    }
    Ok(array(doc, "draws")?.iter().map(verify_draw).collect())
}
