"""The CAMEO map, code normalisation and the country table (graphkit.io.cameo)."""

from __future__ import annotations

import pandas as pd
import pytest

from graphkit.core.vocabulary import BUILTIN, default_vocabulary
from graphkit.io import cameo


def _gdelt_table(shared, name: str) -> pd.DataFrame:
    return pd.read_csv(shared / "datasets" / "gdelt" / name, sep="\t", dtype=str,
                       keep_default_na=False, encoding="latin-1")


# ------------------------------------------------------------------------------ the map


def test_map_covers_every_gdelt_code_with_its_goldstein_score(shared):
    gdelt = _gdelt_table(shared, "CAMEO.goldsteinscale.txt")
    table = cameo.load_cameo_map().table
    assert set(table.index) == set(gdelt["CAMEOEVENTCODE"])
    published = gdelt.set_index("CAMEOEVENTCODE")["GOLDSTEINSCALE"].astype(float)
    assert (table["goldstein"] == published.reindex(table.index)).all()
    described = _gdelt_table(shared, "CAMEO.eventcodes.txt")
    assert set(described["CAMEOEVENTCODE"]) == set(table.index)


def test_map_codes_are_strings_with_leading_zeros():
    table = cameo.load_cameo_map().table
    assert table.index.str.fullmatch(r"\d{2,4}").all()
    assert {"01", "010", "043", "0211", "0874", "20", "2042"} <= set(table.index)
    assert len(table) == 311
    assert (table["description"] != "").all()


def test_map_quad_class_follows_the_root():
    table = cameo.load_cameo_map().table
    root = table.index.str[:2].astype(int)
    expected = pd.cut(root, [0, 5, 8, 13, 20], labels=[1, 2, 3, 4]).astype(int)
    assert (table["quad_class"].to_numpy() == pd.Series(expected).to_numpy()).all()
    assert cameo.quad_class_of(pd.Series(["043", "0874", "111", "190", "xx"])).tolist() \
        == [1, 2, 3, 4, 0]


def test_map_types_exist_and_agree_with_the_builtin_cameo_lists():
    table = cameo.load_cameo_map().table
    vocabulary = cameo.import_vocabulary()
    assert table["relation_type"].isin(list(vocabulary.types)).all()
    # every type the importers can produce is built in, with its default weight
    assert set(table["relation_type"]) <= set(BUILTIN.types)
    statement = BUILTIN["statement"]
    assert statement.weight == 0.0 and statement.quad_class == 1
    assert {"01", "010", "02", "020"} <= set(statement.cameo)
    listed: dict[str, set[str]] = {}
    for relation_type in BUILTIN:
        for code in relation_type.cameo:
            listed.setdefault(code, set()).add(relation_type.name)
    for code, types in listed.items():
        if code in table.index:
            assert table.at[code, "relation_type"] in types, code


def test_map_is_versioned_and_says_where_its_values_come_from():
    cmap = cameo.load_cameo_map()
    assert cmap.version == "1.0"
    text = (cameo.resources.files("graphkit") / "resources" / "cameo_relation_map.csv") \
        .read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "version: 1.0" in header
    assert "Goldstein (1992)" in header and "graphkit's own" in header


def test_import_types_stay_out_of_the_default_vocabulary():
    assert "statement" in cameo.import_vocabulary()
    assert cameo.import_vocabulary()["statement"].sign == 0
    assert "statement" not in default_vocabulary() or "statement" in BUILTIN.types


# ------------------------------------------------------------------------ overriding


def test_override_rows_replace_the_shipped_ones_and_fill_gaps():
    mine = pd.DataFrame({"cameo_code": ["043", "0215"],
                         "relation_type": ["support", "cooperation"]})
    cmap = cameo.load_cameo_map(mine)
    assert cmap.table.at["043", "relation_type"] == "support"
    assert cmap.table.at["043", "goldstein"] == 2.8  # kept from the shipped row
    assert cmap.table.at["0215", "goldstein"] == 3.0  # from its root 02
    assert cmap.table.at["0215", "quad_class"] == 1
    assert len(cmap.table) == 312
    assert cmap.version.startswith("1.0+")


def test_override_file_with_its_own_version(tmp_path):
    path = tmp_path / "my_map.csv"
    path.write_text("# version: 2024-lab\ncameo_code,relation_type,goldstein\n"
                    "190,military_action,-9.9\n", encoding="utf-8")
    cmap = cameo.load_cameo_map(path)
    assert cmap.version == "1.0+2024-lab"
    assert cmap.table.at["190", "goldstein"] == -9.9
    assert cmap.sources == ("cameo_relation_map.csv", str(path))


