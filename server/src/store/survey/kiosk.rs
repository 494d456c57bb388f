//! The kiosk's sealing key: a shared tablet seals each answer to the server's key, so
//! the queue it keeps offline is unreadable on the tablet.


use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use domain::survey::api::{
    Sealed, Submission,
};
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::error::internal;
use crate::error::AppError;


pub(crate) const KIOSK_KEY_ID: &str = "kiosk";

pub(crate) const SEAL_CONTEXT: &[u8] = b"sciezka-kiosk-v1";

pub(crate) async fn kiosk_secret(conn: &mut AnyConnection) -> Result<p256::SecretKey, AppError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT private_key FROM survey_keys WHERE id = $1").bind(KIOSK_KEY_ID).fetch_optional(&mut *conn).await?;
    let text = match stored {
        Some(text) => text,
        None => {
            let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
            let public = B64.encode(secret.public_key().to_sec1_bytes());
            sqlx::query("INSERT INTO survey_keys (id, public_key, private_key) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
                .bind(KIOSK_KEY_ID)
                .bind(public)
                .bind(B64.encode(secret.to_bytes()))
                .execute(&mut *conn)
                .await?;
            // Another server process may have won the race: take what is stored.
            let text: String =
                sqlx::query_scalar("SELECT private_key FROM survey_keys WHERE id = $1").bind(KIOSK_KEY_ID).fetch_one(&mut *conn).await?;
            text
        }
    };
    let bytes = B64.decode(text).map_err(internal)?;
    p256::SecretKey::from_slice(&bytes).map_err(internal)
}

/// Opens what a kiosk or a phone's script sealed: ECDH with its ephemeral key,
/// SHA-256, AES-256-GCM. The plain text is a [`Submission`] in JSON or, from a phone,
/// the form post.
pub(crate) fn open(secret: &p256::SecretKey, sealed: &Sealed) -> Option<Vec<u8>> {
    let epk = p256::PublicKey::from_sec1_bytes(&B64.decode(&sealed.epk).ok()?).ok()?;
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), epk.as_affine());
    let key: [u8; 32] = Sha256::new().chain_update(SEAL_CONTEXT).chain_update(shared.raw_secret_bytes()).finalize().into();
    let iv = B64.decode(&sealed.iv).ok().filter(|iv| iv.len() == 12)?;
    Aes256Gcm::new(&key.into()).decrypt(Nonce::from_slice(&iv), B64.decode(&sealed.ct).ok()?.as_slice()).ok()
}

/// A kiosk's sealed [`Submission`].
pub(crate) fn unseal(secret: &p256::SecretKey, sealed: &Sealed) -> Option<Submission> {
    serde_json::from_slice(&open(secret, sealed)?).ok()
}

/// Seals like a kiosk does; for tests and the benchmark.
pub fn seal(public_key_b64: &str, submission: &Submission) -> Option<Sealed> {
    seal_bytes(public_key_b64, &serde_json::to_vec(submission).ok()?)
}

/// Seals any text to the server's key, as the phone's script does with its form post.
pub fn seal_bytes(public_key_b64: &str, plain: &[u8]) -> Option<Sealed> {
    let server = p256::PublicKey::from_sec1_bytes(&B64.decode(public_key_b64).ok()?).ok()?;
    let eph = p256::ecdh::EphemeralSecret::random(&mut rand::rngs::OsRng);
    let shared = eph.diffie_hellman(&server);
    let key: [u8; 32] = Sha256::new().chain_update(SEAL_CONTEXT).chain_update(shared.raw_secret_bytes()).finalize().into();
    let iv: [u8; 12] = rand::thread_rng().gen();
    let ct = Aes256Gcm::new(&key.into()).encrypt(Nonce::from_slice(&iv), plain).ok()?;
    Some(Sealed { epk: B64.encode(eph.public_key().to_sec1_bytes()), iv: B64.encode(iv), ct: B64.encode(ct), form: false })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::survey::SurveyAnswer;

    #[test]
    fn sealed_answers_open_only_with_the_server_key() {
        let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
        let public = B64.encode(secret.public_key().to_sec1_bytes());
        let sub = Submission { answer: SurveyAnswer::default(), code: Some("ABCDE-FGHJK".into()), id: Some("a1".into()) };
        let sealed = seal(&public, &sub).expect("seal");
        assert_eq!(unseal(&secret, &sealed), Some(sub));
        let other = p256::SecretKey::random(&mut rand::rngs::OsRng);
        assert_eq!(unseal(&other, &sealed), None);
        let mut tampered = sealed.clone();
        tampered.ct = B64.encode(b"garbage");
        assert_eq!(unseal(&secret, &tampered), None);
    }

}
