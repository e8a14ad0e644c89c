"""Recording new records: validated, locked, atomic appends (``parkcap track``, imports).

A new capacity record or project status change passes the same checks as
``parkcap validate``, and the park must still validate with it. :func:`append_rows` holds a
lock beside the file while it reads, validates and writes the whole file to a temporary
file that is renamed into place, so that a crash or a second writer never leaves a
half-written or lost row. Bulk imports (CSV or XLSX, :mod:`model.record_import`) are all-or-nothing.
"""

from __future__ import annotations

import csv
import fcntl
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

from model.capacity import CapacityRecord, capacity_record_from_row
from model.datafiles import atomic_write_bytes, decode, write_csv_text
from model.errors import Problem, raise_if
from model.park import Park, load_park
from model.status_history import (
    STATUS_COLUMNS,
    STATUS_FILE,
    STATUS_OPTIONAL,
    StatusRecord,
    status_record_from_row,
)

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------
# atomic appends
# ---------------------------------------------------------------------------
@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` for one writer at a time.

    The lock is a hidden file beside it (``.capacity.csv.lock``), kept after use: deleting
    a lock file while another process waits on it would let two writers in.
    """
    lock_path = path.with_name(f".{path.name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def appended_text(path: Path, header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> str:
    """The text of the CSV at ``path`` with ``rows`` appended (``header`` if it is new).

    The existing rows are kept as they are (decoded from UTF-8 or GB18030); the new rows
    follow in the file's own column order. A missing or empty file starts with ``header``.
    """
    if path.exists() and path.read_bytes().strip():
        text, _ = decode(path.read_bytes())
        if not text.endswith("\n"):
            text += "\n"
        existing_header = next(csv.reader([text.splitlines()[0]]))
        cols = [c.strip() for c in existing_header]
    else:
        text = ""
        cols = list(header)
    body = write_csv_text(cols, [[row.get(c, "") for c in cols] for row in rows])
    return (text + body.split("\n", 1)[1]) if text else body


def append_rows(path: Path, header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> None:
    """Append ``rows`` to the CSV at ``path`` atomically, under a lock.

    The existing rows are kept (re-written as UTF-8 if the file was GB18030); the new rows
    go after them. The file is written to a temporary file and renamed into place, so a
    crash leaves the old file or the new one, and the lock makes a second writer wait.
    """
    with locked(path):
        atomic_write_bytes(path, appended_text(path, header, rows).encode("utf-8"))


# ---------------------------------------------------------------------------
# recording new records: parkcap track capacity / project / import
# ---------------------------------------------------------------------------
CAPACITY_FILE = "capacity.csv"
CAPACITY_COLUMNS = [
    "record_id",
    "stage",
    "quantity",
    "as_of",
    "recorded",
    "source",
    "assumption",
    "note",
]
KINDS = ("capacity", "project")
#: record-id prefix of new records of each kind: cap-0006, st-0001
ID_PREFIX = {"capacity": "cap", "project": "st"}
#: columns an import file must have / may have, per kind (record_id and recorded are optional:
#: ids are generated and ``recorded`` defaults to today)
IMPORT_COLUMNS: dict[str, tuple[list[str], list[str]]] = {
    "capacity": (
        ["stage", "quantity", "as_of", "source"],
        ["record_id", "recorded", "assumption", "note"],
    ),
    "project": (
        ["project", "status", "as_of", "source"],
        ["record_id", "recorded", "start", "capacity", "note"],
    ),
}
#: field of a record -> the command-line argument it came from, for problems of ``track``
_ARGUMENTS = {
    "capacity": {
        "record_id": "record_id",
        "stage": "STAGE",
        "quantity": "QUANTITY",
        "as_of": "--as-of",
        "recorded": "--recorded",
        "source": "--source",
        "note": "--note",
    },
    "project": {
        "record_id": "record_id",
        "project": "ID",
        "status": "--status",
        "as_of": "--as-of",
        "recorded": "--recorded",
        "source": "--source",
        "start": "--start",
        "capacity": "--capacity",
        "note": "--note",
    },
}


def target_file(kind: str) -> tuple[str, list[str]]:
    """The data file records of ``kind`` go to, and its header for a new file."""
    if kind == "capacity":
        return CAPACITY_FILE, CAPACITY_COLUMNS
    if kind == "project":
        return STATUS_FILE, STATUS_COLUMNS + STATUS_OPTIONAL
    msg = f"kind must be one of {KINDS}, not {kind!r}"
    raise ValueError(msg)


def next_record_ids(existing: Iterable[str], prefix: str, n: int = 1) -> list[str]:
    """``n`` new ids ``{prefix}-NNNN`` after the highest number already used with ``prefix``.

    >>> next_record_ids(["cap-0001", "cap-0005", "c9"], "cap", 2)
    ['cap-0006', 'cap-0007']
    """
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    used = [int(m.group(1)) for ident in existing if (m := pattern.match(ident))]
    start = max(used, default=0) + 1
    return [f"{prefix}-{k:04d}" for k in range(start, start + n)]


def _existing_ids(park: Park, kind: str) -> list[str]:
    if kind == "capacity":
        return [r.record_id for r in park.capacity_records]
    return [r.record_id for r in park.status_records]


def _validate_rows(
    park: Park,
    kind: str,
    rows: Sequence[tuple[int | None, dict[str, str]]],
    file: str,
    today: date,
    problems: list[Problem],
) -> list[CapacityRecord | StatusRecord]:
    """Validate new rows (filling ``record_id`` and ``recorded`` where empty) as ``validate`` does."""
    existing = set(_existing_ids(park, kind))
    missing = [r for _, r in rows if not r.get("record_id")]
    fresh = next_record_ids(
        existing | {r["record_id"] for _, r in rows if r.get("record_id")},
        ID_PREFIX[kind],
        len(missing),
    )
    for r, ident in zip(missing, fresh, strict=True):
        r["record_id"] = ident
    seen: dict[str, int | None] = {}
    projects = {p.id: p for p in park.projects}
    out: list[CapacityRecord | StatusRecord] = []
    for line, r in rows:
        if not r.get("recorded"):
            r["recorded"] = today.isoformat()
        ident = r["record_id"]
        if ident in existing:
            target, _ = target_file(kind)
            problems.append(
                Problem(
                    file,
                    line,
                    "record_id",
                    ident,
                    f"id already used in {target}; records are never overwritten: give a new id "
                    "or leave it empty to have one generated",
                )
            )
        elif ident in seen:
            where = f"row {seen[ident]}" if seen[ident] is not None else "this import"
            problems.append(
                Problem(file, line, "record_id", ident, f"duplicate id; already used on {where}")
            )
        seen.setdefault(ident, line)
        try:
            recorded = date.fromisoformat(r["recorded"])
        except ValueError:
            recorded = None  # reported by the row validator
        if recorded is not None and recorded > today:
            problems.append(
                Problem(
                    file,
                    line,
                    "recorded",
                    r["recorded"],
                    f"date is after today ({today.isoformat()}); expected the date the "
                    "record was learnt, today or earlier",
                )
            )
        if kind == "capacity":
            rec: CapacityRecord | StatusRecord | None = capacity_record_from_row(
                r,
                line,
                file,
                park.stages,
                park.sources,
                problems,  # type: ignore[arg-type]
            )
        else:
            rec = status_record_from_row(r, line, file, projects, park.sources, problems)
        if rec is not None:
            out.append(rec)
    return out


def _check_whole_park(data_dir: Path, file_name: str, text: str) -> None:
    """Load a copy of the park with ``file_name`` replaced by ``text``: raise if it is invalid."""
    with tempfile.TemporaryDirectory(prefix="parkcap-check-") as tmp:
        for src in data_dir.glob("*.csv"):
            shutil.copy2(src, Path(tmp) / src.name)
        (Path(tmp) / file_name).write_text(text, encoding="utf-8")
        load_park(tmp)


def record_rows(
    data_dir: str | os.PathLike[str],
    kind: str,
    rows: Sequence[tuple[int | None, Mapping[str, str]]],
    file: str,
    today: date | None = None,
    arguments: Mapping[str, str] | None = None,
) -> list[CapacityRecord | StatusRecord]:
    """Validate new records and append them all to the park's data, or none of them.

    Parameters
    ----------
    data_dir
        The data folder.
    kind
        ``"capacity"`` (to ``capacity.csv``) or ``"project"`` (to ``status_history.csv``,
        created with its header on first use).
    rows
        ``(row number, row)`` pairs as read from an import file (``None`` for the command
        line), with the columns of :data:`IMPORT_COLUMNS`. Empty ``record_id`` gets the
        next free ``cap-NNNN`` / ``st-NNNN``; empty ``recorded`` gets ``today``.
    file
        How to name the input in problems (the import file's name, or ``"command line"``).
    today
        The recording date (default: today's date).
    arguments
        Field -> command-line argument, to name arguments instead of columns in problems.

    Returns
    -------
    list
        The new :class:`~model.park.CapacityRecord` or :class:`StatusRecord` objects.

    Raises
    ------
    DataError
        Listing every problem: the park's own (it must be valid before), every bad field of
        every new row (the checks of ``parkcap validate``), ids already used, recording
        dates in the future, and anything that would make the park invalid after the
        append. Nothing is written then.

    Notes
    -----
    The read-validate-write sequence holds the data file's lock, so concurrent writers
    get distinct ids and no row is lost; the write is a temporary file and a rename.
    """
    d = Path(data_dir)
    today = today or date.today()
    name, header = target_file(kind)
    path = d / name
    work = [
        (line, {k: ("" if v is None else str(v).strip()) for k, v in r.items()}) for line, r in rows
    ]
    with locked(path):
        park = load_park(d)
        problems: list[Problem] = []
        records = _validate_rows(park, kind, work, file, today, problems)
        if arguments:
            problems = [
                replace(p, field=arguments.get(p.field, p.field)) if p.field else p
                for p in problems
            ]
        raise_if(problems)
        text = appended_text(path, header, [r for _, r in work])
        _check_whole_park(d, name, text)
        atomic_write_bytes(path, text.encode("utf-8"))
    logger.info("appended %d %s record(s) to %s", len(records), kind, path)
    return records


def track_capacity(
    data_dir: str | os.PathLike[str],
    stage: str,
    quantity: str,
    as_of: date | str,
    source: str,
    note: str = "",
    recorded: date | str | None = None,
    today: date | None = None,
) -> CapacityRecord:
    """Append one capacity observation (``parkcap track capacity``); see :func:`record_rows`.

    Problems name the command-line argument (``QUANTITY``, ``--as-of``, ...).
    """
    row = {
        "stage": stage,
        "quantity": quantity,
        "as_of": str(as_of),
        "recorded": "" if recorded is None else str(recorded),
        "source": source,
        "note": note,
    }
    (rec,) = record_rows(
        data_dir, "capacity", [(None, row)], "command line", today, _ARGUMENTS["capacity"]
    )
    return rec  # type: ignore[return-value]


def track_project(
    data_dir: str | os.PathLike[str],
    project: str,
    status: str,
    as_of: date | str,
    source: str,
    start: str | None = None,
    capacity: str | None = None,
    note: str = "",
    recorded: date | str | None = None,
    today: date | None = None,
) -> StatusRecord:
    """Append one project status change (``parkcap track project``); see :func:`record_rows`."""
    row = {
        "project": project,
        "status": status,
        "as_of": str(as_of),
        "recorded": "" if recorded is None else str(recorded),
        "source": source,
        "start": start or "",
        "capacity": capacity or "",
        "note": note,
    }
    (rec,) = record_rows(
        data_dir, "project", [(None, row)], "command line", today, _ARGUMENTS["project"]
    )
    return rec  # type: ignore[return-value]
