//! Defaults and validation: [`RawScenario`] → [`Scenario`].
//!
//! Each check names the field's dotted path, the value and what is allowed.
//! The ranges are those of the scenario format; a few bounds the format
//! leaves open are closed here so that no input can make the engine loop
//! for ever or overflow (documented in the README).

use super::defaults;
use super::range::Range;
use super::raw::*;
use super::types::*;
use crate::error::ScenarioError;
use std::borrow::Cow;

#[path = "tax.rs"]
mod tax;
pub use tax::preset_text;

pub(super) type Check<T> = Result<T, ScenarioError>;

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
    // The pay after leaving defaults to the alternative's base.
    let alternative_base = raw.alternative.base.unwrap_or(0.0);
    let employee = employee(raw.employee, alternative_base)?;
    let company = company(raw.company)?;
    let offer = offer(raw.offer, simulation.window_years, warnings)?;
    let alternative = alternative(raw.alternative, simulation.window_years, warnings)?;
    let floor = raw.floor.map(floor).transpose()?;
    let sweep = raw.sweep.map(sweep).transpose()?;
    let tax = raw.tax.map(tax::tax).transpose()?;
    let uncertainty = raw
        .uncertainty
        .into_iter()
        .enumerate()
        .map(|(i, u)| uncertainty(i, u))
        .collect::<Check<Vec<_>>>()?;
    let report = ReportSpec {
        thresholds: thresholds(
            "report.thresholds",
            &raw.report.and_then(|r| r.thresholds).unwrap_or_default(),
        )?,
    };

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
        report,
        tax,
        uncertainty,
        ensemble: None,
    })
}

/// `uncertainty.N`: a parameter and exactly one well-formed distribution.
/// That the parameter is a numeric field of the scenario, and that the
/// distribution lies mostly inside the field's range, is checked once the
/// scenario is resolved ([`super::check_uncertainty`]).
fn uncertainty(i: usize, raw: RawUncertainty) -> Check<Uncertainty> {
    let at = |field: &str| format!("uncertainty.{i}.{field}");
    let parameter = raw
        .parameter
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| {
            ScenarioError::missing(&at("parameter"), "the dotted path of a numeric field")
        })?;
    let given = [
        raw.normal.map(|d| Distribution::Normal {
            mean: d.mean,
            sd: d.sd,
        }),
        raw.lognormal.map(|d| Distribution::LogNormal {
            median: d.median,
            sigma: d.sigma,
        }),
        raw.uniform.map(|d| Distribution::Uniform {
            low: d.low,
            high: d.high,
        }),
        raw.triangular.map(|d| Distribution::Triangular {
            low: d.low,
            mode: d.mode,
            high: d.high,
        }),
    ];
    let mut chosen = given.into_iter().flatten();
    let (Some(distribution), None) = (chosen.next(), chosen.next()) else {
        return Err(ScenarioError::invalid(
            &format!("uncertainty.{i}"),
            format!("parameter = \"{parameter}\""),
            "given exactly one distribution: normal, lognormal, uniform or triangular",
        ));
    };
    let non_negative = Allowed::number(Range::closed(0.0, f64::MAX));
    match distribution {
        Distribution::Normal { mean, sd } => {
            check(&at("normal.mean"), mean, Allowed::FINITE)?;
            check(&at("normal.sd"), sd, non_negative)?;
        }
        Distribution::LogNormal { median, sigma } => {
            check(&at("lognormal.median"), median, Allowed::POSITIVE_AMOUNT)?;
            check(&at("lognormal.sigma"), sigma, non_negative)?;
        }
        Distribution::Uniform { low, high } => {
            check(&at("uniform.low"), low, Allowed::FINITE)?;
            check(
                &at("uniform.high"),
                high,
                Allowed::number(Range::closed(low, f64::MAX)),
            )?;
        }
        Distribution::Triangular { low, mode, high } => {
            check(&at("triangular.low"), low, Allowed::FINITE)?;
            check(
                &at("triangular.mode"),
                mode,
                Allowed::number(Range::closed(low, f64::MAX)),
            )?;
            check(
                &at("triangular.high"),
                high,
                Allowed::number(Range::closed(mode, f64::MAX)),
            )?;
        }
    }
    Ok(Uncertainty {
        parameter: parameter.trim().to_string(),
        distribution,
    })
}

