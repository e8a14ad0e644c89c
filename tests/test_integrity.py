"""Data integrity: strict CSV reading (stray quotes, over-long fields), no observation of
the future, no silent re-imports, and writers that leave neither temporary nor lock files
in the data folder."""

from __future__ import annotations

import multiprocessing
import os
import time
from datetime import date
from pathlib import Path

import pytest

from model import record_import, recording
from model.cli import main
from model.errors import DataError
from model.park import load_park

TODAY = date(2025, 1, 15)
LONG = "x" * 200_000


@pytest.fixture(autouse=True)
def lock_folder(tmp_path_factory, monkeypatch) -> Path:
    """Lock files in a folder of the test's own (the folder), not in the user's cache."""
    folder = tmp_path_factory.mktemp("locks")
    monkeypatch.setenv("PARKCAP_LOCK_DIR", str(folder))
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def hidden_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ---------------------------------------------------------------------------
# stray quotes and over-long fields
# ---------------------------------------------------------------------------
def test_a_stray_quote_in_capacity_csv_fails_validate_naming_the_row(
    capsys, shipped_dir: Path
) -> None:
    path = shipped_dir / "capacity.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # row 4 (cap-0003): a quote opens its note and is never closed; before the fix the
    # rows after it vanished into that note and validate said "Data valid"
    lines[3] = lines[3].replace(",隔膜 现有产能", ',"隔膜 现有产能')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", "--data", str(shipped_dir), "--lang", "en")
    assert code == 2
    assert "Data valid" not in out
    assert "capacity.csv, row 4, field 'note'" in err
    assert "is never closed" in err
    assert "Traceback" not in out + err


def test_a_quote_closed_rows_later_names_both_rows(shipped_dir: Path) -> None:
    path = shipped_dir / "capacity.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",隔膜 现有产能", ',"隔膜 现有产能')
    lines[5] = lines[5].replace(",壳体 现有产能", ',"壳体 现有产能')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_park(shipped_dir)
    (p,) = info.value.problems
    assert (p.file, p.row, p.field) == ("capacity.csv", 4, "note")
    assert "closes only on row 6, so 2 line(s) were read into it" in p.expected


def test_a_200000_character_field_is_a_problem_not_a_traceback(capsys, mini_dir: Path) -> None:
    with (mini_dir / "capacity.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"c9,lfp_cell,11GWh,2024-09-30,2024-09-30,mini-src,{LONG}\n")
    code, out, err = run(capsys, "validate", "--data", str(mini_dir), "--lang", "en")
    assert code == 2
    assert "capacity.csv, row 5, field 'note'" in err
    assert "200,000 characters long; expected at most 10,000" in err
    assert "Traceback" not in out + err
    assert len(err) < 2_000  # the value is shown cut short


def test_import_of_a_200000_character_field_is_a_problem(
    capsys, mini_dir: Path, tmp_path: Path
) -> None:
    f = tmp_path / "new.csv"
    f.write_text(f"stage,quantity,as_of,source,note\nlfp_cell,12GWh,2024-09-15,mini-src,{LONG}\n")
    before = (mini_dir / "capacity.csv").read_bytes()
    code, out, err = run(capsys, "track", "import", str(f), "--data", str(mini_dir), "--lang", "en")
    assert code == 2
    assert "new.csv, row 2, field 'note'" in err
    assert "Traceback" not in out + err
    assert (mini_dir / "capacity.csv").read_bytes() == before


def test_xlsx_import_cells_over_the_limit_or_on_two_lines_are_problems(
    mini_dir: Path, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["stage", "quantity", "as_of", "source", "note"])
    ws.append(["lfp_cell", "12GWh", "2024-09-15", "mini-src", LONG])
    ws.append(["separator", "3亿平方米", "2024-09-15", "mini-src", "two\nlines"])
    wb.save(tmp_path / "new.xlsx")
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, tmp_path / "new.xlsx", today=TODAY)
    assert [(p.row, p.field) for p in info.value.problems] == [(2, "note"), (3, "note")]
    assert "at most 10,000" in info.value.problems[0].expected
    assert "line break" in info.value.problems[1].expected


