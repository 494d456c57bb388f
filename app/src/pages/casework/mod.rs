//! Case work: a consultant's caseload, the client list, the client card with its notes,
//! history and conflicts, registering and editing a client, and the case documents.

pub mod caseload;
pub mod clause;
pub mod client_card;
pub mod client_form;
pub mod clients;
pub mod docs;
