//! Where uploaded bytes live: outside any web root under `upload_dir/<first 2 hex>/<sha256>`,
//! content-addressed, so the same bytes uploaded twice are stored once.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Internal(format!("{what} {}: {e}", path.display()))
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Where the bytes of `sha256` are stored.
pub fn stored_path(dir: &Path, sha256: &str) -> Result<PathBuf> {
    if !is_sha256_hex(sha256) {
        return Err(Error::Internal(format!(
            "not a stored document name: {sha256}"
        )));
    }
    Ok(dir.join(&sha256[..2]).join(sha256))
}

fn sync_dir(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error("syncing", path, e))
}

/// Stores `bytes` under their hash unless already there: written to a temporary file in the
/// same folder, flushed to disk, renamed into place, and the folder synced, so a crash leaves
/// either the whole file or none. Returns true when the file was written now (false when
/// the same bytes were already stored).
pub async fn store_bytes(dir: PathBuf, sha256: String, bytes: Vec<u8>) -> Result<bool> {
    tokio::task::spawn_blocking(move || -> Result<bool> {
        let target = stored_path(&dir, &sha256)?;
        let folder = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.clone());
        if std::fs::metadata(&target).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64) {
            return Ok(false);
        }
        let created = !folder.is_dir();
        std::fs::create_dir_all(&folder).map_err(|e| io_error("creating", &folder, e))?;
        if created {
            sync_dir(&dir)?;
        }
        let nonce: u64 = rand::random();
        let tmp = folder.join(format!(".{sha256}.{nonce:016x}.tmp"));
        let written = (|| -> std::io::Result<()> {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options.open(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &target)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io_error("storing", &target, e));
        }
        sync_dir(&folder)?;
        Ok(true)
    })
    .await
    .map_err(|e| Error::Internal(format!("storing a document: {e}")))?
}

/// Removes stored bytes (an upload whose transaction failed), unless another document
/// refers to them; failures are logged.
pub async fn remove_unreferenced(ctx: &crate::Ctx, sha256: &str) {
    match vamyar_store::document::sha256_in_use(ctx.db.pool(), sha256).await {
        Ok(false) => {
            if let Ok(path) = stored_path(&ctx.settings.upload_dir, sha256)
                && let Err(e) = tokio::fs::remove_file(&path).await
            {
                tracing::warn!(error = %e, "removing the bytes of a failed upload");
            }
        }
        Ok(true) => {}
        Err(e) => tracing::warn!(error = %e, "checking whether uploaded bytes are in use"),
    }
}

/// Reads stored bytes back, checking them against their hash.
pub async fn read_bytes(dir: &Path, sha256: &str) -> Result<Vec<u8>> {
    let path = stored_path(dir, sha256)?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| io_error("reading", &path, e))?;
    if vamyar_store::document::sha256_hex(&bytes) != sha256 {
        return Err(Error::Internal(format!(
            "stored document {} does not match its hash",
            path.display()
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashes_name_stored_files() {
        let dir = Path::new("/srv/uploads");
        let sha = "ab".repeat(32);
        assert_eq!(stored_path(dir, &sha).unwrap(), dir.join("ab").join(&sha));
        assert!(stored_path(dir, "../../etc/passwd").is_err());
        assert!(stored_path(dir, &"AB".repeat(32)).is_err());
    }
}
