//! Printable letters as PDF: positioned text on A4 pages with embedded, subset Unicode fonts,
//! deterministic byte for byte.
//!
//! [`letter`] lays a rendered [`Letter`] out as a business letter (module `layout`, settings
//! from `templates/layouts/letter.toml`) and writes it with [`PdfWriter`], which places runs of
//! text (and hairlines) where it is told.
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

mod archive;
mod font;
mod image;
mod layout;
mod page;
mod slim;
mod text;

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

pub use crate::standard::layout::Conformance;
pub use crate::standard::layout::{Layout, Margins, Type, Window};
pub use font::{Face, Font, GlyphId};
pub use image::Image;
pub use page::{A4_HEIGHT_PT, A4_WIDTH_PT, mm_to_pt};

use super::Outputs;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::Fnv;
use crate::render::Letter;
pub use crate::render::Relationship;
use font::{Faces, Subset, compressed};

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
    /// Italic face (bold italic with `bold`), where the writer has one; else the upright face.
    pub italic: bool,
    /// The text, drawn as it is (no line breaking); every character must be in the font.
    pub text: &'a str,
    /// The structure element (an index into the `tree` given to
    /// [`PdfWriter::write_tagged`]) the run belongs to; `None` marks page furniture (an
    /// artifact: page numbers, running headers, the return address).
    pub element: Option<usize>,
}

impl<'a> TextRun<'a> {
    /// A run at `(x_mm, y_mm)` from the top-left corner (`y_mm` is the baseline).
    pub fn new(x_mm: f32, y_mm: f32, size_pt: f32, bold: bool, text: &'a str) -> TextRun<'a> {
        TextRun { x_mm, y_mm, size_pt, bold, italic: false, text, element: None }
    }

    /// The same run in the italic face (bold italic if bold).
    pub fn italic(self) -> TextRun<'a> {
        TextRun { italic: true, ..self }
    }

    /// The face the run asks for.
    pub fn face(&self) -> Face {
        Face::of(self.bold, self.italic)
    }

    /// The same run as part of structure element `element`.
    pub fn in_element(self, element: usize) -> TextRun<'a> {
        TextRun { element: Some(element), ..self }
    }
}

/// One element of a tagged PDF's structure tree: its standard role (`Document`, `P`, `H1`,
/// `L`, `LI`, `Lbl`, `LBody`, `Table`, `TR`, `TH`, `TD`) and its parent (an earlier index;
/// `None` for the root). Elements are read in the order of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element {
    /// The structure type.
    pub role: &'static str,
    /// The parent element.
    pub parent: Option<usize>,
}

/// One A4 page: the text runs drawn on it, in reading order.
#[derive(Clone, Debug, Default)]
pub struct Page<'a> {
    /// The runs, in the order a reader (or `pdftotext`) should meet them.
    pub runs: Vec<TextRun<'a>>,
}

/// An image placed on a page, as a `Figure` with alternative text in a tagged PDF.
#[derive(Clone, Copy, Debug)]
pub struct Picture<'a> {
    /// The page (index) it is drawn on.
    pub page: usize,
    /// Its box: left, top, width, height, in millimetres from the page's top-left corner.
    pub at: [f32; 4],
    /// The image.
    pub image: &'a Image,
    /// What it shows, for a reader who cannot see it (`/Alt` of its `Figure`).
    pub alt: &'a str,
    /// Its `Figure` element in the structure tree; `None` draws it as an artifact.
    pub element: Option<usize>,
}

/// A file carried inside the PDF as an associated file of the document (PDF/A-3's `/AF`),
/// such as the structured e-invoice that accompanies a printed invoice.
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedFile<'a> {
    /// Its file name (`/F`, `/UF` and its key in the `/EmbeddedFiles` name tree).
    pub name: &'a str,
    /// Its bytes, as they are.
    pub bytes: &'a [u8],
    /// Its MIME type (`/Subtype`), `application/octet-stream` when it is not known.
    pub mime: &'a str,
    /// What it is, for the reader (`/Desc`).
    pub description: Option<&'a str>,
    /// How it relates to the letter (`/AFRelationship`).
    pub relationship: Relationship,
}

/// What a letter adds to text and hairlines: pictures, embedded files, and the standards the
/// file is written to conform to.
#[derive(Clone, Debug, Default)]
pub struct Extras<'a> {
    /// Images, drawn beneath the text of their page.
    pub pictures: Vec<Picture<'a>>,
    /// Files embedded in the document as associated files, whatever the conformance.
    pub files: Vec<EmbeddedFile<'a>>,
    /// PDF/A-3b and/or PDF/UA-1 (none by default).
    pub conformance: Conformance,
}

