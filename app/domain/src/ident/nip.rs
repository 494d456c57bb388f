use super::{digits, to_string, weighted, IdError};

const W: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];

/// A tax identification number (NIP), 10 digits with a mod-11 check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Nip(String);

impl Nip {
    pub fn parse(s: &str) -> Result<Nip, IdError> {
        let d = digits(s, &[10])?;
        // A remainder of 10 is never issued, so such a number cannot be valid.
        let check = weighted(&d[..9], &W) % 11;
        if check == 10 || check != u32::from(d[9]) {
            return Err(IdError::CheckDigit);
        }
        Ok(Nip(to_string(&d)))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_numbers() {
        assert!(Nip::parse("526-000-12-46").is_ok());
        assert_eq!(Nip::parse("5260001247"), Err(IdError::CheckDigit));
    }

    fn valid() -> impl Strategy<Value = String> {
        proptest::collection::vec(0u8..10, 9).prop_filter_map("issuable", |mut d| {
            let c = weighted(&d, &W) % 11;
            (c != 10).then(|| {
                d.push(c as u8);
                to_string(&d)
            })
        })
    }

    proptest! {
        #[test]
        fn valid_numbers_parse(n in valid()) {
            prop_assert!(Nip::parse(&n).is_ok());
        }
        #[test]
        fn single_digit_changes_are_refused(n in valid(), pos in 0usize..10, delta in 1u8..10) {
            let mut b = n.into_bytes();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            prop_assert!(Nip::parse(std::str::from_utf8(&b).expect("ascii")).is_err());
        }
    }
}
