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
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;

use super::wire::{self, Reply};
use super::{Failure, Outgoing, Security, Smtp};

/// The socket, plain or wrapped in TLS, with a deadline for the reply being read: the socket's
/// timeout bounds one read, and a server that trickles a byte at a time must not stretch a
/// reply for ever.
struct Stream {
    inner: Inner,
    deadline: Option<Instant>,
}

enum Inner {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match &self.inner {
            Inner::Plain(s) => s,
            Inner::Tls(s) => &s.sock,
        }
    }

    fn is_tls(&self) -> bool {
        matches!(self.inner, Inner::Tls(_))
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "deadline passed"));
            }
            self.tcp().set_read_timeout(Some(left))?;
        }
        match &mut self.inner {
            Inner::Plain(s) => s.read(buf),
            Inner::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            Inner::Plain(s) => s.write(buf),
            Inner::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Inner::Plain(s) => s.flush(),
            Inner::Tls(s) => s.flush(),
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
    /// Set when the connection cannot carry another message (a transaction that could not be
    /// ended cleanly): the caller opens a new one.
    closed: bool,
    accepted: u64,
    /// How long a command's reply may take, and the reply to a message's data (RFC 5321
    /// §4.5.3.2 suggests ten minutes: relays scan content before they answer).
    timeout: Duration,
    data_timeout: Duration,
}

/// The failure for an I/O error in `step`: before a message's data went out nothing can have
/// been delivered, so the destination is down; after it, the message is in doubt.
fn lost(step: &str, e: &io::Error, data_sent: bool, timeout: Duration) -> Failure {
    let why = match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
            format!("no answer to {step} within {} s", timeout.as_secs_f64().round())
        }
        io::ErrorKind::UnexpectedEof => format!("the server closed the connection at {step}"),
        _ => format!("the connection failed at {step}: {e}"),
    };
    if data_sent { Failure::Unanswered(why) } else { Failure::Down(why) }
}

