//! The shared widgets every area draws from: the form controls, drawn once
//! (`controls`) and bound either to signals (`widgets`: the client form, the account)
//! or to a document's JSON paths (`fields`: case and partnership documents); notices,
//! the client table, the partnership picker; and what a document saved whole shows
//! about its draft (`draft`); a download locked with a password (`archive`).

pub mod archive;
pub mod controls;
pub mod draft;
pub mod fields;
pub mod widgets;
