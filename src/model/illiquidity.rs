//! Discounts for lack of marketability (DLOM) and the normal distribution
//! functions they need.
//!
//! All functions take an annual volatility `σ` and a time to liquidity `T`
//! in years and return the discount as a fraction of value (0.0685 = 6.85%).

use statrs::function::erf::erfc;
use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Standard normal CDF, `N(x) = erfc(-x/√2) / 2`.
#[inline]
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x * FRAC_1_SQRT_2)
}

/// Finnerty's (2012) average-strike put DLOM:
///
/// `vT = sqrt(σ²T + ln(2(e^{σ²T} - σ²T - 1)) - 2 ln(e^{σ²T} - 1))`,
/// `DLOM = N(vT/2) - N(-vT/2)`.
///
/// ```
/// let d = equisim::model::illiquidity::finnerty(0.3, 1.0);
/// assert!((d - 0.0685).abs() < 5e-5);
/// ```
pub fn finnerty(sigma: f64, years: f64) -> f64 {
    let x = sigma * sigma * years;
    if x.is_nan() || x <= 0.0 {
        return 0.0;
    }
    let v2 = if x < 1e-4 {
        // Series of the expression below, `x/3 - x²/18 + O(x³)`:
        // cancellation would eat every digit.
        x / 3.0 - x * x / 18.0
    } else if x < 1.0 {
        let em1 = x.exp_m1();
        x + (2.0 * (em1 - x)).ln() - 2.0 * em1.ln()
    } else {
        // Same expression with e^x factored out, so large σ²T cannot overflow.
        let e = (-x).exp();
        std::f64::consts::LN_2 + (-(x + 1.0) * e).ln_1p() - 2.0 * (-e).ln_1p()
    };
    let half = v2.max(0.0).sqrt() / 2.0;
    normal_cdf(half) - normal_cdf(-half)
}

/// Black–Scholes European put on a non-dividend stock.
///
/// ```
/// // S = K = 30, one year, r = 2%, σ = 50%
/// let p = equisim::model::illiquidity::black_scholes_put(30.0, 30.0, 1.0, 0.02, 0.5);
/// assert!((p - 5.57).abs() < 0.005);
/// ```
pub fn black_scholes_put(spot: f64, strike: f64, years: f64, rate: f64, sigma: f64) -> f64 {
    let df = (-rate * years).exp();
    let sd = sigma * years.sqrt();
    if sd.is_nan() || sd <= 0.0 {
        return (strike * df - spot).max(0.0);
    }
    let d1 = ((spot / strike).ln() + (rate + 0.5 * sigma * sigma) * years) / sd;
    let d2 = d1 - sd;
    strike * df * normal_cdf(-d2) - spot * normal_cdf(-d1)
}

/// Chaffe's (1993) DLOM: an at-the-money Black–Scholes put with `S = K = 1`,
/// the discount rate `r`, volatility `σ` and `T`.
pub fn chaffe(sigma: f64, years: f64, rate: f64) -> f64 {
    black_scholes_put(1.0, 1.0, years, rate, sigma)
}

/// Longstaff's (1995) lookback upper bound:
/// `(2 + σ²T/2) N(√(σ²T)/2) + √(σ²T/(2π)) e^{-σ²T/8} - 1`.
pub fn longstaff(sigma: f64, years: f64) -> f64 {
    let x = sigma * sigma * years;
    (2.0 + x / 2.0) * normal_cdf(x.sqrt() / 2.0) + (x / (2.0 * PI)).sqrt() * (-x / 8.0).exp() - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_values() {
        assert!(
            (finnerty(0.3, 1.0) - 0.0685).abs() < 5e-5,
            "{}",
            finnerty(0.3, 1.0)
        );
        assert!(
            (finnerty(0.5, 3.0) - 0.1852).abs() < 5e-5,
            "{}",
            finnerty(0.5, 3.0)
        );
        assert!(
            (chaffe(0.5, 1.0, 0.0) - 0.1974).abs() < 5e-5,
            "{}",
            chaffe(0.5, 1.0, 0.0)
        );
        assert!((black_scholes_put(30.0, 30.0, 1.0, 0.02, 0.5) - 5.57).abs() < 5e-3);
        assert!(
            (longstaff(0.3, 1.0) - 0.2628).abs() < 5e-5,
            "{}",
            longstaff(0.3, 1.0)
        );
        assert!(
            (longstaff(0.5, 1.0) - 0.4656).abs() < 5e-5,
            "{}",
            longstaff(0.5, 1.0)
        );
    }

    #[test]
    fn finnerty_branches_join_smoothly() {
        for &x in &[1e-4, 1.0] {
            let lo = finnerty(1.0, x * (1.0 - 1e-9));
            let hi = finnerty(1.0, x * (1.0 + 1e-9));
            assert!((lo - hi).abs() < 1e-7, "{x}: {lo} vs {hi}");
        }
        assert_eq!(finnerty(0.0, 5.0), 0.0);
        let big = finnerty(3.0, 100.0);
        assert!(big.is_finite() && big > 0.3 && big < 1.0, "{big}");
    }

    /// The small-argument series meets the closed form where it takes over.
    /// The closed form itself loses about 7 digits to cancellation there, so
    /// they agree to 1e-6 relative; the old series (`+ x²/90`) was off by
    /// 1e-5.
    #[test]
    fn finnerty_series_meets_the_closed_form() {
        for x in [0.5e-4, 0.99e-4] {
            let em1: f64 = f64::exp_m1(x);
            let v2 = x + (2.0 * (em1 - x)).ln() - 2.0 * em1.ln();
            let direct = normal_cdf(v2.sqrt() / 2.0) - normal_cdf(-v2.sqrt() / 2.0);
            let series = finnerty(x.sqrt(), 1.0);
            assert!(
                (series - direct).abs() <= 1e-6 * direct,
                "x = {x}: {series} against {direct}"
            );
        }
    }
}
