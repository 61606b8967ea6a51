"""Structural balance of signed networks: triangles, frustration, blocs, over time.

A signed network is *balanced* when its actors split into two camps with every positive
tie inside a camp and every negative tie across (Harary 1953; Cartwright & Harary 1956);
*clusterable* when some number of blocs does the same (Davis 1967). The functions here
measure how far a network is from that:

* :func:`triangle_census` and :func:`triangle_index`: the share of balanced triangles,
  strong (``+++`` and ``+--``) or weak (all but ``++-``, Davis 1967);
* :func:`frustration_index`: the fewest ties whose removal (equivalently, sign flip)
  leaves the network balanced, with the two camps and the frustrated ties; exact for
  networks of a few hundred actors, a heuristic with a proven lower bound beyond
  (Aref & Wilson 2018; Aref, Mason & Wilson 2020);
* :func:`blocs`: ``k`` blocs minimising the Doreian-Mrvar error (Doreian & Mrvar 1996);
* :func:`over_time`: all of these per calendar period of a :class:`TemporalGraph`.

Input
-----
Every function takes a :class:`~graphkit.TemporalGraph` or any networkx graph (Graph,
DiGraph, MultiGraph, MultiDiGraph) whose edges carry a ``sign`` attribute, and first
collapses it to a simple undirected signed graph (:func:`signed_graph`) by this rule:

* each edge contributes ``sign * |weight|`` when it has a numeric ``weight`` attribute,
  else its ``sign`` (so ``sign`` decides the direction, ``weight`` only the size);
* the contributions of all edges between two actors, in either direction, are summed,
  and the sign of the sum is the sign of the tie;
* a sum of zero (within rounding error) drops the tie, as do self-loops and ties of
  sign 0 (neutral relations such as membership);
* an edge without a ``sign`` raises ``ValueError``.

For a temporal graph, each pair's contribution is its score over the graph's measured
range (:attr:`TemporalGraph.measured_range`: a window's range, or the data's span), by
the one rule of :mod:`graphkit.model.measure` (standing ties' level plus events' flow), so the
result is the same as for ``tg.to_networkx(directed=False)``, and a tie's sign in a
period is the sign of its score in :func:`graphkit.analysis.scores.dyad_scores`. After
collapsing, every tie counts once: the balance measures are unweighted.

Modules: :mod:`~graphkit.analysis.balance.signed` (the collapse rule),
:mod:`~graphkit.analysis.balance.triangles` (census and indices),
:mod:`~graphkit.analysis.balance.frustration` (frustration index, wrapping the solvers
of :mod:`graphkit.analysis.frustration`), :mod:`~graphkit.analysis.balance.clusters`
(blocs) and :mod:`~graphkit.analysis.balance.periods` (over time); the public namespace
``graphkit.balance`` is this package.

Determinism: nodes are sorted before any model is built, and the random starts of the
heuristics come from ``seed``, so the same input gives the same output.

References
----------
Harary, F. (1953). On the notion of balance of a signed graph. Michigan Mathematical
Journal 2(2): 143-146.

Cartwright, D. and Harary, F. (1956). Structural balance: a generalization of Heider's
theory. Psychological Review 63(5): 277-293.

Davis, J. A. (1967). Clustering and structural balance in graphs. Human Relations 20(2):
181-187.

Barahona, F. and Mahjoub, A. R. (1986). On the cut polytope. Mathematical Programming
36: 157-173.

Barahona, F., Jünger, M. and Reinelt, G. (1989). Experiments in quadratic 0-1
programming. Mathematical Programming 44: 127-137.

Doreian, P. and Mrvar, A. (1996). A partitioning approach to structural balance. Social
Networks 18(2): 149-168. (2009) Partitioning signed social networks. Social Networks
31(1): 1-11. (2015) Structural balance and signed international relations. Journal of
Social Structure 16.

Aref, S. and Wilson, M. C. (2018). Measuring partial balance in signed networks. Journal
of Complex Networks 6(4): 566-595.

Aref, S., Mason, A. J. and Wilson, M. C. (2020). A modeling and computational study of
the frustration index in signed networks. Networks 75(1): 95-110.
"""

from graphkit.analysis.balance.clusters import BlocsResult, blocs
from graphkit.analysis.balance.frustration import (
    EXACT_MAX_NODES,
    FrustrationResult,
    frustration_index,
)
from graphkit.analysis.balance.periods import OVER_TIME_COLUMNS, over_time
from graphkit.analysis.balance.signed import SignedInput, signed_graph
from graphkit.analysis.balance.triangles import CENSUS_KEYS, triangle_census, triangle_index

__all__ = [
    "CENSUS_KEYS",
    "EXACT_MAX_NODES",
    "OVER_TIME_COLUMNS",
    "BlocsResult",
    "FrustrationResult",
    "SignedInput",
    "blocs",
    "frustration_index",
    "over_time",
    "signed_graph",
    "triangle_census",
    "triangle_index",
]
