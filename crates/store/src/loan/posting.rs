//! The writes of one payment's posting, made under the loan's lock: the payment row, the
//! installments the payment changed, and its audit row.
//!
//! On PostgreSQL the three are one statement (`insert … returning` in a `with` query whose
//! other parts update the installments from a list of values and append the audit row with
//! the new payment's id): one round trip and one statement's fixed cost where there were
//! three or four. A statement is atomic, so a reference the bank already used
//! ([`payment::REFERENCE_KEY`]) still fails the posting before any of it is kept. SQLite has
//! no writing `with` queries; there the payment is inserted first and the installments
//! updated after it, and the audit row waits for the end of the group
//! ([`crate::audit::append_later`]).

use sqlx::FromRow;

use super::payment::{self, NewPayment, Payment};
use super::{Installment, update_installment};
use crate::audit::{self, Entry};
use crate::cob::placeholders;
use crate::{StoreError, Tx, Value, time};

/// Records the payment `p`, writes the installments `changed` (as they are after the
/// payment) and appends `entry`, the payment's audit row, whose entity id becomes the new
/// payment's id. Returns the stored payment; a reference already stored fails with
/// [`payment::REFERENCE_KEY`] and nothing of the three is written.
pub async fn record(
    tx: &mut Tx,
    p: &NewPayment<'_>,
    changed: &[&Installment],
    entry: Entry,
) -> Result<Payment, StoreError> {
    if !crate::is_postgres(tx) {
        let stored = payment::insert(tx, p).await?;
        for row in changed {
            update_installment(tx, row).await?;
        }
        audit::append_later(tx, &entry.on(stored.id)).await?;
        return Ok(stored);
    }
    let mut values = payment_values(p);
    let installments = changed
        .iter()
        .map(|row| {
            let first = values.len() + 1;
            values.extend(installment_values(row));
            format!("({})", placeholders(first, INSTALLMENT_WIDTH))
        })
        .collect::<Vec<_>>();
    let mut audit_row = audit::row(&entry);
    // the entity id is the payment's, from the insert above it
    audit_row.remove(audit::ENTITY_ID_AT);
    let first_audit = values.len() + 1;
    values.extend(audit_row);
    let sql = statement(&installments, first_audit);
    let row = crate::later::bind(sqlx::query(&sql), values)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Payment::from_row(&row)?)
}

/// The columns set on an installment, in the order of [`installment_values`] (`id` first).
const INSTALLMENT_COLUMNS: [&str; 11] = [
    "id",
    "due_on",
    "fee_due",
    "late_charge_due",
    "principal_paid",
    "fee_paid",
    "late_charge_paid",
    "status",
    "paid_on",
    "late_charge_through",
    "updated_at",
];

const INSTALLMENT_WIDTH: usize = INSTALLMENT_COLUMNS.len();

fn installment_values(i: &Installment) -> Vec<Value> {
    vec![
        i.id.into(),
        i.due_on.clone().into(),
        i.fee_due.into(),
        i.late_charge_due.into(),
        i.principal_paid.into(),
        i.fee_paid.into(),
        i.late_charge_paid.into(),
        i.status.as_str().into(),
        i.paid_on.clone().into(),
        i.late_charge_through.clone().into(),
        time::now().into(),
    ]
}

fn payment_values(p: &NewPayment<'_>) -> Vec<Value> {
    vec![
        p.loan_id.into(),
        p.bank_id.into(),
        p.bank_reference.into(),
        p.amount.into(),
        p.paid_on.into(),
        p.channel.into(),
        p.allocated_late_charge.into(),
        p.allocated_fee.into(),
        p.allocated_principal.into(),
        p.to_credit.into(),
        p.posted_by_staff_id.into(),
        time::now().into(),
    ]
}

/// The PostgreSQL statement: the payment's 12 values at `$1…$12`, then each row of
/// `installments` (placeholders already numbered), then the audit row's values but its
/// entity id from `first_audit` on.
fn statement(installments: &[String], first_audit: usize) -> String {
    let mut sql = format!(
        "with p as ({insert} values ({values}) returning {columns})",
        insert = payment::INSERT,
        values = placeholders(1, 12),
        columns = payment::COLUMNS,
    );
    if !installments.is_empty() {
        let set = INSTALLMENT_COLUMNS[1..]
            .iter()
            .map(|c| format!("{c} = v.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        sql.push_str(&format!(
            ", i as (update installment set {set} from (values {rows}) as v({names}) \
             where installment.id = v.id)",
            rows = installments.join(", "),
            names = INSTALLMENT_COLUMNS.join(", "),
        ));
    }
    // the audit row's ten columns, its entity id (the sixth) being the payment's
    let a = |k: usize| format!("${}", first_audit + k);
    sql.push_str(&format!(
        ", a as ({head} select {}, {}, {}, {}, {}, p.id::text, {}, {}, {}, {} from p) \
         select {columns} from p",
        a(0),
        a(1),
        a(2),
        a(3),
        a(4),
        a(5),
        a(6),
        a(7),
        a(8),
        head = audit::INSERT,
        columns = payment::COLUMNS,
    ));
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_numbers_every_value_once_in_order() {
        let rows = vec![
            format!("({})", placeholders(13, INSTALLMENT_WIDTH)),
            format!("({})", placeholders(24, INSTALLMENT_WIDTH)),
        ];
        let sql = statement(&rows, 35);
        let numbers: Vec<usize> = sql
            .split('$')
            .skip(1)
            .map(|s| {
                let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().expect("a numbered parameter")
            })
            .collect();
        // 12 + 2 × 11 + 9 parameters, each written once, in order
        assert_eq!(numbers, (1..=43).collect::<Vec<_>>(), "{sql}");
        assert!(sql.contains("p.id::text"));
    }
}
