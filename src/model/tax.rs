//! The tax rules of `[tax]` (tax.md): marginal rates by kind of income,
//! applied by rules that depend on the path (holding periods, seniority at
//! the sale, how an option ended).
//!
//! Every rule here is a rate times an amount that, on a given path, is
//! proportional to the grant it comes from (a spread, a gain, a value), or
//! a `min`/`max` of two such amounts of the same grant. So a path's after-tax
//! total stays linear in each grant, and in the base, and the floors are
//! still solved on stored per-path terms.
//!
//! Amounts are nominal, at the date they are paid; the engine discounts
//! them.

use crate::scenario::{Tax, TaxRates, TaxTreatment};

/// The tax rules of one scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaxModel {
    pub rates: TaxRates,
    /// How the private offer's equity is taxed.
    pub offer: TaxTreatment,
    /// How the public offer's RSUs are taxed.
    pub alternative: TaxTreatment,
}

/// The tax on an amount received, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TaxDue {
    /// Taxed as income: RSU income, option spreads taxed as income or at
    /// the BSPCE or qualified-option rates, free shares.
    pub income: f64,
    /// Taxed as a capital gain, long or short.
    pub gains: f64,
    /// AMT paid at a cash exercise and credited here, against the tax at
    /// the sale (at most that tax); subtracted from `income + gains`.
    pub credit: f64,
}

impl TaxDue {
    /// What is paid: `income + gains - credit`.
    pub fn total(&self) -> f64 {
        self.income + self.gains - self.credit
    }
}

impl TaxModel {
    pub fn new(tax: &Tax, offer: TaxTreatment, alternative: TaxTreatment) -> TaxModel {
        TaxModel {
            rates: tax.rates,
            offer,
            alternative,
        }
    }

    /// The share of cash pay kept: `1 - pay`.
    pub fn pay_kept(&self) -> f64 {
        1.0 - self.rates.pay
    }

    /// The rate on each public RSU tranche's value at its vest date: they are
    /// sold at once, so there is no gain.
    pub fn public_rsu_rate(&self) -> f64 {
        match self.alternative {
            TaxTreatment::FreeShares => self.rates.free_shares,
            _ => self.rates.ordinary,
        }
    }

    /// The BSPCE exercise gain's rate at a seniority of `seniority` years at
    /// the sale.
    fn bspce_rate(&self, seniority: f64) -> f64 {
        if seniority >= self.rates.bspce_seniority_years {
            self.rates.bspce
        } else {
            self.rates.bspce_short
        }
    }

    /// The rate on a gain on shares held `held` years.
    fn gain_rate(&self, held: f64) -> f64 {
        if held >= self.rates.long_term_years {
            self.rates.capital_gain
        } else {
            self.rates.short_gain
        }
    }

    /// Private RSUs (double trigger): what they pay, at the event or a
    /// tender, is income.
    pub fn private_rsu(&self, proceeds: f64) -> TaxDue {
        TaxDue {
            income: self.rates.ordinary * proceeds,
            ..TaxDue::default()
        }
    }

    /// Options exercised and sold at once, at the event or at a tender:
    /// the spread `(X - K)⁺` is taxed at the treatment's exercise-gain rate
    /// (for ISOs a same-day sale is a disqualifying disposition, income).
    /// `seniority` is the time employed at the sale, `min(D, sale date)`
    /// (BSPCE only).
    pub fn cashless(&self, spread: f64, seniority: f64) -> TaxDue {
        let rate = match self.offer {
            TaxTreatment::Nso
            | TaxTreatment::Iso
            | TaxTreatment::Rsu
            | TaxTreatment::FreeShares => self.rates.ordinary,
            TaxTreatment::Bspce => self.bspce_rate(seniority),
            TaxTreatment::QualifiedOptions => self.rates.qualified_spread,
        };
        TaxDue {
            income: rate * spread.max(0.0),
            ..TaxDue::default()
        }
    }

    /// The tax due in cash at a cash exercise on leaving, on the spread
    /// `S_D = φ(D) V_D - K`: `ordinary · S_D⁺` for NSOs, `amt · S_D⁺` for
    /// ISOs, nothing for BSPCE and qualified options (taxed at the sale).
    pub fn at_exercise(&self, spread_at_exercise: f64) -> f64 {
        let s = spread_at_exercise.max(0.0);
        match self.offer {
            TaxTreatment::Nso => self.rates.ordinary * s,
            TaxTreatment::Iso => self.rates.amt * s,
            _ => 0.0,
        }
    }

