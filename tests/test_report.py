"""The analyst report (``graphkit report``): files, content, safety, atomicity."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import graphkit
from graphkit.analysis import shifts
from graphkit.cli import main
from graphkit.core.atomic import MARKER
from graphkit.report import build as report_module
from graphkit.report import build_report

DATA = Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh"
BEFORE = ("2020-11-10", "2023-07-01")
AFTER = ("2023-09-01", "2023-10-01")
TABLES = ["balance", "breaks", "camps", "centrality", "range_centrality", "dyad_scores", "shifts"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]


@pytest.fixture(scope="module")
def tg() -> graphkit.TemporalGraph:
    return graphkit.load(DATA)


@pytest.fixture(scope="module")
def built(tg, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "nk"
    return build_report(tg, out, before=BEFORE, after=AFTER, references=["RUS", "USA"])


def test_writes_every_deliverable(built):
    expected = {"index.html", "network.html", "timelines.html", "shifts.html",
                *(f"tables/{name}.csv" for name in [*TABLES, "alignment"])}
    assert set(built.files) == expected
    assert all((built.path / f).stat().st_size > 0 for f in built.files)
    assert sorted(p.name for p in built.path.parent.iterdir()) == ["nk"]  # no temp left


def test_index_is_script_free_and_its_links_resolve(built):
    page = (built.path / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(page)
    assert parser.scripts == 0
    local = [link for link in parser.links if not link.startswith("#")]
    assert {"network.html", "timelines.html", "shifts.html"} <= set(local)
    assert all((built.path / link).exists() for link in local)
    assert not re.search(r"(src|href)=\"https?://", page)


def test_top_shifts_tell_the_story_of_the_report(built):
    shifts = pd.read_csv(built.path / "tables" / "shifts.csv")
    top = {frozenset(pair) for pair in shifts[["source", "target"]].head(3).itertuples(
        index=False)}
    assert frozenset({"ARM", "USA"}) in top
    assert frozenset({"ARM", "RUS"}) in top
    arm_rus = shifts[(shifts["source"] == "ARM") & (shifts["target"] == "RUS")].iloc[0]
    assert arm_rus["sign_flip"] and arm_rus["before"] > 0 > arm_rus["after"]
    line = next(text for text in built.narrative if text.startswith("Armenia–Russia"))
    assert "changed sign" in line and "criticism" in line and "2023" not in line
    page = (built.path / "index.html").read_text(encoding="utf-8")
    assert "Armenia–Russia" in page and "2020-11-10" in page


def test_tables_are_tidy_and_complete(built, tg):
    scores = pd.read_csv(built.path / "tables" / "dyad_scores.csv")
    assert {"period", "source", "target", "score", "level", "flow", "count"} <= set(scores.columns)
    central = pd.read_csv(built.path / "tables" / "centrality.csv")
    assert set(central["entity"]) <= set(tg.entities["id"])
    alignment = pd.read_csv(built.path / "tables" / "alignment.csv")
    assert len(alignment) > 0


def test_same_input_same_files(tg, built, tmp_path):
    again = build_report(tg, tmp_path / "again", before=BEFORE, after=AFTER,
                         references=["RUS", "USA"])
    for name in built.files:
        assert (again.path / name).read_bytes() == (built.path / name).read_bytes(), name


def test_default_periods_come_from_the_data(tg, tmp_path):
    chosen = build_report(tg, tmp_path / "auto", top=3)
    before, after = (tuple(pd.Timestamp(d) for d in span) for span in
                     (chosen.before, chosen.after))
    assert before[0] < before[1] <= after[0] < after[1]
    assert after[1] > pd.Timestamp("2023-09-20")  # the latest data is in the second period
    assert len(chosen.narrative) == 3


def test_failed_run_leaves_the_old_folder_untouched(tg, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous report")
    (out / MARKER).write_text("")  # an earlier graphkit output, so replaceable

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report_module.views, "timeline", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build_report(tg, out, before=BEFORE, after=AFTER)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "keep.txt"])


def test_hostile_names_are_escaped(tmp_path):
    evil = "<img src=x onerror=alert(1)>"
    entities = pd.DataFrame({"id": ["A", "B"], "name": [evil, "</script><b>x"],
                             "type": ["state", "state"], "aliases": ["", ""]})
    relations = pd.DataFrame({
        "source": ["A", "A"], "target": ["B", "B"], "type": ["alliance", "criticism"],
        "start": ["2020-01-01", "2021-06-01"], "evidence": [evil, evil],
        "source_ref": ["r", "r"],
    })
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    done = build_report(tg, tmp_path / "evil", before=("2020-01", "2021-01"),
                        after=("2021-01", "2022-01"))
    page = (done.path / "index.html").read_text(encoding="utf-8")
    assert evil not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "</script><b>" not in page
    assert evil not in done._repr_html_()


def test_cli_runs_the_main_job(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", str(DATA), "-o", str(out), "--before", ":".join(BEFORE),
                 "--after", ":".join(AFTER), "--top", "4"]) == 0
    printed = capsys.readouterr().out
    assert "Armenia–Russia" in printed and "index.html" in printed
    assert (out / "index.html").exists()


def test_cli_user_errors_write_nothing(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", str(DATA), "-o", str(out), "--before", "2020:2021"]) == 2
    assert "give both --before and --after" in capsys.readouterr().err
    assert main(["report", "tests/fixtures/ten_problems", "-o", str(out)]) == 1
    assert "10 problems found" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "sample"), [
    ("icews", "icews/events.2018.sample.tab"),
    ("gdelt", "gdelt/gdelt1_sample_mixed.tsv"),
    ("gdelt", "gdelt/gdelt1_georgia_2012-01_rexport.csv"),
])
def test_default_report_on_every_imported_sample(shared, tmp_path, capsys, kind, sample):
    imported, report = tmp_path / "imported", tmp_path / "report"
    assert main(["import", kind, str(shared / "datasets" / sample), "-o", str(imported)]) == 0
    assert main(["report", str(imported), "-o", str(report)]) == 0
    assert (report / "index.html").exists()
    assert "ends before it starts" not in capsys.readouterr().err


def test_default_report_on_one_relation(tmp_path, capsys):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "entities.csv").write_text("id,name,type\nA,A,state\nB,B,state\n")
    (folder / "relations.csv").write_text("source,target,type,start\nA,B,criticism,2023-05-04\n")
    assert main(["report", str(folder), "-o", str(tmp_path / "report")]) == 0
    err = capsys.readouterr().err
    assert "warning: the before range" in err and "holds no relation" in err


def test_a_relation_dated_9000_costs_nothing(tmp_path):
    """Issue 14: over-time tables cover the compared ranges, not the data's far ends."""
    folder = tmp_path / "far"
    folder.mkdir()
    (folder / "entities.csv").write_text("id,name,type\nA,A,state\nB,B,state\nC,C,state\n")
    (folder / "relations.csv").write_text(
        "source,target,type,start,end\n"
        "A,C,alliance,1900,\n"            # ongoing for 7,000 years of months
        "A,B,criticism,2023-02-03,\n"
        "A,B,aid,2023-09-12,\n"
        "B,C,criticism,9000-01,\n")       # a typo's year: 84,000 months after the rest
    tg = graphkit.load(folder)
    out = build_report(tg, tmp_path / "report", before=("2023-01-01", "2023-07-01"),
                       after=("2023-09-01", "2023-10-01"))
    tables = out.path / "tables"
    for name, freq, first, last in [("dyad_scores", "M", "2023-01", "2023-09"),
                                    ("centrality", "M", "2023-01", "2023-09"),
                                    ("balance", "Y", "2023", "2023")]:
        periods = pd.read_csv(tables / f"{name}.csv")["period"].map(
            lambda p, f=freq: pd.Period(str(p), f))
        assert periods.min() >= pd.Period(first, freq), name
        assert periods.max() <= pd.Period(last, freq), name
    shifted = pd.read_csv(tables / "shifts.csv")
    assert {"A", "B"} <= set(shifted["source"]) | set(shifted["target"])


