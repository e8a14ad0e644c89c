"""Tracking over time: dated records appended (never overwritten), validated like
``parkcap validate``, atomic under crashes and concurrent writers, bulk imports that are
all-or-nothing, the history, the state on any date, and status estimates."""

from __future__ import annotations

import json
import multiprocessing
import os
from datetime import date
from pathlib import Path

import pytest

from model import record_import, recording, status_history, tracking
from model.cli import main
from model.datafiles import read_csv, write_csv_text
from model.errors import DataError
from model.park import load_park

TODAY = date(2025, 1, 15)


@pytest.fixture(autouse=True)
def _private_locks(tmp_path_factory, monkeypatch) -> None:
    """Lock files in a folder of the test's own, not in the user's cache."""
    monkeypatch.setenv("PARKCAP_LOCK_DIR", str(tmp_path_factory.mktemp("locks")))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def capacity_rows(d: Path) -> list[dict[str, str]]:
    problems: list = []
    rows = read_csv(
        d / "capacity.csv", ["record_id"], problems, optional=recording.CAPACITY_COLUMNS
    )
    assert problems == []
    return [r for _, r in rows]


# ---------------------------------------------------------------------------
# appending one record
# ---------------------------------------------------------------------------
def test_next_record_ids_follow_the_highest_number() -> None:
    assert recording.next_record_ids(["cap-0001", "cap-0009", "c12", "st-0040"], "cap", 2) == [
        "cap-0010",
        "cap-0011",
    ]
    assert recording.next_record_ids([], "st") == ["st-0001"]


def test_track_capacity_appends_a_record_and_keeps_the_old_ones(mini_dir: Path) -> None:
    before = (mini_dir / "capacity.csv").read_bytes()
    rec = recording.track_capacity(
        mini_dir, "lfp_cell", "12吉瓦时", "2024-09-15", "mini-src", note="phase 1b", today=TODAY
    )
    assert rec.record_id == "cap-0001"
    assert rec.value == pytest.approx(12.0)
    assert rec.recorded == TODAY
    after = (mini_dir / "capacity.csv").read_bytes()
    assert after.startswith(before)  # old rows kept byte for byte
    rows = capacity_rows(mini_dir)
    assert rows[-1] == {
        "record_id": "cap-0001",
        "stage": "lfp_cell",
        "quantity": "12吉瓦时",
        "as_of": "2024-09-15",
        "recorded": "2025-01-15",
        "source": "mini-src",
        "note": "phase 1b",
    }
    second = recording.track_capacity(
        mini_dir, "separator", "3亿平方米", "2024-10-01", "mini-src", today=TODAY
    )
    assert second.record_id == "cap-0002"
    park = load_park(mini_dir)
    assert park.capacity_as_of(date(2024, 6, 30))["lfp_cell"].value == 10
    assert park.capacity_as_of(date(2024, 9, 30))["lfp_cell"].value == 12


@pytest.mark.parametrize(
    ("field", "value", "argument", "message"),
    [
        ("stage", "lfp_cel", "STAGE", "unknown stage id"),
        ("quantity", "12吨", "QUANTITY", "wrong dimension"),
        ("quantity", "-3GWh", "QUANTITY", "must not be negative"),
        ("as_of", "2024-02-30", "--as-of", "not a valid date"),
        ("source", "nowhere", "--source", "unknown source id"),
        ("recorded", "2026-01-01", "--recorded", "after today"),
    ],
)
def test_track_capacity_names_the_bad_argument_and_writes_nothing(
    mini_dir: Path, field: str, value: str, argument: str, message: str
) -> None:
    good = {
        "stage": "lfp_cell",
        "quantity": "12GWh",
        "as_of": "2024-09-15",
        "source": "mini-src",
        "recorded": None,
    }
    before = (mini_dir / "capacity.csv").read_bytes()
    with pytest.raises(DataError) as info:
        recording.track_capacity(mini_dir, **{**good, field: value}, today=TODAY)
    fields = {p.field for p in info.value.problems}
    assert fields == {argument}
    assert message in str(info.value)
    assert (mini_dir / "capacity.csv").read_bytes() == before


def test_track_capacity_reports_every_problem_in_one_run(mini_dir: Path) -> None:
    with pytest.raises(DataError) as info:
        recording.track_capacity(
            mini_dir, "lfp_cell", "12吨", "2024-13-01", "nowhere", recorded="later", today=TODAY
        )
    assert {p.field for p in info.value.problems} == {
        "QUANTITY",
        "--as-of",
        "--source",
        "--recorded",
    }


