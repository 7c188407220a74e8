//! A TrueType or OpenType font parsed once (metrics, glyphs, kerning) and embedded per document
//! as a subset Type0 font with Identity-H encoding, `/W` widths and a ToUnicode CMap: a
//! CIDFontType2 with the TrueType program (`/FontFile2`) for `glyf` outlines, a CIDFontType0
//! with the CID-keyed CFF program (`/FontFile3`, `/CIDFontType0C`) for CFF outlines.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use subsetter::GlyphRemapper;

use crate::error::{Error, ErrorKind, Result};

/// Characters below this code point are looked up in a dense table (Latin, Latin Extended,
/// Greek, Cyrillic); the rest in a hash map.
const DENSE: usize = 0x0800;

/// A multiplicative hash for the small integer keys of the kerning and subset maps, looked up
/// once per character: std's SipHash was a sixth of a letter's instructions. Keys come from
/// the font and the letter's own glyphs, not from an adversary choosing collisions.
#[derive(Default, Clone, Copy)]
pub(crate) struct QuickHasher(u64);

impl Hasher for QuickHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(26);
    }
}

/// Builds [`QuickHasher`]s.
pub(crate) type Quick = BuildHasherDefault<QuickHasher>;

/// The face a run of text is set in: what the Markdown asked for (`**strong**` bold,
/// `*emphasis*` italic, both bold italic), before `Faces::resolve` maps it to a face the
/// writer has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    /// The regular face.
    #[default]
    Regular,
    /// The bold face.
    Bold,
    /// The italic face.
    Italic,
    /// The bold italic face.
    BoldItalic,
}

impl Face {
    /// The face of text that is (or is not) strong and emphasised.
    pub fn of(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    /// Whether the face is bold or bold italic.
    pub fn is_bold(self) -> bool {
        matches!(self, Face::Bold | Face::BoldItalic)
    }

    /// Whether the face is italic or bold italic.
    pub fn is_italic(self) -> bool {
        matches!(self, Face::Italic | Face::BoldItalic)
    }

    /// The face's place in per-face arrays (and its font resource, `F1`–`F4`).
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// The fonts of one writer, face by face. An italic face left out falls back to the regular
/// one, a bold italic left out to the bold one: strong emphasis keeps its weight, which marks
/// what must not be missed (amounts, dates), rather than its slant.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Faces<'a> {
    /// The regular face.
    pub regular: &'a Font,
    /// The bold face.
    pub bold: &'a Font,
    /// The italic face, if the writer has one.
    pub italic: Option<&'a Font>,
    /// The bold italic face, if the writer has one.
    pub bold_italic: Option<&'a Font>,
}

impl<'a> Faces<'a> {
    /// The face text asking for `face` is set in: `face` itself, or its fallback.
    pub fn resolve(&self, face: Face) -> Face {
        match face {
            Face::Italic if self.italic.is_none() => Face::Regular,
            Face::BoldItalic if self.bold_italic.is_none() => Face::Bold,
            other => other,
        }
    }

    /// The font text asking for `face` is set in.
    pub fn get(&self, face: Face) -> &'a Font {
        match self.resolve(face) {
            Face::Regular => self.regular,
            Face::Bold => self.bold,
            Face::Italic => self.italic.unwrap_or(self.regular),
            Face::BoldItalic => self.bold_italic.unwrap_or(self.bold),
        }
    }
}

/// A glyph's id in the original (not subset) font.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GlyphId(pub u16);

/// One mapped character: its glyph and advance in 1/1000 em, rounded to a whole number so that
/// layout and the PDF's `/W` widths agree exactly.
#[derive(Clone, Copy, Debug)]
struct Glyph {
    id: GlyphId,
    advance: u16,
}

/// How a font's glyphs are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outlines {
    /// Quadratic outlines in `glyf` (`.ttf`, some `.otf`).
    TrueType,
    /// Cubic outlines in `CFF ` (most `.otf`).
    Cff,
}

