"""The bundled case study ``data/nagorno_karabakh``: format, provenance and key facts.

Most tests read the CSV files with pandas alone, so they check the data independently of
graphkit's loader; the last ones load the folder with Frictionless and with graphkit.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "nagorno_karabakh"
SOURCES = ROOT.parent / "shared" / "sources"
REPORT = SOURCES / "000_f0d6b50b3164e0da.txt"
VOCABULARY = ROOT / "graphkit" / "resources" / "relation_types.csv"

ENTITY_COLUMNS = ["id", "name", "type", "aliases", "affiliation", "description"]
RELATION_COLUMNS = [
    "source", "target", "type", "start", "end", "weight", "sign", "directed",
    "confidence", "evidence", "source_ref", "via",
]
ENTITY_TYPES = {"state", "organisation", "person", "territory", "armed_group", "group"}
SOURCE_REF = re.compile(r"^(report 2023-09-25 para (\d+)|background: .+)$")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def entities() -> pd.DataFrame:
    return read("entities.csv")


@pytest.fixture(scope="module")
def relations() -> pd.DataFrame:
    return read("relations.csv")


@pytest.fixture(scope="module")
def report_paragraphs() -> list[str]:
    if not REPORT.exists():
        pytest.skip(f"source report not available at {REPORT}")
    text = REPORT.read_text(encoding="utf-8")
    # a paragraph is a block separated by blank lines; the headline is paragraph 1
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def period(frame: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """Rows whose [start, end or start] overlaps [first, last], comparing ISO text."""
    end = frame["end"].where(frame["end"] != "", frame["start"])
    durable = frame["type"].isin(["alliance", "membership", "ceasefire", "peacekeeping",
                                  "sanctions", "blockade"])
    end = end.where(~(durable & (frame["end"] == "")), "9999")
    # a partial date covers its unit: "2023-09" ends after "2023-09-30"
    return frame[(frame["start"] <= last) & ((end + "~") >= first)]


# ----------------------------------------------------------------------------- format


def test_files_are_utf8_csv_with_the_agreed_headers():
    for name, columns in (("entities.csv", ENTITY_COLUMNS), ("relations.csv", RELATION_COLUMNS)):
        raw = (DATA / name).read_bytes()
        text = raw.decode("utf-8")
        assert not text.startswith("\ufeff"), f"{name} has a byte-order mark"
        assert "\r" not in text, f"{name} must use \\n line endings"
        assert list(read(name).columns) == columns


def test_sizes(entities, relations):
    assert len(entities) >= 18
    assert len(relations) >= 60


def test_entities(entities):
    assert entities["id"].is_unique
    assert entities["id"].str.fullmatch(r"[A-Z][A-Z0-9_]*").all()
    assert set(entities["type"]) <= ENTITY_TYPES
    assert (entities["name"] != "").all()
    required = {"ARM", "AZE", "RUS", "USA", "CSTO", "ICC", "ARTSAKH", "USAID", "TUR", "UKR",
                "PASHINYAN", "ALIYEV", "PUTIN", "PESKOV", "POWER", "KIM"}
    assert required <= set(entities["id"])
    kinds = entities.set_index("id")["type"]
    assert (kinds[["ARM", "AZE", "RUS", "USA", "TUR", "UKR"]] == "state").all()
    assert (kinds[["CSTO", "ICC", "USAID"]] == "organisation").all()
    assert kinds["ARTSAKH"] in {"territory", "group"}


def test_aliases_are_unique_and_resolve_to_the_right_entity(entities):
    owners: dict[str, str] = {i.lower(): i for i in entities["id"]}
    for ident, aliases in zip(entities["id"], entities["aliases"], strict=True):
        for alias in filter(None, (a.strip() for a in aliases.split(";"))):
            key = alias.lower()
            assert owners.get(key, ident) == ident, f"alias {alias!r} of {ident} clashes"
            owners[key] = ident
    for alias, ident in {"yerevan": "ARM", "baku": "AZE", "moscow": "RUS", "kremlin": "RUS",
                         "washington": "USA", "stepanakert": "ARTSAKH",
                         "artsakh": "ARTSAKH"}.items():
        assert owners[alias] == ident


def test_people_act_for_a_state_or_body(entities, relations):
    people = entities[entities["type"] == "person"].set_index("id")["affiliation"]
    assert people[["PASHINYAN", "ALIYEV", "PUTIN", "PESKOV", "POWER", "KIM"]].to_dict() == {
        "PASHINYAN": "ARM", "ALIYEV": "AZE", "PUTIN": "RUS", "PESKOV": "RUS",
        "POWER": "USAID", "KIM": "USA",
    }
    assert set(people) <= set(entities["id"])
    others = entities[entities["type"] != "person"]
    assert (others["affiliation"] == "").all()
    member = relations[relations["type"] == "membership"]
    for person, body in people.items():
        assert ((member["source"] == person) & (member["target"] == body)).any(), person


# -------------------------------------------------------------------------- relations


def test_relation_values(relations, entities):
    ids = set(entities["id"])
    assert set(relations["source"]) <= ids
    assert set(relations["target"]) <= ids
    assert (relations["source"] != relations["target"]).all()
    via = relations["via"].str.split(";").explode()
    assert set(via[via != ""]) <= set(entities.loc[entities["type"] == "person", "id"])

    vocabulary = pd.read_csv(VOCABULARY, dtype=str, keep_default_na=False)
    assert set(relations["type"]) <= set(vocabulary["type"])

    assert relations["start"].str.fullmatch(PARTIAL_DATE.pattern).all()
    ended = relations[relations["end"] != ""]
    assert ended["end"].str.fullmatch(PARTIAL_DATE.pattern).all()
    # end >= start, compared at the precision the two dates share
    for start, end in zip(ended["start"], ended["end"], strict=True):
        assert end[: len(start)] >= start[: len(end)], (start, end)

    weight = pd.to_numeric(relations["weight"].replace("", None))
    assert weight.dropna().between(-10, 10).all()
    assert set(relations["sign"]) <= {"", "-1", "0", "1"}
    assert set(relations["directed"]) <= {"true", "false"}
    assert pd.to_numeric(relations["confidence"]).between(0, 1).all()


def test_relations_are_sorted_by_start_source_target(relations):
    keys = list(zip(relations["start"], relations["source"], relations["target"], strict=True))
    assert keys == sorted(keys)


def test_every_relation_has_evidence_and_a_source_reference(relations):
    assert (relations["evidence"].str.strip().str.len() > 20).all()
    assert relations["source_ref"].str.fullmatch(SOURCE_REF.pattern).all()
    assert (relations["source_ref"].str.startswith("report")).sum() >= 30


def test_evidence_is_not_copied_from_the_report(relations, report_paragraphs):
    report = words(" ".join(report_paragraphs))
    runs = {tuple(report[i: i + 8]) for i in range(len(report) - 7)}
    for evidence in relations["evidence"]:
        ours = words(evidence)
        copied = [" ".join(ours[i: i + 8]) for i in range(len(ours) - 7)
                  if tuple(ours[i: i + 8]) in runs]
        assert not copied, f"evidence copies the report: {copied[0]!r}"


def test_cited_paragraphs_exist(relations, report_paragraphs):
    cited = relations["source_ref"].str.extract(SOURCE_REF.pattern)[1].dropna().astype(int)
    assert len(report_paragraphs) == 38
    assert cited.between(2, len(report_paragraphs)).all()
    # spot checks of the numbering convention (headline = paragraph 1)
    assert report_paragraphs[0].startswith("Ethnic Armenians")
    assert "Samantha Power" in report_paragraphs[10]  # paragraph 11
    assert "Granada" in report_paragraphs[25]  # paragraph 26
    assert "Rome Statute" in report_paragraphs[20]  # paragraph 21


# -------------------------------------------------------------------------- key facts


def rows(frame: pd.DataFrame, source: str, target: str, kind: str) -> pd.DataFrame:
    return frame[(frame["source"] == source) & (frame["target"] == target)
                 & (frame["type"] == kind)]


def test_offensive_of_19_september(relations):
    offensive = rows(relations, "AZE", "ARTSAKH", "military_action")
    hit = offensive[offensive["start"] == "2023-09-19"]
    assert len(hit) == 1
    assert hit["end"].iloc[0] == "2023-09-20"
    assert hit["directed"].iloc[0] == "true"
    surrender = rows(relations, "ARTSAKH", "AZE", "yield")
    assert "2023-09-20" in set(surrender["start"])


def test_icc_warrant_against_putin(relations):
    warrant = rows(relations, "ICC", "PUTIN", "legal_action")
    assert list(warrant["start"]) == ["2023-03-17"]


def test_ceasefire_of_2020_brokered_by_russia(relations):
    ceasefire = rows(relations, "ARM", "AZE", "ceasefire")
    row = ceasefire[ceasefire["start"] == "2020-11-10"]
    assert len(row) == 1 and row["directed"].iloc[0] == "false"
    mediation = relations[(relations["source"] == "RUS") & (relations["type"] == "mediation")
                          & (relations["start"] == "2020-11-10")]
    assert {"ARM", "AZE"} <= set(mediation["target"])
    peacekeeping = rows(relations, "RUS", "ARTSAKH", "peacekeeping")
    assert peacekeeping["start"].str.startswith("2020-11").any()
    first = ceasefire[ceasefire["start"] == "1994-05-12"]
    assert list(first["end"]) == ["2020-09-27"]


def test_us_delegation_in_yerevan_on_25_september(relations):
    meeting = rows(relations, "USA", "ARM", "meeting")
    row = meeting[meeting["start"] == "2023-09-25"]
    assert len(row) == 1
    assert {"POWER", "KIM", "PASHINYAN"} <= set(row["via"].iloc[0].split(";"))
    sept = relations[relations["start"].str.startswith("2023-09")]
    us_arm = sept[(sept["source"] == "USA") & (sept["target"] == "ARM")]
    assert {"meeting", "support", "aid", "cooperation"} <= set(us_arm["type"])


def test_lachin_blockade(relations):
    blockade = rows(relations, "AZE", "ARTSAKH", "blockade")
    assert blockade["start"].str.startswith("2022-12").any()


def test_criticism_both_ways_between_yerevan_and_moscow_in_september_2023(relations):
    sept = relations[relations["start"].str.startswith("2023-09")]
    hostile = sept[sept["type"].isin(["criticism", "accusation"])]
    assert len(hostile[(hostile["source"] == "ARM") & (hostile["target"] == "RUS")]) >= 2
    assert len(hostile[(hostile["source"] == "RUS") & (hostile["target"] == "ARM")]) >= 2
    csto = rows(sept, "ARM", "CSTO", "criticism")
    assert list(csto["start"]) == ["2023-09-24"]
    assert list(csto["via"]) == ["PASHINYAN"]


def test_periods_show_armenias_turn_from_russia_to_the_united_states(relations):
    def dyad(frame, a, b):
        return frame[((frame["source"] == a) & (frame["target"] == b))
                     | ((frame["source"] == b) & (frame["target"] == a))]

    negative = {"criticism", "accusation", "demand", "threat", "protest",
                "reduce_relations", "sanctions", "blockade", "legal_action", "military_action"}
    before = period(relations, "2020-11-10", "2023-06-30")
    during = period(relations, "2023-09-01", "2023-09-30")

    arm_rus_before = dyad(before, "ARM", "RUS")
    assert {"alliance", "peacekeeping", "meeting", "mediation"} <= set(arm_rus_before["type"])
    assert not set(arm_rus_before["type"]) & negative
    assert "membership" in set(dyad(before, "ARM", "CSTO")["type"])

    arm_rus_during = dyad(during, "ARM", "RUS")
    assert {"criticism", "accusation", "reduce_relations"} <= set(arm_rus_during["type"])
    assert "criticism" in set(dyad(during, "ARM", "CSTO")["type"])
    arm_usa_during = dyad(during, "ARM", "USA")
    assert not set(arm_usa_during["type"]) & negative
    assert len(arm_usa_during) >= 4
    # enough history before the crisis for a comparison of periods to mean something
    assert (relations["start"] < "2023").sum() >= 30


# ----------------------------------------------------------------------- data package


def test_datapackage_describes_both_tables():
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"]
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name, columns in (("entities", ENTITY_COLUMNS), ("relations", RELATION_COLUMNS)):
        resource = resources[name]
        assert resource["path"] == f"{name}.csv"
        assert resource["profile"] == "tabular-data-resource"
        assert resource["encoding"] == "utf-8"
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert fields == columns
        assert all(f.get("description") for f in resource["schema"]["fields"])
    assert resources["entities"]["schema"]["primaryKey"] == ["id"]


def test_frictionless_validates_the_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_graphkit_loads_the_folder(relations, entities):
    import graphkit

    tg = graphkit.load(DATA)
    assert len(tg.relations) == len(relations)
    assert len(tg.entities) == len(entities)