/// `P(total ≥ A)` amounts: each a finite amount `>= 0`, at most
/// [`MAX_THRESHOLDS`] of them.
pub fn thresholds(path: &str, amounts: &[f64]) -> Check<Vec<f64>> {
    if amounts.len() > MAX_THRESHOLDS {
        return Err(ScenarioError::invalid(
            path,
            format!("{} amounts", amounts.len()),
            &format!("at most {MAX_THRESHOLDS} amounts"),
        ));
    }
    for (i, a) in amounts.iter().enumerate() {
        check(&format!("{path}.{i}"), *a, Allowed::AMOUNT)?;
    }
    Ok(amounts.to_vec())
}

/// The values a field allows, and how its messages say so: the range is
/// what is checked, and the words come from it, so that no bound is
/// written twice.
#[derive(Debug, Clone)]
pub(super) struct Allowed {
    range: Range,
    says: Says,
}

#[derive(Debug, Clone)]
enum Says {
    /// `in [0, 1)`, then a unit (` years`).
    Interval(&'static str),
    /// `a finite amount >= 0` (or `> 0`).
    Amount,
    /// `a number >= 0` (or `> 0`).
    Number,
    /// Words of their own, where the range alone does not say it all.
    Words(Cow<'static, str>),
}

impl Allowed {
    /// Any finite amount `>= 0`.
    const AMOUNT: Allowed = Allowed {
        range: Range::closed(0.0, f64::MAX),
        says: Says::Amount,
    };
    /// Any finite amount `> 0`.
    const POSITIVE_AMOUNT: Allowed = Allowed {
        range: Range::left_open(0.0, f64::MAX),
        says: Says::Amount,
    };
    /// Any finite number.
    const FINITE: Allowed = Allowed::words(Range::closed(f64::MIN, f64::MAX), "a finite number");

    /// `in [lo, hi]` (or another interval).
    const fn within(range: Range) -> Allowed {
        Allowed::within_in(range, "")
    }

    /// `in [lo, hi] unit`.
    const fn within_in(range: Range, unit: &'static str) -> Allowed {
        Allowed {
            range,
            says: Says::Interval(unit),
        }
    }

    /// `a number >= lo`.
    const fn number(range: Range) -> Allowed {
        Allowed {
            range,
            says: Says::Number,
        }
    }

    const fn words(range: Range, words: &'static str) -> Allowed {
        Allowed {
            range,
            says: Says::Words(Cow::Borrowed(words)),
        }
    }

    fn describe(&self) -> Cow<'_, str> {
        let r = &self.range;
        let above = if r.low_included { ">=" } else { ">" };
        match &self.says {
            Says::Interval(unit) => format!("in {}{unit}", r.interval()).into(),
            Says::Amount => format!("a finite amount {above} {}", fmt_value(r.low)).into(),
            Says::Number => format!("a number {above} {}", fmt_value(r.low)).into(),
            Says::Words(w) => Cow::Borrowed(w),
        }
    }
}

/// `value`, or `default` when absent, if `allowed` takes it.
fn field(path: &str, value: Option<f64>, default: f64, allowed: Allowed) -> Check<f64> {
    let v = value.unwrap_or(default);
    check(path, v, allowed)?;
    Ok(v)
}

/// Fails unless `v` is finite and in `allowed`'s range, saying what is
/// allowed (and that it must be finite, for a NaN or an infinity).
pub(super) fn check(path: &str, v: f64, allowed: Allowed) -> Check<()> {
    if !v.is_finite() {
        return Err(ScenarioError::invalid(
            path,
            fmt_value(v),
            &finite(&allowed.describe()),
        ));
    }
    if !allowed.range.contains(v) {
        return Err(ScenarioError::invalid(
            path,
            fmt_value(v),
            &allowed.describe(),
        ));
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

fn required(path: &str, value: Option<f64>, allowed: &str) -> Check<f64> {
    value.ok_or_else(|| ScenarioError::missing(path, allowed))
}

/// Largest amount of pay, grant or wealth accepted (in the scenario's
/// currency): sums and squares of the simulated values stay far from the
/// floating-point limits, and the certainty equivalent keeps its cents.
pub const MAX_MONEY: f64 = 1e15;

fn money(path: &str, value: Option<f64>, default: f64) -> Check<f64> {
    let v = field(path, value, default, Allowed::AMOUNT)?;
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
    let window_years = field(
        "simulation.window_years",
        raw.window_years,
        defaults::simulation::WINDOW_YEARS,
        Allowed::within_in(Range::left_open(0.0, 100.0), " years"),
    )?;
    let horizon_years = field(
        "simulation.horizon_years",
        raw.horizon_years,
        defaults::simulation::HORIZON_YEARS,
        Allowed::within_in(Range::left_open(0.0, 100.0), " years"),
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
    let uncertainty_draws = raw.uncertainty_draws.unwrap_or(defaults::UNCERTAINTY_DRAWS);
    if !(1..=defaults::MAX_UNCERTAINTY_DRAWS).contains(&uncertainty_draws) {
        return Err(ScenarioError::invalid(
            "simulation.uncertainty_draws",
            uncertainty_draws,
            "a whole number from 1 to 65536",
        ));
    }
    Ok(Simulation {
        paths,
        seed: raw.seed.unwrap_or(defaults::SEED),
        uncertainty_draws,
        window_years,
        horizon_years,
        discount_rate: field(
            "simulation.discount_rate",
            raw.discount_rate,
            defaults::DISCOUNT_RATE,
            Allowed::within(Range::closed(0.0, 0.5)),
        )?,
        measure: match raw.measure {
            Some(RawMeasure::RiskNeutral) => Measure::RiskNeutral,
            Some(RawMeasure::RealWorld) | None => Measure::RealWorld,
        },
    })
}

fn employee(raw: RawEmployee, alternative_base: f64) -> Check<Employee> {
    let illiquidity = match raw.illiquidity {
        None => Illiquidity::Flat {
            discount: defaults::employee::ILLIQUIDITY_DISCOUNT,
        },
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
                    discount: field(
                        "employee.illiquidity.discount",
                        ill.discount,
                        defaults::employee::ILLIQUIDITY_DISCOUNT,
                        Allowed::within(Range::closed(0.0, 1.0)),
                    )?,
                },
            }
        }
    };
    let outside_wealth = field(
        "employee.outside_wealth",
        raw.outside_wealth,
        defaults::employee::OUTSIDE_WEALTH,
        Allowed::POSITIVE_AMOUNT,
    )?;
    check_at_most_money("employee.outside_wealth", outside_wealth)?;
    Ok(Employee {
        attrition_per_year: field(
            "employee.attrition_per_year",
            raw.attrition_per_year,
            defaults::employee::ATTRITION_PER_YEAR,
            Allowed::within(Range::right_open(0.0, 1.0)),
        )?,
        risk_aversion: field(
            "employee.risk_aversion",
            raw.risk_aversion,
            defaults::employee::RISK_AVERSION,
            Allowed::within(Range::closed(0.0, 20.0)),
        )?,
        outside_wealth,
        illiquidity,
        base_after_leaving: money(
            "employee.base_after_leaving",
            raw.base_after_leaving,
            alternative_base,
        )?,
    })
}

fn company(raw: RawCompany) -> Check<Company> {
    let valuation = required(
        "company.valuation",
        raw.valuation,
        "a finite amount > 0 (the last post-money valuation)",
    )?;
    check("company.valuation", valuation, Allowed::POSITIVE_AMOUNT)?;
    Ok(Company {
        valuation,
        drift: field(
            "company.drift",
            raw.drift,
            defaults::company::DRIFT,
            Allowed::within(Range::closed(-1.0, 1.0)),
        )?,
        volatility: field(
            "company.volatility",
            raw.volatility,
            defaults::company::VOLATILITY,
            Allowed::within(Range::closed(0.0, 3.0)),
        )?,
        // Compared with the valuation only: any finite size works.
        preference_stack: field(
            "company.preference_stack",
            raw.preference_stack,
            defaults::company::PREFERENCE_STACK,
            Allowed::AMOUNT,
        )?,
        preferred_fraction: field(
            "company.preferred_fraction",
            raw.preferred_fraction,
            defaults::company::PREFERRED_FRACTION,
            Allowed::within(Range::right_open(0.0, 1.0)),
        )?,
        rounds: rounds(raw.rounds)?,
        exit: exit(raw.exit)?,
        tender: raw.tender.map(tender).transpose()?,
    })
}

fn rounds(raw: RawRounds) -> Check<Rounds> {
    let per_year = field(
        "company.rounds.per_year",
        raw.per_year,
        defaults::company::ROUNDS_PER_YEAR,
        Allowed::within_in(Range::closed(0.0, MAX_ROUNDS_PER_YEAR), " rounds per year"),
    )?;
    let mean = field(
        "company.rounds.dilution_mean",
        raw.dilution_mean,
        defaults::company::ROUNDS_DILUTION_MEAN,
        Allowed::within(Range::open(0.0, 1.0)),
    )?;
    let sd = field(
        "company.rounds.dilution_sd",
        raw.dilution_sd,
        defaults::company::ROUNDS_DILUTION_SD,
        Allowed::number(Range::closed(0.0, f64::MAX)),
    )?;
    // A relative margin, so that a rounding error cannot admit a Beta
    // that degenerates to the two ends (0.1 and 0.3 multiply to 0.09 within
    // one ulp either way).
    if sd * sd >= mean * (1.0 - mean) * (1.0 - 1e-6) {
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
        pool_per_year: field(
            "company.rounds.pool_per_year",
            raw.pool_per_year,
            defaults::company::ROUNDS_POOL_PER_YEAR,
            Allowed::within(Range::right_open(0.0, 1.0)),
        )?,
    })
}

