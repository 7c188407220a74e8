//! Page geometry (A4, millimetres from the top-left corner) and content streams that draw text
//! as glyph-id hex strings, so no value can break out of the stream.

use std::io::Write as _;

use super::Stroke;
use super::font::{GlyphId, Subset};

/// A4 width in points (210 mm).
pub const A4_WIDTH_PT: f32 = 595.2756;
/// A4 height in points (297 mm).
pub const A4_HEIGHT_PT: f32 = 841.8898;

/// Millimetres to PDF points (1/72 inch).
pub fn mm_to_pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

/// Appends `value` with at most three decimals and no trailing zeros (`12.5`, `-3`, `0.125`).
pub(crate) fn push_number(out: &mut Vec<u8>, value: f32) {
    let thousandths = (f64::from(value) * 1000.0).round() as i64;
    if thousandths < 0 {
        out.push(b'-');
    }
    let abs = thousandths.unsigned_abs();
    let _ = write!(out, "{}", abs / 1000);
    let frac = abs % 1000;
    if frac != 0 {
        let digits = format!("{frac:03}");
        out.push(b'.');
        out.extend_from_slice(digits.trim_end_matches('0').as_bytes());
    }
}

/// Appends hairlines in a dark grey: `w`, `m`, `l`, `S` per line, in points from the bottom-left.
pub(crate) fn push_strokes(out: &mut Vec<u8>, strokes: &[Stroke]) {
    out.extend_from_slice(b"q\n0.35 G\n0 J\n");
    for s in strokes {
        push_number(out, s.width_pt);
        out.extend_from_slice(b" w\n");
        push_number(out, mm_to_pt(s.x1));
        out.push(b' ');
        push_number(out, A4_HEIGHT_PT - mm_to_pt(s.y1));
        out.extend_from_slice(b" m\n");
        push_number(out, mm_to_pt(s.x2));
        out.push(b' ');
        push_number(out, A4_HEIGHT_PT - mm_to_pt(s.y2));
        out.extend_from_slice(b" l\nS\n");
    }
    out.extend_from_slice(b"Q\n");
}

/// Appends one text run to a content stream: font, size, baseline position in points from the
/// bottom-left corner, and the glyphs as `[<hex> kern <hex>] TJ` in subset glyph ids.
pub(crate) fn push_run(
    out: &mut Vec<u8>,
    font_resource: &str,
    size_pt: f32,
    x_pt: f32,
    y_pt: f32,
    glyphs: &[(GlyphId, i16)],
    subset: &Subset,
) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(b"BT\n/");
    out.extend_from_slice(font_resource.as_bytes());
    out.push(b' ');
    push_number(out, size_pt);
    out.extend_from_slice(b" Tf\n");
    push_number(out, x_pt);
    out.push(b' ');
    push_number(out, y_pt);
    out.extend_from_slice(b" Td\n[<");
    for &(glyph, kern) in glyphs {
        if kern != 0 {
            // TJ numbers move the next glyph left by n/1000 em: the negative of the kerning.
            out.push(b'>');
            let _ = write!(out, "{}", -i32::from(kern));
            out.push(b'<');
        }
        let id = subset.get(glyph);
        for shift in [12, 8, 4, 0] {
            out.push(HEX[usize::from((id >> shift) & 0xF)]);
        }
    }
    out.extend_from_slice(b">] TJ\nET\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(v: f32) -> String {
        let mut out = Vec::new();
        push_number(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact_to_a_thousandth() {
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(0.125), "0.125");
        assert_eq!(number(-0.0004), "0");
        assert_eq!(number(-0.25), "-0.25");
        assert_eq!(number(841.8898), "841.89");
    }

    #[test]
    fn a4_in_points() {
        assert!((mm_to_pt(210.0) - A4_WIDTH_PT).abs() < 0.001);
        assert!((mm_to_pt(297.0) - A4_HEIGHT_PT).abs() < 0.001);
    }
}
