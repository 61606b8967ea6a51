"""A temporal graph whose every text field holds a script-injection payload.

Shared by ``test_views.py`` and ``test_view_browser.py``: the views must show each of these
strings as text and never run them.
"""

from __future__ import annotations

import pandas as pd

from graphkit import RelationType, TemporalGraph, default_vocabulary

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    '"><svg onload=window.__pwned=1>',
    "javascript:window.__pwned=1",
    "<!--<script>window.__pwned=1</script>",
    "\u2028'}];window.__pwned=1;//",
]
TITLE = "<b>title</b></title><script>window.__pwned=1</script>"


def payload_graph() -> TemporalGraph:
    """Six entities and relations, every field a payload (ids, names, types, ...)."""
    n = len(PAYLOADS)
    ids = [f"{p}#{i}" for i, p in enumerate(PAYLOADS)]
    entities = pd.DataFrame({
        "id": ids,
        "name": [f"{p} name" for p in PAYLOADS],
        "type": [PAYLOADS[i % 3] for i in range(n)],
        "aliases": [f"{p} alias {i}" for i, p in enumerate(PAYLOADS)],
        PAYLOADS[0]: PAYLOADS,                     # extra column: payload name and values
        PAYLOADS[1]: [PAYLOADS[(i + 1) % n] for i in range(n)],
    })
    vocabulary = default_vocabulary()
    for i, p in enumerate(PAYLOADS[:3]):
        vocabulary.register(RelationType(p, sign=(-1, 0, 1)[i], weight=(-5.0, 0.0, 5.0)[i],
                                         durable=i == 2, description=PAYLOADS[3]))
    sources = ids + ids[:3]
    targets = ids[1:] + ids[:1] + ids[1:4]
    m = len(sources)
    relations = pd.DataFrame({
        "source": sources,
        "target": targets,
        "type": [PAYLOADS[i % 3] for i in range(m)],
        "start": ["2023-09-01", "2023-09-02", "2023-09", "2022", "2023-09-01", "2023-09-05",
                  "2023-09-01", "2023-09-03", "2020-01-01"][:m],
        "evidence": [PAYLOADS[(i + 2) % n] for i in range(m)],
        "source_ref": [PAYLOADS[(i + 3) % n] for i in range(m)],
        PAYLOADS[2]: [PAYLOADS[(i + 4) % n] for i in range(m)],   # extra relation column
    })
    tg = TemporalGraph.from_frames(entities, relations, vocabulary=vocabulary,
                                   metadata={"title": TITLE})
    # Relation ids are shown too: make them payloads as well.
    rel = tg.relations.set_axis(pd.Index([f"{PAYLOADS[i % n]}@{i}" for i in range(m)]))
    return TemporalGraph(tg.entities, rel, tg.vocabulary, tg.metadata)
