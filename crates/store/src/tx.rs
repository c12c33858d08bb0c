//! [`Tx`]: one write transaction, whose commit returns only once it is durable.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::{AnyConnection, Transaction};

use crate::wal_sync::WalSync;

/// One write transaction. Storage functions take `&mut Tx` and reach the connection through
/// it (`&mut **tx`); the caller commits. On a SQLite file, [`Tx::commit`] also waits for the
/// write-ahead log to reach the disk, shared with the commits made meanwhile (see
/// [`crate::wal_sync`]).
#[derive(Debug)]
pub struct Tx {
    inner: Transaction<'static, sqlx::Any>,
    sync: Option<Arc<WalSync>>,
    /// In a group commit: the rows inserted later ([`Tx::insert_later`]), waiting.
    pub(crate) later: Option<Vec<crate::later::Row>>,
}

impl Tx {
    pub(crate) fn new(inner: Transaction<'static, sqlx::Any>, sync: Option<Arc<WalSync>>) -> Tx {
        Tx {
            inner,
            sync,
            later: None,
        }
    }

    /// Commits, and returns once the commit is on disk.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await?;
        if let Some(sync) = self.sync {
            sync.sync().await?;
        }
        Ok(())
    }

    /// Commits without waiting for the disk, and returns the log's syncer to wait on (SQLite
    /// file) before the commit may be acknowledged ([`crate::group`] answers from another task).
    pub(crate) async fn commit_unsynced(self) -> Result<Option<Arc<WalSync>>, sqlx::Error> {
        self.inner.commit().await?;
        Ok(self.sync)
    }

    /// The clause that makes a `select` take its rows' write locks for the rest of the
    /// transaction: ` for update` on PostgreSQL; nothing on SQLite, whose `begin immediate`
    /// already holds the one writer lock. Unlike a no-op `update`, it writes no new row
    /// version, fires no trigger and touches no index.
    pub(crate) fn row_lock(&self) -> &'static str {
        if crate::is_postgres(&self.inner) {
            " for update"
        } else {
            ""
        }
    }

    /// Rolls back (dropping a `Tx` also does, once its connection is next used).
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.inner.rollback().await
    }
}

impl Deref for Tx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}
