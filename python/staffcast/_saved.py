"""Saved registers: the validated, encoded register as an Arrow IPC file, and back.

The file is one uncompressed record batch whose layout, facts and checksum the
core defines (``_core.export_saved_register``). Loading maps the file, hands the
batch to the core through the Arrow C data interface without copying it, and
the core checks every buffer before the register's columns become views of
them (``_core.register_from_arrow``; the batch, and so the mapping, lives as
long as the register); pairing and warnings come from the file. docs/data.md#saved-registers describes the layout and the checks.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Optional, Union

import pandas as pd
import pyarrow as pa
import pyarrow.ipc  # noqa: F401  (pa.ipc)

from . import _core
from ._dates import DateLike, _iso
from ._frames import issues_frame
from ._io import atomic_path
from .errors import no_such_file

__all__ = ["SAVED_SUFFIXES", "save", "load"]

SAVED_SUFFIXES = (".arrow", ".feather", ".ipc")


def save(core: "_core.Register", label: str, path: Union[str, os.PathLike]) -> None:
    """Writes the validated, encoded register ``core`` as an Arrow IPC file, atomically;
    :meth:`staffcast.Register.save` documents the format."""
    path = os.fspath(path)
    if path.lower().endswith(".parquet"):
        raise ValueError("a register is saved as an Arrow IPC file (.arrow, .feather, .ipc); a Parquet file is "
                         "read as a table and validated like a CSV (Register.to_frame().to_parquet writes one)")
    if not path.lower().endswith(SAVED_SUFFIXES):
        raise ValueError(f"save to a file ending in {', '.join(SAVED_SUFFIXES)}")
    exported = _core.ArrowCData()
    _core.export_saved_register(core, label, exported)
    batch = pa.RecordBatch._import_from_c(exported.array_address, exported.schema_address)
    with atomic_path(path) as temporary:
        with pa.OSFile(temporary, "wb") as sink, pa.ipc.new_file(sink, batch.schema) as writer:
            writer.write_batch(batch)


def load(path: Union[str, os.PathLike], extracted_on: Optional[DateLike] = None,
         today: Optional[DateLike] = None,
         mapped: bool = True) -> tuple[Any, Callable[[], pd.DataFrame], str]:
    """The core register, its warnings and its label from a file :func:`save` wrote
    (:func:`staffcast.load_register` documents the checks). ``today`` changes nothing: an
    assumed extraction date stays the day saved. ``mapped``: the register's columns view
    the memory-mapped file (kept mapped while the register lives), else a copy read
    into memory first."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise no_such_file(path)
    given = _iso(extracted_on)
    try:
        source = pa.memory_map(path) if mapped else pa.OSFile(path)
    except OSError as error:
        raise OSError(f"{path}: cannot be read: {error}") from None
    with source:
        try:
            reader = pa.ipc.open_file(source)
            if reader.num_record_batches != 1:
                raise ValueError(f"{reader.num_record_batches} record batches, not 1")
            batch = reader.get_batch(0)
            batch.validate()  # buffers as large as lengths and offsets say (the C interface has no sizes)
            metadata = reader.schema.metadata or {}  # names and texts decoded: a damaged byte may fail here
            if batch.schema.metadata != reader.schema.metadata:
                batch = batch.replace_schema_metadata(metadata)
        except (pa.ArrowException, ValueError, OSError) as error:
            raise ValueError(f"{path} is not a saved staffcast register: {error}") from None
        exported = _core.ArrowCData()
        batch._export_to_c(exported.array_address, exported.schema_address)
        core = _core.register_from_arrow(exported, path, given)
    label = metadata.get(b"staffcast.label", path.encode()).decode("utf-8", "replace")
    return core, lambda: issues_frame(core.issues()), label  # the warnings' frame when first asked for
