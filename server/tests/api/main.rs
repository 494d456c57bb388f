//! Integration tests of the HTTP API against a real database: SQLite by default, or the
//! PostgreSQL server named by `TEST_POSTGRES_URL` (each test gets a fresh database).

mod helpers;

mod audit;
mod auth;
mod backup;
mod bad_input;
mod breaches;
mod caseload;
mod clients;
mod demo;
mod dashboard;
mod disposal;
mod disk_full;
mod documents;
mod import;
mod installation;
mod layers;
mod legal_basis;
mod mail;
mod pages;
mod partnership_docs;
mod people;
mod personal_data;
mod process;
mod proxy;
mod reports;
mod restriction;
mod schema;
mod scope;
mod second_factor;
mod survey;
mod survey_process;
mod sync;
mod sync_faults;
