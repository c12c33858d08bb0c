-- Reports over a million files in under a second (docs/PERFORMANCE.md).
-- The funnel and the priority groups count files per stage from the stage clocks, and files
-- per state: both answered from an index alone.
create index stage_timing_state_file on stage_timing (state, application_id);
create index application_state on application (state);
-- The portfolio and the jobs group loans by the file's province: kept on the loan (a file
-- never changes province), set when the loan is written, so that they read `loan` alone.
alter table loan add column province_code text;
update loan l set province_code = a.province_code from application a
where a.id = l.application_id;
create function loan_province() returns trigger language plpgsql as $$
begin
    if new.province_code is null then
        select a.province_code into new.province_code from application a
        where a.id = new.application_id;
    end if;
    return new;
end
$$;
create trigger loan_province before insert on loan
for each row execute function loan_province();
