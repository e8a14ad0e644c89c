"""The value chain: intensity matrices, total requirements and cell-equivalents."""

from __future__ import annotations

import math

import numpy as np
import pytest


def test_cell_equivalent_is_capacity_over_intensity(park) -> None:
    chain = park.chain
    # 1.5e8 m² of separator at 1.2e7 m² per GWh of LFP cells: 12.5 GWh
    assert chain.cell_equivalent("separator", 1.5e8) == pytest.approx(12.5)
    assert chain.cell_equivalent("lfp_cathode", 183_000) == pytest.approx(183_000 / 2250)
    assert chain.cell_equivalent("cell_casing", 3.5e7) == pytest.approx(35.0)
    assert chain.cell_equivalent("lfp_cell", 37.5) == pytest.approx(37.5)


def test_indirect_requirement_goes_through_the_cathode(park) -> None:
    chain = park.chain
    # lithium carbonate per GWh of cells = 0.24 t/t x 2250 t/GWh
    assert chain.requirement("lithium_carbonate", "lfp_cell") == pytest.approx(0.24 * 2250)
    assert chain.cell_equivalent("lithium_carbonate", 540.0) == pytest.approx(1.0)


def test_cell_equivalents_per_chemistry(park) -> None:
    eq = park.chain.cell_equivalents("separator", 1.5e8)
    assert eq["lfp_cell"] == pytest.approx(1.5e8 / 1.2e7)
    assert eq["na_cell"] == pytest.approx(1.5e8 / 1.25e7)
    assert "vrfb_system" not in eq


def test_reference_products(park) -> None:
    chain = park.chain
    assert chain.reference_product("copper_foil") == "lfp_cell"
    assert chain.reference_product("hard_carbon") == "na_cell"
    assert chain.reference_product("vanadium_pentoxide") == "vrfb_system"
    assert chain.reference_product("pcs") == "storage_cabinet"
    assert chain.reference_product("polysilicon") is None
    assert math.isnan(chain.cell_equivalent("polysilicon", 1000.0))


def test_cabinet_technology_weights_move_cell_demand(park) -> None:
    chain = park.chain
    i_lfp, i_na, j = chain.index["lfp_cell"], chain.index["na_cell"], chain.index["storage_cabinet"]
    a = chain.intensity("central", chain.weights({"storage_cabinet": {"lfp": 3, "sodium_ion": 1}}))
    assert a[i_lfp, j] == pytest.approx(0.75)
    assert a[i_na, j] == pytest.approx(0.25)
    a0 = chain.intensity("central")
    assert a0[i_lfp, j] == 1.0
    assert a0[i_na, j] == 0.0


def test_levels_are_ordered(park) -> None:
    chain = park.chain
    lo, mid, hi = (chain.intensity(level) for level in ("low", "central", "high"))
    assert np.all(lo <= mid)
    assert np.all(mid <= hi)
    assert chain.cell_equivalent("separator", 1.5e8, level="high") < chain.cell_equivalent(
        "separator", 1.5e8, level="low"
    )


def test_upstream_relation(park) -> None:
    chain = park.chain
    assert chain.is_upstream("lithium_carbonate", "storage_cabinet")
    assert not chain.is_upstream("storage_cabinet", "lithium_carbonate")
    assert set(chain.inputs_of("lfp_cell")) >= {
        "lfp_cathode",
        "separator",
        "copper_foil",
        "cell_casing",
    }
