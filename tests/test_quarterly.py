"""The quarterly pack: every format in one command, and an HTML report that renders
offline in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xarray as xr

from model.cli import main
from model.report import pack_names
from model.scenario import SHIPPED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> tuple[Path, str, str]:
    """The 2024Q3 pack of a copy of the shipped data, with 50 draws (stdout, stderr kept)."""
    from model.examples import write_example

    base = tmp_path_factory.mktemp("quarterly")
    data = write_example("shipped", base / "data")
    out = base / "pack"
    capture = pytest.MonkeyPatch()
    import io
    import sys

    stdout, stderr = io.StringIO(), io.StringIO()
    capture.setattr(sys, "stdout", stdout)
    capture.setattr(sys, "stderr", stderr)
    try:
        code = main(
            [
                "quarterly",
                "--quarter",
                "2024Q3",
                "--out",
                str(out),
                "--draws",
                "50",
                "--seed",
                "3",
                "--lang",
                "en",
                "--data",
                str(data),
            ]
        )
    finally:
        capture.undo()
    assert code == 0
    return out, stdout.getvalue(), stderr.getvalue()


def test_quarterly_writes_every_format(pack) -> None:
    out, stdout, stderr = pack
    names = pack_names("2024Q3")
    assert sorted(p.name for p in out.iterdir()) == sorted(names.values())
    for name in names.values():
        assert name in stdout
    assert "parkcap 2024Q3" not in stderr  # no progress bar when stderr is not a terminal
    wb = openpyxl.load_workbook(out / names["xlsx"], read_only=True)
    assert wb.sheetnames == ["Cover", *SHIPPED, "Gaps"]
    wb.close()
    tidy = pd.read_csv(out / names["csv"], encoding="utf-8-sig")
    assert tidy["quarter"].iloc[0] == "2024Q3"  # the pack starts from the end of its quarter
    with xr.open_dataset(out / names["netcdf"], engine="h5netcdf") as ds:
        assert list(ds["scenario"].values) == list(SHIPPED)
        assert "stat" in ds.dims
        assert ds.attrs["known_as_of"] == "2024-09-30"
    iamc = pd.read_csv(out / names["iamc"])
    assert list(iamc.columns[:6]) == [
        "model",
        "scenario",
        "region",
        "variable",
        "unit",
        "2024-09-30",
    ]


def test_report_is_self_contained(pack) -> None:
    out, _, _ = pack
    page = (out / pack_names("2024Q3")["html"]).read_text(encoding="utf-8")
    assert page.count("window.PlotlyConfig") == 1  # the library is inline, once
    assert len(re.findall(r"plotly\.js v\d", page)) == 1
    # nothing is loaded from the network (plotly.js only names its CDN as a map default)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*\bhref=", page)
    assert "Gap (demand − supply)" in page  # the gap table
    assert page.count("Plotly.newPlot") == 4  # two fans, the gap bars, the shortfall map


def test_report_renders_in_headless_chromium(pack, tmp_path: Path) -> None:
    from PIL import Image, ImageStat

    out, _, _ = pack
    shot = tmp_path / "report.png"
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--virtual-time-budget=10000",
            f"--screenshot={shot}",
            "--window-size=1280,2000",
            (out / pack_names("2024Q3")["html"]).as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.exists(), proc.stderr.decode(errors="replace")[-2000:]
    with Image.open(shot) as img:
        rgb = img.convert("RGB")
        assert rgb.size == (1280, 2000)
        colours = rgb.getcolors(maxcolors=1_000_000)
        stat = ImageStat.Stat(rgb.convert("L"))
    assert colours is not None
    assert len(colours) > 50  # text, lines and filled bands: far from a blank page
    assert stat.stddev[0] > 5
    # plotly drew its charts: the band colours of the fan charts are there
    assert any(abs(r - 31) < 40 and abs(g - 119) < 40 and b > 150 for _, (r, g, b) in colours)
