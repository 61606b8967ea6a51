"""Who acts for whom: CAMEO role codes for event-data actors, and international bodies.

An event between "Israel" and "Iran" is a relation between two states only when the
actors speak for the states. CAMEO codes an actor as a country followed by role codes
(``ISRGOV`` the Israeli government, ``IRNCVL`` Iranian civilians); ICEWS gives each actor
a list of sectors instead (``Executive,Foreign Ministry,Government``). This module
reduces both to one CAMEO role code per actor:

* state roles (:data:`STATE_ROLES`): ``GOV`` government (executive, ministries,
  legislature), ``MIL`` military, ``COP`` police, ``JUD`` judiciary, ``SPY`` state
  intelligence; and ``""`` for the country itself (a bare code such as ``ISR``, or an
  ICEWS actor named after its country);
* other roles: ``REB`` rebels, insurgents and other armed groups, ``OPP`` opposition,
  dissidents and protesters, ``PTY`` political parties (graphkit's code: CAMEO has none),
  ``MED`` media, ``BUS`` business, ``CVL`` civilians and refugees, ``REL`` religious
  groups, ``NGO`` non-governmental organisations, ``EDU`` education, ``LAB`` labour,
  ``HLH`` health, ``CRM`` criminals, ``ELI`` elites, ``UNK`` an actor whose role the
  file does not say;
* ``IGO`` for international governmental organisations, mapped to ids such as ``EU``,
  ``UN``, ``NATO`` with the shipped table ``graphkit/resources/organisations.csv``.

References
----------
Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event Observations Event and Actor
Codebook*, version 1.1b3, chapter 3 (actor codebook: domestic role codes COP, GOV, INS,
JUD, MIL, OPP, REB, SEP, SPY, UAF and others AGR, BUS, CRM, CVL, DEV, EDU, ELI, ENV,
HLH, HRI, LAB, LEG, MED, REF). Pennsylvania State University.

Boschee, E., et al. (2015). ICEWS Coded Event Data. Harvard Dataverse.
doi:10.7910/DVN/28075 (actor sectors).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from graphkit.io.cameo import names_to_countries

__all__ = [
    "NONSTATE_OPTIONS",
    "ROLE_TYPES",
    "STATE_ROLES",
    "gdelt_roles",
    "icews_roles",
    "organisation_ids",
    "organisation_table",
]

#: Roles that speak for their state: counted as the state under country keying.
STATE_ROLES = frozenset({"", "GOV", "MIL", "COP", "JUD", "SPY", "LEG"})
#: What to do with actors that do not speak for a state (``nonstate=``).
NONSTATE_OPTIONS = ("separate", "drop", "state")

#: Role code -> entity type and a label for reports.
ROLE_TYPES: dict[str, tuple[str, str]] = {
    "": ("state", "the state itself"),
    "GOV": ("government", "government"),
    "LEG": ("government", "legislature"),
    "MIL": ("military", "military"),
    "COP": ("police", "police"),
    "JUD": ("judiciary", "judiciary"),
    "SPY": ("intelligence", "state intelligence"),
    "REB": ("armed_group", "rebels and armed groups"),
    "OPP": ("opposition", "opposition, dissidents, protesters"),
    "PTY": ("party", "political parties"),
    "MED": ("media", "media"),
    "BUS": ("business", "business"),
    "CVL": ("civilians", "civilians"),
    "REL": ("religious", "religious groups"),
    "NGO": ("organisation", "non-governmental organisations"),
    "EDU": ("group", "education"),
    "LAB": ("group", "labour"),
    "HLH": ("group", "health"),
    "CRM": ("group", "criminals"),
    "ELI": ("group", "elites"),
    "UNK": ("group", "role not given"),
    "IGO": ("organisation", "international organisation"),
}

# CAMEO type codes (GDELT Actor*Type*Code, or 3-letter pieces of an actor code) -> role.
_CAMEO_TYPES = {
    "GOV": "GOV", "LEG": "GOV", "MIL": "MIL", "COP": "COP", "JUD": "JUD", "SPY": "SPY",
    "REB": "REB", "INS": "REB", "SEP": "REB", "UAF": "REB", "IMG": "REB",
    "OPP": "OPP", "MOD": "OPP", "RAD": "OPP", "MED": "MED", "BUS": "BUS", "MNC": "BUS",
    "AGR": "BUS", "CVL": "CVL", "REF": "CVL", "SET": "CVL", "EDU": "EDU", "LAB": "LAB",
    "HLH": "HLH", "CRM": "CRM", "ELI": "ELI", "NGO": "NGO", "NGM": "NGO", "HRI": "NGO",
    "ENV": "NGO", "DEV": "NGO", "AMN": "NGO", "GRP": "NGO", "IRC": "IGO", "IGO": "IGO",
    "UNO": "IGO", "PKO": "IGO",
}
# ICEWS sector patterns, in order of precedence (the first that matches any sector wins).
# ICEWS sectors accumulate over a career (a former head of government who now leads an
# organisation has both), so state sectors come first: an actor with a country and a
# government sector speaks for that state.
_ICEWS_SECTORS: list[tuple[str, str]] = [
    ("MIL", r"^military|^army$|^navy$|^marines$|^air force$|^national / border divisions$"),
    ("COP", r"^police"),
    ("JUD", r"^judicial$"),
    ("GOV", r"^government$|^executive|^cabinet$|ministry$|^legislative|^upper house$"
            r"|^lower house$|^unicameral$|^elections ministry$"),
    ("IGO", r"^international government organization$"),
    ("REB", r"^rebel$|insurgents$|^separatists$|^unidentified forces$|^organized violent$"
            r"|radicals / extremists"),
    ("OPP", r"^dissident$|^protestors|^opposition major party|^international dissident$"),
    ("PTY", r"^parties$|party"),
    ("MED", r"^media$|news$|^state media$"),
    ("BUS", r"business$|^multinational corporation$"),
    ("CRM", r"^criminals"),
    ("NGO", r"^nongovernmental organization|ngos$"),
    ("REL", r"religious$|^muslim$|^christian$|^catholic$|^jews$|^hindu$|^buddhist$"),
    ("EDU", r"^education$"),
    ("LAB", r"^labor$"),
    ("HLH", r"^medical / health$"),
    ("CVL", r"^general population / civilian / social$|^refugees"),
    ("ELI", r"^elite$"),
]
# Generic ICEWS actor names ("Citizen (Israel)", "Police (Iran)") when sectors are empty.
_ICEWS_NAMES = [
    ("CVL", r"^(citizen|civilian|villager|refugee|student|worker|women)"),
    ("COP", r"^police"), ("MIL", r"^(military|armed forces|army|navy|air force|soldier)"),
    ("GOV", r"^(government|cabinet|ministry|head of government|foreign affairs|parliament)"),
    ("MED", r"^(media|journalist|news)"), ("BUS", r"^(business|company|industry)"),
    ("OPP", r"^(protester|opposition|dissident|activist)"),
    ("REB", r"^(rebel|militant|insurgent|terrorist|armed gang|armed rebel)"),
]


def _first_match(text: pd.Series, rules: list[tuple[str, str]], sep: str | None) -> pd.Series:
    """The role of the first rule matching any piece of each (factorised) value."""
    codes, uniques = pd.factorize(text)
    out = np.full(len(uniques) + 1, "", dtype=object)
    for i, value in enumerate(uniques):
        pieces = [p.strip().lower() for p in (value.split(sep) if sep else [value])]
        for role, pattern in rules:
            if any(re.search(pattern, p) for p in pieces if p):
                out[i] = role
                break
    return pd.Series(out[codes], index=text.index, dtype="str")


def icews_roles(names: pd.Series, sectors: pd.Series, countries: pd.Series) -> pd.Series:
    """CAMEO role code of ICEWS actors from their sectors (then their names).

    Parameters
    ----------
    names, sectors, countries : pandas.Series of str
        ``Source Name``, ``Source Sectors`` and ``Source Country`` (or the target's),
        ``""`` where empty.

    Returns
    -------
    pandas.Series of str
        ``""`` for the country itself (the actor's name is its country's), a state role
        (:data:`STATE_ROLES`), another role, ``IGO`` or ``UNK``.

    Examples
    --------
    >>> s = pd.Series
    >>> icews_roles(s(["Iran", "Citizen (Iran)", "Foreign Affairs (Iran)", "Kathy"]),
    ...             s(["", "General Population / Civilian / Social,Social",
    ...                "Executive,Foreign Ministry,Government", ""]),
    ...             s(["Iran", "Iran", "Iran", "Iran"])).tolist()
    ['', 'CVL', 'GOV', 'UNK']
    """
    by_sector = _first_match(sectors.fillna("").astype("str"), _ICEWS_SECTORS, ",")
    by_name = _first_match(names.fillna("").astype("str"), _ICEWS_NAMES, None)
    role = by_sector.where(by_sector != "", by_name)
    name_code = names_to_countries(names)
    itself = (name_code != "") & (name_code == names_to_countries(countries)) & (role == "")
    role = role.where(itself | (role != ""), "UNK")
    no_country = countries.fillna("").astype("str") == ""
    role = role.where(~(no_country & (organisation_ids(names, pd.Series("", index=names.index))
                                      != "")), "IGO")
    return role.astype("str")


def gdelt_roles(actor_codes: pd.Series, country_codes: pd.Series,
                type_codes: pd.Series | None = None) -> pd.Series:
    """CAMEO role code of GDELT actors from their actor code and first type code.

    The actor code is read in 3-letter pieces after the country (``ISRGOV`` -> ``GOV``,
    ``IGOUNO`` -> ``IGO``); the first piece with a known role decides (CAMEO puts the
    primary role first), else the type code (``Actor1Type1Code``), else ``UNK``. A bare
    country code is the country itself (``""``).

    Examples
    --------
    >>> s = pd.Series
    >>> gdelt_roles(s(["ISR", "ISRGOV", "IRNCVL", "IGOUNO", "USAELI", "RUSXYZ"]),
    ...             s(["ISR", "ISR", "IRN", "", "USA", "RUS"])).tolist()
    ['', 'GOV', 'CVL', 'IGO', 'ELI', 'UNK']
    """
    actor = actor_codes.fillna("").astype("str").str.upper()
    country = country_codes.fillna("").astype("str").str.upper()
    codes, uniques = pd.factorize(pd.Series(list(zip(actor, country, strict=True)),
                                            dtype=object))
    out = np.full(len(uniques) + 1, "", dtype=object)
    for i, (code, home) in enumerate(uniques):
        rest = code[len(home):] if home and code.startswith(home) else code
        pieces = [rest[j:j + 3] for j in range(0, len(rest), 3)]
        roles = [_CAMEO_TYPES[p] for p in pieces if p in _CAMEO_TYPES]
        out[i] = roles[0] if roles else ("" if not rest else "UNK")
    role = pd.Series(out[codes], index=actor.index, dtype="str")
    if type_codes is not None:
        typed = type_codes.fillna("").astype("str").str.upper().map(_CAMEO_TYPES).fillna("")
        role = role.where(role != "UNK", typed.where(typed != "", "UNK"))
    return role.astype("str")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@cache
def organisation_table() -> pd.DataFrame:
    """The shipped international organisations: ``id``, ``name``, ``names``, ``codes``."""
    path = resources.files("graphkit") / "resources" / "organisations.csv"
    with path.open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, comment="#", dtype=str, keep_default_na=False)
    return table


@cache
def _org_index() -> tuple[dict[str, str], dict[str, str]]:
    by_name: dict[str, str] = {}
    by_code: dict[str, str] = {}
    for row in organisation_table().itertuples(index=False):
        for name in [row.id, row.name, *row.names.split(";")]:
            if name.strip():
                by_name[_norm(name)] = row.id
        for code in row.codes.split(";"):
            if code.strip():
                by_code[code.strip().upper()] = row.id
    return by_name, by_code


def organisation_ids(names: pd.Series, codes: pd.Series) -> pd.Series:
    """Organisation ids (``EU``, ``UN``, ``NATO``, ...) for actor names or CAMEO codes.

    A name matches the table's names ignoring case and punctuation; a code matches when
    it is a known IGO code or one follows ``IGO`` (``IGOUNO`` -> ``UN``). CAMEO codes go
    from the general to the specific (``IGOUNODEVWBK``: the UN system, development, the
    World Bank), so the last known piece decides. ``""`` where neither matches.

    Examples
    --------
    >>> s = pd.Series
    >>> organisation_ids(s(["European Union", "", "Mars", "", ""]),
    ...                  s(["", "IGOWSTNAT", "", "IGOUNODEVWBK", "IGOUNOIAE"])).tolist()
    ['EU', 'NATO', '', 'WORLD_BANK', 'IAEA']
    """
    by_name, by_code = _org_index()
    text = names.fillna("").astype("str")
    cuts, uniques = pd.factorize(text)
    found = np.array([by_name.get(_norm(u), "") for u in uniques] + [""], dtype=object)[cuts]
    code = codes.fillna("").astype("str").str.upper()
    cuts, uniques = pd.factorize(code)
    hits = []
    for value in uniques:
        pieces = [value[j:j + 3] for j in range(0, len(value), 3)]
        hit = ""
        if pieces and pieces[0] == "IGO":
            hit = next((by_code[p] for p in reversed(pieces[1:]) if p in by_code), "")
        hits.append(hit or by_code.get(value, "") if value not in ("", "IGO") else hit)
    by_codes = np.array([*hits, ""], dtype=object)[cuts]
    out = np.where(found != "", found, by_codes)
    return pd.Series(out, index=names.index, dtype="str")
