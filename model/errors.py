"""Problems found in input, collected so that a user sees all of them in one run.

A :class:`Problem` names the file, the row (line number as an editor shows it) or key
path, the field, the offending value and what was expected. Loaders append problems to a
list instead of raising at the first one, then raise one :class:`DataError` carrying
them all; the CLI prints them and exits with status 2.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from model.catalogue import TEXT, t

#: longest value shown in a message (longer ones end in "…")
MAX_SHOWN = 80
#: how deep a phrase inside a phrase is translated (``not valid TOML: Unclosed array (at …)``)
MAX_NESTING = 3
#: the index of a list item in a key path: ``add[0]``
_INDEX = re.compile(r"\[(\d+)\]")
#: choices as Python and pydantic list them: ``'a', 'b' or 'c'``
_QUOTED_CHOICES = re.compile(r"'[^']*'(?:, '[^']*')*(?:,? (?:or|and) '[^']*')?")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value of one input.

    Attributes
    ----------
    file
        The file (or object, e.g. ``"scenario 'baseline'"``) the value came from.
    row
        Line number in a CSV file (the header is line 1), or ``None``.
    field
        Column name or dotted key path (``"utilisation.lfp_cell"``), or ``None``.
    value
        The offending value as read.
    expected
        What was expected instead, phrased as the fix.
    """

    file: str
    row: int | None
    field: str | None
    value: Any
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field is not None:
            where += f", field '{self.field}'"
        shown = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{shown}: {self.expected}"

    def message(self, lang: str = "zh") -> str:
        """The problem as one sentence in ``lang`` (``"zh"`` or ``"en"``), for people.

        The row and field labels come from the catalogue (:mod:`model.catalogue.messages`),
        the field's name too where it is one people meet (a data file's column, a scenario
        key); the value is written plainly (lists and tables as text, not Python); the
        expectation is translated when it is one of the validators' own phrases, else
        shown as written. ``str(problem)`` stays the developer's form (logs, tests).

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"``; anything else gives Chinese.

        Returns
        -------
        str
            E.g. ``"projects.csv，第 5 行，“环节”，填写的是“lfp_x”：未知的环节编号"``.
        """
        lang = lang if lang in ("zh", "en") else "zh"
        parts = [translate_phrase(self.file, lang, "msg_f_")] if self.file else []
        if self.row is not None:
            parts.append(t("msg_row", lang, row=self.row))
        if self.field is not None:
            parts.append(t("msg_field", lang, field=field_label(self.field, lang)))
        where = t("msg_join", lang).join(parts)
        if self.value is not None:
            shown = plain_value(self.value, lang)
            value = t("msg_value", lang, value=shown) if shown else t("msg_value_empty", lang)
            where = t("msg_value_join", lang).join([where, value]) if where else value
        expected = translate_phrase(self.expected, lang)
        if not where:
            return expected
        return t("msg_sentence", lang, where=where, expected=expected)


