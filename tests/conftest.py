"""Shared fixtures: paths to the project's data and to ../shared."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

# No timing in unit tests: Hypothesis' per-example deadline fails on a loaded 2-core
# machine (test_dates failed on it at a load average of 15), so it is off everywhere.
settings.register_profile("graphkit", deadline=None)
settings.load_profile("graphkit")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures"


def _runs_long(item: pytest.Item) -> bool:
    """A Hypothesis property (tens to hundreds of examples), a notebook run or a test
    marked ``slow``."""
    function = getattr(item, "obj", None)
    return (getattr(function, "is_hypothesis_test", False)
            or any(item.get_closest_marker(name) for name in ("slow", "notebook")))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long tests first, each group in collection order.

    With ``-n auto`` and ``--dist worksteal`` (pyproject.toml) the workers start on the
    long tests and end on short ones, which an idle worker takes over, instead of one
    worker finishing a long test alone at the end.
    """
    items.sort(key=lambda item: not _runs_long(item))


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the project")
    return SHARED


@pytest.fixture
def small_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    entities = pd.DataFrame(
        {
            "id": ["ARM", "AZE", "RUS", "CSTO", "USA"],
            "name": ["Armenia", "Azerbaijan", "Russia", "CSTO", "United States"],
            "type": ["state", "state", "state", "organisation", "state"],
            "aliases": ["Yerevan", "Baku", "Moscow;Kremlin", "Collective Security Treaty Org",
                        "Washington"],
            "region": ["Caucasus", "Caucasus", "Europe", "", "Americas"],
        }
    )
    relations = pd.DataFrame(
        {
            "source": ["ARM", "ARM", "RUS", "Baku", "ARM", "USA", "RUS", "ARM"],
            "target": ["CSTO", "RUS", "ARM", "ARM", "kremlin", "ARM", "ARM", "USA"],
            "type": ["membership", "alliance", "peacekeeping", "military_action",
                     "criticism", "aid", "criticism", "cooperation"],
            "start": ["2002-10-07", "1997-08-29", "2020-11", "2023-09-19", "2023-09",
                      "2023-09-25", "2023-09-25", "2023-09-11"],
            "end": ["", "", "", "2023-09-20", "", "", "", "2023-09-20"],
            "weight": ["", "", "", "-10", "", "", "-3", ""],
            "evidence": ["member", "treaty", "mission", "offensive", "blame", "aid",
                         "rebuttal", "exercise"],
            "source_ref": ["background", "background", "background", "report", "report",
                           "report", "report", "report"],
            "via": ["", "", "", "", "PASHINYAN", "POWER", "PESKOV", ""],
        }
    )
    return entities, relations
