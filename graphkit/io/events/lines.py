"""The byte-level line splitter: blocks of whole lines, counted and parsed on the bytes.

A block is split into lines and fields with numpy on its bytes (no line is decoded to
count its fields), and only the lines with a known number of fields are handed to the C
parser of pandas, so a malformed line costs nothing but its count in the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import numpy as np
import pandas as pd

from graphkit.io.events.errors import LimitExceeded
from graphkit.io.events.report import MALFORMED_LIMIT
from graphkit.io.events.schema import Layout

__all__ = ["MAX_LINE_BYTES", "line_table", "parse_lines", "read_blocks", "select_lines",
           "split_pieces", "undecodable_lines"]

#: Bytes in one line of an event file (a GDELT row is under 2 KB); a longer line is an
#: error, so a file of one huge line cannot take the memory of the machine.
MAX_LINE_BYTES = 1 << 20


def read_blocks(stream: io.BufferedIOBase, size: int, max_line: int | None = None,
                max_total: int | None = None) -> Iterator[bytes]:
    """Blocks of whole lines (without the final newline) of about ``size`` bytes.

    Raises ``LimitExceeded`` when a line grows past ``max_line`` bytes or the stream past
    ``max_total``, before holding more than about ``size + max_line`` bytes.
    ``max_line`` defaults to :data:`MAX_LINE_BYTES` (read when called).
    """
    if max_line is None:
        max_line = MAX_LINE_BYTES
    carry, total = b"", 0
    while True:
        data = stream.read(size)
        total += len(data)
        if max_total is not None and total > max_total:
            raise LimitExceeded(f"expands to more than {max_total:,} bytes (the limit for a "
                            "compressed file of this size)")
        if not data:
            if carry:
                yield carry
            return
        data = carry + data
        cut = data.rfind(b"\n")
        if cut < 0:
            if len(data) > max_line:
                raise LimitExceeded(f"a line is longer than {max_line:,} bytes")
            carry = data
            continue
        block = data[:cut]
        if block.count(b"\n") > MANY_LINES:  # short lines: smaller blocks, less memory
            yield from split_pieces(block, PIECE_BYTES)
        else:
            yield block
        carry = data[cut + 1:]
        if len(carry) > max_line:
            raise LimitExceeded(f"a line is longer than {max_line:,} bytes")


#: Lines in a block above which it is parsed in pieces of ``PIECE_BYTES``: the per-line
#: arrays of a 32 MB block of 2-byte lines would take about 1 GB.
MANY_LINES = 1 << 20
PIECE_BYTES = 4 << 20


def split_pieces(block: bytes, size: int) -> Iterator[bytes]:
    """A block of lines cut at newlines into pieces of about ``size`` bytes."""
    start = 0
    while True:
        if len(block) - start <= size:
            yield block[start:]
            return
        end = block.rfind(b"\n", start, start + size)
        if end < 0:
            end = block.find(b"\n", start + size)
            if end < 0:
                yield block[start:]
                return
        yield block[start:end]
        start = end + 1


def line_table(block: bytes, layout: Layout) -> dict[str, np.ndarray]:
    """Per line of a block: start, end (without ``\\r``), number of fields and whether
    its quotes are unbalanced; counted on the bytes, so no line is decoded.

    UTF-8 never uses the bytes of a newline, tab, comma or quote inside a multi-byte
    character, so counting bytes counts characters.
    """
    data = np.frombuffer(block, dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    starts = np.concatenate([[0], newlines + 1])
    ends = np.concatenate([newlines, [len(data)]])
    carriage = (ends > starts) & (data[np.maximum(ends - 1, 0)] == 13) if len(data) \
        else np.zeros(len(ends), dtype=bool)
    raw_ends = np.minimum(ends + 1, len(data))  # through the newline
    ends = ends - carriage
    delimiters = np.flatnonzero(data == ord(layout.delimiter))
    if layout.quoting == csv.QUOTE_NONE:
        fields = np.searchsorted(delimiters, ends) - np.searchsorted(delimiters, starts) + 1
        unbalanced = np.zeros(len(starts), dtype=bool)
    else:  # count only the delimiters outside quoted fields
        quotes = np.flatnonzero(data == ord('"'))
        line_quotes = np.searchsorted(quotes, starts)
        owner = np.searchsorted(starts, delimiters, side="right") - 1
        outside = (np.searchsorted(quotes, delimiters) - line_quotes[owner]) % 2 == 0
        fields = np.bincount(owner[outside], minlength=len(starts)) + 1
        unbalanced = (np.searchsorted(quotes, ends) - line_quotes) % 2 == 1
    return {"starts": starts, "ends": ends, "raw_ends": raw_ends, "fields": fields,
            "unbalanced": unbalanced, "blank": ends == starts}


def select_lines(block: bytes, table: dict[str, np.ndarray], mask: np.ndarray) -> bytes:
    """The selected lines of a block with their line ends (a vectorised byte mask)."""
    if mask.all():
        return block
    data = np.frombuffer(block, dtype=np.uint8)
    return data[np.repeat(mask, table["raw_ends"] - table["starts"])].tobytes()


def parse_lines(block: bytes, first: int, layout: Layout) -> tuple[pd.DataFrame, dict]:
    """Parse a block of whole lines into a frame of text columns plus ``_line`` (the line
    number in the file); the stats count blank lines, formats and malformed rows."""
    table = line_table(block, layout)
    numbers = np.arange(first, first + len(table["starts"]))
    long = np.flatnonzero(table["ends"] - table["starts"] > MAX_LINE_BYTES)
    if len(long):
        raise LimitExceeded(f"longer than {MAX_LINE_BYTES:,} bytes", int(numbers[long[0]]))
    blank, fields, unbalanced = table["blank"], table["fields"], table["unbalanced"]
    frames, formats, malformed = [], {}, []
    parsed = np.zeros(len(numbers), dtype=bool)
    for count, names in layout.columns.items():
        mask = (fields == count) & ~blank & ~unbalanced
        if not mask.any():
            continue
        usecols = [c for c in names if c in layout.usecols]
        data = select_lines(block, table, mask)
        try:
            frame = pd.read_csv(
                io.BytesIO(data), sep=layout.delimiter, header=None, names=names,
                usecols=usecols, dtype=str, keep_default_na=False, na_filter=False,
                quoting=layout.quoting, engine="c", skip_blank_lines=True,
                encoding="utf-8", encoding_errors="replace",
            )
            ok = len(frame) == int(mask.sum())
        except (pd.errors.ParserError, ValueError):
            ok = False
        if not ok:  # rare: quoting fooled the fast count; parse these lines one by one
            subset = [block[s:e].decode("utf-8", errors="replace") for s, e in
                      zip(table["starts"][mask], table["ends"][mask], strict=True)]
            records = list(csv.reader(subset, delimiter=layout.delimiter,
                                      quoting=layout.quoting))
            good = np.array([len(r) == count for r in records], dtype=bool)
            frame = pd.DataFrame([r for r, g in zip(records, good, strict=True) if g],
                                 columns=names, dtype="str")[usecols]
            mask = mask.copy()
            mask[np.flatnonzero(mask)[~good]] = False
        frame["_line"] = numbers[mask]
        frames.append(frame)
        parsed |= mask
        formats[layout.labels[count]] = formats.get(layout.labels[count], 0) + len(frame)
    wrong = ~parsed & ~blank
    counts = {"malformed row (unbalanced quotes)": int((wrong & unbalanced).sum()),
              "malformed row (wrong number of fields)": int((wrong & ~unbalanced).sum())}
    listed = np.flatnonzero(wrong)[:MALFORMED_LIMIT]  # counted all, listed the first
    for number, n_fields, odd in zip(numbers[listed], fields[listed], unbalanced[listed],
                                     strict=True):
        if odd:
            malformed.append((number, "malformed row (unbalanced quotes)",
                              "unbalanced quotes"))
        else:
            malformed.append((number, "malformed row (wrong number of fields)",
                              f"{n_fields} fields, expected {layout.expected()}"))
    columns = [*sorted(layout.usecols), "_line"]
    if frames:
        frame = pd.concat([f.reindex(columns=columns, fill_value="") for f in frames],
                          ignore_index=True)
        if len(frames) > 1:
            frame = frame.sort_values("_line", kind="stable", ignore_index=True)
    else:
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in columns[:-1]})
        frame["_line"] = pd.Series(dtype="int64")
    stats = {"blank": int(blank.sum()), "formats": formats, "malformed": malformed,
             "malformed_counts": {k: n for k, n in counts.items() if n},
             "lines": len(numbers), "undecodable": undecodable_lines(block)}
    return frame, stats


def undecodable_lines(block: bytes) -> int:
    """Lines of a block holding bytes that are not UTF-8 (decoded with U+FFFD)."""
    try:
        block.decode("utf-8")
    except UnicodeDecodeError:
        return sum(1 for line in block.split(b"\n") if not _is_utf8(line))
    return 0


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
