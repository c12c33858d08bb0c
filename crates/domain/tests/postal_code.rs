//! Postal code rule vectors and properties.

use proptest::prelude::*;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::primitives::PostalCode;

#[test]
fn valid_vectors() {
    for v in [
        "1193653471",
        "3319653471",
        "1313653471",
        "9876443110",
        "1345710000",
    ] {
        let p = PostalCode::parse(v).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(p.as_str(), v);
    }
    let p = PostalCode::parse(" ۱۱۹۳۶-۵۳۴۷۱ ").unwrap();
    assert_eq!(p.as_str(), "1193653471");
    assert_eq!(p.display_grouped(), "11936-53471");
}

#[test]
fn rejected_with_codes() {
    let cases = [
        ("0193653471", "postal_code_pattern"), // 0 in the first four
        ("1234567890", "postal_code_pattern"), // 2 in the first four
        ("1111653471", "postal_code_pattern"), // first four identical
        ("1193553471", "postal_code_pattern"), // fifth digit 5
        ("1193053471", "postal_code_pattern"), // fifth digit 0
        ("1193653472", "postal_code_pattern"), // 2 in the last five
        ("119365347", "postal_code_length"),
        ("11936534711", "postal_code_length"),
        ("", "postal_code_empty"),
        ("11936/53471", "postal_code_invalid_character"),
    ];
    for (input, code) in cases {
        let err = PostalCode::parse(input).expect_err(input);
        assert_eq!(err.code(), code, "{input}");
    }
}

/// Oracle: the regex `^(?!(\d)\1{3})[13-9]{4}[1346-9][013-9]{5}$` spelled out.
fn rule(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && !(b[0] == b[1] && b[1] == b[2] && b[2] == b[3])
        && b[..4].iter().all(|c| b"13456789".contains(c))
        && b"1346789".contains(&b[4])
        && b[5..].iter().all(|c| b"013456789".contains(c))
}

proptest! {
    #[test]
    fn matches_the_rule(s in "[0-9]{10}") {
        prop_assert_eq!(PostalCode::parse(&s).is_ok(), rule(&s));
    }

    #[test]
    fn valid_reparses_in_any_script(s in "[13-9]{4}[1346-9][013-9]{5}") {
        prop_assume!(rule(&s));
        let p = PostalCode::parse(&s).unwrap();
        prop_assert_eq!(PostalCode::parse(p.as_str()), Ok(p.clone()));
        prop_assert_eq!(PostalCode::parse(&to_persian_digits(&s)), Ok(p.clone()));
        prop_assert_eq!(PostalCode::parse(&p.display_grouped()), Ok(p.clone()));
    }
}
