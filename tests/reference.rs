//! A second implementation of the model, held to the engine within Monte
//! Carlo error.
//!
//! It is written path by path from the model's text, as plainly as it can
//! be: one random stream for everything, the company's value drawn date by
//! date, dilution by walking the rounds for every grant and date, the tax
//! rules as their table reads. It shares nothing with the engine but the
//! scenario's parser: it reads the resolved scenario as a TOML table, field
//! by field. Both simulate independent paths (other seeds, other draws), so
//! each figure is compared within a multiple of the standard error of the
//! difference of two independent means. The seeds are fixed: a run is
//! reproducible, and a check fails beyond 4.5 standard errors (a false alarm
//! about once in 150,000 comparisons, were the seeds changed).
//!
//! The one place where the model text prescribes an approximation is kept
//! as written: the day of leaving and each tender are bridged on their own
//! between the dates the path draws (the start, the refresh dates, the
//! event), never between two bridged dates.

use std::collections::HashMap;

use equisim::engine::{self, RunOptions};
use equisim::scenario::{self, Scenario};
use equisim::stats::{Outputs, Preferences};
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Beta, Distribution, Exp1, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::common;

/// Paths on each side of a comparison.
const PATHS: u64 = 300_000;
/// Standard errors beyond which a figure disagrees.
const LIMIT: f64 = 4.5;

/// The resolved scenario as a table, read by dotted path.
struct Fields(toml::Table);

impl Fields {
    fn of(s: &Scenario) -> Fields {
        Fields(toml::Table::try_from(s).expect("a scenario serializes"))
    }

    fn value(&self, path: &str) -> Option<&toml::Value> {
        let mut parts = path.split('.');
        let mut v = self.0.get(parts.next()?)?;
        for p in parts {
            v = v.as_table()?.get(p)?;
        }
        Some(v)
    }

    fn f(&self, path: &str) -> f64 {
        self.opt(path).unwrap_or_else(|| panic!("{path} missing"))
    }

    fn opt(&self, path: &str) -> Option<f64> {
        number(self.value(path)?)
    }

    fn text(&self, path: &str) -> Option<&str> {
        self.value(path)?.as_str()
    }

    fn tables(&self, path: &str) -> Vec<toml::Table> {
        self.value(path)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
            .unwrap_or_default()
    }
}

fn number(v: &toml::Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

fn field(t: &toml::Table, key: &str) -> Option<f64> {
    number(t.get(key)?)
}

/// A vesting schedule as model.md §4 states it: tranches every `m` months,
/// each year's share split evenly over its tranches, nothing before the
/// cliff, the backlog at the cliff.
#[derive(Clone)]
struct Vesting {
    cliff: f64,
    months: f64,
    tranches: Vec<f64>,
}

impl Vesting {
    fn of(t: &toml::Table) -> Vesting {
        let years = field(t, "years").unwrap();
        let months = field(t, "every_months").unwrap();
        let cliff = field(t, "cliff_years").unwrap_or(0.0);
        let n = (12.0 * years / months).round() as usize;
        let per_year = (12.0 / months).round() as usize;
        let weights: Option<Vec<f64>> = t
            .get("weights")
            .and_then(|w| w.as_array())
            .map(|w| w.iter().filter_map(number).collect());
        let tranches = (1..=n)
            .map(|j| match &weights {
                None => 1.0 / n as f64,
                Some(w) => w[((j - 1) as f64 * months / 12.0).floor() as usize] / per_year as f64,
            })
            .collect();
        Vesting {
            cliff,
            months,
            tranches,
        }
    }

    /// v(t) of a grant made at `s`.
    fn vested(&self, s: f64, t: f64) -> f64 {
        let elapsed = t - s;
        if elapsed < 0.0 || elapsed + 1e-9 < self.cliff {
            return 0.0;
        }
        let events =
            ((12.0 * elapsed / self.months + 1e-9).floor() as usize).min(self.tranches.len());
        self.tranches[..events].iter().sum::<f64>().min(1.0)
    }

    /// The vest events of a grant made at `s`: (date, tranche), the
    /// backlog paid at the cliff.
    fn events(&self, s: f64) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        let mut before = 0.0;
        for j in 1..=self.tranches.len() {
            let t = s + j as f64 * self.months / 12.0;
            let v = self.vested(s, t);
            if v > before {
                out.push((t, v - before));
                before = v;
            }
        }
        out
    }
}

/// One refresh table's dates: `at_years`, and every `every_years` after it
/// while before the window's end.
fn refresh_dates(t: &toml::Table, window: f64) -> Vec<f64> {
    let at = field(t, "at_years").unwrap();
    match field(t, "every_years") {
        None => vec![at],
        Some(k) => (0..)
            .map(|i| at + i as f64 * k)
            .take_while(|&d| d < window)
            .collect(),
    }
}

struct Grant {
    date: f64,
    value: f64,
    vesting: Vesting,
}

