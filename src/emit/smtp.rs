//! SMTP delivery with lettre's synchronous transport: `smtp://host:port` (plain; add
//! `?tls=required` or `?tls=opportunistic` for STARTTLS) or `smtps://host:port` (TLS from the
//! start), pooled connections, timeouts, and every failure classified the way a batch must act
//! on it: retry later (4xx), in doubt (no answer: timeouts, a dropped connection), reject the letter
//! (5xx), or stop (cannot connect).

use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

use crate::error::{Error, ErrorKind, Result};

/// An SMTP server to send letters to.
pub struct Smtp {
    transport: SmtpTransport,
    url: String,
}

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The server said no for good (5xx): the letter goes to the rejects report.
    Permanent(String),
    /// The server said try again later (4xx).
    Transient(String),
    /// No answer came (a timeout, a dropped connection): the server may or may not have the
    /// message, so it is *in doubt*; sending it again may deliver a second copy.
    Unanswered(String),
}

impl Smtp {
    /// Connects lazily to `url`; `credentials` (user, password) for servers that want AUTH.
    pub fn new(url: &str, credentials: Option<(String, String)>, timeout: Duration) -> Result<Smtp> {
        let mut builder = SmtpTransport::from_url(url).map_err(|e| {
            Error::new(ErrorKind::Usage, format!("`{url}` is not an SMTP address: {e}"))
                .with_help("write smtp://host:port, smtp://host:port?tls=required or smtps://host:port")
        })?;
        if let Some((user, password)) = credentials {
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(Smtp { transport: builder.timeout(Some(timeout)).build(), url: url.to_string() })
    }

    /// Checks that the server answers (`NOOP`), so a batch fails before its first letter.
    pub fn check(&self) -> Result<()> {
        match self.transport.test_connection() {
            Ok(true) => Ok(()),
            Ok(false) => Err(Error::new(ErrorKind::Io, format!("the SMTP server at {} did not answer", self.url))),
            Err(e) => Err(Error::new(ErrorKind::Io, format!("cannot reach the SMTP server at {}: {e}", self.url))
                .with_help("check the host, the port and the TLS setting; credentials come from MISSIVE_SMTP_USER and MISSIVE_SMTP_PASSWORD")),
        }
    }

    /// Sends one message; `Ok` once the server accepted it.
    pub fn send(&self, message: &Message) -> std::result::Result<(), Refusal> {
        match self.transport.send(message) {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(Refusal::Permanent(e.to_string())),
            Err(e) if e.is_transient() => Err(Refusal::Transient(e.to_string())),
            Err(e) => Err(Refusal::Unanswered(e.to_string())),
        }
    }
}
