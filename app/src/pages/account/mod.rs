//! Signing in, and the person's own account.

pub mod password;
pub mod login;
pub mod link;
pub mod forgotten;
