use super::{digits, to_string, IdError};

/// A National Court Register number: 10 digits, leading zeros kept. It has no check digit,
/// so only its form can be validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Krs(String);

impl Krs {
    pub fn parse(s: &str) -> Result<Krs, IdError> {
        digits(s, &[10]).map(|d| Krs(to_string(&d)))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ten_digits_parse(n in "[0-9]{10}") {
            let k = Krs::parse(&n).expect("valid");
            prop_assert_eq!(k.as_str(), n.as_str());
        }
        #[test]
        fn other_lengths_are_refused(n in "[0-9]{1,9}|[0-9]{11,14}") {
            let is_length_error = matches!(Krs::parse(&n), Err(IdError::Length { .. }));
            prop_assert!(is_length_error);
        }
        #[test]
        fn a_letter_anywhere_is_refused(n in "[0-9]{10}", pos in 0usize..10) {
            let mut b = n.into_bytes();
            b[pos] = b'O';
            let s = String::from_utf8(b).expect("ascii");
            prop_assert_eq!(Krs::parse(&s), Err(IdError::NonDigit { position: pos + 1 }));
        }
    }
}
