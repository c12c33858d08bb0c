//! Fixed official holidays of the Solar Hijri calendar. Lunar (Hijri) holidays move every
//! year and are entered by administrators; they are not computed here.

use chrono::NaiveDate;

use crate::jalali::JalaliDate;

/// An official holiday on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Holiday {
    /// The ISO date of the holiday.
    pub date: NaiveDate,
    /// Persian name, e.g. `روز طبیعت`.
    pub name_fa: &'static str,
    /// English name, e.g. `Nature Day (Sizdah Bedar)`.
    pub name_en: &'static str,
}

/// `(month, day, name_fa, name_en)` of every fixed solar holiday, in calendar order.
const FIXED_SOLAR: [(u8, u8, &str, &str); 10] = [
    (1, 1, "عید نوروز", "Nowruz"),
    (1, 2, "عید نوروز", "Nowruz"),
    (1, 3, "عید نوروز", "Nowruz"),
    (1, 4, "عید نوروز", "Nowruz"),
    (1, 12, "روز جمهوری اسلامی", "Islamic Republic Day"),
    (1, 13, "روز طبیعت", "Nature Day (Sizdah Bedar)"),
    (3, 14, "رحلت امام خمینی", "Death of Imam Khomeini"),
    (3, 15, "قیام ۱۵ خرداد", "15 Khordad Uprising"),
    (11, 22, "پیروزی انقلاب اسلامی", "Islamic Revolution Day"),
    (12, 29, "روز ملی شدن صنعت نفت", "Oil Nationalisation Day"),
];

/// The fixed solar holidays of Jalali year `jalali_year`, in date order: 1–4 Farvardin
/// (Nowruz), 12 Farvardin, 13 Farvardin, 14 and 15 Khordad, 22 Bahman and 29 Esfand.
///
/// Returns an empty list for a year outside
/// [`JalaliDate::MIN_YEAR`]`..=`[`JalaliDate::MAX_YEAR`].
pub fn fixed_solar_holidays(jalali_year: i32) -> Vec<Holiday> {
    FIXED_SOLAR
        .iter()
        .filter_map(|&(month, day, name_fa, name_en)| {
            let date = JalaliDate::new(jalali_year, month, day).ok()?.to_iso();
            Some(Holiday {
                date,
                name_fa,
                name_en,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn holidays_of_1405() {
        let list = fixed_solar_holidays(1405);
        let dates: Vec<_> = list.iter().map(|h| h.date).collect();
        assert_eq!(
            dates,
            [
                iso(2026, 3, 21),
                iso(2026, 3, 22),
                iso(2026, 3, 23),
                iso(2026, 3, 24),
                iso(2026, 4, 1),
                iso(2026, 4, 2),
                iso(2026, 6, 4),
                iso(2026, 6, 5),
                iso(2027, 2, 11),
                iso(2027, 3, 20),
            ]
        );
        assert_eq!(list[5].name_en, "Nature Day (Sizdah Bedar)");
        assert_eq!(list[5].name_fa, "روز طبیعت");
        assert!(
            list.iter()
                .all(|h| !h.name_fa.is_empty() && !h.name_en.is_empty())
        );
    }

    #[test]
    fn every_year_in_range_has_all_ten() {
        for year in 1200..=1600 {
            let list = fixed_solar_holidays(year);
            assert_eq!(list.len(), 10, "{year}");
            assert!(list.windows(2).all(|w| w[0].date < w[1].date));
            assert_eq!(
                JalaliDate::from_iso(list[0].date).to_string(),
                format!("{year}/01/01")
            );
        }
        assert!(fixed_solar_holidays(0).is_empty());
        assert!(fixed_solar_holidays(3001).is_empty());
    }
}
