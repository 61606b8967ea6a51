"""Interactive, self-contained HTML views: networks over time and dyad timelines.

* :func:`network`: the network on any date or range, with an as-of slider, play and
  step, relation-type filter, search and PNG export (vis-network, inlined);
* :func:`timeline`: dyad scores over time with the events behind them (plotly, inlined);
* :func:`shift_chart`: the largest changes in dyad scores between two periods;
* :func:`to_pyvis`: a :class:`pyvis.network.Network` for users of pyvis's own API (its
  page loads Bootstrap from a CDN: see the function's notes).

Every page graphkit writes is one HTML file that makes no network request and runs no
script from the data: see :mod:`graphkit.views.page` for the rules all views follow.
"""

from graphkit.views.layout import pivot_mds_layout
from graphkit.views.network import NetworkView, network
from graphkit.views.pyvis import to_pyvis
from graphkit.views.timeline import ChartView, TimelineView, parse_dyad, shift_chart, timeline

__all__ = [
    "ChartView",
    "NetworkView",
    "TimelineView",
    "network",
    "parse_dyad",
    "pivot_mds_layout",
    "shift_chart",
    "timeline",
    "to_pyvis",
]
