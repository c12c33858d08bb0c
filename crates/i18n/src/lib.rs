//! Persian and English texts (Project Fluent files under `locales/`), for API errors, pages
//! and SMS. Persian is the default language; English is chosen by `Accept-Language: en` or
//! `?lang=en`.
//!
//! Bidi isolation marks (U+2068/U+2069) are turned off: the texts go into JSON, SMS and HTML
//! whose templates isolate placeholders themselves (`<bdi>`), and marks would cost SMS
//! characters and break comparisons.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub mod format;

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Persian, right to left: the default.
    #[default]
    Fa,
    /// English, left to right.
    En,
}

impl Lang {
    /// The BCP 47 code: `fa` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::En => "en",
        }
    }

    /// The writing direction for `dir=`: `rtl` or `ltr`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Fa => "rtl",
            Lang::En => "ltr",
        }
    }

    /// Parses `fa`/`en` (any case, region ignored).
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fa" | "per" | "fas" => Some(Lang::Fa),
            "en" | "eng" => Some(Lang::En),
            _ => None,
        }
    }

    /// Chooses from an `Accept-Language` header: the first supported language in order of
    /// quality, Persian when none is supported.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut choices: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, lang))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        choices.first().map(|c| c.2).unwrap_or_default()
    }
}

const FA_SOURCES: &[&str] = &[
    include_str!("../locales/fa/errors.ftl"),
    include_str!("../locales/fa/common.ftl"),
    include_str!("../locales/fa/sms.ftl"),
    include_str!("../locales/fa/pages.ftl"),
    include_str!("../locales/fa/reports.ftl"),
];
const EN_SOURCES: &[&str] = &[
    include_str!("../locales/en/errors.ftl"),
    include_str!("../locales/en/common.ftl"),
    include_str!("../locales/en/sms.ftl"),
    include_str!("../locales/en/pages.ftl"),
    include_str!("../locales/en/reports.ftl"),
];

fn build(lang: &str, sources: &[&'static str]) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.parse().expect("valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = FluentResource::try_new((*source).to_string())
            .unwrap_or_else(|(_, errors)| panic!("invalid Fluent file for {lang}: {errors:?}"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("duplicate Fluent ids for {lang}: {errors:?}"));
    }
    bundle
}

static FA: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| build("fa", FA_SOURCES));
static EN: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| build("en", EN_SOURCES));

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    match lang {
        Lang::Fa => &FA,
        Lang::En => &EN,
    }
}

/// A value for a placeholder.
#[derive(Clone, Debug)]
pub enum Arg {
    /// Text, inserted as is.
    Str(String),
    /// An integer, inserted with the language's digits (no grouping).
    Int(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Int(n)
    }
}

/// True when a message with this id exists in the language.
pub fn has(lang: Lang, id: &str) -> bool {
    bundle(lang).has_message(id)
}

/// The text of message `id` with its placeholders filled, or `None` if there is no such
/// message. Numbers are written with Persian digits in Persian.
pub fn try_text(lang: Lang, id: &str, args: &[(&str, Arg)]) -> Option<String> {
    let b = bundle(lang);
    let message = b.get_message(id)?;
    let pattern = message.value()?;
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        let v = match value {
            Arg::Str(s) => FluentValue::from(s.clone()),
            Arg::Int(n) => FluentValue::from(match lang {
                Lang::Fa => vamyar_calendar::digits::to_persian_digits(&n.to_string()),
                Lang::En => n.to_string(),
            }),
        };
        fargs.set(*name, v);
    }
    let mut errors = Vec::new();
    let text = b.format_pattern(pattern, Some(&fargs), &mut errors);
    Some(text.into_owned())
}

/// Like [`try_text`], falling back to the id itself so a missing text is visible, not fatal.
pub fn text(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    try_text(lang, id, args).unwrap_or_else(|| id.to_string())
}

/// Every message id of a language, for completeness tests.
pub fn ids(lang: Lang) -> Vec<String> {
    let sources = match lang {
        Lang::Fa => FA_SOURCES,
        Lang::En => EN_SOURCES,
    };
    let mut ids = Vec::new();
    for source in sources {
        for line in source.lines() {
            let Some((id, _)) = line.split_once(" =") else {
                continue;
            };
            if !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !line.starts_with(char::is_whitespace)
            {
                ids.push(id.to_string());
            }
        }
    }
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_and_english_have_the_same_messages() {
        let fa = ids(Lang::Fa);
        let en = ids(Lang::En);
        assert!(fa.len() > 10);
        assert_eq!(fa, en);
        for id in &fa {
            assert!(has(Lang::Fa, id) && has(Lang::En, id), "{id}");
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("de, en;q=0.5, fa;q=0.8"),
            Lang::Fa
        );
        assert_eq!(Lang::from_accept_language("de"), Lang::Fa);
        assert_eq!(Lang::from_accept_language(""), Lang::Fa);
        assert_eq!(Lang::from_accept_language("en;q=0"), Lang::Fa);
    }

    #[test]
    fn placeholders_are_filled_without_isolation_marks() {
        let t = text(Lang::Fa, "error-too_long", &[("max", 100.into())]);
        assert!(t.contains("۱۰۰"), "{t}");
        assert!(!t.contains('\u{2068}'));
        let t = text(Lang::En, "error-too_long", &[("max", 100.into())]);
        assert!(t.contains("100"), "{t}");
    }
}
