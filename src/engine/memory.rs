//! Memory for the per-path records of a kept run, and for the per-path
//! buffers the summaries and floors fill after it.
//!
//! Plain 4 KiB pages, never transparent huge pages. Huge pages take fewer
//! faults and TLB entries, and measured back to back they made a 2M-path
//! `run` about 2% and a 13-value sweep about 5% faster. But a command is
//! run the way a user runs it, seconds after the last one, and on a
//! virtual machine whose balloon driver reports free memory to the host
//! (Linux's free page reporting, which reports free blocks of 2 MiB and
//! more a couple of seconds after they are freed) the host has taken those
//! blocks back: a huge page first touched then costs the host's faults on
//! top of the guest's. Plain pages come mostly from smaller free blocks
//! the host still backs. A 2M-path `run` of `hf-paris-ask.toml` started 12
//! s or more after the last command took 0.70 to 0.74 s (0.4 s of system
//! time) with huge pages against 0.57 to 0.61 s without; `floor` 0.60 s
//! against 0.51 s.

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
