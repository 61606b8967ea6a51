"""One story, one event; who acts for whom: the importers' merging of repeated rows and
their reading of CAMEO roles and ICEWS sectors, checked against the raw shared files."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from graphkit.io import read_gdelt, read_icews
from graphkit.io.cameo import names_to_countries
from graphkit.io.events.roles import gdelt_roles, icews_roles, organisation_ids

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "events"


def _icews_raw(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False,
                      quoting=csv.QUOTE_NONE)
    return raw.mask(raw == "NA", "")


@pytest.fixture
def icews_path(shared) -> Path:
    return shared / "datasets" / "icews" / "events.2018.sample.tab"


def test_icews_sample_counts_read_imported_merged_skipped(icews_path):
    tg, report = read_icews(icews_path, progress=False)
    assert report.rows_read == 3705
    assert report.rows_read == report.imported + report.merged + report.skipped_total
    assert report.dedupe == "event" and report.merged > 0
    assert report.merged == int(tg.relations["duplicates"].sum())
    assert report.merged_groups == int((tg.relations["duplicates"] > 0).sum())
    text = str(report)
    assert f"{report.merged} merged" in text and "story_id" in text
    assert "who acts for whom" in text
    table = report.to_frame()
    assert table.loc[table["category"] != "read", "count"].sum() == 3705
    # the story ids are kept as a column
    assert (tg.relations["story_id"] != "").all()


@pytest.mark.parametrize("mode", ["event", "day"])
def test_each_merged_group_is_one_event(icews_path, mode):
    tg, report = read_icews(icews_path, dedupe=mode, progress=False)
    raw = _icews_raw(icews_path).set_index("Event ID")
    merged = tg.relations[tg.relations["duplicates"] > 0]
    assert len(merged) == report.merged_groups > 0
    same = ["Event Date", "Source Name", "Target Name", "CAMEO Code", "Source Country",
            "Target Country"] + (["Story ID"] if mode == "event" else [])
    for row in merged.itertuples():
        ids = row.merged_event_ids.split(";")
        assert len(ids) == row.duplicates + 1 and row.event_id == ids[0]
        group = raw.loc[ids, same]
        assert (group.nunique() == 1).all(), group  # every row tells the same event
    # and no two kept relations are the same event
    key = ["start", "source", "target", "source_name", "target_name", "cameo_code"]
    key += ["story_id"] if mode == "event" else []
    assert not tg.relations.duplicated(key).any()
    everything, full = read_icews(icews_path, dedupe="none", progress=False)
    assert full.merged == 0 and len(everything.relations) == report.imported + report.merged


def test_day_merges_across_stories_more_than_event(icews_path):
    _, event = read_icews(icews_path, progress=False)
    _, day = read_icews(icews_path, dedupe="day", progress=False)
    assert day.merged > event.merged
    with pytest.raises(ValueError, match="dedupe must be one of"):
        read_icews(icews_path, dedupe="story")


def test_gdelt_keeps_mention_counts_and_sums_them_when_merging():
    every, _ = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", dedupe="none", progress=False)
    merged, report = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", dedupe="day", progress=False)
    assert {"num_mentions", "num_sources", "num_articles"} <= set(merged.relations.columns)
    assert report.merged >= 1
    for column in ("num_mentions", "num_sources", "num_articles"):
        assert merged.relations[column].sum() == every.relations[column].sum()


def test_state_actors_and_others_on_the_icews_sample(icews_path):
    tg, report = read_icews(icews_path, progress=False)
    raw = _icews_raw(icews_path)
    entities = tg.entities.set_index("id")
    # a plea to Iran's citizens is not a relation with Iran's state
    civilians = raw[(raw["Target Name"] == "Citizen (Iran)")]
    if len(civilians):
        assert "IRN-CVL" in entities.index
        assert entities.at["IRN-CVL", "type"] == "civilians"
        assert entities.at["IRN-CVL", "via"] == "IRN"
    assert entities.loc[entities["via"] != "", "type"].isin(
        ["civilians", "media", "business", "opposition", "party", "armed_group",
         "religious", "organisation", "group"]).all()
    # international organisations are kept as organisations
    assert entities.at["EU", "type"] == "organisation"
    assert entities.at["UN", "type"] == "organisation"
    assert report.organisations["EU"] > 0
    assert "no country code" in report.skipped  # regions and unnamed bodies still skipped
    legacy, _ = read_icews(icews_path, dedupe="none", nonstate="state",
                             organisations=False, progress=False)
    assert "EU" not in set(legacy.entities["id"])
    assert not legacy.entities["id"].str.fullmatch(r"[A-Z]{3}-[A-Z]{3}").any()
    dropped, rep = read_icews(icews_path, nonstate="drop", progress=False)
    assert rep.skipped["non-state actor (left out)"] > 0
    assert not dropped.entities["id"].str.fullmatch(r"[A-Z]{3}-[A-Z]{3}").any()
    assert rep.rows_read == rep.imported + rep.merged + rep.skipped_total


def test_icews_roles_from_sectors_and_names():
    s = pd.Series
    roles = icews_roles(
        s(["Israel", "Police (Israel)", "Benjamin Netanyahu", "Citizen (Iran)",
           "Media (Russia)", "Business (China)", "European Union", "Nobody Known",
           "Militant (Syria)"]),
        s(["", "Police", "Executive,Government,Elite,Parties", "", "News,Media", "Business",
           "International Government Organization,Regional", "", ""]),
        s(["Israel", "Israel", "Israel", "Iran", "Russia", "China", "", "Israel", "Syria"]))
    assert roles.tolist() == ["", "COP", "GOV", "CVL", "MED", "BUS", "IGO", "UNK", "REB"]


def test_gdelt_roles_and_organisation_codes():
    s = pd.Series
    assert gdelt_roles(s(["USA", "USAMIL", "ISRCVL", "RUSMED", "IGOUNO", "SYRREB"]),
                       s(["USA", "USA", "ISR", "RUS", "", "SYR"])).tolist() \
        == ["", "MIL", "CVL", "MED", "IGO", "REB"]
    assert organisation_ids(s(["", "", "United Nations", "NATO"]),
                            s(["IGOUNO", "IGOEEC", "", ""])).tolist() \
        == ["UN", "EU", "UN", "NATO"]
    assert names_to_countries(s(["Iran"])).item() == "IRN"


def test_nonstate_option_is_checked(icews_path):
    with pytest.raises(ValueError, match="nonstate must be one of"):
        read_icews(icews_path, nonstate="citizens")
