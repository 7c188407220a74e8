//! Email: a rendered letter as a MIME message — `multipart/alternative` text and HTML — after
//! every header-bound value has been checked by us (lettre panics on CR/LF in a display name and
//! carries CR/LF into a decoded subject). [`message`] writes the bytes of a letter without
//! attachments itself, into one buffer, each header value as lettre's header encoder writes it
//! (by that encoder when it is not short plain ASCII); [`build`] is lettre's
//! `Message`, for letters with attachments and a dry run. Tests hold the two to the same bytes.
//! With a key in `[email.dkim]`, [`message`] (so every `.eml`, mbox, SMTP and server message)
//! is DKIM-signed (`emit/dkim.rs`); [`build`]'s `Message` is not.
//!
//! When the HTML shows the standard's logo (its `cid:` URL, `InlineImage`), the HTML and the
//! image travel together as RFC 2387's `multipart/related` inside the alternative:
//! `alternative(text, related(html, image))`, as Thunderbird and Apple Mail send it, so a client
//! showing the text never lists the image; with attachments, `mixed` around it all.
//!
//! The message is deterministic: the same letter, key and batch give the same bytes. Its
//! Message-ID derives from the standard, the template, the record key and the batch, so a resend
//! is recognisable as the same letter; the MIME boundary derives from it too. `Date` is the
//! moment of the envelope's [`Clock`] (the moment the message is built, unless a fixed clock is
//! given) in the standard's time zone with its offset; the letter's own date is in its text.

use std::borrow::Cow;
use std::io::Write as _;
use std::str::FromStr;

use lettre::Message;
use lettre::message::header::{self, ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};

use super::body::Form;
#[cfg(feature = "smtp")]
use super::smtp::Outgoing;
use super::{Outputs, body};
use crate::clock::Clock;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::{Fnv, fnv1a};
use crate::render::Letter;
use crate::standard::config::Sender;
use crate::standard::layout::EmailLogo;

/// The email's logo as a MIME part, made once per [`Outputs`]: its base64 body (lettre's own
/// encoding) and headers are written when the outputs are made, so a letter only copies them.
#[derive(Debug)]
pub(crate) struct InlineImage {
    /// `"cid:…"` with its quotes, as the shell's HTML names the image in `src`.
    src: String,
    /// `"data:…;base64,…"` with its quotes: the image where a browser shows the HTML.
    data: String,
    /// The part as lettre's builder takes it.
    part: SinglePart,
    /// The part as it is written: headers, blank line, base64 body, line end.
    formatted: Vec<u8>,
    /// The same in mbox form (LF line ends; no line of it reads `From `).
    formatted_mbox: Vec<u8>,
    /// A searcher for `src`, built once (building one took more than searching a letter).
    finder: memchr::memmem::Finder<'static>,
}

impl InlineImage {
    /// The part of `logo`: `Content-ID`, `Content-Disposition: inline` with its file name, its
    /// image type, base64.
    pub(crate) fn new(logo: &EmailLogo) -> Result<InlineImage> {
        let content_type = ContentType::parse(logo.mime)
            .map_err(|e| Error::new(ErrorKind::Render, format!("internal: `{}` is not a MIME type: {e}", logo.mime)))?;
        let part = Attachment::new_inline_with_name(logo.content_id.clone(), logo.name.clone())
            .body(logo.bytes.to_vec(), content_type);
        let formatted = part.formatted();
        let mut formatted_mbox = Vec::with_capacity(formatted.len());
        super::mbox::lines(&formatted, &mut formatted_mbox);
        let base64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &logo.bytes);
        let data = format!("\"data:{};base64,{base64}\"", logo.mime);
        let src = format!("\"cid:{}\"", logo.content_id);
        let finder = memchr::memmem::Finder::new(src.as_bytes()).into_owned();
        Ok(InlineImage { src, data, part, formatted, formatted_mbox, finder })
    }
}

/// The logo's part, when the letter's HTML shows it (the shell printed `logo.src`).
fn inline_image<'o>(outputs: &'o Outputs, letter: &Letter) -> Option<&'o InlineImage> {
    outputs.logo.as_deref().filter(|image| image.finder.find(letter.html.as_bytes()).is_some())
}

/// The letter as a browser shows it (`render --format html|json`, `serve`'s answers and the
/// agent's preview): the inline logo's `cid:` URL, which only a mail client resolves, becomes a
/// `data:` URL holding the image. The email itself keeps the `cid:`.
pub fn for_browser<'a>(outputs: &Outputs, letter: &'a Letter) -> Cow<'a, Letter> {
    match inline_image(outputs, letter) {
        Some(image) => {
            let mut shown = letter.clone();
            shown.html = letter.html.replace(&image.src, &image.data);
            shown.verbatim.clear();
            Cow::Owned(shown)
        }
        None => Cow::Borrowed(letter),
    }
}

/// The `Content-Type` of the `multipart/related` holding the HTML and its image.
fn related_type(boundary: &str) -> String {
    format!("multipart/related; boundary=\"{boundary}-related\"; type=\"text/html\"")
}

/// What a message needs beyond the letter.
#[derive(Debug, Clone, Default)]
pub struct Envelope<'a> {
    /// The batch the letter belongs to, part of the Message-ID (`None` for a single letter).
    pub batch: Option<&'a str>,
    /// A letter sent again because its record changed since it was sent: part of the
    /// Message-ID, so that the new letter is not taken for the first (`None` for a first).
    pub revision: Option<u64>,
    /// When the message says it was written (`Date`): the machine's clock by default.
    pub clock: Clock,
}

/// The message of `letter` as bytes, ready to write as an `.eml` file: byte for byte what
/// lettre's `build(..).formatted()` gives (tested for every fixture), written directly for the
/// common letter without attachments. lettre's builder parses its own headers back (From for a
/// check, a random boundary replaced by ours) and formats through several layers: a third of
/// an invoice email's cost. Letters with attachments go through lettre.
///
/// With a DKIM key (`[email.dkim]`) the message is signed, its `t=` the moment of its `Date`.
pub fn message(outputs: &Outputs, letter: &Letter, envelope: &Envelope<'_>) -> Result<Vec<u8>> {
    let Some(key) = outputs.dkim() else { return unsigned(outputs, letter, envelope) };
    // One reading of the clock for the Date header and the signature's time.
    let at = date(outputs, letter, envelope.clock)?;
    let fixed = Envelope { clock: Clock::Fixed(at.timestamp()), ..envelope.clone() };
    let bytes = unsigned(outputs, letter, &fixed)?;
    super::dkim::sign(key, &bytes, at.timestamp().as_second())
}

