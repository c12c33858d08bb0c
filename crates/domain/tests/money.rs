//! Rial amounts: parsing, checked arithmetic and grouping.

use proptest::prelude::*;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::money::{Rial, format_grouped};

#[test]
fn basics() {
    let r = Rial::new(1_500_000);
    assert_eq!(r.value(), 1_500_000);
    assert_eq!(r.to_tomans(), 150_000);
    assert_eq!(Rial::new(19).to_tomans(), 1);
    assert_eq!(Rial::new(-19).to_tomans(), -1);
    assert_eq!(Rial::from_tomans(150_000), Some(r));
    assert_eq!(Rial::from_tomans(i64::MAX), None);
    assert!(r.is_positive());
    assert!(!Rial::zero().is_positive());
    assert!(Rial::zero().is_zero());
    assert_eq!(Rial::default(), Rial::zero());
    assert_eq!(r.to_string(), "1500000");
    assert_eq!(r.format_grouped(false), "1,500,000");
    assert_eq!(r.format_grouped(true), "۱٬۵۰۰٬۰۰۰");
    assert_eq!(format_grouped(100_000, false), "100,000");
}

#[test]
fn checked_arithmetic() {
    let max = Rial::new(i64::MAX);
    assert_eq!(max.checked_add(Rial::new(1)), None);
    assert_eq!(Rial::new(i64::MIN).checked_sub(Rial::new(1)), None);
    assert_eq!(max.checked_mul(2), None);
    assert_eq!(Rial::new(5).checked_mul(3), Some(Rial::new(15)));
    assert_eq!(
        Rial::checked_sum([Rial::new(1), Rial::new(2)]),
        Some(Rial::new(3))
    );
    assert_eq!(Rial::checked_sum([max, Rial::new(1), Rial::new(-1)]), None);
    assert_eq!(Rial::checked_sum(Vec::new()), Some(Rial::zero()));
}

#[test]
fn parse_accepts_common_spellings() {
    for input in [
        "1500000",
        "1,500,000",
        "۱٬۵۰۰٬۰۰۰",
        "١،٥٠٠،٠٠٠",
        " 1 500 000 ",
        "1\u{00A0}500\u{202F}000",
        "۱۵۰۰۰۰۰",
    ] {
        assert_eq!(Rial::parse(input), Ok(Rial::new(1_500_000)), "{input}");
    }
    assert_eq!("0".parse::<Rial>(), Ok(Rial::zero()));
    assert_eq!(Rial::parse("1000000000000000"), Ok(Rial::MAX_INPUT));
}

#[test]
fn parse_rejections() {
    let cases = [
        ("", "amount_empty"),
        (" , ", "amount_empty"),
        ("12a", "amount_not_a_number"),
        ("+12", "amount_not_a_number"),
        ("1.5", "amount_fraction"),
        ("۱٫۵", "amount_fraction"),
        ("۲/۵", "amount_fraction"),
        ("-5", "amount_negative"),
        ("\u{2212}5", "amount_negative"),
        ("1000000000000001", "amount_too_large"),
        ("99999999999999999999999", "amount_too_large"),
    ];
    for (input, code) in cases {
        let err = Rial::parse(input).expect_err(input);
        assert_eq!(err.code(), code, "{input}");
    }
}

#[test]
fn serde_is_a_plain_integer() {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, I64Deserializer};

    let d: I64Deserializer<Error> = 25_000i64.into_deserializer();
    assert_eq!(Rial::deserialize(d), Ok(Rial::new(25_000)));
}

proptest! {
    #[test]
    fn checked_arithmetic_never_panics(a in any::<i64>(), b in any::<i64>()) {
        let (x, y) = (Rial::new(a), Rial::new(b));
        prop_assert_eq!(x.checked_add(y).map(Rial::value), a.checked_add(b));
        prop_assert_eq!(x.checked_sub(y).map(Rial::value), a.checked_sub(b));
        prop_assert_eq!(x.checked_mul(b).map(Rial::value), a.checked_mul(b));
        let _ = x.to_tomans();
        let _ = x.format_grouped(true);
    }

    #[test]
    fn checked_sum_matches_i128(v in prop::collection::vec(any::<i64>(), 0..8)) {
        let exact: i128 = v.iter().map(|&x| i128::from(x)).sum();
        let sum = Rial::checked_sum(v.iter().copied().map(Rial::new));
        if let Some(s) = sum {
            prop_assert_eq!(i128::from(s.value()), exact);
        }
    }

    #[test]
    fn grouped_reparses_in_both_scripts(n in 0i64..=1_000_000_000_000_000) {
        let r = Rial::new(n);
        prop_assert_eq!(Rial::parse(&r.to_string()), Ok(r));
        prop_assert_eq!(Rial::parse(&r.format_grouped(false)), Ok(r));
        prop_assert_eq!(Rial::parse(&r.format_grouped(true)), Ok(r));
        prop_assert_eq!(Rial::parse(&to_persian_digits(&r.to_string())), Ok(r));
        prop_assert_eq!(r.format_grouped(false).replace(',', ""), n.to_string());
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,30}") {
        let _ = Rial::parse(&s);
    }
}
