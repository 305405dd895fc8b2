//! What an ensemble over uncertain assumptions says beyond its pooled
//! paths (uncertainty.md): for each parameter draw, the mean difference and
//! the mean floor on the draw's own paths; over the `K` draws, the share in
//! which the offer wins on the mean, the bands of both, and how much of the
//! draws' spread each parameter explains.
//!
//! Both executors sum a chunk of paths with [`EnsembleTerms::chunk`] and
//! hand the sums over in chunk order ([`DrawSums::add`]), so a kept run and
//! a streamed one give the same digits, whatever the thread count.

use super::floor::{Lever, Terms, solve_mean_of};
use crate::engine::{CHUNK_PATHS, PathRecord, Simulation};
use crate::model::Model;
use crate::scenario::{Distribution, Ensemble, Scenario, SolveFor};
use crate::stats::{Moments, Totals, quantile_sorted};
use rayon::prelude::*;
use serde::Serialize;

/// Fewest draws for an attribution: below it a cubic fit's four
/// coefficients leave too few draws to tell a parameter's effect from
/// noise.
pub const MIN_DRAWS_FOR_ATTRIBUTION: usize = 8;

/// One chunk's (or one draw's) sums, in path order.
#[derive(Debug, Clone, Copy, Default)]
pub struct DrawSum {
    /// `X_offer − X_alt`, as [`Totals`] computes both.
    difference: Moments,
    /// The lever's line `a_i + ℓ s_i` ([`Lever::line`]) and `Y_i`.
    intercept: Moments,
    slope: Moments,
    alternative: Moments,
}

impl DrawSum {
    fn append(&mut self, next: &DrawSum) {
        self.difference.append(&next.difference);
        self.intercept.append(&next.intercept);
        self.slope.append(&next.slope);
        self.alternative.append(&next.alternative);
    }
}

/// How a chunk's paths are summed: the scenario's own model values them
/// (an ensemble draws nothing it reads), on the lever of the mean floor.
#[derive(Debug, Clone, Copy)]
pub struct EnsembleTerms {
    terms: Terms,
    lever: Lever,
}

impl EnsembleTerms {
    /// The terms of `model` on the lever `solve_for`, held at the offer.
    pub fn new(model: &Model, solve_for: SolveFor) -> EnsembleTerms {
        EnsembleTerms {
            terms: Terms::new(model),
            lever: Lever::at_offer(model, solve_for),
        }
    }

    /// The sums of one chunk of paths (at most [`CHUNK_PATHS`]).
    pub fn chunk(&self, model: &Model, records: &[PathRecord]) -> DrawSum {
        let n = records.len();
        let mut columns = [vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]];
        let totals = Totals::new(model);
        for (i, p) in records.iter().enumerate() {
            let [offer, alternative] = totals.both(p);
            let [f, a, u] = self.terms.offer(p);
            let (intercept, slope) = self.lever.line(f, a, u);
            columns[0][i] = offer - alternative;
            columns[1][i] = intercept;
            columns[2][i] = slope;
            columns[3][i] = self.terms.alternative(p);
        }
        let [d, a, s, y] = columns.map(|c| Moments::of_block(&c));
        DrawSum {
            difference: d,
            intercept: a,
            slope: s,
            alternative: y,
        }
    }
}

/// The per-draw sums of a run, filled chunk by chunk in chunk order.
#[derive(Debug, Clone)]
pub struct DrawSums(Vec<DrawSum>);

impl DrawSums {
    pub fn new(draws: usize) -> DrawSums {
        DrawSums(vec![DrawSum::default(); draws])
    }

    /// Adds chunk `chunk`'s sums to its draw (`chunk mod K`). Chunks must
    /// come in order.
    pub fn add(&mut self, chunk: u64, sums: &DrawSum) {
        let k = self.0.len() as u64;
        self.0[(chunk % k) as usize].append(sums);
    }

    /// The sums of a kept run's paths.
    pub fn of_simulation(sim: &Simulation, terms: &EnsembleTerms) -> DrawSums {
        let model = &sim.plan.model;
        let chunks: Vec<DrawSum> = sim
            .records
            .par_chunks(CHUNK_PATHS)
            .map(|c| terms.chunk(model, c))
            .collect();
        let mut sums = DrawSums::new(sim.draws.max(1));
        for (i, c) in chunks.iter().enumerate() {
            sums.add(i as u64, c);
        }
        sums
    }
}