def test_track_refuses_when_the_park_is_already_invalid(mini_dir: Path) -> None:
    path = mini_dir / "recipes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("t/GWh", "m**2/GWh"), encoding="utf-8")
    before = (mini_dir / "capacity.csv").read_bytes()
    with pytest.raises(DataError) as info:
        recording.track_capacity(
            mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", today=TODAY
        )
    assert any(p.file == "recipes.csv" and p.field == "unit" for p in info.value.problems)
    assert (mini_dir / "capacity.csv").read_bytes() == before


def test_track_project_creates_status_history_with_its_header(mini_dir: Path) -> None:
    path = mini_dir / status_history.STATUS_FILE
    assert not path.exists()
    rec = recording.track_project(
        mini_dir,
        "cell-2",
        "trial",
        "2025-01-10",
        "mini-src",
        start="2025Q1",
        capacity="6GWh",
        today=TODAY,
    )
    assert rec.record_id == "st-0001"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == status_history.STATUS_COLUMNS + status_history.STATUS_OPTIONAL
    park = load_park(mini_dir)
    (before,) = tracking.projects_as_of(park, date(2024, 12, 31))
    (after,) = tracking.projects_as_of(park, date(2025, 1, 31))
    assert (before.status, before.value) == ("construction", 5.0)
    assert (after.status, after.value) == ("trial", 6.0)
    # as known before the record was made, the change is invisible
    (known,) = tracking.projects_as_of(park, date(2025, 1, 31), known_as_of=date(2025, 1, 14))
    assert known.status == "construction"
    assert (
        recording.track_project(
            mini_dir, "cell-2", "full_output", "2025-06-30", "mini-src", today=date(2025, 7, 1)
        ).record_id
        == "st-0002"
    )


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"project": "cell-9"}, "ID"),
        ({"status": "built"}, "--status"),
        ({"start": "2025Q5"}, "--start"),
        ({"capacity": "5万吨"}, "--capacity"),
        ({"as_of": "yesterday"}, "--as-of"),
    ],
)
def test_track_project_names_the_bad_argument(mini_dir: Path, changes: dict, argument: str) -> None:
    args = {"project": "cell-2", "status": "trial", "as_of": "2025-01-10", "source": "mini-src"}
    with pytest.raises(DataError) as info:
        recording.track_project(mini_dir, **{**args, **changes}, today=TODAY)
    assert argument in {p.field for p in info.value.problems}
    assert not (mini_dir / status_history.STATUS_FILE).exists()


# ---------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------
def test_cli_track_capacity_and_history(capsys, mini_dir: Path) -> None:
    code, out, _ = run(
        capsys,
        "track",
        "capacity",
        "lfp_cell",
        "12GWh",
        "--as-of",
        "2024-09-15",
        "--source",
        "mini-src",
        "--note",
        "new line",
        "--recorded",
        "2024-10-01",
        "--data",
        str(mini_dir),
        "--lang",
        "en",
    )
    assert code == 0
    assert "cap-0001" in out
    code, out, _ = run(capsys, "track", "history", "lfp_cell", "--json", "--data", str(mini_dir))
    assert code == 0
    rows = json.loads(out)
    assert [r["record_id"] for r in rows] == ["c1", "cap-0001"]
    assert rows[1] | {"name": None} == {
        "kind": "capacity",
        "record_id": "cap-0001",
        "subject": "lfp_cell",
        "name": None,
        "value": "12GWh",
        "unit": "GWh",
        "status": None,
        "start": None,
        "capacity": None,
        "as_of": "2024-09-15",
        "recorded": "2024-10-01",
        "source": "mini-src",
        "note": "new line",
    }
    code, out, _ = run(capsys, "track", "history", "--data", str(mini_dir), "--lang", "en")
    assert code == 0
    for text in ("Valid from", "Recorded", "new line"):
        assert text in out


def test_cli_track_bad_input_exits_2_with_every_problem(capsys, mini_dir: Path) -> None:
    code, out, err = run(
        capsys,
        "track",
        "capacity",
        "lfp_cell",
        "12吨",
        "--as-of",
        "2024-09-45",
        "--source",
        "nowhere",
        "--data",
        str(mini_dir),
        "--lang",
        "en",
    )
    assert code == 2
    assert "field 'QUANTITY'" in err
    assert "field '--as-of'" in err
    assert "field '--source'" in err
    assert "Traceback" not in out + err
    code, _, err = run(capsys, "track", "history", "nothing", "--data", str(mini_dir))
    assert code == 2
    assert "STAGE|PROJECT" in err


