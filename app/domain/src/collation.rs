//! Polish alphabetical order without a collation library in either database: each
//! name gets a sort key that orders bytewise as Polish does (Ł after L, Ś after S).

const ALPHABET: &str = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż";

fn rank(c: char) -> u32 {
    if let Some(d) = c.to_digit(10) {
        return 10 + d;
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    match ALPHABET.chars().position(|a| a == lower) {
        Some(i) => 20 + i as u32,
        // Other letters (foreign names) sort after z, spaces and punctuation before all.
        None if lower.is_alphabetic() => 90,
        None => 1,
    }
}

/// A key whose byte order is Polish alphabetical order, case-insensitive.
pub fn sort_key(s: &str) -> String {
    s.trim().chars().map(|c| format!("{:02}", rank(c))).collect()
}

/// The key of a person: surname first, then first names.
pub fn person_key(surname: &str, first_names: &str) -> String {
    format!("{}00{}", sort_key(surname), sort_key(first_names))
}

/// Text for substring search, folded as a query is (composed, lower-cased); Polish
/// letters keep their diacritics.
pub fn search_text(parts: &[&str]) -> String {
    parts.iter().map(|p| crate::text::fold(p)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_order() {
        let mut names = vec!["Żak", "Łukasik", "Lis", "Zając", "Śliwa", "Szewc", "Sowa", "Mazur", "Ćwik", "Cebula", "ziółek"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            ["Cebula", "Ćwik", "Lis", "Łukasik", "Mazur", "Sowa", "Szewc", "Śliwa", "Zając", "ziółek", "Żak"]
        );
    }

    #[test]
    fn surname_before_first_name() {
        assert!(person_key("Nowak", "Zofia") < person_key("Nowakowska", "Anna"));
    }
}