/// A straight line (a hairline rule or a fold mark), in millimetres from the top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    /// Start, from the left edge.
    pub x1: f32,
    /// Start, from the top edge.
    pub y1: f32,
    /// End, from the left edge.
    pub x2: f32,
    /// End, from the top edge.
    pub y2: f32,
    /// Line width in points.
    pub width_pt: f32,
}

/// The whole PDF of a rendered letter: letterhead, the address in the envelope window, the
/// place-and-date line, the bold subject, the body (paragraphs, lists, invoice tables with
/// right-aligned amounts), the signature, page numbers `1/2`, a continuation header on later
/// pages and the footer with the company's registration data.
///
/// The fonts are parsed once per process and the layout settings once per standard; this is
/// safe to call from many threads at once. The same letter always gives the same bytes.
///
/// Fails, naming the character, if the letter holds one the fonts lack (see
/// [`letter_for_record`] to name the record's field as well), or if the address does not fit
/// in the window.
pub fn letter(outputs: &Outputs, letter: &Letter) -> Result<Vec<u8>> {
    let assets = outputs.pdf()?;
    let writer = assets.writer()?;
    let sender = outputs.sender();
    let (sheets, tree) = compose(writer, assets, outputs, letter)?;
    let pages: Vec<Page<'_>> = sheets
        .iter()
        .map(|s| Page {
            runs: s
                .runs
                .iter()
                .map(|r| TextRun {
                    italic: r.face.is_italic(),
                    element: r.element,
                    ..TextRun::new(r.x, r.y, r.size, r.face.is_bold(), &r.text)
                })
                .collect(),
        })
        .collect();
    let strokes: Vec<Vec<Stroke>> = sheets
        .iter()
        .map(|s| s.rules.iter().map(|r| Stroke { x1: r.x1, y1: r.y1, x2: r.x2, y2: r.y2, width_pt: r.width }).collect())
        .collect();
    let mut pictures = Vec::new();
    if let Some((image, alt)) = assets.logo() {
        for (page, sheet) in sheets.iter().enumerate() {
            if let Some((at, element)) = sheet.figure {
                pictures.push(Picture { page, at, image, alt, element });
            }
        }
    }
    let meta = Metadata {
        title: &letter.subject,
        author: &sender.company,
        // The subject line, in the letter's language: the template's `title` is the standard's
        // own name for it (English in the bundled one), not words the customer reads.
        subject: &letter.subject,
        lang: &letter.locale,
        created: letter.date,
    };
    // The record's files marked `embed`, in the record's order (the name tree sorts them).
    let mut embedded = Vec::new();
    for attachment in letter.attachments.iter().filter(|a| a.embed) {
        embedded.push((attachment, outputs.attachment(&attachment.file)?));
    }
    let files = embedded
        .iter()
        .map(|(attachment, bytes)| EmbeddedFile {
            name: &attachment.file,
            bytes,
            mime: super::media_type(&attachment.file),
            description: attachment.description.as_deref(),
            relationship: attachment.relationship,
        })
        .collect();
    let extras = Extras { pictures, files, conformance: assets.conformance };
    writer.write_document(&pages, &strokes, &tree, &meta, &extras)
}

/// What a standard's layout adds to the bundled writer, made once per standard
/// ([`Outputs`] holds it): the house fonts, the decoded logo, the conformance.
#[derive(Debug)]
pub struct Assets {
    /// A writer with the house fonts; `None` for the bundled DejaVu Sans.
    writer: Option<PdfWriter>,
    /// The logo, its box on the page (left, top, width, height in mm) and its alternative text.
    logo: Option<(Image, [f32; 4], String)>,
    /// What the files are written to conform to.
    pub conformance: Conformance,
}

