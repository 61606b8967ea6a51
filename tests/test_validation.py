"""Every validation rule, with the exact file, row and column it reports."""

from __future__ import annotations

import pandas as pd
import pytest

import graphkit
from graphkit import ValidationError

ENTITIES = "id,name,type,aliases\nARM,Armenia,state,Yerevan\nRUS,Russia,state,Moscow;Kremlin\n"
RELATION_HEADER = (
    "source,target,type,start,end,weight,sign,directed,confidence,evidence,source_ref\n"
)
GOOD = "ARM,RUS,criticism,2023-09-24,,,,true,0.9,e,r\n"


def write(folder, entities=ENTITIES, relations=RELATION_HEADER + GOOD):
    folder.mkdir(exist_ok=True)
    for name, text in (("entities.csv", entities), ("relations.csv", relations)):
        if text is None:
            continue
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def problems_of(folder) -> pd.DataFrame:
    with pytest.raises(ValidationError) as info:
        graphkit.load(folder)
    return info.value.problems


def only(problems: pd.DataFrame) -> dict:
    assert len(problems) == 1, problems.to_string()
    return problems.iloc[0].to_dict()


def test_clean_folder_loads(tmp_path):
    tg = graphkit.load(write(tmp_path / "d"))
    assert len(tg.relations) == 1
    assert tg.relations.loc[0, "signed_weight"] == -2.0


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        ("ARM,Atlantis,criticism,2023-09-24,,,,true,0.9,e,r", "target", "Atlantis",
         "unknown entity or alias"),
        (",RUS,criticism,2023-09-24,,,,true,0.9,e,r", "source", "", "required value missing"),
        ("ARM,RUS,friendship,2023-09-24,,,,true,0.9,e,r", "type", "friendship",
         "unknown relation type"),
        ("ARM,RUS,criticism,2023-02-30,,,,true,0.9,e,r", "start", "2023-02-30",
         "impossible date: day 30 of 2023-02"),
        ("ARM,RUS,criticism,last week,,,,true,0.9,e,r", "start", "last week", "not a date"),
        ("ARM,RUS,criticism,,,,,true,0.9,e,r", "start", "", "required value missing"),
        ("ARM,RUS,criticism,2023-09-24,2023-9,,,true,0.9,e,r", "end", "2023-9", "not a date"),
        ("ARM,RUS,sanctions,2023-09-24,2023-09-01,,,true,0.9,e,r", "end", "2023-09-01",
         "end is before start (2023-09-24)"),
        ("ARM,RUS,criticism,2023-09-24,,lots,,true,0.9,e,r", "weight", "lots",
         "weight is not a number"),
        ("ARM,RUS,criticism,2023-09-24,,-10.5,,true,0.9,e,r", "weight", "-10.5",
         "weight outside the Goldstein range -10..10"),
        ("ARM,RUS,criticism,2023-09-24,,inf,,true,0.9,e,r", "weight", "inf",
         "weight is not a number"),
        ("ARM,RUS,criticism,2023-09-24,,,2,true,0.9,e,r", "sign", "2", "sign must be -1, 0 or 1"),
        ("ARM,RUS,criticism,2023-09-24,,,0.5,true,0.9,e,r", "sign", "0.5",
         "sign must be -1, 0 or 1"),
        ("ARM,RUS,criticism,2023-09-24,,,,perhaps,0.9,e,r", "directed", "perhaps",
         "directed must be true or false"),
        ("ARM,RUS,criticism,2023-09-24,,,,true,1.5,e,r", "confidence", "1.5",
         "confidence outside 0..1"),
        ("ARM,RUS,criticism,2023-09-24,,,,true,high,e,r", "confidence", "high",
         "confidence is not a number"),
        ("Yerevan,arm,criticism,2023-09-24,,,,true,0.9,e,r", "target", "arm", "self-relation"),
    ],
)
def test_relation_rules_name_file_row_column_value(tmp_path, row, column, value, reason):
    folder = write(tmp_path / "d", relations=RELATION_HEADER + GOOD + row + "\n")
    problem = only(problems_of(folder))
    assert problem["file"] == str(folder / "relations.csv")
    assert problem["row"] == 3  # header is row 1, GOOD is row 2
    assert problem["column"] == column
    assert str(problem["value"]) == value
    assert reason in problem["reason"]


@pytest.mark.parametrize(
    ("row", "line", "column", "value", "reason"),
    [
        (",Nowhere,state,", 4, "id", "", "id is empty"),
        ("ARM,Armenia again,state,", 4, "id", "ARM", "duplicate id: first defined on row 2"),
        ("AZE,Azerbaijan,,Baku", 4, "type", "", "type is empty"),
    ],
)
def test_entity_rules(tmp_path, row, line, column, value, reason):
    folder = write(tmp_path / "d", entities=ENTITIES + row + "\n")
    problem = only(problems_of(folder))
    assert (problem["file"], problem["row"], problem["column"]) == (
        str(folder / "entities.csv"), line, column)
    assert problem["value"] == value
    assert reason in problem["reason"]


