"""The one atomic writer: every file staffcast writes goes to a temporary name
in the target's directory and is renamed over the target only when complete, so
a failed or interrupted run leaves no half-written file (the previous file, if
any, stays as it was)."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from typing import IO, Iterator, Union

__all__ = ["atomic_path", "atomic_open", "write_text"]

PathLike = Union[str, os.PathLike]


@contextmanager
def atomic_path(path: PathLike) -> Iterator[str]:
    """A temporary file name beside ``path`` (``.staffcast-*.tmp``, mode 0600) for a writer that
    takes a name (pyarrow); renamed to ``path`` when the block ends, removed when it raises."""
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".staffcast-", suffix=".tmp")
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


@contextmanager
def atomic_open(path: PathLike) -> Iterator[IO[str]]:
    """A UTF-8 text stream (no newline translation) whose content replaces ``path`` when the
    block ends; nothing of it remains when the block raises."""
    with atomic_path(path) as temporary:
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            yield stream


def write_text(path: PathLike, text: str) -> None:
    """Writes ``text`` (UTF-8, as given) to ``path`` atomically."""
    with atomic_open(path) as stream:
        stream.write(text)