fn multiple(path: &str, raw: Option<RawMultiple>, median: f64, sigma: f64) -> Check<Multiple> {
    let raw = raw.unwrap_or_default();
    let median_path = format!("{path}.median");
    let m = field(
        &median_path,
        raw.median,
        median,
        Allowed::words(Range::left_open(0.0, 1e6), "a number > 0 (at most 10^6)"),
    )?;
    Ok(Multiple {
        median: m,
        sigma: field(
            &format!("{path}.sigma"),
            raw.sigma,
            sigma,
            Allowed::within(Range::closed(0.0, 5.0)),
        )?,
    })
}

fn exit(raw: RawExit) -> Check<Exit> {
    let rate = |path: &str, v: Option<f64>, d: f64| {
        field(
            path,
            v,
            d,
            Allowed::within_in(Range::right_open(0.0, 1.0), " per year"),
        )
    };
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
        earliest_years: field(
            "company.exit.earliest_years",
            raw.earliest_years,
            defaults::company::EXIT_EARLIEST_YEARS,
            Allowed::within_in(Range::closed(0.0, 100.0), " years"),
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
        lockup_years: field(
            "company.exit.lockup_years",
            raw.lockup_years,
            defaults::company::EXIT_LOCKUP_YEARS,
            Allowed::within_in(Range::closed(0.0, 100.0), " years"),
        )?,
        lockup_volatility: field(
            "company.exit.lockup_volatility",
            raw.lockup_volatility,
            defaults::company::EXIT_LOCKUP_VOLATILITY,
            Allowed::within(Range::closed(0.0, 3.0)),
        )?,
        secondary_discount: field(
            "company.exit.secondary_discount",
            raw.secondary_discount,
            defaults::company::EXIT_SECONDARY_DISCOUNT,
            Allowed::within(Range::right_open(0.0, 1.0)),
        )?,
    })
}

