//! The store layer: every query the handlers share, with no HTTP in it. Functions take
//! a connection (so the caller decides the transaction) and the signed-in user where a
//! read or write is scoped to their partnerships.

pub mod audit;
pub mod breach;
pub mod client;
pub mod conflict;
pub mod device;
pub mod disposal;
pub mod login;
pub mod document;
pub mod fixes;
pub mod history;
pub mod import;
pub mod installation;
pub mod note;
pub mod partnership;
pub mod partnership_doc;
pub mod people;
pub mod report;
pub mod second_factor;
pub mod survey;
pub mod sync;
pub mod user;
pub mod versioned;
pub mod whole;
