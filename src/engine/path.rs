//! One Monte Carlo path: the person's departure, the company's story, both
//! offers' payoffs. The hot loop: no allocation, every constant hoisted
//! into [`Plan`].

use super::beta::GammaRatioBeta;
use super::exp;
use super::random::{self, PathRng};
use crate::model::Model;
use crate::model::company::{Outcome, RoundDilution, common_proceeds};
use crate::model::offers::{Grant, GrantSize};
use crate::scenario::{ExerciseRule, MAX_REFRESHES};
use rand::RngExt;
use rand_distr::{Distribution, Exp1, StandardNormal};

/// Most grants an offer can hold: the initial grant and its refreshes.
pub const MAX_GRANTS: usize = MAX_REFRESHES + 1;

/// What one path leaves behind: enough to rebuild both offers' totals at
/// any grant or base (the floor), and the company's outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PathRecord {
    /// `E = min(D, W)`: years employed within the window.
    pub employed_years: f64,
    /// PV of the private equity, after illiquidity, less exercise costs, at
    /// the scenario's grant.
    pub offer_equity: f64,
    /// `∂ offer_equity / ∂ G`: what one more unit of initial grant adds on
    /// this path (refreshes given by `grant_ratio` scale along).
    pub offer_equity_per_grant: f64,
    /// PV of the public offer's RSUs.
    pub alternative_equity: f64,
    /// PV of what the person was paid in tender offers, at the scenario's
    /// grant (part of `offer_equity`; 0 without tenders or sales).
    pub tender_proceeds: f64,
    /// `τ`, years until the private proceeds are realized.
    pub liquidity_time: f32,
    /// `V_exit / V0` on IPO and acquisition paths, NaN otherwise (an `f64`:
    /// extreme growth overflows an `f32`).
    pub exit_multiple: f64,
    pub outcome: Outcome,
    /// Whether the private equity's proceeds (after illiquidity, before
    /// exercise costs) are exactly 0.
    pub equity_pays_zero: bool,
    /// The grants (bit `g` for grant `g`) whose vested options were
    /// exercised, their strike paid in cash, when the person left early and
    /// the exercise window closed before the event. The exercise cost itself
    /// is not stored: [`Plan::exercise_cost`] rebuilds it from these bits.
    pub exercised_at_departure: u16,
}

impl PathRecord {
    /// Whether any option was exercised at departure.
    pub fn exercised_on_departure(&self) -> bool {
        self.exercised_at_departure != 0
    }
}

/// The company's log value at the dates a path draws it (the start, the
/// refresh dates before the event, the event), in date order, so that the
/// value at any other date can be drawn by a Brownian bridge between its
/// neighbours.
#[derive(Debug, Clone, Copy)]
struct ValuePath {
    times: [f64; MAX_GRANTS + 1],
    logs: [f64; MAX_GRANTS + 1],
    len: usize,
}

impl ValuePath {
    fn start() -> ValuePath {
        ValuePath {
            times: [0.0; MAX_GRANTS + 1],
            logs: [0.0; MAX_GRANTS + 1],
            len: 1,
        }
    }

    #[inline]
    fn push(&mut self, t: f64, log_value: f64) {
        self.times[self.len] = t;
        self.logs[self.len] = log_value;
        self.len += 1;
    }

    /// The log value at `t` (between the start and the last date) given
    /// the values at its neighbours `a ≤ t < b`: the bridge's mean, the
    /// straight line between them, plus `σ √((t - a)(b - t) / (b - a)) z`.
    /// The drift is in the neighbours' values already.
    fn bridge(&self, t: f64, sigma: f64, z: f64) -> f64 {
        let last = self.len - 1;
        let b = (1..=last).find(|&i| self.times[i] > t).unwrap_or(last);
        let a = b - 1;
        let (ta, tb) = (self.times[a], self.times[b]);
        let (la, lb) = (self.logs[a], self.logs[b]);
        let span = tb - ta;
        if span <= 0.0 {
            return la;
        }
        let u = ((t - ta) / span).clamp(0.0, 1.0);
        la + u * (lb - la) + sigma * (span * u * (1.0 - u)).sqrt() * z
    }
}

/// Exercise cost of a path's private options, paid in cash at departure:
/// PV `Σ_g strike_ratio · G_g · v_g(E) · e^{-rD}` split like the equity
/// into the part that scales with the initial grant and the part that does
/// not, so that the cost at grant `G` is `fixed + G · per_grant`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ExerciseCost {
    /// Cost per unit of initial grant (grants sized by `grant_ratio`).
    pub per_grant: f64,
    /// Cost of the grants with an absolute size.
    pub fixed: f64,
}

impl ExerciseCost {
    /// The exercise cost that the path whose record is `record` paid in
    /// cash at departure, from the grants it marks as exercised there:
    /// `strike_ratio · G_g · v_g(E) · e^{-rE}` each, computed exactly as the
    /// simulation computes it (the person left at `D = E < W`).
    pub fn of(m: &Model, record: &PathRecord) -> ExerciseCost {
        let Some(o) = m.offer.options.filter(|_| record.exercised_on_departure()) else {
            return ExerciseCost::default();
        };
        let departure = record.employed_years;
        let mut cost = ExerciseCost::default();
        for (g, grant) in m.offer.grants.iter().enumerate() {
            if record.exercised_at_departure & (1 << g) == 0 {
                continue;
            }
            let vested = grant.schedule.vested_fraction(departure);
            match grant.size {
                GrantSize::Scaled(k) => {
                    cost.per_grant +=
                        exercise_cost(o.strike_ratio * k * vested, m.discount_rate, departure)
                }
                GrantSize::Fixed(a) => {
                    cost.fixed +=
                        exercise_cost(o.strike_ratio * a * vested, m.discount_rate, departure)
                }
            }
        }
        cost
    }

