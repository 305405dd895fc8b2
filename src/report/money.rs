//! Money and percentages formatted for people.

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

/// Three significant digits with K / M / B: `€72.4K`, `$1.23M`, `-€950`.
///
/// ```
/// use equisim::report::money::format_money;
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
    const UNITS: [(f64, &str); 4] = [(1.0, ""), (1e3, "K"), (1e6, "M"), (1e9, "B")];
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
/// assert_eq!(equisim::report::money::format_count(1_000_000), "1,000,000");
/// assert_eq!(equisim::report::money::format_count(999), "999");
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
