//! The logo: a PNG or JPEG decoded once per standard into the streams of a PDF image XObject
//! (the colour, and for a PNG with alpha a soft mask, both deflated), so each letter only
//! copies finished bytes in.

use std::io::{Read as _, Write as _};

use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use lopdf::{Dictionary, Object, Stream};

use crate::error::{Error, ErrorKind, Result};

/// Largest width or height accepted, in pixels: a letterhead logo needs far fewer, and the
/// limit keeps a hostile file from asking for gigabytes.
const MAX_SIDE: u32 = 8192;

/// An image ready to embed: its size in pixels, the colour stream and the optional alpha.
#[derive(Debug, Clone)]
pub struct Image {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The colour samples as an image XObject (without `/SMask`, set when embedded).
    color: Stream,
    /// The alpha samples as a `DeviceGray` image XObject, when any pixel is not opaque.
    alpha: Option<Stream>,
}

impl Image {
    /// Decodes `data` (PNG or JPEG); `name` is the file's path for error messages.
    pub fn decode(name: &str, data: &[u8]) -> Result<Image> {
        let bad = |why: String| {
            Error::new(ErrorKind::Config, format!("the logo {name} cannot be used: {why}")).with_help(
                "save the logo as an 8-bit PNG (RGB or grey, alpha allowed, not interlaced) or a baseline RGB JPEG",
            )
        };
        if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            png(data).map_err(bad)
        } else if data.starts_with(&[0xFF, 0xD8]) {
            jpeg(data).map_err(bad)
        } else {
            Err(bad("it is neither a PNG nor a JPEG file".into()))
        }
    }

    /// Whether the image has a soft mask (alpha).
    pub fn has_alpha(&self) -> bool {
        self.alpha.is_some()
    }

    /// The image's streams added to `doc`: the image XObject's id.
    pub(crate) fn embed(&self, doc: &mut lopdf::Document) -> lopdf::ObjectId {
        let mut color = self.color.clone();
        if let Some(alpha) = &self.alpha {
            let mask = doc.add_object(alpha.clone());
            color.dict.set("SMask", Object::Reference(mask));
        }
        doc.add_object(color)
    }
}

/// An image XObject's dictionary.
fn xobject(width: u32, height: u32, space: &[u8], filter: &[u8]) -> Dictionary {
    Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(width))),
        ("Height", Object::Integer(i64::from(height))),
        ("ColorSpace", Object::Name(space.to_vec())),
        ("BitsPerComponent", Object::Integer(8)),
        ("Filter", Object::Name(filter.to_vec())),
    ])
}

