"""Real image files for tests, made here (no fixtures to download): solid-colour baseline JPEGs and PNGs that any
decoder shows, and the headers of other formats."""

from __future__ import annotations

import struct
import zlib


def png(width: int = 64, height: int = 48, rgb: tuple[int, int, int] = (230, 150, 60)) -> bytes:
    row = b"\x00" + bytes(rgb) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


class _Bits:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.count = 0

    def put(self, value: int, length: int) -> None:
        for shift in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> shift) & 1)
            self.count += 1
            if self.count == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)  # byte stuffing
                self.acc = self.count = 0

    def flush(self) -> bytes:
        while self.count:
            self.put(1, 1)
        return bytes(self.out)


def jpeg(width: int = 64, height: int = 48, rgb: tuple[int, int, int] = (230, 150, 60), pad_to: int = 0) -> bytes:
    """A baseline JPEG of one colour (every block's AC coefficients are zero), optionally padded with a comment
    segments to about `pad_to` bytes."""
    r, g, b = rgb
    ycc = (0.299 * r + 0.587 * g + 0.114 * b,
           128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
           128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
    dcs = [round(8 * (value - 128)) for value in ycc]  # quantisation table of ones: DC = 8 x level-shifted mean

    def category(value: int) -> int:
        return abs(value).bit_length()

    categories = sorted({0, *(category(dc) for dc in dcs)})
    # One DC table: every category used, each a 4-bit code (never all ones); one AC table: EOB only, code "0".
    dc_codes = {cat: (index, 4) for index, cat in enumerate(categories)}
    segments = bytearray(b"\xff\xd8")
    segments += b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    segments += b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + b"\x01" * 64
    segments += b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3)
    for component in (1, 2, 3):
        segments += bytes([component, 0x11, 0])
    dc_bits = [0] * 16
    dc_bits[3] = len(categories)
    segments += b"\xff\xc4" + struct.pack(">H", 3 + 16 + len(categories)) + b"\x00" + bytes(dc_bits) + bytes(categories)
    ac_bits = [1] + [0] * 15
    segments += b"\xff\xc4" + struct.pack(">H", 3 + 16 + 1) + b"\x10" + bytes(ac_bits) + b"\x00"
    if pad_to > len(segments):
        filler = pad_to - len(segments)
        while filler > 0:
            size = min(filler, 65533)
            segments += b"\xff\xfe" + struct.pack(">H", size + 2) + b"x" * size
            filler -= size + 4
    segments += b"\xff\xda" + struct.pack(">HB", 12, 3) + bytes([1, 0x00, 2, 0x00, 3, 0x00]) + b"\x00\x3f\x00"
    bits = _Bits()
    previous = [0, 0, 0]
    for _ in range(((width + 7) // 8) * ((height + 7) // 8)):
        for index, dc in enumerate(dcs):
            diff = dc - previous[index]
            previous[index] = dc
            cat = category(diff)
            code, length = dc_codes[cat]
            bits.put(code, length)
            if cat:
                bits.put(diff if diff > 0 else diff + (1 << cat) - 1, cat)
            bits.put(0, 1)  # EOB
    return bytes(segments) + bits.flush() + b"\xff\xd9"


def webp_header(width: int = 64, height: int = 48) -> bytes:
    """The start of a lossless WebP (RIFF, VP8L and its size); enough for what reads headers, not for a decoder."""
    bits = (width - 1) | ((height - 1) << 14)
    payload = b"VP8L" + struct.pack("<I", 5) + b"\x2f" + struct.pack("<I", bits)
    return b"RIFF" + struct.pack("<I", 4 + len(payload)) + b"WEBP" + payload


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"
