//! `[tax]` resolved: a preset's rates, then the file's, each checked; and
//! each offer's `tax_treatment` checked against its instrument (tax.md).
//!
//! The presets are data, `presets/*.toml`, in the same form as a `[tax]`
//! table, each rate commented with its source and the income it assumes.

use super::{Allowed, Check, check};
use crate::error::ScenarioError;
use crate::scenario::defaults;
use crate::scenario::range::Range;
use crate::scenario::raw::RawTax;
use crate::scenario::types::{Instrument, Tax, TaxPreset, TaxRates, TaxTreatment};

/// The preset files, as shipped in the binary.
const FR_2026: &str = include_str!("presets/fr-2026.toml");
const US_NY_2026: &str = include_str!("presets/us-ny-2026.toml");
const US_CA_2026: &str = include_str!("presets/us-ca-2026.toml");

/// The text of a preset's file (`None` for `"none"`).
pub fn preset_text(preset: TaxPreset) -> Option<&'static str> {
    match preset {
        TaxPreset::Fr2026 => Some(FR_2026),
        TaxPreset::UsNy2026 => Some(US_NY_2026),
        TaxPreset::UsCa2026 => Some(US_CA_2026),
        TaxPreset::None => None,
    }
}

/// A preset's rates. The files ship with the binary and a unit test reads
/// each, so a failure here is a defect of the build, reported as one.
fn preset_rates(preset: TaxPreset) -> Check<RawTax> {
    let Some(text) = preset_text(preset) else {
        return Ok(RawTax::default());
    };
    toml::from_str(text).map_err(|e| {
        ScenarioError::invalid(
            "tax.preset",
            format!("\"{}\"", preset.name()),
            &format!("a preset that reads (its shipped file does not: {e})"),
        )
    })
}

const RATE: Allowed = Allowed::within(Range::right_open(0.0, 1.0));
const YEARS: Allowed = Allowed::within_in(Range::closed(0.0, 100.0), " years");

/// `[tax]`: the preset's rates, overridden by any the file gives.
pub fn tax(raw: RawTax) -> Check<Tax> {
    let preset = raw.preset.unwrap_or(TaxPreset::None);
    let base = preset_rates(preset)?;
    let none = TaxRates::NONE;
    let rate =
        |name: &str, file: Option<f64>, preset: Option<f64>, default: f64, allowed: Allowed| {
            let path = format!("tax.{name}");
            let v = file.or(preset).unwrap_or(default);
            check(&path, v, allowed)?;
            Ok::<f64, ScenarioError>(v)
        };
    Ok(Tax {
        preset,
        rates: TaxRates {
            pay: rate("pay", raw.pay, base.pay, none.pay, RATE)?,
            ordinary: rate("ordinary", raw.ordinary, base.ordinary, none.ordinary, RATE)?,
            qualified_spread: rate(
                "qualified_spread",
                raw.qualified_spread,
                base.qualified_spread,
                none.qualified_spread,
                RATE,
            )?,
            capital_gain: rate(
                "capital_gain",
                raw.capital_gain,
                base.capital_gain,
                none.capital_gain,
                RATE,
            )?,
            short_gain: rate(
                "short_gain",
                raw.short_gain,
                base.short_gain,
                none.short_gain,
                RATE,
            )?,
            long_term_years: rate(
                "long_term_years",
                raw.long_term_years,
                base.long_term_years,
                none.long_term_years,
                YEARS,
            )?,
            amt: rate("amt", raw.amt, base.amt, none.amt, RATE)?,
            bspce: rate("bspce", raw.bspce, base.bspce, none.bspce, RATE)?,
            bspce_short: rate(
                "bspce_short",
                raw.bspce_short,
                base.bspce_short,
                none.bspce_short,
                RATE,
            )?,
            bspce_seniority_years: rate(
                "bspce_seniority_years",
                raw.bspce_seniority_years,
                base.bspce_seniority_years,
                defaults::tax::BSPCE_SENIORITY_YEARS,
                YEARS,
            )?,
            free_shares: rate(
                "free_shares",
                raw.free_shares,
                base.free_shares,
                none.free_shares,
                RATE,
            )?,
        },
    })
}

/// `offer.equity.tax_treatment`: `rsu` for RSUs; `nso`, `iso`, `bspce` or
/// `qualified_options` for options (default `nso`).
pub fn offer_treatment(raw: Option<TaxTreatment>, instrument: Instrument) -> Check<TaxTreatment> {
    const PATH: &str = "offer.equity.tax_treatment";
    let Some(t) = raw else {
        return Ok(match instrument {
            Instrument::Rsu => TaxTreatment::Rsu,
            Instrument::Options => TaxTreatment::Nso,
        });
    };
    let fits = match instrument {
        Instrument::Rsu => t == TaxTreatment::Rsu,
        Instrument::Options => matches!(
            t,
            TaxTreatment::Nso
                | TaxTreatment::Iso
                | TaxTreatment::Bspce
                | TaxTreatment::QualifiedOptions
        ),
    };
    if fits {
        return Ok(t);
    }
    let allowed = match instrument {
        Instrument::Rsu => {
            "\"rsu\" for instrument = \"rsu\" (the option treatments need instrument = \"options\")"
        }
        Instrument::Options => {
            "one of \"nso\", \"iso\", \"bspce\", \"qualified_options\" for instrument = \"options\""
        }
    };
    Err(ScenarioError::invalid(
        PATH,
        format!("\"{}\"", t.name()),
        allowed,
    ))
}

/// `alternative.equity.tax_treatment`: `rsu` (default) or `free_shares`.
pub fn alternative_treatment(raw: Option<TaxTreatment>) -> Check<TaxTreatment> {
    match raw {
        None | Some(TaxTreatment::Rsu) => Ok(TaxTreatment::Rsu),
        Some(TaxTreatment::FreeShares) => Ok(TaxTreatment::FreeShares),
        Some(t) => Err(ScenarioError::invalid(
            "alternative.equity.tax_treatment",
            format!("\"{}\"", t.name()),
            "\"rsu\" or \"free_shares\" (the public offer's RSUs)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped preset reads, and every rate it sets is allowed.
    #[test]
    fn every_preset_reads_and_is_valid() {
        for preset in [TaxPreset::Fr2026, TaxPreset::UsNy2026, TaxPreset::UsCa2026] {
            let raw: RawTax = toml::from_str(preset_text(preset).unwrap()).unwrap();
            assert!(raw.preset.is_none(), "{}", preset.name());
            let t = tax(RawTax {
                preset: Some(preset),
                ..RawTax::default()
            })
            .unwrap();
            assert_eq!(t.rates.pay, raw.pay.unwrap(), "{}", preset.name());
            assert!(raw.capital_gain.is_some() && raw.free_shares.is_some());
        }
    }

    #[test]
    fn a_file_rate_overrides_the_preset() {
        let t = tax(RawTax {
            preset: Some(TaxPreset::Fr2026),
            capital_gain: Some(0.3),
            ..RawTax::default()
        })
        .unwrap();
        assert_eq!(t.rates.capital_gain, 0.3);
        assert_eq!(t.rates.bspce_short, 0.486);
        let e = tax(RawTax {
            pay: Some(1.0),
            ..RawTax::default()
        })
        .unwrap_err()
        .to_string();
        assert_eq!(e, "1 is not allowed: tax.pay must be in [0, 1)");
    }
}
