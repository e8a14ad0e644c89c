"""parkcap's capacity stock against an independent implementation: flodym's inflow-driven
dynamic stock model (the peer of ``benchmarks/bench_simulate.py``), on the same draws."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from model.simulate import prepare, simulate

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_simulate.py"


@pytest.fixture(scope="module")
def bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_simulate", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("shape", "quarters"), [("instant", 1), ("s_curve", 4), ("linear", 3)])
def test_nameplate_equals_flodym_stock(bench: Any, shape: str, quarters: int) -> None:
    case = bench.ramp_case(shape, quarters)
    park, scenario = bench.load(case.changes)
    inp = prepare(park, scenario)
    ds = simulate(park, scenario, draws=40, seed=5)
    draws = bench.ProjectDraws.from_dataset(ds)
    run = bench.flodym_added(inp, draws, case)
    added = ds["nameplate"].values - inp.base  # (n, T, S)
    flodym = np.moveaxis(run.added, 0, 1)  # (n, T, S_used)
    np.testing.assert_allclose(added[:, :, run.stages], flodym, atol=1e-6)
    assert added.max() > 0  # projects did complete in these draws
