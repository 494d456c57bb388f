//! WebCrypto for drafts at rest. Drafts are encrypted with AES-GCM-256 under a
//! random data key. The data key is never stored in clear: the device keeps it only
//! wrapped, once by a key from the server (so it opens while signed in) and once by a
//! key derived from the consultant's password (so it opens offline after the session
//! has ended). A copy of the browser profile holds ciphertext and wrapped keys only.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// How many PBKDF2-SHA-256 rounds turn a password into a wrapping key (OWASP 2023).
const PBKDF2_ROUNDS: u32 = 600_000;

#[derive(Debug, Clone, PartialEq)]
pub struct CryptoError(pub String);

impl From<JsValue> for CryptoError {
    fn from(v: JsValue) -> Self {
        CryptoError(v.as_string().or_else(|| Reflect::get(&v, &"message".into()).ok().and_then(|m| m.as_string())).unwrap_or_else(|| format!("{v:?}")))
    }
}

type Result<T> = std::result::Result<T, CryptoError>;

fn crypto() -> Result<web_sys::Crypto> {
    web_sys::window().ok_or_else(|| CryptoError("no window".into()))?.crypto().map_err(Into::into)
}

fn subtle() -> Result<SubtleCrypto> {
    Ok(crypto()?.subtle())
}

fn obj(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

fn usages(list: &[&str]) -> JsValue {
    list.iter().map(|u| JsValue::from_str(u)).collect::<Array>().into()
}

async fn run(p: std::result::Result<js_sys::Promise, JsValue>) -> Result<JsValue> {
    Ok(JsFuture::from(p?).await?)
}

fn aes(iv: &[u8]) -> Object {
    obj(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(iv).into())])
}

fn aes_key_type() -> Object {
    obj(&[("name", "AES-GCM".into()), ("length", 256.into())])
}

