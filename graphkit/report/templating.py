"""The report's HTML comes from jinja2 templates, escaped by jinja2 itself.

The templates live in ``graphkit/report/templates`` (``*.html.j2``, installed as package
data). The environment escapes every value put into a page (``select_autoescape`` with
``default=True``: every template, whatever its name) and refuses an undefined name
(:class:`jinja2.StrictUndefined`), so a renamed field fails loudly instead of leaving a
blank. Values are text the report computed (numbers formatted in Python); the templates
hold the markup and no logic beyond loops and conditions. The same context gives the same
bytes.
"""

from __future__ import annotations

from functools import cache

import jinja2

__all__ = ["environment", "render"]


@cache
def environment() -> jinja2.Environment:
    """The jinja2 environment of the report's templates (built once).

    Returns
    -------
    jinja2.Environment
        Loading from the package's ``templates`` folder, autoescaping every template,
        with :class:`jinja2.StrictUndefined`.

    Examples
    --------
    >>> env = environment()
    >>> env.from_string("<b>{{ name }}</b>").render(name="<script>")
    '<b>&lt;script&gt;</b>'
    >>> env.from_string("{{ missing }}").render()
    Traceback (most recent call last):
    ...
    jinja2.exceptions.UndefinedError: 'missing' is undefined
    """
    return jinja2.Environment(
        loader=jinja2.PackageLoader("graphkit.report", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(name: str, **context: object) -> str:
    """Render the template ``name`` (e.g. ``"index.html.j2"``) with ``context``.

    Parameters
    ----------
    name : str
        A file in ``graphkit/report/templates``.
    **context
        The template's variables; every one it uses must be given.

    Returns
    -------
    str
        The page, every value escaped.

    Examples
    --------
    >>> page = render("summary.html.j2", path="out/<x>", lines=["A & B"], files=["a.csv"])
    >>> print(page.replace("<li>", "\\n<li>"))
    <div><strong>graphkit report</strong> in <code>out/&lt;x&gt;</code><ul>
    <li>A &amp; B</li></ul><p class='muted'>a.csv</p></div>
    <BLANKLINE>
    """
    return environment().get_template(name).render(**context)
