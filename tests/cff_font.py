"""An OpenType font with CFF outlines made from a TrueType one, for the tests of CFF house fonts.

    python3 tests/cff_font.py IN.ttf OUT.otf

Each glyph of Latin, Latin Extended-A/B, general punctuation and the euro sign is redrawn as a
CFF charstring (quadratic curves become cubic ones) by fontTools' T2CharStringPen; the metrics
and vertical measures are copied. The PostScript name gets `-CFF` appended, so a PDF's font list
tells the two apart. `--no-outlines` instead writes the TrueType font without `glyf` and `loca`:
a font with no outlines missive can embed.
"""

import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont

if sys.argv[1] == "--no-outlines":
    font = TTFont(sys.argv[2])
    del font["glyf"]
    del font["loca"]
    font.save(sys.argv[3])
    sys.exit(0)

source = TTFont(sys.argv[1])
glyph_set = source.getGlyphSet()
cmap = {cp: name for cp, name in source.getBestCmap().items() if cp < 0x250 or 0x2000 <= cp < 0x2070 or cp == 0x20AC}
order = [".notdef"] + sorted({n for n in cmap.values() if n != ".notdef"})
metrics = {name: source["hmtx"][name] for name in order}
charstrings = {}
for name in order:
    pen = T2CharStringPen(metrics[name][0], glyph_set)
    glyph_set[name].draw(pen)
    charstrings[name] = pen.getCharString()

ps_name = source["name"].getDebugName(6) + "-CFF"
builder = FontBuilder(source["head"].unitsPerEm, isTTF=False)
builder.setupGlyphOrder(order)
builder.setupCharacterMap(cmap)
builder.setupCFF(ps_name, {"FullName": ps_name}, charstrings, {})
builder.setupHorizontalMetrics(metrics)
hhea = source["hhea"]
builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
builder.setupNameTable({"familyName": ps_name, "styleName": "Regular", "psName": ps_name})
os2 = source["OS/2"]
builder.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender, usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent, sCapHeight=getattr(os2, "sCapHeight", 0))
builder.setupPost()
builder.save(sys.argv[2])
