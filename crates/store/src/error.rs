//! Storage errors, with unique-key violations recognised on both engines.

/// What can go wrong when talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL names an engine Vamyar does not run on.
    #[error("unsupported database URL scheme `{scheme}` (use sqlite:// or postgres://)")]
    UnsupportedUrl {
        /// The scheme that was given.
        scheme: String,
    },
    /// A file or folder next to the database could not be made.
    #[error("cannot prepare {path}: {message}")]
    Io {
        /// The path concerned.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// Stored data that cannot be read back as the type it should be.
    #[error("corrupt stored value in {what}: {detail}")]
    Corrupt {
        /// Which value.
        what: &'static str,
        /// Why it could not be read.
        detail: String,
    },
}

/// A unique index, by its name on PostgreSQL and its `table.column` list on SQLite (whose
/// error messages name columns, not indexes).
#[derive(Clone, Copy, Debug)]
pub struct UniqueKey {
    /// The index name given in the migrations.
    pub index: &'static str,
    /// How SQLite reports it: `table.col` or `table.col1, table.col2`.
    pub sqlite_columns: &'static str,
}

impl StoreError {
    /// True when this error is a violation of the given unique key.
    pub fn violates(&self, key: UniqueKey) -> bool {
        let StoreError::Sqlx(sqlx::Error::Database(db)) = self else {
            return false;
        };
        if !matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation) {
            return false;
        }
        match db.constraint() {
            Some(name) => name == key.index,
            None => db
                .message()
                .strip_prefix("UNIQUE constraint failed: ")
                .is_some_and(|cols| cols == key.sqlite_columns),
        }
    }

    /// True for any unique-key violation.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Sqlx(sqlx::Error::Database(db))
            if matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation))
    }

    /// True for a check-constraint violation (a value outside what the schema allows).
    pub fn is_check_violation(&self) -> bool {
        matches!(self, StoreError::Sqlx(sqlx::Error::Database(db))
            if matches!(db.kind(), sqlx::error::ErrorKind::CheckViolation))
    }
}
