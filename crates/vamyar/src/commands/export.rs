//! `vamyar export referrals --bank CODE [--out FILE]`: the CSV a partner bank receives.
//!
//! UTF-8 with a byte-order mark (so spreadsheet programs read Persian names right), one row
//! per referral to the bank: the letter, the file's tracking code, the applicant's name and
//! national ID (the bank identifies its customer by it), the referral's status and amount,
//! the approval, the disbursement (contract, amount, date), the loan's status, an
//! acceleration's date and what is outstanding, then what the standing payments paid and the
//! payments reversed (how many, how many rials): a reversed payment stays on record. Dates are ISO with the Jalali date beside
//! the ones bank staff read. A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return gets a leading `'`, so no cell can run as a spreadsheet formula. The export is
//! recorded in the audit log (it carries national IDs).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use vamyar_calendar::JalaliDate;
use vamyar_store::audit::{self, Entry};
use vamyar_store::loan::export::ReferralRow;

use crate::config::Config;

/// The columns of the export.
pub const REFERRAL_COLUMNS: [&str; 24] = [
    "letter_number",
    "tracking_code",
    "applicant_name",
    "national_id",
    "branch_code",
    "referral_status",
    "referred_amount",
    "issued_on",
    "issued_on_jalali",
    "valid_until",
    "decided_on",
    "approved_amount",
    "contract_number",
    "disbursed_amount",
    "disbursed_on",
    "disbursed_on_jalali",
    "loan_status",
    "accelerated_on",
    "accelerated_on_jalali",
    "outstanding",
    "closed_on",
    "paid",
    "reversed_payments",
    "reversed_amount",
];

/// A cell that cannot start a spreadsheet formula.
pub fn safe_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// The Jalali form (`1405/01/15`) of an ISO date; empty when there is none.
fn jalali(iso: Option<&str>) -> String {
    iso.and_then(|d| vamyar_store::time::parse_date(d).ok())
        .map(|d| JalaliDate::from_iso(d).to_string())
        .unwrap_or_default()
}

fn row_cells(r: &ReferralRow) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    vec![
        r.letter_number.clone(),
        r.tracking_code.clone(),
        format!("{} {}", r.first_name, r.last_name),
        r.national_id.clone(),
        r.branch_code.clone(),
        r.referral_status.clone(),
        r.referred_amount.to_string(),
        r.issued_on.clone(),
        jalali(Some(&r.issued_on)),
        r.valid_until.clone(),
        r.decided_at
            .as_deref()
            .map(|t| t.chars().take(10).collect())
            .unwrap_or_default(),
        num(r.approved_amount),
        opt(&r.contract_number),
        num(r.principal),
        opt(&r.disbursed_on),
        jalali(r.disbursed_on.as_deref()),
        opt(&r.loan_status),
        opt(&r.accelerated_on),
        jalali(r.accelerated_on.as_deref()),
        num(r.outstanding),
        opt(&r.closed_on),
        num(r.paid),
        num(r.reversed_payments),
        num(r.reversed_amount),
    ]
}

/// The CSV bytes (BOM first) of a bank's referrals.
pub fn referrals_csv(rows: &[ReferralRow]) -> anyhow::Result<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(REFERRAL_COLUMNS)?;
        for r in rows {
            w.write_record(row_cells(r).iter().map(|c| safe_cell(c)))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// Writes the bank's referral export to `out`, or to standard output.
pub async fn referrals(
    config: &Config,
    bank_code: &str,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let db = super::open_database(config).await?;
    let bank = vamyar_store::bank::bank_by_code(db.pool(), bank_code)
        .await?
        .with_context(|| format!("there is no bank with code `{bank_code}`"))?;
    let rows = vamyar_store::loan::export::referrals_for_bank(db.pool(), bank.id).await?;
    let bytes = referrals_csv(&rows)?;
    match out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    let entry = Entry::system("referrals.export", "bank")
        .on(bank.id)
        .detail(serde_json::json!({"rows": rows.len()}));
    audit::append_now(&db, &entry)
        .await
        .context("recording the export in the audit log")?;
    db.close().await;
    if let Some(path) = out {
        println!(
            "exported {} referrals of bank {bank_code} to {}",
            rows.len(),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_could_be_formulas_are_quoted() {
        for bad in ["=1+1", "+98", "-5", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe_cell(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(safe_cell("زهرا احمدی"), "زهرا احمدی");
        assert_eq!(safe_cell("1405-000001"), "1405-000001");
    }
}
