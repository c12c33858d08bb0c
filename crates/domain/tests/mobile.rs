//! Mobile number forms and properties.

use proptest::prelude::*;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::primitives::Mobile;

#[test]
fn accepted_forms() {
    for input in [
        "09121234567",
        "9121234567",
        "+989121234567",
        "+98 912 123 4567",
        "+98-912-123-4567",
        "00989121234567",
        "0098 912 1234567",
        "989121234567",
        "+98 0912 123 4567",
        "0912-123-4567",
        " ۰۹۱۲۱۲۳۴۵۶۷ ",
        "٠٩١٢١٢٣٤٥٦٧",
        "+۹۸۹۱۲۱۲۳۴۵۶۷",
    ] {
        let m = Mobile::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(m.as_str(), "09121234567", "{input}");
        assert_eq!(m.e164(), "+989121234567");
        assert_eq!(m.masked(), "0912***4567");
    }
}

#[test]
fn unknown_operator_prefix_is_accepted() {
    assert_eq!(
        Mobile::parse("09991234567").unwrap().as_str(),
        "09991234567"
    );
}

#[test]
fn rejected_with_codes() {
    let cases = [
        ("", "mobile_empty"),
        ("   ", "mobile_empty"),
        ("0912123456", "mobile_malformed"),
        ("091212345678", "mobile_malformed"),
        ("02112345678", "mobile_malformed"),
        ("+19121234567", "mobile_malformed"),
        ("+", "mobile_malformed"),
        ("8121234567", "mobile_malformed"),
        ("0912123456a", "mobile_invalid_character"),
        ("(0912) 1234567", "mobile_invalid_character"),
    ];
    for (input, code) in cases {
        let err = Mobile::parse(input).expect_err(input);
        assert_eq!(err.code(), code, "{input}");
    }
}

fn separate(s: &str, seps: &[bool]) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && seps.get(i).copied().unwrap_or(false) {
            out.push(if i % 2 == 0 { ' ' } else { '-' });
        }
        out.push(c);
    }
    out
}

proptest! {
    #[test]
    fn every_form_gives_the_same_canonical_value(
        rest in "[0-9]{9}",
        form in 0usize..7,
        seps in prop::collection::vec(any::<bool>(), 16),
        persian in any::<bool>(),
    ) {
        let subscriber = format!("9{rest}");
        let body = separate(&subscriber, &seps);
        let input = match form {
            0 => format!("+98 {body}"),
            1 => format!("0098{body}"),
            2 => format!("98{body}"),
            3 => format!("0{body}"),
            4 => body,
            5 => format!("+98 0{body}"),
            _ => format!("  0{body}\t"),
        };
        let input = if persian { to_persian_digits(&input) } else { input };
        let m = Mobile::parse(&input).unwrap();
        prop_assert_eq!(m.as_str(), format!("0{subscriber}"));
        prop_assert_eq!(Mobile::parse(m.as_str()), Ok(m.clone()));
        prop_assert_eq!(Mobile::parse(&m.e164()), Ok(m.clone()));
    }

    #[test]
    fn arbitrary_input_never_panics(s in "\\PC{0,20}") {
        let _ = Mobile::parse(&s);
    }
}
