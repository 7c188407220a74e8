//! Page geometry (A4, millimetres from the top-left corner) and content streams that draw text
//! as escaped glyph-id strings, so no value can break out of the stream.

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
    push_digits(out, abs / 1000);
    let mut frac = abs % 1000;
    if frac != 0 {
        out.push(b'.');
        let mut digits = 3;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        for shift in (0..digits).rev() {
            out.push(b'0' + (frac / 10u64.pow(shift) % 10) as u8);
        }
    }
}

/// Appends the decimal digits of `n` (no `fmt` machinery: this runs for every number in a
/// content stream).
fn push_digits(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[at..]);
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

/// Appends an image XObject drawn into its box (left, top, width, height in mm).
pub(crate) fn push_image(out: &mut Vec<u8>, resource: &str, at: [f32; 4]) {
    let [left, top, width, height] = at;
    out.extend_from_slice(b"q\n");
    for value in [mm_to_pt(width), 0.0, 0.0, mm_to_pt(height), mm_to_pt(left), A4_HEIGHT_PT - mm_to_pt(top + height)] {
        push_number(out, value);
        out.push(b' ');
    }
    out.extend_from_slice(b"cm\n/");
    out.extend_from_slice(resource.as_bytes());
    out.extend_from_slice(b" Do\nQ\n");
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
    out.extend_from_slice(b"BT\n/");
    out.extend_from_slice(font_resource.as_bytes());
    out.push(b' ');
    push_number(out, size_pt);
    out.extend_from_slice(b" Tf\n");
    push_number(out, x_pt);
    out.push(b' ');
    push_number(out, y_pt);
    out.extend_from_slice(b" Td\n[(");
    for &(glyph, kern) in glyphs {
        if kern != 0 {
            // TJ numbers move the next glyph left by n/1000 em: the negative of the kerning.
            out.push(b')');
            push_number(out, -f32::from(kern));
            out.push(b'(');
        }
        // Two bytes per glyph id in a literal string: half the size of hex. Parentheses and
        // the backslash are escaped, and so are CR and LF, which a reader would normalise.
        for byte in subset.get(glyph).to_be_bytes() {
            match byte {
                b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\n' => out.extend_from_slice(b"\\n"),
                _ => out.push(byte),
            }
        }
    }
    out.extend_from_slice(b")] TJ\nET\n");
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
        assert_eq!(number(0.05), "0.05");
        assert_eq!(number(1234.001), "1234.001");
        assert_eq!(number(-70.0), "-70");
    }

    #[test]
    fn a4_in_points() {
        assert!((mm_to_pt(210.0) - A4_WIDTH_PT).abs() < 0.001);
        assert!((mm_to_pt(297.0) - A4_HEIGHT_PT).abs() < 0.001);
    }
}
