"""Reading real exports: separator and decimal detection, cp1252 transcoding."""

from __future__ import annotations

import codecs
import os
import tempfile
from contextlib import contextmanager
from typing import Iterator

SUPPORTED_ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "cp1252",
                       "windows-1252": "cp1252", "latin-1": "latin-1", "latin1": "latin-1", "iso-8859-1": "latin-1"}


class EncodingMismatch(ValueError):
    """The file's bytes do not fit the encoding given."""


def _first_line(path: str | os.PathLike, limit: int = 1 << 16) -> str:
    with open(path, "rb") as handle:
        head = handle.read(limit)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    return text.splitlines()[0] if text else ""


def detect_separator(path: str | os.PathLike) -> str:
    """`;` when the header has more semicolons than commas outside quotes, else `,`."""
    header = _first_line(path)
    counts = {",": 0, ";": 0}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def resolve_dialect(path: str | os.PathLike, sep: str | None, decimal: str | None) -> tuple[str, str]:
    """The separator and decimal mark to use; a `;`-separated file defaults to decimal comma."""
    if sep is None:
        sep = detect_separator(path)
    if decimal is None:
        decimal = "," if sep == ";" else "."
    if len(sep) != 1 or len(decimal) != 1:
        raise ValueError("sep and decimal must be single characters")
    return sep, decimal


@contextmanager
def utf8_path(path: str | os.PathLike, encoding: str) -> Iterator[str]:
    """The path of a UTF-8 version of the file: the file itself, or a temporary transcoded copy."""
    key = SUPPORTED_ENCODINGS.get(encoding.lower())
    if key is None:
        raise ValueError(f"unsupported encoding {encoding!r}; use 'utf-8' or 'cp1252'")
    if key == "utf-8":
        yield os.fspath(path)
        return
    with open(path, "rb") as probe:
        head = probe.read(1 << 16)
    if _looks_like_utf8(head):
        # UTF-8 text decoded as cp1252 would silently become mojibake ("FÃ¶rvaltning").
        raise EncodingMismatch(f"{os.fspath(path)}: encoding: the file is UTF-8, not {encoding}; "
                               "read it with encoding='utf-8'")
    decoder = codecs.getincrementaldecoder(key)(errors="strict")
    handle, temporary = tempfile.mkstemp(suffix=".csv", prefix="staffcast-")
    try:
        with open(path, "rb") as source, os.fdopen(handle, "wb") as target:
            while chunk := source.read(1 << 20):
                try:
                    target.write(decoder.decode(chunk).encode("utf-8"))
                except UnicodeDecodeError as error:
                    raise EncodingMismatch(f"{os.fspath(path)}: encoding: byte 0x{chunk[error.start]:02x} is not "
                                           f"{encoding}") from None
            target.write(decoder.decode(b"", final=True).encode("utf-8"))
        yield temporary
    finally:
        os.unlink(temporary)


def _looks_like_utf8(head: bytes) -> bool:
    """Non-ASCII bytes that all form valid UTF-8 sequences (allowing a cut at the end)."""
    if all(b < 0x80 for b in head):
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"


def sniff_encoding(path: str | os.PathLike) -> str:
    """``utf-8`` when the file's first MiB is UTF-8 (or ASCII), else ``cp1252`` (a Windows export)."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        cut = error.start >= len(head) - 3 and error.reason == "unexpected end of data"
        return "utf-8" if cut else "cp1252"
    return "utf-8"
