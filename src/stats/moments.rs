//! Mean, standard deviation and expected utility accumulated block by
//! block, so that a run that keeps every path and a run that streams them
//! give the same digits.
//!
//! Values are cut into blocks of [`BLOCK`] in path order (the engine's
//! chunk, so a streamed chunk is exactly one block). Within a block the sum
//! is compensated (Neumaier) and the squared deviations are taken from the
//! block's own mean (two passes); blocks are then appended in path order:
//! block sums with Neumaier compensation, squared deviations with Chan's
//! update `M2 = M2_a + M2_b + δ² n_a n_b / n`. The result does not depend on
//! how many threads produced the blocks, only on their order.

use super::neumaier_sum;

/// Blocks summed side by side by [`Moments::of`].
const LANES: usize = 4;

/// [`neumaier_sum`] of `LANES` sequences at once, lane `k` of `value(i)`
/// being the `i`-th value of sequence `k`: each lane is a [`Compensated`]
/// sum, the same step as [`neumaier_sum`]'s in the same order, so each
/// sum is the same to the bit.
#[inline(always)]
fn neumaier_lanes(n: usize, value: impl Fn(usize) -> [f64; LANES]) -> [f64; LANES] {
    let mut sums = [Compensated::default(); LANES];
    for i in 0..n {
        for (sum, x) in sums.iter_mut().zip(value(i)) {
            sum.add(x);
        }
    }
    sums.map(|sum| sum.value())
}

/// Values per block: the engine's chunk of paths.
pub const BLOCK: usize = 4096;

/// A running compensated sum.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Compensated {
    pub(super) sum: f64,
    compensation: f64,
}

impl Compensated {
    #[inline]
    pub(super) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    pub(super) fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// Count, mean, standard deviation and minimum of values seen block by
/// block.
///
/// ```
/// use equisim::stats::Moments;
/// let m = Moments::of(&[1.0, 2.0, 3.0, 4.0]);
/// assert_eq!(m.mean(), 2.5);
/// assert!((m.sd() - 1.2909944487358056).abs() < 1e-15);
/// assert_eq!(m.min(), 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    count: u64,
    total: Compensated,
    /// The running mean that Chan's update needs (the reported mean is the
    /// compensated total over the count).
    running_mean: f64,
    m2: f64,
    min: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            count: 0,
            total: Compensated::default(),
            running_mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
        }
    }
}

impl Moments {
    /// The moments of one block of values (any length; [`BLOCK`] in a run).
    pub fn of_block(values: &[f64]) -> Moments {
        let n = values.len();
        if n == 0 {
            return Moments::default();
        }
        let sum = neumaier_sum(values.iter().copied());
        let mean = sum / n as f64;
        let m2 = neumaier_sum(values.iter().map(|x| (x - mean) * (x - mean)));
        Moments {
            count: n as u64,
            total: Compensated {
                sum,
                compensation: 0.0,
            },
            running_mean: mean,
            m2,
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
        }
    }

    /// The moments of `values`, block by block in order (the blocks are
    /// summed in parallel and appended in order: the same digits as one
    /// block after the other).
    pub fn of(values: &[f64]) -> Moments {
        use rayon::prelude::*;
        let groups: Vec<([Moments; LANES], usize)> = values
            .par_chunks(BLOCK * LANES)
            .map(Moments::of_group)
            .collect();
        let mut m = Moments::default();
        for (blocks, count) in &groups {
            for block in &blocks[..*count] {
                m.append(block);
            }
        }
        m
    }

    /// [`Moments::of_block`] of each block of `group` (at most [`LANES`]
    /// blocks), and how many there are. A whole group's blocks are summed
    /// side by side ([`neumaier_lanes`]): each block's sums are the same
    /// sequence of operations as alone, to the bit, but the blocks'
    /// additions no longer wait on one another.
    fn of_group(group: &[f64]) -> ([Moments; LANES], usize) {
        let mut out = [Moments::default(); LANES];
        if group.len() < BLOCK * LANES {
            let mut count = 0;
            for (o, block) in out.iter_mut().zip(group.chunks(BLOCK)) {
                *o = Moments::of_block(block);
                count += 1;
            }
            return (out, count);
        }
        let blocks: [&[f64]; LANES] = std::array::from_fn(|k| &group[k * BLOCK..(k + 1) * BLOCK]);
        let sums = neumaier_lanes(BLOCK, |i| blocks.map(|b| b[i]));
        let means = sums.map(|sum| sum / BLOCK as f64);
        let m2 = neumaier_lanes(BLOCK, |i| {
            std::array::from_fn(|k| (blocks[k][i] - means[k]) * (blocks[k][i] - means[k]))
        });
        for (k, o) in out.iter_mut().enumerate() {
            *o = Moments {
                count: BLOCK as u64,
                total: Compensated {
                    sum: sums[k],
                    compensation: 0.0,
                },
                running_mean: means[k],
                m2: m2[k],
                min: blocks[k].iter().copied().fold(f64::INFINITY, f64::min),
            };
        }
        (out, LANES)
    }

