"""What an uploaded file really is, judged by its bytes: the allow-list of attachment types."""

import codecs
import hashlib
from collections.abc import Iterable

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
