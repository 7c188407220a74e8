//! The PDF letter's layout settings (`templates/layouts/letter.toml`): margins, the address
//! window, type sizes. Every length is in millimetres from the page's top-left corner, every
//! type size in points.

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};

/// The layout file, relative to the standard's root.
pub const PATH: &str = "templates/layouts/letter.toml";

/// Where things go on an A4 letter. The defaults place the address for a DL window envelope
/// per DIN 5008 form B (window field 85 × 45 mm, 20 mm from the left, 45 mm from the top); the
/// bundled `templates/layouts/letter.toml` spells them out.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Layout {
    /// Page margins.
    pub page: Margins,
    /// The address window.
    pub window: Window,
    /// Type sizes and spacing.
    pub text: Type,
    /// Fold marks at the left edge (at 105 and 210 mm) and the hole mark (148.5 mm).
    pub fold_marks: bool,
    /// The company's logo in the letterhead; none by default.
    pub logo: Option<Logo>,
    /// The house fonts, from the standard's `fonts/` folder; DejaVu Sans by default.
    pub fonts: Fonts,
    /// What the PDF file claims to conform to.
    pub pdf: PdfSettings,
    /// The bytes of the logo and the fonts, read at load (not a setting).
    #[serde(skip)]
    #[cfg_attr(feature = "cli", schemars(skip))]
    pub files: Files,
}

/// The logo: a PNG (8 bits per channel, alpha allowed) or a baseline JPEG, placed in
/// millimetres from the page's top-left corner.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Logo {
    /// The image file, relative to the standard's root (`images/logo.png`).
    pub file: String,
    /// Left edge of the logo.
    pub left: f32,
    /// Top edge of the logo.
    pub top: f32,
    /// Width of the logo; the height follows from the image's proportions.
    pub width: f32,
    /// What the logo says, for a reader who cannot see it (the tagged PDF's `/Alt`).
    pub alt: String,
}

/// The house fonts: TrueType (`.ttf`) or OpenType fonts with TrueType or CFF outlines (`.otf`;
/// not variable CFF2), named by their file in the standard's `fonts/` folder.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Fonts {
    /// The regular face (body, address, footer).
    pub regular: Option<String>,
    /// The bold face (company name, subject, headings, bold text).
    pub bold: Option<String>,
    /// The italic face (emphasis, `*text*`); without it emphasis prints in the regular face.
    pub italic: Option<String>,
    /// The bold italic face (strong emphasis, `***text***`, emphasis in a heading); without it
    /// such text prints in the bold face.
    pub bold_italic: Option<String>,
}

/// The `[pdf]` settings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PdfSettings {
    /// The standards the file is written for and identifies itself with.
    pub conformance: Conformance,
}

/// What a PDF letter is written to conform to (and says so in its XMP metadata).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
pub enum Conformance {
    /// A plain tagged PDF 1.7.
    #[default]
    #[serde(rename = "none")]
    None,
    /// PDF/A-3b (ISO 19005-3, level B): XMP, an sRGB output intent, embedded fonts.
    #[serde(rename = "pdf/a-3b")]
    PdfA3b,
    /// PDF/UA-1 (ISO 14289-1): XMP identification, a role map, `/Alt` on figures.
    #[serde(rename = "pdf/ua-1")]
    PdfUa1,
    /// Both PDF/A-3b and PDF/UA-1.
    #[serde(rename = "both")]
    Both,
}

impl Conformance {
    /// Whether the file is written as PDF/A-3b.
    pub fn archival(self) -> bool {
        matches!(self, Conformance::PdfA3b | Conformance::Both)
    }

    /// Whether the file is written as PDF/UA-1.
    pub fn accessible(self) -> bool {
        matches!(self, Conformance::PdfUa1 | Conformance::Both)
    }
}

/// The files the layout names, read by [`crate::Standard::load`]: each with its path relative
/// to the standard (for messages) and its bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Files {
    /// The logo's image file.
    pub logo: Option<(String, std::sync::Arc<[u8]>)>,
    /// The regular house font.
    pub regular: Option<(String, std::sync::Arc<[u8]>)>,
    /// The bold house font.
    pub bold: Option<(String, std::sync::Arc<[u8]>)>,
    /// The italic house font.
    pub italic: Option<(String, std::sync::Arc<[u8]>)>,
    /// The bold italic house font.
    pub bold_italic: Option<(String, std::sync::Arc<[u8]>)>,
}

