//! A fast `e^x` for the hot loop, within 2 ulp of the correctly rounded
//! result (the tests find at most 1 ulp from `f64::exp`), written without
//! branches so that LLVM can vectorize a loop of them (SSE2 on a generic
//! x86-64: two at a time; the table look-up stays two scalar loads) and
//! inline it where it is called once, without a call into libm.
//!
//! Method (as in glibc's and musl's `exp`, with a smaller table):
//! `x = (32 m + j) ln 2 / 32 + r` with `k = 32 m + j = round(32 x / ln 2)`,
//! `0 ≤ j < 32` and `|r| ≤ ln 2 / 64`, so that
//! `e^x = 2^m · 2^{j/32} · e^r`.
//!
//! - `k ln 2 / 32` is subtracted in two parts, `ln 2 / 32 ≈ L_hi + L_lo`
//!   where `L_hi` has 32 significant bits: `k L_hi` is exact for every
//!   `|k| < 2^21`, and so is `x - k L_hi` (Sterbenz).
//! - `2^{j/32} = T_j (1 + τ_j)`: `T_j` is the double nearest to it and
//!   `τ_j` the relative remainder, both tabulated (computed with 60-digit
//!   decimal arithmetic); `2^m T_j` is built from `T_j`'s bits.
//! - `e^r - 1 ≈ r + r² (1/2 + r/6 + r²/24 + r³/120 + r⁴/720)`, whose
//!   truncation error `|r|^7 / 7! < 4e-18` is below 0.02 ulp.
//! - `e^x ≈ s + s (τ_j + (e^r - 1))` with `s = 2^m T_j`: everything but the
//!   last addition is a small correction, so the result carries about half
//!   an ulp of rounding.
//!
//! Within `|x| ≤ 700` every `2^m T_j` and every result is a normal number;
//! elsewhere (and for NaN) the standard library's `exp` answers.

/// Largest `|x|` the fast path handles: `e^{±700}` and the `2^m T_j` that
/// build it are normal numbers (`e^{-708.4}` is the smallest).
pub const FAST_LIMIT: f64 = 700.0;

/// `1.5 · 2^52`: adding it rounds a double of magnitude below `2^51` to an
/// integer, which lands (two's complement) in the low bits of the sum's
/// representation.
const ROUND_SHIFT: f64 = 6_755_399_441_055_744.0;
/// `32 / ln 2`.
const INV_STEP: f64 = 32.0 * std::f64::consts::LOG2_E;
/// `ln 2 / 32 = STEP_HI + STEP_LO`; `STEP_HI` has 32 significant bits.
const STEP_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000) / 32.0;
const STEP_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76) / 32.0;

/// `(bits of T_j, τ_j)` for `j = 0..32`: `2^{j/32} = T_j (1 + τ_j)`.
const TABLE: [(u64, f64); 32] = [
    (0x3ff0_0000_0000_0000, 0.0),
    (0x3ff0_59b0_d315_8574, 4.9997448722726326e-17),
    (0x3ff0_b558_6cf9_890f, 8.189317638195515e-17),
    (0x3ff1_1301_d012_5b51, -7.402825309426177e-17),
    (0x3ff1_72b8_3c7d_517b, -2.7939114859515733e-17),
    (0x3ff1_d487_3168_b9aa, 9.341710609905046e-17),
    (0x3ff2_387a_6e75_6238, 7.826573258636076e-17),
    (0x3ff2_9e9d_f51f_dee1, 3.2904726646008416e-17),
    (0x3ff3_06fe_0a31_b715, 3.3484623336251524e-17),
    (0x3ff3_71a7_373a_a9cb, -6.346552106729483e-17),
    (0x3ff3_dea6_4c12_3422, 3.750854201303127e-17),
    (0x3ff4_4e08_6061_892d, 2.1023049675215714e-18),
    (0x3ff4_bfda_d536_2a27, 1.9572585293112036e-17),
    (0x3ff5_342b_569d_4f82, -2.1571477251208752e-17),
    (0x3ff5_ab07_dd48_5429, 5.68648095791174e-17),
    (0x3ff6_247e_b03a_5585, -4.8923067513522756e-17),
    (0x3ff6_a09e_667f_3bcd, -6.835808657661922e-17),
    (0x3ff7_1f75_e8ec_5f74, -2.092304381843353e-17),
    (0x3ff7_a114_73eb_0187, -2.3591094770850053e-17),
    (0x3ff8_2589_994c_ce13, -6.735219232374683e-17),
    (0x3ff8_ace5_422a_a0db, 5.1548301170786783e-17),
    (0x3ff9_3737_b0cd_c5e5, -6.432131775424189e-18),
    (0x3ff9_c491_82a3_f090, 1.5341410053603723e-17),
    (0x3ffa_5503_b23e_255d, -6.152602891550265e-17),
    (0x3ffa_e89f_995a_d3ad, 4.875160526227062e-17),
    (0x3ffb_7f76_f2fb_5e47, -1.0772487078934056e-17),
    (0x3ffc_199b_dd85_529c, 1.685487290628973e-17),
    (0x3ffc_b720_dcef_9069, 1.01562190116415e-17),
    (0x3ffd_5818_dcfb_a487, 1.790126907604513e-17),
    (0x3ffd_fc97_337b_9b5f, -3.266924100901318e-17),
    (0x3ffe_a4af_a2a4_90da, -5.545065618639427e-17),
    (0x3fff_5076_5b6e_4540, 4.5784915277060095e-17),
];