/// Deflates `data` at the best level: it happens once per standard.
fn deflate(data: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

fn be32(data: &[u8], at: usize) -> std::result::Result<u32, String> {
    data.get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
        .ok_or_else(|| "the file is cut short".to_string())
}

/// A PNG: chunks read, IDAT inflated, scanlines unfiltered, alpha split off.
fn png(data: &[u8]) -> std::result::Result<Image, String> {
    let mut at = 8;
    let mut header = None;
    let mut palette: &[u8] = &[];
    let mut transparency: &[u8] = &[];
    let mut compressed = Vec::new();
    while at + 8 <= data.len() {
        let len = be32(data, at)? as usize;
        let kind = &data[at + 4..at + 8];
        let body = data.get(at + 8..at + 8 + len).ok_or("a chunk is cut short")?;
        match kind {
            b"IHDR" if body.len() == 13 => header = Some(body),
            b"PLTE" => palette = body,
            b"tRNS" => transparency = body,
            b"IDAT" => compressed.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    let header = header.ok_or("it has no IHDR chunk")?;
    let (width, height) = (be32(header, 0)?, be32(header, 4)?);
    let (depth, kind, interlace) = (header[8], header[9], header[12]);
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(format!("{width} × {height} pixels (at most {MAX_SIDE} a side)"));
    }
    if depth != 8 {
        return Err(format!("{depth} bits per channel (8 are supported)"));
    }
    if interlace != 0 {
        return Err("it is interlaced".into());
    }
    // Channels per pixel in the file.
    let channels = match kind {
        0 => 1,
        2 => 3,
        3 => 1,
        4 => 2,
        6 => 4,
        _ => return Err(format!("colour type {kind} is not a PNG colour type")),
    };
    let stride = width as usize * channels;
    let mut raw = Vec::with_capacity((stride + 1) * height as usize);
    ZlibDecoder::new(compressed.as_slice())
        .take(((stride + 1) * height as usize) as u64 + 1)
        .read_to_end(&mut raw)
        .map_err(|e| format!("its image data does not inflate: {e}"))?;
    if raw.len() != (stride + 1) * height as usize {
        return Err("its image data has the wrong length".into());
    }
    let pixels = unfilter(&raw, stride, channels, height as usize)?;

    let count = width as usize * height as usize;
    let gray = matches!(kind, 0 | 4);
    let mut color = Vec::with_capacity(count * if gray { 1 } else { 3 });
    let mut alpha = Vec::with_capacity(count);
    for px in pixels.chunks_exact(channels) {
        match kind {
            0 => color.push(px[0]),
            2 => color.extend_from_slice(px),
            3 => {
                let i = usize::from(px[0]);
                color.extend_from_slice(palette.get(i * 3..i * 3 + 3).ok_or("a pixel is outside the palette")?);
                alpha.push(transparency.get(i).copied().unwrap_or(255));
            }
            4 => {
                color.push(px[0]);
                alpha.push(px[1]);
            }
            _ => {
                color.extend_from_slice(&px[..3]);
                alpha.push(px[3]);
            }
        }
    }
    let space: &[u8] = if gray { b"DeviceGray" } else { b"DeviceRGB" };
    let color = Stream::new(xobject(width, height, space, b"FlateDecode"), deflate(&color)?);
    let alpha = if alpha.iter().any(|&a| a != 255) {
        Some(Stream::new(xobject(width, height, b"DeviceGray", b"FlateDecode"), deflate(&alpha)?))
    } else {
        None
    };
    Ok(Image { width, height, color, alpha })
}

/// Undoes PNG's per-scanline filters (none, sub, up, average, Paeth).
fn unfilter(raw: &[u8], stride: usize, bpp: usize, rows: usize) -> std::result::Result<Vec<u8>, String> {
    let mut out = vec![0u8; stride * rows];
    for row in 0..rows {
        let filter = raw[row * (stride + 1)];
        let line = &raw[row * (stride + 1) + 1..(row + 1) * (stride + 1)];
        let (done, rest) = out.split_at_mut(row * stride);
        let prior = if row == 0 { None } else { Some(&done[(row - 1) * stride..]) };
        let current = &mut rest[..stride];
        for i in 0..stride {
            let a = if i >= bpp { current[i - bpp] } else { 0 };
            let b = prior.map_or(0, |p| p[i]);
            let c = if i >= bpp { prior.map_or(0, |p| p[i - bpp]) } else { 0 };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => paeth(a, b, c),
                _ => return Err(format!("row {row} has the unknown filter {filter}")),
            };
            current[i] = line[i].wrapping_add(predicted);
        }
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// A JPEG, embedded as it is (`DCTDecode`); only its frame header is read.
fn jpeg(data: &[u8]) -> std::result::Result<Image, String> {
    let mut at = 2;
    while at + 4 <= data.len() {
        if data[at] != 0xFF {
            return Err("its markers are damaged".into());
        }
        let marker = data[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let frame = data.get(at + 4..at + 10).ok_or("its frame header is cut short")?;
            let height = u32::from(u16::from_be_bytes([frame[1], frame[2]]));
            let width = u32::from(u16::from_be_bytes([frame[3], frame[4]]));
            let space: &[u8] = match frame[5] {
                1 => b"DeviceGray",
                3 => b"DeviceRGB",
                n => return Err(format!("it has {n} colour components (CMYK is not supported: save it as RGB)")),
            };
            if frame[0] != 8 || width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
                return Err(format!("{width} × {height} pixels at {} bits", frame[0]));
            }
            let color = Stream::new(xobject(width, height, space, b"DCTDecode"), data.to_vec());
            return Ok(Image { width, height, color, alpha: None });
        }
        at += 2 + len;
    }
    Err("it has no frame header".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `kind` with the given filtered scanlines.
    fn png_file(width: u32, height: u32, kind: u8, scanlines: &[u8]) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8], body: &[u8]) {
            out.extend_from_slice(&(body.len() as u32).to_be_bytes());
            out.extend_from_slice(kind);
            out.extend_from_slice(body);
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(body);
            out.extend_from_slice(&crc.sum().to_be_bytes());
        }
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut header = Vec::new();
        header.extend_from_slice(&width.to_be_bytes());
        header.extend_from_slice(&height.to_be_bytes());
        header.extend_from_slice(&[8, kind, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &header);
        chunk(&mut out, b"IDAT", &deflate(scanlines).unwrap());
        chunk(&mut out, b"IEND", &[]);
        out
    }

    fn inflate(stream: &Stream) -> Vec<u8> {
        let mut out = Vec::new();
        ZlibDecoder::new(stream.content.as_slice()).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn rgba_png_splits_colour_and_alpha_through_every_filter() {
        // 2 × 5 pixels, one row per filter; each row's pixels are (10,20,30,0) and (40,50,60,255).
        let pixels = [10u8, 20, 30, 0, 40, 50, 60, 255];
        let mut scanlines = Vec::new();
        let mut prior = [0u8; 8];
        for filter in 0..5u8 {
            scanlines.push(filter);
            for i in 0..8 {
                let a = if i >= 4 { pixels[i - 4] } else { 0 };
                let b = prior[i];
                let c = if i >= 4 { prior[i - 4] } else { 0 };
                let predicted = match filter {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                    _ => paeth(a, b, c),
                };
                scanlines.push(pixels[i].wrapping_sub(predicted));
            }
            prior = pixels;
        }
        let image = Image::decode("logo.png", &png_file(2, 5, 6, &scanlines)).unwrap();
        assert_eq!((image.width, image.height), (2, 5));
        assert_eq!(inflate(&image.color), [10, 20, 30, 40, 50, 60].repeat(5));
        assert_eq!(inflate(image.alpha.as_ref().unwrap()), [0, 255].repeat(5));
    }

    #[test]
    fn an_opaque_png_has_no_mask() {
        let image = Image::decode("g.png", &png_file(1, 1, 0, &[0, 128])).unwrap();
        assert!(!image.has_alpha());
        assert_eq!(image.color.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceGray");
    }

    #[test]
    fn broken_files_are_errors_naming_the_file() {
        for data in [&b"GIF89a"[..], b"\x89PNG\r\n\x1a\n", &png_file(2, 2, 2, &[0, 1, 2])[..], &[0xFF, 0xD8, 0xFF]] {
            let err = Image::decode("images/logo.png", data).unwrap_err().to_string();
            assert!(err.contains("images/logo.png"), "{err}");
        }
    }
}
