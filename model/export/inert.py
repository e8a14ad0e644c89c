"""Text written inert: nothing an export writes runs as a spreadsheet formula.

``parkcap validate`` refuses free text that starts like a formula (``=``, ``+``, ``-``,
``@``, a tab or a carriage return; see :func:`model.fields.check_text`). Exports escape
such text all the same, as a second line of defence (a park built in code, a scenario
name, a file edited after validation), following OWASP's advice on CSV injection:

- CSV (tidy and IAMC): a text cell that starts like a formula gets a leading apostrophe
  (:func:`inert`, :func:`inert_frame`); numbers stay numbers (``-3.5`` is not touched).
- XLSX: openpyxl stores a string that starts with ``=`` as a formula; every such cell is
  turned back into a string cell, and every cell whose text starts like a formula is
  marked with Excel's quote prefix, as if typed with a leading apostrophe
  (:func:`inert_workbook`). The text itself is kept as it is.

The HTML report escapes every value with :func:`html.escape` and plotly encodes its
figure data as JSON with ``<`` and ``>`` escaped, so it needs nothing here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from model.fields import looks_like_formula

__all__ = ["inert", "inert_frame", "inert_workbook", "starts_like_formula"]


def starts_like_formula(value: object) -> bool:
    """``True`` if ``value`` is text that a spreadsheet could run as a formula.

    Parameters
    ----------
    value
        A cell value of any type.

    Returns
    -------
    bool
        Whether it is a string starting with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return, leading spaces aside (some spreadsheets drop them).
    """
    return isinstance(value, str) and looks_like_formula(value.lstrip(" "))


def inert(value: Any) -> Any:
    """A CSV cell value that no spreadsheet runs: text starting like a formula gets a ``'``.

    Parameters
    ----------
    value
        A cell value; anything but such text (numbers, dates, ``None``) is returned as is.

    Returns
    -------
    Any
        ``"'" + value`` for text that starts like a formula, else ``value``.
    """
    return "'" + value if starts_like_formula(value) else value


def inert_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells are :func:`inert`; numeric columns are untouched.

    Parameters
    ----------
    df
        A table about to be written as CSV.

    Returns
    -------
    pandas.DataFrame
        The same table with every text cell that starts like a formula escaped, and
        column names escaped the same way.
    """
    out = df.copy()
    for col in out.columns:
        if not (
            pd.api.types.is_numeric_dtype(out[col])
            or pd.api.types.is_datetime64_any_dtype(out[col])
        ):
            out[col] = out[col].map(inert)
    return out.rename(columns=lambda c: inert(c))


def inert_workbook(wb: Any) -> int:
    """Make every text cell of an openpyxl workbook inert, in place; return how many changed.

    A cell that openpyxl would write as a formula (``data_type == "f"``: a string that
    starts with ``=``) becomes a string cell again, and every string cell that starts like
    a formula gets Excel's quote prefix, so that editing it does not turn it into one.

    Parameters
    ----------
    wb
        An ``openpyxl.Workbook`` about to be saved.

    Returns
    -------
    int
        The number of cells changed.
    """
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                if cell.data_type == "f" or starts_like_formula(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed
