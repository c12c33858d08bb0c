//! Tracking code generation, parsing and error detection.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::primitives::TrackingCode;
use vamyar_domain::primitives::tracking_code::damm_check_digit;

fn digits(s: &str) -> Vec<u8> {
    s.bytes().map(|b| b - b'0').collect()
}

fn code_from(first_eleven: &str) -> String {
    format!("{first_eleven}{}", damm_check_digit(digits(first_eleven)))
}

/// Every single-digit substitution and adjacent transposition of `code` must fail.
fn assert_all_errors_detected(code: &str) {
    let original = digits(code);
    for pos in 0..12 {
        for new in 0..10 {
            if new == original[pos] {
                continue;
            }
            let mut d = original.clone();
            d[pos] = new;
            let s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
            assert!(
                TrackingCode::parse(&s).is_err(),
                "substitution {s} accepted"
            );
        }
    }
    for pos in 0..11 {
        if original[pos] == original[pos + 1] {
            continue;
        }
        let mut d = original.clone();
        d.swap(pos, pos + 1);
        let s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
        assert!(
            TrackingCode::parse(&s).is_err(),
            "transposition {s} accepted"
        );
    }
}

#[test]
fn exhaustive_single_errors_for_sample_codes() {
    let mut rng = StdRng::seed_from_u64(1405);
    let mut codes: Vec<String> = (0..20)
        .map(|_| TrackingCode::generate(&mut rng).as_str().to_owned())
        .collect();
    codes.push(code_from("12345678901"));
    codes.push(code_from("90909090909"));
    codes.push(code_from("10000000000"));
    for code in &codes {
        assert!(TrackingCode::parse(code).is_ok(), "{code}");
        assert_all_errors_detected(code);
    }
}

#[test]
fn parse_forms_and_codes() {
    let code = code_from("12345678901");
    let t = TrackingCode::parse(&code).unwrap();
    assert_eq!(t.as_str(), code);
    let grouped = t.display_grouped();
    assert_eq!(&grouped[..10], "1234-5678-");
    assert_eq!(TrackingCode::parse(&grouped).as_ref(), Ok(&t));
    assert_eq!(
        TrackingCode::parse(&to_persian_digits(&grouped)).as_ref(),
        Ok(&t)
    );
    assert_eq!(
        TrackingCode::parse(&format!(" {} ", code.replace('4', "٤"))).as_ref(),
        Ok(&t)
    );

    let zero_lead = code_from("01234567890");
    let cases = [
        ("", "tracking_code_empty"),
        ("1234-5678", "tracking_code_length"),
        ("1234567890123", "tracking_code_length"),
        ("1234-5678-901x", "tracking_code_invalid_character"),
        (zero_lead.as_str(), "tracking_code_check"),
    ];
    for (input, code) in cases {
        let err = TrackingCode::parse(input).expect_err(input);
        assert_eq!(err.code(), code, "{input}");
    }
}

proptest! {
    #[test]
    fn generated_codes_are_valid(seed in any::<u64>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let t = TrackingCode::generate(&mut rng);
        prop_assert_eq!(t.as_str().len(), 12);
        prop_assert!(!t.as_str().starts_with('0'));
        prop_assert_eq!(TrackingCode::parse(t.as_str()), Ok(t.clone()));
        prop_assert_eq!(TrackingCode::parse(&to_persian_digits(&t.display_grouped())), Ok(t.clone()));
    }

    #[test]
    fn single_errors_are_detected(first in "[1-9][0-9]{10}", pos in 0usize..12, new in 0u8..10) {
        let code = code_from(&first);
        let mut d = digits(&code);
        prop_assume!(d[pos] != new);
        d[pos] = new;
        let s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
        prop_assert!(TrackingCode::parse(&s).is_err());
    }
}

#[test]
fn codes_from_sequence_numbers_are_distinct_valid_and_keyed() {
    let key = [7u8; 32];
    let mut seen = std::collections::HashSet::new();
    for n in 0..50_000u64 {
        let code = TrackingCode::for_sequence(n, &key).unwrap();
        assert!(TrackingCode::parse(code.as_str()).is_ok(), "{n}: {code:?}");
        assert!(seen.insert(code), "sequence {n} repeats a code");
    }
    // the same number under the same key is the same code; under another key, another
    let a = TrackingCode::for_sequence(42, &key).unwrap();
    assert_eq!(a, TrackingCode::for_sequence(42, &key).unwrap());
    assert_ne!(a, TrackingCode::for_sequence(42, &[8u8; 32]).unwrap());
    // consecutive numbers do not give neighbouring codes
    let b = TrackingCode::for_sequence(43, &key).unwrap();
    let (x, y): (u64, u64) = (a.as_str().parse().unwrap(), b.as_str().parse().unwrap());
    assert!(x.abs_diff(y) > 1_000, "{x} {y}");
    // the last number has a code; past it there is none
    assert!(TrackingCode::for_sequence(89_999_999_999, &key).is_some());
    assert!(TrackingCode::for_sequence(90_000_000_000, &key).is_none());
}

proptest! {
    #[test]
    fn any_sequence_number_in_range_gets_a_valid_code(n in 0u64..90_000_000_000, k in any::<[u8; 32]>()) {
        let code = TrackingCode::for_sequence(n, &k).unwrap();
        prop_assert!(TrackingCode::parse(code.as_str()).is_ok());
    }
}