/// [`message`] before it is signed: headers and parts written in turn into one buffer sized
/// for the whole, each body encoded straight into it ([`body::Part`]). The header lines that
/// do not change from letter to letter (From, Reply-To) are made with the [`Outputs`]; the
/// others are written as lettre's header encoder writes them, which for a short ASCII value is
/// the value itself, and by that encoder otherwise.
fn unsigned(outputs: &Outputs, letter: &Letter, envelope: &Envelope<'_>) -> Result<Vec<u8>> {
    if !letter.attachments.is_empty() || letter.attach_pdf {
        return build(outputs, letter, envelope).map(|m| m.formatted());
    }
    written(outputs, letter, envelope, Form::Crlf, b"")
}

/// `from_line` and [`message`]'s bytes in mbox form after it (LF line ends, `From ` lines
/// quoted), then the blank line that ends an mbox entry: what
/// [`mbox::append`](super::mbox::append) makes of the message, written directly for the
/// common letter. A signed message (DKIM signs the CRLF form) or one with attachments is made
/// as [`message`] makes it and converted.
pub(super) fn mbox_entry(
    outputs: &Outputs,
    letter: &Letter,
    envelope: &Envelope<'_>,
    from_line: &[u8],
) -> Result<Vec<u8>> {
    if outputs.dkim().is_some() || !letter.attachments.is_empty() || letter.attach_pdf {
        return Ok(super::mbox::converted(from_line, &message(outputs, letter, envelope)?));
    }
    let mut out = written(outputs, letter, envelope, Form::Mbox, from_line)?;
    out.push(b'\n');
    Ok(out)
}

/// The message of a letter without attachments in `form`, after `head`. The headers are
/// written with CRLF as lettre writes them and, in mbox form, their line ends made LF in place
/// (no header line can read `From `: each starts with its name and a colon, or, folded, with
/// white space); the boundaries and part headers end in the form's line end, the bodies are
/// written in it ([`body::Part::write_as`]). Never inlined, so that `scripts/stage_costs.sh`
/// sees it.
#[inline(never)]
fn written(outputs: &Outputs, letter: &Letter, envelope: &Envelope<'_>, form: Form, head: &[u8]) -> Result<Vec<u8>> {
    let heads = Heads::of(outputs, letter, envelope)?;
    let made;
    let sender = match outputs.sender_lines.as_deref() {
        Some(lines) => lines,
        None => {
            made = SenderLines::new(&heads.from, heads.reply_to.as_ref());
            &made
        }
    };
    let text = body::Part::new(&letter.text, &[]);
    let html = body::Part::new(&letter.html, &letter.verbatim);
    let image = inline_image(outputs, letter);
    let mut out = Vec::with_capacity(
        1024 + head.len()
            + letter.subject.len()
            + text.size_hint()
            + html.size_hint()
            + image.map_or(0, |i| 256 + i.formatted.len()),
    );
    out.extend_from_slice(head);
    out.extend_from_slice(&sender.from);
    mailbox_header(&mut out, "To", &heads.to);
    text_header(&mut out, "Subject", &letter.subject);
    date_header_to(&mut out, &heads.date);
    text_header(&mut out, "Message-ID", &heads.id);
    if let Some(reply_to) = &sender.reply_to {
        out.extend_from_slice(reply_to);
    }
    out.extend_from_slice(b"MIME-Version: 1.0\r\n");
    text_header(&mut out, "Content-Language", &letter.locale);
    if let Some(value) = &letter.unsubscribe {
        // Pre-encoded, as `unsubscribe` gives them to lettre.
        for line in [b"List-Unsubscribe: ".as_slice(), value.as_bytes(), b"\r\n"] {
            out.extend_from_slice(line);
        }
        out.extend_from_slice(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    }
    let boundary = heads.boundary.as_str();
    for piece in ["Content-Type: multipart/alternative; boundary=\"", boundary, "\"\r\n\r\n"] {
        out.extend_from_slice(piece.as_bytes());
    }
    if form == Form::Mbox {
        lf_in_place(&mut out, head.len());
    }
    let eol = form.line_end();
    part(&mut out, boundary, "", "text/plain", &text, form);
    match image {
        None => part(&mut out, boundary, "", "text/html", &html, form),
        Some(image) => {
            // Folded where lettre folds it: the boundary is always 32 characters, so the line
            // is always too long for 76 at the same place.
            for piece in ["--", boundary, eol, "Content-Type: multipart/related;", eol, " boundary=\"", boundary] {
                out.extend_from_slice(piece.as_bytes());
            }
            for piece in ["-related\"; type=\"text/html\"", eol, eol] {
                out.extend_from_slice(piece.as_bytes());
            }
            part(&mut out, boundary, "-related", "text/html", &html, form);
            for piece in ["--", boundary, "-related", eol] {
                out.extend_from_slice(piece.as_bytes());
            }
            out.extend_from_slice(match form {
                Form::Crlf => &image.formatted,
                Form::Mbox => &image.formatted_mbox,
            });
            for piece in ["--", boundary, "-related--", eol] {
                out.extend_from_slice(piece.as_bytes());
            }
        }
    }
    for piece in ["--", boundary, "--", eol] {
        out.extend_from_slice(piece.as_bytes());
    }
    Ok(out)
}

/// One text part of a multipart: its boundary line, headers, encoded body and line end, in
/// `form`.
fn part(out: &mut Vec<u8>, boundary: &str, suffix: &str, content_type: &str, body: &body::Part<'_>, form: Form) {
    let eol = form.line_end();
    for piece in ["--", boundary, suffix, eol, "Content-Type: ", content_type, "; charset=utf-8", eol] {
        out.extend_from_slice(piece.as_bytes());
    }
    for piece in ["Content-Transfer-Encoding: ", body::encoding_name(body.encoding()), eol, eol] {
        out.extend_from_slice(piece.as_bytes());
    }
    body.write_as(out, form);
    out.extend_from_slice(eol.as_bytes());
}

/// The CRLF line ends of `buf` after `from` made LF, in place (a CR not before an LF stays).
fn lf_in_place(buf: &mut Vec<u8>, from: usize) {
    let mut read = from;
    let mut write = from;
    while let Some(cr) = buf.get(read..).and_then(|rest| memchr::memchr(b'\r', rest)).map(|i| read + i) {
        // Up to the CR, and past it too when no LF follows.
        let upto = if buf.get(cr + 1) == Some(&b'\n') { cr } else { cr + 1 };
        buf.copy_within(read..upto, write);
        write += upto - read;
        read = cr + 1;
    }
    let end = buf.len();
    buf.copy_within(read..end, write);
    buf.truncate(write + (end - read));
}

/// The sender's From and Reply-To header lines, written once per [`Outputs`] as lettre writes
/// them (a bare display name with a dot quoted, as [`Heads::quoted_names`] does).
#[derive(Debug)]
pub(crate) struct SenderLines {
    from: Vec<u8>,
    reply_to: Option<Vec<u8>>,
}

impl SenderLines {
    pub(super) fn new(from: &Mailbox, reply_to: Option<&Mailbox>) -> SenderLines {
        let line = |name: &'static str, mailbox: &Mailbox| {
            let mut out = Vec::new();
            mailbox_header(&mut out, name, mailbox);
            out
        };
        SenderLines { from: line("From", from), reply_to: reply_to.map(|r| line("Reply-To", r)) }
    }
}

