"""Strengths: summed dyad scores (level plus flow) touching, entering or leaving an entity."""

from __future__ import annotations

import numpy as np

from graphkit.analysis.centrality.registry import Context, register

__all__ = ["in_strength", "out_strength", "strength"]


@register("strength")
def strength(ctx: Context) -> np.ndarray:
    """Scores of the dyads touching the entity, each relation once at each end."""
    pairs = ctx.pairs
    p, s, t, w = ctx.edges.undirected()
    return pairs.count(pairs.node(p, s), w) + pairs.count(pairs.node(p, t), w)


@register("in_strength", directed=True)
def in_strength(ctx: Context) -> np.ndarray:
    """Scores of the dyads entering the entity (undirected relations both ways)."""
    pairs = ctx.pairs
    p, _, t, w = ctx.edges.directed()
    return pairs.count(pairs.node(p, t), w)


@register("out_strength", directed=True)
def out_strength(ctx: Context) -> np.ndarray:
    """Scores of the dyads leaving the entity (undirected relations both ways)."""
    pairs = ctx.pairs
    p, s, _, w = ctx.edges.directed()
    return pairs.count(pairs.node(p, s), w)
