-- The version of the reference data a request reads on every registration and action: the
-- geography, the holidays and the programs. Every write to those tables bumps it (by
-- trigger, so direct SQL counts too), and each server process keeps its parsed copy until the
-- version changes: one tiny read instead of several table loads per request, and no server
-- of several ever works from stale settings.
create table reference_version (
    id bigint primary key check (id = 1),
    n bigint not null,
    created_at text not null
);
insert into reference_version (id, n, created_at) values (1, 0, '2026-12-01T00:00:00.000000Z');

create function bump_reference_version() returns trigger language plpgsql as $$
begin
    update reference_version set n = n + 1 where id = 1;
    return null;
end;
$$;

create trigger province_bumps_reference after insert or update or delete on province
    for each statement execute function bump_reference_version();

create trigger county_bumps_reference after insert or update or delete on county
    for each statement execute function bump_reference_version();

create trigger holiday_bumps_reference after insert or update or delete on holiday
    for each statement execute function bump_reference_version();

create trigger program_bumps_reference after insert or update or delete on program
    for each statement execute function bump_reference_version();

create trigger program_loan_type_bumps_reference after insert or update or delete on program_loan_type
    for each statement execute function bump_reference_version();

-- Secrets of the installation, made on first use and shared by every server process:
-- `tracking_code` keys the permutation that turns a file's id into its tracking code.
create table installation_secret (
    name text primary key,
    value text not null,
    created_at text not null
);