def test_report_normalises_by_coverage_when_asked(built, tmp_path):
    """`graphkit report --normalize coverage`: the shifts and dyad series are the
    coverage-normalised ones of the Python API, and the page says so."""
    imported, normed = tmp_path / "imported", tmp_path / "normed"
    sample = Path("tests/fixtures/events/icews_lost_zeros.tab")
    assert main(["import", "icews", str(sample), "-o", str(imported), "--no-progress"]) == 0
    assert main(["report", str(imported), "-o", str(normed), "--before",
                 "2018-06-01:2018-06-02", "--after", "2018-06-02:2018-06-03", "--n-boot",
                 "50", "--normalize", "coverage"]) == 0
    tg = graphkit.load(imported)
    expected = shifts.compare(tg, ("2018-06-01", "2018-06-02"), ("2018-06-02", "2018-06-03"),
                              n_boot=50, normalize="coverage")
    raw = shifts.compare(tg, ("2018-06-01", "2018-06-02"), ("2018-06-02", "2018-06-03"),
                         n_boot=0)
    written = pd.read_csv(normed / "tables" / "shifts.csv")
    merged = written.merge(expected, on=["source", "target"], suffixes=("", "_api"))
    assert len(merged) == len(expected) > 0
    for column in ("before", "after", "change"):
        assert np.allclose(merged[column], merged[f"{column}_api"], atol=0.06)
    assert not np.allclose(expected.sort_values(["source", "target"])["change"],
                           raw.sort_values(["source", "target"])["change"])
    assert "raw_flow" in pd.read_csv(normed / "tables" / "dyad_scores.csv").columns
    assert "Coverage-normalised flows" in (normed / "index.html").read_text()
    assert "Coverage-normalised flows" not in (built.path / "index.html").read_text()
