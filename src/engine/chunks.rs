//! Simulating without keeping the paths: each chunk of [`CHUNK_PATHS`] is
//! simulated into a scratch buffer, summarized, and dropped.
//!
//! Two kinds of summary come out of a chunk. What must be combined in path
//! order to stay bit-identical across thread counts (floating-point sums)
//! is returned per chunk and handed to the caller in chunk order. What can
//! be combined in any order (integer counts, such as a quantile sketch's
//! bins) goes into a worker's accumulator: there are as many of those as
//! chunks ever ran at once, and the caller merges them at the end.
//!
//! Chunks run in batches of [`BATCH_CHUNKS`], so at most one batch of
//! per-chunk summaries is held at a time: memory is bounded whatever the
//! number of paths.

use super::{CHUNK_PATHS, PathRecord, PathTaxes, Plans, RunOptions};
use crate::error::Error;
use rayon::prelude::*;
use std::sync::Mutex;

/// Chunks simulated between two hand-overs of per-chunk summaries.
pub const BATCH_CHUNKS: u64 = 256;

/// Simulates paths `0..paths` of `plans` chunk by chunk.
///
/// `summarize(worker, first_path, records, taxes)` is called once per chunk
/// with a worker accumulator (made by `new_worker` when none is free) and
/// returns the chunk's ordered summary; `ordered` receives those in chunk
/// order. `taxes` holds each path's taxes when the scenario has a `[tax]`
/// table, and is empty otherwise.
/// Returns the worker accumulators, to be merged in any order.
pub fn stream_chunks<W, C>(
    plans: &Plans,
    paths: u64,
    options: &RunOptions,
    new_worker: impl Fn() -> W + Sync,
    summarize: impl Fn(&mut W, u64, &[PathRecord], &[PathTaxes]) -> C + Sync,
    mut ordered: impl FnMut(C) + Send,
) -> Result<Vec<W>, Error>
where
    W: Send,
    C: Send,
{
    let chunks = paths.div_ceil(CHUNK_PATHS as u64);
    type Buffers = (Vec<PathRecord>, Vec<PathTaxes>);
    let taxed = plans.own.model.tax.is_some();
    let pool: Mutex<Vec<(W, Buffers)>> = Mutex::new(Vec::new());
    let run_chunk = |chunk: u64| -> C {
        let taken = pool.lock().map(|mut p| p.pop()).unwrap_or(None);
        let (mut worker, (mut buffer, mut taxes)) = taken.unwrap_or_else(|| {
            let taxes = vec![PathTaxes::default(); if taxed { CHUNK_PATHS } else { 0 }];
            (
                new_worker(),
                (vec![PathRecord::default(); CHUNK_PATHS], taxes),
            )
        });
        let first = chunk * CHUNK_PATHS as u64;
        let n = (paths - first).min(CHUNK_PATHS as u64) as usize;
        let plan = plans.of_chunk(chunk);
        if taxed {
            for (i, (record, tax)) in buffer[..n].iter_mut().zip(&mut taxes[..n]).enumerate() {
                (*record, *tax) = plan.simulate_with_taxes(first + i as u64);
            }
        } else {
            for (i, record) in buffer[..n].iter_mut().enumerate() {
                *record = plan.simulate(first + i as u64);
            }
        }
        let summary = summarize(
            &mut worker,
            first,
            &buffer[..n],
            &taxes[..n.min(taxes.len())],
        );
        if let Ok(mut p) = pool.lock() {
            p.push((worker, (buffer, taxes)));
        }
        if let Some(progress) = &options.observer {
            progress.advance(n as u64);
        }
        summary
    };
    let mut work = || {
        let mut start = 0;
        while start < chunks {
            let end = (start + BATCH_CHUNKS).min(chunks);
            let batch: Vec<C> = (start..end).into_par_iter().map(run_chunk).collect();
            batch.into_iter().for_each(&mut ordered);
            start = end;
        }
    };
    match options.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::ThreadPool {
                threads: n,
                message: e.to_string(),
            })?
            .install(work),
        None => work(),
    }
    let workers = pool.into_inner().map_err(|_| Error::WorkerFailed)?;
    Ok(workers.into_iter().map(|(w, _)| w).collect())
}
