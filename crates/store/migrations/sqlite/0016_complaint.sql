-- Complaints (grievances) and appeals about a file. Filed by the applicant (portal or SMS
-- keyword) or by a desk clerk for them; owned by the county's office head, who answers within
-- a service level in working days (`due_on`); past it, close of business tells the office
-- heads and the province's administrators once (`escalated_at`). An upheld appeal against a
-- rejection reopens the file for a second social-work review.
create table complaint (
    id integer primary key autoincrement,
    application_id integer not null references application (id),
    person_id integer not null references person (id),
    province_code text not null references province (code),
    county_code text not null references county (code),
    kind text not null check (kind in ('complaint', 'appeal')),
    channel text not null check (channel in ('portal', 'sms', 'desk')),
    body text not null,
    status text not null default 'open' check (status in ('open', 'answered')),
    outcome text check (outcome in ('upheld', 'dismissed')),
    answer text,
    filed_by_staff_id integer references staff_user (id),
    answered_by_staff_id integer references staff_user (id),
    filed_on text not null,
    due_on text not null,
    escalated_at text,
    answered_at text,
    created_at text not null,
    updated_at text not null
);
create index complaint_application on complaint (application_id);
create index complaint_person on complaint (person_id, id);
create index complaint_county on complaint (county_code, status, id);
create index complaint_open_due on complaint (due_on) where status = 'open' and escalated_at is null;
