pub mod account;
pub mod audit;
pub mod caseload;
pub mod client_card;
pub mod client_form;
pub mod clients;
pub mod device;
pub mod login;
mod widgets;
