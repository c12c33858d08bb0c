-- Vamyar schema, step 13: a referral letter's verification code (کد استعلام).
-- Sixteen digits derived from the letter's id under the installation's key
-- (`VerificationCode::derive`), stored the first time the letter is printed, so that the public
-- page `/verify/{code}` finds the letter with one index look-up. NULL until then.
alter table referral add column verification_code text;
create unique index referral_verification_code_key on referral (verification_code);
