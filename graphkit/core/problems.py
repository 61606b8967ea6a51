"""Problems found in input data, collected all at once.

Every check in graphkit appends to a :class:`Problems` list instead of raising on the
first fault, so users see everything wrong with a file in one run. Each problem names
the file, the row as the user sees it (in a CSV file the header is row 1, so the first
record is row 2), the column, the offending value and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["PROBLEM_COLUMNS", "Problems", "ValidationError"]

PROBLEM_COLUMNS = ["file", "row", "column", "value", "reason"]


class ValidationError(ValueError):
    """Raised when input data has problems; ``.problems`` lists all of them.

    Attributes
    ----------
    problems : pandas.DataFrame
        One row per problem with columns ``file``, ``row``, ``column``, ``value`` and
        ``reason``. ``row`` is missing (``<NA>``) for problems about a whole file or
        column.
    """

    def __init__(self, problems: pd.DataFrame):
        self.problems = problems
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} found:"]
        lines += [f"  {line}" for line in format_problems(self.problems)]
        return "\n".join(lines)


def format_problems(problems: pd.DataFrame) -> list[str]:
    """One readable line per problem: ``file:row: column 'c': value 'v': reason``."""
    lines = []
    for p in problems.itertuples(index=False):
        where = str(p.file)
        if pd.notna(p.row):
            where += f":{int(p.row)}"
        parts = [where]
        if p.column:
            parts.append(f"column {p.column!r}")
        if p.value is not None and not (isinstance(p.value, float) and np.isnan(p.value)):
            parts.append(f"value {_clip(str(p.value))!r}")
        parts.append(str(p.reason))
        lines.append(": ".join(parts))
    return lines


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Problems:
    """An accumulator of problems; ``raise_if_any`` turns them into a ValidationError."""

    frames: list[pd.DataFrame] = field(default_factory=list)

    def add(
        self,
        file: str,
        reason: str,
        *,
        row: int | None = None,
        column: str = "",
        value: object = None,
    ) -> None:
        self.frames.append(
            pd.DataFrame(
                {"file": [file], "row": [row], "column": [column], "value": [value],
                 "reason": [reason]}
            )
        )

    def add_rows(
        self,
        file: str,
        rows: pd.Series,
        column: str,
        values: pd.Series,
        reason: str | pd.Series,
    ) -> None:
        """Add one problem per element of ``rows`` (vectorised)."""
        if len(rows) == 0:
            return
        self.frames.append(
            pd.DataFrame(
                {
                    "file": file,
                    "row": np.asarray(rows),
                    "column": column,
                    "value": np.asarray(values, dtype=object),
                    "reason": np.asarray(reason, dtype=object) if not isinstance(reason, str)
                    else reason,
                }
            )
        )

    def __bool__(self) -> bool:
        return any(len(f) for f in self.frames)

    def __len__(self) -> int:
        return sum(len(f) for f in self.frames)

    def to_frame(self) -> pd.DataFrame:
        frames = [f for f in self.frames if len(f)]
        if not frames:
            return pd.DataFrame(columns=PROBLEM_COLUMNS)
        out = pd.concat(frames, ignore_index=True)
        out["row"] = out["row"].astype("Int64")
        out["value"] = out["value"].astype(object)
        return out.sort_values(["file", "row", "column"], kind="stable", na_position="first")\
            .reset_index(drop=True)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(self.to_frame())
