"""Input and output: graphkit folders, JSON, and importers of coded event data."""

from graphkit.io.files import load, read_json, save, to_json, write_json

__all__ = ["load", "read_json", "save", "to_json", "write_json"]
