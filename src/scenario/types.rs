//! The scenario as the model reads it: every default filled in, every range
//! checked. Serialized back out by `equisim check` and into `summary.json`.

use serde::Serialize;
use std::fmt;

/// A fully resolved, validated scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub name: String,
    /// Label for money in reports ("USD", "EUR", ...).
    pub currency: String,
    pub simulation: Simulation,
    pub employee: Employee,
    pub company: Company,
    pub offer: Offer,
    pub alternative: Alternative,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<FloorSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepSpec>,
    pub report: ReportSpec,
    /// Taxes (tax.md); `None`: every value is before tax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax: Option<Tax>,
    /// Uncertain parameters (uncertainty.md), in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncertainty: Vec<Uncertainty>,
    /// The parameter draws of the `[[uncertainty]]` entries, made when the
    /// scenario is resolved; `None` without entries.
    #[serde(skip)]
    pub ensemble: Option<std::sync::Arc<super::ensemble::Ensemble>>,
}

/// One uncertain parameter: a numeric field and its distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncertainty {
    pub parameter: String,
    #[serde(flatten)]
    pub distribution: Distribution,
}

/// A parameter's distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    Normal {
        mean: f64,
        sd: f64,
    },
    #[serde(rename = "lognormal")]
    LogNormal {
        median: f64,
        sigma: f64,
    },
    Uniform {
        low: f64,
        high: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
}

impl Distribution {
    /// The `p`-quantile, `0 < p < 1`.
    ///
    /// # Formula
    ///
    /// normal `mean + sd Φ⁻¹(p)`; lognormal `median e^{σ Φ⁻¹(p)}`; uniform
    /// `low + p (high - low)`; triangular with `c = (mode - low) / (high -
    /// low)`: `low + sqrt(p c) (high - low)` for `p < c`, else `high -
    /// sqrt((1 - p)(1 - c)) (high - low)`.
    ///
    /// ```
    /// use equisim::scenario::Distribution;
    /// let t = Distribution::Triangular { low: 0.0, mode: 0.5, high: 1.0 };
    /// assert!((t.quantile(0.5) - 0.5).abs() < 1e-12);
    /// let n = Distribution::Normal { mean: 0.1, sd: 0.1 };
    /// assert!((n.quantile(0.9) - (0.1 + 0.1 * 1.2815515655446004)).abs() < 1e-9);
    /// ```
    pub fn quantile(&self, p: f64) -> f64 {
        use statrs::distribution::{ContinuousCDF, Normal};
        let z = || Normal::standard().inverse_cdf(p);
        match *self {
            Distribution::Normal { mean, sd } => {
                if sd == 0.0 {
                    mean
                } else {
                    mean + sd * z()
                }
            }
            Distribution::LogNormal { median, sigma } => {
                if sigma == 0.0 {
                    median
                } else {
                    median * (sigma * z()).exp()
                }
            }
            Distribution::Uniform { low, high } => low + p * (high - low),
            Distribution::Triangular { low, mode, high } => {
                let width = high - low;
                if width == 0.0 {
                    return low;
                }
                let c = (mode - low) / width;
                if p < c {
                    low + (p * c).sqrt() * width
                } else {
                    high - ((1.0 - p) * (1.0 - c)).sqrt() * width
                }
            }
        }
    }
}

/// `[tax]` resolved: the preset it started from and every rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tax {
    pub preset: TaxPreset,
    #[serde(flatten)]
    pub rates: TaxRates,
}