/// lettre's rule for a header value's characters that need no encoded word.
fn allowed_in_header(c: u8) -> bool {
    matches!(c, 1..=9 | 11 | 12 | 14..=127)
}

/// `{name}: {value}\r\n` as lettre's `HeaderValue::new` encodes it. Its encoder changes nothing
/// in a value of allowed characters that cannot fold: one that fits the line, or one without a
/// space (lettre folds only at spaces, and never before the first word); others go through it.
fn text_header(out: &mut Vec<u8>, name: &'static str, value: &str) {
    let fits = name.len() + 2 + value.len() <= 76 || !value.contains(' ');
    if fits && value.bytes().all(allowed_in_header) {
        for piece in [name, ": ", value, "\r\n"] {
            out.extend_from_slice(piece.as_bytes());
        }
    } else {
        lettre_header(out, HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_string()));
    }
}

/// A header line as lettre's `Headers` writes it.
fn lettre_header(out: &mut Vec<u8>, value: HeaderValue) {
    let mut headers = lettre::message::header::Headers::new();
    headers.insert_raw(value);
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{headers}");
}

/// `{name}: {mailbox}\r\n` for From, To or Reply-To, as lettre writes the header, with a bare
/// display name holding a dot quoted ([`quoted_name`]). A name of ASCII letters, digits,
/// spaces, `-`, `_` and `.` on a line that fits is written here: lettre leaves it bare when
/// it has no space (and we quote it when it has a dot), quotes it otherwise, and folds nothing.
fn mailbox_header(out: &mut Vec<u8>, name: &'static str, mailbox: &Mailbox) {
    let email: &str = mailbox.email.as_ref();
    let simple = |n: &str| n.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'_' | b'.'));
    match &mailbox.name {
        None => {
            for piece in [name, ": ", email, "\r\n"] {
                out.extend_from_slice(piece.as_bytes());
            }
        }
        Some(display) if simple(display) && name.len() + 2 + display.len() + 5 + email.len() <= 76 => {
            let quoted = display.contains([' ', '.']);
            let quote = if quoted { "\"" } else { "" };
            for piece in [name, ": ", quote, display, quote, " <", email, ">\r\n"] {
                out.extend_from_slice(piece.as_bytes());
            }
        }
        // A name with other characters (Polish letters, a comma) is one RFC 2047 encoded word
        // when it fits lettre's first word: 76 less the header, `=?utf-8?b?`, `?=` and CRLF,
        // in base64's groups of four.
        Some(display)
            if display.len() <= (76 - (name.len() + 2) - 14) / 4 * 3
                && display.bytes().any(|b| !b.is_ascii_alphanumeric() && !b" -_.\\\"".contains(&b)) =>
        {
            let mut base64 = [0u8; 64];
            let engine = base64::engine::general_purpose::STANDARD;
            let written = base64::Engine::encode_slice(&engine, display, &mut base64).unwrap_or(0);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": =?utf-8?b?");
            out.extend_from_slice(base64.get(..written).unwrap_or_default());
            for piece in ["?= <", email, ">\r\n"] {
                out.extend_from_slice(piece.as_bytes());
            }
        }
        Some(_) => {
            let _ = write!(out, "{}", lettre_mailbox_header(name, mailbox));
        }
    }
}

/// lettre's own header for a mailbox (`From`, `To`, else `Reply-To`), our quoting of the name
/// on top: what a name the lines above cannot write becomes, and their tests' reference.
fn lettre_mailbox_header(name: &'static str, mailbox: &Mailbox) -> lettre::message::header::Headers {
    let boxes = lettre::message::Mailboxes::from(mailbox.clone());
    let mut headers = lettre::message::header::Headers::new();
    match name {
        "From" => headers.set(header::From::from(boxes)),
        "To" => headers.set(header::To::from(boxes)),
        _ => headers.set(header::ReplyTo::from(boxes)),
    }
    if let Some(value) = quoted_name(name, mailbox) {
        headers.insert_raw(value);
    }
    headers
}

/// The message of `letter` ready for SMTP: [`message`]'s bytes with the envelope lettre would
/// derive from its From and To.
#[cfg(feature = "smtp")]
pub fn outgoing(outputs: &Outputs, letter: &Letter, envelope: &Envelope<'_>) -> Result<Outgoing> {
    let bytes = message(outputs, letter, envelope)?;
    let (from, _) = outputs.mailboxes()?;
    let to = match &letter.recipient {
        Some(r) => mailbox(&r.name, &r.address, &r.paths.0, &r.paths.1)?,
        None => return Err(Error::new(ErrorKind::Render, "internal: a message without a recipient")),
    };
    Outgoing::new(from.email.as_ref(), &[to.email.as_ref()], &bytes)
}

/// The message of `letter`, for a transport to send (lettre encodes it on the way).
pub fn build(outputs: &Outputs, letter: &Letter, envelope: &Envelope<'_>) -> Result<Message> {
    build_with(outputs, letter, envelope, super::body::text)
}

/// What every message of a letter carries in its headers, checked.
struct Heads {
    from: Mailbox,
    to: Mailbox,
    reply_to: Option<Mailbox>,
    date: jiff::Zoned,
    id: String,
    boundary: String,
}

impl Heads {
    fn of(outputs: &Outputs, letter: &Letter, envelope: &Envelope<'_>) -> Result<Heads> {
        let sender = outputs.sender();
        let recipient = letter.recipient.as_ref().ok_or_else(|| {
            Error::new(ErrorKind::Record, format!("the `{}` letter has no e-mail address to send to", letter.template))
                .with_help("give the record the template's `to` field (customer.email by default), or set `to = \"…\"` in the front matter")
        })?;
        let (name_path, address_path) = &recipient.paths;
        let to = mailbox(&recipient.name, &recipient.address, name_path, address_path)?;
        let (from, reply_to) = outputs.mailboxes()?;
        check_header_text("subject", &letter.subject)?;
        let domain = sender.email.rsplit_once('@').map_or("missive.invalid", |(_, d)| d);
        let id = message_id(outputs.standard_name(), letter, envelope, domain);
        // RFC 5322 lines end by 998 characters, and a Message-ID cannot be folded.
        if "Message-ID: ".len() + id.len() > 998 {
            return Err(Error::field(
                "key",
                format!(
                    "the key is {} characters long: the Message-ID made from it would not fit an email header's line",
                    letter.key.as_deref().map_or(0, |k| k.chars().count())
                ),
                "give the record a key of a few dozen characters, or choose another key field with --key",
            ));
        }
        let mut boundary = String::with_capacity(24);
        boundary.push_str("missive-");
        push_hex(&mut boundary, fnv1a(id.as_bytes()));
        let date = date(outputs, letter, envelope.clock)?;
        Ok(Heads { from, to, reply_to, date, id, boundary })
    }
}

