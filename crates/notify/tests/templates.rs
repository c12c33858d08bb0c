//! Every message template, rendered with realistic long values in both languages: it fits in
//! two SMS parts (Persian: 134 UTF-16 units, see `vamyar_notify::length`), leaves no
//! placeholder unfilled, carries no direction marks, and says what it must.

use serde_json::{Value, json};
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::workflow::Event;
use vamyar_i18n::Lang;
use vamyar_notify::length;
use vamyar_notify::render::{OTHER_EVENTS, RenderError, is_bidi_mark, render};

const CODE: &str = "482913570164";
/// The tracking code as messages write it: in groups of four, joined by hyphens.
const GROUPED: &str = "4829-1357-0164";
const LONG_REASON: &str = "تصویر کارت ملی ناخوانا است و گواهی سکونت به نام سرپرست خانوار نیست؛ \
    لطفاً هر دو مدرک را با کیفیت بهتر و به نام خودتان دوباره بارگذاری کنید و نشانی را کامل بنویسید.";

fn payload(event: &str) -> Value {
    let reason = LONG_REASON;
    let ev = match event {
        "returned" | "rejected" | "bank_rejected" | "accelerated" => {
            json!({"kind": event, "reason": reason})
        }
        "document_rejected" => {
            json!({"kind": event, "document_kind": "guarantor_documents", "reason": reason})
        }
        "counselling_scheduled" => json!({"kind": event, "date": "2026-12-21"}),
        "visit_scheduled" => json!({"kind": event, "date": "2027-03-10"}),
        "payment_reversed" => {
            json!({"kind": event, "amount": 1_465_000_000_i64, "paid_on": "2027-06-21"})
        }
        "complaint_filed" => json!({"kind": event, "ticket": 1_234_567, "complaint_kind": "appeal",
            "due_on": "2026-12-21"}),
        "complaint_answered" => json!({"kind": event, "ticket": 1_234_567, "outcome": "dismissed",
            "answer": reason}),
        _ => json!({"kind": event}),
    };
    let detail = match event {
        "referred" => json!({
            "referral_id": 7, "letter_number": "1405-07-000123", "amount": 3_000_000_000_i64,
            "valid_until": "2027-01-15",
            "bank": {"id": 1, "name_fa": "بانک قرض‌الحسنه مهر ایران", "name_en": "Mehr Iran Qard al-Hasaneh Bank"},
            "branch": {"id": 2, "name_fa": "شعبهٔ میدان امام خمینی اسلامشهر", "name_en": "Imam Khomeini Square branch, Eslamshahr"}
        }),
        "guarantees_requested" => json!({"referral_id": 7, "guarantees":
            ["guarantor", "promissory_note", "salary_deduction", "collateral_deed", "cheque", "institution"]}),
        "disbursed" => json!({"amount": 3_000_000_000_i64, "first_due_on": "2027-06-21",
            "first_installment_amount": 93_456_789_i64, "contract_number": "C-77"}),
        "visit_scheduled" => json!({"visit_id": 4, "scheduled_on": "2027-03-10"}),
        "accelerated" => json!({"accelerated_on": "2027-12-29", "due_now": 1_465_000_000_i64}),
        "document_rejected" => {
            json!({"document_id": 3, "kind": "guarantor_documents", "reason": reason})
        }
        _ => json!({}),
    };
    // the announcement's notice: the event's own fields and the transition's detail
    let mut notice = ev.as_object().cloned().unwrap_or_default();
    notice.extend(detail.as_object().cloned().unwrap_or_default());
    notice.insert("kind".into(), json!(event));
    match event {
        "otp" => json!({"notice": {"kind": "otp", "code": "493817", "expires_minutes": 5}}),
        // as close of business queues them
        "installment_reminder" | "overdue_notice" => json!({"tracking_code": CODE,
            "notice": {"kind": event, "due_on": "2027-06-21", "amount_owed": 93_456_789_i64}}),
        "stage_reply" => json!({"tracking_code": CODE, "notice": {"kind": "stage_reply",
            "state": "guarantees_pending", "since": "2026-11-26"}}),
        "help" => json!({"notice": {"kind": "help"}}),
        // to an office head: the longest county name there is
        "breach_digest" => json!({"notice": {"kind": "breach_digest", "files": 123_456,
            "county": {"name_fa": "کهگیلویه و بویراحمد مرکزی", "name_en": "Kohgiluyeh and Boyer-Ahmad Central"}}}),
        _ => json!({"tracking_code": CODE, "first_name": "سیده‌فاطمه‌زهرا", "notice": notice}),
    }
}