/// Marginal rates by kind of income, each in `[0, 1)`, and the holding
/// periods that choose between them (tax.md).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TaxRates {
    /// Cash pay: base, bonus, sign-on, pay after leaving.
    pub pay: f64,
    /// RSU income; option spreads taxed as income (NSO, ISO disqualifying).
    pub ordinary: f64,
    /// French-qualified stock options' exercise gain.
    pub qualified_spread: f64,
    /// Gains on shares held at least `long_term_years`.
    pub capital_gain: f64,
    /// Gains on shares held less than that.
    pub short_gain: f64,
    pub long_term_years: f64,
    /// ISO: rate on the spread of a cash exercise, paid then, credited at
    /// the sale.
    pub amt: f64,
    /// BSPCE exercise gain with at least `bspce_seniority_years` of
    /// seniority at the sale, and below that.
    pub bspce: f64,
    pub bspce_short: f64,
    pub bspce_seniority_years: f64,
    /// French qualified free shares' acquisition gain.
    pub free_shares: f64,
}

impl TaxRates {
    /// Every rate 0: the same totals as without a `[tax]` table.
    pub const NONE: TaxRates = TaxRates {
        pay: 0.0,
        ordinary: 0.0,
        qualified_spread: 0.0,
        capital_gain: 0.0,
        short_gain: 0.0,
        long_term_years: 0.0,
        amt: 0.0,
        bspce: 0.0,
        bspce_short: 0.0,
        bspce_seniority_years: super::defaults::tax::BSPCE_SENIORITY_YEARS,
        free_shares: 0.0,
    };
}

/// Where a `[tax]` table's rates start from (read as written, so the
/// file's names and these are one list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum TaxPreset {
    #[serde(rename = "fr-2026")]
    Fr2026,
    #[serde(rename = "us-ny-2026")]
    UsNy2026,
    #[serde(rename = "us-ca-2026")]
    UsCa2026,
    #[serde(rename = "none")]
    None,
}

impl TaxPreset {
    /// The name as written in a scenario.
    pub fn name(self) -> &'static str {
        match self {
            TaxPreset::Fr2026 => "fr-2026",
            TaxPreset::UsNy2026 => "us-ny-2026",
            TaxPreset::UsCa2026 => "us-ca-2026",
            TaxPreset::None => "none",
        }
    }
}

/// How an offer's equity is taxed (tax.md "The rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxTreatment {
    /// RSUs: their value as income when they pay.
    Rsu,
    /// Non-qualified stock options (US).
    Nso,
    /// Incentive stock options (US): the AMT on a cash exercise, long-term
    /// gains after the holding periods.
    Iso,
    /// French BSPCE.
    Bspce,
    /// French-qualified stock options (a plan on a foreign parent).
    QualifiedOptions,
    /// French qualified free shares (public RSUs only).
    FreeShares,
}

impl TaxTreatment {
    /// The name as written in a scenario.
    pub fn name(self) -> &'static str {
        match self {
            TaxTreatment::Rsu => "rsu",
            TaxTreatment::Nso => "nso",
            TaxTreatment::Iso => "iso",
            TaxTreatment::Bspce => "bspce",
            TaxTreatment::QualifiedOptions => "qualified_options",
            TaxTreatment::FreeShares => "free_shares",
        }
    }
}

/// Most amounts a report's thresholds may name.
pub const MAX_THRESHOLDS: usize = 16;

/// What a report adds beyond its standard figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportSpec {
    /// Amounts `A` for which `P(total ≥ A)` is reported for both offers.
    pub thresholds: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// Number of Monte Carlo paths.
    pub paths: u64,
    pub seed: u64,
    /// Comparison window `W` in years: nothing vests and no pay is earned after it.
    pub window_years: f64,
    /// Horizon `H` in years: no exit by then means a secondary sale at `H`.
    pub horizon_years: f64,
    /// Continuously compounded discount rate `r` per year.
    pub discount_rate: f64,
    /// Whether the scenario's drifts are used, or both replaced by `r`.
    pub measure: Measure,
    /// `K`, the parameter draws of an ensemble over the `[[uncertainty]]`
    /// entries (at most one per block of paths is made).
    pub uncertainty_draws: u64,
}