impl Heads {
    /// The From, To and Reply-To headers whose display name lettre would write bare with a dot
    /// in it (`J.Kowalski <…>`: RFC 5322's obsolete syntax, and with a leading dot not even that,
    /// which some parsers fail on), written quoted instead. lettre leaves a name bare when it has
    /// only letters, digits, `-`, `_` and `.`; such a name needs no escaping inside quotes.
    fn quoted_names(&self) -> Vec<HeaderValue> {
        let boxes = [("From", Some(&self.from)), ("To", Some(&self.to)), ("Reply-To", self.reply_to.as_ref())];
        boxes.into_iter().filter_map(|(header, mailbox)| quoted_name(header, mailbox?)).collect()
    }
}

/// The `header` of `mailbox` written with its display name quoted, when lettre would write the
/// name bare with a dot in it (see [`Heads::quoted_names`]).
fn quoted_name(header: &'static str, mailbox: &Mailbox) -> Option<HeaderValue> {
    let Mailbox { name: Some(name), email } = mailbox else { return None };
    let bare = name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    (bare && name.contains('.')).then(|| {
        let value = format!("\"{name}\" <{email}>");
        HeaderValue::dangerous_new_pre_encoded(HeaderName::new_from_ascii_str(header), value.clone(), value)
    })
}

/// The sender's From and Reply-To mailboxes, checked and parsed: once, when the [`Outputs`]
/// are made (about 4,000 instructions a mailbox); a failure is reported by each email that
/// needs the sender.
pub(super) fn sender_mailboxes(sender: &Sender) -> Result<(Mailbox, Option<Mailbox>)> {
    let from = mailbox(&sender.company, &sender.email, "[sender] company", "[sender] email")?;
    let reply_to = match &sender.reply_to {
        Some(reply_to) => Some(mailbox(&sender.company, reply_to, "[sender] company", "[sender] reply_to")?),
        None => None,
    };
    Ok((from, reply_to))
}

/// The letter's own PDF, for a template that attaches it.
#[cfg(feature = "pdf")]
fn pdf_attachment(outputs: &Outputs, letter: &Letter) -> Result<Vec<u8>> {
    crate::emit::pdf::letter(outputs, letter)
}

#[cfg(not(feature = "pdf"))]
fn pdf_attachment(_: &Outputs, letter: &Letter) -> Result<Vec<u8>> {
    Err(Error::new(
        ErrorKind::Render,
        format!("`{}` attaches its PDF, and this build of missive has no PDF (the `pdf` feature)", letter.template),
    ))
}

fn content_language(letter: &Letter) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str("Content-Language"), letter.locale.clone())
}

/// A bulk letter's `List-Unsubscribe` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
/// (RFC 8058), written as they are: ASCII, percent-encoded, checked for length when rendered.
fn unsubscribe(letter: &Letter) -> Vec<HeaderValue> {
    let Some(value) = &letter.unsubscribe else { return Vec::new() };
    let raw = |name: &'static str, value: &str| {
        HeaderValue::dangerous_new_pre_encoded(HeaderName::new_from_ascii_str(name), value.into(), value.into())
    };
    vec![raw("List-Unsubscribe", value), raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
}

/// [`build`] with the text and HTML bodies encoded by `encode` (ours; lettre's in the test that
/// holds ours to lettre's bytes).
fn build_with(
    outputs: &Outputs,
    letter: &Letter,
    envelope: &Envelope<'_>,
    encode: fn(&str) -> Body,
) -> Result<Message> {
    let heads = Heads::of(outputs, letter, envelope)?;
    let quoted = heads.quoted_names();
    let Heads { from, to, reply_to, date, id, boundary } = heads;
    // The envelope lettre would derive from From and To, given so that it does not parse both
    // headers back.
    let smtp_envelope =
        lettre::address::Envelope::new(Some(from.email.clone()), vec![to.email.clone()]).map_err(|e| {
            Error::new(ErrorKind::Render, format!("cannot address the email of `{}`: {e}", letter.template))
        })?;
    // lettre writes a `Date` in UTC only; ours (with the zone's offset) replaces it in place.
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(letter.subject.clone())
        .date(std::time::SystemTime::from(date.timestamp()))
        .message_id(Some(id))
        .envelope(smtp_envelope);
    if let Some(reply_to) = reply_to {
        builder = builder.reply_to(reply_to);
    }
    let alternative = MultiPart::alternative()
        .boundary(boundary.clone())
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(encode(&letter.text)));
    let html = SinglePart::builder().header(ContentType::TEXT_HTML).body(encode(&letter.html));
    let alternative = match inline_image(outputs, letter) {
        None => alternative.singlepart(html),
        Some(image) => {
            let related = ContentType::parse(&related_type(&boundary)).map_err(|e| {
                Error::new(ErrorKind::Render, format!("internal: the multipart/related type does not parse: {e}"))
            })?;
            alternative.multipart(MultiPart::builder().header(related).singlepart(html).singlepart(image.part.clone()))
        }
    };
    let body = if letter.attachments.is_empty() && !letter.attach_pdf {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().boundary(format!("{boundary}-mixed")).multipart(alternative);
        if letter.attach_pdf {
            let bytes = pdf_attachment(outputs, letter)?;
            mixed = mixed.singlepart(Attachment::new(pdf_name(letter)).body(bytes, content_type_of("letter.pdf")));
        }
        for (i, attachment) in letter.attachments.iter().enumerate() {
            // An embedded file travels inside the attached PDF: not a second time beside it.
            if attachment.embed && letter.attach_pdf {
                continue;
            }
            let name = &attachment.file;
            // The name goes into Content-Type and Content-Disposition.
            check_header_text(&format!("attachments[{i}]"), name)?;
            let bytes = outputs.attachment(name)?;
            mixed = mixed.singlepart(Attachment::new(name.clone()).body(bytes, content_type_of(name)));
        }
        mixed
    };
    let mut message = builder
        .multipart(body)
        .map_err(|e| Error::new(ErrorKind::Render, format!("cannot build the email of `{}`: {e}", letter.template)))?;
    message.headers_mut().insert_raw(date_header(&date));
    quoted.into_iter().for_each(|v| message.headers_mut().insert_raw(v));
    message.headers_mut().insert_raw(content_language(letter));
    unsubscribe(letter).into_iter().for_each(|v| message.headers_mut().insert_raw(v));
    Ok(message)
}

