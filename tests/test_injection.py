"""Spreadsheet formula injection: text that starts like a formula is refused by
``validate`` and ``track``, and every export writes such text inert all the same."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from model import export, record_import, recording
from model.cli import main
from model.errors import DataError
from model.export.inert import inert, inert_frame, inert_workbook
from model.fields import FORMULA_START
from model.park import Park, load_park
from model.quarters import parse_quarter
from model.report import pack_names, quarterly_pack
from model.scenario import load_scenario

HYPERLINK = '=HYPERLINK("http://example.invalid/","x")'
TODAY_ARGS = ("--lang", "en")


@pytest.fixture(autouse=True)
def _private_locks(tmp_path_factory, monkeypatch) -> None:
    monkeypatch.setenv("PARKCAP_LOCK_DIR", str(tmp_path_factory.mktemp("locks")))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def edit(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Set ``column`` of data row ``row`` (0 = first row under the header)."""
    path = folder / file
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0].keys())
    rows[row][column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)


def problems_of(folder: Path) -> list:
    with pytest.raises(DataError) as info:
        load_park(folder)
    return info.value.problems


# ---------------------------------------------------------------------------
# validate: free text that starts like a formula is a problem
# ---------------------------------------------------------------------------
TEXT_FIELDS = [
    ("sources.csv", "title"),
    ("sources.csv", "publisher"),
    ("sources.csv", "citation"),
    ("sources.csv", "note"),
    ("stages.csv", "name_zh"),
    ("stages.csv", "name_en"),
    ("stages.csv", "note"),
    ("capacity.csv", "note"),
    ("capacity.csv", "assumption"),
    ("recipes.csv", "note"),
    ("recipes.csv", "assumption"),
    ("growth.csv", "subject"),
    ("growth.csv", "name_en"),
    ("facts.csv", "name_zh"),
    ("facts.csv", "note"),
    ("projects.csv", "name_en"),
    ("projects.csv", "company"),
    ("projects.csv", "assumption"),
    ("projects.csv", "note"),
    ("status_params.csv", "name_en"),
    ("status_params.csv", "assumption"),
]


@pytest.mark.parametrize(("file", "column"), TEXT_FIELDS)
@pytest.mark.parametrize("value", ["=1+2", "+1", "-2+3", "@SUM(A1)", HYPERLINK])
def test_formula_text_is_a_problem_naming_file_row_field_and_value(
    shipped_dir: Path, file: str, column: str, value: str
) -> None:
    edit(shipped_dir, file, 0, column, value)
    hits = [p for p in problems_of(shipped_dir) if p.file == file and p.field == column]
    assert len(hits) == 1, hits
    (p,) = hits
    assert p.row == 2
    assert p.value == value
    assert "formula" in p.expected
    assert "remove the leading character" in p.expected


def test_validate_flags_the_attackers_stage_name_and_source_title(
    capsys, shipped_dir: Path
) -> None:
    edit(shipped_dir, "stages.csv", 0, "name_zh", "=1+2")
    edit(shipped_dir, "sources.csv", 1, "title", HYPERLINK)
    code, out, err = run(capsys, "validate", "--data", str(shipped_dir), *TODAY_ARGS)
    assert code == 2
    assert "Data valid" not in out
    assert "stages.csv, row 2, field 'name_zh': value '=1+2': text starts with '='" in err
    assert "sources.csv, row 3, field 'title'" in err
    assert "HYPERLINK" in err
    assert "Traceback" not in out + err


def test_a_leading_dash_in_a_note_says_how_to_fix_it(shipped_dir: Path) -> None:
    edit(shipped_dir, "capacity.csv", 0, "note", "- phase 2")
    (p,) = [p for p in problems_of(shipped_dir) if p.field == "note"]
    assert p.expected.endswith("(e.g. 'phase 2')")
    assert "start the text with a letter or digit" in p.expected


