//! The decision outputs of one run: both offers' value distributions, the
//! pathwise comparison and the company's outcomes.

use super::{
    BLOCK, Moments, Preferences, Summary, Totals, neumaier_sum, quantile_select, quantiles_select,
};
use crate::engine::{ExerciseCost, PathRecord, Simulation};
use crate::error::Error;
use crate::model::Model;
use crate::model::company::Outcome;
use crate::scenario::Scenario;
use rayon::prelude::*;
use serde::Serialize;

/// One offer's value, in total and its equity part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferOutputs {
    pub label: String,
    /// PV of everything over the window: cash pay + equity − exercise costs.
    pub total: Summary,
    /// PV of the equity alone (after illiquidity, less exercise costs).
    pub equity: Summary,
    /// The private equity's three shares of paths (private offer only),
    /// named the same in the table, the JSON, the floor text and the charts.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub equity_shares: Option<EquityShares>,
    /// Options exercised on leaving (private options only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise_on_leaving: Option<ExerciseOnLeaving>,
    /// base + grant / vesting years, the way offers are quoted.
    pub paper_value_per_year: f64,
    /// Mean total PV divided by the window's years.
    pub expected_value_per_year: f64,
}

impl OfferOutputs {
    /// One offer's outputs over a window of `window` years.
    pub fn new(
        label: &str,
        total: Summary,
        equity: Summary,
        equity_shares: Option<EquityShares>,
        paper_value_per_year: f64,
        window: f64,
    ) -> OfferOutputs {
        OfferOutputs {
            label: label.to_string(),
            expected_value_per_year: total.mean / window,
            total,
            equity,
            equity_shares,
            exercise_on_leaving: None,
            paper_value_per_year,
        }
    }
}

/// The private equity's outcomes as shares of paths (model v2 §10).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EquityShares {
    /// P(pays nothing): the proceeds after illiquidity, before exercise
    /// costs, are exactly 0.
    pub p_equity_pays_nothing: f64,
    /// P(loses money): the equity part is below 0 (a strike paid and not
    /// earned back).
    pub p_equity_loses_money: f64,
    /// P(no gain): the equity part is at most 0.
    pub p_equity_no_gain: f64,
}

/// What leavers did with their options when the exercise window closed
/// before the exit (private options only).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExerciseOnLeaving {
    /// Of the paths on which the person leaves before the window ends, the
    /// share that paid to exercise.
    pub p_leavers_exercised: f64,
    /// The mean PV of the cash they paid (absent when nobody did, and with
    /// tender offers, where the strike paid depends on what was sold before
    /// leaving and is not kept per path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_cash_paid: Option<f64>,
}

/// The offers compared path by path, on common random numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub p_offer_beats_alternative: f64,
    /// Mean of `X_offer − X_alternative`.
    pub mean_difference: f64,
    pub mean_difference_std_error: f64,
    /// Percentiles 10, 50 and 90 of `X_offer − X_alternative`.
    pub difference_percentiles: DifferencePercentiles,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DifferencePercentiles {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeShares {
    pub ipo: f64,
    pub acquisition: f64,
    pub failure: f64,
    pub private: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultiplePercentiles {
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyOutputs {
    pub outcomes: OutcomeShares,
    /// Median `τ` over IPO and acquisition paths (none if there are none).
    pub median_time_to_liquidity: Option<f64>,
    /// Percentiles of `V_exit / V0` over IPO and acquisition paths.
    pub exit_multiple_percentiles: Option<MultiplePercentiles>,
    /// What the tender offers paid (only when the company runs them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenders: Option<TenderOutputs>,
}

/// The person's sales in tender offers (model v2 §6, §10).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TenderOutputs {
    /// The share of paths with at least one tender sale.
    pub p_sold_in_tender: f64,
    /// The mean PV of the tender proceeds over all paths (0 on paths without
    /// a sale), at the scenario's grant.
    pub mean_tender_proceeds: f64,
}

/// The person's figures, in closed form from the departure rate `λ` (model
/// v2 §10): they are known exactly, so they carry no Monte Carlo noise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonOutputs {
    /// `P(D < W) = 1 - e^{-λW}`: the person leaves before the window ends.
    pub p_left_early: f64,
    /// `E[min(D, W)] = (1 - e^{-λW}) / λ` (`W` when `λ = 0`).
    pub mean_employed_years: f64,
}

impl PersonOutputs {
    /// The figures for departure rate `rate` and window `window` years.
    ///
    /// ```
    /// use equisim::stats::PersonOutputs;
    /// let never = PersonOutputs::of(0.0, 4.0);
    /// assert_eq!((never.p_left_early, never.mean_employed_years), (0.0, 4.0));
    /// let p = PersonOutputs::of(-(1.0f64 - 0.15).ln(), 4.0);
    /// assert!((p.p_left_early - (1.0 - 0.85f64.powi(4))).abs() < 1e-12);
    /// ```
    pub fn of(rate: f64, window: f64) -> PersonOutputs {
        let left = -(-rate * window).exp_m1();
        PersonOutputs {
            p_left_early: left,
            mean_employed_years: if rate > 0.0 { left / rate } else { window },
        }
    }
}

/// `P(total ≥ amount)` for both offers (model v2 §10, `report.thresholds`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ThresholdShare {
    pub amount: f64,
    pub p_offer: f64,
    pub p_alternative: f64,
}