/// The 10th, 50th and 90th percentiles over the draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl Band {
    fn of(values: &[f64]) -> Band {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Band {
            p10: quantile_sorted(&sorted, 0.10),
            p50: quantile_sorted(&sorted, 0.50),
            p90: quantile_sorted(&sorted, 0.90),
        }
    }
}

/// The band of the per-draw mean floor. A draw in which no lever value
/// brings the offer's mean to the alternative's ranks above every floor;
/// a percentile that falls among those draws is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FloorBand {
    pub solve_for: SolveFor,
    pub p10: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    /// Draws in which the mean floor is unreachable.
    pub unreachable: usize,
}

/// One uncertain parameter across the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnsembleParameter {
    pub parameter: String,
    #[serde(flatten)]
    pub distribution: Distribution,
    /// The drawn values' percentiles.
    pub drawn: Band,
    /// First-order share of the variance of the per-draw mean difference
    /// ([`Attribution`]); `None` without an attribution.
    pub share: Option<f64>,
}

/// How the spread of the per-draw mean difference divides among the
/// parameters.
///
/// # Formula
///
/// With `Y_k` the mean difference of draw `k` over its `n_k` paths and
/// `s_k²/n_k` its Monte Carlo variance, the variance to explain is
/// `V = Var(Y) − mean(s_k²/n_k)`: the sample variance over the `K` draws
/// less the noise of the per-draw means. For parameter `j`, `E[Y | X_j]` is
/// estimated by least squares on a cubic in `X_j` (standardized), and the
/// variance it explains, less what a cubic explains of pure noise, is
///
/// `V_j = (SSR_j − 3 SSE_j / (K − 4)) / (K − 1)`,
///
/// (the adjusted R² of the fit, which removes in expectation both the Monte
/// Carlo noise and the other parameters' effects, since both are noise to
/// a fit on `X_j` alone); its share is `S_j = V_j / V`. What is left,
/// `1 − Σ S_j`, is the interactions and the estimators' own noise. A
/// share can fall slightly below 0 by noise.
///
/// A binned estimator (the variance of the means of `Y` in bins of `X_j`)
/// was tried first and rejected: with a response that grows fast in the
/// parameter (the mean difference in the company's drift), the tail bins
/// span wide ranges of it and their within-bin spread, counted as noise,
/// took a quarter of the drift's share on the Paris ensemble.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Attribution {
    /// `V`, the variance of the per-draw mean difference without its
    /// Monte Carlo noise.
    pub variance: f64,
    /// `mean(s_k²/n_k)`, the noise removed.
    pub monte_carlo_variance: f64,
    /// `1 − Σ S_j`.
    pub rest: f64,
}

/// One parameter draw's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrawOutcome {
    /// Each parameter's value, in the order of the `[[uncertainty]]` entries.
    pub values: Vec<f64>,
    pub paths: u64,
    pub mean_difference: f64,
    /// Monte Carlo standard error of `mean_difference`.
    pub std_error: f64,
    /// The mean floor on this draw's paths (`None`: unreachable).
    pub mean_floor: Option<f64>,
}

/// What an ensemble run reports beyond its pooled outputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnsembleOutputs {
    /// `K`, the draws made (at most one per block of 4,096 paths).
    pub draws: usize,
    /// `simulation.uncertainty_draws`.
    pub draws_asked: u64,
    /// Parameter sets refused by the scenario's rules and drawn again.
    pub redrawn: u64,
    pub parameters: Vec<EnsembleParameter>,
    /// Share of the draws in which the offer's mean total beats the
    /// alternative's.
    pub p_offer_wins_on_mean: f64,
    /// The per-draw mean difference (offer − alternative).
    pub mean_difference: Band,
    /// The per-draw mean floor.
    pub mean_floor: FloorBand,
    /// `None` with fewer than [`MIN_DRAWS_FOR_ATTRIBUTION`] draws, or when
    /// the per-draw means vary no more than their Monte Carlo noise.
    pub attribution: Option<Attribution>,
    pub per_draw: Vec<DrawOutcome>,
    /// The mean floor over every path of every draw: the run's own mean
    /// floor (reported with the floors; here for the chart of the band).
    #[serde(skip)]
    pub pooled_mean_floor: Option<f64>,
    /// The offer's own value of the floor's lever.
    #[serde(skip)]
    pub current: f64,
}