def test_an_import_csv_with_a_stray_quote_names_the_row(mini_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "new.csv"
    f.write_text(
        "stage,quantity,as_of,source,note\n"
        'lfp_cell,12GWh,2024-09-15,mini-src,"oops\n'
        "separator,3亿平方米,2024-09-15,mini-src,b\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, f, today=TODAY)
    (p,) = info.value.problems
    assert (p.file, p.row, p.field) == ("new.csv", 2, "note")


def test_track_refuses_a_note_on_two_lines_or_too_long(mini_dir: Path) -> None:
    for note in ("phase 2\nphase 3", LONG):
        with pytest.raises(DataError) as info:
            recording.track_capacity(
                mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", note=note, today=TODAY
            )
        assert [p.field for p in info.value.problems] == ["--note"]


# ---------------------------------------------------------------------------
# no observation of the future
# ---------------------------------------------------------------------------
def test_track_capacity_as_of_in_the_future_is_refused(capsys, mini_dir: Path) -> None:
    before = (mini_dir / "capacity.csv").read_bytes()
    code, out, err = run(
        capsys,
        "track",
        "capacity",
        "lfp_cell",
        "45GWh",
        "--as-of",
        "2205-01-01",
        "--source",
        "mini-src",
        "--data",
        str(mini_dir),
        "--lang",
        "en",
    )
    assert code == 2
    assert "command line, field '--as-of': value '2205-01-01'" in err
    assert "cannot be of the future" in err
    assert (mini_dir / "capacity.csv").read_bytes() == before
    # scenario commands keep working
    code, _, err = run(
        capsys, "gaps", "baseline", "--draws", "5", "--data", str(mini_dir), "--lang", "en"
    )
    assert code == 0, err


def test_as_of_after_recorded_is_refused_in_capacity_csv_and_in_imports(
    mini_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(DataError) as info:
        recording.track_capacity(
            mini_dir, "lfp_cell", "45GWh", "2024-12-31", "mini-src", recorded="2024-10-01"
        )
    assert [p.field for p in info.value.problems] == ["--as-of"]
    f = tmp_path / "new.csv"
    f.write_text(
        "stage,quantity,as_of,recorded,source\nlfp_cell,12GWh,2024-12-01,2024-11-30,mini-src\n"
    )
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, f, today=TODAY)
    assert [(p.row, p.field) for p in info.value.problems] == [(2, "as_of")]
    with (mini_dir / "capacity.csv").open("a", encoding="utf-8") as fh:
        fh.write("c9,lfp_cell,11GWh,2205-01-01,2024-09-30,mini-src,\n")
    with pytest.raises(DataError) as info:
        load_park(mini_dir)
    (p,) = info.value.problems
    assert (p.file, p.row, p.field, p.value) == ("capacity.csv", 5, "as_of", "2205-01-01")
    assert "expected 2024-09-30 or earlier" in p.expected


def test_a_status_change_of_the_future_is_refused(mini_dir: Path) -> None:
    with pytest.raises(DataError) as info:
        recording.track_project(mini_dir, "cell-2", "trial", "2025-06-01", "mini-src", today=TODAY)
    (p,) = info.value.problems
    assert (p.field, p.value) == ("--as-of", "2025-06-01")
    assert "status change cannot be of the future" in p.expected
    rec = recording.track_project(
        mini_dir, "cell-2", "trial", "2025-01-05", "mini-src", today=TODAY
    )
    assert rec.valid_from == date(2025, 1, 5)


def test_latest_record_names_the_record_that_sets_the_start(mini_dir: Path) -> None:
    with (mini_dir / "capacity.csv").open("a", encoding="utf-8") as fh:
        fh.write("c9,lfp_cell,11GWh,2024-09-30,2024-10-10,mini-src,\n")
    park = load_park(mini_dir)
    rec = park.latest_record()
    assert rec.record_id == "c9"
    assert rec.describe() == "capacity.csv row 5, record c9 (lfp_cell 11GWh, as_of 2024-09-30)"
    assert park.latest_record(known_as_of=date(2024, 10, 1)).valid_from == date(2024, 6, 30)
    assert park.latest_record(known_as_of=date(2024, 1, 1)) is None
    assert park.start_note() == (
        "; the start is the as_of date of capacity.csv row 5, record c9 (lfp_cell 11GWh, "
        "as_of 2024-09-30): expected a horizon on or after it, or a correction of that record"
    )
    assert "record c3 " in park.start_note(known_as_of=date(2024, 10, 1))  # last of equal dates


# ---------------------------------------------------------------------------
# re-imports
# ---------------------------------------------------------------------------
def write_import(path: Path, rows: list[str]) -> Path:
    path.write_text("stage,quantity,as_of,source,note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_importing_the_same_file_twice_is_refused_naming_the_record(
    capsys, mini_dir: Path, tmp_path: Path
) -> None:
    f = write_import(
        tmp_path / "new.csv",
        ["lfp_cell,12GWh,2024-09-15,mini-src,a", "separator,3亿平方米,2024-09-15,mini-src,b"],
    )
    record_import.import_records(mini_dir, f, today=TODAY)
    before = (mini_dir / "capacity.csv").read_bytes()
    code, out, err = run(capsys, "track", "import", str(f), "--data", str(mini_dir), "--lang", "en")
    assert code == 2
    assert (
        "new.csv, row 2, field 'stage, quantity, as_of, source': value "
        "'lfp_cell, 12GWh, 2024-09-15, mini-src': already recorded as cap-0001" in err
    )
    assert "new.csv, row 3" in err
    assert "already recorded as cap-0002" in err
    assert "nothing imported" in err
    assert (mini_dir / "capacity.csv").read_bytes() == before


def test_the_same_quantity_written_otherwise_is_the_same_record(
    mini_dir: Path, tmp_path: Path
) -> None:
    # c1 in the mini park: lfp_cell 10GWh from 2024-06-30, mini-src
    f = write_import(tmp_path / "new.csv", ["lfp_cell,10吉瓦时,2024-06-30,mini-src,again"])
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, f, today=TODAY)
    (p,) = info.value.problems
    assert "already recorded as c1" in p.expected
    # a correction (another quantity) and a later as_of are new records
    f = write_import(
        tmp_path / "new.csv",
        ["lfp_cell,11GWh,2024-06-30,mini-src,correction", "lfp_cell,10GWh,2024-07-01,mini-src,"],
    )
    assert len(record_import.import_records(mini_dir, f, today=TODAY)[1]) == 2


def test_skip_existing_skips_and_says_how_many(capsys, mini_dir: Path, tmp_path: Path) -> None:
    f = write_import(tmp_path / "new.csv", ["lfp_cell,12GWh,2024-09-15,mini-src,a"])
    record_import.import_records(mini_dir, f, today=TODAY)
    f = write_import(
        tmp_path / "new.csv",
        [
            "lfp_cell,12GWh,2024-09-15,mini-src,a",
            "separator,3亿平方米,2024-09-15,mini-src,b",
            "separator,3亿平方米,2024-09-15,mini-src,b again",
        ],
    )
    code, out, err = run(
        capsys,
        "track",
        "import",
        str(f),
        "--skip-existing",
        "--data",
        str(mini_dir),
        "--lang",
        "en",
    )
    assert code == 0, err
    assert "Appended 1 record(s)" in out
    assert "cap-0002  separator" in out  # ids stay consecutive
    assert "Skipped 2 row(s) already recorded" in out
    assert "row 2: already recorded as cap-0001" in out
    assert "row 4: already recorded as row 3 of this import" in out
    code, out, _ = run(
        capsys, "track", "import", str(f), "--skip-existing", "--data", str(mini_dir)
    )
    assert code == 0
    ids = [r.record_id for r in load_park(mini_dir).capacity_records]
    assert ids == ["c1", "c2", "c3", "cap-0001", "cap-0002"]


def test_a_status_change_imported_twice_is_refused(mini_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "status.csv"
    f.write_text("project,status,as_of,source,start\ncell-2,trial,2025-01-05,mini-src,2025Q1\n")
    record_import.import_records(mini_dir, f, today=TODAY)
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, f, today=TODAY)
    (p,) = info.value.problems
    assert "already recorded as st-0001" in p.expected
    skipped: list = []
    assert record_import.import_records(mini_dir, f, today=TODAY, skipped=skipped)[1] == []
    assert skipped == [(2, "st-0001")]


def test_tracking_the_same_observation_twice_is_refused(mini_dir: Path) -> None:
    recording.track_capacity(mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", today=TODAY)
    with pytest.raises(DataError) as info:
        recording.track_capacity(
            mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", note="x", today=TODAY
        )
    (p,) = info.value.problems
    assert p.field == "STAGE, QUANTITY, --as-of, --source"
    assert p.expected.startswith("already recorded as cap-0001")
    assert "nothing recorded" in p.expected


# ---------------------------------------------------------------------------
# temporary and lock files
# ---------------------------------------------------------------------------
def test_stale_temporary_files_of_killed_writers_are_removed_by_the_next_writer(
    mini_dir: Path,
) -> None:
    stale = mini_dir / ".capacity.csv.k1ll3d_w.tmp"
    stale.write_text("half a file", encoding="utf-8")
    legacy = mini_dir / ".capacity.csv.lock"  # what earlier versions left
    legacy.touch()
    other = mini_dir / ".notes.txt.k1ll3d_w.tmp"  # another file's: not ours to remove
    other.touch()
    recording.track_capacity(mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", today=TODAY)
    assert hidden_files(mini_dir) == [".notes.txt.k1ll3d_w.tmp"]


def test_export_writers_remove_old_temporaries_only(tmp_path: Path) -> None:
    from model.datafiles import remove_stale_temporaries

    path = tmp_path / "pack.xlsx"
    old, new = tmp_path / ".pack.xlsx.aaaaaaaa.tmp", tmp_path / ".pack.xlsx.bbbbbbbb.tmp"
    old.touch()
    new.touch()
    past = time.time() - 3600
    os.utime(old, (past, past))
    assert remove_stale_temporaries(path) == [old]
    assert new.exists()


def test_no_lock_file_in_the_data_folder_after_a_refused_or_successful_write(
    mini_dir: Path, lock_folder: Path
) -> None:
    with pytest.raises(DataError):
        recording.track_capacity(mini_dir, "lfp_cell", "12 widgets", "2024-09-15", "mini-src")
    assert hidden_files(mini_dir) == []
    recording.track_capacity(mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", today=TODAY)
    assert hidden_files(mini_dir) == []
    assert [p.name for p in lock_folder.iterdir()] == [
        recording.lock_path(mini_dir / "capacity.csv").name
    ]


def test_the_lock_file_is_one_per_data_file_whatever_its_name(
    mini_dir: Path, lock_folder: Path, monkeypatch
) -> None:
    monkeypatch.chdir(mini_dir.parent)
    relative = Path(mini_dir.name) / "capacity.csv"
    assert recording.lock_path(relative) == recording.lock_path(mini_dir / "capacity.csv")
    assert recording.lock_path(mini_dir / "capacity.csv").parent == lock_folder
    assert recording.lock_path(mini_dir / "status_history.csv") != recording.lock_path(relative)
    monkeypatch.delenv("PARKCAP_LOCK_DIR")
    assert mini_dir not in recording.lock_path(relative).parents


def _hold_lock(path: str, ready, done) -> None:
    with recording.locked(Path(path)):
        ready.set()
        done.wait(30)


def test_a_writer_that_waits_too_long_gets_a_problem_not_a_hang(mini_dir: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready, done = ctx.Event(), ctx.Event()
    path = mini_dir / "capacity.csv"
    holder = ctx.Process(target=_hold_lock, args=(str(path), ready, done))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(DataError) as info, recording.locked(path, timeout=0.2):
            pass
        (p,) = info.value.problems
        assert p.file == "capacity.csv"
        assert "try again" in p.expected
    finally:
        done.set()
        holder.join(30)
    assert holder.exitcode == 0
    with recording.locked(path, timeout=5):  # released when its holder is done
        pass
