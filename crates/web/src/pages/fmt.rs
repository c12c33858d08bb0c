//! How pages show values: Jalali dates in Iran's time zone, Persian digits, amounts in
//! tomans, and the names of states, roles, actions, events and document kinds from the
//! Fluent files (`pg-state-…`, `pg-role-…`, …; an unknown name shows as itself).

use chrono::NaiveDate;
use vamyar_i18n::Lang;

fn named(lang: Lang, prefix: &str, name: &str) -> String {
    vamyar_i18n::try_text(lang, &format!("{prefix}-{name}"), &[]).unwrap_or_else(|| name.into())
}

/// A workflow state's name.
pub fn state(lang: Lang, s: &str) -> String {
    named(lang, "pg-state", s)
}

/// A role's name.
pub fn role(lang: Lang, r: &str) -> String {
    named(lang, "pg-role", r)
}

/// A workflow action's name (as a button or a history line).
pub fn action(lang: Lang, a: &str) -> String {
    named(lang, "pg-action", a)
}

/// An announced event's name (the inbox when no message text is rendered).
pub fn event(lang: Lang, e: &str) -> String {
    named(lang, "pg-event", e)
}

/// A document kind's name.
pub fn doc_kind(lang: Lang, k: &str) -> String {
    named(lang, "pg-doc", k)
}

/// A document status's name.
pub fn doc_status(lang: Lang, s: &str) -> String {
    named(lang, "pg-docstatus", s)
}

/// A service-level status's name (`on_time`, `due_soon`, `breached`).
pub fn sla(lang: Lang, s: &str) -> String {
    named(lang, "pg-sla", s)
}

/// A loan type's name.
pub fn loan_type(lang: Lang, t: &str) -> String {
    named(lang, "pg-loantype", t)
}

/// A business sector's name (`none`: unclassified).
pub fn sector(lang: Lang, s: &str) -> String {
    named(lang, "pg-sector", s)
}

/// A priority factor's name.
pub fn factor(lang: Lang, f: &str) -> String {
    named(lang, "pg-factor", f)
}

/// An integer with the language's digits, grouped in thousands.
pub fn num(lang: Lang, n: i64) -> String {
    vamyar_i18n::format::grouped(lang, n)
}

/// An amount of rials shown in tomans.
pub fn tomans(lang: Lang, rials: i64) -> String {
    vamyar_i18n::format::tomans(lang, rials)
}

/// Text with Latin digits turned into the language's digits (codes, plain numbers).
pub fn digits(lang: Lang, s: &str) -> String {
    match lang {
        Lang::Fa => vamyar_calendar::digits::to_persian_digits(s),
        Lang::En => s.to_string(),
    }
}

/// A Latin-script identifier (a memorandum number such as `1405/mehr/1`, a contract such as
/// `C-1001`, a bank reference): shown exactly as written, never digit-converted; templates
/// isolate it left to right (see [`is_code`]).
pub fn code(s: &str) -> String {
    s.to_string()
}

/// True for a value that must be shown isolated left to right (`<bdi dir="ltr">`): it has
/// no Persian or Arabic letters (only Latin letters, digits of any script, `*`, `-`, `/`, …),
/// so that masked IDs (`۰۰۷*****۴۵`) and Latin identifiers read in their own order.
pub fn is_code(s: &str) -> bool {
    let letter = |c: char| matches!(c, '\u{0621}'..='\u{065F}' | '\u{0670}'..='\u{06D3}');
    !s.trim().is_empty()
        && !s.chars().any(letter)
        && s.chars().any(|c| c.is_ascii_alphanumeric() || c == '*')
        && s.chars()
            .any(|c| c.is_ascii_alphabetic() || c == '*' || c == '-')
}

/// A calendar date.
pub fn day(lang: Lang, d: NaiveDate) -> String {
    vamyar_i18n::format::date(lang, d)
}

/// A stored date (`YYYY-MM-DD`) or instant (RFC 3339, shown on Iran's calendar day), as a
/// Jalali date; text that is neither is shown as it is.
pub fn date(lang: Lang, s: &str) -> String {
    if let Ok(at) = vamyar_store::time::parse_ts(s) {
        return day(lang, vamyar_calendar::tehran_date(at));
    }
    match NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
        Ok(d) => day(lang, d),
        Err(_) => s.to_string(),
    }
}

/// A stored instant as a Jalali date with the time of day in Iran (`۱۴۰۵/۰۱/۱۵ ۱۰:۳۰`).
pub fn datetime(lang: Lang, s: &str) -> String {
    match vamyar_store::time::parse_ts(s) {
        Ok(at) => {
            let time = vamyar_calendar::clock::tehran_time(at)
                .format("%H:%M")
                .to_string();
            format!(
                "{} {}",
                day(lang, vamyar_calendar::tehran_date(at)),
                digits(lang, &time)
            )
        }
        Err(_) => date(lang, s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_shown_on_irans_calendar_day() {
        // 22:00 UTC on 2026-03-20 is already 1405/01/01 in Tehran
        assert_eq!(date(Lang::En, "2026-03-20T22:00:00.000000Z"), "1405/01/01");
        assert_eq!(date(Lang::Fa, "2026-11-26"), "۱۴۰۵/۰۹/۰۵");
        assert_eq!(
            datetime(Lang::Fa, "2026-11-26T07:00:00.000000Z"),
            "۱۴۰۵/۰۹/۰۵ ۱۰:۳۰"
        );
        assert_eq!(date(Lang::En, "not a date"), "not a date");
    }

    #[test]
    fn identifiers_are_kept_and_isolated() {
        assert_eq!(code("C-1001"), "C-1001");
        assert!(is_code("C-1001"));
        assert!(is_code("1405/mehr/1"));
        assert!(is_code("007*****45"));
        assert!(!is_code("۱۵۰٬۰۰۰٬۰۰۰ تومان"));
        assert!(
            !is_code("۱۴۰۵/۰۹/۰۵"),
            "a Jalali date reads right without isolation"
        );
        assert!(!is_code(""));
    }

    #[test]
    fn names_fall_back_to_themselves() {
        assert_eq!(state(Lang::En, "no_such_state"), "no_such_state");
        assert_eq!(num(Lang::Fa, 1500), "۱٬۵۰۰");
        assert_eq!(digits(Lang::Fa, "12-3"), "۱۲-۳");
    }
}
