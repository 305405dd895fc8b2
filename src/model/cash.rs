//! Cash pay: base paid continuously while employed, a bonus at each
//! completed year, a sign-on at the start.

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
