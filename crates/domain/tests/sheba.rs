//! Sheba (IR IBAN) vectors and properties.

use proptest::prelude::*;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::primitives::Sheba;

const VALID: [&str; 3] = [
    "IR820540102680020817909002",
    "IR550570022080013447370101",
    "IR790610000000700796858044",
];

#[test]
fn valid_vectors() {
    for v in VALID {
        let s = Sheba::parse(v).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(s.as_str(), v);
        assert_eq!(Sheba::parse(&v.to_lowercase()).as_ref(), Ok(&s));
        assert_eq!(Sheba::parse(&s.display_grouped()).as_ref(), Ok(&s));
        assert_eq!(Sheba::parse(&to_persian_digits(v)).as_ref(), Ok(&s));
        assert_eq!(Sheba::parse(&v[2..]).as_ref(), Ok(&s));
    }
    assert_eq!(Sheba::parse(VALID[0]).unwrap().bank_code(), "054");
    assert_eq!(Sheba::parse(VALID[1]).unwrap().bank_code(), "057");
    assert_eq!(Sheba::parse(VALID[2]).unwrap().bank_code(), "061");
}

#[test]
fn rejected_with_codes() {
    let cases = [
        ("IR012345678901234567890123", "sheba_checksum"),
        ("IR82054010268002081790900", "sheba_length"),
        ("IR8205401026800208179090021", "sheba_length"),
        ("IR", "sheba_length"),
        ("", "sheba_empty"),
        ("GB82054010268002081790900", "sheba_invalid_character"),
        ("IR82054010268002081790900X", "sheba_invalid_character"),
    ];
    for (input, code) in cases {
        let err = Sheba::parse(input).expect_err(input);
        assert_eq!(err.code(), code, "{input}");
    }
}

/// Builds a valid Sheba from 22 BBAN digits by computing the check digits (independent
/// oracle using u128 arithmetic on the rearranged number).
fn with_check_digits(bban: &str) -> String {
    let rearranged: u128 = format!("{bban}182700").parse().unwrap();
    let check = 98 - (rearranged % 97);
    format!("IR{check:02}{bban}")
}

proptest! {
    #[test]
    fn generated_valid_reparses(bban in "[0-9]{22}") {
        let sheba = with_check_digits(&bban);
        let parsed = Sheba::parse(&sheba).unwrap();
        prop_assert_eq!(parsed.as_str(), sheba.as_str());
        prop_assert_eq!(Sheba::parse(parsed.as_str()), Ok(parsed.clone()));
        prop_assert_eq!(Sheba::parse(&to_persian_digits(&sheba)), Ok(parsed.clone()));
        prop_assert_eq!(parsed.bank_code(), &bban[..3]);
    }

    #[test]
    fn one_changed_digit_is_rejected(bban in "[0-9]{22}", pos in 2usize..26, new in 0u8..10) {
        let sheba = with_check_digits(&bban);
        let mut bytes = sheba.into_bytes();
        prop_assume!(bytes[pos] != b'0' + new);
        bytes[pos] = b'0' + new;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(Sheba::parse(&changed).is_err(), "{} accepted", changed);
    }

    #[test]
    fn arbitrary_input_never_panics(s in "\\PC{0,30}") {
        let _ = Sheba::parse(&s);
    }
}