    /// The cost at the offer's own initial grant.
    pub fn at_grant(&self, grant: f64) -> f64 {
        grant * self.per_grant + self.fixed
    }
}

/// PV of a strike `strike` paid in cash at departure `departure`:
/// `strike · e^{-r D}`.
#[inline]
fn exercise_cost(strike: f64, rate: f64, departure: f64) -> f64 {
    strike * exp::exp(-rate * departure)
}

/// The taxes one path's private offer paid, by kind, in present value at
/// the scenario's grant (tax.md "Outputs"). Kept as `f32`, 16 bytes a path
/// beside the record: they only feed means, where a relative error of 1e-7
/// is far inside Monte Carlo error. The tax on cash pay is `pay` times the
/// pay, and the public RSUs' is their rate times their value before tax:
/// both are known from the record.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PathTaxes {
    /// The tax as income (RSU income, option spreads, BSPCE and
    /// qualified-option exercise gains), at the sale or a tender.
    pub offer_income: f32,
    /// The capital-gains tax at the sale.
    pub offer_gains: f32,
    /// The AMT credited at the sale (subtracted from the two above).
    pub offer_credit: f32,
    /// The tax paid in cash at an exercise on leaving (NSO income tax, ISO
    /// AMT), part of the exercise cost.
    pub offer_at_exercise: f32,
}

/// [`PathTaxes`] being summed over a path's grants, split like the equity
/// into the part that scales with the initial grant and the part that does
/// not.
#[derive(Debug, Clone, Copy, Default)]
struct TaxTally {
    /// income, gains, credit, at exercise: per unit of initial grant, and
    /// for grants of an absolute size.
    scaled: [f64; 4],
    fixed: [f64; 4],
}

impl TaxTally {
    /// Adds `factor` times `due` (a discount factor, or a tender's share).
    #[inline]
    fn add(&mut self, scaled: bool, factor: f64, due: &crate::model::tax::TaxDue) {
        let t = if scaled {
            &mut self.scaled
        } else {
            &mut self.fixed
        };
        t[0] += factor * due.income;
        t[1] += factor * due.gains;
        t[2] += factor * due.credit;
    }

    #[inline]
    fn add_at_exercise(&mut self, scaled: bool, paid: f64) {
        let t = if scaled {
            &mut self.scaled
        } else {
            &mut self.fixed
        };
        t[3] += paid;
    }

    #[inline]
    fn at_grant(&self, grant: f64) -> PathTaxes {
        let at = |k: usize| (grant * self.scaled[k] + self.fixed[k]) as f32;
        PathTaxes {
            offer_income: at(0),
            offer_gains: at(1),
            offer_credit: at(2),
            offer_at_exercise: at(3),
        }
    }
}

/// The core stream's first draws for one path.
struct CoreDraws {
    departure_draw: f64,
    exit_draw: f64,
    type_draw: f64,
    multiple_z: f64,
    lockup_z: f64,
    /// Bit `g` set when refresh `g`'s uniform draw fell below its
    /// probability (the refresh is made if the person and, for the private
    /// company, the company are still there).
    offer_refresh_won: RefreshDraws,
    alt_refresh_won: RefreshDraws,
}

const _: () = assert!(MAX_GRANTS <= u32::BITS as usize);

/// One bit per grant: whether its refresh draw succeeded.
#[derive(Debug, Clone, Copy, Default)]
struct RefreshDraws(u32);

impl RefreshDraws {
    /// Draws one uniform per refresh of `grants` (not the initial grant),
    /// in order, from the offer's own stream `stream` of the path keyed
    /// `key`: a refresh added to one offer moves no draw of the other, nor
    /// of the company (model v2 §1).
    #[inline(always)]
    fn draw(grants: &[Grant], key: random::PathKey, stream: u64) -> RefreshDraws {
        if grants.len() <= 1 {
            return RefreshDraws(0);
        }
        let mut rng = key.stream(stream);
        let mut won = 0u32;
        for (g, grant) in grants.iter().enumerate().skip(1) {
            let u: f64 = rng.random();
            won |= u32::from(u < grant.probability) << g;
        }
        RefreshDraws(won)
    }

    #[inline(always)]
    fn won(self, g: usize) -> bool {
        self.0 >> g & 1 == 1
    }
}

