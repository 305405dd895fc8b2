//! Numbers formatted for people: money, shares, counts. The one home of
//! every number's text, in tables, messages and charts alike.

use crate::scenario::fields::Unit;

/// The symbol for a currency label, or the label and a space.
pub fn symbol(currency: &str) -> String {
    match currency.to_ascii_uppercase().as_str() {
        "USD" => "$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        "JPY" => "¥".into(),
        "INR" => "₹".into(),
        _ => format!("{currency} "),
    }
}

/// The units money is written in, smallest first.
const UNITS: [(f64, &str); 4] = [(1.0, ""), (1e3, "K"), (1e6, "M"), (1e9, "B")];

/// Three significant digits with K / M / B: `€72.4K`, `$1.23M`, `-€950`.
///
/// ```
/// use equisim::format::format_money;
/// assert_eq!(format_money(72_400.0, "EUR"), "€72.4K");
/// assert_eq!(format_money(1_234_567.0, "USD"), "$1.23M");
/// assert_eq!(format_money(-950.0, "USD"), "-$950");
/// assert_eq!(format_money(185_000.0, "CHF"), "CHF 185K");
/// assert_eq!(format_money(999_999.0, "USD"), "$1.00M");
/// ```
pub fn format_money(value: f64, currency: &str) -> String {
    if !value.is_finite() {
        return "n/a".into();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let a = value.abs();
    let mut u = UNITS.iter().rposition(|(size, _)| a >= *size).unwrap_or(0);
    loop {
        let (size, unit) = UNITS[u];
        let scaled = a / size;
        let digits = if unit.is_empty() || scaled >= 99.95 {
            0
        } else if scaled >= 9.995 {
            1
        } else {
            2
        };
        let text = format!("{scaled:.digits$}");
        // 999.96K would print as "1000K": say 1.00M instead.
        if text.starts_with("1000") && u + 1 < UNITS.len() {
            u += 1;
            continue;
        }
        return format!("{sign}{}{text}{unit}", symbol(currency));
    }
}

/// Two amounts as [`format_money`] writes them, with more digits when the
/// usual three would make them read the same (a peak "below" a target of
/// the same printed amount).
///
/// ```
/// use equisim::format::format_money_apart;
/// assert_eq!(format_money_apart(363_600.0, 364_200.0, "EUR"), ("€363.6K".into(), "€364.2K".into()));
/// assert_eq!(format_money_apart(300_000.0, 364_200.0, "EUR"), ("€300K".into(), "€364K".into()));
/// ```
pub fn format_money_apart(a: f64, b: f64, currency: &str) -> (String, String) {
    let (x, y) = (format_money(a, currency), format_money(b, currency));
    if x != y || a == b || !a.is_finite() || !b.is_finite() {
        return (x, y);
    }
    // Enough decimals of the larger one's unit to tell them apart.
    let big = a.abs().max(b.abs());
    let (size, unit) = UNITS
        .into_iter()
        .rev()
        .find(|(size, _)| big >= *size)
        .unwrap_or(UNITS[0]);
    let digits = (1..=6)
        .find(|d| format!("{:.*}", d, a / size) != format!("{:.*}", d, b / size))
        .unwrap_or(6);
    let write = |v: f64| {
        let sign = if v < 0.0 { "-" } else { "" };
        format!(
            "{sign}{}{:.*}{unit}",
            symbol(currency),
            digits,
            v.abs() / size
        )
    };
    (write(a), write(b))
}

/// A share as a percentage with one decimal: `0.4123` → `41.2%`.
pub fn format_percent(share: f64) -> String {
    if !share.is_finite() {
        return "n/a".into();
    }
    format!("{:.1}%", share * 100.0)
}

/// A count with thousands separators: `1000000` → `1,000,000`.
///
/// ```
/// assert_eq!(equisim::format::format_count(1_000_000), "1,000,000");
/// assert_eq!(equisim::format::format_count(999), "999");
/// ```
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Money for a tick label: [`format_money`] without trailing zeros
/// (`€50K`, `€1.5M`, `€1.25M`).
pub fn money_tick(value: f64, currency: &str) -> String {
    let text = format_money(value, currency);
    let Some(dot) = text.find('.') else {
        return text;
    };
    let digits_end = text[dot + 1..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(text.len(), |i| dot + 1 + i);
    let digits = text[dot + 1..digits_end].trim_end_matches('0');
    let unit = &text[digits_end..];
    if digits.is_empty() {
        format!("{}{unit}", &text[..dot])
    } else {
        format!("{}.{digits}{unit}", &text[..dot])
    }
}

/// A share as a percentage for a label: `12.3%`, `0.4%`, `<0.1%`.
pub fn percent_label(share: f64) -> String {
    if share == 0.0 {
        "0%".into()
    } else if share > 0.0 && share < 0.0005 {
        "<0.1%".into()
    } else {
        format!("{:.1}%", share * 100.0)
    }
}

/// A count and its noun, singular for one: `1 path`, `1,000,000 paths`.
///
/// ```
/// use equisim::format::count_of;
/// assert_eq!(count_of(1, "path"), "1 path");
/// assert_eq!(count_of(20_000, "path"), "20,000 paths");
/// ```
pub fn count_of(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", format_count(n))
    }
}

/// `"4 years"`, `"1 year"`, `"2.5 years"`.
///
/// ```
/// use equisim::format::years;
/// assert_eq!(years(1.0), "1 year");
/// assert_eq!(years(4.0), "4 years");
/// assert_eq!(years(2.5), "2.5 years");
/// ```
pub fn years(y: f64) -> String {
    if y == 1.0 {
        "1 year".into()
    } else if y.fract() == 0.0 {
        format!("{y:.0} years")
    } else {
        format!("{y} years")
    }
}

/// A rate as a percentage with as many decimals as it has, up to three:
/// `0.0375` → `3.75%`, `0.05` → `5%` (a rate the user typed is shown as
/// typed, not rounded to `3.8%`).
///
/// ```
/// use equisim::format::format_rate;
/// assert_eq!(format_rate(0.0375), "3.75%");
/// assert_eq!(format_rate(0.05), "5%");
/// assert_eq!(format_rate(0.12345), "12.345%");
/// ```
pub fn format_rate(rate: f64) -> String {
    if !rate.is_finite() {
        return "n/a".into();
    }
    let text = format!("{:.3}", rate * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

/// A value of a field in `unit` as a tick label, with as many decimals as ticks `step`
/// apart need.
pub fn tick_in_unit(unit: Unit, v: f64, step: f64, currency: &str) -> String {
    let decimals = |unit_step: f64| -> usize {
        if unit_step <= 0.0 || !unit_step.is_finite() {
            return 0;
        }
        let d = -(unit_step.log10().floor());
        (d.max(0.0) as usize).min(6)
    };
    // -0 prints as 0.
    let v = if v.abs() < step.abs() * 1e-9 { 0.0 } else { v };
    match unit {
        Unit::Share => {
            let d = decimals(step * 100.0 * 1.000_000_1);
            format!("{:.d$}%", v * 100.0)
        }
        Unit::Money => money_tick(v, currency),
        Unit::Number => {
            let d = decimals(step * 1.000_000_1);
            format!("{v:.d$}")
        }
    }
}

/// A value of a field in `unit` in running text (`25%`, `€75K`, `2.5`).
pub fn in_unit(unit: Unit, v: f64, currency: &str) -> String {
    match unit {
        Unit::Share => {
            let p = v * 100.0;
            let s = format!("{p:.2}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            format!("{s}%")
        }
        Unit::Money => format_money(v, currency),
        // Six significant digits: what a person types, not a percentile's
        // seventeen.
        Unit::Number => {
            let text = crate::scenario::fmt_value(v);
            if text.len() <= 8 || !v.is_finite() || v == 0.0 {
                return text;
            }
            let text = significant(v, 6);
            if text.contains('.') {
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                text
            }
        }
    }
}

/// A drawn value of a field in `unit`, to three significant digits
/// (`1.08%`, `€75.2K`, `0.776`): a statistic of draws, not a value typed.
///
/// ```
/// use equisim::format::drawn_in_unit;
/// use equisim::scenario::fields::Unit;
/// assert_eq!(drawn_in_unit(Unit::Number, 0.7762814465614334, "EUR"), "0.776");
/// assert_eq!(drawn_in_unit(Unit::Number, 12.34, "EUR"), "12.3");
/// assert_eq!(drawn_in_unit(Unit::Share, 0.010812, "EUR"), "1.08%");
/// ```
pub fn drawn_in_unit(unit: Unit, v: f64, currency: &str) -> String {
    let three = |x: f64| {
        if x == 0.0 || !x.is_finite() {
            crate::scenario::fmt_value(x)
        } else {
            significant(x, 3)
        }
    };
    match unit {
        Unit::Share => format!("{}%", three(v * 100.0)),
        Unit::Money => format_money(v, currency),
        Unit::Number => three(v),
    }
}

/// `x` (finite, not 0) with `digits` significant digits, trailing zeros
/// kept: `significant(0.776281, 3)` is `0.776`, `significant(12.0, 3)`
/// `12.0`.
fn significant(x: f64, digits: i32) -> String {
    let decimals = (digits - 1 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_ticks() {
        assert_eq!(money_tick(50_000.0, "EUR"), "€50K");
        assert_eq!(money_tick(1_500_000.0, "USD"), "$1.5M");
        assert_eq!(money_tick(1_250_000.0, "USD"), "$1.25M");
        assert_eq!(money_tick(0.0, "USD"), "$0");
        assert_eq!(money_tick(-50_000.0, "USD"), "-$50K");
        assert_eq!(money_tick(2_000.0, "CHF"), "CHF 2K");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(20_000), "20,000");
        assert_eq!(format_count(1_000_000), "1,000,000");
    }

    #[test]
    fn parameter_kinds_and_ticks() {
        assert_eq!(Unit::of("employee.illiquidity.discount"), Unit::Share);
        assert_eq!(Unit::of("offer.equity.refresh.0.probability"), Unit::Share);
        assert_eq!(Unit::of("offer.base"), Unit::Money);
        assert_eq!(Unit::of("employee.risk_aversion"), Unit::Number);
        assert_eq!(tick_in_unit(Unit::Share, 0.1, 0.1, "EUR"), "10%");
        assert_eq!(tick_in_unit(Unit::Share, 0.025, 0.005, "EUR"), "2.5%");
        assert_eq!(tick_in_unit(Unit::Number, 2.5, 0.5, "EUR"), "2.5");
        assert_eq!(tick_in_unit(Unit::Number, 4.0, 2.0, "EUR"), "4");
        assert_eq!(tick_in_unit(Unit::Money, 75_000.0, 5_000.0, "EUR"), "€75K");
        assert_eq!(in_unit(Unit::Share, 0.25, "EUR"), "25%");
        assert_eq!(in_unit(Unit::Share, 0.125, "EUR"), "12.5%");
        assert_eq!(in_unit(Unit::Number, 0.77390177966, "EUR"), "0.773902");
        assert_eq!(in_unit(Unit::Number, 2.5, "EUR"), "2.5");
        assert_eq!(in_unit(Unit::Number, 1234567.25, "EUR"), "1234567");
    }
}
