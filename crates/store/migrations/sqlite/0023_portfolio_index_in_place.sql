-- Vamyar schema, step 23: nothing on SQLite. PostgreSQL's step takes `principal_repaid` and
-- `arrears_days` out of the covering report index `loan_report_portfolio`, so that their daily
-- changes are heap-only updates there. SQLite rewrites only the indexes whose columns changed
-- and has no heap-only updates to gain, so it keeps the index that lets the portfolio report
-- read loans from the index alone.
select 1;
