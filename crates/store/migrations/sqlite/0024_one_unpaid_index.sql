-- Vamyar schema, step 24: one partial index on unpaid installments instead of two. The index
-- by due date alone (`installment_due_unpaid`) served two reads — the installments falling due
-- on a day (reminders) and the last unpaid due date (how far schedules reach) — which the index
-- by status and due date answers as well, one status at a time (`status in ('pending', 'due',
-- 'overdue')`, three ranges of its leading column). SQLite rewrites the entries of every index
-- whose columns or condition name a changed column; both partial indexes name `status`, so each
-- change of an installment's status (close of business marking installments due and overdue, a
-- payment settling one) now rewrites one index entry instead of two.
drop index installment_due_unpaid;
