#!/usr/bin/env python3
"""Renders Agenda's PWA icons (public/icons/*.png) with the standard library only.

The design matches public/icons/icon.svg: a teal tile with a white contact card
(a head and shoulders). Run it again after changing the design; the PNGs are
committed, so neither builds nor CI need this script.
"""
import math
import struct
import sys
import zlib
from pathlib import Path

TEAL = (15, 118, 110)
WHITE = (255, 255, 255)


def inside(x, y, maskable):
    """Colour at (x, y) in the unit square, or None for transparent."""
    pad = 0.0 if maskable else 0.04
    radius = 0.0 if maskable else 0.2
    # Rounded tile.
    lo, hi = pad, 1 - pad
    if not (lo <= x <= hi and lo <= y <= hi):
        return None
    cx = min(max(x, lo + radius), hi - radius)
    cy = min(max(y, lo + radius), hi - radius)
    if radius and math.hypot(x - cx, y - cy) > radius:
        return None
    scale = 0.8 if maskable else 1.0  # keep the card inside the maskable safe zone
    u = 0.5 + (x - 0.5) / scale
    v = 0.5 + (y - 0.5) / scale
    # White card.
    if 0.24 <= u <= 0.76 and 0.2 <= v <= 0.8:
        # Head.
        if math.hypot(u - 0.5, v - 0.42) <= 0.09:
            return TEAL
        # Shoulders: upper half of an ellipse.
        if v >= 0.56 and ((u - 0.5) / 0.17) ** 2 + ((v - 0.7) / 0.14) ** 2 <= 1 and v <= 0.7:
            return TEAL
        return WHITE
    return TEAL


def render(size, maskable=False, samples=4):
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    c = inside((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, maskable)
                    if c is not None:
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
                        acc[3] += 255
            n = samples * samples
            alpha = acc[3] // n
            if alpha:
                row += bytes([acc[0] * 255 // acc[3], acc[1] * 255 // acc[3], acc[2] * 255 // acc[3], alpha])
            else:
                row += bytes([0, 0, 0, 0])
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "public/icons")
    out.mkdir(parents=True, exist_ok=True)
    (out / "icon-192.png").write_bytes(render(192))
    (out / "icon-512.png").write_bytes(render(512, samples=2))
    (out / "icon-maskable-512.png").write_bytes(render(512, maskable=True, samples=2))


if __name__ == "__main__":
    main()