def test_state_on_any_date_from_tracked_records(capsys, mini_dir: Path) -> None:
    """stocks --as-of / --known-as-of reconstruct the state, corrections included."""
    recording.track_capacity(
        mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", recorded="2024-10-01", today=TODAY
    )
    # a correction of the same observation, learnt later
    recording.track_capacity(
        mini_dir,
        "lfp_cell",
        "11.5GWh",
        "2024-09-15",
        "mini-src",
        recorded="2024-12-01",
        today=TODAY,
    )

    def cells(*extra: str) -> float:
        code, out, _ = run(capsys, "stocks", "--data", str(mini_dir), "--json", *extra)
        assert code == 0
        return next(r["value"] for r in json.loads(out) if r["stage"] == "lfp_cell")

    assert cells("--as-of", "2024-06-30") == 10
    assert cells("--as-of", "2024-12-31") == 11.5
    assert cells("--as-of", "2024-12-31", "--known-as-of", "2024-11-01") == 12
    assert cells("--as-of", "2024-12-31", "--known-as-of", "2024-09-30") == 10


# ---------------------------------------------------------------------------
# atomic appends: crash and concurrency
# ---------------------------------------------------------------------------
def test_a_crash_before_the_rename_leaves_the_file_unchanged(mini_dir: Path, monkeypatch) -> None:
    path = mini_dir / "capacity.csv"
    before = path.read_bytes()
    real_replace = os.replace

    def crash(src, dst):  # the process dies between writing the temporary file and renaming
        raise OSError("simulated crash")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        recording.track_capacity(
            mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", today=TODAY
        )
    assert path.read_bytes() == before
    assert sorted(p.name for p in mini_dir.iterdir() if p.name.endswith(".tmp")) == []
    monkeypatch.setattr(os, "replace", real_replace)
    # the lock was released: the next writer gets through
    assert (
        recording.track_capacity(
            mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", today=TODAY
        ).record_id
        == "cap-0001"
    )


def test_a_crash_half_way_through_the_write_leaves_the_file_unchanged(
    mini_dir: Path, monkeypatch
) -> None:
    path = mini_dir / "capacity.csv"
    before = path.read_bytes()

    def crash(fd):  # bytes are in the temporary file, but it is never completed
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        recording.append_rows(path, recording.CAPACITY_COLUMNS, [{"record_id": "x"}] * 1000)
    assert path.read_bytes() == before
    assert [p.name for p in mini_dir.iterdir() if p.name.endswith(".tmp")] == []


def _append_many(path: str, worker: int, n: int) -> None:
    for k in range(n):
        recording.append_rows(
            Path(path),
            recording.CAPACITY_COLUMNS,
            [{"record_id": f"w{worker}-{k:03d}", "stage": "lfp_cell", "quantity": f"{k}GWh"}],
        )


def _track_many(data_dir: str, worker: int, n: int) -> None:
    for k in range(n):
        recording.track_capacity(
            data_dir,
            "lfp_cell",
            f"{10 + worker * 100 + k}GWh",
            "2024-09-15",
            "mini-src",
            note=f"worker {worker} #{k}",
            today=TODAY,
        )


def _run_two(target, *args) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=target, args=(*args[:1], w, *args[1:])) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0, 0]


