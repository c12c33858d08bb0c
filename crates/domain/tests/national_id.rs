//! National ID vectors and properties.

use proptest::prelude::*;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::primitives::{NationalId, NationalIdError};

fn to_arabic_indic(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x0660 + d).unwrap(),
            None => c,
        })
        .collect()
}

/// Independent oracle: the weighted sum mod 11 of the first nine digits.
fn remainder(d: &[u8]) -> u32 {
    d[..9]
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * (10 - i as u32))
        .sum::<u32>()
        % 11
}

fn with_check_digit(first_nine: [u8; 9]) -> String {
    let r = remainder(&first_nine);
    let check = if r < 2 { r } else { 11 - r };
    first_nine
        .iter()
        .map(|d| char::from(b'0' + d))
        .chain(char::from_digit(check, 10))
        .collect()
}

const VALID: [&str; 10] = [
    "0076229645",
    "1583250689",
    "0499370899",
    "0790419904",
    "0084575948",
    "0684159414",
    "0067749828",
    "4032152314",
    "0200203241",
    "68415941",
];

#[test]
fn valid_vectors() {
    for v in VALID {
        let id = NationalId::parse(v).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(id.as_str(), format!("{v:0>10}"));
    }
    assert_eq!(
        NationalId::parse("68415941").unwrap().as_str(),
        "0068415941"
    );
}

#[test]
fn invalid_vectors_with_codes() {
    let cases = [
        ("0684159415", "national_id_check_digit"),
        ("1230000000", "national_id_pattern"),
        ("0000000000", "national_id_pattern"),
        ("1111111111", "national_id_pattern"),
        ("12345", "national_id_length"),
        ("1234567", "national_id_length"),
        ("00762296451", "national_id_length"),
        ("", "national_id_empty"),
        ("  - ", "national_id_empty"),
        ("007622964a", "national_id_invalid_character"),
        ("007.622.9645", "national_id_invalid_character"),
    ];
    for (input, code) in cases {
        let err = NationalId::parse(input).expect_err(input);
        assert_eq!(err.code(), code, "{input}");
    }
}

#[test]
fn scripts_spaces_and_dashes() {
    let expected = NationalId::parse("0076229645").unwrap();
    for input in [
        "  ۰۰۷۶۲۲۹۶۴۵ ",
        "٠٠٧٦٢٢٩٦٤٥",
        "007-622964-5",
        "007 622 964 5",
        "۰۰۷-۶۲۲۹۶۴-۵",
        "\u{200F}0076229645\u{200E}",
    ] {
        assert_eq!(NationalId::parse(input).as_ref(), Ok(&expected), "{input}");
    }
    assert_eq!(expected.to_string(), "0076229645");
    assert_eq!("0076229645".parse::<NationalId>(), Ok(expected));
}

#[test]
fn checksum_collision_is_documented() {
    // Remainders 1 and 10 both give check digit 1: this typo cannot be detected.
    assert!(NationalId::parse("5626831061").is_ok());
    assert!(NationalId::parse("5626831071").is_ok());
}

#[test]
fn serde_deserialises_through_parse() {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, StrDeserializer};

    let ok: StrDeserializer<'_, Error> = "۰۰۷۶۲۲۹۶۴۵".into_deserializer();
    assert_eq!(NationalId::deserialize(ok).unwrap().as_str(), "0076229645");
    let bad: StrDeserializer<'_, Error> = "0684159415".into_deserializer();
    let msg = NationalId::deserialize(bad).unwrap_err().to_string();
    assert!(msg.contains("national_id_check_digit"), "{msg}");
}

#[test]
fn error_is_small_and_copy() {
    let e = NationalIdError::CheckDigit;
    let copy = e;
    assert_eq!(e, copy);
}

fn valid_id() -> impl Strategy<Value = String> {
    prop::array::uniform9(0u8..10)
        .prop_map(with_check_digit)
        .prop_filter("degenerate pattern", |s| {
            !s.bytes().all(|b| b == s.as_bytes()[0]) && &s[3..9] != "000000"
        })
}

proptest! {
    #[test]
    fn canonical_reparses_and_scripts_agree(id in valid_id()) {
        let parsed = NationalId::parse(&id).unwrap();
        prop_assert_eq!(parsed.as_str(), id.as_str());
        prop_assert_eq!(NationalId::parse(parsed.as_str()), Ok(parsed.clone()));
        prop_assert_eq!(NationalId::parse(&to_persian_digits(&id)), Ok(parsed.clone()));
        prop_assert_eq!(NationalId::parse(&to_arabic_indic(&id)), Ok(parsed.clone()));
    }

    #[test]
    fn one_changed_digit_is_rejected(id in valid_id(), pos in 0usize..10, new in 0u8..10) {
        let mut digits: Vec<u8> = id.bytes().map(|b| b - b'0').collect();
        prop_assume!(digits[pos] != new);
        let before = remainder(&digits);
        digits[pos] = new;
        let after = remainder(&digits);
        let changed: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        // The only undetectable change: remainder moves between 1 and 10 (both → check 1).
        let collision = pos < 9 && matches!((before, after), (1, 10) | (10, 1));
        prop_assert!(NationalId::parse(&changed).is_err() || collision, "{} accepted", changed);
    }

    #[test]
    fn arbitrary_input_never_panics(s in "\\PC{0,20}") {
        let _ = NationalId::parse(&s);
    }
}