impl Assets {
    /// Parses the house fonts and decodes the logo the layout names (their bytes were read
    /// with the standard). A font or image that does not load is an error naming the file and
    /// the setting.
    pub fn new(layout: &Layout) -> Result<Assets> {
        let files = &layout.files;
        let load = |file: &Option<(String, std::sync::Arc<[u8]>)>, setting: &str| -> Result<Option<Font>> {
            let Some((name, data)) = file else { return Ok(None) };
            Font::from_bytes(data.to_vec()).map(Some).map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    format!("{}: `{setting}` names {name}, which cannot be used: {e}", crate::standard::layout::PATH),
                )
                .with_help(e.help_text().unwrap_or("use a TrueType (.ttf) or OpenType (.otf) font").to_string())
            })
        };
        let regular = load(&files.regular, "fonts.regular")?;
        let bold = load(&files.bold, "fonts.bold")?;
        let italic = load(&files.italic, "fonts.italic")?;
        let bold_italic = load(&files.bold_italic, "fonts.bold_italic")?;
        let writer = match (regular, bold) {
            (None, None) if italic.is_none() && bold_italic.is_none() => None,
            (regular, bold) => {
                let regular = match regular {
                    Some(font) => font,
                    None => Font::from_bytes(DEJAVU_SANS.to_vec())?,
                };
                let bold = match bold {
                    Some(font) => font,
                    None => Font::from_bytes(DEJAVU_SANS_BOLD.to_vec())?,
                };
                Some(PdfWriter::new(regular, bold).with_italics(italic, bold_italic))
            }
        };
        let logo = match (&layout.logo, &files.logo) {
            (Some(logo), Some((name, data))) => {
                let image = Image::decode(name, data)?;
                let height = logo.width * image.height as f32 / image.width as f32;
                Some((image, [logo.left, logo.top, logo.width, height], logo.alt.clone()))
            }
            _ => None,
        };
        Ok(Assets { writer, logo, conformance: layout.pdf.conformance })
    }

    /// The writer: the house fonts, or the bundled ones shared by the process.
    pub fn writer(&self) -> Result<&PdfWriter> {
        match &self.writer {
            Some(writer) => Ok(writer),
            None => PdfWriter::shared(),
        }
    }

    /// The logo and its alternative text.
    fn logo(&self) -> Option<(&Image, &str)> {
        self.logo.as_ref().map(|(image, _, alt)| (image, alt.as_str()))
    }
}

