"""What an uploaded file really is, judged by its bytes: the allow-list of attachment types."""

import codecs
import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterable
from typing import BinaryIO

import filetype

# Sniffed type -> the extension we store it under. Names are not trusted: a renamed .exe is refused.
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/plain": "txt",
}


def sniff(head: bytes) -> str | None:
    """The allowed MIME type of content starting with ``head`` (the first few KB), or None."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED else None
    return "text/plain" if is_text(head, sample=True) else None


def is_text(content: bytes, *, sample: bool = False) -> bool:
    """UTF-8 without NULs. For a ``sample`` (a file's first bytes), a character cut at its end still counts."""
    if not content or b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        return sample and error.start >= len(content) - 3
    return True


def scan(chunks: Iterable[bytes]) -> tuple[str, int, bool]:
    """One pass over a file, chunk by chunk (never the whole file in memory): its SHA-256, its size,
    and whether all of it is UTF-8 text without NULs."""
    digest, size, text = hashlib.sha256(), 0, True
    decoder = codecs.getincrementaldecoder("utf-8")()
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        if text:
            try:
                decoder.decode(chunk)
                text = b"\x00" not in chunk
            except UnicodeDecodeError:
                text = False
    if text:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            text = False
    return digest.hexdigest(), size, text and size > 0


# Markup a browser would run, found where a file of a binary type has no business holding it: a
# PDF/HTML or image/HTML polyglot, should anything ever serve or sniff it as a page.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|script|svg|iframe|body)\b", re.IGNORECASE)
# What each Office format must contain, and what it must not (macros belong to .docm/.xlsm).
_OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_OFFICE_MEMBERS_MAX = 2_000
TAIL_BYTES = 4096


class StructureProblem(ValueError):
    """Why a file of an allowed type is still refused: ``reason`` is ``"inflates"`` (an archive that
    expands past the limit) or ``"hidden"`` (content the type does not account for)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def structure_check(file: BinaryIO, content_type: str, size: int, *, inflated_max: int) -> None:
    """Check that a file sniffed as ``content_type`` is that and only that; raise ``StructureProblem``.

    - Office files (zip archives): a real archive of that format, no macros, no paths out of the archive,
      and at most ``inflated_max`` bytes once expanded (a small .docx can inflate to hundreds of MB);
    - PDF and PNG: nothing after the format's own end (``%%EOF``, ``IEND``) but padding, which is where an
      appended page or script hides; PDF, PNG and JPEG: no HTML markup at the start or the end (a JPEG may carry
      a phone's own trailer after its end marker).
    """
    extension = ALLOWED[content_type]
    if extension in _OFFICE_PARTS:
        _office_check(file, _OFFICE_PARTS[extension], inflated_max)
    elif extension in ("pdf", "png", "jpg"):
        file.seek(0)
        head = file.read(TAIL_BYTES)
        file.seek(max(0, size - TAIL_BYTES))
        tail = file.read()
        if _MARKUP.search(head) or _MARKUP.search(tail) or not _ends_properly(extension, tail):
            raise StructureProblem("hidden")
    file.seek(0)


def _ends_properly(extension: str, tail: bytes) -> bool:
    if extension == "pdf":
        end = tail.rfind(b"%%EOF")
        # An incremental update ends with its own %%EOF; some writers pad with NULs or spaces after it.
        return end >= 0 and not tail[end + 5:].strip(b" \t\r\n\x00")
    if extension == "png":
        return tail.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82")
    # JPEG: phones append their own trailers after the end marker (Samsung's, a motion photo's video), so
    # only markup at either end (checked by the caller) refuses one.
    return True


def _office_check(file: BinaryIO, main_part: str, inflated_max: int) -> None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise StructureProblem("hidden") from None
    names = {member.filename for member in members}
    if (len(members) > _OFFICE_MEMBERS_MAX or "[Content_Types].xml" not in names or main_part not in names
            or any(name.startswith("/") or ".." in name.split("/") or name.lower().endswith("vbaproject.bin")
                   for name in names)):
        raise StructureProblem("hidden")
    if sum(member.file_size for member in members) > inflated_max:
        raise StructureProblem("inflates")
    # The sizes above are what the archive says of itself: inflate it for real, stopping at the limit.
    inflated = 0
    try:
        with zipfile.ZipFile(file) as archive:
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        inflated += len(chunk)
                        if inflated > inflated_max:
                            raise StructureProblem("inflates")
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
        raise StructureProblem("hidden") from None
