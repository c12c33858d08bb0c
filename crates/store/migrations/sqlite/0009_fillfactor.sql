-- PostgreSQL leaves room in the pages of `installment` and `loan` for in-place updates
-- (fillfactor); SQLite has no such setting. This step keeps the two folders' numbering equal.
select 1;