pub fn random(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    if let Ok(c) = crypto() {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

pub fn random_b64(n: usize) -> String {
    B64.encode(random(n))
}

fn decode(text: &str) -> Result<Vec<u8>> {
    B64.decode(text.trim()).map_err(|e| CryptoError(e.to_string()))
}

/// A fresh data key; extractable only so that it can be wrapped.
pub async fn new_data_key() -> Result<CryptoKey> {
    Ok(run(subtle()?.generate_key_with_object(&aes_key_type(), true, &usages(&["encrypt", "decrypt"]))).await?.unchecked_into())
}

/// The wrapping key from the server's per-user secret.
pub async fn server_key(secret: &str) -> Result<CryptoKey> {
    // The secret may be any text; its SHA-256 is the 256-bit key.
    let digest = run(subtle()?.digest_with_str_and_u8_array("SHA-256", secret.as_bytes())).await?;
    let raw = Uint8Array::new(&digest);
    Ok(run(subtle()?.import_key_with_object("raw", &raw, &obj(&[("name", "AES-GCM".into())]), false, &usages(&["wrapKey", "unwrapKey"])))
        .await?
        .unchecked_into())
}

/// The wrapping key from the consultant's password and this device's salt.
pub async fn password_key(password: &str, salt_b64: &str) -> Result<CryptoKey> {
    let salt = decode(salt_b64)?;
    let base: CryptoKey = run(subtle()?.import_key_with_object(
        "raw",
        &Uint8Array::from(password.as_bytes()),
        &obj(&[("name", "PBKDF2".into())]),
        false,
        &usages(&["deriveKey"]),
    ))
    .await?
    .unchecked_into();
    let params = obj(&[
        ("name", "PBKDF2".into()),
        ("salt", Uint8Array::from(salt.as_slice()).into()),
        ("iterations", PBKDF2_ROUNDS.into()),
        ("hash", "SHA-256".into()),
    ]);
    Ok(run(subtle()?.derive_key_with_object_and_object(&params, &base, &aes_key_type(), false, &usages(&["wrapKey", "unwrapKey"])))
        .await?
        .unchecked_into())
}

fn seal(iv: &[u8], body: &[u8]) -> String {
    format!("{}.{}", B64.encode(iv), B64.encode(body))
}

fn open(text: &str) -> Result<(Vec<u8>, Vec<u8>)> {
    let (iv, body) = text.split_once('.').ok_or_else(|| CryptoError("not a sealed value".into()))?;
    Ok((decode(iv)?, decode(body)?))
}

pub async fn wrap(key: &CryptoKey, wrapping: &CryptoKey) -> Result<String> {
    let iv = random(12);
    let out = run(subtle()?.wrap_key_with_object("raw", key, wrapping, &aes(&iv))).await?;
    Ok(seal(&iv, &Uint8Array::new(&out).to_vec()))
}

pub async fn unwrap(text: &str, wrapping: &CryptoKey) -> Result<CryptoKey> {
    let (iv, body) = open(text)?;
    Ok(run(subtle()?.unwrap_key_with_u8_array_and_object_and_object(
        "raw",
        &body,
        wrapping,
        &aes(&iv),
        &aes_key_type(),
        true,
        &usages(&["encrypt", "decrypt"]),
    ))
    .await?
    .unchecked_into())
}

pub async fn encrypt(key: &CryptoKey, plain: &str) -> Result<String> {
    let iv = random(12);
    let out = run(subtle()?.encrypt_with_object_and_u8_array(&aes(&iv), key, plain.as_bytes())).await?;
    Ok(seal(&iv, &Uint8Array::new(&out).to_vec()))
}

pub async fn decrypt(key: &CryptoKey, text: &str) -> Result<String> {
    let (iv, body) = open(text)?;
    let out = run(subtle()?.decrypt_with_object_and_u8_array(&aes(&iv), key, &body)).await?;
    String::from_utf8(Uint8Array::new(&out).to_vec()).map_err(|e| CryptoError(e.to_string()))
}

/// Seals a text to the server's P-256 key as a kiosk queues an answer: an ephemeral
/// ECDH key, SHA-256 of a context label and the shared secret, AES-256-GCM. Only the
/// server can open it; the tablet keeps nothing that reads it back.
pub async fn seal_to(server_key_b64: &str, plain: &str) -> Result<domain::survey::api::Sealed> {
    let raw = decode(server_key_b64)?;
    let curve = || obj(&[("name", "ECDH".into()), ("namedCurve", "P-256".into())]);
    let server: CryptoKey =
        run(subtle()?.import_key_with_object("raw", &Uint8Array::from(raw.as_slice()), &curve(), false, &usages(&[]))).await?.unchecked_into();
    let pair = run(subtle()?.generate_key_with_object(&curve(), true, &usages(&["deriveBits"]))).await?;
    let private: CryptoKey = Reflect::get(&pair, &"privateKey".into())?.unchecked_into();
    let public: CryptoKey = Reflect::get(&pair, &"publicKey".into())?.unchecked_into();
    let params = obj(&[("name", "ECDH".into()), ("public", server.into())]);
    let bits = run(subtle()?.derive_bits_with_object(&params, &private, 256)).await?;
    let mut material = b"sciezka-kiosk-v1".to_vec();
    material.extend(Uint8Array::new(&bits).to_vec());
    let digest = run(subtle()?.digest_with_str_and_u8_array("SHA-256", &material)).await?;
    let key: CryptoKey = run(subtle()?.import_key_with_object(
        "raw",
        &Uint8Array::new(&digest),
        &obj(&[("name", "AES-GCM".into())]),
        false,
        &usages(&["encrypt"]),
    ))
    .await?
    .unchecked_into();
    let iv = random(12);
    let ct = run(subtle()?.encrypt_with_object_and_u8_array(&aes(&iv), &key, plain.as_bytes())).await?;
    let epk = run(subtle()?.export_key("raw", &public)).await?;
    Ok(domain::survey::api::Sealed {
        epk: B64.encode(Uint8Array::new(&epk).to_vec()),
        iv: B64.encode(&iv),
        ct: B64.encode(Uint8Array::new(&ct).to_vec()),
        form: false,
    })
}