fn every_event() -> Vec<&'static str> {
    Event::KINDS.iter().chain(OTHER_EVENTS).copied().collect()
}

#[test]
fn every_template_fits_in_two_sms_parts_with_long_values() {
    for lang in [Lang::Fa, Lang::En] {
        for event in every_event() {
            let text = render(event, &payload(event), lang)
                .unwrap_or_else(|e| panic!("{event} ({lang:?}): {e}"));
            assert!(
                length::fits(&text),
                "{event} ({lang:?}) takes {} parts ({} units): {text}",
                length::parts(&text),
                length::units(&text)
            );
            assert!(
                !text.contains('{') && !text.contains('}') && !text.contains('$'),
                "{event}: {text}"
            );
            assert!(
                !text.chars().any(is_bidi_mark),
                "{event} ({lang:?}) has a direction mark"
            );
            assert!(!text.trim().is_empty());
            if lang == Lang::Fa {
                assert!(
                    length::units(&text) <= 134,
                    "{event}: {} UTF-16 units",
                    length::units(&text)
                );
            }
        }
    }
}

#[test]
fn messages_carry_the_code_the_reason_and_the_figures() {
    let fa_code = to_persian_digits(GROUPED);
    for event in every_event() {
        let text = render(event, &payload(event), Lang::Fa).unwrap();
        if !matches!(event, "otp" | "help" | "mobile_changed" | "breach_digest") {
            assert!(text.contains(&fa_code), "{event}: {text}");
        }
        if matches!(
            event,
            "returned" | "rejected" | "bank_rejected" | "accelerated" | "document_rejected"
        ) {
            assert!(
                text.contains("تصویر کارت ملی"),
                "{event} carries the reason: {text}"
            );
        }
    }
    let referred = render("referred", &payload("referred"), Lang::Fa).unwrap();
    for part in [
        "۱۴۰۵-۰۷-۰۰۰۱۲۳",
        "۳۰۰٬۰۰۰٬۰۰۰ تومان",
        "۱۴۰۵/۱۰/۲۵",
        "بانک قرض",
    ] {
        assert!(referred.contains(part), "{part} in {referred}");
    }
    let disbursed = render("disbursed", &payload("disbursed"), Lang::Fa).unwrap();
    // 93,456,789 rials: shown exactly, the odd rial after the decimal separator
    for part in ["۳۰۰٬۰۰۰٬۰۰۰ تومان", "۹٬۳۴۵٬۶۷۸٫۹ تومان", "۱۴۰۶/۰۳/۳۱"]
    {
        assert!(disbursed.contains(part), "{part} in {disbursed}");
    }
    let guarantees = render(
        "guarantees_requested",
        &payload("guarantees_requested"),
        Lang::Fa,
    )
    .unwrap();
    assert!(
        guarantees.contains("ضامن") && guarantees.contains("سفته"),
        "{guarantees}"
    );
    let digest = render("breach_digest", &payload("breach_digest"), Lang::Fa).unwrap();
    assert!(
        digest.contains("۱۲۳٬۴۵۶") && digest.contains("کهگیلویه و بویراحمد مرکزی"),
        "{digest}"
    );
    let otp = render("otp", &payload("otp"), Lang::Fa).unwrap();
    assert!(otp.contains("۴۹۳۸۱۷") && otp.contains("۵ دقیقه"), "{otp}");
    let stage = render("stage_reply", &payload("stage_reply"), Lang::En).unwrap();
    assert_eq!(
        stage,
        format!("File {GROUPED}: awaiting guarantees (since 1405/09/05)")
    );
}

