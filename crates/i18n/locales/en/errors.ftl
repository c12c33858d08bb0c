# Errors of the API and the pages. The id is "error-" followed by the error's code.

## Whole requests
error-bad_request = The request is not valid.
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
error-password_too_short = The password must be at least 8 characters.
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
