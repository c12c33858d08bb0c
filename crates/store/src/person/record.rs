//! What is on record about a person, each read in one statement: by national ID before a
//! registration (the person if registered, the imported decile, the household it is linked into), and by
//! id for a file's context (the person with its imported decile and household size). Each
//! replaces two or three single reads on the hot paths of intake and payments.

use std::sync::LazyLock;

use sqlx::{FromRow, Row};

use super::{COLUMNS, Person};
use crate::StoreError;
use crate::household::Household;

/// What is on record for a national ID.
#[derive(Clone, Debug, Default)]
pub struct OnRecord {
    /// The registered person, if any.
    pub person: Option<Person>,
    /// The income decile imported from the labour ministry's lists, if any.
    pub imported_decile: Option<i64>,
    /// The household the national ID is linked into, if any.
    pub household: Option<Household>,
}

/// A person with what the priority reads beside the person's own row.
#[derive(Clone, Debug, FromRow)]
pub struct PersonFacts {
    /// The person.
    #[sqlx(flatten)]
    pub person: Person,
    /// The imported income decile, if any.
    pub imported_decile: Option<i64>,
    /// The size of the household the person is linked into, if any (the person's own
    /// `household_size` is the declared one).
    #[sqlx(rename = "linked_size")]
    pub household_size: Option<i64>,
}

/// The person's columns read through the alias `p`, each under its own name (so the other
/// columns of these reads are named `imported_decile` and `linked_…`, never a person's).
fn person_columns() -> String {
    crate::cob::aliased(COLUMNS, "p", "")
}

/// What is on record for `national_id`: one row from a one-row base left-joined to the
/// person, the imported deciles and the household links (each unique by national ID).
pub async fn on_record<'e, E>(ex: E, national_id: &str) -> Result<OnRecord, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select {}, d.decile as imported_decile, h.id as linked_id, \
         h.case_number as linked_case_number, h.size as linked_size, \
         h.province_code as linked_province_code, h.county_code as linked_county_code \
         from (select cast($1 as text) as nid) k \
         left join person p on p.national_id = k.nid \
         left join income_decile d on d.national_id = k.nid \
         left join household_link l on l.national_id = k.nid \
         left join household h on h.id = l.household_id",
            person_columns()
        )
    });
    let row = sqlx::query(SQL.as_str())
        .bind(national_id)
        .fetch_one(ex)
        .await?;
    let person = match row.try_get::<Option<i64>, _>("id")? {
        Some(_) => Some(Person::from_row(&row)?),
        None => None,
    };
    let household = match row.try_get::<Option<i64>, _>("linked_id")? {
        Some(id) => Some(Household {
            id,
            case_number: row.try_get("linked_case_number")?,
            size: row.try_get("linked_size")?,
            province_code: row.try_get("linked_province_code")?,
            county_code: row.try_get("linked_county_code")?,
        }),
        None => None,
    };
    Ok(OnRecord {
        person,
        imported_decile: row.try_get("imported_decile")?,
        household,
    })
}

/// Person `id` with the imported decile of its national ID and the size of the household it
/// is linked into.
pub async fn facts<'e, E>(ex: E, id: i64) -> Result<Option<PersonFacts>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select {}, \
         (select d.decile from income_decile d where d.national_id = p.national_id) \
           as imported_decile, \
         (select h.size from household_link l join household h on h.id = l.household_id \
          where l.national_id = p.national_id) as linked_size \
         from person p where p.id = $1",
            person_columns()
        )
    });
    Ok(sqlx::query_as(SQL.as_str())
        .bind(id)
        .fetch_optional(ex)
        .await?)
}
