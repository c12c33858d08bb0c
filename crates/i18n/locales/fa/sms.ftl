# SMS and portal-inbox messages, one per event (vamyar-notify renders them).
# Each must fit in two SMS parts with long values: vamyar-notify's tests check every one.
# Placeholders: $name first name, $code tracking code; the others are named after what they hold.

sms-registered = { $name } گرامی، درخواست وام اشتغال شما ثبت شد. کد رهگیری: { $code }
sms-returned = { $name } گرامی، پرونده { $code } برای اصلاح به شما برگشت. علت: { $reason }
sms-rejected = { $name } گرامی، درخواست { $code } پذیرفته نشد. علت: { $reason }
sms-resubmitted = { $name } گرامی، پرونده اصلاح‌شده { $code } دوباره در نوبت بررسی است.
sms-approved = { $name } گرامی، صلاحیت شما برای وام تأیید شد (پرونده { $code }). لطفاً مدارک را بارگذاری کنید.
sms-documents_complete = { $name } گرامی، مدارک پرونده { $code } کامل شد. مرحله بعد: مشاوره شغلی.
sms-plan_approved = { $name } گرامی، طرح کسب‌وکار پرونده { $code } تأیید شد و به‌زودی به بانک معرفی می‌شوید.
sms-referred = معرفی‌نامه { $letter }: { $bank } { $branch }، { $amount }، معتبر تا { $until }. پرونده { $code }
sms-guarantees_requested = پرونده { $code }: بانک این تضمین‌ها را خواسته است: { $guarantees }. لطفاً به شعبه مراجعه کنید.
sms-bank_approved = { $name } گرامی، بانک وام پرونده { $code } را تأیید کرد و به‌زودی پرداخت می‌شود.
sms-bank_rejected = پرونده { $code }: بانک درخواست را نپذیرفت. علت: { $reason }. پرونده در نوبت معرفی دوباره است.
sms-referral_expired = پرونده { $code }: مهلت معرفی‌نامه بانک گذشت. پرونده در نوبت معرفی دوباره است.
sms-disbursed = { $name } گرامی، وام { $amount } پرداخت شد (پرونده { $code }). قسط اول: { $first_amount } در { $first_due }
sms-accelerated = پرونده { $code }: کل مانده وام سررسید شد. علت: { $reason }. لطفاً با دفتر تماس بگیرید.
sms-closed = { $name } گرامی، همه اقساط پرونده { $code } پرداخت شد و خدمت پایان یافت. سپاس از شما.
sms-withdrawn = { $name } گرامی، انصراف شما از پرونده { $code } ثبت شد.
sms-mobile_changed = { $name } گرامی، شماره تلفن همراه شما در وام‌یار عوض شد. اگر خودتان نخواسته‌اید، به کارشناس شهرستان خبر دهید.
sms-otp = کد ورود وام‌یار: { $otp }
    اعتبار: { $minutes } دقیقه. این کد را به کسی ندهید.
sms-document_rejected = پرونده { $code }: مدرک «{ $document }» پذیرفته نشد. علت: { $reason }. لطفاً دوباره بارگذاری کنید.
sms-counselling_scheduled = { $name } گرامی، جلسه مشاوره شغلی پرونده { $code } در تاریخ { $date } است.
sms-installment_reminder = پرونده { $code }: قسط { $amount } در تاریخ { $due } سررسید می‌شود. لطفاً به‌موقع بپردازید.
sms-overdue_notice = پرونده { $code }: قسط { $amount } با سررسید { $due } پرداخت نشده است. لطفاً هرچه زودتر بپردازید.
sms-visit_scheduled = پرونده { $code }: کارشناس در تاریخ { $date } از کسب‌وکار شما بازدید می‌کند.
sms-help = وام‌یار: برای دانستن مرحله پرونده، کد رهگیری ۱۲ رقمی آن را به همین شماره پیامک کنید.
sms-stage_reply = پرونده { $code }: { $stage } (از { $since })

# Stages, as the SMS reply names them.
sms-stage-submitted = در انتظار بررسی مددکاری
sms-stage-needs_correction = نیازمند اصلاح از سوی شما
sms-stage-rejected = پذیرفته نشد
sms-stage-documents_pending = بارگذاری و بررسی مدارک
sms-stage-counselling = مشاوره شغلی و بررسی طرح
sms-stage-awaiting_referral = در انتظار معرفی به بانک
sms-stage-referred = معرفی‌شده به بانک
sms-stage-guarantees_pending = در انتظار تضمین‌ها
sms-stage-bank_approved = تأیید بانک، در انتظار پرداخت
sms-stage-active = وام پرداخت‌شده، در حال بازپرداخت
sms-stage-accelerated = کل مانده سررسید شده
sms-stage-closed = پایان خدمت
sms-stage-withdrawn = انصراف‌داده

# Guarantees, as the SMS lists them.
sms-guarantee-guarantor = ضامن
sms-guarantee-promissory_note = سفته
sms-guarantee-salary_deduction = کسر از حقوق
sms-guarantee-collateral_deed = سند وثیقه
sms-guarantee-cheque = چک
sms-guarantee-institution = تعهد نهاد

# Documents, as the SMS names them.
sms-document-national_card = کارت ملی
sms-document-birth_certificate = شناسنامه
sms-document-business_plan = طرح کسب‌وکار
sms-document-skill_certificate = گواهی مهارت
sms-document-residence_proof = گواهی سکونت
sms-document-income_proof = گواهی درآمد
sms-document-guarantor_documents = مدارک ضامن
sms-document-photo = عکس