    /// The mean [`Moments::of`] reports, to the digit, without the
    /// squared deviations and the minimum: one pass instead of two, for
    /// solvers that want only the mean.
    pub fn mean_of(values: &[f64]) -> f64 {
        use rayon::prelude::*;
        // Each block's sum, whole groups of blocks side by side.
        let groups: Vec<([f64; LANES], usize)> = values
            .par_chunks(BLOCK * LANES)
            .map(|group| {
                if group.len() == BLOCK * LANES {
                    let sums =
                        neumaier_lanes(BLOCK, |i| std::array::from_fn(|k| group[k * BLOCK + i]));
                    (sums, LANES)
                } else {
                    let mut sums = [0.0; LANES];
                    let mut count = 0;
                    for (s, block) in sums.iter_mut().zip(group.chunks(BLOCK)) {
                        *s = neumaier_sum(block.iter().copied());
                        count += 1;
                    }
                    (sums, count)
                }
            })
            .collect();
        let sums = groups
            .iter()
            .flat_map(|(sums, count)| sums[..*count].iter().copied());
        // As `append` joins the blocks' totals.
        let mut blocks = sums.map(|sum| Compensated {
            sum,
            compensation: 0.0,
        });
        let Some(mut total) = blocks.next() else {
            return f64::NAN;
        };
        for block in blocks {
            total.add(block.value());
        }
        total.value() / values.len() as f64
    }

    /// Adds the block (or run of blocks) that follows these values.
    pub fn append(&mut self, next: &Moments) {
        if next.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *next;
            return;
        }
        let (na, nb) = (self.count as f64, next.count as f64);
        let n = na + nb;
        let delta = next.running_mean - self.running_mean;
        self.m2 += next.m2 + delta * delta * (na * nb / n);
        self.running_mean += delta * (nb / n);
        self.total.add(next.total.value());
        self.count += next.count;
        self.min = self.min.min(next.min);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// The mean (NaN for no values).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        self.total.value() / self.count as f64
    }

    /// The sample standard deviation (0 for one value, NaN for none).
    pub fn sd(&self) -> f64 {
        match self.count {
            0 => f64::NAN,
            1 => 0.0,
            n => (self.m2 / (n - 1) as f64).sqrt(),
        }
    }

    /// The smallest value (`+∞` for none).
    pub fn min(&self) -> f64 {
        self.min
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_in_order_match_a_two_pass_computation() {
        let values: Vec<f64> = (0..10_000u64)
            .map(|i| ((i * 7919) % 10_007) as f64 / 3.0 - 700.0)
            .collect();
        let m = Moments::of(&values);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let ss: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
        let sd = (ss / (values.len() - 1) as f64).sqrt();
        assert!((m.mean() - mean).abs() <= 1e-12 * mean.abs().max(1.0));
        assert!((m.sd() - sd).abs() <= 1e-12 * sd);
        assert_eq!(m.count(), 10_000);
        // Appending the same blocks one at a time gives the same digits.
        let mut streamed = Moments::default();
        for block in values.chunks(BLOCK) {
            streamed.append(&Moments::of_block(block));
        }
        assert_eq!(streamed, m);
    }

    #[test]
    fn the_mean_alone_is_the_moments_mean_to_the_bit() {
        let values: Vec<f64> = (0..20_000u64)
            .map(|i| ((i * 7919) % 10_007) as f64 * 1e3 - 3.1e6)
            .collect();
        let cases: Vec<Vec<f64>> = vec![
            values.clone(),
            values[..BLOCK].to_vec(),
            values[..BLOCK + 1].to_vec(),
            vec![-0.0; BLOCK + 5],
            vec![],
            {
                let mut v = values.clone();
                v[9_000] = f64::INFINITY;
                v
            },
            {
                let mut v = values.clone();
                v[100] = f64::NAN;
                v
            },
        ];
        for v in cases {
            let (a, b) = (Moments::mean_of(&v), Moments::of(&v).mean());
            assert!(
                a.to_bits() == b.to_bits(),
                "{a} vs {b} ({} values)",
                v.len()
            );
        }
    }

    #[test]
    fn blocks_side_by_side_are_each_block_alone_to_the_bit() {
        // Three whole groups and a tail; magnitudes that swap which of the
        // running sum and the next value is larger, so both of the
        // compensation's branches are taken.
        let n = 3 * BLOCK * LANES + 5000;
        let values: Vec<f64> = (0..n as u64)
            .map(|i| {
                let v = ((i * 7919) % 10_007) as f64 / 7.0 - 700.0;
                match i % 17 {
                    0 => v * 1e12,
                    1 => -v * 1e-9,
                    2 => 0.0,
                    _ => v,
                }
            })
            .collect();
        let mut one_by_one = Moments::default();
        for block in values.chunks(BLOCK) {
            one_by_one.append(&Moments::of_block(block));
        }
        let side_by_side = Moments::of(&values);
        let bits = |m: &Moments| {
            [
                m.total.sum,
                m.total.compensation,
                m.running_mean,
                m.m2,
                m.min,
            ]
            .map(f64::to_bits)
        };
        assert_eq!(bits(&side_by_side), bits(&one_by_one));
        assert_eq!(side_by_side.count(), n as u64);
        assert_eq!(
            Moments::mean_of(&values).to_bits(),
            one_by_one.mean().to_bits()
        );
    }
}