/// The refresh grants an offer makes on a path: each date decided by its
/// own draw, made only while employed and (for the private company) while
/// it is private.
fn refreshes(
    f: &Fields,
    side: &str,
    initial: f64,
    vesting: &Vesting,
    window: f64,
    made_if: impl Fn(f64) -> bool,
    rng: &mut impl Rng,
) -> Vec<Grant> {
    let mut grants = Vec::new();
    for r in f.tables(&format!("{side}.equity.refresh")) {
        let vesting = r
            .get("vesting")
            .and_then(|v| v.as_table())
            .map_or_else(|| vesting.clone(), Vesting::of);
        for date in refresh_dates(&r, window) {
            let won = rng.random::<f64>() < field(&r, "probability").unwrap();
            if won && made_if(date) {
                let value = field(&r, "grant")
                    .unwrap_or_else(|| field(&r, "grant_ratio").unwrap() * initial);
                grants.push(Grant {
                    date,
                    value,
                    vesting: vesting.clone(),
                });
            }
        }
    }
    grants
}

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Ipo,
    Acquisition,
    Failure,
    Private,
}

/// The marginal rates of `[tax]` and the offers' treatments.
struct Tax {
    rates: HashMap<String, f64>,
    offer: String,
    alternative: String,
}

impl Tax {
    fn of(f: &Fields) -> Option<Tax> {
        let table = f.value("tax")?.as_table()?;
        let rates = table
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), number(v)?)))
            .collect();
        let options = f.text("offer.equity.instrument") == Some("options");
        Some(Tax {
            rates,
            offer: f
                .text("offer.equity.tax_treatment")
                .unwrap_or(if options { "nso" } else { "rsu" })
                .to_string(),
            alternative: f
                .text("alternative.equity.tax_treatment")
                .unwrap_or("rsu")
                .to_string(),
        })
    }

    fn rate(&self, kind: &str) -> f64 {
        self.rates[kind]
    }

    /// The rate on a cashless exercise and sale (or a private RSU's
    /// proceeds), with the seniority at the sale for BSPCE.
    fn cashless(&self, seniority: f64) -> f64 {
        match self.offer.as_str() {
            "rsu" | "nso" | "iso" => self.rate("ordinary"),
            "bspce" => self.bspce(seniority),
            "qualified_options" => self.rate("qualified_spread"),
            other => panic!("treatment {other}"),
        }
    }

    fn bspce(&self, seniority: f64) -> f64 {
        if seniority >= self.rate("bspce_seniority_years") {
            self.rate("bspce")
        } else {
            self.rate("bspce_short")
        }
    }
}

/// Finnerty's (2012) average-strike put as a share of the price, for
/// volatility `sigma` over `years`; the series `x/3 - x²/18` for small
/// `x = σ²T`, where the closed form loses its digits.
fn finnerty(sigma: f64, years: f64) -> f64 {
    let x = sigma * sigma * years;
    let v2 = if x < 1e-4 {
        x / 3.0 - x * x / 18.0
    } else {
        x + (2.0 * (x.exp() - x - 1.0)).ln() - 2.0 * (x.exp() - 1.0).ln()
    };
    let v = v2.max(0.0).sqrt();
    normal_cdf(v / 2.0) - normal_cdf(-v / 2.0)
}

/// The Black-Scholes at-the-money put with S = K = 1.
fn chaffe(sigma: f64, years: f64, rate: f64) -> f64 {
    if sigma == 0.0 || years == 0.0 {
        return ((-rate * years).exp() - 1.0).max(0.0);
    }
    let spread = sigma * years.sqrt();
    let d1 = (rate + sigma * sigma / 2.0) * years / spread;
    (-rate * years).exp() * normal_cdf(-(d1 - spread)) - normal_cdf(-d1)
}

fn normal_cdf(x: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2)
}

/// One path's figures, as the report counts them.
#[derive(Default, Clone, Copy)]
struct PathFigures {
    offer_total: f64,
    offer_equity: f64,
    alternative_total: f64,
    alternative_equity: f64,
    pays_nothing: bool,
    tender_proceeds: f64,
    outcome_index: usize,
    /// `V_exit / V0` and τ, on the IPO and acquisition paths.
    liquidity: Option<(f64, f64)>,
}

