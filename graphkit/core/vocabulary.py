"""The relation-type vocabulary.

Each relation type has a default sign (+1 cooperative, 0 neutral, -1 hostile), a
default weight on the Goldstein (1992) -10..+10 conflict-cooperation scale, whether it
is *durable* (an interval such as an alliance) or an *event* (a point such as a
criticism), whether it is directed by default, its CAMEO codes and its CAMEO quad class
(1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict,
0 none).

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data.
*Journal of Conflict Resolution*, 36(2), 369-385.

Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event Observations Codebook*,
version 1.1b3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources

import pandas as pd

__all__ = ["RelationType", "Vocabulary", "default_vocabulary", "register_relation_type"]

QUAD_CLASSES = {
    0: "neutral",
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
COLUMNS = ["type", "sign", "weight", "durable", "directed", "cameo", "quad_class", "description"]


@dataclass(frozen=True)
class RelationType:
    """One entry of the vocabulary."""

    name: str
    sign: int
    weight: float
    durable: bool
    directed: bool = True
    cameo: tuple[str, ...] = ()
    quad_class: int = 0
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name or not str(self.name).strip():
            raise ValueError("a relation type needs a name")
        if self.sign not in (-1, 0, 1):
            raise ValueError(f"sign of {self.name!r} must be -1, 0 or 1, not {self.sign!r}")
        if not -10 <= float(self.weight) <= 10:
            raise ValueError(f"weight of {self.name!r} must lie in -10..10, not {self.weight!r}")
        if self.quad_class not in QUAD_CLASSES:
            raise ValueError(f"quad_class of {self.name!r} must be one of 0-4")


@dataclass
class Vocabulary:
    """A set of relation types, looked up by name.

    Examples
    --------
    >>> vocab = default_vocabulary()
    >>> vocab["sanctions"].durable
    True
    >>> vocab.register(RelationType("cyber_attack", sign=-1, weight=-8.0, durable=False))
    >>> "cyber_attack" in vocab
    True
    """

    types: dict[str, RelationType] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.types

    def __getitem__(self, name: str) -> RelationType:
        return self.types[name]

    def __iter__(self):
        return iter(self.types.values())

    def __len__(self) -> int:
        return len(self.types)

    def register(self, relation_type: RelationType, *, replace: bool = False) -> None:
        """Add a relation type; ``replace=True`` overrides an existing one."""
        if relation_type.name in self.types and not replace:
            raise ValueError(f"relation type {relation_type.name!r} already exists")
        self.types[relation_type.name] = relation_type

    def copy(self) -> Vocabulary:
        return Vocabulary(dict(self.types))

    def to_frame(self) -> pd.DataFrame:
        """The vocabulary as a table, one row per type."""
        rows = [
            {
                "type": t.name,
                "sign": t.sign,
                "weight": float(t.weight),
                "durable": t.durable,
                "directed": t.directed,
                "cameo": ";".join(t.cameo),
                "quad_class": t.quad_class,
                "description": t.description,
            }
            for t in self.types.values()
        ]
        return pd.DataFrame(rows, columns=COLUMNS)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Vocabulary:
        """Build a vocabulary from a table with the columns of :meth:`to_frame`."""
        vocab = cls()
        for row in frame.to_dict("records"):
            vocab.register(_type_from_record(row))
        return vocab

    def column(self, attribute: str) -> dict[str, object]:
        """Mapping type name -> attribute, for vectorised ``Series.map``."""
        return {name: getattr(t, attribute) for name, t in self.types.items()}


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes"}:
        return True
    if text in {"false", "0", "no", ""}:
        return False
    raise ValueError(f"{value!r} is not true or false")


def _whole(value: object, name: str) -> int:
    """A whole number from text or a number: ``"1"``, ``"-1.0"``; ``0.5``, ``inf`` and
    ``1e400`` are errors, not truncated or overflowing."""
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a number") from None
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"{name} {value!r} is not a whole number")
    return int(number)


def _finite(value: object, name: str) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} {value!r} is not a finite number")
    return number


def _type_from_record(row: dict) -> RelationType:
    cameo = row.get("cameo", "")
    if isinstance(cameo, str):
        cameo = tuple(c.strip() for c in cameo.split(";") if c.strip())
    return RelationType(
        name=str(row["type"]).strip(),
        sign=_whole(row["sign"], "sign"),
        weight=_finite(row["weight"], "weight"),
        durable=_as_bool(row["durable"]),
        directed=_as_bool(row.get("directed", True)),
        cameo=tuple(cameo or ()),
        quad_class=_whole(row.get("quad_class") or 0, "quad_class"),
        description=str(row.get("description") or ""),
    )


def _read_builtin() -> Vocabulary:
    path = resources.files("graphkit") / "resources" / "relation_types.csv"
    with path.open(encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    return Vocabulary.from_frame(frame)


BUILTIN = _read_builtin()
_DEFAULT = BUILTIN.copy()


def default_vocabulary() -> Vocabulary:
    """A copy of the vocabulary new graphs start from (built-in plus registered types)."""
    return _DEFAULT.copy()


def register_relation_type(
    name: str,
    sign: int,
    weight: float,
    durable: bool,
    *,
    directed: bool = True,
    cameo: tuple[str, ...] = (),
    quad_class: int = 0,
    description: str = "",
    replace: bool = False,
) -> RelationType:
    """Register a relation type for every graph loaded from now on.

    Examples
    --------
    >>> import graphkit
    >>> t = graphkit.register_relation_type("cyber_attack", sign=-1, weight=-8.0, durable=False)
    >>> t.sign, t.durable
    (-1, False)
    """
    relation_type = RelationType(
        name, sign, float(weight), durable, directed, tuple(cameo), quad_class, description
    )
    _DEFAULT.register(relation_type, replace=replace)
    return relation_type
