"""Doctest namespace for the examples in graphkit's docstrings (``pytest --doctest-modules``).

Every example may use ``np``, ``pd``, ``nx``, ``graphkit`` and ``tg``, the bundled
Nagorno-Karabakh case, without importing them; paths are relative to the project root,
where the test command runs.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import graphkit

CASE = Path(__file__).resolve().parent / "data" / "nagorno_karabakh"


@pytest.fixture(autouse=True, scope="session")
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace.update(np=np, pd=pd, nx=nx, graphkit=graphkit,
                             tg=graphkit.load(CASE))