/// The printed letter as plain text, page by page, each line of the page in reading order
/// (letterhead, window, date, body, page number, footer), then a line for each embedded file:
/// what snapshots show of the PDF, so a change of layout, pagination or embedded files shows
/// up in review. Runs on one baseline are joined with a space, with two where a gap separates
/// table columns.
pub fn text(outputs: &Outputs, letter: &Letter) -> Result<String> {
    let assets = outputs.pdf()?;
    let writer = assets.writer()?;
    let (sheets, _) = compose(writer, assets, outputs, letter)?;
    let mut out = String::new();
    for (n, sheet) in sheets.iter().enumerate() {
        out.push_str(&format!("--- page {}/{}\n", n + 1, sheets.len()));
        let mut runs: Vec<&layout::Placed> = sheet.runs.iter().collect();
        // Baselines to a tenth of a millimetre, then left to right.
        runs.sort_by_key(|r| ((r.y * 10.0).round() as i64, (r.x * 100.0).round() as i64));
        let mut line = String::new();
        let mut last: Option<(i64, f32)> = None;
        for run in runs {
            let y = (run.y * 10.0).round() as i64;
            let width = writer.face(run.face).width(&run.text, run.size) * 25.4 / 72.0;
            match last {
                Some((ly, end)) if ly == y => {
                    let gap = run.x - end;
                    line.push_str(if gap > 3.0 {
                        "  "
                    } else if gap > 0.5 {
                        " "
                    } else {
                        ""
                    });
                }
                Some(_) => {
                    out.push_str(line.trim_end());
                    out.push('\n');
                    line.clear();
                }
                None => {}
            }
            line.push_str(&run.text);
            last = Some((y, run.x + width));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    for attachment in letter.attachments.iter().filter(|a| a.embed) {
        let size = outputs.attachment(&attachment.file)?.len();
        out.push_str(&format!(
            "--- embedded {} ({}, {size} bytes, {})",
            attachment.file,
            super::media_type(&attachment.file),
            attachment.relationship.name()
        ));
        if let Some(description) = &attachment.description {
            out.push_str(&format!(": {description}"));
        }
        out.push('\n');
    }
    Ok(out)
}

/// The letter's pages and structure tree, laid out with the standard's sender and settings.
fn compose(
    writer: &PdfWriter,
    assets: &Assets,
    outputs: &Outputs,
    letter: &Letter,
) -> Result<(Vec<layout::Sheet>, Vec<Element>)> {
    let sender = outputs.sender();
    let contacts: Vec<&str> = [sender.phone.as_deref(), Some(sender.email.as_str()), sender.website.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    // Read with the text and HTML when the letter was rendered to be printed; else read now.
    let page = match &letter.page {
        Some(page) => std::borrow::Cow::Borrowed(page),
        None => std::borrow::Cow::Owned(crate::markup::page(&letter.markdown)),
    };
    let frame = layout::Frame {
        company: &sender.company,
        address: &sender.address,
        contacts: &contacts,
        registration: sender.registration.as_deref(),
        subject: &letter.subject,
        page: &page,
        logo: assets.logo.as_ref().map(|l| l.1),
    };
    layout::compose(writer.faces(), outputs.layout(), &frame)
}

/// [`letter`], and when the fonts lack a character, the error names the record's field that
/// holds it (`customer.name`), so the fix is obvious.
pub fn letter_for_record(
    outputs: &Outputs,
    rendered: &Letter,
    record: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<u8>> {
    letter(outputs, rendered).map_err(|error| {
        // The face that lacks the character (a field may be printed bold, or emphasised).
        let Ok(found) = missing_glyphs(outputs, rendered, record) else { return error };
        match found.into_iter().find_map(|m| m.field.clone().map(|path| (path, m))) {
            Some((path, m)) => Error::new(
                ErrorKind::Record,
                format!(
                    "field `{path}` holds U+{:04X}{}, which the PDF font {} cannot print",
                    u32::from(m.character),
                    if m.character.is_control() { String::new() } else { format!(" `{}`", m.character) },
                    m.font
                ),
            )
            .with_help(format!("replace the character in `{path}`; a PDF letter never prints a hole")),
            None => error,
        }
    })
}

/// A character a printed letter holds that its font lacks (see [`missing_glyphs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingGlyph {
    /// The character.
    pub character: char,
    /// The font that lacks it (its PostScript name).
    pub font: String,
    /// The record's field holding it (`customer.name`); `None` when the letter's own words do.
    pub field: Option<String>,
    /// The line of the page it stands in (at most 60 characters).
    pub text: String,
}

/// Every character of the printed `letter` that its font (regular, bold, italic or bold
/// italic, the house fonts when the layout names them) lacks, once per character and font,
/// with the record's field that holds it when one does: what `missive check` reports before a
/// letter prints a hole.
pub fn missing_glyphs(
    outputs: &Outputs,
    letter: &Letter,
    record: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<MissingGlyph>> {
    let assets = outputs.pdf()?;
    let writer = assets.writer()?;
    let (sheets, _) = compose(writer, assets, outputs, letter)?;
    let mut found: Vec<MissingGlyph> = Vec::new();
    for run in sheets.iter().flat_map(|s| &s.runs) {
        let font = writer.face(run.face);
        for c in run.text.chars().filter(|&c| c != '\n' && font.glyph(c).is_none()) {
            if found.iter().any(|m| m.character == c && m.font == font.name()) {
                continue;
            }
            let mut path = String::new();
            let field = field_holding(&serde_json::Value::Object(record.clone()), c, &mut path).then_some(path);
            let mut text: String = run.text.chars().take(QUOTE_CHARS).collect();
            if run.text.chars().nth(QUOTE_CHARS).is_some() {
                text.push('…');
            }
            found.push(MissingGlyph { character: c, font: font.name().to_string(), field, text });
        }
    }
    Ok(found)
}

/// Whether a string of `value` holds `c`; `path` becomes the first such field's path.
fn field_holding(value: &serde_json::Value, c: char, path: &mut String) -> bool {
    use serde_json::Value;
    let inside = |key: String, v: &Value, path: &mut String| {
        let len = path.len();
        path.push_str(&key);
        let found = field_holding(v, c, path);
        if !found {
            path.truncate(len);
        }
        found
    };
    match value {
        Value::String(s) => s.contains(c),
        Value::Array(items) => items.iter().enumerate().any(|(i, v)| inside(format!("[{i}]"), v, path)),
        Value::Object(map) => map.iter().filter(|(k, _)| !k.starts_with('_')).any(|(k, v)| {
            let key = if path.is_empty() { k.clone() } else { format!(".{k}") };
            inside(key, v, path)
        }),
        _ => false,
    }
}

/// The document's metadata (the Info dictionary and the catalog's `/Lang`).
#[derive(Clone, Copy, Debug)]
pub struct Metadata<'a> {
    /// `/Title`, shown by viewers instead of the file name.
    pub title: &'a str,
    /// `/Author`: the sending company.
    pub author: &'a str,
    /// `/Subject`: what the letter is about, in its language (a letter's subject line).
    pub subject: &'a str,
    /// Natural language as a BCP 47 tag, e.g. `pl-PL`.
    pub lang: &'a str,
    /// Creation (and modification) date: the letter's date, never the clock.
    pub created: jiff::civil::Date,
}

/// Writes PDFs with a regular and a bold font, and optionally an italic and a bold italic
/// one, parsed once and shared by every letter.
#[derive(Debug)]
pub struct PdfWriter {
    /// The regular face.
    regular: Font,
    /// The bold face.
    bold: Font,
    /// The italic face; emphasis is set upright without one.
    italic: Option<Font>,
    /// The bold italic face; strong emphasis is set in bold without one.
    bold_italic: Option<Font>,
}

/// Glyphs and their characters collected from every run set in one font.
type Used = BTreeMap<GlyphId, char>;

impl PdfWriter {
    /// A writer with the given regular and bold fonts (and no italics).
    pub fn new(regular: Font, bold: Font) -> PdfWriter {
        PdfWriter { regular, bold, italic: None, bold_italic: None }
    }

    /// The same writer with an italic and a bold italic face, either optional: emphasis
    /// without an italic face is set in the regular one, strong emphasis without a bold
    /// italic face in the bold one.
    pub fn with_italics(self, italic: Option<Font>, bold_italic: Option<Font>) -> PdfWriter {
        PdfWriter { italic, bold_italic, ..self }
    }

    /// The font a run asking for `face` is set in (the fallback when the writer lacks it).
    pub fn face(&self, face: Face) -> &Font {
        self.faces().get(face)
    }

    /// The writer's fonts, face by face.
    pub(crate) fn faces(&self) -> Faces<'_> {
        Faces {
            regular: &self.regular,
            bold: &self.bold,
            italic: self.italic.as_ref(),
            bold_italic: self.bold_italic.as_ref(),
        }
    }

    /// A writer with the bundled DejaVu Sans and DejaVu Sans Bold.
    pub fn bundled() -> Result<PdfWriter> {
        Ok(PdfWriter::new(Font::from_bytes(DEJAVU_SANS.to_vec())?, Font::from_bytes(DEJAVU_SANS_BOLD.to_vec())?))
    }

    /// The bundled writer, parsed once per process on first use and shared by every thread.
    pub fn shared() -> Result<&'static PdfWriter> {
        // The outcome is kept whatever it is, so that workers starting together wait for one
        // parse instead of each parsing. `Error` is not `Clone`: a failure (a broken build, the
        // fonts are compiled in) is kept once and each caller gets a new error of its kind and
        // message, which is all it holds (no help, no cause).
        static SHARED: std::sync::OnceLock<Result<PdfWriter>> = std::sync::OnceLock::new();
        let shared = SHARED.get_or_init(|| {
            PdfWriter::bundled()
                .map_err(|e| Error::new(ErrorKind::Render, format!("the bundled fonts do not load: {e}")))
        });
        match shared {
            Ok(writer) => Ok(writer),
            Err(e) => Err(Error::new(e.kind(), e.to_string())),
        }
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
        self.write_with_strokes(pages, &[], meta)
    }

    /// [`PdfWriter::write`], also drawing `strokes[i]` (hairlines) on page `i`, beneath the text.
    pub fn write_with_strokes(
        &self,
        pages: &[Page<'_>],
        strokes: &[Vec<Stroke>],
        meta: &Metadata<'_>,
    ) -> Result<Vec<u8>> {
        self.write_tagged(pages, strokes, &[], meta)
    }

    /// [`PdfWriter::write_with_strokes`] as a tagged PDF when `tree` is not empty: each run is
    /// marked content of its element (or an artifact), the elements form the structure tree
    /// (`/StructTreeRoot`, `/ParentTree`, `/MarkInfo`), so assistive technology reads the
    /// letter in the tree's order.
    pub fn write_tagged(
        &self,
        pages: &[Page<'_>],
        strokes: &[Vec<Stroke>],
        tree: &[Element],
        meta: &Metadata<'_>,
    ) -> Result<Vec<u8>> {
        self.write_document(pages, strokes, tree, meta, &Extras::default())
    }

    /// [`PdfWriter::write_tagged`] with pictures (an image XObject each, beneath the page's
    /// text, a `Figure` with `/Alt` when tagged) and the conformance `extras` asks for.
    pub fn write_document(
        &self,
        pages: &[Page<'_>],
        strokes: &[Vec<Stroke>],
        tree: &[Element],
        meta: &Metadata<'_>,
        extras: &Extras<'_>,
    ) -> Result<Vec<u8>> {
        if pages.is_empty() {
            return Err(Error::new(ErrorKind::Render, "a PDF needs at least one page"));
        }
        // Shape every run first: the subsets (and so the glyph ids in the content) depend on
        // all the glyphs the document uses.
        let faces = self.faces();
        let mut used = [Used::new(), Used::new(), Used::new(), Used::new()];
        let mut shaped = Vec::with_capacity(pages.len());
        for page in pages {
            let mut runs = Vec::with_capacity(page.runs.len());
            for run in &page.runs {
                let font = faces.get(run.face());
                let glyphs = font.shape(run.text).map_err(|c| missing_error(font, c, run.text))?;
                let set = &mut used[faces.resolve(run.face()).index()];
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
        let mut subsets: [Option<Subset>; 4] = [None, None, None, None];
        // A face is embedded only when a run is set in it: a letter without emphasis has the
        // resources (and bytes) it had before italics existed.
        let by_resource = [("F1", Face::Regular), ("F2", Face::Bold), ("F3", Face::Italic), ("F4", Face::BoldItalic)];
        for (index, (resource, face)) in by_resource.into_iter().enumerate() {
            if !used[index].is_empty() {
                let font = faces.get(face);
                let (id, subset) = font.embed(&mut doc, &used[index])?;
                fonts.set(resource, Object::Reference(id));
                subsets[index] = Some(subset);
            }
        }
        let mut resources = Dictionary::from_iter(vec![("Font", Object::Dictionary(fonts))]);
        if !extras.pictures.is_empty() {
            let mut images = Dictionary::new();
            for (n, picture) in extras.pictures.iter().enumerate() {
                images.set(format!("Im{}", n + 1), Object::Reference(picture.image.embed(&mut doc)));
            }
            resources.set("XObject", Object::Dictionary(images));
        }
        let resources_id = doc.add_object(resources);

        let mut hash = [Fnv::new(), Fnv::with_seed(1)];
        for part in [meta.title, meta.author, meta.subject, meta.lang, &meta.created.to_string()] {
            hash.iter_mut().for_each(|h| {
                h.write(part.as_bytes());
                h.write(&[0]);
            });
        }
        // Two letters that differ only in an embedded file are two documents.
        for file in &extras.files {
            hash.iter_mut().for_each(|h| {
                h.write(file.name.as_bytes());
                h.write(&[0]);
                h.write(file.bytes);
            });
        }
        let tagged = !tree.is_empty();
        let page_ids: Vec<ObjectId> = pages.iter().map(|_| doc.new_object_id()).collect();
        // Per element, its marked-content pieces (page, MCID) in order; per page, the element
        // of each MCID (the parent tree).
        let mut marked: Vec<Vec<(usize, i64)>> = vec![Vec::new(); tree.len()];
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
        let mut kids = Vec::with_capacity(pages.len());
        for (index, (page, runs)) in pages.iter().zip(&shaped).enumerate() {
            let mut content = Vec::with_capacity(runs.iter().map(|g| g.len() * 4 + 64).sum());
            for (n, picture) in extras.pictures.iter().enumerate().filter(|(_, p)| p.page == index) {
                if tagged {
                    match picture.element.filter(|&e| e < tree.len()) {
                        Some(e) => {
                            let mcid = parents[index].len();
                            parents[index].push(e);
                            marked[e].push((index, mcid as i64));
                            content.extend_from_slice(b"/Figure <</MCID ");
                            page::push_number(&mut content, mcid as f32);
                            content.extend_from_slice(b">> BDC\n");
                        }
                        None => content.extend_from_slice(b"/Artifact BMC\n"),
                    }
                }
                page::push_image(&mut content, &format!("Im{}", n + 1), picture.at);
                if tagged {
                    content.extend_from_slice(b"EMC\n");
                }
            }
            if let Some(lines) = strokes.get(index)
                && !lines.is_empty()
            {
                if tagged {
                    content.extend_from_slice(b"/Artifact BMC\n");
                }
                page::push_strokes(&mut content, lines);
                if tagged {
                    content.extend_from_slice(b"EMC\n");
                }
            }
            for (run, glyphs) in page.runs.iter().zip(runs) {
                let face = faces.resolve(run.face());
                let Some(subset) = &subsets[face.index()] else { continue };
                let y = A4_HEIGHT_PT - mm_to_pt(run.y_mm);
                let resource = by_resource[face.index()].0;
                if tagged {
                    match run.element.filter(|&e| e < tree.len()) {
                        Some(e) => {
                            let mcid = parents[index].len();
                            parents[index].push(e);
                            marked[e].push((index, mcid as i64));
                            content.push(b'/');
                            content.extend_from_slice(tree[e].role.as_bytes());
                            content.extend_from_slice(b" <</MCID ");
                            page::push_number(&mut content, mcid as f32);
                            content.extend_from_slice(b">> BDC\n");
                        }
                        None => content.extend_from_slice(b"/Artifact BMC\n"),
                    }
                }
                page::push_run(&mut content, resource, run.size_pt, mm_to_pt(run.x_mm), y, glyphs, subset);
                if tagged {
                    content.extend_from_slice(b"EMC\n");
                }
            }
            hash.iter_mut().for_each(|h| h.write(&content));
            let content_id = doc.add_object(compressed(Stream::new(Dictionary::new(), content)));
            let mut dict = Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference(pages_id)),
                ("Resources", Object::Reference(resources_id)),
                ("Contents", Object::Reference(content_id)),
            ]);
            if tagged {
                dict.set("StructParents", Object::Integer(index as i64));
                dict.set("Tabs", Object::Name(b"S".to_vec()));
            }
            doc.objects.insert(page_ids[index], Object::Dictionary(dict));
            kids.push(Object::Reference(page_ids[index]));
        }
        let alts: Vec<(usize, &str)> = extras.pictures.iter().filter_map(|p| p.element.map(|e| (e, p.alt))).collect();
        let structure =
            if tagged { Some(structure_tree(&mut doc, tree, &marked, &parents, &page_ids, &alts)) } else { None };
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
        let catalog_id = catalog(&mut doc, pages_id, meta, structure);
        if !extras.files.is_empty() {
            let (associated, names) = archive::embedded_files(&mut doc, &extras.files, date_string(meta.created));
            if let Ok(Object::Dictionary(dict)) = doc.get_object_mut(catalog_id) {
                dict.set("AF", associated);
                dict.set("Names", names);
            }
        }
        if extras.conformance != Conformance::None {
            let xmp = archive::metadata(&mut doc, meta, extras.conformance);
            let intent = extras.conformance.archival().then(|| archive::output_intent(&mut doc));
            if let Ok(Object::Dictionary(dict)) = doc.get_object_mut(catalog_id) {
                dict.set("Metadata", Object::Reference(xmp));
                if let Some(intent) = intent {
                    dict.set("OutputIntents", Object::Array(vec![intent]));
                }
            }
        }
        let info_id = info(&mut doc, meta);
        let id =
            Object::String(hash.iter().flat_map(|h| h.finish().to_be_bytes()).collect(), StringFormat::Hexadecimal);
        doc.trailer.set("Root", Object::Reference(catalog_id));
        doc.trailer.set("Info", Object::Reference(info_id));
        doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));

        let mut out = Vec::new();
        doc.save_to(&mut out).map_err(|e| Error::new(ErrorKind::Render, format!("cannot write the PDF: {e}")))?;
        Ok(out)
    }
}

/// The catalog: page tree, `/Lang`, "show the title, not the file name", and for a tagged
/// document the structure tree and `/MarkInfo`.
fn catalog(doc: &mut Document, pages_id: ObjectId, meta: &Metadata<'_>, structure: Option<ObjectId>) -> ObjectId {
    let mut dict = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
        ("Lang", text_string(meta.lang)),
        (
            "ViewerPreferences",
            Object::Dictionary(Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))])),
        ),
    ]);
    if let Some(root) = structure {
        dict.set("StructTreeRoot", Object::Reference(root));
        dict.set("MarkInfo", Object::Dictionary(Dictionary::from_iter(vec![("Marked", Object::Boolean(true))])));
    }
    doc.add_object(dict)
}

