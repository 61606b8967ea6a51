"""graphkit: how relationships between political actors change over time.

Load a table of actors and a table of dated, typed relations, then ask what the network
looked like on a day or over a period, compute metrics over time, find the relationships
that shifted, and send interactive, self-contained HTML views.

>>> import graphkit
>>> tg = graphkit.load("data/nagorno_karabakh")  # doctest: +SKIP
>>> tg.snapshot("2023-09-25")  # doctest: +SKIP
"""

from graphkit.io import load, read_json, save, to_json, write_json
from graphkit.temporal import TemporalGraph
from graphkit.validation import ValidationError
from graphkit.vocabulary import RelationType, Vocabulary, default_vocabulary, register_relation_type

__version__ = "0.1.0"

# Analysis and view modules load on first use (``graphkit.metrics.centrality(...)`` works
# after ``import graphkit``) so the command line and plain loading stay quick.
_SUBMODULES = frozenset({"aggregate", "balance", "dask", "metrics", "report", "shifts", "views"})


def __getattr__(name: str):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"graphkit.{name}")
    raise AttributeError(f"module 'graphkit' has no attribute {name!r}")

__all__ = [
    "RelationType",
    "TemporalGraph",
    "ValidationError",
    "Vocabulary",
    "__version__",
    "default_vocabulary",
    "load",
    "read_json",
    "register_relation_type",
    "save",
    "to_json",
    "write_json",
]