def test_two_processes_appending_lose_no_row(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    n = 60
    _run_two(_append_many, str(path), n)
    problems: list = []
    rows = read_csv(path, recording.CAPACITY_COLUMNS, problems)
    assert problems == []
    ids = [r["record_id"] for _, r in rows]
    expected = {f"w{w}-{k:03d}" for w in (1, 2) for k in range(n)}
    assert len(ids) == 2 * n
    assert set(ids) == expected
    # each writer's rows are in its own order
    for w in (1, 2):
        mine = [i for i in ids if i.startswith(f"w{w}-")]
        assert mine == sorted(mine)


def test_two_processes_tracking_get_distinct_ids(mini_dir: Path) -> None:
    n = 6
    _run_two(_track_many, str(mini_dir), n)
    park = load_park(mini_dir)  # the file parses and validates
    new = [r for r in park.capacity_records if r.record_id.startswith("cap-")]
    assert sorted(r.record_id for r in new) == [f"cap-{k:04d}" for k in range(1, 2 * n + 1)]
    assert sorted(r.note for r in new) == sorted(
        f"worker {w} #{k}" for w in (1, 2) for k in range(n)
    )


# ---------------------------------------------------------------------------
# bulk import
# ---------------------------------------------------------------------------
def write_import(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text(write_csv_text(header, rows), encoding="utf-8")
    return path


def test_import_csv_is_all_or_nothing(mini_dir: Path, tmp_path: Path) -> None:
    header = ["stage", "quantity", "as_of", "recorded", "source", "note"]
    bad = write_import(
        tmp_path / "new.csv",
        header,
        [
            ["lfp_cell", "12GWh", "2024-09-15", "2024-10-01", "mini-src", "ok"],
            ["separator", "3亿吨", "2024-09-15", "2024-10-01", "mini-src", "wrong unit"],
            ["lfp_cathode", "2万吨", "2024-09-15", "2024-10-01", "mini-src", "ok"],
            ["lfp_cathode", "2万吨", "2024-09-31", "2024-10-01", "nowhere", "bad date, source"],
        ],
    )
    before = (mini_dir / "capacity.csv").read_bytes()
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, bad, today=TODAY)
    where = {(p.file, p.row, p.field) for p in info.value.problems}
    assert where == {
        ("new.csv", 3, "quantity"),
        ("new.csv", 5, "as_of"),
        ("new.csv", 5, "source"),
    }
    assert (mini_dir / "capacity.csv").read_bytes() == before
    good = write_import(
        tmp_path / "good.csv",
        header,
        [
            ["lfp_cell", "12GWh", "2024-09-15", "2024-10-01", "mini-src", "a"],
            ["separator", "3亿平方米", "2024-09-15", "", "mini-src", "b"],
        ],
    )
    kind, recs = record_import.import_records(mini_dir, good, today=TODAY)
    assert kind == "capacity"
    assert [r.record_id for r in recs] == ["cap-0001", "cap-0002"]
    assert recs[1].recorded == TODAY
    assert [r["note"] for r in capacity_rows(mini_dir)][-2:] == ["a", "b"]


def test_import_rejects_an_id_already_used(mini_dir: Path, tmp_path: Path) -> None:
    f = write_import(
        tmp_path / "dup.csv",
        ["record_id", "stage", "quantity", "as_of", "source"],
        [
            ["c1", "lfp_cell", "12GWh", "2024-09-15", "mini-src"],
            ["n1", "lfp_cell", "12GWh", "2024-09-15", "mini-src"],
            ["n1", "lfp_cell", "13GWh", "2024-09-16", "mini-src"],
        ],
    )
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, f, today=TODAY)
    assert {(p.row, p.field) for p in info.value.problems} == {(2, "record_id"), (4, "record_id")}
    assert "never overwritten" in str(info.value)


def test_import_xlsx_with_date_cells(mini_dir: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["stage", "quantity", "as_of", "recorded", "source", "note"])
    ws.append(["lfp_cell", "12GWh", date(2024, 9, 15), date(2024, 10, 1), "mini-src", "xlsx"])
    ws.append(["separator", "2.5亿平方米", date(2024, 9, 15), None, "mini-src", None])
    good = tmp_path / "new.xlsx"
    wb.save(good)
    kind, recs = record_import.import_records(mini_dir, good, today=TODAY)
    assert kind == "capacity"
    assert [(r.stage, r.valid_from, r.recorded) for r in recs] == [
        ("lfp_cell", date(2024, 9, 15), date(2024, 10, 1)),
        ("separator", date(2024, 9, 15), TODAY),
    ]
    ws.append(["lfp_cell", 12, date(2024, 9, 15), None, "mini-src", "bare number"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, tmp_path / "bad.xlsx", today=TODAY)
    # rows 2 and 3 are in capacity.csv now: a second import of them is refused too
    assert [(p.file, p.row, p.field) for p in info.value.problems] == [
        ("bad.xlsx", 2, "stage, quantity, as_of, source"),
        ("bad.xlsx", 3, "stage, quantity, as_of, source"),
        ("bad.xlsx", 4, "quantity"),
    ]


def test_import_status_changes_and_kind_from_header(mini_dir: Path, tmp_path: Path) -> None:
    f = write_import(
        tmp_path / "status.csv",
        ["project", "status", "as_of", "source", "start"],
        [["cell-2", "trial", "2025-01-05", "mini-src", "2025Q1"]],
    )
    kind, (rec,) = record_import.import_records(mini_dir, f, today=TODAY)
    assert (kind, rec.record_id, rec.status) == ("project", "st-0001", "trial")
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, f, kind="capacity", today=TODAY)
    assert {"stage", "project"} <= {p.field for p in info.value.problems}


