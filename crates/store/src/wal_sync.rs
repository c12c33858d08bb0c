//! Group commit for SQLite: the writer connection commits without waiting for the disk
//! (`synchronous = normal`), and every commit then waits here for one `fdatasync` of the
//! write-ahead log that began after it. Writes that commit while one sync runs share the next,
//! so the disk's flush is paid once per group instead of once per transaction, and outside the
//! one writer connection instead of inside it.
//!
//! Durability is that of `synchronous = full`: a commit is acknowledged (its
//! [`crate::Tx::commit`] returns) only once the log holding it is on disk. After a power loss
//! SQLite recovers the log's longest valid prefix (its frames are chained by checksum), and
//! every acknowledged commit lies inside that prefix, since each was synced before its answer.
//! A process that dies loses nothing either way: committed frames are in the kernel's cache.

use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::Mutex;

/// Syncs one database's write-ahead log on behalf of the commits that wait on it.
#[derive(Debug)]
pub struct WalSync {
    /// The log: the database's path with `-wal` appended.
    wal: PathBuf,
    /// How many syncs have begun; a sync's number is this count when it began.
    started: AtomicU64,
    /// Held while a sync runs: the number of the last completed sync, and the inode of the log
    /// whose folder entry was last synced (a new log file must be reachable after a crash).
    gate: Mutex<Gate>,
    /// How many `fdatasync` calls were made (for tests and benchmarks).
    flushes: AtomicU64,
}

#[derive(Debug, Default)]
struct Gate {
    completed: u64,
    folder_synced_for: Option<u64>,
}

impl WalSync {
    /// The syncer of the SQLite database file at `database`.
    pub fn new(database: &Path) -> WalSync {
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        WalSync {
            wal: PathBuf::from(wal),
            started: AtomicU64::new(0),
            gate: Mutex::new(Gate::default()),
            flushes: AtomicU64::new(0),
        }
    }

    /// Returns once a sync of the log that began after this call has completed: everything
    /// committed before the call is then on disk. Concurrent callers share one sync.
    pub async fn sync(&self) -> io::Result<()> {
        // Any sync numbered above `after` begins after this load, so after the caller's commit.
        let after = self.started.load(Ordering::SeqCst);
        let mut gate = self.gate.lock().await;
        if gate.completed > after {
            return Ok(());
        }
        let number = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let wal = self.wal.clone();
        let known = gate.folder_synced_for;
        let inode = tokio::task::spawn_blocking(move || flush(&wal, known))
            .await
            .map_err(io::Error::other)??;
        self.flushes.fetch_add(1, Ordering::Relaxed);
        gate.completed = number;
        if inode.is_some() {
            gate.folder_synced_for = inode;
        }
        Ok(())
    }

    /// How many times the log was flushed so far.
    pub fn flushes(&self) -> u64 {
        self.flushes.load(Ordering::Relaxed)
    }

    /// Holds the gate as a running sync would (tests: callers queue behind it).
    #[doc(hidden)]
    pub async fn hold(&self) -> impl Drop + '_ {
        self.gate.lock().await
    }
}

/// `fdatasync` of the log, and of its folder the first time a log file (by inode) is seen.
/// A missing log holds nothing to sync: SQLite deletes it only after checkpointing it into the
/// database file and syncing that. Returns the log's inode.
fn flush(wal: &Path, folder_synced_for: Option<u64>) -> io::Result<Option<u64>> {
    let file = match std::fs::File::open(wal) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    file.sync_data()?;
    let inode = file.metadata()?.ino();
    if folder_synced_for != Some(inode) {
        let folder = match wal.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::File::open(folder)?.sync_all()?;
    }
    Ok(Some(inode))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A folder of its own under the system's temporary folder, removed on drop.
    struct Folder(PathBuf);

    impl Folder {
        fn new() -> Folder {
            let p = crate::testdb::unique_folder();
            std::fs::create_dir_all(&p).unwrap();
            Folder(p)
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn log_in(dir: &Path) -> WalSync {
        let db = dir.join("v.db");
        std::fs::write(dir.join("v.db-wal"), b"frames").unwrap();
        WalSync::new(&db)
    }

    #[tokio::test]
    async fn a_call_after_a_finished_sync_flushes_again() {
        let dir = Folder::new();
        let s = log_in(dir.path());
        s.sync().await.unwrap();
        s.sync().await.unwrap();
        assert_eq!(
            s.flushes(),
            2,
            "the second commit came after the first sync began"
        );
    }

    /// Forces the overlap: the gate is held as a running sync would hold it while ten
    /// commits ask for a sync (on this single-threaded runtime each spawned task runs up to
    /// the gate at the first yields); when it opens, one flush serves all ten.
    #[tokio::test(flavor = "current_thread")]
    async fn callers_queued_behind_a_running_sync_share_the_next_one() {
        let dir = Folder::new();
        let s = Arc::new(log_in(dir.path()));
        s.sync().await.unwrap();
        let waiting = {
            let _running = s.hold().await;
            let tasks: Vec<_> = (0..10)
                .map(|_| {
                    let s = s.clone();
                    tokio::spawn(async move { s.sync().await })
                })
                .collect();
            for _ in 0..5 {
                tokio::task::yield_now().await;
            }
            assert_eq!(
                s.started.load(Ordering::SeqCst),
                1,
                "no sync began meanwhile"
            );
            tasks
        };
        for t in waiting {
            t.await.unwrap().unwrap();
        }
        assert_eq!(
            s.flushes(),
            2,
            "ten waiting commits were flushed by one sync"
        );
    }

    #[tokio::test]
    async fn a_missing_log_is_nothing_to_sync() {
        let dir = Folder::new();
        let s = WalSync::new(&dir.path().join("none.db"));
        s.sync().await.unwrap();
        assert_eq!(s.flushes(), 1);
    }
}
