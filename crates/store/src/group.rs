//! Group commit of whole write transactions on a SQLite file ([`crate::Db::grouped`]).
//!
//! SQLite has one writer, and each of its transactions writes every page it changed to the
//! write-ahead log as a whole frame at commit: a registration touches a dozen tables and
//! indexes, mostly on their right-most pages (new ids, new times), and writes each of those
//! pages again for every file. Here one writer task takes the pieces of work that are waiting,
//! runs each in a savepoint of one transaction, and commits once: the shared pages are written
//! once per group, `begin`/`commit` are paid once, and the log's sync (already shared, see
//! [`crate::wal_sync`]) runs outside the writer while it starts the next group.
//!
//! Each piece keeps its own outcome. One that fails is rolled back to its savepoint and its
//! error returned to its caller alone; the others commit. No caller hears of success before
//! the group's commit is on disk; if the commit fails, every piece that had succeeded is told
//! so. Nothing waits for a group to fill: the writer takes what is queued when it is free, so
//! one piece alone is committed at once, and under load the groups grow by themselves.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};

use crate::wal_sync::WalSync;
use crate::{Db, StoreError, Tx};

/// The most pieces one group holds (a bound on how long the first of them waits).
const MAX_GROUP: usize = 64;

/// A piece of work, type-erased: it runs on the group's transaction and returns whether it
/// succeeded (to keep) and its boxed `Result<T, E>`.
type Run = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, (bool, Box<dyn Any + Send>)> + Send>;

/// What a caller hears back.
enum Reply {
    /// The piece ran and (if it succeeded) its group committed durably: its `Result<T, E>`.
    Ran(Box<dyn Any + Send>),
    /// The piece succeeded but its group could not commit, or it never ran, or it panicked.
    Failed(String),
}

struct Job {
    run: Run,
    reply: oneshot::Sender<Reply>,
}

/// The sending end of one database's group writer.
#[derive(Debug)]
pub(crate) struct Group {
    jobs: mpsc::UnboundedSender<Job>,
    stats: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    waiting: AtomicUsize,
    groups: AtomicU64,
    pieces: AtomicU64,
}

/// What the group writer has done so far ([`crate::Db::group_stats`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupStats {
    /// Pieces queued and not yet taken into a group (waiting for the writer connection).
    pub waiting: usize,
    /// Groups committed.
    pub groups: u64,
    /// Pieces in those groups (kept or rolled back to their savepoint).
    pub pieces: u64,
}

impl Group {
    /// Starts the writer task for `db` (a handle without a group of its own) on the current
    /// runtime. It ends once every sender is gone.
    pub(crate) fn start(db: Db) -> Group {
        let (jobs, queue) = mpsc::unbounded_channel();
        let stats = Arc::new(Counters::default());
        tokio::spawn(writer(db, queue, stats.clone()));
        Group { jobs, stats }
    }

    /// The writer's counters.
    pub(crate) fn stats(&self) -> GroupStats {
        GroupStats {
            waiting: self.stats.waiting.load(Ordering::SeqCst),
            groups: self.stats.groups.load(Ordering::SeqCst),
            pieces: self.stats.pieces.load(Ordering::SeqCst),
        }
    }

    /// Queues `work` and waits for its outcome.
    pub(crate) async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
    {
        let run: Run = Box::new(move |tx| {
            Box::pin(async move {
                match AssertUnwindSafe(work(tx)).catch_unwind().await {
                    Ok(result) => (result.is_ok(), Box::new(result) as Box<dyn Any + Send>),
                    Err(_) => (false, Box::new(()) as Box<dyn Any + Send>),
                }
            })
        });
        let (reply, answer) = oneshot::channel();
        self.stats.waiting.fetch_add(1, Ordering::SeqCst);
        if self.jobs.send(Job { run, reply }).is_err() {
            self.stats.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(failed("the group writer has stopped".into()));
        }
        match answer.await {
            Ok(Reply::Ran(result)) => match result.downcast::<Result<T, E>>() {
                Ok(result) => *result,
                Err(_) => Err(failed("the work panicked".into())),
            },
            Ok(Reply::Failed(why)) => Err(failed(why)),
            Err(_) => Err(failed("the group writer has stopped".into())),
        }
    }
}

