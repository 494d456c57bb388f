use super::IdError;

/// A Polish postal code, `NN-NNN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(s: &str) -> Result<PostalCode, IdError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IdError::Empty);
        }
        let b = s.as_bytes();
        // Five digits without the dash are accepted and normalised: people type them so.
        let digits: Vec<u8> = match b.len() {
            6 if b[2] == b'-' => [&b[..2], &b[3..]].concat(),
            5 => b.to_vec(),
            _ => return Err(IdError::Format),
        };
        if let Some(p) = digits.iter().position(|c| !c.is_ascii_digit()) {
            return Err(IdError::NonDigit { position: if p < 2 { p + 1 } else { p + 2 } });
        }
        let d = String::from_utf8_lossy(&digits).into_owned();
        Ok(PostalCode(format!("{}-{}", &d[..2], &d[2..])))
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
    fn normalises() {
        assert_eq!(PostalCode::parse("25001").expect("ok").as_str(), "25-001");
        assert_eq!(PostalCode::parse("25-0O1"), Err(IdError::NonDigit { position: 5 }));
        assert_eq!(PostalCode::parse("25_001"), Err(IdError::Format));
    }

    proptest! {
        #[test]
        fn valid_codes_parse(c in "[0-9]{2}-[0-9]{3}") {
            let p = PostalCode::parse(&c).expect("ok");
            prop_assert_eq!(p.as_str(), c.as_str());
        }
        #[test]
        fn a_letter_is_refused(c in "[0-9]{2}-[0-9]{3}", pos in prop::sample::select(vec![0usize, 1, 3, 4, 5])) {
            let mut b = c.into_bytes();
            b[pos] = b'x';
            prop_assert!(PostalCode::parse(std::str::from_utf8(&b).expect("ascii")).is_err());
        }
    }
}