/// `e^x` for `|x| ≤ FAST_LIMIT`; meaningless (but harmless) elsewhere.
#[inline(always)]
fn exp_in_range(x: f64) -> f64 {
    const C2: f64 = 1.0 / 2.0;
    const C3: f64 = 1.0 / 6.0;
    const C4: f64 = 1.0 / 24.0;
    const C5: f64 = 1.0 / 120.0;
    const C6: f64 = 1.0 / 720.0;
    // k = round(32 x / ln 2), as a double and in the low bits of `shifted`.
    let shifted = x * INV_STEP + ROUND_SHIFT;
    let k = shifted - ROUND_SHIFT;
    let r = (x - k * STEP_HI) - k * STEP_LO;
    let bits = shifted.to_bits();
    let (t_bits, tail) = TABLE[(bits & 31) as usize];
    // 2^m T_j: m = floor(k / 32) added to T_j's exponent field. ROUND_SHIFT's
    // own bits are a multiple of 32, so `bits >> 5` ends in m's two's
    // complement, and the shift by 52 drops everything above it.
    let s = f64::from_bits(t_bits.wrapping_add((bits >> 5) << 52));
    // e^r - 1, by Estrin's scheme (a short dependency chain: a lone
    // exponential waits on its latency).
    let r2 = r * r;
    let q = (C2 + C3 * r) + r2 * ((C4 + C5 * r) + r2 * C6);
    let expm1_r = r + r2 * q;
    s + s * (tail + expm1_r)
}

/// `e^x`, within 2 ulp; exactly `f64::exp(x)` for `|x| > FAST_LIMIT`,
/// infinities and NaN.
#[inline]
pub fn exp(x: f64) -> f64 {
    if x.abs() <= FAST_LIMIT {
        exp_in_range(x)
    } else {
        exp_out_of_range(x)
    }
}

/// The standard library's `e^x`, kept out of line: `f64::exp` is a pure
/// intrinsic, and LLVM would otherwise call it on every path and select
/// between the two results instead of branching.
#[cold]
#[inline(never)]
fn exp_out_of_range(x: f64) -> f64 {
    x.exp()
}

/// `xs[i] ← e^{xs[i]}` for every `i`, exactly as [`exp`] would. When every
/// argument is in the fast range (the rule), the loop has no branch and
/// vectorizes.
#[inline]
pub fn exp_in_place(xs: &mut [f64]) {
    // A fold, not `all`: no early exit, so it vectorizes too.
    let fast = xs.iter().fold(true, |ok, x| ok & (x.abs() <= FAST_LIMIT));
    if fast {
        for x in xs.iter_mut() {
            *x = exp_in_range(*x);
        }
    } else {
        for x in xs.iter_mut() {
            *x = exp(*x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::random::stream;
    use rand::RngExt;

    /// Distance in units in the last place between two finite positive
    /// doubles (their representations are ordered like the numbers).
    fn ulps(a: f64, b: f64) -> u64 {
        a.to_bits().abs_diff(b.to_bits())
    }

    fn max_ulps(xs: impl Iterator<Item = f64>) -> (u64, f64) {
        xs.map(|x| (ulps(exp(x), x.exp()), x))
            .max_by_key(|&(u, _)| u)
            .unwrap()
    }

    #[test]
    fn within_2_ulp_over_the_fast_range() {
        let mut rng = stream(1, 2, 3);
        // Uniform over the whole range, and over the narrow ranges the
        // engine mostly uses (log prices, discounts).
        for (lo, hi) in [
            (-FAST_LIMIT, FAST_LIMIT),
            (-20.0, 20.0),
            (-1.0, 1.0),
            (-1e-3, 1e-3),
        ] {
            let (worst, at) = max_ulps((0..1_000_000).map(|_| rng.random_range(lo..=hi)));
            assert!(worst <= 2, "{worst} ulp at x = {at:e}");
        }
        // Near the reduction's boundaries `(k + 1/2) ln 2 / 32`.
        let edges = (-32_400..32_400).flat_map(|k| {
            let b = (f64::from(k) + 0.5) * std::f64::consts::LN_2 / 32.0;
            [b.next_down(), b, b.next_up()]
        });
        let (worst, at) = max_ulps(edges.filter(|x| x.abs() <= FAST_LIMIT));
        assert!(worst <= 2, "{worst} ulp at x = {at:e}");
        let tiny = [0.0, -0.0, 1e-300, -1e-300, f64::MIN_POSITIVE, 1e-17, -1e-17];
        for x in tiny {
            assert_eq!(exp(x), 1.0, "e^{x:e}");
        }
    }

    #[test]
    fn outside_the_fast_range_it_is_std() {
        let xs = [
            700.0f64.next_up(),
            709.0,
            709.8,
            710.0,
            -700.0f64.next_down(),
            -708.0,
            -740.0,
            -746.0,
            -1e300,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in xs {
            assert_eq!(exp(x).to_bits(), x.exp().to_bits(), "e^{x:e}");
        }
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(FAST_LIMIT), FAST_LIMIT.exp());
    }

    #[test]
    fn in_place_matches_one_at_a_time() {
        let mut rng = stream(4, 5, 6);
        let mut xs: Vec<f64> = (0..100).map(|_| rng.random_range(-800.0..800.0)).collect();
        xs.extend([f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0]);
        let expected: Vec<f64> = xs.iter().map(|&x| exp(x)).collect();
        exp_in_place(&mut xs[..100]);
        exp_in_place(&mut xs[100..]);
        for (a, b) in xs.iter().zip(&expected) {
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
        }
    }
}
