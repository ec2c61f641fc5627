"""Every CLI command's output on the bundled sample equals the recorded one, byte for byte.

The outputs were recorded before the code was reorganised; a difference means a
number, a column or a message changed. Re-record deliberately with
``python tests/golden/record.py`` and say why in the commit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

RECORDER = Path(__file__).resolve().parents[1] / "golden" / "record.py"


def _recorder():
    spec = importlib.util.spec_from_file_location("golden_record", RECORDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_cli_output_is_byte_identical_to_the_recording():
    recorder = _recorder()
    produced = recorder.outputs()
    recorded = {path.name: path.read_text(encoding="utf-8") for path in recorder.OUTPUTS.glob("*.txt")}
    assert sorted(produced) == sorted(recorded)
    differ = [name for name in produced if produced[name] != recorded[name]]
    assert differ == []
