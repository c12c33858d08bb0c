//! The snapshot cases of the messages that are not transitions: codes, documents, installments,
//! visits, help, digests, complaints and the stage replies named by hand.

use super::*;

/// One case per other message and its variants.
pub(super) fn messages() -> Vec<Case> {
    vec![
        case(
            "otp",
            "",
            "a login code, as vamyar_store::otp::create queues it",
            Announcement {
                tracking_code: None,
                first_name: None,
                notice: Notice::Otp {
                    code: "093817".into(),
                    expires_minutes: 5,
                },
            }
            .to_payload(),
        ),
        case(
            "mobile_changed",
            "",
            "sent to the old mobile, as vamyar_app::persons queues it",
            Announcement {
                tracking_code: None,
                first_name: Some(NAME.into()),
                notice: Notice::MobileChanged,
            }
            .to_payload(),
        ),
        case(
            "document_rejected",
            "",
            "the national ID card, a short reason",
            queued(
                json!({"kind": "document_rejected", "document_kind": "national_card",
                "reason": "تصویر پشت کارت ملی بارگذاری نشده است"}),
            ),
        ),
        case(
            "document_rejected",
            "long_reason",
            "the guarantor's documents, a reason too long to fit: shortened with …",
            queued(
                json!({"kind": "document_rejected", "document_kind": "guarantor_documents",
                "reason": LONG_REASON}),
            ),
        ),
        case(
            "counselling_scheduled",
            "",
            "the next counselling session, as recording a session queues it",
            queued(json!({"kind": "counselling_scheduled", "date": "2026-10-14"})),
        ),
        case(
            "installment_reminder",
            "",
            "three days before the first installment falls due",
            installment(Notice::reminder, "2027-07-24", FIRST_INSTALLMENT),
        ),
        case(
            "overdue_notice",
            "",
            "the second installment, partly paid, overdue",
            installment(
                Notice::overdue,
                "2027-08-23",
                FIRST_INSTALLMENT - 10_000_000,
            ),
        ),
        case(
            "visit_scheduled",
            "",
            "the first monitoring visit, announced at disbursement",
            queued(json!({"kind": "visit_scheduled", "date": "2027-03-28"})),
        ),
        case(
            "help",
            "",
            "the answer to a text without a known tracking code",
            Announcement {
                tracking_code: None,
                first_name: None,
                notice: Notice::Help,
            }
            .to_payload(),
        ),
        case(
            "breach_digest",
            "",
            "an office head's morning digest of the county's late files (`cob::escalation`)",
            Announcement {
                tracking_code: None,
                first_name: None,
                notice: Notice::BreachDigest {
                    county: Names {
                        name_fa: "شهرری".into(),
                        name_en: "Shahr-e Rey".into(),
                    },
                    files: 1234,
                },
            }
            .to_payload(),
        ),
        case(
            "reopened",
            "",
            "an appeal against the rejection was upheld (`complaints::answer`)",
            announced(Event::Reopened, NAME, json!({"complaint_id": 17})),
        ),
        case(
            "complaint_filed",
            "",
            "a complaint filed by SMS keyword: the receipt with its ticket number",
            payload(
                Some(NAME),
                Notice::ComplaintFiled {
                    ticket: 17,
                    complaint_kind: "complaint".into(),
                    due_on: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
                },
            ),
        ),
        case(
            "complaint_filed",
            "appeal",
            "an appeal against a rejection, filed on the portal",
            payload(
                Some(NAME),
                Notice::ComplaintFiled {
                    ticket: 18,
                    complaint_kind: "appeal".into(),
                    due_on: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
                },
            ),
        ),
        case(
            "payment_reversed",
            "",
            "a payment recorded in error, reversed under four eyes",
            payload(
                Some(NAME),
                Notice::PaymentReversed {
                    amount: 93_456_789,
                    paid_on: day("2027-06-21"),
                },
            ),
        ),
        case(
            "complaint_answered",
            "",
            "the office head's answer, upheld",
            payload(
                Some(NAME),
                Notice::ComplaintAnswered {
                    ticket: 18,
                    outcome: "upheld".into(),
                    answer: "فیش حقوقی پذیرفته شد؛ پرونده دوباره بررسی می‌شود.".into(),
                },
            ),
        ),
        case(
            "stage_reply",
            "since_after_midnight_iran_time",
            "the state changed at 01:10 Iran time, 21:40 UTC the day before",
            stage_reply(State::GuaranteesPending, "2026-11-25T21:40:12.345678Z"),
        ),
    ]
}
