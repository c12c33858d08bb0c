-- Households as the agency's social-work unit knows them: a case number (پرونده مددجویی), the
-- household's size from the case file, and the national IDs of its members (linked before or
-- after they register). A program limits how many open files one household may hold; the
-- priority counts the linked household's size instead of the applicant's claim.
create table household (
    id integer primary key autoincrement,
    case_number text not null,
    size integer not null check (size between 1 and 30),
    province_code text not null references province (code),
    county_code text not null references county (code),
    created_by_staff_id integer references staff_user (id),
    created_at text not null,
    updated_at text not null
);
create unique index household_case_number_key on household (case_number);

create table household_link (
    id integer primary key autoincrement,
    household_id integer not null references household (id),
    national_id text not null,
    linked_by_staff_id integer references staff_user (id),
    created_at text not null
);
create unique index household_link_national_id_key on household_link (national_id);
create index household_link_household on household_link (household_id);

alter table program add column max_open_files_per_household integer not null default 1;
