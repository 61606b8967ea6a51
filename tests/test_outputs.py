"""Safe outputs (issue 14): ``-o`` never destroys what graphkit did not write, every file
goes through one atomic writer, CSV formulas are neutralised, printed tables are bounded
and terminal control characters are escaped."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import graphkit
from graphkit.cli import main
from graphkit.core import atomic
from graphkit.core.atomic import MARKER, UnsafeOutputError

ROOT = Path(__file__).resolve().parents[1]
GDELT = ROOT / "tests" / "fixtures" / "events" / "gdelt2.tsv"


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with the SHA-256 of its bytes (folders: "dir")."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        out[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def workspace(tmp_path, small_frames) -> Path:
    """A project folder holding a data folder, a foreign folder and a plain file."""
    graphkit.save(graphkit.TemporalGraph.from_frames(*small_frames), tmp_path / "data")
    (tmp_path / "data" / MARKER).unlink()  # hand-curated data, not a graphkit output
    (tmp_path / "clone" / ".git").mkdir(parents=True)
    (tmp_path / "clone" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "clone" / "notes.md").write_text("mine\n")
    (tmp_path / "notes.txt").write_text("do not lose me\n")
    shutil.copy(GDELT, tmp_path / "events.tsv")
    return tmp_path


def refused(argv: list[str], capsys) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "refusing to write" in err and "Traceback" not in err
    return err


# ------------------------------------------------------------------ -o destroys nothing


@pytest.mark.parametrize("target", ["data", ".", "clone", "notes.txt", "data/relations.csv"])
def test_report_output_at_input_parent_foreign_folder_or_file_leaves_every_byte(
        workspace, target, capsys, monkeypatch):
    monkeypatch.chdir(workspace / "data" if target == "." else workspace)
    data = str(workspace / "data")
    before = snapshot(workspace)
    refused(["report", data, "-o", target], capsys)
    assert snapshot(workspace) == before


def test_report_output_at_parent_of_input_is_refused_even_with_force(workspace, capsys):
    before = snapshot(workspace)
    err = refused(["report", str(workspace / "data"), "-o", str(workspace), "--force"], capsys)
    assert "holds the input" in err
    assert snapshot(workspace) == before


def test_output_at_root_or_home_is_refused_before_any_work(workspace, capsys, monkeypatch):
    monkeypatch.chdir(workspace)
    before = snapshot(workspace)
    for target in ("/", str(Path.home())):
        refused(["report", str(workspace / "data"), "-o", target, "--force"], capsys)
        refused(["import", "gdelt", str(workspace / "events.tsv"), "-o", target], capsys)
    assert snapshot(workspace) == before


def test_import_output_at_the_events_folder_keeps_the_events(workspace, capsys):
    events = workspace / "events"
    events.mkdir()
    shutil.copy(GDELT, events / "x.tsv")
    before = snapshot(workspace)
    refused(["import", "gdelt", str(events / "x.tsv"), "-o", str(events), "--force",
             "--no-progress"], capsys)
    refused(["import", "gdelt", str(events / "x.tsv"), "-o", str(events / "x.tsv"),
             "--no-progress"], capsys)
    assert snapshot(workspace) == before


def test_csv_output_at_the_input_is_refused(workspace, capsys):
    data = workspace / "data"
    before = snapshot(workspace)
    refused(["validate", str(data), "--csv", str(data / "relations.csv")], capsys)
    refused(["metrics", str(data), "--csv", str(data / "entities.csv")], capsys)
    refused(["view", str(data), "-o", str(data)], capsys)
    assert snapshot(workspace) == before


def test_foreign_page_is_refused_without_force(workspace, capsys):
    page = workspace / "page.html"
    page.write_text("<html>my own page</html>")
    refused(["view", str(workspace / "data"), "-o", str(page)], capsys)
    assert page.read_text() == "<html>my own page</html>"
    assert main(["view", str(workspace / "data"), "-o", str(page), "--force"]) == 0
    assert main(["view", str(workspace / "data"), "-o", str(page)]) == 0  # ours now


def test_foreign_folder_replaced_only_with_force_and_earlier_output_always(
        workspace, capsys):
    data = str(workspace / "data")
    assert main(["report", data, "-o", str(workspace / "clone"), "--force"]) == 0
    assert (workspace / "clone" / MARKER).is_file()
    assert not (workspace / "clone" / "notes.md").exists()
    assert main(["report", data, "-o", str(workspace / "clone")]) == 0  # earlier output
    empty = workspace / "empty"
    empty.mkdir()
    assert main(["import", "gdelt", str(workspace / "events.tsv"), "-o", str(empty),
                 "--no-progress"]) == 0
    assert (empty / MARKER).is_file()
    leftovers = [p.name for p in workspace.iterdir() if ".gk-" in p.name]
    assert leftovers == []


def test_save_refuses_a_foreign_folder_and_a_file(tmp_path, small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("chapter 1")
    (tmp_path / "file").write_text("x")
    with pytest.raises(UnsafeOutputError, match="graphkit did not write"):
        graphkit.save(tg, tmp_path / "mine")
    with pytest.raises(UnsafeOutputError, match="existing file"):
        graphkit.save(tg, tmp_path / "file")
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "chapter 1"
    assert (tmp_path / "file").read_text() == "x"


# ------------------------------------------------------------------ kill -9 and races

_SLOW_WRITER = """
import sys, time
from pathlib import Path
from graphkit.core.atomic import atomic_folder, writing
target = Path(sys.argv[1])
with atomic_folder(target / "out") as tmp:
    (tmp / "half.csv").write_text("a,b\\n")
    with writing(target / "table.csv") as handle:
        handle.write("a,b\\n1,")
        handle.flush()
        print("ready", flush=True)
        time.sleep(60)
