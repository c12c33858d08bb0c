//! The referral letter (معرفی‌نامه) to a bank branch: number, date, bank and branch, the
//! applicant, the amount, the memorandum, the last valid day, and the verification code with
//! the public page that confirms the letter (`/verify/{code}`).

use chrono::NaiveDate;
use serde::Serialize;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::primitives::VerificationCode;
use vamyar_i18n::{Lang, format};

use crate::{PrintError, render};

/// The template (Persian, right to left).
const TEMPLATE: &str = include_str!("../templates/letter.typ");

/// What a referral letter says.
#[derive(Clone, Debug)]
pub struct ReferralLetter {
    /// The letter's number (a Latin identifier such as `1405-23-000012`, printed as written).
    pub letter_number: String,
    /// The day it was issued.
    pub issued_on: NaiveDate,
    /// Its last valid day.
    pub valid_until: NaiveDate,
    /// The bank's name.
    pub bank: String,
    /// The branch's name.
    pub branch: String,
    /// The applicant's full name.
    pub applicant: String,
    /// The applicant's national ID (ten Latin digits).
    pub national_id: String,
    /// The amount referred, in rials.
    pub amount: i64,
    /// The memorandum's number (a Latin identifier).
    pub memorandum_number: String,
    /// The letter's verification code.
    pub verification_code: VerificationCode,
    /// The site's address the public verification page is under (`https://vamyar.example`),
    /// without a trailing slash; empty when unknown (then only the path is printed).
    pub site: String,
}

/// The letter's values as printed, in the template's names.
#[derive(Serialize)]
struct Data {
    number: String,
    issued: String,
    valid_until: String,
    bank: String,
    branch: String,
    applicant: String,
    national_id: String,
    amount: String,
    memorandum: String,
    code: String,
    url: String,
    form: String,
}

impl ReferralLetter {
    /// The path of the public page that confirms this letter.
    pub fn verify_path(&self) -> String {
        format!("/verify/{}", self.verification_code.as_str())
    }

    fn data(&self) -> Data {
        Data {
            number: self.letter_number.clone(),
            issued: format::date(Lang::Fa, self.issued_on),
            valid_until: format::date(Lang::Fa, self.valid_until),
            bank: self.bank.clone(),
            branch: self.branch.clone(),
            applicant: self.applicant.clone(),
            national_id: to_persian_digits(&self.national_id),
            amount: format::tomans(Lang::Fa, self.amount),
            memorandum: self.memorandum_number.clone(),
            code: to_persian_digits(&self.verification_code.display_grouped()),
            url: format!("{}{}", self.site, self.verify_path()),
            form: format!("{}/verify", self.site),
        }
    }

    /// The letter as a one-page A4 PDF.
    pub fn to_pdf(&self) -> Result<Vec<u8>, PrintError> {
        render("letter", TEMPLATE, &self.data())
    }
}
