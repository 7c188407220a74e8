//! mbox (mboxrd): many messages in one file, each after a `From ` line, with `From ` lines inside
//! messages quoted so that readers split the file exactly where we did.
//!
//! A batch's entry ([`entry`]) is written in mbox form as its message is made (LF line ends,
//! quoting only where a line can start with `From `: in a body), not made with CRLF and copied
//! line by line (41,000 instructions a letter); [`append`] is that copy as first written, the
//! reference the tests hold the others to.

use std::io::{self, Write};

use super::Outputs;
use super::email::{self, Envelope};
use crate::clock::Clock;
use crate::error::Result;
use crate::render::Letter;

/// Appends one message (as built by [`email::message`]) to an mbox.
pub fn append(out: &mut dyn Write, sender: &str, date: &str, message: &[u8]) -> io::Result<()> {
    writeln!(out, "From {sender} {date}")?;
    // Stored with LF line ends; lines starting with `From ` (after any `>`) gain one more `>`.
    let text = String::from_utf8_lossy(message);
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim_start_matches('>').starts_with("From ") {
            out.write_all(b">")?;
        }
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The mbox entry of `letter`'s email, byte for byte what [`append`] writes for
/// [`email::message`]'s bytes: its `From ` line (the sender and the moment of its `Date`
/// header), the message with LF line ends and `From ` lines quoted, a blank line. Never
/// inlined, so that `scripts/stage_costs.sh` sees it.
#[inline(never)]
pub fn entry(outputs: &Outputs, letter: &Letter, envelope: &Envelope<'_>) -> Result<Vec<u8>> {
    // The `From ` line and the `Date` header tell the same moment.
    let at = email::date(outputs, letter, envelope.clock)?;
    let envelope = Envelope { clock: Clock::Fixed(at.timestamp()), ..envelope.clone() };
    let sender = outputs.sender().email.as_bytes();
    let date = email::mbox_date(&at);
    let mut from_line = Vec::with_capacity(sender.len() + date.len() + 7);
    for piece in [b"From ".as_slice(), sender, b" ", date.as_bytes(), b"\n"] {
        from_line.extend_from_slice(piece);
    }
    email::mbox_entry(outputs, letter, &envelope, &from_line)
}

/// Whether a line reads `From ` after any `>`: mboxrd gives it one `>` more.
#[inline]
pub(crate) fn quoted(line: &[u8]) -> bool {
    let unquoted = line.iter().position(|&b| b != b'>').and_then(|n| line.get(n..)).unwrap_or_default();
    unquoted.starts_with(b"From ")
}

/// `fragment` of a message (starting at a line's start) in mbox form, appended to `out`: each
/// line that ends in LF without the CR before it, quoted when it reads `From `; the rest (a line
/// the message goes on with) quoted and copied as it is.
pub(crate) fn lines(fragment: &[u8], out: &mut Vec<u8>) {
    let mut rest = fragment;
    while let Some(end) = memchr::memchr(b'\n', rest) {
        let (line, tail) = rest.split_at(end + 1);
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if quoted(line) {
            out.push(b'>');
        }
        out.extend_from_slice(line);
        out.push(b'\n');
        rest = tail;
    }
    if quoted(rest) {
        out.push(b'>');
    }
    out.extend_from_slice(rest);
}

/// A whole message's mbox entry after `from_line`: [`append`] without its per-line UTF-8 pass,
/// for the messages not written in mbox form (signed, or with attachments).
pub(crate) fn converted(from_line: &[u8], message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(from_line.len() + message.len() + 2);
    out.extend_from_slice(from_line);
    // The last line, with or without an LF before it, ends like every other.
    let cut = memchr::memrchr(b'\n', message).map_or(0, |i| i + 1);
    let (whole, last) = message.split_at(cut);
    lines(whole, &mut out);
    let last = last.strip_suffix(b"\r").unwrap_or(last);
    lines(last, &mut out);
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn from_lines_are_quoted_and_line_ends_are_lf() {
        let mut out = Vec::new();
        append(&mut out, "a@b.pl", "Mon Nov 23 00:00:00 2026", b"Subject: x\r\n\r\nFrom here\r\n>From there\r\n")
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "From a@b.pl Mon Nov 23 00:00:00 2026\nSubject: x\n\n>From here\n>>From there\n\n"
        );
    }

    /// [`append`]'s bytes for `message`.
    fn appended(message: &str) -> Vec<u8> {
        let mut expected = Vec::new();
        append(&mut expected, "a@b.pl", "Mon Nov 23 00:00:00 2026", message.as_bytes()).unwrap();
        expected
    }

    #[test]
    fn converted_messages_are_appended_ones() {
        let messages = [
            "Subject: x\r\n\r\nFrom here\r\n>From there\r\n>>From\r\nFromage\r\nżółw\r\n",
            "From the first line\r\nno line end at the end",
            "\n\n\r\n\rFrom \n>From \n",
            "ends with a lone CR\r",
            "\r",
            ">",
            "",
        ];
        for message in messages {
            let converted = converted(b"From a@b.pl Mon Nov 23 00:00:00 2026\n", message.as_bytes());
            assert_eq!(String::from_utf8_lossy(&converted), String::from_utf8_lossy(&appended(message)), "{message:?}");
        }
    }

    /// Messages made of the lines mboxrd cares about: `From ` after any number of `>`, lines
    /// that only start like one, CR alone, LF alone, CRLF, empty lines, Polish letters, and a
    /// last line with or without its end.
    pub(crate) fn mbox_lines() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => "[a-zA-Z0-9 =:;.,-]{0,20}",
            2 => Just("From ".to_string()),
            2 => "[>]{1,3}From ",
            1 => Just("From".to_string()),
            1 => Just("Fromage".to_string()),
            1 => Just(">".to_string()),
            1 => Just(" From ".to_string()),
            2 => "[ąćęłńóśźżĄŻ]{1,4}",
            3 => Just("\r\n".to_string()),
            2 => Just("\n".to_string()),
            1 => Just("\r".to_string()),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    /// The reference entry of `letter`: its message made with CRLF, then [`append`]ed.
    fn reference_entry(outputs: &Outputs, letter: &Letter, envelope: &Envelope<'_>) -> Vec<u8> {
        let at = email::date(outputs, letter, envelope.clock).unwrap();
        let envelope = Envelope { clock: Clock::Fixed(at.timestamp()), ..envelope.clone() };
        let message = email::message(outputs, letter, &envelope).unwrap();
        let mut out = Vec::new();
        append(&mut out, &outputs.sender().email, &email::mbox_date(&at), &message).unwrap();
        out
    }

    fn bundled() -> crate::Standard {
        crate::Standard::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// The bundled invoice for `fixtures/invoice/lines.json`.
    fn invoice(standard: &crate::Standard) -> Letter {
        let record = serde_json::from_str(include_str!("../../fixtures/invoice/lines.json")).unwrap();
        let request = crate::Request {
            template: "invoice",
            today: Some(jiff::civil::date(2026, 11, 23)),
            origin: "test",
            ..Default::default()
        };
        standard.render(&request, &record).unwrap()
    }

    fn envelope() -> Envelope<'static> {
        Envelope { batch: Some("b1"), revision: None, clock: Clock::LetterNoon }
    }

    #[test]
    fn every_fixture_in_every_locale_gives_the_entry_of_its_message() {
        let standard = bundled();
        let outputs = Outputs::new(&standard);
        let mut compared = 0;
        for fixture in standard.fixtures().unwrap() {
            let Ok(serde_json::Value::Object(record)) = serde_json::from_str(&fixture.file.text) else { continue };
            for locale in standard.locales().tags() {
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
                // Twice: the second copies the shell's lines this thread made in mbox form.
                for _ in 0..2 {
                    let ours = entry(&outputs, &letter, &envelope()).unwrap();
                    let theirs = reference_entry(&outputs, &letter, &envelope());
                    assert_eq!(
                        String::from_utf8_lossy(&ours),
                        String::from_utf8_lossy(&theirs),
                        "{} {} {locale}",
                        fixture.template,
                        fixture.case
                    );
                }
                compared += 1;
            }
        }
        assert!(compared >= 40, "only {compared} fixture letters compared");
    }

    #[test]
    fn bodies_lettre_encodes_and_lone_crs_give_the_entry_of_their_message() {
        let standard = bundled();
        let outputs = Outputs::new(&standard);
        let letter = invoice(&standard);
        let bodies = [
            // More than a third escaped: base64, by lettre.
            "ąęółżźćń\nFrom ąę\n".repeat(20),
            "From the first line\r\n>From\r\rFrom \r".to_string(),
            "x".repeat(300) + "\nFrom " + &"y".repeat(80),
            "ascii only\nFrom me\n>>From you\n\rFrom\r".to_string(),
            String::new(),
        ];
        for body in bodies {
            let mut hostile = letter.clone();
            hostile.text = body.clone();
            hostile.html = format!("From <p>{body}</p>\n{body}");
            hostile.verbatim.clear();
            assert_eq!(
                entry(&outputs, &hostile, &envelope()).unwrap(),
                reference_entry(&outputs, &hostile, &envelope())
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// A letter whose text, HTML and shell hold lines mboxrd quotes, CR and LF alone, long
        /// lines that break inside quoted-printable: written in mbox form, its entry is the
        /// one made from its message.
        #[test]
        fn letters_written_in_mbox_form_give_the_entry_of_their_message(
            text in mbox_lines(),
            body in mbox_lines(),
            head in mbox_lines(),
            foot in mbox_lines(),
            long in 60usize..90,
        ) {
            use crate::template::shell::{BODY, Shell};
            thread_local! { static STANDARD: crate::Standard = bundled(); }
            STANDARD.with(|standard| {
                let outputs = Outputs::new(standard);
                let mut letter = invoice(standard);
                let src = format!("{head}\nFrom {}\n{BODY}\n{foot}\nFrom the shell\n", "s".repeat(long));
                let shell = Shell::split(&src).unwrap();
                let (html, verbatim) = shell.fill("S", "", &format!("{}{body}", "b".repeat(long)));
                letter.text = format!("{}{text}", "t".repeat(long));
                (letter.html, letter.verbatim) = (html, verbatim);
                for _ in 0..2 {
                    let ours = entry(&outputs, &letter, &envelope()).unwrap();
                    prop_assert_eq!(ours, reference_entry(&outputs, &letter, &envelope()));
                }
                Ok(())
            })?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// The byte-wise conversion is the simple one's, on any message.
        #[test]
        fn conversions_are_the_simple_ones(message in mbox_lines()) {
            let converted = converted(b"From a@b.pl Mon Nov 23 00:00:00 2026\n", message.as_bytes());
            prop_assert_eq!(converted, appended(&message));
        }

        /// A message's fragments, each from a line start, convert as the whole: what the
        /// email writer relies on when it writes parts in mbox form one after another.
        #[test]
        fn fragments_convert_as_the_whole(message in mbox_lines(), cut in 0usize..400) {
            let starts: Vec<usize> =
                std::iter::once(0).chain(memchr::memchr_iter(b'\n', message.as_bytes()).map(|i| i + 1)).collect();
            let at = starts[cut % starts.len()];
            let whole = message.as_bytes();
            let mut pieces = Vec::new();
            lines(&whole[..at], &mut pieces);
            lines(&whole[at..], &mut pieces);
            let mut once = Vec::new();
            lines(whole, &mut once);
            prop_assert_eq!(pieces, once);
        }
    }
}
