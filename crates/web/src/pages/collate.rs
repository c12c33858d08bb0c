//! Names in dictionary order: ICU's collation (CLDR's Persian tailoring, compiled into the
//! binary by `icu_collator`), so آ ا ب پ ت … ی sort as a Persian reader expects (not by code
//! point, which puts پ چ ژ گ after ی) and English names sort as English ones.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;
use vamyar_i18n::Lang;

static PERSIAN: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(locale!("fa").into(), CollatorOptions::default())
        .expect("compiled collation data has Persian")
});

static ENGLISH: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(locale!("en").into(), CollatorOptions::default())
        .expect("compiled collation data has English")
});

/// Compares two names in the dictionary order of `lang`.
pub fn compare(lang: Lang, a: &str, b: &str) -> Ordering {
    match lang {
        Lang::Fa => PERSIAN.compare(a, b),
        _ => ENGLISH.compare(a, b),
    }
}

/// Sorts `items` by the name `name` gives, in the dictionary order of `lang`.
pub fn sort_by_name<T>(lang: Lang, items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare(lang, name(a), name(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_words_sort_in_dictionary_order() {
        let mut names = vec![
            "یزد",
            "گرگان",
            "پاوه",
            "بم",
            "آبادان",
            "چابهار",
            "زنجان",
            "ژاورود",
            "اهواز",
        ];
        sort_by_name(Lang::Fa, &mut names, |n| n);
        assert_eq!(
            names,
            vec![
                "آبادان",
                "اهواز",
                "بم",
                "پاوه",
                "چابهار",
                "زنجان",
                "ژاورود",
                "گرگان",
                "یزد"
            ]
        );
    }

    #[test]
    fn arabic_letter_forms_sort_with_their_persian_letters() {
        // ك (Arabic kaf) sorts with ک, between ق and گ
        let mut names = vec!["گرمسار", "كرمان", "قم"];
        sort_by_name(Lang::Fa, &mut names, |n| n);
        assert_eq!(names, vec!["قم", "كرمان", "گرمسار"]);
    }

    #[test]
    fn english_names_ignore_case() {
        let mut names = vec!["zahedan", "Bam", "abadan"];
        sort_by_name(Lang::En, &mut names, |n| n);
        assert_eq!(names, vec!["abadan", "Bam", "zahedan"]);
    }
}
