//! Memory for the per-path records of a kept run, and for the per-path
//! buffers the summaries and floors fill after it.

/// Asks the allocator to keep the memory of freed per-path buffers for the
/// ones allocated next, instead of returning it to the system at once.
///
/// After the simulation, the summaries and the floors fill one buffer of
/// per-path values after another (totals, lines, differences, scaled
/// wealth). glibc serves a buffer above its mmap threshold (128 KiB, raised
/// to the size of the last one freed) with fresh pages and unmaps it when
/// freed, so each new buffer faults in, and the kernel clears, every page
/// again: on a 2-million-path `run` of `hf-paris-ask.toml`, 41,000 page
/// faults in the floors alone. With buffers of up to 32 MiB (glibc's most)
/// kept in the heap, and the heap trimmed only above 256 MiB free, the
/// floors reuse the summaries' pages: half their faults, that run about 5%
/// and a sweep about 9% faster, for 8 to 15% more peak resident memory.
/// Larger buffers (runs of more than 4 million paths) are mapped as
/// before.
///
/// Call once, before any thread allocates; it changes no result. Only
/// glibc takes the advice; elsewhere this does nothing.
pub fn keep_freed_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets two of the allocator's thresholds; both
    // values are within the ranges glibc accepts, and a refusal (0) leaves
    // the defaults, which are as correct.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

/// An empty vector with room for `n` values, backed by transparent huge
/// pages where the kernel gives them on request (Linux with
/// `transparent_hugepage` set to `madvise`, a common default).
///
/// A kept run writes every record once, so with 4 KiB pages it takes one
/// page fault per 85 records (47,000 for four million paths), and the
/// records spread over as many TLB entries. With 2 MiB pages the same run
/// takes about 1,000 faults and simulates about 5% faster. The advice
/// changes no byte of the memory: a kernel that refuses it leaves the
/// ordinary pages.
pub fn with_huge_pages<T>(n: usize) -> Vec<T> {
    let values: Vec<T> = Vec::with_capacity(n);
    #[cfg(target_os = "linux")]
    advise_huge_pages(
        values.as_ptr() as usize,
        n.saturating_mul(std::mem::size_of::<T>()),
    );
    values
}

/// `n` zeros, in pages the kernel may back by transparent huge pages
/// (see [`with_huge_pages`]): for the per-path buffers the summaries and
/// floors fill after the simulation. Fresh 4 KiB pages fault in one at a
/// time as a buffer is first written, about 2 µs each on a virtual
/// machine: 4,096 faults for a 16 MB buffer, against 8 in 2 MiB pages.
///
/// The zeros come from the allocator as zeroed memory, so fresh pages are
/// still only committed when first written (by whichever thread writes
/// them); the advice only covers pages not yet touched.
pub fn zeroed_with_huge_pages(n: usize) -> Vec<f64> {
    let values = vec![0.0; n];
    #[cfg(target_os = "linux")]
    advise_huge_pages(
        values.as_ptr() as usize,
        n.saturating_mul(std::mem::size_of::<f64>()),
    );
    values
}

/// Transparent huge pages are 2 MiB on x86-64 and on arm64 with 4 KiB
/// base pages; elsewhere the advice covers fewer, or no, whole pages.
#[cfg(any(target_os = "linux", test))]
const HUGE_PAGE: usize = 2 << 20;

/// The whole huge pages inside `start..start + bytes`: only those can be
/// backed by one, and advice must stay inside the allocation.
#[cfg(any(target_os = "linux", test))]
fn whole_huge_pages(start: usize, bytes: usize) -> Option<std::ops::Range<usize>> {
    let begin = start.checked_next_multiple_of(HUGE_PAGE)?;
    let end = start.checked_add(bytes)? / HUGE_PAGE * HUGE_PAGE;
    (begin < end).then_some(begin..end)
}

#[cfg(target_os = "linux")]
fn advise_huge_pages(start: usize, bytes: usize) {
    if let Some(pages) = whole_huge_pages(start, bytes) {
        // SAFETY: `pages` lies inside a live allocation of this process
        // (`whole_huge_pages`), and MADV_HUGEPAGE only changes how the
        // kernel backs it, never its contents; a refusal is harmless and
        // ignored.
        unsafe {
            libc::madvise(
                pages.start as *mut libc::c_void,
                pages.len(),
                libc::MADV_HUGEPAGE,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_huge_pages_inside_the_allocation_are_advised() {
        const MIB: usize = 1 << 20;
        // Starting mid-page: the first whole page begins at the next 2 MiB.
        assert_eq!(whole_huge_pages(3 * MIB, 6 * MIB), Some(4 * MIB..8 * MIB));
        // Aligned at both ends: every page.
        assert_eq!(whole_huge_pages(2 * MIB, 4 * MIB), Some(2 * MIB..6 * MIB));
        // One byte short of a whole page at the end: that page is left out.
        assert_eq!(
            whole_huge_pages(2 * MIB, 4 * MIB - 1),
            Some(2 * MIB..4 * MIB)
        );
        // Less than a whole page, or none at all.
        assert_eq!(whole_huge_pages(MIB, 2 * MIB), None);
        assert_eq!(whole_huge_pages(8, 0), None);
        // Near the top of the address space: no overflow.
        assert_eq!(whole_huge_pages(usize::MAX - 10, 100), None);
    }

    #[test]
    fn the_vector_is_empty_with_room_for_every_value() {
        let v: Vec<u64> = with_huge_pages(3 << 20);
        assert!(v.is_empty());
        assert!(v.capacity() >= 3 << 20);
        let none: Vec<u64> = with_huge_pages(0);
        assert!(none.is_empty());
    }
}
