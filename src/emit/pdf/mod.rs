//! Printable letters as PDF: positioned text on A4 pages with embedded, subset Unicode fonts,
//! deterministic byte for byte.
//!
//! This is the writer only: it places runs of text where it is told. Layout (line breaking,
//! address window, pagination) sits on top of it.
//!
//! ```
//! use missive::emit::pdf::{Metadata, Page, PdfWriter, TextRun};
//! # fn main() -> missive::Result<()> {
//! let writer = PdfWriter::bundled()?;
//! let page = Page { runs: vec![TextRun::new(25.0, 40.0, 11.0, false, "Zażółć gęślą jaźń")] };
//! let meta = Metadata {
//!     title: "Wezwanie do zapłaty",
//!     author: "ACME sp. z o.o.",
//!     subject: "Faktura FV/2025/001",
//!     lang: "pl-PL",
//!     created: jiff::civil::date(2025, 3, 14),
//! };
//! let pdf = writer.write(&[page], &meta)?;
//! assert!(pdf.starts_with(b"%PDF-"));
//! # Ok(()) }
//! ```

mod font;
mod page;

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

pub use font::{Font, GlyphId};
pub use page::{A4_HEIGHT_PT, A4_WIDTH_PT, mm_to_pt};

use crate::error::{Error, ErrorKind, Result};
use font::{Fnv, Subset, compressed};

/// DejaVu Sans (regular), shipped in `fonts/` with its licence.
pub const DEJAVU_SANS: &[u8] = include_bytes!("../../../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, shipped in `fonts/` with its licence.
pub const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../../fonts/DejaVuSans-Bold.ttf");

/// Longest part of a run's text quoted in an error message.
const QUOTE_CHARS: usize = 60;

/// One line of text at a fixed place on the page.
#[derive(Clone, Copy, Debug)]
pub struct TextRun<'a> {
    /// Left edge of the text, in millimetres from the left edge of the page.
    pub x_mm: f32,
    /// Baseline of the text, in millimetres from the top edge of the page.
    pub y_mm: f32,
    /// Font size in points.
    pub size_pt: f32,
    /// Bold face instead of regular.
    pub bold: bool,
    /// The text, drawn as it is (no line breaking); every character must be in the font.
    pub text: &'a str,
}

impl<'a> TextRun<'a> {
    /// A run at `(x_mm, y_mm)` from the top-left corner (`y_mm` is the baseline).
    pub fn new(x_mm: f32, y_mm: f32, size_pt: f32, bold: bool, text: &'a str) -> TextRun<'a> {
        TextRun { x_mm, y_mm, size_pt, bold, text }
    }
}

/// One A4 page: the text runs drawn on it, in reading order.
#[derive(Clone, Debug, Default)]
pub struct Page<'a> {
    /// The runs, in the order a reader (or `pdftotext`) should meet them.
    pub runs: Vec<TextRun<'a>>,
}

/// The document's metadata (the Info dictionary and the catalog's `/Lang`).
#[derive(Clone, Copy, Debug)]
pub struct Metadata<'a> {
    /// `/Title`, shown by viewers instead of the file name.
    pub title: &'a str,
    /// `/Author`: the sending company.
    pub author: &'a str,
    /// `/Subject`.
    pub subject: &'a str,
    /// Natural language as a BCP 47 tag, e.g. `pl-PL`.
    pub lang: &'a str,
    /// Creation (and modification) date: the letter's date, never the clock.
    pub created: jiff::civil::Date,
}

/// Writes PDFs with two fonts (regular and bold), parsed once and shared by every letter.
#[derive(Debug)]
pub struct PdfWriter {
    /// The regular face.
    regular: Font,
    /// The bold face.
    bold: Font,
}

/// Glyphs and their characters collected from every run set in one font.
type Used = BTreeMap<GlyphId, char>;

impl PdfWriter {
    /// A writer with the given regular and bold fonts.
    pub fn new(regular: Font, bold: Font) -> PdfWriter {
        PdfWriter { regular, bold }
    }

    /// A writer with the bundled DejaVu Sans and DejaVu Sans Bold.
    pub fn bundled() -> Result<PdfWriter> {
        Ok(PdfWriter::new(Font::from_bytes(DEJAVU_SANS.to_vec())?, Font::from_bytes(DEJAVU_SANS_BOLD.to_vec())?))
    }

