"""Recording new records: validated, locked, atomic appends (``parkcap track``, imports).

A new capacity record or project status change passes the same checks as
``parkcap validate``, and the park must still validate with it; a record that repeats one
already there (same stage or project, quantity or status, ``as_of`` and source) is refused,
or skipped on request. :func:`append_rows` holds a lock on the file while it reads,
validates and writes the whole file to a temporary file that is renamed into place, so
that a crash or a second writer never leaves a half-written or lost row. Bulk imports (CSV
or XLSX, :mod:`model.record_import`) are all-or-nothing.

The lock (:func:`locked`) is a ``filelock.FileLock`` (``fcntl`` on POSIX, ``msvcrt`` on
Windows) on a file outside the data folder (:func:`lock_path`), so that no lock file is
left among the data; the holder removes the temporary files that killed writers left.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import logging
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import filelock

from model.capacity import CapacityRecord, capacity_record_from_row
from model.datafiles import (
    atomic_write_bytes,
    check_cell,
    decode,
    remove_stale_temporaries,
    write_csv_text,
)
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
#: seconds a writer waits for another one to finish before giving up
LOCK_TIMEOUT = 300.0


def lock_dir() -> Path:
    """The folder of the lock files: ``$PARKCAP_LOCK_DIR``, else a per-user cache folder.

    Returns
    -------
    Path
        ``$PARKCAP_LOCK_DIR`` if set (accounts that write the same data folder share
        their locks by pointing it at one folder they can all write); else
        ``%LOCALAPPDATA%/parkcap/locks`` on Windows and
        ``${XDG_CACHE_HOME:-~/.cache}/parkcap/locks`` elsewhere.
    """
    env = os.environ.get("PARKCAP_LOCK_DIR")
    if env:
        return Path(env)
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or tempfile.gettempdir())
    elif os.environ.get("XDG_CACHE_HOME"):
        base = Path(os.environ["XDG_CACHE_HOME"])
    else:
        try:
            base = Path.home() / ".cache"
        except RuntimeError:  # no home folder (a bare service account)
            base = Path(tempfile.gettempdir()) / f"parkcap-{os.getuid()}"
    return base / "parkcap" / "locks"


def lock_path(path: Path) -> Path:
    """The lock file of the data file ``path``: in :func:`lock_dir`, named by its full path.

    Two names of one file (a relative path, a symlink) give the same lock file; the lock
    is never among the data, so nothing is left there after a write, refused or not.
    """
    full = os.path.normcase(os.path.realpath(path))
    digest = hashlib.sha256(os.fsencode(full)).hexdigest()[:32]
    return lock_dir() / f"{Path(path).name}.{digest}.lock"


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` for one writer at a time.

    The lock file (:func:`lock_path`) lives outside the data folder and is kept after
    use: deleting a lock file while another process waits on it would let two writers
    in. A process that dies releases its lock. Once it holds the lock, the writer removes
    the temporary files killed writers left beside ``path`` (no other writer can be
    half-way through) and the lock file that earlier versions kept beside it.

    Raises
    ------
    DataError
        If another writer holds the lock for longer than ``timeout`` seconds.
    """
    path = Path(path)
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    held = filelock.FileLock(str(lock), timeout=timeout)
    try:
        held.acquire()
    except filelock.Timeout:
        raise_if(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    None,
                    f"another writer has held its lock ({lock}) for {timeout:g} s; "
                    "expected it to finish: try again later",
                )
            ]
        )
    try:
        remove_stale_temporaries(path, older_than=0)
        with contextlib.suppress(OSError):  # the lock file earlier versions left beside it
            path.with_name(f".{path.name}.lock").unlink(missing_ok=True)
        yield
    finally:
        held.release()


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


#: what makes two records the same observation (record_id, recorded and note aside)
SAME_RECORD = {
    "capacity": ("stage", "quantity", "as_of", "source"),
    "project": ("project", "status", "as_of", "source", "start", "capacity"),
}


def _record_key(rec: CapacityRecord | StatusRecord) -> tuple[object, ...]:
    """Everything of :data:`SAME_RECORD` but the quantity, which is compared with a tolerance."""
    if isinstance(rec, CapacityRecord):
        return (rec.stage, rec.valid_from, rec.source)
    return (rec.project, rec.status, rec.valid_from, rec.source, rec.start)


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9)


class _Seen:
    """Records already there (in the data or earlier in the import), found by content."""

    def __init__(self, records: Iterable[CapacityRecord | StatusRecord]) -> None:
        self.index: dict[tuple[object, ...], list[tuple[float | None, str, int | None]]] = {}
        for rec in records:
            self.add(rec, None)

    def add(self, rec: CapacityRecord | StatusRecord, row: int | None) -> None:
        """Remember ``rec``: from the data (``row`` None) or from a row of the import."""
        self.index.setdefault(_record_key(rec), []).append((rec.value, rec.record_id, row))

    def find(self, rec: CapacityRecord | StatusRecord) -> tuple[str, int | None] | None:
        """The id of a record with the same content, and its import row (None: in the data)."""
        for value, ident, row in self.index.get(_record_key(rec), []):
            if _same_value(value, rec.value):
                return ident, row
        return None


