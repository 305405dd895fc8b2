//! The `[[uncertainty]]` ensemble (uncertainty.md): each entry checked
//! against the field it names, then `K` stratified parameter draws, each a
//! scenario resolved exactly like the file with the drawn values written in.
//!
//! Block `b` of [`CHUNK_PATHS`] paths is simulated with draw `b mod K`,
//! while every path keeps its own random streams: the ensemble and the
//! plain run share every draw but the parameters.

use super::{Distribution, Override, Scenario, Source, fields, fmt_value};
use crate::engine::CHUNK_PATHS;
use crate::error::{Error, ScenarioError};
use rand::{Rng, RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// What an ensemble may draw, as a user reads it.
pub const DRAWN_FIELDS: &str = "something the paths are drawn from: a field of company or \
     alternative.equity.stock, employee.attrition_per_year or employee.illiquidity";

/// Whether the field at dotted path `path` may be drawn by an ensemble:
/// the facts about the future that only the simulation reads (the
/// company, how long the person stays, how illiquid the shares are, the
/// public stock). Pay, grants, taxes, the discount rate and the person's
/// preferences enter every path's total after the simulation, from the
/// scenario as written, and are the same on every path; `equisim
/// sensitivity --param` tries them one at a time.
///
/// ```
/// use equisim::scenario::may_be_drawn;
/// assert!(may_be_drawn("company.exit.ipo_per_year"));
/// assert!(may_be_drawn("employee.attrition_per_year"));
/// assert!(!may_be_drawn("offer.base"));
/// assert!(!may_be_drawn("employee.risk_aversion"));
/// ```
pub fn may_be_drawn(path: &str) -> bool {
    path.starts_with("company.")
        || path == "employee.attrition_per_year"
        || path.starts_with("employee.illiquidity.")
        || path.starts_with("alternative.equity.stock.")
}

/// Tries per draw within the draw's own strata before any stratum is
/// allowed, then tries in all, when the scenario's rules refuse a set.
const STRATIFIED_TRIES: u32 = 100;
const MAX_TRIES: u32 = 1000;

/// Keys the ensemble's generator off the scenario's seed, apart from every
/// path's streams.
const ENSEMBLE_KEY: u64 = 0x243f_6a88_85a3_08d3;

/// One parameter set of an ensemble.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    /// Each entry's probability level `p`, in entry order: its value is
    /// the distribution's `p`-quantile.
    pub levels: Vec<f64>,
    /// Each entry's value, in entry order.
    pub values: Vec<f64>,
    /// The scenario with these values, resolved and checked like the file.
    pub scenario: Scenario,
}

/// The parameter draws of a scenario's `[[uncertainty]]` entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    /// `simulation.uncertainty_draws`: the draws asked for. At most one per
    /// block of paths is made.
    pub asked: u64,
    /// The draws made, `K` of them.
    pub draws: Vec<Draw>,
    /// Parameter sets that a rule of the scenario refused (a value out of
    /// its field's range, or a cross-field rule) and that were drawn again.
    pub redrawn: u64,
}

impl Ensemble {
    /// The draw that block `block` of paths (paths `block · 4096 ..`) is
    /// simulated with: `block mod K`.
    #[inline]
    pub fn draw_of_block(&self, block: u64) -> usize {
        (block % self.draws.len() as u64) as usize
    }
}

/// A probability level strictly inside (0, 1) from 53 random bits.
fn open_unit(rng: &mut Xoshiro256PlusPlus) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

/// A distribution as written in a scenario.
fn describe(d: &Distribution) -> String {
    match *d {
        Distribution::Normal { mean, sd } => format!(
            "normal {{ mean = {}, sd = {} }}",
            fmt_value(mean),
            fmt_value(sd)
        ),
        Distribution::LogNormal { median, sigma } => {
            format!(
                "lognormal {{ median = {}, sigma = {} }}",
                fmt_value(median),
                fmt_value(sigma)
            )
        }
        Distribution::Uniform { low, high } => {
            format!(
                "uniform {{ low = {}, high = {} }}",
                fmt_value(low),
                fmt_value(high)
            )
        }
        Distribution::Triangular { low, mode, high } => format!(
            "triangular {{ low = {}, mode = {}, high = {} }}",
            fmt_value(low),
            fmt_value(mode),
            fmt_value(high)
        ),
    }
}

