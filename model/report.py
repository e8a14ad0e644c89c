"""The quarterly projection pack: every export format and the briefing, HTML and PDF.

``parkcap quarterly --quarter 2024Q3 --out DIR`` simulates every shipped scenario from the
park as it was known at the end of the quarter and writes, into ``DIR``::

    parkcap-2024Q3.xlsx              workbook (cover, one sheet per scenario, data, gaps)
    parkcap-2024Q3.csv               tidy CSV (UTF-8 with BOM)
    parkcap-2024Q3.nc                NetCDF (CF-1.10) of the summaries (P10/P50/P90/mean, p_short)
    parkcap-2024Q3-iamc.csv          IAMC wide CSV, quarterly (datetime time domain)
    parkcap-2024Q3-iamc-yearly.csv   IAMC wide CSV, yearly
    parkcap-2024Q3-report.html       the briefing (:mod:`model.briefing`): a one-page summary,
                                     charts, gap tables, sources
    parkcap-2024Q3-report.pdf        the briefing printed by headless Chromium, when installed

The briefing says what changed since the previous quarter's pack: given as ``previous``
(its folder or its ``.nc``), or found in ``DIR`` as the previous quarter's ``.nc``. The
HTML embeds plotly.js once, inline, so it opens offline (no CDN). Every file is written
through a temporary file and a rename.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from model import quarters
from model.briefing import html_briefing
from model.catalogue import t
from model.datafiles import file_mode

if TYPE_CHECKING:
    from collections.abc import Mapping

    import xarray as xr

    from model.park import Park
    from model.scenario import Scenario

logger = logging.getLogger(__name__)

#: names of a headless Chromium, in the order they are looked for on PATH
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def html_report(
    park: Park,
    results: Mapping[str, xr.Dataset],
    scenarios: Sequence[Scenario] = (),
    quarter: str | None = None,
    lang: str = "zh",
    previous: xr.Dataset | None = None,
    previous_label: str = "",
) -> str:
    """The briefing page (:func:`model.briefing.html_briefing`), self-contained HTML."""
    return html_briefing(park, results, scenarios, quarter, lang, previous, previous_label)


def find_chromium() -> str | None:
    """The path of a headless-capable Chromium on PATH (``$PARKCAP_CHROMIUM`` first), or None."""
    chosen = os.environ.get("PARKCAP_CHROMIUM")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    return next((found for n in CHROMIUM_NAMES if (found := shutil.which(n))), None)


def chromium_args(chromium: str) -> list[str]:
    """The command line that runs ``chromium`` headless, offline, also as root."""
    args = [
        chromium,
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-extensions",
        "--virtual-time-budget=15000",
        "--run-all-compositor-stages-before-draw",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root inside its sandbox
    return args


def print_pdf(page: str | os.PathLike[str], pdf: str | os.PathLike[str]) -> Path | None:
    """Print an HTML file to PDF with headless Chromium (``--print-to-pdf``), atomically.

    Parameters
    ----------
    page
        The HTML file (the briefing: A4, its summary on the first page).
    pdf
        The PDF to write; a temporary file beside it is renamed into place.

    Returns
    -------
    pathlib.Path or None
        ``pdf``; ``None`` when no Chromium is installed or it fails (logged as a warning
        that says so).
    """
    chromium = find_chromium()
    pdf = Path(pdf)
    if chromium is None:
        logger.warning("%s", t("brief_pdf_missing", "en"))
        return None
    fd, name = tempfile.mkstemp(prefix=f".{pdf.name}.", suffix=".tmp", dir=pdf.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        proc = subprocess.run(
            [
                *chromium_args(chromium),
                "--no-pdf-header-footer",
                f"--print-to-pdf={tmp}",
                Path(page).resolve().as_uri(),
            ],
            capture_output=True,
            timeout=180,
            check=False,
        )
        if proc.returncode != 0 or tmp.stat().st_size == 0:
            logger.warning(
                "Chromium could not print %s to PDF: %s",
                page,
                proc.stderr.decode(errors="replace")[-500:],
            )
            tmp.unlink(missing_ok=True)
            return None
        os.chmod(tmp, file_mode(pdf))  # mkstemp makes it private; keep the usual mode
        os.replace(tmp, pdf)
    except (OSError, subprocess.SubprocessError) as exc:
        logger.warning("Chromium could not print %s to PDF: %s", page, exc)
        tmp.unlink(missing_ok=True)
        return None
    return pdf


def previous_pack(
    out_dir: str | os.PathLike[str], quarter: int, previous: str | os.PathLike[str] | None
) -> tuple[xr.Dataset | None, str]:
    """The previous quarter's pack summaries and its label, if there is one.

    Parameters
    ----------
    out_dir
        The pack's folder: without ``previous``, the previous quarter's ``.nc`` there is used.
    quarter
        This pack's quarter index.
    previous
        A pack folder (its latest pack before ``quarter``) or a pack's ``.nc`` file.

    Returns
    -------
    tuple
        The summaries in the simulator's layout (:func:`model.export.open_netcdf`) and the
        pack's label (``"2024Q2"``), or ``(None, "")``.
    """
    from model.export import open_netcdf

    path: Path | None = None
    if previous is None:
        candidate = Path(out_dir) / pack_names(quarters.label(quarter - 1))["netcdf"]
        path = candidate if candidate.is_file() else None
    else:
        p = Path(previous)
        if p.is_dir():
            earlier = []
            for f in p.glob("parkcap-*.nc"):
                label = f.stem.removeprefix("parkcap-")
                try:
                    index = quarters.parse_quarter(label)
                except quarters.QuarterError:
                    continue
                if index < quarter:
                    earlier.append((index, f))
            path = max(earlier)[1] if earlier else None
        elif p.is_file():
            path = p
    if path is None:
        return None, ""
    return open_netcdf(path), path.stem.removeprefix("parkcap-")


# ---------------------------------------------------------------------------
# the pack
# ---------------------------------------------------------------------------
def pack_names(label: str) -> dict[str, str]:
    """File names of the pack of quarter ``label`` (format -> name)."""
    return {
        "xlsx": f"parkcap-{label}.xlsx",
        "csv": f"parkcap-{label}.csv",
        "netcdf": f"parkcap-{label}.nc",
        "iamc": f"parkcap-{label}-iamc.csv",
        "iamc-yearly": f"parkcap-{label}-iamc-yearly.csv",
        "html": f"parkcap-{label}-report.html",
        "pdf": f"parkcap-{label}-report.pdf",
    }


def quarterly_pack(
    park: Park,
    quarter: int,
    out_dir: str | os.PathLike[str],
    scenarios: Sequence[Scenario],
    draws: int | None = None,
    seed: int | None = None,
    lang: str = "zh",
    progress: bool = True,
    on_step: Callable[[str], None] | None = None,
    previous: str | os.PathLike[str] | None = None,
    pdf: bool = True,
) -> list[Path]:
    """Simulate ``scenarios`` from the park as known at the end of ``quarter``; write the pack.

    The pack (see the module docstring) is written into ``out_dir``.

    Parameters
    ----------
    park
        The park (all records; those recorded after the quarter's end are ignored).
    quarter
        Quarter index of the pack: the projection starts from the park as it was, and as
        it was known, on the quarter's last day.
    out_dir
        Folder for the files (created).
    scenarios
        The scenarios (the shipped ones for ``parkcap quarterly``).
    draws, seed
        Monte Carlo draws and seed (default: each scenario's).
    lang
        Language of the workbook, CSV names and the report.
    progress
        Show a tqdm bar on stderr.
    on_step
        Called with a description before each step (for other progress displays).
    previous
        The previous pack (a folder or its ``.nc``) for "what changed"; default: the
        previous quarter's ``.nc`` in ``out_dir``, if there.
    pdf
        Print the briefing to PDF with headless Chromium (skipped, with a warning, when
        Chromium is not installed).

    Returns
    -------
    list of Path
        The files written.
    """
    from tqdm import tqdm

    from model.export import run_scenarios, write_export, write_export_file

    label = quarters.label(quarter)
    as_of = quarters.end_date(quarter)
    known = min(as_of, date.today())
    out = Path(out_dir)
    names = pack_names(label)
    before, before_label = previous_pack(out, quarter, previous)
    steps = len(scenarios) + len(names)
    bar = tqdm(total=steps, desc=f"parkcap {label}", file=sys.stderr, disable=not progress)

    def step(text: str) -> None:
        bar.set_postfix_str(text)
        if on_step is not None:
            on_step(text)

    try:
        results = run_scenarios(
            park,
            scenarios,
            draws=draws,
            seed=seed,
            as_of=as_of,
            known_as_of=known,
            on_done=lambda name: (bar.update(1), step(name)),
        )
        written = []
        for fmt in ("xlsx", "csv", "netcdf", "iamc", "iamc-yearly"):
            step(names[fmt])
            path = out / names[fmt]
            written.append(
                write_export_file(park, results, path, scenarios, fmt, lang=lang, summary=True)
            )
            bar.update(1)
        step(names["html"])
        page = html_report(park, results, scenarios, label, lang, before, before_label)
        html_path = write_export(page.encode("utf-8"), out / names["html"])
        written.append(html_path)
        bar.update(1)
        if pdf:
            step(names["pdf"])
            printed = print_pdf(html_path, out / names["pdf"])
            if printed is not None:
                written.append(printed)
            elif on_step is not None:
                on_step(t("brief_pdf_missing", lang))
        bar.update(1)
    finally:
        bar.close()
    logger.info("quarterly pack %s: %d files in %s", label, len(written), out)
    return written