fn tender(raw: RawTender) -> Check<Tender> {
    let per_year = required(
        "company.tender.per_year",
        raw.per_year,
        "a rate of tender offers per year, from 0 to 12",
    )?;
    check(
        "company.tender.per_year",
        per_year,
        Allowed::within(Range::closed(0.0, 12.0)),
    )?;
    Ok(Tender {
        per_year,
        from_years: field(
            "company.tender.from_years",
            raw.from_years,
            defaults::company::TENDER_FROM_YEARS,
            Allowed::within_in(Range::closed(0.0, 100.0), " years"),
        )?,
        fraction: field(
            "company.tender.fraction",
            raw.fraction,
            defaults::company::TENDER_FRACTION,
            Allowed::within(Range::left_open(0.0, 1.0)),
        )?,
        discount: field(
            "company.tender.discount",
            raw.discount,
            defaults::company::TENDER_DISCOUNT,
            Allowed::within(Range::right_open(0.0, 1.0)),
        )?,
    })
}

/// Checks a vesting schedule; `default` fills the fields left out.
pub fn vesting(path: &str, raw: Option<RawVesting>, default: Vesting) -> Check<Vesting> {
    let raw = raw.unwrap_or_default();
    let years_path = format!("{path}.years");
    let years = field(
        &years_path,
        raw.years,
        default.years,
        Allowed::within_in(Range::left_open(0.0, 100.0), " years"),
    )?;
    let months_path = format!("{path}.every_months");
    let every_months = field(
        &months_path,
        raw.every_months,
        default.every_months,
        Allowed::words(Range::closed(1.0, 1200.0), "a whole number of months >= 1"),
    )?;
    if every_months.fract() != 0.0 {
        return Err(ScenarioError::invalid(
            &months_path,
            fmt_value(every_months),
            "a whole number of months >= 1",
        ));
    }
    let cliff_path = format!("{path}.cliff_years");
    let cliff_allowed = Allowed {
        range: Range::closed(0.0, years),
        says: Says::Words(format!("in [0, years = {}]", fmt_value(years)).into()),
    };
    let cliff_years = raw.cliff_years.unwrap_or(default.cliff_years);
    if cliff_years.is_finite() && cliff_years > years {
        // The cliff may be the default, which the schedule's years clash with.
        return Err(ScenarioError::invalid(
            &cliff_path,
            shown(cliff_years, raw.cliff_years),
            &cliff_allowed.describe(),
        ));
    }
    check(&cliff_path, cliff_years, cliff_allowed)?;
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
    let weights = match &raw.weights {
        None => None,
        Some(list) => Some(year_weights(path, list, years, every_months)?),
    };
    Ok(Vesting {
        years,
        cliff_years,
        every_months,
        weights,
    })
}

