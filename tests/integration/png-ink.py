#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""png-ink.py FILE: print "WIDTH HEIGHT INK COLOURS" of an 8-bit PNG.

INK counts the pixels that are not (near) white, COLOURS the distinct
colours (alpha ignored); a blank page gives INK 0. Standard library only
(zlib): host-report-html.sh's check of chromium's screenshots.
"""
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(path):
    """(width, height, channels, list of unfiltered rows)"""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, hdr = 8, [], None
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if hdr is None:
        raise ValueError("no IHDR")
    w, h, depth, ctype, _, _, interlace = hdr
    chans = CHANNELS.get(ctype)
    if depth != 8 or chans is None or interlace:
        raise ValueError("unsupported PNG (depth %d type %d)" % (depth, ctype))
    raw = zlib.decompress(b"".join(idat))
    stride = w * chans
    prev = bytearray(stride)
    out = []
    for y in range(h):
        base = y * (stride + 1)
        ft = raw[base]
        line = bytearray(raw[base + 1:base + 1 + stride])
        if ft == 1:
            for i in range(chans, stride):
                line[i] = (line[i] + line[i - chans]) & 255
        elif ft == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif ft == 3:
            for i in range(stride):
                left = line[i - chans] if i >= chans else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif ft == 4:
            for i in range(stride):
                left = line[i - chans] if i >= chans else 0
                ul = prev[i - chans] if i >= chans else 0
                line[i] = (line[i] + paeth(left, prev[i], ul)) & 255
        elif ft != 0:
            raise ValueError("bad filter %d in row %d" % (ft, y))
        out.append(line)
        prev = line
    return w, h, chans, out


def main():
    try:
        w, h, chans, lines = decode(sys.argv[1])
    except (OSError, ValueError, zlib.error, struct.error) as e:
        print("png-ink: %s" % e, file=sys.stderr)
        return 2
    ink, colours = 0, set()
    keep = min(chans, 3) if chans != 2 else 1
    for line in lines:
        for i in range(0, len(line), chans):
            px = bytes(line[i:i + keep])
            colours.add(px)
            if min(px) < 235:
                ink += 1
    print(w, h, ink, len(colours))
    return 0


if __name__ == "__main__":
    sys.exit(main())