fn simulate_path(f: &Fields, tax: Option<&Tax>, rng: &mut Xoshiro256PlusPlus) -> PathFigures {
    let normal = |rng: &mut Xoshiro256PlusPlus| -> f64 { StandardNormal.sample(rng) };
    let exponential = |rng: &mut Xoshiro256PlusPlus, rate: f64| -> f64 {
        let e: f64 = Exp1.sample(rng);
        e / rate
    };
    let w = f.f("simulation.window_years");
    let horizon = f.f("simulation.horizon_years");
    let r = f.f("simulation.discount_rate");
    let risk_neutral = f.text("simulation.measure") == Some("risk_neutral");
    let pv = |t: f64| (-r * t).exp();

    // §2 departure
    let a = f.f("employee.attrition_per_year");
    let d = if a == 0.0 {
        f64::INFINITY
    } else {
        exponential(rng, -(1.0 - a).ln())
    };
    let employed = d.min(w);

    // §6 exit
    let p_ipo = f.f("company.exit.ipo_per_year");
    let p_acq = f.f("company.exit.acquisition_per_year");
    let p = p_ipo + p_acq + f.f("company.exit.failure_per_year");
    let h = -(1.0 - p).ln();
    let exit_time = if h == 0.0 {
        f64::INFINITY
    } else {
        f.f("company.exit.earliest_years") + exponential(rng, h)
    };
    let type_draw = rng.random::<f64>() * p;
    let outcome = if exit_time > horizon {
        Outcome::Private
    } else if type_draw < p_ipo {
        Outcome::Ipo
    } else if type_draw < p_ipo + p_acq {
        Outcome::Acquisition
    } else {
        Outcome::Failure
    };
    let event = exit_time.min(horizon);

    // Funding rounds until the event, and the pool.
    let per_year = f.f("company.rounds.per_year");
    let mean = f.f("company.rounds.dilution_mean");
    let sd = f.f("company.rounds.dilution_sd");
    let mut rounds = Vec::new();
    if per_year > 0.0 {
        let mut t = 0.0;
        loop {
            t += exponential(rng, per_year);
            if t > event {
                break;
            }
            let dilution = if sd == 0.0 {
                mean
            } else {
                let k = mean * (1.0 - mean) / (sd * sd) - 1.0;
                Beta::new(mean * k, (1.0 - mean) * k).unwrap().sample(rng)
            };
            rounds.push((t, dilution));
        }
    }
    let pool = f.f("company.rounds.pool_per_year");
    let survives = |u: f64, v: f64| {
        rounds
            .iter()
            .filter(|&&(t, _)| u < t && t <= v)
            .fold((-pool * (v - u).max(0.0)).exp(), |acc, &(_, d)| {
                acc * (1.0 - d)
            })
    };

    // Tender dates while private.
    let tender_rate = f.opt("company.tender.per_year").unwrap_or(0.0);
    let mut tenders = Vec::new();
    if tender_rate > 0.0 {
        let mut t = f.f("company.tender.from_years");
        loop {
            t += exponential(rng, tender_rate);
            if t >= event {
                break;
            }
            tenders.push(t);
        }
    }

    // The offer's grants.
    let initial = f.f("offer.equity.grant");
    let vesting = Vesting::of(f.value("offer.equity.vesting").unwrap().as_table().unwrap());
    let mut grants = vec![Grant {
        date: 0.0,
        value: initial,
        vesting: vesting.clone(),
    }];
    let all_refresh_dates: Vec<f64> = f
        .tables("offer.equity.refresh")
        .iter()
        .flat_map(|t| refresh_dates(t, w))
        .collect();
    grants.extend(refreshes(
        f,
        "offer",
        initial,
        &vesting,
        w,
        |s| d > s && s < w && exit_time > s,
        rng,
    ));

    // The company's value: drawn at the start, the refresh dates before the
    // event and the event; bridged on its own at any other date.
    let drift = if risk_neutral {
        r
    } else {
        f.f("company.drift")
    };
    let sigma = f.f("company.volatility");
    let mut drawn: Vec<f64> = all_refresh_dates
        .iter()
        .copied()
        .filter(|&s| s < event)
        .collect();
    drawn.sort_by(f64::total_cmp);
    drawn.dedup();
    drawn.insert(0, 0.0);
    drawn.push(event);
    let mut log_values = vec![0.0];
    for i in 1..drawn.len() {
        let dt = drawn[i] - drawn[i - 1];
        let step = (drift - sigma * sigma / 2.0) * dt + sigma * dt.sqrt() * normal(rng);
        log_values.push(log_values[i - 1] + step);
    }
    let drawn_value = |t: f64| {
        let i = drawn.iter().position(|&x| x == t).expect("a drawn date");
        log_values[i].exp()
    };
    let bridged = |t: f64, rng: &mut Xoshiro256PlusPlus| {
        let b = drawn.iter().position(|&x| x > t).unwrap_or(drawn.len() - 1);
        let (ta, tb) = (drawn[b - 1], drawn[b]);
        let u = (t - ta) / (tb - ta);
        let mean = log_values[b - 1] + u * (log_values[b] - log_values[b - 1]);
        (mean + sigma * ((tb - ta) * u * (1.0 - u)).sqrt() * normal(rng)).exp()
    };
    // Values are in units of today's valuation: only ratios matter, except
    // against the preference stack.
    let v0 = f.f("company.valuation");

    let options = f.text("offer.equity.instrument") == Some("options");
    let strike_ratio = if options {
        f.f("offer.equity.strike_ratio")
    } else {
        0.0
    };
    let window = f.opt("offer.equity.exercise_window_years").unwrap_or(0.0);
    let rule = f
        .text("offer.equity.exercise_on_departure")
        .unwrap_or("if_in_the_money");
    let decides_at_departure = options && d < w && event - d > window;
    let value_at_departure = (decides_at_departure && d < event).then(|| bridged(d, rng));

    // §6 tenders, in date order.
    let mut sold = vec![0.0; grants.len()];
    let mut tender_pv = 0.0;
    for &u in &tenders {
        let value_u = bridged(u, rng);
        if d <= u {
            continue;
        }
        for (g, grant) in grants.iter().enumerate() {
            if grant.date >= u {
                continue;
            }
            let held = grant.vesting.vested(grant.date, u.min(employed)) - sold[g];
            if held <= 0.0 {
                continue;
            }
            let phi = held * grant.value / drawn_value(grant.date) * survives(grant.date, u);
            let price = 1.0 - f.f("company.tender.discount");
            let fraction = f.f("company.tender.fraction");
            let proceeds = if options {
                let spread = phi * value_u * price - strike_ratio * grant.value * held;
                if spread <= 0.0 {
                    continue;
                }
                spread * (1.0 - tax.map_or(0.0, |t| t.cashless(u)))
            } else {
                phi * value_u * price * (1.0 - tax.map_or(0.0, |t| t.rate("ordinary")))
            };
            tender_pv += fraction * proceeds * pv(u);
            sold[g] += fraction * held;
        }
    }

    // §6 the event's payoff of a fraction φ of fully diluted equity (in
    // units of V0), and when it is paid.
    let value_event = drawn_value(event);
    let (multiple, lockup, tau) = match outcome {
        Outcome::Ipo => {
            let m = f.f("company.exit.ipo_multiple.median").ln()
                + f.f("company.exit.ipo_multiple.sigma") * normal(rng);
            let l = f.f("company.exit.lockup_years");
            let sl = f.f("company.exit.lockup_volatility");
            let move_ = (-sl * sl * l / 2.0 + sl * l.sqrt() * normal(rng)).exp();
            (m.exp(), move_, exit_time + l)
        }
        Outcome::Acquisition => {
            let m = f.f("company.exit.acquisition_multiple.median").ln()
                + f.f("company.exit.acquisition_multiple.sigma") * normal(rng);
            (m.exp(), 1.0, exit_time)
        }
        Outcome::Failure => (0.0, 1.0, exit_time),
        Outcome::Private => (1.0, 1.0, horizon),
    };
    let stack = f.f("company.preference_stack") / v0;
    let q = f.f("company.preferred_fraction");
    let payoff = |phi: f64| match outcome {
        Outcome::Ipo => phi * value_event * multiple * lockup,
        Outcome::Acquisition => {
            let v = value_event * multiple;
            phi / (1.0 - q) * (v - v.min(stack.max(q * v)))
        }
        Outcome::Failure => 0.0,
        Outcome::Private => phi * value_event * (1.0 - f.f("company.exit.secondary_discount")),
    };
    // §8 what is left of a private payoff at τ after the illiquidity discount.
    let keep = match f.text("employee.illiquidity.method") {
        Some("flat") => 1.0 - f.f("employee.illiquidity.discount"),
        Some("none") => 1.0,
        Some("finnerty") => 1.0 - finnerty(sigma, tau),
        Some("chaffe") => 1.0 - chaffe(sigma, tau, r),
        other => panic!("illiquidity {other:?}"),
    };
    let acceleration = f
        .opt("offer.equity.acceleration_on_acquisition")
        .unwrap_or(0.0);

    // §7 the private grants at the event.
    let (mut equity_pv, mut cost_pv) = (0.0, 0.0);
    for (g, grant) in grants.iter().enumerate() {
        let mut v = grant.vesting.vested(grant.date, employed);
        if outcome == Outcome::Acquisition && exit_time < employed {
            let at_exit = grant.vesting.vested(grant.date, exit_time);
            v = v.max(at_exit + acceleration * (1.0 - at_exit));
        }
        v -= sold[g];
        if v <= 0.0 {
            continue;
        }
        let per_value = v * grant.value / drawn_value(grant.date);
        let x = payoff(per_value * survives(grant.date, event));
        if !options {
            let after_tax = x * (1.0 - tax.map_or(0.0, |t| t.rate("ordinary")));
            equity_pv += keep * after_tax * pv(tau);
            continue;
        }
        let strike = strike_ratio * grant.value * v;
        if !decides_at_departure {
            let spread = (x - strike).max(0.0);
            let rate = tax.map_or(0.0, |t| t.cashless(d.min(tau)));
            equity_pv += keep * spread * (1.0 - rate) * pv(tau);
            continue;
        }
        let worth_at_departure =
            per_value * survives(grant.date, d) * value_at_departure.unwrap_or(f64::NAN);
        let exercise = match rule {
            "always" => true,
            "never" => false,
            _ => worth_at_departure > strike,
        };
        if !exercise {
            continue;
        }
        cost_pv += strike * pv(d);
        let Some(t) = tax else {
            equity_pv += keep * x * pv(tau);
            continue;
        };
        let spread_d = (worth_at_departure - strike).max(0.0);
        let gain = (x - strike).max(0.0);
        let sale_gain = (x - strike.max(worth_at_departure)).max(0.0);
        let gain_rate = if tau - d >= t.rate("long_term_years") {
            t.rate("capital_gain")
        } else {
            t.rate("short_gain")
        };
        let tax_at_sale = match t.offer.as_str() {
            "nso" => {
                cost_pv += t.rate("ordinary") * spread_d * pv(d);
                sale_gain * gain_rate
            }
            "iso" => {
                let amt = t.rate("amt") * spread_d;
                cost_pv += amt * pv(d);
                let due = if tau - d >= 1.0 && tau - grant.date >= 2.0 {
                    gain * t.rate("capital_gain")
                } else {
                    let income = spread_d.min(gain);
                    income * t.rate("ordinary") + (gain - income) * gain_rate
                };
                due - amt.min(due)
            }
            "bspce" => t.bspce(d) * spread_d.min(gain) + t.rate("capital_gain") * sale_gain,
            "qualified_options" => {
                t.rate("qualified_spread") * spread_d.min(gain) + t.rate("capital_gain") * sale_gain
            }
            other => panic!("treatment {other}"),
        };
        equity_pv += keep * (x - tax_at_sale) * pv(tau);
    }

    // §3 cash pay, and the pay after leaving (the same on both sides).
    let pay_rate = tax.map_or(0.0, |t| t.rate("pay"));
    let cash = |side: &str| {
        let base = f.f(&format!("{side}.base"));
        let mut total = if r > 0.0 {
            base * (1.0 - (-r * employed).exp()) / r
        } else {
            base * employed
        };
        let bonus = f.opt(&format!("{side}.bonus_rate")).unwrap_or(0.0) * base;
        let mut k = 1.0;
        while k <= employed {
            total += bonus * pv(k);
            k += 1.0;
        }
        (total + f.opt(&format!("{side}.sign_on")).unwrap_or(0.0)) * (1.0 - pay_rate)
    };
    let after_leaving = if d < w {
        let b = f.f("employee.base_after_leaving");
        let paid_for = if r > 0.0 { (pv(d) - pv(w)) / r } else { w - d };
        b * paid_for * (1.0 - pay_rate)
    } else {
        0.0
    };
    let offer_equity = tender_pv + equity_pv - cost_pv;

    // §5 the public alternative.
    let alt_initial = f.f("alternative.equity.grant");
    let alt_vesting = Vesting::of(
        f.value("alternative.equity.vesting")
            .unwrap()
            .as_table()
            .unwrap(),
    );
    let mut alt_grants = vec![Grant {
        date: 0.0,
        value: alt_initial,
        vesting: alt_vesting.clone(),
    }];
    alt_grants.extend(refreshes(
        f,
        "alternative",
        alt_initial,
        &alt_vesting,
        w,
        |s| d > s && s < w,
        rng,
    ));
    let stock_drift = if risk_neutral {
        r
    } else {
        f.f("alternative.equity.stock.drift")
    };
    let stock_sigma = f.f("alternative.equity.stock.volatility");
    let mut dates: Vec<f64> = alt_grants.iter().map(|g| g.date).collect();
    for g in &alt_grants {
        dates.extend(
            g.vesting
                .events(g.date)
                .into_iter()
                .map(|(t, _)| t)
                .filter(|&t| t <= employed),
        );
    }
    dates.sort_by(f64::total_cmp);
    dates.dedup();
    let mut price = HashMap::new();
    let (mut log_price, mut last) = (0.0, 0.0);
    for &t in &dates {
        let dt = t - last;
        log_price += (stock_drift - stock_sigma * stock_sigma / 2.0) * dt
            + stock_sigma * dt.sqrt() * normal(rng);
        price.insert(t.to_bits(), log_price.exp());
        last = t;
    }
    let rsu_rate = tax.map_or(0.0, |t| {
        t.rate(if t.alternative == "free_shares" {
            "free_shares"
        } else {
            "ordinary"
        })
    });
    let mut alternative_equity = 0.0;
    for g in &alt_grants {
        let at_grant = price[&g.date.to_bits()];
        for (t, tranche) in g.vesting.events(g.date) {
            if t <= employed {
                alternative_equity += g.value * tranche * price[&t.to_bits()] / at_grant * pv(t);
            }
        }
    }
    alternative_equity *= 1.0 - rsu_rate;

    PathFigures {
        offer_total: cash("offer") + after_leaving + offer_equity,
        offer_equity,
        alternative_total: cash("alternative") + after_leaving + alternative_equity,
        alternative_equity,
        pays_nothing: tender_pv + equity_pv == 0.0,
        tender_proceeds: tender_pv,
        outcome_index: outcome as usize,
        liquidity: matches!(outcome, Outcome::Ipo | Outcome::Acquisition)
            .then_some((value_event * multiple, tau)),
    }
}

