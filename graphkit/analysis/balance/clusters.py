"""``k`` blocs of a signed graph minimising the Doreian-Mrvar error (Doreian & Mrvar 1996)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from graphkit.analysis import frustration as _frustration
from graphkit.analysis.balance.signed import Signed, SignedInput, active, as_signed

__all__ = ["BlocsResult", "blocs"]


@dataclass(frozen=True)
class BlocsResult:
    """A partition into blocs and its Doreian-Mrvar error.

    Attributes
    ----------
    partition : dict
        Node -> bloc id ``0 .. k-1`` for every actor with a tie, blocs numbered in the
        order of their first member (nodes sorted). Actors without ties are not in it.
    error : float
        ``alpha * negative_within + (1 - alpha) * positive_between``.
    negative_within : int
        Negative ties inside blocs.
    positive_between : int
        Positive ties between blocs.
    k : int
        Number of blocs.
    alpha : float
        Weight of the negative ties inside blocs.
    sizes : tuple of int
        Actors in each bloc.
    unassigned : list
        Actors without ties (sorted): no tie places them in any bloc.
    """

    partition: dict
    error: float
    negative_within: int
    positive_between: int
    k: int
    alpha: float = 0.5
    sizes: tuple = field(default=())
    unassigned: list = field(default_factory=list)

    @property
    def blocs(self) -> list[list]:
        """The members of each bloc, bloc 0 first."""
        out: list[list] = [[] for _ in range(self.k)]
        for node, b in self.partition.items():
            out[b].append(node)
        return out

    def __repr__(self) -> str:
        return (f"BlocsResult(k={self.k}, alpha={self.alpha}, error={self.error:g}, "
                f"negative_within={self.negative_within}, "
                f"positive_between={self.positive_between}, sizes={self.sizes}, "
                f"unassigned={len(self.unassigned)})")


_SWAP_MAX_NODES = 1500


class _Relocation:
    """Labels of a partition into ``k`` blocs, with each node's ties to every bloc."""

    def __init__(self, sg: Signed, k: int, alpha: float):
        n = sg.n
        self.n, self.k, self.alpha = n, k, alpha

        def adj(mask):
            a = sparse.coo_array((np.ones(int(mask.sum())), (sg.u[mask], sg.v[mask])),
                                 shape=(n, n)).tocsr()
            return (a + a.T).tocsr()

        self.p, self.q = adj(sg.s > 0), adj(sg.s < 0)
        self.dense = n <= _SWAP_MAX_NODES
        if self.dense:  # dense rows make moves cheap and allow the swap neighbourhood
            self.p_rows, self.q_rows = self.p.toarray(), self.q.toarray()
            self.pair = 2 * (1 - alpha) * self.p_rows - 2 * alpha * self.q_rows
        self.rows = np.arange(n)

    def start(self, labels: np.ndarray) -> None:
        self.labels = labels
        onehot = np.zeros((self.n, self.k))
        onehot[self.rows, labels] = 1.0
        self.pos_to, self.neg_to = self.p @ onehot, self.q @ onehot
        self.sizes = np.bincount(labels, minlength=self.k)

    def state(self):
        return (self.labels.copy(), self.pos_to.copy(), self.neg_to.copy(), self.sizes.copy())

    def restore(self, state) -> None:
        self.labels, self.pos_to, self.neg_to, self.sizes = state

    def _row(self, matrix, dense, i):
        if self.dense:
            return dense[i]
        out = np.zeros(self.n)
        lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
        out[matrix.indices[lo:hi]] = matrix.data[lo:hi]
        return out

    def move(self, i: int, new: int) -> None:
        old = self.labels[i]
        if old == new:
            return
        col_p = self._row(self.p, self.p_rows if self.dense else None, i)
        col_q = self._row(self.q, self.q_rows if self.dense else None, i)
        self.pos_to[:, old] -= col_p
        self.pos_to[:, new] += col_p
        self.neg_to[:, old] -= col_q
        self.neg_to[:, new] += col_q
        self.labels[i] = new
        self.sizes[old] -= 1
        self.sizes[new] += 1

    def descend(self) -> None:
        """Best single moves, then best swaps, while the error falls (no bloc emptied)."""
        alpha, rows = self.alpha, self.rows
        while True:
            labels = self.labels
            own_pos, own_neg = self.pos_to[rows, labels], self.neg_to[rows, labels]
            delta = (alpha * (self.neg_to - own_neg[:, None])
                     - (1 - alpha) * (self.pos_to - own_pos[:, None]))
            moves = delta.copy()
            moves[rows, labels] = np.inf
            moves[self.sizes[labels] == 1] = np.inf
            i, b = np.unravel_index(np.argmin(moves), moves.shape)
            if moves[i, b] < -1e-9:
                self.move(int(i), int(b))
                continue
            if not self.dense:
                return
            cross = delta[:, labels]  # cross[i, j]: change when i joins j's bloc
            swap = cross + cross.T + self.pair
            swap[labels[:, None] == labels[None, :]] = np.inf
            i, j = np.unravel_index(np.argmin(swap), swap.shape)
            if swap[i, j] >= -1e-9:
                return
            bi, bj = int(labels[i]), int(labels[j])
            self.move(int(i), bj)
            self.move(int(j), bi)


