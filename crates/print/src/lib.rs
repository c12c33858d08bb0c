//! Printed documents of Vamyar as PDF: the referral letter (معرفی‌نامه) a bank branch
//! receives and the borrower's repayment schedule.
//!
//! Each document is a typst template (`templates/*.typ`, Persian, right to left, set in the
//! vendored Vazirmatn) compiled by an embedded typst in a [`world::DocWorld`] that holds
//! nothing but the template, the fonts and the document's data. The data — every value
//! already written as people read it (Persian digits, Jalali dates, tomans with separators,
//! by `vamyar_i18n::format`) — reaches the template as one JSON string in `sys.inputs`,
//! decoded there, so names full of `#`, `*`, `$`, `\` or brackets are printed as text and
//! never read as markup.
//!
//! Rendering is CPU-bound (tens of milliseconds): async callers run it on a blocking thread.

use serde::Serialize;
use typst_layout::PagedDocument;

pub mod letter;
pub mod schedule;
#[cfg(feature = "test-support")]
pub mod testing;
mod world;

pub use letter::ReferralLetter;
pub use schedule::{RepaymentSchedule, ScheduleRow};

/// Why a document could not be made (a fault of the template or of this crate, never of
/// the data).
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The template did not compile.
    #[error("typesetting {document}: {message}")]
    Typeset {
        /// Which template.
        document: &'static str,
        /// typst's diagnostics.
        message: String,
    },
    /// The typeset document could not be written as PDF.
    #[error("writing {document} as PDF: {message}")]
    Pdf {
        /// Which template.
        document: &'static str,
        /// typst's diagnostics.
        message: String,
    },
}

/// Compiles `markup` (the template `document`) over `data` and writes it as PDF.
fn render<T: Serialize>(
    document: &'static str,
    markup: &str,
    data: &T,
) -> Result<Vec<u8>, PrintError> {
    let json = serde_json::to_string(data).map_err(|e| PrintError::Typeset {
        document,
        message: e.to_string(),
    })?;
    let world = world::DocWorld::new(&format!("/{document}.typ"), markup, json);
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // typst memoises across compilations in a process-wide cache: keep what the last ten
    // compilations used (the templates, the fonts' shaping), drop the rest, so a long-running
    // server does not grow with every document it prints
    typst::comemo::evict(10);
    let doc = compiled.map_err(|errors| PrintError::Typeset {
        document,
        message: errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    })?;
    let options = typst_pdf::PdfOptions {
        creator: typst::foundations::Smart::Custom(Some("Vamyar".into())),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|errors| PrintError::Pdf {
        document,
        message: errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    })
}
