//! Reading a PDF back as text, for tests: `pdftotext` (poppler-utils; `.ci/run` installs it).
//!
//! What pdftotext really gives for typst's Persian PDFs (poppler 22.12, typst 0.15):
//! - lines in logical order, each right-to-left run wrapped in U+202B … U+202C and each
//!   left-to-right or number run inside it in U+202A … U+202C;
//! - digits, separators (U+066C, U+066B), Latin identifiers and URLs exactly;
//! - but the characters of one glyph cluster in reverse: a zero-width non-joiner moves to
//!   the other side of the letter it is shaped with (`وام‌یار` → `وامی‌ار`), the lam-alef
//!   ligature comes out `ال` (`تسهیلات` → `تسهیالت`) and hamza above before its heh
//!   (`سامانهٔ` → `سامانٔه`); and spaces at the edge of a number run move to its other side.
//!
//! So tests compare [`normalise`]d texts: without direction marks, zero-width non-joiners
//! and white space, which leaves every letter, digit and separator in its order. Names used
//! in assertions avoid lam-alef and combining marks (which would need the cluster reversal
//! undone, not just removed).

use std::io::Write;
use std::process::{Command, Stdio};

/// The text of `pdf` as `pdftotext` extracts it (UTF-8, layout order). Panics when
/// `pdftotext` is missing or fails: a test must not pass without reading the PDF.
pub fn pdf_text(pdf: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) must be installed: apt-get install poppler-utils");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(pdf)
        .expect("writing the PDF to pdftotext");
    let out = child.wait_with_output().expect("pdftotext");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    String::from_utf8(out.stdout).expect("pdftotext writes UTF-8")
}

/// `s` without direction marks and isolates, zero-width non-joiners and white space.
pub fn normalise(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{200C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                )
        })
        .collect()
}

/// The normalised text of `pdf`.
pub fn normalised_text(pdf: &[u8]) -> String {
    normalise(&pdf_text(pdf))
}
