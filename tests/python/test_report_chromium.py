"""The report renders in headless Chromium: every section heading, no broken image, a screenshot."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess

import pytest

import staffcast as sc
from conftest import SAMPLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (the Makefile installs "
                                "Debian's chromium; run `make setup`)")

# Added to a copy of the page only (the report itself has no script): after load, the body says how many
# images Chromium could not decode.
PROBE = ("<script>window.addEventListener('load', () => document.body.setAttribute('data-broken', "
         "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length));</script></body>")


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    reg = sc.read_register(SAMPLE / "employments.csv")
    sick = sc.read_sick_leave(SAMPLE / "sick_leave.csv", register=reg)
    ind = sc.read_indicators(SAMPLE / "indicators.csv")
    path = tmp_path_factory.mktemp("report") / "report.html"
    sc.write_report(path, reg, "2024-09-30", sick_leave=sick, indicators=ind)
    return path


def test_dom_has_every_heading_and_no_broken_image(report, tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", PROBE), encoding="utf-8")
    result = chromium(tmp_path, "--dump-dom", probe.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    headings = re.findall(r"<h2 id=\"([a-z]+)\">([^<]+)</h2>", dom)
    assert [key for key, _ in headings] == list(sc.report.SECTIONS)
    assert [title for _, title in headings] == ["Staff today", "Flows and turnover", "Sick leave against target",
                                                "Retirements and recruitment need, next three years",
                                                "Projection with scenarios", "How good were the forecasts",
                                                "Indicators and trends"]
    sources = re.findall(r"<img [^>]*src=\"([^\"]*)\"", dom)
    assert len(sources) == 8
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
    assert 'data-broken="0"' in dom  # Chromium decoded every image


def test_screenshot(report, tmp_path):
    shot = tmp_path / "report.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,4000", "--hide-scrollbars",
                      report.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 4000)
    assert len(data) > 100_000  # a rendered page with plots, not a blank one