def test_ambiguous_alias_is_reported_where_defined_and_where_used(tmp_path):
    entities = ENTITIES + "AZE,Azerbaijan,state,Baku;moscow\n"
    relations = RELATION_HEADER + GOOD + "ARM,Moscow,criticism,2023-09-24,,,,true,0.9,e,r\n"
    problems = problems_of(write(tmp_path / "d", entities=entities, relations=relations))
    ent = problems[problems["file"].str.endswith("entities.csv")]
    assert sorted(ent["row"]) == [3, 4]
    assert set(ent["column"]) == {"aliases"}
    assert ent["reason"].str.startswith("ambiguous alias").all()
    rel = only(problems[problems["file"].str.endswith("relations.csv")])
    assert (rel["row"], rel["column"], rel["value"]) == (3, "target", "Moscow")
    assert rel["reason"] == "ambiguous alias: it names AZE, RUS"


def test_alias_equal_to_another_id_is_ambiguous(tmp_path):
    entities = ENTITIES + "AZE,Azerbaijan,state,rus\n"
    problem = only(problems_of(write(tmp_path / "d", entities=entities)))
    assert (problem["row"], problem["column"], problem["value"]) == (4, "aliases", "rus")


def test_alias_matching_is_case_insensitive(tmp_path):
    relations = RELATION_HEADER + "yerevan,KREMLIN,criticism,2023-09-24,,,,true,0.9,e,r\n"
    tg = graphkit.load(write(tmp_path / "d", relations=relations))
    assert tuple(tg.relations.loc[0, ["source", "target"]]) == ("ARM", "RUS")


def test_missing_required_columns(tmp_path):
    folder = write(tmp_path / "d", entities="id,type\nARM,state\n",
                   relations="source,target,start\nARM,ARM,2020\n")
    problems = problems_of(folder)
    missing = problems[problems["reason"] == "required column is missing"]
    assert set(zip(missing["file"].map(lambda f: f.rsplit("/", 1)[1]), missing["column"],
                   strict=True)) == {("entities.csv", "name"), ("relations.csv", "type")}
    assert missing["row"].isna().all()


def test_missing_file(tmp_path):
    folder = write(tmp_path / "d", relations=None)
    problem = only(problems_of(folder))
    assert problem["file"] == str(folder / "relations.csv")
    assert "missing file" in problem["reason"]


def test_missing_folder(tmp_path):
    problem = only(problems_of(tmp_path / "nowhere"))
    assert problem["reason"] == "no such file or folder"


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file(tmp_path, content):
    problem = only(problems_of(write(tmp_path / "d", entities=content)))
    assert problem["file"].endswith("entities.csv")
    assert "file is empty" in problem["reason"]


def test_undecodable_bytes_name_their_line(tmp_path):
    bad_row = b"ARM,RUS,criticism,2023-09-24,,,,true,0.9,caf\xe9,r\n"
    relations = (RELATION_HEADER + GOOD).encode() + bad_row
    problem = only(problems_of(write(tmp_path / "d", relations=relations)))
    assert problem["row"] == 3
    assert "undecodable bytes" in problem["reason"]


def test_ragged_rows_are_reported(tmp_path):
    relations = RELATION_HEADER + GOOD + "ARM,RUS,criticism\n"
    problem = only(problems_of(write(tmp_path / "d", relations=relations)))
    assert problem["row"] == 3
    assert "3 fields but the header has 11" in problem["reason"]


def test_every_problem_at_once():
    folder = "tests/fixtures/ten_problems"
    with pytest.raises(ValidationError) as info:
        graphkit.load(folder)
    problems = info.value.problems
    assert len(problems) == 10
    assert list(problems.columns) == ["file", "row", "column", "value", "reason"]
    got = set(zip(problems["file"].str.rsplit("/", n=1).str[1], problems["row"],
                  problems["column"], strict=True))
    assert got == {
        ("entities.csv", 4, "id"), ("entities.csv", 5, "id"),
        ("relations.csv", 3, "target"), ("relations.csv", 4, "type"),
        ("relations.csv", 5, "start"), ("relations.csv", 6, "end"),
        ("relations.csv", 7, "weight"), ("relations.csv", 8, "weight"),
        ("relations.csv", 9, "sign"), ("relations.csv", 10, "target"),
    }
    assert "10 problems found" in str(info.value)


def test_from_frames_rows_are_numbered_as_in_a_csv(small_frames):
    entities, relations = small_frames
    relations.loc[3, "type"] = "teleport"
    with pytest.raises(ValidationError) as info:
        graphkit.TemporalGraph.from_frames(entities, relations)
    problem = only(info.value.problems)
    assert (problem["file"], problem["row"], problem["column"]) == ("relations", 5, "type")


