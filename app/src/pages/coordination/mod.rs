//! Steering a partnership: the dashboard, the monthly report and ROPS indicators, the
//! access log and the partnership's devices.

pub mod audit;
pub mod authorisation;
pub mod breaches;
pub mod disposal;
pub mod dashboard;
pub mod import;
pub mod devices;
pub mod people;
pub mod personal_data;
pub mod report;