/// Per-scenario constants for the hot loop, all derived from `model` and
/// `seed` by [`Plan::new`]: build a new plan rather than change either.
/// The tax rules are the exception: nothing here is derived from them, and
/// a sweep of the pay tax sets them on the same paths' plan.
#[derive(Debug, Clone)]
pub struct Plan {
    pub model: Model,
    pub seed: u64,
    /// The part of every stream's seed that `seed` alone gives.
    seed_key: random::SeedKey,
    /// Private refresh grants (indices into `model.offer.grants`) by date.
    value_dates: Vec<usize>,
    /// For each of `value_dates`, the log-value step from the date before:
    /// `((μ - σ²/2) Δt, σ √Δt)`.
    value_steps: Vec<(f64, f64)>,
    /// The public stock's simulation grid up to the window.
    stock: StockGrid,
    /// The rounds' dilution distribution, `None` when it is fixed (or its
    /// parameters are degenerate).
    beta: Option<GammaRatioBeta>,
    /// The preference stack in units of the valuation, `P / V0`.
    preference_ratio: f64,
}

/// Times at which the public stock price is needed (vest events and
/// refresh dates within the window), with the GBM step to each, and what
/// each grant pays there.
#[derive(Debug, Clone, Default)]
struct StockGrid {
    times: Vec<f64>,
    log_drift_step: Vec<f64>,
    vol_step: Vec<f64>,
    /// One row per grant made within the window, in grant order.
    rows: Vec<StockRow>,
}

/// One public grant on the stock grid.
#[derive(Debug, Clone)]
struct StockRow {
    /// Index into `model.alternative.grants`.
    grant: usize,
    /// The grid point of the grant's date, whose price turns its amount
    /// into shares; `None` for the initial grant (price 1).
    granted_at: Option<usize>,
    /// For each grid point, `e^{-r t_i} · amount · tranche` of this grant
    /// vesting there (0 where it does not vest): the PV of what vests at
    /// `t_i`, per unit of `S_i / S_{s_g}`.
    weights: Vec<f64>,
    /// The grid points from the grant's first vest to its last: outside
    /// them every weight is 0, so a path's work stays proportional to the
    /// vest events however many grants share a long grid.
    vesting: std::ops::Range<usize>,
}

const TIME_TOLERANCE: f64 = 1e-9;

/// Stock grid points whose prices are exponentiated together: a fixed
/// buffer on the stack, however long the grid.
const STOCK_BLOCK: usize = 32;

impl StockGrid {
    fn new(m: &Model) -> StockGrid {
        let alt = &m.alternative;
        let w = m.window_years;
        // The grants made within the window, each with its vests there as
        // (time, amount × tranche).
        let mut grants: Vec<(usize, Vec<(f64, f64)>)> = Vec::new();
        for (g, grant) in alt.grants.iter().enumerate() {
            if g > 0 && grant.date() >= w {
                continue; // never granted
            }
            let amount = grant.amount(alt.grant);
            let mut vests = Vec::new();
            for j in 1..=grant.schedule.events() {
                let t = grant.schedule.event_time(j);
                if t > w + TIME_TOLERANCE {
                    break;
                }
                let tranche = grant.schedule.tranche(j);
                if tranche > 0.0 && amount > 0.0 {
                    vests.push((t, amount * tranche));
                }
            }
            grants.push((g, vests));
        }

        // Every time the price is needed: each refresh's date and every
        // vest, merged when they coincide.
        let mut times: Vec<f64> = grants
            .iter()
            .flat_map(|(g, vests)| {
                let date = (*g > 0).then(|| alt.grants[*g].date());
                date.into_iter().chain(vests.iter().map(|v| v.0))
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times.dedup_by(|later, kept| (*later - *kept).abs() < TIME_TOLERANCE);
        // The grid point of a time above: the first within the tolerance of
        // it (there is one, the time itself or the one it was merged into).
        let point = |t: f64| times.partition_point(|&u| u < t - TIME_TOLERANCE);

        let rows = grants
            .into_iter()
            .map(|(g, vests)| {
                let mut weights = vec![0.0; times.len()];
                for (t, amount) in vests {
                    let i = point(t);
                    weights[i] += (-m.discount_rate * times[i]).exp() * amount;
                }
                let first = weights.iter().position(|&x| x != 0.0).unwrap_or(0);
                let end = weights.iter().rposition(|&x| x != 0.0).map_or(0, |i| i + 1);
                StockRow {
                    grant: g,
                    granted_at: (g > 0).then(|| point(alt.grants[g].date())),
                    weights,
                    vesting: first..end.max(first),
                }
            })
            .collect();

        let mu = alt.drift - 0.5 * alt.volatility * alt.volatility;
        let mut previous = 0.0;
        let (mut log_drift_step, mut vol_step) = (Vec::new(), Vec::new());
        for &t in &times {
            let dt = t - previous;
            log_drift_step.push(mu * dt);
            vol_step.push(alt.volatility * dt.sqrt());
            previous = t;
        }
        StockGrid {
            times,
            log_drift_step,
            vol_step,
            rows,
        }
    }
}

/// `Σ a_i b_i` in four interleaved partial sums (a fixed order, so the
/// result is the same on every run), which keeps the additions from waiting
/// on each other.
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 4];
    let (a4, a_rest) = a.split_at(a.len() / 4 * 4);
    let (b4, b_rest) = b.split_at(a4.len());
    for (x, y) in a4.chunks_exact(4).zip(b4.chunks_exact(4)) {
        for k in 0..4 {
            lanes[k] += x[k] * y[k];
        }
    }
    let mut sum = (lanes[0] + lanes[2]) + (lanes[1] + lanes[3]);
    for (x, y) in a_rest.iter().zip(b_rest) {
        sum += x * y;
    }
    sum
}

