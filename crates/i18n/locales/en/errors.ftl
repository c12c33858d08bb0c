# Errors of the API and the pages. The id is "error-" followed by the error's code.

## Whole requests
error-bad_request = The request is not valid.
error-invalid_path = The request's address is not valid: an id in it is not a proper number.
error-invalid_query = The request's query parameters are not valid.
error-invalid_json = The request body is not valid JSON: { $detail }
error-validation_failed = Some values are not right. Please correct the fields marked.
error-unauthenticated = You need to log in to do this.
error-forbidden = You are not allowed to do this.
error-not_found = What you asked for was not found.
error-method_not_allowed = This method is not accepted at this address.
error-conflict = This action does not fit the file's current state.
error-stale_version = Someone else changed the file meanwhile. Please reload and try again.
error-payload_too_large = The file or request is larger than allowed.
error-unsupported_media_type = The request's content type is not accepted.
error-too_many_requests = Too many requests. Please try again a little later.
error-internal = Something went wrong in the system. Your action was not carried out; please try again.
error-unavailable = The service is temporarily unavailable. Please try again a little later.
error-page-title = Error
error-page-home = Back to the home page

## Fields
error-required = This is required.
error-too_long = This must be at most { $max } characters.
error-out_of_range = This value is outside the allowed range.
error-invalid_choice = This choice is not valid.
error-invalid_number = Enter a whole number.
error-invalid_value = This value is not right.
error-date_in_future = This date cannot be in the future.
error-age_out_of_range = With this birth date the applicant's age is outside the accepted range.
error-unknown_province = There is no province with this code.
error-unknown_county = There is no county with this code.
error-county_not_in_province = This county is not in the chosen province.
error-female_head_requires_female = "Female head of household" applies only to a female applicant.
error-password_too_short = The password must be at least 12 characters.
error-password_too_long = The password is too long.

## Identifiers and amounts
error-national_id_empty = Enter the national ID.
error-national_id_invalid_character = The national ID must contain digits only.
error-national_id_length = The national ID must have 10 digits.
error-national_id_pattern = This national ID is not valid.
error-national_id_check_digit = The national ID is not right: its check digit does not match. Please check it again.
error-mobile_empty = Enter the mobile number.
error-mobile_invalid_character = The mobile number must contain digits only.
error-mobile_malformed = The mobile number must look like 09xxxxxxxxx (11 digits).
error-sheba_empty = Enter the Sheba number.
error-sheba_invalid_character = The Sheba number must be IR followed by digits.
error-sheba_length = The Sheba number must be IR followed by 24 digits.
error-sheba_checksum = The Sheba number is not right: its check digits do not match.
error-postal_code_empty = Enter the postal code.
error-postal_code_invalid_character = The postal code must contain digits only.
error-postal_code_length = The postal code must have 10 digits.
error-postal_code_pattern = This postal code is not valid.
error-tracking_code_empty = Enter the tracking code.
error-tracking_code_invalid_character = The tracking code must contain digits only.
error-tracking_code_length = The tracking code must have 12 digits.
error-tracking_code_check = The tracking code is not right; please check it again.
error-verification_code_empty = Enter the letter's verification code.
error-verification_code_invalid_character = The verification code must contain digits only.
error-verification_code_length = The verification code must have 16 digits.
error-verification_code_check = The verification code is not right; please check it against the letter again.
error-text_empty = This is required.
error-text_too_long = This text is too long.
error-text_control_character = This text contains invalid characters.
error-amount_empty = Enter the amount.
error-amount_not_a_number = The amount must be a number.
error-amount_fraction = The amount must be a whole number of rials.
error-amount_negative = The amount cannot be negative.
error-amount_too_large = The amount is too large.

## Dates
error-date_empty = Enter the date.
error-date_malformed = Enter the date like 1405/01/15.
error-date_year_not_first = Write the year first, like 1405/01/15.
error-date_month_invalid = The month must be between 1 and 12.
error-date_does_not_exist = There is no such day in the calendar.
error-date_out_of_range = The year of this date is outside the accepted range.
error-calendar_no_working_weekdays = At least one weekday must be a working day.

## Logging in
error-invalid_credentials = The username or password is not right.
error-invalid_code = The code is not right or has expired. Please request a new code.
error-otp_code_malformed = The code has 6 digits.

## Administration: programs, banks, memoranda, quotas, holidays
error-program_code_taken = A program with this code already exists.
error-bank_code_taken = A bank with this code already exists.
error-branch_code_taken = This bank already has a branch with this code.
error-memorandum_exists = This bank already has a memorandum for this program.
error-holiday_exists = This date is already a holiday.
error-code_malformed = Use { $min } to { $max } lowercase Latin letters, digits and hyphens.
error-sheba_code_malformed = The bank's Sheba code has 3 digits.
error-duplicate_value = This value appears more than once.
error-duplicate_loan_type = This loan type appears more than once.
error-unknown_document_kind = This document kind is not known.
error-unknown_sector = This business sector is not known.
error-sector_not_in_program = This program does not offer this business sector; choose one of the program's sectors.
error-unknown_eligible_group = This group is not known.
error-unknown_bank = There is no bank with this id.
error-unknown_program = There is no program with this id.
error-priority_weights_invalid = This priority weight is not acceptable.
error-service_levels_invalid = This service level must be between 1 and 300 working days.
error-visit_months_not_ascending = Visit months must be in ascending order.
error-date_range_reversed = This date cannot be before the start date.
error-quota_below_used = The quota cannot be lower than what is already used ({ $used }).

