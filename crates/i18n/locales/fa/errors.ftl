# Errors of the API and the pages. The id is "error-" followed by the error's code.

## Whole requests
error-bad_request = درخواست نامعتبر است.
error-invalid_path = نشانی درخواست نامعتبر است: شناسه‌ای که در نشانی آمده عدد درست نیست.
error-invalid_query = پارامترهای نشانی درخواست نامعتبر است.
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
error-invalid_value = مقدار این مورد درست نیست.
error-date_in_future = این تاریخ نمی‌تواند در آینده باشد.
error-age_out_of_range = سن متقاضی با این تاریخ تولد در بازهٔ پذیرفتنی نیست.
error-unknown_province = استانی با این کد وجود ندارد.
error-unknown_county = شهرستانی با این کد وجود ندارد.
error-county_not_in_province = این شهرستان در استان انتخاب‌شده نیست.
error-female_head_requires_female = «زن سرپرست خانوار» فقط برای متقاضی زن قابل انتخاب است.
error-password_too_short = گذرواژه باید دست‌کم ۱۲ نویسه باشد.
error-password_too_long = گذرواژه بیش از اندازه بلند است.

## Identifiers and amounts
error-national_id_empty = کد ملی را وارد کنید.
error-national_id_invalid_character = کد ملی فقط باید رقم داشته باشد.
error-national_id_length = کد ملی باید ۱۰ رقم باشد.
error-national_id_pattern = این کد ملی معتبر نیست.
error-national_id_check_digit = کد ملی درست نیست؛ رقم کنترل آن نمی‌خواند. لطفاً دوباره بررسی کنید.
error-mobile_empty = شمارهٔ همراه را وارد کنید.
error-mobile_invalid_character = شمارهٔ همراه فقط باید رقم داشته باشد.
error-mobile_malformed = شمارهٔ همراه باید به شکل ۰۹xxxxxxxxx (۱۱ رقم) باشد.
error-sheba_empty = شمارهٔ شبا را وارد کنید.
error-sheba_invalid_character = شمارهٔ شبا فقط باید IR و رقم داشته باشد.
error-sheba_length = شمارهٔ شبا باید IR و ۲۴ رقم باشد.
error-sheba_checksum = شمارهٔ شبا درست نیست؛ رقم‌های کنترل آن نمی‌خواند.
error-postal_code_empty = کد پستی را وارد کنید.
error-postal_code_invalid_character = کد پستی فقط باید رقم داشته باشد.
error-postal_code_length = کد پستی باید ۱۰ رقم باشد.
error-postal_code_pattern = این کد پستی معتبر نیست.
error-tracking_code_empty = کد رهگیری را وارد کنید.
error-tracking_code_invalid_character = کد رهگیری فقط باید رقم داشته باشد.
error-tracking_code_length = کد رهگیری باید ۱۲ رقم باشد.
error-tracking_code_check = کد رهگیری درست نیست؛ لطفاً دوباره بررسی کنید.
error-verification_code_empty = کد استعلام نامه را وارد کنید.
error-verification_code_invalid_character = کد استعلام فقط باید رقم داشته باشد.
error-verification_code_length = کد استعلام باید ۱۶ رقم باشد.
error-verification_code_check = کد استعلام درست نیست؛ لطفاً آن را دوباره با نامه مقایسه کنید.
error-text_empty = این مورد را باید وارد کنید.
error-text_too_long = این متن بیش از اندازه بلند است.
error-text_control_character = این متن نویسه‌های نامعتبر دارد.
error-amount_empty = مبلغ را وارد کنید.
error-amount_not_a_number = مبلغ باید عدد باشد.
error-amount_fraction = مبلغ باید عدد صحیح (ریال) باشد.
error-amount_negative = مبلغ نمی‌تواند منفی باشد.
error-amount_too_large = مبلغ بیش از حد بزرگ است.

## Dates
error-date_empty = تاریخ را وارد کنید.
error-date_malformed = تاریخ را به شکل ۱۴۰۵/۰۱/۱۵ وارد کنید.
error-date_year_not_first = سال را اول بنویسید، مانند ۱۴۰۵/۰۱/۱۵.
error-date_month_invalid = ماه باید بین ۱ و ۱۲ باشد.
error-date_does_not_exist = چنین روزی در تقویم وجود ندارد.
error-date_out_of_range = سال این تاریخ در بازهٔ پذیرفتنی نیست.
error-calendar_no_working_weekdays = دست‌کم یک روز هفته باید روز کاری باشد.

## Logging in
error-invalid_credentials = نام کاربری یا گذرواژه درست نیست.
error-invalid_code = کد درست نیست یا منقضی شده است. لطفاً کد تازه‌ای درخواست کنید.
error-otp_code_malformed = کد ۶ رقم دارد.

