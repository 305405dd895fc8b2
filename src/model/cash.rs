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
    let base = continuous(employed_years, rate);
    if bonus_rate == 0.0 {
        return base;
    }
    base + bonus_rate * bonus_years(employed_years, (-rate).exp())
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
    after_leaving(
        employed_years,
        window_years,
        rate,
        (-rate * window_years).exp(),
    )
}

/// `(1 - e^{-rE}) / r`, `E` at `r = 0`: one unit of yearly base paid
/// continuously until `E`.
#[inline]
fn continuous(employed_years: f64, rate: f64) -> f64 {
    if rate == 0.0 {
        employed_years
    } else {
        -(-rate * employed_years).exp_m1() / rate
    }
}

/// `Σ_{k ≤ E} e^{-rk}` over completed years `k ≥ 1`, `year_discount` being
/// `e^{-r}`: one unit of bonus at each.
#[inline]
fn bonus_years(employed_years: f64, year_discount: f64) -> f64 {
    // Completed years, with the same tolerance as vesting so E = 4.0 pays 4.
    let years = (employed_years + 1e-9).floor() as u32;
    let mut df = 1.0;
    let mut bonus = 0.0;
    for _ in 0..years {
        df *= year_discount;
        bonus += df;
    }
    bonus
}

/// [`pay_after_leaving`] with `window_discount = e^{-rW}`.
#[inline]
fn after_leaving(employed_years: f64, window_years: f64, rate: f64, window_discount: f64) -> f64 {
    if employed_years >= window_years {
        return 0.0;
    }
    if rate == 0.0 {
        window_years - employed_years
    } else {
        ((-rate * employed_years).exp() - window_discount) / rate
    }
}

/// The discounting of cash pay over one window at one rate, its constants
/// (`e^{-r}`, `e^{-rW}`) computed once rather than on every path: the
/// per-path factors every offer's pay is built from ([`UnitPay`]), the
/// same numbers to the bit as [`pay_factor`] and [`pay_after_leaving`].
#[derive(Debug, Clone, Copy)]
pub struct PayDiscounting {
    rate: f64,
    window_years: f64,
    year_discount: f64,
    window_discount: f64,
    with_bonus: bool,
    with_pay_after_leaving: bool,
    /// The unit pay of a path employed the whole window: the one
    /// `employed_years` every path that stays shares.
    whole_window: UnitPay,
}

/// One path's cash pay per unit, from its years employed `E`: what an
/// offer's pay is, for any base, bonus rate and sign-on, and what the next
/// job pays after leaving.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnitPay {
    /// `(1 - e^{-rE}) / r`: one unit of yearly base paid until `E`.
    pub continuous: f64,
    /// `Σ_{k ≤ E} e^{-rk}`: one unit of bonus at each completed year (0
    /// when neither offer pays a bonus).
    pub bonus_years: f64,
    /// [`pay_after_leaving`]: one unit of yearly pay from `E` to the
    /// window's end (0 when nothing is earned after leaving).
    pub after_leaving: f64,
}

impl UnitPay {
    /// [`pay_factor`] at `bonus_rate`.
    #[inline]
    pub fn pay_factor(&self, bonus_rate: f64) -> f64 {
        if bonus_rate == 0.0 {
            self.continuous
        } else {
            self.continuous + bonus_rate * self.bonus_years
        }
    }
}

impl PayDiscounting {
    /// Discounting at `rate` over `window_years`. The bonus sum is taken
    /// only `with_bonus` (some offer pays one), the pay after leaving only
    /// `with_pay_after_leaving` (the next job pays something).
    pub fn new(
        rate: f64,
        window_years: f64,
        with_bonus: bool,
        with_pay_after_leaving: bool,
    ) -> PayDiscounting {
        let mut discounting = PayDiscounting {
            rate,
            window_years,
            year_discount: (-rate).exp(),
            window_discount: (-rate * window_years).exp(),
            with_bonus,
            with_pay_after_leaving,
            whole_window: UnitPay::default(),
        };
        discounting.whole_window = discounting.computed_at(window_years);
        discounting
    }

    /// The unit pay of a path employed `employed_years`.
    ///
    /// Every path that stays is employed exactly the window, so that unit
    /// pay is computed once: it is the same function of the same number,
    /// and skips an `exp` and an `exp_m1` on those paths.
    #[inline]
    pub fn at(&self, employed_years: f64) -> UnitPay {
        if employed_years == self.window_years {
            self.whole_window
        } else {
            self.computed_at(employed_years)
        }
    }

    #[inline]
    fn computed_at(&self, employed_years: f64) -> UnitPay {
        UnitPay {
            continuous: continuous(employed_years, self.rate),
            bonus_years: if self.with_bonus {
                bonus_years(employed_years, self.year_discount)
            } else {
                0.0
            },
            after_leaving: if self.with_pay_after_leaving {
                after_leaving(
                    employed_years,
                    self.window_years,
                    self.rate,
                    self.window_discount,
                )
            } else {
                0.0
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hoisted_discounting_gives_the_functions_bits() {
        for rate in [0.0, 0.0375, 0.2, -0.01] {
            let d = PayDiscounting::new(rate, 4.0, true, true);
            for e in [
                0.0,
                1e-12,
                0.5,
                1.0 - 1e-10,
                1.0,
                2.75,
                3.999_999_999_5,
                4.0,
                6.0,
            ] {
                let unit = d.at(e);
                for bonus in [0.0, 0.1, 0.15] {
                    assert_eq!(
                        unit.pay_factor(bonus).to_bits(),
                        pay_factor(e, rate, bonus).to_bits(),
                        "rate {rate}, E {e}, bonus {bonus}"
                    );
                }
                assert_eq!(
                    unit.after_leaving.to_bits(),
                    pay_after_leaving(e, 4.0, rate).to_bits(),
                    "rate {rate}, E {e}"
                );
            }
        }
        // The window's own unit pay is computed once, at construction: the
        // same bits as computing it at a path's `E`.
        let odd_window = PayDiscounting::new(0.0375, 3.7, true, true);
        let kept = odd_window.at(3.7);
        let computed = odd_window.computed_at(3.7);
        assert_eq!(kept.continuous.to_bits(), computed.continuous.to_bits());
        assert_eq!(kept.bonus_years.to_bits(), computed.bonus_years.to_bits());
        assert_eq!(
            kept.after_leaving.to_bits(),
            computed.after_leaving.to_bits()
        );
        assert_eq!(
            kept.continuous.to_bits(),
            pay_factor(3.7, 0.0375, 0.0).to_bits()
        );
        let bare = PayDiscounting::new(0.05, 4.0, false, false).at(2.5);
        assert_eq!((bare.bonus_years, bare.after_leaving), (0.0, 0.0));
        assert_eq!(bare.pay_factor(0.0), pay_factor(2.5, 0.05, 0.0));
    }
}
