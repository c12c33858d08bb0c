//! Numbers, money and dates as people read them: Persian digits and separators in Persian,
//! Latin in English; amounts in tomans (rials ÷ 10); dates in the Jalali calendar.

use vamyar_calendar::JalaliDate;

use crate::{Arg, Lang, text};

/// Groups the digits of `n` in thousands: `1٬500٬000` in Persian, `1,500,000` in English.
pub fn grouped(lang: Lang, n: i64) -> String {
    vamyar_domain::money::format_grouped(n, lang == Lang::Fa)
}

/// An amount of rials shown in tomans with the unit, exactly: `۱۵۰٬۰۰۰٬۰۰۰ تومان`, and
/// when the amount is not a whole number of tomans the odd rial after the decimal
/// separator, `۱٬۸۶۹٬۴۴۴٫۴ تومان` (never truncated; typed into a payment form it settles
/// exactly this many rials, see `Rial::parse_tomans`).
pub fn tomans(lang: Lang, rials: i64) -> String {
    text(
        lang,
        "amount-tomans",
        &[(
            "amount",
            Arg::Str(vamyar_domain::money::format_tomans(rials, lang == Lang::Fa)),
        )],
    )
}

/// A date in the Jalali calendar: `۱۴۰۵/۰۹/۰۵` in Persian, `1405/09/05` in English.
pub fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    let j = JalaliDate::from_iso(d);
    match lang {
        Lang::Fa => j.format_fa(),
        Lang::En => j.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_with_each_languages_digits() {
        assert_eq!(grouped(Lang::En, 1_500_000), "1,500,000");
        assert_eq!(grouped(Lang::Fa, 1_500_000), "۱٬۵۰۰٬۰۰۰");
        assert_eq!(grouped(Lang::En, 999), "999");
        assert_eq!(grouped(Lang::En, -1000), "-1,000");
        assert_eq!(tomans(Lang::Fa, 1_500_000_000), "۱۵۰٬۰۰۰٬۰۰۰ تومان");
        assert_eq!(tomans(Lang::En, 1_500_000_000), "150,000,000 tomans");
        // never truncated: the odd rial is shown after the decimal separator
        assert_eq!(tomans(Lang::Fa, 18_694_444), "۱٬۸۶۹٬۴۴۴٫۴ تومان");
        assert_eq!(tomans(Lang::En, 18_694_444), "1,869,444.4 tomans");
        assert_eq!(tomans(Lang::Fa, 4), "۰٫۴ تومان");
    }

    #[test]
    fn dates_are_jalali() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(date(Lang::Fa, d), "۱۴۰۵/۰۹/۰۵");
        assert_eq!(date(Lang::En, d), "1405/09/05");
    }
}