def test_defaults_come_from_the_vocabulary(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    rel = tg.relations.set_index("type")
    assert rel.loc["criticism", "weight"].tolist() == [-2.0, -3.0]
    assert rel.loc["alliance", "directed"] is False or not rel.loc["alliance", "directed"]
    assert rel.loc["aid", "sign"] == 1
    assert rel.loc["membership", "signed_weight"] == 0
    assert (rel["confidence"] == 1.0).all()
    assert list(tg.relations["via"]) == list(small_frames[1]["via"])  # extra column kept
    assert list(tg.entities["region"]) == list(small_frames[0]["region"])


def test_registered_types_are_accepted(small_frames):
    entities, relations = small_frames
    relations.loc[0, "type"] = "cyber_attack_test"
    graphkit.register_relation_type("cyber_attack_test", sign=-1, weight=-8, durable=False)
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    assert tg.relations.loc[0, "signed_weight"] == -8.0
    with pytest.raises(ValueError, match="already exists"):
        graphkit.register_relation_type("cyber_attack_test", sign=-1, weight=-8, durable=False)


# ------------------------------------------------------------- actors' existence

LIVED = (
    "id,name,type,aliases,start,end\nARM,Armenia,state,Yerevan,,\n"
    "NKR,Karabakh authorities,territory,,1991-09-02,2023-12-31\n"
)


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        ("NKR,ARM,criticism,1990,,,,true,0.9,e,r", "start", "1990",
         "dated before source NKR existed (from 1991-09-02)"),
        ("ARM,NKR,criticism,1991-09-01,,,,true,0.9,e,r", "start", "1991-09-01",
         "dated before target NKR existed (from 1991-09-02)"),
        ("ARM,NKR,criticism,2024-02,,,,true,0.9,e,r", "start", "2024-02",
         "dated after target NKR ceased to exist (on 2024-01-01)"),
        ("NKR,ARM,sanctions,2023-06,2024-03,,,true,0.9,e,r", "end", "2024-03",
         "runs past the end of source NKR (ceased on 2024-01-01)"),
        ("ARM,NKR,alliance,2020,,,,false,0.9,e,r", "end", "",
         "runs past the end of target NKR (ceased on 2024-01-01)"),
    ],
)
def test_relation_outside_an_actors_existence(tmp_path, row, column, value, reason):
    folder = write(tmp_path / "d", entities=LIVED,
                   relations=RELATION_HEADER + "ARM,NKR,criticism,2023-09-24,,,,true,0.9,e,r\n"
                   + row + "\n")
    problem = only(problems_of(folder))
    assert (problem["file"], problem["row"], problem["column"]) == (
        str(folder / "relations.csv"), 3, column)
    assert str(problem["value"]) == value
    assert problem["reason"] == reason


@pytest.mark.parametrize(
    "row",
    [
        "NKR,ARM,criticism,1991-09,,,,true,0.9,e,r",  # the month it was declared
        "ARM,NKR,criticism,1991,,,,true,0.9,e,r",  # a year that overlaps its existence
        "NKR,ARM,sanctions,2023-01,2023-12,,,true,0.9,e,r",  # ends in its last month
        "ARM,NKR,criticism,2023-12-31,,,,true,0.9,e,r",  # its last day
    ],
)
def test_relation_within_an_actors_existence_loads(tmp_path, row):
    folder = write(tmp_path / "d", entities=LIVED, relations=RELATION_HEADER + row + "\n")
    assert len(graphkit.load(folder).relations) == 1


@pytest.mark.parametrize(
    ("entities", "column", "value", "reason"),
    [
        ("id,name,type,start,end\nARM,Armenia,state,1991-13,\n", "start", "1991-13", "month"),
        ("id,name,type,start,end\nARM,Armenia,state,1991,1990\n", "end", "1990",
         "end is before start (1991)"),
    ],
)
def test_entity_existence_dates_are_checked(tmp_path, entities, column, value, reason):
    folder = write(tmp_path / "d", entities=entities + "RUS,Russia,state,,\n",
                   relations=RELATION_HEADER + "ARM,RUS,criticism,2023-09-24,,,,true,0.9,e,r\n")
    problem = only(problems_of(folder))
    assert (problem["file"], problem["row"], problem["column"]) == (
        str(folder / "entities.csv"), 2, column)
    assert str(problem["value"]) == value
    assert reason in problem["reason"]


def test_existence_is_checked_for_many_rows_at_once(tmp_path):
    rows = "".join(f"ARM,NKR,criticism,{year},,,,true,0.9,e,r\n" for year in range(1985, 2030))
    problems = problems_of(write(tmp_path / "d", entities=LIVED, relations=RELATION_HEADER + rows))
    flagged = sorted(int(v) for v in problems["value"])
    assert flagged == [*range(1985, 1991), *range(2024, 2030)]
    assert (problems["column"] == "start").all()
