import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphkit.core.dates import parse_partial_dates, to_timestamp


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2020", "2020-01-01", "2021-01-01", "Y"),
        ("2020-11", "2020-11-01", "2020-12-01", "M"),
        ("2020-12", "2020-12-01", "2021-01-01", "M"),
        ("2020-11-10", "2020-11-10", "2020-11-11", "D"),
        ("2024-02-29", "2024-02-29", "2024-03-01", "D"),
        ("1648-10-24", "1648-10-24", "1648-10-25", "D"),
    ],
)
def test_partial_date_covers_its_whole_unit(text, start, end, precision):
    row = parse_partial_dates(pd.Series([text])).iloc[0]
    assert row["start"] == pd.Timestamp(start)
    assert row["end"] == pd.Timestamp(end)
    assert row["precision"] == precision
    assert row["text"] == text
    assert pd.isna(row["error"])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023-02-30", "impossible date: day 30 of 2023-02"),
        ("2023-02-29", "impossible date: day 29 of 2023-02"),
        ("2023-13", "impossible date: month 13 does not exist"),
        ("2023-00-10", "impossible date: month 00 does not exist"),
        ("23-09-2023", "not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("September 2023", "not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2023-9-1", "not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_bad_dates_give_a_reason(text, reason):
    row = parse_partial_dates(pd.Series([text])).iloc[0]
    assert row["error"] == reason
    assert pd.isna(row["start"])


def test_empty_and_missing_are_not_errors():
    out = parse_partial_dates(pd.Series(["", None, "  "], dtype=object))
    assert out["error"].isna().all()
    assert out["start"].isna().all()


def test_datetimes_are_days():
    out = parse_partial_dates(pd.Series(pd.to_datetime(["2023-09-19 13:00"])))
    assert out["text"].iloc[0] == "2023-09-19"
    assert out["end"].iloc[0] == pd.Timestamp("2023-09-20")


@given(st.dates(min_value=pd.Timestamp("1700-01-01").date(),
                max_value=pd.Timestamp("2200-12-31").date()))
def test_any_real_day_parses_to_itself(day):
    row = parse_partial_dates(pd.Series([day.isoformat()])).iloc[0]
    assert row["start"] == pd.Timestamp(day)
    assert row["end"] - row["start"] == pd.Timedelta(days=1)


def test_to_timestamp():
    assert to_timestamp("2023-09") == pd.Timestamp("2023-09-01")
    with pytest.raises(ValueError, match="not a date"):
        to_timestamp("yesterday")


@given(st.one_of(
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
    st.text(alphabet="0123456789-٣ \n", max_size=11),
))
def test_to_timestamp_reads_one_value_as_the_column_parser_does(text):
    parsed = parse_partial_dates(pd.Series([text]))
    ok = parsed["error"].iloc[0] is None and not pd.isna(parsed["start"].iloc[0])
    if ok:
        assert to_timestamp(text) == pd.Timestamp(parsed["start"].iloc[0])
        assert to_timestamp(text).unit == "s"
    else:
        with pytest.raises(ValueError, match="is not a date"):
            to_timestamp(text)
