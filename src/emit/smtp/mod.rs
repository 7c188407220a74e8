//! SMTP delivery: `smtp://host:port` (plain; add `?tls=required` or `?tls=opportunistic` for
//! STARTTLS) or `smtps://host:port` (TLS from the start). Our own client over `std::net`, not
//! lettre's transport, for three things a billing run needs and lettre's cannot give:
//! `TCP_NODELAY` (without it each message waits ~40 ms for a delayed ACK), PIPELINING, and a
//! failure that says how far its message got ([`Failure`]): a server gone before the data went
//! out loses nothing, one gone after it leaves the message in doubt, and only the server's own
//! answer about a message makes it that message's fault.

mod session;
mod wire;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub use session::Session;

use crate::error::{Error, ErrorKind, Result};

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain text (`smtp://`, or `?tls=none`).
    None,
    /// STARTTLS when the server offers it (`?tls=opportunistic`).
    Opportunistic,
    /// STARTTLS, or no connection (`?tls=required`).
    Required,
    /// TLS from the first byte (`smtps://`).
    Implicit,
}

/// An SMTP server to send letters to: where it is and how to talk to it. Connections are
/// opened with [`Session::open`], one per sending thread, and kept for many messages.
pub struct Smtp {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<(String, String)>,
    /// How long to wait for a connection, a command's reply or a write.
    timeout: Duration,
    /// How long to wait for the reply to a message's data.
    data_timeout: Duration,
    /// Built on the first TLS connection. A failure (no certificate authorities on this
    /// machine) is kept too, so that reconnects and retries do not read the system's store
    /// again, and lent by reference: `Error` is not `Clone`.
    tls: OnceLock<Result<Arc<rustls::ClientConfig>>>,
}

/// A message ready for the wire: its envelope and its data, already dot-stuffed and ended
/// (`wire::data`), so a sender thread only writes bytes.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The envelope sender (ASCII).
    pub from: String,
    /// The envelope recipients (ASCII).
    pub to: Vec<String>,
    /// The DATA section, with its terminator.
    pub data: Vec<u8>,
    /// The message's size before dot-stuffing (what SIZE declares).
    pub size: u64,
    /// Whether the message has bytes beyond 7-bit ASCII (BODY=8BITMIME).
    pub eight_bit: bool,
}

impl Outgoing {
    /// The message `bytes` (an `.eml`, CRLF lines) from `from` to `to`.
    pub fn new(from: &str, to: &[&str], bytes: &[u8]) -> Result<Outgoing> {
        for address in std::iter::once(&from).chain(to) {
            if !address.is_ascii() || address.bytes().any(|b| b.is_ascii_control() || b == b'<' || b == b'>') {
                return Err(Error::new(ErrorKind::Record, format!("`{address}` cannot go into an SMTP envelope"))
                    .with_help("an envelope address is ASCII, with an internationalised domain in its xn-- form"));
            }
        }
        Ok(Outgoing {
            from: from.to_string(),
            to: to.iter().map(|s| s.to_string()).collect(),
            data: wire::data(bytes),
            size: bytes.len() as u64,
            eight_bit: wire::is_8bit(bytes),
        })
    }
}

/// How far a message got when sending it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The server refused this message for good (5xx to its MAIL, RCPT or data): the letter goes
    /// to the rejects report.
    Rejected(String),
    /// The server deferred this message (4xx): try again later.
    Deferred(String),
    /// The destination failed before the message's data went out (no connection, TLS, login,
    /// a connection lost or timed out mid-envelope, 421): the message is not there; the server
    /// is the problem, not the letter.
    Down(String),
    /// The connection failed after the message's data went out, before the server's reply: it
    /// may or may not hold the message, which is *in doubt*.
    Unanswered(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Rejected(why) | Failure::Deferred(why) | Failure::Down(why) | Failure::Unanswered(why) => {
                f.write_str(why)
            }
        }
    }
}

/// `url` without the password it may carry (`smtp://anna:…@host`), for messages, the summary
/// and the journal: a changed password is the same destination.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => url.to_string(),
    }
}

fn not_an_address(url: &str, why: &str) -> Error {
    Error::new(ErrorKind::Usage, format!("`{}` is not an SMTP address: {why}", redacted(url)))
        .with_help("write smtp://host:port, smtp://host:port?tls=required or smtps://host:port")
}

