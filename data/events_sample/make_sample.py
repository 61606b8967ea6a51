"""Write ``synthetic_gdelt_2023.tsv``: made-up GDELT 1.0 rows for notebooks and tests.

Every row is synthetic (drawn from a seeded random generator following the storyline
below); nothing is copied from GDELT. The layout is that of GDELT 1.0 daily files: 58
tab-separated fields, no header. Run ``python data/events_sample/make_sample.py``.

Storyline, June - September 2023, ten states: routine consultations and cooperation
throughout; Armenia-Azerbaijan tension rising in August and an Azerbaijani offensive on
19-20 September; Russia criticised by Armenia; France and the United States sending aid to
Armenia; United States - Russia and China - United States frictions in the background.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from graphkit.io.cameo import load_cameo_map
from graphkit.io.events.gdelt import GDELT1_COLUMNS

HERE = Path(__file__).resolve().parent
SEED = 20230919

COUNTRIES = {  # code: (name, FIPS, lat, long of the capital)
    "ARM": ("ARMENIA", "AM", 40.18, 44.51), "AZE": ("AZERBAIJAN", "AJ", 40.41, 49.87),
    "RUS": ("RUSSIA", "RS", 55.75, 37.62), "TUR": ("TURKEY", "TU", 39.93, 32.86),
    "IRN": ("IRAN", "IR", 35.69, 51.42), "GEO": ("GEORGIA", "GG", 41.72, 44.79),
    "USA": ("UNITED STATES", "US", 38.90, -77.04), "FRA": ("FRANCE", "FR", 48.86, 2.35),
    "UKR": ("UKRAINE", "UP", 50.45, 30.52), "CHN": ("CHINA", "CH", 39.91, 116.40),
}
ROLES = ["", "GOV", "MIL", "GOV", "", "GOV"]

# (first month, last month, source, target, codes, rows): a pattern of events
PATTERNS = [
    (6, 9, "ARM", "RUS", ["040", "042", "043", "036"], 14),
    (6, 9, "RUS", "ARM", ["040", "043", "051"], 10),
    (8, 9, "ARM", "RUS", ["111", "112", "1121", "114"], 16),
    (9, 9, "RUS", "ARM", ["111", "130"], 8),
    (6, 7, "ARM", "AZE", ["036", "046", "040"], 10),
    (8, 9, "ARM", "AZE", ["112", "1123", "111"], 14),
    (8, 9, "AZE", "ARM", ["112", "138", "1384", "150"], 14),
    (9, 9, "AZE", "ARM", ["190", "193", "194", "195"], 16),
    (6, 9, "AZE", "TUR", ["040", "042", "057", "062"], 12),
    (6, 9, "TUR", "AZE", ["051", "052", "043"], 10),
    (6, 9, "FRA", "ARM", ["042", "051", "032"], 10),
    (9, 9, "FRA", "ARM", ["073", "070", "0233"], 8),
    (9, 9, "FRA", "AZE", ["111", "1056", "106"], 8),
    (6, 9, "USA", "ARM", ["040", "045", "042"], 10),
    (9, 9, "USA", "AZE", ["1056", "111", "107"], 8),
    (6, 9, "USA", "RUS", ["111", "163", "1312", "112"], 14),
    (6, 9, "RUS", "USA", ["111", "112", "130"], 12),
    (6, 9, "RUS", "AZE", ["040", "045", "036"], 10),
    (6, 9, "IRN", "AZE", ["111", "150", "040"], 8),
    (6, 9, "IRN", "ARM", ["040", "043", "051"], 8),
    (6, 9, "GEO", "ARM", ["040", "061"], 6),
    (6, 9, "GEO", "AZE", ["040", "061"], 6),
    (6, 9, "UKR", "RUS", ["111", "190", "112"], 10),
    (6, 9, "RUS", "UKR", ["190", "195", "111"], 10),
    (6, 9, "CHN", "RUS", ["040", "061", "057"], 8),
    (6, 9, "USA", "CHN", ["111", "163", "040"], 8),
    (6, 9, "CHN", "USA", ["111", "112", "040"], 8),
]


def main() -> None:
    rng = np.random.default_rng(SEED)
    cmap = load_cameo_map().table
    rows = []
    for first, last, src, tgt, codes, n in PATTERNS:
        for _ in range(n):
            month = int(rng.integers(first, last + 1))
            if (src, tgt) in {("AZE", "ARM")} and codes[0] == "190":
                day = int(rng.integers(19, 21))
            else:
                day = int(rng.integers(1, 29))
            code = str(rng.choice(codes))
            rows.append((f"2023{month:02d}{day:02d}", src, tgt, code))
    # rows every importer has to skip, as in real GDELT files
    for _ in range(25):  # one actor only
        src = str(rng.choice(list(COUNTRIES)))
        rows.append((f"2023{int(rng.integers(6, 10)):02d}{int(rng.integers(1, 29)):02d}",
                     src, "", str(rng.choice(["010", "013", "040"]))))
    for _ in range(20):  # domestic events
        src = str(rng.choice(list(COUNTRIES)))
        rows.append((f"2023{int(rng.integers(6, 10)):02d}{int(rng.integers(1, 29)):02d}",
                     src, src, str(rng.choice(["040", "111", "173", "141"]))))
    for _ in range(10):  # an actor without a country (e.g. "PROTESTERS")
        src = str(rng.choice(list(COUNTRIES)))
        rows.append((f"2023{int(rng.integers(6, 10)):02d}{int(rng.integers(1, 29)):02d}",
                     src, "-CVL", str(rng.choice(["173", "1823", "040"]))))
    rows.sort()
    lines = []
    for number, (day, src, tgt, code) in enumerate(rows):
        values = dict.fromkeys(GDELT1_COLUMNS, "")
        entry = cmap.loc[code]
        role1 = str(rng.choice(ROLES))
        values.update(GLOBALEVENTID=str(1_100_000_000 + number * 7), SQLDATE=day,
                      MonthYear=day[:6], Year=day[:4],
                      FractionDate=f"{int(day[:4]) + (int(day[4:6]) - 1) / 12:.4f}",
                      Actor1Code=src + role1, Actor1Name=COUNTRIES[src][0],
                      Actor1CountryCode=src, Actor1Type1Code=role1,
                      IsRootEvent=str(int(rng.random() < 0.6)), EventCode=code,
                      EventBaseCode=code[:3], EventRootCode=code[:2],
                      QuadClass=str(entry["quad_class"]),
                      GoldsteinScale=f"{entry['goldstein']:.1f}",
                      NumMentions=str(int(rng.integers(1, 40))),
                      NumSources=str(int(rng.integers(1, 6))),
                      NumArticles=str(int(rng.integers(1, 30))),
                      AvgTone=f"{rng.normal(-1.5, 3):.4f}", DATEADDED=day,
                      SOURCEURL=f"https://example.org/synthetic/{day}/{number}")
        if tgt == "-CVL":
            values.update(Actor2Code="CVL", Actor2Name="CIVILIAN", Actor2Type1Code="CVL")
        elif tgt:
            role2 = str(rng.choice(ROLES))
            values.update(Actor2Code=tgt + role2, Actor2Name=COUNTRIES[tgt][0],
                          Actor2CountryCode=tgt, Actor2Type1Code=role2)
        place = tgt if tgt and tgt != "-CVL" and rng.random() < 0.5 else src
        name, fips, lat, lon = COUNTRIES[place]
        values.update(ActionGeo_Type="1", ActionGeo_FullName=name.title(),
                      ActionGeo_CountryCode=fips, ActionGeo_ADM1Code=fips,
                      ActionGeo_Lat=f"{lat:.4f}", ActionGeo_Long=f"{lon:.4f}")
        lines.append("\t".join(values[c] for c in GDELT1_COLUMNS))
    (HERE / "synthetic_gdelt_2023.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} rows")


if __name__ == "__main__":
    main()
