-- Leave room in every page of the two tables close of business rewrites each day, so that
-- updating a late charge, a loan's arrears or an installment's paid amounts (columns no index
-- covers) stays a heap-only update on the same page instead of writing new entries in every
-- index. Applies to pages written from now on (a bulk load, a `vacuum full`).
alter table installment set (fillfactor = 85);
alter table loan set (fillfactor = 85);
