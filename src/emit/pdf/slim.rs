//! A print-only copy of a TrueType font, made once at load: the hinting (glyph instructions,
//! `cvt `, `fpgm`, `prep`) and the long `name` records (licence text, URLs) are dropped, so
//! every per-letter subset is less than half the size and cheaper to build. Glyph ids are
//! unchanged, so metrics read from the original font still apply.
//!
//! Hinting only steers rasterisation on low-resolution screens; PDF viewers and printers
//! render the outlines without it.

/// Tables kept (besides `glyf`, `loca`, `head`, `name` and `post`, which are rewritten).
const KEEP: [&[u8; 4]; 3] = [b"hhea", b"hmtx", b"maxp"];
/// `name` records kept: copyright, family, subfamily, full name, PostScript name.
const NAMES: [u16; 5] = [0, 1, 2, 4, 6];

/// The print-only copy of `data`, or `None` if the font's tables are not as TrueType requires
/// (the caller then keeps the original).
pub(crate) fn slim(data: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(data, 4)?);
    let mut tables: Vec<([u8; 4], &[u8])> = Vec::with_capacity(count);
    for i in 0..count {
        let record = data.get(12 + 16 * i..28 + 16 * i)?;
        let tag: [u8; 4] = record[..4].try_into().ok()?;
        let offset = u32_at(record, 8)? as usize;
        let length = u32_at(record, 12)? as usize;
        tables.push((tag, data.get(offset..offset.checked_add(length)?)?));
    }
    let table = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, d)| *d);
    let head = table(b"head")?;
    let glyf = table(b"glyf")?;
    let loca = table(b"loca")?;
    let glyphs = usize::from(u16_at(table(b"maxp")?, 4)?);
    let long = u16_at(head, 50)? == 1;
    let offset = |i: usize| -> Option<usize> {
        if long { u32_at(loca, 4 * i).map(|v| v as usize) } else { u16_at(loca, 2 * i).map(|v| 2 * usize::from(v)) }
    };

    let mut new_glyf = Vec::with_capacity(glyf.len() / 2);
    let mut new_loca = Vec::with_capacity(4 * (glyphs + 1));
    for i in 0..glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let (start, end) = (offset(i)?, offset(i + 1)?);
        if end > start {
            strip_glyph(glyf.get(start..end)?, &mut new_glyf)?;
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());

    let mut new_head = head.to_vec();
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    new_head.get_mut(50..52)?.copy_from_slice(&1u16.to_be_bytes());
    let mut post = table(b"post")?.get(..32)?.to_vec();
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (*b"glyf", new_glyf),
        (*b"head", new_head),
        (*b"loca", new_loca),
        (*b"name", names(table(b"name")?)?),
        (*b"post", post),
    ];
    for tag in KEEP {
        out_tables.push((*tag, table(tag)?.to_vec()));
    }
    out_tables.sort_by_key(|t| t.0);
    Some(assemble(&out_tables))
}

