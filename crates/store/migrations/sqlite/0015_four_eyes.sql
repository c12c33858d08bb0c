-- Vamyar schema, step 15: four eyes (maker–checker) and payment corrections.
--
-- A proposal is an act one person asks for and a second, eligible person confirms or rejects
-- before it happens (`accelerate` on a file, `reversal` of a payment). `pending_key` is
-- `<action>:<subject>` while the proposal is pending and NULL afterwards, so its unique index
-- allows one pending proposal per act and subject on both engines. Confirming claims the row
-- with `update ... where status = 'pending'`: of two confirmations at once, one wins.
create table proposal (
    id integer primary key autoincrement,
    action text not null check (action in ('accelerate', 'reversal')),
    application_id integer not null references application (id),
    payment_id integer references payment (id),
    status text not null default 'pending'
        check (status in ('pending', 'confirmed', 'rejected', 'expired')),
    pending_key text,
    reason text,
    detail text not null default '{}',
    proposed_by integer not null references staff_user (id),
    created_at text not null,
    expires_on text not null,
    decided_by integer references staff_user (id),
    decided_at text,
    decision_note text
);
create unique index proposal_pending_key on proposal (pending_key);
create index proposal_status_expires on proposal (status, expires_on);
create index proposal_application on proposal (application_id);

-- A reversed payment is kept (never deleted) and marked; allocation skips it.
alter table payment add column reversed_at text;
alter table payment add column reversed_by integer references staff_user (id);
alter table payment add column reversal_reason text;
alter table payment add column reversal_proposal_id integer references proposal (id);
