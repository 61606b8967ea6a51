"""The analyst report: ``build_report`` writes the folder an analyst sends.

``graphkit/report/build.py`` computes the report; ``index.py`` gathers the tables of its
``index.html``, which the jinja2 templates of ``templates/`` draw (``templating.py``:
autoescaping, strict undefined names).
"""

from graphkit.report.build import Report, build_report, range_centrality, short_lines

__all__ = ["Report", "build_report", "range_centrality", "short_lines"]