/// The probability measure the paths are drawn under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The scenario's drifts: what the person expects.
    RealWorld,
    /// Both drifts (the company's value and the public stock) set to the
    /// discount rate: every mean is a market value.
    RiskNeutral,
}

impl Measure {
    /// The drift a value with `drift` has under this measure, `rate` the
    /// discount rate.
    pub fn drift(self, drift: f64, rate: f64) -> f64 {
        match self {
            Measure::RealWorld => drift,
            Measure::RiskNeutral => rate,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Employee {
    /// Probability of leaving within a year.
    pub attrition_per_year: f64,
    /// CRRA relative risk aversion `γ`.
    pub risk_aversion: f64,
    /// Riskless outside wealth `w0` for the certainty equivalent.
    pub outside_wealth: f64,
    pub illiquidity: Illiquidity,
    /// Yearly pay from leaving to the window's end, the same beside both
    /// offers (the next job).
    pub base_after_leaving: f64,
}

/// How private proceeds are discounted for lack of marketability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Illiquidity {
    None,
    Flat { discount: f64 },
    Finnerty,
    Chaffe,
}

impl Illiquidity {
    pub fn method_name(&self) -> &'static str {
        match self {
            Illiquidity::None => "none",
            Illiquidity::Flat { .. } => "flat",
            Illiquidity::Finnerty => "finnerty",
            Illiquidity::Chaffe => "chaffe",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Company {
    /// Last post-money valuation `V0`.
    pub valuation: f64,
    pub drift: f64,
    pub volatility: f64,
    /// Liquidation preference stack `P`, in the valuation's currency.
    pub preference_stack: f64,
    /// Share `q` of fully diluted equity held by preferred.
    pub preferred_fraction: f64,
    pub rounds: Rounds,
    pub exit: Exit,
    /// Company-run tender offers while private, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tender: Option<Tender>,
}

/// Tender offers: a Poisson process of rate `per_year` from `from_years`
/// until the exit or the horizon, at each of which a person still employed
/// sells `fraction` of their vested, unsold shares at `1 - discount` times
/// the company's value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tender {
    pub per_year: f64,
    pub from_years: f64,
    pub fraction: f64,
    pub discount: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rounds {
    pub per_year: f64,
    pub dilution_mean: f64,
    pub dilution_sd: f64,
    pub pool_per_year: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exit {
    pub earliest_years: f64,
    pub ipo_per_year: f64,
    pub acquisition_per_year: f64,
    pub failure_per_year: f64,
    pub ipo_multiple: Multiple,
    pub acquisition_multiple: Multiple,
    pub lockup_years: f64,
    pub lockup_volatility: f64,
    pub secondary_discount: f64,
}

/// A log-normal multiple: `ln M ~ N(ln median, sigma²)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Multiple {
    pub median: f64,
    pub sigma: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    pub label: String,
    pub base: f64,
    pub bonus_rate: f64,
    pub sign_on: f64,
    pub equity: PrivateEquity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Instrument {
    Rsu,
    Options,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrivateEquity {
    /// Paper value of the initial grant at the last round's price.
    pub grant: f64,
    pub instrument: Instrument,
    pub strike_ratio: f64,
    pub exercise_window_years: f64,
    pub exercise_on_departure: ExerciseRule,
    pub acceleration_on_acquisition: f64,
    pub vesting: Vesting,
    pub refresh: Vec<Refresh>,
    /// How the equity is taxed when the scenario has a `[tax]` table.
    pub tax_treatment: TaxTreatment,
}

/// What a person who leaves does with vested options whose exercise window
/// closes before the company's exit (model v2 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseRule {
    /// Exercise a grant iff its vested shares are worth more than their
    /// strike at the company's value on the day of leaving.
    IfInTheMoney,
    /// Exercise whatever the value (v1's `true`).
    Always,
    /// Let them lapse (v1's `false`).
    Never,
}

/// A vesting schedule: `years`, a cliff, and a vest event every
/// `every_months`; the same share each year, or `weights` by year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Vesting {
    pub years: f64,
    pub cliff_years: f64,
    pub every_months: f64,
    /// The share of the grant that vests in each year (Amazon's
    /// `[0.05, 0.15, 0.40, 0.40]`); `None`: `1 / years` each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<YearWeights>,
}

/// Most years a weighted schedule may have (the weights are kept in a
/// fixed-size array so that a path never allocates).
pub const MAX_WEIGHTED_YEARS: usize = 10;

/// The share of a grant that vests in each year of a weighted schedule,
/// summing to 1, and their running sums.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearWeights {
    years: usize,
    weights: [f64; MAX_WEIGHTED_YEARS],
    /// `cumulative[k]`: the share vested by the end of year `k`.
    cumulative: [f64; MAX_WEIGHTED_YEARS + 1],
}

impl YearWeights {
    /// `weights` (at most [`MAX_WEIGHTED_YEARS`], each `>= 0`), divided by
    /// their sum so that the grant vests whole however they were rounded.
    /// `None` for an empty list, too many years or a sum that is not
    /// positive.
    pub fn new(weights: &[f64]) -> Option<YearWeights> {
        let sum: f64 = weights.iter().sum();
        if weights.is_empty() || weights.len() > MAX_WEIGHTED_YEARS || sum.is_nan() || sum <= 0.0 {
            return None;
        }
        let mut w = YearWeights {
            years: weights.len(),
            weights: [0.0; MAX_WEIGHTED_YEARS],
            cumulative: [0.0; MAX_WEIGHTED_YEARS + 1],
        };
        for (k, x) in weights.iter().enumerate() {
            w.weights[k] = x / sum;
            w.cumulative[k + 1] = w.cumulative[k] + w.weights[k];
        }
        w.cumulative[w.years] = 1.0;
        Some(w)
    }

    /// The weights, one a year.
    pub fn as_slice(&self) -> &[f64] {
        &self.weights[..self.years]
    }

    /// The share vested after `events` vest events, `per_year` of them a
    /// year, each year's share in equal tranches.
    #[inline]
    pub fn vested(&self, events: f64, per_year: f64) -> f64 {
        let full_years = (events / per_year + 1e-9) as usize;
        if full_years >= self.years {
            return 1.0;
        }
        let into_year = events - full_years as f64 * per_year;
        self.cumulative[full_years] + self.weights[full_years] * into_year / per_year
    }
}

impl Serialize for YearWeights {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

/// A refresh grant made at `at_years` with some probability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refresh {
    pub at_years: f64,
    /// Repeat every so many years after `at_years` while the date is
    /// before the window's end, each repeat decided on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub every_years: Option<f64>,
    pub probability: f64,
    #[serde(flatten)]
    pub amount: RefreshAmount,
    pub vesting: Vesting,
}

impl Refresh {
    /// The grant dates this entry stands for in a window of `window` years:
    /// `at_years`, then (with `every_years = k`) `at_years + k`,
    /// `at_years + 2k`, … while the date is before the window's end.
    ///
    /// ```
    /// use equisim::scenario::{Refresh, RefreshAmount, defaults};
    /// let r = Refresh {
    ///     at_years: 1.0,
    ///     every_years: Some(1.0),
    ///     probability: 0.8,
    ///     amount: RefreshAmount::GrantRatio(0.25),
    ///     vesting: defaults::offer::REFRESH_VESTING,
    /// };
    /// assert_eq!(r.dates(4.0).collect::<Vec<_>>(), [1.0, 2.0, 3.0]);
    /// ```
    pub fn dates(&self, window: f64) -> impl Iterator<Item = f64> + '_ {
        let repeats = self.every_years.map(move |k| {
            (1u32..)
                .map(move |n| self.at_years + f64::from(n) * k)
                .take_while(move |t| *t < window)
        });
        std::iter::once(self.at_years).chain(repeats.into_iter().flatten())
    }
}

/// A refresh's size: absolute, or a multiple of the offer's initial grant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshAmount {
    Grant(f64),
    GrantRatio(f64),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    pub label: String,
    pub base: f64,
    pub bonus_rate: f64,
    pub sign_on: f64,
    pub equity: PublicEquity,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicEquity {
    /// RSU value at today's price.
    pub grant: f64,
    pub vesting: Vesting,
    pub stock: Stock,
    pub refresh: Vec<Refresh>,
    /// How the RSUs are taxed when the scenario has a `[tax]` table.
    pub tax_treatment: TaxTreatment,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stock {
    pub drift: f64,
    pub volatility: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FloorSpec {
    pub solve_for: SolveFor,
    pub criteria: Vec<Criterion>,
}

impl Default for FloorSpec {
    /// What a floor solves when nothing says: [`super::defaults::SOLVE_FOR`]
    /// by [`super::defaults::FLOOR_CRITERIA`].
    fn default() -> Self {
        FloorSpec {
            solve_for: super::defaults::SOLVE_FOR,
            criteria: super::defaults::FLOOR_CRITERIA.to_vec(),
        }
    }
}

/// Which term of the private offer the floor solves for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SolveFor {
    Grant,
    Base,
}

/// A statistic of a value distribution that a floor makes equal across offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Criterion {
    Mean,
    Median,
    /// The NN-th percentile, 1..=99.
    Percentile(u8),
    /// The CRRA certainty equivalent.
    CertaintyEquivalent,
    /// `beatsNN`: the offer is worth at least the alternative on at least
    /// NN% of paths, 1..=99 (`beats50` is the pathwise median).
    Beats(u8),
}

impl Criterion {
    /// Parses `mean`, `median`, `ce`, `pNN` or `beatsNN` (NN in 1..=99),
    /// in any case (`P10` is how every output prints it).
    pub fn parse(text: &str) -> Option<Criterion> {
        let text = text.trim().to_ascii_lowercase();
        let text = text.as_str();
        match text {
            "mean" => Some(Criterion::Mean),
            "median" => Some(Criterion::Median),
            "ce" => Some(Criterion::CertaintyEquivalent),
            _ if text.starts_with("beats") => {
                Criterion::parse_share(&text["beats".len()..]).map(Criterion::Beats)
            }
            _ => Criterion::parse_share(text.strip_prefix('p')?).map(Criterion::Percentile),
        }
    }

    /// `NN` in 1..=99, one or two digits.
    fn parse_share(digits: &str) -> Option<u8> {
        if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u8 = digits.parse().ok()?;
        (1..=99).contains(&n).then_some(n)
    }
}

impl Criterion {
    /// The share of paths on which a `beatsNN` floor has the offer worth at
    /// least the alternative.
    pub fn beats_share(self) -> Option<f64> {
        match self {
            Criterion::Beats(n) => Some(n as f64 / 100.0),
            _ => None,
        }
    }

    /// The share of a percentile criterion, the median being the 50th
    /// percentile; `None` for the mean, the certainty equivalent and
    /// `beatsNN`.
    pub fn quantile(self) -> Option<f64> {
        match self {
            Criterion::Median => Some(0.5),
            Criterion::Percentile(p) => Some(p as f64 / 100.0),
            Criterion::Mean | Criterion::CertaintyEquivalent | Criterion::Beats(_) => None,
        }
    }
}

impl fmt::Display for Criterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Criterion::Mean => f.write_str("mean"),
            Criterion::Median => f.write_str("median"),
            Criterion::Percentile(n) => write!(f, "p{n}"),
            Criterion::CertaintyEquivalent => f.write_str("ce"),
            Criterion::Beats(n) => write!(f, "beats{n}"),
        }
    }
}

impl Serialize for Criterion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepSpec {
    /// Dotted path of a numeric scenario field.
    pub parameter: String,
    pub from: f64,
    pub to: f64,
    pub steps: u64,
}
