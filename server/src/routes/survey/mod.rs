//! The anonymous client survey's endpoints. The public ones (`public`) take answers
//! from anyone holding the link and read no cookie, session or device id; the
//! partnership's ones (`rounds`, `results`) need a session like the rest of the API.

pub mod phone;
pub mod public;
pub mod results;
pub mod rounds;
