//! Cash pay: base paid continuously while employed, a bonus at each
//! completed year, a sign-on at the start, and the pay of the next job
//! from leaving to the window's end.

/// Present value of one unit of yearly base, paid continuously until `E`
/// and discounted at `r`, plus `bonus_rate` units at each completed year
/// `k ≤ E`: `(1 - e^{-rE}) / r + Σ_k bonus_rate e^{-rk}`.
///
/// ```
/// use equisim::model::cash::pay_factor;
/// assert_eq!(pay_factor(4.0, 0.0, 0.1), 4.0 + 0.4);
/// let with_rate = pay_factor(1.0, 0.05, 0.0);
/// assert!((with_rate - (1.0 - (-0.05f64).exp()) / 0.05).abs() < 1e-15);
/// ```
#[inline]
pub fn pay_factor(employed_years: f64, rate: f64, bonus_rate: f64) -> f64 {
    let base = if rate == 0.0 {
        employed_years
    } else {
        -(-rate * employed_years).exp_m1() / rate
    };
    if bonus_rate == 0.0 {
        return base;
    }
    // Completed years, with the same tolerance as vesting so E = 4.0 pays 4.
    let years = (employed_years + 1e-9).floor() as u32;
    let step = (-rate).exp();
    let mut df = 1.0;
    let mut bonus = 0.0;
    for _ in 0..years {
        df *= step;
        bonus += df;
    }
    base + bonus_rate * bonus
}

/// Present value of one unit of yearly pay earned continuously from
/// leaving at `E` to the window's end `W` (model v2 §3):
/// `(e^{-rE} - e^{-rW}) / r`, `W - E` at `r = 0`; 0 when `E ≥ W`.
///
/// ```
/// use equisim::model::cash::{pay_after_leaving, pay_factor};
/// assert_eq!(pay_after_leaving(1.5, 4.0, 0.0), 2.5);
/// assert_eq!(pay_after_leaving(4.0, 4.0, 0.05), 0.0);
/// // Together with the pay while employed, the whole window.
/// let whole = pay_factor(1.5, 0.05, 0.0) + pay_after_leaving(1.5, 4.0, 0.05);
/// assert!((whole - pay_factor(4.0, 0.05, 0.0)).abs() < 1e-12);
/// ```
#[inline]
pub fn pay_after_leaving(employed_years: f64, window_years: f64, rate: f64) -> f64 {
    if employed_years >= window_years {
        return 0.0;
    }
    if rate == 0.0 {
        window_years - employed_years
    } else {
        ((-rate * employed_years).exp() - (-rate * window_years).exp()) / rate
    }
}
