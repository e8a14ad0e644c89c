"""The value chain as matrices: what one unit of each stage's output needs of every other.

Recipes give, per output stage and technology, the input needed per unit of output. This
module turns them into a technology-resolved intensity array ``A[t, i, j]`` (input ``i``
per unit of output ``j`` made with technology ``t``, in canonical units), mixes them with
technology weights, and derives the total requirements ``L = (I - A)^-1`` (Leontief):
``L[i, j]`` is how much of stage ``i`` one unit of ``j`` needs directly *and* through its
inputs (lithium carbonate per GWh of cells goes through the cathode).

Cell-equivalent capacity is the common yardstick of the chain: a stage's capacity divided
by ``L[stage, reference]`` is the GWh of the reference product (LFP cells, sodium-ion
cells, flow batteries, gravity storage or storage cabinets) it could supply.

The photovoltaic chain feeds no storage product and has a yardstick of its own, never
mixed with the cell-equivalents: GW a year of mono-silicon (the ingots pulled for wafers,
:data:`PV_REFERENCE_PRODUCTS`). Polysilicon, C/C thermal-field parts and carbon fibre are
measured by the GW of wafers they could supply (:meth:`Chain.wafer_reference`,
:meth:`Chain.wafer_equivalent`, :meth:`Chain.wafer_yardstick`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from model.stages import TECHNOLOGIES

if TYPE_CHECKING:
    from model.recipes import RecipeLine
    from model.stages import Stage

LEVELS = ("low", "central", "high")
#: stages whose output is energy storage (GWh) and that serve as cell-equivalent yardsticks,
#: in order of preference when a stage feeds several of them
REFERENCE_PRODUCTS = ("lfp_cell", "na_cell", "vrfb_system", "gravity_storage", "storage_cabinet")
#: the photovoltaic chain's yardstick: mono-silicon, in GW a year of the wafers its ingots
#: make; a separate unit, never added to or ranked against the cell-equivalents
PV_REFERENCE_PRODUCTS = ("mono_silicon",)


class Chain:
    """Matrices of the value chain built from the stages and recipes of a park.

    Attributes
    ----------
    stages
        Stage ids, the order of every matrix axis.
    technologies
        Technology ids, the order of the first axis of :attr:`a_tech`.
    variants
        Output stage -> technologies it can be made with, in file order (the first is the
        default).
    """

    def __init__(self, stages: Mapping[str, Stage], recipes: tuple[RecipeLine, ...]) -> None:
        self.stages: list[str] = list(stages)
        self.index: dict[str, int] = {s: i for i, s in enumerate(self.stages)}
        self.units: list[str] = [stages[s].unit for s in self.stages]
        self.technologies: list[str] = list(TECHNOLOGIES)
        self.lines: tuple[RecipeLine, ...] = recipes
        self.variants: dict[str, list[str]] = {}
        for rl in recipes:
            techs = self.variants.setdefault(rl.output, [])
            if rl.technology not in techs:
                techs.append(rl.technology)
        n, t = len(self.stages), len(self.technologies)
        self.a_tech = {lvl: np.zeros((t, n, n)) for lvl in LEVELS}
        for rl in recipes:
            k, i, j = (
                self.technologies.index(rl.technology),
                self.index[rl.input],
                self.index[rl.output],
            )
            for lvl in LEVELS:
                self.a_tech[lvl][k, i, j] = rl.value(lvl)
        self.default_weights = self.weights({})
        self._l_central = self.total_requirements(self.intensity("central"))
        self._requirements: dict[tuple[str, str, str], float] = {}

    # -- matrices -------------------------------------------------------------
    def weights(self, shares: Mapping[str, Mapping[str, float]]) -> np.ndarray:
        """Technology weights ``W[j, t]`` of each output stage ``j``.

        Parameters
        ----------
        shares
            Output stage -> {technology: share}; shares are normalised over the stage's
            variants. Stages not given use their first-listed technology.
        """
        w = np.zeros((len(self.stages), len(self.technologies)))
        for out, techs in self.variants.items():
            j = self.index[out]
            given = shares.get(out)
            if given:
                total = sum(max(0.0, float(given.get(tech, 0.0))) for tech in techs)
                if total > 0:
                    for tech in techs:
                        w[j, self.technologies.index(tech)] = (
                            max(0.0, float(given.get(tech, 0.0))) / total
                        )
                    continue
            w[j, self.technologies.index(techs[0])] = 1.0
        return w

    def intensity(self, level: str = "central", weights: np.ndarray | None = None) -> np.ndarray:
        """Direct requirements ``A[i, j]`` (input ``i`` per unit of output ``j``) at ``level``."""
        w = self.default_weights if weights is None else weights
        return np.einsum("tij,jt->ij", self.a_tech[level], w)

    @staticmethod
    def total_requirements(a: np.ndarray) -> np.ndarray:
        """``L = (I - A)^-1``: direct plus indirect requirements. ``a`` may be stacked (..., n, n)."""
        n = a.shape[-1]
        return np.linalg.inv(np.eye(n) - a)

    @property
    def l_central(self) -> np.ndarray:
        """Total requirements at central intensities and default technologies."""
        return self._l_central

    # -- structure ----------------------------------------------------------
    def inputs_of(self, stage: str) -> list[str]:
        """Stages that any technology of ``stage`` takes as direct input."""
        j = self.index[stage]
        a = sum(self.a_tech["central"][k] for k in range(len(self.technologies)))
        return [self.stages[i] for i in np.flatnonzero(a[:, j])]

    def is_upstream(self, stage: str, of: str) -> bool:
        """Whether ``of`` needs ``stage`` directly or indirectly, with any technology."""
        return stage != of and bool(self._reach[self.index[stage], self.index[of]])

    @cached_property
    def _reach(self) -> np.ndarray:
        """``reach[i, j]``: stage ``i`` is an input of ``j``, directly or indirectly.

        With ``B`` the 0/1 adjacency scaled small, ``(I - B)^-1 - I = B + B² + ...`` is
        positive exactly where a path exists (the recipe graph is acyclic).
        """
        b = (sum(self.a_tech["central"][k] for k in range(len(self.technologies))) > 0) * 1e-3
        n = len(self.stages)
        return (np.linalg.inv(np.eye(n) - b) - np.eye(n)) > 0

    def reference_product(self, stage: str) -> str | None:
        """The product used as ``stage``'s cell-equivalent yardstick, or ``None``.

        An energy-storage product is its own reference; another stage takes the first of
        :data:`REFERENCE_PRODUCTS` it feeds (LFP cells before sodium-ion cells, ...).
        Photovoltaic stages feed no storage product and have none: their yardstick is
        GW of wafers (:meth:`wafer_reference`).
        """
        if stage in REFERENCE_PRODUCTS:
            return stage
        for ref in REFERENCE_PRODUCTS:
            if ref in self.index and self.is_upstream(stage, ref):
                return ref
        return None

    # -- the common yardstick -----------------------------------------------
    def cell_equivalent(
        self,
        stage: str,
        value: float | np.ndarray,
        reference: str | None = None,
        level: str = "central",
    ) -> float | np.ndarray:
        """GWh of ``reference`` that ``value`` of ``stage`` (canonical unit) could supply.

        Parameters
        ----------
        stage
            Stage id.
        value
            Quantity of the stage in its canonical unit (e.g. m² of separator per year).
        reference
            Product to measure in; default :meth:`reference_product`. For a stage that feeds
            several chemistries, pass each to get the cell-equivalents per chemistry.
        level
            Intensity level of the recipes (``"low"``, ``"central"``, ``"high"``).

        Returns
        -------
        float or ndarray
            GWh of the reference product per year; NaN where the stage does not feed it.
        """
        ref = reference or self.reference_product(stage)
        req = self.requirement(stage, ref, level) if ref is not None else 0.0
        if req <= 0:
            return (
                np.full_like(np.asarray(value, dtype=float), np.nan)
                if np.ndim(value)
                else float("nan")
            )
        return value / req

    def requirement(self, stage: str, product: str, level: str = "central") -> float:
        """Total requirement of ``stage`` per unit of ``product`` (canonical units).

        Uses the product's default technology, or the first of its technologies that needs
        the stage (separator per GWh of cabinets goes through sodium-ion cells only if the
        cabinets are made with them). Zero if no technology of ``product`` needs ``stage``.
        Cached: the chain is immutable.
        """
        key = (stage, product, level)
        if key not in self._requirements:
            i, j = self.index[stage], self.index[product]
            candidates = [self.default_weights] + [
                self.weights({product: {t: 1.0}}) for t in self.variants.get(product, [])
            ]
            req = 0.0
            for w in candidates:
                req = float(self.total_requirements(self.intensity(level, w))[i, j])
                if req > 0:
                    break
            self._requirements[key] = max(req, 0.0)
        return self._requirements[key]

    def yardstick(self, stage: str) -> float:
        """Central total requirement of ``stage`` per GWh of its reference product.

        The divisor that turns the stage's quantity into cell-GWh-equivalent. NaN where the
        stage feeds no storage product (the photovoltaic chain).
        """
        ref = self.reference_product(stage)
        req = self.requirement(stage, ref) if ref is not None else 0.0
        return req if req > 0 else float("nan")

    def cell_equivalents(self, stage: str, value: float) -> dict[str, float]:
        """Cell-equivalents of ``value`` of ``stage`` for every storage product it feeds."""
        out = {}
        for ref in REFERENCE_PRODUCTS:
            if ref in self.index and (ref == stage or self.is_upstream(stage, ref)):
                out[ref] = float(self.cell_equivalent(stage, value, reference=ref))
        return out

    # -- the photovoltaic yardstick -----------------------------------------
    def wafer_reference(self, stage: str) -> str | None:
        """The product of ``stage``'s GW-of-wafers yardstick, or ``None``.

        Mono-silicon is its own reference; a stage that feeds it (polysilicon, C/C
        thermal-field parts, carbon fibre) takes it. A stage with a storage yardstick
        (:meth:`reference_product`) has none: one stage, one yardstick.

        Parameters
        ----------
        stage
            Stage id.

        Returns
        -------
        str or None
            ``"mono_silicon"`` for the photovoltaic chain, ``None`` for every other stage.
        """
        if self.reference_product(stage) is not None:
            return None
        for ref in PV_REFERENCE_PRODUCTS:
            if ref in self.index and (stage == ref or self.is_upstream(stage, ref)):
                return ref
        return None

    def wafer_yardstick(self, stage: str) -> float:
        """Central total requirement of ``stage`` per GW of its wafer reference.

        Parameters
        ----------
        stage
            Stage id.

        Returns
        -------
        float
            The divisor that turns the stage's quantity into GW-of-wafers-equivalent
            (2,200 t of polysilicon per GW of mono-silicon); NaN where the stage has no
            wafer reference.
        """
        ref = self.wafer_reference(stage)
        req = self.requirement(stage, ref) if ref is not None else 0.0
        return req if req > 0 else float("nan")

    def wafer_equivalent(
        self, stage: str, value: float | np.ndarray, level: str = "central"
    ) -> float | np.ndarray:
        """GW a year of mono-silicon (wafers) that ``value`` of ``stage`` could supply.

        Parameters
        ----------
        stage
            Stage id.
        value
            Quantity of the stage in its canonical unit per year (t of polysilicon, ...).
        level
            Intensity level of the recipes (``"low"``, ``"central"``, ``"high"``).

        Returns
        -------
        float or ndarray
            GW of wafers per year; NaN where the stage has no wafer reference.
        """
        ref = self.wafer_reference(stage)
        req = self.requirement(stage, ref, level) if ref is not None else 0.0
        if req <= 0:
            return (
                np.full_like(np.asarray(value, dtype=float), np.nan)
                if np.ndim(value)
                else float("nan")
            )
        return value / req