def _split_start(sg: Signed, k: int, rng: np.random.Generator) -> np.ndarray:
    """Blocs made by splitting, ``k - 1`` times, the bloc with most negative ties inside
    into the two camps that a local search for its frustration index finds."""
    labels = np.zeros(sg.n, dtype=np.int64)
    for new in range(1, k):
        same = labels[sg.u] == labels[sg.v]
        inside = np.bincount(labels[sg.u][same & (sg.s < 0)], minlength=new)
        for bloc in np.argsort(-inside, kind="stable"):
            members = np.flatnonzero(labels == bloc)
            keep = same & (labels[sg.u] == bloc)
            if inside[bloc] == 0 or len(members) < 2:
                continue
            remap = np.full(sg.n, -1)
            remap[members] = np.arange(len(members))
            camps, _ = _frustration.local_search(
                len(members), remap[sg.u[keep]], remap[sg.v[keep]], sg.s[keep], rng=rng,
                restarts=2, kicks=5, deadline=None)
            if 0 < camps.sum() < len(members):
                labels[members[camps == 1]] = new
                break
        else:  # nothing left to split usefully: start the bloc with one node
            big = int(np.argmax(np.bincount(labels, minlength=new)))
            labels[np.flatnonzero(labels == big)[-1]] = new
    return labels


