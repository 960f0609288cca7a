//! gongkai-componentize: turns a core wasm module built with the Gongkai SDK
//! (wit-bindgen embeds the WIT in a custom section) into a component, and
//! checks components.
//!
//! ```text
//! gongkai-componentize CORE.wasm OUT.wasm   encode + validate + check; writes OUT only if it changed
//! gongkai-componentize --check FILE.wasm    validate a component and print its imports and exports
//! ```
//! The check fails when the component imports anything but the host's
//! `gongkai:plugin/*` interfaces (no WASI) or lacks one of the plugin exports.

use anyhow::{bail, Context, Result};
use std::path::Path;
use wit_component::{ComponentEncoder, DecodedWasm};

const EXPORTS: [&str; 5] = [
    "describe",
    "validate",
    "derive",
    "publication-rules",
    "export",
];

fn main() {
    if let Err(e) = run() {
        eprintln!("gongkai-componentize: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, file] if flag == "--check" => {
            let bytes = std::fs::read(file).with_context(|| format!("reading {file}"))?;
            let summary = check(&bytes).with_context(|| format!("checking {file}"))?;
            println!("{file}: valid component, {} bytes\n{summary}", bytes.len());
            Ok(())
        }
        [core, out] => {
            let bytes = std::fs::read(core).with_context(|| format!("reading {core}"))?;
            let component = ComponentEncoder::default()
                .module(&bytes)
                .with_context(|| {
                    format!("{core}: not a module with an embedded gongkai:plugin world")
                })?
                .validate(true)
                .encode()
                .with_context(|| format!("encoding {core}"))?;
            check(&component)
                .with_context(|| format!("checking the component made from {core}"))?;
            let unchanged = std::fs::read(out)
                .map(|old| old == component)
                .unwrap_or(false);
            if !unchanged {
                if let Some(dir) = Path::new(out).parent() {
                    std::fs::create_dir_all(dir)?;
                }
                let tmp = format!("{out}.tmp");
                std::fs::write(&tmp, &component)?;
                std::fs::rename(&tmp, out)?;
            }
            println!(
                "{out}: {} bytes{}",
                component.len(),
                if unchanged { " (unchanged)" } else { "" }
            );
            Ok(())
        }
        _ => bail!("usage: gongkai-componentize CORE.wasm OUT.wasm | --check FILE.wasm"),
    }
}

/// Validates `bytes` as a component and returns a summary of its world.
fn check(bytes: &[u8]) -> Result<String> {
    if !wasmparser::Parser::is_component(bytes) {
        bail!("not a component (a core module? run it through gongkai-componentize first)");
    }
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
        .context("wasmparser validation failed")?;
    let DecodedWasm::Component(resolve, world) = wit_component::decode(bytes)? else {
        bail!("decoded a WIT package, not a component");
    };
    let w = &resolve.worlds[world];
    let mut out = String::new();
    let mut exports = Vec::new();
    for (key, item) in &w.imports {
        if matches!(item, wit_parser::WorldItem::Type { .. }) {
            continue; // types `use`d by the world, not something the host provides
        }
        let name = resolve.name_world_key(key);
        if !name.starts_with("gongkai:plugin/") {
            bail!("imports {name}: plugins may import only the host's gongkai:plugin interfaces");
        }
        out.push_str(&format!("  import {name}\n"));
    }
    for key in w.exports.keys() {
        let name = resolve.name_world_key(key);
        out.push_str(&format!("  export {name}\n"));
        exports.push(name);
    }
    for e in EXPORTS {
        if !exports.iter().any(|x| x == e) {
            bail!("missing export {e}");
        }
    }
    Ok(out.trim_end().to_string())
}
