//! The shape of the live schema (tables, columns, indexes), read back from either engine so
//! that a test can check that the SQLite and PostgreSQL migrations stay alike.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::{Backend, Db, StoreError};

/// One column: its type class (`int`, `text`, `real`, `blob`) and whether it is `not null`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnShape {
    /// `int`, `text`, `real` or `blob`.
    pub class: String,
    /// True when the column cannot hold null (primary keys count as not null).
    pub not_null: bool,
}

/// One index: its table, whether it is unique, and whether it is partial.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexShape {
    /// The indexed table.
    pub table: String,
    /// True for a unique index.
    pub unique: bool,
    /// True when the index has a `where` clause.
    pub partial: bool,
}

/// Tables with their columns, and named indexes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemaShape {
    /// table → column → shape.
    pub tables: BTreeMap<String, BTreeMap<String, ColumnShape>>,
    /// index name → shape (primary keys excluded).
    pub indexes: BTreeMap<String, IndexShape>,
}

fn class_of(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    let class = if t.contains("int") {
        "int"
    } else if t.contains("char") || t.contains("text") {
        "text"
    } else if t.contains("real") || t.contains("double") || t.contains("float") {
        "real"
    } else if t.contains("blob") || t.contains("bytea") {
        "blob"
    } else {
        return t;
    };
    class.to_string()
}

/// Reads the schema's shape from the database.
pub async fn shape(db: &Db) -> Result<SchemaShape, StoreError> {
    match db.backend() {
        Backend::Sqlite => sqlite_shape(db).await,
        Backend::Postgres => postgres_shape(db).await,
    }
}

async fn sqlite_shape(db: &Db) -> Result<SchemaShape, StoreError> {
    let mut shape = SchemaShape::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "select name from sqlite_master where type = 'table' \
         and name not like 'sqlite_%' and name <> '_sqlx_migrations' order by name",
    )
    .fetch_all(db.pool())
    .await?;
    for table in tables {
        let rows =
            sqlx::query("select name, type, \"notnull\" as nn, pk from pragma_table_info($1)")
                .bind(&table)
                .fetch_all(db.pool())
                .await?;
        let mut columns = BTreeMap::new();
        for row in rows {
            let name: String = row.try_get("name")?;
            let declared: String = row.try_get("type")?;
            let nn: i64 = row.try_get("nn")?;
            let pk: i64 = row.try_get("pk")?;
            columns.insert(
                name,
                ColumnShape {
                    class: class_of(&declared),
                    not_null: nn == 1 || pk > 0,
                },
            );
        }
        shape.tables.insert(table, columns);
    }
    let rows = sqlx::query(
        "select name, tbl_name, sql from sqlite_master where type = 'index' and sql is not null",
    )
    .fetch_all(db.pool())
    .await?;
    for row in rows {
        let name: String = row.try_get("name")?;
        let table: String = row.try_get("tbl_name")?;
        let sql: String = row.try_get("sql")?;
        let sql = sql.to_ascii_lowercase();
        shape.indexes.insert(
            name,
            IndexShape {
                table,
                unique: sql.starts_with("create unique"),
                partial: sql.contains(" where "),
            },
        );
    }
    Ok(shape)
}

async fn postgres_shape(db: &Db) -> Result<SchemaShape, StoreError> {
    let mut shape = SchemaShape::default();
    let rows = sqlx::query(
        "select table_name::text as t, column_name::text as c, data_type::text as d, \
         is_nullable::text as n from information_schema.columns \
         where table_schema = current_schema() and table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db.pool())
    .await?;
    for row in rows {
        let table: String = row.try_get("t")?;
        let column: String = row.try_get("c")?;
        let declared: String = row.try_get("d")?;
        let nullable: String = row.try_get("n")?;
        shape.tables.entry(table).or_default().insert(
            column,
            ColumnShape {
                class: class_of(&declared),
                not_null: nullable == "NO",
            },
        );
    }
    let rows = sqlx::query(
        "select indexname::text as i, tablename::text as t, indexdef::text as d from pg_indexes \
         where schemaname = current_schema() and indexname not like '%_pkey' \
         and tablename <> '_sqlx_migrations'",
    )
    .fetch_all(db.pool())
    .await?;
    for row in rows {
        let name: String = row.try_get("i")?;
        let table: String = row.try_get("t")?;
        let def: String = row.try_get("d")?;
        let def = def.to_ascii_lowercase();
        shape.indexes.insert(
            name,
            IndexShape {
                table,
                unique: def.starts_with("create unique"),
                partial: def.contains(" where "),
            },
        );
    }
    Ok(shape)
}
