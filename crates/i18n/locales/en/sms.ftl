# SMS and portal-inbox messages, one per event (vamyar-notify renders them).
# Each must fit in two SMS parts with long values: vamyar-notify's tests check every one.
# Placeholders: $name first name, $code tracking code; the others are named after what they hold.

sms-registered = Dear { $name }, your employment loan application is registered. Tracking code: { $code }
sms-returned = Dear { $name }, file { $code } was returned to you for correction: { $reason }
sms-rejected = Dear { $name }, application { $code } was not accepted: { $reason }
sms-resubmitted = Dear { $name }, corrected file { $code } is queued for review again.
sms-approved = Dear { $name }, you are eligible for the loan (file { $code }). Please upload your documents.
sms-documents_complete = Dear { $name }, the documents of file { $code } are complete. Next: job counselling.
sms-plan_approved = Dear { $name }, the business plan of file { $code } is approved; you will be referred to a bank soon.
sms-referred = Referral letter { $letter }: { $bank }, { $branch }, { $amount }, valid until { $until }. File { $code }
sms-guarantees_requested = File { $code }: the bank asks for these guarantees: { $guarantees }. Please visit the branch.
sms-bank_approved = Dear { $name }, the bank approved the loan of file { $code }; it will be paid out soon.
sms-bank_rejected = File { $code }: the bank declined: { $reason }. The file waits for a new referral.
sms-referral_expired = File { $code }: the bank referral letter expired. The file waits for a new referral.
sms-disbursed = Dear { $name }, loan of { $amount } paid out (file { $code }). First installment: { $first_amount } on { $first_due }
sms-accelerated = File { $code }: the whole loan balance is now due: { $reason }. Please contact the office.
sms-closed = Dear { $name }, every installment of file { $code } is paid and the service has ended. Thank you.
sms-withdrawn = Dear { $name }, your withdrawal from file { $code } is recorded.
sms-mobile_changed = Dear { $name }, your mobile number in Vamyar was changed. If you did not ask for this, tell your county office.
sms-otp = Vamyar login code: { $otp }
    Valid for { $minutes } minutes. Do not share it.
sms-document_rejected = File { $code }: document "{ $document }" was not accepted: { $reason }. Please upload it again.
sms-counselling_scheduled = Dear { $name }, the job counselling session of file { $code } is on { $date }.
sms-installment_reminder = File { $code }: an installment of { $amount } falls due on { $due }. Please pay on time.
sms-overdue_notice = File { $code }: the installment of { $amount } due on { $due } is unpaid. Please pay as soon as possible.
sms-visit_scheduled = File { $code }: an expert will visit your business on { $date }.
sms-help = Vamyar: to learn the stage of a file, text its 12-digit tracking code to this number.
sms-stage_reply = File { $code }: { $stage } (since { $since })

# Stages, as the SMS reply names them.
sms-stage-submitted = awaiting the social-work review
sms-stage-needs_correction = awaiting your correction
sms-stage-rejected = not accepted
sms-stage-documents_pending = documents being uploaded and reviewed
sms-stage-counselling = job counselling and plan review
sms-stage-awaiting_referral = awaiting referral to a bank
sms-stage-referred = referred to a bank
sms-stage-guarantees_pending = awaiting guarantees
sms-stage-bank_approved = approved by the bank, awaiting payment
sms-stage-active = loan paid out, being repaid
sms-stage-accelerated = whole balance due
sms-stage-closed = service ended
sms-stage-withdrawn = withdrawn

# Guarantees, as the SMS lists them.
sms-guarantee-guarantor = guarantor
sms-guarantee-promissory_note = promissory note
sms-guarantee-salary_deduction = salary deduction
sms-guarantee-collateral_deed = collateral deed
sms-guarantee-cheque = cheque
sms-guarantee-institution = institution's undertaking

# Documents, as the SMS names them.
sms-document-national_card = national ID card
sms-document-birth_certificate = birth certificate
sms-document-business_plan = business plan
sms-document-skill_certificate = skill certificate
sms-document-residence_proof = proof of residence
sms-document-income_proof = proof of income
sms-document-guarantor_documents = guarantor's documents
sms-document-photo = photo
