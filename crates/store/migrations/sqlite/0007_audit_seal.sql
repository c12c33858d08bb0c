-- Vamyar schema, step 7: the audit chain is sealed after commit, not on append.
-- An audited write only inserts its row, with seq, prev_hash and hash null; the sealer
-- (vamyar_store::audit::seal, under the audit_head row's lock) later gives committed rows, in
-- id order, the next seq after the head, the previous hash and their own hash. Rows already
-- in the log were sealed when they were appended and keep their values.
-- SQLite cannot drop a not-null constraint: the table is rebuilt with the same ids.
create table audit_log_sealed_later (
    id integer primary key autoincrement,
    seq integer,
    occurred_at text not null,
    actor_kind text not null,
    actor_id integer,
    action text not null,
    entity text not null,
    entity_id text,
    outcome text not null,
    detail text not null default '{}',
    ip text,
    prev_hash text,
    hash text,
    created_at text not null
);
insert into audit_log_sealed_later (id, seq, occurred_at, actor_kind, actor_id, action, entity,
    entity_id, outcome, detail, ip, prev_hash, hash, created_at)
select id, seq, occurred_at, actor_kind, actor_id, action, entity, entity_id, outcome, detail,
    ip, prev_hash, hash, created_at
from audit_log order by id;
-- ids are never reused, not even those of rows deleted at the end
delete from sqlite_sequence where name = 'audit_log_sealed_later';
insert into sqlite_sequence (name, seq)
select 'audit_log_sealed_later', seq from sqlite_sequence where name = 'audit_log';
drop table audit_log;
alter table audit_log_sealed_later rename to audit_log;
create unique index audit_log_seq_key on audit_log (seq);
create index audit_log_entity on audit_log (entity, entity_id);
-- The sealer's work list. audit_log_seq_key stays unique (nulls are distinct).
create index audit_log_unsealed on audit_log (id) where seq is null;
