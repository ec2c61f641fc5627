"""An interrupted run leaves the previous output intact and no half-written file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from conftest import SAMPLE


def test_killed_generate_keeps_the_previous_files(tmp_path):
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "staffcast", "generate", out, "--persons", "200", "--years", "2"],
                   check=True, capture_output=True)
    before = {name: (out / name).read_bytes() for name in os.listdir(out)}
    process = subprocess.Popen([sys.executable, "-m", "staffcast", "generate", out, "--persons", "3000000",
                                "--years", "10"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.0)  # the large run takes far longer than this
    assert process.poll() is None, "the run finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = {name: (out / name).read_bytes() for name in os.listdir(out) if not name.endswith(".tmp")}
    assert after == before  # final names hold the previous, complete files


def test_killed_save_and_pseudonymise_leave_no_final_file(tmp_path):
    key = tmp_path / "KEY"
    key.write_bytes(b"k" * 40)
    target = tmp_path / "pseudo.csv"
    target.write_text("previous\n")
    process = subprocess.Popen([sys.executable, "-c", (
        "import os, signal, staffcast.privacy as p\n"
        "real = os.replace\n"
        "def stop(*a):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.replace = stop\n"
        f"p.pseudonymise_file({str(SAMPLE / 'employments.csv')!r}, {str(target)!r}, b'k' * 40)\n")])
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert target.read_text() == "previous\n"  # killed just before the rename: the old file is intact