/// How far apart two figures may be where neither has Monte Carlo error
/// (a deterministic part computed in another order), relative to their size.
const ROUNDING: f64 = 1e-9;

/// The difference of two estimates in units of `se`; 0 when they agree to
/// rounding, whatever their error.
fn z_of(engine: f64, reference: f64, se: f64) -> f64 {
    let gap = engine - reference;
    if gap.abs() <= ROUNDING * engine.abs().max(reference.abs()) {
        0.0
    } else if se > 0.0 {
        gap / se
    } else {
        f64::INFINITY
    }
}

/// A figure's mean and the standard error of that mean.
#[derive(Debug, Clone, Copy)]
struct Estimate {
    mean: f64,
    std_error: f64,
}

fn estimate(values: impl Iterator<Item = f64>) -> Estimate {
    let (mut n, mut sum, mut squares) = (0.0, 0.0, 0.0);
    for x in values {
        n += 1.0;
        sum += x;
        squares += x * x;
    }
    let mean = sum / n;
    let variance = (squares / n - mean * mean).max(0.0) * n / (n - 1.0);
    Estimate {
        mean,
        std_error: (variance / n).sqrt(),
    }
}

/// A share's standard error from the share itself.
fn share(p: f64, n: f64) -> Estimate {
    Estimate {
        mean: p,
        std_error: (p * (1.0 - p) / n).sqrt(),
    }
}

