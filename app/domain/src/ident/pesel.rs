use super::{digits, to_string, weighted, IdError};
use serde::{Deserialize, Serialize};
use time::{Date, Month};

const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }
    pub fn parse(s: &str) -> Option<Sex> {
        match s {
            "female" => Some(Sex::Female),
            "male" => Some(Sex::Male),
            _ => None,
        }
    }
}

/// A PESEL number whose check digit and encoded birth date are valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pesel {
    number: String,
    birth_date: Date,
    sex: Sex,
}

impl Pesel {
    pub fn parse(s: &str) -> Result<Pesel, IdError> {
        let d = digits(s, &[11])?;
        let check = (10 - weighted(&d[..10], &WEIGHTS) % 10) % 10;
        if u32::from(d[10]) != check {
            return Err(IdError::CheckDigit);
        }
        let yy = i32::from(d[0]) * 10 + i32::from(d[1]);
        let mm_encoded = d[2] * 10 + d[3];
        let dd = d[4] * 10 + d[5];
        // The month carries the century: +80 for the 1800s, +0 1900s, +20 2000s, +40 2100s, +60 2200s.
        let (century, month) = match mm_encoded {
            81..=92 => (1800, mm_encoded - 80),
            1..=12 => (1900, mm_encoded),
            21..=32 => (2000, mm_encoded - 20),
            41..=52 => (2100, mm_encoded - 40),
            61..=72 => (2200, mm_encoded - 60),
            _ => return Err(IdError::ImpossibleDate),
        };
        let month = Month::try_from(month).map_err(|_| IdError::ImpossibleDate)?;
        let birth_date = Date::from_calendar_date(century + yy, month, dd)
            .map_err(|_| IdError::ImpossibleDate)?;
        let sex = if d[9] % 2 == 1 { Sex::Male } else { Sex::Female };
        Ok(Pesel { number: to_string(&d), birth_date, sex })
    }

    /// Builds the PESEL for a date, serial (0..=999) and sex. Used for fictional demo data
    /// and tests; every value it returns parses.
    pub fn generate(birth_date: Date, serial: u16, sex: Sex) -> Option<Pesel> {
        let year = birth_date.year();
        let offset = match year {
            1800..=1899 => 80,
            1900..=1999 => 0,
            2000..=2099 => 20,
            2100..=2199 => 40,
            2200..=2299 => 60,
            _ => return None,
        };
        let serial = serial % 1000;
        let sex_digit = (serial % 5) as u8 * 2 + u8::from(sex == Sex::Male);
        let yy = (year % 100) as u8;
        let mm = u8::from(birth_date.month()) + offset;
        let dd = birth_date.day();
        let mut d = vec![
            yy / 10,
            yy % 10,
            mm / 10,
            mm % 10,
            dd / 10,
            dd % 10,
            (serial / 100) as u8,
            (serial / 10 % 10) as u8,
            (serial % 10) as u8,
            sex_digit,
        ];
        let check = (10 - weighted(&d, &WEIGHTS) % 10) % 10;
        d.push(check as u8);
        Pesel::parse(&to_string(&d)).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.number
    }
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }
    pub fn sex(&self) -> Sex {
        self.sex
    }
}

impl std::fmt::Display for Pesel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn known_numbers() {
        let p = Pesel::parse("44051401359").expect("valid");
        assert_eq!(p.birth_date(), date!(1944 - 05 - 14));
        assert_eq!(p.sex(), Sex::Male);
        let p = Pesel::parse("02270803624").expect("valid");
        assert_eq!(p.birth_date(), date!(2002 - 07 - 08));
        assert_eq!(p.sex(), Sex::Female);
    }

    #[test]
    fn typed_errors() {
        assert_eq!(Pesel::parse(""), Err(IdError::Empty));
        assert_eq!(
            Pesel::parse("4405140135"),
            Err(IdError::Length { expected: &[11], found: 10 })
        );
        assert_eq!(Pesel::parse("4405140135x"), Err(IdError::NonDigit { position: 11 }));
        assert_eq!(Pesel::parse("44051401358"), Err(IdError::CheckDigit));
    }

    #[test]
    fn impossible_dates() {
        // 29 February exists in 2000 and 2024, not in 1900 or 2100.
        for (date, ok) in [
            (date!(2000 - 02 - 29), true),
            (date!(2024 - 02 - 29), true),
            (date!(2296 - 02 - 29), true),
        ] {
            assert_eq!(Pesel::generate(date, 1, Sex::Female).is_some(), ok);
        }
        // Hand-built: 1900-02-29 with a correct check digit must be refused for its date.
        let mut d: Vec<u8> = "0002290000".bytes().map(|b| b - b'0').collect();
        let check = (10 - weighted(&d, &WEIGHTS) % 10) % 10;
        d.push(check as u8);
        assert_eq!(Pesel::parse(&to_string(&d)), Err(IdError::ImpossibleDate));
        // Month 13 in any century.
        let mut d: Vec<u8> = "9033010000".bytes().map(|b| b - b'0').collect();
        let check = (10 - weighted(&d, &WEIGHTS) % 10) % 10;
        d.push(check as u8);
        assert_eq!(Pesel::parse(&to_string(&d)), Err(IdError::ImpossibleDate));
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (1800i32..=2299, 1u8..=12, 1u8..=31).prop_filter_map("real date", |(y, m, d)| {
            Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
        })
    }

    proptest! {
        #[test]
        fn every_generated_pesel_parses_with_its_date_and_sex(
            date in any_date(), serial in 0u16..1000, male in any::<bool>()
        ) {
            let sex = if male { Sex::Male } else { Sex::Female };
            let p = Pesel::generate(date, serial, sex).expect("generated");
            let back = Pesel::parse(p.as_str()).expect("parses");
            prop_assert_eq!(back.birth_date(), date);
            prop_assert_eq!(back.sex(), sex);
        }

        #[test]
        fn every_single_digit_change_is_refused(
            date in any_date(), serial in 0u16..1000, pos in 0usize..11, delta in 1u8..10
        ) {
            let p = Pesel::generate(date, serial, Sex::Female).expect("generated");
            let mut bytes = p.as_str().as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).expect("ascii");
            prop_assert!(Pesel::parse(&changed).is_err());
        }
    }
}
