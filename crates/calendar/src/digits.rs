//! Digit conversion between Latin, Persian (U+06F0…) and Arabic-Indic (U+0660…) digits.
//!
//! Every field of the product accepts any of the three; identifiers and numbers are stored
//! with Latin digits and shown with Persian digits.

/// Returns the value of `c` if it is a Latin, Persian or Arabic-Indic decimal digit.
pub fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{06F0}'..='\u{06F9}' => Some((c as u32 - 0x06F0) as u8),
        '\u{0660}'..='\u{0669}' => Some((c as u32 - 0x0660) as u8),
        _ => None,
    }
}

/// Replaces Persian and Arabic-Indic digits with Latin ones; other characters are kept.
pub fn to_latin_digits(s: &str) -> String {
    s.chars()
        .map(|c| match digit_value(c) {
            Some(v) => (b'0' + v) as char,
            None => c,
        })
        .collect()
}

/// Replaces Latin and Arabic-Indic digits with Persian ones; other characters are kept.
pub fn to_persian_digits(s: &str) -> String {
    s.chars()
        .map(|c| match digit_value(c) {
            Some(v) => char::from_u32(0x06F0 + u32::from(v)).unwrap_or(c),
            None => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_each_script_both_ways() {
        assert_eq!(to_latin_digits("۱۴۰۵/٠٣/15"), "1405/03/15");
        assert_eq!(to_persian_digits("1405/03/15"), "۱۴۰۵/۰۳/۱۵");
        assert_eq!(to_persian_digits("٠١٢٣٤٥٦٧٨٩"), "۰۱۲۳۴۵۶۷۸۹");
        assert_eq!(digit_value('x'), None);
    }
}
