//! Tracing a finding back to the source that produced the offending text.
//!
//! Without a trace, a finding's text is looked for in the standard's files line by line
//! ([`locate`]). A traced render ([`crate::template::Engine::render_traced`]) also lists the
//! messages `t()` printed, in order; [`Tracer`] lines them up with the letter's folded text, so
//! a finding on a phrase, or about a region missing one, points at the message that printed
//! that text in the letter's language, with the partial printing it and the template line
//! including that partial as related places.

use std::cell::OnceCell;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Related, Spot};
use crate::locale::Locales;
use crate::rules::text::Folded;
use crate::source::{Location, SourceFile};
use crate::template::Printed;

/// The first place in `sources` whose line holds `found` (folded: case, spacing and punctuation
/// do not matter). Text that came from a record is in no source, and gets `None`.
pub fn locate(found: &str, sources: &[&SourceFile]) -> Option<Location> {
    let needle = format!(" {} ", Folded::phrase(found));
    if needle.trim().is_empty() {
        return None;
    }
    for file in sources {
        let mut offset = 0;
        for line in file.text.split_inclusive('\n') {
            let folded = Folded::new(line);
            if let Some(at) = folded.text.find(&needle) {
                let range = folded.original(at + 1..at + needle.len() - 1, line);
                return Some(file.location(offset + range.start..offset + range.end));
            }
            offset += line.len();
        }
    }
    None
}

/// The byte range of `found` (folded) within `range` of `file`, on one line.
fn locate_in(found: &str, file: &SourceFile, range: Range<usize>) -> Option<Location> {
    let needle = format!(" {} ", Folded::phrase(found));
    if needle.trim().is_empty() {
        return None;
    }
    let text = file.text.get(range.clone())?;
    let mut offset = range.start;
    for line in text.split_inclusive('\n') {
        let folded = Folded::new(line);
        if let Some(at) = folded.text.find(&needle) {
            let r = folded.original(at + 1..at + needle.len() - 1, line);
            return Some(file.location(offset + r.start..offset + r.end));
        }
        offset += line.len();
    }
    None
}

/// A letter as a traced render made it: its text and subject, and the messages `t()` printed
/// into each, in order.
pub struct Traced<'a> {
    /// The plain-text rendition.
    pub text: &'a str,
    /// The messages printed into the body.
    pub body: &'a [Printed],
    /// The subject line.
    pub subject: &'a str,
    /// The messages printed into the subject.
    pub subject_printed: &'a [Printed],
}

/// The files a letter's words can come from.
pub struct Sources<'a> {
    /// The template (its front matter holds the subject).
    pub template: &'a SourceFile,
    /// Every partial (`templates/partials/…`).
    pub partials: &'a [SourceFile],
    /// Every language: messages are defined in `locale`'s files; the others say in their own
    /// words what a message is for.
    pub locales: &'a Locales,
    /// The letter's language.
    pub locale: usize,
}

/// Folded text, and where each printed message found in it is: (its index, folded range).
type Aligned = (Folded, Vec<(usize, Range<usize>)>);

/// A file reachable from a template, with the file including it (its index in the list) and
/// the include tag's range there; the template itself has none.
pub(crate) type Reached<'f> = (&'f SourceFile, Option<(usize, Range<usize>)>);

/// Traces the findings of one letter, folding its text once for all of them.
pub struct Tracer<'a> {
    traced: Traced<'a>,
    sources: Sources<'a>,
    /// The folded text and, per printed message found in it, (index, folded range).
    text: OnceCell<Aligned>,
    subject: OnceCell<Aligned>,
}

