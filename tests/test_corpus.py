"""The corpus of bad inputs: each is refused with the problem it names, never with a traceback.

``tests/corpus/cases.toml`` lists every case (see ``tests/corpus/generate.py``): data
files laid over the small "mini" park, scenario files for it, and files for ``parkcap
track import``. Loading must raise :class:`DataError` (no other exception) with a problem
that matches the case's file, field and message; the command line must exit with status 2
and list that problem, without a traceback. Positive controls (``valid = true``) load.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from model.cli import main
from model.errors import DataError, Problem
from model.examples import write_example
from model.park import load_park
from model.record_import import import_records
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
CASES: list[dict[str, Any]] = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))[
    "case"
]


def params(cases: list[dict[str, Any]]) -> list[Any]:
    out = []
    for case in cases:
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


def park_for(case: dict[str, Any], tmp_path: Path) -> Path:
    """A fresh mini park, with a data case's files laid over it."""
    folder = write_example("mini", tmp_path / "mini")
    if case["kind"] == "data":
        # a case that only removes a file has no files of its own (git keeps no empty folder)
        files = (CORPUS / case["path"]).iterdir() if (CORPUS / case["path"]).exists() else ()
        for f in files:
            shutil.copy(f, folder / f.name)
        for name in case.get("remove", []):
            (folder / name).unlink()
    return folder


def load(case: dict[str, Any], data_dir: Path) -> None:
    """Load the case the way the model does: the park, a scenario for it, or an import."""
    if case["kind"] == "data":
        load_park(data_dir)
    elif case["kind"] == "scenario":
        load_scenario(CORPUS / case["path"] / "case.toml", park=load_park(data_dir))
    else:
        import_records(data_dir, CORPUS / case["path"], kind=case.get("import_kind"))


def matches(p: Problem, case: dict[str, Any]) -> bool:
    file_ok = p.file == case["file"] or Path(p.file).name == case["file"]
    field_ok = "field" not in case or p.field == (case["field"] or None)
    return file_ok and field_ok and case["message"] in p.expected


def argv_for(case: dict[str, Any], data_dir: Path) -> list[str]:
    common = ["--data", str(data_dir), "--lang", "en"]
    if case["kind"] == "data":
        return ["validate", *common]
    if case["kind"] == "scenario":
        return ["run", "case", "--scenarios", str(CORPUS / case["path"]), *common]
    kind = ["--kind", case["import_kind"]] if case.get("import_kind") else []
    return ["track", "import", str(CORPUS / case["path"]), *kind, *common]


def test_the_corpus_is_large_and_covers_every_kind() -> None:
    kinds = {k: sum(c["kind"] == k for c in CASES) for k in ("data", "scenario", "import")}
    bad = [c for c in CASES if not c.get("valid")]
    assert len(bad) >= 60
    assert min(kinds.values()) >= 10, kinds
    assert sum(bool(c.get("valid")) for c in CASES) >= 3
    assert len({c["id"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert (CORPUS / case["path"]).exists() or case.get("remove"), case["id"]


@pytest.mark.parametrize("case", params(CASES))
def test_loading_gives_the_expected_problem(case: dict[str, Any], tmp_path: Path) -> None:
    data_dir = park_for(case, tmp_path)
    if case.get("valid"):
        load(case, data_dir)
        return
    with pytest.raises(DataError) as exc:  # any other exception fails the test
        load(case, data_dir)
    problems = exc.value.problems
    assert any(matches(p, case) for p in problems), "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("case", params(CASES))
def test_the_command_line_lists_the_problem_and_exits_2(
    case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = park_for(case, tmp_path)
    code = main(argv_for(case, data_dir))  # an exception escaping main() fails the test
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if case.get("valid"):
        assert code == 0, err
        return
    assert code == 2
    assert case["message"] in err


SUBPROCESS_CASES = [
    "capacity-binary-junk",
    "sources-latin1-garbage",
    "recipes-cycle",
    "toml-binary-junk",
    "horizon-9999",
    "import-junk-workbook",
]


@pytest.mark.parametrize("case", params([c for c in CASES if c["id"] in SUBPROCESS_CASES]))
def test_the_parkcap_process_exits_2_without_a_traceback(
    case: dict[str, Any], tmp_path: Path
) -> None:
    data_dir = park_for(case, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "model.cli", *argv_for(case, data_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert case["message"] in proc.stderr
