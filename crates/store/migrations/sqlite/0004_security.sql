-- Vamyar schema, step 4: safe on the internet (issue 11).
-- A one-time code is either a login code or the confirmation of a person's own mobile change
-- (sent to the old mobile; the new mobile waits in the challenge until the code is given).
alter table otp_challenge add column purpose text not null default 'login';
alter table otp_challenge add column new_mobile text;
-- A second factor (RFC 6238 TOTP) for national and province administrators: the base32
-- secret while enrolling and once enrolled, and when enrolment was confirmed.
alter table staff_user add column totp_secret text;
alter table staff_user add column totp_enabled_at text;
