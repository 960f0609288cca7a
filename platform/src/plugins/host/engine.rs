//! The wasmtime engine: component model, pooling allocator, epoch interruption and
//! fuel, shared by every host in the process with the same pool settings (in
//! production: exactly one), and one thread that ticks every engine's epoch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use super::error::HostError;
use super::limits::Limits;

/// Bytes of each pooled linear memory and table kept mapped between calls.
const KEEP_RESIDENT_MEMORY: usize = 4 << 20;
const KEEP_RESIDENT_TABLE: usize = 64 << 10;

/// How often the epoch advances; deadlines are counted in these ticks.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// An engine and the semaphore guarding its instance pool (shared with it).
pub(super) type Shared = (Engine, Arc<tokio::sync::Semaphore>);

/// The engine for these limits' pool settings, made on first use.
pub(super) fn shared_engine(limits: &Limits) -> Result<Shared, HostError> {
    static ENGINES: OnceLock<Mutex<HashMap<(usize, u32), Shared>>> = OnceLock::new();
    let engines = ENGINES.get_or_init(|| {
        std::thread::Builder::new()
            .name("plugin-epoch".into())
            .spawn(|| loop {
                std::thread::sleep(EPOCH_TICK);
                let Some(Ok(engines)) = ENGINES.get().map(Mutex::lock) else {
                    continue;
                };
                for (engine, _) in engines.values() {
                    engine.increment_epoch();
                }
            })
            .expect("the epoch thread starts");
        Mutex::new(HashMap::new())
    });
    let mut engines = engines
        .lock()
        .map_err(|_| HostError::Poisoned("engine registry"))?;
    let key = (limits.memory_bytes, limits.pool_instances);
    if let Some(shared) = engines.get(&key) {
        return Ok(shared.clone());
    }
    let pool = limits.pool_instances.max(1);
    let mut pooling = PoolingAllocationConfig::default();
    pooling
        .total_component_instances(pool)
        .max_core_instances_per_component(16)
        .total_core_instances(pool * 8)
        .max_memories_per_component(2)
        .max_memories_per_module(1)
        .total_memories(pool * 2)
        .max_tables_per_component(8)
        .total_tables(pool * 8)
        // The store's limiter enforces the cap; the slot is a little larger so that
        // the limiter, not the pool, is what says no (and the error says why).
        .max_memory_size(limits.memory_bytes.saturating_add(1 << 20))
        // A slot's dirty pages up to these sizes are reset in place (the kernel's
        // PAGEMAP_SCAN finds them) instead of unmapped with madvise, which costs a
        // TLB flush on every core and a page fault per page on the next call.
        .linear_memory_keep_resident(KEEP_RESIDENT_MEMORY)
        .table_keep_resident(KEEP_RESIDENT_TABLE)
        // Linux ≥ 6.7: reset only the pages a call wrote, not all of the above.
        .pagemap_scan(Enabled::Auto);
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        .epoch_interruption(true)
        .consume_fuel(true)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
    let engine = Engine::new(&config).map_err(HostError::Engine)?;
    let slots = Arc::new(tokio::sync::Semaphore::new(pool as usize));
    engines.insert(key, (engine.clone(), slots.clone()));
    Ok((engine, slots))
}
