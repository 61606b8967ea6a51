"""The event importer package: loaded lazily, schemas found by name, no private names
imported across modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import graphkit.io
from graphkit.io import events
from graphkit.io.events import EventSchema, events_to_relations, get_schema, register_schema
from graphkit.io.events.gdelt import GDELT
from graphkit.io.events.icews import ICEWS

ROOT = Path(__file__).resolve().parents[1]


def _loaded_after(code: str) -> list[str]:
    """Modules of graphkit.io loaded in a fresh interpreter after running ``code``."""
    probe = (f"import sys\n{code}\n"
             "print('\\n'.join(m for m in sys.modules if m.startswith('graphkit.io')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    return out.stdout.split()


def test_import_graphkit_does_not_load_the_event_importer():
    loaded = _loaded_after("import graphkit")
    assert "graphkit.io" in loaded  # graphkit.load and save come from graphkit.io
    assert not [m for m in loaded if m.startswith("graphkit.io.events")]
    assert "graphkit.io.cameo" not in loaded


def test_first_use_of_an_event_name_loads_the_importer():
    loaded = _loaded_after("import graphkit.io\ngraphkit.io.read_gdelt")
    assert {"graphkit.io.events", "graphkit.io.events.gdelt",
            "graphkit.io.events.icews", "graphkit.io.cameo"} <= set(loaded)


@pytest.mark.parametrize("name", sorted(graphkit.io.EVENT_NAMES))
def test_graphkit_io_exports_the_event_names(name):
    assert name in graphkit.io.__all__
    assert name in dir(graphkit.io)
    assert getattr(graphkit.io, name) is getattr(events, name)


def test_graphkit_io_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'read_nothing'"):
        graphkit.io.read_nothing  # noqa: B018
    assert not hasattr(graphkit.io, "read_nothing")


def test_schemas_are_found_by_name_ignoring_case():
    assert get_schema("gdelt") is GDELT
    assert get_schema("GDELT") is GDELT
    assert get_schema("Icews") is ICEWS
    assert get_schema(ICEWS) is ICEWS
    assert events.schema_names()[:2] == ["gdelt", "icews"]


def test_unknown_schema_name_lists_the_registered_ones():
    with pytest.raises(ValueError, match=r"unknown event schema 'acled': use 'gdelt', "
                                         r"'icews'.* or an EventSchema"):
        events_to_relations(pd.DataFrame(), "acled")


def test_a_name_cannot_be_taken_twice():
    other = EventSchema("GDELT", date="day", code="cameo")
    with pytest.raises(ValueError, match="already registered as 'gdelt'"):
        register_schema(other)
    assert get_schema("gdelt") is GDELT
    assert register_schema(GDELT, "gdelt") is GDELT  # the same schema again is fine
    with pytest.raises(TypeError, match="needs an EventSchema"):
        register_schema("gdelt")  # type: ignore[arg-type]


def test_a_registered_schema_is_used_by_name():
    schema = register_schema(EventSchema("test-registry", date="day", date_format="%Y-%m-%d",
                                         code="cameo", source_country="from",
                                         target_country="to"))
    chunk = pd.DataFrame({"day": ["2023-09-19", "2023-09-26"], "from": ["AZE", "USA"],
                          "to": ["ARM", "ARM"], "cameo": ["190", "073"]})
    by_name = events_to_relations(chunk, "Test-Registry")
    pd.testing.assert_frame_equal(by_name, events_to_relations(chunk, schema))
    assert by_name["type"].tolist() == ["military_action", "aid"]
    assert by_name["source_ref"].tolist() == ["test-registry", "test-registry"]


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graphkit"):
            found += [f"{path.name}:{node.lineno}: {node.module}.{a.name}"
                      for a in node.names
                      if a.name.startswith("_") and not a.name.endswith("__")]
    return found


def test_no_private_names_imported_across_io_modules():
    paths = sorted((ROOT / "graphkit" / "io").rglob("*.py"))
    assert any(p.parent.name == "events" for p in paths)
    assert [hit for p in paths for hit in _private_imports(p)] == []


def test_igo_codes_of_real_gdelt_rows_name_their_organisations(shared):
    """The shipped IGO codes, checked on the actor codes of the shared GDELT export."""
    from graphkit.io.events.roles import organisation_ids

    path = shared / "datasets" / "gdelt" / "gdelt1_georgia_2012-01_rexport.csv"
    rows = pd.read_csv(path, dtype=str, usecols=["Actor1Code", "Actor1Name",
                                                 "Actor2Code", "Actor2Name"])
    actors = pd.concat([rows[["Actor1Code", "Actor1Name"]].set_axis(["code", "name"], axis=1),
                        rows[["Actor2Code", "Actor2Name"]].set_axis(["code", "name"], axis=1)])
    actors = actors[actors["code"].fillna("").str.startswith("IGO")].drop_duplicates()
    found = dict(zip(actors["name"], organisation_ids(pd.Series("", index=actors.index),
                                                      actors["code"]), strict=True))
    assert found["NATO"] == "NATO"
    assert found["OSCE"] == "OSCE"
    assert found["THE EU"] == "EU"
    assert found["COUNCIL OF EUROPE"] == "COE"
    assert found["WORLD BANK"] == "WORLD_BANK"
    assert found["IAEA"] == "IAEA"