/// Everything a run reports, apart from the scenario itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outputs {
    pub offer: OfferOutputs,
    pub alternative: OfferOutputs,
    pub comparison: Comparison,
    pub company: CompanyOutputs,
    pub person: PersonOutputs,
    /// The scenario's `report.thresholds`, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<ThresholdShare>,
    /// The mean taxes paid, when the scenario has a `[tax]` table: then
    /// every other figure is after tax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taxes: Option<TaxOutputs>,
    pub warnings: Vec<String>,
}

/// The mean present value of the taxes each offer pays, by kind (tax.md
/// "Outputs"). Taxes are cash: they are discounted, never cut by the
/// illiquidity discount.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TaxOutputs {
    pub offer: OfferTaxes,
    pub alternative: OfferTaxes,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct OfferTaxes {
    /// On cash pay: base, bonus, sign-on and the pay after leaving.
    pub pay: f64,
    /// On equity taxed as income: RSUs, option spreads, BSPCE and
    /// qualified-option exercise gains, free shares.
    pub equity_income: f64,
    /// On capital gains at a sale.
    pub capital_gains: f64,
    /// Paid in cash at an exercise on leaving, before any proceeds (NSO
    /// income tax, ISO AMT): cash the person must find then.
    pub at_exercise: f64,
    /// The AMT credited back at the sale.
    pub amt_credit: f64,
    /// `pay + equity_income + capital_gains + at_exercise - amt_credit`.
    pub total: f64,
}

impl OfferTaxes {
    fn new(
        pay: f64,
        equity_income: f64,
        capital_gains: f64,
        at_exercise: f64,
        amt_credit: f64,
    ) -> Self {
        OfferTaxes {
            pay,
            equity_income,
            capital_gains,
            at_exercise,
            amt_credit,
            total: pay + equity_income + capital_gains + at_exercise - amt_credit,
        }
    }
}

/// Sums of each path's taxes (PV), filled by both executors.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct TaxSums {
    pub offer_pay: f64,
    pub alternative_pay: f64,
    pub offer_income: f64,
    pub offer_gains: f64,
    pub offer_credit: f64,
    pub offer_at_exercise: f64,
    pub alternative_income: f64,
}

impl TaxSums {
    /// Adds one path.
    #[inline]
    pub fn add(
        &mut self,
        model: &Model,
        totals: &Totals,
        p: &PathRecord,
        t: &crate::engine::PathTaxes,
    ) {
        let Some(x) = model.tax else { return };
        let rate = x.rates.pay;
        let unit = totals.unit_pay(p);
        let (offer, alternative) = totals.pays();
        self.offer_pay += rate * totals.cash_pay(offer, &unit);
        self.alternative_pay += rate * totals.cash_pay(alternative, &unit);
        self.offer_income += f64::from(t.offer_income);
        self.offer_gains += f64::from(t.offer_gains);
        self.offer_credit += f64::from(t.offer_credit);
        self.offer_at_exercise += f64::from(t.offer_at_exercise);
        // The RSUs' value after tax is (1 - rate) times their value.
        let public = x.public_rsu_rate();
        self.alternative_income += public / (1.0 - public) * p.alternative_equity;
    }

    /// Adds the sums of the paths that follow.
    pub fn append(&mut self, o: &TaxSums) {
        self.offer_pay += o.offer_pay;
        self.alternative_pay += o.alternative_pay;
        self.offer_income += o.offer_income;
        self.offer_gains += o.offer_gains;
        self.offer_credit += o.offer_credit;
        self.offer_at_exercise += o.offer_at_exercise;
        self.alternative_income += o.alternative_income;
    }

