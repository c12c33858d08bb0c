//! Persian text normalisation.
//!
//! Input arrives from Persian, Arabic and mixed keyboards, phones that insert bidi marks,
//! and copy-pasted documents. [`normalize_persian`] gives one spelling for what a reader
//! sees as the same text; [`normalize_name`] validates personal names; [`search_key`] folds
//! further for matching and de-duplication.

use thiserror::Error;
use vamyar_calendar::digits::to_latin_digits;

/// Zero-width non-joiner (نیم‌فاصله), meaningful in Persian orthography.
const ZWNJ: char = '\u{200C}';

/// Maximum length of a normalised name, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// Why a name is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum TextError {
    /// Nothing left after normalisation.
    #[error("text is empty")]
    Empty,
    /// Longer than [`NAME_MAX_CHARS`] characters after normalisation.
    #[error("text is too long")]
    TooLong,
    /// Contains a control character (other than whitespace, which is collapsed).
    #[error("text contains a control character")]
    ControlCharacter,
}

impl TextError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "text_empty",
            Self::TooLong => "text_too_long",
            Self::ControlCharacter => "text_control_character",
        }
    }
}

/// Maps one character to its normal form, or `None` if it is dropped.
fn map_char(c: char) -> Option<char> {
    match c {
        // Arabic yeh and alef maksura → Persian yeh; Arabic kaf → Persian keheh.
        '\u{064A}' | '\u{0649}' => Some('\u{06CC}'),
        '\u{0643}' => Some('\u{06A9}'),
        // Arabic-Indic digits → Persian digits (Latin digits stay as typed).
        '\u{0660}'..='\u{0669}' => char::from_u32(c as u32 - 0x0660 + 0x06F0),
        // Tatweel, zero-width and bidi control marks.
        '\u{0640}'
        | '\u{061C}'
        | '\u{200B}'
        | '\u{200D}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => None,
        _ => Some(c),
    }
}

/// Normalises Persian text.
///
/// - `ي` (U+064A) and `ى` (U+0649) become `ی` (U+06CC); `ك` (U+0643) becomes `ک` (U+06A9).
/// - Arabic-Indic digits become Persian digits; Latin and Persian digits are kept.
/// - Tatweel, ZWJ, BOM, ZWSP, word joiner and bidi marks/embeddings/isolates are removed.
/// - Runs of whitespace become one space; runs of ZWNJ become one ZWNJ; a ZWNJ next to
///   whitespace or at either end is dropped; the result is trimmed.
///
/// The function is idempotent.
pub fn normalize_persian(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    // Separator pending between the previous word and the next one:
    // None = no gap, Some(false) = only ZWNJ so far, Some(true) = whitespace seen.
    let mut gap: Option<bool> = None;
    for c in input.chars().filter_map(map_char) {
        if c.is_whitespace() {
            gap = Some(true);
        } else if c == ZWNJ {
            gap = Some(gap.unwrap_or(false));
        } else {
            if let Some(space) = gap.take()
                && !out.is_empty()
            {
                out.push(if space { ' ' } else { ZWNJ });
            }
            out.push(c);
        }
    }
    out
}

/// Normalises and validates a personal name (or similar short label).
///
/// The result is [`normalize_persian`] output that is non-empty, at most
/// [`NAME_MAX_CHARS`] characters and free of control characters. Line breaks and tabs count
/// as whitespace and are collapsed rather than rejected.
pub fn normalize_name(input: &str) -> Result<String, TextError> {
    let name = normalize_persian(input);
    if name.is_empty() {
        return Err(TextError::Empty);
    }
    if name.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(TextError::TooLong);
    }
    Ok(name)
}

/// A folded key for matching and de-duplication: [`normalize_persian`], then ZWNJ removed,
/// digits of every script turned into Latin digits, and lowercased.
///
/// `"می‌روم"` and `"میروم"` get the same key, as do `"علي ۱۲"` and `"علی 12"`.
/// Keys are for comparison only, never for display.
pub fn search_key(input: &str) -> String {
    let normalized: String = normalize_persian(input)
        .chars()
        .filter(|&c| c != ZWNJ)
        .collect();
    // Removing a ZWNJ can never create adjacent whitespace: normalize_persian only keeps
    // ZWNJ between two non-space characters.
    to_latin_digits(&normalized).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zwnj_rules() {
        assert_eq!(normalize_persian("می\u{200C}\u{200C}روم"), "می\u{200C}روم");
        assert_eq!(normalize_persian("\u{200C}ما \u{200C}ها\u{200C}"), "ما ها");
        assert_eq!(
            normalize_persian("a\u{200C}\u{200D}\u{200C}b"),
            "a\u{200C}b"
        );
    }

    #[test]
    fn letters_digits_and_marks() {
        assert_eq!(
            normalize_persian("  علي\u{0640}  كريمى ٠١۲3 "),
            "علی کریمی ۰۱۲3"
        );
        assert_eq!(normalize_persian("\u{FEFF}\u{200F}سلام\u{202B}"), "سلام");
    }
}
