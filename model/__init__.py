"""parkcap: capacity tracking and scenario model of the Xining ETDZ value chain.

The chain modelled is the park's battery and energy-storage value chain.

The public API for notebooks::

    import model
    park = model.load_park()                       # data/ -> a validated Park
    scenario = model.load_scenario("baseline")     # scenarios/ -> a frozen Scenario
    ds = model.simulate(park, scenario)            # -> xarray.Dataset (draw, quarter, stage)
    table = model.gap_table(park, ds, "2026Q4")    # value-chain gaps of one quarter
"""

from model.errors import DataError, Problem
from model.park import Park, load_park
from model.units import Q_, format_quantity, parse_quantity, ureg

__all__ = [
    "DataError",
    "Park",
    "Problem",
    "Q_",
    "format_quantity",
    "load_park",
    "parse_quantity",
    "ureg",
]
