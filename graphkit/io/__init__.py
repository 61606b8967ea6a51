"""Input and output: graphkit folders, JSON, GEXF (Gephi), GraphML, and importers of coded
event data."""

from graphkit.io.events import EventSchema, ImportReport, events_to_relations, read_cameo
from graphkit.io.files import load, read_json, save, to_json, write_json
from graphkit.io.gdelt import read_gdelt
from graphkit.io.gexf import read_gexf, write_gexf
from graphkit.io.graphml import write_graphml
from graphkit.io.icews import read_icews

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
