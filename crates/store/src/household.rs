//! Households (`household`, `household_link`): the agency's case number with the household's
//! size, and the national IDs of its members (linked before or after they register). Read by
//! registration (the open-file limit, the size the priority counts) and the desk.

use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx};

/// A household as stored.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Household {
    /// Id.
    pub id: i64,
    /// The agency's case number (پرونده مددجویی).
    pub case_number: String,
    /// The household's size from the case file.
    pub size: i64,
    /// Its province.
    pub province_code: String,
    /// Its county.
    pub county_code: String,
}

const SELECT: &str = "select h.id, h.case_number, h.size, h.province_code, h.county_code \
    from household h";

/// A household to write.
#[derive(Clone, Debug)]
pub struct NewHousehold<'a> {
    /// The case number.
    pub case_number: &'a str,
    /// Its size.
    pub size: i64,
    /// Its province.
    pub province_code: &'a str,
    /// Its county.
    pub county_code: &'a str,
    /// Who recorded it.
    pub staff_user_id: Option<i64>,
    /// Now (RFC 3339).
    pub at: &'a str,
}

/// Writes a household; `None` when its case number is taken.
pub async fn create(tx: &mut Tx, h: &NewHousehold<'_>) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "insert into household (case_number, size, province_code, county_code, \
         created_by_staff_id, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6) \
         on conflict (case_number) do nothing returning id",
    )
    .bind(h.case_number)
    .bind(h.size)
    .bind(h.province_code)
    .bind(h.county_code)
    .bind(h.staff_user_id)
    .bind(h.at)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Takes household `id`'s row lock until `tx` ends (on SQLite the writer's lock is already
/// held), so two registrations into one household count its open files one after the other.
/// False when there is no such household.
pub async fn lock(tx: &mut Tx, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("update household set updated_at = updated_at where id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The household with this case number.
pub async fn by_case_number<'e, E>(
    ex: E,
    case_number: &str,
) -> Result<Option<Household>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("{SELECT} where h.case_number = $1"))
            .bind(case_number)
            .fetch_optional(ex)
            .await?,
    )
}

/// The household the person with this national ID is linked into.
pub async fn of_national_id<'e, E>(
    ex: E,
    national_id: &str,
) -> Result<Option<Household>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "{SELECT} join household_link l on l.household_id = h.id where l.national_id = $1"
    ))
    .bind(national_id)
    .fetch_optional(ex)
    .await?)
}

/// Links a national ID into a household; false when it is linked already (here or elsewhere).
pub async fn link(
    tx: &mut Tx,
    household_id: i64,
    national_id: &str,
    staff_user_id: Option<i64>,
    at: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "insert into household_link (household_id, national_id, linked_by_staff_id, created_at) \
         values ($1, $2, $3, $4) on conflict (national_id) do nothing",
    )
    .bind(household_id)
    .bind(national_id)
    .bind(staff_user_id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A linked member, with their name once they registered.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Member {
    /// The national ID.
    pub national_id: String,
    /// The person, once registered.
    pub person_id: Option<i64>,
    /// First name, once registered.
    pub first_name: Option<String>,
    /// Last name, once registered.
    pub last_name: Option<String>,
}

/// A household's members, in the order they were linked.
pub async fn members<'e, E>(ex: E, household_id: i64) -> Result<Vec<Member>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select l.national_id, p.id as person_id, p.first_name, p.last_name \
         from household_link l left join person p on p.national_id = l.national_id \
         where l.household_id = $1 order by l.id",
    )
    .bind(household_id)
    .fetch_all(ex)
    .await?)
}

/// An open file of a household's member.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct OpenFile {
    /// The file.
    pub application_id: i64,
    /// Its tracking code.
    pub tracking_code: String,
    /// Its state.
    pub state: String,
    /// The member's national ID.
    pub national_id: String,
}

/// The open files (not rejected, withdrawn or closed) of a household's members, oldest first.
pub async fn open_files<'e, E>(ex: E, household_id: i64) -> Result<Vec<OpenFile>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select a.id as application_id, a.tracking_code, a.state, l.national_id \
         from household_link l join person p on p.national_id = l.national_id \
         join application a on a.person_id = p.id \
         where l.household_id = $1 and a.state not in ('rejected', 'withdrawn', 'closed') \
         order by a.id",
    )
    .bind(household_id)
    .fetch_all(ex)
    .await?)
}

/// The linked household's size of each of these national IDs that is linked (national ID,
/// size).
pub async fn sizes_of<'e, E>(
    ex: E,
    national_ids: &[String],
) -> Result<Vec<(String, i64)>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    if national_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select l.national_id, h.size from household_link l \
         join household h on h.id = l.household_id where l.national_id in ({})",
        crate::cob::placeholders(1, national_ids.len())
    );
    let mut q = sqlx::query_as(&sql);
    for n in national_ids {
        q = q.bind(n);
    }
    Ok(q.fetch_all(ex).await?)
}

/// The linked household's size of the person with this national ID, if linked.
pub async fn size_of<'e, E>(ex: E, national_id: &str) -> Result<Option<i64>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar(
        "select h.size from household_link l join household h on h.id = l.household_id \
         where l.national_id = $1",
    )
    .bind(national_id)
    .fetch_optional(ex)
    .await?)
}
