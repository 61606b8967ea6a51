"""Analysis: dyad scores (:mod:`~graphkit.analysis.scores`) and centrality
(:mod:`~graphkit.analysis.centrality`, public as :mod:`graphkit.metrics` through
:mod:`~graphkit.analysis.metrics`), structural balance (:mod:`~graphkit.analysis.balance`),
shifts (:mod:`~graphkit.analysis.shifts`), actors' coverage and the vectorised sums they
share (:mod:`~graphkit.analysis.aggregate`), all by the one measurement rule of
:mod:`graphkit.model.measure`."""
