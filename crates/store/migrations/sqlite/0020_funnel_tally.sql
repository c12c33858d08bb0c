-- Vamyar schema, step 20: the funnel's times kept as the files move, so that the funnel over
-- a million files reads a few thousand rows instead of every stage clock
-- (docs/PERFORMANCE.md, "Reports over a million loans").
--
-- funnel_stay        one row per file and stage with a service level owned by the agency or
--                    the bank that the file has left or that breached its level (what the
--                    funnel counts or lists): the working days of its ended intervals
--                    (counted on the working calendar when the row was written), the start
--                    of a running interval, the target, the latest due and end dates,
--                    whether the file has left the stage (`left_stage`) and whether the stay
--                    breached its level; with the file's registration month (Jalali `yyyymm`
--                    of the Tehran day), province and bank (0: none) the stay is counted
--                    under in the tally, and its registration instant. The breaches are
--                    listed by due date from a partial index that carries those, so a
--                    list narrowed by them reads no other row. Written by `vamyar_app::reports::stays` whenever a
--                    stage clock opens and when close of business flags a running clock.
-- funnel_tally       per registration month, province, bank, stage and working days: how many
--                    stays left the stage after that many working days, and how many of them
--                    met the level. Changed only by close of business, which folds the deltas.
-- funnel_tally_delta changes to the tally appended by the use cases (+1 / -1), never updated,
--                    so that two files moving at once never wait for the same row.
-- report_build       `funnel`: 1 once the stays and tally hold every stage clock. A database
--                    that had stage clocks before this step is built by `vamyar migrate` (or
--                    `vamyar serve` at start) before it serves reports.
create table funnel_stay (
    application_id integer not null references application (id),
    state text not null,
    reg_month integer not null,
    submitted_at text not null,
    province_code text not null,
    bank_id integer not null,
    working_days integer not null,
    running_since text,
    target_working_days integer not null,
    due_on text,
    ended_on text,
    left_stage integer not null check (left_stage in (0, 1)),
    breached integer not null check (breached in (0, 1)),
    created_at text not null,
    primary key (application_id, state)
);
create index funnel_stay_breaches on funnel_stay
    (due_on, application_id, state, submitted_at, province_code, bank_id) where breached = 1;
create table funnel_tally (
    reg_month integer not null,
    province_code text not null,
    bank_id integer not null,
    state text not null,
    working_days integer not null,
    files integer not null,
    on_time integer not null,
    created_at text not null
);
create unique index funnel_tally_key on funnel_tally (reg_month, province_code, bank_id, state, working_days);
create index funnel_tally_bank on funnel_tally (bank_id, reg_month);
create index funnel_tally_province on funnel_tally (province_code, reg_month);
create table funnel_tally_delta (
    id integer primary key autoincrement,
    reg_month integer not null,
    province_code text not null,
    bank_id integer not null,
    state text not null,
    working_days integer not null,
    files integer not null,
    on_time integer not null,
    created_at text not null
);
create table report_build (
    name text primary key,
    built integer not null check (built in (0, 1)),
    created_at text not null
);
insert into report_build (name, built, created_at)
values ('funnel', case when exists (select 1 from stage_timing) then 0 else 1 end,
        strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z');
-- The funnel counts the files per stage reached and state now in one pass: for a province
-- from the index of step 14 with the file's state added ...
drop index application_report_groups;
create index application_report_groups on application
    (stages_reached, is_female_head, is_deprived, province_code, bank_id, submitted_at, state);
-- ... and for the files registered in a range, or referred to one bank, from an index alone
-- (the priority groups' columns too, so they keep reading an index alone).
create index application_report_registered on application
    (submitted_at, stages_reached, is_female_head, is_deprived, state);
create index application_report_bank on application
    (bank_id, stages_reached, is_female_head, is_deprived, state);
