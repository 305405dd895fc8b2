//! Defaults and validation: [`RawScenario`] → [`Scenario`].
//!
//! Each check names the field's dotted path, the value and what is allowed.
//! The ranges are those of the scenario format; a few bounds the format
//! leaves open are closed here so that no input can make the engine loop
//! for ever or overflow (documented in the README).

use super::defaults;
use super::raw::*;
use super::types::*;
use crate::error::ScenarioError;

type Check<T> = Result<T, ScenarioError>;

/// The most refresh grants one offer may have (a path keeps per-grant state
/// in fixed-size arrays so that the hot loop never allocates).
pub const MAX_REFRESHES: usize = 15;

/// Largest funding-round rate accepted, per year.
pub const MAX_ROUNDS_PER_YEAR: f64 = 100.0;

/// Fills in defaults and checks every range. Warnings (fields that are
/// accepted but have no effect) are pushed onto `warnings`.
pub fn resolve(raw: RawScenario, warnings: &mut Vec<String>) -> Check<Scenario> {
    let name = match raw.name {
        Some(n) if !n.trim().is_empty() => n,
        Some(_) => return Err(ScenarioError::invalid("name", "\"\"", "a non-empty string")),
        None => {
            return Err(ScenarioError::missing(
                "name",
                "a string naming the scenario",
            ));
        }
    };
    let currency = raw.currency.unwrap_or_else(|| "USD".to_string());
    if currency.trim().is_empty() {
        return Err(ScenarioError::invalid(
            "currency",
            "\"\"",
            "a currency label such as \"USD\" or \"EUR\"",
        ));
    }

    let simulation = simulation(raw.simulation)?;
    let employee = employee(raw.employee)?;
    let company = company(raw.company)?;
    let offer = offer(raw.offer, warnings)?;
    let alternative = alternative(raw.alternative, warnings)?;
    let floor = raw.floor.map(floor).transpose()?;
    let sweep = raw.sweep.map(sweep).transpose()?;

    Ok(Scenario {
        name,
        currency,
        simulation,
        employee,
        company,
        offer,
        alternative,
        floor,
        sweep,
    })
}

/// `value` if it is finite and within `[lo, hi]`, the default if absent.
fn bounded(
    path: &str,
    value: Option<f64>,
    default: f64,
    lo: f64,
    hi: f64,
    allowed: &str,
) -> Check<f64> {
    let v = value.unwrap_or(default);
    check_bounded(path, v, lo, hi, allowed)?;
    Ok(v)
}

fn check_bounded(path: &str, v: f64, lo: f64, hi: f64, allowed: &str) -> Check<()> {
    if !v.is_finite() {
        return Err(ScenarioError::invalid(path, fmt_value(v), &finite(allowed)));
    }
    if v < lo || v > hi {
        return Err(ScenarioError::invalid(path, fmt_value(v), allowed));
    }
    Ok(())
}

/// `allowed` reworded to say that the number must be finite, for a NaN or
/// an infinity: "in [0, 1]" becomes "a finite number in [0, 1]".
fn finite(allowed: &str) -> String {
    if allowed.contains("finite") {
        allowed.to_string()
    } else if let Some(rest) = allowed.strip_prefix("a number") {
        format!("a finite number{rest}")
    } else if allowed.starts_with("in ") || allowed.starts_with("at ") {
        format!("a finite number {allowed}")
    } else {
        format!("a finite number: {allowed}")
    }
}

/// A value as shown in a message, marked when the file left it out and the
/// default was used (a default can clash with another field's value).
fn shown(v: f64, given: Option<f64>) -> String {
    match given {
        Some(_) => fmt_value(v),
        None => format!("{} (the default)", fmt_value(v)),
    }
}

