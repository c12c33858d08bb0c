-- Vamyar schema, step 21: files whose loan was disbursed rank after every waiting file
-- (vamyar_domain::queue_key::SERVED, 2^52), at a rank that never changes, so that close of
-- business re-ranks only the waiting files that passed the waiting cap, not every loan.
update application set queue_rank = 4503599627370496 + coalesce((
    select json_extract(p.priority_weights, '$.per_day_waited') from program p
    where p.id = application.program_id), 2) * submitted_day - priority_score
where state in ('active', 'accelerated');
-- The capped files close of business reads each day: waiting files only (the same predicate
-- as vamyar_store::queue::WAITING).
drop index application_capped;
create index application_capped on application (program_id, submitted_day)
    where state not in ('rejected', 'withdrawn', 'closed', 'active', 'accelerated');
