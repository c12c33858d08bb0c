-- The version of the reference data a request reads on every registration and action: the
-- geography, the holidays and the programs. Every write to those tables bumps it (by
-- trigger, so direct SQL counts too), and each server process keeps its parsed copy until the
-- version changes: one tiny read instead of several table loads per request, and no server
-- of several ever works from stale settings.
create table reference_version (
    id integer primary key check (id = 1),
    n integer not null,
    created_at text not null
);
insert into reference_version (id, n, created_at) values (1, 0, '2026-12-01T00:00:00.000000Z');

create trigger province_insert_bumps_reference after insert on province
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger province_update_bumps_reference after update on province
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger province_delete_bumps_reference after delete on province
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger county_insert_bumps_reference after insert on county
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger county_update_bumps_reference after update on county
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger county_delete_bumps_reference after delete on county
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger holiday_insert_bumps_reference after insert on holiday
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger holiday_update_bumps_reference after update on holiday
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger holiday_delete_bumps_reference after delete on holiday
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger program_insert_bumps_reference after insert on program
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger program_update_bumps_reference after update on program
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger program_delete_bumps_reference after delete on program
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger program_loan_type_insert_bumps_reference after insert on program_loan_type
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger program_loan_type_update_bumps_reference after update on program_loan_type
begin
    update reference_version set n = n + 1 where id = 1;
end;

create trigger program_loan_type_delete_bumps_reference after delete on program_loan_type
begin
    update reference_version set n = n + 1 where id = 1;
end;

-- Secrets of the installation, made on first use and shared by every server process:
-- `tracking_code` keys the permutation that turns a file's id into its tracking code.
create table installation_secret (
    name text primary key,
    value text not null,
    created_at text not null
);
