//! `equisim dlom`: a discount for lack of marketability from one of three
//! closed forms ([`crate::model::illiquidity`]).

use crate::error::Error;
use crate::model::illiquidity;
use crate::scenario::defaults;
use crate::scenario::range::Range;

/// The closed forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Finnerty (2012): average-strike put.
    Finnerty,
    /// Chaffe (1993): at-the-money Black-Scholes put.
    Chaffe,
    /// Longstaff (1995): lookback upper bound.
    Longstaff,
}

impl Method {
    /// The method's name and reference, as printed.
    pub fn title(self) -> &'static str {
        match self {
            Method::Finnerty => "Finnerty (2012) average-strike put",
            Method::Chaffe => "Chaffe (1993) at-the-money put",
            Method::Longstaff => "Longstaff (1995) lookback upper bound",
        }
    }

    /// Whether the method uses the risk-free rate.
    pub fn uses_rate(self) -> bool {
        self == Method::Chaffe
    }
}

/// The annual volatility of the equity.
pub const VOLATILITY: Range = Range::closed(0.0, 3.0);
/// Years until the holding can be sold.
pub const YEARS: Range = Range::left_open(0.0, 100.0);
/// The continuous risk-free rate.
pub const RATE: Range = Range::closed(0.0, 0.5);

/// What `equisim dlom` is asked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request {
    pub method: Method,
    pub volatility: f64,
    pub years: f64,
    /// `None`: [`defaults::DISCOUNT_RATE`].
    pub rate: Option<f64>,
}

/// The discount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// As a share of the marketable value (0.3 = 30%).
    pub discount: f64,
    /// The rate used, for a method that uses one.
    pub rate_used: Option<f64>,
    /// A rate was given to a method that does not use it.
    pub rate_ignored: bool,
}

/// The discount of `request.method`.
///
/// # Errors
///
/// [`Error::OutOfRange`] for a volatility outside [`VOLATILITY`], years
/// outside [`YEARS`], or a rate outside [`RATE`].
pub fn dlom(request: &Request) -> Result<Outcome, Error> {
    let check = |quantity: &'static str, value: f64, range: Range, what: &str| {
        if range.contains(value) {
            Ok(value)
        } else {
            Err(Error::OutOfRange {
                quantity,
                value,
                allowed: format!("{what} {range}"),
            })
        }
    };
    let sigma = check(
        "volatility",
        request.volatility,
        VOLATILITY,
        "an annual volatility",
    )?;
    let years = check("years", request.years, YEARS, "years until the sale,")?;
    if let Some(rate) = request.rate {
        check("rate", rate, RATE, "a continuous risk-free rate")?;
    }
    let rate = request.rate.unwrap_or(defaults::DISCOUNT_RATE);
    let discount = match request.method {
        Method::Finnerty => illiquidity::finnerty(sigma, years),
        Method::Chaffe => illiquidity::chaffe(sigma, years, rate),
        Method::Longstaff => illiquidity::longstaff(sigma, years),
    };
    Ok(Outcome {
        discount,
        rate_used: request.method.uses_rate().then_some(rate),
        rate_ignored: request.rate.is_some() && !request.method.uses_rate(),
    })
}
