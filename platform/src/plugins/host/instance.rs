//! One plugin, whichever contract it implements: the pre-instantiated component
//! ([`Pre`]) and a live instance ([`Instance`]) of either version, answering in the
//! host's current types (those of `v0_2`). A 0.1 plugin has no actions: asked for one,
//! it answers `unknown-action` without being called.

use wasmtime::component::Component;
use wasmtime::{Engine, Store};

use super::store::HostState;
use super::v0_2::wit;
use super::{v0_1, v0_2};

/// A contract version the host runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contract {
    V0_1,
    V0_2,
}

impl Contract {
    /// Every contract this host supports, oldest first.
    pub const ALL: [Contract; 2] = [Contract::V0_1, Contract::V0_2];

    /// The WIT package, `gongkai:plugin@X.Y.Z`.
    pub fn package(self) -> &'static str {
        match self {
            Contract::V0_1 => v0_1::CONTRACT,
            Contract::V0_2 => v0_2::CONTRACT,
        }
    }

    /// The contract a component implements, read from the versions of the
    /// `gongkai:plugin/*` interfaces it imports; a component that imports none of
    /// them is 0.2 when it exports `action`, else 0.1. Err names what it imports
    /// when that is no version (or more than one) this host runs.
    pub fn of(engine: &Engine, component: &Component) -> Result<Contract, String> {
        let ty = component.component_type();
        let mut versions: Vec<&str> = ty
            .imports(engine)
            .filter_map(|(name, _)| name.strip_prefix("gongkai:plugin/"))
            .filter_map(|rest| rest.split_once('@').map(|(_, v)| v))
            .collect();
        versions.sort_unstable();
        versions.dedup();
        let supported = || {
            Contract::ALL
                .iter()
                .map(|c| c.package())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match versions.as_slice() {
            [] if ty.exports(engine).any(|(name, _)| name == "action") => Ok(Contract::V0_2),
            [] => Ok(Contract::V0_1),
            ["0.1.0"] => Ok(Contract::V0_1),
            ["0.2.0"] => Ok(Contract::V0_2),
            [one] => Err(format!(
                "it implements gongkai:plugin@{one}; this host runs {}",
                supported()
            )),
            many => Err(format!(
                "it imports several contract versions ({}); a plugin implements one",
                many.join(", ")
            )),
        }
    }
}

/// A linked component of either contract, ready to instantiate.
#[derive(Clone)]
pub(super) enum Pre {
    V0_1(v0_1::PluginPre<HostState>),
    V0_2(v0_2::PluginPre<HostState>),
}

/// A live instance of either contract.
pub(super) enum Instance {
    V0_1(v0_1::Plugin),
    V0_2(v0_2::Plugin),
}

/// A call's answer: the outer error is a trap, the inner the plugin's own refusal.
type Answer<T> = wasmtime::Result<Result<T, wit::PluginError>>;

impl Pre {
    pub(super) fn contract(&self) -> Contract {
        match self {
            Pre::V0_1(_) => Contract::V0_1,
            Pre::V0_2(_) => Contract::V0_2,
        }
    }

    pub(super) fn instantiate(&self, store: &mut Store<HostState>) -> wasmtime::Result<Instance> {
        Ok(match self {
            Pre::V0_1(pre) => Instance::V0_1(pre.instantiate(store)?),
            Pre::V0_2(pre) => Instance::V0_2(pre.instantiate(store)?),
        })
    }
}

impl Instance {
    pub(super) fn describe(
        &self,
        store: &mut Store<HostState>,
    ) -> wasmtime::Result<wit::PluginInfo> {
        Ok(match self {
            Instance::V0_1(p) => v0_1::plugin_info(p.call_describe(store)?),
            Instance::V0_2(p) => p.call_describe(store)?,
        })
    }

    pub(super) fn validate(
        &self,
        store: &mut Store<HostState>,
        kind: &str,
        fields: &String,
        ctx: &wit::Context,
    ) -> Answer<Vec<wit::Problem>> {
        Ok(match self {
            Instance::V0_1(p) => p
                .call_validate(store, kind, fields, &v0_1::context(ctx))?
                .map(|ps| ps.into_iter().map(v0_1::problem).collect())
                .map_err(v0_1::plugin_error),
            Instance::V0_2(p) => p.call_validate(store, kind, fields, ctx)?,
        })
    }

    /// `validate-related` (0.2): a 0.1 plugin has nothing to say about related items.
    pub(super) fn validate_related(
        &self,
        store: &mut Store<HostState>,
        kind: &str,
        fields: &String,
        related: &[wit::ExportItem],
        ctx: &wit::Context,
    ) -> Answer<Vec<wit::Problem>> {
        Ok(match self {
            Instance::V0_1(_) => Ok(Vec::new()),
            Instance::V0_2(p) => p.call_validate_related(store, kind, fields, related, ctx)?,
        })
    }

    pub(super) fn derive(
        &self,
        store: &mut Store<HostState>,
        kind: &str,
        fields: &String,
        ctx: &wit::Context,
    ) -> Answer<String> {
        Ok(match self {
            Instance::V0_1(p) => p
                .call_derive(store, kind, fields, &v0_1::context(ctx))?
                .map_err(v0_1::plugin_error),
            Instance::V0_2(p) => p.call_derive(store, kind, fields, ctx)?,
        })
    }

    pub(super) fn publication_rules(
        &self,
        store: &mut Store<HostState>,
        kind: &str,
        fields: &String,
        ctx: &wit::Context,
    ) -> Answer<wit::PublicationRules> {
        Ok(match self {
            Instance::V0_1(p) => p
                .call_publication_rules(store, kind, fields, &v0_1::context(ctx))?
                .map(v0_1::publication_rules)
                .map_err(v0_1::plugin_error),
            Instance::V0_2(p) => p.call_publication_rules(store, kind, fields, ctx)?,
        })
    }

    pub(super) fn export(
        &self,
        store: &mut Store<HostState>,
        format: &str,
        items: &[wit::ExportItem],
    ) -> Answer<wit::ExportOutput> {
        Ok(match self {
            Instance::V0_1(p) => {
                let items: Vec<_> = items.iter().map(v0_1::export_item).collect();
                p.call_export(store, format, &items)?
                    .map(v0_1::export_output)
                    .map_err(v0_1::plugin_error)
            }
            Instance::V0_2(p) => p.call_export(store, format, items)?,
        })
    }

    /// One part of a streamed export (0.2 plugins; a 0.1 plugin declares no streamed
    /// format, so the host never asks one).
    pub(super) fn export_part(
        &self,
        store: &mut Store<HostState>,
        format: &str,
        items: &[wit::ExportItem],
        part: &wit::ExportPart,
    ) -> Answer<wit::ExportPiece> {
        Ok(match self {
            Instance::V0_1(_) => Err(wit::PluginError::UnknownFormat(format.to_string())),
            Instance::V0_2(p) => p.call_export_part(store, format, items, part)?,
        })
    }

    pub(super) fn action(
        &self,
        store: &mut Store<HostState>,
        name: &str,
        input: &str,
        ctx: &wit::Context,
    ) -> Answer<String> {
        Ok(match self {
            Instance::V0_1(_) => Err(wit::PluginError::UnknownAction(name.to_string())),
            Instance::V0_2(p) => p.call_action(store, name, input, ctx)?,
        })
    }
}
