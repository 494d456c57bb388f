//! The public endpoints' rate limit per address, held only hashed and only for the
//! current minute.

use std::collections::HashMap;
use std::sync::Mutex;

use rand::Rng;
use sha2::{Digest, Sha256};

use crate::now;


/// Per-address submission counts for the current minute. Addresses are kept only as
/// SHA-256 under a salt that lives in this process's memory, and the whole table is
/// dropped when the minute turns.
pub struct RateLimit {
    salt: [u8; 16],
    buckets: Mutex<(i64, HashMap<[u8; 32], u32>)>,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit { salt: rand::thread_rng().gen(), buckets: Mutex::new((0, HashMap::new())) }
    }
}

impl RateLimit {
    pub fn allow(&self, addr: &str, per_minute: u32) -> bool {
        let key: [u8; 32] = Sha256::new().chain_update(self.salt).chain_update(addr.as_bytes()).finalize().into();
        let minute = now() / 60;
        let mut guard = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.0 != minute {
            *guard = (minute, HashMap::new());
        }
        let n = guard.1.entry(key).or_insert(0);
        *n = n.saturating_add(1);
        *n <= per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_limit_counts_per_address_within_a_minute() {
        let limit = RateLimit::default();
        assert!((0..3).all(|_| limit.allow("10.0.0.1", 3)));
        assert!(!limit.allow("10.0.0.1", 3));
        assert!(limit.allow("10.0.0.2", 3));
        // Addresses are held only hashed.
        let guard = limit.buckets.lock().expect("lock");
        assert_eq!(guard.1.len(), 2);
    }
}
