//! Declining-balance annuity (اقساط مساوی با کارمزد مانده‌ی بدهی, "pelekani").

use super::bigint::BigUint;
use super::{MONTHLY_RATE_DENOMINATOR, div_half_up};

/// The level installment `P·r·(1+r)ⁿ / ((1+r)ⁿ − 1)` with `r = bp / 120000`, evaluated as an
/// exact rational number and rounded to a whole multiple of `unit` rials, half up (`unit` is
/// 10 for schedules: a whole toman). With `bp == 0` it is `P / n`, half up to the unit.
/// `None` if the result does not fit in an `i64`.
///
/// With `a = bp` and `b = 120000`, the payment is `P·a·(b+a)ⁿ / (b·((b+a)ⁿ − bⁿ))`; both
/// numerator and denominator are integers (of up to a few thousand bits for 240 months), so
/// the quotient is computed without any approximation.
pub(super) fn level_payment(
    principal: i64,
    annual_rate_bp: u32,
    months: u32,
    unit: u64,
) -> Option<i64> {
    debug_assert!(principal > 0 && months > 0 && unit > 0);
    if annual_rate_bp == 0 {
        let units = div_half_up(i128::from(principal), i128::from(months) * i128::from(unit));
        return i64::try_from(units * i128::from(unit)).ok();
    }
    let a = u64::from(annual_rate_bp);
    let b = MONTHLY_RATE_DENOMINATOR as u64;
    let mut growth = BigUint::from_u128(1); // (b + a)ⁿ
    let mut base = BigUint::from_u128(1); // bⁿ
    for _ in 0..months {
        growth = growth.mul_u64(b + a);
        base = base.mul_u64(b);
    }
    // principal > 0, so the cast is lossless.
    let numerator = growth.mul_u64(principal as u64).mul_u64(a);
    let denominator = growth.sub(&base).mul_u64(b).mul_u64(unit);
    // round half up: ⌊(2N + D) / 2D⌋
    let twice_numerator_plus = numerator.mul_u64(2).add(&denominator);
    let twice_denominator = denominator.mul_u64(2);
    // The payment never exceeds P·(1 + r) ≤ 2P (the one-month case), so 2P + 1 bounds it.
    let bound = (principal as u64).saturating_mul(2).saturating_add(1);
    let units = twice_numerator_plus.div_floor_bounded(&twice_denominator, bound);
    i64::try_from(units)
        .ok()?
        .checked_mul(i64::try_from(unit).ok()?)
}

/// `(principal, fee)` of each of the `months` installments. See the module documentation
/// of [`super`] for the rounding rules. `None` on overflow.
pub(super) fn rows(principal: i64, annual_rate_bp: u32, months: u32) -> Option<Vec<(i64, i64)>> {
    let payment = level_payment(
        principal,
        annual_rate_bp,
        months,
        super::PAYABLE_UNIT as u64,
    )?;
    let mut balance = principal;
    let mut rows = Vec::with_capacity(months as usize);
    for k in 1..=months {
        let fee = i64::try_from(div_half_up(
            i128::from(balance) * i128::from(annual_rate_bp),
            MONTHLY_RATE_DENOMINATOR,
        ))
        .ok()?;
        let part = if k == months {
            balance
        } else {
            // payment ≥ fee always holds (the exact payment exceeds P·r ≥ balance·r and
            // rounding is monotone); the clamps only matter for tiny principals, where
            // rounding the payment up could otherwise repay more than the balance.
            payment.saturating_sub(fee).clamp(0, balance)
        };
        balance -= part;
        rows.push((part, fee));
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_payment() {
        // numpy_financial.pmt(0.04/12, 36, -300_000_000) = 8_857_195.502…
        assert_eq!(level_payment(300_000_000, 400, 36, 1), Some(8_857_196));
        assert_eq!(level_payment(1000, 0, 3, 1), Some(333));
        // one month: P·(1 + r)
        assert_eq!(level_payment(120_000, 1200, 1, 1), Some(121_200));
        // in whole tomans: 8,857,195.50… rials is 885,719.55… tomans, half up to 885,720
        assert_eq!(level_payment(300_000_000, 400, 36, 10), Some(8_857_200));
        assert_eq!(level_payment(1000, 0, 3, 10), Some(330));
        assert_eq!(level_payment(1050, 0, 3, 10), Some(350));
    }

    #[test]
    fn extremes_do_not_panic() {
        assert!(level_payment(i64::MAX, 10_000, 1, 1).is_none());
        assert!(level_payment(i64::MAX / 4, 10_000, 240, 10).is_some());
        assert_eq!(level_payment(1, 10_000, 240, 1), Some(0));
        assert_eq!(level_payment(1, 10_000, 240, 10), Some(0));
    }
}
