"""graphkit: how relationships between political actors change over time.

Load a table of actors and a table of dated, typed relations, then ask what the network
looked like on a day or over a period, compute metrics over time, find the relationships
that shifted, and send interactive, self-contained HTML views.

The package is layered (``docs/architecture.md``): ``core`` (dates, time specification,
vocabulary, problems, atomic writing) < ``model`` (tables, ``TemporalGraph``, the
measurement rule) < ``io`` and ``analysis`` < ``views`` < ``report`` < ``cli``.

>>> import graphkit
>>> tg = graphkit.load("data/nagorno_karabakh")
>>> tg.snapshot("2023-09-25").number_of_nodes() > 0
True
"""

import importlib

from graphkit.core.problems import ValidationError
from graphkit.core.vocabulary import (
    RelationType,
    Vocabulary,
    default_vocabulary,
    register_relation_type,
)
from graphkit.io import load, read_json, save, to_json, write_json
from graphkit.model.temporal import TemporalGraph

__version__ = "0.1.0"

#: Public modules, loaded on first use (``graphkit.metrics.centrality(...)`` works after
#: ``import graphkit``) so that the command line and plain loading stay quick.
PUBLIC_MODULES = {
    "aggregate": "graphkit.analysis.aggregate",
    "atomic": "graphkit.core.atomic",
    "balance": "graphkit.analysis.balance",
    "dask": "graphkit.dask",
    "measure": "graphkit.model.measure",
    "metrics": "graphkit.analysis.metrics",
    "report": "graphkit.report",
    "shifts": "graphkit.analysis.shifts",
    "views": "graphkit.views",
}


def __getattr__(name: str):
    if name in PUBLIC_MODULES:
        module = importlib.import_module(PUBLIC_MODULES[name])
        globals()[name] = module
        return module
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
