//! Accounts' secrets: password hashing, the second factor (TOTP), and
//! database-backed sessions with their cookies. The handlers that sign in and out are in `routes::auth`.

pub mod password;
pub mod second_factor;
pub mod session;