/// Simulates `s` both ways and holds every figure to the reference.
fn agrees(s: &Scenario, reference_seed: u64) {
    let f = Fields::of(s);
    let tax = Tax::of(&f);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(reference_seed);
    let paths: Vec<PathFigures> = (0..PATHS)
        .map(|_| simulate_path(&f, tax.as_ref(), &mut rng))
        .collect();
    let n = PATHS as f64;
    let by = |get: fn(&PathFigures) -> f64| estimate(paths.iter().map(get));
    let count = |keep: fn(&PathFigures) -> bool| {
        share(paths.iter().filter(|p| keep(p)).count() as f64 / n, n)
    };

    let sim = engine::simulate(s, &RunOptions::default()).unwrap();
    let labels = ("offer", "alternative");
    let amounts = &s.report.thresholds;
    let out = Outputs::compute_with_thresholds(&sim, Preferences::of(s), labels, amounts).unwrap();
    let summary = |x: &equisim::stats::Summary| Estimate {
        mean: x.mean,
        std_error: x.std_error,
    };
    let shares = out.offer.equity_shares.as_ref();
    let outcomes = &out.company.outcomes;
    let tenders = out.company.tenders.as_ref();
    let m = s.simulation.paths as f64;
    let mut figures = vec![
        (
            "offer total",
            summary(&out.offer.total),
            by(|p| p.offer_total),
        ),
        (
            "offer equity",
            summary(&out.offer.equity),
            by(|p| p.offer_equity),
        ),
        (
            "alternative total",
            summary(&out.alternative.total),
            by(|p| p.alternative_total),
        ),
        (
            "alternative equity",
            summary(&out.alternative.equity),
            by(|p| p.alternative_equity),
        ),
        (
            "mean difference",
            Estimate {
                mean: out.comparison.mean_difference,
                std_error: out.comparison.mean_difference_std_error,
            },
            by(|p| p.offer_total - p.alternative_total),
        ),
        (
            "P(offer worth more)",
            share(out.comparison.p_offer_beats_alternative, m),
            count(|p| p.offer_total > p.alternative_total),
        ),
        (
            "IPO share",
            share(outcomes.ipo, m),
            count(|p| p.outcome_index == Outcome::Ipo as usize),
        ),
        (
            "acquisition share",
            share(outcomes.acquisition, m),
            count(|p| p.outcome_index == Outcome::Acquisition as usize),
        ),
        (
            "failure share",
            share(outcomes.failure, m),
            count(|p| p.outcome_index == Outcome::Failure as usize),
        ),
    ];
    if let Some(e) = shares {
        figures.push((
            "P(pays nothing)",
            share(e.p_equity_pays_nothing, m),
            count(|p| p.pays_nothing),
        ));
        figures.push((
            "P(loses money)",
            share(e.p_equity_loses_money, m),
            count(|p| p.offer_equity < 0.0),
        ));
        figures.push((
            "P(no gain)",
            share(e.p_equity_no_gain, m),
            count(|p| p.offer_equity <= 0.0),
        ));
    }
    if let Some(t) = tenders {
        figures.push((
            "P(sold in a tender)",
            share(t.p_sold_in_tender, m),
            count(|p| p.tender_proceeds > 0.0),
        ));
        // The engine reports no standard error for the tender proceeds:
        // the reference's own, as for a sample of the same size.
        let reference = by(|p| p.tender_proceeds);
        let engine = Estimate {
            mean: t.mean_tender_proceeds,
            std_error: reference.std_error * (n / m).sqrt(),
        };
        figures.push(("mean tender proceeds", engine, reference));
    }
    let mut report = String::new();
    let mut worst: f64 = 0.0;
    let mut line = |what: &str, engine: f64, reference: f64, se: f64, z: f64| {
        worst = worst.max(z.abs());
        report.push_str(&format!(
            "{what:>24}: engine {engine:>14.6} reference {reference:>14.6} ± {se:<10.4} z {z:+.2}\n"
        ));
    };
    for (what, engine, reference) in &figures {
        let se = engine.std_error.hypot(reference.std_error);
        let z = z_of(engine.mean, reference.mean, se);
        line(what, engine.mean, reference.mean, se, z);
    }

    // Quantiles: the share of the reference's paths at or below the
    // engine's p-quantile must be p, within the binomial error of both
    // samples (no density estimate needed); an atom at the quantile counts
    // as any share between its lower and upper edge.
    let mut quantile = |what: &str, engine: f64, p: f64, sample: &[f64], engine_n: f64| {
        let n = sample.len() as f64;
        // Both implementations put an atom (the paths with no equity and
        // the same pay) a few units in the last place apart.
        let tolerance = ROUNDING * engine.abs();
        let below = sample.iter().filter(|&&x| x < engine - tolerance).count() as f64 / n;
        let at_or_below = sample.iter().filter(|&&x| x <= engine + tolerance).count() as f64 / n;
        let miss = if p < below {
            p - below
        } else if p > at_or_below {
            p - at_or_below
        } else {
            0.0
        };
        let se = (p * (1.0 - p) * (1.0 / n + 1.0 / engine_n)).sqrt();
        line(what, below, p, se, miss / se);
    };
    let offer: Vec<f64> = paths.iter().map(|p| p.offer_total).collect();
    let alternative: Vec<f64> = paths.iter().map(|p| p.alternative_total).collect();
    let equity: Vec<f64> = paths.iter().map(|p| p.offer_equity).collect();
    let difference: Vec<f64> = paths
        .iter()
        .map(|p| p.offer_total - p.alternative_total)
        .collect();
    for (name, engine, sample) in [
        ("offer total", &out.offer.total, &offer),
        ("alternative total", &out.alternative.total, &alternative),
        ("offer equity", &out.offer.equity, &equity),
    ] {
        let q = &engine.percentiles;
        for (p, value) in [
            (0.05, q.p5),
            (0.1, q.p10),
            (0.5, q.p50),
            (0.9, q.p90),
            (0.95, q.p95),
        ] {
            quantile(
                &format!("{name} P{}", (p * 100.0) as u32),
                value,
                p,
                sample,
                m,
            );
        }
    }
    let d = &out.comparison.difference_percentiles;
    for (p, value) in [(0.1, d.p10), (0.5, d.p50), (0.9, d.p90)] {
        quantile(
            &format!("difference P{}", (p * 100.0) as u32),
            value,
            p,
            &difference,
            m,
        );
    }
    let liquid: Vec<(f64, f64)> = paths.iter().filter_map(|p| p.liquidity).collect();
    let liquid_share = (out.company.outcomes.ipo + out.company.outcomes.acquisition) * m;
    if let Some(multiples) = &out.company.exit_multiple_percentiles {
        let sample: Vec<f64> = liquid.iter().map(|l| l.0).collect();
        for (p, value) in [
            (0.05, multiples.p5),
            (0.5, multiples.p50),
            (0.95, multiples.p95),
        ] {
            let what = format!("exit multiple P{}", (p * 100.0) as u32);
            quantile(&what, value, p, &sample, liquid_share);
        }
    }
    if let Some(median) = out.company.median_time_to_liquidity {
        let sample: Vec<f64> = liquid.iter().map(|l| l.1).collect();
        quantile("time to liquidity P50", median, 0.5, &sample, liquid_share);
    }

    // Expected shortfall at 10%: its error from the tail's spread and its
    // distance to the quantile (the estimator's asymptotic variance).
    for (name, engine, sample) in [
        ("offer total", &out.offer.total, &offer),
        ("alternative total", &out.alternative.total, &alternative),
    ] {
        let mut sorted = sample.clone();
        sorted.sort_by(f64::total_cmp);
        let k = (0.1 * n).ceil() as usize;
        let tail = estimate(sorted[..k].iter().copied());
        let q = sorted[k - 1];
        let spread = tail.std_error * (k as f64).sqrt();
        let variance = (spread * spread + 0.9 * (tail.mean - q).powi(2)) / 0.1;
        let se = (variance * (1.0 / n + 1.0 / m)).sqrt();
        let z = z_of(engine.expected_shortfall_10, tail.mean, se);
        line(
            &format!("{name} ES10"),
            engine.expected_shortfall_10,
            tail.mean,
            se,
            z,
        );
    }

    // The certainty equivalent: the mean utility's error carried through
    // the inverse of the utility (the delta method).
    let gamma = f.f("employee.risk_aversion");
    let w0 = f.f("employee.outside_wealth");
    for (name, engine, sample) in [
        ("offer total", &out.offer.total, &offer),
        ("alternative total", &out.alternative.total, &alternative),
    ] {
        let Some(ce) = engine.certainty_equivalent.filter(|_| gamma > 0.0) else {
            continue;
        };
        let utility = |x: f64| {
            if gamma == 1.0 {
                x.ln()
            } else {
                x.powf(1.0 - gamma) / (1.0 - gamma)
            }
        };
        let inverse = |u: f64| {
            if gamma == 1.0 {
                u.exp()
            } else {
                (u * (1.0 - gamma)).powf(1.0 / (1.0 - gamma))
            }
        };
        let mean_utility = estimate(sample.iter().map(|&x| utility(w0 + x)));
        let reference = inverse(mean_utility.mean) - w0;
        let slope = (reference + w0).powf(-gamma);
        let se = mean_utility.std_error / slope * (1.0 + n / m).sqrt();
        line(
            &format!("{name} CE"),
            ce,
            reference,
            se,
            z_of(ce, reference, se),
        );
    }

    // P(total ≥ amount) at the scenario's thresholds.
    for t in &out.thresholds {
        for (side, engine, sample) in [
            ("offer", t.p_offer, &offer),
            ("alternative", t.p_alternative, &alternative),
        ] {
            let reference = sample.iter().filter(|&&x| x >= t.amount).count() as f64 / n;
            let se = (reference * (1.0 - reference) * (1.0 / n + 1.0 / m)).sqrt();
            let z = z_of(engine, reference, se);
            line(
                &format!("P({side} ≥ {})", t.amount),
                engine,
                reference,
                se,
                z,
            );
        }
    }
    assert!(
        worst <= LIMIT,
        "{} disagrees with the reference:\n{report}",
        s.name
    );
}

