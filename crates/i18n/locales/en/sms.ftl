# SMS and portal-inbox messages, one per event (vamyar-notify renders them).
# Each must fit in two SMS parts with long values: vamyar-notify's tests check every one.
# Placeholders: $name first name, $code tracking code; the others are named after what they hold.

sms-registered = Dear { $name }, application registered. Tracking code: { $code }. Follow it on the Vamyar site or text the code. Vamyar
sms-returned = Dear { $name }, file { $code } was returned: "{ $reason }". Correct it on the site and send it again. Vamyar
sms-rejected = Dear { $name }, application { $code } was not accepted: "{ $reason }". Questions: the county office. Vamyar
sms-resubmitted = Dear { $name }, corrected file { $code } is queued for review again. We will text you the outcome. Vamyar
sms-approved = Dear { $name }, you are eligible for the loan (file { $code }). Now upload your documents on the site. Vamyar
sms-documents_complete = Dear { $name }, file { $code } documents are complete. An employment expert will call you. Vamyar
sms-plan_approved = Dear { $name }, the business plan of file { $code } is approved. You will be referred to a bank soon. Vamyar
sms-referred = File { $code }: letter { $letter }, { $amount }. Go to { $bank }, { $branch } by { $until }. Vamyar
sms-guarantees_requested = File { $code }: the bank asks for these guarantees: { $guarantees }. Take them to the branch. Vamyar
sms-bank_approved = Dear { $name }, the bank approved the loan of file { $code }. We will text the schedule once paid. Vamyar
sms-bank_rejected = File { $code }: the bank declined: "{ $reason }". The file waits for a new referral. Vamyar
sms-referral_expired = File { $code }: the bank referral letter expired. The file waits for a new referral. Vamyar
sms-disbursed = Dear { $name }, loan { $amount } paid, file { $code }. First installment { $first_amount } due { $first_due }. Vamyar
sms-accelerated = File { $code }: the whole balance, { $amount }, is due now: "{ $reason }". Pay at the county office. Vamyar
sms-closed = Dear { $name }, every installment of file { $code } is paid and the service has ended. Thank you. Vamyar
sms-withdrawn = Dear { $name }, your withdrawal from file { $code } is recorded and the file is closed. Vamyar
sms-mobile_changed = Dear { $name }, your mobile number in Vamyar was changed. If you did not ask for this, tell your county office. Vamyar
sms-otp = Vamyar login code: { $otp }
    Valid for { $minutes } minutes. Do not share it.
sms-document_rejected = File { $code }: "{ $document }" not accepted: "{ $reason }". Upload it again on the site. Vamyar
sms-counselling_scheduled = Dear { $name }, the job counselling session of file { $code } is on { $date }. Please come on time. Vamyar
sms-installment_reminder = File { $code }: { $amount } is to be paid for the installment due on { $due }. Vamyar
sms-overdue_notice = File { $code }: { $amount } for the installment due { $due } is unpaid. Please pay soon. Vamyar
sms-visit_scheduled = File { $code }: an expert will visit your business on { $date }. Please be there. Vamyar
sms-help = Vamyar: text a file's 12-digit tracking code to learn its stage. To complain: "complaint" and the code; to appeal a rejection: "appeal" and the code.
sms-stage_reply = File { $code }: { $stage } (since { $since })
sms-breach_digest = Vamyar: { $files } files in { $county } are past their stage's service level. The list is on your desk.
sms-reopened = Dear { $name }, your appeal was upheld and file { $code } is back in the social-work review. Vamyar
sms-complaint_filed = Your { $kind } about file { $code } is recorded as number { $ticket }. Answer by { $due }. Vamyar
sms-payment_reversed = File { $code }: the payment of { $amount } dated { $date } was reversed (recorded in error) and the installments computed again. Vamyar
sms-complaint_answered = Answer to { $ticket } (file { $code }): { $outcome }. "{ $answer }" Vamyar

# Complaints, as the SMS names them.
sms-complaint-kind-complaint = complaint
sms-complaint-kind-appeal = appeal
sms-complaint-outcome-upheld = upheld
sms-complaint-outcome-dismissed = dismissed

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
