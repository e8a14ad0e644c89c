"""Small named example parks, for tests, docs and notebooks.

``write_example(name, folder)`` writes a complete data folder:

* ``"shipped"``: a copy of the project's ``data/`` (the Xining ETDZ park);
* ``"mini"``: three stages (LFP cathode, separator, LFP cells), one source, two capacity
  records and one project: small enough to check by hand. 10 GWh of cells need
  10 × 2,000 t = 20,000 t of cathode (the park has 15,000 t) and 10 × 1e7 m² of
  separator (the park has 2e8 m²).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from model.datafiles import write_csv_text
from model.park import DEFAULT_DATA_DIR

MINI: dict[str, tuple[list[str], list[list[str]]]] = {
    "sources.csv": (
        ["id", "title", "publisher", "date", "citation", "note"],
        [
            [
                "mini-src",
                "Mini park fact sheet",
                "parkcap tests",
                "2024-06-30",
                "model/examples.py",
                "",
            ]
        ],
    ),
    "stages.csv": (
        ["id", "name_zh", "name_en", "chain", "unit", "presence_source", "note"],
        [
            ["lfp_cathode", "正极材料", "Cathode", "lithium", "t", "", ""],
            ["separator", "隔膜", "Separator", "lithium", "m**2", "", ""],
            ["lfp_cell", "电芯", "Cells", "lithium", "GWh", "", ""],
        ],
    ),
    "capacity.csv": (
        ["record_id", "stage", "quantity", "as_of", "recorded", "source", "note"],
        [
            ["c1", "lfp_cell", "10GWh", "2024-06-30", "2024-06-30", "mini-src", ""],
            ["c2", "lfp_cathode", "1.5万吨", "2024-06-30", "2024-06-30", "mini-src", ""],
            ["c3", "separator", "2亿平方米", "2024-06-30", "2024-06-30", "mini-src", ""],
        ],
    ),
    "recipes.csv": (
        [
            "output",
            "technology",
            "input",
            "low",
            "central",
            "high",
            "unit",
            "source",
            "assumption",
            "note",
        ],
        [
            ["lfp_cell", "lfp", "lfp_cathode", "1800", "2000", "2200", "t/GWh", "mini-src", "", ""],
            [
                "lfp_cell",
                "lfp",
                "separator",
                "8000000",
                "10000000",
                "12000000",
                "m**2/GWh",
                "",
                "round number for hand arithmetic",
                "",
            ],
        ],
    ),
    "growth.csv": (
        ["id", "subject", "name_zh", "name_en", "year", "growth", "source"],
        [["g1", "lfp_cell", "电芯产量", "Cell output", "2023", "增长1倍", "mini-src"]],
    ),
    "facts.csv": (
        ["id", "name_zh", "name_en", "quantity", "year", "source", "note"],
        [["f1", "项目数", "Projects", "3项", "2023", "mini-src", ""]],
    ),
    "status_params.csv": (
        [
            "status",
            "name_zh",
            "name_en",
            "p_complete",
            "quarters_in_status",
            "delay_mean_q",
            "delay_sd_q",
            "source",
            "assumption",
        ],
        [
            [s, zh, en, p, q, d, sd, "", "round numbers for hand arithmetic"]
            for s, zh, en, p, q, d, sd in [
                ("reserve", "储备", "Reserve", "0.3", "4", "4", "2"),
                ("signed", "签约", "Signed", "0.5", "2", "2", "1"),
                ("permitted", "备案/环评", "Permitted", "0.7", "2", "2", "1"),
                ("construction", "在建", "Under construction", "0.9", "4", "1", "1"),
                ("trial", "试产", "Trial production", "1", "4", "0", "0"),
                ("full_output", "达产", "Full output", "1", "0", "0", "0"),
                ("shelved", "搁置", "Shelved", "0.1", "8", "8", "4"),
                ("cancelled", "取消", "Cancelled", "0", "0", "0", "0"),
                ("retired", "退役", "Retired", "0", "0", "0", "0"),
            ]
        ],
    ),
    "projects.csv": (
        [
            "id",
            "name_zh",
            "name_en",
            "company",
            "stage",
            "technology",
            "capacity",
            "status",
            "announced",
            "expected_start",
            "source",
            "assumption",
            "note",
        ],
        [
            [
                "cell-2",
                "二期电芯",
                "Cells phase 2",
                "Example Co",
                "lfp_cell",
                "lfp",
                "5GWh",
                "construction",
                "2024-03-01",
                "2025Q2",
                "mini-src",
                "",
                "",
            ]
        ],
    ),
}


def write_example(name: str, folder: Path) -> Path:
    """Write the example park ``name`` into ``folder`` (created) and return the folder."""
    folder = Path(folder)
    if name == "shipped":
        shutil.copytree(DEFAULT_DATA_DIR, folder, dirs_exist_ok=True)
        return folder
    if name != "mini":
        msg = f"unknown example park {name!r}; expected 'mini' or 'shipped'"
        raise ValueError(msg)
    folder.mkdir(parents=True, exist_ok=True)
    for file, (header, rows) in MINI.items():
        (folder / file).write_text(write_csv_text(header, rows), encoding="utf-8")
    return folder


def add_status_history(folder: Path, n: int, steps: list[tuple[str, str, str]]) -> None:
    """Add ``n`` signed lfp_cell projects ``h0``… with one status history to the 'mini' park.

    ``steps`` are ``(status, as_of, recorded)``; a repeated ``as_of`` with a later
    ``recorded`` date is a correction. Used to test estimates from the history.
    """
    folder = Path(folder)
    projects = (folder / "projects.csv").read_text(encoding="utf-8")
    history = ["record_id,project,status,as_of,recorded,source"]
    for k in range(n):
        projects += f"h{k},h{k},h{k},X,lfp_cell,lfp,1GWh,signed,2024-01-01,2025Q1,mini-src,,\n"
        history += [
            f"s{k}-{j},h{k},{status},{as_of},{recorded},mini-src"
            for j, (status, as_of, recorded) in enumerate(steps)
        ]
    (folder / "projects.csv").write_text(projects, encoding="utf-8")
    (folder / "status_history.csv").write_text("\n".join(history) + "\n", encoding="utf-8")
