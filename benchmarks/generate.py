"""Seeded synthetic event data for the scale benchmarks.

``generate(n, m, years, seed)`` returns raw ``(entities, relations)`` tables, shaped like
data imported from coded event sources (GDELT, ICEWS): many dated events among a few
actors, with a minority of durable relations (alliances, sanctions, memberships ...)
that hold over intervals.

* Actor activity is skewed: each actor draws a Zipf-like propensity
  ``1 / rank ** skew`` (``skew = 0.9`` by default), so a few states take part in most
  events, as in GDELT.
* Eight relation types in a realistic mix: mostly meetings, cooperation and verbal
  conflict, fewer material-conflict events, and about 3 % durable relations
  (alliances, sanctions) whose
  lengths run from one month to three years (all ended within the time range, so
  monthly periods span exactly ``years * 12`` months).
* Weights are the Goldstein (1992) score of the type with a little noise, clipped to
  -10..10; signs, directedness and quad classes come from the type's defaults.
* Dates are day-precision ISO text, as read from a CSV file.

Run ``python benchmarks/generate.py N M Y OUT_DIR`` to write a graphkit folder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["DURABLE_TYPES", "EVENT_TYPES", "generate"]

#: Event types and their share of events (CAMEO quad classes 1-4 all represented).
EVENT_TYPES = {
    "meeting": 0.34,
    "cooperation": 0.16,
    "aid": 0.07,
    "criticism": 0.20,
    "threat": 0.08,
    "military_action": 0.05,
}
#: Durable types and their share of durable relations.
DURABLE_TYPES = {"alliance": 0.4, "sanctions": 0.6}
#: Goldstein weights of the types above (as in graphkit's vocabulary).
_WEIGHTS = {
    "meeting": 2.8, "cooperation": 6.0, "aid": 7.0, "criticism": -2.0, "threat": -4.4,
    "military_action": -10.0, "alliance": 8.0, "sanctions": -8.0,
}
_ENTITY_TYPES = np.array(["state", "organisation", "armed_group", "person"])


def generate(
    n: int,
    m: int = 2000,
    years: int = 10,
    seed: int = 0,
    *,
    first_year: int = 2015,
    durable_share: float = 0.03,
    skew: float = 0.9,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return raw ``(entities, relations)`` tables with ``n`` relations among ``m`` actors.

    Parameters
    ----------
    n : int
        Number of relations (events plus durable relations).
    m : int
        Number of actors.
    years : int
        Length of the time range, from 1 January of ``first_year``.
    seed : int
        Seed of the random generator: the same arguments give the same tables.
    durable_share : float
        Share of durable relations among the ``n`` relations.
    skew : float
        Exponent of the actors' Zipf-like activity.
    """
    rng = np.random.default_rng(seed)
    ids = np.array([f"A{i:05d}" for i in range(m)], dtype=object)
    entities = pd.DataFrame({
        "id": ids,
        "name": [f"Actor {i}" for i in range(m)],
        "type": _ENTITY_TYPES[rng.choice(4, size=m, p=[0.6, 0.2, 0.1, 0.1])],
        "aliases": "",
    })

    propensity = 1.0 / np.arange(1, m + 1) ** skew
    propensity /= propensity.sum()
    order = rng.permutation(m)  # who is busy is random, not the first ids
    source = order[rng.choice(m, size=n, p=propensity)]
    target = order[rng.choice(m, size=n, p=propensity)]
    loops = source == target
    while loops.any():
        target[loops] = order[rng.choice(m, size=int(loops.sum()), p=propensity)]
        loops = source == target

    n_durable = round(n * durable_share)
    is_durable = np.zeros(n, dtype=bool)
    is_durable[rng.choice(n, size=n_durable, replace=False)] = True
    events = list(EVENT_TYPES)
    event_p = np.array([EVENT_TYPES[t] for t in events])
    durables = list(DURABLE_TYPES)
    durable_p = np.array(list(DURABLE_TYPES.values()))
    types = np.empty(n, dtype=object)
    types[~is_durable] = np.array(events, dtype=object)[
        rng.choice(len(events), size=n - n_durable, p=event_p / event_p.sum())]
    types[is_durable] = np.array(durables, dtype=object)[
        rng.choice(len(durables), size=n_durable, p=durable_p / durable_p.sum())]

    first = np.datetime64(f"{first_year}-01-01", "D")
    last = np.datetime64(f"{first_year + years}-01-01", "D")
    days = int((last - first).astype(int))
    start = first + rng.integers(0, days, size=n).astype("timedelta64[D]")
    length = rng.integers(30, 3 * 365, size=n).astype("timedelta64[D]")
    end = np.clip(start + length, start, last - np.timedelta64(1, "D"))
    _separate_durable(source, target, types, start, end, is_durable, rng, events, event_p)

    base = pd.Series(types).map(_WEIGHTS).to_numpy(dtype=float)
    weight = np.clip(np.round(base + rng.normal(0, 0.5, size=n) * (base != 0), 1), -10, 10)
    # Text columns as Arrow strings, built without a Python string per row (10M rows fit).
    names = pa.array(ids.astype(str))
    start_text = pa.array(start).cast(pa.string())
    end_text = pc.if_else(pa.array(is_durable), pa.array(end).cast(pa.string()), "")
    type_names, type_codes = np.unique(types.astype(str), return_inverse=True)
    relations = pd.DataFrame({
        "source": _text(names.take(pa.array(source))),
        "target": _text(names.take(pa.array(target))),
        "type": _text(pa.array(type_names).take(pa.array(type_codes))),
        "start": _text(start_text),
        "end": _text(end_text),
        "weight": weight,
        "source_ref": "synthetic",
    })
    return entities, relations


def _text(array: pa.Array) -> pd.Series:
    return pd.Series(pd.array(array, dtype="str"))


def _separate_durable(source, target, types, start, end, is_durable, rng, events, event_p):
    """Make durable relations of one pair and type disjoint in time (in place).

    One pair holds one alliance (or one set of sanctions) at a time; a durable relation
    that would overlap an earlier one of the same pair and type becomes an event. (This
    also keeps the data meaningful for Raphtory's persistent graphs, where an edge of one
    layer is either alive or not.)
    """
    index = np.flatnonzero(is_durable)
    undirected = types[index] == "alliance"
    s, t = source[index], target[index]
    frame = pd.DataFrame({
        "a": np.where(undirected, np.minimum(s, t), s),
        "b": np.where(undirected, np.maximum(s, t), t),
        "type": types[index],
        "start": start[index],
        "end": end[index],
        "row": index,
    }).sort_values(["a", "b", "type", "start"], kind="stable")
    group = frame.groupby(["a", "b", "type"], sort=False)
    reach = frame.assign(end=group["end"].cummax()).groupby(
        ["a", "b", "type"], sort=False)["end"].shift(1)
    overlap = frame["row"].to_numpy()[(frame["start"] <= reach).to_numpy()]
    is_durable[overlap] = False
    types[overlap] = np.array(events, dtype=object)[
        rng.choice(len(events), size=len(overlap), p=event_p / event_p.sum())]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of relations")
    parser.add_argument("m", type=int, help="number of actors")
    parser.add_argument("years", type=int, help="number of years")
    parser.add_argument("out", help="folder to write entities.csv and relations.csv to")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    entities, relations = generate(args.n, args.m, args.years, args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    entities.to_csv(out / "entities.csv", index=False)
    relations.to_csv(out / "relations.csv", index=False)


if __name__ == "__main__":
    main()
