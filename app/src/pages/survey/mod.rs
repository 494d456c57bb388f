//! The anonymous client survey (tool 10): answering it on a phone or a kiosk tablet,
//! the partnership's rounds and slips, and the results.

mod form;
#[cfg(feature = "ssr")]
pub mod phone;
pub mod respond;
pub mod results;
pub mod rounds;
