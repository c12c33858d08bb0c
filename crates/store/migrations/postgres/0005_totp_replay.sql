-- Vamyar schema, step 5: a TOTP code is accepted once (RFC 6238 §5.2, ASVS 2.8.4).
-- The last accepted time step (unix seconds / 30) of a staff account's second factor; a
-- code of that step or an earlier one is refused.
alter table staff_user add column totp_last_step bigint;
