//! The two languages of the interface. A leaf: every module that says something to a
//! person takes a `Lang`, and the tables of strings that use it sit above.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Pl,
    En,
}

impl Lang {
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }
    /// The Polish or the English of a message written in both.
    pub fn pick<T>(self, pl: T, en: T) -> T {
        match self {
            Lang::Pl => pl,
            Lang::En => en,
        }
    }
    pub fn from_tag(s: &str) -> Lang {
        if s.trim().to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Pl }
    }
    /// The first supported language of an `Accept-Language` header; Polish otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        header
            .split(',')
            .map(|p| p.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .find_map(|p| match p.get(..2) {
                Some("pl") => Some(Lang::Pl),
                Some("en") => Some(Lang::En),
                _ => None,
            })
            .unwrap_or(Lang::Pl)
    }
}


/// The text of `key` in `lang` in one table of `(key, Polish, English)`; `None` when the
/// table lacks it.
pub fn lookup(table: &'static [(&'static str, &'static str, &'static str)], lang: Lang, key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _, _)| *k == key).map(|(_, pl, en)| match lang {
        Lang::Pl => *pl,
        Lang::En => *en,
    })
}