/// A TrueType or OpenType (TrueType or CFF outlines) font, parsed once at load; every
/// per-letter lookup is a table read.
pub struct Font {
    /// The kind of outlines, which decides how the font is embedded.
    outlines: Outlines,
    /// The original font file, kept for subsetting.
    data: Vec<u8>,
    /// The PostScript name (`DejaVuSans-Bold`), ASCII letters, digits and `-` only.
    name: String,
    /// Glyphs of the characters below [`DENSE`].
    dense: Vec<Option<Glyph>>,
    /// Glyphs of every other character the font maps.
    sparse: HashMap<char, Glyph>,
    /// Kerning from the `kern` table (format 0), in 1/1000 em, keyed by `left << 16 | right`.
    kern: HashMap<u32, i16, Quick>,
    /// Ascender, descender, cap height and bounding box, in 1/1000 em.
    ascent: i32,
    /// Descender (negative), in 1/1000 em.
    descent: i32,
    /// Cap height, in 1/1000 em.
    cap_height: i32,
    /// Font bounding box `[x_min, y_min, x_max, y_max]`, in 1/1000 em.
    bbox: [i32; 4],
    /// Italic angle in degrees.
    italic_angle: f32,
    /// Whether the font says it is bold (sets a heavier `/StemV`).
    bold: bool,
    /// Subsets already cut, by the glyphs they hold ([`Font::embed`]).
    subsets: Mutex<Kept>,
}

/// Cut subsets by their glyphs (original id and the character each draws).
type Kept = HashMap<Vec<(u16, char)>, Arc<Cut>>;

/// Subsets a font keeps cut ([`Font::embed`]): a billing run's letters share their words but
/// for names and figures, so a few dozen glyph sets serve most of a run; past this many the
/// cache starts again, so a run of all-different names costs memory no more than this.
const KEPT_SUBSETS: usize = 256;

/// A subset cut for one set of glyphs, ready to be added to any document: everything
/// [`Font::embed`] makes that does not name another object.
struct Cut {
    /// The subset font program (a TrueType file, or a bare CFF program).
    program: Vec<u8>,
    /// `ABCDEF+Name`.
    base_font: String,
    /// The CIDFont's `/W`.
    widths: Object,
    /// The ToUnicode CMap.
    to_unicode: Vec<u8>,
    /// Original glyph id → subset glyph id.
    map: Arc<HashMap<GlyphId, u16, Quick>>,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font").field("name", &self.name).field("glyphs", &self.glyph_count()).finish()
    }
}

impl Font {
    /// Parses a TrueType font (`.ttf`) or an OpenType font with TrueType or CFF outlines
    /// (`.otf`) and caches every mapped character's glyph and advance and the `kern` table's
    /// pairs.
    ///
    /// ```
    /// # fn main() -> missive::Result<()> {
    /// let font = missive::emit::pdf::Font::from_bytes(missive::emit::pdf::DEJAVU_SANS.to_vec())?;
    /// assert_eq!(font.name(), "DejaVuSans");
    /// assert!(font.glyph('ł').is_some());
    /// # Ok(()) }
    /// ```
    pub fn from_bytes(data: Vec<u8>) -> Result<Font> {
        let face = ttf_parser::Face::parse(&data, 0)
            .map_err(|e| Error::new(ErrorKind::Config, format!("the font is not a TrueType font: {e}")))?;
        let outlines = if face.tables().glyf.is_some() {
            Outlines::TrueType
        } else if face.tables().cff.is_some() {
            Outlines::Cff
        } else {
            return Err(Error::new(ErrorKind::Config, "the font has neither TrueType (`glyf`) nor CFF outlines")
                .with_help(
                    "use a TrueType font (.ttf) or an OpenType font with CFF outlines (.otf); variable CFF2 fonts are not supported",
                ));
        };
        let upem = f32::from(face.units_per_em());
        let milli = |units: f32| (units * 1000.0 / upem).round();

        let mut dense = vec![None; DENSE];
        let mut sparse = HashMap::new();
        if let Some(cmap) = face.tables().cmap {
            for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                subtable.codepoints(|cp| {
                    let Some(c) = char::from_u32(cp) else { return };
                    let Some(id) = face.glyph_index(c).filter(|g| g.0 != 0) else { return };
                    let advance = milli(f32::from(face.glyph_hor_advance(id).unwrap_or(0))) as u16;
                    let glyph = Glyph { id: GlyphId(id.0), advance };
                    match dense.get_mut(cp as usize) {
                        Some(slot) => *slot = Some(glyph),
                        None => {
                            sparse.insert(c, glyph);
                        }
                    }
                });
            }
        }