impl<'a> Tracer<'a> {
    /// A tracer of the letter `traced`, made from `sources`.
    pub fn new(traced: Traced<'a>, sources: Sources<'a>) -> Tracer<'a> {
        Tracer { traced, sources, text: OnceCell::new(), subject: OnceCell::new() }
    }

    /// Where `finding` is to be edited, and the places leading there; `None` when no printed
    /// message made its text (then it came from the template's own words or from the record).
    ///
    /// A finding on a phrase points at the phrase in the message that printed it. A finding
    /// about a region missing a phrase (`says` tells whether folded text holds one of the
    /// rule's phrases in a language) points at the region's message whose wording in another
    /// language holds the phrase (the place the phrase belongs), else at the region's first
    /// message.
    pub fn trace(&self, finding: &Diagnostic, says: &dyn Fn(&str, &str) -> bool) -> Option<(Location, Vec<Related>)> {
        let in_subject = finding.spot.as_ref().is_some_and(|s| s.subject);
        let (folded, aligned, original, printed) = if in_subject {
            let (f, a) = self.subject.get_or_init(|| align(self.traced.subject, self.traced.subject_printed));
            (f, a, self.traced.subject, self.traced.subject_printed)
        } else {
            let (f, a) = self.text.get_or_init(|| align(self.traced.text, self.traced.body));
            (f, a, self.traced.text, self.traced.body)
        };
        let spot = match (&finding.spot, &finding.found) {
            (Some(Spot { range, .. }), _) => {
                folded.folded_at(range.start, original)..folded.folded_at(range.end, original)
            }
            (None, Some(found)) => {
                let needle = format!(" {} ", Folded::phrase(found));
                let at = folded.text.find(&needle)?;
                at + 1..at + needle.len() - 1
            }
            (None, None) => return None,
        };
        let within: Vec<usize> = aligned
            .iter()
            .filter(|(_, r)| r.start < spot.end.max(spot.start + 1) && spot.start < r.end)
            .map(|(i, _)| *i)
            .collect();
        if let Some(found) = &finding.found {
            let id = &printed.get(*within.first()?)?.id;
            let (file, entry) = self.entry(self.sources.locale, id)?;
            let location = locate_in(found, file, entry.clone()).unwrap_or_else(|| self.id_location(file, &entry, id));
            return Some((location, self.callers(id)));
        }
        let ids: Vec<&str> = within.iter().filter_map(|&i| printed.get(i)).map(|p| p.id.as_str()).collect();
        let belongs = ids.iter().copied().find(|id| {
            self.sources.locales.iter().enumerate().filter(|(i, _)| *i != self.sources.locale).any(|(i, other)| {
                // The wording only: an id such as `closing-thanks` says nothing itself.
                self.entry(i, id)
                    .and_then(|(file, entry)| file.text.get(entry))
                    .and_then(|text| text.split_once('=').map(|(_, wording)| wording))
                    .is_some_and(|wording| says(&other.tag, &Folded::text(wording)))
            })
        });
        let id = belongs.or_else(|| ids.first().copied())?;
        let (file, entry) = self.entry(self.sources.locale, id)?;
        Some((self.id_location(file, &entry, id), self.callers(id)))
    }

    /// The file and byte range of message `id`'s entry (`closing-thanks = …` and its indented
    /// lines) in locale number `locale`.
    fn entry(&self, locale: usize, id: &str) -> Option<(&'a SourceFile, Range<usize>)> {
        let message = id.split('.').next().unwrap_or(id);
        let (_, file, at) = self.sources.locales.get(locale).bundle.ids().find(|(i, _, _)| *i == message)?;
        Some((file, at..entry_end(&file.text, at)))
    }

    /// The id of message `id` at the start of its entry.
    fn id_location(&self, file: &SourceFile, entry: &Range<usize>, id: &str) -> Location {
        let message = id.split('.').next().unwrap_or(id);
        file.location(entry.start..entry.start + message.len())
    }

    /// The template's path to the first `t()` call printing `id`: the call, then each include
    /// leading to its file, innermost first.
    fn callers(&self, id: &str) -> Vec<Related> {
        let files = reachable(self.sources.template, self.sources.partials);
        let Some((index, call)) =
            files.iter().enumerate().find_map(|(i, (file, _))| calls(file, id).into_iter().next().map(|c| (i, c)))
        else {
            return Vec::new();
        };
        let mut out = vec![Related { location: files[index].0.location(call), note: format!("prints `{id}`") }];
        out.extend(included(&files, index));
        out
    }
}

/// The folded `text`, and where each printed message is in it: each looked for after the one
/// before (messages print in order), a message not found (printed into a variable, say)
/// skipped.
fn align(text: &str, printed: &[Printed]) -> Aligned {
    let folded = Folded::new(text);
    let mut out = Vec::new();
    let mut from = 0;
    for (i, p) in printed.iter().enumerate() {
        let needle = Folded::text(&p.text);
        if needle.trim().is_empty() {
            continue;
        }
        if let Some(at) = folded.text.get(from..).and_then(|rest| rest.find(&needle)) {
            let start = from + at;
            out.push((i, start + 1..start + needle.len() - 1));
            from = start + needle.len() - 1;
        }
    }
    (folded, out)
}

/// The end of the Fluent entry starting at `at`: its first line, and the indented or blank
/// lines after it (trailing blank lines left out).
fn entry_end(text: &str, at: usize) -> usize {
    let mut end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let mut last = end;
    while end < text.len() {
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        let line = &text[end..line_end];
        if line.trim().is_empty() {
            end = line_end;
        } else if line.starts_with([' ', '\t']) {
            end = line_end;
            last = end;
        } else {
            break;
        }
    }
    last
}

