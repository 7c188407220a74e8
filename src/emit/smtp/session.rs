//! One connection to an SMTP server: connect (TCP with `TCP_NODELAY`, TLS from the start or by
//! STARTTLS), EHLO, AUTH, then messages one after another on the same connection. With
//! PIPELINING (RFC 2920) a message's MAIL, RCPT and DATA go out in one write and its data with
//! the terminator in another, so a message costs two round trips whatever the number of
//! commands.
//!
//! Every failure says how far the message got ([`Failure`]): the batch acts on that, not on
//! the text of an error.

use std::io::{self, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;

use rustls::pki_types::ServerName;

use super::wire::{self, Reply};
use super::{Failure, Outgoing, Security, Smtp};

/// The socket, plain or wrapped in TLS.
enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => &s.sock,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// What the server said it can do in its EHLO reply.
#[derive(Debug, Default, Clone)]
struct Extensions {
    pipelining: bool,
    starttls: bool,
    eight_bit: bool,
    /// The largest message it takes (SIZE), if it said.
    size: Option<u64>,
    /// AUTH mechanisms, upper case.
    auth: Vec<String>,
}

impl Extensions {
    fn of(reply: &Reply) -> Extensions {
        let mut ext = Extensions::default();
        // The first line is the server's name; each further line one extension.
        for line in reply.text.lines().skip(1) {
            let mut words = line.split_ascii_whitespace();
            let Some(name) = words.next() else { continue };
            match name.to_ascii_uppercase().as_str() {
                "PIPELINING" => ext.pipelining = true,
                "STARTTLS" => ext.starttls = true,
                "8BITMIME" => ext.eight_bit = true,
                "SIZE" => ext.size = words.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0),
                "AUTH" => ext.auth = words.map(|w| w.to_ascii_uppercase()).collect(),
                _ => {}
            }
        }
        ext
    }
}

/// An open, greeted (and authenticated) connection.
pub struct Session {
    reader: BufReader<Stream>,
    ext: Extensions,
    /// Replies owed for commands written and not yet read (pipelining).
    owed: usize,
    /// Whether the current message's MAIL, RCPT and DATA are out and the data is next.
    begun: bool,
    /// Messages the server accepted on this connection.
    pub accepted: u64,
    server: String,
}

/// The failure for an I/O error: before a message's data went out nothing can have been
/// delivered, so the destination is down; after it, the message is in doubt.
fn lost(server: &str, e: &io::Error, data_sent: bool) -> Failure {
    let why = match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => "the server did not answer in time".to_string(),
        _ => format!("the connection to {server} failed: {e}"),
    };
    if data_sent { Failure::Unanswered(why) } else { Failure::Down(why) }
}

