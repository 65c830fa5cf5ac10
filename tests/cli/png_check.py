#!/usr/bin/env python3
"""tests/cli/png_check.py — is a file a valid, non-blank PNG? (pure Python: zlib, no numpy)

Usage: png_check.py FILE [--min-colours N] [--min-ink SHARE] [--size WxH] [--structure]
Checks the signature, every chunk's CRC, IHDR first and IEND last, and decodes the pixels
(8-bit greyscale, RGB, or with alpha; not interlaced: what gnuplot's pngcairo and Chromium
write). Then the image must have at least N distinct colours (default 2) and at least SHARE of
its pixels different from its most common colour, the background (default 0.001). Prints
"WxH, C colours, I% ink" and exits 0, or prints why and exits 1. --structure checks the file's
structure (and --size) only, without decoding the pixels (faster).
"""
import struct
import sys
import zlib


def fail(msg):
    print(f"{sys.argv[1]}: {msg}")
    sys.exit(1)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(data, width, height, bpp):
    stride = width * bpp
    out = bytearray(stride * height)
    prev = bytearray(stride)
    pos = 0
    for y in range(height):
        ftype = data[pos]
        row = bytearray(data[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        if ftype == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 255
        elif ftype == 2:
            row = bytearray((r + p) & 255 for r, p in zip(row, prev))
        elif ftype == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 255
        elif ftype == 4:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                upleft = prev[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + paeth(left, prev[i], upleft)) & 255
        elif ftype != 0:
            fail(f"bad filter type {ftype} in row {y}")
        out[y * stride : (y + 1) * stride] = row
        prev = row
    return out


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    path = args[0]
    min_colours, min_ink, size, structure = 2, 0.001, None, False
    i = 1
    while i < len(args):
        if args[i] == "--structure":
            structure = True
            i += 1
            continue
        if args[i] == "--min-colours":
            min_colours = int(args[i + 1])
        elif args[i] == "--min-ink":
            min_ink = float(args[i + 1])
        elif args[i] == "--size":
            size = tuple(int(v) for v in args[i + 1].split("x"))
        else:
            fail(f"unknown argument {args[i]}")
        i += 2
    with open(path, "rb") as f:
        blob = f.read()
    if blob[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG (bad signature)")
    pos, chunks = 8, []
    while pos < len(blob):
        if pos + 8 > len(blob):
            fail("truncated chunk header")
        length, ctype = struct.unpack(">I4s", blob[pos : pos + 8])
        body = blob[pos + 8 : pos + 8 + length]
        crc = blob[pos + 8 + length : pos + 12 + length]
        if len(body) != length or len(crc) != 4:
            fail(f"truncated {ctype!r} chunk")
        if zlib.crc32(ctype + body) & 0xFFFFFFFF != struct.unpack(">I", crc)[0]:
            fail(f"bad CRC in {ctype!r} chunk")
        chunks.append((ctype, body))
        pos += 12 + length
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        fail("IHDR must come first and IEND last")
    width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if width == 0 or height == 0:
        fail("empty image")
    if size and (width, height) != size:
        fail(f"is {width}x{height}, expected {size[0]}x{size[1]}")
    if structure:
        print(f"{width}x{height}: structure valid")
        return
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        # Valid, but not a layout this checker decodes (palette, 16-bit, interlaced).
        print(f"{width}x{height}, depth {depth}, colour type {ctype}: structure valid")
        return
    raw = zlib.decompress(b"".join(body for t, body in chunks if t == b"IDAT"))
    if len(raw) != height * (1 + width * channels):
        fail("pixel data has the wrong size")
    pixels = unfilter(raw, width, height, channels)
    counts = {}
    step = channels
    for p in range(0, len(pixels), step):
        key = bytes(pixels[p : p + step])
        counts[key] = counts.get(key, 0) + 1
    background = max(counts.values())
    ink = 1.0 - background / (width * height)
    print(f"{width}x{height}, {len(counts)} colours, {100 * ink:.1f}% ink")
    if len(counts) < min_colours:
        fail(f"only {len(counts)} colours (at least {min_colours} expected): blank?")
    if ink < min_ink:
        fail(f"only {100 * ink:.3f}% of pixels differ from the background: blank?")


if __name__ == "__main__":
    main()