/// Appends one glyph without its instructions.
fn strip_glyph(glyph: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let contours = i16::from_be_bytes(glyph.get(..2)?.try_into().ok()?);
    if contours >= 0 {
        let n = usize::try_from(contours).ok()?;
        let at = 10 + 2 * n;
        let instructions = usize::from(u16_at(glyph, at)?);
        out.extend_from_slice(glyph.get(..at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(glyph.get(at + 2 + instructions..)?);
        return Some(());
    }
    // A composite: components until one lacks MORE_COMPONENTS; instructions (if any) follow.
    let start = out.len();
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        let mut size = 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        if flags & 0x0008 != 0 {
            size += 2;
        } else if flags & 0x0040 != 0 {
            size += 4;
        } else if flags & 0x0080 != 0 {
            size += 8;
        }
        glyph.get(at..at + size)?;
        at += size;
        if flags & 0x0020 == 0 {
            break;
        }
    }
    out.extend_from_slice(glyph.get(..at)?);
    // Clear WE_HAVE_INSTRUCTIONS in every component's flags.
    let mut at = start + 10;
    loop {
        let flags = u16::from_be_bytes([out[at], out[at + 1]]) & !0x0100;
        out[at..at + 2].copy_from_slice(&flags.to_be_bytes());
        let mut size = 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        if flags & 0x0008 != 0 {
            size += 2;
        } else if flags & 0x0040 != 0 {
            size += 4;
        } else if flags & 0x0080 != 0 {
            size += 8;
        }
        at += size;
        if flags & 0x0020 == 0 {
            return Some(());
        }
    }
}

/// A `name` table (format 0) with only the Windows Unicode records in [`NAMES`].
fn names(name: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(name, 2)?);
    let storage = usize::from(u16_at(name, 4)?);
    let mut kept: Vec<([u16; 4], &[u8])> = Vec::new();
    for i in 0..count {
        let r = 6 + 12 * i;
        let ids = [u16_at(name, r)?, u16_at(name, r + 2)?, u16_at(name, r + 4)?, u16_at(name, r + 6)?];
        let length = usize::from(u16_at(name, r + 8)?);
        let offset = storage + usize::from(u16_at(name, r + 10)?);
        if ids[0] == 3 && ids[1] == 1 && NAMES.contains(&ids[3]) {
            kept.push((ids, name.get(offset..offset + length)?));
        }
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(kept.len() as u16).to_be_bytes());
    out.extend_from_slice(&(6 + 12 * kept.len() as u16).to_be_bytes());
    let mut strings = Vec::new();
    for (ids, text) in &kept {
        for id in ids {
            out.extend_from_slice(&id.to_be_bytes());
        }
        out.extend_from_slice(&(text.len() as u16).to_be_bytes());
        out.extend_from_slice(&(strings.len() as u16).to_be_bytes());
        strings.extend_from_slice(text);
    }
    out.extend_from_slice(&strings);
    Some(out)
}

/// The font file: offset table, table records (sorted by tag) with checksums, tables on
/// four-byte boundaries, and `head.checkSumAdjustment` set.
fn assemble(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = 16u16 << entry_selector;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

/// The TrueType table checksum: the sum of big-endian u32 words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::pdf::{DEJAVU_SANS, DEJAVU_SANS_BOLD};

    #[test]
    fn the_slim_font_has_the_same_glyphs_and_metrics() {
        for data in [DEJAVU_SANS, DEJAVU_SANS_BOLD] {
            let slim = slim(data).unwrap();
            assert!(slim.len() < data.len() * 4 / 5, "{} of {}", slim.len(), data.len());
            let before = ttf_parser::Face::parse(data, 0).unwrap();
            let after = ttf_parser::Face::parse(&slim, 0).unwrap();
            assert_eq!(before.number_of_glyphs(), after.number_of_glyphs());
            let raw = ttf_parser::RawFace::parse(&slim, 0).unwrap();
            for tag in [b"fpgm", b"cvt ", b"prep"] {
                assert!(raw.table(ttf_parser::Tag::from_bytes(tag)).is_none());
            }
            for c in "AĄąŁłŻżĆć€„”–1%".chars() {
                let g = before.glyph_index(c).unwrap();
                assert_eq!(before.glyph_bounding_box(g), after.glyph_bounding_box(g), "{c}");
                assert_eq!(before.glyph_hor_advance(g), after.glyph_hor_advance(g), "{c}");
            }
            let name = after.names().into_iter().find(|n| n.name_id == 6).and_then(|n| n.to_string());
            assert!(name.unwrap().starts_with("DejaVuSans"));
            assert_eq!(checksum(&slim), 0xB1B0_AFBA, "whole-file checksum");
        }
    }

    #[test]
    fn garbage_is_refused_not_a_panic() {
        assert!(slim(b"").is_none());
        assert!(slim(&[0, 1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0]).is_none());
        let mut cut = DEJAVU_SANS.to_vec();
        cut.truncate(5000);
        assert!(slim(&cut).is_none());
    }
}
