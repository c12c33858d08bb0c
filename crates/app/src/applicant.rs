//! An applicant's details as sent by a form, a desk clerk or a partner gateway, parsed once
//! into domain types with every field's problem collected (not just the first).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vamyar_domain::primitives::{Mobile, NationalId, PostalCode, Sheba};
use vamyar_domain::text::{normalize_name, normalize_persian};

use crate::error::FieldErrors;
use crate::fields::{given as optional, required};

pub use crate::fields::Flex;

/// The applicant as sent (API.md "Registration" body, `applicant`).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    /// National ID (کد ملی), 8–10 digits in any script.
    pub national_id: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Father's name.
    pub father_name: Option<String>,
    /// Birth date, ISO or Jalali (`1370/05/12`).
    pub birth_date: Option<String>,
    /// `female` or `male`.
    pub gender: Option<String>,
    /// Mobile in any common form; stored as `09…`.
    pub mobile: Option<String>,
    /// Province code.
    pub province: Option<String>,
    /// County code (`PP-NN`).
    pub county: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Ten-digit postal code.
    pub postal_code: Option<String>,
    /// Sheba (IBAN) of the applicant's account.
    pub sheba: Option<String>,
    /// Female head of household (زن سرپرست خانوار).
    #[serde(default)]
    pub female_head_of_household: bool,
    /// Living with a disability.
    #[serde(default)]
    pub disability: bool,
    /// People in the household, 1–30.
    pub household_size: Option<Flex>,
    /// Income decile 1–10, if known.
    pub income_decile: Option<Flex>,
    /// `supported`, `waiting_list`, `household_member` or `none`.
    pub beneficiary_status: Option<String>,
}

/// The applicant's details, valid and normalised.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Applicant {
    /// National ID, 10 digits.
    #[schema(value_type = String)]
    pub national_id: NationalId,
    /// First name, normalised.
    pub first_name: String,
    /// Last name, normalised.
    pub last_name: String,
    /// Father's name, normalised.
    pub father_name: Option<String>,
    /// Birth date (ISO).
    pub birth_date: Option<NaiveDate>,
    /// `female` or `male`.
    pub gender: String,
    /// Mobile, `09…`.
    #[schema(value_type = String)]
    pub mobile: Mobile,
    /// Province code.
    pub province: String,
    /// County code.
    pub county: String,
    /// Address, normalised.
    pub address: Option<String>,
    /// Postal code.
    #[schema(value_type = Option<String>)]
    pub postal_code: Option<PostalCode>,
    /// Sheba.
    #[schema(value_type = Option<String>)]
    pub sheba: Option<Sheba>,
    /// Female head of household.
    pub female_head_of_household: bool,
    /// Disability.
    pub disability: bool,
    /// Household size.
    pub household_size: i64,
    /// Income decile.
    pub income_decile: Option<i64>,
    /// Beneficiary status.
    pub beneficiary_status: String,
}

const BENEFICIARY_STATUSES: [&str; 4] = ["supported", "waiting_list", "household_member", "none"];
const MAX_ADDRESS_CHARS: usize = 500;

/// The geography the parser checks a province and county against.
pub trait Geography {
    /// The province of a county, or `None` when there is no such county.
    fn province_of(&self, county: &str) -> Option<String>;
    /// True when the province exists.
    fn has_province(&self, province: &str) -> bool;
}

