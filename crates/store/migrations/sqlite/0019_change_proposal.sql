-- Vamyar schema, step 19: four eyes (maker–checker) on administrative changes.
--
-- A change proposal is an administrative act (`quota`: a province's quota under a
-- memorandum; `staff_role`: a staff account's role or place; `program`: a program's
-- settings; `memorandum`: a new memorandum) that one person asks for and a second person
-- with the same authority confirms or rejects. `subject` names what it changes
-- (`quota:3/23`, `staff:7`, `program:1`, `memorandum:new:2/1`), `province_code` the province
-- whose authority decides (NULL: the national administration's), `body` the request as sent
-- (JSON), carried out again, on the confirmer's authority, when confirmed. `pending_key` is
-- `<action>:<subject>` while pending and NULL afterwards, so its unique index allows one
-- pending proposal per act and subject; confirming claims the row with
-- `update ... where status = 'pending'`, so of two confirmations at once one wins.
create table change_proposal (
    id integer primary key autoincrement,
    action text not null check (action in ('quota', 'staff_role', 'program', 'memorandum')),
    subject text not null,
    province_code text references province (code),
    body text not null,
    status text not null default 'pending'
        check (status in ('pending', 'confirmed', 'rejected', 'expired')),
    pending_key text,
    reason text,
    proposed_by integer not null references staff_user (id),
    created_at text not null,
    expires_on text not null,
    decided_by integer references staff_user (id),
    decided_at text,
    decision_note text
);
create unique index change_proposal_pending_key on change_proposal (pending_key);
create index change_proposal_status_expires on change_proposal (status, expires_on);
