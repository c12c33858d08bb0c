-- Vamyar schema, step 27: an index of exactly the overdue installments with principal or fee
-- unpaid, by loan and id (about 160,000 rows at a million loans), which close of business's
-- pass over the loans in arrears reads alone to list them (`cob::arrears::overdue_by_loan`).
-- The index by status answered the same question by reading each of those rows from the
-- table, scattered over the whole file: 1.1–1.7 s a day at a million loans, against 0.03 s
-- (0.5 s with nothing cached) through this index alone.
-- An installment enters it when it becomes overdue and leaves it when its principal and fee
-- are paid, so it costs a write only on those changes.
create index installment_overdue_loan on installment (loan_id, id) where status = 'overdue'
    and principal_paid + fee_paid < principal_due + fee_due;