## Administration: programs, banks, memoranda, quotas, holidays
error-program_code_taken = برنامه‌ای با این کد از پیش وجود دارد.
error-bank_code_taken = بانکی با این کد از پیش وجود دارد.
error-branch_code_taken = این بانک شعبه‌ای با این کد دارد.
error-memorandum_exists = این بانک برای این برنامه تفاهم‌نامه دارد.
error-holiday_exists = این تاریخ از پیش تعطیل است.
error-code_malformed = از { $min } تا { $max } حرف کوچک لاتین، رقم و خط تیره به کار ببرید.
error-sheba_code_malformed = کد شبای بانک ۳ رقم دارد.
error-duplicate_value = این مقدار بیش از یک بار آمده است.
error-duplicate_loan_type = این نوع وام بیش از یک بار آمده است.
error-unknown_document_kind = این نوع مدرک شناخته نیست.
error-unknown_sector = این بخش فعالیت شناخته نیست.
error-sector_not_in_program = این بخش فعالیت در این طرح پذیرفته نیست؛ یکی از بخش‌های طرح را انتخاب کنید.
error-unknown_eligible_group = این گروه شناخته نیست.
error-unknown_bank = بانکی با این شناسه وجود ندارد.
error-unknown_program = برنامه‌ای با این شناسه وجود ندارد.
error-priority_weights_invalid = این وزن اولویت پذیرفتنی نیست.
error-service_levels_invalid = سطح خدمت باید بین ۱ تا ۳۰۰ روز کاری باشد.
error-visit_months_not_ascending = ماه‌های بازدید باید به ترتیب صعودی باشند.
error-date_range_reversed = این تاریخ نمی‌تواند پیش از تاریخ شروع باشد.
error-quota_below_used = سهمیه نمی‌تواند کمتر از مقدار مصرف‌شده ({ $used }) باشد.

## The file's journey
error-amount_above_ceiling = این مبلغ از سقف مجاز ({ $ceiling } ریال) بیشتر است.
error-outside_your_county = این پرونده در شهرستان حوزهٔ کاری شما نیست.
error-not_your_national_id = کد ملی با کد ملی واردشده در ورود یکسان نیست.
error-not_your_mobile = شمارهٔ همراه با شماره‌ای که کد یک‌بارمصرف به آن فرستاده شد یکسان نیست.
error-open_file_exists = این متقاضی برای این برنامه پرونده‌ای باز دارد.
error-invalid_state = این کار در مرحلهٔ فعلی پرونده ممکن نیست.
error-role_not_allowed = نقش شما اجازهٔ این کار را ندارد.
error-reason_required = لطفاً دلیل را بنویسید.
error-plan_review_missing = پیش از تأیید طرح، بررسی طرح کسب‌وکار باید ثبت شود.
error-no_open_referral = این پرونده معرفی‌نامهٔ باز ندارد.
error-unknown_branch = شعبه‌ای با این شناسه وجود ندارد.
error-no_memorandum = این بانک برای این برنامه تفاهم‌نامهٔ معتبری ندارد.
error-quota_exhausted = سهمیهٔ این استان نزد این بانک تمام شده است.
error-action_not_available = این کار هنوز در دسترس نیست.

## Documents and counselling
error-document_not_pending = این مدرک پیش‌تر بررسی یا جایگزین شده است.
error-unsupported_file_type = فقط فایل‌های PDF، JPEG و PNG پذیرفته می‌شوند.
error-file_empty = فایل خالی است.
error-date_in_past = این تاریخ نمی‌تواند در گذشته باشد.

