"""PDFs that only show pages: no scripts, no actions that start programs, no files inside.

A byte search for "/JavaScript" is easy to get past: names can be written with hex escapes
(/J#61vaScript) and objects can sit in compressed object streams. So the file is parsed with
pikepdf (qpdf, a maintained C++ parser that repairs damaged files the way viewers do), and every
object in it, object streams included, is written back out by qpdf in its normal form, where
every name is spelled plainly; that text is searched for the names of active content. Any of
them, as a key or a value, anywhere, refuses the file:

- JavaScript: /JS, /JavaScript (the document's script tree, or an action of type JavaScript,
  whether from /OpenAction, a link, a form field or a page);
- automatic actions: /AA (run when a page opens, a field changes...);
- starting programs or fetching data: /Launch, /ImportData, /GoToE;
- files inside: /EmbeddedFile, /EmbeddedFiles, /EF, /FileAttachment;
- rich media and XML forms: /RichMedia..., /Rendition, /XFA.

An /OpenAction that only opens a page is fine. As a second net, the raw bytes are searched too
(each letter of the longer names plain or hex-escaped), for objects a viewer might find that the
parser did not. A PDF that cannot be parsed, or needs a password to open, is refused: its
contents cannot be vouched for.
"""

import re
from io import BytesIO

from django.core.exceptions import ValidationError

MAX_OBJECTS = 200_000  # far above a real document (a long report has tens of thousands); bounds the work
MAX_TRAILING = 1024  # blank space allowed after the last %%EOF

ACTIVE_NAMES = {
    "JS": "javascript",
    "JavaScript": "javascript",
    "AA": "actions",
    "Launch": "launch",
    "ImportData": "launch",
    "GoToE": "launch",
    "EmbeddedFile": "files",
    "EmbeddedFiles": "files",
    "EF": "files",
    "FileAttachment": "files",
    "RichMedia": "media",
    "RichMediaContent": "media",
    "RichMediaExecute": "media",
    "Rendition": "media",
    "XFA": "media",
}
MESSAGES = {
    "javascript": "The selected file is a PDF containing JavaScript",
    "actions": "The selected file is a PDF with actions that run by themselves when it is opened or read",
    "launch": "The selected file is a PDF with actions that open other programs or files",
    "files": "The selected file is a PDF with other files attached inside it",
    "media": "The selected file is a PDF with interactive media or an XML form",
}
FIX = ": print it to a new PDF, or save a copy without them, and upload that"
DAMAGED = "The selected file is a PDF that could not be read: it may be damaged. Save it again and upload the new copy"
LOCKED = "The selected file is a PDF protected by a password: upload a copy without a password"
TRAILING = (
    "The selected file has other content hidden after the end of the PDF: save it again as a new PDF and upload that"
)
TOO_COMPLEX = "The selected file is a PDF with too many parts to check: save it again as a smaller PDF"

# A name token in qpdf's normal form: a slash and regular characters up to a delimiter.
NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")


def _escaped(word: str) -> bytes:
    """A pattern matching `word` as a PDF name with any letter written as #xx."""
    return b"".join(b"(?:%s|#(?i:%x))" % (re.escape(c.encode()), ord(c)) for c in word)


RAW_NAMES = ("JavaScript", "Launch", "EmbeddedFile", "RichMedia", "ImportData")
RAW = re.compile(b"/(?:%s)" % b"|".join(_escaped(w) for w in RAW_NAMES))


def refuse(message: str) -> ValidationError:
    return ValidationError(message, code="unsafe_pdf")


def check_tail(data: bytes) -> None:
    """Nothing but blank space after the last %%EOF: an HTML page or a zip appended to a PDF
    makes a file that is two things at once."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise refuse(DAMAGED)
    tail = data[end + 5 :]
    if len(tail) > MAX_TRAILING or tail.strip(b" \t\r\n\f\x00"):
        raise refuse(TRAILING)


def _found(names) -> str | None:
    for name in names:
        what = ACTIVE_NAMES.get(name)
        if what:
            return what
    return None


def active_content(data: bytes) -> str | None:
    """What kind of active content the PDF holds ('javascript', 'launch'...), or None."""
    import pikepdf  # imported when a PDF is checked: the web process needs it only then

    try:
        pdf = pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError:
        raise refuse(LOCKED)
    except (pikepdf.PdfError, ValueError, RecursionError, OverflowError):
        raise refuse(DAMAGED)
    with pdf:
        try:
            if len(pdf.objects) > MAX_OBJECTS:
                raise refuse(TOO_COMPLEX)
            texts = [pdf.trailer.unparse()]
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    texts.append(obj.stream_dict.unparse())
                elif isinstance(obj, pikepdf.Dictionary | pikepdf.Array | pikepdf.Name):
                    texts.append(obj.unparse(resolved=True))
        except (pikepdf.PdfError, RecursionError, ValueError) as exc:
            raise refuse(DAMAGED) from exc
    parsed = _found(m.decode("latin-1") for m in NAME.findall(b"\n".join(texts)))
    if parsed:
        return parsed
    for match in RAW.finditer(data):
        word = re.sub(rb"#([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), match.group(0)[1:])
        return ACTIVE_NAMES[word.decode("latin-1")]
    return None


def check_pdf(data: bytes) -> None:
    check_tail(data)
    what = active_content(data)
    if what:
        raise refuse(MESSAGES[what] + FIX)