def test_numbers_quantities_and_dates_keep_their_own_checks(shipped_dir: Path) -> None:
    edit(shipped_dir, "capacity.csv", 1, "quantity", "-5 t")
    edit(shipped_dir, "recipes.csv", 0, "low", "-1")
    problems = problems_of(shipped_dir)
    assert not [p for p in problems if "formula" in p.expected]
    assert {p.field for p in problems} >= {"quantity", "low"}


def test_text_inside_or_after_a_letter_is_fine(shipped_dir: Path) -> None:
    edit(shipped_dir, "capacity.csv", 0, "note", "phase 2 = 10 GWh + 5 GWh, -3 @ cost")
    load_park(shipped_dir)  # no problem


# ---------------------------------------------------------------------------
# track and import
# ---------------------------------------------------------------------------
def test_track_refuses_a_formula_note_naming_the_argument(capsys, mini_dir: Path) -> None:
    before = (mini_dir / "capacity.csv").read_bytes()
    code, _, err = run(
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
        "=1+2",
        "--data",
        str(mini_dir),
        *TODAY_ARGS,
    )
    assert code == 2
    assert "command line, field '--note': value '=1+2': text starts with '='" in err
    assert (mini_dir / "capacity.csv").read_bytes() == before


def test_track_project_refuses_a_formula_note(mini_dir: Path) -> None:
    with pytest.raises(DataError) as info:
        recording.track_project(
            mini_dir, "cell-2", "trial", "2024-09-15", "mini-src", note="@cmd", today=None
        )
    assert [(p.field, p.value) for p in info.value.problems] == [("--note", "@cmd")]


