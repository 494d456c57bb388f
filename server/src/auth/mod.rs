//! Accounts' secrets: password hashing, and database-backed sessions with their
//! cookies. The handlers that sign in and out are in `routes::auth`.

pub mod password;
pub mod session;
