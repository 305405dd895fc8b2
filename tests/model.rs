//! The engine against closed forms of the model, within Monte Carlo error.
//!
//! Each check (in `common/closed_form.rs`) compares a sample mean with its
//! exact expectation; here it fails beyond 4 standard errors (a false alarm
//! about once in 16,000 runs of a comparison; the seed is fixed, so a run
//! is reproducible either way). `self_test.rs` runs the same checks at
//! several seeds.

use crate::common::closed_form::{self, Check};

const PATHS: u64 = 200_000;
const SEED: u64 = 11;

fn check(f: Check) {
    for comparison in f(PATHS, SEED) {
        comparison.check(4.0);
    }
}

#[test]
fn public_rsus_without_attrition() {
    check(closed_form::public_rsus_without_attrition);
}

#[test]
fn public_rsus_with_attrition_and_a_refresh() {
    check(closed_form::public_rsus_with_attrition_and_a_refresh);
}

#[test]
fn pay_after_leaving() {
    check(closed_form::pay_after_leaving);
}

#[test]
fn risk_neutral_rsus() {
    check(closed_form::risk_neutral_rsus);
}

#[test]
fn risk_neutral_private_value() {
    check(closed_form::risk_neutral_private_value);
}

#[test]
fn repeating_public_refresh() {
    check(closed_form::repeating_public_refresh);
}

#[test]
fn weighted_public_rsus() {
    check(closed_form::weighted_public_rsus);
}

#[test]
fn cash_pay_with_attrition() {
    check(closed_form::cash_pay_with_attrition);
}

/// Volatility 0, no dilution, no discounting, a near-certain IPO: the
/// private equity is the same number on every path.
#[test]
fn deterministic_private_value() {
    check(closed_form::deterministic_private_value);
}

#[test]
fn acquisition_pays_common_after_preferences() {
    check(closed_form::acquisition_pays_common_after_preferences);
}

#[test]
fn exit_type_shares() {
    check(closed_form::exit_type_shares);
}

#[test]
fn mean_dilution_factor() {
    check(closed_form::mean_dilution_factor);
}

#[test]
fn options_exercised_on_departure_or_forfeited() {
    check(closed_form::options_exercised_on_departure_or_forfeited);
}

#[test]
fn exercise_cost_lost_on_failure() {
    check(closed_form::exercise_cost_lost_on_failure);
}

#[test]
fn acceleration_on_acquisition() {
    check(closed_form::acceleration_on_acquisition);
}

#[test]
fn finnerty_discount_at_the_horizon() {
    check(closed_form::finnerty_discount_at_the_horizon);
}

#[test]
fn private_refresh_priced_at_simulated_value() {
    check(closed_form::private_refresh_priced_at_simulated_value);
}

/// Every check in the shared list has a test above.
#[test]
fn every_closed_form_is_checked() {
    assert_eq!(closed_form::ALL.len(), 17);
}
