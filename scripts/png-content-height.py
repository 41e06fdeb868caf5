#!/usr/bin/env python3
"""Prints `width height content_height distinct_colours` of a PNG screenshot, using only the standard library.

content_height is the last row, counted from the top, that holds a non-white pixel: the rendered page's height when
the screenshot window is taller than the page. Used by the headless-Chromium test of the HTML report."""
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
channels = {2: 3, 6: 4, 0: 1, 4: 2}[colour]
raw, stride = zlib.decompress(idat), width * channels
rows, previous, offset = [], bytearray(stride), 0
for _ in range(height):
    kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
    offset += 1 + stride
    for i in range(stride):
        left = line[i - channels] if i >= channels else 0
        up, corner = previous[i], previous[i - channels] if i >= channels else 0
        if kind == 1: line[i] = (line[i] + left) & 255
        elif kind == 2: line[i] = (line[i] + up) & 255
        elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    rows.append(line)
    previous = line
last, colours = 0, set()
for y, line in enumerate(rows):
    for x in range(0, stride, channels * 7):
        pixel = bytes(line[x:x + 3])
        colours.add(pixel)
        if pixel != b"\xff\xff\xff":
            last = y + 1
print(width, height, last, len(colours))
