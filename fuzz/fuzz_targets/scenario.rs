//! Arbitrary bytes as a scenario, through every step of `pipeline.rs`:
//! nothing may panic, and a run that succeeds reports only finite numbers.

#![no_main]

#[path = "../pipeline.rs"]
mod pipeline;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pipeline::run(data);
});
