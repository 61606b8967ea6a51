"""Who the actors are: their keys (country, role, organisation) on each side of an event,
and the entity table of an import."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from graphkit.io.cameo import (
    country_names,
    country_table,
    names_to_countries,
    normalize_country_codes,
)
from graphkit.io.events.roles import (
    ROLE_TYPES,
    STATE_ROLES,
    gdelt_roles,
    icews_roles,
    organisation_ids,
    organisation_table,
)
from graphkit.io.events.schema import EventSchema, text_column

__all__ = ["Side", "actor_keys", "actor_roles", "build_entities", "side_roles"]


@dataclass
class Side:
    """One side of the events of a chunk: the key and what it was made from."""

    value: pd.Series      # the actor's key ("" when it has none)
    present: pd.Series    # the row names an actor at all
    unknown: pd.Series    # the key is a country the table lacks
    role: pd.Series       # CAMEO role code (graphkit.io.events.roles), "" = the country itself
    state: pd.Series      # the actor's country code ("" for organisations)
    dropped: pd.Series    # left out by nonstate="drop"


def side_roles(chunk: pd.DataFrame, schema: EventSchema, side: str, actor: pd.Series,
               name: pd.Series, country: pd.Series) -> pd.Series:
    """The role of each actor on one ``side`` (:mod:`graphkit.io.events.roles`): from
    ICEWS sectors or GDELT type codes per ``schema.role_kind``; ``""`` for none."""
    column = getattr(schema, f"{side}_roles")
    if schema.role_kind == "icews":
        return icews_roles(name, text_column(chunk, column, schema.na_values), country)
    if schema.role_kind == "cameo":
        types = text_column(chunk, column, schema.na_values) if column else None
        return gdelt_roles(actor, country, types)
    return pd.Series("", index=chunk.index, dtype="str")


def actor_keys(chunk: pd.DataFrame, schema: EventSchema, key: str, side: str,
               nonstate: str = "separate", organisations: bool = True) -> Side:
    """The actor keys of one side, with their roles (see :mod:`graphkit.io.events.roles`)."""
    na = schema.na_values
    actor = text_column(chunk, getattr(schema, f"{side}_actor"), na)
    name = text_column(chunk, getattr(schema, f"{side}_name"), na)
    country = text_column(chunk, getattr(schema, f"{side}_country"), na)
    present = (actor != "") | (name != "") | (country != "")
    unknown = pd.Series(False, index=chunk.index)
    dropped = pd.Series(False, index=chunk.index)
    if schema.country_names:
        codes = names_to_countries(country)
        unknown = (codes == "") & (country != "")
        state = codes.where(~unknown, country)
    else:
        state = normalize_country_codes(country)
        unknown = ~state.isin(country_table().index) & (state != "")
    role = side_roles(chunk, schema, side, actor, name, country)
    if key == "name":
        value = name
    elif key == "actor" and schema.source_actor:
        value = actor.str.upper()
    else:
        suffixed = state.where((role == "") | (state == ""), state + "-" + role)
        if key == "actor":  # no actor codes (ICEWS): country and role
            value = suffixed
        elif nonstate == "separate":
            value = state.where(role.isin(STATE_ROLES), suffixed)
        else:
            value = state
            if nonstate == "drop":
                dropped = ~role.isin(STATE_ROLES) & (state != "") & (role != "IGO")
    if organisations and key != "name":
        # an organisation: no country and an IGO role, or an IGO role with a country
        # (ICEWS: a person acting for a body, keyed by the body when the table knows
        # the name, else by the name)
        body = (role == "IGO") | ((state == "") & actor.str.upper().str.startswith("IGO"))
        if body.any():
            ids = organisation_ids(name.where(body, ""), actor.where(body, ""))
            fallback = actor.str.upper().where(actor != "", name)
            org = ids.where(ids != "", fallback).where(body, "")
            value = value.where(org == "", org)
            role = role.where(org == "", "IGO")
    return Side(value.astype("str"), present, unknown, role.astype("str"),
                 state.astype("str"), dropped)


def actor_roles(relations: pd.DataFrame) -> pd.DataFrame:
    """Per actor key: its most frequent ``role`` and its state (``via``)."""
    sides = pd.concat([
        relations[[f"{side}", f"{side}_role", f"{side}_state"]]
        .set_axis(["id", "role", "via"], axis=1) for side in ("source", "target")
    ], ignore_index=True)
    counts = sides.value_counts(["id", "role", "via"]).reset_index()
    counts = counts.sort_values(["id", "count", "role", "via"],
                                ascending=[True, False, True, True])
    return counts.drop_duplicates("id").set_index("id")[["role", "via"]]


def build_entities(relations: pd.DataFrame, schema: EventSchema, key: str) -> pd.DataFrame:
    """The entity table of an import: one row per actor key of ``relations``, with its
    name, type and, unless keyed by name, its ``role`` and the state it acts for (``via``)."""
    keys = pd.Series(pd.unique(pd.concat([relations["source"], relations["target"]],
                                         ignore_index=True)), dtype="str")
    if key == "name":
        codes = names_to_countries(keys)
        kinds = country_names(codes)["type"].where(codes != "", "group")
        return pd.DataFrame({"id": keys, "name": keys, "type": kinds, "aliases": ""})
    roles = actor_roles(relations).reindex(keys.to_numpy()).fillna("")
    role = pd.Series(roles["role"].to_numpy(), index=keys.index, dtype="str")
    via = pd.Series(roles["via"].to_numpy(), index=keys.index, dtype="str")
    info = country_names(keys)
    is_country = keys.isin(country_table().index)
    role_type = role.map({k: t for k, (t, _) in ROLE_TYPES.items()}).fillna("group") \
        .where(role != "", "unknown")
    bare = is_country | (keys == via)  # a country, known to the table or not
    kinds = info["type"].where(bare, role_type)
    kinds = kinds.where(~(role == "IGO"), "organisation").astype("str")
    state_names = country_names(via)["name"]
    labels = role.map({k: label for k, (_, label) in ROLE_TYPES.items()}).fillna(role)
    names = info["name"].where(bare | (via == ""),
                               state_names + " (" + labels + ")")
    orgs = organisation_table().set_index("id")["name"]
    names = names.where(role != "IGO", keys.map(orgs).fillna(keys))
    if key == "actor" and schema.source_actor and "source_name" in relations.columns:
        pairs = pd.concat([
            relations[["source", "source_name"]].set_axis(["id", "name"], axis=1),
            relations[["target", "target_name"]].set_axis(["id", "name"], axis=1),
        ], ignore_index=True)
        pairs = pairs[pairs["name"] != ""]
        counts = pairs.value_counts(["id", "name"]).reset_index()
        counts = counts.sort_values(["id", "count", "name"], ascending=[True, False, True])
        best = counts.drop_duplicates("id").set_index("id")["name"]
        names = keys.map(best).fillna(names).astype("str")
    via = via.where(~bare & (role != "IGO"), "")
    role = role.where(~bare, "")
    return pd.DataFrame({"id": keys, "name": names.astype("str"), "type": kinds,
                         "aliases": "", "role": role, "via": via})
