"""Malicious files, built the way an attacker would build them: zip bombs shaped as office
documents (declared, lying and overlapping), macros and embedded programs (those are written in
uploads_payloads_office.py), PDFs that run scripts or carry files (with the library a real
attacker would use, pikepdf, and by hand where names are hex-escaped), and polyglots. Each payload names the refusal it must meet, so a test that passes
because some other guard fired instead fails."""

import io
import struct
import zlib
from dataclasses import dataclass
from functools import cache

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from tests.applications.factories import JPEG, PDF, PNG, png_bytes

from . import uploads_payloads_office as office


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
    return PDF + office.docx()


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
    "declared 300 MB zip bomb": office.declared_bomb,
    "one part packed 1,000 times": office.dense_part,
    "110 MB in small parts": office.many_megabytes,
    "10,000 parts": office.many_parts,
    "lying header": office.lying_header,
    "overlapping parts": office.overlapping,
    "page appended to a docx": office.appended_to_docx,
    "docm renamed docx": office.docm_renamed,
    "VBA project smuggled in": office.vba_smuggled,
    "ActiveX control": office.activex,
    "OLE object": office.ole_object,
    "remote template": office.remote_template,
    "OLE object declared by type": office.ole_by_type,
    "two parts by one name": office.twin_parts,
    "a part in front of the document": office.part_in_front,
    "encrypted part": office.encrypted_part,
    "bytes hidden after a part's data": office.hidden_in_a_part,
    "local header naming another part": office.renamed_local_header,
    "spoiled checksum": office.spoiled_checksum,
    "embedded document over 20 MB": office.large_embedded,
    "unreadable PDF": pdf_unreadable,
    "PNG with no end": lambda: PNG[: PNG.rindex(b"IEND") - 4],
    "macros in an embedded document": office.nested_macros,
    "zip bomb in an embedded document": office.nested_bomb,
    "documents nested twice": office.nested_twice,
    "120 MB across a document and its embedded one": office.nested_total,
    "ODT Basic macros": office.odt_basic,
    "ODT macro on opening, escaped": office.odt_event_macro,
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
    "zip after the PNG": lambda: PNG + office.docx(),
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
