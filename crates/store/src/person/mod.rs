//! Applicants (persons) and their households.

use crate::Flag;
use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, UniqueKey, time};

mod record;

pub use record::{OnRecord, PersonFacts, facts, on_record};

/// The unique key on national IDs.
pub const NATIONAL_ID_KEY: UniqueKey = UniqueKey {
    index: "person_national_id_key",
    sqlite_columns: "person.national_id",
};

/// A person as stored (identifiers in canonical form).
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Person {
    /// Id.
    pub id: i64,
    /// National ID, 10 digits.
    pub national_id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Father's name.
    pub father_name: Option<String>,
    /// Birth date (ISO).
    pub birth_date: Option<String>,
    /// `female` or `male`.
    pub gender: String,
    /// Mobile, `09…`.
    pub mobile: String,
    /// Province code.
    pub province_code: String,
    /// County code.
    pub county_code: String,
    /// Address.
    pub address: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// A female head of household.
    #[sqlx(try_from = "Flag")]
    pub is_female_head: bool,
    /// Living with a disability.
    #[sqlx(try_from = "Flag")]
    pub has_disability: bool,
    /// People in the household.
    pub household_size: i64,
    /// Income decile, if known.
    pub income_decile: Option<i64>,
    /// `supported`, `waiting_list`, `household_member` or `none`.
    pub beneficiary_status: String,
    /// Sheba of the applicant's account.
    pub sheba: Option<String>,
}

const COLUMNS: &str = "id, national_id, first_name, last_name, father_name, birth_date, gender, \
    mobile, province_code, county_code, address, postal_code, is_female_head, has_disability, \
    household_size, income_decile, beneficiary_status, sheba";

/// A person by id.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<Person>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("select {COLUMNS} from person where id = $1"))
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}

/// A person by national ID.
pub async fn by_national_id<'e, E>(ex: E, national_id: &str) -> Result<Option<Person>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from person where national_id = $1"
    ))
    .bind(national_id)
    .fetch_optional(ex)
    .await?)
}

/// Creates the person (its `id` is ignored) unless the national ID exists already, in which
/// case the stored person is kept exactly as it is (registration never changes an existing
/// person's details; see [`update_contact`]). Returns the id and whether the person existed.
pub async fn insert_or_keep(tx: &mut Tx, p: &Person) -> Result<(i64, bool), StoreError> {
    let now = time::now();
    let id: Option<i64> = sqlx::query_scalar(
        "insert into person (national_id, first_name, last_name, father_name, birth_date, gender, \
         mobile, province_code, county_code, address, postal_code, is_female_head, has_disability, \
         household_size, income_decile, beneficiary_status, sheba, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) \
         on conflict (national_id) do nothing \
         returning id",
    )
    .bind(&p.national_id)
    .bind(&p.first_name)
    .bind(&p.last_name)
    .bind(&p.father_name)
    .bind(&p.birth_date)
    .bind(&p.gender)
    .bind(&p.mobile)
    .bind(&p.province_code)
    .bind(&p.county_code)
    .bind(&p.address)
    .bind(&p.postal_code)
    .bind(i64::from(p.is_female_head))
    .bind(i64::from(p.has_disability))
    .bind(p.household_size)
    .bind(p.income_decile)
    .bind(&p.beneficiary_status)
    .bind(&p.sheba)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    match id {
        Some(id) => Ok((id, false)),
        None => {
            let id: i64 = sqlx::query_scalar("select id from person where national_id = $1")
                .bind(&p.national_id)
                .fetch_one(&mut **tx)
                .await?;
            Ok((id, true))
        }
    }
}

/// The contact details that only an explicit, audited change may set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Mobile, `09…`.
    pub mobile: String,
    /// Sheba, if any.
    pub sheba: Option<String>,
    /// Province code.
    pub province_code: String,
    /// County code.
    pub county_code: String,
    /// Address, if any.
    pub address: Option<String>,
}

/// Locks the person's row (a no-op update, which both engines order) and reads it.
pub async fn lock(tx: &mut Tx, id: i64) -> Result<Option<Person>, StoreError> {
    sqlx::query("update person set updated_at = updated_at where id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(
        sqlx::query_as(&format!("select {COLUMNS} from person where id = $1"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Sets a person's contact details (the caller audits the change).
pub async fn update_contact(tx: &mut Tx, id: i64, c: &Contact) -> Result<(), StoreError> {
    sqlx::query(
        "update person set mobile = $1, sheba = $2, province_code = $3, county_code = $4, \
         address = $5, updated_at = $6 where id = $7",
    )
    .bind(&c.mobile)
    .bind(&c.sheba)
    .bind(&c.province_code)
    .bind(&c.county_code)
    .bind(&c.address)
    .bind(time::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The income decile imported from the labour ministry's lists for a national ID.
pub async fn imported_decile<'e, E>(ex: E, national_id: &str) -> Result<Option<i64>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_scalar("select decile from income_decile where national_id = $1")
            .bind(national_id)
            .fetch_optional(ex)
            .await?,
    )
}

/// Sets the imported income decile of a national ID (a newer list replaces the older value);
/// returns the value it replaced, if any.
pub async fn set_imported_decile(
    tx: &mut crate::Tx,
    national_id: &str,
    decile: i64,
    source: &str,
) -> Result<Option<i64>, StoreError> {
    let old: Option<i64> =
        sqlx::query_scalar("select decile from income_decile where national_id = $1")
            .bind(national_id)
            .fetch_optional(&mut **tx)
            .await?;
    sqlx::query(
        "insert into income_decile (national_id, decile, source, created_at) \
         values ($1, $2, $3, $4) on conflict (national_id) do update \
         set decile = excluded.decile, source = excluded.source, created_at = excluded.created_at",
    )
    .bind(national_id)
    .bind(decile)
    .bind(source)
    .bind(crate::time::now())
    .execute(&mut **tx)
    .await?;
    Ok(old)
}

/// The persons with these ids (any order; missing ids are left out).
pub async fn by_ids<'e, E>(ex: E, ids: &[i64]) -> Result<Vec<Person>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select {COLUMNS} from person where id in ({})",
        marks.join(", ")
    );
    let mut q = sqlx::query_as(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(ex).await?)
}

/// The imported income deciles of these national IDs, as `(national_id, decile)` pairs.
pub async fn imported_deciles<'e, E>(
    ex: E,
    national_ids: &[String],
) -> Result<Vec<(String, i64)>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    if national_ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=national_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select national_id, decile from income_decile where national_id in ({})",
        marks.join(", ")
    );
    let mut q = sqlx::query_as(&sql);
    for n in national_ids {
        q = q.bind(n);
    }
    Ok(q.fetch_all(ex).await?)
}
