//! Persian text normalisation.

use proptest::prelude::*;
use vamyar_domain::text::{NAME_MAX_CHARS, normalize_name, normalize_persian, search_key};

const ZWNJ: &str = "\u{200C}";

#[test]
fn letters_are_unified() {
    assert_eq!(normalize_persian("علي"), "علی");
    assert_eq!(normalize_persian("موسى"), "موسی");
    assert_eq!(normalize_persian("كريم"), "کریم");
    assert_eq!(normalize_persian("كـــريم"), "کریم");
}

#[test]
fn digits_are_kept_but_arabic_indic_become_persian() {
    assert_eq!(normalize_persian("٠١٢٣٤٥٦٧٨٩"), "۰۱۲۳۴۵۶۷۸۹");
    assert_eq!(normalize_persian("پلاک 12 واحد ۳"), "پلاک 12 واحد ۳");
}

#[test]
fn invisible_marks_are_removed() {
    let input = "\u{FEFF}\u{200E}سلام\u{200D}\u{202B}دنیا\u{2069}\u{200F}";
    assert_eq!(normalize_persian(input), "سلامدنیا");
}

#[test]
fn whitespace_and_zwnj() {
    assert_eq!(normalize_persian("  علی \t\n  رضایی  "), "علی رضایی");
    assert_eq!(
        normalize_persian(&format!("می{ZWNJ}{ZWNJ}{ZWNJ}روم")),
        format!("می{ZWNJ}روم")
    );
    assert_eq!(
        normalize_persian(&format!("{ZWNJ}کتاب {ZWNJ}ها{ZWNJ}")),
        "کتاب ها"
    );
    assert_eq!(
        normalize_persian(&format!("کتاب{ZWNJ} {ZWNJ}ها")),
        "کتاب ها"
    );
    assert_eq!(normalize_persian(&format!("{ZWNJ} {ZWNJ}")), "");
}

#[test]
fn names() {
    assert_eq!(normalize_name("  علي   كريمي ").unwrap(), "علی کریمی");
    assert_eq!(
        normalize_name(" \u{200F} ").unwrap_err().code(),
        "text_empty"
    );
    assert_eq!(
        normalize_name("علی\u{0007}").unwrap_err().code(),
        "text_control_character"
    );
    assert_eq!(
        normalize_name(&"ا".repeat(NAME_MAX_CHARS))
            .unwrap()
            .chars()
            .count(),
        100
    );
    assert_eq!(
        normalize_name(&"ا".repeat(NAME_MAX_CHARS + 1))
            .unwrap_err()
            .code(),
        "text_too_long"
    );
    // Length is measured after normalisation.
    assert!(normalize_name(&format!("  {}  ", "ا".repeat(NAME_MAX_CHARS))).is_ok());
}

#[test]
fn search_keys_fold_variants() {
    assert_eq!(search_key(&format!("می{ZWNJ}روم")), search_key("میروم"));
    assert_eq!(search_key("علي ۱۲"), search_key("علی 12"));
    assert_eq!(search_key(" Ali  KARIMI "), "ali karimi");
    assert_eq!(search_key("كتاب ٣"), "کتاب 3");
}

fn persianish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "ي", "ى", "ی", "ك", "ک", "ـ", "\u{200C}", "\u{200D}", "\u{FEFF}", "\u{200E}", "\u{200F}",
        "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}", " ", "\t", "\n", "\u{00A0}", "٣", "۳", "3",
        "ا", "ب", "آ", "A", "a", "\u{0007}",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn normalize_is_idempotent(s in persianish()) {
        let once = normalize_persian(&s);
        prop_assert_eq!(normalize_persian(&once), once.clone());
        prop_assert_eq!(once.trim(), once.as_str());
        prop_assert!(!once.contains("  "));
        prop_assert!(!once.starts_with(ZWNJ) && !once.ends_with(ZWNJ));
        let (double, before, after) = ("\u{200C}\u{200C}", " \u{200C}", "\u{200C} ");
        prop_assert!(!once.contains(double) && !once.contains(before) && !once.contains(after));
        let foreign = ['ي', 'ى', 'ك', 'ـ', '٣', '\u{200D}', '\u{FEFF}'];
        prop_assert!(!once.contains(foreign));
    }

    #[test]
    fn normalize_is_idempotent_on_any_text(s in "\\PC{0,40}") {
        let once = normalize_persian(&s);
        prop_assert_eq!(normalize_persian(&once), once);
    }

    #[test]
    fn search_key_is_idempotent(s in persianish()) {
        let key = search_key(&s);
        prop_assert_eq!(search_key(&key), key.clone());
        prop_assert!(!key.contains(ZWNJ));
    }

    #[test]
    fn normalized_names_are_fixed_points(s in persianish()) {
        if let Ok(name) = normalize_name(&s) {
            prop_assert_eq!(normalize_name(&name), Ok(name.clone()));
        }
    }
}
