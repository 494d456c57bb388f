//! The shared widgets every area draws from: form controls bound to signals
//! (`widgets`: the client form, the account) and to a document's JSON paths (`fields`:
//! case and partnership documents), notices, the client table, the partnership picker,
//! and what a document saved whole shows about its draft (`draft`).

pub mod draft;
pub mod fields;
pub mod widgets;
