# Errors of the API and the pages. The id is "error-" followed by the error's code.

## Whole requests
error-bad_request = درخواست نامعتبر است.
error-invalid_json = بدنهٔ درخواست JSON معتبری نیست: { $detail }
error-validation_failed = برخی از مقادیر واردشده درست نیست. لطفاً موارد مشخص‌شده را اصلاح کنید.
error-unauthenticated = برای این کار باید وارد سامانه شوید.
error-forbidden = شما اجازهٔ این کار را ندارید.
error-not_found = موردی که خواستید پیدا نشد.
error-method_not_allowed = این روش درخواست برای این نشانی پذیرفته نیست.
error-conflict = این کار با وضعیت فعلی پرونده سازگار نیست.
error-stale_version = پرونده در این فاصله به‌دست شخص دیگری تغییر کرده است. لطفاً صفحه را تازه کنید و دوباره تلاش کنید.
error-payload_too_large = حجم فایل یا درخواست بیش از حد مجاز است.
error-unsupported_media_type = نوع محتوای درخواست پذیرفته نیست.
error-too_many_requests = تعداد درخواست‌ها بیش از حد است. لطفاً کمی بعد دوباره تلاش کنید.
error-internal = خطایی در سامانه رخ داد. کار شما انجام نشد؛ لطفاً دوباره تلاش کنید.
error-unavailable = سامانه موقتاً در دسترس نیست. لطفاً کمی بعد دوباره تلاش کنید.
error-page-title = خطا
error-page-home = بازگشت به صفحهٔ اصلی

## Fields
error-required = این مورد را باید وارد کنید.
error-too_long = این مورد نباید بیش از { $max } نویسه باشد.
error-out_of_range = این مقدار خارج از بازهٔ مجاز است.
error-invalid_choice = این گزینه معتبر نیست.
error-invalid_number = یک عدد درست وارد کنید.