    /// The regular or the bold font, for measuring text.
    pub fn font(&self, bold: bool) -> &Font {
        if bold { &self.bold } else { &self.regular }
    }

    /// The PDF of `pages` (A4, portrait) as bytes. The same pages and metadata always give the
    /// same bytes: the document id is a hash of the content and the date comes from `meta`.
    ///
    /// Fails, naming the character (`U+6F22` for 漢) and the run's text, if a run holds a character
    /// its font lacks; fails if there are no pages.
    pub fn write(&self, pages: &[Page<'_>], meta: &Metadata<'_>) -> Result<Vec<u8>> {
        if pages.is_empty() {
            return Err(Error::new(ErrorKind::Render, "a PDF needs at least one page"));
        }
        // Shape every run first: the subsets (and so the glyph ids in the content) depend on
        // all the glyphs the document uses.
        let mut used = [Used::new(), Used::new()];
        let mut shaped = Vec::with_capacity(pages.len());
        for page in pages {
            let mut runs = Vec::with_capacity(page.runs.len());
            for run in &page.runs {
                let font = self.font(run.bold);
                let glyphs = font.shape(run.text).map_err(|c| missing_error(font, c, run.text))?;
                let set = &mut used[usize::from(run.bold)];
                for (&(glyph, _), c) in glyphs.iter().zip(run.text.chars()) {
                    set.entry(glyph).or_insert(c);
                }
                runs.push(glyphs);
            }
            shaped.push(runs);
        }

        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let mut fonts = Dictionary::new();
        let mut subsets: [Option<Subset>; 2] = [None, None];
        for (index, (resource, font)) in [("F1", &self.regular), ("F2", &self.bold)].into_iter().enumerate() {
            if !used[index].is_empty() {
                let (id, subset) = font.embed(&mut doc, &used[index])?;
                fonts.set(resource, Object::Reference(id));
                subsets[index] = Some(subset);
            }
        }
        let resources_id = doc.add_object(Dictionary::from_iter(vec![("Font", Object::Dictionary(fonts))]));

        let mut hash = [Fnv::new(), Fnv::with_seed(1)];
        for part in [meta.title, meta.author, meta.subject, meta.lang, &meta.created.to_string()] {
            hash.iter_mut().for_each(|h| {
                h.write(part.as_bytes());
                h.write(&[0]);
            });
        }
        let mut kids = Vec::with_capacity(pages.len());
        for (page, runs) in pages.iter().zip(&shaped) {
            let mut content = Vec::with_capacity(runs.iter().map(|g| g.len() * 4 + 48).sum());
            for (run, glyphs) in page.runs.iter().zip(runs) {
                let Some(subset) = &subsets[usize::from(run.bold)] else { continue };
                let y = A4_HEIGHT_PT - mm_to_pt(run.y_mm);
                let resource = if run.bold { "F2" } else { "F1" };
                page::push_run(&mut content, resource, run.size_pt, mm_to_pt(run.x_mm), y, glyphs, subset);
            }
            hash.iter_mut().for_each(|h| h.write(&content));
            let content_id = doc.add_object(compressed(Stream::new(Dictionary::new(), content)));
            kids.push(Object::Reference(doc.add_object(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference(pages_id)),
                ("Resources", Object::Reference(resources_id)),
                ("Contents", Object::Reference(content_id)),
            ]))));
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Kids", Object::Array(kids)),
                ("Count", Object::Integer(count)),
                ("MediaBox", Object::Array(vec![0.into(), 0.into(), A4_WIDTH_PT.into(), A4_HEIGHT_PT.into()])),
            ])),
        );
        let catalog_id = catalog(&mut doc, pages_id, meta);
        let info_id = info(&mut doc, meta);
        let id =
            Object::String(hash.iter().flat_map(|h| h.finish().to_be_bytes()).collect(), StringFormat::Hexadecimal);
        doc.trailer.set("Root", Object::Reference(catalog_id));
        doc.trailer.set("Info", Object::Reference(info_id));
        doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));

        let mut out = Vec::new();
        doc.save_modern(&mut out).map_err(|e| Error::new(ErrorKind::Render, format!("cannot write the PDF: {e}")))?;
        Ok(out)
    }
}

