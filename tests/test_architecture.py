"""Structure checks: declared dependencies are used, files are written by one writer,
and equivalent spellings of an argument give one result."""

from __future__ import annotations

import ast
import math
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import graphkit

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
#: Distribution name -> the module it is imported as, where the two differ.
IMPORT_NAMES = {"pytest-xdist": "xdist", "import-linter": "importlinter"}
#: Used without an ``import`` statement in the code (the reason is the value).
USED_OTHERWISE = {
    "ruff": "run as a command by scripts/dev.py test",
    "import-linter": "run as the lint-imports command by scripts/dev.py test",
    "pytest-xdist": "pytest -n, used by scripts/dev.py test and scripts/floors.py",
    "ipykernel": "the kernel tests/test_notebooks.py starts",
    "jupyter": "the notebook front end",
    "jupyterlab": "the notebook front end",
}


def _imported(folders: list[str]) -> set[str]:
    """Top-level names imported by the Python files under ``folders``."""
    names = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
                elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {
                        "importorskip", "import_module"} and node.args \
                        and isinstance(node.args[0], ast.Constant):
                    names.add(str(node.args[0].value).split(".")[0])
    return names


def _names(specs: list[str]) -> list[str]:
    out = []
    for spec in specs:
        name = spec.split(";")[0].split("[")[0]
        for sep in "<>=!~ ":
            name = name.split(sep)[0]
        out.append(name.strip().lower())
    return out


def _unused(specs: list[str], folders: list[str]) -> list[str]:
    imported = _imported(folders)
    return [name for name in _names(specs) if name not in USED_OTHERWISE
            and IMPORT_NAMES.get(name, name).replace("-", "_") not in imported]


def test_every_runtime_dependency_is_imported_by_graphkit():
    assert _unused(PYPROJECT["project"]["dependencies"], ["graphkit"]) == []


@pytest.mark.parametrize("extra, folders", [
    ("scale", ["graphkit"]),
    ("bench", ["benchmarks"]),
    ("test", ["tests", "graphkit", "scripts"]),
    ("notebook", ["tests"]),
])
def test_every_optional_dependency_is_used_where_its_extra_says(extra, folders):
    assert _unused(PYPROJECT["project"]["optional-dependencies"][extra], folders) == []


def test_the_dependency_check_sees_an_unused_package():
    assert _unused(["networkx>=3", "not-a-real-package>=1"], ["graphkit"]) == [
        "not-a-real-package"]


def test_only_the_atomic_module_renames_or_makes_temporary_files():
    """Every file graphkit writes goes through graphkit.core.atomic (one writer)."""
    offenders = []
    for path in (ROOT / "graphkit").rglob("*.py"):
        if path == ROOT / "graphkit" / "core" / "atomic.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
                    (node.value.id == "os" and node.attr in {"replace", "rename"})
                    or (node.value.id == "tempfile" and node.attr in {
                        "mkstemp", "NamedTemporaryFile", "mkdtemp"})):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} "
                                 f"{node.value.id}.{node.attr}")
    assert offenders == []


# ------------------------------------------------------------------ half_life spellings


def _edges(graph) -> pd.DataFrame:
    rows = [{"key": k, "decay": d["decay"], "decayed_weight": d["decayed_weight"]}
            for _, _, k, d in graph.edges(keys=True, data=True)]
    return pd.DataFrame(rows).sort_values("key", ignore_index=True)


@pytest.mark.parametrize("spelling", ["30D", "30", 30.0, pd.Timedelta(days=30),
                                      "30 days", "720h"])
def test_snapshot_half_life_spellings_agree(small_frames, spelling):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    reference = _edges(tg.snapshot("2023-10-20", half_life=30))
    # the decay actually depends on the half-life: a 30-day age halves the event
    decays = reference["decay"].to_numpy()
    assert ((decays > 0) & (decays < 1)).any()
    got = _edges(tg.snapshot("2023-10-20", half_life=spelling))
    pd.testing.assert_frame_equal(got, reference)


def test_snapshot_half_life_other_value_differs(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    a = _edges(tg.snapshot("2023-10-20", half_life=30))
    b = _edges(tg.snapshot("2023-10-20", half_life="60D"))
    event = a["decay"] < 1
    assert event.any()
    for x, y in zip(a.loc[event, "decay"], b.loc[event, "decay"], strict=True):
        assert math.isclose(x, y * y, rel_tol=1e-12)  # 0.5**(a/30) == (0.5**(a/60))**2


@pytest.mark.parametrize("bad", ["soon", "0", -30, "-5D", float("nan")])
def test_snapshot_half_life_refuses_what_is_not_a_positive_duration(small_frames, bad):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    with pytest.raises(ValueError, match="half_life"):
        tg.snapshot("2023-10-20", half_life=bad)
