//! How long an SMS is, in parts.
//!
//! The rule used throughout Vamyar:
//!
//! - A text made only of characters of the GSM 03.38 default alphabet (Latin letters, digits,
//!   common punctuation) is sent in 7-bit encoding: one part holds **160** characters; a
//!   longer text is split into parts of **153** (the rest carries the concatenation header).
//!   Characters of the extension table (`^{}\[~]|€`) count twice.
//! - Any other text — every Persian text — is sent in UCS-2: one part holds **70** UTF-16
//!   code units; a longer text is split into parts of **67**.
//!
//! So a Persian message fits in two parts when it has at most 134 characters (UTF-16 code
//! units), and every Vamyar message must ([`MAX_PARTS`]).

/// The most parts a Vamyar message may take.
pub const MAX_PARTS: usize = 2;

/// The encoding an SMS text needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// GSM 03.38 7-bit: 160 per single part, 153 per part when concatenated.
    Gsm7,
    /// UCS-2: 70 per single part, 67 per part when concatenated.
    Ucs2,
}

const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{000C}";

/// The encoding `text` needs.
pub fn encoding(text: &str) -> Encoding {
    if text
        .chars()
        .all(|c| GSM_BASIC.contains(c) || GSM_EXTENDED.contains(c))
    {
        Encoding::Gsm7
    } else {
        Encoding::Ucs2
    }
}

/// The length of `text` in its encoding's units (septets or UTF-16 code units).
pub fn units(text: &str) -> usize {
    match encoding(text) {
        Encoding::Gsm7 => text
            .chars()
            .map(|c| if GSM_EXTENDED.contains(c) { 2 } else { 1 })
            .sum(),
        Encoding::Ucs2 => text.encode_utf16().count(),
    }
}

/// The most units a text may have to fit in `parts` parts.
pub fn capacity(encoding: Encoding, parts: usize) -> usize {
    match (encoding, parts) {
        (_, 0) => 0,
        (Encoding::Gsm7, 1) => 160,
        (Encoding::Ucs2, 1) => 70,
        (Encoding::Gsm7, n) => 153 * n,
        (Encoding::Ucs2, n) => 67 * n,
    }
}

/// How many parts `text` is sent in.
pub fn parts(text: &str) -> usize {
    let enc = encoding(text);
    let n = units(text);
    if n == 0 {
        return 1;
    }
    if n <= capacity(enc, 1) {
        return 1;
    }
    let per = capacity(enc, 2) / 2;
    n.div_ceil(per)
}

/// True when `text` fits in [`MAX_PARTS`] parts.
pub fn fits(text: &str) -> bool {
    parts(text) <= MAX_PARTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_counts_seventy_then_sixty_seven_per_part() {
        let one = "س".repeat(70);
        assert_eq!(encoding(&one), Encoding::Ucs2);
        assert_eq!(parts(&one), 1);
        assert_eq!(parts(&"س".repeat(71)), 2);
        assert_eq!(parts(&"س".repeat(134)), 2);
        assert_eq!(parts(&"س".repeat(135)), 3);
        // one Persian letter makes a Latin text UCS-2
        assert_eq!(parts(&format!("{}ب", "a".repeat(100))), 2);
    }

    #[test]
    fn latin_counts_one_sixty_then_one_fifty_three_per_part() {
        assert_eq!(encoding("Hello, world!"), Encoding::Gsm7);
        assert_eq!(parts(&"a".repeat(160)), 1);
        assert_eq!(parts(&"a".repeat(161)), 2);
        assert_eq!(parts(&"a".repeat(306)), 2);
        assert_eq!(parts(&"a".repeat(307)), 3);
        assert_eq!(units("a{b"), 4, "extension characters count twice");
    }
}
