"""Reading and writing the plain CSV files in ``data/``, as Excel saves them.

CSV files are read with their line numbers so that every problem can name its row. A
Chinese-locale Excel saves CSV as GB18030/GBK or as UTF-8 with a byte-order mark; both
are accepted. Unknown and missing columns are problems, not silently ignored.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from model.errors import Problem

logger = logging.getLogger(__name__)

ENCODINGS = ("utf-8-sig", "gb18030")


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
        undecodable bytes, missing or unknown columns, rows with extra cells).
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
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(name, None, None, None, "file is empty; expected a header line"))
        return []
    if not check_header(header, columns, optional, name, problems):
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        line = reader.line_num
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
