"""Building blocks shared by graphkit's HTML views.

Every page graphkit writes follows the same rules:

* one self-contained file: libraries inlined from the installed Python packages
  (vis-network 9.1.2 from pyvis 0.3.2, plotly.js from plotly), no request to any network
  address, nothing else written;
* data enters the page only as JSON inside ``<script type="application/json">``, with
  ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and is read with
  ``JSON.parse(element.textContent)``; the page's own script puts text into the DOM with
  ``textContent`` only;
* a Content-Security-Policy ``<meta>`` allows only the page's own inline scripts (by
  SHA-256 hash), no network connections, no plugins and no form posts;
* the same input gives byte-identical output (no timestamps, no random ids).

Where vis-network comes from
----------------------------
The network view inlines vis-network 9.1.2 read from the installed pyvis package
(:func:`vis_network_assets`), not a copy vendored into graphkit. pyvis stays a dependency
(pinned to 0.3.2, whose ``templates/lib/vis-9.1.2`` holds the files) because
:func:`graphkit.views.to_pyvis` returns a :class:`pyvis.network.Network` and uses pyvis's
own API; reading the library from there keeps one copy of it on disk and one version to
pin. Licences: vis-network is dual licensed Apache-2.0 / MIT, and its licence header stays
in the inlined script; pyvis is BSD-3-Clause; plotly.js (inlined by the charts from the
plotly package) is MIT. graphkit is MIT.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import cache
from importlib import resources

__all__ = [
    "content_security_policy",
    "escape_script_json",
    "fill",
    "iframe",
    "plotly_js",
    "read_template",
    "script_hash",
    "script_json",
    "vis_network_assets",
]

VIS_NETWORK_VERSION = "9.1.2"

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
_SOURCE_MAP = re.compile(r"^\s*//[#@]\s*sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*[#@]\s*sourceMappingURL=.*?\*/", re.DOTALL)


def escape_script_json(text: str) -> str:
    """JSON text with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX``.

    Examples
    --------
    >>> escape_script_json('{"name":"</script>"}')
    '{"name":"\\\\u003c/script\\\\u003e"}'
    """
    return text.translate(_JSON_ESCAPES)


def script_json(value: object) -> str:
    """JSON text that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` can only occur inside JSON strings, where ``\\u003c`` and
    friends mean the same characters, so no ``</script>`` or ``<!--`` can end or change
    the element. U+2028/U+2029 are escaped for old JavaScript parsers; lone surrogates
    (which cannot be written as UTF-8) become U+FFFD.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = escape_script_json(text)
    if re.search("[\ud800-\udfff]", text):
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    return text


def script_hash(source: str) -> str:
    """The CSP source expression (``'sha256-...'``) allowing one inline script or style."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: list[str], styles: list[str] | None = None) -> str:
    """A strict policy allowing only ``scripts`` (by hash) and data:/blob: images.

    ``styles``: the page's ``<style>`` elements, allowed by hash; ``None`` allows inline
    styles (plotly.js adds ``<style>`` elements and ``style`` attributes as it draws).
    """
    style = ("style-src " + " ".join(script_hash(s) for s in styles) if styles is not None
             else "style-src 'unsafe-inline'")
    directives = [
        "default-src 'none'",
        "script-src " + " ".join(script_hash(s) for s in scripts),
        style,
        "img-src data: blob:",
        "font-src data:",
        "connect-src 'none'",
        "media-src 'none'",
        "object-src 'none'",
        "frame-src 'none'",
        "worker-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


@cache
def vis_network_assets() -> tuple[str, str]:
    """``(javascript, css)`` of the vis-network copy pinned by pyvis 0.3.2.

    Read from the installed pyvis package (``pyvis/templates/lib/vis-9.1.2``), with the
    ``sourceMappingURL`` comments removed so that no developer tool ever asks for a
    map file. vis-network is dual licensed Apache-2.0 / MIT; its licence header stays in
    the inlined script.
    """
    folder = resources.files("pyvis") / "templates" / "lib" / f"vis-{VIS_NETWORK_VERSION}"
    try:
        js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        css = (folder / "vis-network.css").read_text(encoding="utf-8")
    except FileNotFoundError as err:  # pragma: no cover - depends on the installed pyvis
        raise RuntimeError(
            f"vis-network {VIS_NETWORK_VERSION} not found in the installed pyvis package; "
            "graphkit needs pyvis==0.3.2"
        ) from err
    if f"@version {VIS_NETWORK_VERSION}" not in js[:2000]:  # pragma: no cover
        raise RuntimeError(f"pyvis does not ship vis-network {VIS_NETWORK_VERSION}")
    js = _SOURCE_MAP.sub("", js).rstrip() + "\n"
    css = _CSS_SOURCE_MAP.sub("", css).rstrip() + "\n"
    _check_inlinable(js, "script")
    _check_inlinable(css, "style")
    return js, css


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped with the installed plotly package."""
    from plotly.offline import get_plotlyjs

    js = _SOURCE_MAP.sub("", get_plotlyjs()).rstrip() + "\n"
    _check_inlinable(js, "script")
    return js


def _check_inlinable(text: str, element: str) -> None:
    if f"</{element}" in text.lower() or "<!--" in text:
        raise RuntimeError(f"library text cannot be inlined in a <{element}> element")


@cache
def read_template(name: str) -> str:
    """A file of the page templates in ``graphkit/views``."""
    return (resources.files("graphkit.views") / name).read_text(encoding="utf-8")


def fill(template: str, **parts: str) -> str:
    """Replace ``{{name}}`` markers in one pass (values are never rescanned)."""

    def replace(match: re.Match) -> str:
        return parts[match.group(1)]

    return re.sub(r"\{\{([a-z_]+)\}\}", replace, template)


def iframe(page: str, *, height: int, title: str, caption: str = "") -> str:
    """An ``<iframe srcdoc>`` holding a whole page, for notebook front ends.

    The page is HTML-escaped into the attribute (the browser unescapes it back to the
    exact page), and the frame is sandboxed with ``allow-scripts allow-downloads`` only:
    the view runs in an opaque origin and cannot reach the notebook's DOM, cookies or
    kernel; no notebook extension and no script in the notebook page is needed.
    JupyterLab, Notebook 7 and VS Code display such ``text/html`` outputs when they come
    from the running kernel or a trusted notebook; Jupyter removes iframes from the HTML
    outputs of an untrusted notebook (re-run the cell, or ``jupyter trust`` the file),
    which then shows only the one-line ``caption``.
    """
    line = ""
    if caption:
        line = ('<div style="font:12px system-ui,sans-serif;color:#666;margin:2px 0">'
                f"{html.escape(caption, quote=False)}</div>")
    return (
        f"{line}<iframe srcdoc=\"{html.escape(page, quote=True)}\" "
        'sandbox="allow-scripts allow-downloads" '
        f'title="{html.escape(title, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd;border-radius:4px" '
        'loading="eager"></iframe>'
    )