impl Session {
    /// Connects, reads the greeting, says EHLO (HELO to a server that knows no EHLO), secures
    /// the connection as `smtp` wants it and authenticates. Any failure here is the
    /// destination's ([`Failure::Down`]).
    pub fn open(smtp: &Smtp) -> Result<Session, Failure> {
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
            return Err(down(format!("cannot connect: {why}")));
        };
        let io = |e: io::Error| lost("connecting", &e, false, smtp.timeout);
        // Each command and the data go out as one write each; without this, Nagle's algorithm
        // holds a short write until the server's delayed ACK (40 ms a message on Linux).
        tcp.set_nodelay(true).map_err(io)?;
        // The TLS handshake reads with this; a reply's reads get their own deadline.
        tcp.set_read_timeout(Some(smtp.timeout)).map_err(io)?;
        tcp.set_write_timeout(Some(smtp.timeout)).map_err(io)?;
        let loopback = tcp.peer_addr().is_ok_and(|a| a.ip().is_loopback());
        let hello = hello_name(&tcp);
        let inner = match smtp.security {
            Security::Implicit => Inner::Tls(Box::new(tls(smtp, tcp)?)),
            _ => Inner::Plain(tcp),
        };
        let mut session = Session {
            reader: BufReader::with_capacity(16 * 1024, Stream { inner, deadline: None }),
            ext: Extensions::default(),
            owed: 0,
            begun: false,
            closed: false,
            accepted: 0,
            timeout: smtp.timeout,
            data_timeout: smtp.data_timeout,
        };
        let greeting = session.reply("the greeting", false)?;
        if greeting.code != 220 {
            return Err(down(format!("it does not take mail now: {greeting}")));
        }
        session.hello(&hello)?;
        let want_tls = matches!(smtp.security, Security::Required)
            || (matches!(smtp.security, Security::Opportunistic) && session.ext.starttls);
        if want_tls && !session.reader.get_ref().is_tls() {
            if !session.ext.starttls {
                return Err(down("it does not offer STARTTLS, and the address asks for TLS (tls=required)".into()));
            }
            session.command("STARTTLS")?;
            let reply = session.reply("STARTTLS", false)?;
            if reply.code != 220 {
                return Err(down(format!("it refused STARTTLS: {reply}")));
            }
            // Anything the server sent after its 220 came before the encryption: whoever put it
            // there could be answering for the server (CVE-2011-0411's kind). Refuse it.
            if !session.reader.buffer().is_empty() {
                return Err(down("it sent plain text after agreeing to STARTTLS: not a connection to trust".into()));
            }
            let Stream { inner: Inner::Plain(tcp), .. } = session.reader.into_inner() else {
                return Err(down("internal: STARTTLS on an encrypted connection".into()));
            };
            let inner = Inner::Tls(Box::new(tls(smtp, tcp)?));
            session.reader = BufReader::with_capacity(16 * 1024, Stream { inner, deadline: None });
            // RFC 3207: forget what was said before TLS and greet again.
            session.hello(&hello)?;
        }
        if let Some((user, password)) = &smtp.credentials {
            if !session.reader.get_ref().is_tls() && !loopback {
                return Err(down(
                    "will not send the password unencrypted: add ?tls=required to the address or use smtps://".into(),
                ));
            }
            session.auth(user, password)?;
        }
        Ok(session)
    }

    /// Messages the server accepted on this connection.
    pub fn accepted(&self) -> u64 {
        self.accepted
    }

    /// Whether the connection can carry another message.
    pub fn is_open(&self) -> bool {
        !self.closed
    }

    fn hello(&mut self, hello: &str) -> Result<(), Failure> {
        self.command(&format!("EHLO {hello}"))?;
        let reply = self.reply("EHLO", false)?;
        if reply.code == 250 {
            self.ext = Extensions::of(&reply);
            return Ok(());
        }
        // RFC 5321 §4.1.1.1: a server that does not know EHLO gets HELO, and no extensions.
        if matches!(reply.code, 500 | 502) {
            self.command(&format!("HELO {hello}"))?;
            let helo = self.reply("HELO", false)?;
            if helo.code == 250 {
                self.ext = Extensions::default();
                return Ok(());
            }
            return Err(Failure::Down(format!("it refused HELO {hello}: {helo}")));
        }
        Err(Failure::Down(format!("it refused EHLO {hello}: {reply}")))
    }

    fn auth(&mut self, user: &str, password: &str) -> Result<(), Failure> {
        let refused = |reply: &Reply| {
            Failure::Down(format!(
                "it refused the login of `{user}`: {reply} (credentials come from MISSIVE_SMTP_USER and MISSIVE_SMTP_PASSWORD)"
            ))
        };
        if self.ext.auth.iter().any(|m| m == "PLAIN") {
            let token = wire::base64(format!("\0{user}\0{password}").as_bytes());
            self.command(&format!("AUTH PLAIN {token}"))?;
            let reply = self.reply("AUTH", false)?;
            return if reply.code == 235 { Ok(()) } else { Err(refused(&reply)) };
        }
        if self.ext.auth.iter().any(|m| m == "LOGIN") {
            self.command("AUTH LOGIN")?;
            for answer in [user, password] {
                let reply = self.reply("AUTH", false)?;
                if reply.code != 334 {
                    return Err(refused(&reply));
                }
                self.command(&wire::base64(answer.as_bytes()))?;
            }
            let reply = self.reply("AUTH", false)?;
            return if reply.code == 235 { Ok(()) } else { Err(refused(&reply)) };
        }
        Err(Failure::Down(format!(
            "it offers no login missive knows (PLAIN or LOGIN), and credentials were given: it offers {}",
            if self.ext.auth.is_empty() { "none".to_string() } else { self.ext.auth.join(", ") }
        )))
    }

    /// Writes a command line.
    fn command(&mut self, line: &str) -> Result<(), Failure> {
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        let verb = line.split(' ').next().unwrap_or(line).to_string();
        self.write_all(&bytes, &verb, false)
    }

    /// Reads the reply to `step`, within the timeout (the long one after a message's data).
    fn reply(&mut self, step: &str, data_sent: bool) -> Result<Reply, Failure> {
        let timeout = if data_sent { self.data_timeout } else { self.timeout };
        self.reader.get_mut().deadline = Some(Instant::now() + timeout);
        let reply = wire::read_reply(&mut self.reader).map_err(|e| lost(step, &e, data_sent, timeout));
        self.reader.get_mut().deadline = None;
        if reply.is_err() {
            self.closed = true;
        }
        reply
    }

    /// Puts `out`'s envelope to the server: MAIL, RCPT and DATA in one write when the server
    /// pipelines (their replies are read by [`Session::finish`]), else one by one up to the
    /// server's 354. Nothing of the message's data has gone out when this returns, so a crash
    /// now cannot deliver it: the caller records the letter as being sent, then calls
    /// [`Session::finish`].
    pub fn begin(&mut self, out: &Outgoing) -> Result<(), Failure> {
        if self.owed != 0 || self.begun || self.closed {
            return Err(Failure::Down("internal: a message begun on a connection not ready for it".into()));
        }
        let eight_bit = self.ext.eight_bit && out.eight_bit;
        let mut commands = format!("MAIL FROM:<{}>", out.from);
        if eight_bit {
            commands.push_str(" BODY=8BITMIME");
        }
        if let Some(size) = self.ext.size {
            // RFC 1870: the message's size as it is, before dot-stuffing and without the
            // terminator.
            if out.size > size {
                return Err(Failure::Rejected(format!(
                    "the message is {} bytes, more than the {size} the server takes (SIZE)",
                    out.size
                )));
            }
            commands.push_str(&format!(" SIZE={}", out.size));
        }
        commands.push_str("\r\n");
        for to in &out.to {
            commands.push_str(&format!("RCPT TO:<{to}>\r\n"));
        }
        commands.push_str("DATA\r\n");
        if self.ext.pipelining {
            self.write_all(commands.as_bytes(), "MAIL", false)?;
            self.owed = out.to.len() + 2;
        } else {
            for line in commands.lines() {
                self.command(line)?;
                let verb = line.split([' ', ':']).next().unwrap_or(line);
                let reply = self.reply(verb, false)?;
                let last = line == "DATA";
                if (last && reply.code != 354) || (!last && reply.code / 100 != 2) {
                    return Err(self.refused(verb, &reply, true));
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
        let mut refusal: Option<(&str, Reply)> = None;
        let mut data_accepted = !self.ext.pipelining;
        let mut step = 0;
        while self.owed > 0 {
            let verb = match step {
                0 => "MAIL",
                _ if self.owed == 1 => "DATA",
                _ => "RCPT",
            };
            step += 1;
            let reply = self.reply(verb, false)?;
            self.owed -= 1;
            if reply.code == 421 {
                // The server is closing: its replies end here, and its reason is the news.
                self.closed = true;
                return Err(self.refused(verb, &reply, false));
            }
            let fine = if verb == "DATA" { reply.code == 354 } else { reply.code / 100 == 2 };
            if verb == "DATA" {
                data_accepted = fine;
            }
            if !fine && refusal.is_none() {
                refusal = Some((verb, reply));
            }
        }
        if let Some((verb, reply)) = refusal {
            if data_accepted {
                // A server that took DATA although a recipient was refused: ending the data now
                // would deliver an empty message to the others. Drop the connection instead,
                // which abandons the transaction.
                self.closed = true;
                let _ = self.reader.get_ref().tcp().shutdown(std::net::Shutdown::Both);
            }
            return Err(self.refused(verb, &reply, true));
        }
        self.write_all(&out.data, "the data", true)?;
        let reply = self.reply("the end of the data", true)?;
        if reply.code / 100 == 2 {
            self.accepted += 1;
            return Ok(());
        }
        Err(self.refused("the end of the data", &reply, false))
    }

    fn write_all(&mut self, bytes: &[u8], step: &str, data: bool) -> Result<(), Failure> {
        let stream = self.reader.get_mut();
        // Data cut off in the write cannot have been accepted: its terminator comes last. A
        // failed flush (TLS sends its records there) may have sent it all: in doubt.
        let result = stream
            .write_all(bytes)
            .map_err(|e| lost(step, &e, false, self.timeout))
            .and_then(|()| stream.flush().map_err(|e| lost(step, &e, data, self.timeout)));
        if result.is_err() {
            self.closed = true;
        }
        result
    }

    /// The failure for a negative reply to `verb`, after a RSET that readies the connection
    /// for the next message (unless `reset` is false: the transaction is over anyway). 421
    /// closes the connection and 5xx to MAIL (the same sender for every letter) are the
    /// destination's, as is a 530 (a login wanted); other 4xx defer this message and 5xx refuse
    /// it.
    fn refused(&mut self, verb: &str, reply: &Reply, reset: bool) -> Failure {
        if reset && !self.closed && self.command("RSET").is_ok() {
            let _ = self.reply("RSET", false);
        }
        match reply.code {
            421 => Failure::Down(format!("it is closing the connection: {reply}")),
            530 => Failure::Down(format!("it wants a login: {reply}")),
            500..=599 if verb == "MAIL" => {
                Failure::Down(format!("it refuses the sender of every letter (MAIL FROM): {reply}"))
            }
            _ if reply.is_transient() => Failure::Deferred(reply.to_string()),
            _ => Failure::Rejected(reply.to_string()),
        }
    }

    /// NOOP: whether the server is still there.
    pub fn noop(&mut self) -> Result<(), Failure> {
        self.command("NOOP")?;
        let reply = self.reply("NOOP", false)?;
        if reply.code / 100 == 2 { Ok(()) } else { Err(Failure::Down(format!("it answered NOOP with {reply}"))) }
    }

    /// QUIT, politely; errors do not matter any more.
    pub fn quit(mut self) {
        if !self.closed && self.command("QUIT").is_ok() {
            let _ = self.reply("QUIT", false);
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
    let config = smtp.tls_config().map_err(|e| Failure::Down(e.to_string()))?;
    let name = ServerName::try_from(smtp.host.clone())
        .map_err(|e| Failure::Down(format!("`{}` cannot be checked against a certificate: {e}", smtp.host)))?;
    let conn =
        rustls::ClientConnection::new(Arc::clone(&config), name).map_err(|e| Failure::Down(format!("TLS: {e}")))?;
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    // Complete the handshake now, so a bad certificate is reported as such.
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock).map_err(|e| {
            Failure::Down(format!("TLS failed: {e} (is the certificate trusted? SSL_CERT_FILE adds an authority)"))
        })?;
    }
    Ok(stream)
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use super::*;

    /// A server on loopback that answers each line it reads with the next scripted bytes (the
    /// first entry is the greeting); returns the lines it read when the client hangs up.
    fn scripted(script: Vec<&'static [u8]>) -> (Smtp, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(socket.try_clone().unwrap());
            let mut heard = Vec::new();
            for (i, answer) in script.into_iter().enumerate() {
                if i > 0 {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    heard.push(line.trim_end().to_string());
                }
                // A byte at a time when the answer asks for it (b"~" then the reply).
                if let Some(slow) = answer.strip_prefix(b"~") {
                    for b in slow {
                        if socket.write_all(&[*b]).is_err() {
                            return heard;
                        }
                        std::thread::sleep(Duration::from_millis(150));
                    }
                } else if socket.write_all(answer).is_err() {
                    break;
                }
            }
            heard
        });
        (Smtp::new(&format!("smtp://127.0.0.1:{port}"), None, Duration::from_secs(1)).unwrap(), server)
    }

    fn letter() -> Outgoing {
        Outgoing::new("a@example.pl", &["b@example.pl"], b"Subject: x\r\n\r\nhello\r\n").unwrap()
    }

    #[test]
    fn a_server_without_ehlo_gets_helo_and_no_extensions() {
        let (smtp, server) = scripted(vec![
            b"220 old\r\n",
            b"502 what\r\n",
            b"250 hello\r\n",
            b"250 ok\r\n",
            b"250 ok\r\n",
            b"354 go\r\n",
            b"250 queued\r\n",
        ]);
        let mut session = Session::open(&smtp).expect("HELO is enough");
        let out = letter();
        session.begin(&out).and_then(|()| session.finish(&out)).expect("sent");
        drop(session);
        let heard = server.join().unwrap();
        assert!(heard[0].starts_with("EHLO ") && heard[1].starts_with("HELO "), "{heard:?}");
        assert_eq!(heard[2], "MAIL FROM:<a@example.pl>", "no SIZE or BODY without EHLO: {heard:?}");
    }

    #[test]
    fn plain_text_after_the_starttls_answer_is_refused() {
        let smtp = |port: u16| {
            Smtp::new(&format!("smtp://127.0.0.1:{port}?tls=required"), None, Duration::from_secs(1)).unwrap()
        };
        let (plain, server) =
            scripted(vec![b"220 hi\r\n", b"250-hi\r\n250 STARTTLS\r\n", b"220 go ahead\r\n250 INJECTED\r\n"]);
        let e = Session::open(&smtp(plain.port)).err().expect("refused");
        assert!(matches!(&e, Failure::Down(why) if why.contains("plain text after agreeing to STARTTLS")), "{e:?}");
        server.join().unwrap();
    }

    #[test]
    fn a_reply_trickled_a_byte_at_a_time_is_bounded_by_one_deadline() {
        // Each byte comes well within the 1 s timeout, the whole reply does not.
        let (smtp, server) = scripted(vec![b"~220 a very slow greeting\r\n"]);
        let started = Instant::now();
        let e = Session::open(&smtp).err().expect("gives up");
        assert!(matches!(&e, Failure::Down(why) if why.contains("no answer to the greeting within 1 s")), "{e:?}");
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
        drop(server);
    }

    #[test]
    fn a_refused_sender_is_the_destinations_failure_and_a_421_says_why() {
        let (smtp, server) = scripted(vec![
            b"220 hi\r\n",
            b"250-hi\r\n250 PIPELINING\r\n",
            b"", // MAIL: the replies come after DATA is read
            b"",
            b"550 5.7.1 sender not allowed\r\n503 no\r\n503 no\r\n",
            b"250 reset\r\n",
        ]);
        let mut session = Session::open(&smtp).unwrap();
        let out = letter();
        session.begin(&out).unwrap();
        let e = session.finish(&out).expect_err("refused");
        assert!(matches!(&e, Failure::Down(why) if why.contains("refuses the sender of every letter")), "{e:?}");
        drop(session);
        let heard = server.join().unwrap();
        assert_eq!(heard.last().map(String::as_str), Some("RSET"), "the connection is readied again: {heard:?}");

        let (smtp, server) = scripted(vec![
            b"220 hi\r\n",
            b"250-hi\r\n250 PIPELINING\r\n",
            b"",
            b"",
            b"421 4.3.2 shutting down for maintenance\r\n",
        ]);
        let mut session = Session::open(&smtp).unwrap();
        session.begin(&out).unwrap();
        let e = session.finish(&out).expect_err("closing");
        assert!(matches!(&e, Failure::Down(why) if why.contains("shutting down for maintenance")), "{e:?}");
        assert!(!session.is_open());
        drop(session);
        server.join().unwrap();
    }
}
