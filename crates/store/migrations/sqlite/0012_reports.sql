-- Reports over a million files in under a second (docs/PERFORMANCE.md).
-- The funnel and the priority groups count files per stage from the stage clocks, and files
-- per state: both answered from an index alone.
create index stage_timing_state_file on stage_timing (state, application_id);
create index application_state on application (state);
-- The portfolio and the jobs group loans by the file's province: kept on the loan (a file
-- never changes province), set when the loan is written, so that they read `loan` alone.
alter table loan add column province_code text;
update loan set province_code =
    (select a.province_code from application a where a.id = loan.application_id);
create trigger loan_province after insert on loan
for each row when new.province_code is null
begin
    update loan set province_code =
        (select a.province_code from application a where a.id = new.application_id)
    where id = new.id;
end;
-- The loan reports read only these indexes, in the order they group by: disbursements by
-- day, the portfolio by bank and province (with what its classes and PAR30 add up), the jobs
-- by province; with the bank and the province in each, so that a bank's or a province's
-- report is read from the index too.
create index loan_report_disbursed on loan (disbursed_on, principal, bank_id, province_code);
create index loan_report_portfolio
    on loan (bank_id, province_code, status, arrears_days, principal, principal_repaid);
create index loan_report_jobs on loan (province_code, status, accelerated_on, bank_id);
