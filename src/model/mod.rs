//! The valuation model: the person, the private company and the two
//! offers, compiled from a [`Scenario`] into the constants the engine's hot
//! loop needs.
//!
//! Time `t` is in years from the offer's start; every cash flow is
//! discounted by `e^{-r t}`. See the README for the model in words.

pub mod cash;
pub mod company;
pub mod illiquidity;
pub mod offers;
pub mod tax;
pub mod vesting;

use crate::scenario::{Illiquidity, Scenario};
use company::{ExitProcess, RoundDilution};
use offers::{PrivateOffer, PublicOffer};

/// Everything the engine needs, precomputed once per scenario.
#[derive(Debug, Clone)]
pub struct Model {
    /// Comparison window `W`, years.
    pub window_years: f64,
    /// Horizon `H`, years.
    pub horizon_years: f64,
    /// Discount rate `r`, continuous, per year.
    pub discount_rate: f64,
    /// Departure hazard `λ = -ln(1 - a)` per year (0: never leaves).
    pub departure_rate: f64,
    /// `V0`, the last post-money valuation.
    pub valuation: f64,
    /// `μ - σ²/2` of the company value's log.
    pub value_log_drift: f64,
    pub value_volatility: f64,
    pub preference_stack: f64,
    pub preferred_fraction: f64,
    pub exit: ExitProcess,
    pub rounds_per_year: f64,
    pub round_dilution: RoundDilution,
    pub pool_per_year: f64,
    pub illiquidity: Illiquidity,
    /// Yearly pay from leaving to the window's end, beside both offers.
    pub base_after_leaving: f64,
    /// Tender offers while the company is private.
    pub tender: Option<crate::scenario::Tender>,
    pub offer: PrivateOffer,
    pub alternative: PublicOffer,
    /// The tax rules, when the scenario has a `[tax]` table.
    pub tax: Option<tax::TaxModel>,
}

impl Model {
    pub fn new(s: &Scenario) -> Model {
        let c = &s.company;
        let (measure, rate) = (s.simulation.measure, s.simulation.discount_rate);
        Model {
            window_years: s.simulation.window_years,
            horizon_years: s.simulation.horizon_years,
            discount_rate: s.simulation.discount_rate,
            departure_rate: -(-s.employee.attrition_per_year).ln_1p(),
            valuation: c.valuation,
            value_log_drift: measure.drift(c.drift, rate) - 0.5 * c.volatility * c.volatility,
            value_volatility: c.volatility,
            preference_stack: c.preference_stack,
            preferred_fraction: c.preferred_fraction,
            exit: ExitProcess::new(c),
            rounds_per_year: c.rounds.per_year,
            round_dilution: RoundDilution::new(c.rounds.dilution_mean, c.rounds.dilution_sd),
            pool_per_year: c.rounds.pool_per_year,
            illiquidity: s.employee.illiquidity,
            base_after_leaving: s.employee.base_after_leaving,
            tender: s.company.tender,
            tax: s.tax.map(|t| {
                tax::TaxModel::new(
                    &t,
                    s.offer.equity.tax_treatment,
                    s.alternative.equity.tax_treatment,
                )
            }),
            offer: PrivateOffer::new(&s.offer, s.simulation.window_years),
            alternative: PublicOffer::new(
                &s.alternative,
                s.simulation.window_years,
                measure.drift(s.alternative.equity.stock.drift, rate),
            ),
        }
    }

    /// The share of cash pay kept after tax (1 without a `[tax]` table).
    #[inline]
    pub fn pay_kept(&self) -> f64 {
        self.tax.map_or(1.0, |t| t.pay_kept())
    }

    /// The fraction of private proceeds kept after the illiquidity discount
    /// for a path whose proceeds arrive at `tau` years.
    #[inline]
    pub fn liquidity_factor(&self, tau: f64) -> f64 {
        match self.illiquidity {
            Illiquidity::None => 1.0,
            Illiquidity::Flat { discount } => 1.0 - discount,
            Illiquidity::Finnerty => 1.0 - illiquidity::finnerty(self.value_volatility, tau),
            Illiquidity::Chaffe => {
                1.0 - illiquidity::chaffe(self.value_volatility, tau, self.discount_rate)
            }
        }
    }
}
