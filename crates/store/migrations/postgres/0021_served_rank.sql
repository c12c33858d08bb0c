-- Vamyar schema, step 21: files whose loan was disbursed rank after every waiting file
-- (vamyar_domain::queue_key::SERVED, 2^52), at a rank that never changes, so that close of
-- business re-ranks only the waiting files that passed the waiting cap, not every loan.
update application a set queue_rank = 4503599627370496 + coalesce((
    select (p.priority_weights::json ->> 'per_day_waited')::bigint from program p
    where p.id = a.program_id), 2) * a.submitted_day - a.priority_score
where a.state in ('active', 'accelerated');
-- The capped files close of business reads each day: waiting files only (the same predicate
-- as vamyar_store::queue::WAITING).
drop index application_capped;
create index application_capped on application (program_id, submitted_day)
    where state not in ('rejected', 'withdrawn', 'closed', 'active', 'accelerated');
