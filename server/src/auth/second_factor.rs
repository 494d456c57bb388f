//! Two-factor sign-in (TOTP, RFC 6238, by `totp-rs`): the secret an authenticator app
//! holds, the QR code that gives it to the app, the check of a six-digit code, and the
//! ten single-use recovery codes for a lost phone. Storage and the sign-in flow are in
//! `store::login` and `routes::auth`.

use domain::api::SecondFactorEnrolment;
use rand::{Rng, RngCore};
use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::error::{internal, AppError};

/// What the authenticator app shows above the codes.
const ISSUER: &str = "Ścieżka";

/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;

/// Letters a recovery code is made of: no 0/o, 1/l/i to misread from paper.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A new secret of 160 random bits (RFC 4226's recommendation), base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::new_stack(bytes).to_base32()
}

/// SHA-1, six digits, 30-second steps, one step of clock drift either way: what every
/// authenticator app reads from a QR code.
fn totp(secret: &str, account: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret).map_err(|e| AppError::Internal(format!("stored TOTP secret: {e:?}")))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_secret(secret)
        // The label may not hold ':'; an e-mail address never does.
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| AppError::Internal(format!("TOTP: {e:?}")))
}

/// What the enrolment screen shows for this secret.
pub fn enrolment(secret: &str, account: &str) -> Result<SecondFactorEnrolment, AppError> {
    let url = totp(secret, account)?.to_url().map_err(|e| AppError::Internal(format!("TOTP url: {e:?}")))?;
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(internal)?;
    let qr_svg = code.render::<qrcode::render::svg::Color>().min_dimensions(220, 220).quiet_zone(true).build();
    let grouped = secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    Ok(SecondFactorEnrolment { secret: grouped, otpauth_url: url, qr_svg })
}

/// Whether what was typed is shaped like an app's code (six digits, spaces allowed)
/// rather than a recovery code.
pub fn is_app_code(code: &str) -> bool {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The time step the code belongs to, when it is right now (one step of drift either
/// way); the caller takes each step once.
pub fn matching_step(secret: &str, account: &str, code: &str, unix_time: u64) -> Result<Option<u64>, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    Ok(totp(secret, account)?.check(&code, unix_time))
}

/// Ten new recovery codes, `xxxxx-xxxxx` (about 49 bits each): the codes, shown once,
/// and their hashes, the only thing kept.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    let mut rng = rand::rngs::OsRng;
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut s: String = (0..10).map(|_| char::from(RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())])).collect();
            s.insert(5, '-');
            s
        })
        .collect();
    let hashes = codes.iter().map(|c| recovery_hash(c)).collect();
    (codes, hashes)
}

/// A recovery code as it is stored (hashed): case, spaces and dashes do not matter.
pub fn recovery_hash(code: &str) -> String {
    let plain: String = code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    crate::token::token_hash(&plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_of_now_matches_and_one_of_long_ago_does_not() {
        let secret = new_secret();
        let t = totp(&secret, "a@b").expect("totp");
        let now = 1_800_000_000;
        let code = t.generate(now).to_string();
        assert!(is_app_code(&code));
        assert_eq!(matching_step(&secret, "a@b", &code, now).expect("check"), Some(now / 30));
        assert_eq!(matching_step(&secret, "a@b", &code, now + 30).expect("check"), Some(now / 30), "one step of drift");
        assert_eq!(matching_step(&secret, "a@b", &code, now + 600).expect("check"), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_forgiving_to_type() {
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(hashes, codes.iter().map(|c| recovery_hash(c)).collect::<Vec<_>>());
        let mut set = codes.clone();
        set.sort();
        set.dedup();
        assert_eq!(set.len(), RECOVERY_CODES);
        let c = &codes[0];
        assert_eq!(c.len(), 11);
        assert!(!is_app_code(c));
        assert_eq!(recovery_hash(c), recovery_hash(&format!(" {} ", c.to_uppercase().replace('-', " "))));
    }

    #[test]
    fn the_enrolment_carries_the_secret_for_the_app() {
        let secret = new_secret();
        let e = enrolment(&secret, "anna@ops.pl").expect("enrolment");
        assert!(e.otpauth_url.starts_with("otpauth://totp/"));
        assert!(e.otpauth_url.contains(&format!("secret={secret}")));
        assert!(e.qr_svg.contains("<svg"));
        assert_eq!(e.secret.replace(' ', ""), secret);
    }
}