/// The catalog: page tree, `/Lang`, and "show the title, not the file name".
fn catalog(doc: &mut Document, pages_id: ObjectId, meta: &Metadata<'_>) -> ObjectId {
    doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
        ("Lang", text_string(meta.lang)),
        (
            "ViewerPreferences",
            Object::Dictionary(Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))])),
        ),
    ]))
}

/// The Info dictionary; dates are the letter's date (`D:YYYYMMDD`), never the clock.
fn info(doc: &mut Document, meta: &Metadata<'_>) -> ObjectId {
    let date = Object::string_literal(format!(
        "D:{:04}{:02}{:02}",
        meta.created.year(),
        meta.created.month(),
        meta.created.day()
    ));
    doc.add_object(Dictionary::from_iter(vec![
        ("Title", text_string(meta.title)),
        ("Author", text_string(meta.author)),
        ("Subject", text_string(meta.subject)),
        ("Creator", text_string("missive")),
        ("Producer", text_string(concat!("missive ", env!("CARGO_PKG_VERSION")))),
        ("CreationDate", date.clone()),
        ("ModDate", date),
    ]))
}

/// A PDF text string: UTF-16BE with a byte-order mark, written in hex so nothing needs escaping.
fn text_string(text: &str) -> Object {
    let mut bytes = Vec::with_capacity(2 + text.len() * 2);
    bytes.extend_from_slice(&[0xFE, 0xFF]);
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The error for a character `font` lacks: which character (`U+XXXX`) and in what text.
fn missing_error(font: &Font, c: char, text: &str) -> Error {
    let mut quoted: String = text.chars().take(QUOTE_CHARS).collect();
    if text.chars().nth(QUOTE_CHARS).is_some() {
        quoted.push('…');
    }
    let shown = if c.is_control() { String::new() } else { format!(" `{c}`") };
    Error::new(
        ErrorKind::Render,
        format!("the font {} has no glyph for U+{:04X}{shown} in {quoted:?}", font.name(), u32::from(c)),
    )
    .with_help("replace the character, or use a font that covers it; a PDF letter never prints a hole")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Metadata<'static> {
        Metadata {
            title: "Wezwanie",
            author: "ACME",
            subject: "FV/1",
            lang: "pl-PL",
            created: jiff::civil::date(2025, 3, 14),
        }
    }

    #[test]
    fn same_input_same_bytes() {
        let writer = PdfWriter::bundled().unwrap();
        let pages = [Page {
            runs: vec![TextRun::new(20.0, 30.0, 11.0, false, "Łódź"), TextRun::new(20.0, 40.0, 11.0, true, "Żółw")],
        }];
        let a = writer.write(&pages, &meta()).unwrap();
        let b = writer.write(&pages, &meta()).unwrap();
        assert_eq!(a, b);
        let other = [Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, false, "Lodz")] }];
        assert_ne!(a, writer.write(&other, &meta()).unwrap());
    }

    #[test]
    fn missing_character_is_an_error_naming_it() {
        let writer = PdfWriter::bundled().unwrap();
        let pages = [Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, false, "Dzień dobry 漢字")] }];
        let err = writer.write(&pages, &meta()).unwrap_err().to_string();
        assert!(err.contains("U+6F22"), "{err}");
        assert!(err.contains("Dzień dobry"), "{err}");
        let pages = [Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, true, "a\u{2069}")] }];
        assert!(writer.write(&pages, &meta()).unwrap_err().to_string().contains("U+2069"));
    }

    #[test]
    fn no_pages_is_an_error() {
        let writer = PdfWriter::bundled().unwrap();
        assert!(writer.write(&[], &meta()).is_err());
    }

    #[test]
    fn hostile_text_never_reaches_the_stream_as_text() {
        let writer = PdfWriter::bundled().unwrap();
        let hostile = ") Tj \\ << /Foo >> ET";
        let pages = [Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, false, hostile)] }];
        let pdf = writer.write(&pages, &meta()).unwrap();
        assert!(!pdf.windows(hostile.len()).any(|w| w == hostile.as_bytes()));
    }

    #[test]
    fn text_strings_are_utf16_hex() {
        let Object::String(bytes, StringFormat::Hexadecimal) = text_string("ł") else { panic!() };
        assert_eq!(bytes, vec![0xFE, 0xFF, 0x01, 0x42]);
    }
}