    fn means(&self, n: f64) -> TaxOutputs {
        TaxOutputs {
            offer: OfferTaxes::new(
                self.offer_pay / n,
                self.offer_income / n,
                self.offer_gains / n,
                self.offer_at_exercise / n,
                self.offer_credit / n,
            ),
            alternative: OfferTaxes::new(
                self.alternative_pay / n,
                self.alternative_income / n,
                0.0,
                0.0,
                0.0,
            ),
        }
    }
}

/// What an executor counts and sums over the paths, for
/// [`Outputs::assemble`].
#[derive(Debug, Clone)]
pub(crate) struct Tally {
    pub paths: u64,
    pub offer_total: Summary,
    pub alternative_total: Summary,
    pub offer_equity: Summary,
    pub alternative_equity: Summary,
    /// The lowest total of the offer and of the alternative.
    pub worst_totals: (f64, f64),
    /// The pathwise difference of the totals, offer less alternative.
    pub difference: Moments,
    /// Paths on which the offer's total is the larger.
    pub beats: u64,
    pub equity_pays_zero: u64,
    /// Paths whose private equity part is below 0, and at most 0.
    pub equity_loses: u64,
    pub equity_no_gain: u64,
    pub difference_percentiles: DifferencePercentiles,
    /// Paths on which the person leaves early; of those, the ones that paid
    /// to exercise, and the sum of the PV they paid.
    pub leavers: u64,
    pub exercised: u64,
    pub cash_paid: f64,
    /// The taxes' sums, when taxed.
    pub taxes: Option<TaxSums>,
    /// Paths with a tender sale, and the sum of the PV of tender proceeds.
    pub tender_sales: u64,
    pub tender_proceeds: f64,
    pub company: CompanyOutputs,
}

fn fill(buffer: &mut [f64], records: &[PathRecord], value: impl Fn(&PathRecord) -> f64 + Sync) {
    buffer
        .par_iter_mut()
        .zip(records)
        .with_min_len(BLOCK)
        .for_each(|(b, p)| *b = value(p));
}

/// How many of `values` satisfy `f`.
pub(super) fn count(values: &[f64], f: impl Fn(&f64) -> bool + Sync) -> u64 {
    values
        .par_iter()
        .with_min_len(BLOCK)
        .filter(|v| f(v))
        .count() as u64
}

/// The paths counted by what the outputs report of them (counts are exact
/// in any order): the one definition of each count, for a kept run and a
/// streamed one.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PathCounts {
    pub equity_pays_zero: u64,
    pub equity_loses: u64,
    pub equity_no_gain: u64,
    pub leavers: u64,
    pub exercised: u64,
    pub tender_sales: u64,
    /// Paths per [`Outcome`], by its index.
    pub outcomes: [u64; 4],
}

impl PathCounts {
    #[inline]
    pub(crate) fn add(&mut self, p: &PathRecord, window_years: f64) {
        self.equity_pays_zero += u64::from(p.equity_pays_zero);
        self.equity_loses += u64::from(p.offer_equity < 0.0);
        self.equity_no_gain += u64::from(p.offer_equity <= 0.0);
        self.leavers += u64::from(p.employed_years < window_years);
        self.exercised += u64::from(p.exercised_on_departure());
        self.tender_sales += u64::from(p.tender_proceeds > 0.0);
        self.outcomes[p.outcome as usize] += 1;
    }

    pub(crate) fn append(&mut self, other: &PathCounts) {
        self.equity_pays_zero += other.equity_pays_zero;
        self.equity_loses += other.equity_loses;
        self.equity_no_gain += other.equity_no_gain;
        self.leavers += other.leavers;
        self.exercised += other.exercised;
        self.tender_sales += other.tender_sales;
        for (a, b) in self.outcomes.iter_mut().zip(other.outcomes) {
            *a += b;
        }
    }
}

/// The values a few paths contribute, gathered in path order.
#[derive(Debug, Default)]
struct Gathered {
    /// What each path that exercised on leaving paid (strike and tax).
    cash_paid: Vec<f64>,
    /// Each selling path's tender proceeds. A zero adds nothing to a
    /// compensated sum, not even its sign: only the paths that sold count.
    tender_proceeds: Vec<f64>,
}

