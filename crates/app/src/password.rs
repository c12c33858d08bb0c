//! Argon2id password hashing, run on the blocking pool so it never stalls request threads.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// The shortest password accepted for a staff account (OWASP ASVS 2.1.1 asks for at least
/// 12 characters).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Common passwords refused whatever their length (`data/common-passwords.txt`, vendored
/// with its licence note).
const COMMON: &str = include_str!("../data/common-passwords.txt");

/// True when `password` is on the common-password list (ignoring case and outer spaces).
pub fn is_common(password: &str) -> bool {
    let p = password.trim().to_lowercase();
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == p)
}
/// The longest password accepted (never truncated below this).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Why a password cannot be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    #[error("password too short")]
    TooShort,
    /// More than [`MAX_PASSWORD_CHARS`] characters.
    #[error("password too long")]
    TooLong,
    /// On the list of common passwords.
    #[error("password too common")]
    Common,
    /// The hasher failed.
    #[error("password hashing failed")]
    Hashing,
}

impl PasswordError {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "password_too_short",
            PasswordError::TooLong => "password_too_long",
            PasswordError::Common => "password_too_common",
            PasswordError::Hashing => "internal",
        }
    }
}

/// Hashes a new password with Argon2id (default parameters: m=19 MiB, t=2, p=1).
pub async fn hash(password: String) -> Result<String, PasswordError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    if is_common(&password) {
        return Err(PasswordError::Common);
    }
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|_| PasswordError::Hashing)
    })
    .await
    .map_err(|_| PasswordError::Hashing)?
}

/// True when `password` matches the stored PHC string.
pub async fn verify(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// A fixed hash to verify against when a username does not exist, so that the answer takes
/// as long as for a real account (no user enumeration by timing).
pub async fn verify_dummy(password: String) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = match DUMMY.get() {
        Some(p) => p.clone(),
        None => {
            let p = hash("not-a-real-password".into()).await.unwrap_or_default();
            DUMMY.get_or_init(|| p).clone()
        }
    };
    let _ = verify(password, phc).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), h.clone()).await);
        assert!(!verify("wrong horse battery".into(), h).await);
        assert_eq!(hash("short".into()).await, Err(PasswordError::TooShort));
        assert_eq!(
            hash("eleven char".into()).await,
            Err(PasswordError::TooShort),
            "11 characters"
        );
        assert_eq!(
            hash(" Password1234 ".into()).await,
            Err(PasswordError::Common)
        );
        assert!(is_common("QWERTY123456"));
        assert!(!is_common(crate::demo::DEMO_PASSWORD));
        assert!(hash(crate::demo::DEMO_PASSWORD.into()).await.is_ok());
    }
}