/// The structure tree: one `/StructElem` per element (children, then its marked content as
/// MCRs) under a `/StructTreeRoot` with the parent tree that maps each page's MCIDs back.
fn structure_tree(
    doc: &mut Document,
    tree: &[Element],
    marked: &[Vec<(usize, i64)>],
    parents: &[Vec<usize>],
    page_ids: &[ObjectId],
    alts: &[(usize, &str)],
) -> ObjectId {
    let root_id = doc.new_object_id();
    let ids: Vec<ObjectId> = tree.iter().map(|_| doc.new_object_id()).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); tree.len()];
    let mut top = Vec::new();
    for (i, element) in tree.iter().enumerate() {
        match element.parent.filter(|&p| p < i) {
            Some(p) => children[p].push(i),
            None => top.push(Object::Reference(ids[i])),
        }
    }
    for (i, element) in tree.iter().enumerate() {
        let mut kids: Vec<Object> = children[i].iter().map(|&c| Object::Reference(ids[c])).collect();
        // Content on one page is listed as bare MCIDs with the element's /Pg; an element that
        // crosses a page break names the page of each piece.
        let one_page = marked[i].first().map(|m| m.0).filter(|&p| marked[i].iter().all(|m| m.0 == p));
        for &(page, mcid) in &marked[i] {
            kids.push(match one_page {
                Some(_) => Object::Integer(mcid),
                None => Object::Dictionary(Dictionary::from_iter(vec![
                    ("Type", Object::Name(b"MCR".to_vec())),
                    ("Pg", Object::Reference(page_ids[page])),
                    ("MCID", Object::Integer(mcid)),
                ])),
            });
        }
        let parent = element.parent.filter(|&p| p < i).map_or(root_id, |p| ids[p]);
        let mut dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(element.role.as_bytes().to_vec())),
            ("P", Object::Reference(parent)),
            ("K", Object::Array(kids)),
        ]);
        if let Some(page) = one_page {
            dict.set("Pg", Object::Reference(page_ids[page]));
        }
        if let Some((_, alt)) = alts.iter().find(|(e, _)| *e == i) {
            dict.set("Alt", text_string(alt));
        }
        doc.objects.insert(ids[i], Object::Dictionary(dict));
    }
    let mut nums = Vec::with_capacity(parents.len() * 2);
    for (page, elements) in parents.iter().enumerate() {
        nums.push(Object::Integer(page as i64));
        nums.push(Object::Array(elements.iter().map(|&e| Object::Reference(ids[e])).collect()));
    }
    let parent_tree = doc.add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    doc.objects.insert(
        root_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            ("K", Object::Array(top)),
            ("ParentTree", Object::Reference(parent_tree)),
            ("ParentTreeNextKey", Object::Integer(parents.len() as i64)),
            // Every role is a standard structure type, so the map maps nothing; PDF/UA asks
            // for it to be there.
            ("RoleMap", Object::Dictionary(Dictionary::new())),
        ])),
    );
    root_id
}

