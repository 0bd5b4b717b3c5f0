"""PNG and JPEG images that are only images: walked chunk by chunk (PNG) or segment by segment
(JPEG) to where the image really ends, with nothing after it.

A valid image with an HTML page or a script appended (a polyglot) opens as a picture in an
image viewer and as a page in anything that sniffs content. Magic numbers only look at the first
bytes, so the structure is walked to its end. JPEG: phones store a second image after the first
(an HDR gain map, a depth map: "multi-picture" files), which is allowed when it is itself a
JPEG walked to its end; a motion photo's video after the picture is not.
"""

import struct

from django.core.exceptions import ValidationError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_JPEG_IMAGES = 8  # a picture and the pictures phones add after it
BLANK = b" \t\r\n\x00"
PADDING = BLANK + b"\xff"  # what some writers leave after the end: never a page or a script

NOT_AN_IMAGE = "The selected file is a {kind} that could not be read: it may be damaged. Save it again and upload that"
TRAILING = (
    "The selected file has other content hidden after the end of the {kind} image (a phone's motion photo "
    "has a video there): save it again as a new PNG or JPEG and upload that"
)


LABELS = {"png": "PNG", "jpg": "JPEG"}


def refuse(message: str, kind: str) -> ValidationError:
    return ValidationError(message.format(kind=LABELS[kind]), code="unsafe_image")


def png_end(data: bytes) -> int:
    """The offset just past the IEND chunk; ValueError if the chunks do not lead there."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("no signature")
    pos, first = len(PNG_SIGNATURE), True
    while True:
        if pos + 12 > len(data):
            raise ValueError("truncated")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if length > 0x7FFFFFFF or (first and kind != b"IHDR"):
            raise ValueError("bad chunk")
        pos += 12 + length
        if kind == b"IEND":
            return pos if pos <= len(data) else -1
        first = False


def _scan_end(data: bytes, pos: int) -> int:
    """From the start of entropy-coded data, the offset of the next marker (0xFF not followed by
    0x00, a restart marker or fill)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            raise ValueError("truncated scan")
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            pos += 1 if following == 0xFF else 2
            continue
        return pos


def jpeg_end(data: bytes, pos: int = 0) -> int:
    """The offset just past the End Of Image marker of the JPEG starting at `pos`."""
    if data[pos : pos + 2] != b"\xff\xd8":
        raise ValueError("no SOI")
    pos += 2
    while True:
        if pos + 2 > len(data) or data[pos] != 0xFF:
            raise ValueError("expected a marker")
        while pos + 1 < len(data) and data[pos + 1] == 0xFF:  # fill bytes
            pos += 1
        if pos + 2 > len(data):
            raise ValueError("truncated")
        marker = data[pos + 1]
        pos += 2
        if marker == 0xD9:
            return pos
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if pos + 2 > len(data):
            raise ValueError("truncated")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2:
            raise ValueError("bad segment")
        pos += length
        if marker == 0xDA:  # start of scan: compressed data runs to the next marker
            pos = _scan_end(data, pos)


def check_image(data: bytes, kind: str) -> None:
    try:
        if kind == "png":
            end = png_end(data)
            if end < 0:
                raise ValueError("truncated")
        else:
            end = jpeg_end(data)
            for _ in range(MAX_JPEG_IMAGES - 1):
                rest = data[end:].lstrip(BLANK)
                if not rest.startswith(b"\xff\xd8"):
                    break
                end = jpeg_end(data, len(data) - len(rest))
    except (ValueError, struct.error, IndexError):
        raise refuse(NOT_AN_IMAGE, kind)
    if data[end:].strip(PADDING):
        raise refuse(TRAILING, kind)