        let mut kern = HashMap::default();
        if let Some(table) = face.tables().kern {
            for sub in table.subtables {
                if !sub.horizontal || sub.variable || sub.has_cross_stream {
                    continue;
                }
                if let ttf_parser::kern::Format::Format0(pairs) = sub.format {
                    for pair in pairs.pairs {
                        let value = milli(f32::from(pair.value)) as i16;
                        if value != 0 {
                            kern.entry(pair.pair).or_insert(value);
                        }
                    }
                }
            }
        }

        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .map(|n| n.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "Font".to_owned());
        let b = face.global_bounding_box();
        let cap_height = face.capital_height().unwrap_or(face.ascender());
        let ascent = milli(f32::from(face.ascender())) as i32;
        let descent = milli(f32::from(face.descender())) as i32;
        let italic_angle = face.italic_angle();
        let bold = face.is_bold();
        // Subsets are cut from a print-only copy (no hinting, short `name`), made once here.
        let slim = super::slim::slim(&data);
        let data = slim.unwrap_or(data);
        Ok(Font {
            outlines,
            name,
            dense,
            sparse,
            kern,
            ascent,
            descent,
            cap_height: milli(f32::from(cap_height)) as i32,
            bbox: [b.x_min, b.y_min, b.x_max, b.y_max].map(|v| milli(f32::from(v)) as i32),
            italic_angle,
            bold,
            data,
            subsets: Mutex::new(HashMap::new()),
        })
    }

    /// The font's PostScript name, e.g. `DejaVuSans-Bold`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many characters the font maps to a glyph.
    pub fn glyph_count(&self) -> usize {
        self.dense.iter().flatten().count() + self.sparse.len()
    }

    /// Ascender, descender (negative) and cap height, in 1/1000 em.
    pub fn vertical_metrics(&self) -> (f32, f32, f32) {
        (self.ascent as f32, self.descent as f32, self.cap_height as f32)
    }

    fn lookup(&self, c: char) -> Option<Glyph> {
        match self.dense.get(c as usize) {
            Some(slot) => *slot,
            None => self.sparse.get(&c).copied(),
        }
    }

    /// The glyph drawing `c`, or `None` if the font lacks it.
    pub fn glyph(&self, c: char) -> Option<GlyphId> {
        self.lookup(c).map(|g| g.id)
    }

    /// The advance of `c` in 1/1000 em (a whole number, as written in `/W`), or `None` if the
    /// font lacks it.
    pub fn advance(&self, c: char) -> Option<f32> {
        self.lookup(c).map(|g| f32::from(g.advance))
    }

    /// The kerning between two glyphs in 1/1000 em (negative brings them closer), from the
    /// font's `kern` table. GPOS kerning is not read.
    pub fn kerning(&self, left: GlyphId, right: GlyphId) -> f32 {
        f32::from(self.kern_milli(left, right))
    }

    fn kern_milli(&self, left: GlyphId, right: GlyphId) -> i16 {
        if self.kern.is_empty() {
            return 0;
        }
        self.kern.get(&(u32::from(left.0) << 16 | u32::from(right.0))).copied().unwrap_or(0)
    }

    /// The width of `text` set at `size_pt`, in points, with kerning. Characters the font lacks
    /// count as zero: call [`Font::missing`] first.
    pub fn width(&self, text: &str, size_pt: f32) -> f32 {
        let mut total: i32 = 0;
        let mut previous: Option<GlyphId> = None;
        for c in text.chars() {
            let Some(glyph) = self.lookup(c) else {
                previous = None;
                continue;
            };
            if let Some(left) = previous {
                total += i32::from(self.kern_milli(left, glyph.id));
            }
            total += i32::from(glyph.advance);
            previous = Some(glyph.id);
        }
        total as f32 * size_pt / 1000.0
    }

    /// The first character of `text` the font has no glyph for (control characters included).
    pub fn missing(&self, text: &str) -> Option<char> {
        text.chars().find(|c| self.lookup(*c).is_none())
    }

    /// `text` as glyphs, each with the kerning (1/1000 em) to apply before it; `Err` naming the
    /// first character the font lacks.
    pub(crate) fn shape(&self, text: &str) -> std::result::Result<Vec<(GlyphId, i16)>, char> {
        let mut out = Vec::with_capacity(text.len());
        let mut previous: Option<GlyphId> = None;
        for c in text.chars() {
            let glyph = self.lookup(c).ok_or(c)?;
            let kern = previous.map_or(0, |left| self.kern_milli(left, glyph.id));
            out.push((glyph.id, kern));
            previous = Some(glyph.id);
        }
        Ok(out)
    }

    /// The advance of a glyph in 1/1000 em, through the character that produced it.
    fn advance_of(&self, c: char) -> u16 {
        self.lookup(c).map_or(0, |g| g.advance)
    }

    /// Adds this font to `doc` as a subset holding the glyphs in `used` (original glyph id → the
    /// character it draws, for ToUnicode). Returns the Type0 font's object id and the map from
    /// original to subset glyph ids, which the content streams must use.
    ///
    /// The subset itself (cutting it with subsetter, its widths and its ToUnicode CMap: about
    /// a sixth of a letter's PDF) is cut once for each set of glyphs and kept.
    pub(crate) fn embed(&self, doc: &mut Document, used: &BTreeMap<GlyphId, char>) -> Result<(ObjectId, Subset)> {
        let key: Vec<(u16, char)> = used.iter().map(|(g, &c)| (g.0, c)).collect();
        let kept = self.subsets.lock().ok().and_then(|kept| kept.get(&key).cloned());
        let cut = match kept {
            Some(cut) => cut,
            None => {
                let cut = Arc::new(self.cut(used)?);
                if let Ok(mut kept) = self.subsets.lock() {
                    if kept.len() >= KEPT_SUBSETS {
                        kept.clear();
                    }
                    kept.insert(key, cut.clone());
                }
                cut
            }
        };
        let id = self.add_subset(doc, &cut);
        Ok((id, Subset { map: cut.map.clone() }))
    }

    /// How many cut subsets the font keeps.
    #[cfg(test)]
    pub(crate) fn kept_subsets(&self) -> usize {
        self.subsets.lock().map_or(0, |kept| kept.len())
    }

    /// Cuts the subset holding the glyphs in `used`.
    fn cut(&self, used: &BTreeMap<GlyphId, char>) -> Result<Cut> {
        let gids: Vec<u16> = used.keys().map(|g| g.0).collect();
        let remapper = GlyphRemapper::new_from_glyphs_sorted(&gids);
        let bytes = subsetter::subset(&self.data, 0, &remapper)
            .map_err(|e| Error::new(ErrorKind::Render, format!("cannot subset the font {}: {e}", self.name)))?;
        let mut map = HashMap::with_capacity_and_hasher(used.len(), Quick::default());
        // new id → (advance, char); BTreeMap keeps `/W` and the CMap in glyph order.
        let mut by_new: BTreeMap<u16, (u16, char)> = BTreeMap::new();
        for (&old, &c) in used {
            let new = remapper.get(old.0).ok_or_else(|| {
                Error::new(ErrorKind::Render, format!("the font subset lost glyph {} of {}", old.0, self.name))
            })?;
            map.insert(old, new);
            by_new.insert(new, (self.advance_of(c), c));
        }
        let program = match self.outlines {
            Outlines::TrueType => bytes,
            // The subsetter makes the CFF program CID-keyed with CID = subset glyph id, which is
            // what `/CIDFontType0C` and Identity-H need; the OpenType wrapper is dropped.
            Outlines::Cff => ttf_parser::RawFace::parse(&bytes, 0)
                .ok()
                .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")))
                .map(<[u8]>::to_vec)
                .ok_or_else(|| {
                    Error::new(ErrorKind::Render, format!("the subset of the font {} has no CFF table", self.name))
                })?,
        };
        Ok(Cut {
            program,
            base_font: format!("{}+{}", subset_tag(&self.name, &gids), self.name),
            widths: widths(&by_new),
            to_unicode: to_unicode(&by_new).into_bytes(),
            map: Arc::new(map),
        })
    }

    /// Adds a cut subset to `doc` as a Type0 font; returns the Type0 font's object id.
    fn add_subset(&self, doc: &mut Document, cut: &Cut) -> ObjectId {
        let base_font = &cut.base_font;
        let mut file_dict = Dictionary::new();
        let (file_key, cid_subtype): (&str, &[u8]) = match self.outlines {
            Outlines::TrueType => {
                file_dict.set("Length1", Object::Integer(cut.program.len() as i64));
                ("FontFile2", b"CIDFontType2")
            }
            Outlines::Cff => {
                file_dict.set("Subtype", Object::Name(b"CIDFontType0C".to_vec()));
                ("FontFile3", b"CIDFontType0")
            }
        };
        let file_id = doc.add_object(Stream::new(file_dict, cut.program.clone()).with_compression(false));

        let descriptor = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"FontDescriptor".to_vec())),
            ("FontName", Object::Name(base_font.clone().into_bytes())),
            // Symbolic: glyphs are addressed by CID, not by a standard Latin encoding; italic
            // when the font slants.
            ("Flags", Object::Integer(if self.italic_angle == 0.0 { 4 } else { 4 | 64 })),
            ("FontBBox", Object::Array(self.bbox.iter().map(|v| Object::Integer(i64::from(*v))).collect())),
            ("ItalicAngle", Object::Real(self.italic_angle)),
            ("Ascent", Object::Integer(i64::from(self.ascent))),
            ("Descent", Object::Integer(i64::from(self.descent))),
            ("CapHeight", Object::Integer(i64::from(self.cap_height))),
            ("StemV", Object::Integer(if self.bold { 140 } else { 80 })),
            (file_key, Object::Reference(file_id)),
        ]);
        let descriptor_id = doc.add_object(descriptor);

        let mut cid_font = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(cid_subtype.to_vec())),
            ("BaseFont", Object::Name(base_font.clone().into_bytes())),
            (
                "CIDSystemInfo",
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("Registry", Object::string_literal("Adobe")),
                    ("Ordering", Object::string_literal("Identity")),
                    ("Supplement", Object::Integer(0)),
                ])),
            ),
            ("FontDescriptor", Object::Reference(descriptor_id)),
            ("DW", Object::Integer(1000)),
            ("W", cut.widths.clone()),
        ]);
        // Only a CIDFontType2 maps CIDs to glyphs; a CFF program's own charset does.
        if self.outlines == Outlines::TrueType {
            cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
        }
        let cid_id = doc.add_object(cid_font);

        let cmap_id = doc.add_object(Stream::new(Dictionary::new(), cut.to_unicode.clone()).with_compression(false));

        let type0 = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type0".to_vec())),
            ("BaseFont", Object::Name(base_font.clone().into_bytes())),
            ("Encoding", Object::Name(b"Identity-H".to_vec())),
            ("DescendantFonts", Object::Array(vec![Object::Reference(cid_id)])),
            ("ToUnicode", Object::Reference(cmap_id)),
        ]);
        doc.add_object(type0)
    }
}

