-- Vamyar schema, step 27: nothing on PostgreSQL. SQLite's step adds an index of the overdue
-- installments with principal or fee unpaid, by loan and id, for close of business to list
-- them without reading their rows. Here an index whose condition names `principal_paid` and
-- `fee_paid` would end heap-only updates for a payment that pays part of an installment (its
-- status unchanged): each would write a new row version with an entry in every index of the
-- table. PostgreSQL reads those rows through the partial index by status, and its close of
-- business is within its goal without it.
select 1;