impl Smtp {
    /// The server at `url`; `credentials` (user, password) for servers that want AUTH (they can
    /// also stand in the address, `smtp://user:password@host`); `timeout` for connecting, each
    /// command's reply and writes (the reply to a message's data may take ten minutes: see
    /// [`Smtp::with_data_timeout`]). Nothing is connected yet.
    pub fn new(url: &str, credentials: Option<(String, String)>, timeout: Duration) -> Result<Smtp> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| not_an_address(url, "it has no scheme"))?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| not_an_address(url, "a `[` without its `]`"))?;
            (host, after.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        if host.is_empty() {
            return Err(not_an_address(url, "it names no host"));
        }
        let mut security = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => Security::None,
            "smtps" => Security::Implicit,
            other => return Err(not_an_address(url, &format!("`{other}://` is neither smtp:// nor smtps://"))),
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("tls", "required")) if security != Security::Implicit => security = Security::Required,
                Some(("tls", "opportunistic")) if security != Security::Implicit => security = Security::Opportunistic,
                Some(("tls", "none")) if security != Security::Implicit => security = Security::None,
                _ => {
                    return Err(not_an_address(
                        url,
                        &format!(
                            "`{pair}` is not a setting here (smtp:// takes tls=required, tls=opportunistic or tls=none)"
                        ),
                    ));
                }
            }
        }
        let port = match port {
            Some(p) => p.parse::<u16>().map_err(|_| not_an_address(url, &format!("`{p}` is not a port")))?,
            None if security == Security::Implicit => 465,
            None => 25,
        };
        let credentials = match (credentials, userinfo) {
            (Some(c), _) => Some(c),
            (None, Some(info)) => {
                let (user, password) = info.split_once(':').unwrap_or((info, ""));
                Some((percent_decode(user), percent_decode(password)))
            }
            (None, None) => None,
        };
        Ok(Smtp {
            host: host.to_string(),
            port,
            security,
            credentials,
            timeout,
            data_timeout: timeout.max(Duration::from_secs(600)),
            tls: OnceLock::new(),
        })
    }

    /// How long to wait for the server's reply to a message's data (RFC 5321 §4.5.3.2: ten
    /// minutes, the default; a relay may scan the message first). A letter whose reply does not
    /// come in time is in doubt and sent again.
    pub fn with_data_timeout(mut self, timeout: Duration) -> Smtp {
        self.data_timeout = timeout;
        self
    }

    /// `host:port`, for messages.
    pub fn server(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// Connects once and says NOOP, so a batch fails before its first letter.
    pub fn check(&self) -> Result<()> {
        let mut session = Session::open(self).map_err(|f| self.unreachable(&f))?;
        session.noop().map_err(|f| self.unreachable(&f))?;
        session.quit();
        Ok(())
    }

    /// The error that stops a run when the server cannot be reached: names it and the cause.
    pub fn unreachable(&self, failure: &Failure) -> Error {
        Error::new(ErrorKind::Io, format!("cannot send through the SMTP server at {}: {failure}", self.server()))
            .with_help("check the host, the port and the TLS setting; credentials come from MISSIVE_SMTP_USER and MISSIVE_SMTP_PASSWORD")
    }

    /// Sends one message on a connection of its own (for a single letter; a batch keeps its
    /// sessions open).
    pub fn send(&self, out: &Outgoing) -> std::result::Result<(), Failure> {
        let mut session = Session::open(self)?;
        session.begin(out)?;
        session.finish(out)?;
        session.quit();
        Ok(())
    }

    fn tls_config(&self) -> std::result::Result<Arc<rustls::ClientConfig>, &Error> {
        self.tls
            .get_or_init(|| {
                let mut roots = rustls::RootCertStore::empty();
                let found = rustls_native_certs::load_native_certs();
                roots.add_parsable_certificates(found.certs);
                if roots.is_empty() {
                    return Err(Error::new(
                        ErrorKind::Io,
                        "no trusted certificate authorities were found (install ca-certificates, or set SSL_CERT_FILE)",
                    ));
                }
                let provider = Arc::new(rustls::crypto::ring::default_provider());
                rustls::ClientConfig::builder_with_provider(provider)
                    .with_safe_default_protocol_versions()
                    .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
                    .map_err(|e| Error::new(ErrorKind::Io, format!("TLS cannot be set up: {e}")))
            })
            .as_ref()
            .map(Arc::clone)
    }
}

/// `%XX` escapes in a URL's user and password.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> Smtp {
        Smtp::new(url, None, Duration::from_secs(1)).unwrap()
    }

    #[test]
    fn addresses_parse_with_their_defaults() {
        let s = parsed("smtp://mail.example.pl");
        assert_eq!((s.host.as_str(), s.port, s.security), ("mail.example.pl", 25, Security::None));
        let s = parsed("smtps://mail.example.pl");
        assert_eq!((s.port, s.security), (465, Security::Implicit));
        let s = parsed("smtp://127.0.0.1:2525?tls=required");
        assert_eq!((s.server().as_str(), s.security), ("127.0.0.1:2525", Security::Required));
        assert_eq!(parsed("smtp://[::1]:2525").server(), "[::1]:2525");
        let s = parsed("smtp://anna%40bank:p%3Ass@mx:587?tls=opportunistic");
        assert_eq!(s.credentials, Some(("anna@bank".into(), "p:ss".into())));
        assert_eq!((s.host.as_str(), s.port, s.security), ("mx", 587, Security::Opportunistic));
    }

    #[test]
    fn bad_addresses_say_why() {
        for (url, why) in [
            ("mail.example.pl", "no scheme"),
            ("http://mx", "neither smtp"),
            ("smtp://mx:port", "not a port"),
            ("smtp://mx?tls=maybe", "not a setting"),
            ("smtp://:25", "no host"),
            ("smtps://mx?tls=none", "not a setting"),
        ] {
            let e = Smtp::new(url, None, Duration::from_secs(1)).err().unwrap().to_string();
            assert!(e.contains(why), "{url}: {e}");
        }
    }

    #[test]
    fn a_password_never_leaves_the_address() {
        assert_eq!(redacted("smtp://anna:S3cret@mx:587?tls=required"), "smtp://anna@mx:587?tls=required");
        assert_eq!(redacted("smtps://mx"), "smtps://mx");
        assert_eq!(redacted("smtp://anna@mx"), "smtp://anna@mx");
        let e = Smtp::new("smtp://anna:S3cret@mx:port", None, Duration::from_secs(1)).err().unwrap().to_string();
        assert!(!e.contains("S3cret") && e.contains("smtp://anna@mx:port"), "{e}");
    }

    #[test]
    fn an_envelope_address_cannot_carry_a_command() {
        assert!(Outgoing::new("a@b.pl", &["x@y.pl>\r\nRCPT TO:<z@w.pl"], b"").is_err());
        assert!(Outgoing::new("ż@b.pl", &["x@y.pl"], b"").is_err());
        let out = Outgoing::new("a@b.pl", &["x@y.pl"], b"Subject: x\r\n\r\n.\r\n").unwrap();
        assert_eq!(out.data, b"Subject: x\r\n\r\n..\r\n.\r\n");
    }
}