/// `vesting.weights`: one share a year of a whole number of years, each
/// `>= 0`, summing to 1 within 1e-9, with whole vest periods in a year.
fn year_weights(path: &str, list: &[f64], years: f64, every_months: f64) -> Check<YearWeights> {
    let weights_path = format!("{path}.weights");
    if !whole(years) {
        return Err(ScenarioError::invalid(
            &format!("{path}.years"),
            fmt_value(years),
            "a whole number of years with weights (one weight a year)",
        ));
    }
    if list.len() != years.round() as usize {
        return Err(ScenarioError::invalid(
            &weights_path,
            format!("{} weights", list.len()),
            &format!(
                "one weight a year: {path}.years = {} needs {}",
                fmt_value(years),
                years.round()
            ),
        ));
    }
    if list.len() > MAX_WEIGHTED_YEARS {
        return Err(ScenarioError::invalid(
            &weights_path,
            format!("{} weights", list.len()),
            &format!("at most {MAX_WEIGHTED_YEARS} years of weights"),
        ));
    }
    for (i, w) in list.iter().enumerate() {
        check(
            &format!("{weights_path}.{i}"),
            *w,
            Allowed::within(Range::closed(0.0, 1.0)),
        )?;
    }
    let sum: f64 = list.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        return Err(ScenarioError::invalid(
            &weights_path,
            format!("weights summing to {}", fmt_value(sum)),
            "shares of the grant summing to 1 (within 1e-9)",
        ));
    }
    if !whole(12.0 / every_months) {
        return Err(ScenarioError::invalid(
            &format!("{path}.every_months"),
            fmt_value(every_months),
            "a divisor of 12 with weights (each year vests in equal tranches)",
        ));
    }
    YearWeights::new(list)
        .ok_or_else(|| ScenarioError::invalid(&weights_path, "[]", "one share of the grant a year"))
}

fn whole(x: f64) -> bool {
    (x - x.round()).abs() < 1e-9 * x.abs().max(1.0)
}

fn refreshes(
    path: &str,
    raw: Vec<RawRefresh>,
    default_vesting: Vesting,
    window_years: f64,
) -> Check<Vec<Refresh>> {
    if raw.len() > MAX_REFRESHES {
        return Err(ScenarioError::invalid(
            path,
            format!("{} refresh grants", raw.len()),
            &format!("at most {MAX_REFRESHES} refresh grants"),
        ));
    }
    let list = raw
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let p = format!("{path}.{i}");
            let at_years = required(&format!("{p}.at_years"), r.at_years, "a time in years >= 0")?;
            check(&format!("{p}.at_years"), at_years, Allowed::within_in(Range::closed(0.0, 100.0), " years"))?;
            let amount = match (r.grant, r.grant_ratio) {
                (Some(g), None) => RefreshAmount::Grant(money(&format!("{p}.grant"), Some(g), 0.0)?),
                (None, Some(k)) => RefreshAmount::GrantRatio(field(&format!("{p}.grant_ratio"), Some(k), 0.0, Allowed::words(Range::closed(0.0, 1e6), "in [0, 10^6]"))?),
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
            let every_years = r
                .every_years
                .map(|k| {
                    check(
                        &format!("{p}.every_years"),
                        k,
                        Allowed::within_in(Range::left_open(0.0, 100.0), " years"),
                    )
                    .map(|()| k)
                })
                .transpose()?;
            Ok(Refresh {
                at_years,
                every_years,
                probability: field(&format!("{p}.probability"), r.probability, 1.0, Allowed::within(Range::closed(0.0, 1.0)))?,
                amount,
                vesting: vesting(&format!("{p}.vesting"), r.vesting, default_vesting)?,
            })
        })
        .collect::<Check<Vec<Refresh>>>()?;
    let expanded: usize = list.iter().map(|r| r.dates(window_years).count()).sum();
    if expanded > MAX_REFRESHES {
        return Err(ScenarioError::invalid(
            path,
            format!(
                "{expanded} refresh grants with their repeats (within simulation.window_years = {})",
                fmt_value(window_years)
            ),
            &format!("at most {MAX_REFRESHES} refresh grants, repeats included"),
        ));
    }
    Ok(list)
}

