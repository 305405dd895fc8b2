//! Exact Beta sampling as a ratio of gammas, for funding-round dilution.
//!
//! If `X ~ Gamma(α, 1)` and `Y ~ Gamma(β, 1)` are independent, then
//! `X / (X + Y) ~ Beta(α, β)` exactly. A gamma of shape `k ≥ 1` is drawn by
//! Marsaglia and Tsang's method (as rand_distr's `Gamma`): a normal, a
//! uniform and a few products, with logarithms only on the one draw in ten
//! that the squeeze test does not settle. That is faster than Cheng's
//! algorithm (rand_distr's `Beta`: a logarithm and an exponential on every
//! draw) for the shapes of typical rounds (`α ≈ 10`, `β ≈ 90`).

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, Open01, StandardNormal};

/// `Gamma(k, 1)` for `k ≥ 1` by Marsaglia and Tsang's method (2000): with
/// `d = k - 1/3`, `c = 1 / √(9d)`, a normal `x` and `v = (1 + c x)³ > 0`,
/// `d v` is accepted when `ln u < x²/2 + d (1 - v + ln v)` for a uniform
/// `u`, else drawn again. The squeeze `u < 1 - 0.0331 x⁴` (below the right
/// side's exponential) settles about 90% of draws without a logarithm.
/// The steps of rand_distr's `Gamma` for `k > 1`, inlined into the hot loop
/// (which rand_distr's are not).
#[derive(Debug, Clone, Copy)]
struct MarsagliaTsang {
    d: f64,
    c: f64,
}

impl MarsagliaTsang {
    fn new(k: f64) -> MarsagliaTsang {
        let d = k - 1.0 / 3.0;
        MarsagliaTsang {
            d,
            c: 1.0 / (9.0 * d).sqrt(),
        }
    }

    #[inline(always)]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        loop {
            let x: f64 = StandardNormal.sample(rng);
            let cube_root = 1.0 + self.c * x;
            if cube_root <= 0.0 {
                continue;
            }
            let v = cube_root * cube_root * cube_root;
            let u: f64 = rng.sample(Open01);
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + self.d * (1.0 - v + v.ln()) {
                return self.d * v;
            }
        }
    }
}

/// One of the two gammas, drawn so that small shapes cannot underflow.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// `k ≥ 1`: `Gamma(k)` drawn directly.
    Large(MarsagliaTsang),
    /// `k < 1`: `Gamma(k) = Gamma(k + 1) · U^{1/k}` (Stuart's theorem),
    /// kept as its logarithm `ln Gamma(k + 1) - E / k` with `E = -ln U`
    /// a standard exponential. `U^{1/k}` underflows to 0 for tiny `k`
    /// (near-degenerate dilutions, `α, β ~ 1e-8`), which would make
    /// `X / (X + Y)` a `0 / 0`; its logarithm does not.
    Small {
        plus_one: MarsagliaTsang,
        inv_shape: f64,
    },
}

impl Shape {
    fn new(k: f64) -> Option<Shape> {
        if !(k > 0.0 && k.is_finite()) {
            return None;
        }
        Some(if k >= 1.0 {
            Shape::Large(MarsagliaTsang::new(k))
        } else {
            Shape::Small {
                plus_one: MarsagliaTsang::new(k + 1.0),
                inv_shape: 1.0 / k,
            }
        })
    }

    /// `ln G`, `G ~ Gamma(k)`.
    fn sample_ln<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Shape::Large(g) => g.sample(rng).ln(),
            Shape::Small {
                plus_one,
                inv_shape,
            } => {
                let g = plus_one.sample(rng);
                let e: f64 = Exp1.sample(rng);
                g.ln() - e * inv_shape
            }
        }
    }
}

/// `Beta(α, β)` as `X / (X + Y)`, `X ~ Gamma(α)`, `Y ~ Gamma(β)`: `X` is
/// drawn first, then `Y`, from the same generator.
#[derive(Debug, Clone, Copy)]
pub struct GammaRatioBeta {
    x: Shape,
    y: Shape,
}

impl GammaRatioBeta {
    /// `None` unless both shapes are positive and finite.
    pub fn new(alpha: f64, beta: f64) -> Option<GammaRatioBeta> {
        Some(GammaRatioBeta {
            x: Shape::new(alpha)?,
            y: Shape::new(beta)?,
        })
    }
}

