//! Priority groups: for the files registered in the range (`a.submitted_at`, instants), how
//! many reached each stage, and how many of those are female heads of household and how many
//! live in a county flagged deprived (the flag today).

use sqlx::FromRow;

use super::{Columns, ReportFilter, Where};
use crate::StoreError;

const COLUMNS: Columns = Columns {
    date: "a.submitted_at",
    to_exclusive: true,
    bank: "a.bank_id",
    province: "a.province_code",
};

/// The files that reached one stage.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct GroupRow {
    /// The stage (`registered` for every file of the range).
    pub state: String,
    /// How many files.
    pub files: i64,
    /// Of them, female heads of household.
    pub female_heads: i64,
    /// Of them, in a deprived county.
    pub deprived: i64,
}

/// Person and county are always joined here (so the filter's own joins are not added).
const JOINS: &str = " join person p on p.id = a.person_id join county c on c.code = a.county_code";

/// Every file of the filter (the row `registered`) and those that reached each stage.
pub async fn groups<'e, E>(
    ex: E,
    f: &ReportFilter,
    states: Option<&[&str]>,
) -> Result<Vec<GroupRow>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
    E: Copy,
{
    let mut w = Where::default();
    f.conditions(&mut w, COLUMNS);
    let mut rows: Vec<GroupRow> = Vec::new();
    if states.is_none() {
        let sql = format!(
            "select 'registered' as state, count(*) as files, \
             cast(coalesce(sum(p.is_female_head), 0) as bigint) as female_heads, \
             cast(coalesce(sum(c.is_deprived), 0) as bigint) as deprived \
             from application a{}{}",
            JOINS,
            w.sql()
        );
        rows.push(w.apply_as(sqlx::query_as(&sql)).fetch_one(ex).await?);
    }
    if let Some(states) = states {
        let list: Vec<String> = states.iter().map(|s| format!("'{s}'")).collect();
        // the workflow's own state names, never user input
        w.raw(&format!("st.state in ({})", list.join(", ")));
    }
    let sql = format!(
        "select st.state as state, count(distinct st.application_id) as files, \
         count(distinct case when p.is_female_head = 1 then st.application_id end) \
         as female_heads, \
         count(distinct case when c.is_deprived = 1 then st.application_id end) as deprived \
         from stage_timing st join application a on a.id = st.application_id{}{} \
         group by st.state",
        JOINS,
        w.sql()
    );
    rows.extend(w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?);
    Ok(rows)
}
