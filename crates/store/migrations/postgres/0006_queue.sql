-- Vamyar schema, step 6: the staff queue ordered in the database (issue 14).
-- queue_rank: w × today − live priority score, stored so that an index on
-- (queue_rank, submitted_at, id) gives the queue highest priority first (vamyar_domain::queue_key).
-- submitted_day: the Tehran day of submission, as days since 1970-01-01.
-- bank_id, branch_id: the bank and branch of the file's latest referral (were a subquery).
alter table application add column queue_rank bigint not null default 0;
alter table application add column submitted_day bigint not null default 0;
alter table application add column bank_id bigint;
alter table application add column branch_id bigint;
update application set
    submitted_day = (((submitted_at::timestamptz at time zone 'UTC') + interval '210 minutes')::date - date '1970-01-01');
update application a set queue_rank = coalesce((
    select (p.priority_weights::json ->> 'per_day_waited')::bigint from program p
    where p.id = a.program_id), 2) * a.submitted_day - a.priority_score;
update application a set bank_id = r.bank_id, branch_id = r.branch_id
    from referral r
    where r.id = (select max(r2.id) from referral r2 where r2.application_id = a.id);
-- Files still in the queue (the same predicate as vamyar_store::queue::OPEN).
drop index application_queue;
create index application_queue_all on application (queue_rank, submitted_at, id)
    where state not in ('rejected', 'withdrawn', 'closed');
create index application_queue_state on application (state, queue_rank, submitted_at, id)
    where state not in ('rejected', 'withdrawn', 'closed');
create index application_queue_province on application (province_code, queue_rank, submitted_at, id)
    where state not in ('rejected', 'withdrawn', 'closed');
create index application_queue_county on application (county_code, queue_rank, submitted_at, id)
    where state not in ('rejected', 'withdrawn', 'closed');
create index application_queue_bank on application (bank_id, queue_rank, submitted_at, id)
    where state not in ('rejected', 'withdrawn', 'closed');
create index application_queue_branch on application (branch_id, queue_rank, submitted_at, id)
    where state not in ('rejected', 'withdrawn', 'closed');
create index application_queue_breached on application (queue_rank, submitted_at, id)
    where is_breached = 1 and state not in ('rejected', 'withdrawn', 'closed');
create index application_capped on application (program_id, submitted_day)
    where state not in ('rejected', 'withdrawn', 'closed');
-- The bank's inbox, newest first, a page at a time.
create index referral_bank_inbox on referral (bank_id, id);
create index referral_branch_inbox on referral (branch_id, id);
create index referral_bank_status_inbox on referral (bank_id, status, id);
-- A file belongs to the bank (and branch) of its newest referral, however the referral is written.
create function referral_sets_file_bank() returns trigger language plpgsql as $$
begin
    update application set bank_id = new.bank_id, branch_id = new.branch_id
    where id = new.application_id;
    return new;
end;
$$;
create trigger referral_sets_file_bank after insert on referral
    for each row execute function referral_sets_file_bank();