## The file's journey
error-amount_above_ceiling = This amount is above the ceiling ({ $ceiling } rials).
error-outside_your_county = This file is not in the county you serve.
error-not_your_national_id = The national ID differs from the one you logged in with.
error-not_your_mobile = The mobile differs from the one the one-time code was sent to.
error-open_file_exists = This applicant already has an open file in this program.
error-invalid_state = This action is not possible at the file's current stage.
error-role_not_allowed = Your role may not do this.
error-reason_required = Please give the reason.
error-plan_review_missing = The business plan review must be recorded before the plan is approved.
error-no_open_referral = This file has no open referral letter.
error-unknown_branch = There is no branch with this id.
error-no_memorandum = This bank has no valid memorandum for this program.
error-quota_exhausted = This province's quota with this bank is used up.
error-action_not_available = This action is not available yet.

## Documents and counselling
error-document_not_pending = This document has already been reviewed or replaced.
error-unsupported_file_type = Only PDF, JPEG and PNG files are accepted.
error-file_empty = The file is empty.
error-date_in_past = This date cannot be in the past.

## Loans, payments and visits
error-amount_above_approved = This amount is above the approved amount ({ $approved } rials).
error-date_before_referral = The disbursement date cannot be before the referral letter's date.
error-date_before_disbursement = This date cannot be before the loan was paid out.
error-contract_number_taken = This bank already has a loan with this contract number.
error-loan_terms_invalid = The memorandum's loan terms are not valid, so no schedule can be made.
error-loan_closed = This loan is settled and closed; no more payments are accepted.
error-bank_reference_conflict = This bank reference was already used for a different payment.
error-no_loan = This file has no loan.
error-no_failed_visit = The loan can be made due only after a monitoring visit found the plan not carried out.
error-visit_already_recorded = This visit has already been recorded.
error-unknown_contract = This bank has no loan with this contract number.
error-csv_not_utf8 = The file is not UTF-8 text; nothing was posted.
error-csv_header = The first line must be contract_number,bank_reference,amount,paid_on; nothing was posted.
error-csv_too_many_rows = The file has more than { $max } rows; split it. Nothing was posted.
error-csv_field_count = This row has { $found } fields instead of { $expected }.
error-csv_unreadable_row = This row cannot be read as CSV ({ $detail }).
error-holiday_csv_header = The first line must be date,name_fa,name_en; nothing was added.
error-decile_csv_header = The first line must be national_id,decile; nothing was imported.
error-decile_invalid = The decile must be a whole number from 1 to 10.
error-username_taken = This username is taken.
error-same_mobile = This is already the registered mobile.
error-cross_site_request = This request came from another site and was refused. Reopen the page and continue from there.
error-busy = The service is busy right now. Please try again in a moment.
error-password_too_common = This password is too common and easily guessed. Choose another.
error-own_account = You cannot deactivate your own account.
error-totp_enrolment_required = Set up your authenticator app (time-based one-time code) before doing anything else.
error-totp_code_used = This code has already been used. Wait for the app's next code and enter that.
error-totp_already_enabled = This account's authenticator app is already set up.
error-totp_not_enrolled = Start setting up the authenticator app first.
error-totp_reset_not_province_admin = Only a province administrator's second factor is reset from this page.
error-own_role = You cannot change your own role.

## Reports
error-outside_your_scope = This is outside your area of work.
error-filter_not_applicable = This report does not take this filter.
error-date_before_from = The end date cannot be before the start date.

## Four eyes and payment corrections
error-proposer_cannot_confirm = The person who proposed this cannot confirm or reject it; a second person must.
error-proposal_expired = This proposal has expired and can no longer be confirmed; propose it again if it is still needed.
error-proposal_decided = This proposal has already been decided.
error-proposal_pending = The same act has already been proposed and awaits confirmation.
error-payment_already_reversed = This payment has already been reversed.
error-loan_accelerated = This loan has been made due (accelerated); its payments cannot be reversed or back-dated.
# Complaints and appeals
error-complaint_file_unknown = No file you can see has this tracking code.
error-appeal_needs_rejection = An appeal is only possible against a file that was rejected; choose "complaint" otherwise.
error-appeal_already_open = An appeal about this file is already waiting for its answer.
error-complaint_answered = This complaint has already been answered.

# Households
error-household_has_open_file = This applicant's household (case file) already holds the open file { $code }; a household may hold only { $max } open file(s).
error-household_has_open_file_own = Your household already holds an open file; a household may hold only { $max } open file(s). Ask your county office.
error-invalid_case_number = A case number has only digits, Latin letters, dashes and slashes, at most 30 characters.
error-case_number_taken = A household with this case number is already recorded.
error-household_member_elsewhere = This national ID is linked into another household.