impl Gathered {
    /// The blocks' lists joined in block order, each list allocated once.
    fn joined(blocks: &[RecordBlock]) -> Gathered {
        let join = |list: fn(&Gathered) -> &Vec<f64>| {
            let mut all = Vec::with_capacity(blocks.iter().map(|b| list(&b.gathered).len()).sum());
            for b in blocks {
                all.extend_from_slice(list(&b.gathered));
            }
            all
        };
        Gathered {
            cash_paid: join(|g| &g.cash_paid),
            tender_proceeds: join(|g| &g.tender_proceeds),
        }
    }
}

/// What one block of paths gives: its counts, gathered values, the smallest
/// total of each offer, and how many of each offer's totals are at least
/// each threshold.
struct RecordBlock {
    counts: PathCounts,
    /// Exit paths (a liquidity event) in the block.
    exits: usize,
    gathered: Gathered,
    worst: [f64; 2],
    at_least: Vec<[u64; 2]>,
}

/// What [`record_pass`] finds besides the totals.
struct RecordPass {
    counts: PathCounts,
    gathered: Gathered,
    /// Exit paths per block of [`BLOCK`] paths, for [`exit_values`].
    exits_per_block: Vec<usize>,
    /// The smallest total of the offer and of the alternative.
    worst: [f64; 2],
    /// Per threshold, the offer's and the alternative's totals at least it.
    at_least: Vec<[u64; 2]>,
}

/// The alternative's two summaries (of its total and of its equity) from
/// one value of a sweep, and the values and preferences they summarize,
/// for [`Outputs::compute_reusing`] at the next value. Holds two values a
/// path, until a value's alternative differs from the last one's: the
/// parameter then moves the alternative, and nothing more is kept.
#[derive(Debug, Default)]
pub struct KeptAlternative {
    totals: Vec<f64>,
    equity: Vec<f64>,
    prefs: Option<Preferences>,
    summaries: Option<(Summary, Summary)>,
    moved: bool,
}

impl KeptAlternative {
    /// The kept summaries, if they summarize `totals`, the records'
    /// alternative equity and `prefs` exactly.
    fn summaries_of(
        &self,
        totals: &[f64],
        records: &[PathRecord],
        prefs: Preferences,
    ) -> Option<(Summary, Summary)> {
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        let holds = !self.moved
            && self.prefs == Some(prefs)
            && self.totals.len() == totals.len()
            && self.equity.len() == records.len()
            && self
                .totals
                .par_iter()
                .zip(totals)
                .with_min_len(BLOCK)
                .all(|(a, b)| same(*a, *b))
            && self
                .equity
                .par_iter()
                .zip(records)
                .with_min_len(BLOCK)
                .all(|(a, p)| same(*a, p.alternative_equity));
        if holds { self.summaries.clone() } else { None }
    }

    /// Keeps this run's values (before the summaries reorder them); the
    /// summaries are kept once computed. After a first value, a second
    /// one that needs this has a different alternative: the kept values
    /// are dropped and none are kept again, which saves copying them at
    /// every value of a sweep over, say, the attrition.
    fn keep_values(&mut self, totals: &[f64], records: &[PathRecord], prefs: Preferences) {
        if self.moved || self.prefs.is_some() {
            *self = KeptAlternative {
                moved: true,
                ..KeptAlternative::default()
            };
            return;
        }
        self.summaries = None;
        self.prefs = Some(prefs);
        self.totals.clear();
        self.totals.extend_from_slice(totals);
        self.equity.clear();
        self.equity
            .par_extend(records.par_iter().map(|p| p.alternative_equity));
    }
}

