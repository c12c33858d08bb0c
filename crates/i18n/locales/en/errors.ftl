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
