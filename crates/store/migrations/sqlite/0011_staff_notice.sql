-- Notices to staff on the desk: a stage past its service level (to the role that moves the
-- file on and the county's office head), a stage past twice its level (to the province's
-- administrators), and each working morning's digest of a county's breaches (to its office
-- heads, also by SMS). One row per person; the dedupe key makes every notice once only,
-- however often close of business runs.
create table staff_notice (
    id integer primary key autoincrement,
    staff_user_id integer not null references staff_user (id),
    kind text not null check (kind in ('breach', 'escalation', 'digest')),
    application_id integer references application (id),
    stage text,
    detail text not null default '{}',
    dedupe_key text not null,
    read_at text,
    created_at text not null
);
create unique index staff_notice_dedupe_key on staff_notice (dedupe_key);
create index staff_notice_staff on staff_notice (staff_user_id, id);

-- The day a breached stage passes twice its level (its due date plus the level again, in
-- working days), set when the breach is flagged; and when the province was told.
alter table stage_timing add column escalate_on text;
alter table stage_timing add column escalated_at text;
create index stage_timing_open_escalation on stage_timing (escalate_on)
    where ended_at is null and escalated_at is null and escalate_on is not null;