/// The one pass over a kept run's records: each offer's total and their
/// difference into the three buffers, and everything else the outputs
/// read from a record except the exits' values and each offer's equity,
/// a block at a time. Every pass over the records reads all of each one,
/// so reading them once is most of the saving.
fn record_pass(
    sim: &Simulation,
    totals: &Totals,
    amounts: &[f64],
    [offer, alternative, difference]: [&mut [f64]; 3],
) -> RecordPass {
    let model = &sim.plan.model;
    let records = &sim.records;
    let window_years = model.window_years;
    let blocks: Vec<RecordBlock> = offer
        .par_chunks_mut(BLOCK)
        .zip(alternative.par_chunks_mut(BLOCK))
        .zip(difference.par_chunks_mut(BLOCK))
        .zip(records.par_chunks(BLOCK))
        .enumerate()
        // Each path writes its tender proceeds at the end of a scratch list
        // and moves the end on only when it sold, without a branch; an
        // exercise cost is only computed for a path that exercised. A block
        // keeps a copy of what was written.
        .map_init(
            || [(); 2].map(|()| vec![0.0; BLOCK]),
            |[cash_paid, tender_proceeds], (k, (((xs, ys), ds), ps))| {
                let first = k * BLOCK;
                let mut counts = PathCounts::default();
                let mut worst = [f64::INFINITY; 2];
                let mut at_least = vec![[0u64; 2]; amounts.len()];
                let (mut exits, mut exercised, mut sold) = (0, 0, 0);
                for (j, (((x, y), d), p)) in xs
                    .iter_mut()
                    .zip(ys.iter_mut())
                    .zip(ds.iter_mut())
                    .zip(ps)
                    .enumerate()
                {
                    [*x, *y] = totals.both(p);
                    *d = *x - *y;
                    worst = [worst[0].min(*x), worst[1].min(*y)];
                    counts.add(p, window_years);
                    exits += usize::from(p.outcome.is_liquidity_event());
                    tender_proceeds[sold] = p.tender_proceeds;
                    sold += usize::from(p.tender_proceeds != 0.0);
                    if p.exercised_on_departure() {
                        let tax = sim
                            .taxes
                            .get(first + j)
                            .map_or(0.0, |t| f64::from(t.offer_at_exercise));
                        cash_paid[exercised] =
                            ExerciseCost::of(model, p).at_grant(model.offer.grant) + tax;
                        exercised += 1;
                    }
                }
                for (c, &amount) in at_least.iter_mut().zip(amounts) {
                    *c = [
                        xs.iter().filter(|x| **x >= amount).count() as u64,
                        ys.iter().filter(|y| **y >= amount).count() as u64,
                    ];
                }
                RecordBlock {
                    counts,
                    exits,
                    gathered: Gathered {
                        cash_paid: cash_paid[..exercised].to_vec(),
                        tender_proceeds: tender_proceeds[..sold].to_vec(),
                    },
                    worst,
                    at_least,
                }
            },
        )
        .collect();
    let mut pass = RecordPass {
        counts: PathCounts::default(),
        gathered: Gathered::joined(&blocks),
        exits_per_block: blocks.iter().map(|b| b.exits).collect(),
        worst: [f64::INFINITY; 2],
        at_least: vec![[0u64; 2]; amounts.len()],
    };
    for b in &blocks {
        pass.counts.append(&b.counts);
        pass.worst = [pass.worst[0].min(b.worst[0]), pass.worst[1].min(b.worst[1])];
        for (a, c) in pass.at_least.iter_mut().zip(&b.at_least) {
            *a = [a[0] + c[0], a[1] + c[1]];
        }
    }
    pass
}

impl Outputs {
    /// [`Outputs::compute`] with the outside wealth, risk aversion and
    /// labels of `scenario`, the scenario `sim` was simulated from.
    /// With the scenario's `report.thresholds`, counted on the totals as
    /// they are summarized.
    pub fn of_scenario(sim: &Simulation, scenario: &Scenario) -> Result<Outputs, Error> {
        Outputs::compute_with_thresholds(
            sim,
            Preferences::of(scenario),
            (&scenario.offer.label, &scenario.alternative.label),
            &scenario.report.thresholds,
        )
    }

    /// Computes every decision output of a simulation.
    ///
    /// Fails when the certainty equivalent of a total is undefined
    /// (`w0 + X ≤ 0` on some path), naming the remedy.
    pub fn compute(
        sim: &Simulation,
        prefs: Preferences,
        labels: (&str, &str),
    ) -> Result<Outputs, Error> {
        Outputs::compute_with_thresholds(sim, prefs, labels, &[])
    }

    /// [`Outputs::compute`], with `P(total ≥ amount)` for both offers at
    /// each of `amounts`.
    pub fn compute_with_thresholds(
        sim: &Simulation,
        prefs: Preferences,
        labels: (&str, &str),
        amounts: &[f64],
    ) -> Result<Outputs, Error> {
        Outputs::compute_keeping(sim, prefs, labels, amounts, None)
    }

    /// [`Outputs::compute`] for one value of a sweep, `kept` holding the
    /// alternative's summaries from the value before with the values they
    /// summarize. Where this run's alternative totals and equity are those
    /// values bit for bit, in path order, and the preferences are the
    /// same, the summaries are taken over rather than computed again: they
    /// are a function of exactly those. Most parameters leave the
    /// alternative as it is (anything of the company or of the offer, the
    /// illiquidity discount), and the check needs no list of them.
    pub fn compute_reusing(
        sim: &Simulation,
        prefs: Preferences,
        labels: (&str, &str),
        kept: &mut KeptAlternative,
    ) -> Result<Outputs, Error> {
        Outputs::compute_keeping(sim, prefs, labels, &[], Some(kept))
    }

