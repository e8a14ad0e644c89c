"""Saving a what-if scenario: the typed title and note, the file name, the file's text.

:func:`check_text` checks a title or note typed on the page, :func:`file_stem` turns a
title into a file name, :func:`scenario_from_store` reads back the scenario the browser
holds, :func:`check_cost` refuses one that costs more to simulate than its base, and
:func:`save_scenario` writes the file (:func:`scenario_file_text`) atomically after it
reads back. Nothing here registers a callback, so it imports without an app.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from model.catalogue import t
from model.datafiles import atomic_write_bytes
from model.errors import DataError, Problem, raise_if
from model.park import Park
from model.scenario import NAME_RE, SHIPPED, Scenario, to_toml

#: scenarios saved from the web app that the folder may hold (shipped ones not counted)
MAX_SAVED = 50
#: largest scenario file the web app writes (TOML text, UTF-8)
MAX_FILE_BYTES = 64 * 1024
#: longest title and note a saved scenario takes (characters)
TITLE_MAX = 80
NOTE_MAX = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_text(value: Any, what: str, lang: str, *, required: bool) -> str:
    """A title (``what="title"``) or note (``"note"``) typed on the page, stripped.

    Raises ``ValueError`` with one sentence in ``lang``: empty (a title only), too long
    (:data:`TITLE_MAX`, :data:`NOTE_MAX`), control characters, or a leading ``=``, ``+``,
    ``-``, ``@`` that a spreadsheet would run as a formula.
    """
    text = value.strip() if isinstance(value, str) else ""
    limit = TITLE_MAX if what == "title" else NOTE_MAX
    label = t("wi_save_title_label" if what == "title" else "wi_save_note_label", lang)
    label = label.split("（")[0].split(" (")[0]
    if not text:
        if required:
            raise ValueError(t("wi_title_empty", lang))
        return ""
    if len(text) > limit:
        key = "wi_title_too_long" if what == "title" else "wi_note_too_long"
        raise ValueError(t(key, lang, n=limit))
    if any(not (ch.isprintable() or ch in "\n") for ch in text):
        raise ValueError(t("wi_text_control", lang, label=label))
    if text.startswith(_FORMULA_START):
        raise ValueError(t("wi_text_formula", lang, label=label))
    return text


def file_stem(title: str) -> str:
    """The file name (without ``.toml``) a scenario titled ``title`` is saved under.

    An ASCII slug of the title (lower case, words joined by ``-``, at most 40 characters);
    with a short hash of the whole title added when the title also holds other characters
    (Chinese), so that two Chinese titles never share a name; the hash alone (``wi-1a2b3c``)
    when the title has no ASCII letter or digit. Always a valid scenario name.
    """
    text = title.strip()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().encode("ascii", "ignore").decode())
    slug = slug.strip("-")[:40].strip("-")
    if not slug:
        return f"wi-{digest}"
    if any(ord(ch) > 127 for ch in text):
        return f"{slug}-{digest}"
    return slug


def titled(scenario: Scenario, title: str, note: str) -> Scenario:
    """``scenario`` with the typed title (as both its Chinese and English title) and note."""
    return scenario.with_changes(title_zh=title, title_en=title, rationale=note)


def check_name(name: Any, folder: Path, overwrite: bool, lang: str = "zh") -> str:
    """The scenario name to save under, stripped.

    Raise ``DataError`` if it is empty, not a plain name (path separators, dots, spaces), a
    shipped scenario or an existing file that ``overwrite`` does not allow to replace.
    """
    where = t("ui_save_name", lang)
    text = name.strip() if isinstance(name, str) else ""
    if not text:
        raise DataError([Problem(where, None, "name", name, t("ui_name_empty", lang))])
    if not NAME_RE.fullmatch(text):
        shown = text if len(text) <= 80 else text[:80] + "…"
        raise DataError([Problem(where, None, "name", shown, t("ui_name_invalid", lang))])
    # names differing only in case are one file on Windows and macOS
    if text.casefold() in {s.casefold() for s in SHIPPED}:
        raise DataError([Problem(where, None, "name", text, t("ui_name_shipped", lang))])
    if text.casefold() in _saved(folder) and not overwrite:
        raise DataError([Problem(where, None, "name", text, t("ui_name_exists", lang))])
    return text


def _saved(folder: Path) -> set[str]:
    """Case-folded names of the scenario files in ``folder`` that are not shipped."""
    shipped = {s.casefold() for s in SHIPPED}
    return {p.stem.casefold() for p in Path(folder).glob("*.toml")} - shipped


def check_cost(scenario: Scenario, base: Scenario, lang: str = "zh") -> None:
    """Refuse a scenario that costs more to simulate than its base (the page's limits).

    The what-if page changes levers only: its scenario has the base's draws and horizon
    and at most the base's added projects. A scenario sent to be saved that has more
    (a browser is not trusted) would make every later visitor's simulation heavier.

    Raises
    ------
    DataError
        The draws, the horizon or the added projects differ from what the page allows.
    """
    allowed_adds = [a.model_dump() for a in base.projects.add]
    if (
        scenario.draws != base.draws
        or scenario.horizon != base.horizon
        or any(a.model_dump() not in allowed_adds for a in scenario.projects.add)
    ):
        where = t("ui_save_name", lang)
        raise DataError([Problem(where, None, None, None, t("ui_save_not_from_page", lang))])


def scenario_from_store(data: str | None, lang: str) -> Scenario:
    """The what-if scenario the browser holds, validated again (the browser is not trusted).

    Parameters
    ----------
    data
        The JSON the page keeps in its ``wi-scenario`` store (``None`` before a first run).
    lang
        Language of the message when there is nothing to save.

    Returns
    -------
    Scenario
        The scenario, validated as a file would be; raises ``ValueError`` without data and
        a validation error for data that is not a scenario.
    """
    if not data:
        raise ValueError(t("ui_nothing_to_save", lang))
    return Scenario.from_dict(json.loads(data), source="what-if")


def scenario_file_text(scenario: Scenario) -> str:
    """The TOML file of ``scenario``: a comment line with its titles, then every key."""
    head = f"# {scenario.title_zh} {scenario.title_en}".rstrip()
    return f"{head}\n{to_toml(scenario)}"


def save_scenario(
    folder: Path,
    name: Any,
    scenario: Scenario,
    overwrite: bool = False,
    lang: str = "zh",
    park: Park | None = None,
    *,
    max_saved: int = MAX_SAVED,
    max_bytes: int = MAX_FILE_BYTES,
) -> Path:
    """Write ``scenario`` as ``<folder>/<name>.toml`` atomically.

    Uses :func:`model.datafiles.atomic_write_bytes`: temp file, fsync, rename; the usual
    file mode, or the replaced file's.

    The text is read back and validated before it replaces anything, so a file that
    would not load again is never written. A new file is refused once the folder holds
    ``max_saved`` scenarios that are not shipped; a text longer than ``max_bytes`` is
    refused always.

    Raises
    ------
    DataError
        Bad name (see :func:`check_name`), too many files, too long a text, or a scenario
        that does not survive the round trip.
    """
    folder = Path(folder)
    text_name = check_name(name, folder, overwrite, lang)
    where = t("ui_save_name", lang)
    if text_name.casefold() not in _saved(folder) and len(_saved(folder)) >= max_saved:
        raise DataError(
            [Problem(where, None, None, None, t("ui_save_too_many", lang, n=max_saved))]
        )
    named = scenario.with_changes(name=text_name)
    text = scenario_file_text(named)
    if len(text.encode("utf-8")) > max_bytes:
        kb = max_bytes // 1024
        raise DataError([Problem(where, None, None, None, t("ui_save_too_large", lang, kb=kb))])
    folder.mkdir(parents=True, exist_ok=True)
    # the text must read back to the same scenario before it counts
    again = Scenario.from_dict(
        {**tomllib.loads(text), "name": text_name}, source=f"{text_name}.toml"
    )
    if park is not None:
        raise_if(again.check_against(park))
    path = folder / f"{text_name}.toml"
    atomic_write_bytes(path, text.encode("utf-8"))
    return path
