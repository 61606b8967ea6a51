"""The import report: every row read is imported, merged or skipped for a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import pandas as pd

from graphkit.io.events.roles import ROLE_TYPES

__all__ = ["MALFORMED_LIMIT", "REASON_ORDER", "ImportReport"]

#: At most this many malformed rows are listed one by one in a report (all are counted).
MALFORMED_LIMIT = 1000

REASON_ORDER = [
    "malformed row (wrong number of fields)",
    "malformed row (unbalanced quotes)",
    "malformed row (bad date)",
    "malformed row (bad weight)",
    "no first actor",
    "no second actor",
    "no country code",
    "no actor code",
    "no actor name",
    "no CAMEO code",
    "unknown CAMEO code",
    "non-state actor (left out)",
    "same actor on both sides",
]


@dataclass
class ImportReport:
    """What an import read, kept and skipped, and why.

    ``rows_read == imported + merged + sum(skipped.values())`` always holds (checked at
    the end of every import by :meth:`check`).

    Attributes
    ----------
    source : str
        Data set (``"GDELT"``, ``"ICEWS"``, ...).
    files : list of str
        Files read (``archive.zip:member`` for members of zip archives).
    rows_read : int
        Data rows read (non-blank lines after the header).
    imported : int
        Relations in the graph.
    skipped : dict
        Reason -> number of rows skipped for it (the first reason that applies).
    malformed : list of (file, line, reason)
        Malformed rows, with their line number in the file (header = line 1); at most
        :data:`MALFORMED_LIMIT` listed, all counted in ``skipped``.
    unknown_codes : dict
        CAMEO codes not in the map -> rows carrying them (kept via their base or root
        code when it is known, else skipped as ``unknown CAMEO code``).
    unknown_actors : dict
        With ``key="country"``: country codes (GDELT) or names (ICEWS) not in the
        country table -> imported relations naming them (kept, as entities of type
        ``unknown``).
    restored_codes : dict
        ``"43 -> 043"`` -> rows whose CAMEO code had lost its leading zero.
    ambiguous_codes : dict
        Codes readable two ways (kept as written) -> rows.
    formats : dict
        Layout -> rows read in it (GDELT 1.0 files mix 57- and 58-field rows).
    blank_lines : int
        Empty lines (not rows: not counted in ``rows_read``).
    undecodable_lines : int
        Lines holding bytes that are not UTF-8 (e.g. a Latin-1 ``é``); they are read with
        U+FFFD in place of those bytes.
    merged : int
        Rows merged into another row of the same event (``dedupe``), in
        ``merged_groups`` events; ``merge_rule`` says which columns had to agree.
    roles : dict
        Role label (:data:`graphkit.io.events.roles.ROLE_TYPES`) -> actor sides of the
        imported relations playing it.
    organisations : dict
        International organisation id -> actor sides of imported relations.
    key, dedupe, nonstate, map_version
        Options of the import.
    """

    source: str
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    imported: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    malformed: list[tuple[str, int, str]] = field(default_factory=list)
    unknown_codes: dict[str, int] = field(default_factory=dict)
    unknown_actors: dict[str, int] = field(default_factory=dict)
    restored_codes: dict[str, int] = field(default_factory=dict)
    ambiguous_codes: dict[str, int] = field(default_factory=dict)
    formats: dict[str, int] = field(default_factory=dict)
    blank_lines: int = 0
    undecodable_lines: int = 0
    key: str = "country"
    dedupe: str = "event"
    map_version: str = ""
    merged: int = 0
    merge_rule: str = ""
    merged_groups: int = 0
    roles: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)
    nonstate: str = "separate"

    @property
    def skipped_total(self) -> int:
        return int(sum(self.skipped.values()))

    def check(self) -> None:
        """Raise ``AssertionError`` unless every row read is imported or skipped."""
        if self.rows_read != self.imported + self.merged + self.skipped_total:
            raise AssertionError(
                f"import report does not add up: {self.rows_read} rows read != "
                f"{self.imported} imported + {self.merged} merged + "
                f"{self.skipped_total} skipped")

    def _sorted_skips(self) -> list[tuple[str, int]]:
        order = {r: i for i, r in enumerate(REASON_ORDER)}
        return sorted(((r, n) for r, n in self.skipped.items() if n),
                      key=lambda item: (order.get(item[0], len(order)), item[0]))

    def to_frame(self) -> pd.DataFrame:
        """The counts as a tidy table: ``count`` per ``category`` and ``reason``."""
        rows = [("read", "", self.rows_read), ("imported", "", self.imported),
                ("merged", self.merge_rule, self.merged)]
        rows += [("skipped", reason, n) for reason, n in self._sorted_skips()]
        return pd.DataFrame(rows, columns=["category", "reason", "count"])

    def to_dict(self) -> dict:
        """The report as plain JSON-ready values (the ``malformed`` list cut at 100)."""
        return {
            "source": self.source, "files": list(self.files), "rows_read": self.rows_read,
            "imported": self.imported, "skipped": dict(self._sorted_skips()),
            "malformed": [list(m) for m in self.malformed[:100]],
            "unknown_codes": dict(self.unknown_codes),
            "unknown_actors": dict(self.unknown_actors),
            "restored_codes": dict(self.restored_codes),
            "ambiguous_codes": dict(self.ambiguous_codes), "formats": dict(self.formats),
            "blank_lines": self.blank_lines, "undecodable_lines": self.undecodable_lines,
            "key": self.key, "dedupe": self.dedupe,
            "map_version": self.map_version, "merged": self.merged,
            "merged_groups": self.merged_groups, "merge_rule": self.merge_rule,
            "nonstate": self.nonstate, "roles": dict(self.roles),
            "organisations": dict(self.organisations),
        }

    def add_counts(self, stats: dict) -> None:
        self.rows_read += stats["rows"]
        for name in ("skipped", "unknown_codes", "restored_codes", "ambiguous_codes",
                     "formats", "roles", "organisations"):
            target = getattr(self, name)
            for k, n in stats.get(name, {}).items():
                target[k] = target.get(k, 0) + int(n)
        room = MALFORMED_LIMIT - len(self.malformed)
        if room > 0:
            self.malformed.extend(stats.get("malformed", [])[:room])
        self.blank_lines += stats.get("blank", 0)

    @staticmethod
    def _top(counts: dict[str, int], limit: int = 15) -> str:
        if not counts:
            return "none"
        items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        text = ", ".join(f"{k} ({n})" for k, n in items[:limit])
        return text + (f", ... ({len(items) - limit} more)" if len(items) > limit else "")

    def __str__(self) -> str:
        n_files = len(self.files)
        lines = [
            f"{self.source} import: {n_files} file{'s' if n_files != 1 else ''}, "
            f"{self.rows_read} rows read, {self.imported} imported, "
            f"{self.merged} merged, {self.skipped_total} skipped",
        ]
        lines += [f"  file: {f}" for f in self.files[:10]]
        if n_files > 10:
            lines.append(f"  ... and {n_files - 10} more files")
        if self.formats:
            lines.append("  formats: " + "; ".join(f"{k}: {n} rows"
                                                   for k, n in sorted(self.formats.items())))
        lines.append(f"  actors keyed by {self.key}; CAMEO map version {self.map_version}")
        if self.dedupe == "none":
            lines.append("  repeated rows of one event: all kept (dedupe='none')")
        else:
            lines.append(f"  merged: {self.merged} rows into {self.merged_groups} events "
                         f"(dedupe={self.dedupe!r}: one event per {self.merge_rule})")
        lines += self._role_lines()
        width = max([len(r) for r, _ in self._sorted_skips()] + [10])
        if self.skipped_total:
            lines.append("  skipped:")
            lines += [f"    {r:<{width}}  {n:>9}" for r, n in self._sorted_skips()]
        lines.append(f"  unknown CAMEO codes: {self._top(self.unknown_codes)}")
        restored = sum(self.restored_codes.values())
        lines.append(f"  leading zeros restored: {restored} rows"
                     + (f" ({self._top(self.restored_codes, 5)})" if restored else ""))
        if self.ambiguous_codes:
            lines.append(f"  ambiguous codes kept as written: {self._top(self.ambiguous_codes)}")
        lines.append(f"  unknown actors (kept): {self._top(self.unknown_actors)}")
        n_bad = sum(n for r, n in self.skipped.items() if r.startswith("malformed"))
        if n_bad:
            lines.append(f"  malformed rows: {n_bad}")
            lines += [f"    {f}:{line}: {why}" for f, line, why in self.malformed[:20]]
            if n_bad > 20:
                lines.append(f"    ... and {n_bad - 20} more (report.malformed)")
        if self.blank_lines:
            lines.append(f"  blank lines ignored: {self.blank_lines}")
        if self.undecodable_lines:
            lines.append(f"  lines with bytes that are not UTF-8 (read as U+FFFD): "
                         f"{self.undecodable_lines}")
        lines.append(f"  check: {self.rows_read} read = {self.imported} imported + "
                     f"{self.merged} merged + {self.skipped_total} skipped")
        return "\n".join(lines)

    def _role_lines(self) -> list[str]:
        if not self.roles:
            return []
        state = {"separate": "kept as their own entities (ISR-CVL)",
                 "drop": "left out (skipped 'non-state actor (left out)')",
                 "state": "counted as their state"}[self.nonstate]
        lines = []
        if self.key == "country":
            lines.append("  who acts for whom: the country itself, government, military, "
                         f"police, judiciary, intelligence count as the state; other roles "
                         f"{state}")
        labels = {code: label for code, (_, label) in ROLE_TYPES.items()}
        counts = {labels.get(r, r): n for r, n in self.roles.items()}
        lines.append(f"  actor roles (relation ends): {self._top(counts, 25)}")
        if self.organisations:
            lines.append(f"  organisations (relation ends): {self._top(self.organisations)}")
        return lines

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{escape(c)}</td><td>{escape(r)}</td>"
            f"<td style='text-align:right'>{n}</td></tr>"
            for c, r, n in self.to_frame().itertuples(index=False)
        )
        extra = (f"<p><em>unknown CAMEO codes:</em> {escape(self._top(self.unknown_codes))}"
                 f"<br><em>unknown actors (kept):</em> {escape(self._top(self.unknown_actors))}"
                 f"<br><em>leading zeros restored:</em> {sum(self.restored_codes.values())}"
                 f" rows<br><em>malformed rows listed:</em> {len(self.malformed)}</p>")
        return (f"<div class='graphkit-import-report'><strong>{escape(self.source)} import"
                f"</strong> ({len(self.files)} files, actors keyed by {escape(self.key)})"
                f"<table><tr><th>category</th><th>reason</th><th>count</th></tr>{rows}"
                f"</table>{extra}</div>")