/// Other fields that a check on `path` reads, so that an error caused by
/// changing one of them (with `--set`) can point at that change.
pub(super) fn related_fields(path: &str) -> Vec<String> {
    let sibling = |name: &str| match path.rsplit_once('.') {
        Some((parent, _)) => format!("{parent}.{name}"),
        None => name.to_string(),
    };
    let field = path.rsplit('.').next().unwrap_or(path);
    let in_vesting = path.contains(".vesting.");
    match field {
        "horizon_years" if path == "simulation.horizon_years" => {
            vec![sibling("window_years")]
        }
        "dilution_sd" => vec![sibling("dilution_mean")],
        "discount" if path == "employee.illiquidity.discount" => vec![sibling("method")],
        "every_months" if in_vesting => vec![sibling("years")],
        "cliff_years" if in_vesting => vec![sibling("years"), sibling("every_months")],
        _ => Vec::new(),
    }
}

/// A value in `[lo, hi)`.
fn half_open(
    path: &str,
    value: Option<f64>,
    default: f64,
    lo: f64,
    hi: f64,
    allowed: &str,
) -> Check<f64> {
    let v = bounded(path, value, default, lo, hi, allowed)?;
    if v >= hi {
        return Err(ScenarioError::invalid(path, fmt_value(v), allowed));
    }
    Ok(v)
}

fn required(path: &str, value: Option<f64>, allowed: &str) -> Check<f64> {
    value.ok_or_else(|| ScenarioError::missing(path, allowed))
}

/// Largest amount of pay, grant or wealth accepted (in the scenario's
/// currency): sums and squares of the simulated values stay far from the
/// floating-point limits, and the certainty equivalent keeps its cents.
pub const MAX_MONEY: f64 = 1e15;

fn money(path: &str, value: Option<f64>, default: f64) -> Check<f64> {
    let v = bounded(path, value, default, 0.0, f64::MAX, "a finite amount >= 0")?;
    check_at_most_money(path, v)?;
    Ok(v)
}

fn check_at_most_money(path: &str, v: f64) -> Check<()> {
    if v > MAX_MONEY {
        return Err(ScenarioError::invalid(
            path,
            fmt_value(v),
            "at most 10^15 (larger amounts of pay, grant or wealth are not supported)",
        ));
    }
    Ok(())
}