fn failed<E: From<StoreError>>(why: String) -> E {
    E::from(StoreError::Sqlx(sqlx::Error::Io(std::io::Error::other(
        format!("group commit: {why}"),
    ))))
}

/// Takes the queued pieces until every sender is gone: once the writer connection is free,
/// a group holds the piece that waited for it, those queued meanwhile, and those that arrive
/// while it runs, up to [`MAX_GROUP`].
async fn writer(db: Db, mut queue: mpsc::UnboundedReceiver<Job>, stats: Arc<Counters>) {
    while let Some(first) = queue.recv().await {
        stats.waiting.fetch_sub(1, Ordering::SeqCst);
        let tx = match db.begin().await {
            Ok(tx) => tx,
            Err(e) => {
                let why = e.to_string();
                let _ = first.reply.send(Reply::Failed(why.clone()));
                while let Ok(job) = queue.try_recv() {
                    stats.waiting.fetch_sub(1, Ordering::SeqCst);
                    let _ = job.reply.send(Reply::Failed(why.clone()));
                }
                continue;
            }
        };
        commit_group(tx, first, &mut queue, &stats).await;
    }
}

/// A piece that ran: whether it is kept, its result, and where the answer goes.
struct Done {
    kept: bool,
    result: Box<dyn Any + Send>,
    reply: oneshot::Sender<Reply>,
}

/// Runs one group in `tx` and answers each piece once the commit is durable.
async fn commit_group(
    mut tx: Tx,
    first: Job,
    queue: &mut mpsc::UnboundedReceiver<Job>,
    stats: &Counters,
) {
    let mut done = Vec::new();
    let mut next = Some(first);
    tx.hold_later();
    let mut broken = None;
    while let Some(job) = next.take() {
        if let Err(e) = statement(&mut tx, "savepoint piece").await {
            broken = Some((e.to_string(), Some(job)));
            break;
        }
        let mark = tx.later_mark();
        let (kept, result) = (job.run)(&mut tx).await;
        if !kept {
            tx.drop_later_since(mark);
        }
        let close = match kept {
            true => statement(&mut tx, "release savepoint piece").await,
            false => match statement(&mut tx, "rollback to savepoint piece").await {
                Ok(()) => statement(&mut tx, "release savepoint piece").await,
                Err(e) => Err(e),
            },
        };
        done.push(Done {
            kept,
            result,
            reply: job.reply,
        });
        if let Err(e) = close {
            broken = Some((e.to_string(), None));
            break;
        }
        if done.len() < MAX_GROUP {
            next = queue.try_recv().ok();
            if next.is_some() {
                stats.waiting.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
    if let Some((why, unrun)) = broken {
        drop(tx);
        if let Some(job) = unrun {
            let _ = job.reply.send(Reply::Failed(why.clone()));
        }
        answer(done, Err(why));
        return;
    }
    let pieces = done.len() as u64;
    if let Err(e) = tx.flush_later().await {
        drop(tx);
        answer(done, Err(e.to_string()));
        return;
    }
    match tx.commit_unsynced().await {
        Ok(sync) => {
            stats.groups.fetch_add(1, Ordering::SeqCst);
            stats.pieces.fetch_add(pieces, Ordering::SeqCst);
            // The next group may start while this one's log reaches the disk.
            tokio::spawn(durable(sync, done));
        }
        Err(e) => answer(done, Err(e.to_string())),
    }
}

/// Waits for the log to reach the disk, then answers.
async fn durable(sync: Option<Arc<WalSync>>, done: Vec<Done>) {
    let synced = match sync {
        Some(sync) => sync.sync().await.map_err(|e| e.to_string()),
        None => Ok(()),
    };
    answer(done, synced);
}

/// Answers each piece: its own result, unless it succeeded and the group did not commit.
fn answer(done: Vec<Done>, committed: Result<(), String>) {
    for d in done {
        let reply = match (&committed, d.kept) {
            (Err(why), true) => Reply::Failed(why.clone()),
            _ => Reply::Ran(d.result),
        };
        let _ = d.reply.send(reply);
    }
}

/// One statement of the group's own (boxed, so that the writer task's future is `Send` for
/// every lifetime the compiler asks about).
fn statement<'t>(tx: &'t mut Tx, sql: &'static str) -> BoxFuture<'t, Result<(), sqlx::Error>> {
    Box::pin(async move { sqlx::query(sql).execute(&mut **tx).await.map(|_| ()) })
}
