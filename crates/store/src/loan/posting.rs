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
use super::{INSTALLMENT_WRITTEN, Installment, installment_values, update_installment};
use crate::audit::{self, Entry};
use crate::cob::placeholders;
use crate::{StoreError, Tx};

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
    let mut values = payment::values(p);
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

const INSTALLMENT_WIDTH: usize = INSTALLMENT_WRITTEN.len();

/// The audit row's values ([`audit::row`]).
const AUDIT_WIDTH: usize = 10;

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
        let set = INSTALLMENT_WRITTEN[1..]
            .iter()
            .map(|c| format!("{c} = v.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        sql.push_str(&format!(
            ", i as (update installment set {set} from (values {rows}) as v({names}) \
             where installment.id = v.id)",
            rows = installments.join(", "),
            names = INSTALLMENT_WRITTEN.join(", "),
        ));
    }
    // the audit row's columns, its entity id being the payment's
    let audit_values = (0..AUDIT_WIDTH)
        .map(|k| match k {
            audit::ENTITY_ID_AT => "p.id::text".to_string(),
            k if k < audit::ENTITY_ID_AT => format!("${}", first_audit + k),
            k => format!("${}", first_audit + k - 1),
        })
        .collect::<Vec<_>>()
        .join(", ");
    sql.push_str(&format!(
        ", a as ({head} select {audit_values} from p) select {columns} from p",
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
