"""The one zh/en catalogue: every entry in both languages, placeholders alike."""

from __future__ import annotations

import re

from model.catalogue import LANGS, TEXT, t


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    for key, entry in TEXT.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key
        zh, en = (set(re.findall(r"{(\w+)}", entry[lang])) for lang in LANGS)
        assert zh == en, key


def test_lookup_and_formatting() -> None:
    assert t("stocks_title", "zh", date="2024-06-30") == "产能存量（截至 2024-06-30）"
    assert t("stocks_title", "en", date="2024-06-30") == "Capacity stocks as of 2024-06-30"
    assert t("no-such-key", "zh") == "no-such-key"
