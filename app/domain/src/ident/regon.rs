use super::{digits, to_string, weighted, IdError};

const W9: [u32; 8] = [8, 9, 2, 3, 4, 5, 6, 7];
const W14: [u32; 13] = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];

/// A REGON statistical number, 9 digits (an entity) or 14 (a local unit).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Regon(String);

/// REGON folds a remainder of 10 to a check digit of 0.
fn check(d: &[u8], w: &[u32]) -> u8 {
    (weighted(d, w) % 11 % 10) as u8
}

impl Regon {
    pub fn parse(s: &str) -> Result<Regon, IdError> {
        let d = digits(s, &[9, 14])?;
        // A 14-digit REGON starts with the 9-digit REGON of its parent entity.
        if check(&d[..8], &W9) != d[8] {
            return Err(IdError::CheckDigit);
        }
        if d.len() == 14 && check(&d[..13], &W14) != d[13] {
            return Err(IdError::CheckDigit);
        }
        Ok(Regon(to_string(&d)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Completes 8 (or 13) digits with their check digit.
    pub fn complete(body: &[u8]) -> Option<Regon> {
        let mut d = body.to_vec();
        match d.len() {
            8 => d.push(check(&d, &W9)),
            13 => {
                if check(&d[..8], &W9) != d[8] {
                    return None;
                }
                d.push(check(&d, &W14));
            }
            _ => return None,
        }
        Regon::parse(&to_string(&d)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_numbers() {
        assert!(Regon::parse("123456785").is_ok());
        assert!(Regon::parse("12345678512347").is_ok());
        assert_eq!(Regon::parse("123456784"), Err(IdError::CheckDigit));
        assert_eq!(Regon::parse("1234567"), Err(IdError::Length { expected: &[9, 14], found: 7 }));
    }

    #[test]
    fn the_fold_of_ten_is_a_known_weakness() {
        // A weighted sum of 10 mod 11 gives check digit 0, as a sum of 0 does: the two
        // numbers below differ in one digit and both are valid REGONs.
        assert!(Regon::parse("000000030").is_ok());
        assert!(Regon::parse("000000000").is_ok());
    }

    fn body9_with_unambiguous_check() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0u8..10, 8)
            .prop_filter("check not folded", |d| (1..=9).contains(&(weighted(d, &W9) % 11)))
    }

    proptest! {
        #[test]
        fn valid_9_digit_numbers_parse(body in body9_with_unambiguous_check()) {
            let r = Regon::complete(&body).expect("completes");
            prop_assert!(Regon::parse(r.as_str()).is_ok());
        }

        #[test]
        fn single_digit_changes_of_9_are_refused(
            body in body9_with_unambiguous_check(), pos in 0usize..9, delta in 1u8..10
        ) {
            let r = Regon::complete(&body).expect("completes");
            let mut b = r.as_str().as_bytes().to_vec();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            prop_assert!(Regon::parse(std::str::from_utf8(&b).expect("ascii")).is_err());
        }

        #[test]
        fn single_digit_changes_of_14_are_refused(
            body in body9_with_unambiguous_check(),
            tail in proptest::collection::vec(0u8..10, 4),
            pos in 0usize..14, delta in 1u8..10
        ) {
            let nine = Regon::complete(&body).expect("completes");
            let mut d: Vec<u8> = nine.as_str().bytes().map(|b| b - b'0').collect();
            d.extend(tail);
            prop_assume!((1..=9).contains(&(weighted(&d, &W14) % 11)));
            let r = Regon::complete(&d).expect("completes");
            prop_assert!(Regon::parse(r.as_str()).is_ok());
            let mut b = r.as_str().as_bytes().to_vec();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            prop_assert!(Regon::parse(std::str::from_utf8(&b).expect("ascii")).is_err());
        }
    }
}
