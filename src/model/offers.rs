//! The two offers' grants, compiled for the hot loop.

use super::vesting::Schedule;
use crate::scenario::{Alternative, ExerciseRule, Instrument, Offer, RefreshAmount};

/// How a grant's size is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GrantSize {
    /// A multiple of the offer's initial grant (1 for the initial grant
    /// itself): scales with the grant in floor solving.
    Scaled(f64),
    /// An absolute amount, fixed whatever the initial grant.
    Fixed(f64),
}

/// One grant: the initial grant (index 0, at t = 0, always made) or a refresh.
#[derive(Debug, Clone)]
pub struct Grant {
    pub schedule: Schedule,
    pub size: GrantSize,
    /// Probability that a refresh is granted (1 for the initial grant).
    pub probability: f64,
}

impl Grant {
    /// Grant date `s`.
    pub fn date(&self) -> f64 {
        self.schedule.start
    }

    /// Amount in money given the offer's initial grant `g`.
    pub fn amount(&self, initial: f64) -> f64 {
        match self.size {
            GrantSize::Scaled(k) => k * initial,
            GrantSize::Fixed(a) => a,
        }
    }
}

/// The initial grant, then each refresh at each of its dates (a repeating
/// refresh is one grant per date, each decided on its own).
fn grants(initial: Schedule, refreshes: &[crate::scenario::Refresh], window: f64) -> Vec<Grant> {
    let mut out = vec![Grant {
        schedule: initial,
        size: GrantSize::Scaled(1.0),
        probability: 1.0,
    }];
    for r in refreshes {
        out.extend(r.dates(window).map(|at| Grant {
            schedule: Schedule::new(at, &r.vesting),
            size: match r.amount {
                RefreshAmount::Grant(a) => GrantSize::Fixed(a),
                RefreshAmount::GrantRatio(k) => GrantSize::Scaled(k),
            },
            probability: r.probability,
        }));
    }
    out
}

/// Cash terms shared by both offers.
#[derive(Debug, Clone, Copy)]
pub struct Pay {
    pub base: f64,
    pub bonus_rate: f64,
    pub sign_on: f64,
}

/// The private company's offer.
#[derive(Debug, Clone)]
pub struct PrivateOffer {
    pub pay: Pay,
    /// Initial grant `G`, paper value at the last round's price.
    pub grant: f64,
    /// Initial grant first, then refreshes in file order.
    pub grants: Vec<Grant>,
    pub options: Option<OptionTerms>,
    pub acceleration_on_acquisition: f64,
}

/// Option-specific terms (`instrument = "options"`).
#[derive(Debug, Clone, Copy)]
pub struct OptionTerms {
    pub strike_ratio: f64,
    pub exercise_window_years: f64,
    pub exercise_on_departure: ExerciseRule,
}

impl PrivateOffer {
    pub fn new(o: &Offer, window: f64) -> PrivateOffer {
        let eq = &o.equity;
        PrivateOffer {
            pay: Pay {
                base: o.base,
                bonus_rate: o.bonus_rate,
                sign_on: o.sign_on,
            },
            grant: eq.grant,
            grants: grants(Schedule::new(0.0, &eq.vesting), &eq.refresh, window),
            options: (eq.instrument == Instrument::Options).then_some(OptionTerms {
                strike_ratio: eq.strike_ratio,
                exercise_window_years: eq.exercise_window_years,
                exercise_on_departure: eq.exercise_on_departure,
            }),
            acceleration_on_acquisition: eq.acceleration_on_acquisition,
        }
    }

    /// Paper value per year, the way offers are quoted: base + G / Y.
    pub fn paper_value_per_year(&self) -> f64 {
        self.pay.base + self.grant / self.grants[0].schedule.years
    }
}

/// The public company's offer: RSUs sold at each vest date.
#[derive(Debug, Clone)]
pub struct PublicOffer {
    pub pay: Pay,
    pub grant: f64,
    pub grants: Vec<Grant>,
    pub drift: f64,
    pub volatility: f64,
}

impl PublicOffer {
    /// The alternative's offer, its stock drifting at `drift` (the
    /// scenario's, or the discount rate under the risk-neutral measure).
    pub fn new(a: &Alternative, window: f64, drift: f64) -> PublicOffer {
        let eq = &a.equity;
        PublicOffer {
            pay: Pay {
                base: a.base,
                bonus_rate: a.bonus_rate,
                sign_on: a.sign_on,
            },
            grant: eq.grant,
            grants: grants(Schedule::new(0.0, &eq.vesting), &eq.refresh, window),
            drift,
            volatility: eq.stock.volatility,
        }
    }

    pub fn paper_value_per_year(&self) -> f64 {
        self.pay.base + self.grant / self.grants[0].schedule.years
    }
}