    fn compute_keeping(
        sim: &Simulation,
        prefs: Preferences,
        labels: (&str, &str),
        amounts: &[f64],
        mut kept: Option<&mut KeptAlternative>,
    ) -> Result<Outputs, Error> {
        let model = &sim.plan.model;
        let records = &sim.records;
        let totals = Totals::new(model);

        // Each offer's total and their difference, in a buffer each, from
        // one unit pay a path, in the one pass over the records. Every sum
        // is then taken block by block in path order, so the digits do not
        // depend on the thread count. Three buffers beside the records are
        // a large run's peak memory (the floors, which take the records
        // over, hold less).
        let zeroed = || vec![0.0; records.len()];
        let (mut offer, mut alternative, mut difference) = (zeroed(), zeroed(), zeroed());
        let RecordPass {
            counts,
            gathered,
            exits_per_block,
            worst: [offer_worst, alt_worst],
            at_least,
        } = record_pass(
            sim,
            &totals,
            amounts,
            [&mut offer, &mut alternative, &mut difference],
        );
        let reused = kept
            .as_deref()
            .and_then(|k| k.summaries_of(&alternative, records, prefs));
        if let (Some(k), None) = (kept.as_deref_mut(), &reused) {
            k.keep_values(&alternative, records, prefs);
        }
        let kept = kept.filter(|k| !k.moved);
        // Then each offer's total and equity in the offer's buffer, the
        // difference, and what was gathered from the records, all at once:
        // the selections are serial, and so overlap one another.
        let one_offer = |mut buffer: Vec<f64>, equity: fn(&PathRecord) -> f64| {
            let total = Summary::of(&mut buffer, prefs);
            fill(&mut buffer, records, equity);
            (total, Summary::of(&mut buffer, prefs))
        };
        let compare = |mut buffer: Vec<f64>| {
            let moments = Moments::of(&buffer);
            let beats = count(&buffer, |d| *d > 0.0);
            let [p10, p50, p90] = quantiles_select(&mut buffer, [0.10, 0.50, 0.90]);
            (moments, beats, DifferencePercentiles { p10, p50, p90 })
        };
        let Gathered {
            cash_paid,
            tender_proceeds,
        } = gathered;
        let on_gathered = || {
            let company = company_outputs(records, &counts, &exits_per_block);
            let cash_paid = neumaier_sum(cash_paid.into_iter());
            let tender_proceeds = neumaier_sum(tender_proceeds.into_iter());
            // Summed a chunk at a time, as a streamed run sums them.
            let taxes = model.tax.map(|_| {
                let chunk = crate::engine::CHUNK_PATHS;
                let chunks: Vec<TaxSums> = records
                    .par_chunks(chunk)
                    .zip(sim.taxes.par_chunks(chunk))
                    .map(|(ps, ts)| {
                        let mut c = TaxSums::default();
                        for (p, t) in ps.iter().zip(ts) {
                            c.add(model, &totals, p, t);
                        }
                        c
                    })
                    .collect();
                let mut sums = TaxSums::default();
                for c in &chunks {
                    sums.append(c);
                }
                sums
            });
            (company, cash_paid, taxes, tender_proceeds)
        };
        // The two offers' summaries, and the difference's then what is
        // left: the exit paths' values are gathered once the difference's
        // buffer is dropped, which keeps the peak memory at the records
        // and three buffers.
        let (
            ((offer_total_summary, offer_equity_summary), (alt_total_summary, alt_equity_summary)),
            (
                (difference, beats, difference_percentiles),
                (company, cash_paid, taxes, tender_proceeds),
            ),
        ) = rayon::join(
            || {
                rayon::join(
                    || one_offer(offer, |p| p.offer_equity),
                    || match reused {
                        Some(summaries) => summaries,
                        None => one_offer(alternative, |p| p.alternative_equity),
                    },
                )
            },
            || (compare(difference), on_gathered()),
        );
        if let Some(k) = kept {
            k.summaries = Some((alt_total_summary.clone(), alt_equity_summary.clone()));
        }
        let n = records.len().max(1) as f64;
        let thresholds = amounts
            .iter()
            .zip(&at_least)
            .map(|(&amount, &[offer, alternative])| ThresholdShare {
                amount,
                p_offer: offer as f64 / n,
                p_alternative: alternative as f64 / n,
            })
            .collect();
        let mut outputs = Outputs::assemble(
            model,
            prefs,
            labels,
            Tally {
                paths: records.len() as u64,
                offer_total: offer_total_summary,
                alternative_total: alt_total_summary,
                offer_equity: offer_equity_summary,
                alternative_equity: alt_equity_summary,
                worst_totals: (offer_worst, alt_worst),
                difference,
                beats,
                equity_pays_zero: counts.equity_pays_zero,
                equity_loses: counts.equity_loses,
                equity_no_gain: counts.equity_no_gain,
                difference_percentiles,
                leavers: counts.leavers,
                exercised: counts.exercised,
                cash_paid,
                taxes,
                tender_sales: counts.tender_sales,
                tender_proceeds,
                company,
            },
        )?;
        outputs.thresholds = thresholds;
        Ok(outputs)
    }

