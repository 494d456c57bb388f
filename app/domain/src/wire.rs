//! What the browser and the server agree on outside JSON bodies: cookie and header
//! names, and how a `Cookie` header is read.

/// The non-HttpOnly cookie the app reads its CSRF token from.
pub const CSRF_COOKIE: &str = "sciezka_csrf";
/// The header a state-changing request carries the CSRF token in.
pub const CSRF_HEADER: &str = "X-CSRF-Token";
/// The interface language, so the server renders what the browser hydrates.
pub const LANG_COOKIE: &str = "lang";

/// Reads one cookie from a `Cookie` header value.
pub fn cookie_value(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// The header naming the opening of a client's card a read belongs to: one opening,
/// one entry in the access log.
pub const OPENING_HEADER: &str = "x-sciezka-opening";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_among_others() {
        assert_eq!(cookie_value("a=1; lang=en; b=2", LANG_COOKIE).as_deref(), Some("en"));
        assert_eq!(cookie_value("a=1", LANG_COOKIE), None);
    }
}
