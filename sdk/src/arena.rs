//! The allocator of plugin instances: a bump arena in static memory.
//!
//! The host runs every call in a fresh instance and throws it away afterwards,
//! so nothing needs to be freed: an allocation is a pointer bump, and since the
//! arena lies in the module's initial memory a call never grows its memory
//! (each `memory.grow` costs the host an `mprotect`, and undoing it before the
//! next call another one with a TLB flush on every core). What no longer fits
//! goes to the standard allocator. Registered on wasm32 by the component glue.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, UnsafeCell};

/// `N` bytes handed out front to back; freeing is a no-op inside the arena.
pub struct Arena<const N: usize> {
    bytes: UnsafeCell<[u8; N]>,
    used: Cell<usize>,
}

// SAFETY: a plugin instance is single-threaded (the contract has no threads),
// so the arena is never touched from two threads. Native builds do not need it.
#[cfg(target_arch = "wasm32")]
unsafe impl<const N: usize> Sync for Arena<N> {}

impl<const N: usize> Arena<N> {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Arena {
            bytes: UnsafeCell::new([0; N]),
            used: Cell::new(0),
        }
    }

    fn start(&self) -> usize {
        self.bytes.get() as usize
    }

    fn contains(&self, ptr: *mut u8) -> bool {
        (self.start()..self.start() + N).contains(&(ptr as usize))
    }

    /// The next block of the arena, or `None` when it does not fit.
    fn bump(&self, layout: Layout) -> Option<*mut u8> {
        let start = self.start();
        let from = (start + self.used.get()).checked_next_multiple_of(layout.align())?;
        let end = from.checked_add(layout.size())?;
        if end > start + N {
            return None;
        }
        self.used.set(end - start);
        Some(from as *mut u8)
    }

    /// Grows or shrinks the newest block where it lies (a growing `Vec` or `String`).
    fn resize_last(&self, ptr: *mut u8, old_size: usize, new_size: usize) -> bool {
        let start = self.start();
        let is_last = ptr as usize + old_size == start + self.used.get();
        match (ptr as usize).checked_add(new_size) {
            Some(end) if is_last && end <= start + N => {
                self.used.set(end - start);
                true
            }
            _ => false,
        }
    }
}

unsafe impl<const N: usize> GlobalAlloc for Arena<N> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match self.bump(layout) {
            Some(ptr) => ptr,
            // SAFETY: the caller's contract for `layout` is passed on.
            None => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !self.contains(ptr) {
            // SAFETY: a pointer outside the arena came from `System` with this layout.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !self.contains(ptr) {
            // SAFETY: as in `dealloc`.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        if self.resize_last(ptr, layout.size(), new_size) || new_size <= layout.size() {
            return ptr;
        }
        // SAFETY: `realloc`'s contract makes this a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: a nonzero size, as `realloc` requires of the caller.
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are live and at least `layout.size()` long.
            unsafe { std::ptr::copy_nonoverlapping(ptr, new, layout.size()) };
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn bumps_aligned_blocks_front_to_back() {
        let arena = Arena::<256>::new();
        unsafe {
            let a = arena.alloc(layout(3, 1));
            let b = arena.alloc(layout(8, 8));
            assert!(arena.contains(a) && arena.contains(b));
            assert_eq!(b as usize % 8, 0);
            assert!(b as usize >= a as usize + 3);
            arena.dealloc(a, layout(3, 1));
            // Freed blocks are not reused: the instance ends soon.
            let c = arena.alloc(layout(1, 1));
            assert_eq!(c as usize, b as usize + 8);
        }
    }

    #[test]
    fn the_newest_block_grows_in_place_others_move() {
        let arena = Arena::<256>::new();
        unsafe {
            let a = arena.alloc(layout(16, 1));
            a.write_bytes(7, 16);
            assert_eq!(arena.realloc(a, layout(16, 1), 64), a);
            let b = arena.alloc(layout(4, 1));
            let moved = arena.realloc(a, layout(64, 1), 100);
            assert_ne!(moved, a);
            assert!(arena.contains(moved) && moved as usize > b as usize);
            assert_eq!(*moved.add(15), 7);
            // Shrinking never moves.
            assert_eq!(arena.realloc(moved, layout(100, 1), 10), moved);
        }
    }

    #[test]
    fn what_does_not_fit_goes_to_the_system_allocator() {
        let arena = Arena::<64>::new();
        unsafe {
            let big = arena.alloc(layout(100, 8));
            assert!(!big.is_null() && !arena.contains(big));
            big.write_bytes(1, 100);
            let bigger = arena.realloc(big, layout(100, 8), 1000);
            assert!(!arena.contains(bigger));
            assert_eq!(*bigger.add(99), 1);
            arena.dealloc(bigger, layout(1000, 8));
            // An arena block that outgrows the arena moves out with its bytes.
            let small = arena.alloc(layout(32, 1));
            small.write_bytes(9, 32);
            let _other = arena.alloc(layout(8, 1));
            let out = arena.realloc(small, layout(32, 1), 500);
            assert!(!arena.contains(out));
            assert_eq!(*out.add(31), 9);
            arena.dealloc(out, layout(500, 1));
        }
    }
}
