//! Line breaking for PDF paragraphs: break opportunities per Unicode (UAX #14, through
//! `unicode-linebreak`), widths from the font's real advances and kerning, Polish one-letter
//! words and bare numbers kept with the next word, and words wider than the line (IBANs
//! without spaces, URLs) cut between characters rather than run off the page.
//!
//! Linear in the length of the text: widths come from one prefix sum over the characters.

use super::font::{Face, Faces};
use crate::markup::page::Span;

/// One laid-out line: its runs (text, face, x offset in points from the line's start).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Line {
    /// Runs in reading order, each in one face.
    pub runs: Vec<(String, Face, f32)>,
    /// The line's width in points.
    pub width: f32,
}

/// Breaks `spans` into lines no wider than `width_pt` at `size_pt` (points). Trailing spaces
/// are dropped from each line; control characters print as spaces. Each span is set in the
/// face its style resolves to in `fonts`, and neighbours in the same face make one run (an
/// emphasis without an italic face is one run with the text around it, as if unmarked).
pub(crate) fn break_lines(fonts: Faces<'_>, spans: &[Span], size_pt: f32, width_pt: f32) -> Vec<Line> {
    let mut text = String::with_capacity(spans.iter().map(|s| s.text.len()).sum());
    // (byte start, face) for each span, in order.
    let mut styles: Vec<(usize, Face)> = Vec::with_capacity(spans.len());
    for span in spans {
        if span.text.is_empty() {
            continue;
        }
        let face = fonts.resolve(Face::of(span.bold, span.italic));
        if styles.last().is_none_or(|&(_, f)| f != face) {
            styles.push((text.len(), face));
        }
        text.push_str(&span.text);
    }
    if text.trim().is_empty() {
        return Vec::new();
    }

    // x[b]: the pen position before the character starting at byte b (char boundaries only),
    // and at b = text.len() the line's end; offsets lists the boundaries, for cutting words.
    let mut offsets: Vec<usize> = Vec::with_capacity(text.len() + 1);
    let mut x: Vec<f32> = vec![0.0; text.len() + 1];
    let mut pen = 0.0f32;
    let mut style = 0usize;
    let mut previous = None;
    for (at, c) in text.char_indices() {
        while style + 1 < styles.len() && styles[style + 1].0 <= at {
            style += 1;
            previous = None;
        }
        offsets.push(at);
        x[at] = pen;
        let font = fonts.get(styles[style].1);
        let glyph = font.glyph(c);
        if let (Some(left), Some(right)) = (previous, glyph) {
            pen += font.kerning(left, right) * size_pt / 1000.0;
        }
        pen += font.advance(c).unwrap_or(0.0) * size_pt / 1000.0;
        previous = glyph;
    }
    offsets.push(text.len());
    x[text.len()] = pen;
    let index_of = |byte: usize| offsets.partition_point(|&o| o < byte);
    let width_of = |from: usize, to: usize| x[to] - x[from];

    let mut lines = Vec::new();
    let mut line_start = 0usize;
    // End of the line's content so far (before trailing spaces) and where the next piece starts.
    let mut line_end = 0usize;
    let mut piece_start = 0usize;
    for (at, opportunity) in unicode_linebreak::linebreaks(&text) {
        let mandatory = opportunity == unicode_linebreak::BreakOpportunity::Mandatory;
        if !mandatory && at < text.len() && binds_to_next(&text[piece_start..at]) {
            continue;
        }
        let piece = &text[piece_start..at];
        let content_end = piece_start + piece.trim_end().len();
        if line_end > line_start && width_of(line_start, content_end) > width_pt {
            // The piece does not fit after what the line holds: the line ends before it.
            lines.push((line_start, line_end));
            line_start = piece_start;
        }
        if width_of(line_start, content_end) > width_pt {
            // Wider than a whole line on its own: cut it between characters.
            let mut cut_from = index_of(line_start);
            let end = index_of(content_end);
            let mut i = cut_from + 1;
            while i < end {
                if x[offsets[i + 1]] - x[offsets[cut_from]] > width_pt {
                    lines.push((offsets[cut_from], offsets[i]));
                    cut_from = i;
                }
                i += 1;
            }
            line_start = offsets[cut_from];
        }
        line_end = content_end;
        piece_start = at;
        if mandatory {
            lines.push((line_start, line_end));
            line_start = at;
            line_end = at;
        }
    }
    if line_end > line_start {
        lines.push((line_start, line_end));
    }

    lines
        .into_iter()
        .map(|(from, to)| {
            let mut line = Line::default();
            let mut pen = 0.0;
            for (i, &(start, face)) in styles.iter().enumerate() {
                let end = styles.get(i + 1).map_or(text.len(), |s| s.0);
                let (a, b) = (start.max(from), end.min(to));
                if a >= b {
                    continue;
                }
                let run: String = text[a..b].chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                let run = if b == to { run.trim_end().to_string() } else { run };
                if run.is_empty() {
                    continue;
                }
                let w = fonts.get(face).width(&run, size_pt);
                line.runs.push((run, face, pen));
                pen += w;
            }
            line.width = pen;
            line
        })
        .filter(|l| !l.runs.is_empty())
        .collect()
}

