"""What the report shows is focused on the comparison asked: ``--top N`` means N in
every part, the ranges are stated once, centrality and evidence are those of the compared
ranges, balance shows the periods with triangles, empty ranges warn."""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import graphkit
from graphkit.cli import main
from graphkit.report import build as report_module
from graphkit.report import build_report, range_centrality
from graphkit.report.index import index_page

DATA = Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh"
BEFORE = ("2020-11-10", "2023-07-01")
AFTER = ("2023-09-01", "2023-10-01")
TOP = 3


class _Tables(HTMLParser):
    """The tables of a page: after each <h2>/<h3>, header cells and rows of cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.heading = ""
        self._in = None
        self._text = ""
        self.items: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3", "th", "td", "li"):
            self._in, self._text = tag, ""
        if tag == "table":
            self.tables.append({"heading": self.heading, "head": [], "rows": []})
        if tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])

    def handle_data(self, data):
        if self._in:
            self._text += data

    def handle_endtag(self, tag):
        if tag != self._in:
            return
        text, self._in = self._text.strip(), None
        if tag in ("h2", "h3"):
            self.heading = text
        elif tag == "li":
            self.items.append(text)
        elif tag == "th" and self.tables and len(self.tables[-1]["rows"]) <= 1:
            self.tables[-1]["head"].append(text)
        elif self.tables:
            self.tables[-1]["rows"][-1].append(text)


@pytest.fixture(scope="module")
def tg() -> graphkit.TemporalGraph:
    return graphkit.load(DATA)


@pytest.fixture(scope="module")
def built(tg, tmp_path_factory):
    charts = {}
    real_chart, real_timeline = report_module.views.shift_chart, report_module.views.timeline

    def chart(*args, **kwargs):
        charts["shift_chart"] = view = real_chart(*args, **kwargs)
        return view

    def timeline(*args, **kwargs):
        charts["timeline"] = view = real_timeline(*args, **kwargs)
        return view

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_module.views, "shift_chart", chart)
        patch.setattr(report_module.views, "timeline", timeline)
        out = tmp_path_factory.mktemp("focus") / "nk"
        done = build_report(tg, out, before=BEFORE, after=AFTER, top=TOP, n_boot=50)
    page = _Tables()
    page.feed((done.path / "index.html").read_text(encoding="utf-8"))
    return done, charts, page


def _table(page: _Tables, heading: str) -> pd.DataFrame:
    found = [t for t in page.tables if t["heading"].startswith(heading)]
    assert found, [t["heading"] for t in page.tables]
    rows = [r for r in found[0]["rows"] if r]
    return pd.DataFrame(rows, columns=found[0]["head"])


def test_top_n_means_n_everywhere(built):
    done, charts, page = built
    assert len(done.narrative) == TOP
    bars = charts["shift_chart"].figure.data[0]
    assert len(bars.y) == TOP
    assert len(charts["timeline"].dyads) == TOP
    assert len(_table(page, f"Top {TOP} shifts")) == TOP
    assert len(_table(page, "Most central actors")) == TOP


def test_ranges_stated_once_and_lines_short(built):
    done, _, page = built
    text = (done.path / "index.html").read_text(encoding="utf-8")
    stated = (f"before = {BEFORE[0]} to {BEFORE[1]},\nafter = {AFTER[0]} to {AFTER[1]}")
    assert text.count(stated) == 1
    prose = re.sub(r"<table>.*?</table>", "", text, flags=re.S)  # tables list relations
    for day in (*BEFORE, *AFTER):
        assert prose.count(day) == 1, day
    for line in done.narrative:
        assert len(line) <= 180 and "\n" not in line
        assert not re.search(r"\d{4}-\d{2}-\d{2}", line)  # no dates: stated at the top
    arm_rus = next(i for i in page.items if i.startswith("Armenia–Russia"))
    assert "changed sign" in arm_rus and "driven by criticism" in arm_rus


def test_centrality_is_of_the_compared_ranges_without_padding(built, tg):
    done, _, page = built
    table = pd.read_csv(done.path / "tables" / "range_centrality.csv")
    assert ((table["partners_before"] > 0) | (table["partners_after"] > 0)).all()
    # PageRank is computed on the entities with a tie in the range, summing to 1
    assert table["pagerank_after"].sum() == pytest.approx(1.0)
    assert table["pagerank_after"].isna().eq(table["partners_after"] == 0).all()
    shown = _table(page, "Most central actors")
    names = tg.entities.set_index("id")["name"]
    assert list(shown["entity"]) == list(table["entity"].head(TOP).map(names))


def test_range_centrality_counts_partners_by_sign():
    entities = pd.DataFrame({"id": ["A", "B", "C", "D"], "name": ["A", "B", "C", "D"],
                             "type": ["state"] * 4})
    relations = pd.DataFrame({
        "source": ["A", "A", "B"], "target": ["B", "C", "C"],
        "type": ["aid", "criticism", "aid"],
        "start": ["2020-01-05", "2020-01-06", "2019-01-01"]})
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    table = range_centrality(tg, ("2019-01-01", "2019-02-01"), ("2020-01-01", "2020-02-01"))
    row = table.set_index("entity").loc["A"]
    assert (row["partners_after"], row["cooperative_after"], row["hostile_after"]) == (2, 1, 1)
    assert row["partners_before"] == 0 and pd.isna(row["pagerank_before"])
    assert "D" not in set(table["entity"])  # no tie in either range: not listed


def test_evidence_table_lets_a_score_be_checked(built, tg):
    _, _, page = built
    evidence = _table(page, "Evidence behind")
    assert {"id", "weight", "sign", "signed", "confidence"} <= set(evidence.columns)
    rel = tg.relations.set_index("id")
    for record in evidence.head(10).to_dict("records"):
        source = rel.loc[record["id"]]
        assert float(record["signed"]) == pytest.approx(source["signed_weight"], abs=5e-3)
        assert record["sign"] == {1: "+", -1: "−", 0: "0"}[int(source["sign"])]


def test_balance_shows_periods_with_triangles(built):
    done, _, page = built
    full = pd.read_csv(done.path / "tables" / "balance.csv")
    shown = _table(page, "Structural balance")
    # the table covers the compared ranges' years (2020-2023 here), the page those with a
    # triangle of ties
    with_triangles = int((full["triangles"] > 0).sum())
    assert len(shown) == with_triangles > 0
    assert set(full["period"].astype(str)) == {"2020", "2021", "2022", "2023"}
    assert (shown["triangles"].astype(int) > 0).all()
    left_out = len(full) - with_triangles
    note = f"{left_out} of {len(full)} periods have no triangle of ties"
    text = (done.path / "index.html").read_text(encoding="utf-8")
    assert (note in text) == (left_out > 0)


def test_balance_periods_without_triangles_are_left_out_with_a_note(tg, built):
    done, _, _ = built
    shift_table = pd.read_csv(done.path / "tables" / "shifts.csv")
    balance_table = pd.DataFrame({"period": ["2021", "2022", "2023"], "nodes": [3, 2, 4],
                                  "edges": [3, 1, 5], "triangles": [1, 0, 2]})
    leaders = pd.read_csv(done.path / "tables" / "range_centrality.csv")
    page = index_page(tg, "t", BEFORE, AFTER, shift_table, ["a line"], leaders,
                      balance_table, {"balance": balance_table}, has_charts=False, top=2,
                      warnings=[])
    parsed = _Tables()
    parsed.feed(page)
    assert list(_table(parsed, "Structural balance")["period"]) == ["2021", "2023"]
    assert "1 of 3 periods have no triangle of ties" in page
    assert "href='tables/balance.csv'" in page and "timelines.html" not in page


def test_timelines_open_on_the_compared_ranges(built):
    _, charts, _ = built
    figure = charts["timeline"].figure
    start, end = (pd.Timestamp(x) for x in figure.layout.xaxis.range)
    assert start <= pd.Timestamp(BEFORE[0]) < pd.Timestamp(AFTER[1]) <= end
    assert end - start < pd.Timedelta(days=1300)
    labels = [b.label for b in figure.layout.updatemenus[0].buttons]
    assert labels == ["compared ranges", "full span"]
    # every mark has a legend entry: relation markers by sign, bands of standing ties
    names = {t.name for t in figure.data if t.showlegend is not False}
    assert {"relation: cooperative", "relation: hostile", "relation: neutral",
            "pale band: a standing tie in force"} <= names


def test_network_opens_on_the_after_range_with_the_compared_span(built):
    done, _, _ = built
    html = (done.path / "network.html").read_text(encoding="utf-8")
    payload = json.loads(re.search(
        r'<script type="application/json" id="graphkit-data">(.*?)</script>', html,
        re.S).group(1))
    day = lambda d: (pd.Timestamp(d) - pd.Timestamp("1970-01-01")).days  # noqa: E731
    assert payload["initial"]["mode"] == "range"
    assert [payload["initial"]["start"], payload["initial"]["end"]] == [day(AFTER[0]),
                                                                         day(AFTER[1])]
    assert payload["span"] == [day(BEFORE[0]), day(AFTER[1]) - 1]
    assert payload["domain"][0] < payload["span"][0]


def test_empty_range_warns_in_python_cli_and_page(tg, tmp_path, capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = build_report(tg, tmp_path / "r", before=("1900", "1901"),
                            after=("2023-09-01", "2023-10-01"), n_boot=0, top=2)
    assert any("1900-01-01:1901-01-01 holds no relation" in str(w.message) for w in caught)
    assert done.warnings and "holds no relation" in done.warnings[0]
    page = (done.path / "index.html").read_text(encoding="utf-8")
    assert "class='warn'>Warning: the before range 1900-01-01:1901-01-01" in page
    assert main(["report", str(DATA), "-o", str(tmp_path / "cli"), "--before", "1900:1901",
                 "--after", "2030:2031", "--n-boot", "0", "--top", "2"]) == 0
    err = capsys.readouterr().err
    assert "graphkit: warning: the before range 1900-01-01:1901-01-01 holds no relation" in err
    assert "graphkit: warning: the after range 2030-01-01:2031-01-01 lies outside" in err


def test_top_must_be_positive(tg, tmp_path):
    with pytest.raises(ValueError, match="top must be"):
        build_report(tg, tmp_path / "r", before=BEFORE, after=AFTER, top=0)
    with pytest.raises(SystemExit) as exit_:
        main(["report", str(DATA), "-o", str(tmp_path / "c"), "--top", "0"])
    assert exit_.value.code == 2