/// The letterhead's logo as emails show it (`[email] logo`, on unless `false`): the same file,
/// sent as an inline image part whose `Content-ID` the shell's HTML names by a `cid:` URL
/// (RFC 2387, RFC 2392). Worked out once at load.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailLogo {
    /// The file's own name (`logo.png`), the part's `filename`.
    pub name: String,
    /// The image's bytes.
    pub bytes: std::sync::Arc<[u8]>,
    /// `image/png` or `image/jpeg`.
    pub mime: &'static str,
    /// The part's Content-ID without its angle brackets: `logo.<FNV-1a of the bytes>@<domain>`,
    /// the same for every message while the file is the same.
    pub content_id: String,
    /// What the logo says (`[logo] alt`), the `<img>`'s `alt`.
    pub alt: String,
    /// Width and height in CSS pixels: the letterhead's millimetres at 96 pixels an inch.
    pub width: u32,
    /// Height, from the image's proportions.
    pub height: u32,
}

impl EmailLogo {
    /// The email's logo from the layout's `[logo]` and its file's bytes; `domain` (the sender's)
    /// is the Content-ID's right half. `None` without a logo.
    pub fn of(layout: &Layout, domain: &str) -> Result<Option<EmailLogo>> {
        let (Some(logo), Some((file, bytes))) = (&layout.logo, &layout.files.logo) else { return Ok(None) };
        let (mime, w, h) = image_header(bytes).ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                format!("{PATH}: `logo.file` names {file}, which is neither a PNG nor a JPEG image"),
            )
            .with_help(
                "save the logo as PNG or JPEG, or leave it out of emails with `[email] logo = false` in missive.toml",
            )
        })?;
        let width = (logo.width / 25.4 * 96.0).round().max(1.0);
        let height = (f64::from(width) * f64::from(h) / f64::from(w)).round().max(1.0);
        // A domain only of what a Content-ID's right half may hold unquoted.
        let domain =
            if !domain.is_empty() && domain.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
                domain
            } else {
                "missive.invalid"
            };
        Ok(Some(EmailLogo {
            name: file.rsplit(['/', '\\']).next().unwrap_or(file).to_string(),
            bytes: bytes.clone(),
            mime,
            content_id: format!("logo.{:016x}@{domain}", crate::hash::fnv1a(bytes)),
            alt: logo.alt.clone(),
            width: width as u32,
            height: height as u32,
        }))
    }
}

/// The type and pixel size of a PNG or JPEG image, read from its header.
fn image_header(data: &[u8]) -> Option<(&'static str, u32, u32)> {
    let be16 = |at: usize| Some(u32::from(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?])));
    let be32 = |at: usize| Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?));
    if data.starts_with(b"\x89PNG\r\n\x1a\n") && data.get(12..16) == Some(b"IHDR") {
        let (w, h) = (be32(16)?, be32(20)?);
        return (w > 0 && h > 0).then_some(("image/png", w, h));
    }
    if !data.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    // JPEG: segments from the start of image to the first start of frame (SOFn).
    let mut at = 2;
    loop {
        while data.get(at) == Some(&0xFF) && data.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if data.get(at) != Some(&0xFF) {
            return None;
        }
        let marker = *data.get(at + 1)?;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let (h, w) = (be16(at + 5)?, be16(at + 7)?);
                return (w > 0 && h > 0).then_some(("image/jpeg", w, h));
            }
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => at += 2 + usize::try_from(be16(at + 2)?).ok()?,
        }
    }
}

/// Page margins in millimetres.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Margins {
    /// Left edge of the text.
    pub left: f32,
    /// Right margin: the text ends at 210 mm minus this.
    pub right: f32,
    /// Baseline of the letterhead's first line.
    pub top: f32,
    /// Where the first page's body may begin at the earliest (below the date line).
    pub body_top: f32,
    /// Where a continuation page's body begins (below its header).
    pub continuation_top: f32,
    /// Where the body must end: the page number and footer sit below it.
    pub body_bottom: f32,
}

/// The window of the envelope, in millimetres.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Window {
    /// Left edge of the window field.
    pub left: f32,
    /// Top edge of the window field.
    pub top: f32,
    /// Width of the window field.
    pub width: f32,
    /// Height of the window field.
    pub height: f32,
    /// The top part of the field for the return address and remarks; the address lines start
    /// below it (DIN 5008: 17.7 mm).
    pub return_zone: f32,
    /// Space between the field's left edge and the text (DIN 5008: 5 mm).
    pub inset: f32,
}

