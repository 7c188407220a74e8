//! What changed in a letter, section by section, in a form that groups: the sections (channels)
//! that changed by the same words are one [`Edit`], and letters whose edits are the same have
//! equal [`Change::key`]s, so a reviewer reads a change once however many places it reaches.

use similar::{Algorithm, ChangeTag, TextDiff};

use super::SECTIONS;

/// One change shown once: the sections it touches and the lines that moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The sections (channels) that changed by the same words, in snapshot order.
    pub sections: Vec<&'static str>,
    /// The first section's removed and added lines, `-` and `+` prefixed, hunks separated by `…`.
    pub lines: String,
    /// The words removed and added, in order: what makes two edits the same.
    key: String,
}

/// Every edit between a snapshot and the letter now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Change {
    /// The edits, in the order of their first section.
    pub edits: Vec<Edit>,
}

impl Change {
    /// Compares a snapshot with the letter's snapshot text now.
    pub fn between(old: &str, new: &str) -> Change {
        let old = sections(old);
        let new = sections(new);
        let mut edits: Vec<Edit> = Vec::new();
        for name in SECTIONS {
            let before = body(&old, name);
            let after = body(&new, name);
            if before == after {
                continue;
            }
            let key = word_changes(name, before, after);
            match edits.iter_mut().find(|e| e.key == key) {
                Some(edit) => edit.sections.push(name),
                None => edits.push(Edit { sections: vec![name], lines: changed_lines(before, after), key }),
            }
        }
        Change { edits }
    }

    /// What makes two letters' changes the same: the same sections changed by the same words.
    pub fn key(&self) -> String {
        let mut key = String::new();
        for edit in &self.edits {
            key.push_str(&edit.sections.join(","));
            key.push('\u{1d}');
            key.push_str(&edit.key);
            key.push('\u{1c}');
        }
        key
    }
}

/// A snapshot's sections by name, their lines unescaped (see [`super::render`]); what precedes
/// the first section (the header) is left out.
pub fn sections(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("=== ") {
            out.push((name.to_string(), String::new()));
            continue;
        }
        let Some((_, body)) = out.last_mut() else { continue };
        body.push_str(line.strip_prefix('\\').unwrap_or(line));
        body.push('\n');
    }
    // The blank line that separates one section from the next belongs to neither.
    for (_, body) in &mut out {
        if body.ends_with("\n\n") {
            body.pop();
        }
    }
    out
}

fn body<'a>(sections: &'a [(String, String)], name: &str) -> &'a str {
    sections.iter().find(|(n, _)| n == name).map_or("", |(_, b)| b.as_str())
}

/// The unified diff of one section (three lines of context), or `None` when it is the same.
pub fn section_diff(old: &str, new: &str, name: &str) -> Option<String> {
    let (old, new) = (sections(old), sections(new));
    let (before, after) = (body(&old, name), body(&new, name));
    (before != after).then(|| {
        TextDiff::from_lines(before, after)
            .unified_diff()
            .context_radius(3)
            .header(&format!("{name} (snapshot)"), &format!("{name} (letter now)"))
            .to_string()
    })
}

/// The removed and added lines, without context (context differs from letter to letter while
/// the change is the same).
fn changed_lines(before: &str, after: &str) -> String {
    let diff = TextDiff::from_lines(before, after);
    let mut out = String::new();
    for (i, group) in diff.grouped_ops(0).iter().enumerate() {
        if i > 0 {
            out.push_str("…\n");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                out.push(sign);
                out.push_str(change.value().trim_end_matches('\n'));
                out.push('\n');
            }
        }
    }
    out
}

/// The words removed and added between two versions of a section, as one string: the visible
/// words (HTML without its tags), so the text, the HTML and the printed page agree when the
/// same words changed, however each wraps its lines.
fn word_changes(name: &str, before: &str, after: &str) -> String {
    let (old, new) = (words(name, before), words(name, after));
    let mut key = String::new();
    let mut last = ChangeTag::Equal;
    for (tag, slice) in similar::utils::diff_slices(Algorithm::Myers, &old, &new) {
        if tag == ChangeTag::Equal {
            if last != ChangeTag::Equal {
                key.push('\u{1f}');
            }
        } else {
            key.push(if tag == ChangeTag::Delete { '-' } else { '+' });
            key.push_str(&slice.join(" "));
        }
        last = tag;
    }
    key
}

fn words(name: &str, body: &str) -> Vec<String> {
    let visible = if name == "html" { crate::markup::visible_text(body) } else { body.to_string() };
    visible.split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(subject: &str, text: &str, html: &str, pdf: &str) -> String {
        format!(
            "# missive snapshot · t · c · pl\n\n=== subject\n{subject}\n\n=== text\n{text}\n=== html\n{html}\n=== email\nTo: a@b.pl\n\n=== pdf\n{pdf}\n=== findings\nnone\n"
        )
    }

    #[test]
    fn the_same_words_in_text_html_and_pdf_are_one_edit() {
        let old = snapshot(
            "S",
            "Dzień dobry,\nZ poważaniem\nDział\n",
            "<p>Dzień dobry,</p>\n<p>Z poważaniem<br>\nDział</p>\n",
            "--- page 1/1\nDzień dobry,\nZ poważaniem\nDział\n",
        );
        let new = old.replace("Z poważaniem", "Z wyrazami szacunku");
        let change = Change::between(&old, &new);
        assert_eq!(change.edits.len(), 1, "{change:?}");
        assert_eq!(change.edits[0].sections, ["text", "html", "pdf"]);
        assert_eq!(change.edits[0].lines, "-Z poważaniem\n+Z wyrazami szacunku\n");
    }

    #[test]
    fn different_words_in_different_channels_are_separate_edits_and_keys_tell_letters_apart() {
        let old = snapshot("S", "a\nb\n", "<p>a</p>\n", "a\nb\n");
        let new = snapshot("S", "a\nB\n", "<p>A</p>\n", "a\nB\n");
        let change = Change::between(&old, &new);
        let sections: Vec<_> = change.edits.iter().map(|e| e.sections.clone()).collect();
        assert_eq!(sections, [vec!["text", "pdf"], vec!["html"]]);
        let other = Change::between(&old, &snapshot("S", "a\nC\n", "<p>A</p>\n", "a\nC\n"));
        assert_ne!(change.key(), other.key());
        assert_eq!(change.key(), Change::between(&old, &new).key());
    }

    #[test]
    fn sections_are_unescaped_and_diffed_alone() {
        let old = snapshot("S", "\\=== x\nb\n", "<p>a</p>\n", "a\n");
        let parsed = sections(&old);
        assert_eq!(parsed[1], ("text".to_string(), "=== x\nb\n".to_string()));
        let new = old.replace("\nb\n", "\nB\n");
        let diff = section_diff(&old, &new, "text").unwrap();
        assert!(diff.contains("-b\n+B\n") && diff.contains("text (snapshot)"), "{diff}");
        assert!(section_diff(&old, &new, "html").is_none());
    }
}
