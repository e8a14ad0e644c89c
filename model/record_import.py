"""Bulk imports: a CSV or XLSX file of new capacity or status records, all or nothing.

The file has the columns of ``capacity.csv`` or ``status_history.csv`` (see the README);
its kind is told by its columns or by ``kind``. A CSV file is read as strictly as the data
files (:func:`model.datafiles.parse_csv_text`: no field across lines, none longer than
10,000 characters), an XLSX cell is held to the same rules. Every row passes the checks of
``parkcap validate``, then all are appended at once by :func:`model.recording.record_rows`;
rows already recorded are refused, or skipped on request.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path

from model.capacity import CapacityRecord
from model.datafiles import check_cell, check_header, decode, parse_csv_text
from model.errors import Problem, raise_if
from model.recording import IMPORT_COLUMNS, KINDS, record_rows
from model.status_history import StatusRecord


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV would hold (dates as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_table(
    path: Path, problems: list[Problem]
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(row number, cells)`` of the first sheet of an XLSX file."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises assorted errors on files that are not XLSX
        problems.append(
            Problem(path.name, None, None, None, f"cannot read as an XLSX workbook ({exc})")
        )
        return [], []
    try:
        ws = wb.worksheets[0]
        rows = [
            (k, [_cell_text(c) for c in cells])
            for k, cells in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
    finally:
        wb.close()
    if not rows:
        return [], []
    header = [h.strip() for h in rows[0][1]]
    out = []
    for k, cells in rows[1:]:
        if not any(cells):
            continue
        names = [header[j] if j < len(header) else None for j in range(len(cells))]
        if all(check_cell(c, path.name, k, n, problems) for c, n in zip(cells, names, strict=True)):
            out.append((k, cells))
    return header, out


def _csv_table(
    path: Path, problems: list[Problem]
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(line number, cells)`` of a CSV file (UTF-8, BOM or GB18030)."""
    try:
        text, _ = decode(path.read_bytes())
    except UnicodeDecodeError:
        problems.append(
            Problem(
                path.name,
                None,
                None,
                None,
                "cannot decode the file; save it as UTF-8 or GB18030 CSV",
            )
        )
        return [], []
    header, records = parse_csv_text(text, path.name, problems)
    return header, [(k, c) for k, c in records if any(x.strip() for x in c)]


def read_import_file(
    path: str | os.PathLike[str], kind: str | None, problems: list[Problem]
) -> tuple[str | None, list[tuple[int, dict[str, str]]]]:
    """Read an import file (CSV or the first sheet of an XLSX workbook) into rows.

    The kind is ``kind`` if given, else told from the header (``stage`` + ``quantity``:
    capacity; ``project`` + ``status``: project). Row numbers are those an editor or
    Excel shows (the header is row 1). Problems (missing file, unknown format, missing or
    unknown columns, rows with extra cells) are appended to ``problems``.
    """
    p = Path(path)
    name = p.name
    if not p.is_file():
        problems.append(Problem(name, None, None, str(p), "file not found"))
        return kind, []
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        header, cells = _xlsx_table(p, problems)
    elif suffix == ".csv":
        header, cells = _csv_table(p, problems)
    else:
        problems.append(
            Problem(name, None, None, p.suffix, "unknown file type; expected a .csv or .xlsx file")
        )
        return kind, []
    if not header:
        if not problems:
            problems.append(Problem(name, None, None, None, "file is empty; expected a header row"))
        return kind, []
    if kind is None:
        if {"stage", "quantity"} <= set(header):
            kind = "capacity"
        elif {"project", "status"} <= set(header):
            kind = "project"
        else:
            problems.append(
                Problem(
                    name,
                    1,
                    None,
                    header,
                    "cannot tell the kind of records: expected columns stage, quantity, as_of, "
                    "source (capacity) or project, status, as_of, source (project), or pass --kind",
                )
            )
            return None, []
    required, optional = IMPORT_COLUMNS[kind]
    if not check_header(header, required, optional, name, problems):
        return kind, []
    rows = []
    for line, c in cells:
        if len(c) > len(header) and any(x.strip() for x in c[len(header) :]):
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    c[len(header) :],
                    f"row has {len(c)} cells but the header has {len(header)}",
                )
            )
            continue
        c = list(c[: len(header)]) + [""] * (len(header) - len(c))
        rows.append((line, {h: x.strip() for h, x in zip(header, c, strict=True)}))
    return kind, rows


def import_records(
    data_dir: str | os.PathLike[str],
    path: str | os.PathLike[str],
    kind: str | None = None,
    today: date | None = None,
    skipped: list[tuple[int | None, str]] | None = None,
) -> tuple[str, list[CapacityRecord | StatusRecord]]:
    """Bulk import (``parkcap track import``): every row of ``path`` or none.

    Returns the kind and the new records. Raises :class:`~model.errors.DataError` with
    every problem, each naming the import file's row, and writes nothing, if any row is
    bad; a row that repeats a record already there is bad ("already recorded as
    cap-0007; nothing imported") unless ``skipped`` is a list, in which it is then listed
    as ``(row, record id)`` and left out (``--skip-existing``; see
    :func:`model.recording.record_rows`).
    """
    if kind is not None and kind not in KINDS:
        raise_if(
            [Problem("command line", None, "--kind", kind, f"expected one of {', '.join(KINDS)}")]
        )
    problems: list[Problem] = []
    kind, rows = read_import_file(path, kind, problems)
    if not problems and not rows:
        problems.append(Problem(Path(path).name, None, None, None, "no records to import"))
    raise_if(problems)
    assert kind is not None
    return kind, record_rows(data_dir, kind, rows, Path(path).name, today, skipped=skipped)
