//! The summary table printed by `equisim run`.

use crate::format::{count_of, format_money, format_percent, format_rate, years};
use crate::scenario::{Illiquidity, Measure, Scenario};
use crate::stats::{EquityShares, OfferOutputs, Outputs, Summary};
use std::fmt::Write;

/// `text` cut to at most `width` characters, the last one an ellipsis.
///
/// ```
/// use equisim::report::ellipsized;
/// assert_eq!(ellipsized("Acme Robotics Series B", 10), "Acme Robo…");
/// assert_eq!(ellipsized("Acme", 10), "Acme");
/// ```
pub fn ellipsized(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut = cut.trim_end().to_string();
    cut.push('…');
    cut
}

/// Both offers side by side, the comparison and the company's outcomes.
pub fn summary_table(scenario: &Scenario, out: &Outputs) -> String {
    let cur = scenario.currency.as_str();
    let m = |v: f64| format_money(v, cur);
    let sim = &scenario.simulation;
    let mut s = String::new();
    let _ = writeln!(s, "{}", scenario.name);
    let ill = match scenario.employee.illiquidity {
        Illiquidity::Flat { discount } => format!("flat {}", format_percent(discount)),
        other => other.method_name().to_string(),
    };
    let _ = writeln!(
        s,
        "{}, seed {}, window {}, horizon {}, discount rate {}, illiquidity {}, risk aversion {}{}",
        count_of(sim.paths, "path"),
        sim.seed,
        years(sim.window_years),
        years(sim.horizon_years),
        format_rate(sim.discount_rate),
        ill,
        scenario.employee.risk_aversion,
        match sim.measure {
            Measure::RealWorld => "",
            Measure::RiskNeutral => ", risk-neutral (both drifts at the discount rate)",
        }
    );
    if let Some(t) = &scenario.tax {
        let _ = writeln!(
            s,
            "Every figure after tax: preset {}, {} taxed as {}, {} as {}",
            t.preset.name(),
            scenario.offer.label,
            scenario.offer.equity.tax_treatment.name(),
            scenario.alternative.label,
            scenario.alternative.equity.tax_treatment.name()
        );
    }
    if let Some(e) = &scenario.ensemble {
        let _ = writeln!(
            s,
            "Every figure pools {} of {} ({}): the spread includes theirs",
            count_of(e.draws.len() as u64, "draw"),
            count_of(scenario.uncertainty.len() as u64, "uncertain assumption"),
            scenario
                .uncertainty
                .iter()
                .map(|u| u.parameter.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(s);

    let (o, a) = (&out.offer, &out.alternative);
    let w = 40usize;
    let col = 22usize;
    let row = |s: &mut String, name: &str, x: String, y: String| {
        let _ = writeln!(s, "{name:<w$}{x:>col$}{y:>col$}");
    };
    // A label wider than its column is cut with an ellipsis, so that it
    // never runs into the next column's.
    row(
        &mut s,
        "",
        ellipsized(&o.label, col - 2),
        ellipsized(&a.label, col - 2),
    );
    row(
        &mut s,
        "Paper value per year",
        m(o.paper_value_per_year),
        m(a.paper_value_per_year),
    );
    row(
        &mut s,
        "Expected PV per year",
        m(o.expected_value_per_year),
        m(a.expected_value_per_year),
    );
    let after_tax = if scenario.tax.is_some() {
        ", after tax"
    } else {
        ""
    };
    let _ = writeln!(s, "Total PV over {}{after_tax}", years(sim.window_years));
    summary_rows(&mut s, &row, o, a, |x| &x.total, cur);
    for t in &out.thresholds {
        row(
            &mut s,
            &format!("  P(total ≥ {})", m(t.amount)),
            format_percent(t.p_offer),
            format_percent(t.p_alternative),
        );
    }
    let _ = writeln!(s, "Equity PV{after_tax}");
    summary_rows(&mut s, &row, o, a, |x| &x.equity, cur);
    // The three shares, named as everywhere else.
    let share = |f: fn(&EquityShares) -> f64| {
        o.equity_shares
            .as_ref()
            .map_or("-".into(), |e| format_percent(f(e)))
    };
    row(
        &mut s,
        "  P(pays nothing)",
        share(|e| e.p_equity_pays_nothing),
        "-".into(),
    );
    row(
        &mut s,
        "  P(loses money)",
        share(|e| e.p_equity_loses_money),
        "-".into(),
    );
    row(
        &mut s,
        "  P(no gain)",
        share(|e| e.p_equity_no_gain),
        "-".into(),
    );
    if let Some(e) = &o.exercise_on_leaving {
        row(
            &mut s,
            "  leavers who paid to exercise",
            format_percent(e.p_leavers_exercised),
            "-".into(),
        );
        row(
            &mut s,
            "  mean cash they paid (PV)",
            e.mean_cash_paid.map_or("-".into(), m),
            "-".into(),
        );
    }
    if let Some(t) = &out.taxes {
        let _ = writeln!(s, "Taxes paid (mean PV)");
        let (x, y) = (&t.offer, &t.alternative);
        let dash_if_zero = |v: f64| if v == 0.0 { "-".to_string() } else { m(v) };
        row(&mut s, "  on cash pay", m(x.pay), m(y.pay));
        row(
            &mut s,
            "  on equity as income",
            m(x.equity_income),
            m(y.equity_income),
        );
        row(
            &mut s,
            "  on capital gains",
            dash_if_zero(x.capital_gains),
            "-".into(),
        );
        if x.at_exercise > 0.0 || x.amt_credit > 0.0 {
            row(
                &mut s,
                "  in cash at exercise on leaving",
                m(x.at_exercise),
                "-".into(),
            );
            row(
                &mut s,
                "  AMT credited back at the sale",
                dash_if_zero(x.amt_credit),
                "-".into(),
            );
        }
        row(&mut s, "  total", m(x.total), m(y.total));
    }
    let _ = writeln!(s);

    let c = &out.comparison;
    let se_p = (c.p_offer_beats_alternative * (1.0 - c.p_offer_beats_alternative)
        / sim.paths as f64)
        .sqrt();
    let _ = writeln!(s, "Path by path ({} − {})", o.label, a.label);
    let line = |s: &mut String, name: &str, value: String| {
        let _ = writeln!(s, "{name:<w$}{value:>col$}");
    };
    line(
        &mut s,
        &format!("  P({} is worth more)", ellipsized(&o.label, w - 20)),
        format!(
            "{} ± {:.2}%",
            format_percent(c.p_offer_beats_alternative),
            se_p * 100.0
        ),
    );
    line(
        &mut s,
        "  mean difference ± standard error",
        format!(
            "{} ± {}",
            m(c.mean_difference),
            m(c.mean_difference_std_error)
        ),
    );
    let d = &c.difference_percentiles;
    line(
        &mut s,
        "  difference P10 / median / P90",
        format!("{} / {} / {}", m(d.p10), m(d.p50), m(d.p90)),
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "You (the same on both offers)");
    line(
        &mut s,
        &format!("  P(leaves before {})", years(sim.window_years)),
        format_percent(out.person.p_left_early),
    );
    line(
        &mut s,
        "  mean years employed",
        format!("{:.2}", out.person.mean_employed_years),
    );
    let _ = writeln!(s);

    let co = &out.company;
    let _ = writeln!(
        s,
        "Company outcomes: IPO {}, acquisition {}, failure {}, private at horizon {}",
        format_percent(co.outcomes.ipo),
        format_percent(co.outcomes.acquisition),
        format_percent(co.outcomes.failure),
        format_percent(co.outcomes.private)
    );
    match co.median_time_to_liquidity {
        Some(t) => {
            let _ = writeln!(
                s,
                "Median time to liquidity (IPO and acquisition paths): {t:.2} years"
            );
        }
        None => {
            let _ = writeln!(
                s,
                "Median time to liquidity: no IPO or acquisition on any path"
            );
        }
    }
    if let Some(p) = &co.exit_multiple_percentiles {
        let _ = writeln!(
            s,
            "Value at exit / today's valuation (growth included): P5 {:.2}, P25 {:.2}, median {:.2}, P75 {:.2}, P95 {:.2}",
            p.p5, p.p25, p.p50, p.p75, p.p95
        );
    }
    if let Some(t) = &co.tenders {
        let _ = writeln!(
            s,
            "Tender offers: a sale on {} of paths, mean tender proceeds {} (PV, part of the equity)",
            format_percent(t.p_sold_in_tender),
            m(t.mean_tender_proceeds)
        );
    }
    for w in &out.warnings {
        let _ = writeln!(s, "note: {w}");
    }
    s
}

fn summary_rows(
    s: &mut String,
    row: &impl Fn(&mut String, &str, String, String),
    o: &OfferOutputs,
    a: &OfferOutputs,
    pick: impl Fn(&OfferOutputs) -> &Summary,
    cur: &str,
) {
    let m = |v: f64| format_money(v, cur);
    let (x, y) = (pick(o), pick(a));
    let mean = |v: &Summary| format!("{} ± {}", m(v.mean), m(v.std_error));
    row(s, "  mean ± standard error", mean(x), mean(y));
    row(s, "  median", m(x.percentiles.p50), m(y.percentiles.p50));
    row(s, "  P10", m(x.percentiles.p10), m(y.percentiles.p10));
    row(s, "  P5", m(x.percentiles.p5), m(y.percentiles.p5));
    row(
        s,
        "  expected shortfall (worst 10%)",
        m(x.expected_shortfall_10),
        m(y.expected_shortfall_10),
    );
    let ce = |v: &Summary| v.certainty_equivalent.map_or("n/a".into(), m);
    row(s, "  certainty equivalent", ce(x), ce(y));
}
