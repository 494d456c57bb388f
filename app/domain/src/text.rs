//! What a typed text may hold, decided once for every form: composed Unicode (NFC), no
//! characters that hide or disguise what is written, and, in a one-line field, no
//! line breaks. A name made only of invisible characters is no name.

use unicode_normalization::UnicodeNormalization;

/// Whether a field is one line (a name, a town, a number) or a text of several lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Why a text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A control character.
    Control,
    /// A line break or tab in a one-line field.
    LineBreak,
    /// A character that reorders the text on screen (bidi override, embedding, isolate).
    Bidi,
    /// A Unicode line or paragraph separator.
    Separator,
    /// A noncharacter or a private-use or unassigned surrogate code point.
    NonCharacter,
    /// Nothing visible: only spaces and zero-width characters.
    Invisible,
}

impl Problem {
    pub fn code(self) -> &'static str {
        match self {
            Problem::Control => "control_chars",
            Problem::LineBreak => "line_break",
            Problem::Bidi => "bidi_chars",
            Problem::Separator => "line_separator",
            Problem::NonCharacter => "non_character",
            Problem::Invisible => "invisible",
        }
    }

    pub fn message(self, lang: crate::Lang) -> &'static str {
        lang.pick(
            match self {
                Problem::Control => "Tekst zawiera niedozwolone znaki sterujące.",
                Problem::LineBreak => "To pole ma jeden wiersz: bez nowego wiersza i tabulatora.",
                Problem::Bidi => "Tekst zawiera niewidoczne znaki zmieniające kierunek pisma.",
                Problem::Separator => "Tekst zawiera niewidoczny znak podziału wiersza.",
                Problem::NonCharacter => "Tekst zawiera znak, który nie jest literą ani symbolem.",
                Problem::Invisible => "Pole zawiera tylko niewidoczne znaki.",
            },
            match self {
                Problem::Control => "Text contains control characters.",
                Problem::LineBreak => "This field is one line: no line break or tab.",
                Problem::Bidi => "Text contains invisible characters that change the writing direction.",
                Problem::Separator => "Text contains an invisible line separator.",
                Problem::NonCharacter => "Text contains a character that is neither a letter nor a symbol.",
                Problem::Invisible => "The field holds only invisible characters.",
            },
        )
    }
}

fn bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn noncharacter(c: char) -> bool {
    let n = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// Characters that show nothing: used to refuse a value made only of them.
fn invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}' | '\u{180E}')
}

/// The text in composed form (NFC) with line breaks as `\n`, trimmed; or why it is refused.
/// An empty text is returned empty: whether a field is required is the form's business.
pub fn clean(value: &str, lines: Lines) -> Result<String, Problem> {
    let text: String = value.replace("\r\n", "\n").nfc().collect();
    let text = text.trim();
    for c in text.chars() {
        if c == '\n' || c == '\t' {
            if lines == Lines::One {
                return Err(Problem::LineBreak);
            }
        } else if c.is_control() {
            return Err(Problem::Control);
        }
        if bidi(c) {
            return Err(Problem::Bidi);
        }
        if matches!(c, '\u{2028}' | '\u{2029}') {
            return Err(Problem::Separator);
        }
        if noncharacter(c) {
            return Err(Problem::NonCharacter);
        }
    }
    if !text.is_empty() && text.chars().all(invisible) {
        return Err(Problem::Invisible);
    }
    Ok(text.to_string())
}

/// The text in composed form (NFC), nothing else changed.
pub fn compose(value: &str) -> String {
    value.nfc().collect()
}

/// Text folded for comparison: composed and lower-cased, so that a name typed with a
/// combining accent finds the one stored composed, and the other way round.
pub fn fold(value: &str) -> String {
    value.nfc().collect::<String>().trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_that_hide_or_disguise_are_refused() {
        assert_eq!(clean("Kowal\u{202E}ska", Lines::One), Err(Problem::Bidi));
        assert_eq!(clean("\u{200B}", Lines::One), Err(Problem::Invisible));
        assert_eq!(clean("\u{200B}\u{FEFF} ", Lines::Many), Err(Problem::Invisible));
        assert_eq!(clean("Anna\nMaria", Lines::One), Err(Problem::LineBreak));
        assert_eq!(clean("Anna\u{2028}Maria", Lines::Many), Err(Problem::Separator));
        assert_eq!(clean("Nowak\u{FFFF}", Lines::One), Err(Problem::NonCharacter));
        assert_eq!(clean("Nowak\u{FDD0}", Lines::One), Err(Problem::NonCharacter));
        assert_eq!(clean("Nowak\u{0}", Lines::Many), Err(Problem::Control));
    }

    #[test]
    fn texts_are_composed_trimmed_and_keep_their_lines() {
        assert_eq!(clean("  Zoe\u{0301}  ", Lines::One), Ok("Zoé".to_string()));
        assert_eq!(clean("Pierwszy\r\ndrugi\twiersz", Lines::Many), Ok("Pierwszy\ndrugi\twiersz".to_string()));
        assert_eq!(clean("", Lines::One), Ok(String::new()));
        assert_eq!(clean("Żółć", Lines::One), Ok("Żółć".to_string()));
        assert_eq!(fold("Zoe\u{0301}"), fold("ZOÉ"));
    }

    proptest! {
        /// Whatever is typed, what is kept holds none of the refused characters and
        /// is already clean (cleaning it again changes nothing).
        #[test]
        fn what_is_kept_is_clean(parts in proptest::collection::vec(prop_oneof![
            "[a-zA-Ząęłńóśźż ]{0,6}".prop_map(|s| s),
            proptest::sample::select(vec!["\u{202E}", "\u{2066}", "\u{200B}", "\u{FEFF}", "\u{2028}", "\u{FFFF}", "\u{FDD0}", "\n", "\t", "\r\n", "\u{0}", "e\u{0301}"])
                .prop_map(str::to_string),
        ], 0..8), many in any::<bool>()) {
            let s: String = parts.concat();
            let lines = if many { Lines::Many } else { Lines::One };
            if let Ok(kept) = clean(&s, lines) {
                prop_assert_eq!(clean(&kept, lines), Ok(kept.clone()));
                let hidden = kept.chars().any(|c| bidi(c) || noncharacter(c) || matches!(c, '\u{2028}' | '\u{2029}'));
                prop_assert!(!hidden, "{:?} kept a hiding character", kept);
                if lines == Lines::One {
                    prop_assert!(!kept.chars().any(char::is_control));
                }
            }
        }
    }
}
