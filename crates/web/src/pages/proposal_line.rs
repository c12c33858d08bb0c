//! A proposal as one line (the proposals page's list, the file page's pending proposals) and
//! the name of an act under four eyes.

use vamyar_i18n::Lang;

/// One proposal as a line of the list.
pub struct Line {
    /// Its page.
    pub href: String,
    /// The file's tracking code.
    pub tracking_code: String,
    /// What is proposed.
    pub act: String,
    /// Who proposed it.
    pub by: String,
    /// When (Jalali).
    pub at: String,
    /// Its last day (Jalali).
    pub expires: String,
}

/// The name of an act under four eyes.
pub fn act_name(lang: Lang, action: &str) -> String {
    vamyar_i18n::text(lang, &format!("pg-proposal-act-{action}"), &[])
}