impl Distribution<f64> for GammaRatioBeta {
    #[inline(always)]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match (&self.x, &self.y) {
            // Both gammas are positive and finite here: no 0 / 0.
            (Shape::Large(gx), Shape::Large(gy)) => {
                let x = gx.sample(rng);
                let y = gy.sample(rng);
                x / (x + y)
            }
            // `X / (X + Y) = 1 / (1 + e^{ln Y - ln X})`, which stays in
            // [0, 1] however small either gamma is.
            (x, y) => {
                let ln_x = x.sample_ln(rng);
                let ln_y = y.sample_ln(rng);
                1.0 / (1.0 + (ln_y - ln_x).exp())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::random::stream;

    /// Kolmogorov–Smirnov distance to the Beta CDF below its 0.1% critical
    /// value `1.95 / √n`, and the moments (below).
    fn check_distribution(alpha: f64, beta: f64) {
        use statrs::distribution::{Beta, ContinuousCDF};
        let b = GammaRatioBeta::new(alpha, beta).unwrap();
        let mut rng = stream(7, 0, 0);
        let n = 100_000;
        let mut draws: Vec<f64> = (0..n).map(|_| b.sample(&mut rng)).collect();
        assert!(draws.iter().all(|d| (0.0..=1.0).contains(d)));
        draws.sort_by(f64::total_cmp);
        let cdf = Beta::new(alpha, beta).unwrap();
        let nf = n as f64;
        let ks = draws
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                let f = cdf.cdf(d);
                (f - i as f64 / nf)
                    .abs()
                    .max((f - (i + 1) as f64 / nf).abs())
            })
            .fold(0.0, f64::max);
        assert!(
            ks < 1.95 / nf.sqrt(),
            "Beta({alpha}, {beta}): KS distance {ks}"
        );
        moments_agree(alpha, beta, &draws);
    }

    fn check_moments(alpha: f64, beta: f64) {
        let b = GammaRatioBeta::new(alpha, beta).unwrap();
        let mut rng = stream(7, 0, 0);
        let draws: Vec<f64> = (0..100_000).map(|_| b.sample(&mut rng)).collect();
        assert!(draws.iter().all(|d| (0.0..=1.0).contains(d)));
        moments_agree(alpha, beta, &draws);
    }

    /// Sample mean and variance within 5 standard errors of `α / (α + β)`
    /// and `α β / ((α + β)² (α + β + 1))`.
    fn moments_agree(alpha: f64, beta: f64, draws: &[f64]) {
        let nf = draws.len() as f64;
        let mean = draws.iter().sum::<f64>() / nf;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / nf;
        let m4 = draws.iter().map(|d| (d - mean).powi(4)).sum::<f64>() / nf;
        let s = alpha + beta;
        let m = alpha / s;
        let v = alpha * beta / (s * s * (s + 1.0));
        // Var(sample variance) ≈ (μ4 - v²) / n.
        let (mean_se, var_se) = ((v / nf).sqrt(), ((m4 - var * var) / nf).sqrt());
        assert!(
            (mean - m).abs() < 5.0 * mean_se,
            "Beta({alpha}, {beta}): mean {mean} vs {m}"
        );
        assert!(
            (var - v).abs() < 5.0 * var_se,
            "Beta({alpha}, {beta}): variance {var} vs {v}"
        );
    }

    #[test]
    fn matches_the_beta_distribution() {
        check_distribution(9.9, 89.1); // a typical round: mean 10%, sd 3%
        check_distribution(1.0, 1.0); // uniform
        check_distribution(2.5, 0.4); // one shape below 1
        check_distribution(0.3, 0.7);
        check_distribution(0.2, 0.3);
    }

    /// Shapes this small put a visible share of the draws at exactly 0.0
    /// or 1.0 (the nearest doubles), which a continuous CDF cannot judge:
    /// only the moments are checked (see also the tiny shapes below).
    #[test]
    fn small_shapes_keep_their_moments() {
        check_moments(0.05, 0.05);
    }

    #[test]
    fn tiny_shapes_stay_in_the_unit_interval() {
        // Nearly all mass at 0 and 1, each with probability about 1/2.
        let b = GammaRatioBeta::new(2e-8, 2e-8).unwrap();
        let mut rng = stream(7, 1, 0);
        let n = 10_000;
        let mut ones = 0;
        for _ in 0..n {
            let d = b.sample(&mut rng);
            assert!((0.0..=1.0).contains(&d), "{d}");
            ones += usize::from(d > 0.5);
        }
        assert!((ones as f64 / n as f64 - 0.5).abs() < 0.05, "{ones}");
    }

    #[test]
    fn invalid_shapes_are_refused() {
        assert!(GammaRatioBeta::new(0.0, 1.0).is_none());
        assert!(GammaRatioBeta::new(1.0, f64::NAN).is_none());
        assert!(GammaRatioBeta::new(f64::INFINITY, 1.0).is_none());
    }
}
