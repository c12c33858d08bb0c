//! The printed documents read back with pdftotext: the names, numbers, amounts (the exact
//! toman strings of the pages), dates and the verification code are in the PDF as text, and
//! values full of typst syntax are printed as they are.

use chrono::NaiveDate;
use vamyar_domain::primitives::VerificationCode;
use vamyar_domain::vocab::InstallmentStatus;
use vamyar_print::testing::{normalise, normalised_text, pdf_text};
use vamyar_print::{ReferralLetter, RepaymentSchedule, ScheduleRow};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn letter() -> ReferralLetter {
    ReferralLetter {
        letter_number: "1405-23-000012".into(),
        // 1405/02/12 and 1405/03/11 in the Jalali calendar
        issued_on: day(2026, 5, 2),
        valid_until: day(2026, 6, 1),
        bank: "بانک قرض‌الحسنه مهر ایران".into(),
        branch: "شعبهٔ مرکزی تهران".into(),
        applicant: "زهرا احمدی‌نژاد".into(),
        national_id: "0012345679".into(),
        amount: 18_694_444,
        memorandum_number: "1405/mehr/1".into(),
        verification_code: VerificationCode::parse("1566060385350694").unwrap(),
        site: "https://vamyar.example".into(),
    }
}

fn has(text: &str, wanted: &str) -> bool {
    text.contains(&normalise(wanted))
}

#[test]
fn the_letter_carries_its_facts_as_text() {
    let pdf = letter().to_pdf().unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = normalised_text(&pdf);
    for wanted in [
        "زهرا احمدی‌نژاد",
        "۰۰۱۲۳۴۵۶۷۹",
        "1405-23-000012",
        "1405/mehr/1",
        // the amount exactly as the pages show it: the odd rial after the decimal separator
        "۱٬۸۶۹٬۴۴۴٫۴ تومان",
        "۱۴۰۵/۰۲/۱۲",
        "۱۴۰۵/۰۳/۱۱",
        "۱۵۶۶-۰۶۰۳-۸۵۳۵-۰۶۹۴",
        "https://vamyar.example/verify/1566060385350694",
    ] {
        assert!(has(&text, wanted), "{wanted} not in the letter: {text}");
    }
    // never truncated to whole tomans
    assert!(!has(&text, "۱٬۸۶۹٬۴۴۴ تومان"), "{text}");
}

#[test]
fn latin_identifiers_keep_their_order_inside_persian_lines() {
    // the header line «شماره: 1405-23-000012»: without its own left-to-right box the bidi
    // algorithm shows (and pdftotext reads) «000012-23-1405»
    let raw = pdf_text(&letter().to_pdf().unwrap());
    let header = raw
        .lines()
        .find(|l| l.contains("شماره") && l.contains("000012"))
        .expect("the number's line");
    assert!(normalise(header).contains("1405-23-000012"), "{header:?}");
    assert!(!raw.contains("000012-23-1405"), "{raw}");
    assert!(!raw.contains("mehr/1/1405"), "{raw}");
}

#[test]
fn values_are_printed_never_evaluated() {
    let mut l = letter();
    l.applicant = "A#panic(1)b*c*d_e_f$g$h\\i<j>k@l[m]n`o`p=q".into();
    l.branch = "X#sys.inputs.dataY".into();
    let pdf = l
        .to_pdf()
        .expect("markup in values is text, so the letter compiles");
    let text = normalised_text(&pdf);
    assert!(
        has(&text, "A#panic(1)b*c*d_e_f$g$h\\i<j>k@l[m]n`o`p=q"),
        "{text}"
    );
    assert!(has(&text, "X#sys.inputs.dataY"), "{text}");
}

fn row(seq: i64, due: NaiveDate, principal: i64, fee: i64, late: i64, paid: i64) -> ScheduleRow {
    ScheduleRow {
        seq,
        due_on: due,
        principal,
        fee,
        late_charge: late,
        paid,
        remaining: principal + fee + late - paid,
        status: if paid == principal + fee + late {
            InstallmentStatus::Paid
        } else {
            InstallmentStatus::Pending
        },
    }
}

fn schedule() -> RepaymentSchedule {
    RepaymentSchedule {
        contract_number: "C-1001".into(),
        bank: "بانک قرض‌الحسنه مهر ایران".into(),
        borrower: "زهرا احمدی‌نژاد".into(),
        principal: 10_000_001,
        fee_rate_bp: 450,
        term_months: 3,
        grace_months: 0,
        disbursed_on: day(2026, 5, 2),
        printed_on: day(2026, 7, 1),
        rows: vec![
            row(1, day(2026, 6, 1), 3_333_333, 37_501, 0, 3_370_834),
            row(2, day(2026, 7, 1), 3_333_333, 25_001, 1_234, 0),
            row(3, day(2026, 8, 1), 3_333_335, 12_502, 0, 0),
        ],
    }
}

#[test]
fn totals_are_the_exact_sums_of_the_columns() {
    let t = schedule().totals();
    assert_eq!(t.principal, 10_000_001);
    assert_eq!(t.fee, 75_004);
    assert_eq!(t.late_charge, 1_234);
    assert_eq!(t.paid, 3_370_834);
    assert_eq!(t.remaining, 6_705_405);
}

#[test]
fn the_schedule_carries_its_rows_and_totals_as_text() {
    let pdf = schedule().to_pdf().unwrap();
    let text = normalised_text(&pdf);
    for wanted in [
        "زهرا احمدی‌نژاد",
        "C-1001",
        "۱٬۰۰۰٬۰۰۰٫۱ تومان",
        "۴٫۵٪",
        // due dates 1405/03/11, 1405/04/10, 1405/05/10
        "۱۴۰۵/۰۳/۱۱",
        "۱۴۰۵/۰۴/۱۰",
        "۱۴۰۵/۰۵/۱۰",
        // cells: 3,333,333 rials = 333,333.3 tomans; 3,333,335 = 333,333.5; fee 37,501 =
        // 3,750.1; late charge 1,234 = 123.4
        "۳۳۳٬۳۳۳٫۳",
        "۳۳۳٬۳۳۳٫۵",
        "۳٬۷۵۰٫۱",
        "۱۲۳٫۴",
        // totals: principal 1,000,000.1; fee 75,004 rials = 7,500.4; paid 3,370,834 =
        // 337,083.4; remaining 6,705,405 = 670,540.5
        "۱٬۰۰۰٬۰۰۰٫۱",
        "۷٬۵۰۰٫۴",
        "۳۳۷٬۰۸۳٫۴",
        "۶۷۰٬۵۴۰٫۵",
    ] {
        assert!(has(&text, wanted), "{wanted} not in the schedule: {text}");
    }
}
