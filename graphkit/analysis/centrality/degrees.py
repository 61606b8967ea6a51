"""Degrees: distinct partners per period, in every direction and by sign."""

from __future__ import annotations

import numpy as np

from graphkit.analysis.centrality.graphs import Pairs, distinct_triples
from graphkit.analysis.centrality.registry import Context, register

__all__ = ["degree", "in_degree", "negative_degree", "out_degree", "positive_degree"]


def _partners(pairs: Pairs, mask: np.ndarray | None) -> np.ndarray:
    """Distinct partners, either direction, among the pairs kept by ``mask``."""
    n = pairs.n
    p, lo, hi, _ = pairs.undirected_pairs(mask)
    key = distinct_triples(p, lo, hi, n)
    period = key // (n * n)
    return pairs.count(period * n + (key // n) % n) + pairs.count(period * n + key % n)


@register("degree", integer=True)
def degree(ctx: Context) -> np.ndarray:
    """Distinct partners, either direction (undirected graph of all ties)."""
    return _partners(ctx.pairs, None)


@register("in_degree", integer=True, directed=True)
def in_degree(ctx: Context) -> np.ndarray:
    """Distinct partners with a relation towards the entity."""
    pairs = ctx.pairs
    n = pairs.n
    key = pairs.distinct_directed()
    return pairs.count((key // (n * n)) * n + key % n)


@register("out_degree", integer=True, directed=True)
def out_degree(ctx: Context) -> np.ndarray:
    """Distinct partners with a relation from the entity."""
    pairs = ctx.pairs
    return pairs.count(pairs.distinct_directed() // pairs.n)


@register("positive_degree", integer=True)
def positive_degree(ctx: Context) -> np.ndarray:
    """Distinct partners with at least one cooperative (``sign > 0``) relation."""
    return _partners(ctx.pairs, ctx.pairs.sign > 0)


@register("negative_degree", integer=True)
def negative_degree(ctx: Context) -> np.ndarray:
    """Distinct partners with at least one hostile (``sign < 0``) relation."""
    return _partners(ctx.pairs, ctx.pairs.sign < 0)
