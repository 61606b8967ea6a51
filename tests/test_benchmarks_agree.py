"""The scale benchmark's approaches compute the same numbers (its --check, at small size).

graphkit, pandas + networkx and naive Python always; Raphtory when it is installed (the
``bench`` extra). No timings here: this proves the benchmark compares like with like.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path[:0] = [str(BENCHMARKS)]
    try:
        import bench_scale

        yield bench_scale
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_all_approaches_agree(bench):
    with_raphtory = importlib.util.find_spec("raphtory") is not None
    assert bench.check(n=3000, m=40, years=2, seed=3, raphtory=with_raphtory) == []


def test_check_detects_a_difference(bench):
    import pandas as pd

    ref = pd.DataFrame({"period": ["2020-01"], "entity": ["A"], "pagerank": [0.5]})
    off = ref.assign(pagerank=0.5 + 2e-6)
    assert bench._compare("W2", ref, off, ["period", "entity"], {"pagerank": 1e-6})
    assert not bench._compare("W2", ref, ref, ["period", "entity"], {"pagerank": 1e-6})


def test_generator_is_seeded_and_shaped(bench):
    from generate import generate

    a = generate(2000, 30, 2, seed=5)[1]
    b = generate(2000, 30, 2, seed=5)[1]
    pd_testing = pytest.importorskip("pandas").testing
    pd_testing.assert_frame_equal(a, b)
    assert len(a) == 2000 and a["type"].nunique() == 8
    assert (a["source"] != a["target"]).all()
    durable = a[a["end"] != ""]
    assert set(durable["type"]) <= {"alliance", "sanctions"}
    assert len(durable) > 0
