//! The shared domain of Ścieżka: the types both the browser and the server use to
//! define and validate what a consultant records. Nothing here does I/O or async,
//! so the server can re-run exactly the validation the browser ran.

pub mod api;
pub mod archive;
pub mod breach;
pub mod calendar;
pub mod caseload;
pub mod clause;
pub mod client;
pub mod dashboard;
pub mod collation;
pub mod docs;
pub mod draft;
pub mod i18n;
pub mod ident;
pub mod import;
pub mod installation;
pub mod lang;
pub mod merge;
pub mod numbers;
pub mod org;
pub mod personal;
pub mod survey;
pub mod outbox;
pub mod partnership;
pub mod people;
pub mod report;
pub mod retention;
pub mod statement;
pub mod sync;
pub mod text;
pub mod validation;
pub mod wire;

pub use lang::Lang;
