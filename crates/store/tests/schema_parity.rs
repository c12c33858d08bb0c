//! The SQLite and PostgreSQL migrations must describe the same schema.

use vamyar_store::testdb::TestDb;
use vamyar_store::{Backend, schema};

/// Indexes only SQLite has: `installment_overdue_loan` (migration 0027), which lists close of
/// business's overdue installments without reading their rows; on PostgreSQL its condition
/// on the paid amounts would end heap-only updates for partial payments.
const SQLITE_ONLY_INDEXES: &[&str] = &["installment_overdue_loan"];

#[tokio::test]
#[cfg_attr(not(pg_tests), ignore = "VAMYAR_TEST_POSTGRES_URL is not set")]
async fn sqlite_and_postgres_schemas_are_alike() {
    let sqlite = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let Some(pg) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let a = schema::shape(&sqlite.db).await.unwrap();
    let b = schema::shape(&pg.db).await.unwrap();
    assert!(
        a.tables.len() >= 30,
        "the schema has its tables: {}",
        a.tables.len()
    );
    let only_sqlite: Vec<_> = a
        .tables
        .keys()
        .filter(|t| !b.tables.contains_key(*t))
        .collect();
    let only_pg: Vec<_> = b
        .tables
        .keys()
        .filter(|t| !a.tables.contains_key(*t))
        .collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "tables differ: sqlite-only {only_sqlite:?}, postgres-only {only_pg:?}"
    );
    for (table, cols) in &a.tables {
        assert_eq!(cols, &b.tables[table], "columns of `{table}` differ");
    }
    // one engine's own indexes, each on purpose (its migration says why), and only those
    let mut sqlite_indexes = a.indexes.clone();
    for name in SQLITE_ONLY_INDEXES {
        let shape = sqlite_indexes.remove(*name);
        assert!(
            shape.is_some_and(|s| s.partial),
            "`{name}` is a partial index on SQLite"
        );
        assert!(
            !b.indexes.contains_key(*name),
            "`{name}` is not on PostgreSQL"
        );
    }
    assert_eq!(sqlite_indexes, b.indexes, "indexes differ");
    // every table has created_at (migrations/README.md)
    for (table, cols) in &a.tables {
        assert!(
            cols.contains_key("created_at"),
            "`{table}` has no created_at"
        );
    }
}

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    let t = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let before = schema::shape(&t.db).await.unwrap();
    t.db.migrate().await.unwrap();
    vamyar_store::reference::seed(&t.db, vamyar_calendar::Clock::system().today())
        .await
        .unwrap();
    assert_eq!(before, schema::shape(&t.db).await.unwrap());
}
