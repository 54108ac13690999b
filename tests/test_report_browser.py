"""The HTML report rendered by a real headless Chromium: the screenshot must show the drawn charts."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from png_reader import read_png
from report_scenario import ny, seed_scenario
from report_seed import small_decks

from prepdeck.core.store import Store
from prepdeck.reports.charts import COLORS
from prepdeck.reports.figures import week_figures
from prepdeck.reports.render import render_html

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTH, HEIGHT = 1000, 4600


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("chromium not found (python3 dev.py test installs Debian's chromium)")


def screenshot(html: Path, png: Path, tmp_path: Path) -> np.ndarray:
    profile = tmp_path / f"profile-{png.stem}"
    cmd = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        f"--window-size={WIDTH},{HEIGHT}",
        html.as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert png.is_file(), f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-500:]}"
    return read_png(png)[..., :3].astype(np.int16)


def colour_mask(img: np.ndarray, hex_colour: str, tol: int = 8) -> np.ndarray:
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return np.all(np.abs(img - np.array(rgb, dtype=np.int16)) <= tol, axis=-1)


def bands(rows: np.ndarray, gap: int = 40) -> int:
    """How many separate vertical stretches of rows contain the colour (one per chart drawn)."""
    ys = np.flatnonzero(rows)
    return 0 if ys.size == 0 else 1 + int(np.sum(np.diff(ys) > gap))


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> str:
    import os

    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        store = Store.open(tmp_path_factory.mktemp("db") / "prepdeck.db")
        seed_scenario(store)
        fig = week_figures(store, small_decks(), "2026-W10", now=ny(3, 9, 12))
        store.close()
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()
    return render_html(fig)


def test_screenshot_shows_the_charts(report_html, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(report_html, encoding="utf-8")
    img = screenshot(page, tmp_path / "report.png", tmp_path)
    assert img.shape[:2] == (HEIGHT, WIDTH)
    blue, orange = colour_mask(img, COLORS[0]), colour_mask(img, COLORS[1])
    # bars and lines in the two series colours cover a real area, not a stray pixel
    assert blue.sum() > 20_000, blue.sum()
    assert orange.sum() > 5_000, orange.sum()
    # blue is drawn in separate charts down the page: scores, reviews per day, retention, forecast, speech, mocks
    assert bands(blue.any(axis=1)) >= 5
    # the page is laid out on white, with text drawn (dark pixels)
    assert (img[5, 5] == 255).all()
    assert (img.sum(axis=-1) < 200).sum() > 5_000


def test_same_page_without_charts_has_none_of_their_colours(report_html, tmp_path):
    """Control: the pixels counted above come from the SVG charts, not from the page's own styling."""
    stripped = re.sub(r"<svg\b.*?</svg>", "", report_html, flags=re.DOTALL)
    page = tmp_path / "nocharts.html"
    page.write_text(stripped, encoding="utf-8")
    img = screenshot(page, tmp_path / "nocharts.png", tmp_path)
    assert colour_mask(img, COLORS[0]).sum() < 500
    assert colour_mask(img, COLORS[1]).sum() < 500
