//! Rows written at the end of a group ([`Tx::insert_later`]): inside a group commit
//! ([`crate::group`]) a piece's append-only rows (history, stage clock, audit log, outbox) wait
//! in the transaction and go in just before the commit, one multi-row insert per statement
//! shape for the whole group, instead of one round trip to the writer connection each. A piece
//! that fails takes its waiting rows with it. Outside a group the row is inserted at once.
//!
//! Only for rows that nothing reads back in the same transaction, and whose insert cannot fail
//! but for a reason that should fail the whole group (a conflict the statement does not
//! absorb): they are visible to other transactions only after the commit, as before.

use sqlx::any::AnyArguments;
use sqlx::query::Query;

use crate::cob::{for_engine, value_rows};
use crate::{StoreError, Tx};

/// The most parameters one multi-row insert binds (SQLite allows 32,766).
const MAX_PARAMETERS: usize = 30_000;

/// One value of a row inserted later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// An integer, or null.
    Int(Option<i64>),
    /// Text, or null.
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        Value::Text(v.map(str::to_string))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::Text(v)
    }
}

/// A row waiting for the end of its group.
#[derive(Debug)]
pub(crate) struct Row {
    head: &'static str,
    tail: &'static str,
    values: Vec<Value>,
}

impl Tx {
    /// Inserts one row: `head` is `insert into t (a, b, …)`, `values` its values in that
    /// order, `tail` what follows the values (e.g. `on conflict (k) do nothing`, or empty).
    /// In a group commit the row waits and goes in with the group's other rows of the same
    /// statement just before the commit; otherwise it is inserted now.
    pub async fn insert_later(
        &mut self,
        head: &'static str,
        tail: &'static str,
        values: Vec<Value>,
    ) -> Result<(), StoreError> {
        if let Some(rows) = self.later.as_mut() {
            rows.push(Row { head, tail, values });
            return Ok(());
        }
        self.insert_now(head, tail, values).await
    }

    /// Inserts one row now (the statement [`Tx::insert_later`] writes outside a group).
    pub async fn insert_now(
        &mut self,
        head: &str,
        tail: &str,
        values: Vec<Value>,
    ) -> Result<(), StoreError> {
        let sql = format!("{head} values {} {tail}", value_rows(1, 1, values.len()));
        bind(sqlx::query(&sql), values).execute(&mut **self).await?;
        Ok(())
    }

    /// Inserts one row now and returns its `id`, or `None` when `tail` (e.g. `on conflict
    /// … do nothing`) kept it out.
    pub async fn insert_returning_id(
        &mut self,
        head: &str,
        tail: &str,
        values: Vec<Value>,
    ) -> Result<Option<i64>, StoreError> {
        let sql = format!(
            "{head} values {} {tail} returning id",
            value_rows(1, 1, values.len())
        );
        let row = bind(sqlx::query(&sql), values)
            .fetch_optional(&mut **self)
            .await?;
        Ok(match row {
            Some(row) => Some(sqlx::Row::try_get(&row, 0)?),
            None => None,
        })
    }

    /// From now on rows inserted later wait for [`Tx::flush_later`] (the group writer).
    pub(crate) fn hold_later(&mut self) {
        self.later = Some(Vec::new());
    }

    /// How many rows wait (a mark to go back to).
    pub(crate) fn later_mark(&self) -> usize {
        self.later.as_ref().map_or(0, Vec::len)
    }

    /// Drops the rows that waited since `mark` (a piece that failed).
    pub(crate) fn drop_later_since(&mut self, mark: usize) {
        if let Some(rows) = self.later.as_mut() {
            rows.truncate(mark);
        }
    }

    /// Inserts every waiting row: one statement per shape and per [`MAX_PARAMETERS`], the
    /// rows of a shape in the order they were added.
    pub(crate) async fn flush_later(&mut self) -> Result<(), StoreError> {
        let rows = self.later.take().unwrap_or_default();
        let mut shapes: Vec<(&'static str, &'static str, usize, Vec<Vec<Value>>)> = Vec::new();
        for row in rows {
            let width = row.values.len();
            match shapes
                .iter_mut()
                .find(|(h, t, w, _)| *h == row.head && *t == row.tail && *w == width)
            {
                Some((_, _, _, values)) => values.push(row.values),
                None => shapes.push((row.head, row.tail, width, vec![row.values])),
            }
        }
        for (head, tail, width, rows) in shapes {
            for chunk in rows.chunks((MAX_PARAMETERS / width.max(1)).max(1)) {
                let sql = format!("{head} values {} {tail}", value_rows(1, chunk.len(), width));
                let sql = for_engine(self, &sql).into_owned();
                let values = chunk.iter().flatten().cloned().collect();
                bind(sqlx::query(&sql), values).execute(&mut **self).await?;
            }
        }
        Ok(())
    }
}

/// `query` with `values` bound in order.
pub(crate) fn bind<'q>(
    mut query: Query<'q, sqlx::Any, AnyArguments<'q>>,
    values: Vec<Value>,
) -> Query<'q, sqlx::Any, AnyArguments<'q>> {
    for value in values {
        query = match value {
            Value::Int(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
        };
    }
    query
}
