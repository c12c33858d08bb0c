//! The connection to SQLite or PostgreSQL, chosen by URL, and the migrations of both.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use futures_util::future::BoxFuture;

use crate::group::Group;
use crate::wal_sync::WalSync;
use crate::{StoreError, Tx};

/// The database engine behind a [`Db`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (WAL, busy timeout): the default for one server.
    Sqlite,
    /// PostgreSQL: the production engine, shared by several server processes.
    Postgres,
}

impl Backend {
    /// Which engine a database URL names, or `None` for an unknown scheme.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// A short lowercase name for logs and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A pool of connections to one database, and which engine it is.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// SQLite: the one connection write transactions use (see [`Db::begin`]); PostgreSQL and
    /// in-memory SQLite: none, writes use `pool`.
    writer: Option<AnyPool>,
    /// SQLite file: the group commit of the writer's transactions (see [`crate::wal_sync`]).
    sync: Option<Arc<WalSync>>,
    /// SQLite file: the writer task that commits waiting work in groups ([`Db::grouped`]).
    group: Option<Arc<Group>>,
    backend: Backend,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`). For SQLite the file and its
    /// folder are created when missing, and each connection uses WAL with a busy timeout.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| StoreError::UnsupportedUrl {
            scheme: url.split(':').next().unwrap_or_default().to_string(),
        })?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        let pool = match backend {
            Backend::Sqlite => sqlite_pool(pool_options, options.clone(), 8, "full").await?,
            Backend::Postgres => {
                pool_options
                    .max_connections(16)
                    .connect_with(options.clone())
                    .await?
            }
        };
        let (writer, sync) = match backend {
            Backend::Sqlite if !url.contains(":memory:") => {
                let writer_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
                let writer = sqlite_pool(writer_options, options, 1, "normal").await?;
                (
                    Some(writer),
                    Some(Arc::new(WalSync::new(&sqlite_file(&url)))),
                )
            }
            _ => (None, None),
        };
        let mut db = Db {
            pool,
            writer,
            sync,
            group: None,
            backend,
        };
        if db.writer.is_some() {
            db.group = Some(Arc::new(Group::start(db.clone())));
        }
        Ok(db)
    }

    /// Applies every migration of this engine that has not run yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Refreshes the query planner's statistics of `tables` (`analyze`), after a bulk write
    /// changed them wholesale; on SQLite through the writer, since the statistics are written.
    pub async fn analyze(&self, tables: &[&str]) -> Result<(), StoreError> {
        let pool = self.writer.as_ref().unwrap_or(&self.pool);
        for table in tables {
            sqlx::raw_sql(&format!("analyze {table}"))
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Keeps the query planner's statistics current where the engine leaves it to the
    /// application: SQLite's `pragma optimize` (it analyzes the tables whose size changed
    /// enough since; PostgreSQL's autovacuum does this by itself). Run once a day by close of
    /// business: without statistics SQLite may join a large table from the wrong side.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if let (Backend::Sqlite, Some(writer)) = (self.backend, &self.writer) {
            sqlx::raw_sql("pragma optimize").execute(writer).await?;
        }
        Ok(())
    }

    /// The engine behind this pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for reads that need no transaction.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once
    /// (`begin immediate`), so a transaction that reads before it writes cannot fail to
    /// upgrade its lock later, and it runs on the one writer connection: writers wait their
    /// turn in the pool's queue (first come, first served) instead of sleeping in SQLite's
    /// busy handler while holding a connection readers need. Its commit releases the writer
    /// before the disk flush, which it then shares with the commits made meanwhile
    /// ([`crate::wal_sync`]). PostgreSQL uses its default isolation with row locks.
    ///
    /// The begin runs in a task of its own, so a caller dropped meanwhile (a client that hung
    /// up) cannot leave the connection inside a transaction: sqlx's begin awaits again after
    /// the `BEGIN` ran and before the transaction exists to roll itself back, and a connection
    /// returned to the pool at that point would refuse every later write. The task finishes
    /// the begin and, its result unwanted, drops the transaction, which rolls it back.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let (pool, statement) = match (self.backend, &self.writer) {
            (Backend::Sqlite, Some(writer)) => (writer.clone(), Some("begin immediate")),
            (Backend::Sqlite, None) => (self.pool.clone(), Some("begin immediate")),
            (Backend::Postgres, _) => (self.pool.clone(), None),
        };
        let tx = tokio::spawn(async move {
            match statement {
                Some(statement) => pool.begin_with(statement).await,
                None => pool.begin().await,
            }
        })
        .await
        .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))??;
        Ok(Tx::new(tx, self.sync.clone()))
    }

    /// Runs `work` in a write transaction and commits it durably. On a SQLite file the
    /// transaction is shared with the other work waiting for the one writer (group commit,
    /// see [`crate::group`]): `work` runs in a savepoint, and its error rolls back only its
    /// own writes, and once queued it runs to the end even if the caller stops waiting.
    /// Elsewhere it is [`Db::begin`], `work`, commit, rolled back if the caller stops waiting
    /// before the commit. `work` must not wait for another write transaction (on SQLite it
    /// holds the one writer connection).
    pub async fn grouped<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
    {
        if let Some(group) = &self.group {
            return group.run(work).await;
        }
        let mut tx = self.begin().await?;
        let out = work(&mut tx).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(out)
    }

    /// The group writer's counters (SQLite file; `None` elsewhere).
    pub fn group_stats(&self) -> Option<crate::GroupStats> {
        self.group.as_ref().map(|g| g.stats())
    }

    /// How many times the write-ahead log was flushed for commits (SQLite file; 0 otherwise).
    pub fn log_flushes(&self) -> u64 {
        self.sync.as_ref().map_or(0, |s| s.flushes())
    }

    /// The group commit of a SQLite file (tests: to hold a flush open).
    #[doc(hidden)]
    pub fn log_sync(&self) -> Option<&WalSync> {
        self.sync.as_deref()
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("select 1").execute(&self.pool).await.is_ok()
    }

    /// Closes every connection of the pool.
    pub async fn close(&self) {
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        self.pool.close().await;
    }
}

/// A pool of `size` SQLite connections, each in WAL mode with a busy timeout, foreign keys,
/// temporary storage in memory, a checkpoint every 16,384 log pages and the given `synchronous` level: `full` (each commit flushes the log before it returns)
/// for the pool, whose few writes (migrations) commit on their own; `normal` for the writer,
/// whose commits [`Tx::commit`] flushes in groups.
async fn sqlite_pool(
    pool_options: AnyPoolOptions,
    options: AnyConnectOptions,
    size: u32,
    synchronous: &'static str,
) -> Result<AnyPool, StoreError> {
    Ok(pool_options
        .max_connections(size)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                conn.execute("pragma journal_mode = wal").await?;
                conn.execute("pragma busy_timeout = 10000").await?;
                conn.execute("pragma foreign_keys = on").await?;
                // sorts and temporary b-trees in memory, not in a file made and deleted per query
                conn.execute("pragma temp_store = memory").await?;
                conn.execute(format!("pragma synchronous = {synchronous}").as_str())
                    .await?;
                // the log is copied back into the database once it holds 64 MiB rather than
                // SQLite's 4 MiB: a page written by many commits (an index's upper pages, the
                // audit log's last page) is copied back once, and close of business, whose
                // batches each write a few MiB, no longer checkpoints after every one
                conn.execute("pragma wal_autocheckpoint = 16384").await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await?)
}

/// The database file of a SQLite URL made by [`prepare_sqlite_url`].
fn sqlite_file(url: &str) -> std::path::PathBuf {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or(rest).into()
}

/// Adds `mode=rwc` to a SQLite URL and creates the database's folder.
fn prepare_sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    if let Some(parent) = Path::new(path).parent()
        && path != ":memory:"
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::Io {
            path: parent.display().to_string(),
            message: e.to_string(),
        })?;
    }
    let query = match query {
        Some(q) if q.contains("mode=") => q.to_string(),
        Some(q) => format!("{q}&mode=rwc"),
        None => "mode=rwc".to_string(),
    };
    Ok(format!("sqlite://{path}?{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_gain_create_mode() {
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:").unwrap(),
            "sqlite://:memory:?mode=rwc"
        );
        assert_eq!(
            prepare_sqlite_url("sqlite://vamyar.db?mode=ro").unwrap(),
            "sqlite://vamyar.db?mode=ro"
        );
    }

    #[test]
    fn the_database_file_is_the_url_path() {
        assert_eq!(
            sqlite_file("sqlite:///tmp/v/vamyar.db?mode=rwc"),
            Path::new("/tmp/v/vamyar.db")
        );
        assert_eq!(
            sqlite_file("sqlite://data/vamyar.db?mode=rwc"),
            Path::new("data/vamyar.db")
        );
    }

    #[test]
    fn backends_follow_the_scheme() {
        assert_eq!(
            Backend::from_url("postgresql://x/y"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::from_url("sqlite://a.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("mysql://a"), None);
    }
}