impl ApplicantInput {
    /// Parses every field, recording each problem under `prefix.field`, and returns the
    /// applicant only when there was none. `today` bounds the birth date.
    pub fn parse(
        &self,
        prefix: &str,
        geo: &impl Geography,
        today: NaiveDate,
        errors: &mut FieldErrors,
    ) -> Option<Applicant> {
        let f = |name: &str| format!("{prefix}{name}");
        let national_id = required(errors, &f("national_id"), &self.national_id)
            .and_then(|s| errors.check(&f("national_id"), NationalId::parse(s)));
        let first_name = required(errors, &f("first_name"), &self.first_name)
            .and_then(|s| errors.check(&f("first_name"), normalize_name(s)));
        let last_name = required(errors, &f("last_name"), &self.last_name)
            .and_then(|s| errors.check(&f("last_name"), normalize_name(s)));
        let father_name = match optional(&self.father_name) {
            Some(s) => errors.check(&f("father_name"), normalize_name(s)).map(Some),
            None => Some(None),
        };
        let birth_date = match optional(&self.birth_date) {
            Some(s) => match errors.check(&f("birth_date"), vamyar_calendar::parse_date(s)) {
                Some(d) if d > today => {
                    errors.add(f("birth_date"), "date_in_future");
                    None
                }
                Some(d) if today.year() - d.year() > 100 || today.year() - d.year() < 15 => {
                    errors.add(f("birth_date"), "age_out_of_range");
                    None
                }
                other => other.map(Some),
            },
            None => Some(None),
        };
        let gender = required(errors, &f("gender"), &self.gender).and_then(|g| match g {
            "female" | "male" => Some(g.to_string()),
            _ => {
                errors.add(f("gender"), "invalid_choice");
                None
            }
        });
        let mobile = required(errors, &f("mobile"), &self.mobile)
            .and_then(|s| errors.check(&f("mobile"), Mobile::parse(s)));
        let province = required(errors, &f("province"), &self.province)
            .map(vamyar_calendar::digits::to_latin_digits);
        let county = required(errors, &f("county"), &self.county)
            .map(vamyar_calendar::digits::to_latin_digits);
        let (province, county) = match (province, county) {
            (Some(p), Some(c)) => {
                if !geo.has_province(&p) {
                    errors.add(f("province"), "unknown_province");
                    (None, None)
                } else {
                    match geo.province_of(&c) {
                        None => {
                            errors.add(f("county"), "unknown_county");
                            (None, None)
                        }
                        Some(of) if of != p => {
                            errors.add(f("county"), "county_not_in_province");
                            (None, None)
                        }
                        Some(_) => (Some(p), Some(c)),
                    }
                }
            }
            _ => (None, None),
        };
        let address = match optional(&self.address) {
            Some(s) if s.chars().count() > MAX_ADDRESS_CHARS => {
                errors.add_with(
                    f("address"),
                    "too_long",
                    vec![("max", MAX_ADDRESS_CHARS as i64)],
                );
                None
            }
            Some(s) => Some(Some(normalize_persian(s))),
            None => Some(None),
        };
        let postal_code = match optional(&self.postal_code) {
            Some(s) => errors
                .check(&f("postal_code"), PostalCode::parse(s))
                .map(Some),
            None => Some(None),
        };
        let sheba = match optional(&self.sheba) {
            Some(s) => errors.check(&f("sheba"), Sheba::parse(s)).map(Some),
            None => Some(None),
        };
        if self.female_head_of_household && gender.as_deref() == Some("male") {
            errors.add(f("female_head_of_household"), "female_head_requires_female");
        }
        let household_size = match &self.household_size {
            Some(v) => match v.int_in(1..=30) {
                Ok(n) => Some(n),
                Err(code) => {
                    errors.add(f("household_size"), code);
                    None
                }
            },
            None => Some(1),
        };
        let income_decile = match &self.income_decile {
            Some(v) if !v.0.trim().is_empty() => match v.int_in(1..=10) {
                Ok(n) => Some(Some(n)),
                Err(code) => {
                    errors.add(f("income_decile"), code);
                    None
                }
            },
            _ => Some(None),
        };
        let beneficiary_status = match optional(&self.beneficiary_status) {
            Some(s) if BENEFICIARY_STATUSES.contains(&s) => Some(s.to_string()),
            Some(_) => {
                errors.add(f("beneficiary_status"), "invalid_choice");
                None
            }
            None => Some("none".to_string()),
        };
        if !errors.is_empty() {
            return None;
        }
        Some(Applicant {
            national_id: national_id?,
            first_name: first_name?,
            last_name: last_name?,
            father_name: father_name?,
            birth_date: birth_date?,
            gender: gender?,
            mobile: mobile?,
            province: province?,
            county: county?,
            address: address?,
            postal_code: postal_code?,
            sheba: sheba?,
            female_head_of_household: self.female_head_of_household,
            disability: self.disability,
            household_size: household_size?,
            income_decile: income_decile?,
            beneficiary_status: beneficiary_status?,
        })
    }
}

/// Counties and their provinces, loaded from the database.
pub struct DbGeography {
    counties: std::collections::HashMap<String, String>,
}

impl DbGeography {
    /// Loads the geography.
    pub async fn load(ctx: &crate::Ctx) -> crate::Result<DbGeography> {
        let counties = crate::reference::counties(ctx).await?;
        Ok(DbGeography {
            counties: counties
                .iter()
                .map(|c| (c.code.clone(), c.province_code.clone()))
                .collect(),
        })
    }
}

impl Geography for DbGeography {
    fn province_of(&self, county: &str) -> Option<String> {
        self.counties.get(county).cloned()
    }
    fn has_province(&self, province: &str) -> bool {
        self.counties.values().any(|p| p == province)
    }
}
