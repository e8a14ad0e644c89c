"""A page opened in the chosen language gets no translation answers: the callbacks that
re-label its texts and data-made options say nothing (HTTP 204) on the page's first call
when the layout already reads so, and answer on a switch or when the languages differ."""

from __future__ import annotations

import pytest
from dash import Dash
from dash.exceptions import PreventUpdate

from dashboard.i18n import Texts, already_in, retranslate, translate
from dashboard.protocol import UPDATE_PATH, update_body


def test_already_in_is_false_outside_a_callback_and_for_another_language() -> None:
    assert not already_in("zh", "zh")  # no callback: a direct call always answers
    assert not already_in("en", "zh")
    assert not already_in("zh", None)


def test_texts_already_in_the_language_get_no_answer() -> None:
    spans = [Texts("x", "zh")("ui_growth"), Texts("x", "zh")("p_short")]
    ids = [s.id for s in spans]
    shown = [s.children for s in spans]
    with pytest.raises(PreventUpdate):
        retranslate(ids, "zh", shown)
    english = retranslate(ids, "en", shown)
    assert english == translate(ids, "en")
    assert english != shown
    assert retranslate(ids, "zh", None) == shown  # nothing known of the page: answered


@pytest.mark.parametrize(
    ("output", "values"),
    [
        ("wi-projects.options", {"wi-base.value": "baseline", "wi-lang-shown.data": "zh"}),
        ("chain-basis.options", {"chain-lang-shown.data": "zh"}),
        ("scen-stage.options", {"scen-lang-shown.data": "zh"}),
    ],
)
def test_a_page_opened_in_the_language_gets_no_relabelling(
    app: Dash, output: str, values: dict[str, str]
) -> None:
    client = app.server.test_client()

    def call(lang: str, changed: list[str]) -> tuple[int, str]:
        body = update_body(app, output, {**values, "lang.data": lang}, changed)
        resp = client.post(UPDATE_PATH, json=body)
        return resp.status_code, resp.get_data(as_text=True)

    status, _ = call("zh", [])  # the page's first call, layout in Chinese
    assert status == 204
    status, text = call("en", [])  # the store says English: relabelled
    assert status == 200
    assert "response" in text
    status, _ = call("zh", ["lang.data"])  # a switch back to Chinese: relabelled too
    assert status == 200
