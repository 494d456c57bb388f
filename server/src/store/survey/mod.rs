//! The anonymous client survey on the server.
//!
//! Two kinds of endpoint live here and never meet. The public ones (`/api/v1/survey/
//! {token}…`) take answers from anyone holding the link: they read no cookie, no
//! session and no device id, log nothing, and keep the sender's address only as a
//! salted hash in a rate-limit bucket that is emptied every minute. The partnership's
//! ones (rounds, codes, results, exports) need a session like the rest of the API.
//!
//! An acknowledged answer is first written whole to `survey_pool` (so a crash loses
//! nothing). As soon as a round has [`MIN_ANSWERS`] pooled answers they are shuffled,
//! added to the per-question counters and the loose text list, and deleted, all in
//! one transaction; on SQLite deleted rows are zeroed (`secure_delete`) and the
//! write-ahead log is truncated after the batch. What this leaves on disk is written
//! up in the README's threat model.

pub mod kiosk;
pub mod pool;
pub mod rate;
pub mod rounds;

pub use pool::Desk;
