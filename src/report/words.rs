//! The words about results, in one place: how criteria and levers are
//! named, lists in running text, and why a floor is out of reach, at the
//! length of a report's sentence and of a chart's note.

use crate::decisions::{Floor, Unreachable};
use crate::format::{format_money, format_percent};
use crate::scenario::{Criterion, Scenario, SolveFor};
use std::fmt::Write;

/// A criterion as people say it: "mean", "median", "P10", "certainty
/// equivalent".
pub fn criterion_name(c: Criterion) -> String {
    match c {
        Criterion::Mean => "mean".into(),
        Criterion::Median => "median".into(),
        Criterion::Percentile(p) => format!("P{p}"),
        Criterion::CertaintyEquivalent => "certainty equivalent".into(),
        Criterion::Beats(n) => format!("beats-{n}%"),
    }
}

/// The lever as people say it: "grant", "base".
pub fn lever_name(s: SolveFor) -> &'static str {
    match s {
        SolveFor::Grant => "grant",
        SolveFor::Base => "base",
    }
}

/// `"the median, P10 and certainty equivalent"`: items joined with commas
/// and `conjunction` before the last.
///
/// ```
/// use equisim::report::words::list;
/// let names = ["mean".to_string(), "P10".into(), "median".into()];
/// assert_eq!(list(&names, "or"), "mean, P10 or median");
/// ```
pub fn list(names: &[String], conjunction: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// Why a floor is unreachable, in a sentence for the `floor` report and
/// `summary.json`.
pub fn why_unreachable(floor: &Floor, scenario: &Scenario) -> Option<String> {
    let why = floor.unreachable.as_ref()?;
    let m = |v: f64| format_money(v, &scenario.currency);
    let lever = lever_name(floor.solve_for);
    let name = criterion_name(floor.criterion);
    let target = floor.target.map_or("n/a".to_string(), m);
    // A peak and the target it stays below, never printed as the same amount.
    let apart = |peak: f64, target: Option<f64>| match target {
        Some(t) => crate::format::format_money_apart(peak, t, &scenario.currency),
        None => (m(peak), "n/a".to_string()),
    };
    let grant_lever = floor.solve_for == SolveFor::Grant;
    let text = match why {
        Unreachable::TargetUndefined => format!(
            "the alternative's {name} is undefined: on some paths outside wealth plus its value is not \
             positive; raise employee.outside_wealth"
        ),
        Unreachable::MeanDoesNotRise { per_unit } => format!(
            "a larger {lever} does not raise the mean: each extra 1 of {lever} changes the offer's \
             mean by {per_unit:.3}{}",
            if grant_lever {
                " (exercise costs paid in cash on departure outweigh what the shares pay)"
            } else {
                ""
            }
        ),
        Unreachable::BeatsPinned {
            needed_share,
            best_share,
            best_at,
            decreasing_share,
        } => {
            let falling = if *decreasing_share > 0.0 && grant_lever {
                format!(
                    "; on {} of paths a larger grant lowers the total",
                    format_percent(*decreasing_share)
                )
            } else {
                String::new()
            };
            format!(
                "the offer needs to be worth at least the alternative on {} of paths at once, and no {lever} \
                 gets it there on more than {} (at a {lever} of {}){falling}",
                format_percent(*needed_share),
                format_percent(*best_share),
                m(*best_at)
            )
        }
        Unreachable::PercentilePinned {
            needed_share,
            best_share,
            best_at,
            flat_share,
            decreasing_share,
            limit,
        } => {
            let mut causes = Vec::new();
            if *flat_share > 0.0 {
                causes.push(if grant_lever {
                    format!(
                        "on {} of paths the grant changes nothing (the company fails, the person \
                         leaves before anything vests, or the options end under water)",
                        format_percent(*flat_share)
                    )
                } else {
                    format!(
                        "on {} of paths the base does not change the total",
                        format_percent(*flat_share)
                    )
                });
            }
            if *decreasing_share > 0.0 && grant_lever {
                causes.push(format!(
                    "on {} a larger grant lowers the total (the strike is paid in cash on departure \
                     and the shares then pay less than it)",
                    format_percent(*decreasing_share)
                ));
            }
            let causes = if causes.is_empty() {
                String::new()
            } else {
                format!(": {}", causes.join(", and "))
            };
            let rising = (1.0 - flat_share - decreasing_share).max(0.0);
            match limit {
                Some(l) if l.is_finite() && grant_lever => format!(
                    "however large the grant, the {name} tends to {}{causes}; only {} of paths gain from a \
                     larger grant, fewer than the {} the {name} needs at or above the alternative's {target}",
                    m(*l),
                    format_percent(rising),
                    format_percent(*needed_share)
                ),
                _ => {
                    // Where the best is reached, unless only at an absurd size.
                    let at = if *best_at <= 100.0 * floor.current.max(1.0) {
                        format!(" (at a {lever} of {})", m(*best_at))
                    } else {
                        String::new()
                    };
                    let ceiling = match limit {
                        Some(l) if l.is_finite() => {
                            format!("; however large the {lever}, the {name} tends to {}", m(*l))
                        }
                        None => {
                            format!("; a large enough {lever} drags the {name} down without bound")
                        }
                        _ => String::new(),
                    };
                    format!(
                        "the {name} needs {} of paths at or above the alternative's {target} at once, and \
                         no {lever} gets more than {} there{at}{causes}{ceiling}",
                        format_percent(*needed_share),
                        format_percent(*best_share),
                    )
                }
            }
        }
        Unreachable::CertaintyEquivalentPeaks {
            peak_value,
            peak_at,
            ruin_at,
        } => {
            let (peak, target) = apart(*peak_value, floor.target);
            let mut s = format!(
                "the certainty equivalent peaks at {peak} with a {lever} of {}, below the \
                 alternative's {target}, and falls beyond it",
                m(*peak_at)
            );
            if grant_lever {
                let _ = write!(
                    s,
                    ": a larger grant raises the strike paid in cash on departure, which outside wealth \
                     of {} cannot absorb on the paths where the shares then pay nothing",
                    m(scenario.employee.outside_wealth)
                );
            }
            if let Some(r) = ruin_at {
                let _ = write!(
                    s,
                    " (from a {lever} of {} the worst path's wealth is gone)",
                    m(*r)
                );
            }
            s
        }
        Unreachable::CertaintyEquivalentBounded { limit, flat_share } => format!(
            "however large the {lever}, the certainty equivalent stays below {}, under the alternative's \
             {target}: on {} of paths the total does not change whatever the {lever}, and risk aversion {} \
             weighs those paths heavily",
            m(*limit),
            format_percent(*flat_share),
            scenario.employee.risk_aversion
        ),
        Unreachable::CertaintyEquivalentUndefined { share } => format!(
            "the certainty equivalent is undefined whatever the {lever}: on {} of paths outside wealth \
             plus the offer's value is not positive; raise employee.outside_wealth",
            format_percent(*share)
        ),
    };
    Some(text)
}

/// Why a floor is unreachable, as a clause short enough for a chart's
/// notes ([`why_unreachable`] is the long form).
pub fn why_unreachable_briefly(floor: &Floor, alt: &str, cur: &str) -> Option<String> {
    let m = |v: f64| format_money(v, cur);
    let lever = lever_name(floor.solve_for);
    let what = criterion_name(floor.criterion);
    let target = floor.target.map_or("n/a".to_string(), m);
    // A peak and the target it stays below, never printed as the same amount.
    let apart = |peak: f64, target: Option<f64>| match target {
        Some(t) => crate::format::format_money_apart(peak, t, cur),
        None => (m(peak), "n/a".to_string()),
    };
    Some(match floor.unreachable.as_ref()? {
        Unreachable::TargetUndefined => {
            format!("{alt}'s {what} is undefined (wealth not positive on some paths)")
        }
        Unreachable::MeanDoesNotRise { .. } => format!("a larger {lever} lowers the mean"),
        Unreachable::BeatsPinned {
            needed_share,
            best_share,
            ..
        } => format!(
            "the offer needs to be worth at least {alt}'s on {} of paths and gets at most {}",
            format_percent(*needed_share),
            format_percent(*best_share)
        ),
        Unreachable::PercentilePinned {
            needed_share,
            best_share,
            ..
        } => format!(
            "the {what} needs {} of paths at or above {target} and gets at most {}",
            format_percent(*needed_share),
            format_percent(*best_share)
        ),
        Unreachable::CertaintyEquivalentPeaks {
            peak_value,
            peak_at,
            ..
        } => {
            let (peak, target) = apart(*peak_value, floor.target);
            format!(
                "the {what} peaks at {peak} (at a {lever} of {}), below {target}",
                m(*peak_at)
            )
        }
        Unreachable::CertaintyEquivalentBounded { limit, .. } => {
            format!("the {what} stays below {}, under {target}", m(*limit))
        }
        Unreachable::CertaintyEquivalentUndefined { share } => format!(
            "the {what} is undefined (wealth not positive on {} of paths whatever the {lever})",
            format_percent(*share)
        ),
    })
}

/// `words` with its first letter in upper case, for a label that starts
/// a line.
///
/// ```
/// assert_eq!(equisim::report::words::capitalized("the mean floor"), "The mean floor");
/// ```
pub fn capitalized(words: &str) -> String {
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A criterion's value as people read it: a share of paths for `beatsNN`,
/// money for the others.
pub fn criterion_amount(criterion: Criterion, value: Option<f64>, currency: &str) -> String {
    match (criterion, value) {
        (_, None) => "n/a".into(),
        (Criterion::Beats(_), Some(share)) => format_percent(share),
        (_, Some(v)) => format_money(v, currency),
    }
}
