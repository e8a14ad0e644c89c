"""parkcap: capacity tracking and scenario model of the Xining ETDZ value chain.

The chain modelled is the park's battery and energy-storage value chain. The public API
for notebooks (run as a doctest by the test suite, on the shipped data)::

    >>> import model
    >>> park = model.load_park()                          # data/ -> a validated Park
    >>> scenario = model.load_scenario("baseline")        # scenarios/ -> a frozen Scenario
    >>> ds = model.simulate(park, scenario, draws=50, seed=1)
    >>> sorted(ds.sizes)                                  # an xarray.Dataset
    ['draw', 'project', 'quarter', 'stage', 'technology']
    >>> row = model.gap_table(park, ds, "2026Q4")[0]      # value-chain gaps of one quarter
    >>> row["stage"], row["unit"], row["status"]
    ('lithium_carbonate', 't', 'missing')
    >>> model.format_quantity(model.parse_quantity("18.3万吨"))
    '18.3万吨'

Also here: :func:`summarize` (P10/P50/P90, mean, shortfall probability), :func:`compare`
(scenarios side by side), :func:`waterfall` (a difference attributed to each lever), :func:`sobol_indices`
(which uncertain input moves each stage's gap: global sensitivity),
:func:`export_bytes` (CSV, XLSX, NetCDF, IAMC), :data:`ureg` (the one unit registry) and
:class:`DataError` (every problem of an input, at once). The submodules are documented in the
README's "Architecture" section; ``model.simulate`` here is the function, the module is
imported as ``from model.simulate import ...``.
"""

from model.attribution import waterfall
from model.errors import DataError, Problem
from model.export import export_bytes
from model.gaps import compare, gap_table
from model.park import Park, load_park
from model.scenario import Scenario, load_scenario
from model.sensitivity import sobol_indices
from model.simulate import simulate, summarize
from model.units import Q_, format_quantity, parse_quantity, ureg

__all__ = [
    "DataError",
    "Park",
    "Problem",
    "Q_",
    "Scenario",
    "compare",
    "export_bytes",
    "format_quantity",
    "gap_table",
    "load_park",
    "load_scenario",
    "parse_quantity",
    "simulate",
    "sobol_indices",
    "summarize",
    "ureg",
    "waterfall",
]
