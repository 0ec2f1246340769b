"""What an uploaded file really is: its type from the magic bytes, its size in pixels from the header. A file that
claims to be an image (by name or Content-Type) but does not parse as one is not one."""

from __future__ import annotations

import struct
from typing import NamedTuple


class ImageInfo(NamedTuple):
    content_type: str
    width: int
    height: int


def identify(data: bytes) -> ImageInfo | None:
    """The image type and size of `data`, or None when it is no JPEG, PNG or WebP (or its header is broken)."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(data)
        if data.startswith(b"\xff\xd8\xff"):
            return _jpeg(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except (struct.error, IndexError):
        return None
    return None


def _sized(content_type: str, width: int, height: int) -> ImageInfo | None:
    return ImageInfo(content_type, width, height) if width > 0 and height > 0 else None


def _png(data: bytes) -> ImageInfo | None:
    length, chunk = struct.unpack(">I4s", data[8:16])
    if chunk != b"IHDR" or length != 13:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return _sized("image/png", width, height)


# Start-of-frame markers (every coding process); C4, C8 and CC are other segments.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg(data: bytes) -> ImageInfo | None:
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            return None  # segments follow one another: anything else is not JPEG
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # standalone markers
            offset += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or the scan began before any frame header
            return None
        (length,) = struct.unpack(">H", data[offset + 2:offset + 4])
        if length < 2:
            return None
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[offset + 5:offset + 9])
            return _sized("image/jpeg", width, height)
        offset += 2 + length
    return None


def _webp(data: bytes) -> ImageInfo | None:
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 > len(data) or riff_size < 12:
        return None  # truncated
    chunk = data[12:16]
    if chunk == b"VP8 ":
        if data[23:26] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack("<HH", data[26:30])
        return _sized("image/webp", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L":
        if data[20] != 0x2F:
            return None
        (bits,) = struct.unpack("<I", data[21:25])
        return _sized("image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return _sized("image/webp", width, height)
    return None
