//! The flat fee formula of Iranian banks: fee = P × rate% × (n + 1) / 2400, spread evenly.

use super::div_half_up;

/// The total flat fee `P·bp·(n+1) / 240000` (that is `P × rate% × (n+1) / 2400` with
/// `rate% = bp / 100`), rounded half up. `None` if it does not fit in an `i64`.
pub(super) fn total_fee(principal: i64, annual_rate_bp: u32, months: u32) -> Option<i64> {
    let numerator = i128::from(principal) * i128::from(annual_rate_bp) * (i128::from(months) + 1);
    i64::try_from(div_half_up(numerator, 240_000)).ok()
}

/// `(principal, fee)` of each of the `months` installments. `None` on overflow.
pub(super) fn rows(principal: i64, annual_rate_bp: u32, months: u32) -> Option<Vec<(i64, i64)>> {
    let fee = total_fee(principal, annual_rate_bp, months)?;
    let total = principal.checked_add(fee)?;
    let n = i64::from(months);
    // rounded down to a whole toman; the last installment takes the remainder
    let unit = super::PAYABLE_UNIT;
    let installment = total / n / unit * unit;
    let fee_share = fee / n;
    let mut principal_left = principal;
    let mut fee_left = fee;
    let mut rows = Vec::with_capacity(months as usize);
    for k in 1..=months {
        let (part, fee_part) = if k == months {
            (principal_left, fee_left)
        } else {
            // installment ≥ fee_share unless the principal is a few tomans (rounding the
            // installment down to a toman can take it below the fee share). The clamps only
            // matter for such tiny principals, where the floors could otherwise repay more
            // principal than was lent or a negative principal; the fee then takes the rest.
            let part = (installment - fee_share).clamp(0, principal_left);
            (part, installment - part)
        };
        principal_left -= part;
        fee_left -= fee_part;
        rows.push((part, fee_part));
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden() {
        assert_eq!(total_fee(300_000_000, 400, 36), Some(18_500_000));
        let rows = rows(300_000_000, 400, 36).unwrap();
        // 318,500,000 / 36 = 8,847,222.2…, down to a whole toman: 8,847,220
        assert_eq!(rows[0], (8_333_332, 513_888));
        assert_eq!(rows[0].0 + rows[0].1, 8_847_220);
        assert_eq!(rows[35].0 + rows[35].1, 318_500_000 - 35 * 8_847_220);
        assert_eq!(rows[35].0 + rows[35].1, 8_847_300);
    }

    #[test]
    fn tiny_principal_stays_non_negative() {
        // fee 52 on 40 lent over 30 months: 92 / 30 is 3 rials, less than a toman, so
        // every installment but the last is 0 and the last is all of it.
        let rows = rows(40, 10_000, 30).unwrap();
        assert!(rows.iter().all(|&(p, f)| p >= 0 && f >= 0));
        assert_eq!(rows.iter().map(|r| r.0).sum::<i64>(), 40);
        assert_eq!(rows.iter().map(|r| r.1).sum::<i64>(), 52);
        assert!(rows[..29].iter().all(|&(p, f)| p + f == 0));
        // 400 lent at 100 % over 30 months: fee 517, installment 30 of which 17 fee.
        let rows = super::rows(400, 10_000, 30).unwrap();
        assert!(rows.iter().all(|&(p, f)| p >= 0 && f >= 0));
        assert_eq!(rows.iter().map(|r| r.0).sum::<i64>(), 400);
        assert!(rows[..29].iter().all(|&(p, f)| p + f == 30));
    }
}