/// A shipped or bench scenario at the test's paths and seed, with overrides.
fn load(path: &std::path::Path, seed: u64, sets: &[(&str, toml::Value)]) -> Scenario {
    let mut overrides = vec![
        scenario::Override::with_value(
            "simulation.paths",
            toml::Value::Integer(PATHS as i64),
            "test",
        ),
        scenario::Override::with_value(
            "simulation.seed",
            toml::Value::Integer(seed as i64),
            "test",
        ),
    ];
    overrides.extend(
        sets.iter()
            .map(|(p, v)| scenario::Override::with_value(p, v.clone(), "test")),
    );
    scenario::load_file(path, &overrides).unwrap().scenario
}

fn bench_scenario() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/every-v2-feature.toml")
}

fn text(v: &str) -> toml::Value {
    toml::Value::String(v.into())
}

#[test]
fn every_v2_feature_before_tax() {
    // Tenders, uneven vesting, yearly refreshes on both sides, the
    // in-the-money decision on leaving, the pay after leaving.
    let s = load(&bench_scenario(), 31, &[("tax.preset", text("none"))]);
    agrees(&s, 1031);
}

#[test]
fn every_v2_feature_after_french_tax() {
    // BSPCE under fr-2026, sold in tenders and at the event.
    agrees(&load(&bench_scenario(), 32, &[]), 1032);
}

