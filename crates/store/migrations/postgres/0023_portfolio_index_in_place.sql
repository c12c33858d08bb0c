-- Vamyar schema, step 23: the covering report index on loans no longer carries the two columns
-- that change every day — `principal_repaid` (every payment, through the installment's
-- trigger) and `arrears_days` (close of business, for every loan in arrears). While it did,
-- every such change wrote a new version of the loan's row with an entry in each of its eight
-- indexes; without them the change is a heap-only update in the room `fillfactor = 85`
-- (step 9) leaves in each page. The disbursements and jobs reports still read this index
-- alone; the portfolio report reads the loans' rows for those two columns.
drop index loan_report_portfolio;
create index loan_report_portfolio on loan
    (bank_id, province_code, status, principal, disbursed_on, accelerated_on);