/// The map from original glyph ids to the ids in one document's font subset.
#[derive(Debug)]
pub(crate) struct Subset {
    map: Arc<HashMap<GlyphId, u16, Quick>>,
}

impl Subset {
    /// The subset id of an original glyph (0, `.notdef`, if it was not collected; cannot
    /// happen when the same text was collected and written).
    pub(crate) fn get(&self, glyph: GlyphId) -> u16 {
        self.map.get(&glyph).copied().unwrap_or(0)
    }
}

/// A stream compressed with Flate when that makes it smaller, at the fast level, by one
/// compressor per thread: building a new one zeroes some 300 KB of tables, which cost more than
/// compressing a page's content. Only content streams go through here; the font subsets (a
/// few KB each once the hinting is gone) stay plain, as deflating them took half a letter's
/// time for about 4 KB.
pub(crate) fn compressed(mut stream: Stream) -> Stream {
    use flate2::{Compress, Compression, FlushCompress, Status};
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<Compress> = std::cell::RefCell::new(Compress::new(Compression::fast(), true));
    }
    let input = &stream.content;
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    let done = COMPRESSOR.with(|cell| {
        let Ok(mut compressor) = cell.try_borrow_mut() else { return false };
        compressor.reset();
        loop {
            let consumed = usize::try_from(compressor.total_in()).unwrap_or(usize::MAX);
            let rest = input.get(consumed..).unwrap_or(&[]);
            if out.capacity() - out.len() < 64 {
                out.reserve(input.len() / 4 + 64);
            }
            match compressor.compress_vec(rest, &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    });
    // Compressing into memory cannot fail; if it did, the stream would simply stay plain.
    if done && out.len() + 19 < stream.content.len() {
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(out);
    }
    stream
}

/// The conventional six upper-case letters before a subset font's name, derived from the font
/// and the glyphs it keeps, so the same letter always gets the same tag.
fn subset_tag(name: &str, gids: &[u16]) -> String {
    let mut hash = crate::hash::Fnv::new();
    hash.write(name.as_bytes());
    for g in gids {
        hash.write(&g.to_be_bytes());
    }
    let mut n = hash.finish();
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (n % 26) as u8);
            n /= 26;
            c
        })
        .collect()
}

