-- Vamyar schema, step 24: one partial index on unpaid installments instead of two. The index
-- by due date alone (`installment_due_unpaid`) served two reads — the installments falling due
-- on a day (reminders) and the last unpaid due date (how far schedules reach) — which the index
-- by status and due date answers as well, one status at a time (`status in ('pending', 'due',
-- 'overdue')`, three ranges of its leading column). Each change of an installment's status
-- (close of business marking installments due and overdue, a payment settling one) writes a new
-- row version with an entry in every index of the table, because `status` is in the indexes'
-- definitions; with one index fewer it writes three entries instead of four.
drop index installment_due_unpaid;
