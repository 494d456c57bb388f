//! The anonymous client survey on the server.
//!
//! Two kinds of endpoint live here and never meet. The public ones (`/api/v1/survey/
//! {token}…`) take answers from anyone holding the link: they read no cookie, no
//! session and no device id, log nothing, and keep the sender's address only as a
//! salted hash in a rate-limit bucket that is emptied every minute. The partnership's
//! ones (rounds, codes, results, exports) need a session like the rest of the API.
//!
//! An answer is never written whole: it waits in the server's memory (`pool`) until
//! it can be counted with at least four others, while the device that sent it keeps
//! a sealed copy to send again. What this leaves on disk, and what is lost in which
//! failure, is written up in the README's threat model.

pub mod kiosk;
pub mod pool;
pub mod rate;
pub mod rounds;

pub use pool::Desk;