    /// The tax at the sale at `τ` of shares bought by a cash exercise at
    /// `D`, for gross proceeds `proceeds` (X), strike `strike` (K) and value
    /// at exercise `exercise_value` (φ(D) V_D), the shares held `held =
    /// τ - D` years, the grant made `since_grant = τ - s` years before the
    /// sale, the person's seniority at the sale `seniority` (D), and
    /// `paid_at_exercise` the tax of [`TaxModel::at_exercise`].
    ///
    /// # Formula
    ///
    /// With `S_D⁺ = (φ(D) V_D - K)⁺`, basis `max(K, φ(D) V_D)`, spread
    /// `(X - K)⁺` and exercise gain `e = min(S_D⁺, (X - K)⁺)`:
    ///
    /// - NSO: `(X - basis)⁺` at the long or short gain rate;
    /// - ISO: qualifying (`held ≥ 1` and `since_grant ≥ 2`): `(X - K)⁺` at
    ///   `capital_gain`; otherwise `e` at `ordinary` and `(X - K)⁺ - e` at
    ///   the long or short rate; then the AMT paid is credited, up to that
    ///   tax;
    /// - BSPCE: `e` at the BSPCE rate for `seniority`, `(X - basis)⁺` at
    ///   `capital_gain`;
    /// - qualified options: `e` at `qualified_spread`, `(X - basis)⁺` at
    ///   `capital_gain`.
    ///
    /// A negative gain earns no refund.
    #[allow(clippy::too_many_arguments)]
    pub fn sale_after_exercise(
        &self,
        proceeds: f64,
        strike: f64,
        exercise_value: f64,
        held: f64,
        since_grant: f64,
        seniority: f64,
        paid_at_exercise: f64,
    ) -> TaxDue {
        let r = &self.rates;
        let spread_at_exercise = (exercise_value - strike).max(0.0);
        let spread = (proceeds - strike).max(0.0);
        let exercise_gain = spread_at_exercise.min(spread);
        let sale_gain = (proceeds - strike.max(exercise_value)).max(0.0);
        match self.offer {
            TaxTreatment::Nso | TaxTreatment::Rsu | TaxTreatment::FreeShares => TaxDue {
                gains: self.gain_rate(held) * sale_gain,
                ..TaxDue::default()
            },
            TaxTreatment::Iso => {
                let mut due = if held >= 1.0 && since_grant >= 2.0 {
                    TaxDue {
                        gains: r.capital_gain * spread,
                        ..TaxDue::default()
                    }
                } else {
                    TaxDue {
                        income: r.ordinary * exercise_gain,
                        gains: self.gain_rate(held) * (spread - exercise_gain),
                        credit: 0.0,
                    }
                };
                due.credit = paid_at_exercise.min(due.income + due.gains);
                due
            }
            TaxTreatment::Bspce => TaxDue {
                income: self.bspce_rate(seniority) * exercise_gain,
                gains: r.capital_gain * sale_gain,
                credit: 0.0,
            },
            TaxTreatment::QualifiedOptions => TaxDue {
                income: r.qualified_spread * exercise_gain,
                gains: r.capital_gain * sale_gain,
                credit: 0.0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates() -> TaxRates {
        TaxRates {
            pay: 0.4,
            ordinary: 0.45,
            qualified_spread: 0.5,
            capital_gain: 0.3,
            short_gain: 0.42,
            long_term_years: 1.0,
            amt: 0.28,
            bspce: 0.314,
            bspce_short: 0.486,
            bspce_seniority_years: 3.0,
            free_shares: 0.336,
        }
    }

    fn model(offer: TaxTreatment) -> TaxModel {
        TaxModel {
            rates: rates(),
            offer,
            alternative: TaxTreatment::Rsu,
        }
    }

    /// An ISO sold a day either side of the qualifying dates: one year
    /// after the exercise and two after the grant.
    #[test]
    fn iso_qualifying_dates() {
        let m = model(TaxTreatment::Iso);
        let day = 1.0 / 365.0;
        // X = 100, K = 10, value at exercise 40: spread 90, exercise gain 30.
        let amt = m.at_exercise(30.0);
        assert!((amt - 0.28 * 30.0).abs() < 1e-12);
        let qualifying = m.sale_after_exercise(100.0, 10.0, 40.0, 1.0 + day, 2.0 + day, 0.0, amt);
        assert_eq!(qualifying.gains, 0.3 * 90.0);
        assert_eq!(qualifying.credit, amt);
        let early = m.sale_after_exercise(100.0, 10.0, 40.0, 1.0 - day, 2.0 + day, 0.0, amt);
        assert_eq!(early.income, 0.45 * 30.0);
        assert_eq!(early.gains, 0.42 * 60.0);
        let young_grant = m.sale_after_exercise(100.0, 10.0, 40.0, 1.0 + day, 2.0 - day, 0.0, amt);
        assert_eq!(young_grant.income, 0.45 * 30.0);
        assert_eq!(young_grant.gains, 0.3 * 60.0);
        // A sale below the value at exercise: the exercise gain shrinks to
        // the gain made, and the credit to the tax due.
        let low = m.sale_after_exercise(20.0, 10.0, 40.0, 0.5, 0.5, 0.0, amt);
        assert_eq!(low.income, 0.45 * 10.0);
        assert_eq!(low.gains, 0.0);
        assert_eq!(low.credit, 0.45 * 10.0);
        assert_eq!(low.total(), 0.0);
    }

    /// BSPCE seniority a day either side of three years.
    #[test]
    fn bspce_seniority() {
        let m = model(TaxTreatment::Bspce);
        let day = 1.0 / 365.0;
        assert_eq!(m.cashless(100.0, 3.0 + day).income, 0.314 * 100.0);
        assert_eq!(m.cashless(100.0, 3.0 - day).income, 0.486 * 100.0);
        assert_eq!(m.at_exercise(30.0), 0.0);
        let long = m.sale_after_exercise(100.0, 10.0, 40.0, 5.0, 5.0, 3.0 + day, 0.0);
        assert_eq!((long.income, long.gains), (0.314 * 30.0, 0.3 * 60.0));
        let short = m.sale_after_exercise(100.0, 10.0, 40.0, 5.0, 5.0, 3.0 - day, 0.0);
        assert_eq!((short.income, short.gains), (0.486 * 30.0, 0.3 * 60.0));
    }

    /// NSOs: income at the exercise, the basis at the value then, the gain
    /// long or short; no refund on a loss.
    #[test]
    fn nso_exercise_and_sale() {
        let m = model(TaxTreatment::Nso);
        assert_eq!(m.at_exercise(30.0), 0.45 * 30.0);
        assert_eq!(m.at_exercise(-5.0), 0.0);
        let long = m.sale_after_exercise(100.0, 10.0, 40.0, 1.0, 3.0, 0.0, 13.5);
        assert_eq!(
            long,
            TaxDue {
                gains: 0.3 * 60.0,
                ..TaxDue::default()
            }
        );
        let short = m.sale_after_exercise(100.0, 10.0, 40.0, 0.99, 3.0, 0.0, 13.5);
        assert_eq!(short.gains, 0.42 * 60.0);
        // Under water at exercise: the basis is the strike.
        let under = m.sale_after_exercise(100.0, 10.0, 5.0, 2.0, 3.0, 0.0, 0.0);
        assert_eq!(under.gains, 0.3 * 90.0);
        assert_eq!(
            m.sale_after_exercise(30.0, 10.0, 40.0, 2.0, 3.0, 0.0, 0.0)
                .total(),
            0.0
        );
        assert_eq!(m.cashless(90.0, 0.0).income, 0.45 * 90.0);
    }

    #[test]
    fn qualified_options() {
        let m = model(TaxTreatment::QualifiedOptions);
        assert_eq!(m.cashless(90.0, 0.0).income, 0.5 * 90.0);
        let s = m.sale_after_exercise(100.0, 10.0, 40.0, 0.1, 0.1, 0.0, 0.0);
        assert_eq!((s.income, s.gains), (0.5 * 30.0, 0.3 * 60.0));
    }
}
