-- Vamyar schema, step 25: an installment's `due` status is no longer stored. An installment is
-- due when it is pending and its due date has come, which the date says by itself; close of
-- business used to write that down for every installment falling due (about 32,000 rows a day
-- at a million loans, each a new row version with an entry in every index of the table,
-- because `status` is in the partial index's definition). Now it only marks pending
-- installments past their grace days `overdue`, and what is shown derives `due` from the date
-- (`InstallmentStatus::shown`). The installments stored as `due` become `pending`.
update installment set status = 'pending' where status = 'due';
-- From now on nothing may store it (SQLite cannot add a check to a table: triggers instead).
create trigger installment_due_not_stored_insert before insert on installment
when new.status = 'due'
begin
    select raise(abort, 'installment status due is not stored');
end;
create trigger installment_due_not_stored_update before update of status on installment
when new.status = 'due'
begin
    select raise(abort, 'installment status due is not stored');
end;
