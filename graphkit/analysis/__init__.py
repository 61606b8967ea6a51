"""Analysis: the one measurement rule (:mod:`~graphkit.analysis.measure`), dyad scores and
centrality (:mod:`~graphkit.analysis.metrics`), structural balance, shifts."""