/// Type sizes (points) and spacing.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Type {
    /// Body text.
    pub body: f32,
    /// Line height as a multiple of the type size.
    pub leading: f32,
    /// The subject line (bold).
    pub subject: f32,
    /// The company name in the letterhead (bold).
    pub company: f32,
    /// Letterhead contact lines, the return address, the footer, the continuation header.
    pub small: f32,
    /// The address in the window.
    pub address: f32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            page: Margins::default(),
            window: Window::default(),
            text: Type::default(),
            fold_marks: true,
            logo: None,
            fonts: Fonts::default(),
            pdf: PdfSettings::default(),
            files: Files::default(),
        }
    }
}

impl Default for Margins {
    fn default() -> Self {
        Margins { left: 25.0, right: 20.0, top: 17.0, body_top: 103.0, continuation_top: 30.0, body_bottom: 268.0 }
    }
}

impl Default for Window {
    fn default() -> Self {
        Window { left: 20.0, top: 45.0, width: 85.0, height: 45.0, return_zone: 17.7, inset: 5.0 }
    }
}

impl Default for Type {
    fn default() -> Self {
        Type { body: 10.0, leading: 1.4, subject: 11.0, company: 15.0, small: 7.5, address: 10.0 }
    }
}

impl Layout {
    /// Checks that the settings describe a page that can hold a letter; the error names the file
    /// and the setting.
    pub fn validate(&self) -> Result<()> {
        let bad = |why: &str| {
            Error::new(ErrorKind::Config, format!("{PATH}: {why}")).with_help(
                "lengths are millimetres from the page's top-left corner, sizes points; delete the line for the default",
            )
        };
        let numbers = [
            ("page.left", self.page.left),
            ("page.right", self.page.right),
            ("page.top", self.page.top),
            ("page.body_top", self.page.body_top),
            ("page.continuation_top", self.page.continuation_top),
            ("page.body_bottom", self.page.body_bottom),
            ("window.left", self.window.left),
            ("window.top", self.window.top),
            ("window.width", self.window.width),
            ("window.height", self.window.height),
            ("window.return_zone", self.window.return_zone),
            ("window.inset", self.window.inset),
        ];
        for (name, value) in numbers {
            if !value.is_finite() || !(0.0..=297.0).contains(&value) {
                return Err(bad(&format!("`{name}` = {value} is not a length on an A4 page (0–297 mm)")));
            }
        }
        let sizes = [
            ("text.body", self.text.body),
            ("text.subject", self.text.subject),
            ("text.company", self.text.company),
            ("text.small", self.text.small),
            ("text.address", self.text.address),
        ];
        for (name, value) in sizes {
            if !value.is_finite() || !(4.0..=36.0).contains(&value) {
                return Err(bad(&format!("`{name}` = {value} is not a type size between 4 and 36 pt")));
            }
        }
        if !self.text.leading.is_finite() || !(1.0..=3.0).contains(&self.text.leading) {
            return Err(bad(&format!("`text.leading` = {} must be between 1.0 and 3.0", self.text.leading)));
        }
        if self.page.left + self.page.right > 150.0 {
            return Err(bad("`page.left` + `page.right` leave less than 60 mm for the text"));
        }
        if self.window.left + self.window.width > 210.0 || self.window.top + self.window.height > 297.0 {
            return Err(bad("the window does not fit on the page"));
        }
        if self.window.return_zone + 10.0 > self.window.height || self.window.inset * 2.0 + 20.0 > self.window.width {
            return Err(bad("the window leaves no room for the address (check `return_zone`, `inset`, the size)"));
        }
        for (name, top) in
            [("page.body_top", self.page.body_top), ("page.continuation_top", self.page.continuation_top)]
        {
            if top + 40.0 > self.page.body_bottom {
                return Err(bad(&format!("`{name}` leaves less than 40 mm for the body above `page.body_bottom`")));
            }
        }
        if self.page.body_bottom > 285.0 {
            return Err(bad("`page.body_bottom` leaves no room for the page number and the footer (at most 285 mm)"));
        }
        if let Some(logo) = &self.logo {
            for (name, value, most) in
                [("logo.left", logo.left, 210.0), ("logo.top", logo.top, 297.0), ("logo.width", logo.width, 210.0)]
            {
                if !value.is_finite() || !(0.0..=most).contains(&value) {
                    return Err(bad(&format!("`{name}` = {value} is not a length on an A4 page (0–{most} mm)")));
                }
            }
            if logo.width < 1.0 || logo.left + logo.width > 210.0 {
                return Err(bad("the logo (`logo.left` + `logo.width`) does not fit across the page"));
            }
            if logo.alt.trim().is_empty() {
                return Err(Error::new(ErrorKind::Config, format!("{PATH}: `logo.alt` is empty")).with_help(
                    "write what the logo says (usually the company's name): a blind reader hears it instead",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_headers_give_type_and_pixel_size() {
        let png = include_bytes!("../../images/logo.png");
        assert_eq!(image_header(png), Some(("image/png", 96, 96)));
        // SOI, an APP0 segment, a table, then a baseline frame 96 wide and 48 tall; fill bytes
        // before a marker are allowed.
        let jpeg = [
            &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, b'J', b'F'][..],
            &[0xFF, 0xFF, 0xDB, 0x00, 0x03, 0x00],
            &[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x30, 0x00, 0x60, 0x03],
        ]
        .concat();
        assert_eq!(image_header(&jpeg), Some(("image/jpeg", 96, 48)));
        // A Huffman table (C4) is not a frame; a progressive frame (C2) is.
        let progressive = [&jpeg[..14], &[0xFF, 0xC4, 0x00, 0x02, 0xFF, 0xC2], &jpeg[16..]].concat();
        assert_eq!(image_header(&progressive), Some(("image/jpeg", 96, 48)));
        for bad in [&b"GIF89a"[..], b"\x89PNG\r\n\x1a\n", &jpeg[..12], &[0xFF, 0xD8, 0x00], &png[..20]] {
            assert_eq!(image_header(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_email_logo_is_the_letterheads_size_at_96_pixels_an_inch_with_a_stable_content_id() {
        let mut layout: Layout = toml::from_str(include_str!("../../templates/layouts/letter.toml")).unwrap();
        let png: std::sync::Arc<[u8]> = include_bytes!("../../images/logo.png").to_vec().into();
        layout.files.logo = Some(("images/logo.png".into(), png.clone()));
        let logo = EmailLogo::of(&layout, "example.pl").unwrap().unwrap();
        assert_eq!((logo.width, logo.height, logo.mime, logo.name.as_str()), (42, 42, "image/png", "logo.png"));
        assert_eq!(logo.content_id, format!("logo.{:016x}@example.pl", crate::hash::fnv1a(&png)));
        assert_eq!(logo.alt, "Example Bank S.A.");
        // A domain a Content-ID cannot carry bare is replaced.
        let odd = EmailLogo::of(&layout, "żółw.pl").unwrap().unwrap();
        assert!(odd.content_id.ends_with("@missive.invalid"), "{}", odd.content_id);
        layout.files.logo = Some(("images/logo.gif".into(), b"GIF89a".to_vec().into()));
        let err = EmailLogo::of(&layout, "example.pl").unwrap_err().to_string();
        assert!(err.contains("images/logo.gif, which is neither a PNG nor a JPEG"), "{err}");
        layout.logo = None;
        assert_eq!(EmailLogo::of(&layout, "example.pl").unwrap(), None);
    }

    #[test]
    fn defaults_are_valid_and_match_the_bundled_file() {
        assert!(Layout::default().validate().is_ok());
        let bundled = include_str!("../../templates/layouts/letter.toml");
        let parsed: Layout = toml::from_str(bundled).unwrap();
        let default = Layout::default();
        assert_eq!((&parsed.page, &parsed.window, &parsed.text), (&default.page, &default.window, &default.text));
        assert!(parsed.validate().is_ok());
    }

    #[test]
    fn bad_settings_name_the_setting() {
        let layout: Layout = toml::from_str("[window]\nwidth = 300").unwrap();
        assert!(layout.validate().unwrap_err().to_string().contains("window.width"));
        let layout: Layout = toml::from_str("[text]\nbody = 1").unwrap();
        assert!(layout.validate().unwrap_err().to_string().contains("text.body"));
        assert!(toml::from_str::<Layout>("[window]\nwidht = 80").is_err());
        let logo = "[logo]\nfile = \"l.png\"\nleft = 150\ntop = 10\nwidth = 40\nalt = \" \"";
        let layout: Layout = toml::from_str(logo).unwrap();
        assert!(layout.validate().unwrap_err().to_string().contains("logo.alt"));
        let layout: Layout = toml::from_str(&logo.replace("left = 150", "left = 190")).unwrap();
        assert!(layout.validate().unwrap_err().to_string().contains("logo"));
        let layout: Layout = toml::from_str("[pdf]\nconformance = \"both\"").unwrap();
        assert!(layout.pdf.conformance.archival() && layout.pdf.conformance.accessible());
        assert!(toml::from_str::<Layout>("[pdf]\nconformance = \"pdf/a-1b\"").is_err());
    }
}