def _relocate(sg: Signed, k: int, alpha: float, restarts: int, seed: int,
              kicks: int = 20) -> np.ndarray:
    """Best labels found by relocation (moves and swaps) from several starts.

    The first start splits blocs along frustration camps; the others are random. Each
    local optimum is followed by ``kicks`` random perturbations of a few nodes, kept
    when the error does not rise.
    """
    n = sg.n
    search = _Relocation(sg, k, alpha)
    rng = np.random.default_rng(seed)
    best, best_error = None, math.inf
    for restart in range(max(1, restarts)):
        if restart == 0:
            labels = _split_start(sg, k, rng)
        else:
            labels = rng.integers(k, size=n)
            labels[rng.permutation(n)[:k]] = np.arange(k)  # no bloc starts empty
        search.start(labels)
        search.descend()
        error = _bloc_error(sg, search.labels, alpha)[0]
        for _ in range(kicks):
            saved = search.state()
            for i in rng.choice(n, size=max(1, n // 20), replace=False):
                if search.sizes[search.labels[i]] > 1:
                    search.move(int(i), int(rng.integers(k)))
            search.descend()
            new_error = _bloc_error(sg, search.labels, alpha)[0]
            if new_error > error + 1e-9:
                search.restore(saved)
            else:
                error = new_error
        if error < best_error - 1e-9:
            best, best_error = search.labels.copy(), error
    return best


def _bloc_error(sg: Signed, labels: np.ndarray, alpha: float) -> tuple[float, int, int]:
    same = labels[sg.u] == labels[sg.v]
    negative_within = int(np.sum(same & (sg.s < 0)))
    positive_between = int(np.sum(~same & (sg.s > 0)))
    return alpha * negative_within + (1 - alpha) * positive_between, negative_within, \
        positive_between


def blocs(
    G: SignedInput,
    k: int,
    alpha: float = 0.5,
    *,
    restarts: int = 10,
    seed: int = 0,
) -> BlocsResult:
    """Split the actors into ``k`` blocs with few negative ties inside, positive between.

    Minimises the Doreian-Mrvar criterion ``P = alpha * N + (1 - alpha) * P+``, where
    ``N`` counts negative ties within blocs and ``P+`` positive ties between blocs, by
    the relocation heuristic of Doreian & Mrvar (1996): from each random start, move
    single actors to another bloc, or swap two actors of different blocs, while the
    error falls. No bloc is left empty. Actors without ties are left unassigned
    (``unassigned``): no tie says where they belong, so they are in no bloc. With
    ``k=2`` and ``alpha=0.5`` the error is half the number of frustrated ties, so its
    minimum is half the frustration index of the tied actors (when the optimal camps
    are both non-empty). Each undirected tie counts once (tools that count both directions of a
    symmetric matrix, such as signnet, report twice this error).

    Parameters
    ----------
    G : networkx graph or TemporalGraph
        Signed network (see the module documentation for how it is collapsed).
    k : int
        Number of blocs, ``1 <= k <=`` number of actors with a tie (any ``k`` of 1 when
        there is none).
    alpha : float
        Weight of negative ties within blocs, in ``[0, 1]``; 0.5 weighs both kinds of
        error equally, as Doreian & Mrvar do.
    restarts : int
        Random starts; the best result is kept (ties: the first found).
    seed : int
        Seed of the random starts: the result is deterministic given it.

    Returns
    -------
    BlocsResult
        ``partition`` (actor with a tie -> bloc, blocs numbered by their first member in
        sorted order), ``error``, ``negative_within``, ``positive_between``, ``sizes``
        and ``unassigned`` (actors without ties).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edges_from([("A", "B", {"sign": 1}), ("C", "D", {"sign": 1}),
    ...                   ("E", "F", {"sign": 1}), ("A", "C", {"sign": -1}),
    ...                   ("C", "E", {"sign": -1}), ("A", "E", {"sign": -1})])
    >>> G.add_node("G")  # no tie: in no bloc
    >>> result = blocs(G, 3)
    >>> result.partition, result.error, result.unassigned
    ({'A': 0, 'B': 0, 'C': 1, 'D': 1, 'E': 2, 'F': 2}, 0.0, ['G'])

    References
    ----------
    Doreian, P. and Mrvar, A. (1996). A partitioning approach to structural balance.
    Social Networks 18(2): 149-168.

    Doreian, P. and Mrvar, A. (2009). Partitioning signed social networks. Social
    Networks 31(1): 1-11.

    Doreian, P. and Mrvar, A. (2015). Structural balance and signed international
    relations. Journal of Social Structure 16.
    """
    whole = as_signed(G)
    if int(k) != k or k < 1:
        raise ValueError(f"k must be a whole number >= 1, not {k!r}")
    k = int(k)
    sg = active(whole)  # actors with a tie; the others are unassigned
    tied = set(sg.nodes)
    unassigned = [node for node in whole.nodes if node not in tied]
    if k > max(sg.n, 1):
        raise ValueError(f"k={k} blocs cannot be filled by {sg.n} actors with a tie "
                         f"({len(unassigned)} more have none and join no bloc)")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha!r}")
    labels = np.zeros(sg.n, dtype=np.int64)
    if k > 1:
        labels = _relocate(sg, k, alpha, restarts, seed)
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)  # bloc ids by first member
    renumber = np.empty(k, dtype=np.int64)
    renumber[np.unique(labels)[order]] = np.arange(len(order))
    labels = renumber[labels]
    error, negative_within, positive_between = _bloc_error(sg, labels, alpha)
    return BlocsResult(
        partition={node: int(b) for node, b in zip(sg.nodes, labels, strict=True)},
        error=float(error),
        negative_within=negative_within,
        positive_between=positive_between,
        k=k,
        alpha=float(alpha),
        sizes=tuple(int(c) for c in np.bincount(labels, minlength=k)),
        unassigned=unassigned,
    )
