//! The scenario file as written: every field optional, unknown fields
//! rejected. The resolver turns it into a [`super::Scenario`] with the
//! defaults filled in and every range checked.

use super::types::{TaxPreset, TaxTreatment};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub currency: Option<String>,
    #[serde(default)]
    pub simulation: RawSimulation,
    #[serde(default)]
    pub employee: RawEmployee,
    #[serde(default)]
    pub company: RawCompany,
    #[serde(default)]
    pub offer: RawOffer,
    #[serde(default)]
    pub alternative: RawAlternative,
    pub floor: Option<RawFloor>,
    pub sweep: Option<RawSweep>,
    pub report: Option<RawReport>,
    pub tax: Option<RawTax>,
    #[serde(default)]
    pub uncertainty: Vec<RawUncertainty>,
}

/// `[[uncertainty]]`: a numeric field and exactly one distribution
/// (uncertainty.md).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUncertainty {
    pub parameter: Option<String>,
    pub normal: Option<RawNormal>,
    pub lognormal: Option<RawLogNormal>,
    pub uniform: Option<RawUniform>,
    pub triangular: Option<RawTriangular>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNormal {
    pub mean: f64,
    pub sd: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLogNormal {
    pub median: f64,
    pub sigma: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUniform {
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTriangular {
    pub low: f64,
    pub mode: f64,
    pub high: f64,
}

/// `[tax]`: a preset and marginal rates by kind of income (tax.md). The
/// presets are written in this same form (`presets/*.toml`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTax {
    pub preset: Option<TaxPreset>,
    pub pay: Option<f64>,
    pub ordinary: Option<f64>,
    pub qualified_spread: Option<f64>,
    pub capital_gain: Option<f64>,
    pub short_gain: Option<f64>,
    pub long_term_years: Option<f64>,
    pub amt: Option<f64>,
    pub bspce: Option<f64>,
    pub bspce_short: Option<f64>,
    pub bspce_seniority_years: Option<f64>,
    pub free_shares: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    #[serde(default, deserialize_with = "whole_number")]
    pub paths: Option<u64>,
    #[serde(default, deserialize_with = "whole_number")]
    pub seed: Option<u64>,
    pub window_years: Option<f64>,
    pub horizon_years: Option<f64>,
    pub discount_rate: Option<f64>,
    pub measure: Option<RawMeasure>,
    #[serde(default, deserialize_with = "whole_number")]
    pub uncertainty_draws: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawMeasure {
    RealWorld,
    RiskNeutral,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEmployee {
    pub attrition_per_year: Option<f64>,
    pub risk_aversion: Option<f64>,
    pub outside_wealth: Option<f64>,
    pub illiquidity: Option<RawIlliquidity>,
    pub base_after_leaving: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIlliquidity {
    pub method: Option<RawIlliquidityMethod>,
    pub discount: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawIlliquidityMethod {
    None,
    Flat,
    Finnerty,
    Chaffe,
}

impl RawIlliquidityMethod {
    /// The name as written in a scenario.
    pub fn name(self) -> &'static str {
        match self {
            RawIlliquidityMethod::None => "none",
            RawIlliquidityMethod::Flat => "flat",
            RawIlliquidityMethod::Finnerty => "finnerty",
            RawIlliquidityMethod::Chaffe => "chaffe",
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompany {
    pub valuation: Option<f64>,
    pub drift: Option<f64>,
    pub volatility: Option<f64>,
    pub preference_stack: Option<f64>,
    pub preferred_fraction: Option<f64>,
    #[serde(default)]
    pub rounds: RawRounds,
    #[serde(default)]
    pub exit: RawExit,
    pub tender: Option<RawTender>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTender {
    pub per_year: Option<f64>,
    pub from_years: Option<f64>,
    pub fraction: Option<f64>,
    pub discount: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRounds {
    pub per_year: Option<f64>,
    pub dilution_mean: Option<f64>,
    pub dilution_sd: Option<f64>,
    pub pool_per_year: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExit {
    pub earliest_years: Option<f64>,
    pub ipo_per_year: Option<f64>,
    pub acquisition_per_year: Option<f64>,
    pub failure_per_year: Option<f64>,
    pub ipo_multiple: Option<RawMultiple>,
    pub acquisition_multiple: Option<RawMultiple>,
    pub lockup_years: Option<f64>,
    pub lockup_volatility: Option<f64>,
    pub secondary_discount: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMultiple {
    pub median: Option<f64>,
    pub sigma: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOffer {
    pub label: Option<String>,
    pub base: Option<f64>,
    pub bonus_rate: Option<f64>,
    pub sign_on: Option<f64>,
    #[serde(default)]
    pub equity: RawPrivateEquity,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrivateEquity {
    pub grant: Option<f64>,
    pub instrument: Option<RawInstrument>,
    pub strike_ratio: Option<f64>,
    pub exercise_window_years: Option<f64>,
    pub exercise_on_departure: Option<RawExerciseRule>,
    pub acceleration_on_acquisition: Option<f64>,
    pub vesting: Option<RawVesting>,
    #[serde(default)]
    pub refresh: Vec<RawRefresh>,
    pub tax_treatment: Option<TaxTreatment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawInstrument {
    Rsu,
    Options,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVesting {
    pub years: Option<f64>,
    pub cliff_years: Option<f64>,
    pub every_months: Option<f64>,
    pub weights: Option<Vec<f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRefresh {
    pub at_years: Option<f64>,
    pub every_years: Option<f64>,
    pub probability: Option<f64>,
    pub grant: Option<f64>,
    pub grant_ratio: Option<f64>,
    pub vesting: Option<RawVesting>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlternative {
    pub label: Option<String>,
    pub base: Option<f64>,
    pub bonus_rate: Option<f64>,
    pub sign_on: Option<f64>,
    #[serde(default)]
    pub equity: RawPublicEquity,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPublicEquity {
    pub grant: Option<f64>,
    pub vesting: Option<RawVesting>,
    pub stock: Option<RawStock>,
    #[serde(default)]
    pub refresh: Vec<RawRefresh>,
    pub tax_treatment: Option<TaxTreatment>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStock {
    pub drift: Option<f64>,
    pub volatility: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFloor {
    pub solve_for: Option<RawSolveFor>,
    pub criteria: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawSolveFor {
    Grant,
    Base,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    pub parameter: Option<String>,
    pub from: Option<f64>,
    pub to: Option<f64>,
    #[serde(default, deserialize_with = "whole_number")]
    pub steps: Option<u64>,
}

/// `exercise_on_departure`: a rule by name, or v1's booleans (`true` is
/// `"always"`, `false` is `"never"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawExerciseRule {
    IfInTheMoney,
    Always,
    Never,
}

impl<'de> Deserialize<'de> for RawExerciseRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Rule;
        const NAMES: &[&str] = &["if_in_the_money", "always", "never"];
        impl serde::de::Visitor<'_> for Rule {
            type Value = RawExerciseRule;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("one of \"if_in_the_money\", \"always\", \"never\" (or true, false)")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<RawExerciseRule, E> {
                Ok(if v {
                    RawExerciseRule::Always
                } else {
                    RawExerciseRule::Never
                })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawExerciseRule, E> {
                match v {
                    "if_in_the_money" => Ok(RawExerciseRule::IfInTheMoney),
                    "always" => Ok(RawExerciseRule::Always),
                    "never" => Ok(RawExerciseRule::Never),
                    other => Err(E::unknown_variant(other, NAMES)),
                }
            }
        }
        d.deserialize_any(Rule)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub thresholds: Option<Vec<f64>>,
}

/// A whole number `>= 0`, written as an integer or as a float that is
/// exactly one (`paths = 2.5e5`).
fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    struct Whole;
    impl serde::de::Visitor<'_> for Whole {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number >= 0")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Option<u64>, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Option<u64>, E> {
            u64::try_from(v)
                .map(Some)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Option<u64>, E> {
            // Exactly whole, and small enough that every whole float up to
            // it is one integer (2^53).
            if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0 {
                Ok(Some(v as u64))
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
            }
        }
    }
    d.deserialize_any(Whole)
}