"""


def test_kill_9_leaves_old_outputs_and_the_next_run_cleans_up(tmp_path, small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    graphkit.save(tg, tmp_path / "out")
    atomic.write_text(tmp_path / "table.csv", "a,b\n1,2\n")
    before = snapshot(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(tmp_path)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "ready"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    left = [p.name for p in tmp_path.iterdir() if ".gk-tmp-" in p.name]
    assert len(left) == 2  # the killed run's folder and file
    assert {k: v for k, v in snapshot(tmp_path).items() if ".gk-" not in k} == before
    graphkit.save(tg, tmp_path / "out")
    atomic.write_text(tmp_path / "table.csv", "a,b\n1,2\n")
    assert snapshot(tmp_path) == before


def test_concurrent_writers_each_leave_a_complete_folder(tmp_path, small_frames):
    fixture = graphkit.save(graphkit.TemporalGraph.from_frames(*small_frames),
                            tmp_path / "src")
    tg = graphkit.load(fixture)
    target = tmp_path / "out"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_concurrent_save, args=(fixture, target, 3))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "src") == ["out"]
    loaded = graphkit.load(target)
    pd.testing.assert_frame_equal(loaded.relations, tg.relations)


def _concurrent_save(source: Path, target: Path, rounds: int) -> None:
    tg = graphkit.load(source)
    for _ in range(rounds):
        graphkit.save(tg, target)


# ------------------------------------------------------------------ one atomic writer


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_every_writer_gives_the_umask_mode(tmp_path, small_frames, umask):
    from graphkit.io import write_gexf, write_graphml

    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    old = os.umask(umask)
    try:
        (tmp_path / "plain.txt").write_text("x")
        expected = (tmp_path / "plain.txt").stat().st_mode & 0o777
        graphkit.write_json(tg, tmp_path / "g.json")
        graphkit.save(tg, tmp_path / "pq", format="parquet")
        graphkit.save(tg, tmp_path / "csv")
        atomic.write_csv(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
        graphkit.views.network(tg).save(tmp_path / "v.html")
        write_gexf(tg, tmp_path / "g.gexf")
        write_graphml(tg.at("2023-09-25"), tmp_path / "g.graphml")
    finally:
        os.umask(old)
    assert expected == 0o666 & ~umask
    written = [tmp_path / n for n in ("g.json", "t.csv", "v.html", "g.gexf", "g.graphml")]
    written += [*(tmp_path / "pq").iterdir(), *(tmp_path / "csv").iterdir()]
    modes = {path.name: oct(path.stat().st_mode & 0o777) for path in written}
    assert modes == dict.fromkeys(modes, oct(expected))


def test_csv_option_is_atomic(tmp_path, monkeypatch, capsys):
    target = tmp_path / "p.csv"
    target.write_text("old\n")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    assert main(["validate", "tests/fixtures/ten_problems", "--csv", str(target)]) == 1
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.csv"]


def _spy_on_writer(monkeypatch, *modules) -> list[str]:
    """Record the file name of every ``writing`` call made through ``modules``."""
    calls = []
    real = atomic.writing

    def spy(path, *args, **kwargs):
        calls.append(Path(path).name)
        return real(path, *args, **kwargs)

    for module in modules:
        monkeypatch.setattr(module, "writing", spy)
    return calls


def test_views_and_json_use_the_one_writer(tmp_path, small_frames, monkeypatch):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    calls = _spy_on_writer(monkeypatch, atomic)
    graphkit.write_json(tg, tmp_path / "g.json")
    graphkit.views.network(tg).save(tmp_path / "v.html")
    assert calls == ["g.json", "v.html"]


def test_gexf_and_graphml_use_the_one_writer_and_fail_cleanly(tmp_path, small_frames,
                                                               monkeypatch):
    from graphkit.io import gexf, graphml

    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    calls = _spy_on_writer(monkeypatch, gexf, graphml)
    gexf.write_gexf(tg, tmp_path / "g.gexf")
    graphml.write_graphml(tg.at("2023-09-25"), tmp_path / "g.graphml")
    assert calls == ["g.gexf", "g.graphml"]
    assert gexf.read_gexf(tmp_path / "g.gexf").entities.shape == tg.entities.shape

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(graphml.nx, "write_graphml", boom)
    before = (tmp_path / "g.graphml").read_bytes()
    with pytest.raises(OSError, match="disk full"):
        graphml.write_graphml(tg, tmp_path / "g.graphml")
    assert (tmp_path / "g.graphml").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.gexf", "g.graphml"]


# ------------------------------------------------------------------ CSV formulas


def test_csv_formulas_are_neutralised_but_numbers_stay_numbers():
    frame = pd.DataFrame({"+++": ["=HYPERLINK(\"http://x\")", "-1.5", "@SUM(A1)", "-x", "ok",
                                  "\tcmd", "+3e5"],
                          "n": [-1.5, 2.0, -3.0, 0.0, 1.0, 2.0, 3.0]})
    out = atomic.neutralise(frame)
    assert list(out.columns) == ["'+++", "n"]
    assert list(out["'+++"]) == ["'=HYPERLINK(\"http://x\")", "-1.5", "'@SUM(A1)", "'-x",
                                 "ok", "'\tcmd", "+3e5"]
    assert list(out["n"]) == [-1.5, 2.0, -3.0, 0.0, 1.0, 2.0, 3.0]
    assert frame.columns[0] == "+++"  # the input is not changed


def test_csv_formula_injection_in_report_tables_and_every_csv_option(tmp_path, small_frames):
    entities, relations = small_frames
    entities = entities.assign(name=entities["name"].where(entities["id"] != "ARM",
                                                          "=HYPERLINK(\"http://evil\")"))
    relations = relations.assign(evidence="@cmd", via="-2")
    graphkit.save(graphkit.TemporalGraph.from_frames(entities, relations), tmp_path / "d")
    text = (tmp_path / "d" / "entities.csv").read_text()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text.replace(",=", "\n=")
    assert ",'@cmd," in (tmp_path / "d" / "relations.csv").read_text()
    assert main(["balance", str(tmp_path / "d"), "--csv", str(tmp_path / "b.csv")]) == 0
    header = (tmp_path / "b.csv").read_text().splitlines()[0]
    assert "'+++" in header and "'---" in header and ",+++" not in header
    assert main(["balance", str(tmp_path / "d"), "--csv", str(tmp_path / "raw.csv"),
                 "--raw-csv"]) == 0
    assert ",+++" in (tmp_path / "raw.csv").read_text().splitlines()[0]


def test_save_raw_csv_keeps_text_as_it_is(tmp_path, small_frames):
    entities, relations = small_frames
    relations = relations.assign(evidence="=1+1")
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    graphkit.save(tg, tmp_path / "raw", raw_csv=True)
    assert set(graphkit.load(tmp_path / "raw").relations["evidence"]) == {"=1+1"}


# ------------------------------------------------------------------ printed output


def test_metrics_prints_a_bounded_table_and_says_what_is_cut(tmp_path, capsys):
    data = str(ROOT / "data" / "nagorno_karabakh")
    assert main(["metrics", data, "--csv", str(tmp_path / "m.csv")]) == 0
    captured = capsys.readouterr()
    full = pd.read_csv(tmp_path / "m.csv")
    assert len(full) > 100
    assert len(captured.out.strip().splitlines()) == 101  # header + 100 rows
    assert f"showing 100 of {len(full):,} rows" in captured.err
    assert "--limit 0" in captured.err
    assert main(["metrics", data, "--json", "--limit", "0"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(full)


def test_shifts_says_what_is_cut(capsys):
    assert main(["shifts", str(ROOT / "data" / "nagorno_karabakh"), "--top", "3"]) == 0
    assert "showing 3 of" in capsys.readouterr().err


def test_control_characters_in_names_are_escaped_on_the_terminal(tmp_path, small_frames,
                                                                 capsys):
    entities, relations = small_frames
    entities = entities.assign(name=entities["name"] + "\x1b]0;pwned\x07\x1b[2J\x9b")
    graphkit.save(graphkit.TemporalGraph.from_frames(entities, relations), tmp_path / "d")
    assert main(["shifts", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "\\u001b]0;pwned\\u0007" in out


def test_json_output_with_escaped_controls_is_still_json(tmp_path, small_frames, capsys):
    entities, relations = small_frames
    relations = relations.assign(evidence="a\x9bb")
    graphkit.save(graphkit.TemporalGraph.from_frames(entities, relations), tmp_path / "d")
    assert main(["shifts", str(tmp_path / "d"), "--json"]) == 0
    json.loads(capsys.readouterr().out)


def test_leftovers_of_live_processes_are_kept(tmp_path):
    mine = tmp_path / f".out.gk-tmp-{os.getpid()}-0123abcd"
    dead = tmp_path / ".out.gk-tmp-999999999-0123abcd"
    mine.mkdir()
    dead.mkdir()
    other = tmp_path / ".other.gk-tmp-999999999-0123abcd"
    other.write_text("")
    atomic.clean_leftovers(tmp_path / "out")
    assert mine.exists() and not dead.exists() and other.exists()



def test_report_tables_hold_the_compared_span_and_full_tables_on_request(tmp_path):
    from graphkit.report import build_report

    tg = graphkit.load(ROOT / "data" / "nagorno_karabakh")
    span = ("2020-11-10", "2023-07-01"), ("2023-09-01", "2023-10-01")
    short = build_report(tg, tmp_path / "short", *span)
    full = build_report(tg, tmp_path / "full", *span, full_tables=True)
    for name in ("centrality", "dyad_scores"):
        cut = pd.read_csv(short.path / "tables" / f"{name}.csv")
        everything = pd.read_csv(full.path / "tables" / f"{name}.csv")
        assert 0 < len(cut) < len(everything)
        periods = pd.PeriodIndex(cut["period"], freq="M")
        assert periods.min() == pd.Period("2020-11", "M")
        assert periods.max() == pd.Period("2023-09", "M")
    central = pd.read_csv(short.path / "tables" / "centrality.csv")
    assert (central["degree"] > 0).all()