impl Session {
    /// Connects, reads the greeting, says EHLO, secures the connection as `smtp` wants it and
    /// authenticates. Any failure here is the destination's ([`Failure::Down`]).
    pub fn open(smtp: &Smtp) -> Result<Session, Failure> {
        let server = smtp.server();
        let down = |why: String| Failure::Down(why);
        let addrs: Vec<SocketAddr> = (smtp.host.as_str(), smtp.port)
            .to_socket_addrs()
            .map_err(|e| down(format!("cannot resolve {}: {e}", smtp.host)))?
            .collect();
        let mut last = None;
        let mut tcp = None;
        for addr in &addrs {
            match TcpStream::connect_timeout(addr, smtp.timeout) {
                Ok(s) => {
                    tcp = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let Some(tcp) = tcp else {
            let why = last.map_or_else(|| "no address".to_string(), |e| e.to_string());
            return Err(down(format!("cannot connect to {server}: {why}")));
        };
        let io = |e: io::Error| lost(&server, &e, false);
        // Each command and the data go out as one write each; without this, Nagle's algorithm
        // holds a short write until the server's delayed ACK (40 ms a message on Linux).
        tcp.set_nodelay(true).map_err(io)?;
        tcp.set_read_timeout(Some(smtp.timeout)).map_err(io)?;
        tcp.set_write_timeout(Some(smtp.timeout)).map_err(io)?;
        let loopback = tcp.peer_addr().is_ok_and(|a| a.ip().is_loopback());
        let hello = hello_name(&tcp);
        let stream = match smtp.security {
            Security::Implicit => Stream::Tls(Box::new(tls(smtp, tcp)?)),
            _ => Stream::Plain(tcp),
        };
        let mut session = Session {
            reader: BufReader::with_capacity(16 * 1024, stream),
            ext: Extensions::default(),
            owed: 0,
            begun: false,
            accepted: 0,
            server,
        };
        session.expect_greeting()?;
        session.ehlo(&hello)?;
        let encrypted = matches!(session.reader.get_ref(), Stream::Tls(_));
        let want_tls = matches!(smtp.security, Security::Required)
            || (matches!(smtp.security, Security::Opportunistic) && session.ext.starttls);
        if want_tls && !encrypted {
            if !session.ext.starttls {
                return Err(down(format!(
                    "{} does not offer STARTTLS, and the address asks for TLS (tls=required)",
                    session.server
                )));
            }
            session.command("STARTTLS")?;
            let reply = session.reply(false)?;
            if reply.code != 220 {
                return Err(down(format!("{} refused STARTTLS: {reply}", session.server)));
            }
            let Stream::Plain(tcp) = session.reader.into_inner() else { unreachable!("checked: not encrypted") };
            session.reader = BufReader::with_capacity(16 * 1024, Stream::Tls(Box::new(tls(smtp, tcp)?)));
            // RFC 3207: forget what was said before TLS and greet again.
            session.ehlo(&hello)?;
        }
        if let Some((user, password)) = &smtp.credentials {
            let encrypted = matches!(session.reader.get_ref(), Stream::Tls(_));
            if !encrypted && !loopback {
                return Err(down(format!(
                    "will not send the password for {} unencrypted: add ?tls=required to the address or use smtps://",
                    session.server
                )));
            }
            session.auth(user, password)?;
        }
        Ok(session)
    }

    fn expect_greeting(&mut self) -> Result<(), Failure> {
        let greeting = self.reply(false)?;
        if greeting.code != 220 {
            return Err(Failure::Down(format!("{} does not take mail now: {greeting}", self.server)));
        }
        Ok(())
    }

    fn ehlo(&mut self, hello: &str) -> Result<(), Failure> {
        self.command(&format!("EHLO {hello}"))?;
        let reply = self.reply(false)?;
        if reply.code != 250 {
            return Err(Failure::Down(format!("{} refused EHLO {hello}: {reply}", self.server)));
        }
        self.ext = Extensions::of(&reply);
        Ok(())
    }

    fn auth(&mut self, user: &str, password: &str) -> Result<(), Failure> {
        let refused = |server: &str, reply: &Reply| {
            Failure::Down(format!(
                "{server} refused the login of `{user}`: {reply} (credentials come from MISSIVE_SMTP_USER and MISSIVE_SMTP_PASSWORD)"
            ))
        };
        if self.ext.auth.iter().any(|m| m == "PLAIN") {
            let token = wire::base64(format!("\0{user}\0{password}").as_bytes());
            self.command(&format!("AUTH PLAIN {token}"))?;
            let reply = self.reply(false)?;
            return if reply.code == 235 { Ok(()) } else { Err(refused(&self.server, &reply)) };
        }
        if self.ext.auth.iter().any(|m| m == "LOGIN") {
            self.command("AUTH LOGIN")?;
            for answer in [user, password] {
                let reply = self.reply(false)?;
                if reply.code != 334 {
                    return Err(refused(&self.server, &reply));
                }
                self.command(&wire::base64(answer.as_bytes()))?;
            }
            let reply = self.reply(false)?;
            return if reply.code == 235 { Ok(()) } else { Err(refused(&self.server, &reply)) };
        }
        Err(Failure::Down(format!(
            "{} offers no login missive knows (PLAIN or LOGIN), and credentials were given: it offers {}",
            self.server,
            if self.ext.auth.is_empty() { "none".to_string() } else { self.ext.auth.join(", ") }
        )))
    }

    /// Writes a command line (not yet sent when pipelining: see [`Session::flush`]).
    fn command(&mut self, line: &str) -> Result<(), Failure> {
        let stream = self.reader.get_mut();
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        stream.write_all(&bytes).map_err(|e| lost(&self.server, &e, false))?;
        stream.flush().map_err(|e| lost(&self.server, &e, false))
    }

    fn reply(&mut self, data_sent: bool) -> Result<Reply, Failure> {
        wire::read_reply(&mut self.reader).map_err(|e| lost(&self.server, &e, data_sent))
    }

    /// Puts `out`'s envelope to the server: MAIL, RCPT and DATA in one write when the server
    /// pipelines (their replies are read by [`Session::finish`]), else one by one up to the
    /// server's 354. Nothing of the message's data has gone out when this returns, so a crash
    /// now cannot deliver it: the caller records the letter as being sent, then calls
    /// [`Session::finish`].
    pub fn begin(&mut self, out: &Outgoing) -> Result<(), Failure> {
        if self.owed != 0 || self.begun {
            return Err(Failure::Down("internal: a message was begun twice on one connection".into()));
        }
        let eight_bit = self.ext.eight_bit && wire::is_8bit(&out.data);
        let mut commands = String::with_capacity(128);
        commands.push_str(&format!("MAIL FROM:<{}>", out.from));
        if eight_bit {
            commands.push_str(" BODY=8BITMIME");
        }
        if let Some(size) = self.ext.size {
            if out.data.len() as u64 > size {
                return Err(Failure::Rejected(format!(
                    "the message is {} bytes, more than the {size} the server takes (SIZE)",
                    out.data.len()
                )));
            }
            commands.push_str(&format!(" SIZE={}", out.data.len()));
        }
        commands.push_str("\r\n");
        for to in &out.to {
            commands.push_str(&format!("RCPT TO:<{to}>\r\n"));
        }
        commands.push_str("DATA\r\n");
        if self.ext.pipelining {
            let stream = self.reader.get_mut();
            stream.write_all(commands.as_bytes()).map_err(|e| lost(&self.server, &e, false))?;
            self.owed = out.to.len() + 2;
        } else {
            for line in commands.lines() {
                self.command(line)?;
                let reply = self.reply(false)?;
                let last = line == "DATA";
                if (last && reply.code != 354) || (!last && reply.code / 100 != 2) {
                    self.reset()?;
                    return Err(self.refused(&reply));
                }
            }
        }
        self.begun = true;
        Ok(())
    }

    /// Reads the envelope's replies (pipelining), sends the data and reads the server's verdict.
    pub fn finish(&mut self, out: &Outgoing) -> Result<(), Failure> {
        if !self.begun {
            return Err(Failure::Down("internal: a message was finished before it was begun".into()));
        }
        self.begun = false;
        let mut first_refusal = None;
        let mut data_accepted = !self.ext.pipelining;
        while self.owed > 0 {
            let reply = self.reply(false)?;
            self.owed -= 1;
            let is_data = self.owed == 0;
            if is_data {
                data_accepted = reply.code == 354;
                if !data_accepted && first_refusal.is_none() {
                    first_refusal = Some(reply);
                }
            } else if reply.code / 100 != 2 && first_refusal.is_none() {
                first_refusal = Some(reply);
            }
        }
        if let Some(refusal) = first_refusal {
            if data_accepted {
                // RFC 2920 §3.1: every recipient refused but DATA accepted; end it empty
                // (there is no one to deliver it to).
                self.write_all(b".\r\n", false)?;
                self.reply(false)?;
            }
            self.reset()?;
            return Err(self.refused(&refusal));
        }
        self.write_all(&out.data, true)?;
        let reply = self.reply(true)?;
        if reply.code / 100 == 2 {
            self.accepted += 1;
            return Ok(());
        }
        Err(self.refused(&reply))
    }

    fn write_all(&mut self, bytes: &[u8], data: bool) -> Result<(), Failure> {
        let stream = self.reader.get_mut();
        // Data cut off in the write cannot have been accepted: its terminator comes last. A
        // failed flush (TLS sends its records there) may have sent it all: in doubt.
        stream.write_all(bytes).map_err(|e| lost(&self.server, &e, false))?;
        stream.flush().map_err(|e| lost(&self.server, &e, data))
    }

    /// RSET after a refusal, so the connection can carry the next message.
    fn reset(&mut self) -> Result<(), Failure> {
        self.command("RSET")?;
        self.reply(false).map(|_| ())
    }

    /// The failure for a negative reply: 421 closes the connection (the destination's); other
    /// 4xx defer this message; 5xx refuse it.
    fn refused(&self, reply: &Reply) -> Failure {
        match reply.code {
            421 => Failure::Down(format!("{} is closing the connection: {reply}", self.server)),
            // "Authentication required": the destination's setting, not this message's fault.
            530 => Failure::Down(format!("{} wants a login: {reply}", self.server)),
            _ if reply.is_transient() => Failure::Deferred(reply.to_string()),
            _ => Failure::Rejected(reply.to_string()),
        }
    }

    /// NOOP: whether the server is still there.
    pub fn noop(&mut self) -> Result<(), Failure> {
        self.command("NOOP")?;
        let reply = self.reply(false)?;
        if reply.code / 100 == 2 {
            Ok(())
        } else {
            Err(Failure::Down(format!("{} answered NOOP with {reply}", self.server)))
        }
    }

    /// QUIT, politely; errors do not matter any more.
    pub fn quit(mut self) {
        if self.command("QUIT").is_ok() {
            let _ = self.reply(false);
        }
        let _ = self.reader.get_ref().tcp().shutdown(std::net::Shutdown::Both);
    }
}

/// The client's name for EHLO: the host name if it is a domain, else the address literal of the
/// local end of the connection (RFC 5321 §4.1.4).
fn hello_name(tcp: &TcpStream) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most `buf.len()` bytes into `buf`, which lives for the call.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let name = ok
        .then(|| buf.iter().position(|&b| b == 0).and_then(|n| std::str::from_utf8(&buf[..n]).ok()))
        .flatten()
        .unwrap_or_default();
    let is_domain = name.contains('.')
        && name.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if is_domain {
        return name.to_string();
    }
    match tcp.local_addr() {
        Ok(SocketAddr::V4(a)) => format!("[{}]", a.ip()),
        Ok(SocketAddr::V6(a)) => format!("[IPv6:{}]", a.ip()),
        Err(_) => "localhost".to_string(),
    }
}

/// The TLS session over `tcp`, with the server's certificate checked against the system's roots
/// (and `SSL_CERT_FILE` / `SSL_CERT_DIR`, for a company's own authority).
fn tls(smtp: &Smtp, tcp: TcpStream) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, Failure> {
    let config = smtp.tls_config().map_err(Failure::Down)?;
    let name = ServerName::try_from(smtp.host.clone())
        .map_err(|e| Failure::Down(format!("`{}` cannot be checked against a certificate: {e}", smtp.host)))?;
    let conn = rustls::ClientConnection::new(Arc::clone(&config), name)
        .map_err(|e| Failure::Down(format!("TLS with {}: {e}", smtp.server())))?;
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    // Complete the handshake now, so a bad certificate is reported as such.
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock).map_err(|e| {
            Failure::Down(format!(
                "TLS with {} failed: {e} (is the certificate trusted? SSL_CERT_FILE adds an authority)",
                smtp.server()
            ))
        })?;
    }
    Ok(stream)
}
