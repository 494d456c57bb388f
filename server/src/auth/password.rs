//! Password hashing with argon2id at OWASP's recommended parameters
//! (19 MiB memory, 2 iterations, 1 lane), always off the async runtime.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

pub const MIN_LENGTH: usize = 12;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random password, verified for unknown accounts so that timing does not
/// reveal which e-mail addresses exist.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(super::session::random_token().as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

/// At most one hash per core at a time: each takes 19 MiB, and fifty devices signing in
/// at once would otherwise hold a gigabyte (measured by `bench`). The rest wait.
async fn permit() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let n = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    SLOTS.get_or_init(|| tokio::sync::Semaphore::new(n)).acquire().await.map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn hash(password: String) -> Result<String, AppError> {
    let _slot = permit().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn verify(password: String, hash: Option<String>) -> Result<bool, AppError> {
    let _slot = permit().await?;
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
        let ok = PasswordHash::new(&hash).map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false);
        known && ok
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))
}
