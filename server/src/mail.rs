//! E-mail (by `lettre`): the invitation and password-reset links, sent through the SMTP
//! server the installation names in `SCIEZKA_SMTP_URL`. Without one, a link is shown
//! once to the person who made it, to hand over; a message that cannot be sent is
//! treated the same way, so no invitation is lost to a mail outage.

use std::time::Duration;

use domain::people::{Handover, LinkPurpose};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::Config;

pub const DEFAULT_FROM: &str = "Ścieżka <no-reply@localhost>";

/// How long a send may take before the link is handed over instead.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the address {0:?} is not an e-mail address")]
    Address(String),
    #[error("the message could not be made: {0}")]
    Message(#[from] lettre::error::Error),
    #[error("the SMTP server did not take the message: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.timeout(Some(SEND_TIMEOUT)).build())
}

/// Refuses at start an SMTP address lettre cannot use (the reason, for the error).
pub fn check_url(url: &str) -> Result<(), String> {
    transport(url).map(|_| ()).map_err(|e| e.to_string())
}

pub fn check_from(from: &str) -> Result<(), String> {
    from.parse::<Mailbox>().map(|_| ()).map_err(|e| e.to_string())
}

/// The SMTP address as it may be printed: without its password.
pub fn without_password(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, rest)), Some(_)) => match rest.rsplit_once('@') {
            Some((user, host)) => format!("{scheme}://{}:***@{host}", user.split(':').next().unwrap_or("")),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

/// One message to one person.
pub struct Letter {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
}

/// The e-mail carrying an invitation or a reset link, Polish first with English
/// below: the recipient's language is not known before they sign in.
pub fn link_letter(config: &Config, purpose: LinkPurpose, name: &str, email: &str, link: &str, expires: &str) -> Letter {
    let url = format!("{}{link}", config.public_url);
    let (subject, pl, en) = match purpose {
        LinkPurpose::Invitation => (
            "Zaproszenie do Ścieżki / Invitation to Ścieżka",
            "zaproszono Cię do Ścieżki, systemu pracy z klientami partnerstwa. Aby założyć konto, otwórz poniższy link i ustal własne hasło.",
            "you have been invited to Ścieżka, the partnership's case-work system. To set up your account, open the link below and choose your own password.",
        ),
        LinkPurpose::Reset => (
            "Nowe hasło do Ścieżki / A new password for Ścieżka",
            "ktoś poprosił o nowe hasło do Twojego konta w Ścieżce. Aby je ustalić, otwórz poniższy link. Jeśli to nie Ty, zignoruj tę wiadomość: dotychczasowe hasło nadal działa.",
            "someone asked for a new password for your Ścieżka account. To choose it, open the link below. If it was not you, ignore this message: your password still works.",
        ),
    };
    let body = format!(
        "Dzień dobry, {name},\n\n{pl}\n\n{url}\n\nLink działa raz, do {expires}. Nikt z Ścieżki nie zapyta Cię o hasło.\n\n-- \n\nHello {name},\n\n{en}\n\n{url}\n\nThe link works once, until {expires} (Warsaw time). Nobody from Ścieżka will ever ask for your password.\n"
    );
    Letter { to_name: name.to_string(), to_email: email.to_string(), subject: subject.to_string(), body }
}

/// Sends the letter; `Ok(false)` when the installation sends no e-mail.
pub async fn send(config: &Config, letter: &Letter) -> Result<bool, MailError> {
    let Some(url) = &config.smtp_url else { return Ok(false) };
    let from: Mailbox = config.mail_from.parse().map_err(|_| MailError::Address(config.mail_from.clone()))?;
    let to = Mailbox::new(Some(letter.to_name.clone()), letter.to_email.parse().map_err(|_| MailError::Address(letter.to_email.clone()))?);
    let message = Message::builder().from(from).to(to).subject(letter.subject.clone()).header(ContentType::TEXT_PLAIN).body(letter.body.clone())?;
    transport(url)?.send(message).await?;
    Ok(true)
}

/// Sends a handover's link to its person where the installation sends e-mail: the link
/// then leaves the answer, so nobody but the person sees it. A send that fails leaves
/// the link to hand over, and says so.
pub async fn deliver(config: &Config, mut handover: Handover, purpose: LinkPurpose) -> Handover {
    if handover.link.is_empty() || config.smtp_url.is_none() {
        return handover;
    }
    let p = &handover.person;
    let letter = link_letter(config, purpose, &p.display_name, &p.email, &handover.link, &handover.expires);
    match send(config, &letter).await {
        Ok(true) => {
            handover.link.clear();
            handover.emailed = true;
        }
        Ok(false) => {}
        Err(e) => {
            tracing::warn!(error = %e, "an account link could not be e-mailed; it is shown to hand over");
            handover.mail_failed = true;
        }
    }
    handover
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_smtp_address_hides_its_password() {
        assert_eq!(without_password("smtps://ops:tajne@smtp.example.pl:465"), "smtps://ops:***@smtp.example.pl:465");
        assert_eq!(without_password("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }

    #[test]
    fn the_letter_carries_the_public_address_of_the_link() {
        let mut config = Config::for_database("sqlite::memory:");
        config.public_url = "https://sciezka.mops.example.pl".into();
        let l = link_letter(&config, LinkPurpose::Invitation, "Jan Kowalski", "jan@example.pl", "/konto/abc", "2026-12-03 12:00");
        assert!(l.body.contains("https://sciezka.mops.example.pl/konto/abc"), "{}", l.body);
        assert!(l.subject.starts_with("Zaproszenie"));
        assert!(check_url("smtp://127.0.0.1:2525").is_ok());
        assert!(check_url("http://nope").is_err());
    }
}