#[test]
fn options_always_exercised_risk_neutral_with_acceleration() {
    let s = load(
        &bench_scenario(),
        33,
        &[
            ("tax.preset", text("none")),
            ("offer.equity.exercise_on_departure", text("always")),
            ("simulation.measure", text("risk_neutral")),
            // Acquisitions early and often, so that the acceleration weighs.
            (
                "offer.equity.acceleration_on_acquisition",
                toml::Value::Float(0.5),
            ),
            (
                "company.exit.acquisition_per_year",
                toml::Value::Float(0.25),
            ),
            ("company.exit.earliest_years", toml::Value::Float(0.0)),
            ("offer.bonus_rate", toml::Value::Float(0.1)),
            ("offer.sign_on", toml::Value::Float(5000.0)),
            ("company.rounds.dilution_sd", toml::Value::Float(0.0)),
        ],
    );
    agrees(&s, 1033);
}

#[test]
fn isos_and_nsos_in_new_york() {
    let nyc = common::shipped("hf-nyc-ask-tax.toml");
    agrees(&load(&nyc, 34, &[]), 1034);
    let nso = [("offer.equity.tax_treatment", text("nso"))];
    agrees(&load(&nyc, 35, &nso), 1035);
}

#[test]
fn qualified_options_against_free_shares_in_paris() {
    agrees(
        &load(&common::shipped("hf-paris-ask-tax.toml"), 36, &[]),
        1036,
    );
}

