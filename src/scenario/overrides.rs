//! `--set dotted.path=value`: a change to one field of a scenario, applied to
//! the parsed TOML before it is validated, so an override is checked exactly
//! like the same line written in the file. Sweeps use the same mechanism.

use crate::error::Error;
use toml::{Table, Value};

/// One `path=value` override.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Dotted path, array items by index: `offer.equity.refresh.0.probability`.
    pub path: String,
    pub value: Value,
    /// Where it came from, as the user would recognise it (`--set a.b=1`).
    pub text: String,
}

impl Override {
    /// Parses `path=value`. The value is read as a TOML value (`0.3`,
    /// `true`, `"rsu"`, `{ median = 1.2, sigma = 0.3 }`); anything that is
    /// not valid TOML is taken as a bare string, so `--set offer.label=Acme`
    /// works without quotes.
    ///
    /// ```
    /// use equisim::scenario::Override;
    /// let o = Override::parse("company.volatility=0.45").unwrap();
    /// assert_eq!(o.path, "company.volatility");
    /// assert_eq!(o.value.as_float(), Some(0.45));
    /// ```
    pub fn parse(text: &str) -> Result<Override, Error> {
        let Some((path, raw)) = text.split_once('=') else {
            return Err(Error::argument(
                format!("--set {text}"),
                "expected `dotted.path=value`, for example --set company.volatility=0.45",
            ));
        };
        let path = path.trim();
        if path.is_empty() || path.split('.').any(|p| p.trim().is_empty()) {
            return Err(Error::argument(
                format!("--set {text}"),
                format!("`{path}` is not a dotted field path such as company.exit.ipo_per_year"),
            ));
        }
        let raw = raw.trim();
        let value = match toml::from_str::<Table>(&format!("v = {raw}")) {
            Ok(mut t) if t.len() == 1 => t
                .remove("v")
                .unwrap_or_else(|| Value::String(raw.to_string())),
            _ => Value::String(raw.to_string()),
        };
        Ok(Override {
            path: path.to_string(),
            value,
            text: format!("--set {text}"),
        })
    }

    /// An override from a command-line flag other than `--set` (`--paths`,
    /// `--seed`) or from a sweep; `text` says where it came from.
    pub fn with_value(path: &str, value: Value, text: impl Into<String>) -> Override {
        Override {
            path: path.to_string(),
            value,
            text: text.into(),
        }
    }

    /// Whether this override wrote the field at `path` or one inside it.
    pub fn covers(&self, path: &str) -> bool {
        path == self.path
            || path.starts_with(&format!("{}.", self.path))
            || self.path.starts_with(&format!("{path}."))
    }
}

/// Writes `value` at `path` in `table`, creating tables on the way. An array
/// item must already exist: `refresh.3` on a two-item list is an error.
pub fn set_path(table: &mut Table, path: &str, value: Value) -> Result<(), String> {
    let mut root = Value::Table(std::mem::take(table));
    let result = set_in(&mut root, path, value);
    if let Value::Table(t) = root {
        *table = t;
    }
    result
}

fn set_in(root: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    let (last, inner) = parts.split_last().ok_or("empty path")?;
    let mut here = root;
    let mut walked = String::new();
    for (i, part) in inner.iter().enumerate() {
        let next = parts[i + 1];
        here = step(here, part, &walked, next)?;
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(part);
    }
    *step(here, last, &walked, "")? = value;
    Ok(())
}

/// The value at `part` inside `here`, created as an empty table when
/// absent; `next` is the part after it (an item index cannot be created).
fn step<'a>(
    here: &'a mut Value,
    part: &str,
    walked: &str,
    next: &str,
) -> Result<&'a mut Value, String> {
    match here {
        Value::Table(t) => {
            if !t.contains_key(part) && next.parse::<usize>().is_ok() {
                let list = if walked.is_empty() {
                    part.to_string()
                } else {
                    format!("{walked}.{part}")
                };
                return Err(format!(
                    "`{list}` has no items: there is no item {next} to change \
                     (add a [[{list}]] section to the file first)"
                ));
            }
            Ok(t.entry(part.to_string())
                .or_insert_with(|| Value::Table(Table::new())))
        }
        Value::Array(items) => {
            let i = part
                .parse::<usize>()
                .map_err(|_| format!("`{walked}` is a list: index it by number, as {walked}.0"))?;
            let len = items.len();
            items
                .get_mut(i)
                .ok_or_else(|| format!("`{walked}` has {len} item(s): there is no item {i}"))
        }
        other => Err(format!("`{walked}` is a {}, not a table", other.type_str())),
    }
}

/// Applies overrides in order.
pub fn apply(table: &mut Table, overrides: &[Override]) -> Result<(), (usize, String)> {
    for (i, o) in overrides.iter().enumerate() {
        set_path(table, &o.path, o.value.clone()).map_err(|msg| (i, msg))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_nested_and_indexed_fields() {
        let mut t: Table = toml::from_str("[[offer.equity.refresh]]\nat_years = 2\n").unwrap();
        set_path(&mut t, "company.exit.ipo_per_year", Value::Float(0.1)).unwrap();
        set_path(
            &mut t,
            "offer.equity.refresh.0.probability",
            Value::Float(0.5),
        )
        .unwrap();
        assert_eq!(t["company"]["exit"]["ipo_per_year"].as_float(), Some(0.1));
        assert_eq!(
            t["offer"]["equity"]["refresh"][0]["probability"].as_float(),
            Some(0.5)
        );
        let err = set_path(
            &mut t,
            "offer.equity.refresh.3.probability",
            Value::Float(0.5),
        )
        .unwrap_err();
        assert_eq!(
            err,
            "`offer.equity.refresh` has 1 item(s): there is no item 3"
        );
        let err = set_path(
            &mut t,
            "alternative.equity.refresh.0.probability",
            Value::Float(0.5),
        )
        .unwrap_err();
        assert_eq!(
            err,
            "`alternative.equity.refresh` has no items: there is no item 0 to change \
             (add a [[alternative.equity.refresh]] section to the file first)"
        );
    }

    #[test]
    fn parses_values() {
        assert_eq!(
            Override::parse("offer.label=Acme Inc")
                .unwrap()
                .value
                .as_str(),
            Some("Acme Inc")
        );
        assert_eq!(
            Override::parse("simulation.paths=1000")
                .unwrap()
                .value
                .as_integer(),
            Some(1000)
        );
        assert!(Override::parse("novalue").is_err());
    }
}
