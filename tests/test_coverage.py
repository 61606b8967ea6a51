"""Coverage normalisation: a dyad in the news more does not score higher."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import graphkit
from graphkit.analysis import coverage, metrics, shifts


def _graph(copies: int = 10) -> graphkit.TemporalGraph:
    """A-B and C-D with the same relations; every C-D event is reported ``copies`` times
    (C and D are ``copies`` times as much in the news). Both have a standing alliance."""
    entities = pd.DataFrame({"id": list("ABCDE"), "name": list("ABCDE"), "type": "state"})
    events = pd.DataFrame({
        "type": ["criticism", "meeting", "threat", "meeting", "support"],
        "start": ["2023-01-05", "2023-01-20", "2023-02-03", "2023-03-10", "2023-03-28"],
        "weight": [-2.0, 2.8, -4.4, 2.8, 3.5],
    })
    rows = []
    for (s, t), n in ((("A", "B"), 1), (("C", "D"), copies)):
        for _ in range(n):
            rows.append(events.assign(source=s, target=t))
        rows.append(pd.DataFrame({"source": [s], "target": [t], "type": ["alliance"],
                                  "start": ["2022-06-01"], "weight": [8.0]}))
    return graphkit.TemporalGraph.from_frames(entities, pd.concat(rows, ignore_index=True))


def test_same_relations_ten_times_the_stories_score_the_same():
    tg = _graph(10)
    raw = metrics.dyad_scores(tg, "M", directed=False).set_index(["period", "source",
                                                                  "target"])
    norm = metrics.dyad_scores(tg, "M", directed=False, normalize="coverage") \
        .set_index(["period", "source", "target"])
    for period in ("2023-01", "2023-02", "2023-03"):
        ab, cd = raw.loc[(period, "A", "B")], raw.loc[(period, "C", "D")]
        assert cd["flow"] == pytest.approx(10 * ab["flow"])  # raw: ten times the news
        nab, ncd = norm.loc[(period, "A", "B")], norm.loc[(period, "C", "D")]
        assert ncd["score"] == pytest.approx(nab["score"])
        assert ncd["flow"] == pytest.approx(nab["flow"])
        assert nab["level"] == ab["level"] == 8.0  # standing ties untouched
        assert nab["coverage_source"] * 10 == pytest.approx(ncd["coverage_source"])
    # two actors that deal only with each other: the mean Goldstein weight per event
    jan = norm.loc[("2023-01", "A", "B")]
    assert jan["flow"] == pytest.approx((-2.0 + 2.8) / 2)
    assert jan["raw_flow"] == pytest.approx(raw.loc[("2023-01", "A", "B"), "flow"])


def test_compare_under_coverage():
    tg = _graph(10)
    kwargs = {"before": ("2023-01-01", "2023-02-01"), "after": ("2023-02-01", "2023-04-01"),
              "n_boot": 200}
    raw = shifts.compare(tg, **kwargs).set_index(["source", "target"])
    norm = shifts.compare(tg, normalize="coverage", **kwargs).set_index(["source", "target"])
    assert raw.at[("C", "D"), "change"] == pytest.approx(10 * raw.at[("A", "B"), "change"])
    for column in ("before", "after", "change", "flow_before", "flow_after"):
        assert norm.at[("C", "D"), column] == pytest.approx(norm.at[("A", "B"), column])
    # before: (-2 + 2.8) / sqrt(2 * 2) events, plus the alliance's level of 8
    assert norm.at[("A", "B"), "before"] == pytest.approx(8.0 + 0.8 / 2)
    assert norm.attrs["normalize"] == "coverage"


def test_an_actor_in_many_dyads_dilutes_its_flow():
    tg = _graph(1)
    extra = pd.DataFrame({"source": "A", "target": "E", "type": "meeting",
                          "start": [f"2023-01-{d:02d}" for d in range(2, 20)],
                          "weight": 2.8})
    busy = graphkit.TemporalGraph.from_frames(tg.entities,
                                              pd.concat([tg.relations[["source", "target",
                                                         "type", "start", "weight"]],
                                                         extra], ignore_index=True))
    quiet = metrics.dyad_scores(tg, "M", directed=False, normalize="coverage")
    loud = metrics.dyad_scores(busy, "M", directed=False, normalize="coverage")
    pick = {"period": "2023-01", "source": "A", "target": "B"}

    def flow(t: pd.DataFrame) -> float:
        return t.loc[np.logical_and.reduce([t[k] == v for k, v in pick.items()]),
                     "flow"].item()

    assert flow(loud) == pytest.approx(flow(quiet) * np.sqrt(2 / 20))


def test_normalize_is_checked():
    tg = _graph(1)
    with pytest.raises(ValueError, match="normalize must be None or 'coverage'"):
        metrics.dyad_scores(tg, normalize="stories")
    with pytest.raises(ValueError, match="normalize must be None or 'coverage'"):
        shifts.compare(tg, ("2023-01-01", "2023-02-01"), ("2023-02-01", "2023-03-01"),
                       normalize="volume")
    assert coverage.actor_coverage(tg).set_index(["period", "actor"]).loc[
        ("2023-01", "A"), "events"] == 2.0


def test_cli_normalize(tmp_path, capsys):
    from graphkit.cli import main
    from graphkit.io import save

    folder = save(_graph(10), tmp_path / "g")
    assert main(["metrics", str(folder), "--kind", "dyads", "--undirected", "--normalize",
                 "coverage"]) == 0
    out = capsys.readouterr().out
    assert "coverage_source" in out
    assert main(["shifts", str(folder), "--before", "2023-01-01:2023-02-01", "--after",
                 "2023-02-01:2023-04-01", "--normalize", "coverage", "--n-boot", "0"]) == 0
    capsys.readouterr()
    assert main(["metrics", str(folder), "--kind", "centrality", "--normalize",
                 "coverage"]) == 2


def test_normalised_decayed_flow_holds_through_quiet_periods():
    """With a half-life, the dyad's decayed flow is divided by its actors' decayed coverage:
    in months without events both fade alike, so the normalised value neither drops to
    zero nor moves; a third party's events dilute it, and ten times the news changes
    nothing."""
    entities = pd.DataFrame({"id": list("ABC"), "name": list("ABC"), "type": "state"})

    def graph(copies: int, third: bool) -> graphkit.TemporalGraph:
        rows = pd.DataFrame({"source": "A", "target": "B", "type": "criticism",
                             "start": ["2023-01-10", "2023-03-15"] * copies})
        if third:
            rows = pd.concat([rows, pd.DataFrame({"source": ["A"], "target": ["C"],
                                                  "type": ["meeting"],
                                                  "start": ["2023-06-02"]})])
        return graphkit.TemporalGraph.from_frames(entities, rows)

    def table(tg: graphkit.TemporalGraph) -> pd.DataFrame:
        return metrics.dyad_scores(tg, "M", directed=False, half_life="30D", fill="all",
                                   normalize="coverage").set_index(["period", "source",
                                                                    "target"])

    quiet, loud = table(graph(1, False)), table(graph(10, False))
    ab = quiet.xs(("A", "B"), level=["source", "target"])
    assert (ab["raw_decayed_flow"].diff().dropna() != 0).all()  # the raw value fades
    assert ab["decayed_flow"].to_numpy() == pytest.approx(-2.0)  # mean weight per event
    assert ab["flow"].loc["2023-02"] == 0.0  # the undecayed flow of an empty month
    assert loud["decayed_flow"].to_numpy() == pytest.approx(quiet["decayed_flow"].to_numpy())
    diluted = table(graph(1, True))
    june = diluted.loc[("2023-06", "A", "B"), "decayed_flow"]
    assert -2.0 < june < 0.0
    rates = coverage.decayed_coverage(graph(1, True), "M", "30D").set_index(["period",
                                                                            "actor"])
    assert rates.loc[("2023-06", "C"), "rate"] == pytest.approx(
        metrics.dyad_scores(graph(1, True), "M", directed=False, half_life="30D",
                            types=["meeting"]).set_index("period")
        .loc["2023-06", "decayed_flow"] / 2.8)
