"""Input files: glob patterns, zip members and gzip streams, with a limit on how far a
compressed file may expand."""

from __future__ import annotations

import contextlib
import glob
import gzip
import io
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graphkit.io.events.errors import EventFileError, EventFormatError

__all__ = ["MAX_EXPANSION", "MIN_EXPANSION_LIMIT", "Source", "expansion_limit", "find_sources"]

#: Bytes a compressed file may expand to: this many times its compressed size, and at
#: least :data:`MIN_EXPANSION_LIMIT` (event files compress about 10 times).
MAX_EXPANSION = 100
MIN_EXPANSION_LIMIT = 1 << 30


@dataclass
class Source:
    """One input: a file, or a member of a zip archive (``member``); ``name`` is how the
    report names it (``archive.zip:member``)."""

    path: Path
    name: str
    member: str | None = None

    @contextlib.contextmanager
    def open(self) -> Iterator[tuple[io.BufferedIOBase, io.BufferedIOBase]]:
        """Yield ``(stream of decompressed bytes, raw file)``."""
        raw = open(self.path, "rb")  # noqa: SIM115 - closed below
        try:
            magic = raw.read(4)
            raw.seek(0)
            if self.member is not None:
                archive = zipfile.ZipFile(raw)
                with archive.open(self.member) as stream:
                    yield stream, raw
            elif magic[:2] == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=raw) as stream:
                    yield stream, raw
            else:
                yield raw, raw
        finally:
            raw.close()


def find_sources(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Source]:  # noqa: C901 - one branch per kind of path
    """The files to read: ``paths`` with glob patterns expanded and each member of a zip
    archive a source of its own; :class:`EventFileError` for a missing or unreadable
    file, :class:`EventFormatError` for a damaged or empty archive."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out = []
    for item in paths:
        text = os.fspath(item)
        matches = [text]
        if not os.path.exists(text) and glob.has_magic(text):
            matches = sorted(glob.glob(text))
            if not matches:
                raise EventFileError(f"{text}: no file matches this pattern")
        for match in matches:
            path = Path(match)
            if not path.exists():
                raise EventFileError(f"{match}: no such file")
            if path.is_dir():
                raise EventFileError(f"{match}: is a folder, not an event file")
            try:
                with open(path, "rb") as handle:
                    magic = handle.read(4)
            except OSError as err:
                raise EventFileError(f"{match}: cannot be read: {err.strerror}") from None
            if magic == b"PK\x03\x04":
                try:
                    with zipfile.ZipFile(path) as archive:
                        members = [m.filename for m in archive.infolist()
                                   if not m.is_dir() and not m.filename.startswith("__MACOSX")]
                except zipfile.BadZipFile:
                    raise EventFormatError(f"{match}: damaged zip archive") from None
                if not members:
                    raise EventFormatError(f"{match}: zip archive holds no file")
                out += [Source(path, f"{match}:{m}", m) for m in members]
            else:
                out.append(Source(path, match))
    if not out:
        raise EventFileError("no input files given")
    return out


def expansion_limit(source: Source) -> int:
    """Bytes the decompressed stream of ``source`` may hold: :data:`MAX_EXPANSION` times
    the file's size, and at least :data:`MIN_EXPANSION_LIMIT`."""
    return max(MIN_EXPANSION_LIMIT, MAX_EXPANSION * source.path.stat().st_size)
