"""Fuzzing the CSV and JSON readers (issue 14): whatever the bytes, ``load`` either
returns a graph or raises a ValidationError whose every problem names a file and a
reason; never another exception, never a hang (an alarm guards each example).
Bounded: a few dozen examples per test, small inputs."""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphkit
from graphkit.cli import main
from graphkit.core.problems import ValidationError

SETTINGS = settings(max_examples=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
GUARD_SECONDS = 30

ENTITIES = "id,name,type,aliases\nARM,Armenia,state,Yerevan\nAZE,Azerbaijan,state,Baku\n"
RELATIONS = ("source,target,type,start,end,weight,sign\n"
             "ARM,AZE,military_action,2023-09-19,2023-09-20,-10,-1\n"
             "AZE,ARM,criticism,2023-09,,,\n")
TYPES = "type,sign,weight,durable\ncyber,-1,-5,false\n"

# pieces that tend to break CSV and date parsing
NASTY = ["\"", "\"\"", ",", "\n", "\r", "\r\n", "\x00", "\ufeff", "\ud7ff", "0000",
         "9999-12-31", "1e400", "inf", "nan", "-0", "=cmd", "\u0662\u0660\u0662\u0663",
         "\t", ";", "x" * 300, "é", "\\", "'"]


@contextlib.contextmanager
def alarm(seconds: int = GUARD_SECONDS):
    def hang(signum, frame):
        raise TimeoutError(f"reader still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def assert_located_or_clean(path: Path) -> None:
    with alarm():
        try:
            graphkit.load(path)
        except ValidationError as err:
            problems = err.problems
            assert len(problems) > 0
            assert problems["file"].map(lambda f: isinstance(f, str) and f != "").all()
            assert problems["reason"].map(lambda r: isinstance(r, str) and r != "").all()


@st.composite
def mutated(draw, text: str) -> str:
    """``text`` with a few pieces inserted, deleted or replaced."""
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 5)):]
        else:
            text = text[:at] + piece + text[at + len(piece):]
    return text


def folder_with(entities: str, relations: str, types: str | None = None,
                descriptor: str | None = None) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="gk-fuzz-"))
    for name, text in (("entities.csv", entities), ("relations.csv", relations),
                       ("relation_types.csv", types), ("datapackage.json", descriptor)):
        if text is not None:
            (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    return folder


@SETTINGS
@given(entities=mutated(ENTITIES), relations=mutated(RELATIONS), types=mutated(TYPES))
def test_fuzzed_csv_folder_gives_a_located_error_or_a_clean_load(entities, relations, types):
    folder = folder_with(entities, relations, types)
    try:
        assert_located_or_clean(folder)
    finally:
        shutil.rmtree(folder)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=10) | st.sampled_from(NASTY),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=3),
    max_leaves=10,
)
KEYS = ["id", "name", "type", "aliases", "source", "target", "start", "end", "weight",
        "sign", "directed", "confidence", "quad_class", "evidence"]


def base_document() -> dict:
    return {"format": "graphkit-temporal-graph", "version": 1, "metadata": {"title": "x"},
            "relation_types": [],
            "entities": [{"id": "ARM", "name": "Armenia", "type": "state", "aliases": []},
                         {"id": "AZE", "name": "Azerbaijan", "type": "state",
                          "aliases": ["Baku"]}],
            "relations": [{"source": "ARM", "target": "AZE", "type": "criticism",
                           "start": "2023-09"}]}


@SETTINGS
@given(table=st.sampled_from(["entities", "relations", "relation_types", "metadata", None]),
       key=st.sampled_from(KEYS), value=JSON_VALUES)
def test_fuzzed_graph_json_gives_a_located_error_or_a_clean_load(table, key, value):
    document = base_document()
    if table is None:
        document = value if not isinstance(value, dict) else {**document, **value}
    elif table == "metadata":
        document["metadata"][key] = value
    elif table == "relation_types":
        document["relation_types"] = [{"type": "cyber", "sign": -1, "weight": -5,
                                       "durable": False, key: value}]
    else:
        document[table][0][key] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        assert_located_or_clean(path)


@SETTINGS
@given(text=mutated(json.dumps(base_document())))
def test_fuzzed_json_text_gives_a_located_error_or_a_clean_load(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.json"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        assert_located_or_clean(path)


@SETTINGS
@given(text=mutated(json.dumps({"resources": [
    {"name": "entities", "path": "entities.csv", "encoding": "utf-8",
     "dialect": {"delimiter": ","}},
    {"name": "relations", "path": "relations.csv"}], "sources": [{"title": "t"}]})))
def test_fuzzed_datapackage_gives_a_located_error_or_a_clean_load(text):
    folder = folder_with(ENTITIES, RELATIONS, descriptor=text)
    try:
        assert_located_or_clean(folder)
    finally:
        shutil.rmtree(folder)


@settings(max_examples=10, deadline=None, database=None)
@given(relations=mutated(RELATIONS))
def test_fuzzed_folder_through_the_cli_exits_0_or_1_without_a_traceback(relations):
    folder = folder_with(ENTITIES, relations)
    try:
        with alarm():
            code = main(["validate", str(folder)])
        assert code in (0, 1)
    finally:
        shutil.rmtree(folder)


def test_the_fuzz_base_inputs_load_cleanly():
    folder = folder_with(ENTITIES, RELATIONS, TYPES)
    try:
        assert len(graphkit.load(folder).relations) == 2
    finally:
        shutil.rmtree(folder)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.json"
        path.write_text(json.dumps(base_document()))
        assert isinstance(graphkit.load(path).relations, pd.DataFrame)