impl EnsembleOutputs {
    /// The ensemble's outputs from its per-draw sums.
    pub fn new(
        ensemble: &Ensemble,
        scenario: &Scenario,
        terms: &EnsembleTerms,
        sums: &DrawSums,
    ) -> EnsembleOutputs {
        let per_draw: Vec<DrawOutcome> = ensemble
            .draws
            .iter()
            .zip(&sums.0)
            .map(|(d, s)| {
                let n = s.difference.count();
                DrawOutcome {
                    values: d.values.clone(),
                    paths: n,
                    mean_difference: s.difference.mean(),
                    std_error: s.difference.sd() / (n.max(1) as f64).sqrt(),
                    mean_floor: solve_mean_of(
                        s.intercept.mean(),
                        s.slope.mean(),
                        s.alternative.mean(),
                        0.0,
                    )
                    .floor,
                }
            })
            .collect();
        let k = per_draw.len();
        let y: Vec<f64> = per_draw.iter().map(|d| d.mean_difference).collect();
        let floors: Vec<f64> = per_draw
            .iter()
            .map(|d| d.mean_floor.unwrap_or(f64::INFINITY))
            .collect();
        let floor_band = Band::of(&floors);
        let finite = |v: f64| Some(v).filter(|v| v.is_finite());
        let attribution = attribution(&per_draw);
        let mut pooled = DrawSum::default();
        for d in &sums.0 {
            pooled.append(d);
        }
        let pooled_mean_floor = solve_mean_of(
            pooled.intercept.mean(),
            pooled.slope.mean(),
            pooled.alternative.mean(),
            0.0,
        )
        .floor;
        let parameters = scenario
            .uncertainty
            .iter()
            .enumerate()
            .map(|(j, u)| {
                let values: Vec<f64> = per_draw.iter().map(|d| d.values[j]).collect();
                EnsembleParameter {
                    parameter: u.parameter.clone(),
                    distribution: u.distribution,
                    drawn: Band::of(&values),
                    share: attribution.as_ref().map(|(_, shares)| shares[j]),
                }
            })
            .collect();
        EnsembleOutputs {
            draws: k,
            draws_asked: ensemble.asked,
            redrawn: ensemble.redrawn,
            parameters,
            p_offer_wins_on_mean: y.iter().filter(|v| **v > 0.0).count() as f64 / k.max(1) as f64,
            mean_difference: Band::of(&y),
            mean_floor: FloorBand {
                solve_for: terms.lever.solve_for,
                p10: finite(floor_band.p10),
                p50: finite(floor_band.p50),
                p90: finite(floor_band.p90),
                unreachable: per_draw.iter().filter(|d| d.mean_floor.is_none()).count(),
            },
            attribution: attribution.map(|(a, _)| a),
            per_draw,
            pooled_mean_floor,
            current: terms.lever.current(),
        }
    }

    /// The ensemble outputs of a kept run of `scenario`, when it has an
    /// ensemble; the mean floor is solved on `solve_for`.
    pub fn of_simulation(
        sim: &Simulation,
        scenario: &Scenario,
        solve_for: SolveFor,
    ) -> Option<EnsembleOutputs> {
        let ensemble = scenario.ensemble.as_ref()?;
        let terms = EnsembleTerms::new(&sim.plan.model, solve_for);
        let sums = DrawSums::of_simulation(sim, &terms);
        Some(EnsembleOutputs::new(ensemble, scenario, &terms, &sums))
    }
}

/// The attribution of [`Attribution`], with each parameter's share in
/// entry order.
fn attribution(draws: &[DrawOutcome]) -> Option<(Attribution, Vec<f64>)> {
    let k = draws.len();
    if k < MIN_DRAWS_FOR_ATTRIBUTION {
        return None;
    }
    let y: Vec<f64> = draws.iter().map(|d| d.mean_difference).collect();
    let mean = y.iter().sum::<f64>() / k as f64;
    let total = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1) as f64;
    let noise = draws.iter().map(|d| d.std_error.powi(2)).sum::<f64>() / k as f64;
    let variance = total - noise;
    if variance.is_nan() || variance <= 0.0 {
        return None;
    }
    let parameters = draws[0].values.len();
    let shares: Vec<f64> = (0..parameters)
        .map(|j| {
            let x: Vec<f64> = draws.iter().map(|d| d.values[j]).collect();
            explained_by_cubic(&x, &y) / variance
        })
        .collect();
    Some((
        Attribution {
            variance,
            monte_carlo_variance: noise,
            rest: 1.0 - shares.iter().sum::<f64>(),
        },
        shares,
    ))
}