impl Source {
    /// Each `[[uncertainty]]` entry must name a numeric field of the
    /// resolved scenario that an ensemble may draw ([`may_be_drawn`]) and
    /// put at least half of its mass inside what that field allows
    /// (uncertainty.md). The mass is measured at 200 evenly spaced
    /// quantiles, each resolved like a `--set` of the field, so that every
    /// rule of the field, cross-field ones included, counts.
    pub(super) fn check_uncertainty(
        &self,
        scenario: &Scenario,
        overrides: &[Override],
    ) -> Result<(), Error> {
        const PROBES: usize = 200;
        for (i, u) in scenario.uncertainty.iter().enumerate() {
            let fail = |path: String, value: String, allowed: String| -> Error {
                let mut e = ScenarioError::invalid(&path, value, &allowed);
                e.origin = self.origin_of(Some(&path), overrides);
                e.into()
            };
            let integer = match fields::value_at(scenario, &u.parameter) {
                Some(toml::Value::Integer(_)) => true,
                Some(toml::Value::Float(_)) => false,
                _ => {
                    return Err(fail(
                        format!("uncertainty.{i}.parameter"),
                        format!("\"{}\"", u.parameter),
                        "the dotted path of a numeric field of the scenario, as for a sweep \
                         (for example \"company.drift\")"
                            .to_string(),
                    ));
                }
            };
            if !may_be_drawn(&u.parameter) {
                return Err(fail(
                    format!("uncertainty.{i}.parameter"),
                    format!("\"{}\"", u.parameter),
                    format!(
                        "{DRAWN_FIELDS}; pay, grants, taxes, the discount rate and the \
                         person's preferences are the same on every path (try `equisim \
                         sensitivity --param {}=LO..HI`)",
                        u.parameter
                    ),
                ));
            }
            let mut inside = 0;
            let mut refused = None;
            for k in 0..PROBES {
                let v = u.distribution.quantile((k as f64 + 0.5) / PROBES as f64);
                let mut at = overrides.to_vec();
                at.push(Override::with_value(
                    &u.parameter,
                    to_toml(v, integer),
                    "uncertainty",
                ));
                match self.resolve_as_written(&at) {
                    Ok(_) => inside += 1,
                    Err(Error::Scenario(e)) => {
                        refused.get_or_insert(e.message);
                    }
                    Err(e) => return Err(e),
                }
            }
            if 2 * inside < PROBES {
                let outside = 100.0 * (PROBES - inside) as f64 / PROBES as f64;
                return Err(fail(
                    format!("uncertainty.{i}"),
                    format!("{} for {}", describe(&u.distribution), u.parameter),
                    format!(
                        "a distribution with at least half of its mass inside what {} allows; \
                         {outside:.0}% of this one is outside (for example: {})",
                        u.parameter,
                        refused.unwrap_or_default()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Draws the ensemble of `scenario` (resolved from this source with
    /// `overrides`): `K = min(uncertainty_draws, blocks)` parameter sets.
    ///
    /// # Stratification
    ///
    /// A Latin hypercube: for each entry `j` a random permutation `π_j` of
    /// `0..K`, and draw `k` takes the level `p_jk = (π_j(k) + u_jk) / K`,
    /// `u_jk` uniform in (0, 1), so that every entry has exactly one draw in
    /// each of its `K` equal-probability strata, independently across
    /// entries. The generator is seeded from the scenario's seed alone.
    ///
    /// A set that the scenario's rules refuse is drawn again: new `u` in
    /// the same strata for up to 100 tries, then anywhere; after 1000
    /// tries the run fails, naming the last rule that refused.
    ///
    /// # Errors
    ///
    /// An override (`--set`, a sweep) of a field an entry draws: every
    /// draw would overwrite it.
    pub(super) fn draw_ensemble(
        &self,
        scenario: &Scenario,
        overrides: &[Override],
    ) -> Result<Ensemble, Error> {
        let entries = &scenario.uncertainty;
        for (i, u) in entries.iter().enumerate() {
            if let Some(o) = overrides.iter().rev().find(|o| o.covers(&u.parameter)) {
                let value = match &o.value {
                    toml::Value::Float(v) => fmt_value(*v),
                    other => other.to_string(),
                };
                let mut e = ScenarioError::invalid(
                    &u.parameter,
                    &value,
                    &format!(
                        "left to its [[uncertainty]] distribution (uncertainty.{i}), which every \
                         draw of the ensemble writes over it: change the distribution instead \
                         (for example --set uncertainty.{i}.{}={value}), or remove the entry",
                        first_field(&u.distribution)
                    ),
                );
                e.origin = self.origin_of(Some(&o.path), overrides);
                return Err(e.into());
            }
        }
        let integer: Vec<bool> = entries
            .iter()
            .map(|u| {
                matches!(
                    fields::value_at(scenario, &u.parameter),
                    Some(toml::Value::Integer(_))
                )
            })
            .collect();
        let blocks = scenario.simulation.paths.div_ceil(CHUNK_PATHS as u64);
        let asked = scenario.simulation.uncertainty_draws;
        let k = asked.min(blocks) as usize;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(crate::engine::random::mix(
            scenario.simulation.seed ^ ENSEMBLE_KEY,
        ));
        let strata: Vec<Vec<usize>> = entries
            .iter()
            .map(|_| {
                let mut order: Vec<usize> = (0..k).collect();
                for i in (1..k).rev() {
                    order.swap(i, rng.random_range(0..=i));
                }
                order
            })
            .collect();
        let mut draws = Vec::with_capacity(k);
        let mut redrawn = 0;
        for d in 0..k {
            let mut tries = 0;
            loop {
                let levels: Vec<f64> = strata
                    .iter()
                    .map(|order| {
                        let u = open_unit(&mut rng);
                        if tries < STRATIFIED_TRIES {
                            (order[d] as f64 + u) / k as f64
                        } else {
                            u
                        }
                    })
                    .collect();
                let values: Vec<f64> = entries
                    .iter()
                    .zip(&levels)
                    .zip(&integer)
                    .map(|((u, &p), &int)| {
                        let v = u.distribution.quantile(p);
                        if int { v.round() } else { v }
                    })
                    .collect();
                let mut at = overrides.to_vec();
                for ((u, &v), &int) in entries.iter().zip(&values).zip(&integer) {
                    at.push(Override::with_value(
                        &u.parameter,
                        to_toml(v, int),
                        "uncertainty",
                    ));
                }
                match self.resolve_as_written(&at) {
                    Ok((drawn, _)) => {
                        draws.push(Draw {
                            levels,
                            values,
                            scenario: drawn,
                        });
                        break;
                    }
                    Err(Error::Scenario(e)) => {
                        redrawn += 1;
                        tries += 1;
                        if tries >= MAX_TRIES {
                            return Err(ScenarioError::new(
                                "uncertainty",
                                format!(
                                    "no set of the [[uncertainty]] values that the scenario's \
                                     rules accept was found in {MAX_TRIES} tries (the last was \
                                     refused because {})",
                                    e.message
                                ),
                            )
                            .into());
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(Ensemble {
            asked,
            draws,
            redrawn,
        })
    }
}

fn to_toml(v: f64, integer: bool) -> toml::Value {
    if integer {
        toml::Value::Integer(v.round() as i64)
    } else {
        toml::Value::Float(v)
    }
}

/// The first field of a distribution, for a message's example.
fn first_field(d: &Distribution) -> &'static str {
    match d {
        Distribution::Normal { .. } => "normal.mean",
        Distribution::LogNormal { .. } => "lognormal.median",
        Distribution::Uniform { .. } => "uniform.low",
        Distribution::Triangular { .. } => "triangular.mode",
    }
}
