"""Reading and writing the plain CSV files in ``data/``, as Excel saves them.

CSV files are read with their line numbers so that every problem can name its row. A
Chinese-locale Excel saves CSV as GB18030/GBK or as UTF-8 with a byte-order mark; both
are accepted. Unknown and missing columns are problems, not silently ignored.

Reading is strict (:func:`parse_csv_text`): a field may not span lines — in these files
that is always a stray or unclosed quote, which would otherwise swallow the rows after it
— and may hold at most :data:`MAX_FIELD` characters. Either is a problem naming the file,
the row where the field starts and its column, never a traceback.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from model.errors import Problem

logger = logging.getLogger(__name__)

ENCODINGS = ("utf-8-sig", "gb18030")
#: the longest field a data or import file may hold, in characters
MAX_FIELD = 10_000
#: how many characters of a bad value a problem shows
SHOWN = 60

# The csv module's own limit (131,072 characters per field) raises an error that names
# neither the row nor the field. Lift it once (the whole file is in memory already) so that
# :func:`parse_csv_text` can name both when a field is longer than MAX_FIELD. 2**31 - 1 is
# the largest value a C long holds on every platform.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


def shorten(text: str, limit: int = SHOWN) -> str:
    """``text`` cut to ``limit`` characters (marked with "…") for a problem message.

    Parameters
    ----------
    text
        The value as read.
    limit
        How many characters to keep.

    Returns
    -------
    str
        ``text`` itself if it is short enough, else its start followed by "…".
    """
    return text if len(text) <= limit else text[:limit] + "…"


def check_cell(
    text: str, file: str, line: int | None, col: str | None, problems: list[Problem]
) -> bool:
    """Append a problem if one cell holds a line break or more than :data:`MAX_FIELD` characters.

    Used for cells that do not come from a CSV file of ours (XLSX imports, the command
    line): the data files keep one record per line, so such a value could not be written.

    Parameters
    ----------
    text
        The cell.
    file, line, col
        Where it came from, for the message.
    problems
        List the problem is appended to.

    Returns
    -------
    bool
        ``True`` if the cell is fine.
    """
    if len(text) > MAX_FIELD:
        problems.append(
            Problem(
                file,
                line,
                col,
                shorten(text),
                f"text is {len(text):,} characters long; expected at most {MAX_FIELD:,}",
            )
        )
        return False
    if "\n" in text or "\r" in text:
        problems.append(
            Problem(
                file,
                line,
                col,
                shorten(text),
                "text contains a line break; data files keep one record per line: "
                "expected the text on one line",
            )
        )
        return False
    return True


def parse_csv_text(
    text: str, name: str, problems: list[Problem]
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the records of CSV text, read strictly.

    Parameters
    ----------
    text
        The decoded file.
    name
        How to name the file in problems.
    problems
        List to which a problem is appended for every record with a field that spans
        lines (a stray or unclosed quote: named at the row where the field starts, with
        the row where the quote closes, if it does) or that is longer than
        :data:`MAX_FIELD` characters; such records are left out.

    Returns
    -------
    tuple
        The header cells (stripped) and ``(row, cells)`` of every other record, where
        ``row`` is the line on which the record starts (the header is line 1). Blank lines
        are records with no cells.
    """
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, int, list[str]]] = []
    end = 0
    try:
        for cells in reader:
            records.append((end + 1, reader.line_num, cells))
            end = reader.line_num
    except csv.Error as exc:  # defensive: the limit above leaves no known cause
        problems.append(
            Problem(
                name,
                end + 1,
                None,
                None,
                f"cannot read this row as CSV ({exc}); expected comma-separated fields",
            )
        )
    if not records:
        return [], []
    header: list[str] = []
    out: list[tuple[int, list[str]]] = []
    for k, (start, stop, cells) in enumerate(records):
        names = header if k else [c.strip() for c in cells]
        if _bad_record(cells, names, start, stop, lines, name, problems):
            if k == 0:
                return [], []
            continue
        if k == 0:
            header = names
        else:
            out.append((start, cells))
    return header, out


def _bad_record(
    cells: Sequence[str],
    header: Sequence[str],
    start: int,
    stop: int,
    lines: Sequence[str],
    name: str,
    problems: list[Problem],
) -> bool:
    """Append a problem for the first field of a record that spans lines or is too long."""
    for j, cell in enumerate(cells):
        col = header[j] if j < len(header) else None
        if "\n" in cell or "\r" in cell:
            quotes = sum(ln.count('"') for ln in lines[start - 1 : stop])
            swallowed = (
                "is never closed, so every line after it was"
                if quotes % 2
                else f"closes only on row {stop}, so {stop - start} line(s) were"
            )
            problems.append(
                Problem(
                    name,
                    start,
                    col,
                    shorten(cell),
                    f'a quote (") opens this field and {swallowed} read into it as text '
                    "instead of as rows; expected the closing quote on the same line, or no "
                    "quote (a field may not span lines)",
                )
            )
            return True
        if len(cell) > MAX_FIELD:
            problems.append(
                Problem(
                    name,
                    start,
                    col,
                    shorten(cell),
                    f"field is {len(cell):,} characters long; expected at most {MAX_FIELD:,}",
                )
            )
            return True
    return False