def _validate_rows(
    park: Park,
    kind: str,
    rows: Sequence[tuple[int | None, dict[str, str]]],
    file: str,
    today: date,
    problems: list[Problem],
    skipped: list[tuple[int | None, str]] | None = None,
    importing: bool = True,
) -> list[tuple[dict[str, str], CapacityRecord | StatusRecord]]:
    """Validate new rows (filling ``record_id`` and ``recorded`` where empty) as ``validate`` does.

    A row that repeats a record (:data:`SAME_RECORD`) already in the data or earlier in
    ``rows`` is a problem, or, if ``skipped`` is a list, is left out and listed there as
    ``(row, record id or "row N of this import")``. Returns the rows to write with
    their records.
    """
    existing = set(_existing_ids(park, kind))
    generated = [r for _, r in rows if not r.get("record_id")]
    given = {r["record_id"] for _, r in rows if r.get("record_id")}
    for r, ident in zip(
        generated, next_record_ids(existing | given, ID_PREFIX[kind], len(generated)), strict=True
    ):
        r["record_id"] = ident
    seen: dict[str, int | None] = {}
    projects = {p.id: p for p in park.projects}
    known = _Seen(park.capacity_records if kind == "capacity" else park.status_records)
    target, _ = target_file(kind)
    fields = ", ".join(SAME_RECORD[kind])
    out: list[tuple[dict[str, str], CapacityRecord | StatusRecord]] = []
    n_skipped = 0
    for line, r in rows:
        found: list[Problem] = []
        if not all(check_cell(v, file, line, k, found) for k, v in r.items()):
            problems.extend(found)  # too long or multi-line: not worth parsing further
            continue
        if not r.get("recorded"):
            r["recorded"] = today.isoformat()
        ident = r["record_id"]
        if ident in existing:
            found.append(
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
            found.append(
                Problem(file, line, "record_id", ident, f"duplicate id; already used on {where}")
            )
        try:
            recorded = date.fromisoformat(r["recorded"])
        except ValueError:
            recorded = None  # reported by the row validator
        if recorded is not None and recorded > today:
            found.append(
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
                found,  # type: ignore[arg-type]
            )
        else:
            rec = status_record_from_row(r, line, file, projects, park.sources, found)
        same = known.find(rec) if rec is not None else None
        if same is not None:
            earlier, row = same
            if skipped is not None:
                skipped.append((line, earlier if row is None else f"row {row} of this import"))
                n_skipped += 1
                continue
            found = [p for p in found if p.field != "record_id"]  # the repeat says it all
            verb = "imported" if importing else "recorded"
            if row is None:
                said = f"already recorded as {earlier} (same {fields})"
                hint = "; leave the row out or pass --skip-existing" if importing else ""
            else:
                said = f"repeats row {row} of this import (same {fields})"
                hint = "; leave one of them out"
            found.append(
                Problem(
                    file,
                    line,
                    fields,
                    ", ".join(r.get(k, "") for k in SAME_RECORD[kind]),
                    f"{said}; nothing {verb}{hint}",
                )
            )
        seen.setdefault(ident, line)
        problems.extend(found)
        if rec is not None and not found:
            known.add(rec, line)
            out.append((r, rec))
    if n_skipped:  # ids stay consecutive: number the generated ids of the rows kept afresh
        mine = [k for k, (r, _) in enumerate(out) if any(r is g for g in generated)]
        fresh = next_record_ids(existing | given, ID_PREFIX[kind], len(mine))
        for k, ident in zip(mine, fresh, strict=True):
            r, rec = out[k]
            r["record_id"] = ident
            out[k] = (r, replace(rec, record_id=ident))
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
    skipped: list[tuple[int | None, str]] | None = None,
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
        Field -> command-line argument, to name arguments instead of columns in problems
        (given for ``parkcap track capacity`` and ``project``, not for imports).
    skipped
        If a list, rows that repeat a record already there (:data:`SAME_RECORD`: same
        stage or project, quantity or status, ``as_of`` and source; ``record_id``,
        ``recorded`` and notes aside), in the data or earlier in ``rows``, are skipped
        and listed in it as ``(row, record id)`` (``"row N of this import"`` for a row of
        ``rows``) instead of refused (``track import --skip-existing``).

    Returns
    -------
    list
        The new :class:`~model.park.CapacityRecord` or :class:`StatusRecord` objects
        (none, and nothing written, if every row was skipped).

    Raises
    ------
    DataError
        Listing every problem: the park's own (it must be valid before), every bad field of
        every new row (the checks of ``parkcap validate``), text longer than 10,000
        characters or on more than one line, ids already used, records already there,
        recording dates in the future, ``as_of`` after ``recorded``, and anything that
        would make the park invalid after the append. Nothing is written then.

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
        kept = _validate_rows(
            park, kind, work, file, today, problems, skipped, importing=arguments is None
        )
        if arguments:  # name the command-line arguments (one or several) instead of columns
            problems = [
                replace(p, field=", ".join(arguments.get(f, f) for f in p.field.split(", ")))
                if p.field
                else p
                for p in problems
            ]
        raise_if(problems)
        if not kept:
            logger.info("nothing to append to %s: every row is already recorded", path)
            return []
        text = appended_text(path, header, [r for r, _ in kept])
        _check_whole_park(d, name, text)
        atomic_write_bytes(path, text.encode("utf-8"))
    logger.info("appended %d %s record(s) to %s", len(kept), kind, path)
    return [rec for _, rec in kept]


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
