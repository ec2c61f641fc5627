"""A report run killed part-way leaves the previous report intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from conftest import SAMPLE

# Runs the CLI's report command in a child process that kills itself with SIGKILL at `where`.
CHILD = """
import os, signal, sys
import staffcast.plot as plot, staffcast.cli as cli
where = sys.argv[1]
def stop(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if where == "while-plotting":
    plot.fan_facets = stop           # the last of the report's plots: the page is almost built
elif where == "before-rename":
    os.replace = stop                # everything written to the temporary file, not yet renamed
sys.exit(cli.main(sys.argv[2:]))
"""


@pytest.mark.parametrize("where", ["while-plotting", "before-rename"])
def test_killed_report_keeps_the_previous_file(tmp_path, where):
    out = tmp_path / "report.html"
    out.write_text("<html>the previous report</html>\n", encoding="utf-8")
    process = subprocess.run([sys.executable, "-c", CHILD, where, "report", str(SAMPLE / "employments.csv"),
                              "--as-of", "2024-09-30", "--out", str(out)], capture_output=True, timeout=300)
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()[-2000:]
    assert out.read_text(encoding="utf-8") == "<html>the previous report</html>\n"
    leftovers = sorted(name for name in os.listdir(tmp_path) if name != "report.html")
    if where == "while-plotting":
        assert leftovers == []  # nothing is written before the whole page is built
    else:
        assert len(leftovers) == 1 and leftovers[0].startswith(".staffcast-") and leftovers[0].endswith(".tmp")
