-- Vamyar schema, step 7: the audit chain is sealed after commit, not on append.
-- An audited write only inserts its row, with seq, prev_hash and hash null; the sealer
-- (vamyar_store::audit::seal, under the audit_head row's lock) later gives committed rows, in
-- id order, the next seq after the head, the previous hash and their own hash. Rows already
-- in the log were sealed when they were appended and keep their values.
alter table audit_log alter column seq drop not null;
alter table audit_log alter column prev_hash drop not null;
alter table audit_log alter column hash drop not null;
-- The sealer's work list. audit_log_seq_key stays unique (nulls are distinct).
create index audit_log_unsealed on audit_log (id) where seq is null;
