"""The app's shell: navbar, language switch, "as known on" date row, page container, stores.

The shell frames every page: the navigation bar (brand, a menu button that folds the page
links on narrow screens, the page links, the language switch), the "as known on" date row
(:mod:`dashboard.known_row`), the page container and the stores the pages share.

Its callbacks (:func:`shell_callbacks`) set the language, rewrite the static texts, mark
the link of the page shown and keep the "as known on" date; its browser-side callbacks
write the tab title in the page's language and ``<html lang>``, fold the menu, give the
parts Dash renders without an accessible name (slider handles, typed-value boxes) their
field's label, and relabel a page built in another language than the store's now (it
changed while the page was on its way; see :func:`dashboard.i18n.page_lang`). They are
registered with ``app.callback`` by :func:`dashboard.app.create_app`, per app.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash
from dash import ALL, Dash, Input, Output, State, callback_context, dcc, html, no_update

from dashboard.i18n import I18N, PAGE_LANG, Texts, norm_lang
from dashboard.i18n import retranslate as retranslate_texts
from dashboard.known_row import known_callbacks, known_row
from model.catalogue import LANGS, t

I18N_ID = {"type": I18N, "key": ALL, "n": ALL, "fmt": ALL}


def _navbar(tx: Texts) -> html.Nav:
    """The navigation bar: brand, a menu button (narrow screens), page links, language."""
    links = [
        dcc.Link(
            tx(page.get("title_key", page["name"])),
            href=page["relative_path"],
            id={"type": "navlink", "path": page["path"]},
            className="pc-navlink",
        )
        for page in _pages()
    ]
    return html.Nav(
        [
            tx.element(html.Span, "app_title", className="pc-brand"),
            html.Button(
                tx("ui_shell_menu"),
                id="nav-toggle",
                n_clicks=0,
                className="pc-menu",
                **{"aria-expanded": "false", "aria-controls": "nav-links"},
            ),
            html.Div(links, id="nav-links", className="pc-links"),
            html.Button(tx("ui_switch_lang"), id="lang-toggle", n_clicks=0, className="pc-lang"),
        ],
        id="nav",
        className="pc-nav",
    )


def _pages() -> list[dict[str, Any]]:
    """The registered pages in menu order."""
    return sorted(dash.page_registry.values(), key=lambda p: p.get("order", 99))


def shell() -> html.Div:
    """The page frame: location, stores, navbar, the "as known on" row and the page container."""
    tx = Texts("shell")
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="lang", storage_type="local"),
            # the "as known on" date (ISO string, or None: everything recorded); pages read
            # it and ask ``AppState.known_on`` for the park as known then
            dcc.Store(id="known-as-of", storage_type="session"),
            dcc.Store(id="known-url"),
            # what the browser-side callbacks need: tab titles and accessible-name words
            dcc.Store(id="shell-text", data=shell_text()),
            dcc.Store(id="shell-done"),
            _navbar(tx),
            known_row(tx),
            html.Main(dash.page_container, className="pc-main"),
            tx.element(html.Footer, "ui_footer", className="pc-footer"),
        ]
    )


def shell_text() -> dict[str, Any]:
    """The tab title of every page and the words of accessible names, in both languages.

    Returns
    -------
    dict
        ``titles``: page path -> language -> tab title (``"概览 · 西宁经开区产能模型"``);
        ``app``: language -> the app's title; ``words``: language -> ``lower``, ``upper``,
        ``typed`` (added to the names of a range slider's handles and typed boxes).
    """
    return {
        "titles": {
            page["path"]: {
                lang: t(
                    "ui_shell_tab_title",
                    lang,
                    page=t(page.get("title_key", page["name"]), lang),
                )
                for lang in LANGS
            }
            for page in _pages()
        },
        "app": {lang: t("app_title", lang) for lang in LANGS},
        "words": {
            lang: {
                "lower": t("ui_shell_lower", lang),
                "upper": t("ui_shell_upper", lang),
                "typed": t("ui_shell_typed", lang),
            }
            for lang in LANGS
        },
    }


#: the browser side of the shell: ``<html lang>``, the tab title in the page's language
#: (after Dash's own page-title callback, which writes the registry's title), accessible
#: names of the controls that Dash components render without one
_TITLE_JS = """function(pages, lang, pathname, text) {
    const l = (lang === 'en') ? 'en' : 'zh';
    document.documentElement.lang = (l === 'en') ? 'en' : 'zh-CN';
    if (!text) { return window.dash_clientside.no_update; }
    const path = (pathname || '/').replace(/\\/+$/, '') || '/';
    let title = text.app[l];
    Object.keys(text.titles).forEach(function(p) {
        const q = p.replace(/\\/+$/, '') || '/';
        if (path === q || (q !== '/' && path.endsWith(q))) { title = text.titles[p][l]; }
    });
    document.title = title;
    setTimeout(function() { document.title = title; }, 0);
    setTimeout(function() { document.title = title; }, 300);
    return title;
}"""

_NAMES_JS = """function(lang, text) {
    const l = (lang === 'en') ? 'en' : 'zh';
    window.pcNames = text ? text.words[l] : {lower: '', upper: '', typed: ''};
    if (window.pcNamer) { window.pcNamer(); return l; }
    let count = 0;
    let pending = false;
    function labelOf(el) {
        const box = el.closest('.pc-field');
        const label = box && box.querySelector('.pc-label');
        if (!label) { return null; }
        if (!label.id) { count += 1; label.id = 'pc-label-' + count; }
        return label;
    }
    function name() {
        pending = false;
        const words = window.pcNames;
        const picked = '[role=slider], .pc-field input:not([type=radio]):not([type=checkbox]):not([type=hidden]),' +
            ' .pc-field select, .pc-field textarea';
        document.querySelectorAll(picked).forEach(function(el) {
            const ours = el.dataset.pcNamed === '1';
            if (!ours && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby'))) {
                return;
            }
            if (!ours && el.labels && el.labels.length && el.labels[0].textContent.trim()) {
                return;
            }
            const label = labelOf(el);
            if (!label) { return; }
            let text = label.textContent.trim();
            const box = label.closest('.pc-field');
            // a field that is one cell of a row (a status's lever) names its row too
            const also = box.dataset.pcAlso && document.getElementById(box.dataset.pcAlso);
            if (also && also.textContent.trim()) { text = also.textContent.trim() + ' · ' + text; }
            const isSlider = el.getAttribute('role') === 'slider';
            const kin = Array.from(box.querySelectorAll(isSlider ? '[role=slider]' : 'input, select, textarea'))
                .filter(function(x) { return x.type !== 'radio' && x.type !== 'checkbox' && x.type !== 'hidden'; });
            const i = kin.indexOf(el);
            let extra = '';
            if (kin.length === 2) { extra = (i === 0) ? words.lower : words.upper; }
            else if (kin.length > 2) { extra = String(i + 1); }
            if (!isSlider && box.querySelector('[role=slider]')) {
                extra = words.typed + (extra ? ' ' + extra : '');
            }
            el.setAttribute('aria-label', extra ? text + ' (' + extra + ')' : text);
            el.dataset.pcNamed = '1';
        });
    }
    window.pcNamer = name;
    new MutationObserver(function() {
        if (!pending) { pending = true; window.requestAnimationFrame(name); }
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
    name();
    return l;
}"""

#: a page built in another language than the store's now (the store changed while the page
#: was on its way): the store is written again, so everything relabels as on a switch
_RELABEL_JS = """function(built, lang) {
    const l = (lang === 'en') ? 'en' : 'zh';
    return (built && built !== l) ? l : window.dash_clientside.no_update;
}"""

_MENU_JS = """function(clicks, pathname, current) {
    const ctx = window.dash_clientside.callback_context;
    const byLink = ctx.triggered.some(function(t) { return t.prop_id.indexOf('url.') === 0; });
    const open = !byLink && ctx.triggered.length > 0 && !(current || '').includes('open');
    return [open ? 'pc-nav open' : 'pc-nav', open ? 'true' : 'false'];
}"""


def shell_callbacks(app: Dash) -> None:
    """Register the shell's callbacks on ``app``.

    The language (toggle and ``?lang=``), the static texts in that language, the link of
    the page shown, then the "as known on" date (:func:`dashboard.known_row.known_callbacks`)
    and the browser-side ones (:func:`_browser_callbacks`). Registered with
    ``app.callback``, so every app made in a process has its own set.
    """

    @app.callback(
        Output("lang", "data"),
        Input("url", "search"),
        Input("lang-toggle", "n_clicks"),
        State("lang", "data"),
    )
    def set_lang(search: str | None, _clicks: int | None, current: str | None) -> str:
        """The language: the toggle flips it; ``?lang=en`` in the URL sets it; else kept."""
        if callback_context.triggered_id == "lang-toggle":
            return "en" if norm_lang(current) == "zh" else "zh"
        text = search if isinstance(search, str) else ""
        asked = parse_qs(text.lstrip("?")).get("lang", [None])[0]
        if asked in ("zh", "en"):
            return asked if asked != current else no_update
        return norm_lang(current) if current != norm_lang(current) else no_update

    @app.callback(
        Output(I18N_ID, "children"),
        Input("lang", "data"),
        State(I18N_ID, "id"),
        State(I18N_ID, "children"),
    )
    def retranslate(
        lang: str | None, ids: list[dict[str, str]], shown: list[Any] | None = None
    ) -> list[str]:
        """Rewrite every static text of the page in the chosen language (if any changes)."""
        return retranslate_texts(ids, lang, shown)

    @app.callback(
        Output({"type": "navlink", "path": ALL}, "className"),
        Input("url", "pathname"),
        State({"type": "navlink", "path": ALL}, "id"),
    )
    def highlight(pathname: str | None, ids: list[dict[str, str]]) -> list[str]:
        """Mark the link of the page shown."""
        path = app.strip_relative_path(pathname or "/") or ""
        return [
            "pc-navlink active" if (i["path"].strip("/") == path.strip("/")) else "pc-navlink"
            for i in ids
        ]

    known_callbacks(app)
    _browser_callbacks(app)


def _browser_callbacks(app: Dash) -> None:
    """The shell's browser-side callbacks: tab title and names, relabel, menu."""
    # the tab title and the accessible names in one browser-side callback: each callback a
    # page opens with costs the browser an update of the whole page
    app.clientside_callback(
        f"""function(pages, lang, pathname, text) {{
            ({_NAMES_JS})(lang, text);
            return ({_TITLE_JS})(pages, lang, pathname, text);
        }}""",
        Output("shell-done", "data"),
        Input("_pages_store", "data"),
        Input("lang", "data"),
        Input("url", "pathname"),
        State("shell-text", "data"),
    )
    app.clientside_callback(
        _RELABEL_JS,
        Output("lang", "data", allow_duplicate=True),
        Input(PAGE_LANG, "data"),
        State("lang", "data"),
        prevent_initial_call="initial_duplicate",
    )
    app.clientside_callback(
        _MENU_JS,
        Output("nav", "className"),
        Output("nav-toggle", "aria-expanded"),
        Input("nav-toggle", "n_clicks"),
        Input("url", "pathname"),
        State("nav", "className"),
    )