/// The template and the partials it includes, directly or through others, in the order met.
pub(crate) fn reachable<'f>(template: &'f SourceFile, partials: &'f [SourceFile]) -> Vec<Reached<'f>> {
    let mut out: Vec<Reached<'f>> = vec![(template, None)];
    let mut next = 0;
    while next < out.len() {
        for (range, name) in includes(out[next].0) {
            let found = partials.iter().find(|p| p.name.strip_prefix("templates/") == Some(name));
            if let Some(partial) = found
                && !out.iter().any(|(f, _)| f.name == partial.name)
            {
                out.push((partial, Some((next, range))));
            }
        }
        next += 1;
    }
    out
}

/// The include tags leading from the template to file number `index` of `reached`, innermost
/// first.
pub(crate) fn included(reached: &[Reached<'_>], mut index: usize) -> Vec<Related> {
    let mut out = Vec::new();
    while let Some(Some((parent, range))) = reached.get(index).map(|(_, p)| p.clone()) {
        let name = reached[index].0.name.trim_start_matches("templates/");
        let Some((file, _)) = reached.get(parent) else { break };
        out.push(Related { location: file.location(range), note: format!("includes `{name}`") });
        index = parent;
    }
    out
}

/// The `{% include "…" %}` tags of a file: each tag's range and the name it includes.
fn includes(file: &SourceFile) -> Vec<(Range<usize>, &str)> {
    let text = &*file.text;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|rest| rest.find("{%")).map(|i| from + i) {
        let Some(close) = text[open..].find("%}").map(|i| open + i + 2) else { break };
        let inner = text[open + 2..close - 2].trim_matches('-').trim();
        if let Some(rest) = inner.strip_prefix("include") {
            let rest = rest.trim_start();
            if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))
                && let Some(name) = rest[1..].split(quote).next()
            {
                out.push((open..close, name));
            }
        }
        from = close;
    }
    out
}