fn offer(raw: RawOffer, window_years: f64, warnings: &mut Vec<String>) -> Check<Offer> {
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
            strike_ratio: field(
                "offer.equity.strike_ratio",
                eq.strike_ratio,
                defaults::offer::EQUITY_STRIKE_RATIO,
                Allowed::within(Range::closed(0.0, 10.0)),
            )?,
            exercise_window_years: field(
                "offer.equity.exercise_window_years",
                eq.exercise_window_years,
                defaults::offer::EQUITY_EXERCISE_WINDOW_YEARS,
                Allowed::within_in(Range::closed(0.0, 100.0), " years"),
            )?,
            exercise_on_departure: match eq.exercise_on_departure {
                Some(RawExerciseRule::Always) => ExerciseRule::Always,
                Some(RawExerciseRule::Never) => ExerciseRule::Never,
                Some(RawExerciseRule::IfInTheMoney) => ExerciseRule::IfInTheMoney,
                None => defaults::offer::EXERCISE_ON_DEPARTURE,
            },
            acceleration_on_acquisition: field(
                "offer.equity.acceleration_on_acquisition",
                eq.acceleration_on_acquisition,
                defaults::offer::EQUITY_ACCELERATION_ON_ACQUISITION,
                Allowed::within(Range::closed(0.0, 1.0)),
            )?,
            vesting: vesting(
                "offer.equity.vesting",
                eq.vesting,
                defaults::offer::EQUITY_VESTING,
            )?,
            tax_treatment: tax::offer_treatment(eq.tax_treatment, instrument)?,
            refresh: refreshes(
                "offer.equity.refresh",
                eq.refresh,
                defaults::offer::REFRESH_VESTING,
                window_years,
            )?,
        },
    })
}

