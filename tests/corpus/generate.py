"""Write the corpus of bad inputs and its manifest ``cases.toml``.

Run from the project root to regenerate (the files are committed; this script documents
how each was made):

    .venv/bin/python tests/corpus/generate.py

Every case is one broken thing on top of a valid input:

* ``data/<id>/``: the data files that differ from the small valid "mini" park of
  :mod:`model.examples` (the test copies the mini park and lays these files over it;
  ``remove`` in the manifest lists files to delete);
* ``scenario/<id>/case.toml``: a scenario for the mini park, with any file it extends
  beside it;
* ``import/<id>.<csv|xlsx|...>``: a file for ``parkcap track import`` into the mini park.

The manifest lists each case: ``id``, ``kind`` (data, scenario, import), ``path``
(relative to this folder) and the problem it must produce: ``file`` (the problem's file,
or its last path component), ``field`` (omitted: any; ``""``: none) and ``message`` (a
substring of what the problem expects). ``valid = true`` marks a positive control, which
must load.
"""

from __future__ import annotations

import copy
import io
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from model.datafiles import write_csv_text  # noqa: E402
from model.examples import MINI  # noqa: E402

CASES: list[dict] = []


def mini(file: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of one file of the mini park (a copy to edit)."""
    header, rows = MINI[file]
    return list(header), copy.deepcopy(rows)


def csv_of(header: list[str], rows: list[list[str]]) -> str:
    return write_csv_text(header, rows)


def edited(file: str, row: int, col: str, value: str) -> str:
    """The mini park's ``file`` with one cell changed (``row`` counts data rows from 0)."""
    header, rows = mini(file)
    rows[row][header.index(col)] = value
    return csv_of(header, rows)


def data(
    id_: str,
    files: dict[str, str | bytes],
    file: str | None,
    field: str | None = None,
    message: str | None = None,
    remove: tuple[str, ...] = (),
    any_field: bool = False,
    xfail: str = "",
) -> None:
    """A data case: ``files`` laid over the mini park; the problem expected (None: valid).

    ``xfail`` names a known gap: the case is expected to fail until the check exists.
    """
    CASES.append(
        {
            "id": id_,
            "kind": "data",
            "path": f"data/{id_}",
            "files": files,
            "remove": list(remove),
            "expect": None if file is None else (file, None if any_field else field, message),
            "any_field": any_field,
            "xfail": xfail,
        }
    )


def scenario(
    id_: str,
    text: str | bytes,
    field: str | None,
    message: str | None,
    others: dict[str, str] | None = None,
    any_field: bool = False,
) -> None:
    """A scenario case: ``case.toml`` (and ``others`` beside it); the problem expected."""
    CASES.append(
        {
            "id": id_,
            "kind": "scenario",
            "path": f"scenario/{id_}",
            "files": {"case.toml": text, **{f"{k}.toml": v for k, v in (others or {}).items()}},
            "remove": [],
            "expect": None if message is None else ("case.toml", field, message),
            "any_field": any_field,
        }
    )


def imported(
    id_: str,
    suffix: str,
    content: str | bytes,
    field: str | None,
    message: str | None,
    kind: str | None = None,
    any_field: bool = False,
) -> None:
    """An import case: one file for ``parkcap track import``; the problem expected."""
    name = f"{id_}.{suffix}"
    CASES.append(
        {
            "id": id_,
            "kind": "import",
            "path": f"import/{name}",
            "files": {name: content},
            "remove": [],
            "expect": None if message is None else (name, field, message),
            "any_field": any_field,
            "import_kind": kind,
        }
    )


def xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# data files
# ---------------------------------------------------------------------------
CAP = "capacity.csv"
REC = "recipes.csv"
h, rows = mini(CAP)
data(
    "capacity-missing-column",
    {CAP: csv_of([c for c in h if c != "quantity"], [r[:2] + r[3:] for r in rows])},
    CAP,
    "quantity",
    "column 'quantity' is missing",
)
data(
    "capacity-unknown-column",
    {CAP: csv_of([*h, "comment"], [[*r, "x"] for r in rows])},
    CAP,
    "comment",
    "unknown column",
)
data(
    "capacity-duplicate-column",
    {CAP: csv_of([*h, "note"], [[*r, ""] for r in rows])},
    CAP,
    "",
    "duplicate column names",
)
data(
    "capacity-bad-unit",
    {CAP: edited(CAP, 0, "quantity", "10 zorkmids")},
    CAP,
    "quantity",
    "unknown unit",
)
data(
    "capacity-length-unit",
    {CAP: edited(CAP, 0, "quantity", "10 furlongs")},
    CAP,
    "quantity",
    "wrong dimension",
)
data(
    "capacity-squared-unit",
    {CAP: edited(CAP, 0, "quantity", "10 GWh GWh")},
    CAP,
    "quantity",
    "wrong dimension",
)
data(
    "capacity-wrong-dimension",
    {CAP: edited(CAP, 0, "quantity", "10GW")},
    CAP,
    "quantity",
    "wrong dimension",
)
data(
    "capacity-mass-for-area",
    {CAP: edited(CAP, 2, "quantity", "2万吨")},
    CAP,
    "quantity",
    "wrong dimension",
)
data(
    "capacity-negative",
    {CAP: edited(CAP, 0, "quantity", "-5GWh")},
    CAP,
    "quantity",
    "must not be negative",
)
data("capacity-nan", {CAP: edited(CAP, 0, "quantity", "nan GWh")}, CAP, "quantity", "not a finite")
data("capacity-inf", {CAP: edited(CAP, 0, "quantity", "inf GWh")}, CAP, "quantity", "not a finite")
data(
    "capacity-huge-number",
    {CAP: edited(CAP, 0, "quantity", "1e400GWh")},
    CAP,
    "quantity",
    "not a finite",
)
# finite but absurd: a capacity or an intensity beyond any plant (model.fields.PLAUSIBLE_MAX)
data(
    "capacity-absurd-number",
    {CAP: edited(CAP, 0, "quantity", "1e300GWh")},
    CAP,
    "quantity",
    "implausibly large",
)
data(
    "recipes-absurd-intensity",
    {REC: edited(REC, 0, "high", "1e300")},
    REC,
    "high",
    "implausibly large",
)
data(
    "capacity-empty-quantity",
    {CAP: edited(CAP, 0, "quantity", "")},
    CAP,
    "quantity",
    "empty quantity",
)
data(
    "capacity-bad-date",
    {CAP: edited(CAP, 0, "as_of", "2024-13-01")},
    CAP,
    "as_of",
    "not a valid date",
)
data(
    "capacity-slashed-date",
    {CAP: edited(CAP, 1, "as_of", "2024/06/30")},
    CAP,
    "as_of",
    "not a valid date",
)
data("capacity-empty-date", {CAP: edited(CAP, 0, "as_of", "")}, CAP, "as_of", "date is empty")
data(
    "capacity-observed-after-recorded",
    {CAP: edited(CAP, 0, "as_of", "2024-07-31")},
    CAP,
    "as_of",
    "after the record's recorded date",
)
data(
    "capacity-unknown-stage",
    {CAP: edited(CAP, 0, "stage", "graphene")},
    CAP,
    "stage",
    "unknown stage id",
)
data(
    "capacity-unknown-source",
    {CAP: edited(CAP, 0, "source", "no-such-source")},
    CAP,
    "source",
    "unknown source id",
)
data(
    "capacity-duplicate-id", {CAP: edited(CAP, 1, "record_id", "c1")}, CAP, "record_id", "duplicate"
)
data(
    "capacity-bad-record-id",
    {CAP: edited(CAP, 0, "record_id", "c 1!")},
    CAP,
    "record_id",
    "expected an id such as",
)
data(
    "capacity-extra-cells",
    {CAP: csv_of(h, [rows[0] + ["surplus", "cells"], *rows[1:]])},
    CAP,
    "",
    "cells but the header has",
)
data("capacity-empty-file", {CAP: ""}, CAP, "", "file is empty")
data("capacity-blank-lines-only", {CAP: "\n\n  \n"}, CAP, "", "file is empty")
data("capacity-missing-file", {}, CAP, "", "file is missing", remove=(CAP,))
data(
    "capacity-binary-junk",
    {CAP: bytes(range(256)) * 4 + b"\xff\xfe\x00\x00"},
    CAP,
    "",
    "cannot decode",
)
data(
    "capacity-gzip-bytes",
    {CAP: b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\xcb\xc8\x00\x00"},
    CAP,
    "",
    "cannot decode",
)
data(
    "sources-latin1-garbage",
    {
        "sources.csv": csv_of(*mini("sources.csv"))
        .replace("Mini park", "Caf\u00e9,")
        .encode("latin-1")
    },
    "sources.csv",
    "",
    "cannot decode",
)
data(
    "capacity-gb18030-unknown-stage",
    {CAP: edited(CAP, 0, "stage", "石墨烯").encode("gb18030")},
    CAP,
    "stage",
    "unknown stage id",
)
data(
    "capacity-bom-unknown-column",
    {CAP: "\ufeff" + csv_of([*h, "comment"], [[*r, "x"] for r in rows])},
    CAP,
    "comment",
    "unknown column",
)
STG = "stages.csv"
data("stages-bad-unit", {STG: edited(STG, 0, "unit", "bananas")}, STG, "unit", "unknown unit")
# a rate as a stage's unit (capacities are already per year): the capacity no longer fits it
data(
    "stages-rate-unit",
    {STG: edited(STG, 0, "unit", "t/a")},
    CAP,
    "quantity",
    "wrong dimension",
)
data(
    "stages-bad-id",
    {STG: edited(STG, 0, "id", "LFP Cathode")},
    STG,
    "id",
    "expected a lower-case id",
)
data(
    "stages-unknown-chain",
    {STG: edited(STG, 0, "chain", "plutonium")},
    STG,
    "chain",
    "unknown chain",
)
data("stages-duplicate-id", {STG: edited(STG, 1, "id", "lfp_cathode")}, STG, "id", "duplicate")
h_s, rows_s = mini(STG)
data(
    "stages-missing-column",
    {STG: csv_of([c for c in h_s if c != "unit"], [r[:4] + r[5:] for r in rows_s])},
    STG,
    "unit",
    "column 'unit' is missing",
)
h_r, rows_r = mini(REC)
cycle = copy.deepcopy(rows_r)
cycle.append(["lfp_cathode", "lfp", "lfp_cell", "0.1", "0.2", "0.3", "GWh/t", "mini-src", "", ""])
data("recipes-cycle", {REC: csv_of(h_r, cycle)}, REC, "input", "recipe cycle")
self_loop = copy.deepcopy(rows_r)
self_loop.append(
    ["separator", "lfp", "separator", "0.1", "0.2", "0.3", "m**2/m**2", "mini-src", "", ""]
)
data("recipes-self-loop", {REC: csv_of(h_r, self_loop)}, REC, "input", "recipe cycle")
data(
    "recipes-low-above-central",
    {REC: edited(REC, 0, "low", "2100")},
    REC,
    None,
    "expected low <= central <= high",
    any_field=True,
)
data(
    "recipes-central-above-high",
    {REC: edited(REC, 0, "central", "2300")},
    REC,
    None,
    "expected low <= central <= high",
    any_field=True,
)
data(
    "recipes-wrong-dimension",
    {REC: edited(REC, 0, "unit", "m**2/GWh")},
    REC,
    "unit",
    "wrong dimension",
)
data("recipes-bad-unit", {REC: edited(REC, 0, "unit", "zorks/GWh")}, REC, "unit", "unknown unit")
data("recipes-negative", {REC: edited(REC, 0, "low", "-1")}, REC, "low", "greater than zero")
data("recipes-nan", {REC: edited(REC, 0, "central", "nan")}, REC, "central", "not a finite number")
data("recipes-inf", {REC: edited(REC, 0, "high", "inf")}, REC, "high", "not a finite number")
data(
    "recipes-huge-number",
    {REC: edited(REC, 0, "high", "1e400")},
    REC,
    "high",
    "not a finite number",
)
data("recipes-not-a-number", {REC: edited(REC, 0, "low", "about 1800")}, REC, "low", "not a number")
data(
    "recipes-unknown-technology",
    {REC: edited(REC, 0, "technology", "plutonium_ion")},
    REC,
    "technology",
    "unknown technology",
)
data(
    "recipes-unknown-input",
    {REC: edited(REC, 0, "input", "graphene")},
    REC,
    "input",
    "unknown stage id",
)
dup = copy.deepcopy(rows_r)
dup.append(list(dup[0]))
data(
    "recipes-duplicate-line",
    {REC: csv_of(h_r, dup)},
    REC,
    None,
    "duplicate recipe line",
    any_field=True,
)
data(
    "recipes-no-source-no-assumption",
    {REC: edited(REC, 1, "assumption", "")},
    REC,
    "source",
    "mark the row as an assumption",
)
PRJ = "projects.csv"
data(
    "projects-unknown-status",
    {PRJ: edited(PRJ, 0, "status", "dreaming")},
    PRJ,
    "status",
    "unknown status",
)
data(
    "projects-bad-quarter",
    {PRJ: edited(PRJ, 0, "expected_start", "2025Q5")},
    PRJ,
    "expected_start",
    "not a quarter",
)
h_p, rows_p = mini(PRJ)
data(
    "projects-duplicate-id",
    {PRJ: csv_of(h_p, rows_p + copy.deepcopy(rows_p))},
    PRJ,
    "id",
    "duplicate id",
)
data(
    "projects-unknown-stage",
    {PRJ: edited(PRJ, 0, "stage", "graphene")},
    PRJ,
    "stage",
    "unknown stage id",
)
data(
    "projects-bad-capacity-unit",
    {PRJ: edited(PRJ, 0, "capacity", "5 zorkmids")},
    PRJ,
    "capacity",
    "unknown unit",
)
data(
    "projects-capacity-wrong-dimension",
    {PRJ: edited(PRJ, 0, "capacity", "5GW")},
    PRJ,
    "capacity",
    "wrong dimension",
)
data(
    "projects-negative-capacity",
    {PRJ: edited(PRJ, 0, "capacity", "-5GWh")},
    PRJ,
    "capacity",
    "must be positive",
)
data("projects-empty-id", {PRJ: edited(PRJ, 0, "id", "")}, PRJ, "id", "empty")
data(
    "projects-bad-announced-date",
    {PRJ: edited(PRJ, 0, "announced", "March 2024")},
    PRJ,
    "announced",
    "not a valid date",
)
data(
    "projects-unknown-technology",
    {PRJ: edited(PRJ, 0, "technology", "cold_fusion")},
    PRJ,
    "technology",
    "unknown technology",
)
SP = "status_params.csv"
h_sp, rows_sp = mini(SP)
data(
    "status-params-missing-status",
    {SP: csv_of(h_sp, [r for r in rows_sp if r[0] != "trial"])},
    SP,
    "status",
    "status missing",
)
data(
    "status-params-probability-above-one",
    {SP: edited(SP, 0, "p_complete", "1.5")},
    SP,
    "p_complete",
    "expected a number from 0 to 1",
)
data(
    "status-params-not-a-number",
    {SP: edited(SP, 0, "delay_mean_q", "soon")},
    SP,
    "delay_mean_q",
    "not a number",
)
data(
    "status-params-unknown-status",
    {SP: edited(SP, 0, "status", "dreaming")},
    SP,
    "status",
    "unknown status",
)
data(
    "status-params-twice",
    {SP: csv_of(h_sp, [*rows_sp, list(rows_sp[0])])},
    SP,
    "status",
    "status listed twice",
)
data(
    "growth-bad-growth",
    {"growth.csv": edited("growth.csv", 0, "growth", "增长很多")},
    "growth.csv",
    "growth",
    "cannot read growth",
)
data(
    "growth-unknown-source",
    {"growth.csv": edited("growth.csv", 0, "source", "nope")},
    "growth.csv",
    "source",
    "unknown source id",
)
data(
    "facts-bad-quantity",
    {"facts.csv": edited("facts.csv", 0, "quantity", "三项")},
    "facts.csv",
    "quantity",
    "does not start with a number",
)
data(
    "sources-empty-title",
    {"sources.csv": edited("sources.csv", 0, "title", "")},
    "sources.csv",
    "title",
    "empty",
)
data(
    "sources-empty-citation",
    {"sources.csv": edited("sources.csv", 0, "citation", "")},
    "sources.csv",
    "citation",
    "empty",
)
h_src, rows_src = mini("sources.csv")
data(
    "sources-duplicate-id",
    {"sources.csv": csv_of(h_src, rows_src + copy.deepcopy(rows_src))},
    "sources.csv",
    "id",
    "duplicate",
)
SH = "status_history.csv"
SH_HEADER = ["record_id", "project", "status", "as_of", "recorded", "source"]
data(
    "status-history-unknown-project",
    {SH: csv_of(SH_HEADER, [["s1", "ghost", "signed", "2024-01-01", "2024-01-01", "mini-src"]])},
    SH,
    "project",
    "unknown project id",
)
data(
    "status-history-unknown-status",
    {SH: csv_of(SH_HEADER, [["s1", "cell-2", "dreaming", "2024-01-01", "2024-01-01", "mini-src"]])},
    SH,
    "status",
    "unknown status",
)
data(
    "status-history-bad-date",
    {SH: csv_of(SH_HEADER, [["s1", "cell-2", "signed", "2024-02-30", "2024-03-01", "mini-src"]])},
    SH,
    "as_of",
    "not a valid date",
)
# a valid but long chain: 1,200 stages, each the input of the one before; it must load
# (known gap: the cycle check in model/recipes.py recurses once per stage and raises
# RecursionError past ~1,000)
h_st, rows_st = mini(STG)
deep_stages = rows_st + [
    [f"s{i}", f"阶段{i}", f"Stage {i}", "lithium", "t", "", ""] for i in range(1200)
]
deep_recipes = copy.deepcopy(rows_r) + [
    [f"s{i}", "lfp", f"s{i + 1}", "1", "1", "1", "t/t", "mini-src", "", ""] for i in range(1199)
]
data(
    "recipes-deep-chain",
    {STG: csv_of(h_st, deep_stages), REC: csv_of(h_r, deep_recipes)},
    None,
)
# positive controls: encodings and line ends that Excel writes
data(
    "ok-gb18030",
    {
        CAP: csv_of(*mini(CAP)).encode("gb18030"),
        STG: csv_of(*mini(STG)).encode("gb18030"),
    },
    None,
)
data("ok-utf8-bom", {CAP: "\ufeff" + csv_of(*mini(CAP)), STG: "\ufeff" + csv_of(*mini(STG))}, None)
data("ok-crlf", {CAP: csv_of(*mini(CAP)).replace("\n", "\r\n")}, None)

# ---------------------------------------------------------------------------
# scenarios (for the mini park)
# ---------------------------------------------------------------------------
OK = 'draws = 5\nhorizon = "2026Q4"\n'
scenario("toml-unclosed-string", OK + 'title_en = "never closed\n', None, "not valid TOML")
scenario("toml-duplicate-key", OK + "seed = 1\nseed = 2\n", None, "not valid TOML")
scenario("toml-bare-words", "this is not toml at all\n", None, "not valid TOML")
scenario("toml-binary-junk", bytes(range(256)), None, "cannot decode")
scenario("toml-latin1", (OK + 'title_en = "Caf\u00e9"\n').encode("latin-1"), None, "cannot decode")
scenario("unknown-key", OK + 'colour = "red"\n', "colour", "unknown key")
scenario("unknown-nested-key", OK + "[demand]\ngrowht = 0.1\n", "demand.growht", "unknown key")
scenario(
    "extends-cycle",
    'extends = "other"\n' + OK,
    "extends",
    "inheritance cycle",
    others={"other": 'extends = "case"\n'},
)
scenario("extends-itself", 'extends = "case"\n' + OK, "extends", "inheritance cycle")
scenario("extends-missing", 'extends = "no-such-parent"\n' + OK, "extends", "not found")
scenario(
    "extends-not-a-name", "extends = 5\n" + OK, "extends", "expected the name of another scenario"
)
scenario("horizon-not-a-quarter", 'draws = 5\nhorizon = "2030Q5"\n', "horizon", "not a quarter")
scenario("horizon-9999", 'draws = 5\nhorizon = "9999Q4"\n', "horizon", "no later than 2060Q4")
scenario("horizon-2061", 'draws = 5\nhorizon = "2061Q1"\n', "horizon", "no later than 2060Q4")
scenario(
    "horizon-2200-with-100000-draws",
    'draws = 100000\nhorizon = "2200Q4"\n',
    "horizon",
    "no later than 2060Q4",
)
scenario("horizon-a-number", "draws = 5\nhorizon = 2030\n", "horizon", "valid string")
scenario("draws-zero", 'draws = 0\nhorizon = "2026Q4"\n', "draws", "greater than or equal to 1")
scenario(
    "draws-huge", 'draws = 100000000000\nhorizon = "2026Q4"\n', "draws", "less than or equal to"
)
scenario("draws-fraction", 'draws = 1.5\nhorizon = "2026Q4"\n', "draws", "valid integer")
scenario("draws-inf", 'draws = inf\nhorizon = "2026Q4"\n', "draws", "finite number")
scenario("seed-negative", OK + "seed = -1\n", "seed", "greater than or equal to 0")
scenario(
    "intensity-unknown",
    OK + 'intensity = "medium"\n',
    "intensity",
    "'sampled', 'central', 'low' or 'high'",
)
scenario(
    "demand-growth-too-high",
    OK + "[demand]\ngrowth = 9\n",
    "demand.growth",
    "less than or equal to",
)
scenario(
    "demand-growth-nan", OK + "[demand]\ngrowth = nan\n", "demand.growth", "less than or equal to 3"
)
scenario(
    "demand-base-negative", OK + "[demand]\nbase_gwh = -5\n", "demand.base_gwh", "greater than 0"
)
scenario("demand-not-a-table", OK + 'demand = "lots"\n', "demand", "valid dictionary")
scenario(
    "mix-all-zero",
    OK + "[technology_mix]\nlfp = 0\nsodium_ion = 0\nvanadium_flow = 0\ngravity = 0\n",
    "technology_mix",
    "at least one technology needs a share above zero",
)
scenario(
    "mix-share-above-one",
    OK + "[technology_mix]\nlfp = 2\n",
    "technology_mix.lfp",
    "less than or equal to 1",
)
scenario(
    "mix-share-negative",
    OK + "[technology_mix]\nsodium_ion = -0.1\n",
    "technology_mix.sodium_ion",
    "greater than or equal to 0",
)
scenario(
    "mix-unknown-technology",
    OK + "[technology_mix]\nhydrogen = 0.5\n",
    "technology_mix.hydrogen",
    "unknown key",
)
scenario(
    "utilisation-reversed",
    OK + "[utilisation]\ndefault = [0.9, 0.5]\n",
    "utilisation",
    "0 < low <= high <= 1",
)
scenario(
    "utilisation-above-one",
    OK + "[utilisation]\ndefault = [0.5, 1.5]\n",
    "utilisation",
    "0 < low <= high <= 1",
)
scenario(
    "utilisation-zero",
    OK + "[utilisation]\nlfp_cell = [0, 0.5]\n",
    "utilisation",
    "0 < low <= high <= 1",
)
scenario(
    "utilisation-not-a-pair",
    OK + "[utilisation]\ndefault = [0.5]\n",
    "utilisation.default.1",
    "missing",
)
scenario(
    "utilisation-unknown-stage",
    OK + "[utilisation]\ngraphene = [0.5, 0.6]\n",
    "utilisation.graphene",
    "unknown stage id",
)
scenario(
    "ramp-up-reversed",
    OK + "[ramp_up]\nquarters = [6, 2]\n",
    "ramp_up.quarters",
    "1 <= low <= high <= 40",
)
scenario(
    "ramp-up-unknown-shape",
    OK + '[ramp_up]\nshape = "zigzag"\n',
    "ramp_up.shape",
    "'linear', 's_curve' or 'instant'",
)
scenario(
    "status-probability-above-one",
    OK + "[status.signed]\np_complete = 2\n",
    "status.signed.p_complete",
    "less than or equal to 1",
)
scenario(
    "status-unknown",
    OK + "[status.dreaming]\np_complete = 0.5\n",
    "status.dreaming",
    "unknown status",
)
scenario(
    "projects-remove-unknown",
    OK + '[projects]\nremove = ["ghost"]\n',
    "projects.remove[0]",
    "unknown project id",
)
scenario(
    "projects-start-unknown",
    OK + '[projects.start]\nghost = "2026Q1"\n',
    "projects.start.ghost",
    "unknown project id",
)
scenario(
    "projects-start-bad-quarter",
    OK + '[projects.start]\ncell-2 = "2026Q9"\n',
    "projects.start.cell-2",
    "not a quarter",
)
scenario(
    "projects-status-unknown",
    OK + '[projects.status]\ncell-2 = "dreaming"\n',
    "projects.status.cell-2",
    "unknown status",
)
ADD = '[[projects.add]]\nid = "new-1"\nstage = "lfp_cell"\ntechnology = "lfp"\ncapacity = "5GWh"\nsource = "mini-src"\n'
scenario(
    "projects-add-unknown-stage",
    OK + ADD.replace('"lfp_cell"', '"graphene"'),
    "projects.add[0].stage",
    "unknown stage id",
)
scenario(
    "projects-add-wrong-dimension",
    OK + ADD.replace('"5GWh"', '"5GW"'),
    "projects.add[0].capacity",
    "wrong dimension",
)
scenario(
    "projects-add-bad-unit",
    OK + ADD.replace('"5GWh"', '"5 zorkmids"'),
    "projects.add[0].capacity",
    "unknown unit",
)
scenario(
    "projects-add-no-source",
    OK + ADD.replace('source = "mini-src"\n', ""),
    "projects.add.0",
    "give a source id",
)
scenario(
    "projects-add-unknown-source",
    OK + ADD.replace('"mini-src"', '"nope"'),
    "projects.add[0].source",
    "unknown source id",
)
scenario(
    "projects-add-id-taken",
    OK + ADD.replace('"new-1"', '"cell-2"'),
    "projects.add[0].id",
    "id already used",
)
scenario(
    "projects-add-unknown-technology",
    OK + ADD.replace('technology = "lfp"', 'technology = "cold_fusion"'),
    "projects.add[0].technology",
    "expected one of",
)
scenario("ok-extends", 'extends = "parent"\nseed = 3\n', None, None, others={"parent": OK})

# ---------------------------------------------------------------------------
# import files (parkcap track import into the mini park)
# ---------------------------------------------------------------------------
IH = ["stage", "quantity", "as_of", "source", "recorded"]
GOOD = ["lfp_cell", "12GWh", "2024-09-30", "mini-src", "2024-10-01"]


def row(**changes: str) -> list[str]:
    r = list(GOOD)
    for k, v in changes.items():
        r[IH.index(k)] = v
    return r


imported(
    "import-missing-column",
    "csv",
    csv_of(["stage", "as_of", "source"], [["lfp_cell", "2024-09-30", "mini-src"]]),
    "quantity",
    "column 'quantity' is missing",
    kind="capacity",
)
imported(
    "import-unknown-column",
    "csv",
    csv_of([*IH, "comment"], [[*GOOD, "x"]]),
    "comment",
    "unknown column",
)
imported(
    "import-unknown-stage", "csv", csv_of(IH, [row(stage="graphene")]), "stage", "unknown stage id"
)
imported(
    "import-bad-unit", "csv", csv_of(IH, [row(quantity="12 zorkmids")]), "quantity", "unknown unit"
)
imported(
    "import-wrong-dimension",
    "csv",
    csv_of(IH, [row(quantity="12万吨")]),
    "quantity",
    "wrong dimension",
)
imported(
    "import-negative",
    "csv",
    csv_of(IH, [row(quantity="-12GWh")]),
    "quantity",
    "must not be negative",
)
imported(
    "import-nan", "csv", csv_of(IH, [row(quantity="nan GWh")]), "quantity", "not a finite number"
)
imported(
    "import-bad-date", "csv", csv_of(IH, [row(as_of="30/09/2024")]), "as_of", "not a valid date"
)
imported(
    "import-unknown-source", "csv", csv_of(IH, [row(source="nope")]), "source", "unknown source id"
)
imported(
    "import-cannot-tell-kind",
    "csv",
    csv_of(["what", "ever"], [["a", "b"]]),
    "",
    "cannot tell the kind of records",
)
imported(
    "import-extra-cells", "csv", csv_of(IH, [[*GOOD, "x", "y"]]), "", "cells but the header has"
)
imported("import-empty", "csv", "", "", "file is empty")
imported("import-header-only", "csv", csv_of(IH, []), "", "no records to import")
imported(
    "import-latin1",
    "csv",
    csv_of(IH, [GOOD]).replace("mini-src", "caf\u00e9,").encode("latin-1"),
    "",
    "cannot decode",
)
imported("import-binary-junk", "csv", bytes(range(256)) * 2, "", "cannot decode")
imported(
    "import-not-a-workbook",
    "xlsx",
    b"PK\x03\x04 this is not a zip file at all",
    "",
    "cannot read as an XLSX workbook",
)
imported("import-junk-workbook", "xlsx", bytes(range(256)), "", "cannot read as an XLSX workbook")
imported("import-unknown-suffix", "txt", csv_of(IH, [GOOD]), "", "unknown file type")
imported(
    "import-xlsx-unknown-stage",
    "xlsx",
    xlsx([IH, row(stage="graphene")]),
    "stage",
    "unknown stage id",
)
imported(
    "import-xlsx-bad-date", "xlsx", xlsx([IH, row(as_of="2024-02-30")]), "as_of", "not a valid date"
)
imported(
    "import-xlsx-missing-column",
    "xlsx",
    xlsx([["stage", "as_of", "source"], ["lfp_cell", "2024-09-30", "mini-src"]]),
    "quantity",
    "column 'quantity' is missing",
    kind="capacity",
)
PH = ["project", "status", "as_of", "source", "recorded"]
imported(
    "import-project-unknown-project",
    "csv",
    csv_of(PH, [["ghost", "signed", "2024-09-30", "mini-src", "2024-10-01"]]),
    "project",
    "unknown project id",
)
imported(
    "import-project-unknown-status",
    "csv",
    csv_of(PH, [["cell-2", "dreaming", "2024-09-30", "mini-src", "2024-10-01"]]),
    "status",
    "unknown status",
)
imported(
    "import-ok-gb18030", "csv", csv_of(IH, [row(quantity="12吉瓦时")]).encode("gb18030"), None, None
)


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------
def toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def main() -> None:
    for sub in ("data", "scenario", "import"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
    lines = [
        "# The corpus of bad inputs: one case each, with the problem it must produce.",
        "# Written by tests/corpus/generate.py (see its docstring); read by tests/test_corpus.py.",
        "",
    ]
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    for case in CASES:
        target = HERE / case["path"]
        folder = target.parent if case["kind"] == "import" else target
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in case["files"].items():
            raw = content.encode("utf-8") if isinstance(content, str) else content
            (folder / name).write_bytes(raw)
        lines += ["[[case]]", f"id = {toml_str(case['id'])}", f"kind = {toml_str(case['kind'])}"]
        lines.append(f"path = {toml_str(case['path'])}")
        if case["remove"]:
            lines.append(f"remove = {json.dumps(case['remove'])}")
        if case.get("import_kind"):
            lines.append(f"import_kind = {toml_str(case['import_kind'])}")
        if case.get("xfail"):
            lines.append(f"xfail = {toml_str(case['xfail'])}")
        if case["expect"] is None:
            lines.append("valid = true")
        else:
            file, field, message = case["expect"]
            lines.append(f"file = {toml_str(file)}")
            if not case["any_field"]:
                lines.append(f"field = {toml_str(field or '')}")
            lines.append(f"message = {toml_str(message or '')}")
        lines.append("")
    (HERE / "cases.toml").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(CASES)} cases written to {HERE}")  # noqa: T201


if __name__ == "__main__":
    main()