/// The `{{ … }}` tags of a file calling `t()` with the literal id `id`, or the id alone where
/// it is not inside such a tag.
pub(crate) fn calls(file: &SourceFile, id: &str) -> Vec<Range<usize>> {
    let text = &*file.text;
    let quoted = [format!("\"{id}\""), format!("'{id}'")];
    let mut out = Vec::new();
    for needle in &quoted {
        for (at, _) in text.match_indices(needle.as_str()) {
            let before = text[..at].trim_end();
            let Some(before) = before.strip_suffix('=') else { continue };
            if !before.trim_end().ends_with("id") {
                continue;
            }
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let open = text[line_start..at].rfind("{{").map(|i| line_start + i);
            let close = text[at..].find("}}").map(|i| at + i + 2);
            out.push(match (open, close) {
                (Some(open), Some(close)) if !text[open..close].contains('\n') => open..close,
                _ => at + 1..at + 1 + id.len(),
            });
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    #[test]
    fn includes_calls_and_entries_are_read_from_the_files() {
        let template = SourceFile::new(
            "templates/a.tera",
            "+++\nsubject = '{{ t(id=\"subj\") }}'\n+++\nx\n{%- include \"partials/b.tera\" -%}\n",
        );
        let partials = [
            SourceFile::new("templates/partials/b.tera", "{% include 'partials/c.tera' %}\n"),
            SourceFile::new("templates/partials/c.tera", "Hi {{ t( id = \"thanks\" ) }} {{ t(id=other) }}\n"),
            SourceFile::new("templates/partials/unused.tera", "{{ t(id=\"thanks\") }}\n"),
        ];
        let files = reachable(&template, &partials);
        let names: Vec<&str> = files.iter().map(|(f, _)| &*f.name).collect();
        assert_eq!(names, ["templates/a.tera", "templates/partials/b.tera", "templates/partials/c.tera"]);
        let (parent, range) = files[2].1.clone().unwrap();
        assert_eq!((parent, &partials[0].text[range]), (1, "{% include 'partials/c.tera' %}"));
        let call = calls(&partials[1], "thanks");
        assert_eq!(
            call.iter().map(|r| &partials[1].text[r.clone()]).collect::<Vec<_>>(),
            ["{{ t( id = \"thanks\" ) }}"]
        );
        assert_eq!(calls(&template, "subj").len(), 1);
        assert!(calls(&partials[1], "other").is_empty());

        let ftl = "a = one\nb =\n    two\n\n    three\n\n# c\nc = four\n";
        let b = ftl.find("b =").unwrap();
        assert_eq!(&ftl[b..entry_end(ftl, b)], "b =\n    two\n\n    three\n");
        assert_eq!(&ftl[0..entry_end(ftl, 0)], "a = one\n");
    }

    #[test]
    fn printed_messages_are_lined_up_in_order() {
        let printed = |id: &str, text: &str| Printed { id: id.into(), text: text.into() };
        let list = [
            printed("thanks", "Z poważaniem."),
            printed("unprinted", "nowhere"),
            printed("formula", "Z **poważaniem**"),
            printed("empty", " "),
        ];
        let text = "Treść.\n\nZ poważaniem.\n\nZ poważaniem\nDział\n";
        let (folded, aligned) = align(text, &list);
        let found: Vec<(usize, &str)> = aligned.iter().map(|(i, r)| (*i, &folded.text[r.clone()])).collect();
        assert_eq!(found, [(0, "z poważaniem"), (2, "z poważaniem")]);
        // The second is the second occurrence.
        assert!(aligned[1].1.start > aligned[0].1.end);
    }

    fn locales(pl: &str, en: &str) -> Locales {
        use crate::locale::format::{Formats, Grouping};
        let make = |tag: &str, text: &str| {
            let formats = std::sync::Arc::new(Formats::new(tag, Grouping::Cldr).unwrap());
            let id: unic_langid::LanguageIdentifier = tag.parse().unwrap();
            let file = SourceFile::new(format!("locales/{tag}/common.ftl"), text.to_string());
            let bundle = crate::locale::fluent::Bundle::load(id.clone(), formats.clone(), &[file]).unwrap();
            crate::locale::Locale { tag: tag.into(), id, formats, bundle }
        };
        Locales::new(vec![make("pl", pl), make("en", en)], "pl").unwrap()
    }

    #[test]
    fn a_missing_phrase_points_at_the_message_whose_other_wording_says_it() {
        let pl = "thanks-closing = Z poważaniem.\nformula = Z poważaniem\nsig = Dział\n";
        let en = "thanks-closing = Kind regards.\nformula = With thanks\nsig = Department\n";
        let locales = locales(pl, en);
        let template = SourceFile::new("templates/a.tera", "x\n{% include \"partials/end.tera\" %}\n");
        let partials = [SourceFile::new(
            "templates/partials/end.tera",
            "{{ t(id=\"thanks-closing\") }}\n\n{{ t(id=\"formula\") }}\\\n{{ t(id=\"sig\") }}\n",
        )];
        let text = "Treść.\n\nZ poważaniem.\n\nZ poważaniem\nDział\n";
        let printed = |id: &str, text: &str| Printed { id: id.into(), text: text.into() };
        let body =
            [printed("thanks-closing", "Z poważaniem."), printed("formula", "Z poważaniem"), printed("sig", "Dział")];
        let tracer = Tracer::new(
            Traced { text, body: &body, subject: "", subject_printed: &[] },
            Sources { template: &template, partials: &partials, locales: &locales, locale: 0 },
        );
        let mut finding = Diagnostic::error("courtesy.missing-thanks", "no thanks");
        finding.spot = Some(Spot { subject: false, range: text.find("Z pow").unwrap()..text.len() });
        let says = |tag: &str, folded: &str| tag == "en" && folded.contains(" thank");
        let (location, related) = tracer.trace(&finding, &says).unwrap();
        // `thanks-closing` says thanks by its id alone; `formula`'s English wording does.
        assert_eq!((location.file.as_str(), location.line), ("locales/pl/common.ftl", 2));
        let notes: Vec<(&str, usize, &str)> =
            related.iter().map(|r| (r.location.file.as_str(), r.location.line, r.note.as_str())).collect();
        assert_eq!(
            notes,
            [
                ("templates/partials/end.tera", 3, "prints `formula`"),
                ("templates/a.tera", 2, "includes `partials/end.tera`"),
            ]
        );
        // No message says it in another language: the region's first message.
        let says_nothing = |_: &str, _: &str| false;
        let (location, _) = tracer.trace(&finding, &says_nothing).unwrap();
        assert_eq!(location.line, 1);
        // A phrase found points at itself in the message printing it.
        let mut found = Diagnostic::error("x.y", "found");
        found.found = Some("Dział".into());
        let (location, related) = tracer.trace(&found, &says_nothing).unwrap();
        assert_eq!((location.line, location.column, location.length), (3, 7, 5));
        assert_eq!(related[0].note, "prints `sig`");
    }

    #[test]
    fn finds_the_line_and_column() {
        let a = SourceFile::new("locales/pl/a.ftl", "x = Dzień dobry\ny = To wina, KOMPUTERA niestety\n");
        let loc = locate("komputera", &[&a]).unwrap();
        assert_eq!((loc.file.as_str(), loc.line, loc.column, loc.length), ("locales/pl/a.ftl", 2, 14, 9));
        assert!(locate("drukarki", &[&a]).is_none());
    }
}