    /// The outputs from what an executor counted and summed: the one
    /// assembly for a kept run and a streamed one. Fails when the
    /// certainty equivalent of a total is undefined, or a number is not
    /// finite.
    pub(crate) fn assemble(
        model: &Model,
        prefs: Preferences,
        labels: (&str, &str),
        t: Tally,
    ) -> Result<Outputs, Error> {
        let n = t.paths as f64;
        let window = model.window_years;
        let warnings = check_certainty_equivalents(
            prefs,
            labels,
            [
                (&t.offer_total, t.worst_totals.0),
                (&t.alternative_total, t.worst_totals.1),
            ],
            &t.offer_equity,
        )?;
        let exercise_on_leaving = model.offer.options.map(|_| ExerciseOnLeaving {
            p_leavers_exercised: if t.leavers > 0 {
                t.exercised as f64 / t.leavers as f64
            } else {
                0.0
            },
            mean_cash_paid: (t.exercised > 0 && model.tender.is_none())
                .then(|| t.cash_paid / t.exercised as f64),
        });
        let mut outputs = Outputs {
            offer: OfferOutputs::new(
                labels.0,
                t.offer_total,
                t.offer_equity,
                Some(EquityShares {
                    p_equity_pays_nothing: t.equity_pays_zero as f64 / n,
                    p_equity_loses_money: t.equity_loses as f64 / n,
                    p_equity_no_gain: t.equity_no_gain as f64 / n,
                }),
                model.offer.paper_value_per_year(),
                window,
            ),
            alternative: OfferOutputs::new(
                labels.1,
                t.alternative_total,
                t.alternative_equity,
                None,
                model.alternative.paper_value_per_year(),
                window,
            ),
            comparison: Comparison {
                p_offer_beats_alternative: t.beats as f64 / n,
                mean_difference: t.difference.mean(),
                mean_difference_std_error: t.difference.sd() / n.sqrt(),
                difference_percentiles: t.difference_percentiles,
            },
            company: CompanyOutputs {
                tenders: model.tender.map(|_| TenderOutputs {
                    p_sold_in_tender: t.tender_sales as f64 / n,
                    mean_tender_proceeds: t.tender_proceeds / n,
                }),
                ..t.company
            },
            person: PersonOutputs::of(model.departure_rate, window),
            thresholds: Vec::new(),
            taxes: t.taxes.map(|sums| sums.means(n)),
            warnings,
        };
        outputs.offer.exercise_on_leaving = exercise_on_leaving;
        outputs.check_finite()?;
        Ok(outputs)
    }

    /// Fails naming the first reported number that is NaN or infinite.
    pub fn check_finite(&self) -> Result<(), Error> {
        match self.first_non_finite() {
            Some(field) => Err(Error::NonFinite { field }),
            None => Ok(()),
        }
    }

    /// The dotted path of the first reported number that is NaN or
    /// infinite, if any. Absent values (`None`) are not numbers and pass.
    pub fn first_non_finite(&self) -> Option<String> {
        fn walk(prefix: &str, v: &toml::Value) -> Option<String> {
            let key = |k: &str| {
                if prefix.is_empty() {
                    k.to_string()
                } else {
                    format!("{prefix}.{k}")
                }
            };
            match v {
                toml::Value::Float(x) if !x.is_finite() => Some(prefix.to_string()),
                toml::Value::Table(t) => t.iter().find_map(|(k, v)| walk(&key(k), v)),
                toml::Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .find_map(|(i, v)| walk(&key(&i.to_string()), v)),
                _ => None,
            }
        }
        match toml::Value::try_from(self) {
            Ok(v) => walk("", &v),
            Err(e) => Some(format!("the outputs ({e})")),
        }
    }
}

