-- Vamyar schema (SQLite), step 2: close of business.
-- Indexes that keep the daily run proportional to what falls due that day, and a ledger that
-- keeps the portfolio's totals (open loans, outstanding principal) without reading every loan.

-- Principal repaid so far, kept by a trigger on installment.principal_paid, so that a loan's
-- outstanding principal is `principal - principal_repaid` without reading its installments.
alter table loan add column principal_repaid integer not null default 0;
update loan set principal_repaid = coalesce(
    (select sum(i.principal_paid) from installment i where i.loan_id = loan.id), 0);

-- Unpaid installments by status and due date: marking due and overdue, arrears.
create index installment_open_status_due on installment (status, due_on) where status <> 'paid';
-- Loans in arrears: the arrears step and the buckets of the snapshot.
create index loan_in_arrears on loan (arrears_bucket) where arrears_bucket <> 'current';

-- Changes to the portfolio's totals, appended by triggers on loan and consumed (deleted) by the
-- close-of-business run, which adds them to portfolio_total. Appending instead of updating one
-- row keeps concurrent payments from queueing behind each other.
create table portfolio_ledger (
    id integer primary key autoincrement,
    loans_delta integer not null,
    principal_delta integer not null,
    created_at text not null
);

-- The portfolio's running totals as of the last fold of the ledger (one row).
create table portfolio_total (
    id integer primary key check (id = 1),
    open_loans integer not null,
    outstanding_principal integer not null,
    created_at text not null,
    updated_at text not null
);
insert into portfolio_total (id, open_loans, outstanding_principal, created_at, updated_at)
select 1, count(*), coalesce(sum(principal - principal_repaid), 0),
    strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z',
    strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'
from loan where status <> 'closed';

create trigger installment_principal_repaid after update of principal_paid on installment
for each row when new.principal_paid <> old.principal_paid
begin
    update loan set principal_repaid = principal_repaid + (new.principal_paid - old.principal_paid)
    where id = new.loan_id;
end;

-- An open (not closed) loan counts once, with `principal - principal_repaid` outstanding.
create trigger loan_portfolio_ledger_insert after insert on loan
for each row when new.status <> 'closed'
begin
    insert into portfolio_ledger (loans_delta, principal_delta, created_at)
    values (1, new.principal - new.principal_repaid,
        strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z');
end;

create trigger loan_portfolio_ledger_update after update of status, principal, principal_repaid on loan
for each row when new.status <> old.status or new.principal <> old.principal
    or new.principal_repaid <> old.principal_repaid
begin
    insert into portfolio_ledger (loans_delta, principal_delta, created_at)
    values (
        (case when new.status <> 'closed' then 1 else 0 end)
            - (case when old.status <> 'closed' then 1 else 0 end),
        (case when new.status <> 'closed' then new.principal - new.principal_repaid else 0 end)
            - (case when old.status <> 'closed' then old.principal - old.principal_repaid else 0 end),
        strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z');
end;
