"""Malformed and hostile inputs (issue 14): each gives located problems and exit 1 from
the command line, never a traceback, a hang or memory growth. One test per finding."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pandas as pd
import pytest

import graphkit
from graphkit.cli import main
from graphkit.core.problems import ValidationError
from graphkit.io import files


@pytest.fixture
def folder(tmp_path, small_frames) -> Path:
    path = graphkit.save(graphkit.TemporalGraph.from_frames(*small_frames), tmp_path / "d",
                         raw_csv=True)
    return path


def problems_of(path: Path) -> pd.DataFrame:
    with pytest.raises(ValidationError) as info:
        graphkit.load(path)
    return info.value.problems


def validate_exits_1(path: Path, capsys) -> str:
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "problem" in err
    return err


def edit_descriptor(folder: Path, change) -> Path:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text())
    change(descriptor)
    path.write_text(json.dumps(descriptor))
    return path


def write_graph_json(tmp_path: Path, small_frames, change) -> Path:
    path = tmp_path / "g.json"
    graphkit.write_json(graphkit.TemporalGraph.from_frames(*small_frames), path)
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    return path


# ------------------------------------------------------------------ datapackage.json


@pytest.mark.parametrize("change, column", [
    (lambda d: d.update(resources=5), "resources"),
    (lambda d: d["resources"][0].update(name=["entities"]), "resources[0].name"),
    (lambda d: d["resources"][0].update(encoding=5), "resources[0].encoding"),
    (lambda d: d["resources"][0].update(dialect="excel"), "resources[0].dialect"),
    (lambda d: d["resources"][0].update(dialect={"delimiter": ";;"}),
     "resources[0].dialect.delimiter"),
    (lambda d: d["resources"][0].update(dialect={"delimiter": None}),
     "resources[0].dialect.delimiter"),
    (lambda d: d.update(sources=5), "sources"),
], ids=["resources_5", "list_as_name", "encoding_5", "dialect_excel",
        "two_character_delimiter", "null_delimiter", "sources_5"])
def test_datapackage_wrong_json_types_are_located(folder, change, column, capsys):
    path = edit_descriptor(folder, change)
    found = problems_of(folder)
    assert ((found["file"] == str(path)) & (found["column"] == column)).any(), found
    validate_exits_1(folder, capsys)


def test_sources_5_no_longer_crashes_the_report_after_validation(folder, tmp_path, capsys):
    edit_descriptor(folder, lambda d: d.update(sources=5))
    assert main(["report", str(folder), "-o", str(tmp_path / "r")]) == 1
    assert "'sources' must be a list" in capsys.readouterr().err


def test_100000_nested_brackets_in_datapackage_json(folder, capsys):
    (folder / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000)
    found = problems_of(folder)
    assert "nested 100000 levels deep" in found["reason"].iloc[0]
    validate_exits_1(folder, capsys)


def test_bom_in_datapackage_json_is_accepted(folder):
    path = folder / "datapackage.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(graphkit.load(folder).relations) == 8


# ------------------------------------------------------------------ graph JSON


def test_100000_nested_brackets_in_graph_json(tmp_path, capsys):
    path = tmp_path / "g.json"
    path.write_text('{"entities": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "over the limit of 64" in problems_of(path)["reason"].iloc[0]
    validate_exits_1(path, capsys)


def test_graph_json_relation_types_5(tmp_path, small_frames, capsys):
    path = write_graph_json(tmp_path, small_frames, lambda d: d.update(relation_types=5))
    assert (problems_of(path)["column"] == "relation_types").any()
    validate_exits_1(path, capsys)


def test_graph_json_list_as_start_and_directed(tmp_path, small_frames, capsys):
    def change(document):
        document["relations"][1]["start"] = ["2023"]
        document["relations"][2]["directed"] = [1]
    path = write_graph_json(tmp_path, small_frames, change)
    found = problems_of(path)
    located = set(zip(found["row"], found["column"], strict=True))
    assert {(2, "start"), (3, "directed")} <= located
    validate_exits_1(path, capsys)


def test_graph_json_lone_surrogate_is_located(tmp_path, small_frames, capsys):
    path = tmp_path / "g.json"
    graphkit.write_json(graphkit.TemporalGraph.from_frames(*small_frames), path)
    path.write_text(path.read_text().replace('"member"', '"mem\\ud800ber"'))
    found = problems_of(path)
    assert ((found["row"] == 1) & (found["column"] == "evidence")).any()
    validate_exits_1(path, capsys)


def test_graph_json_5000_digit_integer(tmp_path, small_frames, capsys):
    path = tmp_path / "g.json"
    graphkit.write_json(graphkit.TemporalGraph.from_frames(*small_frames), path)
    path.write_text(path.read_text().replace('"format"', '"big": ' + "9" * 5000
                                             + ', "format"', 1))
    assert "unreadable JSON value" in problems_of(path)["reason"].iloc[0]
    validate_exits_1(path, capsys)


def test_graph_json_as_a_named_pipe_is_refused_without_blocking(tmp_path, capsys):
    path = tmp_path / "g.json"
    os.mkfifo(path)
    assert "not a regular file" in problems_of(path)["reason"].iloc[0]


# ------------------------------------------------------------------ relation_types.csv


@pytest.mark.parametrize("column, value", [("sign", "inf"), ("sign", "1e400"),
                                           ("quad_class", "inf"), ("sign", "0.5"),
                                           ("weight", "nan")])
def test_relation_types_bad_numbers_are_located(folder, column, value, capsys):
    types = pd.DataFrame({"type": ["cyber"], "sign": ["-1"], "weight": ["-5"],
                          "durable": ["false"], "quad_class": ["4"]})
    types[column] = value
    types.to_csv(folder / "relation_types.csv", index=False)
    found = problems_of(folder)
    assert ((found["file"].str.endswith("relation_types.csv")) & (found["row"] == 2)).any()
    assert value in " ".join(found["reason"])
    validate_exits_1(folder, capsys)


def test_relation_type_defined_twice_is_a_problem(folder, capsys):
    (folder / "relation_types.csv").write_text(
        "type,sign,weight,durable\ncyber,-1,-5,false\ncyber,1,5,false\n")
    found = problems_of(folder)
    assert "defined twice (first on row 2)" in found.loc[found["row"] == 3, "reason"].iloc[0]


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize("year", ["0000", "\u0662\u0660\u0662\u0663", "\uff12\uff10\uff12\uff13",
                                  "9999"])
def test_year_0000_non_ascii_and_far_years_are_located(folder, year, capsys):
    path = folder / "relations.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[2, "start"] = year
    frame.to_csv(path, index=False)
    found = problems_of(folder)
    hit = found[(found["row"] == 4) & (found["column"] == "start")]
    assert len(hit) == 1, found
    validate_exits_1(folder, capsys)


# ------------------------------------------------------------------ CSV structure


def test_stray_and_unclosed_quotes_have_row_numbers_and_other_rows_are_checked(folder):
    path = folder / "relations.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace("treaty", '"tre"aty')  # stray quote in row 3
    lines[4] = lines[4].replace("2023-09-19", "2023-13-19")  # a bad date in row 5
    lines.append('ARM,USA,aid,"2023')  # unclosed quote in the last row
    path.write_text("\n".join(lines) + "\n")
    found = problems_of(folder)
    assert set(found["row"].dropna()) >= {3, 5, 10}
    assert found.loc[found["row"] == 3, "reason"].str.contains("malformed CSV").all()


def test_field_over_131072_characters_is_legal(folder):
    path = folder / "entities.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "aliases"] = ";".join(f"alias{i}" for i in range(30_000))
    frame.to_csv(path, index=False)
    assert len(graphkit.load(folder).entities) == 5


def test_field_over_the_limit_is_a_located_problem(folder, monkeypatch):
    monkeypatch.setattr(files, "MAX_FIELD_CHARS", 1000)
    path = folder / "entities.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "aliases"] = "x" * 1001
    frame.to_csv(path, index=False)
    found = problems_of(folder)
    assert "over the limit of 1,000 characters" in found.loc[found["row"] == 3,
                                                            "reason"].iloc[0]


def test_columns_over_the_limit_are_a_located_problem(folder, monkeypatch):
    monkeypatch.setattr(files, "MAX_COLUMNS", 50)
    path = folder / "relations.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for i in range(60):
        frame[f"x{i}"] = ""
    frame.to_csv(path, index=False)
    found = problems_of(folder)
    assert (found["row"].iloc[0], found["reason"].iloc[0]) == (
        1, f"{len(frame.columns)} columns, over the limit of 50")


def test_five_thousand_extra_columns_are_kept(folder):
    path = folder / "relations.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = pd.DataFrame({f"x{i}": [str(i)] * len(frame) for i in range(5000)})
    pd.concat([frame, extra], axis=1).to_csv(path, index=False)
    relations = graphkit.load(folder).relations
    assert relations["x4999"].iloc[0] == "4999"
    columns = list(relations.columns)
    assert columns.index("x4999") < columns.index("t_start")  # derived columns stay last


def test_row_with_20000_extra_fields_is_one_clipped_problem(folder):
    path = folder / "relations.csv"
    with path.open("a") as handle:
        handle.write("ARM,USA,aid,2023" + ",x" * 20_000 + "\n")
    found = problems_of(folder)
    assert len(found) == 1 and len(found["value"].iloc[0]) <= 200


# ------------------------------------------------------------------ files that are not files


def test_relations_csv_as_a_named_pipe_is_refused_without_blocking(folder, capsys):
    (folder / "relations.csv").unlink()
    os.mkfifo(folder / "relations.csv")
    found = problems_of(folder)
    assert "not a regular file" in found["reason"].iloc[0]
    validate_exits_1(folder, capsys)


def test_symlink_leaving_the_folder_is_refused_and_not_echoed(folder, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the secret line\n")
    (folder / "entities.csv").unlink()
    (folder / "entities.csv").symlink_to(secret)
    err = validate_exits_1(folder, capsys)
    assert "symbolic link leading outside the folder" in err
    assert "secret line" not in err


def test_symlink_inside_the_folder_is_read(folder):
    (folder / "real.csv").write_bytes((folder / "entities.csv").read_bytes())
    (folder / "entities.csv").unlink()
    (folder / "entities.csv").symlink_to(folder / "real.csv")
    assert len(graphkit.load(folder).entities) == 5


# ------------------------------------------------------------------ event files

GDELT2 = Path(__file__).resolve().parent / "fixtures" / "events" / "gdelt2.tsv"


def test_latin1_byte_in_a_gdelt_file_is_counted_in_the_import_report(tmp_path):
    from graphkit.io import read_gdelt

    path = tmp_path / "latin1.tsv"
    path.write_bytes(GDELT2.read_bytes().replace(b"ARMENIA", b"ARM\xc9NIA", 1))
    _, report = read_gdelt(path, progress=False)
    assert report.undecodable_lines == 1
    assert "not UTF-8 (read as U+FFFD): 1" in str(report)
    _, clean = read_gdelt(GDELT2, progress=False)
    assert clean.undecodable_lines == 0


def test_one_huge_line_is_an_error_not_memory_growth(tmp_path, monkeypatch, capsys):
    from graphkit.io.events import lines as events

    monkeypatch.setattr(events, "MAX_LINE_BYTES", 10_000)
    path = tmp_path / "huge.tsv.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(GDELT2.read_bytes() + b"x" * 50_000 + b"\n")
    assert main(["import", "gdelt", str(path), "-o", str(tmp_path / "out"),
                 "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "huge.tsv.gz: line 4: longer than 10,000 bytes" in err
    assert not (tmp_path / "out").exists()


def test_gzip_bomb_is_refused_past_the_expansion_limit(tmp_path, monkeypatch, capsys):
    from graphkit.io.events import sources as events

    monkeypatch.setattr(events, "MIN_EXPANSION_LIMIT", 100_000)
    path = tmp_path / "bomb.tsv.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"bad\n" * 1_000_000)
    assert main(["import", "gdelt", str(path), "-o", str(tmp_path / "out"),
                 "--no-progress"]) == 1
    assert "expands to more than" in capsys.readouterr().err


def test_many_short_bad_lines_are_counted_and_only_the_first_listed(tmp_path):
    from graphkit.io import events, read_gdelt

    path = tmp_path / "bad.tsv"
    path.write_bytes(GDELT2.read_bytes() + b"a\tb\n" * 5000)
    _, report = read_gdelt(path, progress=False)
    assert report.skipped["malformed row (wrong number of fields)"] == 5000
    assert len(report.malformed) == events.MALFORMED_LIMIT
    report.check()


@pytest.mark.parametrize("text, reason", [
    ("", "no rows"),
    ("cameo_code,relation_type\n", "no rows"),
    ("cameo_code,relation_type,relation_type\n1312,sanctions,aid\n", "more than once"),
], ids=["empty", "header_only", "duplicate_column"])
def test_empty_or_duplicate_column_map_file_is_refused(tmp_path, text, reason, capsys):
    mine = tmp_path / "map.csv"
    mine.write_text(text)
    assert main(["import", "gdelt", str(GDELT2), "-o", str(tmp_path / "out"), "--map",
                 str(mine), "--no-progress"]) == 2
    assert reason in capsys.readouterr().err