/// `/W`: `[first [w1 w2 …] …]` for runs of consecutive subset glyph ids.
fn widths(by_new: &BTreeMap<u16, (u16, char)>) -> Object {
    let mut out = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut start = 0u16;
    let mut next = 0u16;
    for (&gid, &(advance, _)) in by_new {
        if run.is_empty() || gid != next {
            if !run.is_empty() {
                out.push(Object::Integer(i64::from(start)));
                out.push(Object::Array(std::mem::take(&mut run)));
            }
            start = gid;
        }
        run.push(Object::Integer(i64::from(advance)));
        next = gid.wrapping_add(1);
    }
    if !run.is_empty() {
        out.push(Object::Integer(i64::from(start)));
        out.push(Object::Array(run));
    }
    Object::Array(out)
}

/// The ToUnicode CMap: each subset glyph id to the UTF-16BE of its character.
fn to_unicode(by_new: &BTreeMap<u16, (u16, char)>) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<_> = by_new.iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (gid, (_, c)) in chunk {
            s.push('<');
            push_hex4(&mut s, **gid);
            s.push_str("> <");
            for unit in c.encode_utf16(&mut [0; 2]) {
                push_hex4(&mut s, *unit);
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// Appends four upper-case hex digits.
fn push_hex4(s: &mut String, v: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        s.push(char::from(HEX[usize::from((v >> shift) & 0xF)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regular() -> Font {
        Font::from_bytes(super::super::DEJAVU_SANS.to_vec()).unwrap()
    }

    #[test]
    fn loads_metrics_and_polish_glyphs() {
        let font = regular();
        assert_eq!(font.name(), "DejaVuSans");
        for c in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ\u{a0}".chars() {
            assert!(font.glyph(c).is_some(), "{c:?}");
        }
        let (ascent, descent, cap) = font.vertical_metrics();
        assert!(ascent > 700.0 && descent < -150.0 && cap > 600.0, "{ascent} {descent} {cap}");
        // DejaVu Sans: 'M' is 1767/2048 em wide.
        assert_eq!(font.advance('M'), Some((1767.0f32 * 1000.0 / 2048.0).round()));
    }

    #[test]
    fn missing_names_the_first_absent_character() {
        let font = regular();
        assert_eq!(font.missing("Zażółć gęślą jaźń"), None);
        // DejaVu Sans has the emoticons block but no CJK.
        assert_eq!(font.missing("ok \u{1F600} 漢"), Some('漢'));
        assert_eq!(font.missing("a\u{2068}b"), Some('\u{2068}'));
        assert_eq!(font.missing("line\nbreak"), Some('\n'));
    }

    #[test]
    fn width_sums_advances_and_kerning() {
        let font = regular();
        let plain = font.advance('A').unwrap() + font.advance('V').unwrap();
        let kern = font.kerning(font.glyph('A').unwrap(), font.glyph('V').unwrap());
        assert!(kern < 0.0, "DejaVu's kern table pulls A and V together");
        assert_eq!(font.width("AV", 10.0), (plain + kern) * 10.0 / 1000.0);
        assert_eq!(font.width("", 10.0), 0.0);
    }

    #[test]
    fn kept_subsets_are_bounded() {
        let font = regular();
        for c in ('a'..='z').chain('A'..='Z').chain('0'..='9').cycle().take(KEPT_SUBSETS + 40).enumerate() {
            let (i, c) = c;
            let mut used = BTreeMap::new();
            used.insert(font.lookup(c).unwrap().id, c);
            // A set no other turn of the loop makes: the character and a count of spaces.
            used.insert(font.lookup(' ').unwrap().id, ' ');
            used.insert(GlyphId(u16::try_from(1000 + i).unwrap()), '?');
            font.embed(&mut Document::with_version("1.7"), &used).unwrap();
            assert!(font.kept_subsets() <= KEPT_SUBSETS);
        }
        assert_eq!(font.kept_subsets(), 40, "the cache started again after {KEPT_SUBSETS}");
    }

    #[test]
    fn subset_tag_is_six_letters_and_stable() {
        let tag = subset_tag("DejaVuSans", &[3, 4, 5]);
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(tag, subset_tag("DejaVuSans", &[3, 4, 5]));
        assert_ne!(tag, subset_tag("DejaVuSans", &[3, 4, 6]));
    }

    #[test]
    fn widths_group_consecutive_ids() {
        let mut by_new = BTreeMap::new();
        by_new.insert(1, (500, 'a'));
        by_new.insert(2, (600, 'b'));
        by_new.insert(5, (700, 'c'));
        let Object::Array(w) = widths(&by_new) else { panic!() };
        assert_eq!(w.len(), 4);
        assert_eq!(w[0], Object::Integer(1));
        assert_eq!(w[2], Object::Integer(5));
    }

    #[test]
    fn to_unicode_writes_utf16_including_surrogates() {
        let mut by_new = BTreeMap::new();
        by_new.insert(1, (500, 'ł'));
        by_new.insert(2, (500, '\u{1D400}'));
        let cmap = to_unicode(&by_new);
        assert!(cmap.contains("<0001> <0142>"));
        assert!(cmap.contains("<0002> <D835DC00>"));
        assert!(cmap.contains("2 beginbfchar"));
    }
}
