//! The decision outputs of a run that does not keep its paths.
//!
//! Means, standard deviations, certainty equivalents, shares and the
//! pathwise comparison are exact: they are accumulated block by block in
//! path order ([`Moments`], [`UtilitySum`]), which is how the in-memory
//! summaries compute them too, so both modes give the same digits.
//! Percentiles, the expected shortfall and the company's percentiles come
//! from quantile sketches ([`QuantileSketch`]) with relative error
//! `relative_error`: each is within that fraction of an order statistic
//! next to the exact answer.

use super::outputs::{PathCounts, TaxSums};
use super::sketch::QuantileSketch;
use super::{
    CompanyOutputs, DifferencePercentiles, Moments, MultiplePercentiles, OutcomeShares, Outputs,
    Percentiles, Preferences, Summary, Tally, ThresholdShare, Totals, UtilitySum,
};
use crate::engine::{ExerciseCost, PathRecord, PathTaxes};
use crate::error::Error;
use crate::model::Model;
use crate::model::company::Outcome;
use crate::scenario::MAX_THRESHOLDS;

/// The four per-path values every run summarizes, in this order.
const VALUES: usize = 4;

/// Each path's offer total, alternative total, offer equity and
/// alternative equity, the totals as [`Totals`] computes them.
#[inline]
fn values(totals: &Totals, p: &PathRecord) -> [f64; VALUES] {
    let [offer, alternative] = totals.both(p);
    [offer, alternative, p.offer_equity, p.alternative_equity]
}

/// Sketches merged in any order (integer counts): one per worker.
#[derive(Debug, Clone)]
pub struct SketchSet {
    values: [QuantileSketch; VALUES],
    /// `X_offer - X_alternative`.
    difference: QuantileSketch,
    liquidity_time: QuantileSketch,
    exit_multiple: QuantileSketch,
}

impl SketchSet {
    fn new(relative_error: f64) -> SketchSet {
        let s = || QuantileSketch::new(relative_error);
        SketchSet {
            values: [s(), s(), s(), s()],
            difference: s(),
            liquidity_time: s(),
            exit_multiple: s(),
        }
    }

    /// The offer's totals.
    pub fn offer_total(&self) -> &QuantileSketch {
        &self.values[0]
    }

    /// The alternative's totals.
    pub fn alternative_total(&self) -> &QuantileSketch {
        &self.values[1]
    }

    fn merge(&mut self, other: &SketchSet) {
        for (a, b) in self.values.iter_mut().zip(&other.values) {
            a.merge(b);
        }
        self.difference.merge(&other.difference);
        self.liquidity_time.merge(&other.liquidity_time);
        self.exit_multiple.merge(&other.exit_multiple);
    }
}

/// What one chunk adds, combined in chunk order.
#[derive(Debug, Clone)]
pub struct ChunkOutputs {
    values: [Moments; VALUES],
    utility: [UtilitySum; VALUES],
    difference: Moments,
    beats: u64,
    /// What is counted on the records, as a kept run counts it.
    counts: PathCounts,
    cash_paid: f64,
    tender_proceeds: f64,
    taxes: TaxSums,
    /// Paths at or above each threshold: the offer's, the alternative's.
    at_or_above: [[u64; 2]; MAX_THRESHOLDS],
}

impl ChunkOutputs {
    /// Nothing seen yet; utilities summed at the scales of `utility`.
    fn empty(utility: [UtilitySum; VALUES]) -> ChunkOutputs {
        ChunkOutputs {
            values: [Moments::default(); VALUES],
            utility,
            difference: Moments::default(),
            beats: 0,
            counts: PathCounts::default(),
            cash_paid: 0.0,
            tender_proceeds: 0.0,
            taxes: TaxSums::default(),
            at_or_above: [[0; 2]; MAX_THRESHOLDS],
        }
    }
}

/// Accumulates a streamed run's outputs chunk by chunk.
#[derive(Debug, Clone)]
pub struct StreamedOutputs {
    model: Model,
    prefs: Preferences,
    thresholds: Vec<f64>,
    relative_error: f64,
    totals: ChunkOutputs,
}

