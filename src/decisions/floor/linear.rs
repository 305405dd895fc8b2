//! Per-path totals as a linear function of one lever.

use super::*;

/// Per-path totals as a linear function of one lever `ℓ` (a grant or a
/// base, in the scenario's currency): `X_i(ℓ) = intercept_i + ℓ · slope_i`.
///
/// Either part may be borrowed from the stored floor terms (a slope always
/// is), so a lever costs one vector, not two.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinearPaths<'a> {
    pub intercept: Cow<'a, [f64]>,
    pub slope: Cow<'a, [f64]>,
}

impl LinearPaths<'_> {
    /// Number of paths.
    pub fn len(&self) -> usize {
        self.intercept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.intercept.is_empty()
    }

    /// Every path's total at lever value `lever`.
    pub fn at(&self, lever: f64) -> Vec<f64> {
        self.intercept
            .par_iter()
            .zip(&self.slope[..])
            .map(|(a, s)| a + lever * s)
            .collect()
    }
}