#[test]
fn private_rsus_sold_in_tenders_after_tax() {
    let s = load(
        &bench_scenario(),
        37,
        &[
            ("offer.equity.instrument", text("rsu")),
            ("offer.equity.tax_treatment", text("rsu")),
            ("alternative.equity.tax_treatment", text("free_shares")),
        ],
    );
    agrees(&s, 1037);
}

#[test]
fn a_series_b_company_before_tax() {
    agrees(&load(&common::shipped("us-series-b.toml"), 38, &[]), 1038);
}

#[test]
fn finnerty_discount_with_tenders() {
    let s = load(
        &bench_scenario(),
        39,
        &[
            ("tax.preset", text("none")),
            (
                "employee.illiquidity",
                toml::Value::Table(toml::toml! { method = "finnerty" }),
            ),
        ],
    );
    agrees(&s, 1039);
}

#[test]
fn absolute_refreshes_lapsing_options_and_chaffe_without_discounting() {
    // No discounting, options that lapse on leaving, refreshes of a fixed
    // size on both sides, a bonus, the Chaffe discount, rounds at a fixed
    // dilution and a preference stack that binds.
    let text = common::scenario_text(
        r#"
        [simulation]
        discount_rate = 0.0
        [employee]
        attrition_per_year = 0.3
        illiquidity = { method = "chaffe" }
        base_after_leaving = 90_000
        [company]
        valuation = 2e9
        volatility = 0.8
        preference_stack = 1.2e9
        preferred_fraction = 0.6
        rounds = { per_year = 0.5, dilution_mean = 0.15, dilution_sd = 0.0, pool_per_year = 0.02 }
        exit = { acquisition_per_year = 0.15, ipo_per_year = 0.05, failure_per_year = 0.05 }
        [offer]
        bonus_rate = 0.1
        [offer.equity]
        grant = 150_000
        instrument = "options"
        strike_ratio = 0.5
        exercise_on_departure = "never"
        [[offer.equity.refresh]]
        at_years = 2.0
        probability = 0.6
        grant = 40_000
        [alternative.equity]
        grant = 80_000
        [[alternative.equity.refresh]]
        at_years = 0.5
        every_years = 1.0
        probability = 0.9
        grant = 10_000
        "#,
        PATHS,
        40,
    );
    let s = scenario::load_str("reference.toml", &text, &[])
        .unwrap()
        .scenario;
    agrees(&s, 1040);
}