def decode(raw: bytes) -> tuple[str, str]:
    """Decode file bytes as UTF-8 (with or without BOM) or GB18030; return (text, encoding)."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    tried, reason = "utf-8/gb18030", "not UTF-8 or GB18030"
    raise UnicodeDecodeError(tried, raw, 0, 1, reason)


def read_csv(
    path: Path,
    columns: Sequence[str],
    problems: list[Problem],
    optional: Iterable[str] = (),
    label: str | None = None,
) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV file into ``(line_number, row)`` pairs, stripped of surrounding blanks.

    Parameters
    ----------
    path
        The file.
    columns
        Columns that must be present.
    problems
        List to which every problem found is appended (missing file, empty file,
        undecodable bytes, missing or unknown columns, rows with extra cells, fields
        that span lines or are too long: see :func:`parse_csv_text`).
    optional
        Columns that may be present.
    label
        How to name the file in messages (default: its name relative to its folder).

    Returns
    -------
    list of (int, dict)
        Rows keyed by column name; blank lines are skipped. Empty on a fatal problem.
    """
    name = label or f"{path.parent.name}/{path.name}"
    if not path.exists():
        problems.append(
            Problem(name, None, None, None, "file is missing; expected it in the data folder")
        )
        return []
    raw = path.read_bytes()
    if not raw.strip():
        problems.append(
            Problem(
                name,
                None,
                None,
                None,
                f"file is empty; expected a header line with {', '.join(columns)}",
            )
        )
        return []
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError:
        problems.append(
            Problem(
                name,
                None,
                None,
                None,
                "cannot decode the file; save it as UTF-8 or GB18030 (GBK) CSV",
            )
        )
        return []
    if encoding != "utf-8-sig":
        logger.info("%s read as %s", name, encoding)
    n = len(problems)
    header, records = parse_csv_text(text, name, problems)
    if not header:
        if len(problems) == n:
            problems.append(
                Problem(name, None, None, None, "file is empty; expected a header line")
            )
        return []
    if not check_header(header, columns, optional, name, problems):
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    cells[len(header) :],
                    f"row has {len(cells)} cells but the header has {len(header)}",
                )
            )
            continue
        cells = cells + [""] * (len(header) - len(cells))
        rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    return rows


def check_header(
    header: Sequence[str],
    columns: Sequence[str],
    optional: Iterable[str],
    name: str,
    problems: list[Problem],
) -> bool:
    """Append a problem for each missing, unknown or repeated column; ``True`` if none."""
    allowed = list(columns) + list(optional)
    n = len(problems)
    for col in columns:
        if col not in header:
            problems.append(
                Problem(
                    name,
                    1,
                    col,
                    None,
                    f"column '{col}' is missing; expected columns {', '.join(allowed)}",
                )
            )
    for col in header:
        if col not in allowed:
            problems.append(
                Problem(name, 1, col, col, f"unknown column; expected only {', '.join(allowed)}")
            )
    if len(set(header)) != len(header):
        problems.append(
            Problem(name, 1, None, list(header), "duplicate column names in the header")
        )
    return len(problems) == n


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A crash leaves either the old file or the new one, never a half-written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, file_mode(path))  # mkstemp makes 0600; keep the file's own mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: how old a temporary file of another writer must be before it is taken as abandoned
STALE_AFTER = 600.0


def remove_stale_temporaries(path: Path, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove the temporary files that killed writers of ``path`` left beside it.

    :func:`atomic_write_bytes` writes ``.<name>.XXXXXXXX.tmp`` beside ``path`` and renames
    it into place; a writer killed in between leaves it behind. Each such file last
    modified more than ``older_than`` seconds ago is removed (a writer that holds the
    file's lock passes 0: no other writer can be half-way through).

    Parameters
    ----------
    path
        The file whose temporaries are looked for.
    older_than
        Age in seconds below which a temporary file is left alone.

    Returns
    -------
    list of Path
        The files removed.
    """
    path = Path(path)
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.[A-Za-z0-9_]+\.tmp$")
    removed: list[Path] = []
    try:
        candidates = [p for p in path.parent.iterdir() if pattern.match(p.name)]
    except OSError:
        return removed
    now = time.time()
    for p in candidates:
        try:
            if now - p.stat().st_mtime >= older_than:
                p.unlink()
                removed.append(p)
        except OSError:  # gone already, or not ours to remove
            continue
    if removed:
        logger.info("removed %d stale temporary file(s) of %s", len(removed), path)
    return removed


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once, before any server thread starts
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def file_mode(path: Path) -> int:
    """Mode for a file written at ``path``: its current mode, else the umask's default."""
    if path.exists():
        return path.stat().st_mode & 0o777
    return 0o666 & ~_UMASK


def write_csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    r"""CSV text (UTF-8, ``\n`` line ends) of a header and rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()
