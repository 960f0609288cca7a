//! The plugin's actions (contract 0.2): `place` draws a class placement from
//! the inputs and both seed halves and answers a `lottery-package` holding it;
//! `verify` (public) re-checks a package, draw by draw. Both wrap the pure
//! functions of [`crate::lottery`] and [`crate::package`].

use crate::export::{inputs_json, package_json};
use crate::lottery::{self, Commitment, Reveal};
use crate::package::{self, PackageError};
use gongkai_plugin_sdk::{serde_json::json, ActionInfo, PluginError, Value};

pub const PLACE: &str = "place";
pub const VERIFY: &str = "verify";

pub fn declared() -> Vec<ActionInfo> {
    vec![
        ActionInfo::new(PLACE, "阳光分班抽签", "Draw the class placement"),
        ActionInfo::new(VERIFY, "复核阳光分班", "Verify a class lottery package").public(),
    ]
}

fn bad(e: PackageError) -> PluginError {
    PluginError::BadInput(e.to_string())
}

/// `place`. Input: `{constraints, classes: [{name, size}], students: [{id, attrs}],
/// public_source, secret, public_value}` and optionally `secret_sha256` (the
/// published commitment, checked against the secret) and `version`. Output: a
/// package with the one draw (inputs, digests, commitment, reveal, seed,
/// placement), which `verify` accepts.
pub fn place(input: &Value) -> Result<Value, PluginError> {
    let mut with_version = input.clone();
    if let Some(map) = with_version.as_object_mut() {
        map.entry("version")
            .or_insert_with(|| lottery::VERSION.into());
    }
    let inputs = package::inputs(&with_version).map_err(bad)?;
    let reveal = Reveal {
        secret: package::string(input, "secret").map_err(bad)?,
        public_value: package::string(input, "public_value").map_err(bad)?,
    };
    let commitment = Commitment {
        secret_sha256: match input.get("secret_sha256") {
            None | Some(Value::Null) => lottery::commit(&reveal.secret),
            Some(_) => package::string(input, "secret_sha256").map_err(bad)?,
        },
        public_source: package::string(input, "public_source").map_err(bad)?,
    };
    let input_error = |m: lottery::Mismatch| PluginError::BadInput(m.to_string());
    let digest = lottery::inputs_digest(&inputs).map_err(|e| input_error(e.into()))?;
    let seed = lottery::derive_seed(&inputs, &commitment, &reveal).map_err(input_error)?;
    let placement = lottery::place(&inputs, &seed).map_err(|e| input_error(e.into()))?;
    let rows: Vec<Value> = placement
        .assignments
        .iter()
        .map(|a| json!({"student": a.student, "class": a.class}))
        .collect();
    Ok(package_json(vec![json!({
        "inputs": inputs_json(&inputs),
        "inputs_digest": lottery::hex(&digest),
        "commitment": {
            "secret_sha256": commitment.secret_sha256,
            "public_source": commitment.public_source,
        },
        "reveal": {"secret": reveal.secret, "public_value": reveal.public_value},
        "seed": seed.to_hex(),
        "placement": rows,
        "placement_digest": lottery::placement_digest(&placement),
    })]))
}

/// `verify`. Input: a `lottery-package`. Output: `{ok, draws: [{ok} | {ok:
/// false, mismatch: code, message}]}`: `ok` only when every draw checks out.
/// A document that is no package at all is refused (bad input).
pub fn verify(input: &Value) -> Result<Value, PluginError> {
    let verdicts = package::verify_value(input).map_err(bad)?;
    let draws: Vec<Value> = verdicts
        .iter()
        .map(|v| match v {
            Ok(()) => json!({"ok": true}),
            Err(e) => json!({"ok": false, "mismatch": e.code(), "message": e.to_string()}),
        })
        .collect();
    let ok = !verdicts.is_empty() && verdicts.iter().all(Result::is_ok);
    Ok(json!({"ok": ok, "draws": draws}))
}
