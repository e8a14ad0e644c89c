"""CSV reading as Excel saves it, header checks, and atomic writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from model.datafiles import atomic_write_bytes, check_header, read_csv


def test_read_csv_gives_line_numbers_and_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n\n3,4\n", encoding="utf-8")
    problems: list = []
    rows = read_csv(path, ["a", "b"], problems)
    assert problems == []
    assert [(line, r["a"]) for line, r in rows] == [(2, "1"), (4, "3")]


def test_too_many_cells_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2,3\n", encoding="utf-8")
    problems: list = []
    assert read_csv(path, ["a", "b"], problems) == []
    assert problems[0].row == 2


def test_a_field_across_lines_is_a_problem_at_the_row_where_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,4\n5,"never closed\n6,7\n', encoding="utf-8")
    problems: list = []
    rows = read_csv(path, ["a", "b"], problems)
    assert [(line, r["a"]) for line, r in rows] == [(4, "3")]  # the rows around it still read
    assert [(p.row, p.field) for p in problems] == [(2, "b"), (5, "b")]
    assert "closes only on row 3" in problems[0].expected
    assert "is never closed" in problems[1].expected


def test_an_over_long_field_is_a_problem_naming_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1," + "y" * 200_000 + "\n3,4\n", encoding="utf-8")
    problems: list = []
    rows = read_csv(path, ["a", "b"], problems)
    assert [line for line, _ in rows] == [3]
    (p,) = problems
    assert (p.row, p.field, len(p.value)) == (2, "b", 61)


def test_check_header_lists_every_column_problem() -> None:
    problems: list = []
    assert not check_header(["a", "c", "c"], ["a", "b"], ["d"], "f.csv", problems)
    fields = [p.field for p in problems]
    assert "b" in fields  # missing
    assert "c" in fields  # unknown
    assert any("duplicate" in p.expected for p in problems)


def test_atomic_write_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("old\n", encoding="utf-8")
    os.chmod(path, 0o640)
    atomic_write_bytes(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["data.csv"]


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.csv"
    path.write_text("old\n", encoding="utf-8")

    def crash(src: str, dst: str) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        atomic_write_bytes(path, b"new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.csv"]


def test_new_file_is_not_private(tmp_path: Path) -> None:
    path = tmp_path / "new.csv"
    atomic_write_bytes(path, b"x\n")
    assert (
        stat.S_IMODE(path.stat().st_mode) & 0o044
    )  # readable by group/others under a normal umask