#[test]
fn short_values_are_not_shortened() {
    let p = json!({"tracking_code": CODE, "first_name": "زهرا",
        "notice": {"kind": "returned", "reason": "کپی شناسنامه را بفرستید"}});
    assert_eq!(
        render("returned", &p, Lang::Fa).unwrap(),
        format!(
            "زهرا گرامی، پرونده {} برای اصلاح بازگردانده شد: «کپی شناسنامه را بفرستید». در سایت اصلاح و ارسال کنید. وام\u{200c}یار",
            to_persian_digits(GROUPED)
        )
    );
    let p = json!({"tracking_code": CODE, "first_name": "زهرا", "notice": {"kind": "registered"}});
    assert_eq!(
        render("registered", &p, Lang::En).unwrap(),
        format!(
            "Dear زهرا, application registered. Tracking code: {GROUPED}. Follow it on the Vamyar site or text the code. Vamyar"
        )
    );
}

#[test]
fn direction_marks_typed_into_values_are_dropped() {
    let p = json!({"tracking_code": CODE, "first_name": "\u{202B}زهرا\u{202C}\u{200F}",
        "notice": {"kind": "approved"}});
    let text = render("approved", &p, Lang::Fa).unwrap();
    assert!(text.starts_with("زهرا گرامی"), "{text}");
}

#[test]
fn missing_values_and_unknown_events_are_errors() {
    // a kind no announcement has, a payload of another kind, and a payload without the
    // fields its kind needs are refused before any template is filled
    assert!(matches!(
        render(
            "no_such_event",
            &json!({"notice": {"kind": "no_such_event"}}),
            Lang::Fa
        ),
        Err(RenderError::Payload { .. })
    ));
    assert!(matches!(
        render(
            "referred",
            &json!({"tracking_code": CODE, "notice": {"kind": "approved"}}),
            Lang::Fa
        ),
        Err(RenderError::Payload { .. })
    ));
    assert!(matches!(
        render(
            "referred",
            &json!({"tracking_code": CODE, "notice": {"kind": "referred"}}),
            Lang::Fa
        ),
        Err(RenderError::Payload { .. })
    ));
    // present but blank: the template's field is missing
    assert!(matches!(
        render(
            "returned",
            &json!({"tracking_code": CODE, "first_name": "زهرا",
                "notice": {"kind": "returned", "reason": "  "}}),
            Lang::Fa
        ),
        Err(RenderError::Missing {
            field: "reason",
            ..
        })
    ));
    // a file's message without its tracking code
    assert!(matches!(
        render(
            "approved",
            &json!({"first_name": "زهرا", "notice": {"kind": "approved"}}),
            Lang::Fa
        ),
        Err(RenderError::Missing {
            field: "tracking_code",
            ..
        })
    ));
}

#[test]
#[ignore = "prints every message, for reading"]
fn print_every_message() {
    for lang in [Lang::Fa, Lang::En] {
        for event in every_event() {
            let t = render(event, &payload(event), lang).unwrap();
            println!("{event} [{}]: {t}", length::units(&t));
        }
    }
}

#[test]
fn shortened_values_end_between_words() {
    for event in [
        "returned",
        "rejected",
        "bank_rejected",
        "accelerated",
        "document_rejected",
    ] {
        for lang in [Lang::Fa, Lang::En] {
            let text = render(event, &payload(event), lang).unwrap();
            let Some(end) = text.find('…') else {
                continue; // not shortened
            };
            let Some(start) = text[..end].rfind(['«', '"']) else {
                panic!("{event}: {text}")
            };
            let kept = &text[start + text[start..].chars().next().unwrap().len_utf8()..end];
            assert!(LONG_REASON.starts_with(kept), "{event}: {kept}");
            let next = LONG_REASON[kept.len()..].chars().next().unwrap();
            assert!(
                next.is_whitespace() || "،؛.,;".contains(next),
                "{event} ({lang:?}) cut inside a word: «{kept}…» then {next:?}"
            );
        }
    }
}

#[test]
fn the_tracking_code_is_grouped_without_direction_marks() {
    let text = render("registered", &payload("registered"), Lang::Fa).unwrap();
    assert!(text.contains("۴۸۲۹-۱۳۵۷-۰۱۶۴"), "{text}");
    assert!(!text.chars().any(is_bidi_mark));
    // (the inbound reader takes a code sent back with its dashes: `inbound`'s own tests)
}