/// A mailbox from a display name and an address, refusing what would corrupt a header.
fn mailbox(name: &str, address: &str, name_path: &str, address_path: &str) -> Result<Mailbox> {
    check_header_text(name_path, name)?;
    check_header_text(address_path, address)?;
    let ascii = ascii_address(address.trim(), address_path)?;
    let address = lettre::Address::from_str(&ascii).map_err(|e| {
        Error::new(ErrorKind::Record, format!("`{address_path}`: `{address}` is not an e-mail address: {e}"))
            .with_help("write it like \"anna.kowalska@example.pl\"")
    })?;
    let name = name.trim();
    Ok(Mailbox::new((!name.is_empty()).then(|| name.to_string()), address))
}

/// The address with an internationalised domain in its ASCII (punycode) form, as headers and
/// SMTP without the SMTPUTF8 extension need it; a non-ASCII mailbox name cannot be sent so.
pub fn ascii_address(address: &str, path: &str) -> Result<String> {
    let (local, domain) = address.rsplit_once('@').ok_or_else(|| {
        Error::new(ErrorKind::Record, format!("`{path}`: `{address}` is not an e-mail address: it has no `@`"))
            .with_help("write it like \"anna.kowalska@example.pl\"")
    })?;
    if !local.is_ascii() {
        return Err(Error::new(
            ErrorKind::Record,
            format!(
                "`{path}`: `{address}` has non-ASCII characters before the `@`, which most mail servers cannot deliver"
            ),
        )
        .with_help("ask the customer for an address with a plain-ASCII mailbox name"));
    }
    let domain = idna::domain_to_ascii(domain).map_err(|_| {
        Error::new(
            ErrorKind::Record,
            format!("`{path}`: the domain of `{address}` is not a valid internationalised domain"),
        )
        .with_help("check the part after `@`")
    })?;
    Ok([local, "@", &domain].concat())
}

/// The file name of the letter's own PDF: the record key (or the template id), in safe
/// characters only, e.g. `DEM-00000012.pdf`.
fn pdf_name(letter: &Letter) -> String {
    let stem: String = letter
        .key
        .as_deref()
        .unwrap_or(&letter.template)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .take(80)
        .collect();
    let stem = stem.trim_start_matches('.');
    format!("{}.pdf", if stem.is_empty() { "letter" } else { stem })
}

/// The MIME type of an attachment, by its extension ([`super::media_type`]), text in UTF-8.
fn content_type_of(name: &str) -> ContentType {
    let mime = super::media_type(name);
    let parsed = if mime.starts_with("text/") {
        ContentType::parse(&format!("{mime}; charset=utf-8"))
    } else {
        ContentType::parse(mime)
    };
    parsed.unwrap_or(ContentType::TEXT_PLAIN)
}

/// Header-bound text: no control characters (CR and LF above all), no bidi overrides.
pub fn check_header_text(what: &str, value: &str) -> Result<()> {
    // Every character refused starts with a byte below 0x20, 0x7F, 0xC2 (U+0080–U+009F), 0xD8
    // (U+061C), 0xE2 (U+2000–U+2FFF) or 0xEF (U+FEFF): text with none of those bytes, most
    // values, needs no decoding.
    if !value.bytes().any(|b| b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2 | 0xef)) {
        return Ok(());
    }
    if let Some(c) = value.chars().find(|&c| refused_in_header(c)) {
        return Err(Error::field(
            what,
            format!("contains U+{:04X}, which cannot go into an email header", c as u32),
            "remove line breaks, control characters and invisible or bidi marks from the value",
        ));
    }
    Ok(())
}

/// A control character, a line or paragraph separator, a bidi embedding, override, isolate or
/// mark, or an invisible character that makes two values look alike (zero-width space, word
/// joiner, byte order mark). Joiners (U+200C, U+200D) stay: scripts and emoji need them.
fn refused_in_header(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{200B}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
}

/// `<hash.key@domain>`: the same for the same standard, template, record key, batch and
/// revision.
pub fn message_id(standard: &str, letter: &Letter, envelope: &Envelope<'_>, domain: &str) -> String {
    let text_key;
    let key = match &letter.key {
        Some(key) if !key.is_empty() => key.as_str(),
        _ => {
            text_key = format!("{:016x}", fnv1a(letter.text.as_bytes()));
            &text_key
        }
    };
    // The hash of `{standard}\0{template}\0{key}\0{batch}`, taken piece by piece (FNV-1a reads
    // one byte after another, so it is the hash of the joined string without building it).
    let mut seed = Fnv::new();
    for (i, piece) in [standard, letter.template.as_str(), key, envelope.batch.unwrap_or("")].into_iter().enumerate() {
        if i > 0 {
            seed.write(&[0]);
        }
        seed.write(piece.as_bytes());
    }
    if let Some(revision) = envelope.revision {
        seed.write(format!("\u{0}revision {revision:016x}").as_bytes());
    }
    let mut id = String::with_capacity(key.len() + domain.len() + 20);
    id.push('<');
    push_hex(&mut id, seed.finish());
    id.push('.');
    id.extend(key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }));
    id.push('@');
    id.push_str(domain);
    id.push('>');
    id
}

/// `n` as sixteen lowercase hex digits (`{:016x}` without the formatter).
fn push_hex(out: &mut String, n: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.extend((0..16).rev().map(|i| char::from(DIGITS[((n >> (i * 4)) & 0xf) as usize])));
}

/// The moment `letter`'s email carries in its `Date` header (see [`header_date`]).
pub fn date(outputs: &Outputs, letter: &Letter, clock: Clock) -> Result<jiff::Zoned> {
    header_date(outputs, letter.date, clock)
}