impl StreamedOutputs {
    /// A run of `model` for a person with preferences `prefs`. `first_block` holds the records of the run's first
    /// chunk (paths `0..BLOCK`), from which the certainty equivalents take
    /// their scale, as the in-memory summaries do.
    pub fn new(
        model: &Model,
        prefs: Preferences,
        thresholds: &[f64],
        relative_error: f64,
        first_block: &[PathRecord],
    ) -> StreamedOutputs {
        let totals = Totals::new(model);
        let utility = std::array::from_fn(|k| {
            let first: Vec<f64> = first_block.iter().map(|p| values(&totals, p)[k]).collect();
            UtilitySum::new(prefs, UtilitySum::scale_for(prefs, &first))
        });
        StreamedOutputs {
            model: model.clone(),
            prefs,
            thresholds: thresholds.to_vec(),
            relative_error,
            totals: ChunkOutputs::empty(utility),
        }
    }

    /// A worker's empty sketches.
    pub fn new_worker(&self) -> SketchSet {
        SketchSet::new(self.relative_error)
    }

    /// Summarizes one chunk: its sketches into `worker`, the rest returned
    /// for [`StreamedOutputs::append`].
    pub fn chunk(
        &self,
        worker: &mut SketchSet,
        records: &[PathRecord],
        taxes: &[PathTaxes],
    ) -> ChunkOutputs {
        let n = records.len();
        let mut columns = vec![[0.0; VALUES]; n];
        let mut c = ChunkOutputs::empty(self.totals.utility);
        let path_totals = Totals::new(&self.model);
        for (i, (p, v)) in records.iter().zip(columns.iter_mut()).enumerate() {
            *v = values(&path_totals, p);
            for (s, x) in worker.values.iter_mut().zip(v.iter()) {
                s.add(*x);
            }
            if p.outcome.is_liquidity_event() {
                worker.liquidity_time.add(p.liquidity_time as f64);
                worker.exit_multiple.add(p.exit_multiple);
            }
            c.beats += u64::from(v[0] - v[1] > 0.0);
            c.counts.add(p, self.model.window_years);
            if p.exercised_on_departure() {
                c.cash_paid += ExerciseCost::of(&self.model, p).at_grant(self.model.offer.grant);
            }
            if let Some(t) = taxes.get(i) {
                if p.exercised_on_departure() {
                    c.cash_paid += f64::from(t.offer_at_exercise);
                }
                c.taxes.add(&self.model, &path_totals, p, t);
            }
            c.tender_proceeds += p.tender_proceeds;
            worker.difference.add(v[0] - v[1]);
            for (count, &amount) in c.at_or_above.iter_mut().zip(&self.thresholds) {
                count[0] += u64::from(v[0] >= amount);
                count[1] += u64::from(v[1] >= amount);
            }
        }
        let mut block = vec![0.0; n];
        for k in 0..VALUES {
            for (b, v) in block.iter_mut().zip(&columns) {
                *b = v[k];
            }
            c.values[k] = Moments::of_block(&block);
            c.utility[k] = self.totals.utility[k].of_block(&block);
        }
        for (b, v) in block.iter_mut().zip(&columns) {
            *b = v[0] - v[1];
        }
        c.difference = Moments::of_block(&block);
        c
    }

    /// Adds the chunk that follows the ones added so far.
    pub fn append(&mut self, c: ChunkOutputs) {
        let t = &mut self.totals;
        for k in 0..VALUES {
            t.values[k].append(&c.values[k]);
            t.utility[k].append(&c.utility[k]);
        }
        t.difference.append(&c.difference);
        t.beats += c.beats;
        t.counts.append(&c.counts);
        t.cash_paid += c.cash_paid;
        t.taxes.append(&c.taxes);
        t.tender_proceeds += c.tender_proceeds;
        for (a, b) in t.at_or_above.iter_mut().zip(c.at_or_above) {
            a[0] += b[0];
            a[1] += b[1];
        }
    }

