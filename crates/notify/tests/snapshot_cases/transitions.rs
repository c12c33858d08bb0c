//! The snapshot cases of the workflow's announcements, from registration to withdrawal.

use super::*;

/// One case per transition announcement and its variants.
pub(super) fn transitions() -> Vec<Case> {
    vec![
        case(
            "registered",
            "",
            "registered by the applicant on the web",
            announced(Event::Registered, NAME, json!({"channel": "web"})),
        ),
        case(
            "returned",
            "",
            "a short reason",
            announced(
                Event::Returned {
                    reason: "کد پستی با نشانی محل سکونت مطابقت ندارد".into(),
                },
                NAME,
                json!({}),
            ),
        ),
        case(
            "returned",
            "long_reason",
            "a reason too long to fit: shortened with …",
            announced(
                Event::Returned {
                    reason: LONG_REASON.into(),
                },
                NAME,
                json!({}),
            ),
        ),
        case(
            "returned",
            "long_name_and_reason",
            "a whole name typed as first name and a long reason: both are shortened",
            announced(
                Event::Returned {
                    reason: LONG_REASON.into(),
                },
                LONG_NAME,
                json!({}),
            ),
        ),
        case(
            "rejected",
            "",
            "a short reason",
            announced(
                Event::Rejected {
                    reason: "متقاضی در سه سال گذشته وام اشتغال بهزیستی گرفته است".into(),
                },
                NAME,
                json!({}),
            ),
        ),
        case(
            "rejected",
            "long_reason",
            "a reason too long to fit: shortened with …",
            announced(
                Event::Rejected {
                    reason: "بر پایه استعلام سامانه رفاه ایرانیان، درآمد ماهانه خانوار بیش از سقف \
                     دهک پنجم است و پرونده مشمول این برنامه نمی‌شود؛ در صورت تغییر وضعیت \
                     می‌توانید دوباره درخواست دهید."
                        .into(),
                },
                NAME,
                json!({}),
            ),
        ),
        case(
            "resubmitted",
            "",
            "the applicant sent the corrected application back",
            announced(Event::Resubmitted, NAME, json!({})),
        ),
        case(
            "approved",
            "",
            "found eligible by the social-work unit",
            announced(Event::Approved, NAME, json!({})),
        ),
        case(
            "documents_complete",
            "",
            "every required document accepted (automatic)",
            announced(Event::DocumentsComplete, NAME, json!({})),
        ),
        case(
            "plan_approved",
            "",
            "the plan review's amount recommended",
            announced(
                Event::PlanApproved,
                NAME,
                json!({"recommended_amount": PRINCIPAL}),
            ),
        ),
        case(
            "plan_approved",
            "long_name",
            "a whole name typed as first name: shortened with … where it does not fit",
            announced(
                Event::PlanApproved,
                LONG_NAME,
                json!({"recommended_amount": PRINCIPAL}),
            ),
        ),
        case(
            "referred",
            "",
            "referred to a branch of the demo seed",
            announced(
                Event::Referred,
                NAME,
                referral(
                    ("بانک قرض‌الحسنه مهر ایران", "Mehr-e Iran Bank"),
                    ("شعبهٔ مرکزی تهران", "Tehran central branch"),
                ),
            ),
        ),
        case(
            "referred",
            "long_branch_name",
            "a long bank and branch name",
            announced(
                Event::Referred,
                NAME,
                referral(
                    ("بانک قرض‌الحسنه مهر ایران", "Mehr Iran Qard al-Hasaneh Bank"),
                    (
                        "شعبهٔ میدان امام خمینی اسلامشهر",
                        "Imam Khomeini Square branch, Eslamshahr",
                    ),
                ),
            ),
        ),
        case(
            "guarantees_requested",
            "",
            "a guarantor and a promissory note",
            announced(
                Event::GuaranteesRequested,
                NAME,
                guarantees(&["guarantor", "promissory_note"]),
            ),
        ),
        case(
            "guarantees_requested",
            "one_kind",
            "a promissory note only",
            announced(
                Event::GuaranteesRequested,
                NAME,
                guarantees(&["promissory_note"]),
            ),
        ),
        case(
            "guarantees_requested",
            "repeated_kind",
            "two guarantors and a cheque: each kind is named once",
            announced(
                Event::GuaranteesRequested,
                NAME,
                guarantees(&["guarantor", "guarantor", "cheque"]),
            ),
        ),
        case(
            "guarantees_requested",
            "every_kind",
            "all six kinds",
            announced(
                Event::GuaranteesRequested,
                NAME,
                guarantees(&GUARANTEE_KINDS),
            ),
        ),
        case(
            "bank_approved",
            "",
            "the bank accepted the guarantees",
            announced(
                Event::BankApproved,
                NAME,
                json!({"referral_id": REFERRAL_ID, "approved_amount": PRINCIPAL}),
            ),
        ),
        case(
            "bank_rejected",
            "",
            "a short reason",
            announced(
                Event::BankRejected {
                    reason: "اعتبارسنجی ضامن مورد تأیید بانک نیست".into(),
                },
                NAME,
                json!({"referral_id": REFERRAL_ID, "letter_number": LETTER}),
            ),
        ),
        case(
            "bank_rejected",
            "reason_with_full_stop",
            "the reason typed as a sentence, ending with a full stop",
            announced(
                Event::BankRejected {
                    reason: "سفته به مبلغ کافی ارائه نشد.".into(),
                },
                NAME,
                json!({"referral_id": REFERRAL_ID, "letter_number": LETTER}),
            ),
        ),
        case(
            "bank_rejected",
            "long_reason",
            "a reason too long to fit: shortened with …",
            announced(
                Event::BankRejected {
                    reason: "ضامن معرفی‌شده کارمند رسمی نیست و گواهی کسر از حقوق او از سوی بانک \
                     پذیرفته نمی‌شود؛ همچنین چک تضمین باید از حساب جاری خود متقاضی صادر شود."
                        .into(),
                },
                NAME,
                json!({"referral_id": REFERRAL_ID, "letter_number": LETTER}),
            ),
        ),
        case(
            "referral_expired",
            "",
            "close of business expired the letter",
            announced(
                Event::ReferralExpired,
                NAME,
                json!({"referral_id": REFERRAL_ID, "letter_number": LETTER}),
            ),
        ),
        case(
            "disbursed",
            "",
            "paid out on 1405/10/01; the first installment after six months of grace",
            announced(
                Event::Disbursed,
                NAME,
                json!({
                    "loan_id": LOAN_ID,
                    "referral_id": REFERRAL_ID,
                    "contract_number": "8401/2279/15",
                    "amount": PRINCIPAL,
                    "disbursed_on": "2026-12-22",
                    "installments": 60,
                    "total_fee": 182_500_000,
                    "total_repayable": 1_682_500_000,
                    "first_due_on": "2027-07-24",
                    "first_installment_amount": FIRST_INSTALLMENT,
                    "first_visit": {"id": 52, "scheduled_on": "2027-03-28"},
                }),
            ),
        ),
        case(
            "accelerated",
            "",
            "a short reason",
            announced(
                Event::Accelerated {
                    reason: "در بازدید پایش، کسب‌وکار راه‌اندازی نشده بود".into(),
                },
                NAME,
                accelerated_detail(),
            ),
        ),
        case(
            "accelerated",
            "long_reason",
            "a reason too long to fit: shortened with …",
            announced(
                Event::Accelerated {
                    reason: "در بازدید پایش ۱۴۰۶/۰۴/۰۱ کارگاه خیاطی تعطیل بود و تجهیزات \
                     خریداری‌شده با وام فروخته شده بود؛ طبق قرارداد، کل مانده وام سررسید \
                     شد و پرونده به بانک اعلام می‌شود."
                        .into(),
                },
                NAME,
                accelerated_detail(),
            ),
        ),
        case(
            "closed",
            "",
            "the last payment settled the loan",
            announced(
                Event::Closed,
                NAME,
                json!({"loan_id": LOAN_ID, "closed_on": "2032-06-20", "payment_id": 812}),
            ),
        ),
        case(
            "withdrawn",
            "",
            "withdrawn while referred: the quota is released",
            announced(
                Event::Withdrawn,
                NAME,
                json!({"referral_id": REFERRAL_ID, "quota_released": true}),
            ),
        ),
    ]
}
