-- Vamyar schema, step 26: a loan records the date its arrears are counted from
-- (`arrears_since`: the oldest due date with principal or fee unpaid; null when current)
-- instead of the count of days (`arrears_days`). The count grew by one every day for every
-- loan in arrears, so close of business rewrote each of them daily (about 50,000 loans at a
-- million); the date changes only when the oldest unpaid installment is paid or a current loan
-- falls behind, and the bucket only at 1, 31 and 91 days, so a loan's row is written when
-- either does. The days are counted from the date when asked for (the loan's page and API,
-- the portfolio report). A loan in arrears counts from its oldest unpaid installment.
alter table loan add column arrears_since text;
update loan set arrears_since = (
    select i.due_on from installment i
    where i.loan_id = loan.id and i.status <> 'paid'
      and i.principal_paid + i.fee_paid < i.principal_due + i.fee_due
    order by i.seq limit 1
) where arrears_bucket <> 'current';
-- The covering report index carries the date in place of the count (SQLite rewrites an
-- index entry only when one of its columns changes, which the date seldom does).
drop index loan_report_portfolio;
alter table loan drop column arrears_days;
create index loan_report_portfolio on loan
    (bank_id, province_code, status, arrears_since, principal, principal_repaid, disbursed_on,
     accelerated_on);