    /// The outputs, once every chunk is in, from the workers' sketches.
    pub fn finish(
        self,
        workers: &[SketchSet],
        labels: (&str, &str),
    ) -> Result<(Outputs, StreamingNote, SketchSet), Error> {
        let mut sketches = SketchSet::new(self.relative_error);
        for w in workers {
            sketches.merge(w);
        }
        let t = &self.totals;
        let n = t.values[0].count() as f64;
        let summary = |k: usize| {
            let m = &t.values[k];
            let s = &sketches.values[k];
            let ce = if self.prefs.is_risk_neutral() {
                Some(m.mean())
            } else {
                t.utility[k].certainty_equivalent()
            };
            Summary {
                mean: m.mean(),
                std_error: m.sd() / n.sqrt(),
                sd: m.sd(),
                percentiles: Percentiles::from_fn(|p| s.quantile(p as f64 / 100.0)),
                expected_shortfall_10: s.lower_tail_mean(0.10),
                certainty_equivalent: ce,
            }
        };
        let summaries: [Summary; VALUES] = std::array::from_fn(summary);
        let [offer_total, alt_total, offer_equity, alt_equity] = summaries;
        let worst = [t.values[0].min(), t.values[1].min()];
        let model = &self.model;
        let count = |o: Outcome| t.counts.outcomes[o as usize] as f64 / n;
        let liquid = sketches.liquidity_time.count() > 0;
        let m = &sketches.exit_multiple;
        let company = CompanyOutputs {
            outcomes: OutcomeShares {
                ipo: count(Outcome::Ipo),
                acquisition: count(Outcome::Acquisition),
                failure: count(Outcome::Failure),
                private: count(Outcome::Private),
            },
            median_time_to_liquidity: liquid.then(|| sketches.liquidity_time.quantile(0.5)),
            exit_multiple_percentiles: liquid.then(|| MultiplePercentiles {
                p5: m.quantile(0.05),
                p25: m.quantile(0.25),
                p50: m.quantile(0.50),
                p75: m.quantile(0.75),
                p95: m.quantile(0.95),
            }),
            tenders: None,
        };
        let mut outputs = Outputs::assemble(
            model,
            self.prefs,
            labels,
            Tally {
                paths: t.values[0].count(),
                offer_total,
                alternative_total: alt_total,
                offer_equity,
                alternative_equity: alt_equity,
                worst_totals: (worst[0], worst[1]),
                difference: t.difference,
                beats: t.beats,
                equity_pays_zero: t.counts.equity_pays_zero,
                equity_loses: t.counts.equity_loses,
                equity_no_gain: t.counts.equity_no_gain,
                leavers: t.counts.leavers,
                exercised: t.counts.exercised,
                cash_paid: t.cash_paid,
                taxes: self.model.tax.map(|_| t.taxes),
                tender_sales: t.counts.tender_sales,
                tender_proceeds: t.tender_proceeds,
                difference_percentiles: DifferencePercentiles {
                    p10: sketches.difference.quantile(0.10),
                    p50: sketches.difference.quantile(0.50),
                    p90: sketches.difference.quantile(0.90),
                },
                company,
            },
        )?;
        outputs.thresholds = self
            .thresholds
            .iter()
            .zip(&t.at_or_above)
            .map(|(&amount, count)| ThresholdShare {
                amount,
                p_offer: count[0] as f64 / n,
                p_alternative: count[1] as f64 / n,
            })
            .collect();
        Ok((
            outputs,
            StreamingNote {
                quantile_relative_error: self.relative_error,
            },
            sketches,
        ))
    }
}

/// How a streamed run's figures were obtained, for the report.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct StreamingNote {
    /// Percentiles, expected shortfalls and the company's percentiles are
    /// within this relative error of an order statistic next to the exact
    /// value (quantile sketch); every other figure is exact.
    pub quantile_relative_error: f64,
}
