//! Ranges of allowed values that check a value and say, in the message
//! that refuses it, what they allow.

use std::fmt;

/// An interval of real numbers, each end open or closed, finite or not.
/// A value outside it, or one that is not finite, is refused.
///
/// ```
/// use equisim::scenario::range::Range;
/// let r = Range::closed(0.0, 3.0);
/// assert!(r.contains(0.6) && !r.contains(3.5) && !r.contains(f64::NAN));
/// assert_eq!(r.to_string(), "from 0 to 3");
/// assert_eq!(Range::left_open(0.0, 100.0).to_string(), "more than 0 and at most 100");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub low: f64,
    pub high: f64,
    /// Whether `low` itself is allowed.
    pub low_included: bool,
    /// Whether `high` itself is allowed.
    pub high_included: bool,
}

impl Range {
    /// `[low, high]`.
    pub const fn closed(low: f64, high: f64) -> Range {
        Range {
            low,
            high,
            low_included: true,
            high_included: true,
        }
    }

    /// `(low, high]`.
    pub const fn left_open(low: f64, high: f64) -> Range {
        Range {
            low,
            high,
            low_included: false,
            high_included: true,
        }
    }

    /// `[low, high)`.
    pub const fn right_open(low: f64, high: f64) -> Range {
        Range {
            low,
            high,
            low_included: true,
            high_included: false,
        }
    }

    /// `(low, high)`.
    pub const fn open(low: f64, high: f64) -> Range {
        Range {
            low,
            high,
            low_included: false,
            high_included: false,
        }
    }

    /// The interval in brackets: `[0, 1)`, `(0, 100]`.
    pub fn interval(&self) -> String {
        format!(
            "{}{}, {}{}",
            if self.low_included { '[' } else { '(' },
            super::fmt_value(self.low),
            super::fmt_value(self.high),
            if self.high_included { ']' } else { ')' }
        )
    }

    /// Whether `value` is finite and inside.
    pub fn contains(&self, value: f64) -> bool {
        let above = if self.low_included {
            value >= self.low
        } else {
            value > self.low
        };
        let below = if self.high_included {
            value <= self.high
        } else {
            value < self.high
        };
        value.is_finite() && above && below
    }
}

impl fmt::Display for Range {
    /// The range in words: `from 0 to 3`, `more than 0 and at most 100`,
    /// `at least 0 and less than 1`, `more than 0 and less than 1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lo, hi) = (super::fmt_value(self.low), super::fmt_value(self.high));
        match (self.low_included, self.high_included) {
            (true, true) => write!(f, "from {lo} to {hi}"),
            (false, true) => write!(f, "more than {lo} and at most {hi}"),
            (true, false) => write!(f, "at least {lo} and less than {hi}"),
            (false, false) => write!(f, "more than {lo} and less than {hi}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_are_included_as_asked() {
        let r = Range::left_open(0.0, 1.0);
        assert!(!r.contains(0.0) && r.contains(1e-300) && r.contains(1.0));
        let r = Range::right_open(0.0, 1.0);
        assert!(r.contains(0.0) && !r.contains(1.0));
        assert!(!Range::closed(0.0, f64::INFINITY).contains(f64::INFINITY));
        assert_eq!(r.to_string(), "at least 0 and less than 1");
        assert_eq!(r.interval(), "[0, 1)");
        assert_eq!(Range::open(-1.0, 0.5).interval(), "(-1, 0.5)");
    }
}
