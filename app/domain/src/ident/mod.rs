//! Polish identifiers. Each is a newtype that can only be built by `parse`, so a value
//! of the type is valid by construction ("parse, don't validate").

mod error;
mod krs;
mod nip;
mod pesel;
mod postal;
mod regon;

pub use error::IdError;
pub use krs::Krs;
pub use nip::Nip;
pub use pesel::{Pesel, Sex};
pub use postal::PostalCode;
pub use regon::Regon;

/// Digits of `s`, or the first error a person would need to fix.
/// Spaces and dashes are tolerated because people copy numbers from printed forms.
pub(crate) fn digits(s: &str, allowed_lengths: &'static [usize]) -> Result<Vec<u8>, IdError> {
    let cleaned: Vec<char> = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if cleaned.is_empty() {
        return Err(IdError::Empty);
    }
    if let Some(position) = cleaned.iter().position(|c| !c.is_ascii_digit()) {
        return Err(IdError::NonDigit { position: position + 1 });
    }
    if !allowed_lengths.contains(&cleaned.len()) {
        return Err(IdError::Length { expected: allowed_lengths, found: cleaned.len() });
    }
    Ok(cleaned.iter().map(|c| *c as u8 - b'0').collect())
}

/// Weighted sum used by every Polish check digit.
pub(crate) fn weighted(digits: &[u8], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| u32::from(*d) * w).sum()
}

pub(crate) fn to_string(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}
