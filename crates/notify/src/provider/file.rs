//! The `file` provider: every message is appended as one JSON line
//! (`{"to","text","kind","application_id","outbox_id","at"}`) to a file, `data/sms.jsonl` by
//! default, so a person running a demo sees exactly what would be sent. Each line is written
//! with one `write` on a file opened for appending and then synced to disk before the
//! message counts as sent.
//!
//! One-time codes are written only by a demo's provider ([`FileProvider::with_codes`], used
//! by `serve --demo`, where the file is how a tester reads the code); otherwise the line of a
//! code message says the code was withheld, so the file never keeps a working secret.
//!
//! It has no delivery reports. Its lookup by local id scans the file for the outbox id, so a
//! worker that died after writing a line and before recording it does not write it again.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::json;

use super::{Accepted, BoxFuture, Delivery, Lookup, SendError, Sms, SmsProvider};

/// Appends messages to a JSON-lines file.
#[derive(Clone, Debug)]
pub struct FileProvider {
    path: PathBuf,
    lock: Arc<tokio::sync::Mutex<()>>,
    with_codes: bool,
}

/// The text written instead of a one-time code's message outside a demo.
pub const WITHHELD: &str =
    "[one-time code withheld: the file provider writes codes only in --demo]";

impl FileProvider {
    /// A provider writing to `path` (its folder is created on first use).
    pub fn new(path: impl Into<PathBuf>) -> FileProvider {
        FileProvider {
            path: path.into(),
            lock: Arc::new(tokio::sync::Mutex::new(())),
            with_codes: false,
        }
    }

    /// The same provider writing one-time codes in clear (`serve --demo` only).
    pub fn with_codes(mut self) -> FileProvider {
        self.with_codes = true;
        self
    }

    /// The file written to.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn message_id(local_id: i64) -> String {
    format!("file-{local_id}")
}

fn append(path: &Path, line: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(line.as_bytes())?;
    f.sync_data()
}

fn contains(path: &Path, local_id: i64) -> std::io::Result<bool> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    for line in BufReader::new(f).lines() {
        let line = line?;
        // a line cut short by a crash is not a message
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
            && v.get("outbox_id").and_then(|v| v.as_i64()) == Some(local_id)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

fn io_error(e: std::io::Error) -> SendError {
    SendError::Transient(format!("sms file: {}", e.kind()))
}

impl SmsProvider for FileProvider {
    fn name(&self) -> &str {
        "file"
    }

    fn send<'a>(&'a self, sms: &'a Sms) -> BoxFuture<'a, Result<Accepted, SendError>> {
        Box::pin(async move {
            let is_code = sms.otp_code.is_some() || sms.kind == "otp";
            let text = if is_code && !self.with_codes {
                WITHHELD
            } else {
                sms.text.as_str()
            };
            let mut line = json!({
                "to": sms.to,
                "text": text,
                "kind": sms.kind,
                "application_id": sms.application_id,
                "outbox_id": sms.local_id,
                "at": vamyar_store::time::now(),
            })
            .to_string();
            line.push('\n');
            let _guard = self.lock.lock().await;
            let path = self.path.clone();
            tokio::task::spawn_blocking(move || append(&path, &line))
                .await
                .map_err(|e| SendError::Transient(format!("sms file task: {e}")))?
                .map_err(io_error)?;
            Ok(Accepted {
                message_id: message_id(sms.local_id),
                delivery: None,
            })
        })
    }

    fn lookup_local_id(&self, local_id: i64) -> BoxFuture<'_, Result<Lookup, SendError>> {
        Box::pin(async move {
            let _guard = self.lock.lock().await;
            let path = self.path.clone();
            let found = tokio::task::spawn_blocking(move || contains(&path, local_id))
                .await
                .map_err(|e| SendError::Transient(format!("sms file task: {e}")))?
                .map_err(io_error)?;
            Ok(if found {
                Lookup::Accepted(Accepted {
                    message_id: message_id(local_id),
                    delivery: None,
                })
            } else {
                Lookup::NotFound
            })
        })
    }

    fn status<'a>(
        &'a self,
        _message_ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<(String, Delivery)>, SendError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn status_batch(&self) -> usize {
        0
    }
}
