"""The body of a callback request as the browser sends it to ``/_dash-update-component``.

The browser's side is dash-renderer; the body is built from an app's ``callback_map``.

Used by the benchmark and the tests to drive a callback over HTTP exactly as a page does,
for callbacks whose ids are plain strings (no pattern matching).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import Dash

UPDATE_PATH = "/_dash-update-component"
#: Inputs of the shell, and stores of the pages, that a page's callbacks read and a caller
#: may leave out (the value the browser sends before they are set).
SHELL_DEFAULTS: dict[str, Any] = {
    "known-as-of.data": None,
    # the router reads the kept language (a page is built in it); None: nothing kept yet
    "lang.data": None,
    # the what-if page's address (its query follows the levers) and its save note
    "wi-url.search": None,
    "wi-note.value": None,
}


def _split(output_key: str) -> list[dict[str, str]]:
    """``"..a.figure...b.children.."`` or ``"a.figure"`` -> [{"id", "property"}, ...]."""
    multi = output_key.startswith("..") and output_key.endswith("..")
    parts = output_key[2:-2].split("...") if multi else [output_key]
    out = []
    for part in parts:
        ident, _, prop = part.rpartition(".")
        out.append({"id": ident, "property": prop.split("@")[0]})
    return out


def find_callback(app: Dash, output: str) -> str:
    """The ``callback_map`` key of the callback that writes ``output`` (``"id.prop"``)."""
    for key in app.callback_map:
        if any(f"{o['id']}.{o['property']}" == output for o in _split(key)):
            return key
    msg = f"no callback writes {output}"
    raise KeyError(msg)


def update_body(
    app: Dash, output: str, values: Mapping[str, Any], changed: Sequence[str] = ()
) -> dict[str, Any]:
    """The JSON body of one callback request.

    Parameters
    ----------
    app
        The app whose callback is called.
    output
        Any one output of the callback, ``"id.property"``.
    values
        ``"id.property"`` -> value of every input and state of the callback.
    changed
        The ``"id.property"`` that triggered the call (``changedPropIds``).
        Inputs of the shell (:data:`SHELL_DEFAULTS`) left out get their default.
    """
    values = {**SHELL_DEFAULTS, **values}
    key = find_callback(app, output)
    spec = app.callback_map[key]
    outputs = _split(key)

    def with_values(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "id": i["id"],
                "property": i["property"],
                "value": values[f"{i['id']}.{i['property']}"],
            }
            for i in items
        ]

    return {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": with_values(spec["inputs"]),
        "changedPropIds": list(changed),
        "state": with_values(spec["state"]),
    }
