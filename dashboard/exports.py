"""Downloads of the Export page: every format of :mod:`model.export`.

All are built from the app's cached results.

:func:`export_formats` is the page's registry of formats, one :class:`ExportFormat` per
entry of :data:`model.export.FORMATS` (CSV, XLSX, NetCDF, IAMC); each builds its bytes with
:func:`model.export.export_bytes`, so the files are the same as the command line's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import xarray as xr

from dashboard.state import AppState
from model import export
from model.catalogue import t
from model.errors import DataError, Problem
from model.scenario import Scenario


@dataclass(frozen=True)
class ExportFormat:
    """A download the Export page offers.

    Attributes
    ----------
    key
        The ``model.export`` format (``"csv"``, ``"xlsx"``, ``"netcdf"``, ``"iamc"``).
    label_key
        Catalogue key of its label (``ui_format_<key>``).
    extension
        File name ending, as ``model.export.SUFFIX`` writes it (``".nc"``, ``"-iamc.csv"``).
    """

    key: str
    label_key: str
    extension: str

    @property
    def has_summary_option(self) -> bool:
        """Whether the file can hold every draw or only summaries (NetCDF)."""
        return self.key == "netcdf"

    def needs_draws(self, summary: bool) -> bool:
        """Whether ``export_bytes`` needs the full Datasets.

        It does for the workbook's gap sheet and a NetCDF of every draw; otherwise the cached
        summaries give the same file.
        """
        return self.key == "xlsx" or (self.has_summary_option and not summary)

    def build(
        self,
        state: AppState,
        scenarios: Sequence[Scenario],
        lang: str = "zh",
        quarters: str | tuple[int, int] | None = None,
        summary: bool = True,
    ) -> bytes:
        """The file of ``scenarios`` (validated, in order) via ``model.export.export_bytes``.

        ``quarters`` is a range such as ``"2025Q1:2030Q4"`` or (start, end) quarter indices
        (``None``: the whole projection); ``summary`` applies to NetCDF. Raises :class:`DataError` on a bad
        range, its problems naming the page's quarter field.
        """
        if self.needs_draws(summary):
            results: dict[str, xr.Dataset] = {s.name: state.dataset(s) for s in scenarios}
        else:
            results = {s.name: state.summary(s) for s in scenarios}
        try:
            return export.export_bytes(
                state.park, results, scenarios, self.key, quarters, lang, summary
            )
        except DataError as exc:
            raise _on_page(exc, lang) from None


def _on_page(exc: DataError, lang: str) -> DataError:
    """The problems of a bad quarter range, naming the page's field, not a CLI option."""
    label = t("ui_export_quarters", lang)
    return DataError([Problem(label, None, None, p.value, p.expected) for p in exc.problems])


def parse_quarters(text: str | None, lang: str = "zh") -> tuple[int, int] | None:
    """The quarter range typed on the page (``"2025Q1:2030Q4"``) as (start, end) indices.

    The indices are quarter indices; ``None`` for an empty box (the whole projection).
    Raises :class:`DataError` naming the page's field if it is not a range.
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        return export.parse_quarters(text)
    except DataError as exc:
        raise _on_page(exc, lang) from None


def file_name(names: Sequence[str], fmt: ExportFormat, today: date | None = None) -> str:
    """``parkcap-<scenarios>-<yyyymmdd>.<ext>``; more than three scenarios are counted."""
    stem = "-".join(names) if len(names) <= 3 else f"{len(names)}-scenarios"
    day = (today or date.today()).strftime("%Y%m%d")
    return f"parkcap-{stem}-{day}{fmt.extension}"


def export_formats() -> dict[str, ExportFormat]:
    """The formats offered, by key, in the order of :data:`model.export.FORMATS`."""
    return {
        key: ExportFormat(key, f"ui_format_{key}", export.SUFFIX[key]) for key in export.FORMATS
    }
