//! A minimal unsigned big integer, just enough to evaluate the annuity payment as an exact
//! rational number: multiplication by a machine word, addition, subtraction and comparison.

use core::cmp::Ordering;

/// Little-endian base-2³² digits, without trailing (most significant) zero limbs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct BigUint {
    limbs: Vec<u32>,
}

impl BigUint {
    /// The value `v`.
    pub(super) fn from_u128(mut v: u128) -> Self {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push(v as u32);
            v >>= 32;
        }
        Self { limbs }
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    /// `self × m`.
    pub(super) fn mul_u64(&self, m: u64) -> Self {
        let mut limbs = Vec::with_capacity(self.limbs.len() + 2);
        let mut carry: u128 = 0;
        for &limb in &self.limbs {
            let t = u128::from(limb) * u128::from(m) + carry;
            limbs.push(t as u32);
            carry = t >> 32;
        }
        while carry > 0 {
            limbs.push(carry as u32);
            carry >>= 32;
        }
        let mut out = Self { limbs };
        out.trim();
        out
    }

    /// `self + other`.
    pub(super) fn add(&self, other: &Self) -> Self {
        let len = self.limbs.len().max(other.limbs.len());
        let mut limbs = Vec::with_capacity(len + 1);
        let mut carry = 0u64;
        for i in 0..len {
            let a = u64::from(self.limbs.get(i).copied().unwrap_or(0));
            let b = u64::from(other.limbs.get(i).copied().unwrap_or(0));
            let t = a + b + carry;
            limbs.push(t as u32);
            carry = t >> 32;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
        let mut out = Self { limbs };
        out.trim();
        out
    }

    /// `self − other`; the caller guarantees `self ≥ other`.
    pub(super) fn sub(&self, other: &Self) -> Self {
        debug_assert!(self.cmp_to(other) != Ordering::Less);
        let mut limbs = Vec::with_capacity(self.limbs.len());
        let mut borrow = 0i64;
        for (i, &limb) in self.limbs.iter().enumerate() {
            let b = i64::from(other.limbs.get(i).copied().unwrap_or(0));
            let mut t = i64::from(limb) - b - borrow;
            if t < 0 {
                t += 1 << 32;
                borrow = 1;
            } else {
                borrow = 0;
            }
            limbs.push(t as u32);
        }
        let mut out = Self { limbs };
        out.trim();
        out
    }

    /// Numeric comparison.
    pub(super) fn cmp_to(&self, other: &Self) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }

    /// `⌊self / divisor⌋`, provided the quotient is at most `max`; found by binary search,
    /// since the quotient is known to fit in a machine word. `divisor` must be non-zero.
    pub(super) fn div_floor_bounded(&self, divisor: &Self, max: u64) -> u64 {
        debug_assert!(!divisor.limbs.is_empty());
        // Invariant: lo·divisor ≤ self, and every x > hi has x·divisor > self.
        let (mut lo, mut hi) = (0u64, max);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if divisor.mul_u64(mid).cmp_to(self) != Ordering::Greater {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_matches_u128() {
        let values = [
            0u128,
            1,
            7,
            u128::from(u32::MAX),
            u128::from(u64::MAX),
            1 << 100,
        ];
        for &a in &values {
            for &b in &values {
                let (x, y) = (BigUint::from_u128(a), BigUint::from_u128(b));
                assert_eq!(x.cmp_to(&y), a.cmp(&b));
                if let Some(s) = a.checked_add(b) {
                    assert_eq!(x.add(&y), BigUint::from_u128(s));
                }
                if a >= b {
                    assert_eq!(x.sub(&y), BigUint::from_u128(a - b));
                }
            }
            for m in [0u64, 3, u64::from(u32::MAX) + 5] {
                if let Some(p) = a.checked_mul(u128::from(m)) {
                    assert_eq!(BigUint::from_u128(a).mul_u64(m), BigUint::from_u128(p));
                }
            }
        }
    }

    #[test]
    fn division() {
        let n = BigUint::from_u128(1_000_000_007 * 12_345 + 17);
        let d = BigUint::from_u128(1_000_000_007);
        assert_eq!(n.div_floor_bounded(&d, u64::MAX), 12_345);
        assert_eq!(n.div_floor_bounded(&d, 100), 100);
        assert_eq!(BigUint::from_u128(5).div_floor_bounded(&d, 10), 0);
    }
}