/// Formats a value the way a user would have typed it.
pub fn fmt_value(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else if v != 0.0 && !(1e-6..1e16).contains(&v.abs()) {
        // 1.7e308, not a 309-digit number.
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn simulation(raw: RawSimulation) -> Check<Simulation> {
    let paths = raw.paths.unwrap_or(defaults::PATHS);
    if !(1..=10_000_000_000).contains(&paths) {
        return Err(ScenarioError::invalid(
            "simulation.paths",
            paths,
            "a whole number from 1 to 10^10",
        ));
    }
    let window_years = bounded(
        "simulation.window_years",
        raw.window_years,
        4.0,
        0.0,
        100.0,
        "in (0, 100] years",
    )?;
    if window_years <= 0.0 {
        return Err(ScenarioError::invalid(
            "simulation.window_years",
            fmt_value(window_years),
            "in (0, 100] years",
        ));
    }
    let horizon_years = bounded(
        "simulation.horizon_years",
        raw.horizon_years,
        10.0,
        0.0,
        100.0,
        "in (0, 100] years",
    )?;
    if horizon_years < window_years {
        return Err(ScenarioError::invalid(
            "simulation.horizon_years",
            shown(horizon_years, raw.horizon_years),
            &format!(
                "at least simulation.window_years ({}) and at most 100",
                fmt_value(window_years)
            ),
        ));
    }
    Ok(Simulation {
        paths,
        seed: raw.seed.unwrap_or(defaults::SEED),
        window_years,
        horizon_years,
        discount_rate: bounded(
            "simulation.discount_rate",
            raw.discount_rate,
            defaults::DISCOUNT_RATE,
            0.0,
            0.5,
            "in [0, 0.5]",
        )?,
    })
}

fn employee(raw: RawEmployee) -> Check<Employee> {
    let illiquidity = match raw.illiquidity {
        None => Illiquidity::Flat { discount: 0.25 },
        Some(ill) => {
            let method = ill.method.unwrap_or(RawIlliquidityMethod::Flat);
            if method != RawIlliquidityMethod::Flat
                && let Some(d) = ill.discount
            {
                let name = method.name();
                return Err(ScenarioError::new(
                    "employee.illiquidity.discount",
                    format!(
                        "employee.illiquidity.discount = {} is only allowed with method = \"flat\"; \
                         remove it or set method = \"flat\"; to change the method, give the table \
                         whole: employee.illiquidity = {{ method = \"{name}\" }}",
                        fmt_value(d)
                    ),
                ));
            }
            match method {
                RawIlliquidityMethod::None => Illiquidity::None,
                RawIlliquidityMethod::Finnerty => Illiquidity::Finnerty,
                RawIlliquidityMethod::Chaffe => Illiquidity::Chaffe,
                RawIlliquidityMethod::Flat => Illiquidity::Flat {
                    discount: bounded(
                        "employee.illiquidity.discount",
                        ill.discount,
                        0.25,
                        0.0,
                        1.0,
                        "in [0, 1]",
                    )?,
                },
            }
        }
    };
    let outside_wealth = bounded(
        "employee.outside_wealth",
        raw.outside_wealth,
        100_000.0,
        0.0,
        f64::MAX,
        "a finite amount > 0",
    )?;
    if outside_wealth <= 0.0 {
        return Err(ScenarioError::invalid(
            "employee.outside_wealth",
            fmt_value(outside_wealth),
            "a finite amount > 0",
        ));
    }
    check_at_most_money("employee.outside_wealth", outside_wealth)?;
    Ok(Employee {
        attrition_per_year: half_open(
            "employee.attrition_per_year",
            raw.attrition_per_year,
            0.15,
            0.0,
            1.0,
            "in [0, 1)",
        )?,
        risk_aversion: bounded(
            "employee.risk_aversion",
            raw.risk_aversion,
            2.0,
            0.0,
            20.0,
            "in [0, 20]",
        )?,
        outside_wealth,
        illiquidity,
    })
}

fn company(raw: RawCompany) -> Check<Company> {
    let valuation = required(
        "company.valuation",
        raw.valuation,
        "a finite amount > 0 (the last post-money valuation)",
    )?;
    check_bounded(
        "company.valuation",
        valuation,
        0.0,
        f64::MAX,
        "a finite amount > 0",
    )?;
    if valuation <= 0.0 {
        return Err(ScenarioError::invalid(
            "company.valuation",
            fmt_value(valuation),
            "a finite amount > 0",
        ));
    }
    Ok(Company {
        valuation,
        drift: bounded("company.drift", raw.drift, 0.10, -1.0, 1.0, "in [-1, 1]")?,
        volatility: bounded(
            "company.volatility",
            raw.volatility,
            0.60,
            0.0,
            3.0,
            "in [0, 3]",
        )?,
        // Compared with the valuation only: any finite size works.
        preference_stack: bounded(
            "company.preference_stack",
            raw.preference_stack,
            0.0,
            0.0,
            f64::MAX,
            "a finite amount >= 0",
        )?,
        preferred_fraction: half_open(
            "company.preferred_fraction",
            raw.preferred_fraction,
            0.5,
            0.0,
            1.0,
            "in [0, 1)",
        )?,
        rounds: rounds(raw.rounds)?,
        exit: exit(raw.exit)?,
    })
}

fn rounds(raw: RawRounds) -> Check<Rounds> {
    let per_year = bounded(
        "company.rounds.per_year",
        raw.per_year,
        0.3,
        0.0,
        MAX_ROUNDS_PER_YEAR,
        "in [0, 100] rounds per year",
    )?;
    let mean = bounded(
        "company.rounds.dilution_mean",
        raw.dilution_mean,
        0.10,
        0.0,
        1.0,
        "in (0, 1)",
    )?;
    if mean <= 0.0 || mean >= 1.0 {
        return Err(ScenarioError::invalid(
            "company.rounds.dilution_mean",
            fmt_value(mean),
            "in (0, 1)",
        ));
    }
    let sd = bounded(
        "company.rounds.dilution_sd",
        raw.dilution_sd,
        0.03,
        0.0,
        f64::MAX,
        "a number >= 0",
    )?;
    if sd * sd >= mean * (1.0 - mean) {
        return Err(ScenarioError::invalid(
            "company.rounds.dilution_sd",
            shown(sd, raw.dilution_sd),
            &format!(
                "below sqrt(mean (1 - mean)) = {:.4} for dilution_mean = {} (a Beta distribution needs sd^2 < mean (1 - mean))",
                (mean * (1.0 - mean)).sqrt(),
                fmt_value(mean)
            ),
        ));
    }
    Ok(Rounds {
        per_year,
        dilution_mean: mean,
        dilution_sd: sd,
        pool_per_year: half_open(
            "company.rounds.pool_per_year",
            raw.pool_per_year,
            0.01,
            0.0,
            1.0,
            "in [0, 1)",
        )?,
    })
}

fn multiple(path: &str, raw: Option<RawMultiple>, median: f64, sigma: f64) -> Check<Multiple> {
    let raw = raw.unwrap_or_default();
    let median_path = format!("{path}.median");
    let m = bounded(
        &median_path,
        raw.median,
        median,
        0.0,
        1e6,
        "a number > 0 (at most 10^6)",
    )?;
    if m <= 0.0 {
        return Err(ScenarioError::invalid(
            &median_path,
            fmt_value(m),
            "a number > 0 (at most 10^6)",
        ));
    }
    Ok(Multiple {
        median: m,
        sigma: bounded(
            &format!("{path}.sigma"),
            raw.sigma,
            sigma,
            0.0,
            5.0,
            "in [0, 5]",
        )?,
    })
}

fn exit(raw: RawExit) -> Check<Exit> {
    let rate =
        |path: &str, v: Option<f64>, d: f64| half_open(path, v, d, 0.0, 1.0, "in [0, 1) per year");
    let ipo = rate("company.exit.ipo_per_year", raw.ipo_per_year, 0.07)?;
    let acq = rate(
        "company.exit.acquisition_per_year",
        raw.acquisition_per_year,
        0.05,
    )?;
    let fail = rate("company.exit.failure_per_year", raw.failure_per_year, 0.02)?;
    let total = ipo + acq + fail;
    // 0.7 + 0.2 + 0.1 is 0.9999999999999999 in floating point: a sum that
    // is 1 as written must be rejected too.
    if total >= 1.0 - 1e-12 {
        return Err(ScenarioError::new(
            "company.exit",
            format!(
                "company.exit: ipo_per_year + acquisition_per_year + failure_per_year = {} + {} + {} = {} \
                 is not allowed: the sum must be below 1 (they are the annual probabilities of competing events)",
                shown(ipo, raw.ipo_per_year),
                shown(acq, raw.acquisition_per_year),
                shown(fail, raw.failure_per_year),
                fmt_value(if (total - 1.0).abs() < 1e-12 {
                    1.0
                } else {
                    total
                })
            ),
        ));
    }
    Ok(Exit {
        earliest_years: bounded(
            "company.exit.earliest_years",
            raw.earliest_years,
            0.5,
            0.0,
            100.0,
            "in [0, 100] years",
        )?,
        ipo_per_year: ipo,
        acquisition_per_year: acq,
        failure_per_year: fail,
        ipo_multiple: multiple("company.exit.ipo_multiple", raw.ipo_multiple, 1.0, 0.3)?,
        acquisition_multiple: multiple(
            "company.exit.acquisition_multiple",
            raw.acquisition_multiple,
            0.85,
            0.35,
        )?,
        lockup_years: bounded(
            "company.exit.lockup_years",
            raw.lockup_years,
            0.5,
            0.0,
            100.0,
            "in [0, 100] years",
        )?,
        lockup_volatility: bounded(
            "company.exit.lockup_volatility",
            raw.lockup_volatility,
            0.5,
            0.0,
            3.0,
            "in [0, 3]",
        )?,
        secondary_discount: half_open(
            "company.exit.secondary_discount",
            raw.secondary_discount,
            0.3,
            0.0,
            1.0,
            "in [0, 1)",
        )?,
    })
}

/// Checks a vesting schedule; `default` fills the fields left out.
pub fn vesting(path: &str, raw: Option<RawVesting>, default: Vesting) -> Check<Vesting> {
    let raw = raw.unwrap_or_default();
    let years_path = format!("{path}.years");
    let years = bounded(
        &years_path,
        raw.years,
        default.years,
        0.0,
        100.0,
        "in (0, 100] years",
    )?;
    if years <= 0.0 {
        return Err(ScenarioError::invalid(
            &years_path,
            fmt_value(years),
            "in (0, 100] years",
        ));
    }
    let months_path = format!("{path}.every_months");
    let every_months = bounded(
        &months_path,
        raw.every_months,
        default.every_months,
        1.0,
        1200.0,
        "a whole number of months >= 1",
    )?;
    if every_months.fract() != 0.0 {
        return Err(ScenarioError::invalid(
            &months_path,
            fmt_value(every_months),
            "a whole number of months >= 1",
        ));
    }
    let cliff_path = format!("{path}.cliff_years");
    let cliff_allowed = format!("in [0, years = {}]", fmt_value(years));
    let cliff_years = bounded(
        &cliff_path,
        raw.cliff_years,
        default.cliff_years,
        0.0,
        f64::MAX,
        &cliff_allowed,
    )?;
    if cliff_years > years {
        return Err(ScenarioError::invalid(
            &cliff_path,
            shown(cliff_years, raw.cliff_years),
            &cliff_allowed,
        ));
    }
    if !whole(12.0 * years / every_months) {
        return Err(ScenarioError::invalid(
            &months_path,
            shown(every_months, raw.every_months),
            &format!(
                "a divisor of the schedule: 12 * years / every_months = {} must be a whole number",
                fmt_value(12.0 * years / every_months)
            ),
        ));
    }
    if !whole(12.0 * cliff_years / every_months) {
        return Err(ScenarioError::invalid(
            &cliff_path,
            shown(cliff_years, raw.cliff_years),
            &format!(
                "a whole number of vest periods: 12 * cliff_years / every_months = {} must be a whole number",
                fmt_value(12.0 * cliff_years / every_months)
            ),
        ));
    }
    Ok(Vesting {
        years,
        cliff_years,
        every_months,
    })
}

fn whole(x: f64) -> bool {
    (x - x.round()).abs() < 1e-9 * x.abs().max(1.0)
}

fn refreshes(path: &str, raw: Vec<RawRefresh>, default_vesting: Vesting) -> Check<Vec<Refresh>> {
    if raw.len() > MAX_REFRESHES {
        return Err(ScenarioError::invalid(
            path,
            format!("{} refresh grants", raw.len()),
            &format!("at most {MAX_REFRESHES} refresh grants"),
        ));
    }
    raw.into_iter()
        .enumerate()
        .map(|(i, r)| {
            let p = format!("{path}.{i}");
            let at_years = required(&format!("{p}.at_years"), r.at_years, "a time in years >= 0")?;
            check_bounded(&format!("{p}.at_years"), at_years, 0.0, 100.0, "in [0, 100] years")?;
            let amount = match (r.grant, r.grant_ratio) {
                (Some(g), None) => RefreshAmount::Grant(money(&format!("{p}.grant"), Some(g), 0.0)?),
                (None, Some(k)) => RefreshAmount::GrantRatio(bounded(
                    &format!("{p}.grant_ratio"),
                    Some(k),
                    0.0,
                    0.0,
                    1e6,
                    "in [0, 10^6]",
                )?),
                (Some(_), Some(_)) => {
                    return Err(ScenarioError::new(
                        p.clone(),
                        format!("{p}: give exactly one of `grant` and `grant_ratio`, not both"),
                    ));
                }
                (None, None) => {
                    return Err(ScenarioError::new(
                        p.clone(),
                        format!(
                            "{p}: missing the refresh's size: give exactly one of `grant` (an amount) \
                             or `grant_ratio` (a multiple of the initial grant)"
                        ),
                    ));
                }
            };
            Ok(Refresh {
                at_years,
                probability: bounded(&format!("{p}.probability"), r.probability, 1.0, 0.0, 1.0, "in [0, 1]")?,
                amount,
                vesting: vesting(&format!("{p}.vesting"), r.vesting, default_vesting)?,
            })
        })
        .collect()
}

fn offer(raw: RawOffer, warnings: &mut Vec<String>) -> Check<Offer> {
    let base = required(
        "offer.base",
        raw.base,
        "a finite amount >= 0 (the yearly base pay)",
    )?;
    let eq = raw.equity;
    let grant = required(
        "offer.equity.grant",
        eq.grant,
        "a finite amount >= 0 (paper value at the last round's price)",
    )?;
    let instrument = match eq.instrument {
        Some(RawInstrument::Options) => Instrument::Options,
        Some(RawInstrument::Rsu) | None => Instrument::Rsu,
    };
    if instrument == Instrument::Rsu {
        let options_only = [
            ("strike_ratio", eq.strike_ratio.is_some()),
            ("exercise_window_years", eq.exercise_window_years.is_some()),
            ("exercise_on_departure", eq.exercise_on_departure.is_some()),
        ];
        for (field, given) in options_only {
            if given {
                warnings.push(format!(
                    "offer.equity.{field} applies to options only; instrument = \"rsu\", so it is ignored"
                ));
            }
        }
    }
    Ok(Offer {
        label: raw.label.unwrap_or_else(|| "Offer".to_string()),
        base: money("offer.base", Some(base), 0.0)?,
        bonus_rate: bonus_rate("offer.bonus_rate", raw.bonus_rate, warnings)?,
        sign_on: money("offer.sign_on", raw.sign_on, 0.0)?,
        equity: PrivateEquity {
            grant: money("offer.equity.grant", Some(grant), 0.0)?,
            instrument,
            strike_ratio: bounded(
                "offer.equity.strike_ratio",
                eq.strike_ratio,
                0.35,
                0.0,
                10.0,
                "in [0, 10]",
            )?,
            exercise_window_years: bounded(
                "offer.equity.exercise_window_years",
                eq.exercise_window_years,
                0.25,
                0.0,
                100.0,
                "in [0, 100] years",
            )?,
            exercise_on_departure: eq.exercise_on_departure.unwrap_or(true),
            acceleration_on_acquisition: bounded(
                "offer.equity.acceleration_on_acquisition",
                eq.acceleration_on_acquisition,
                0.0,
                0.0,
                1.0,
                "in [0, 1]",
            )?,
            vesting: vesting(
                "offer.equity.vesting",
                eq.vesting,
                Vesting {
                    years: 4.0,
                    cliff_years: 1.0,
                    every_months: 1.0,
                },
            )?,
            refresh: refreshes(
                "offer.equity.refresh",
                eq.refresh,
                Vesting {
                    years: 4.0,
                    cliff_years: 0.0,
                    every_months: 1.0,
                },
            )?,
        },
    })
}

/// A yearly bonus as a share of the base, in `[0, 10]`; above 1 it is
/// likely a percentage typed as a number (`10` for 10%), which is accepted
/// with a warning.
fn bonus_rate(path: &str, value: Option<f64>, warnings: &mut Vec<String>) -> Check<f64> {
    let rate = bounded(path, value, 0.0, 0.0, 10.0, "in [0, 10]")?;
    if rate > 1.0 {
        warnings.push(format!(
            "{path} = {} is a bonus of {}% of the base: the rate is a share (0.1 = 10%); \
             if you meant {}%, write {path} = {}",
            fmt_value(rate),
            fmt_value(rate * 100.0),
            fmt_value(rate),
            fmt_value(rate / 100.0)
        ));
    }
    Ok(rate)
}

fn alternative(raw: RawAlternative, warnings: &mut Vec<String>) -> Check<Alternative> {
    let base = required(
        "alternative.base",
        raw.base,
        "a finite amount >= 0 (the yearly base pay)",
    )?;
    let eq = raw.equity;
    let stock = eq.stock.unwrap_or_default();
    Ok(Alternative {
        label: raw.label.unwrap_or_else(|| "Alternative".to_string()),
        base: money("alternative.base", Some(base), 0.0)?,
        bonus_rate: bonus_rate("alternative.bonus_rate", raw.bonus_rate, warnings)?,
        sign_on: money("alternative.sign_on", raw.sign_on, 0.0)?,
        equity: PublicEquity {
            grant: money("alternative.equity.grant", eq.grant, 0.0)?,
            vesting: vesting(
                "alternative.equity.vesting",
                eq.vesting,
                Vesting {
                    years: 4.0,
                    cliff_years: 1.0,
                    every_months: 3.0,
                },
            )?,
            stock: Stock {
                drift: bounded(
                    "alternative.equity.stock.drift",
                    stock.drift,
                    0.09,
                    -1.0,
                    1.0,
                    "in [-1, 1]",
                )?,
                volatility: bounded(
                    "alternative.equity.stock.volatility",
                    stock.volatility,
                    0.30,
                    0.0,
                    3.0,
                    "in [0, 3]",
                )?,
            },
            refresh: refreshes(
                "alternative.equity.refresh",
                eq.refresh,
                Vesting {
                    years: 4.0,
                    cliff_years: 0.0,
                    every_months: 3.0,
                },
            )?,
        },
    })
}

fn floor(raw: RawFloor) -> Check<FloorSpec> {
    let criteria = match raw.criteria {
        None => defaults::FLOOR_CRITERIA.to_vec(),
        Some(list) => {
            if list.is_empty() {
                return Err(ScenarioError::invalid(
                    "floor.criteria",
                    "[]",
                    "a non-empty list of mean, median, ce or pNN",
                ));
            }
            list.iter()
                .enumerate()
                .map(|(i, c)| {
                    Criterion::parse(c).ok_or_else(|| {
                        ScenarioError::invalid(
                            &format!("floor.criteria.{i}"),
                            format!("\"{c}\""),
                            "one of \"mean\", \"median\", \"ce\" or \"pNN\" with NN from 1 to 99",
                        )
                    })
                })
                .collect::<Check<Vec<_>>>()?
        }
    };
    Ok(FloorSpec {
        solve_for: match raw.solve_for {
            Some(RawSolveFor::Base) => SolveFor::Base,
            Some(RawSolveFor::Grant) => SolveFor::Grant,
            None => defaults::SOLVE_FOR,
        },
        criteria,
    })
}

fn sweep(raw: RawSweep) -> Check<SweepSpec> {
    let parameter = raw.parameter.ok_or_else(|| {
        ScenarioError::missing("sweep.parameter", "the dotted path of a numeric field")
    })?;
    let from = required("sweep.from", raw.from, "a finite number")?;
    check_bounded("sweep.from", from, f64::MIN, f64::MAX, "a finite number")?;
    let to = required("sweep.to", raw.to, "a finite number")?;
    check_bounded("sweep.to", to, f64::MIN, f64::MAX, "a finite number")?;
    let steps = raw.steps.unwrap_or(defaults::SWEEP_STEPS);
    if !defaults::SWEEP_STEPS_ALLOWED.contains(&steps) {
        return Err(ScenarioError::invalid(
            "sweep.steps",
            steps,
            "a whole number from 2 to 1000",
        ));
    }
    Ok(SweepSpec {
        parameter,
        from,
        to,
        steps,
    })
}
