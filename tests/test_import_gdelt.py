"""GDELT import: the shared samples reconcile exactly; fixtures cover every layout and
every skip reason; the CLI writes a folder graphkit.load reads."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import graphkit
from graphkit.cli import main
from graphkit.io import events_to_relations, read_gdelt
from graphkit.io.cameo import load_cameo_map
from graphkit.io.events import EventFileError, EventFormatError, ImportReport
from graphkit.io.events.gdelt import GDELT1_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "events"
SAMPLE = ROOT / "data" / "events_sample" / "synthetic_gdelt_2023.tsv"

#: The importers as before graphkit merged repeated events and told actors apart by
#: role: these tests check every row against an independent count of the raw file.
LEGACY = {"dedupe": "none", "nonstate": "state", "organisations": False}
LEGACY_CHUNK = {"nonstate": "state", "organisations": False}


def _raw_mixed(path: Path) -> pd.DataFrame:
    """The shared mixed sample read by plain pandas, independently of graphkit."""
    raw = pd.read_csv(path, sep="\t", header=None, names=GDELT1_COLUMNS, dtype=str,
                      keep_default_na=False, quoting=csv.QUOTE_NONE)
    return raw


def _expected(raw: pd.DataFrame) -> pd.Series:
    """Skip reason per raw row, by the documented rules, computed with pandas."""
    a1 = raw[["Actor1Code", "Actor1Name", "Actor1CountryCode"]].ne("").any(axis=1)
    a2 = raw[["Actor2Code", "Actor2Name", "Actor2CountryCode"]].ne("").any(axis=1)
    c1, c2 = raw["Actor1CountryCode"], raw["Actor2CountryCode"]
    reason = pd.Series("", index=raw.index)
    for mask, why in [(~a1, "no first actor"), (~a2, "no second actor"),
                      ((c1 == "") | (c2 == ""), "no country code"),
                      (c1 == c2, "same actor on both sides")]:
        reason = reason.mask((reason == "") & mask, why)
    return reason


def _dyad_month(frame: pd.DataFrame, source: str, target: str, day: str,
                weight: str) -> pd.Series:
    month = frame[day].str.replace("-", "").str[:6]
    return frame.assign(month=month, w=frame[weight].astype(float)) \
        .groupby([source, target, "month"])["w"].sum().sort_index()


# ------------------------------------------------------------------- shared samples


def test_shared_mixed_sample_counts_reconcile(shared):
    path = shared / "datasets" / "gdelt" / "gdelt1_sample_mixed.tsv"
    tg, report = read_gdelt(path, **LEGACY)
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line]
    assert report.rows_read == len(lines) == 710
    assert report.rows_read == report.imported + report.merged + sum(report.skipped.values())
    fields = pd.Series([line.count("\t") + 1 for line in lines]).value_counts()
    assert report.formats == {"GDELT 1.0 historical (57 fields)": fields[57],
                              "GDELT 1.0 daily (58 fields)": fields[58]}
    expected = _expected(_raw_mixed(path))
    assert report.imported == len(tg.relations) == (expected == "").sum()
    assert report.skipped == expected[expected != ""].value_counts().to_dict()
    assert report.malformed == [] and report.unknown_codes == {}


def test_shared_mixed_sample_goldstein_per_dyad_and_month(shared):
    path = shared / "datasets" / "gdelt" / "gdelt1_sample_mixed.tsv"
    tg, _ = read_gdelt(path, **LEGACY)
    raw = _raw_mixed(path)
    kept = raw[_expected(raw) == ""]
    independent = _dyad_month(kept, "Actor1CountryCode", "Actor2CountryCode", "SQLDATE",
                              "GoldsteinScale")
    imported = _dyad_month(tg.relations, "source", "target", "start", "weight")
    assert imported.index.tolist() == independent.index.tolist()
    np.testing.assert_allclose(imported.to_numpy(), independent.to_numpy())
    # signed weights are the Goldstein scores too, whatever the relation type
    np.testing.assert_allclose(tg.relations["signed_weight"], tg.relations["weight"])


def test_shared_mixed_sample_relations_keep_codes_ids_and_urls(shared):
    path = shared / "datasets" / "gdelt" / "gdelt1_sample_mixed.tsv"
    tg, _ = read_gdelt(path, **LEGACY)
    raw = _raw_mixed(path).set_index("GLOBALEVENTID")
    rel = tg.relations.set_index("event_id")
    src = raw.loc[rel.index]
    assert (rel["cameo_code"] == src["EventCode"]).all()
    assert rel["cameo_code"].str.fullmatch(r"\d{3,4}").all()
    assert (rel["quad_class"].astype(str) == src["QuadClass"]).all()
    with_url = src["SOURCEURL"] != ""
    assert with_url.any() and (~with_url).any()
    assert all(url in ref for url, ref in zip(src["SOURCEURL"][with_url],
                                              rel["source_ref"][with_url], strict=True))
    assert rel["source_ref"].str.startswith("GDELT ").all()
    assert rel["evidence"].str.contains(r"\(CAMEO \d{3,4}\)$").all()
    assert (rel["directed"]).all()
    assert set(tg.entities["id"]) == set(rel["source"]) | set(rel["target"])
    assert tg.entities.set_index("id").at["USA", "name"] == "United States"


def test_shared_rexport_counts_and_goldstein_reconcile(shared):
    path = shared / "datasets" / "gdelt" / "gdelt1_georgia_2012-01_rexport.csv"
    tg, report = read_gdelt(path, **LEGACY)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw.mask(raw == "NA", "")
    assert report.rows_read == len(raw) == 4324
    assert report.rows_read == report.imported + report.merged + sum(report.skipped.values())
    expected = _expected(raw)
    assert report.skipped == expected[expected != ""].value_counts().to_dict()
    kept = raw[expected == ""]
    assert report.imported == len(kept) == 308
    independent = _dyad_month(kept, "Actor1CountryCode", "Actor2CountryCode", "SQLDATE",
                              "GoldsteinScale")
    imported = _dyad_month(tg.relations, "source", "target", "start", "weight")
    assert imported.index.tolist() == independent.index.tolist()
    np.testing.assert_allclose(imported.to_numpy(), independent.to_numpy())


def test_shared_sample_round_trips_through_csv_and_parquet(shared, tmp_path):
    tg, _ = read_gdelt(shared / "datasets" / "gdelt" / "gdelt1_sample_mixed.tsv", **LEGACY)
    for fmt in ("csv", "parquet"):
        folder = graphkit.save(tg, tmp_path / fmt, format=fmt)
        back = graphkit.load(folder)
        assert len(back.relations) == len(tg.relations)
        assert back.relations["weight"].sum() == pytest.approx(tg.relations["weight"].sum())
        assert (back.relations["cameo_code"].astype(str).to_numpy()
                == tg.relations["cameo_code"].to_numpy()).all()
        assert "statement" in back.vocabulary  # built in: no relation_types.csv needed


# ------------------------------------------------------------------------- fixtures


def test_mixed_fixture_reasons_and_line_numbers():
    path = FIXTURES / "gdelt1_mixed.tsv"
    tg, report = read_gdelt(path, **LEGACY)
    assert report.rows_read == 16
    assert report.skipped == {
        "malformed row (wrong number of fields)": 1, "malformed row (bad date)": 1,
        "malformed row (bad weight)": 1, "no first actor": 1, "no second actor": 1,
        "no country code": 1, "no CAMEO code": 1, "unknown CAMEO code": 1,
        "same actor on both sides": 1,
    }
    assert report.imported == 7
    assert report.malformed == [
        (str(path), 7, "40 fields, expected 57, 58 or 61"),
        (str(path), 8, "bad date '20161345'"),
        (str(path), 9, "bad weight 'abc'"),
    ]
    assert report.formats == {"GDELT 1.0 daily (58 fields)": 13,
                              "GDELT 1.0 historical (57 fields)": 2}
    assert report.unknown_codes == {"0215": 1, "2511": 1}
    assert report.unknown_actors == {"XYZ": 1}
    rel = tg.relations.set_index("event_id")
    assert rel.at["110", "cameo_code"] == "0215" and rel.at["110", "type"] == "statement"
    assert (rel.at["112", "source"], rel.at["112", "target"]) == ("ROU", "EUR")
    assert rel.at["112", "weight"] == 8.0 and rel.at["112", "quad_class"] == 1
    assert rel.at["112", "type"] == "agreement"
    assert rel.at["102", "start"] == "1982-01-02" and rel.at["102", "source_ref"] == "GDELT 102"
    assert rel.at["101", "source_ref"] == "GDELT 101; https://example.org/news/101"
    assert rel.at["101", "sign"] == -1 and rel.at["113", "sign"] == -1
    entities = tg.entities.set_index("id")
    assert entities.loc[["ROU", "EUR", "XYZ"], "type"].tolist() == ["state", "region",
                                                                     "unknown"]
    assert entities.at["XYZ", "name"] == "XYZ"


def test_compressed_and_chunked_reads_give_the_same_graph():
    plain, report = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", **LEGACY)
    packed, packed_report = read_gdelt(FIXTURES / "gdelt1_mixed.tsv.gz", **LEGACY)
    tiny, tiny_report = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", chunk_bytes=300, **LEGACY)
    for other in (packed, tiny):
        pd.testing.assert_frame_equal(plain.relations, other.relations)
    assert [m[1:] for m in packed_report.malformed] == [m[1:] for m in report.malformed]
    assert tiny_report.malformed == report.malformed
    assert tiny_report.skipped == report.skipped


def test_gdelt2_and_zip_archives():
    tg, report = read_gdelt(FIXTURES / "gdelt2.tsv", **LEGACY)
    assert report.formats == {"GDELT 2.0 (61 fields)": 3}
    assert report.imported == 3
    rel = tg.relations.set_index("event_id")
    assert rel.at["202", "type"] == "military_action"
    assert rel.at["202", "action_lat"] == pytest.approx(55.75)
    zipped, zreport = read_gdelt(FIXTURES / "gdelt2.zip", **LEGACY)
    assert zreport.files == [f"{FIXTURES / 'gdelt2.zip'}:20230925120000.export.CSV",
                             f"{FIXTURES / 'gdelt2.zip'}:20230926120000.export.CSV"]
    pd.testing.assert_frame_equal(tg.relations, zipped.relations)


def test_many_files_at_once_and_glob_patterns():
    _, report = read_gdelt([FIXTURES / "gdelt1_mixed.tsv", FIXTURES / "gdelt2.tsv"], **LEGACY)
    assert report.rows_read == 19 and report.imported == 10
    _, greport = read_gdelt(str(FIXTURES / "gdelt[12]*.tsv"), **LEGACY)
    assert greport.rows_read == 19 and len(greport.files) == 2


def test_rexport_fixture_na_lost_zero_and_extra_field():
    path = FIXTURES / "gdelt_rexport.csv"
    tg, report = read_gdelt(path, **LEGACY)
    assert report.rows_read == 5 and report.imported == 3
    assert report.skipped == {"malformed row (wrong number of fields)": 1,
                              "no second actor": 1}
    assert report.malformed == [(str(path), 5, "59 fields, expected 58")]
    assert report.restored_codes == {"43 -> 043": 1}
    rel = tg.relations.set_index("event_id")
    assert rel.at["303", "cameo_code"] == "043" and rel.at["303", "type"] == "meeting"
    assert rel.at["301", "target_name"] == "RUSSIA, FEDERATION"
    assert rel.at["302", "source_name"] == ""  # NA read as empty


def test_dedupe_keeps_one_event_per_dyad_code_and_day():
    tg, report = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", dedupe=True, nonstate="state",
                            organisations=False)
    assert report.merged == 1 and report.dedupe == "day"
    assert report.imported == 6
    assert report.rows_read == report.imported + report.merged + sum(report.skipped.values())
    rel = tg.relations.set_index("event_id")
    assert "115" not in rel.index and rel.at["114", "duplicates"] == 1
    assert rel["duplicates"].sum() == 1


def test_keys_by_actor_code_and_by_name():
    tg, report = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", key="actor", **LEGACY)
    entities = tg.entities.set_index("id")
    assert {"USAGOV", "RUS", "DEUGOV", "XYZREB"} <= set(entities.index)
    assert entities.at["USAGOV", "name"] == "UNITED STATES"
    assert entities.at["XYZREB", "type"] == "armed_group"
    assert entities.at["RUS", "type"] == "state"
    # USAGOV -> USAMIL is no longer the same actor; GOV without country is now an actor
    assert "same actor on both sides" not in report.skipped
    assert report.rows_read == report.imported + report.merged + sum(report.skipped.values())
    by_name, _ = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", key="name", **LEGACY)
    assert "UNITED STATES" in set(by_name.entities["id"])


def test_weights_from_the_table_and_an_overriding_map(tmp_path):
    tg, _ = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", weights="table", **LEGACY)
    table = load_cameo_map().table
    rel = tg.relations
    known = rel["cameo_code"].isin(table.index)
    assert (rel["weight"][known].to_numpy()
            == table.loc[rel["cameo_code"][known], "goldstein"].to_numpy()).all()
    mine = tmp_path / "map.csv"
    mine.write_text("cameo_code,relation_type\n1312,sanctions\n", encoding="utf-8")
    tg, report = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", cameo_map=mine, **LEGACY)
    rel = tg.relations.set_index("event_id")
    assert rel.at["101", "type"] == "sanctions"
    assert rel.at["101", "end"] == rel.at["101", "start"] == "2016-07-21"  # a point event
    assert report.map_version == "1.0+map"


def test_synthetic_sample_for_the_notebooks():
    tg, report = read_gdelt(SAMPLE, **LEGACY)
    assert (report.rows_read, report.imported) == (331, 276)
    assert report.skipped == {"no second actor": 25, "no country code": 10,
                              "same actor on both sides": 20}
    assert len(tg.entities) == 10
    durable = tg.relations["type"].isin(["sanctions", "ceasefire", "blockade",
                                         "peacekeeping"])
    assert durable.any()
    assert (tg.relations["end"][durable] == tg.relations["start"][durable]).all()
    assert tg.relations["start"].str[:7].nunique() == 4


# ----------------------------------------------------------------- pure transform


def test_events_to_relations_is_a_pure_per_chunk_transform():
    raw = pd.read_csv(FIXTURES / "gdelt2.tsv", sep="\t", header=None, dtype=str,
                      keep_default_na=False, quoting=csv.QUOTE_NONE)
    from graphkit.io.events.gdelt import GDELT2_COLUMNS
    raw.columns = GDELT2_COLUMNS
    out = events_to_relations(raw, "gdelt", **LEGACY_CHUNK)
    assert out.index.tolist() == [0, 1, 2]
    assert out["type"].tolist() == ["criticism", "military_action", "aid"]
    every = events_to_relations(raw.assign(Actor2CountryCode=["", "ARM", "ARM"]),
                                "gdelt", keep_skipped=True)
    assert every["skip_reason"].tolist() == ["no country code", "", ""]
    assert raw["EventCode"].tolist() == ["111", "190", "071"]  # input untouched


def test_events_to_relations_maps_over_dask_partitions():
    dd = pytest.importorskip("dask.dataframe")
    raw = pd.read_csv(FIXTURES / "gdelt1_mixed.tsv", sep="\t", header=None,
                      names=GDELT1_COLUMNS, dtype=str, keep_default_na=False,
                      quoting=csv.QUOTE_NONE, on_bad_lines="skip")
    direct = events_to_relations(raw, "gdelt")
    parts = dd.from_pandas(raw, npartitions=3)
    mapped = parts.map_partitions(events_to_relations, "gdelt",
                                  meta=direct.iloc[:0]).compute()
    pd.testing.assert_frame_equal(mapped, direct, check_dtype=False)


# --------------------------------------------------------------------------- errors


def test_errors_name_the_file(tmp_path):
    with pytest.raises(EventFileError, match=re.escape("nope.tsv: no such file")):
        read_gdelt(tmp_path / "nope.tsv")
    with pytest.raises(EventFileError, match="no file matches"):
        read_gdelt(str(tmp_path / "*.tsv"))
    with pytest.raises(EventFormatError, match=re.escape("not_gdelt.csv: not a GDELT event file")):
        read_gdelt(FIXTURES / "not_gdelt.csv")
    odd = tmp_path / "odd.tsv"
    odd.write_text("a\tb\tc\n1\t2\t3\n", encoding="utf-8")
    with pytest.raises(EventFormatError, match="line 1 has 3 fields, expected 57, 58 or 61"):
        read_gdelt(odd)
    broken = tmp_path / "broken.tsv.gz"
    broken.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(EventFormatError, match=re.escape("broken.tsv.gz: cannot be decompressed")):
        read_gdelt(broken)
    whole = (FIXTURES / "gdelt1_mixed.tsv").read_bytes() * 20
    truncated = tmp_path / "truncated.tsv.gz"
    truncated.write_bytes(gzip.compress(whole)[:600])
    with pytest.raises(EventFormatError,
                       match=re.escape("truncated.tsv.gz: cannot be decompressed")):
        read_gdelt(truncated)
    fake_zip = tmp_path / "fake.zip"
    fake_zip.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(EventFormatError, match=re.escape("fake.zip: damaged zip archive")):
        read_gdelt(fake_zip)
    with pytest.raises(ValueError, match="key must be one of"):
        read_gdelt(FIXTURES / "gdelt2.tsv", key="iso")


def test_report_invariant_table_and_html():
    _, report = read_gdelt(FIXTURES / "gdelt1_mixed.tsv", **LEGACY)
    table = report.to_frame()
    assert table.loc[table["category"] == "read", "count"].item() == 16
    assert table.loc[table["category"] != "read", "count"].sum() == 16
    html = report._repr_html_()
    assert "<table>" in html and "no second actor" in html
    text = str(report)
    assert "check: 16 read = 7 imported + 0 merged + 9 skipped" in text
    assert "gdelt1_mixed.tsv:7: 40 fields" in text
    bad = ImportReport("GDELT", rows_read=3, imported=1, merged=0,
                       skipped={"no CAMEO code": 1})
    with pytest.raises(AssertionError, match="does not add up"):
        bad.check()


# ------------------------------------------------------------------------------ CLI


def test_cli_imports_a_shared_sample(shared, tmp_path, capsys):
    path = shared / "datasets" / "gdelt" / "gdelt1_sample_mixed.tsv"
    code = main(["import", "gdelt", str(path), "-o", str(tmp_path / "out"),
                 "--no-progress", "--keep-duplicates", "--nonstate", "state",
                 "--no-organisations"])
    out = capsys.readouterr().out
    assert code == 0
    assert "check: 710 read = 139 imported + 0 merged + 571 skipped" in out
    assert "(csv): 72 entities, 139 relations" in out
    assert len(graphkit.load(tmp_path / "out").relations) == 139


def test_cli_options_and_parquet(tmp_path, capsys):
    code = main(["import", "gdelt", str(FIXTURES / "gdelt1_mixed.tsv"),
                 str(FIXTURES / "gdelt2.zip"), "-o", str(tmp_path / "pq"),
                 "--format", "parquet", "--dedupe", "day", "--key", "actor",
                 "--no-progress"])
    assert code == 0
    assert (tmp_path / "pq" / "relations.parquet").exists()
    assert "(dedupe='day': one event per day" in capsys.readouterr().out
    assert len(graphkit.load(tmp_path / "pq").relations) > 0


def test_cli_errors_without_traceback(tmp_path, capsys):
    assert main(["import", "gdelt", str(tmp_path / "nope.tsv"), "-o",
                 str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "nope.tsv: no such file" in err and "Traceback" not in err
    assert main(["import", "gdelt", str(FIXTURES / "not_gdelt.csv"), "-o",
                 str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "not_gdelt.csv: not a GDELT event file" in err and "Traceback" not in err
    bad_map = tmp_path / "map.csv"
    bad_map.write_text("cameo_code,relation_type\n043,nonsense\n", encoding="utf-8")
    assert main(["import", "gdelt", str(FIXTURES / "gdelt2.tsv"), "-o",
                 str(tmp_path / "o"), "--map", str(bad_map)]) == 2
    assert "relation_type 'nonsense'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