## Loans, payments and visits
error-amount_above_approved = این مبلغ از مبلغ مصوب ({ $approved } ریال) بیشتر است.
error-date_before_referral = تاریخ پرداخت وام نمی‌تواند پیش از تاریخ معرفی‌نامه باشد.
error-date_before_disbursement = این تاریخ نمی‌تواند پیش از پرداخت وام باشد.
error-contract_number_taken = این بانک وام دیگری با همین شمارهٔ قرارداد دارد.
error-loan_terms_invalid = شرایط وام در تفاهم‌نامه معتبر نیست و جدول اقساط ساخته نمی‌شود.
error-loan_closed = این وام تسویه و بسته شده است و پرداخت دیگری پذیرفته نمی‌شود.
error-bank_reference_conflict = این شمارهٔ پیگیری بانک پیش‌تر برای پرداخت دیگری به کار رفته است.
error-no_loan = این پرونده وامی ندارد.
error-no_failed_visit = حالّ کردن دین وام فقط پس از بازدید نظارتی‌ای ممکن است که اجرا نشدن طرح را ثبت کرده باشد.
error-visit_already_recorded = این بازدید پیش‌تر ثبت شده است.
error-unknown_contract = این بانک وامی با این شمارهٔ قرارداد ندارد.
error-csv_not_utf8 = فایل متن UTF-8 نیست و هیچ پرداختی ثبت نشد.
error-csv_header = سطر نخست باید contract_number,bank_reference,amount,paid_on باشد؛ هیچ پرداختی ثبت نشد.
error-csv_too_many_rows = فایل بیش از { $max } سطر دارد؛ آن را چند بخش کنید. هیچ پرداختی ثبت نشد.
error-csv_field_count = این سطر به جای { $expected } ستون، { $found } ستون دارد.
error-csv_unreadable_row = این سطر به‌صورت CSV خوانده نمی‌شود ({ $detail }).
error-holiday_csv_header = سطر نخست باید date,name_fa,name_en باشد؛ هیچ تعطیلی افزوده نشد.
error-decile_csv_header = سطر نخست باید national_id,decile باشد؛ چیزی وارد نشد.
error-decile_invalid = دهک باید عددی صحیح از ۱ تا ۱۰ باشد.
error-username_taken = این نام کاربری پیش‌تر گرفته شده است.
error-same_mobile = این همان شماره تلفن همراه ثبت‌شده است.
error-cross_site_request = این درخواست از وب‌گاه دیگری آمده است و پذیرفته نشد. صفحه را دوباره باز کنید و از همان‌جا ادامه دهید.
error-busy = سامانه هم‌اکنون سرش شلوغ است. لطفاً چند لحظه بعد دوباره تلاش کنید.
error-password_too_common = این گذرواژه بسیار رایج است و به‌آسانی حدس زده می‌شود. گذرواژهٔ دیگری برگزینید.
error-own_account = نمی‌توانید حساب خودتان را غیرفعال کنید.
error-totp_enrolment_required = پیش از هر کار دیگری باید برنامهٔ احراز هویت (رمز یک‌بارمصرف زمانی) را فعال کنید.
error-totp_code_used = این کد پیش‌تر به کار رفته است. منتظر کد بعدی برنامه بمانید و آن را وارد کنید.
error-totp_already_enabled = برنامهٔ احراز هویت این حساب پیش‌تر فعال شده است.
error-totp_not_enrolled = نخست ثبت برنامهٔ احراز هویت را آغاز کنید.
error-totp_reset_not_province_admin = فقط عامل دوم مدیران استانی از این صفحه بازنشانی می‌شود.
error-own_role = نمی‌توانید نقش خودتان را تغییر دهید.

## Reports
error-outside_your_scope = این مورد بیرون از حوزهٔ کاری شماست.
error-filter_not_applicable = این گزارش این فیلتر را نمی‌پذیرد.
error-date_before_from = تاریخ پایان نمی‌تواند پیش از تاریخ شروع باشد.

## Four eyes and payment corrections
error-proposer_cannot_confirm = پیشنهاددهنده نمی‌تواند پیشنهاد خودش را تأیید یا رد کند؛ تأیید باید با شخص دومی باشد.
error-proposal_expired = مهلت این پیشنهاد گذشته است و دیگر قابل تأیید نیست؛ در صورت نیاز پیشنهاد تازه‌ای ثبت کنید.
error-proposal_decided = دربارهٔ این پیشنهاد پیش‌تر تصمیم گرفته شده است.
error-proposal_pending = همین اقدام پیش‌تر پیشنهاد شده و در انتظار تأیید است.
error-payment_already_reversed = این پرداخت پیش‌تر برگشت خورده است.
error-loan_accelerated = دین این وام حالّ شده است؛ برگشت یا ثبت پرداخت با تاریخ گذشته برای آن ممکن نیست.
# Complaints and appeals
error-complaint_file_unknown = پرونده‌ای با این کد رهگیری که در دسترس شما باشد پیدا نشد.
error-appeal_needs_rejection = اعتراض فقط به پرونده‌ای ممکن است که پذیرفته نشده (رد شده) باشد؛ برای موارد دیگر «شکایت» را برگزینید.
error-appeal_already_open = برای این پرونده اعتراضی در انتظار پاسخ است.
error-complaint_answered = به این شکایت پیش‌تر پاسخ داده شده است.

# Households
error-household_has_open_file = خانوار این متقاضی (پرونده مددجویی) هم‌اکنون پرونده باز { $code } را دارد و هر خانوار تنها { $max } پروندهٔ باز می‌تواند داشته باشد.
error-household_has_open_file_own = خانوار شما هم‌اکنون پروندهٔ باز دارد و هر خانوار تنها { $max } پروندهٔ باز می‌تواند داشته باشد. برای پرسش به دفتر شهرستان مراجعه کنید.
error-invalid_case_number = شمارهٔ پرونده مددجویی تنها رقم، حروف لاتین، خط تیره و / دارد و بیش از ۳۰ نویسه نیست.
error-case_number_taken = خانواری با این شمارهٔ پرونده مددجویی پیش‌تر ثبت شده است.
error-household_member_elsewhere = این کد ملی در خانوار دیگری ثبت شده است.