def test_import_refuses_formula_text_naming_the_row(mini_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "new.csv"
    f.write_text(
        "stage,quantity,as_of,source,note\n"
        "lfp_cell,12GWh,2024-09-15,mini-src,fine\n"
        f'separator,3亿平方米,2024-09-15,mini-src,"{HYPERLINK.replace(chr(34), chr(34) * 2)}"\n',
        encoding="utf-8",
    )
    before = (mini_dir / "capacity.csv").read_bytes()
    with pytest.raises(DataError) as info:
        record_import.import_records(mini_dir, f)
    (p,) = info.value.problems
    assert (p.file, p.row, p.field, p.value) == ("new.csv", 3, "note", HYPERLINK)
    assert (mini_dir / "capacity.csv").read_bytes() == before


# ---------------------------------------------------------------------------
# exports: defence in depth, with such text in a park that skipped validation
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def poisoned(tmp_path_factory) -> tuple[Park, list, dict]:
    """The 'mini' park with formula text in names, a title and a citation (not validated)."""
    from model.examples import write_example

    park = load_park(write_example("mini", tmp_path_factory.mktemp("poisoned") / "mini"))
    stages = {
        sid: dataclasses.replace(st, name_zh="=1+2", name_en=HYPERLINK)
        for sid, st in park.stages.items()
    }
    sources = {
        sid: dataclasses.replace(src, title=HYPERLINK, citation="@SUM(1+1)*cmd|' /C calc'!A0")
        for sid, src in park.sources.items()
    }
    projects = tuple(dataclasses.replace(p, name_en="+1", company="-2") for p in park.projects)
    park = dataclasses.replace(park, stages=stages, sources=sources, projects=projects)
    scenario = load_scenario("baseline", park=park)
    results = export.run_scenarios(park, [scenario], draws=20, seed=1)
    return park, [scenario], results


def xlsx_problems(data: bytes) -> list[str]:
    """Cells of a workbook that are formulas, or formula-like text without a quote prefix."""
    bad = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in z.read(name):
                bad.append(f"{name}: <f> element")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    bad.append(f"{ws.title}!{c.coordinate}: formula {c.value!r}")
                elif (
                    isinstance(c.value, str) and c.value[:1] in FORMULA_START and not c.quotePrefix
                ):
                    bad.append(f"{ws.title}!{c.coordinate}: {c.value!r} not quoted")
    return bad


def xlsx_texts(data: bytes) -> set[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}


def csv_problems(text: str) -> list[str]:
    """Cells of a CSV file that start like a formula and are not numbers."""
    bad = []
    for k, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        for cell in row:
            if cell[:1] in FORMULA_START:
                try:
                    float(cell)  # a negative number is a number, not a formula
                except ValueError:
                    bad.append(f"line {k}: {cell!r}")
    return bad


def test_xlsx_export_has_no_formula_cell(poisoned) -> None:
    park, scenarios, results = poisoned
    for lang in ("zh", "en"):
        data = export.export_bytes(park, results, scenarios, "xlsx", lang=lang)
        assert xlsx_problems(data) == []
        texts = xlsx_texts(data)
        assert HYPERLINK in texts  # the text is kept as it is, only stored as text
        assert ("=1+2" in texts) == (lang == "zh")


def test_csv_and_iamc_exports_escape_formula_text_and_keep_numbers(poisoned) -> None:
    park, scenarios, results = poisoned
    evil = {"=cmd|' /C calc'!A0": results["baseline"]}
    for data in (
        export.export_bytes(park, results, scenarios, "csv", lang="zh"),
        export.export_bytes(park, results, scenarios, "csv", lang="en"),
        export.export_bytes(park, evil, scenarios, "csv"),
        export.export_bytes(park, evil, scenarios, "iamc"),
    ):
        assert csv_problems(data.decode("utf-8-sig")) == []
    tidy = pd.read_csv(
        io.BytesIO(export.export_bytes(park, results, scenarios, "csv")), encoding="utf-8-sig"
    )
    assert set(tidy["stage_name"]) == {"'=1+2"}
    for stat in export.STATS:
        assert pd.api.types.is_float_dtype(tidy[stat])  # numbers stay numbers
    assert (tidy["mean"] < 0).any()  # negative gaps are written as plain negative numbers
    iamc = pd.read_csv(io.BytesIO(export.export_bytes(park, evil, scenarios, "iamc")))
    assert set(iamc["scenario"]) == {"'=cmd|' /C calc'!A0"}


def test_quarterly_pack_has_no_formula_cell(poisoned, tmp_path: Path) -> None:
    park, scenarios, _ = poisoned
    quarterly_pack(park, parse_quarter("2024Q3"), tmp_path, scenarios, draws=20, progress=False)
    names = pack_names("2024Q3")
    assert xlsx_problems((tmp_path / names["xlsx"]).read_bytes()) == []
    for fmt in ("csv", "iamc"):
        assert csv_problems((tmp_path / names[fmt]).read_text(encoding="utf-8-sig")) == []
    page = (tmp_path / names["html"]).read_text(encoding="utf-8")
    assert HYPERLINK not in page  # its quotes are escaped in the HTML table


def test_html_report_escapes_markup_in_names(poisoned, tmp_path: Path) -> None:
    from model.report import html_report

    park, scenarios, results = poisoned
    stages = {
        sid: dataclasses.replace(st, name_en="<script>alert(1)</script>")
        for sid, st in park.stages.items()
    }
    page = html_report(dataclasses.replace(park, stages=stages), results, scenarios, lang="en")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_inert_helpers() -> None:
    for text in ("=1+2", "+1", "-x", "@A1", "\t=1", "\r=1", " =1"):
        assert inert(text) == "'" + text
    for value in ("phase 2", "", "'=1", -3.5, 2, None):
        assert inert(value) == value
    df = pd.DataFrame({"name": ["=1", "ok"], "value": [-3.5, 1.0]})
    out = inert_frame(df)
    assert out["name"].tolist() == ["'=1", "ok"]
    assert out["value"].tolist() == [-3.5, 1.0]
    wb = openpyxl.Workbook()
    wb.active.append(["=1+2", "-5", -5, "ok"])
    assert wb.active["A1"].data_type == "f"  # what openpyxl does with such text by default
    assert inert_workbook(wb) == 2
    buf = io.BytesIO()
    wb.save(buf)
    assert xlsx_problems(buf.getvalue()) == []
    assert openpyxl.load_workbook(buf)["Sheet"]["C1"].value == -5
