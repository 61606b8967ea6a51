"""The event schemas known by name (``events_to_relations(chunk, "gdelt")``).

Each data set module registers its schema when imported (:mod:`graphkit.io.events.gdelt`,
:mod:`graphkit.io.events.icews`), so the transform looks schemas up here and imports no
data set module.

Examples
--------
>>> from graphkit.io.events import EventSchema, get_schema, register_schema
>>> get_schema("GDELT").label
'GDELT'
>>> mine = register_schema(EventSchema("mine", date="day", code="cameo"), "mine-doctest")
>>> get_schema("mine-doctest") is mine
True
"""

from __future__ import annotations

from graphkit.io.events.schema import EventSchema

__all__ = ["get_schema", "register_schema", "schema_names"]

_SCHEMAS: dict[str, EventSchema] = {}


def register_schema(schema: EventSchema, name: str | None = None) -> EventSchema:
    """Make ``schema`` known under ``name`` (default: its label), case-insensitively.

    Parameters
    ----------
    schema : EventSchema
        The schema.
    name : str, optional
        The name to look it up by; default ``schema.label``.

    Returns
    -------
    EventSchema
        ``schema``, so that a module can write ``GDELT = register_schema(EventSchema(...))``.

    Raises
    ------
    ValueError
        Another schema is already registered under that name.
    """
    if not isinstance(schema, EventSchema):
        raise TypeError(f"register_schema needs an EventSchema, not {type(schema).__name__}")
    key = (name or schema.label).lower()
    known = _SCHEMAS.get(key)
    if known is not None and known != schema:
        raise ValueError(f"an event schema is already registered as {key!r}")
    _SCHEMAS[key] = schema
    return schema


def schema_names() -> list[str]:
    """Names of the registered schemas, in the order they were registered."""
    return list(_SCHEMAS)


def get_schema(schema: EventSchema | str) -> EventSchema:
    """The schema itself, or the one registered under a name (ignoring case).

    Parameters
    ----------
    schema : EventSchema or str
        A schema, or the name of a registered one (``"gdelt"``, ``"icews"``).

    Returns
    -------
    EventSchema

    Raises
    ------
    ValueError
        No schema is registered under that name.
    """
    if isinstance(schema, EventSchema):
        return schema
    found = _SCHEMAS.get(str(schema).lower())
    if found is None:
        names = ", ".join(repr(n) for n in _SCHEMAS)
        raise ValueError(f"unknown event schema {schema!r}: use {names} or an EventSchema")
    return found


