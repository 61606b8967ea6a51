"""Input and output: graphkit folders, JSON, GEXF (Gephi), GraphML, and importers of coded
event data.

The event importers (:mod:`graphkit.io.events`) are loaded on first use of one of their
names, so ``import graphkit`` does not load them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphkit.io.files import load, read_json, save, to_json, write_json
from graphkit.io.gexf import read_gexf, write_gexf
from graphkit.io.graphml import write_graphml

if TYPE_CHECKING:
    from graphkit.io.events import (
        EventSchema,
        ImportReport,
        events_to_relations,
        read_cameo,
        read_gdelt,
        read_icews,
    )

#: Names of :mod:`graphkit.io.events` exported here, imported when first asked for.
EVENT_NAMES = frozenset({"EventSchema", "ImportReport", "events_to_relations", "read_cameo",
                         "read_gdelt", "read_icews"})

__all__ = [
    "EventSchema",
    "ImportReport",
    "events_to_relations",
    "load",
    "read_cameo",
    "read_gdelt",
    "read_gexf",
    "read_icews",
    "read_json",
    "save",
    "to_json",
    "write_gexf",
    "write_graphml",
    "write_json",
]


def __getattr__(name: str) -> Any:
    if name in EVENT_NAMES:
        from graphkit.io import events

        value = getattr(events, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | EVENT_NAMES)
