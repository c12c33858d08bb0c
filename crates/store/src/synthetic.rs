//! Bulk loading of synthetic data for load tests (`vamyar seed`): large multi-row inserts
//! with explicit ids, written as SQL literals (the values are generated, never user input,
//! and text is quoted by [`Value::Text`]'s escaping), executed without preparing, because a
//! million rows through bound parameters would spend most of their time binding.
//!
//! Callers reserve id ranges with [`max_id`] and, on PostgreSQL, move the identity sequences
//! past them with [`advance_identity`] when done. Seeding is an offline job: nothing else may
//! insert into the same tables meanwhile.

use std::fmt::Write;

use crate::{Backend, Db, StoreError, Tx};

/// One literal value of a synthetic row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// An integer.
    Int(i64),
    /// Text, quoted with `'` doubled.
    Text(String),
    /// A static text (column values shared by every row).
    Str(&'static str),
    /// NULL.
    Null,
}

impl Value {
    fn write_sql(&self, out: &mut String) {
        match self {
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Text(s) => quote(out, s),
            Value::Str(s) => quote(out, s),
            Value::Null => out.push_str("null"),
        }
    }
}

fn quote(out: &mut String, s: &str) {
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

/// The statement inserting `rows` into `table` (`columns` in order).
pub fn insert_sql(table: &str, columns: &[&str], rows: &[Vec<Value>]) -> String {
    let mut sql = String::with_capacity(64 + rows.len() * columns.len() * 12);
    let _ = write!(sql, "insert into {table} ({}) values ", columns.join(", "));
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for (j, v) in row.iter().enumerate() {
            if j > 0 {
                sql.push_str(", ");
            }
            v.write_sql(&mut sql);
        }
        sql.push(')');
    }
    sql
}

/// Inserts `rows` into `table`, `chunk` rows per statement, inside the caller's transaction.
pub async fn insert(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
    chunk: usize,
) -> Result<(), StoreError> {
    for part in rows.chunks(chunk.max(1)) {
        let sql = insert_sql(table, columns, part);
        sqlx::raw_sql(&sql).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Begins a bulk load's transaction. On SQLite its connection gets a 256 MB page cache (the
/// server's is SQLite's default 2 MB): a load touches every index page again and again, and
/// with the small cache each batch reads most of them back from the file.
pub async fn begin_bulk(db: &Db) -> Result<Tx, StoreError> {
    let mut tx = db.begin().await?;
    if db.backend() == Backend::Sqlite {
        sqlx::query("pragma cache_size = -262144")
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

/// The largest id in `table` (0 when empty). `table` must be one of the schema's names.
pub async fn max_id(db: &Db, table: &str) -> Result<i64, StoreError> {
    let max: Option<i64> = sqlx::query_scalar(&format!("select max(id) from {table}"))
        .fetch_one(db.pool())
        .await?;
    Ok(max.unwrap_or(0))
}

/// On PostgreSQL, moves the identity sequence of `table` past its largest id, after rows were
/// inserted with explicit ids (SQLite's autoincrement follows by itself).
pub async fn advance_identity(db: &Db, table: &str) -> Result<(), StoreError> {
    if db.backend() == Backend::Postgres {
        sqlx::query(&format!(
            "select setval(pg_get_serial_sequence('{table}', 'id'), \
             greatest((select max(id) from {table}), 1))"
        ))
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// Updates the planner's statistics after a bulk load.
pub async fn analyze(db: &Db) -> Result<(), StoreError> {
    sqlx::raw_sql("analyze").execute(db.pool()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted_and_rows_joined() {
        let sql = insert_sql(
            "t",
            &["a", "b", "c"],
            &[
                vec![Value::Int(1), Value::Text("it's".into()), Value::Null],
                vec![Value::Int(-2), Value::Str("x"), Value::Int(0)],
            ],
        );
        assert_eq!(
            sql,
            "insert into t (a, b, c) values (1, 'it''s', null), (-2, 'x', 0)"
        );
    }
}