class DataError(ValueError):
    """Input failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input:\n{lines}")


def raise_if(problems: list[Problem]) -> None:
    """Raise :class:`DataError` if ``problems`` is not empty."""
    if problems:
        raise DataError(problems)


def field_label(path: str, lang: str) -> str:
    """A field's name as people read it: ``"demand.growth"`` gives ``"需求年增长率"``.

    In English the path is shown as written (it is what the file or the command line
    holds). In Chinese, a path the catalogue names (``field_name_<path>``) gives its name;
    otherwise the longest leading part the catalogue names is translated and the rest (ids
    of stages and projects, a mistyped key) follows it after ``" · "``.

    Parameters
    ----------
    path
        A column name or a dotted key path (``"projects.start.p-017"``).
    lang
        ``"zh"`` or ``"en"``.
    """
    if lang == "en":
        return path  # what the file or the command line holds, as the reader typed it
    if f"field_name_{path}" in TEXT:
        return t(f"field_name_{path}", lang)
    # an item of a list, ``projects.add[0]`` or pydantic's ``projects.add.0``: its own segment
    parts = _INDEX.sub(r".\1", path).split(".")
    for n in range(len(parts) - 1, 0, -1):
        key = "field_name_" + ".".join(parts[:n])
        if key in TEXT:
            rest = [_segment(p, lang) for p in parts[n:]]
            return " · ".join([t(key, lang), *rest])
    return " · ".join(_segment(p, lang) for p in parts) if len(parts) > 1 else path


def _segment(part: str, lang: str) -> str:
    """One segment of a key path: a field's name, an item's place (counted from 1) or as is."""
    if part.isdigit():
        return t("msg_item", lang, n=int(part) + 1)
    key = f"field_name_{part}"
    return t(key, lang) if key in TEXT else part


def plain_value(value: Any, lang: str) -> str:
    """A value as text a reader understands: no quotes, brackets or braces of Python.

    Lists are joined (``"0.2、0.9"``), tables written ``key = value``, booleans as 是/否
    (true/false), whole floats without ``.0``; longer than :data:`MAX_SHOWN` characters
    ends in ``"…"``.

    Parameters
    ----------
    value
        The value as read.
    lang
        ``"zh"`` or ``"en"``.
    """
    join = t("msg_list_join", lang)
    if isinstance(value, bool):
        text = t("msg_yes" if value else "msg_no", lang)
    elif isinstance(value, float):
        text = f"{value:g}" if math.isfinite(value) else str(value)
    elif isinstance(value, Mapping):
        text = join.join(f"{k} = {plain_value(v, lang)}" for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        text = join.join(plain_value(v, lang) for v in value)
    else:
        text = str(value)
    text = text.strip()
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


@cache
def _templates(prefix: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The catalogue's English phrases under ``prefix`` as patterns, most fixed text first."""
    found = []
    for key, entry in TEXT.items():
        if not key.startswith(prefix):
            continue
        pieces = re.split(r"\{(\w+)\}", entry["en"])
        # the fixed text as printed: ``{{`` and ``}}`` stand for braces (as in str.format)
        pieces[::2] = [p.replace("{{", "{").replace("}}", "}") for p in pieces[::2]]
        pattern = "".join(
            re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(pieces)
        )
        fixed = sum(len(p) for p in pieces[::2])
        found.append((fixed, re.compile(pattern + r"\Z", re.DOTALL), key))
    # the most specific first: the phrase with the most fixed text
    found.sort(key=lambda item: -item[0])
    return tuple((pattern, key) for _, pattern, key in found)


def translate_phrase(text: str, lang: str, prefix: str = "msg_x_", depth: int = 0) -> str:
    """``text`` in ``lang`` if it is one of the catalogue's phrases, else unchanged.

    The phrases are the ``en`` entries under ``prefix`` (``msg_x_`` for the validators'
    expectations, ``msg_f_`` for the objects problems name), with ``{name}`` standing for
    any text; the values found there are carried into the translation, without the
    quotes Python put around them (choices such as ``'a', 'b' or 'c'`` become a list in
    ``lang``), and a value that is itself a phrase (a parser's message inside ours) is
    translated too, up to :data:`MAX_NESTING` deep.

    Parameters
    ----------
    text
        The English phrase as the code wrote it.
    lang
        ``"zh"`` or ``"en"``.
    prefix
        Which catalogue entries to match.
    depth
        How deep inside another phrase ``text`` is (callers leave it at 0).
    """
    if lang == "en" or not isinstance(text, str):
        return text
    for pattern, key in _templates(prefix):
        found = pattern.match(text)
        if found:
            values = {k: _captured(v, lang, prefix, depth) for k, v in found.groupdict().items()}
            try:
                return t(key, lang, **values)
            except (KeyError, IndexError, ValueError):  # a zh text naming another value
                return text
    return text


def _captured(value: str, lang: str, prefix: str, depth: int) -> str:
    """A value found in a phrase, as the translation shows it (see :func:`translate_phrase`)."""
    if _QUOTED_CHOICES.fullmatch(value) and value.count("'") > 2:
        items = re.findall(r"'([^']*)'", value)
        *head, last = items
        return t("msg_choices", lang, items=t("msg_list_join", lang).join(head), last=last)
    quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "'\""
    plain = value[1:-1] if quoted and value[0] not in value[1:-1] else value
    if depth < MAX_NESTING:
        return translate_phrase(plain, lang, prefix, depth + 1)
    return plain
