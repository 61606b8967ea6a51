"""Errors of the event importers."""

from __future__ import annotations

__all__ = ["EventFileError", "EventFormatError", "LimitExceeded"]


class EventFileError(ValueError):
    """An input file is missing or cannot be opened."""


class EventFormatError(ValueError):
    """An input file is not in the expected layout (not an event file of that kind)."""


class LimitExceeded(Exception):
    """A line or a decompressed stream over its limit (reported by :func:`read_events`)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line
