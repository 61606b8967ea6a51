"""Safe outputs: the one atomic writer and the checks on every output path.

Every file graphkit writes (CSV, JSON, HTML, Parquet) goes through :func:`writing`: a
temporary file in the destination's folder, flushed and ``fsync``-ed, given the mode a
plain ``open`` would give (from the umask) and renamed over the destination, so a killed
run leaves either the old file or the new one, never a truncated one. Folders
(``report``, ``import``, ``save``) are written by :class:`atomic_folder`: a temporary
folder beside the destination, marked as graphkit output by a :data:`MARKER` file and
renamed into place under a lock, so concurrent writers to one path each leave a complete
folder and the last one wins.

:func:`check_output_folder` and :func:`check_output_file` run before any work: they
refuse to replace anything graphkit did not write (a non-empty folder without the
marker, a file where a folder goes, a page without graphkit's ``generator`` tag), the
input itself or a folder holding it, ``.``, ``/`` and the home folder. Temporaries left
by killed runs (their process is gone) are removed by the next run writing beside them.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "MARKER",
    "UnsafeOutputError",
    "atomic_folder",
    "check_output_file",
    "check_output_folder",
    "mark_folder",
    "neutralise",
    "write_bytes",
    "write_csv",
    "write_text",
    "writing",
]

#: Name of the file marking a folder as graphkit output (replaceable by graphkit).
MARKER = ".graphkit-output"
_MARKER_TEXT = ("This folder was written by graphkit. graphkit replaces a folder holding\n"
                "this file when asked to write there again; delete the file to protect it.\n")
_TEMP = re.compile(r"^\.(?P<name>.+)\.gk-(?P<kind>tmp|old)-(?P<pid>\d+)-[0-9a-f]{8}$")
_GENERATOR = b'<meta name="generator" content="graphkit'


class UnsafeOutputError(ValueError):
    """An output path graphkit refuses to write (the CLI exits 2, before any work)."""


# --------------------------------------------------------------------------- files


def _umask_mode(base: int = 0o666) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


def _temp_name(path: Path, kind: str) -> Path:
    return path.with_name(f".{path.name}.gk-{kind}-{os.getpid()}-{secrets.token_hex(4)}")


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def writing(path: str | os.PathLike, mode: str = "w", *, encoding: str | None = "utf-8",
            newline: str | None = "") -> Iterator:
    """Open a temporary file beside ``path``; rename it onto ``path`` on success.

    Yields a file object (text for ``mode="w"``, binary for ``"wb"``). On success the
    data is flushed and ``fsync``-ed, the file gets mode ``0o666 & ~umask`` and replaces
    ``path`` in one rename; on any error the temporary is removed and ``path`` is
    untouched.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(path)
    tmp = _temp_name(path, "tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        text = mode == "w"
        with os.fdopen(fd, mode, **({"encoding": encoding, "newline": newline} if text
                                    else {})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`writing`)."""
    with writing(path, "wb") as handle:
        handle.write(data)
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically, newlines as given."""
    with writing(path, "w") as handle:
        handle.write(text)
    return Path(path)


# --------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _neutral(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers cannot run as spreadsheet formulas.

    Following OWASP's advice on CSV injection, a text cell starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading ``'`` (spreadsheets then show it
    as text). Numbers, including text such as ``-1.5`` that reads as a number, stay as
    they are; so do non-text columns.
    """
    out = frame.rename(columns=lambda c: _neutral(c) if isinstance(c, str) else c)
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column) \
                or pd.api.types.is_datetime64_any_dtype(column):
            continue
        values = column.to_numpy(dtype=object)
        risky = np.fromiter((isinstance(v, str) and v.startswith(_FORMULA_START)
                             for v in values), dtype=bool, count=len(values))
        if risky.any():
            values = values.copy()
            values[risky] = [_neutral(v) for v in values[risky]]
            out.isetitem(i, pd.Series(values, index=out.index, dtype=object))
    return out


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, *, raw: bool = False,
              index: bool = False) -> Path:
    """Write ``frame`` as UTF-8 CSV (``\\n`` line ends) atomically.

    Formulas are neutralised (:func:`neutralise`) unless ``raw=True``.
    """
    data = frame if raw else neutralise(frame)
    with writing(path, "w") as handle:
        data.to_csv(handle, index=index, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return Path(path)


# --------------------------------------------------------------------------- checks


def _resolved(paths: Iterable[str | os.PathLike]) -> list[Path]:
    return [Path(p).resolve() for p in paths]


def _refuse(path: Path, why: str) -> None:
    raise UnsafeOutputError(f"refusing to write {str(path)!r}: {why}")


def _check_not_input(path: Path, inputs: list[Path]) -> None:
    target = path.resolve()
    for source in inputs:
        if target == source:
            _refuse(path, "it is the input")
        if target in source.parents:
            _refuse(path, f"it holds the input {str(source)!r}")
        if source.is_dir() and source in target.parents \
                and len(target.relative_to(source).parts) == 1 \
                and target.suffix.lower() in (".csv", ".json", ".parquet"):
            _refuse(path, f"it would sit among the input files of {str(source)!r}")


def _check_not_root(path: Path) -> None:
    target = path.resolve()
    if target == Path(target.anchor) or target == Path.cwd().resolve() \
            or target == Path.home().resolve():
        _refuse(path, "it is the current, home or root folder; name a new folder instead")


def is_graphkit_folder(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder graphkit wrote (it holds the :data:`MARKER` file)."""
    path = Path(path)
    return path.is_dir() and not path.is_symlink() and (path / MARKER).is_file()


def mark_folder(path: str | os.PathLike) -> Path:
    """Mark the existing folder ``path`` as graphkit output (write :data:`MARKER` in it)."""
    path = Path(path)
    write_text(path / MARKER, _MARKER_TEXT)
    return path


def check_output_folder(path: str | os.PathLike, *, inputs: Iterable = (),
                        force: bool = False) -> Path:
    """Refuse a folder output that could destroy what graphkit did not write.

    Allowed: a path that does not exist, an empty folder, or a folder graphkit wrote
    (it holds :data:`MARKER`). Refused: the input or any folder holding it (even with
    ``force``), ``.``, ``/`` and the home folder, a file or symlink, and a non-empty
    folder without the marker (unless ``force``).

    Raises
    ------
    UnsafeOutputError
    """
    path = Path(path)
    _check_not_root(path)
    _check_not_input(path, _resolved(inputs))
    if path.is_symlink():
        _refuse(path, "it is a symbolic link")
    if not path.exists():
        return path
    if not path.is_dir():
        _refuse(path, "it is an existing file, not a folder graphkit wrote")
    if is_graphkit_folder(path) or not any(path.iterdir()):
        return path
    if not force:
        _refuse(path, f"it is a folder graphkit did not write (no {MARKER} file inside); "
                      "choose a new folder, or pass --force to replace it")
    return path


def check_output_file(path: str | os.PathLike, *, inputs: Iterable = (),
                      force: bool = False) -> Path:
    """Refuse a file output that could destroy what graphkit did not write.

    Refused: the input or any file among an input folder's tables (even with ``force``),
    a folder, a symlink or a non-regular file, and an existing ``.html`` page without
    graphkit's ``generator`` tag (unless ``force``). Other existing files are replaced
    atomically, as shell redirection would replace them.
    """
    path = Path(path)
    if path.is_dir():
        _refuse(path, "it is a folder; give a file name")
    _check_not_input(path, _resolved(inputs))
    if path.is_symlink():
        _refuse(path, "it is a symbolic link")
    if path.exists() and not path.is_file():
        _refuse(path, "it is not a regular file")
    if path.is_file() and path.suffix.lower() in (".html", ".htm") and not force:
        with open(path, "rb") as handle:
            head = handle.read(4096)
        if _GENERATOR not in head:
            _refuse(path, "it is a page graphkit did not write; pass --force to replace it")
    return path


# --------------------------------------------------------------------------- folders


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(path: str | os.PathLike) -> list[Path]:
    """Remove temporaries of ``path`` left by graphkit runs whose process is gone."""
    path = Path(path)
    removed = []
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not match or match["name"] != path.name or _alive(int(match["pid"])):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class atomic_folder:
    """Context manager: a temporary folder renamed to ``path`` only on success.

    The folder is created beside ``path``, marked with :data:`MARKER`, and on success
    renamed into place while holding a lock on the parent folder; an earlier graphkit
    output at ``path`` is removed after the rename. On failure the temporary folder is
    removed and ``path`` is left as it was. ``path`` must pass
    :func:`check_output_folder` (checked again at the rename, so a foreign folder created
    meanwhile is not replaced unless ``force``).
    """

    def __init__(self, path: str | os.PathLike, *, force: bool = False):
        self.path = Path(path)
        self.force = force

    def __enter__(self) -> Path:
        check_output_folder(self.path, force=self.force)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(self.path)
        self.tmp = _temp_name(self.path, "tmp")
        self.tmp.mkdir(mode=0o777)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        try:
            mark_folder(self.tmp)
            _fsync_folder(self.tmp)
            with _folder_lock(self.path.parent):
                check_output_folder(self.path, force=self.force)
                old = None
                if self.path.exists():
                    old = _temp_name(self.path, "old")
                    os.replace(self.path, old)
                os.replace(self.tmp, self.path)
                _fsync_folder(self.path.parent)
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
