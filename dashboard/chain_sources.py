"""Where the value-chain page's numbers come from: the hover notes of its stages.

A stage's local supply comes from its capacity record (source, as-of, recorded), its need
from the recipe lines that use it. The chain view's hovers
(:mod:`dashboard.chain_view`) and the investment cards (:mod:`dashboard.chain_cards`) both
name them.
"""

from __future__ import annotations

from dashboard.i18n import norm_lang
from model.catalogue import t
from model.park import Park
from model.target_brief import source_label


def record_note(park: Park, stage: str, lang: str) -> str:
    """Where a stage's local supply comes from: its capacity record's source, as-of, recorded."""
    lang = norm_lang(lang)
    record = park.capacity_as_of(park.latest_date()).get(stage) if park.capacity_records else None
    if record is None:
        return t("chain_no_record", lang)
    return t(
        "chain_record",
        lang,
        source=source_label(park, record.source, lang),
        as_of=record.valid_from.isoformat(),
        recorded=record.recorded.isoformat(),
    )


def recipe_note(park: Park, stage: str, lang: str) -> str:
    """Where a stage's need comes from: the sources of the recipe lines that use it."""
    ids = dict.fromkeys(
        rl.source or f"recipes.csv:{rl.line}" for rl in park.recipes if rl.input == stage
    )
    shown = ", ".join(source_label(park, i, lang) if i.startswith("recipes") else i for i in ids)
    return t("chain_recipe_source", lang, sources=shown or "–")
