//! Password hashing with argon2id at OWASP's recommended parameters
//! (19 MiB memory, 2 iterations, 1 lane), always off the async runtime, on a few
//! threads of its own.

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
        argon2().hash_password(crate::token::random_token().as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

type Job = Box<dyn FnOnce() + Send>;

/// Hashing runs on a few threads of its own, one per core. Each argon2 call takes
/// 19 MiB, and the allocator keeps freed memory in per-thread arenas: on the
/// runtime's many blocking threads, fifty devices signing in at once left the server
/// at a gigabyte (measured by `bench`). Here the memory stays at cores × 19 MiB and
/// the rest of the sign-ins queue.
fn pool() -> &'static std::sync::mpsc::SyncSender<Job> {
    static POOL: std::sync::OnceLock<std::sync::mpsc::SyncSender<Job>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(1024);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let n = std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(2);
        for i in 0..n {
            let rx = rx.clone();
            let _ = std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || loop {
                let job = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            });
        }
        tx
    })
}

async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    pool().try_send(Box::new(move || drop(tx.send(f())))).map_err(|_| AppError::TooManyRequests)?;
    rx.await.map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn hash(password: String) -> Result<String, AppError> {
    run(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await?
    .map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn verify(password: String, hash: Option<String>) -> Result<bool, AppError> {
    run(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
        let ok = PasswordHash::new(&hash).map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false);
        known && ok
    })
    .await
}