/// Whether a line must not end after `piece`: a one-letter word (Polish `w`, `z`, `i`, `a`,
/// `o`, `u`; any single letter) or a bare number, which typography keeps with the next word.
fn binds_to_next(piece: &str) -> bool {
    let Some(word) = piece.trim_end().rsplit(char::is_whitespace).next() else { return false };
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_alphanumeric(),
        (Some(_), Some(_)) => word.len() <= 6 && word.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::pdf::Font;
    use crate::emit::pdf::{DEJAVU_SANS, DEJAVU_SANS_BOLD};

    fn fonts() -> [Font; 2] {
        [Font::from_bytes(DEJAVU_SANS.to_vec()).unwrap(), Font::from_bytes(DEJAVU_SANS_BOLD.to_vec()).unwrap()]
    }

    fn faces<'a>(regular: &'a Font, bold: &'a Font) -> Faces<'a> {
        Faces { regular, bold, italic: None, bold_italic: None }
    }

    fn plain(text: &str) -> Vec<Span> {
        vec![Span { text: text.into(), bold: false, italic: false }]
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.runs.iter().map(|r| r.0.as_str()).collect()).collect()
    }

    #[test]
    fn lines_fit_and_keep_every_word() {
        let [r, b] = fonts();
        let text = "Uprzejmie przypominamy, że termin płatności faktury minął dnia 7 grudnia i prosimy o wpłatę.";
        let lines = break_lines(faces(&r, &b), &plain(text), 10.0, 150.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(line.width <= 150.0, "{line:?}");
        }
        assert_eq!(texts(&lines).join(" "), text);
    }

    #[test]
    fn one_letter_words_and_numbers_stay_with_the_next_word() {
        let [r, b] = fonts();
        let text = "aaaa bbbb w cccc dddd i eeee 7 dni ffff z gggg a hhhh o iiii u jjjj";
        for width in (40..200).step_by(3) {
            let lines = break_lines(faces(&r, &b), &plain(text), 10.0, width as f32);
            for line in texts(&lines) {
                let last = line.rsplit(' ').next().unwrap();
                assert!(last.chars().count() > 1 && last != "7", "{width}: {line:?}");
            }
        }
    }

    #[test]
    fn an_unbreakable_string_is_cut_to_the_width() {
        let [r, b] = fonts();
        let iban = "PL61109010140000071219812874".repeat(4);
        let lines = break_lines(faces(&r, &b), &plain(&format!("Rachunek {iban} koniec")), 10.0, 100.0);
        assert!(lines.len() >= 4);
        for line in &lines {
            assert!(line.width <= 100.0 + 0.01, "{line:?}");
        }
        assert_eq!(texts(&lines).concat().replace(' ', ""), format!("Rachunek{iban}koniec"));
    }

    #[test]
    fn styles_hard_breaks_and_offsets() {
        let [r, b] = fonts();
        let spans = vec![
            Span { text: "Razem: ".into(), bold: false, italic: false },
            Span { text: "12 345,67 zł".into(), bold: true, italic: false },
            Span { text: "\nDrugi wiersz".into(), bold: false, italic: false },
        ];
        let lines = break_lines(faces(&r, &b), &spans, 10.0, 400.0);
        assert_eq!(texts(&lines), ["Razem: 12 345,67 zł", "Drugi wiersz"]);
        let first = &lines[0];
        assert_eq!(first.runs.len(), 2);
        assert_eq!(first.runs[1].1, Face::Bold);
        assert!((first.runs[1].2 - r.width("Razem: ", 10.0)).abs() < 0.001);
        assert!(break_lines(faces(&r, &b), &plain("  "), 10.0, 100.0).is_empty());
    }

    #[test]
    fn emphasis_is_its_own_run_only_where_an_italic_face_exists() {
        let [r, b] = fonts();
        let italic = Font::from_bytes(include_bytes!("../../../fonts/DejaVuSerif-Italic.ttf").to_vec()).unwrap();
        let spans = vec![
            Span { text: "Rzecznik ".into(), bold: false, italic: false },
            Span { text: "Finansowy".into(), bold: false, italic: true },
            Span { text: " i ".into(), bold: false, italic: false },
            Span { text: "Sąd".into(), bold: true, italic: true },
        ];
        // No italic faces: emphasis joins the regular run, as if unmarked; strong emphasis is bold.
        let lines = break_lines(faces(&r, &b), &spans, 10.0, 400.0);
        let runs: Vec<(&str, Face)> = lines[0].runs.iter().map(|r| (r.0.as_str(), r.1)).collect();
        assert_eq!(runs, [("Rzecznik Finansowy i ", Face::Regular), ("Sąd", Face::Bold)]);
        assert_eq!(lines, break_lines(faces(&r, &b), &plain_with_bold_tail(), 10.0, 400.0));

        let with = Faces { regular: &r, bold: &b, italic: Some(&italic), bold_italic: None };
        let lines = break_lines(with, &spans, 10.0, 400.0);
        let runs: Vec<(&str, Face)> = lines[0].runs.iter().map(|r| (r.0.as_str(), r.1)).collect();
        assert_eq!(
            runs,
            [("Rzecznik ", Face::Regular), ("Finansowy", Face::Italic), (" i ", Face::Regular), ("Sąd", Face::Bold)]
        );
        // The italic run is measured in its own font.
        assert!((lines[0].runs[2].2 - lines[0].runs[1].2 - italic.width("Finansowy", 10.0)).abs() < 0.001);
    }

    fn plain_with_bold_tail() -> Vec<Span> {
        vec![
            Span { text: "Rzecznik Finansowy i ".into(), bold: false, italic: false },
            Span { text: "Sąd".into(), bold: true, italic: false },
        ]
    }

    #[test]
    fn long_text_is_linear() {
        let [r, b] = fonts();
        let text = "słowo ".repeat(11_000);
        let lines = break_lines(faces(&r, &b), &plain(&text), 10.0, 450.0);
        assert!(lines.len() > 100);
        let long = "x".repeat(65_536);
        assert!(break_lines(faces(&r, &b), &plain(&long), 10.0, 450.0).len() > 100);
    }
}
