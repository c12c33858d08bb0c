//! Priority groups: for the files registered in the range (`a.submitted_at`, instants), how
//! many reached each stage, and how many of those are female heads of household and how many
//! live in a county flagged deprived (the flag today).

use sqlx::FromRow;

use super::{Columns, ReportFilter, STAGE_BITS, Where};
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

/// Files of the filter per stages reached and flags.
#[derive(FromRow)]
struct Group {
    stages_reached: i64,
    is_female_head: i64,
    is_deprived: i64,
    files: i64,
}

/// Every file of the filter (the row `registered`) and those that reached each stage (of
/// `states` when given, else of every stage; a stage no file reached has no row). One pass
/// over the files: the file carries its stages reached and its flags (migration 0014).
pub async fn groups<'e, E>(
    ex: E,
    f: &ReportFilter,
    states: Option<&[&str]>,
) -> Result<Vec<GroupRow>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut w = Where::default();
    f.conditions(&mut w, COLUMNS);
    let sql = format!(
        "select a.stages_reached, a.is_female_head, a.is_deprived, count(*) as files \
         from application a{} group by a.stages_reached, a.is_female_head, a.is_deprived",
        w.sql()
    );
    let groups: Vec<Group> = w.apply_as(sqlx::query_as(&sql)).fetch_all(ex).await?;
    let add = |row: &mut GroupRow, g: &Group| {
        row.files += g.files;
        row.female_heads += g.is_female_head * g.files;
        row.deprived += g.is_deprived * g.files;
    };
    let mut rows: Vec<GroupRow> = Vec::new();
    if states.is_none() {
        let mut all = GroupRow::empty("registered");
        groups.iter().for_each(|g| add(&mut all, g));
        rows.push(all);
    }
    for (state, bit) in STAGE_BITS {
        if states.is_some_and(|s| !s.contains(state)) {
            continue;
        }
        let mut row = GroupRow::empty(state);
        for g in groups.iter().filter(|g| g.stages_reached & bit != 0) {
            add(&mut row, g);
        }
        if row.files > 0 {
            rows.push(row);
        }
    }
    Ok(rows)
}

impl GroupRow {
    fn empty(state: &str) -> Self {
        Self {
            state: state.to_string(),
            files: 0,
            female_heads: 0,
            deprived: 0,
        }
    }
}
