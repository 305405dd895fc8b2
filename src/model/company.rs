//! The private company: exit outcomes, liquidation preferences, dilution.

use crate::scenario::{Company, Multiple};

/// How a path's company story ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum Outcome {
    /// An IPO at `T ≤ H`; the holder sells after the lockup.
    Ipo = 0,
    /// An acquisition at `T ≤ H`; preferences apply.
    Acquisition = 1,
    /// A failure at `T ≤ H`; common stock is worth nothing.
    Failure = 2,
    /// No exit by the horizon `H`; a secondary sale at a discount.
    #[default]
    Private = 3,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Ipo,
        Outcome::Acquisition,
        Outcome::Failure,
        Outcome::Private,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Outcome::Ipo => "ipo",
            Outcome::Acquisition => "acquisition",
            Outcome::Failure => "failure",
            Outcome::Private => "private",
        }
    }

    /// Whether the company reached a liquidity event (IPO or acquisition).
    pub fn is_liquidity_event(self) -> bool {
        matches!(self, Outcome::Ipo | Outcome::Acquisition)
    }
}

/// What common stock receives when the company is sold for `value`, with a
/// 1x non-participating preference stack `P` held by preferred owning a
/// share `q` of fully diluted equity:
/// `C(V) = V - min(V, max(P, q V))`.
///
/// A holder of fraction `φ` of fully diluted equity receives `φ / (1 - q) · C(V)`.
///
/// ```
/// use equisim::model::company::common_proceeds;
/// assert_eq!(common_proceeds(100.0, 0.0, 0.5), 50.0);   // preferred convert: q V
/// assert_eq!(common_proceeds(30.0, 40.0, 0.5), 0.0);    // below the stack
/// assert_eq!(common_proceeds(60.0, 40.0, 0.5), 20.0);   // preference taken
/// ```
#[inline]
pub fn common_proceeds(value: f64, preference_stack: f64, preferred_fraction: f64) -> f64 {
    value - value.min(preference_stack.max(preferred_fraction * value))
}

/// The company's exit process, compiled for the hot loop.
#[derive(Debug, Clone)]
pub struct ExitProcess {
    /// Exit hazard `h = -ln(1 - p)` per year (0: never).
    pub hazard: f64,
    pub earliest_years: f64,
    /// `p_ipo / p`: a uniform draw below it is an IPO.
    pub ipo_share: f64,
    /// `(p_ipo + p_acq) / p`: below it (and not an IPO) an acquisition.
    pub ipo_or_acquisition_share: f64,
    pub ipo_multiple: LogNormal,
    pub acquisition_multiple: LogNormal,
    pub lockup_years: f64,
    /// Lockup price move `exp(lockup_drift + lockup_scale Z)`.
    pub lockup_drift: f64,
    pub lockup_scale: f64,
    /// `1 - secondary_discount`.
    pub secondary_keep: f64,
}

/// A lognormal multiple `M = exp(ln median + sigma Z)`.
#[derive(Debug, Clone, Copy)]
pub struct LogNormal {
    pub log_median: f64,
    pub sigma: f64,
}

impl LogNormal {
    fn new(m: &Multiple) -> LogNormal {
        LogNormal {
            log_median: m.median.ln(),
            sigma: m.sigma,
        }
    }

    /// `ln M = ln median + sigma z` at the standard normal draw `z` (the
    /// engine adds it to the log value before one exponential).
    #[inline]
    pub fn log_at(&self, z: f64) -> f64 {
        self.log_median + self.sigma * z
    }
}

impl ExitProcess {
    pub fn new(c: &Company) -> ExitProcess {
        let e = &c.exit;
        let p = e.ipo_per_year + e.acquisition_per_year + e.failure_per_year;
        let (ipo_share, ipo_or_acquisition_share) = if p > 0.0 {
            (
                e.ipo_per_year / p,
                (e.ipo_per_year + e.acquisition_per_year) / p,
            )
        } else {
            (0.0, 0.0)
        };
        let sl = e.lockup_volatility;
        ExitProcess {
            hazard: -(-p).ln_1p(),
            earliest_years: e.earliest_years,
            ipo_share,
            ipo_or_acquisition_share,
            ipo_multiple: LogNormal::new(&e.ipo_multiple),
            acquisition_multiple: LogNormal::new(&e.acquisition_multiple),
            lockup_years: e.lockup_years,
            lockup_drift: -0.5 * sl * sl * e.lockup_years,
            lockup_scale: sl * e.lockup_years.sqrt(),
            secondary_keep: 1.0 - e.secondary_discount,
        }
    }

    /// Probability that the exit comes by the horizon `H`:
    /// `P(T ≤ H) = 1 - e^{-h (H - earliest)}` for `H ≥ earliest`.
    pub fn probability_by(&self, horizon: f64) -> f64 {
        if horizon < self.earliest_years {
            0.0
        } else {
            -(-self.hazard * (horizon - self.earliest_years)).exp_m1()
        }
    }
}

/// How each funding round dilutes: a Beta draw, or a fixed fraction when
/// its sd is 0.
#[derive(Debug, Clone, Copy)]
pub enum RoundDilution {
    Fixed(f64),
    Beta { alpha: f64, beta: f64 },
}

impl RoundDilution {
    /// Method of moments: `ν = m (1 - m) / s² - 1`, `α = m ν`, `β = (1 - m) ν`.
    /// An sd so small that `ν` overflows is the Beta's limit, the point
    /// mass at `m`.
    pub fn new(mean: f64, sd: f64) -> RoundDilution {
        let nu = mean * (1.0 - mean) / (sd * sd) - 1.0;
        if sd == 0.0 || nu.is_infinite() {
            return RoundDilution::Fixed(mean);
        }
        RoundDilution::Beta {
            alpha: mean * nu,
            beta: (1.0 - mean) * nu,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_formula() {
        // P = 0: common gets (1 - q) V, a holder φ / (1 - q) of that = φ V.
        let (v, q) = (1000.0, 0.55);
        assert!((common_proceeds(v, 0.0, q) / (1.0 - q) - v).abs() < 1e-9);
        // V below the stack: nothing for common.
        assert_eq!(common_proceeds(300.0, 400.0, q), 0.0);
        // Conversion point V = P / q: both sides of the max agree.
        let p = 400.0;
        let conv = p / q;
        assert!((common_proceeds(conv, p, q) - (1.0 - q) * conv).abs() < 1e-9);
        // Just below it, the preference binds: common gets V - P.
        assert!((common_proceeds(conv * 0.9, p, q) - (conv * 0.9 - p)).abs() < 1e-9);
        // Above it preferred convert.
        assert!((common_proceeds(conv * 2.0, p, q) - (1.0 - q) * conv * 2.0).abs() < 1e-9);
    }

    #[test]
    fn beta_moments() {
        match RoundDilution::new(0.1, 0.03) {
            RoundDilution::Beta { alpha, beta } => {
                let m = alpha / (alpha + beta);
                let var = alpha * beta / ((alpha + beta).powi(2) * (alpha + beta + 1.0));
                assert!((m - 0.1).abs() < 1e-12);
                assert!((var.sqrt() - 0.03).abs() < 1e-12);
            }
            RoundDilution::Fixed(_) => panic!("expected a Beta"),
        }
    }
}