impl Plan {
    pub fn new(model: Model, seed: u64) -> Plan {
        let mut value_dates: Vec<usize> = (1..model.offer.grants.len()).collect();
        value_dates.sort_by(|&a, &b| {
            model.offer.grants[a]
                .date()
                .total_cmp(&model.offer.grants[b].date())
        });
        let mut previous = 0.0;
        let value_steps = value_dates
            .iter()
            .map(|&g| {
                let s = model.offer.grants[g].date();
                let dt = s - previous;
                previous = s;
                (
                    model.value_log_drift * dt,
                    model.value_volatility * dt.sqrt(),
                )
            })
            .collect();
        let beta = match model.round_dilution {
            RoundDilution::Beta { alpha, beta } => GammaRatioBeta::new(alpha, beta),
            RoundDilution::Fixed(_) => None,
        };
        let preference_ratio = if model.preference_stack > 0.0 {
            model.preference_stack / model.valuation
        } else {
            0.0
        };
        Plan {
            stock: StockGrid::new(&model),
            value_dates,
            value_steps,
            beta,
            preference_ratio,
            model,
            seed,
            seed_key: random::SeedKey::new(seed),
        }
    }

    /// Departure `D = e / λ` from a standard exponential draw `e` (never
    /// when `λ = 0`).
    #[inline]
    fn departure_time(&self, draw: f64) -> f64 {
        if self.model.departure_rate > 0.0 {
            draw / self.model.departure_rate
        } else {
            f64::INFINITY
        }
    }

    /// Exit time `T = earliest + e / h` from a standard exponential draw `e`
    /// (never when `h = 0`).
    #[inline]
    fn exit_time(&self, draw: f64) -> f64 {
        let ex = &self.model.exit;
        if ex.hazard > 0.0 {
            ex.earliest_years + draw / ex.hazard
        } else {
            f64::INFINITY
        }
    }

