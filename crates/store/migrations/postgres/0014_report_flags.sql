-- Reports over a million files in under a second (docs/PERFORMANCE.md). The file carries
-- what the reports group and filter by, so that they read `application` (or an index of it)
-- alone instead of joining every file to its person and county and every stage clock to its
-- file:
--   gender, is_female_head  the applicant's, kept equal to the person's by triggers;
--   is_deprived             the county's flag today, kept equal by a trigger on county;
--   stages_reached          one bit per stage the file has had a clock in (a trigger on
--                           stage_timing), the bits as `vamyar_store::report::STAGE_BITS`.
alter table application add column gender text;
alter table application add column is_female_head bigint not null default 0 check (is_female_head in (0, 1));
alter table application add column is_deprived bigint not null default 0 check (is_deprived in (0, 1));
alter table application add column stages_reached bigint not null default 0;
update application a set gender = p.gender, is_female_head = p.is_female_head
from person p where p.id = a.person_id;
update application a set is_deprived = c.is_deprived
from county c where c.code = a.county_code and c.is_deprived <> 0;
update application a set stages_reached = s.mask
from (select application_id, sum(distinct case state
            when 'submitted' then 1
            when 'needs_correction' then 2
            when 'rejected' then 4
            when 'documents_pending' then 8
            when 'counselling' then 16
            when 'awaiting_referral' then 32
            when 'referred' then 64
            when 'guarantees_pending' then 128
            when 'bank_approved' then 256
            when 'active' then 512
            when 'accelerated' then 1024
            when 'closed' then 2048
            when 'withdrawn' then 4096
            else 0 end) as mask
      from stage_timing group by application_id) s
where s.application_id = a.id;
create function application_report_flags() returns trigger language plpgsql as $$
begin
    select p.gender, p.is_female_head into new.gender, new.is_female_head
    from person p where p.id = new.person_id;
    select c.is_deprived into new.is_deprived from county c where c.code = new.county_code;
    new.is_deprived := coalesce(new.is_deprived, 0);
    return new;
end
$$;
create trigger application_report_flags before insert on application
for each row execute function application_report_flags();
create function person_report_flags() returns trigger language plpgsql as $$
begin
    update application set gender = new.gender, is_female_head = new.is_female_head
    where person_id = new.id;
    return null;
end
$$;
create trigger person_report_flags after update of gender, is_female_head on person
for each row
when (old.gender is distinct from new.gender or old.is_female_head is distinct from new.is_female_head)
execute function person_report_flags();
create function county_report_flags() returns trigger language plpgsql as $$
begin
    update application set is_deprived = new.is_deprived where county_code = new.code;
    return null;
end
$$;
create trigger county_report_flags after update of is_deprived on county
for each row when (old.is_deprived is distinct from new.is_deprived)
execute function county_report_flags();
-- (a file already marked for the stage is not written again: no new row version)
create function stage_reached() returns trigger language plpgsql as $$
declare
    stage_bit bigint := case new.state
            when 'submitted' then 1
            when 'needs_correction' then 2
            when 'rejected' then 4
            when 'documents_pending' then 8
            when 'counselling' then 16
            when 'awaiting_referral' then 32
            when 'referred' then 64
            when 'guarantees_pending' then 128
            when 'bank_approved' then 256
            when 'active' then 512
            when 'accelerated' then 1024
            when 'closed' then 2048
            when 'withdrawn' then 4096
            else 0 end;
begin
    update application set stages_reached = stages_reached | stage_bit
    where id = new.application_id and (stages_reached & stage_bit) = 0;
    return null;
end
$$;
create trigger stage_reached after insert on stage_timing
for each row execute function stage_reached();
-- The priority groups count files per (stages reached, female head, deprived) from this
-- index alone; a province's or a bank's from it too.
create index application_report_groups on application
    (stages_reached, is_female_head, is_deprived, province_code, bank_id, submitted_at);
-- A bank's loan reports (disbursements by day, jobs) read this index alone too.
drop index loan_report_portfolio;
create index loan_report_portfolio on loan
    (bank_id, province_code, status, arrears_days, principal, principal_repaid, disbursed_on,
     accelerated_on);