/// A date as a PDF date string, `D:YYYYMMDD`.
fn date_string(date: jiff::civil::Date) -> Object {
    Object::string_literal(format!("D:{:04}{:02}{:02}", date.year(), date.month(), date.day()))
}

/// The Info dictionary; dates are the letter's date (`D:YYYYMMDD`), never the clock.
fn info(doc: &mut Document, meta: &Metadata<'_>) -> ObjectId {
    let date = date_string(meta.created);
    doc.add_object(Dictionary::from_iter(vec![
        ("Title", text_string(meta.title)),
        ("Author", text_string(meta.author)),
        ("Subject", text_string(meta.subject)),
        ("Creator", text_string("missive")),
        ("Producer", text_string(archive::PRODUCER)),
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

    /// A subset kept from an earlier letter writes the bytes a fresh cut writes, and another
    /// letter's glyphs never leak into it.
    #[test]
    fn a_kept_subset_writes_what_a_fresh_cut_writes() {
        let page = |text| [Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, false, text)] }];
        let (first, second) = (page("Zażółć gęślą jaźń"), page("Łódź, ul. Żytnia 7"));
        let fresh = |pages: &[Page<'_>]| PdfWriter::bundled().unwrap().write(pages, &meta()).unwrap();
        let writer = PdfWriter::bundled().unwrap();
        let a = writer.write(&first, &meta()).unwrap();
        let b = writer.write(&second, &meta()).unwrap();
        let again = writer.write(&first, &meta()).unwrap();
        assert_eq!(writer.face(Face::Regular).kept_subsets(), 2);
        assert_eq!(a, again);
        assert_eq!(a, fresh(&first));
        assert_eq!(b, fresh(&second));
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
    fn italic_runs_use_the_italic_face_or_fall_back_to_the_upright_one() {
        let plain = [Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, false, "Łódź")] }];
        let slanted = [Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, false, "Łódź").italic()] }];
        let strong = [Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, true, "Łódź")] }];
        let both = [Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, true, "Łódź").italic()] }];
        // Without italic faces: the same bytes as the upright runs.
        let writer = PdfWriter::bundled().unwrap();
        assert_eq!(writer.write(&slanted, &meta()).unwrap(), writer.write(&plain, &meta()).unwrap());
        assert_eq!(writer.write(&both, &meta()).unwrap(), writer.write(&strong, &meta()).unwrap());
        assert_eq!(writer.face(Face::BoldItalic).name(), "DejaVuSans-Bold");

        let serif = Font::from_bytes(include_bytes!("../../../fonts/DejaVuSerif-Italic.ttf").to_vec()).unwrap();
        let writer = PdfWriter::bundled().unwrap().with_italics(Some(serif), None);
        assert_eq!(writer.face(Face::Italic).name(), "DejaVuSerif-Italic");
        assert_eq!(writer.face(Face::BoldItalic).name(), "DejaVuSans-Bold");
        let pdf = writer.write(&slanted, &meta()).unwrap();
        let has = |needle: &str| pdf.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(has("/F3") && has("+DejaVuSerif-Italic") && !has("/F1") && !has("+DejaVuSans"));
        // Strong emphasis without a bold italic face: the bold face, as before.
        assert_eq!(writer.write(&both, &meta()).unwrap(), writer.write(&strong, &meta()).unwrap());
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
