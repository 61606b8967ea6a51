"""ICEWS import: the shared sample reconciles exactly; fixtures with lost leading zeros,
NA countries, unknown names and malformed lines; the CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

import graphkit
from graphkit.cli import main
from graphkit.io import read_icews
from graphkit.io.cameo import names_to_countries

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "events"

#: The importers as before graphkit merged repeated events and told actors apart by
#: role: these tests check every row against an independent count of the raw file.
LEGACY = {"dedupe": "none", "nonstate": "state", "organisations": False}
LEGACY_CHUNK = {"nonstate": "state", "organisations": False}


def _raw(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False,
                      quoting=csv.QUOTE_NONE)
    return raw.mask(raw == "NA", "")


def test_shared_sample_counts_reconcile(shared):
    path = shared / "datasets" / "icews" / "events.2018.sample.tab"
    tg, report = read_icews(path, **LEGACY)
    data_lines = [line for line in path.read_text(encoding="utf-8").split("\n")[1:] if line]
    assert report.rows_read == len(data_lines) == 3705
    assert report.rows_read == report.imported + report.merged + sum(report.skipped.values())
    raw = _raw(path)
    src, tgt = raw["Source Country"], raw["Target Country"]
    no_country = (src == "") | (tgt == "")
    same = ~no_country & (names_to_countries(src) == names_to_countries(tgt))
    assert report.skipped == {"no country code": no_country.sum(),
                              "same actor on both sides": same.sum()}
    assert report.imported == len(tg.relations) == (~no_country & ~same).sum()
    assert report.unknown_actors == {} and report.malformed == []


def test_shared_sample_intensity_per_dyad_and_month(shared):
    path = shared / "datasets" / "icews" / "events.2018.sample.tab"
    tg, _ = read_icews(path, **LEGACY)
    raw = _raw(path)
    raw["s"] = names_to_countries(raw["Source Country"])
    raw["t"] = names_to_countries(raw["Target Country"])
    kept = raw[(raw["s"] != "") & (raw["t"] != "") & (raw["s"] != raw["t"])]
    independent = kept.assign(month=kept["Event Date"].str[:7],
                              w=kept["Intensity"].astype(float)) \
        .groupby(["s", "t", "month"])["w"].sum().sort_index()
    rel = tg.relations
    imported = rel.assign(month=rel["start"].str[:7]) \
        .groupby(["source", "target", "month"])["weight"].sum().sort_index()
    assert imported.index.tolist() == independent.index.tolist()
    np.testing.assert_allclose(imported.to_numpy(), independent.to_numpy())


def test_shared_sample_relations(shared):
    path = shared / "datasets" / "icews" / "events.2018.sample.tab"
    tg, _ = read_icews(path, **LEGACY)
    raw = _raw(path).set_index("Event ID")
    rel = tg.relations.set_index("event_id")
    src = raw.loc[rel.index]
    assert (rel["cameo_code"] == src["CAMEO Code"]).all()
    assert (rel["evidence"] == src["Event Text"] + " (CAMEO " + src["CAMEO Code"] + ")").all()
    assert all(f"story {s}" in ref for s, ref in zip(src["Story ID"], rel["source_ref"],
                                                     strict=True))
    assert (rel["source_name"] == src["Source Name"]).all()
    assert rel["quad_class"].between(1, 4).all()
    names = tg.entities.set_index("id")["name"]
    assert names["RUS"] == "Russia" and names["PSE"] == "Palestine"


def test_lost_zeros_fixture():
    path = FIXTURES / "icews_lost_zeros.tab"
    tg, report = read_icews(path, **LEGACY)
    assert report.rows_read == 10
    assert report.skipped == {"malformed row (wrong number of fields)": 1,
                              "malformed row (bad weight)": 1, "no country code": 1,
                              "same actor on both sides": 1}
    assert report.malformed == [(str(path), 6, "3 fields, expected 20"),
                                (str(path), 10, "bad weight '-44'")]
    assert report.restored_codes == {"43 -> 043": 1, "10 -> 010": 1, "211 -> 0211": 1,
                                     "40 -> 040": 1, "51 -> 051": 1, "36.0 -> 036": 1}
    assert report.unknown_actors == {"Atlantis": 1}
    rel = tg.relations.set_index("event_id")
    assert rel["cameo_code"].to_dict() == {"9001": "043", "9002": "010", "9003": "111",
                                           "9004": "0211", "9007": "051", "9009": "036"}
    assert rel.at["9003", "weight"] == -2.0  # empty Intensity: the map's Goldstein score
    assert rel.at["9002", "sign"] == 0 and rel.at["9002", "type"] == "statement"
    assert (rel.at["9003", "source"], rel.at["9004", "source"]) == ("PSE", "MDA")
    assert rel.at["9009", "source"] == "COD"
    entities = tg.entities.set_index("id")
    assert entities.at["Atlantis", "type"] == "unknown"


def test_compressed_copies_give_the_same_graph():
    plain, _ = read_icews(FIXTURES / "icews_lost_zeros.tab", **LEGACY)
    for name in ("icews_lost_zeros.tab.gz", "icews_lost_zeros.zip"):
        other, report = read_icews(FIXTURES / name, **LEGACY)
        pd.testing.assert_frame_equal(plain.relations, other.relations)
        assert report.rows_read == 10


def test_keys_by_name():
    tg, report = read_icews(FIXTURES / "icews_lost_zeros.tab", key="name", **LEGACY)
    assert {"Foreign Affairs (Russia)", "Japan", "Atlantis"} <= set(tg.entities["id"])
    types = tg.entities.set_index("id")["type"]
    assert types["Japan"] == "state" and types["Foreign Affairs (Russia)"] == "group"
    assert "no country code" not in report.skipped  # the protester has a name
    by_role, _ = read_icews(FIXTURES / "icews_lost_zeros.tab", key="actor")
    entities = by_role.entities.set_index("id")
    assert entities.at["RUS-GOV", "type"] == "government"
    assert entities.at["RUS-GOV", "via"] == "RUS"


def test_dedupe_on_the_shared_sample(shared):
    path = shared / "datasets" / "icews" / "events.2018.sample.tab"
    tg, report = read_icews(path, dedupe=True)  # True: "day", across stories
    rel = tg.relations
    assert not rel.duplicated(["source", "target", "source_name", "target_name",
                               "cameo_code", "start"]).any()
    assert report.merged == rel["duplicates"].sum() > 0
    assert report.rows_read == report.imported + report.merged + sum(report.skipped.values())


def test_cli_icews(shared, tmp_path, capsys):
    path = shared / "datasets" / "icews" / "events.2018.sample.tab"
    assert main(["import", "icews", str(path), "-o", str(tmp_path / "out"),
                 "--no-progress", "--keep-duplicates", "--nonstate", "state",
                 "--no-organisations"]) == 0
    out = capsys.readouterr().out
    assert "check: 3705 read = 1741 imported + 0 merged + 1964 skipped" in out
    assert len(graphkit.load(tmp_path / "out").relations) == 1741
    assert main(["import", "icews", str(path), "-o", str(tmp_path / "o2"), "--key",
                 "actor", "--no-progress"]) == 0
    assert graphkit.load(tmp_path / "o2").entities.set_index("id").at["ISR-GOV", "via"] \
        == "ISR"
    capsys.readouterr()
    assert main(["import", "icews", str(FIXTURES / "gdelt2.tsv"), "-o",
                 str(tmp_path / "o3")]) == 1
    assert "not an ICEWS event file" in capsys.readouterr().err
