#!/usr/bin/env python3
"""Draws the bundled standard's logo, images/logo.png: Example Bank's mark, a navy disc with a
white "E", 8-bit RGBA with soft (anti-aliased) edges. Standard library only; the same bytes
every run. Usage: scripts/draw_logo.py [OUT]"""
import struct
import sys
import zlib

SIZE = 96
NAVY = (31, 58, 104)
SAMPLES = 4  # per axis, for the edges


def inside(x, y):
    """Whether the point (in 0..1 units) is in the disc, and whether it is in the white E."""
    dx, dy = x - 0.5, y - 0.5
    disc = dx * dx + dy * dy <= 0.47 * 0.47
    stem = 0.33 <= x <= 0.43 and 0.27 <= y <= 0.73
    bars = any(0.33 <= x <= 0.68 and top <= y <= top + 0.1 for top in (0.27, 0.45, 0.63))
    return disc, disc and (stem or bars)


def pixel(px, py):
    disc = white = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            d, w = inside((px + (sx + 0.5) / SAMPLES) / SIZE, (py + (sy + 0.5) / SAMPLES) / SIZE)
            disc += d
            white += w
    n = SAMPLES * SAMPLES
    if disc == 0:
        return (0, 0, 0, 0)
    # Colour of the covered part: white over navy in proportion; alpha from the disc's cover.
    t = white / disc
    rgb = tuple(round(c + (255 - c) * t) for c in NAVY)
    return rgb + (round(255 * disc / n),)


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


rows = b"".join(b"\0" + bytes(v for x in range(SIZE) for v in pixel(x, y)) for y in range(SIZE))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
with open(sys.argv[1] if len(sys.argv) > 1 else "images/logo.png", "wb") as f:
    f.write(png)