/// `V_j` of [`Attribution`]: the variance of `y` that a least-squares cubic
/// in `x` explains, adjusted for what it would explain of noise. 0 when
/// `x` does not vary.
fn explained_by_cubic(x: &[f64], y: &[f64]) -> f64 {
    const TERMS: usize = 4;
    let k = x.len();
    let n = k as f64;
    let mx = x.iter().sum::<f64>() / n;
    let sx = (x.iter().map(|v| (v - mx).powi(2)).sum::<f64>() / n).sqrt();
    if sx.is_nan() || sx <= 0.0 || k <= TERMS {
        return 0.0;
    }
    let row = |v: f64| {
        let z = (v - mx) / sx;
        [1.0, z, z * z, z * z * z]
    };
    // The normal equations, solved by Gaussian elimination with pivoting.
    let mut a = [[0.0; TERMS + 1]; TERMS];
    for (&xi, &yi) in x.iter().zip(y) {
        let f = row(xi);
        for r in 0..TERMS {
            for c in 0..TERMS {
                a[r][c] += f[r] * f[c];
            }
            a[r][TERMS] += f[r] * yi;
        }
    }
    for c in 0..TERMS {
        let pivot = (c..TERMS)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, pivot);
        if a[c][c].abs() < 1e-12 * n {
            return 0.0;
        }
        for r in 0..TERMS {
            if r != c {
                let f = a[r][c] / a[c][c];
                let pivot_row = a[c];
                for (v, p) in a[r].iter_mut().zip(pivot_row) {
                    *v -= f * p;
                }
            }
        }
    }
    let beta: Vec<f64> = (0..TERMS).map(|r| a[r][TERMS] / a[r][r]).collect();
    let fit: Vec<f64> = x
        .iter()
        .map(|&v| row(v).iter().zip(&beta).map(|(f, b)| f * b).sum())
        .collect();
    let my = y.iter().sum::<f64>() / n;
    let explained: f64 = fit.iter().map(|f| (f - my).powi(2)).sum();
    let residual: f64 = y.iter().zip(&fit).map(|(v, f)| (v - f).powi(2)).sum();
    let slopes = (TERMS - 1) as f64;
    (explained - slopes * residual / (n - TERMS as f64)) / (n - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws of an additive response `y = 3 x1 + x2` (so `x1` explains
    /// 9/10 of its variance, `x2` 1/10) on a Latin hypercube, with an
    /// irrelevant third parameter and a noise of known size. The minor
    /// share's error is of the order of the chance correlation between the
    /// parameters' orders, `1/√K`: hence many draws.
    fn additive(k: usize, noise: f64) -> Vec<DrawOutcome> {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let mut order = || {
            let mut o: Vec<usize> = (0..k).collect();
            for i in (1..k).rev() {
                o.swap(i, rng.random_range(0..=i));
            }
            o
        };
        let (o2, o3) = (order(), order());
        (0..k)
            .map(|i| {
                let level = |stratum: usize| (stratum as f64 + 0.5) / k as f64;
                let (x1, x2, x3) = (level(i), level(o2[i]), level(o3[i]));
                // A ±noise pattern in place of Monte Carlo noise.
                let e = if (i * 31 + 7) % 4 < 2 { noise } else { -noise };
                DrawOutcome {
                    values: vec![x1, x2, x3],
                    paths: 4096,
                    mean_difference: 3.0 * x1 + x2 + e,
                    std_error: noise,
                    mean_floor: None,
                }
            })
            .collect()
    }

    #[test]
    fn an_additive_response_is_attributed_in_proportion() {
        let (a, shares) = attribution(&additive(4096, 0.05)).unwrap();
        assert!((shares[0] - 0.9).abs() < 0.03, "{shares:?}");
        assert!((shares[1] - 0.1).abs() < 0.03, "{shares:?}");
        assert!(shares[2].abs() < 0.02, "{shares:?}");
        assert!(a.rest.abs() < 0.03, "{a:?}");
        // The noise removed is the stated one.
        assert!((a.monte_carlo_variance - 0.0025).abs() < 1e-12);
    }

    #[test]
    fn a_parameter_that_does_not_vary_explains_nothing() {
        let mut draws = additive(64, 0.0);
        for d in &mut draws {
            d.values[2] = 0.4;
        }
        let (_, shares) = attribution(&draws).unwrap();
        assert_eq!(shares[2], 0.0);
    }

    #[test]
    fn too_few_draws_or_pure_noise_give_no_attribution() {
        assert!(attribution(&additive(MIN_DRAWS_FOR_ATTRIBUTION - 1, 0.0)).is_none());
        let mut noise_only = additive(64, 0.05);
        for (i, d) in noise_only.iter_mut().enumerate() {
            d.mean_difference = if i % 2 == 0 { 0.01 } else { -0.01 };
        }
        assert!(attribution(&noise_only).is_none());
    }
}
