"""Bilingual text in layouts: every static text is a span that one callback re-translates.

Layouts never hold Chinese or English strings themselves: they call :class:`Texts`, which
looks the key up in :mod:`model.catalogue` and gives the span a pattern-matching id
``{"type": "i18n", "key": ..., "n": ..., "fmt": ...}``. When the language store changes,
the shell's callback (``dashboard.shell``) rewrites all of them at once, so controls keep
their values when the language is switched.

A page's layout is built in the language of its link or the browser's (:func:`page_lang`),
so the callbacks that relabel what the data names (options, messages) run on a switch
only, not when a page opens.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from model.catalogue import LANGS, t
from model.units import Q_, format_quantity

I18N = "i18n"
DEFAULT_LANG = "zh"
#: the store in which a page's layout says which language it was built in
PAGE_LANG = "page-lang"


def norm_lang(value: Any) -> str:
    """``"zh"`` or ``"en"``; anything else (None, a typo in the URL) gives Chinese."""
    return value if value in LANGS else DEFAULT_LANG


class Texts:
    """Factory of translatable spans for one page.

    Parameters
    ----------
    page
        Short page id; makes the span ids unique across the app.
    lang
        Language of the first rendering (the callback corrects it if the store differs).
    """

    def __init__(self, page: str, lang: str | None = None) -> None:
        self.page = page
        self.lang = norm_lang(lang)
        self._n = 0

    def __call__(self, key: str, **fmt: str | int | float) -> html.Span:
        """A span showing catalogue text ``key`` (formatted with ``fmt``)."""
        return html.Span(t(key, self.lang, **fmt), id=self._ident(key, fmt))

    def element(self, tag: Callable[..., Component], key: str, **props: Any) -> Component:
        """``tag`` (``html.H2``, ``html.P``, ...) holding catalogue text ``key`` itself.

        Re-translated as a span is (it has the span's id), but one component instead of
        two: every component costs the browser time at each update of the page. For
        elements with no id of their own.
        """
        return tag(t(key, self.lang), id=self._ident(key, {}), **props)

    def _ident(self, key: str, fmt: dict[str, Any]) -> dict[str, str]:
        """The pattern-matching id the shell's callback re-translates (unique per page)."""
        self._n += 1
        return {
            "type": I18N,
            "key": key,
            "n": f"{self.page}-{self._n}",
            "fmt": json.dumps(fmt, ensure_ascii=False, sort_keys=True),
        }

    def text(self, key: str, **fmt: object) -> str:
        """The plain string (for attributes that a span cannot fill, e.g. placeholders)."""
        return t(key, self.lang, **fmt)


def page_lang(asked: Any, stored: Any) -> str:
    """The language a page's layout is built in: the link's ``?lang=``, else the browser's.

    ``stored`` is the ``lang`` store's value when the page was asked for (Dash passes it to
    every layout as ``stored_lang``, see :func:`dashboard.app.create_app`). A page built
    so reads right at once, and its relabelling callbacks need not run when it opens:
    they run on a switch of language only (``prevent_initial_call``). Should the store
    change while the page is on its way, :data:`PAGE_LANG` makes the shell relabel it.
    """
    return asked if asked in LANGS else norm_lang(stored)


def page_lang_store(lang: str) -> dcc.Store:
    """The store :data:`PAGE_LANG` that every page's layout holds: the language it is in."""
    return dcc.Store(id=PAGE_LANG, data=lang)


def retranslate(ids: list[dict[str, str]], lang: Any, shown: list[Any] | None) -> list[str]:
    """Every i18n span's text in ``lang``; ``PreventUpdate`` if they all read so already.

    The shell's callback body: texts that read so already need no answer (the browser
    would update the whole page for nothing).
    """
    texts = translate(ids, norm_lang(lang))
    if shown is not None and list(shown) == texts:
        raise PreventUpdate
    return texts


def translate(ids: list[dict[str, str]], lang: str) -> list[str]:
    """The text of every i18n span id in ``lang`` (the shell callback's body)."""
    lang = norm_lang(lang)
    out = []
    for ident in ids:
        fmt = json.loads(ident.get("fmt") or "{}")
        out.append(t(ident["key"], lang, **fmt))
    return out


def quantity(
    value: float | None, unit: str, lang: str, digits: int = 3, per_year: bool = True
) -> str:
    """A value in ``unit`` written for a reader, with its unit: ``"18.3万吨/年"``, ``"183,000 t/a"``.

    Parameters
    ----------
    value
        Magnitude in ``unit``; ``None`` or NaN gives ``"–"``.
    unit
        A unit pint understands (a stage's canonical unit: ``"t"``, ``"m**2"``, ``"GWh"``).
    lang
        ``"zh"`` (万/亿 and Chinese unit names) or ``"en"``.
    digits
        Significant digits shown.
    per_year
        Append the per-year suffix (capacities and flows are annual rates).
    """
    if value is None or value != value:  # None or NaN
        return "–"
    lang = norm_lang(lang)
    text = format_quantity(Q_(float(value), unit), lang, digits=digits)
    return text + (t("ui_per_year_suffix", lang) if per_year else "")


def number(value: float | None, digits: int = 3) -> str:
    """A plain number with ``digits`` significant digits and thousands separators."""
    if value is None or value != value:
        return "–"
    v = float(f"{float(value):.{digits}g}")
    return f"{v:,.0f}" if abs(v) >= 10 ** (digits - 1) else f"{v:,.{digits}g}"
