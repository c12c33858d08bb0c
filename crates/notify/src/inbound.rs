//! Reading an inbound SMS: finding a tracking code in whatever a person typed on a phone —
//! Persian, Arabic-Indic or Latin digits, with or without dashes or spaces between groups,
//! with words around it.

use vamyar_calendar::digits::to_latin_digits;
use vamyar_domain::primitives::TrackingCode;

/// The keyword of a complaint sent by SMS: «شکایت» (or `complaint`) files a complaint,
/// «اعتراض» (or `appeal`) an appeal against a rejection; `None` when the text has neither.
/// Arabic letter forms (ي, ك) count as their Persian ones.
pub fn complaint_keyword(text: &str) -> Option<&'static str> {
    let t = text.replace('ي', "ی").replace('ك', "ک").to_lowercase();
    if t.contains("اعتراض") || t.contains("appeal") {
        Some("appeal")
    } else if t.contains("شکایت") || t.contains("complaint") {
        Some("complaint")
    } else {
        None
    }
}

/// The first valid tracking code in `text` (check digit verified), if any.
pub fn find_tracking_code(text: &str) -> Option<TrackingCode> {
    let latin = to_latin_digits(text);
    let mut runs: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in latin.chars() {
        if c.is_ascii_digit() || matches!(c, '-' | ' ' | '_' | '\u{200C}' | '\u{2010}'..='\u{2015}')
        {
            current.push(c);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    for run in runs {
        // the whole run (groups split by dashes or spaces) …
        let digits: String = run.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 12
            && let Ok(code) = TrackingCode::parse(&digits)
        {
            return Some(code);
        }
        // … or one of its space-separated words (a code next to other numbers)
        for word in run.split(' ') {
            let digits: String = word.chars().filter(char::is_ascii_digit).collect();
            if digits.len() == 12
                && let Ok(code) = TrackingCode::parse(&digits)
            {
                return Some(code);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> String {
        let mut rng = rand::rng();
        TrackingCode::generate(&mut rng).as_str().to_string()
    }

    #[test]
    fn codes_are_found_in_any_digits_and_grouping() {
        let c = code();
        let persian = vamyar_calendar::digits::to_persian_digits(&c);
        let dashed = format!("{}-{}-{}", &c[..4], &c[4..8], &c[8..]);
        for text in [
            c.clone(),
            format!("پیگیری {persian} لطفا"),
            dashed.clone(),
            format!("code: {dashed}."),
            format!("{} {} {}", &c[..4], &c[4..8], &c[8..]),
            format!("0912 {c}"),
        ] {
            assert_eq!(
                find_tracking_code(&text).map(|t| t.as_str().to_string()),
                Some(c.clone()),
                "{text}"
            );
        }
    }

    #[test]
    fn complaint_keywords_are_found_in_either_letter_form() {
        let c = code();
        assert_eq!(complaint_keyword(&format!("شکایت {c}")), Some("complaint"));
        assert_eq!(complaint_keyword("شكايت دارم"), Some("complaint"));
        assert_eq!(
            complaint_keyword(&format!("اعتراض به رد {c}")),
            Some("appeal")
        );
        assert_eq!(complaint_keyword("Appeal"), Some("appeal"));
        assert_eq!(complaint_keyword(&c), None);
    }

    #[test]
    fn other_numbers_are_not_codes() {
        assert_eq!(find_tracking_code("سلام"), None);
        assert_eq!(find_tracking_code("09121234567"), None);
        let c = code();
        let mut wrong = c.clone().into_bytes();
        wrong[11] = if wrong[11] == b'9' {
            b'0'
        } else {
            wrong[11] + 1
        };
        let wrong = String::from_utf8(wrong).unwrap();
        assert_eq!(find_tracking_code(&wrong), None, "bad check digit");
    }
}