/// A yearly bonus as a share of the base, in `[0, 10]`; above 1 it is
/// likely a percentage typed as a number (`10` for 10%), which is accepted
/// with a warning.
fn bonus_rate(path: &str, value: Option<f64>, warnings: &mut Vec<String>) -> Check<f64> {
    let rate = field(path, value, 0.0, Allowed::within(Range::closed(0.0, 10.0)))?;
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

fn alternative(
    raw: RawAlternative,
    window_years: f64,
    warnings: &mut Vec<String>,
) -> Check<Alternative> {
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
                defaults::alternative::EQUITY_VESTING,
            )?,
            stock: Stock {
                drift: field(
                    "alternative.equity.stock.drift",
                    stock.drift,
                    defaults::alternative::EQUITY_STOCK_DRIFT,
                    Allowed::within(Range::closed(-1.0, 1.0)),
                )?,
                volatility: field(
                    "alternative.equity.stock.volatility",
                    stock.volatility,
                    defaults::alternative::EQUITY_STOCK_VOLATILITY,
                    Allowed::within(Range::closed(0.0, 3.0)),
                )?,
            },
            tax_treatment: tax::alternative_treatment(eq.tax_treatment)?,
            refresh: refreshes(
                "alternative.equity.refresh",
                eq.refresh,
                defaults::alternative::REFRESH_VESTING,
                window_years,
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
                    "a non-empty list of mean, median, ce, pNN or beatsNN",
                ));
            }
            list.iter()
                .enumerate()
                .map(|(i, c)| {
                    Criterion::parse(c).ok_or_else(|| {
                        ScenarioError::invalid(
                            &format!("floor.criteria.{i}"),
                            format!("\"{c}\""),
                            "one of \"mean\", \"median\", \"ce\", \"pNN\" or \"beatsNN\" with NN from 1 to 99",
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
    check("sweep.from", from, Allowed::FINITE)?;
    let to = required("sweep.to", raw.to, "a finite number")?;
    check("sweep.to", to, Allowed::FINITE)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The required fields and `extra` TOML, resolved.
    fn resolved(extra: &str) -> Result<(Scenario, Vec<String>), String> {
        let text = format!(
            "name = \"t\"\n[company]\nvaluation = 1e9\n[offer]\nbase = 1\n[offer.equity]\n\
             grant = 1\n[alternative]\nbase = 1\n{extra}"
        );
        crate::scenario::load_str("t.toml", &text, &[])
            .map(|l| (l.scenario, l.warnings))
            .map_err(|e| e.to_string())
    }

    /// The message for `field = value` in `[table]`.
    fn refused(table: &str, field: &str, value: &str) -> String {
        let extra = format!("[{table}]\n{field} = {value}\n");
        // The required tables come first; a second header of one would be
        // invalid TOML, so those fields go into the text by replacement.
        let text = match table {
            "company" | "offer" | "alternative" => {
                let base = "name = \"t\"\n[company]\nvaluation = 1e9\n[offer]\nbase = 1\n\
                            [offer.equity]\ngrant = 1\n[alternative]\nbase = 1\n";
                base.replacen(
                    &format!("[{table}]\n"),
                    &format!("[{table}]\n{field} = {value}\n"),
                    1,
                )
            }
            _ => {
                return resolved(&extra)
                    .map(|_| String::new())
                    .unwrap_or_else(|e| e);
            }
        };
        crate::scenario::load_str("t.toml", &text, &[])
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn the_words_come_from_the_range() {
        let say = |a: Allowed| a.describe().into_owned();
        assert_eq!(say(Allowed::within(Range::closed(0.0, 0.5))), "in [0, 0.5]");
        assert_eq!(
            say(Allowed::within_in(Range::left_open(0.0, 100.0), " years")),
            "in (0, 100] years"
        );
        assert_eq!(say(Allowed::within(Range::open(0.0, 1.0))), "in (0, 1)");
        assert_eq!(say(Allowed::AMOUNT), "a finite amount >= 0");
        assert_eq!(say(Allowed::POSITIVE_AMOUNT), "a finite amount > 0");
        assert_eq!(
            say(Allowed::number(Range::closed(0.0, f64::MAX))),
            "a number >= 0"
        );
    }

    #[test]
    fn each_end_of_a_range_is_kept_or_refused_as_written() {
        // (0, 100] years: 0 is refused, 100 taken.
        assert_eq!(
            refused("simulation", "window_years", "0"),
            "t.toml:11:16: 0 is not allowed: simulation.window_years must be in (0, 100] years"
        );
        assert_eq!(refused("simulation", "horizon_years", "100"), "");
        // [0, 1): 1 is refused.
        assert!(
            refused("employee", "attrition_per_year", "1")
                .ends_with("employee.attrition_per_year must be in [0, 1)"),
        );
        // (0, 1) at both ends.
        for v in ["0", "1"] {
            assert!(
                refused("company.rounds", "dilution_mean", v)
                    .ends_with("company.rounds.dilution_mean must be in (0, 1)"),
                "{v}"
            );
        }
        // An amount > 0.
        assert!(
            refused("employee", "outside_wealth", "0")
                .ends_with("employee.outside_wealth must be a finite amount > 0")
        );
        let text = "name = \"t\"\n[company]\nvaluation = -1\n[offer]\nbase = 1\n[offer.equity]\n\
                    grant = 1\n[alternative]\nbase = 1\n";
        let e = crate::scenario::load_str("t.toml", text, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("company.valuation must be a finite amount > 0"),
            "{e}"
        );
    }

    #[test]
    fn a_value_that_is_not_finite_is_told_so() {
        assert!(
            refused("company", "volatility", "nan")
                .ends_with("company.volatility must be a finite number in [0, 3]"),
        );
        assert!(
            refused("employee", "outside_wealth", "inf")
                .ends_with("employee.outside_wealth must be a finite amount > 0"),
        );
    }

    #[test]
    fn rules_between_fields() {
        // The horizon covers the window.
        let e = refused("simulation", "window_years", "20");
        assert!(
            e.ends_with(
                "simulation.horizon_years must be at least simulation.window_years (20) and at most 100"
            ),
            "{e}"
        );
        // A Beta dilution needs sd^2 < mean (1 - mean).
        let e = refused("company.rounds", "dilution_sd", "0.3");
        assert!(e.contains("below sqrt(mean (1 - mean)) = 0.3000"), "{e}");
        // The default cliff (1 year) cannot exceed a shorter schedule.
        let e = resolved("[offer.equity.vesting]\nyears = 0.5\nevery_months = 6\n").unwrap_err();
        assert!(
            e.ends_with(
                "1 (the default) is not allowed: offer.equity.vesting.cliff_years must be in [0, years = 0.5]"
            ),
            "{e}"
        );
    }

    #[test]
    fn defaults_fill_what_is_left_out() {
        let (s, warnings) = resolved("").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(s.simulation.discount_rate, defaults::DISCOUNT_RATE);
        assert_eq!(
            s.employee.attrition_per_year,
            defaults::employee::ATTRITION_PER_YEAR
        );
        assert_eq!(s.company.volatility, defaults::company::VOLATILITY);
        assert_eq!(s.offer.equity.vesting, defaults::offer::EQUITY_VESTING);
        assert_eq!(
            s.alternative.equity.vesting,
            defaults::alternative::EQUITY_VESTING
        );
        assert_eq!(
            s.employee.illiquidity,
            Illiquidity::Flat {
                discount: defaults::employee::ILLIQUIDITY_DISCOUNT
            }
        );
    }

    #[test]
    fn a_bonus_above_one_warns_and_is_kept() {
        let text = "name = \"t\"\n[company]\nvaluation = 1e9\n[offer]\nbase = 1\nbonus_rate = 2\n\
                    [offer.equity]\ngrant = 1\n[alternative]\nbase = 1\n";
        let loaded = crate::scenario::load_str("t.toml", text, &[]).unwrap();
        assert_eq!(loaded.scenario.offer.bonus_rate, 2.0);
        assert_eq!(loaded.warnings.len(), 1);
        assert!(loaded.warnings[0].starts_with("offer.bonus_rate = 2 is a bonus of 200%"));
    }

    #[test]
    fn yearly_weights_are_checked() {
        let vesting = |v: &str| {
            resolved(&format!("[alternative.equity]\nvesting = {{ {v} }}\n"))
                .err()
                .unwrap_or_default()
        };
        assert_eq!(
            vesting(
                "years = 4, cliff_years = 1, every_months = 3, weights = [0.05, 0.15, 0.40, 0.40]"
            ),
            ""
        );
        let e = vesting("years = 4, every_months = 3, weights = [0.5, 0.5]");
        assert!(
            e.ends_with(
                "2 weights is not allowed: alternative.equity.vesting.weights must be one weight a \
                 year: alternative.equity.vesting.years = 4 needs 4"
            ),
            "{e}"
        );
        let e = vesting("years = 2, every_months = 3, weights = [0.6, 0.5]");
        assert!(
            e.ends_with("must be shares of the grant summing to 1 (within 1e-9)"),
            "{e}"
        );
        let e = vesting("years = 2, every_months = 3, weights = [1.2, -0.2]");
        assert!(
            e.ends_with("alternative.equity.vesting.weights.0 must be in [0, 1]"),
            "{e}"
        );
        let e = vesting("years = 2, cliff_years = 0, every_months = 8, weights = [0.5, 0.5]");
        assert!(e.contains("alternative.equity.vesting.every_months"), "{e}");
        let e = vesting("years = 1.5, every_months = 6, weights = [0.5, 0.5]");
        assert!(e.contains("must be a whole number of years"), "{e}");
    }

    #[test]
    fn repeating_refreshes_count_against_the_limit() {
        let refresh = |every: &str| {
            resolved(&format!(
                "[[offer.equity.refresh]]\nat_years = 0.5\nevery_years = {every}\ngrant_ratio = 0.1\n"
            ))
        };
        let (s, _) = refresh("1").unwrap();
        assert_eq!(s.offer.equity.refresh[0].dates(4.0).count(), 4);
        let e = refresh("0.2").unwrap_err();
        assert!(
            e.ends_with(
                "18 refresh grants with their repeats (within simulation.window_years = 4) is not \
                 allowed: offer.equity.refresh must be at most 15 refresh grants, repeats included"
            ),
            "{e}"
        );
        let e = refresh("0").unwrap_err();
        assert!(
            e.ends_with("offer.equity.refresh.0.every_years must be in (0, 100] years"),
            "{e}"
        );
    }

    #[test]
    fn tender_offers_are_checked() {
        let tender = |t: &str| {
            let text = format!(
                "name = \"t\"\n[company]\nvaluation = 1e9\n[company.tender]\n{t}\n[offer]\nbase = 1\n\
                 [offer.equity]\ngrant = 1\n[alternative]\nbase = 1\n"
            );
            crate::scenario::load_str("t.toml", &text, &[]).map(|l| l.scenario.company.tender)
        };
        let t = tender("per_year = 0.5").unwrap().unwrap();
        assert_eq!(
            (t.from_years, t.fraction, t.discount),
            (
                defaults::company::TENDER_FROM_YEARS,
                defaults::company::TENDER_FRACTION,
                defaults::company::TENDER_DISCOUNT
            )
        );
        let e = tender("fraction = 0.5").unwrap_err().to_string();
        assert!(
            e.contains("required field `company.tender.per_year` is missing"),
            "{e}"
        );
        let e = tender("per_year = 13").unwrap_err().to_string();
        assert!(
            e.ends_with("company.tender.per_year must be in [0, 12]"),
            "{e}"
        );
        let e = tender("per_year = 1\nfraction = 0")
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("company.tender.fraction must be in (0, 1]"),
            "{e}"
        );
        let e = tender("per_year = 1\ndiscount = 1")
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("company.tender.discount must be in [0, 1)"),
            "{e}"
        );
    }
}
