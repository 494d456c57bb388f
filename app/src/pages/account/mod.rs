//! Signing in, and the person's own account.

pub mod password;
pub mod second_factor;
pub mod login;
pub mod link;
pub mod forgotten;
