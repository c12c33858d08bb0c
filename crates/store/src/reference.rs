//! Reference data: provinces, counties (with the deprived flag) and holidays.
//!
//! The 31 provinces and their counties ship in `seed/*.csv`; the fixed solar holidays of the
//! coming years come from the calendar crate. Seeding is idempotent and never overwrites what
//! admins have edited (a county's deprived flag, a holiday's name).

use crate::Flag;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use vamyar_calendar::{JalaliDate, fixed_solar_holidays};

use crate::{Db, StoreError, Tx, time};

const PROVINCES_CSV: &str = include_str!("../seed/provinces.csv");
const COUNTIES_CSV: &str = include_str!("../seed/counties.csv");

/// How many Jalali years after the current one get their fixed holidays seeded.
const HOLIDAY_YEARS_AHEAD: i32 = 5;

/// A province as stored.
#[derive(Clone, Debug, FromRow, Serialize, Deserialize, PartialEq, Eq)]
pub struct Province {
    /// Two-digit internal code (the older ISO 3166-2:IR numbering; counties build on it).
    pub code: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// The current ISO 3166-2 code, e.g. `IR-23` for Tehran.
    pub iso_code: String,
}

/// A county (شهرستان) as stored.
#[derive(Clone, Debug, FromRow, Serialize, Deserialize, PartialEq, Eq)]
pub struct County {
    /// `PP-NN`: province code and sequence.
    pub code: String,
    /// The province it belongs to.
    pub province_code: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// The county is flagged deprived (مناطق محروم).
    #[sqlx(try_from = "Flag")]
    pub is_deprived: bool,
}

/// A holiday as stored.
#[derive(Clone, Debug, FromRow, Serialize, Deserialize, PartialEq, Eq)]
pub struct HolidayRow {
    /// ISO date.
    pub holiday_date: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// `solar`, `lunar` or `other`.
    pub kind: String,
}

#[derive(Deserialize)]
struct ProvinceCsv {
    code: String,
    name_fa: String,
    name_en: String,
    iso_3166_2: String,
}

#[derive(Deserialize)]
struct CountyCsv {
    code: String,
    province_code: String,
    name_fa: String,
    name_en: String,
    deprived: u8,
}

fn read_csv<T: for<'de> Deserialize<'de>>(
    text: &str,
    what: &'static str,
) -> Result<Vec<T>, StoreError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| StoreError::Corrupt {
            what,
            detail: e.to_string(),
        })
}