def test_cli_import_lists_every_problem_and_exits_2(capsys, mini_dir: Path, tmp_path: Path) -> None:
    f = write_import(
        tmp_path / "new.csv",
        ["stage", "quantity", "as_of", "source"],
        [["lfp_cell", "12吨", "2024-09-15", "mini-src"], ["separator", "x", "2024-09-15", "no"]],
    )
    code, out, err = run(capsys, "track", "import", str(f), "--data", str(mini_dir), "--lang", "en")
    assert code == 2
    assert "3 problem(s)" in err
    assert "new.csv, row 2, field 'quantity'" in err
    assert "new.csv, row 3, field 'source'" in err
    assert "Traceback" not in out + err
    code, _, err = run(
        capsys, "track", "import", str(tmp_path / "none.xlsx"), "--data", str(mini_dir)
    )
    assert code == 2
    assert "none.xlsx" in err


# ---------------------------------------------------------------------------
# estimates from the status history
# ---------------------------------------------------------------------------
def test_track_estimate_reports_the_transitions_behind_each_estimate(
    capsys, shipped_dir: Path, tmp_path: Path
) -> None:
    rows = []
    for pid in ("haide-cabinet", "powerchina-cabinet", "sodium-ion-line"):
        rows += [
            [pid, "signed", "2024-06-20", "xnetdz-2024-06"],
            [pid, "construction", "2024-12-20", "xnetdz-2024-06"],  # 183 days after signing
            [pid, "trial", "2025-09-20", "xnetdz-2024-06"],
        ]
    rows += [
        ["vrfb-line", "signed", "2024-06-20", "xnetdz-2024-06"],
        ["vrfb-line", "cancelled", "2025-06-20", "xnetdz-2024-06"],
    ]
    f = write_import(tmp_path / "history.csv", ["project", "status", "as_of", "source"], rows)
    # recorded (today) after the last change: a status change cannot be of the future
    record_import.import_records(shipped_dir, f, today=date(2025, 12, 31))
    code, out, _ = run(
        capsys, "track", "estimate", "--min", "3", "--json", "--data", str(shipped_dir)
    )
    assert code == 0
    est = {r["status"]: r for r in json.loads(out)["estimates"]}
    assert est["signed"]["p_transitions"] == 4
    assert est["signed"]["p_complete"] == pytest.approx(0.75)
    assert est["signed"]["time_transitions"] == 4
    assert est["construction"]["p_complete"] == pytest.approx(1.0)
    assert est["construction"]["quarters_in_status"] == pytest.approx(274 / (365.25 / 4), rel=1e-6)
    assert "trial" not in est  # no outcome or duration after trial
    code, out, _ = run(
        capsys, "track", "estimate", "--min", "50", "--data", str(shipped_dir), "--lang", "en"
    )
    assert code == 0
    assert "Not enough status history" in out


def test_estimates_respect_known_as_of_and_corrections(mini_dir: Path) -> None:
    from model.examples import add_status_history
    from model.tracking import estimate_status_params

    add_status_history(
        mini_dir,
        6,
        [
            ("signed", "2024-01-01", "2024-01-01"),
            ("construction", "2024-07-01", "2024-07-02"),
            # a correction of the same date, recorded later: replaces the record before, adds no transition
            ("construction", "2024-07-01", "2024-08-01"),
            ("trial", "2025-07-01", "2025-07-02"),
        ],
    )
    park = load_park(mini_dir)
    now = estimate_status_params(park, min_transitions=5)
    assert now["signed"].p_complete == 1.0
    assert now["construction"].time_transitions == 6  # not 12: corrections do not count twice
    assert now["construction"].quarters_in_status == pytest.approx(4.0, abs=0.1)
    then = estimate_status_params(park, min_transitions=5, known_as_of=date(2024, 12, 31))
    assert "construction" not in then  # its outcome was not known yet
