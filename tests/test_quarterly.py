"""The quarterly pack: every format in one command, and a briefing that renders offline in
headless Chromium: a one-page summary first (findings, changes since the previous pack, top
five targets), printed to PDF, its first page kept as build/screenshots/briefing.png."""

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
from model.report import find_chromium, pack_names
from model.scenario import SHIPPED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "screenshots"
A4 = (794, 1123)  # an A4 page at 96 dpi, portrait


def run_quietly(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` with stdout and stderr captured."""
    import io
    import sys

    capture = pytest.MonkeyPatch()
    stdout, stderr = io.StringIO(), io.StringIO()
    capture.setattr(sys, "stdout", stdout)
    capture.setattr(sys, "stderr", stderr)
    try:
        code = main(argv)
    finally:
        capture.undo()
    return code, stdout.getvalue(), stderr.getvalue()


def screenshot(page: Path, shot: Path, size: tuple[int, int] = (1280, 2000)) -> str:
    """A headless-Chromium screenshot of ``page``; Chromium's stderr for messages."""
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--hide-scrollbars",
            "--virtual-time-budget=10000",
            f"--screenshot={shot}",
            f"--window-size={size[0]},{size[1]}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    return proc.stderr.decode(errors="replace")[-2000:]


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> tuple[Path, str, str]:
    """The 2024Q3 pack of a copy of the shipped data, with 50 draws (stdout, stderr kept)."""
    from model.examples import write_example

    base = tmp_path_factory.mktemp("quarterly")
    data = write_example("shipped", base / "data")
    out = base / "pack"
    code, stdout, stderr = run_quietly(
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
    assert code == 0
    return out, stdout, stderr


@pytest.fixture(scope="module")
def next_pack(pack) -> Path:
    """The 2024Q4 pack in Chinese, written beside the 2024Q3 one (its previous pack)."""
    out, _, _ = pack
    data = out.parent / "data"
    code, _, _ = run_quietly(
        [
            "quarterly",
            "--quarter",
            "2024Q4",
            "--out",
            str(out),
            "--draws",
            "40",
            "--seed",
            "4",
            "--data",
            str(data),
        ]
    )
    assert code == 0
    return out / pack_names("2024Q4")["html"]


def test_quarterly_writes_every_format(pack) -> None:
    out, stdout, stderr = pack
    names = pack_names("2024Q3")
    expected = {k: v for k, v in names.items() if k != "pdf" or find_chromium()}
    assert {p.name for p in out.iterdir() if "2024Q3" in p.name} == set(expected.values())
    for name in expected.values():
        assert name in stdout
    assert "parkcap 2024Q3" not in stderr  # no progress bar when stderr is not a terminal
    wb = openpyxl.load_workbook(out / names["xlsx"], read_only=True)
    assert wb.sheetnames == ["Cover", *SHIPPED, "Data", "Gaps"]
    wb.close()
    tidy = pd.read_csv(out / names["csv"], encoding="utf-8-sig")
    assert tidy["quarter"].iloc[0] == "2024Q3"  # the pack starts from the end of its quarter
    with xr.open_dataset(out / names["netcdf"], engine="h5netcdf") as ds:
        assert list(ds["scenario"].values) == list(SHIPPED)
        assert "stat" in ds.dims
        assert ds.attrs["known_as_of"] == "2024-09-30"
        assert ds.attrs["Conventions"] == "CF-1.10"
    yearly = pd.read_csv(out / names["iamc-yearly"])
    assert list(yearly.columns[5:]) == [str(y) for y in range(2024, 2031)]
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
    assert "shared/" not in page  # sources by title and id, never an internal path
    assert "xnetdz-2024-06" in page


def test_report_renders_in_headless_chromium(pack, tmp_path: Path) -> None:
    from PIL import Image, ImageStat

    out, _, _ = pack
    shot = tmp_path / "report.png"
    err = screenshot(out / pack_names("2024Q3")["html"], shot)
    assert shot.exists(), err
    with Image.open(shot) as img:
        rgb = img.convert("RGB")
        assert rgb.size == (1280, 2000)
        colours = rgb.getcolors(maxcolors=1_000_000)
        stat = ImageStat.Stat(rgb.convert("L"))
    assert colours is not None
    assert len(colours) > 50  # text, lines and filled bands: far from a blank page
    assert stat.stddev[0] > 5
    # plotly drew its charts: the first scenario's colour (#0072B2) is there
    assert any(abs(r - 0) < 40 and abs(g - 114) < 40 and b > 150 for _, (r, g, b) in colours)


def test_summary_comes_first_with_findings_changes_and_targets(pack, next_pack) -> None:
    out, _, _ = pack
    page = (out / pack_names("2024Q3")["html"]).read_text(encoding="utf-8")
    summary = page[page.index("<section class='summary'>") : page.index("</section>")]
    assert summary.index("Three findings") < summary.index("Top five investment targets")
    findings = summary[summary.index("<ol class='findings'>") : summary.index("</ol>")]
    assert findings.count("<li>") == 3
    assert re.search(r"\d", findings)  # findings carry numbers
    assert "No previous pack was given" in summary  # the first pack has nothing to compare
    targets = summary[summary.index("<table class='targets'>") :]
    assert 1 <= targets.count("<tr>") - 1 <= 5
    assert "Plotly.newPlot" not in summary  # the charts come after the summary
    # the next quarter's pack, in Chinese, compares itself with this one
    zh = next_pack.read_text(encoding="utf-8")
    summary = zh[zh.index("<section class='summary'>") : zh.index("</section>")]
    assert "三点结论" in summary
    assert "与上期（2024Q3）相比" in summary
    assert "未提供上期报告包" not in summary
    assert re.search(r"\d+(\.\d+)?(万|亿)?吨/年", summary)  # quantities as people write them
    assert "生成于 " in summary  # a local date
    assert "年" in summary.split("生成于 ")[1][:12]


def test_briefing_prints_to_pdf_and_its_first_page_is_the_summary(next_pack) -> None:
    from PIL import Image, ImageStat

    pdf = next_pack.with_name(pack_names("2024Q4")["pdf"])
    if find_chromium() is None:
        assert not pdf.exists()
        pytest.skip("Chromium is not installed: the pack has no PDF")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2  # the summary, then the details
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "briefing.png"
    shot.unlink(missing_ok=True)
    err = screenshot(next_pack, shot, A4)
    assert shot.exists(), err
    with Image.open(shot) as img:
        rgb = img.convert("RGB")
        assert rgb.size == A4
        top = rgb.crop((0, 0, A4[0], 120))
        rest = rgb.crop((0, 120, A4[0], A4[1]))
        assert ImageStat.Stat(top.convert("L")).stddev[0] > 5  # the title
        assert ImageStat.Stat(rest.convert("L")).stddev[0] > 5  # findings and the table
        # the first page is the summary alone: no chart colours yet
        colours = rgb.getcolors(maxcolors=1_000_000) or []
    chart = [
        c for c in colours if abs(c[1][0] - 0) < 30 and abs(c[1][1] - 114) < 30 and c[1][2] > 150
    ]
    assert sum(n for n, _ in chart) < 200