    /// The funding rounds of the path keyed `key` before `event_time`, as
    /// (time, dilution): a Poisson process drawn as exponential gaps from
    /// the path's rounds stream, and the dilutions from a stream of their own,
    /// so that the dilution's law (and the number of draws its sampler
    /// takes) never moves a round's time (model v2 §1).
    // Inlined by attribute, as is `public_equity`: once the path function
    // grew with the taxes the compiler made both calls, and the Paris ask
    // took 4,047 instructions a path instead of 3,925.
    #[inline(always)]
    fn rounds(
        &self,
        key: random::PathKey,
        event_time: f64,
    ) -> impl Iterator<Item = (f64, f64)> + '_ {
        let rate = self.model.rounds_per_year;
        let mut times = (rate > 0.0).then(|| key.stream(random::ROUNDS));
        let mut dilutions =
            (rate > 0.0 && self.beta.is_some()).then(|| key.stream(random::DILUTIONS));
        let mut t = 0.0;
        std::iter::from_fn(
            // Inlined into its loop: called once per round, it otherwise
            // stays a call that keeps the generator's state in memory.
            #[inline(always)]
            move || {
                let rng = times.as_mut()?;
                let gap: f64 = Exp1.sample(rng);
                t += gap / rate;
                (t <= event_time).then(|| (t, self.round_dilution(dilutions.as_mut())))
            },
        )
    }

    /// Whether a path that leaves at `departure`, its event at `event_time`,
    /// decides on the day whether its options are worth exercising (and so
    /// draws the company's value then): options under the in-the-money
    /// rule, left early, the exercise window closed before the event.
    ///
    /// With a `[tax]` table the value then is also needed under `"always"`:
    /// the spread at a cash exercise is taxed (NSO, ISO) or sets the split
    /// of the gain at the sale (BSPCE, qualified options).
    fn decides_on_leaving(&self, departure: f64, event_time: f64) -> bool {
        self.model.offer.options.is_some_and(|o| {
            let needs_value = match o.exercise_on_departure {
                ExerciseRule::IfInTheMoney => true,
                ExerciseRule::Always => self.model.tax.is_some(),
                ExerciseRule::Never => false,
            };
            needs_value
                && departure < self.model.window_years
                && event_time - departure > o.exercise_window_years
        })
    }

    /// The tender offers of the path keyed `key` before `event_time`, as
    /// (date, the standard normal of the company's value there): a Poisson process
    /// from `from_years`, drawn as exponential gaps from the tenders' own
    /// stream, each date followed by its normal. None without tenders.
    fn tenders(
        &self,
        key: random::PathKey,
        event_time: f64,
    ) -> impl Iterator<Item = (f64, f64)> + '_ {
        let tender = self.model.tender.filter(|t| t.per_year > 0.0);
        let mut rng = tender.map(|_| key.stream(random::TENDERS));
        let mut u = tender.map_or(0.0, |t| t.from_years);
        std::iter::from_fn(move || {
            let (t, rng) = (tender?, rng.as_mut()?);
            let gap: f64 = Exp1.sample(rng);
            u += gap / t.per_year;
            if u >= event_time {
                return None;
            }
            let z: f64 = StandardNormal.sample(rng);
            Some((u, z))
        })
    }

    /// Draws a funding round's dilution (`rng` is the dilution stream,
    /// present when the dilution is random).
    #[inline]
    fn round_dilution(&self, rng: Option<&mut PathRng>) -> f64 {
        match (self.model.round_dilution, &self.beta, rng) {
            (RoundDilution::Fixed(d), _, _) => d,
            (_, Some(b), Some(rng)) => b.sample(rng),
            (RoundDilution::Beta { alpha, beta }, _, _) => alpha / (alpha + beta),
        }
    }

    /// Simulates path number `index`.
    #[inline]
    pub fn simulate(&self, index: u64) -> PathRecord {
        self.simulate_with_taxes(index).0
    }

    /// Simulates path number `index`, with the taxes its offers paid, by
    /// kind (all zero without a `[tax]` table).
    #[inline(always)]
    pub fn simulate_with_taxes(&self, index: u64) -> (PathRecord, PathTaxes) {
        let m = &self.model;
        let w = m.window_years;
        let h = m.horizon_years;
        let r = m.discount_rate;
        let key = self.seed_key.path(index);
        let mut core = key.stream(random::CORE);
        let CoreDraws {
            departure_draw,
            exit_draw,
            type_draw,
            multiple_z,
            lockup_z,
            offer_refresh_won,
            alt_refresh_won,
        } = self.core_draws(&mut core, key);
        let offer_grants = &m.offer.grants;
        let alt_grants = &m.alternative.grants;

        // The person.
        let departure = self.departure_time(departure_draw);
        let employed = departure.min(w);
        let left_early = departure < w;

        // The company's exit.
        let ex = &m.exit;
        let exit_time = self.exit_time(exit_draw);
        let outcome = if exit_time > h {
            Outcome::Private
        } else if type_draw < ex.ipo_share {
            Outcome::Ipo
        } else if type_draw < ex.ipo_or_acquisition_share {
            Outcome::Acquisition
        } else {
            Outcome::Failure
        };
        let event_time = if outcome == Outcome::Private {
            h
        } else {
            exit_time
        };

        // The company's value at refresh dates and at the event, one normal
        // per private refresh (in date order) and one for the event. Values
        // are in units of `V0` (only ratios to it matter, and the preference
        // stack is taken as `P / V0`), so that no valuation, however tiny or
        // huge, overflows or underflows.
        let sigma = m.value_volatility;
        let mut log_value = 0.0;
        let mut value_at = [1.0; MAX_GRANTS];
        let mut t_prev = 0.0;
        // The dates the value is drawn at, with their log values: the start,
        // the refresh dates before the event, the event.
        let mut known = ValuePath::start();
        for (&g, &(drift_step, vol_step)) in self.value_dates.iter().zip(&self.value_steps) {
            let z: f64 = StandardNormal.sample(&mut core);
            let s = offer_grants[g].date();
            // Dates are sorted, so every date before this one was used too
            // and the step from the previous date is the precomputed one.
            if s < event_time {
                log_value += drift_step + vol_step * z;
                value_at[g] = exp::exp(log_value);
                t_prev = s;
                known.push(s, log_value);
            }
        }
        let z_event: f64 = StandardNormal.sample(&mut core);
        let dt = event_time - t_prev;
        let log_event_value = log_value + m.value_log_drift * dt + sigma * dt.sqrt() * z_event;
        known.push(event_time, log_event_value);

        // What one unit of fully diluted equity pays, and when. The exit
        // value `V_T · M` is taken as one exponential, `e^{ln V_T + ln M}`.
        let (per_fraction, liquidity_time, exit_value) = match outcome {
            Outcome::Ipo => {
                let v = exp::exp(log_event_value + ex.ipo_multiple.log_at(multiple_z));
                let lockup = exp::exp(ex.lockup_drift + ex.lockup_scale * lockup_z);
                (v * lockup, exit_time + ex.lockup_years, v)
            }
            Outcome::Acquisition => {
                let v = exp::exp(log_event_value + ex.acquisition_multiple.log_at(multiple_z));
                let c = common_proceeds(v, self.preference_ratio, m.preferred_fraction);
                (c / (1.0 - m.preferred_fraction), exit_time, v)
            }
            Outcome::Failure => (0.0, exit_time, f64::NAN),
            Outcome::Private => (exp::exp(log_event_value) * ex.secondary_keep, h, f64::NAN),
        };
        let at_liquidity = exp::exp(-r * liquidity_time);
        let realized = at_liquidity * m.liquidity_factor(liquidity_time);

        // Which grants are made: the initial one always; a refresh only while
        // employed, within the window, if its draw says so, and for the
        // private company only while it is still private.
        let made = |grants: &[Grant], draws: RefreshDraws, g: usize, while_private: bool| {
            g == 0 || {
                let s = grants[g].date();
                departure > s && s < w && (!while_private || exit_time > s) && draws.won(g)
            }
        };
        let mut alt_made = [false; MAX_GRANTS];
        for (g, a) in alt_made.iter_mut().enumerate().take(alt_grants.len()) {
            *a = made(alt_grants, alt_refresh_won, g, false);
        }

        // Whether a person who leaves decides on the day whether their
        // options are worth exercising: then the value at departure (from
        // its own stream, so the decision moves no other draw) and each
        // grant's dilution until then are needed too.
        let offer = &m.offer;
        let decides_at_departure = self.decides_on_leaving(departure, event_time);
        let value_at_departure = if decides_at_departure {
            let z: f64 = StandardNormal.sample(&mut key.stream(random::DEPARTURE_VALUE));
            exp::exp(known.bridge(departure, sigma, z))
        } else {
            f64::NAN
        };

        // Tender offers while the company is private (model v2 §6): a person
        // still employed sells a share of each grant's vested, unsold shares
        // at a discount to the value at the tender (bridged, with a draw of
        // the tenders' own stream); the proceeds are cash then, never cut by
        // the illiquidity discount. `sold[g]`: the share of grant g sold.
        // `by_rounds[g]`: what the rounds so far left of grant g, so that
        // F(s_g, u) at a tender needs no second walk through the rounds.
        let mut sold = [0.0f64; MAX_GRANTS];
        let (mut tender_scaled, mut tender_fixed) = (0.0, 0.0);
        let mut taxes = TaxTally::default();
        // Built only for a company that runs tenders: the closure holds a
        // score of references, and setting them up on every path of a
        // company without tenders cost about 50 instructions a path.
        let mut sell_at_tender = m.tender.as_ref().map(|t| {
            |u: f64, z: f64, by_rounds: &[f64; MAX_GRANTS]| {
                if departure <= u {
                    return;
                }
                let value = exp::exp(known.bridge(u, sigma, z));
                let discounted = exp::exp(-r * u) * (1.0 - t.discount);
                for (g, grant) in offer_grants.iter().enumerate() {
                    if grant.date() >= u || !made(offer_grants, offer_refresh_won, g, true) {
                        continue;
                    }
                    let held = grant.schedule.vested_fraction(u.min(employed)) - sold[g];
                    if held <= 0.0 {
                        continue;
                    }
                    let (amount, scaled) = match grant.size {
                        GrantSize::Scaled(k) => (k, true),
                        GrantSize::Fixed(a) => (a, false),
                    };
                    // φ_g(u) V_u: the held share's value at the tender.
                    let kept = exp::exp(-m.pool_per_year * (u - grant.date())) * by_rounds[g];
                    let worth = held * amount / value_at[g] * kept * value;
                    // Options are sold as a cashless exercise, only in the
                    // money: the strike of the sold share comes off. Taxed as
                    // at the event, the seniority being the tender's date.
                    let (proceeds, tax) = match offer.options {
                        None => {
                            let gross = worth * discounted;
                            (gross, m.tax.map(|x| x.private_rsu(gross)))
                        }
                        Some(o) => {
                            let spread =
                                worth * (1.0 - t.discount) - o.strike_ratio * amount * held;
                            if spread <= 0.0 {
                                continue;
                            }
                            let gross = spread * exp::exp(-r * u);
                            (gross, m.tax.map(|x| x.cashless(gross, u)))
                        }
                    };
                    let tax = tax.unwrap_or_default();
                    taxes.add(scaled, t.fraction, &tax);
                    let cash = t.fraction * (proceeds - tax.total());
                    if scaled {
                        tender_scaled += cash;
                    } else {
                        tender_fixed += cash;
                    }
                    sold[g] += t.fraction * held;
                }
            }
        });

        // Dilution of each grant from its date to the event (and to the
        // departure, where it is needed), the tenders taken in date order
        // between the rounds.
        let mut survives = [0.0f64; MAX_GRANTS];
        let mut survives_to_departure = [0.0f64; MAX_GRANTS];
        let mut by_rounds = [1.0f64; MAX_GRANTS];
        for (g, grant) in offer_grants.iter().enumerate() {
            survives[g] = exp::exp(-m.pool_per_year * (event_time - grant.date()).max(0.0));
            if decides_at_departure {
                survives_to_departure[g] =
                    exp::exp(-m.pool_per_year * (departure - grant.date()).max(0.0));
            }
        }
        let mut tenders = self.tenders(key, event_time).peekable();
        for (t, dilution) in self.rounds(key, event_time) {
            // A tender at u sees the rounds in (s_g, u].
            while let Some((u, z)) = tenders.next_if(|&(u, _)| u < t) {
                if let Some(sell) = sell_at_tender.as_mut() {
                    sell(u, z, &by_rounds);
                }
            }
            let keep = 1.0 - dilution;
            let by_departure = decides_at_departure && t <= departure;
            for (g, grant) in offer_grants.iter().enumerate() {
                if grant.date() < t {
                    survives[g] *= keep;
                    by_rounds[g] *= keep;
                    if by_departure {
                        survives_to_departure[g] *= keep;
                    }
                }
            }
        }
        if let Some(sell) = sell_at_tender.as_mut() {
            for (u, z) in tenders {
                sell(u, z, &by_rounds);
            }
        }

        // The private grants' payoffs, split into the part that scales with
        // the initial grant and the part that does not.
        let accelerate = outcome == Outcome::Acquisition && exit_time < employed;
        let mut scaled_net = 0.0;
        let mut fixed_net = 0.0;
        let mut scaled_proceeds = 0.0;
        let mut fixed_proceeds = 0.0;
        let mut exercised_at_departure = 0u16;
        for (g, grant) in offer_grants.iter().enumerate() {
            if !made(offer_grants, offer_refresh_won, g, true) {
                continue;
            }
            let mut vested = grant.schedule.vested_fraction(employed);
            if accelerate && offer.acceleration_on_acquisition > 0.0 {
                let at_exit = grant.schedule.vested_fraction(exit_time);
                vested = vested.max(at_exit + offer.acceleration_on_acquisition * (1.0 - at_exit));
            }
            // What was sold in tenders is no longer held at the event.
            vested = (vested - sold[g]).max(0.0);
            if vested == 0.0 {
                continue;
            }
            let (amount, scaled) = match grant.size {
                GrantSize::Scaled(k) => (k, true),
                GrantSize::Fixed(a) => (a, false),
            };
            // φ_g V_exit = v · G_g · F · (V_exit / V0) / (V_s / V0): the
            // fraction held, in money at the valuation `V0`.
            let fraction = vested * amount / value_at[g] * survives[g];
            let gross = fraction * per_fraction;
            let (proceeds, cost) = match offer.options {
                None => match m.tax {
                    None => (gross * realized, 0.0),
                    Some(x) => {
                        let due = x.private_rsu(gross);
                        taxes.add(scaled, at_liquidity, &due);
                        ((gross - due.total()) * realized, 0.0)
                    }
                },
                Some(o) => {
                    let strike = o.strike_ratio * amount * vested;
                    let cashless = !left_early || event_time - departure <= o.exercise_window_years;
                    let exercise = || match o.exercise_on_departure {
                        ExerciseRule::Always => true,
                        ExerciseRule::Never => false,
                        // φ_g(D) V_D > K_g, both sides divided by G_g v_g:
                        // the same decision for every grant size.
                        ExerciseRule::IfInTheMoney => {
                            value_at_departure / value_at[g] * survives_to_departure[g]
                                > o.strike_ratio
                        }
                    };
                    if cashless {
                        let spread = (gross - strike).max(0.0);
                        match m.tax {
                            None => (spread * realized, 0.0),
                            Some(x) => {
                                let due = x.cashless(spread, departure.min(liquidity_time));
                                taxes.add(scaled, at_liquidity, &due);
                                ((spread - due.total()) * realized, 0.0)
                            }
                        }
                    } else if exercise() {
                        exercised_at_departure |= 1 << g;
                        match m.tax {
                            None => (gross * realized, exercise_cost(strike, r, departure)),
                            Some(x) => {
                                // φ_g(D) V_D, the shares' value on the day: the
                                // spread then is taxed (NSO, ISO's AMT) and
                                // splits the gain at the sale. The tax paid
                                // then is part of the cash it takes to exercise.
                                let value_then = vested * amount / value_at[g]
                                    * survives_to_departure[g]
                                    * value_at_departure;
                                let paid = x.at_exercise(value_then - strike);
                                let due = x.sale_after_exercise(
                                    gross,
                                    strike,
                                    value_then,
                                    liquidity_time - departure,
                                    liquidity_time - grant.date(),
                                    departure,
                                    paid,
                                );
                                taxes.add(scaled, at_liquidity, &due);
                                let paid_now = exercise_cost(paid, r, departure);
                                taxes.add_at_exercise(scaled, paid_now);
                                (
                                    (gross - due.total()) * realized,
                                    exercise_cost(strike, r, departure) + paid_now,
                                )
                            }
                        }
                    } else {
                        (0.0, 0.0)
                    }
                }
            };
            if scaled {
                scaled_proceeds += proceeds;
                scaled_net += proceeds - cost;
            } else {
                fixed_proceeds += proceeds;
                fixed_net += proceeds - cost;
            }
        }
        scaled_net += tender_scaled;
        scaled_proceeds += tender_scaled;
        fixed_net += tender_fixed;
        fixed_proceeds += tender_fixed;
        let g0 = offer.grant;
        let mut alternative_equity = self.public_equity(employed, &alt_made, key);
        if let Some(x) = m.tax {
            alternative_equity -= x.public_rsu_rate() * alternative_equity;
        }

        let record = PathRecord {
            employed_years: employed,
            offer_equity: g0 * scaled_net + fixed_net,
            offer_equity_per_grant: scaled_net,
            alternative_equity,
            tender_proceeds: g0 * tender_scaled + tender_fixed,
            liquidity_time: liquidity_time as f32,
            exit_multiple: exit_value,
            outcome,
            equity_pays_zero: g0 * scaled_proceeds + fixed_proceeds == 0.0,
            exercised_at_departure,
        };
        (record, taxes.at_grant(g0))
    }

    /// Draws exactly the random numbers that [`Plan::simulate`] draws for
    /// path `index` (the same kinds, in the same number, from the same
    /// streams) and does nothing else with them: the cost of this design's
    /// randomness alone, which the `rng_bound` benchmark measures. The sum
    /// of the draws is returned so that none can be optimized away.
    pub fn draw_only(&self, index: u64) -> f64 {
        let m = &self.model;
        let key = self.seed_key.path(index);
        let mut core = key.stream(random::CORE);
        let d = self.core_draws(&mut core, key);
        let mut sum = d.departure_draw + d.exit_draw + d.type_draw + d.multiple_z + d.lockup_z;
        sum += f64::from(d.offer_refresh_won.0) + f64::from(d.alt_refresh_won.0);
        for _ in 0..=self.value_dates.len() {
            let z: f64 = StandardNormal.sample(&mut core);
            sum += z;
        }
        // How many rounds and stock steps a path draws depends on its
        // departure and exit times, so these two are computed as well.
        let departure = self.departure_time(d.departure_draw);
        let exit_time = self.exit_time(d.exit_draw);
        let event_time = exit_time.min(m.horizon_years);
        for (_, dilution) in self.rounds(key, event_time) {
            sum += dilution;
        }
        if self.decides_on_leaving(departure, event_time) {
            let z: f64 = StandardNormal.sample(&mut key.stream(random::DEPARTURE_VALUE));
            sum += z;
        }
        for (_, z) in self.tenders(key, event_time) {
            sum += z;
        }
        let employed = departure.min(m.window_years);
        if !self.stock.times.is_empty() {
            let mut rng = key.stream(random::STOCK);
            for &t in &self.stock.times {
                if t > employed + TIME_TOLERANCE {
                    break;
                }
                let z: f64 = StandardNormal.sample(&mut rng);
                sum += z;
            }
        }
        sum
    }

    /// The core stream's first draws. They come in a fixed order and
    /// number, so that parameters that change one draw's use leave the
    /// others in place.
    ///
    /// Always inlined: LLVM otherwise keeps it out of line in `simulate`
    /// and `draw_only`, and the draws go through memory.
    #[inline(always)]
    fn core_draws(&self, core: &mut PathRng, key: random::PathKey) -> CoreDraws {
        let departure_draw: f64 = Exp1.sample(core);
        let exit_draw: f64 = Exp1.sample(core);
        let type_draw: f64 = core.random();
        let multiple_z: f64 = StandardNormal.sample(core);
        let lockup_z: f64 = StandardNormal.sample(core);
        let offer_refresh_won =
            RefreshDraws::draw(&self.model.offer.grants, key, random::OFFER_REFRESHES);
        let alt_refresh_won = RefreshDraws::draw(
            &self.model.alternative.grants,
            key,
            random::ALTERNATIVE_REFRESHES,
        );
        CoreDraws {
            departure_draw,
            exit_draw,
            type_draw,
            multiple_z,
            lockup_z,
            offer_refresh_won,
            alt_refresh_won,
        }
    }

    /// The exercise cost that the path whose record is `record` paid in
    /// cash at departure ([`ExerciseCost::of`]).
    pub fn exercise_cost(&self, record: &PathRecord) -> ExerciseCost {
        ExerciseCost::of(&self.model, record)
    }

    /// PV of the public RSUs: shares of each grant sold at every vest date
    /// up to `E` at the simulated stock price,
    /// `Σ_g (1 / S_{s_g}) Σ_i e^{-r t_i} S_i amount_g tranche_{g,i}` with
    /// `S_{s_g}` the price when grant `g` was made (1 for the initial one).
    ///
    /// The grid is walked in blocks: first the block's normals and log
    /// prices (a serial sum), then all its exponentials in one vectorized
    /// loop, then each grant's PV weights against the prices. The draws are
    /// one normal per grid point up to `E`, in grid order.
    // Inlined by attribute: see `rounds`.
    #[inline(always)]
    fn public_equity(
        &self,
        employed: f64,
        active: &[bool; MAX_GRANTS],
        key: random::PathKey,
    ) -> f64 {
        let grid = &self.stock;
        let until = employed + TIME_TOLERANCE;
        // Times increase: the points up to `E` are a prefix of the grid.
        let points = grid.times.partition_point(|&t| t <= until);
        if points == 0 {
            return 0.0;
        }
        // Per row: `S_{s_g}` and `Σ_i w_{g,i} S_i` so far.
        let mut price_at_grant = [1.0f64; MAX_GRANTS];
        let mut weighted = [0.0f64; MAX_GRANTS];
        let mut rng = key.stream(random::STOCK);
        let mut log_price = 0.0;
        let mut prices = [0.0f64; STOCK_BLOCK];
        for start in (0..points).step_by(STOCK_BLOCK) {
            let end = (start + STOCK_BLOCK).min(points);
            let block = &mut prices[..end - start];
            let steps = grid.log_drift_step[start..end]
                .iter()
                .zip(&grid.vol_step[start..end]);
            for (price, (&drift, &vol)) in block.iter_mut().zip(steps) {
                let z: f64 = StandardNormal.sample(&mut rng);
                log_price += drift + vol * z;
                *price = log_price;
            }
            exp::exp_in_place(block);
            for (r, row) in grid.rows.iter().enumerate() {
                if !active[row.grant] {
                    continue;
                }
                if let Some(i) = row.granted_at.filter(|i| (start..end).contains(i)) {
                    price_at_grant[r] = block[i - start];
                }
                let from = row.vesting.start.max(start);
                let to = row.vesting.end.min(end);
                if from < to {
                    weighted[r] += dot(&row.weights[from..to], &block[from - start..to - start]);
                }
            }
        }
        let rows = grid.rows.len();
        weighted[..rows]
            .iter()
            .zip(&price_at_grant[..rows])
            .map(|(&w, &p)| w / p)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The floor solver and the sweeps keep one record per path in memory:
    /// a million paths must stay within 56 MB (48 before the tender
    /// proceeds were kept).
    #[test]
    fn path_record_is_at_most_56_bytes() {
        assert!(
            std::mem::size_of::<PathRecord>() <= 56,
            "PathRecord is {} bytes",
            std::mem::size_of::<PathRecord>()
        );
    }
}
