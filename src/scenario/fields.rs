//! What the scenario knows about its fields by dotted path
//! (`employee.illiquidity.discount`, `offer.equity.refresh.0.probability`):
//! the value a resolved scenario holds there, and the unit it is in, for
//! sweeps, their tables and their charts.

use super::Scenario;

/// The unit a numeric field is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A share, a probability or a rate: `0.25` reads `25%`.
    Share,
    /// An amount in the scenario's currency: `75000` reads `€75K`.
    Money,
    /// Anything else (years, multiples, counts, risk aversion): `2.5`.
    Number,
}

impl Unit {
    /// The unit of the field at dotted path `path`, from its name.
    ///
    /// ```
    /// use equisim::scenario::fields::Unit;
    /// assert_eq!(Unit::of("employee.illiquidity.discount"), Unit::Share);
    /// assert_eq!(Unit::of("offer.equity.grant"), Unit::Money);
    /// assert_eq!(Unit::of("simulation.window_years"), Unit::Number);
    /// ```
    pub fn of(path: &str) -> Unit {
        let last = path.rsplit('.').next().unwrap_or(path);
        match last {
            "discount"
            | "secondary_discount"
            | "probability"
            | "discount_rate"
            | "bonus_rate"
            | "volatility"
            | "lockup_volatility"
            | "drift"
            | "attrition_per_year"
            | "ipo_per_year"
            | "acquisition_per_year"
            | "failure_per_year"
            | "preferred_fraction"
            | "dilution_mean"
            | "dilution_sd"
            | "pool_per_year"
            | "strike_ratio" => Unit::Share,
            "base" | "grant" | "sign_on" | "valuation" | "outside_wealth" | "preference_stack" => {
                Unit::Money
            }
            _ => Unit::Number,
        }
    }
}

/// The value at dotted path `path` in a resolved scenario (list items by
/// index), if there is one.
pub fn value_at(scenario: &Scenario, path: &str) -> Option<toml::Value> {
    let mut here = toml::Value::try_from(scenario).ok()?;
    for part in path.split('.') {
        here = match here {
            toml::Value::Table(mut t) => t.remove(part)?,
            toml::Value::Array(mut items) => {
                let i: usize = part.parse().ok()?;
                (i < items.len()).then(|| items.swap_remove(i))?
            }
            _ => return None,
        };
    }
    Some(here)
}

/// The number at dotted path `path`, if the field there is numeric.
pub fn number_at(scenario: &Scenario, path: &str) -> Option<f64> {
    match value_at(scenario, path)? {
        toml::Value::Float(v) => Some(v),
        toml::Value::Integer(v) => Some(v as f64),
        _ => None,
    }
}
