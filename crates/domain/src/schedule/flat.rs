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
    let installment = total / n;
    let fee_share = fee / n;
    let mut principal_left = principal;
    let mut fee_left = fee;
    let mut rows = Vec::with_capacity(months as usize);
    for k in 1..=months {
        let (part, fee_part) = if k == months {
            (principal_left, fee_left)
        } else {
            // installment ≥ fee_share since principal > 0. The clamp to the principal still
            // owed only matters for principals below n·(n−1) rials, where the floors could
            // otherwise repay more principal than was lent; the fee then takes the rest.
            let part = (installment - fee_share).min(principal_left);
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
        assert_eq!(rows[0], (8_333_334, 513_888));
        assert_eq!(rows[0].0 + rows[0].1, 8_847_222);
        assert_eq!(rows[35].0 + rows[35].1, 8_847_230);
    }

    #[test]
    fn tiny_principal_stays_non_negative() {
        // fee 52, installment 3 of which 1 fee: 29 × 2 principal would exceed the 40 lent.
        let rows = rows(40, 10_000, 30).unwrap();
        assert!(rows.iter().all(|&(p, f)| p >= 0 && f >= 0));
        assert_eq!(rows.iter().map(|r| r.0).sum::<i64>(), 40);
        assert_eq!(rows.iter().map(|r| r.1).sum::<i64>(), 52);
        assert!(rows[..29].iter().all(|&(p, f)| p + f == 3));
    }
}