def test_override_errors_name_each_bad_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("cameo_code,relation_type,goldstein,quad_class\n"
                    "43,meeting,2.8,1\n"
                    "190,fisticuffs,-10,4\n"
                    "191,blockade,-12,4\n"
                    "191,blockade,-9,7\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        cameo.load_cameo_map(path)
    message = str(err.value)
    assert "line 2: cameo_code '43' has no CAMEO root" in message
    assert "line 3: relation_type 'fisticuffs'" in message
    assert "line 4: goldstein '-12'" in message
    assert "line 5: cameo_code '191' appears twice" in message
    assert "line 5: quad_class '7'" in message
    with pytest.raises(ValueError, match="no such CAMEO map"):
        cameo.load_cameo_map(tmp_path / "missing.csv")


def test_a_complete_map_needs_every_column():
    mine = pd.DataFrame({"cameo_code": ["043"], "relation_type": ["meeting"]})
    with pytest.raises(ValueError, match="lacks column"):
        cameo.load_cameo_map(mine, merge=False)
    full = mine.assign(goldstein="2.8", quad_class="1", description="visit")
    assert list(cameo.load_cameo_map(full, merge=False).table.index) == ["043"]


# ----------------------------------------------------------------- code normalisation


@pytest.mark.parametrize(("raw", "code", "status", "key"), [
    ("043", "043", "ok", "043"),
    ("43", "043", "restored", "043"),
    ("43.0", "043", "restored", "043"),
    (" 0834 ", "0834", "ok", "0834"),
    ("834", "0834", "restored", "0834"),
    ("10", "010", "restored", "010"),  # event codes have 3-4 digits: 10 was 010
    ("111", "111", "ok", "111"),  # 0111 is no code: 111 stays
    ("211", "0211", "restored", "0211"),  # 211 is no code: it was 0211
    ("1", "01", "restored", "01"),
    ("0215", "0215", "unknown", "021"),  # unknown, kept under its base code
    ("1099", "1099", "unknown", "10"),
    ("215", "215", "invalid", ""),  # no known root as written
    ("2511", "2511", "invalid", ""),
    ("abc", "abc", "invalid", ""),
    ("", "", "missing", ""),
])
def test_normalize_codes(raw, code, status, key):
    out = cameo.normalize_codes(pd.Series([raw]))
    assert out.iloc[0].tolist() == [code, status, key]


def test_root_level_tables_report_ambiguous_codes():
    out = cameo.normalize_codes(pd.Series(["10", "20", "043", "9"]), min_digits=2)
    assert out["code"].tolist() == ["10", "20", "043", "09"]
    assert out["status"].tolist() == ["ambiguous", "ambiguous", "ok", "restored"]


def test_every_code_survives_and_every_lost_zero_comes_back():
    codes = pd.Series(sorted(cameo.load_cameo_map().codes))
    event_level = codes[codes.str.len() >= 3]
    assert (cameo.normalize_codes(event_level)["code"] == event_level).all()
    lost = event_level[event_level.str.startswith("0")]
    as_numbers = lost.astype(int).astype(str)
    restored = cameo.normalize_codes(as_numbers)
    assert (restored["code"].to_numpy() == lost.to_numpy()).all()
    assert (restored["status"] == "restored").all()
    roots = codes[codes.str.len() == 2]
    assert (cameo.normalize_codes(roots.astype(int).astype(str), min_digits=2)["code"]
            .str.zfill(2).to_numpy() == roots.to_numpy()).all()


# ------------------------------------------------------------------------ countries


def test_country_table_is_consistent():
    table = cameo.country_table()
    assert table.index.is_unique
    assert table.index.str.fullmatch(r"[A-Z]{3}").all()
    assert set(table["type"]) == {"state", "territory", "region"}
    assert (table["type"] == "region").sum() == 25
    # every name and variant maps back to its own row, and no variant names two rows
    for code, row in table.iterrows():
        names = [row["name"], *[n for n in row["names"].split(";") if n]]
        assert set(cameo.names_to_countries(pd.Series(names))) == {code}, code


@pytest.mark.parametrize(("name", "code"), [
    ("Russian Federation", "RUS"), ("United States", "USA"),
    ("Occupied Palestinian Territory", "PSE"), ("Congo, Democratic Republic of the", "COD"),
    ("Democratic Republic of Congo", "COD"), ("Congo", "COG"), ("Moldova, Republic of", "MDA"),
    ("the former Yugoslav Republic of Macedonia", "MKD"), ("Côte d’Ivoire", "CIV"),
    ("Cote d'Ivoire", "CIV"), ("Swaziland", "SWZ"), ("Holy See", "VAT"),
    ("Korea, Democratic People's Republic of", "PRK"), ("South Korea", "KOR"),
    ("Iran (Islamic Republic of)", "IRN"), ("Viet Nam", "VNM"), ("Czech Republic", "CZE"),
    ("St. Kitts and Nevis", "KNA"), ("Antigua & Barbuda", "ATG"), ("East Timor", "TLS"),
    ("RUSSIAN FEDERATION", "RUS"), ("Atlantis", ""), ("", ""),
])
def test_names_to_countries(name, code):
    assert cameo.names_to_countries(pd.Series([name])).iloc[0] == code


def test_every_country_in_the_icews_sample_is_known(shared):
    raw = pd.read_csv(shared / "datasets" / "icews" / "events.2018.sample.tab", sep="\t",
                      dtype=str, keep_default_na=False, quoting=3)
    names = pd.Series(pd.unique(pd.concat([raw["Source Country"], raw["Target Country"],
                                           raw["Country"]])))
    names = names[(names != "NA") & (names != "")]
    unknown = names[cameo.names_to_countries(names) == ""]
    assert unknown.tolist() == []


def test_every_state_of_the_2016_state_system_is_known(shared):
    cow = pd.read_csv(shared / "datasets" / "cow" / "states2016.csv", dtype=str)
    current = cow[cow["endyear"] == "2016"]
    codes = cameo.names_to_countries(current["statenme"])
    assert codes[codes == ""].tolist() == []
    assert codes.is_unique
    lookup = dict(zip(current["statenme"], codes, strict=True))
    assert lookup["United States of America"] == "USA"
    assert lookup["Germany"] == "DEU"
    assert lookup["Ivory Coast"] == "CIV"
    assert lookup["Federated States of Micronesia"] == "FSM"


def test_country_codes_and_names():
    codes = cameo.normalize_country_codes(pd.Series(["ROM", " usa", "ZAR", "TMP", "XYZ", ""]))
    assert codes.tolist() == ["ROU", "USA", "COD", "TLS", "XYZ", ""]
    info = cameo.country_names(pd.Series(["ROU", "WST", "XYZ"]))
    assert info["name"].tolist() == ["Romania", "The West", "XYZ"]
    assert info["type"].tolist() == ["state", "region", "unknown"]
    assert info["known"].tolist() == [True, True, False]


# ------------------------------------------------------------- a CAMEO table of your own


def test_generic_cameo_table_with_a_schema_of_your_own(tmp_path):
    from graphkit.io import EventSchema, read_cameo

    path = tmp_path / "mine.csv"
    path.write_text(
        "Day,From,To,Cameo,Goldstein,Note\n"
        "2024-01-03,ARM,AZE,43,,visit\n"        # lost zero, weight from the map
        "2024-01-04,AZE,ARM,190,-9.0,attack\n"
        "2024-01-05,ARM,ARM,040,1.0,domestic\n"
        "2024-01-06,ARM,,040,1.0,one actor\n"
        "2024-02-30,ARM,AZE,040,1.0,no such day\n"
        "2024-01-07,ARM,AZE,10,,root level\n",
        encoding="utf-8")
    schema = EventSchema("mine", date="day", date_format="%Y-%m-%d", code="cameo",
                         source_country="from", target_country="to", weight="goldstein",
                         extras=(("note", "note", "str"),), min_code_digits=2)
    tg, report = read_cameo(path, schema)
    assert report.rows_read == 6 and report.imported == 3
    assert report.skipped == {"malformed row (bad date)": 1, "no second actor": 1,
                              "same actor on both sides": 1}
    assert report.malformed == [(str(path), 6, "bad date '2024-02-30'")]
    assert report.ambiguous_codes == {"10": 1}
    rel = tg.relations
    assert rel["cameo_code"].tolist() == ["043", "190", "10"]
    assert rel["type"].tolist() == ["meeting", "military_action", "demand"]
    assert rel["weight"].tolist() == [2.8, -9.0, -5.0]
    assert rel["note"].tolist() == ["visit", "attack", "root level"]
    assert rel["source_ref"].tolist() == ["mine", "mine", "mine"]
    with pytest.raises(ValueError, match="its header lacks 'date'"):
        read_cameo(path, EventSchema("mine", date="date", code="cameo",
                                     source_country="from", target_country="to"))
