"""The layers stay one-way: no import circle in ``model/``, nothing in ``model/`` imports the app.

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a
circle that only a late import keeps from failing is still a circle for the reader.
"""

from __future__ import annotations

import ast
import doctest
from pathlib import Path

import pytest

import model

ROOT = Path(__file__).resolve().parent.parent


def module_name(path: Path, root: Path) -> str:
    """Dotted module name of ``path`` relative to ``root`` (``pkg/__init__.py`` -> ``pkg``)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (absolute and relative imports)."""
    root = package.parent
    files = {module_name(f, root): f for f in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {m: set() for m in files}
    for mod, path in files.items():
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = mod.split(".")
                    anchor = anchor if is_pkg else anchor[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for target in targets:
                while target and target not in files and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target in files and target != mod and not mod.startswith(target + "."):
                    graph[mod].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each as the modules on it (strongly connected components > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_a_circle_in_a_synthetic_package_is_found(tmp_path: Path) -> None:
    pkg = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/ground.py": "import math\n",
            "pkg/a.py": "from pkg import ground\nfrom pkg.b import thing\n",
            # a late import inside a function closes the circle a -> b -> c -> a
            "pkg/b.py": "from . import c\n",
            "pkg/c.py": "def f():\n    from pkg.a import x\n",
        },
    )
    assert cycles(import_graph(pkg)) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_type_checking_imports_count_too(tmp_path: Path) -> None:
    pkg = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import B\n",
            "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\n",
        },
    )
    assert cycles(import_graph(pkg)) == [["pkg.a", "pkg.b"]]


def test_a_one_way_synthetic_package_has_no_circle(tmp_path: Path) -> None:
    pkg = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.top import run\n",
            "pkg/ground.py": "",
            "pkg/mid.py": "from pkg import ground\n",
            "pkg/top.py": "from pkg.mid import x\nfrom pkg.ground import y\n",
        },
    )
    graph = import_graph(pkg)
    assert graph["pkg.top"] == {"pkg.mid", "pkg.ground"}
    assert cycles(graph) == []


def test_model_has_no_import_circle() -> None:
    found = cycles(import_graph(ROOT / "model"))
    assert found == [], f"import circles in model/: {found}"


def test_model_never_imports_the_dashboard() -> None:
    offenders = []
    for path in sorted((ROOT / "model").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "dashboard"]
    assert offenders == []


def test_dashboard_uses_no_private_model_name() -> None:
    private = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("model"):
                private += [
                    f"{path.name}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_")
                ]
                private += [f"{path.name}: {node.module}" for p in [node.module] if "._" in p]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                base = node.value
                if isinstance(base, ast.Name) and base.id in {"model", "export", "quarters"}:
                    private.append(f"{path.name}: {base.id}.{node.attr}")
    assert private == []


@pytest.mark.parametrize(
    "name",
    [
        "load_park",
        "load_scenario",
        "simulate",
        "summarize",
        "gap_table",
        "compare",
        "waterfall",
        "export_bytes",
        "parse_quantity",
        "format_quantity",
        "ureg",
        "DataError",
    ],
)
def test_the_notebook_api_is_on_the_package(name: str) -> None:
    assert name in model.__all__
    assert getattr(model, name) is not None


def test_the_package_docstring_example_runs() -> None:
    finder = doctest.DocTestFinder(recurse=False)
    (test,) = finder.find(model, "model", globs={})
    assert len(test.examples) >= 4
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
