//! Each path's total for either offer: the one definition every summary,
//! chart, floor and executor reads the totals through.

use crate::engine::PathRecord;
use crate::model::Model;
use crate::model::cash::{PayDiscounting, UnitPay};
use crate::model::offers::Pay;

/// Both offers' totals on any path of one model, with what every path's
/// pay shares computed once: the discounting's constants, and on each
/// path one [`UnitPay`] for both offers (their pay differs in amounts, not
/// in discounting).
///
/// # Formula
///
/// `X = (sign_on + base f(E) + b_L L(E)) k + equity`, with `f` the pay
/// factor ([`crate::model::cash::pay_factor`]), `L` the pay after leaving
/// per unit, `b_L` the base after leaving and `k` the share of cash pay
/// kept after tax (1 untaxed).
#[derive(Debug, Clone, Copy)]
pub struct Totals {
    offer: Pay,
    alternative: Pay,
    base_after_leaving: f64,
    discounting: PayDiscounting,
    pay_kept: f64,
}

impl Totals {
    pub fn new(model: &Model) -> Totals {
        let with_bonus =
            model.offer.pay.bonus_rate != 0.0 || model.alternative.pay.bonus_rate != 0.0;
        Totals::with_bonus(model, with_bonus)
    }

    /// Totals for pay whose bonus may be neither offer's, when `with_bonus`.
    fn with_bonus(model: &Model, with_bonus: bool) -> Totals {
        Totals {
            offer: model.offer.pay,
            alternative: model.alternative.pay,
            base_after_leaving: model.base_after_leaving,
            discounting: PayDiscounting::new(
                model.discount_rate,
                model.window_years,
                with_bonus,
                model.base_after_leaving != 0.0,
            ),
            pay_kept: model.pay_kept(),
        }
    }

    /// The per-unit pay of path `p`, shared by both offers.
    #[inline]
    pub fn unit_pay(&self, p: &PathRecord) -> UnitPay {
        self.discounting.at(p.employed_years)
    }

    /// PV of the pay after leaving on a path of unit pay `unit`: the same
    /// beside both offers, and moved by neither floor lever.
    #[inline]
    pub fn pay_after_leaving(&self, unit: &UnitPay) -> f64 {
        if self.base_after_leaving == 0.0 {
            0.0
        } else {
            self.base_after_leaving * unit.after_leaving
        }
    }

    /// The share of cash pay kept after tax (1 untaxed).
    pub fn pay_kept(&self) -> f64 {
        self.pay_kept
    }

    /// The private offer's cash pay and the public one's.
    pub fn pays(&self) -> (&Pay, &Pay) {
        (&self.offer, &self.alternative)
    }

    /// An offer's cash pay before tax on a path of unit pay `unit`:
    /// sign-on, base and bonus while employed, and the pay after leaving.
    #[inline]
    pub fn cash_pay(&self, pay: &Pay, unit: &UnitPay) -> f64 {
        pay.sign_on + pay.base * unit.pay_factor(pay.bonus_rate) + self.pay_after_leaving(unit)
    }

    /// An offer's total on a path of unit pay `unit`, given its equity PV.
    #[inline]
    pub fn total(&self, pay: &Pay, unit: &UnitPay, equity: f64) -> f64 {
        self.cash_pay(pay, unit) * self.pay_kept + equity
    }

    /// The private offer's total on path `p`.
    #[inline]
    pub fn offer(&self, p: &PathRecord) -> f64 {
        self.total(&self.offer, &self.unit_pay(p), p.offer_equity)
    }

    /// The public offer's total on path `p`.
    #[inline]
    pub fn alternative(&self, p: &PathRecord) -> f64 {
        self.total(&self.alternative, &self.unit_pay(p), p.alternative_equity)
    }

    /// Both totals on path `p`, `[offer, alternative]`, from one unit pay.
    #[inline]
    pub fn both(&self, p: &PathRecord) -> [f64; 2] {
        let unit = self.unit_pay(p);
        [
            self.total(&self.offer, &unit, p.offer_equity),
            self.total(&self.alternative, &unit, p.alternative_equity),
        ]
    }
}

/// Each path's total for an offer with `pay`, given its equity PV.
pub fn totals(
    records: &[PathRecord],
    model: &Model,
    pay: &Pay,
    equity: impl Fn(&PathRecord) -> f64,
) -> Vec<f64> {
    let totals = Totals::with_bonus(model, pay.bonus_rate != 0.0);
    records
        .iter()
        .map(|p| totals.total(pay, &totals.unit_pay(p), equity(p)))
        .collect()
}

/// One path's total for an offer with `pay`, given its equity PV: the
/// sign-on, the base (and bonus) while employed, the pay after leaving,
/// and the equity. For many paths, build [`Totals`] once instead.
pub fn total(p: &PathRecord, model: &Model, pay: &Pay, equity: f64) -> f64 {
    let totals = Totals::with_bonus(model, pay.bonus_rate != 0.0);
    totals.total(pay, &totals.unit_pay(p), equity)
}