/// Inserts the provinces, counties and fixed solar holidays that are missing.
pub async fn seed(db: &Db, today: NaiveDate) -> Result<(), StoreError> {
    let provinces: Vec<ProvinceCsv> = read_csv(PROVINCES_CSV, "seed/provinces.csv")?;
    let counties: Vec<CountyCsv> = read_csv(COUNTIES_CSV, "seed/counties.csv")?;
    let now = time::now();
    let mut tx = db.begin().await?;
    let existing: i64 = sqlx::query_scalar("select count(*) from county")
        .fetch_one(&mut *tx)
        .await?;
    if existing < counties.len() as i64 {
        for p in &provinces {
            sqlx::query(
                "insert into province (code, name_fa, name_en, iso_code, created_at) \
                 values ($1, $2, $3, $4, $5) on conflict (code) do nothing",
            )
            .bind(&p.code)
            .bind(&p.name_fa)
            .bind(&p.name_en)
            .bind(&p.iso_3166_2)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        for c in &counties {
            sqlx::query(
                "insert into county (code, province_code, name_fa, name_en, is_deprived, \
                 created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6) \
                 on conflict (code) do nothing",
            )
            .bind(&c.code)
            .bind(&c.province_code)
            .bind(&c.name_fa)
            .bind(&c.name_en)
            .bind(i64::from(c.deprived.min(1)))
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
    }
    let this_year = JalaliDate::from_iso(today).year();
    for year in this_year - 1..=this_year + HOLIDAY_YEARS_AHEAD {
        for h in fixed_solar_holidays(year) {
            insert_holiday(&mut tx, h.date, h.name_fa, h.name_en, "solar").await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Adds a holiday unless that date already is one.
pub async fn insert_holiday(
    tx: &mut Tx,
    date: NaiveDate,
    name_fa: &str,
    name_en: &str,
    kind: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into holiday (holiday_date, name_fa, name_en, kind, created_at) \
         values ($1, $2, $3, $4, $5) on conflict (holiday_date) do nothing",
    )
    .bind(time::date(date))
    .bind(name_fa)
    .bind(name_en)
    .bind(kind)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every province, in code order.
pub async fn provinces(db: &Db) -> Result<Vec<Province>, StoreError> {
    Ok(
        sqlx::query_as("select code, name_fa, name_en, iso_code from province order by code")
            .fetch_all(db.pool())
            .await?,
    )
}

/// Every county, in code order.
pub async fn counties(db: &Db) -> Result<Vec<County>, StoreError> {
    Ok(sqlx::query_as(
        "select code, province_code, name_fa, name_en, is_deprived from county order by code",
    )
    .fetch_all(db.pool())
    .await?)
}

/// The version of the reference data (`reference_version`): bumped by trigger on every write
/// to provinces, counties, holidays, programs and their loan types.
pub async fn version(db: &Db) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("select n from reference_version where id = 1")
            .fetch_one(db.pool())
            .await?,
    )
}

/// One county by code.
pub async fn county(db: &Db, code: &str) -> Result<Option<County>, StoreError> {
    Ok(sqlx::query_as(
        "select code, province_code, name_fa, name_en, is_deprived from county where code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?)
}

/// A county by code, read through `ex` (inside a transaction, its uncommitted changes).
pub async fn county_in<'e, E>(ex: E, code: &str) -> Result<Option<County>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select code, province_code, name_fa, name_en, is_deprived from county where code = $1",
    )
    .bind(code)
    .fetch_optional(ex)
    .await?)
}

/// Sets or clears a county's deprived flag; false when there is no such county.
pub async fn set_county_deprived(
    tx: &mut Tx,
    code: &str,
    deprived: bool,
) -> Result<bool, StoreError> {
    let done = sqlx::query("update county set is_deprived = $1, updated_at = $2 where code = $3")
        .bind(i64::from(deprived))
        .bind(time::now())
        .bind(code)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The holidays between two dates, inclusive.
pub async fn holidays_between(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<HolidayRow>, StoreError> {
    Ok(sqlx::query_as(
        "select holiday_date, name_fa, name_en, kind from holiday \
         where holiday_date >= $1 and holiday_date <= $2 order by holiday_date",
    )
    .bind(time::date(from))
    .bind(time::date(to))
    .fetch_all(db.pool())
    .await?)
}

/// How many Jalali years after this one the working calendar covers: the longest grace
/// plus the longest term (5 + 20 years) from a disbursement today, and one more.
pub const CALENDAR_YEARS_AHEAD: i32 = 26;

/// The Jalali years the working calendar covers around `today`: two back, and
/// [`CALENDAR_YEARS_AHEAD`] ahead, so every due date of a schedule computed today (and every
/// service level) falls inside.
pub fn calendar_years(today: NaiveDate) -> std::ops::RangeInclusive<i32> {
    let year = JalaliDate::from_iso(today).year();
    year - 2..=year + CALENDAR_YEARS_AHEAD
}

/// The working calendar (Friday weekend) around today ([`calendar_years`]): the fixed solar
/// holidays **generated** for every one of those years (they need no row in the table, so a
/// schedule reaching past the seeded years still skips Nowruz) plus every holiday in the
/// table (lunar holidays, which are imported or entered).
pub async fn working_calendar(
    db: &Db,
    today: NaiveDate,
) -> Result<vamyar_calendar::WorkingCalendar, StoreError> {
    let years = calendar_years(today);
    let first = JalaliDate::new(*years.start(), 1, 1).map_or(today, |d| d.to_iso());
    let last = JalaliDate::new(*years.end() + 1, 1, 1).map_or(today, |d| d.to_iso());
    let mut dates: Vec<NaiveDate> = years
        .flat_map(fixed_solar_holidays)
        .map(|h| h.date)
        .collect();
    for h in holidays_between(db, first, last).await? {
        dates.push(time::parse_date(&h.holiday_date)?);
    }
    Ok(vamyar_calendar::WorkingCalendar::new().with_holidays(dates))
}

/// One province by code.
pub async fn province<'e, E>(ex: E, code: &str) -> Result<Option<Province>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as("select code, name_fa, name_en, iso_code from province where code = $1")
            .bind(code)
            .fetch_optional(ex)
            .await?,
    )
}

/// Adds a holiday; false (and nothing written) when that date already is one.
pub async fn add_holiday(
    tx: &mut Tx,
    date: NaiveDate,
    name_fa: &str,
    name_en: &str,
    kind: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "insert into holiday (holiday_date, name_fa, name_en, kind, created_at) \
         values ($1, $2, $3, $4, $5) on conflict (holiday_date) do nothing",
    )
    .bind(time::date(date))
    .bind(name_fa)
    .bind(name_en)
    .bind(kind)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes the holiday on `date` and returns it; `None` when that date is no holiday.
pub async fn delete_holiday(
    tx: &mut Tx,
    date: NaiveDate,
) -> Result<Option<HolidayRow>, StoreError> {
    let row: Option<HolidayRow> = sqlx::query_as(
        "select holiday_date, name_fa, name_en, kind from holiday where holiday_date = $1",
    )
    .bind(time::date(date))
    .fetch_optional(&mut **tx)
    .await?;
    if row.is_some() {
        sqlx::query("delete from holiday where holiday_date = $1")
            .bind(time::date(date))
            .execute(&mut **tx)
            .await?;
    }
    Ok(row)
}

/// The last due date of any unpaid installment: how far ahead running schedules reach (a
/// running loan's last installment is unpaid until the loan is repaid). `None` when nothing
/// is owed. One step down the end of each unpaid status's range (`pending`, `overdue`:
/// `due` is not stored, migration 0025) in the partial index on open installments by status
/// and due date (migration 0024), not a scan of every installment (at a million loans the
/// join took seconds).
pub async fn schedules_reach(db: &Db) -> Result<Option<NaiveDate>, StoreError> {
    let last: Option<String> = sqlx::query_scalar(
        "select max(last) from (\
         select max(due_on) as last from installment where status <> 'paid' and status = 'pending' \
         union all \
         select max(due_on) from installment where status <> 'paid' and status = 'overdue') as t",
    )
    .fetch_one(db.pool())
    .await?;
    last.as_deref().map(time::parse_date).transpose()
}

/// The dates of the lunar holidays between two dates, inclusive.
pub async fn lunar_holiday_dates(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<NaiveDate>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar(
        "select holiday_date from holiday where kind = 'lunar' \
         and holiday_date >= $1 and holiday_date <= $2",
    )
    .bind(time::date(from))
    .bind(time::date(to))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|d| time::parse_date(d)).collect()
}
