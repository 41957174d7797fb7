//! The system allocator, but every block is wiped before it is given back or moved.
//!
//! A password typed in the window is copied where this crate cannot reach: egui's undo history
//! of the field (a `String` per undo point), the `String` growing as it is typed (each larger
//! buffer leaves the smaller one behind), layout and accessibility text when it is revealed,
//! the demo server's parsed request. Those copies are freed in time, but free memory keeps its
//! bytes until reused, and `/proc/PID/mem` (or a core dump) still shows them. Wiping on free
//! makes "dropped" mean "gone" for every one of them at once. The cost is a `memset` per free,
//! well under the noise of a frame (see the README's Speed section).

use std::alloc::{GlobalAlloc, Layout, System};

/// Installed in `main.rs` as the `#[global_allocator]`.
pub struct WipingAllocator;

/// Zeroes `len` bytes at `ptr` so that the stores survive optimisation, although the memory is
/// freed right after (a plain `write_bytes` before `free` is a dead store LLVM may remove).
#[allow(unsafe_code)]
unsafe fn wipe(ptr: *mut u8, len: usize) {
    // SAFETY: the caller owns `len` writable bytes at `ptr` (a live block of that size).
    unsafe { std::ptr::write_bytes(ptr, 0, len) };
    // The optimiser must assume the wiped bytes are read here.
    std::hint::black_box(ptr);
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

// SAFETY: every method forwards to `System` with the same layouts `System` handed out; the only
// addition is wiping a block this allocator still owns, before it is freed.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for WipingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc`, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is a live block of `layout.size()` bytes, ours until `dealloc` returns.
        unsafe {
            wipe(ptr, layout.size());
            System.dealloc(ptr, layout);
        }
    }

    /// A new block, the contents copied, the old one wiped and freed: `System.realloc` may move
    /// the block and free the old one unwiped.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `new_size` with `layout`'s alignment is a valid layout (the caller's contract
        // for `realloc`); both blocks are live and distinct while the smaller size is copied.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = System.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(unsafe_code)]
    fn blocks_keep_their_contents_when_moved() {
        let a = WipingAllocator;
        let layout = Layout::from_size_align(16, 8).expect("layout");
        // SAFETY: a block allocated here, used within its size, freed once.
        unsafe {
            let p = a.alloc(layout);
            assert!(!p.is_null());
            std::ptr::copy_nonoverlapping(b"0123456789abcdef".as_ptr(), p, 16);
            let q = a.realloc(p, layout, 4096);
            assert!(!q.is_null());
            assert_eq!(std::slice::from_raw_parts(q, 16), b"0123456789abcdef");
            let r = a.realloc(q, Layout::from_size_align(4096, 8).expect("layout"), 8);
            assert_eq!(std::slice::from_raw_parts(r, 8), b"01234567");
            a.dealloc(r, Layout::from_size_align(8, 8).expect("layout"));
        }
    }
}
