"""The value-chain page's builders (dashboard/chain_view.py, chain_heatmap.py, chain_cards.py)
and its callbacks."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import dash
import numpy as np
import plotly.graph_objects as go
import pytest
import xarray as xr
from dash import Dash

from dashboard import chain_cards, chain_content, chain_heatmap, chain_view
from dashboard.figures import STATUS_COLOURS
from dashboard.guards import Rejected
from dashboard.state import AppState
from model.gaps import chain_flows, gap_table, investment_targets
from model.park import Park
from model.scenario import load_scenario
from model.simulate import simulate

QUARTER = "2030Q4"


@pytest.fixture(scope="module")
def baseline_ds(park: Park) -> xr.Dataset:
    """200 draws of the baseline."""
    return simulate(park, load_scenario("baseline", park=park), draws=200)


@pytest.fixture(scope="module")
def chain_inputs(park: Park, baseline_ds: xr.Dataset) -> tuple[list[dict], list[dict]]:
    """Gap table and flows of the baseline's last quarter on the nameplate basis."""
    scenario = load_scenario("baseline", park=park)
    table = gap_table(park, baseline_ds, QUARTER, scenario=scenario, lang="en")
    return table, chain_flows(park, baseline_ds, QUARTER, "nameplate", scenario)


def _texts(component: Any) -> str:
    return json.dumps(component, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


# ---------------------------------------------------------------------------
# tiers and the graph
# ---------------------------------------------------------------------------
def test_tiers_follow_the_recipe_graph(park: Park) -> None:
    tiers = chain_view.tiers(park)
    assert tiers["lithium_carbonate"] == 0
    assert tiers["lipf6"] == 0
    assert tiers["lfp_cathode"] == 1
    assert tiers["separator"] == 1
    assert tiers["lfp_cell"] == 2
    assert tiers["vrfb_system"] == 2
    for equipment in ("pcs", "ems", "thermal_management"):
        assert tiers[equipment] == 2  # beside the cells, feeding the cabinet
    assert tiers["storage_cabinet"] == 3
    assert "polysilicon" not in tiers  # the photovoltaic chain has no cell yardstick


def test_every_node_balances_its_links(park: Park, chain_inputs: tuple) -> None:
    table, flows = chain_inputs
    nodes, links = chain_view.chain_graph(park, table, flows, "en", small_share=0.0)
    rows = {r["stage"]: r for r in table}
    assert not any(n.id.startswith("other-") for n in nodes)
    for n in nodes:
        out = [ln for ln in links if ln.source == n.id]
        if not out:
            continue
        # the node's need is what its links carry (nameplate basis: exactly)
        assert sum(ln.value for ln in out) == pytest.approx(n.need, rel=1e-9)
        assert n.need == pytest.approx(rows[n.id]["demand_cell_gwh_eq"], rel=1e-9)
        # nothing flows out locally beyond what the node holds: the rest is marked missing
        assert sum(ln.local for ln in out) <= n.supply + 1e-9
        for ln in out:
            assert ln.local + ln.missing == pytest.approx(ln.value)
            assert ln.local == pytest.approx(ln.value * min(1.0, n.supply / n.need))
    by_key = {(ln.source, ln.target): ln for ln in links}
    # the separator: 1.5亿 m² against ~3.8 cell-GWh-eq per 1,000万 m²: a third local
    sep = by_key[("separator", "lfp_cell")]
    assert 0.2 < sep.local / sep.value < 0.5
    assert by_key[("lfp_cathode", "lfp_cell")].missing == 0  # 18.3万 t: a surplus
    assert by_key[("anode_graphite", "lfp_cell")].local == 0  # missing in the park


def test_cabinet_equipment_links_to_the_cabinet_not_through_the_cell(
    park: Park, chain_inputs: tuple
) -> None:
    table, flows = chain_inputs
    _nodes, links = chain_view.chain_graph(park, table, flows, "en")
    for equipment in ("pcs", "ems", "thermal_management"):
        targets = {ln.target for ln in links if ln.source == equipment}
        assert targets == {"storage_cabinet"}
    assert not any(ln.target == "lfp_cell" and ln.source == "pcs" for ln in links)


def test_small_stages_are_grouped_and_a_larger_share_groups_more(
    park: Park, chain_inputs: tuple
) -> None:
    table, flows = chain_inputs
    counts = []
    for share in (0.0, 0.05, 0.5):
        nodes, links = chain_view.chain_graph(park, table, flows, "zh", small_share=share)
        counts.append(len(nodes))
        ids = {n.id for n in nodes}
        assert all(ln.source in ids and ln.target in ids for ln in links)
    assert counts[0] > counts[1] > counts[2]
    nodes, links = chain_view.chain_graph(park, table, flows, "zh")
    group = next(n for n in nodes if n.id == "other-1")
    assert "na_cathode" in group.members
    assert group.name == f"其他投入（{len(group.members)} 项）"
    assert group.status == "missing"  # the worst of its members
    # a grouped link carries the largest member link, not their sum (inputs complement)
    member_links = [f["value"] for f in flows if f["source"] in group.members]
    grouped = [ln.value for ln in links if ln.source == "other-1"]
    assert max(grouped) == pytest.approx(max(member_links))


def test_more_local_supply_moves_the_link_to_local(park: Park, chain_inputs: tuple) -> None:
    table, flows = chain_inputs

    def separator_local(supply_eq: float) -> float:
        rows = [
            {**r, "supply_cell_gwh_eq": supply_eq} if r["stage"] == "separator" else r
            for r in table
        ]
        _nodes, links = chain_view.chain_graph(park, rows, flows, "en", small_share=0.0)
        return next(ln.local for ln in links if (ln.source, ln.target) == ("separator", "lfp_cell"))

    need = next(r["demand_cell_gwh_eq"] for r in table if r["stage"] == "separator")
    value = next(
        f["value"] for f in flows if (f["source"], f["target"]) == ("separator", "lfp_cell")
    )
    assert separator_local(10.0) < separator_local(20.0)
    assert separator_local(20.0) == pytest.approx(value * 20.0 / need)
    assert separator_local(2 * need) == pytest.approx(value)  # all local, nothing beyond


# ---------------------------------------------------------------------------
# the figures
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chain_figure_colours_nodes_and_names_the_legend(
    park: Park, chain_inputs: tuple, lang: str
) -> None:
    table, flows = chain_inputs
    nodes, links = chain_view.chain_graph(park, table, flows, lang)
    notes = {"separator": "Source: xnetdz-2024-06"}
    fig = go.Figure(chain_view.chain_figure(park, nodes, links, lang, node_notes=notes))
    stages = next(tr for tr in fig.data if tr.name == "stages")
    assert list(stages.marker.color) == [STATUS_COLOURS[n.status] for n in nodes]
    legend = {tr.name: tr for tr in fig.data if tr.showlegend is not False}
    from model.catalogue import t

    for status in chain_view.LEGEND_STATUSES:
        entry = legend[t("status_" + status, lang)]
        assert entry.marker.color == STATUS_COLOURS[status]  # the gap bars' colours
    assert t("chain_local", lang) in legend
    assert t("chain_missing", lang) in legend
    labels = " ".join(stages.text)
    assert "e+" not in labels
    assert ("吉瓦时/年" in labels) if lang == "zh" else ("GWh/a" in labels)
    assert any("xnetdz-2024-06" in h for h in stages.hovertext)
    headings = [a.text for a in fig.layout.annotations]
    assert len(headings) == 4
    # links: one hover per link, naming both ends
    hover = next(tr for tr in fig.data if tr.name == "links")
    assert len(hover.hovertext) == len(links)
    fig = go.Figure(chain_view.chain_figure(park, nodes, links, lang, model_note="MODEL-RUN"))
    hover = next(tr for tr in fig.data if tr.name == "links")
    assert all("MODEL-RUN" in h for h in hover.hovertext)
    separator = next(
        h for h, ln in zip(hover.hovertext, links, strict=True) if ln.source == "separator"
    )
    assert "ref-A3" in separator  # the recipe line's source


def test_link_widths_grow_with_the_need(park: Park, chain_inputs: tuple) -> None:
    table, flows = chain_inputs
    nodes, links = chain_view.chain_graph(park, table, flows, "en")
    fig = go.Figure(chain_view.chain_figure(park, nodes, links, "en"))
    lines = [tr for tr in fig.data if tr.mode == "lines" and tr.x[0] is not None]
    widths = sorted({round(tr.line.width, 6) for tr in lines})
    assert widths[0] >= 1.2
    assert widths[-1] == pytest.approx(1.2 + 9.0)  # the largest link
    assert len(widths) > 2


def test_heatmap_collapses_stages_never_short() -> None:
    p = np.array([[0.0, 0.0, 0.0], [0.1, 0.5, 1.0], [0.0, 0.2, 0.0]])
    fig, never = chain_heatmap.shortfall_heatmap(
        ["a", "b", "c"],
        ["A", "B", "C"],
        ["2025Q1", "2025Q2", "2025Q3"],
        p,
        "en",
        highlight="2025Q2",
    )
    trace = go.Figure(fig).data[0]
    assert list(trace.y) == ["B", "C"]
    assert never == ["A"]
    assert np.allclose(np.asarray(trace.z), p[1:])
    assert (trace.zmin, trace.zmax) == (0, 1)
    # one template for every cell: the stage, quarter and probability (as "50%") by plotly
    assert trace.hovertemplate.startswith("%{y}<br>%{x}: P(short) %{z:.0%}")
    assert "hovertext" not in fig["data"][0]
    sourced, _ = chain_heatmap.shortfall_heatmap(
        ["b"], ["B"], ["2025Q1"], np.array([[0.3]]), "en", source="Model result: X %{z}"
    )
    template = sourced["data"][0]["hovertemplate"]
    assert "Model result: X" in template
    assert template.count("%{z") == 1  # the source is text, not a second placeholder
    shape = go.Figure(fig).layout.shapes[0]
    assert (shape.x0, shape.x1) == (0.5, 1.5)  # the chosen quarter outlined
    # more stages short -> more rows
    fig2, never2 = chain_heatmap.shortfall_heatmap(
        ["a", "b", "c"], ["A", "B", "C"], ["2025Q1", "2025Q2", "2025Q3"], p + 0.01, "en"
    )
    assert len(fig2["data"][0]["y"]) == 3
    assert never2 == []


def test_cards_carry_numbers_sources_and_download_buttons(park: Park, chain_inputs: tuple) -> None:
    table, _flows = chain_inputs
    ranked = investment_targets(table)
    cards = chain_cards.target_cards(park, ranked, "zh", "cell-eq", "模型结果")
    assert len(cards) == len(ranked)
    text = _texts(cards)
    assert "第 1 位" in text
    assert "xnetdz-2024-06" in text  # the capacity record's source, in a title
    assert "数据日期 2024-06-20" in text
    assert "录入 2024-06-20" in text
    buttons = [
        c.id
        for card in cards
        for c in card.children[-1].children  # the buttons row
    ]
    assert {b["lang"] for b in buttons} == {"zh", "en"}
    assert {b["stage"] for b in buttons} == {r["stage"] for r in ranked}
    separator = next(c for c in cards if c.id == "chain-card-separator")
    sep = _texts(separator)
    assert "econ-E20" in sep  # the plant size's origin: the announced plants' sources
    assert "中位数（4 个项目" in sep
    assert "亿平方米/年" in sep
    assert "e+" not in sep
    none = chain_cards.target_cards(park, [], "en", "cell-eq", "")
    assert "No stage needs recruiting" in _texts(none)


# ---------------------------------------------------------------------------
# the page's callbacks
# ---------------------------------------------------------------------------
def test_content_links_are_the_models_flows(app: Dash, state: AppState) -> None:
    from dashboard.pages import chain

    with app.server.test_request_context():
        out = chain.content(state, "baseline", QUARTER, "nameplate", "en")
    scenario = state.scenario("baseline")
    flows = chain_flows(state.park, state.dataset(scenario), QUARTER, "nameplate", scenario)
    hover = next(tr for tr in go.Figure(out["view"]).data if tr.name == "links")
    assert len(hover.hovertext) <= len(flows)
    assert any("Separator → Power and storage cells (LFP)" in h for h in hover.hovertext)
    assert out["heatmap"]["data"][0]["type"] == "heatmap"
    assert "Never short" in out["never"]


def test_targets_follow_the_rank_and_boundary_switches(app: Dash, state: AppState) -> None:
    from dashboard.pages import chain

    def card_stages(rank: str, boundary: str) -> list[str]:
        out = chain.content(state, "baseline", "2024Q2", "nameplate", "en", rank, boundary)
        return [c.id.removeprefix("chain-card-") for c in out["cards"]]

    park_order = card_stages("cell-eq", "park")
    assert "lithium_carbonate" in park_order
    # Qinghai's salt lakes cover the cells' own lithium carbonate need
    assert "lithium_carbonate" not in card_stages("cell-eq", "province")
    assert card_stages("value", "park") != park_order


def test_the_known_date_changes_what_the_page_shows(app: Dash, state: AppState) -> None:
    from dashboard.pages import chain

    # before the ETDZ's 102 GW of mono-silicon was recorded (2026-11-30), only the 30 GW of
    # pipeline projects need C/C thermal-field parts: about a quarter of today's need
    known = state.known_on(date(2025, 1, 1))
    scenario = state.scenario("baseline")

    def cc_gap(st: AppState) -> float:
        _table, ranked = chain_content.targets(
            st, scenario, QUARTER, "nameplate", "en", "cell-eq", "park"
        )
        return next(r["ranked_gap"] for r in ranked if r["stage"] == "cc_thermal_field")

    now, then = cc_gap(state), cc_gap(known)
    assert 0 < then < 0.5 * now
    shown_now = chain.content(state, "baseline", QUARTER, "nameplate", "en")["cards"]
    shown_then = chain.content(known, "baseline", QUARTER, "nameplate", "en")["cards"]
    card = "chain-card-cc_thermal_field"
    assert _texts([c for c in shown_now if c.id == card]) != _texts(
        [c for c in shown_then if c.id == card]
    )


def test_the_brief_download_and_a_foreign_stage(app: Dash, state: AppState) -> None:
    from dashboard.pages import chain

    payload = chain.brief(
        state,
        "baseline",
        QUARTER,
        "nameplate",
        "zh",
        "cell-eq",
        "park",
        "separator",
        today=date(2026, 11, 30),
    )
    assert payload["filename"].endswith("-separator-2030Q4-zh.html")
    assert payload["type"] == "text/html"
    assert "隔膜" in payload["content"]
    with pytest.raises(Rejected) as err:
        chain.brief(state, "baseline", QUARTER, "nameplate", "en", "cell-eq", "park", "<x>")
    message = err.value.message("zh")
    assert "<x>" not in message
    assert "简报" in message
    with pytest.raises(Rejected):
        chain.brief(state, "baseline", "1999Q1", "nameplate", "en", "cell-eq", "park", "pcs")


def test_render_reports_an_unknown_scenario_in_the_users_language(app: Dash) -> None:
    from dashboard.pages import chain

    with app.server.test_request_context():
        out = chain.render("../secret", QUARTER, "nameplate", "zh", "cell-eq", "park", None)
    text = _texts(out[-1])
    assert "pc-alert" in text
    assert "secret" not in text
    # the cards and the table asked for later: nothing for a name that is not a scenario
    page = ("../secret", QUARTER, "nameplate", "zh", "cell-eq", "park", None)
    with app.server.test_request_context():
        assert chain.all_cards(1, *page) == (dash.no_update, dash.no_update)
        assert chain.unfold_table(1, None, *page) is dash.no_update


def test_the_first_cards_come_at_once_and_the_others_on_request(app: Dash) -> None:
    from dashboard.pages import chain

    args = ("baseline", QUARTER, "nameplate", "zh", "cell-eq", "park", None)
    with app.server.test_request_context():
        out = chain.render(*args)
        every, more = chain.all_cards(1, *args)
        unasked = chain.all_cards(0, *args)
    first, button = out[4], out[5]
    assert len(first) == chain.FIRST_CARDS
    assert more is None
    assert len(every) > chain.FIRST_CARDS  # the baseline has more targets than that
    assert [c.id for c in every[: chain.FIRST_CARDS]] == [c.id for c in first]
    assert f"其余 {len(every) - chain.FIRST_CARDS} 个" in button.children
    assert unasked == (dash.no_update, dash.no_update)


def test_the_ranked_table_is_built_when_first_opened_then_kept_up_to_date(app: Dash) -> None:
    from dashboard.pages import chain

    args = ("baseline", QUARTER, "nameplate", "en", "cell-eq", "park", None)
    with app.server.test_request_context():
        closed = chain.render(*args)
        opened = chain.unfold_table(1, None, *args)
        again = chain.unfold_table(2, opened, *args)
        later = chain.render("baseline", "2028Q4", *args[2:], opened)
    assert closed[6] is dash.no_update  # not sent with the page
    assert "chain-targets-table" in _texts(opened)
    assert again is dash.no_update
    assert "chain-targets-table" in _texts(later[6])  # a new quarter: the open table follows
    assert _texts(later[6]) != _texts(opened)
