"""The overview page's one-sentence finding: the main storage product and its inputs.

The sentence says how much of the product each short input covers, in a planner's words
(约三分之一 / about a third, :func:`fraction_words`), and lists the inputs the park lacks.
Pure builders, from the capacity stocks (:func:`model.tracking.stock_table`) and a gap table
(:func:`model.gaps.gap_table`, nameplate basis); no Dash, no state.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.i18n import norm_lang, quantity
from dashboard.overview_view import Row, short_name, stage_order
from model.catalogue import t
from model.gaps import PRODUCTS
from model.park import Park

_ZH_DIGITS = "零一两三四五六七八九"


def fraction_words(share: float, lang: str) -> str:
    """A share of 0..1 as a planner says it: 约三分之一 / about a third, 约九成 / about 90 %."""
    lang = norm_lang(lang)
    if share < 0.1:
        return t("ov_frac_almost_none", lang)
    if share >= 0.95:
        return t("ov_frac_almost_all", lang)
    for value, key in (
        (1 / 4, "quarter"),
        (1 / 3, "third"),
        (1 / 2, "half"),
        (2 / 3, "two_thirds"),
        (3 / 4, "three_quarters"),
    ):
        if abs(share - value) <= 0.03:
            return t(f"ov_frac_{key}", lang)
    tenths = min(max(round(share * 10), 1), 9)
    # Chinese counts tenths (约九成), English per cent (about 90 %)
    shown = _ZH_DIGITS[tenths] if lang == "zh" else str(tenths * 10)
    return t("ov_frac_tenths", lang, tenths=shown)


def _listing(names: Sequence[str], lang: str) -> str:
    if len(names) < 2:
        return "".join(names)
    return t("ov_list_sep", lang).join(names[:-1]) + t("ov_list_and", lang) + names[-1]


def main_product(stocks: Sequence[Row]) -> Row | None:
    """The storage product with the most recorded capacity (GWh/a), or ``None``."""
    rows = [
        r
        for r in stocks
        if r["stage"] in PRODUCTS and r["presence"] == "recorded" and float(r["value"]) > 0
    ]
    return max(rows, key=lambda r: float(r["value"]), default=None)


def finding(park: Park, stocks: Sequence[Row], table: Sequence[Row], lang: str) -> str:
    """One sentence on the park's main storage product and its direct inputs, from the data.

    For example 园区现有动力及储能电池产能37.5吉瓦时/年；隔膜可满足其约三分之一，…，
    负极材料、电解液、铝箔尚属空白。 Inputs that fall short say how much of the product they
    cover (their supply in cell-GWh-eq over the product's capacity); inputs the park lacks
    are listed as missing; inputs the park makes enough of are not named.

    Parameters
    ----------
    park
        The park (stage names, the chain's recipes).
    stocks
        :func:`model.tracking.stock_table` on the data's date: the product's capacity
        (GWh/a) is its recorded nameplate.
    table
        :func:`model.gaps.gap_table` (nameplate basis): each input's status and its supply
        in cell-GWh-eq.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The sentence, ending with 。 or a full stop.
    """
    lang = norm_lang(lang)
    product = main_product(stocks)
    if product is None:
        return t("ov_finding_none", lang)
    pid = str(product["stage"])
    cells = float(product["value"])
    rows = {str(r["stage"]): r for r in table}
    inputs = [s for s in stage_order(park) if s in park.chain.inputs_of(pid) and s in rows]
    covers: list[str] = []
    missing: list[str] = []
    unreported: list[str] = []
    for sid in inputs:
        r = rows[sid]
        name = short_name(park.stages[sid].name(lang), lang)
        if r["status"] == "missing":
            missing.append(name)
        elif r["status"] == "unreported":
            unreported.append(name)
        elif r["supply_cell_gwh_eq"] is not None and r["supply_cell_gwh_eq"] < 0.95 * cells:
            share = float(r["supply_cell_gwh_eq"]) / cells
            key = "ov_cover_next" if covers else "ov_cover_first"
            covers.append(t(key, lang, name=name, fraction=fraction_words(share, lang)))
    clauses = list(covers)
    for names, key in ((missing, "ov_missing"), (unreported, "ov_unreported")):
        if names:
            number = "many" if len(names) > 1 else "one"
            clauses.append(t(f"{key}_{number}", lang, names=_listing(names, lang)))
    if not clauses:
        clauses.append(t("ov_all_local", lang))
    rest = clauses[0]
    for k, clause in enumerate(clauses[1:], start=1):
        last = k == len(clauses) - 1
        rest += t("ov_clause_and" if last else "ov_clause_sep", lang) + clause
    return t(
        "ov_finding",
        lang,
        product=short_name(park.stages[pid].name(lang), lang),
        capacity=quantity(cells, str(product["unit"]), lang),
        rest=rest,
    )