/// The moment an email for a letter dated `date` carries in its `Date` header: `clock`'s, in the
/// standard's time zone; an error for a moment no email can carry (before 1970).
pub fn header_date(outputs: &Outputs, date: jiff::civil::Date, clock: Clock) -> Result<jiff::Zoned> {
    let zoned = clock.at(date, outputs.zone()?)?;
    // An email's Date header cannot carry a moment before 1970 (lettre would panic). With the
    // letter's own date as the clock (snapshots) that is the record's problem, named with the
    // field it comes from; otherwise the clock's.
    if zoned.timestamp() < jiff::Timestamp::UNIX_EPOCH {
        return Err(match clock {
            Clock::LetterNoon => Error::field(
                "_today",
                format!("the letter's date {date} is before 1970, which an email's Date header cannot carry"),
                "date the letter with `_today` or --today as YYYY-MM-DD, 1970-01-02 or later",
            ),
            _ => Error::new(
                ErrorKind::Usage,
                format!(
                    "the email's date {} is before 1970, which an email's Date header cannot carry",
                    zoned.timestamp()
                ),
            )
            .with_help("check the machine's clock, or pass --now with a moment after 1970"),
        });
    }
    Ok(zoned)
}

/// `Date: Mon, 07 Dec 2026 09:14:03 +0100` (RFC 5322): the moment with its zone's offset.
fn date_header(at: &jiff::Zoned) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str("Date"), at.strftime("%a, %d %b %Y %H:%M:%S %z").to_string())
}

