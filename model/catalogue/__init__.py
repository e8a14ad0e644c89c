"""The one catalogue of Chinese and English text used by the CLI, exports and dashboard.

Names of stages, statuses and projects come from ``data/`` (each row has ``name_zh`` and
``name_en``); everything else a user reads is here, keyed by a short id. The entries live
in one module per area (:data:`AREAS`), each a ``TEXT`` dict; a key belongs to one area
only (a clash is an error at import).
"""

from __future__ import annotations

import importlib

LANGS = ("zh", "en")
#: the modules of this package that hold entries, in lookup order
AREAS = (
    "common",
    "messages",
    "cli",
    "dashboard",
    "overview",
    "chain_page",
    "scenarios_page",
    "whatif_page",
    "sensitivity",
    "sensitivity_page",
    "runs",
    "briefing",
)


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for area in AREAS:
        entries = importlib.import_module(f"{__name__}.{area}").TEXT
        clash = sorted(set(merged) & set(entries))
        if clash:
            msg = f"catalogue keys in more than one area ({area}): {', '.join(clash)}"
            raise ValueError(msg)
        merged.update(entries)
    return merged


TEXT: dict[str, dict[str, str]] = _merge()


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The text ``key`` in ``lang``, formatted with ``fmt``; the key itself if unknown."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**fmt) if fmt else text
