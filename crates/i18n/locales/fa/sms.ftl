# SMS and portal-inbox messages, one per event (vamyar-notify renders them).
# Each must fit in two SMS parts with long values: vamyar-notify's tests check every one.
# Placeholders: $name first name, $code tracking code; the others are named after what they hold.

sms-registered = { $name } گرامی، درخواست وام شما ثبت شد. کد رهگیری: { $code }. پیگیری: سایت وام‌یار یا پیامک همین کد. وام‌یار
sms-returned = { $name } گرامی، پرونده { $code } برای اصلاح بازگردانده شد: «{ $reason }». در سایت اصلاح و ارسال کنید. وام‌یار
sms-rejected = { $name } گرامی، درخواست { $code } پذیرفته نشد: «{ $reason }». پرسش: دفتر شهرستان. وام‌یار
sms-resubmitted = { $name } گرامی، پرونده اصلاح‌شده { $code } دوباره در نوبت بررسی است. نتیجه را پیامک می‌کنیم. وام‌یار
sms-approved = { $name } گرامی، صلاحیت شما برای وام تأیید شد (پرونده { $code }). اکنون مدارک را در سایت بارگذاری کنید. وام‌یار
sms-documents_complete = { $name } گرامی، مدارک پرونده { $code } کامل شد. کارشناس اشتغال برای مشاوره با شما تماس می‌گیرد. وام‌یار
sms-plan_approved = { $name } گرامی، طرح کسب‌وکار پرونده { $code } تأیید شد. به‌زودی به بانک معرفی می‌شوید. وام‌یار
sms-referred = معرفی‌نامه { $letter }، { $amount }: تا { $until } به { $bank }، { $branch } بروید. پرونده { $code }
sms-guarantees_requested = پرونده { $code }: بانک این تضمین‌ها را خواسته است: { $guarantees }. آن‌ها را به شعبه ببرید. وام‌یار
sms-bank_approved = { $name } گرامی، بانک وام پرونده { $code } را تأیید کرد. پس از پرداخت، جدول اقساط را پیامک می‌کنیم. وام‌یار
sms-bank_rejected = پرونده { $code }: بانک نپذیرفت: «{ $reason }». در نوبت معرفی دوباره است. وام‌یار
sms-referral_expired = پرونده { $code }: مهلت معرفی‌نامهٔ بانک گذشت. پرونده در نوبت معرفی دوباره است. وام‌یار
sms-disbursed = { $name } گرامی، وام { $amount } پرداخت شد (پرونده { $code }). قسط اول: { $first_amount }، سررسید { $first_due }. وام‌یار
sms-accelerated = پرونده { $code }: کل مانده، { $amount }، سررسید شد: «{ $reason }». پرداخت: دفتر شهرستان. وام‌یار
sms-closed = { $name } گرامی، همهٔ اقساط پرونده { $code } پرداخت شد و خدمت پایان یافت. سپاس از شما. وام‌یار
sms-withdrawn = { $name } گرامی، انصراف شما از پرونده { $code } ثبت شد و پرونده بسته شد. وام‌یار
sms-mobile_changed = { $name } گرامی، شماره تلفن همراه شما در وام‌یار عوض شد. اگر خودتان نخواسته‌اید، به کارشناس شهرستان خبر دهید. وام‌یار
sms-otp = کد ورود وام‌یار: { $otp }
    اعتبار: { $minutes } دقیقه. این کد را به کسی ندهید.
sms-document_rejected = پرونده { $code }: «{ $document }» پذیرفته نشد: «{ $reason }». دوباره بارگذاری کنید. وام‌یار
sms-counselling_scheduled = { $name } گرامی، جلسهٔ مشاورهٔ شغلی پرونده { $code } در تاریخ { $date } است. لطفاً به‌موقع بیایید. وام‌یار
sms-installment_reminder = پرونده { $code }: { $amount } بابت قسطی که { $due } سررسید می‌شود باید پرداخت شود. وام‌یار
sms-overdue_notice = پرونده { $code }: { $amount } بابت قسط سررسید { $due } پرداخت نشده است. لطفاً هرچه زودتر بپردازید. وام‌یار
sms-visit_scheduled = پرونده { $code }: کارشناس در تاریخ { $date } از کسب‌وکار شما بازدید می‌کند. لطفاً در محل باشید. وام‌یار
sms-help = وام‌یار: کد رهگیری ۱۲ رقمی پرونده را بفرستید تا مرحله آن را بدانید. شکایت: «شکایت» و کد؛ اعتراض به رد: «اعتراض» و کد.
sms-stage_reply = پرونده { $code }: { $stage } (از { $since })
sms-breach_digest = وام‌یار: { $files } پرونده شهرستان { $county } از مهلت گذشته؛ فهرست در میز کار.
sms-reopened = { $name } گرامی، اعتراض شما پذیرفته شد و پرونده { $code } دوباره در نوبت بررسی مددکاری است. وام‌یار
sms-complaint_filed = { $kind } شما دربارهٔ پرونده { $code } با شمارهٔ { $ticket } ثبت شد. پاسخ تا { $due }. وام‌یار
sms-payment_reversed = پرونده { $code }: پرداخت { $amount } مورخ { $date } به‌علت ثبت اشتباه برگشت خورد؛ اقساط از نو محاسبه شد. وام‌یار
sms-complaint_answered = پاسخ { $ticket } (پرونده { $code }): { $outcome }. «{ $answer }» وام‌یار

# Complaints, as the SMS names them.
sms-complaint-kind-complaint = شکایت
sms-complaint-kind-appeal = اعتراض
sms-complaint-outcome-upheld = پذیرفته شد
sms-complaint-outcome-dismissed = رد شد

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