/// [`date_header`]'s line, written digit by digit (jiff's `strftime` took 4,000 instructions a
/// letter); a moment it cannot write so (an offset with seconds) goes through `strftime`.
fn date_header_to(out: &mut Vec<u8>, at: &jiff::Zoned) {
    const DAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    const MONTHS: [&[u8; 3]; 12] =
        [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
    let offset = at.offset().seconds();
    let day = DAYS.get(usize::try_from(at.weekday().to_monday_zero_offset()).unwrap_or(7));
    let month = MONTHS.get(usize::try_from(at.month() - 1).unwrap_or(12));
    let (Some(day), Some(month), true, true) = (day, month, offset % 60 == 0, (1000..=9999).contains(&at.year()))
    else {
        return lettre_header(out, date_header(at));
    };
    let two = |n: i32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
    let year = i32::from(at.year());
    let minutes = offset.abs() / 60;
    out.extend_from_slice(b"Date: ");
    out.extend_from_slice(*day);
    out.extend_from_slice(b", ");
    out.extend_from_slice(&two(i32::from(at.day())));
    out.push(b' ');
    out.extend_from_slice(*month);
    out.push(b' ');
    out.extend_from_slice(&two(year / 100));
    out.extend_from_slice(&two(year));
    out.push(b' ');
    for (i, n) in [at.hour(), at.minute(), at.second()].into_iter().enumerate() {
        if i > 0 {
            out.push(b':');
        }
        out.extend_from_slice(&two(i32::from(n)));
    }
    out.extend_from_slice(if offset < 0 { b" -" } else { b" +" });
    out.extend_from_slice(&two(minutes / 60));
    out.extend_from_slice(&two(minutes % 60));
    out.extend_from_slice(b"\r\n");
}

/// The same moment as the `Date` header, as an mbox `From ` line writes it (asctime, the zone's
/// wall clock): `Mon Dec  7 09:14:03 2026`.
pub fn mbox_date(at: &jiff::Zoned) -> String {
    at.strftime("%a %b %e %H:%M:%S %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standard::Standard;

    #[test]
    fn header_text_refuses_line_breaks_and_bidi() {
        assert!(check_header_text("subject", "Faktura FV/1 od Example Bank").is_ok());
        for bad in
            ["A\r\nBcc: x@y.pl", "A\nB", "A\u{0}", "A\u{202E}B", "A\u{2028}B", "A\u{2029}", "A\u{200B}B", "\u{FEFF}A"]
        {
            assert!(check_header_text("subject", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_sender_is_parsed_once_and_a_bad_one_every_time() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let standard = Standard::load(root).expect("the bundled standard loads");
        let sender = &standard.config().sender;
        let outputs = Outputs::new(&standard);
        assert!(outputs.mailboxes.is_some(), "parsed when the outputs are made");
        let (from, _) = outputs.mailboxes().expect("the sender's mailboxes");
        assert_eq!(from.email.to_string(), sender.email);
        let dir = tempfile::tempdir().expect("a temporary folder");
        for folder in ["templates", "locales", "rules", "images", "fonts"] {
            copy_tree(&root.join(folder), &dir.path().join(folder));
        }
        let config = std::fs::read_to_string(root.join("missive.toml")).expect("missive.toml");
        let bad = config.replacen(&format!("email = \"{}\"", sender.email), "email = \"not an address\"", 1);
        assert_ne!(bad, config, "the sender's email is replaced");
        std::fs::write(dir.path().join("missive.toml"), bad).expect("writes");
        let standard = Standard::load(dir.path()).expect("a bad sender address still loads");
        let outputs = Outputs::new(&standard);
        for _ in 0..2 {
            let err = outputs.mailboxes().expect_err("a bad sender address is refused");
            assert!(err.to_string().contains("[sender] email"), "{err}");
        }
    }

    #[test]
    fn message_ids_are_the_hash_of_the_joined_seed() {
        // The formula as first written: the seed joined, then hashed.
        let reference = |standard: &str, letter: &Letter, batch: Option<&str>, domain: &str| {
            let key = letter
                .key
                .clone()
                .filter(|k| !k.is_empty())
                .unwrap_or_else(|| format!("{:016x}", fnv1a(letter.text.as_bytes())));
            let seed = format!("{standard}\u{0}{}\u{0}{key}\u{0}{}", letter.template, batch.unwrap_or(""));
            let safe: String =
                key.chars().map(|c| if c.is_ascii_alphanumeric() || "-_".contains(c) { c } else { '-' }).collect();
            format!("<{:016x}.{safe}@{domain}>", fnv1a(seed.as_bytes()))
        };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let standard = Standard::load(root).expect("the bundled standard loads");
        let record = serde_json::from_str(&std::fs::read_to_string(root.join("fixtures/invoice/lines.json")).unwrap())
            .expect("a fixture");
        let request = crate::Request { template: "invoice", origin: "test", ..Default::default() };
        let mut letter = standard.render(&request, &record).expect("renders");
        for key in [Some("INV-00000042"), Some("FV/2026 ż_1"), None] {
            letter.key = key.map(str::to_string);
            for batch in [None, Some("run-7")] {
                let ours = message_id("Standard", &letter, &Envelope { batch, ..Default::default() }, "example.pl");
                assert_eq!(ours, reference("Standard", &letter, batch, "example.pl"), "{key:?} {batch:?}");
                let revised = message_id(
                    "Standard",
                    &letter,
                    &Envelope { batch, revision: Some(7), ..Default::default() },
                    "example.pl",
                );
                assert_ne!(revised, ours, "a letter sent again after its record changed has its own Message-ID");
                assert!(revised.ends_with(ours.split_once('.').unwrap().1), "the same key and domain: {revised}");
            }
        }
    }

    #[test]
    fn header_text_is_refused_for_exactly_the_refused_characters() {
        for c in ('\u{0}'..='\u{3000}').chain(['\u{fefe}', '\u{feff}', '\u{ff01}', '\u{1f389}']) {
            let value = format!("Faktura {c} zł");
            assert_eq!(check_header_text("subject", &value).is_err(), refused_in_header(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn internationalised_domains_become_punycode() {
        assert_eq!(ascii_address("anna@żółw.pl", "to").unwrap(), "anna@xn--w-uga1v8h.pl");
        assert_eq!(ascii_address("anna@example.pl", "to").unwrap(), "anna@example.pl");
        assert!(ascii_address("żółw@example.pl", "to").unwrap_err().to_string().contains("non-ASCII"));
    }

    /// lettre's own encoding of a body, the reference ours must match byte for byte.
    fn lettre_body(text: &str) -> Body {
        Body::new(text.to_string())
    }

    /// Our bytes (written directly by `message`) and lettre's own (its builder and its body
    /// encoding); the message `build` gives the SMTP transport must format as lettre's too.
    fn both(standard: &Standard, letter: &Letter) -> (String, String) {
        let standard = &Outputs::new(standard);
        let envelope = Envelope { batch: Some("b1"), revision: None, clock: Clock::LetterNoon };
        let ours = message(standard, letter, &envelope).unwrap();
        let theirs = build_with(standard, letter, &envelope, lettre_body).unwrap().formatted();
        let built = build(standard, letter, &envelope).unwrap().formatted();
        assert_eq!(String::from_utf8_lossy(&built), String::from_utf8_lossy(&theirs), "build() differs from lettre");
        (String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap())
    }

    #[test]
    fn every_fixture_in_every_locale_gives_lettres_bytes() {
        let standard = Standard::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut compared = 0;
        for fixture in standard.fixtures().unwrap() {
            let Ok(serde_json::Value::Object(record)) = serde_json::from_str(&fixture.file.text) else { continue };
            let locales: Vec<String> = match record.get("_locales") {
                Some(serde_json::Value::Array(list)) => {
                    list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
                }
                _ => standard.locales().tags().into_iter().map(str::to_string).collect(),
            };
            for locale in &locales {
                let request = crate::Request {
                    template: &fixture.template,
                    locale: Some(locale),
                    today: Some(jiff::civil::date(2026, 11, 23)).filter(|_| record.get("_today").is_none()),
                    origin: "test",
                    ..Default::default()
                };
                let Ok(letter) = standard.render(&request, &record) else { continue };
                if letter.recipient.is_none() {
                    continue;
                }
                let (ours, theirs) = both(&standard, &letter);
                assert_eq!(ours, theirs, "{} {} {locale}", fixture.template, fixture.case);
                // The envelope we give is the one lettre derives from the headers.
                let message = build(&Outputs::new(&standard), &letter, &Envelope::default()).unwrap();
                let derived = lettre::address::Envelope::try_from(message.headers()).unwrap();
                assert_eq!(message.envelope(), &derived, "{} {} {locale}", fixture.template, fixture.case);
                compared += 1;
            }
        }
        assert!(compared >= 40, "only {compared} fixture letters compared");
    }

    /// The bundled invoice for `fixtures/invoice/lines.json`.
    fn invoice(standard: &Standard) -> Letter {
        let record = serde_json::from_str(include_str!("../../fixtures/invoice/lines.json")).unwrap();
        let request = crate::Request {
            template: "invoice",
            today: Some(jiff::civil::date(2026, 11, 23)),
            origin: "test",
            ..Default::default()
        };
        standard.render(&request, &record).unwrap()
    }

    #[test]
    fn a_display_name_with_a_dot_is_quoted_not_left_bare() {
        let standard = Standard::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut letter = invoice(&standard);
        for (name, header) in [
            ("J.Kowalski", "To: \"J.Kowalski\" <anna.kowalska@example.pl>\r\n"),
            (".", "To: \".\" <anna.kowalska@example.pl>\r\n"),
            ("Anna", "To: Anna <anna.kowalska@example.pl>\r\n"),
            ("Anna K.", "To: \"Anna K.\" <anna.kowalska@example.pl>\r\n"),
        ] {
            letter.recipient.as_mut().unwrap().name = name.into();
            let envelope = Envelope { clock: Clock::LetterNoon, ..Default::default() };
            let outputs = Outputs::new(&standard);
            let ours = String::from_utf8(message(&outputs, &letter, &envelope).unwrap()).unwrap();
            assert!(ours.contains(header), "{name}: {ours}");
            let built = build(&outputs, &letter, &envelope).unwrap().formatted();
            assert_eq!(String::from_utf8(built).unwrap(), ours, "{name}: message() and build() differ");
        }
    }

    #[test]
    fn hostile_bodies_give_lettres_bytes() {
        let standard = Standard::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let letter = invoice(&standard);
        let long = "Zażółć gęślą jaźń = ".repeat(30);
        let hostile = [
            format!("{long}\n.\n..\nFrom me\n>From you\ntrailing \ntab\t\n\n"),
            "plain ascii only\n".to_string(),
            "x".repeat(500),
            "crlf\r\nlone cr\r end ".to_string(),
            "=".repeat(200),
            String::new(),
        ];
        for text in &hostile {
            let mut hostile_letter = letter.clone();
            hostile_letter.text = text.clone();
            hostile_letter.html = format!("<p style=\"a:b\">{text}</p>");
            let (ours, theirs) = both(&standard, &hostile_letter);
            assert_eq!(ours, theirs, "{text:?}");
        }
        // Header values that need quoting, encoded words or folding.
        let names = [
            "Anna \"Ania\" Nowak",
            "Żaneta Łąka-Źdźbło, Przedsiębiorstwo Handlowe „Łąka” Sp. z o.o. oddział w Żyrardowie",
            "O'Brien (Biuro) <Sp. z o.o.>; a@b",
            "\\backslash\\",
            "   ",
            "Ёжик 🎉",
        ];
        let subjects = [
            "Faktura VAT nr FV/2026/11/0042 od Example Bank — prosimy o zapłatę w terminie, dziękujemy bardzo serdecznie".to_string(),
            "=?utf-8?q?looks_encoded?=".to_string(),
            "x".repeat(120),
            String::new(),
        ];
        for (i, name) in names.iter().enumerate() {
            let mut hostile_letter = letter.clone();
            if let Some(recipient) = hostile_letter.recipient.as_mut() {
                recipient.name = (*name).to_string();
            }
            hostile_letter.subject = subjects[i % subjects.len()].to_string();
            let (ours, theirs) = both(&standard, &hostile_letter);
            assert_eq!(ours, theirs, "{name:?}");
        }
    }

    #[test]
    fn the_logo_part_is_made_once_and_sent_only_when_the_html_shows_it() {
        let standard = Standard::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let outputs = Outputs::new(&standard);
        let image = outputs.logo.as_deref().expect("the bundled standard's emails show its logo");
        let formatted = String::from_utf8(image.formatted.clone()).unwrap();
        assert!(formatted.starts_with("Content-ID: <logo."), "{formatted}");
        let letter = invoice(&standard);
        let (ours, theirs) = both(&standard, &letter);
        assert_eq!(ours, theirs);
        // The part made with the outputs is copied into the message as it is.
        assert!(ours.contains(&format!("-related\r\n{formatted}--missive-")), "{ours}");
        assert_eq!(ours.matches("Content-ID:").count(), 1);
        // HTML that does not name the image (a shell without the logo) gets no related part.
        let mut plain = letter.clone();
        plain.html = plain.html.replace(&image.src, "\"logo.png\"");
        let (ours, theirs) = both(&standard, &plain);
        assert_eq!(ours, theirs);
        assert!(!ours.contains("multipart/related") && !ours.contains("Content-ID"), "{ours}");
    }

    #[test]
    fn a_bulk_letters_unsubscribe_headers_give_lettres_bytes() {
        let standard = Standard::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut letter = invoice(&standard);
        letter.unsubscribe = Some("<https://bank.example.pl/u?c=a%40b.pl>, <mailto:wypisz@example.pl>".into());
        let (ours, theirs) = both(&standard, &letter);
        assert!(
            ours.contains("\r\nList-Unsubscribe: <https://bank.example.pl/u?c=a%40b.pl>, <mailto:wypisz@example.pl>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
            "{ours}"
        );
        assert_eq!(ours, theirs);
    }

    #[test]
    fn a_reply_to_address_gives_lettres_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["templates", "locales", "rules", "images", "fonts"] {
            copy_tree(&root.join(folder), &dir.path().join(folder));
        }
        let config = std::fs::read_to_string(root.join("missive.toml")).unwrap();
        assert!(config.contains("[sender]"));
        let config = config.replacen("[sender]", "[sender]\nreply_to = \"odpowiedzi@example.pl\"", 1);
        std::fs::write(dir.path().join("missive.toml"), config).unwrap();
        let standard = Standard::load(dir.path()).unwrap();
        assert!(standard.config().sender.reply_to.is_some());
        let letter = invoice(&standard);
        let (ours, theirs) = both(&standard, &letter);
        assert!(ours.contains("Reply-To: "), "{ours}");
        assert_eq!(ours, theirs);
    }

    #[test]
    fn date_lines_are_strftimes() {
        let zones = ["Europe/Warsaw", "UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"];
        let mut checked = 0;
        for zone in zones {
            let tz = jiff::tz::TimeZone::get(zone).unwrap();
            // Every few hours over decades, across leap years and daylight-saving changes.
            for step in 0..20_000i64 {
                let at = jiff::Timestamp::from_second(step * 97_213 + 3_599).unwrap().to_zoned(tz.clone());
                let (mut ours, mut theirs) = (Vec::new(), Vec::new());
                date_header_to(&mut ours, &at);
                lettre_header(&mut theirs, date_header(&at));
                assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap(), "{at}");
                checked += 1;
            }
        }
        // An offset with seconds (Liberia until 1972) goes through strftime.
        let monrovia =
            jiff::Timestamp::from_second(0).unwrap().to_zoned(jiff::tz::TimeZone::get("Africa/Monrovia").unwrap());
        assert_ne!(monrovia.offset().seconds() % 60, 0);
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        date_header_to(&mut ours, &monrovia);
        lettre_header(&mut theirs, date_header(&monrovia));
        assert_eq!(ours, theirs);
        assert!(checked > 100_000);
    }

    /// lettre's own line for a mailbox header: its builder's header, our quoting on top.
    fn lettre_mailbox_line(name: &'static str, mailbox: &Mailbox) -> String {
        lettre_mailbox_header(name, mailbox).to_string()
    }

    #[test]
    fn hex_is_the_formatters() {
        for n in [0, 1, 0xf, 0x10, 0xdead_beef, u64::MAX, fnv1a(b"boundary"), 1 << 63] {
            let mut ours = String::new();
            push_hex(&mut ours, n);
            assert_eq!(ours, format!("{n:016x}"));
        }
    }

    #[test]
    fn encoded_word_names_around_the_line_limit_are_lettres() {
        let address = lettre::Address::new("anna.kowalska", "example.pl").unwrap();
        for len in 1..60 {
            for tail in ["ą", "a", ",", "\"", " "] {
                let display = format!("Ł{}{tail}x", "a".repeat(len));
                let mailbox = Mailbox::new(Some(display), address.clone());
                for name in ["From", "To", "Reply-To"] {
                    let mut ours = Vec::new();
                    mailbox_header(&mut ours, name, &mailbox);
                    assert_eq!(String::from_utf8(ours).unwrap(), lettre_mailbox_line(name, &mailbox), "{len}");
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]

        /// Header values written directly are lettre's encoder's lines: short and long, with
        /// and without spaces, ASCII and not.
        #[test]
        fn text_headers_are_lettres(value in "([A-Za-z0-9<>@./=?_-]{1,30}|[ ]{1,3}|[ąłżŻ€🎉]{1,3}|\t){0,12}") {
            for name in ["Subject", "Message-ID", "Content-Language"] {
                let mut ours = Vec::new();
                text_header(&mut ours, name, &value);
                let mut theirs = Vec::new();
                lettre_header(&mut theirs, HeaderValue::new(HeaderName::new_from_ascii_str(name), value.clone()));
                proptest::prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
            }
        }

        /// Mailbox lines written directly are lettre's (with our quoting of a bare dotted name).
        #[test]
        fn mailbox_headers_are_lettres(
            display in proptest::option::of("([A-Za-z0-9._-]{1,20}|[ ]{1,2}|[\"(),;<>\\\\]|[ąłŻ]{1,2}){1,8}"),
            local in "[a-z0-9_-]{1,20}(\\.[a-z0-9_-]{1,20}){0,2}",
        ) {
            let address = lettre::Address::new(format!("x{local}x"), "example.pl").unwrap();
            let display = display.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
            let mailbox = Mailbox::new(display, address);
            for name in ["From", "To", "Reply-To"] {
                let mut ours = Vec::new();
                mailbox_header(&mut ours, name, &mailbox);
                proptest::prop_assert_eq!(String::from_utf8(ours).unwrap(), lettre_mailbox_line(name, &mailbox));
            }
        }
    }

    fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy_tree(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
}
