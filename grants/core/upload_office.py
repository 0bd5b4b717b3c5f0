"""Office documents (DOCX, XLSX, ODT) are zip archives: what they are, and whether they are safe to open.

The archive is judged from its central directory first, without decompressing anything: how many
parts, how big they say they are once opened, how tightly each is packed. A 300 KB "zip bomb"
declaring 300 MB is refused there. Headers can lie (declare a small size for a part that
inflates to gigabytes), so every part is then inflated as a stream into nothing, never stored,
each stopped one byte past the size it declared: a part that is longer than it says, or whose
checksum differs, is refused as altered. At most `MAX_TOTAL_UNCOMPRESSED` bytes are ever inflated.

Then what it carries: macros (a VBA project, a macro-enabled main part, ODF Basic or scripts, an
event or link that runs a macro), ActiveX controls and embedded OLE objects (the usual carrier
of a hidden program), templates or objects fetched from the internet when the file opens, and
documents nested inside (an embedded chart's workbook is usual; it is checked by the same rules,
one level deep only).
"""

import struct
import zipfile
import zlib
from io import BytesIO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from django.core.exceptions import ValidationError

from .money import number

MB = 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 100 * MB  # all parts together, once opened (nested documents included)
MAX_RATIO = 100  # a part may be at most 100 times larger opened than packed...
RATIO_FLOOR = 1 * MB  # ...once it is over 1 MB opened (small, repetitive XML packs tighter, harmlessly)
MAX_MEMBERS = 10_000  # parts in one archive (a large workbook has a few hundred)
MAX_PART_READ = 4 * MB  # [Content_Types].xml, a .rels file or the ODF mimetype, read whole
MAX_NESTED = 20 * MB  # a document nested in the document, read into memory to be checked
NESTED_SUFFIXES = (".zip", ".jar", ".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xlsb", ".xltx", ".xltm")
NESTED_SUFFIXES += (".pptx", ".pptm", ".potx", ".potm", ".ppsx", ".ppsm", ".odt", ".ods", ".odp", ".odg", ".ott")

ODT = "application/vnd.oasis.opendocument.text"
OOXML_MAIN = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
MACRO_TYPES = ("macroenabled", "vbaproject", "vba+xml")
ACTIVE_TYPES = ("activex", "oleobject")
# Relationships that fetch something that runs: a remote template (which may carry macros), an
# OLE object, a subdocument or a frame. A plain hyperlink (also External) is fine.
REMOTE_TYPES = ("attachedtemplate", "oleobject", "subdocument", "frame")
ODF_SCRIPTED = ("vnd.sun.star.script:", "macro:")

TOO_BIG = (
    "The selected file would be too large once opened: a DOCX, XLSX or ODT file must hold less than "
    f"{MAX_TOTAL_UNCOMPRESSED // MB}MB when uncompressed"
)
TOO_DENSE = (
    f"The selected file is packed more than {MAX_RATIO} times smaller than its contents, which is how harmful "
    "'zip bomb' files are made: save it again from your office program and upload the new copy"
)
TOO_MANY = f"The selected file holds more than {number(MAX_MEMBERS)} parts: save it again as a smaller document"
ALTERED = (
    "The selected file is damaged or has been altered after it was saved: save it again from your office "
    "program and upload the new copy"
)
MACROS = "The selected file contains macros: save it as a DOCX, XLSX or ODT file without macros and upload it again"
ACTIVE = (
    "The selected file contains embedded objects or controls (such as ActiveX controls or embedded files), which "
    "can hide a program: remove them, save the file and upload it again"
)
REMOTE = (
    "The selected file fetches a template or other content from the internet when it opens: save a copy "
    "without it and upload that"
)
NESTED = (
    "The selected file contains documents nested inside documents inside it: save the embedded documents "
    "separately and upload them as files of their own"
)
NESTED_TOO_BIG = (
    f"The selected file contains an embedded document larger than {MAX_NESTED // MB}MB: upload it separately"
)

LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def refuse(message: str) -> ValidationError:
    return ValidationError(message, code="unsafe_office_file")


class Budget:
    """Bytes that may still be inflated, shared by a document and the documents nested in it:
    each archive's declared total must fit in what is left (and `inflate` holds every part to
    its declared size, so what is spent never passes it)."""

    def __init__(self) -> None:
        self.left = MAX_TOTAL_UNCOMPRESSED

    def spend(self, n: int) -> None:
        self.left -= n


def check_directory(archive: zipfile.ZipFile, *, size: int, budget: Budget) -> list[zipfile.ZipInfo]:
    """The limits, read from the central directory alone."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise refuse(TOO_MANY)
    names = [i.filename for i in infos]
    if len(set(names)) != len(names) or archive.comment:
        raise refuse(ALTERED)  # two parts by one name: readers disagree about which one counts
    if infos and min(i.header_offset for i in infos) != 0:
        raise refuse(ALTERED)  # something before the first part: another file in front of it
    declared = packed = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            raise refuse(ALTERED)  # office programs write only these, and never encrypt parts
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse(TOO_DENSE)
        declared += info.file_size
        packed += info.compress_size
    if declared > budget.left:
        raise refuse(TOO_BIG)
    if packed > size:
        raise refuse(ALTERED)  # parts sharing their bytes: the overlapping kind of zip bomb
    return infos


def inflate(source, info: zipfile.ZipInfo, *, budget: Budget, keep: bool = False) -> bytes:
    """Inflate one part from its raw bytes, stopping one byte past its declared size, and check
    it is exactly that size with the declared checksum. Returns the bytes only when `keep`."""
    source.seek(info.header_offset)
    header = source.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size:
        raise refuse(ALTERED)
    signature, *_, name_len, extra_len = LOCAL_HEADER.unpack(header)
    name = source.read(name_len)
    if signature != b"PK\x03\x04" or name.decode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace") != (
        info.orig_filename
    ):
        raise refuse(ALTERED)  # the local header names another part than the directory does
    source.seek(extra_len, 1)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, produced, crc, kept = info.compress_size, 0, 0, []
    while left > 0 or (inflater is not None and inflater.unconsumed_tail):
        chunk = inflater.unconsumed_tail if inflater is not None and inflater.unconsumed_tail else b""
        if not chunk:
            chunk = source.read(min(left, 64 * 1024))
            if not chunk:
                raise refuse(ALTERED)
            left -= len(chunk)
        out = inflater.decompress(chunk, info.file_size + 1 - produced) if inflater is not None else chunk
        produced += len(out)
        if produced > info.file_size:
            raise refuse(ALTERED)  # longer than it says: the lying-header kind of zip bomb
        crc = zlib.crc32(out, crc)
        if keep:
            kept.append(out)
        if inflater is not None and inflater.eof:
            break
    budget.spend(produced)
    if produced != info.file_size or crc != info.CRC:
        raise refuse(ALTERED)
    if inflater is not None and (not inflater.eof or left > 0 or inflater.unused_data):
        raise refuse(ALTERED)  # packed bytes the part does not use: room to hide something
    return b"".join(kept)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    if info.file_size > MAX_PART_READ:
        raise refuse(ALTERED)
    try:
        with archive.open(info) as handle:
            return DefusedET.fromstring(handle.read(MAX_PART_READ + 1))
    except (ParseError, DefusedXmlException, ValueError):
        raise refuse(ALTERED)


def ooxml_kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """DOCX or XLSX by the package's declared content types; refuses macros and active content."""
    root = _xml(archive, archive.getinfo("[Content_Types].xml"))
    declared = {}
    for element in root:
        content_type = element.get("ContentType", "").lower()
        if any(word in content_type for word in MACRO_TYPES):
            raise refuse(MACROS)
        if any(word in content_type for word in ACTIVE_TYPES):
            raise refuse(ACTIVE)
        if _local(element.tag) == "Override":
            declared[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
    for kind, (part, content_type) in OOXML_MAIN.items():
        if declared.get(part) == content_type and part in names:
            return kind
    return None


def check_ooxml_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        name = info.filename.lower()
        if name.rsplit("/", 1)[-1].startswith("vbaproject") or name.rsplit("/", 1)[-1] == "vbadata.xml":
            raise refuse(MACROS)
        if "activex/" in name or ("embeddings/" in name and name.endswith(".bin")):
            raise refuse(ACTIVE)
        if name.endswith(".rels"):
            for rel in _xml(archive, info):
                if rel.get("TargetMode", "").lower() == "external" and rel.get("Type", "").lower().endswith(
                    REMOTE_TYPES
                ):
                    raise refuse(REMOTE)


def check_odf_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Basic macros and scripts live in Basic/ and Scripts/; events and links that run a macro
    are attributes in content.xml or styles.xml (vnd.sun.star.script: or macro: URLs), read by
    parsing, so character references cannot hide them."""
    for info in infos:
        if info.filename.lower().startswith(("basic/", "scripts/")):
            raise refuse(MACROS)
    for info in infos:
        if info.filename not in ("content.xml", "styles.xml", "settings.xml"):
            continue
        try:
            with archive.open(info) as handle:
                for _event, element in DefusedET.iterparse(handle, events=("end",)):
                    if any(v.strip().lower().startswith(ODF_SCRIPTED) for v in element.attrib.values()):
                        raise refuse(MACROS)
                    element.clear()
        except (ParseError, DefusedXmlException, ValueError):
            raise refuse(ALTERED)


def package_kind(source, *, size: int, budget: Budget, nested: bool = False) -> str | None:
    """'docx', 'xlsx', 'odt', or None for a zip that is none of them; ValidationError for an
    unsafe one. `nested`: this is a document inside a document (any zip is then welcome to be
    checked, but may hold no further documents)."""
    with zipfile.ZipFile(source) as archive:
        source.seek(max(size - 22, 0))
        if source.read(4) != b"PK\x05\x06":
            raise refuse(ALTERED)  # bytes after the archive's end record: another file appended
        infos = check_directory(archive, size=size, budget=budget)
        inner = []
        for info in infos:
            is_nested = info.filename.lower().endswith(NESTED_SUFFIXES)
            if is_nested and nested:
                raise refuse(NESTED)
            if is_nested and info.file_size > MAX_NESTED:
                raise refuse(NESTED_TOO_BIG)
            data = inflate(source, info, budget=budget, keep=is_nested)
            if is_nested:
                inner.append(data)
        names = {i.filename for i in infos}
        kind = None
        if "mimetype" in names:
            check_odf_parts(archive, infos)
            mimetype = _read_small(archive, "mimetype")
            kind = "odt" if mimetype == ODT else None
        elif "[Content_Types].xml" in names:
            check_ooxml_parts(archive, infos)
            kind = ooxml_kind(archive, names)
        elif not nested:
            return None
    for data in inner:
        try:
            package_kind(BytesIO(data), size=len(data), budget=budget, nested=True)
        except zipfile.BadZipFile:
            raise refuse(ALTERED)  # named like a document but not a readable one
    return kind


def _read_small(archive: zipfile.ZipFile, name: str) -> str:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_READ:
        raise refuse(ALTERED)
    with archive.open(info) as handle:
        return handle.read(MAX_PART_READ).decode("ascii", "replace").strip()


def office_kind(upload) -> str | None:
    """The kind of an uploaded zip ('docx', 'xlsx', 'odt'), None if it is no office document we
    take, or ValidationError saying why it is unsafe."""
    upload.seek(0)
    try:
        return package_kind(upload, size=upload.size, budget=Budget())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, zlib.error):
        return None
    except (RuntimeError, ValueError, KeyError, struct.error):
        raise refuse(ALTERED)
    finally:
        upload.seek(0)