/// Fails when the certainty equivalent of an offer's total is undefined
/// (`w0 + X ≤ 0` on some path; `worst` is the lowest total), naming the
/// remedy; warns when only the private equity's is.
pub(crate) fn check_certainty_equivalents(
    prefs: Preferences,
    labels: (&str, &str),
    totals: [(&Summary, f64); 2],
    offer_equity: &Summary,
) -> Result<Vec<String>, Error> {
    for (label, (summary, worst)) in [labels.0, labels.1].into_iter().zip(totals) {
        if !prefs.is_risk_neutral() && summary.certainty_equivalent.is_none() {
            return Err(undefined_certainty_equivalent(label, worst, prefs));
        }
    }
    let mut warnings = Vec::new();
    if !prefs.is_risk_neutral() && offer_equity.certainty_equivalent.is_none() {
        warnings.push(format!(
            "the certainty equivalent of {}'s equity alone is not reported: exercise costs exceed \
             outside wealth on some paths",
            labels.0
        ));
    }
    Ok(warnings)
}

/// The error for an offer whose total leaves `w0 + X ≤ 0` on some path,
/// `worst` its lowest total.
pub(super) fn undefined_certainty_equivalent(label: &str, worst: f64, prefs: Preferences) -> Error {
    Error::UndefinedCertaintyEquivalent {
        label: label.to_string(),
        worst,
        outside_wealth: prefs.outside_wealth,
    }
}

fn company_outputs(
    records: &[PathRecord],
    counts: &PathCounts,
    exits_per_block: &[usize],
) -> CompanyOutputs {
    let n = records.len() as f64;
    let share = |o: Outcome| counts.outcomes[o as usize] as f64 / n;
    let (mut exit_times, exit_multiples) = exit_values(records, exits_per_block);
    let median_time_to_liquidity =
        (!exit_times.is_empty()).then(|| quantile_select(&mut exit_times, 0.5));
    CompanyOutputs {
        outcomes: OutcomeShares {
            ipo: share(Outcome::Ipo),
            acquisition: share(Outcome::Acquisition),
            failure: share(Outcome::Failure),
            private: share(Outcome::Private),
        },
        median_time_to_liquidity,
        exit_multiple_percentiles: exit_multiple_percentiles(exit_multiples),
        tenders: None,
    }
}

/// The exit paths' times to liquidity and exit multiples, in path order,
/// from one parallel pass over the records. With each block's count of
/// exits known, each block writes straight into its stretch of the lists:
/// no per-block copies beside them.
fn exit_values(records: &[PathRecord], exits_per_block: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let exits = exits_per_block.iter().sum();
    let (mut times, mut multiples) = (vec![0.0; exits], vec![0.0; exits]);
    fn stretches<'a>(mut rest: &'a mut [f64], lengths: &[usize]) -> Vec<&'a mut [f64]> {
        lengths
            .iter()
            .map(|&k| {
                let (stretch, after) = std::mem::take(&mut rest).split_at_mut(k);
                rest = after;
                stretch
            })
            .collect()
    }
    records
        .par_chunks(BLOCK)
        .zip(stretches(&mut times, exits_per_block))
        .zip(stretches(&mut multiples, exits_per_block))
        .for_each_init(
            || (vec![0.0; BLOCK], vec![0.0; BLOCK]),
            |(t, m), ((ps, times), multiples)| {
                // Written at the scratch lists' end, which moves on only at
                // an exit.
                let mut k = 0;
                for p in ps {
                    t[k] = p.liquidity_time as f64;
                    m[k] = p.exit_multiple;
                    k += usize::from(p.outcome.is_liquidity_event());
                }
                times.copy_from_slice(&t[..k]);
                multiples.copy_from_slice(&m[..k]);
            },
        );
    (times, multiples)
}

/// The exit multiples' percentiles, from the exit paths' multiples.
fn exit_multiple_percentiles(mut buffer: Vec<f64>) -> Option<MultiplePercentiles> {
    (!buffer.is_empty()).then(|| {
        let [p5, p25, p50, p75, p95] =
            quantiles_select(&mut buffer, [0.05, 0.25, 0.50, 0.75, 0.95]);
        MultiplePercentiles {
            p5,
            p25,
            p50,
            p75,
            p95,
        }
    })
}
