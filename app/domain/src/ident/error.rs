use crate::lang::Lang;

/// Why an identifier was refused: exactly what a person has to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("empty")]
    Empty,
    #[error("wrong length {found}, expected {expected:?}")]
    Length { expected: &'static [usize], found: usize },
    #[error("character {position} is not a digit")]
    NonDigit { position: usize },
    #[error("check digit does not match")]
    CheckDigit,
    #[error("the encoded date does not exist")]
    ImpossibleDate,
    #[error("wrong format")]
    Format,
}

impl IdError {
    /// Stable machine-readable code, used in API problem details.
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Empty => "required",
            IdError::Length { .. } => "length",
            IdError::NonDigit { .. } => "non_digit",
            IdError::CheckDigit => "check_digit",
            IdError::ImpossibleDate => "impossible_date",
            IdError::Format => "format",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let lengths = |e: &[usize]| {
            e.iter().map(std::string::ToString::to_string).collect::<Vec<_>>().join(match lang {
                Lang::Pl => " lub ",
                Lang::En => " or ",
            })
        };
        match (self, lang) {
            (IdError::Empty, Lang::Pl) => "Pole jest wymagane.".into(),
            (IdError::Empty, Lang::En) => "This field is required.".into(),
            (IdError::Length { expected, found }, Lang::Pl) => {
                format!("Nieprawidłowa długość: {found} cyfr, wymagane {}.", lengths(expected))
            }
            (IdError::Length { expected, found }, Lang::En) => {
                format!("Wrong length: {found} digits, {} required.", lengths(expected))
            }
            (IdError::NonDigit { position }, Lang::Pl) => {
                format!("Znak nr {position} nie jest cyfrą.")
            }
            (IdError::NonDigit { position }, Lang::En) => {
                format!("Character {position} is not a digit.")
            }
            (IdError::CheckDigit, Lang::Pl) => "Nieprawidłowa cyfra kontrolna.".into(),
            (IdError::CheckDigit, Lang::En) => "The check digit is wrong.".into(),
            (IdError::ImpossibleDate, Lang::Pl) => {
                "Zakodowana data urodzenia nie istnieje.".into()
            }
            (IdError::ImpossibleDate, Lang::En) => "The encoded birth date does not exist.".into(),
            (IdError::Format, Lang::Pl) => "Nieprawidłowy format.".into(),
            (IdError::Format, Lang::En) => "Wrong format.".into(),
        }
    }
}
