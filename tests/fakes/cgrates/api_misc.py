"""Caches, status, destinations and tariff-plan (StorDB) methods the playbooks call."""

from __future__ import annotations

import copy
from typing import Any

from . import schemas as S
from .engine import Engine
from .errors import mandatory_missing, not_found
from .gojson import ANY, Struct
from .rpc import paginate, registry, require

OK = "OK"


# -- caches --------------------------------------------------------------------------------------------------


@registry.method("CacheSv1", "ReloadCache", S.ATTR_RELOAD_CACHE)
def reload_cache(engine: Engine, arg: dict[str, Any]) -> str:
    """Accepted and recorded. (``APIerSv1.ReloadCache`` does not exist: the lookup fails.)"""
    engine.cache_reloads.append({key: value for key, value in arg.items() if value})
    return OK


@registry.method("CacheSv1", "LoadCache", S.ATTR_RELOAD_CACHE)
def load_cache(engine: Engine, arg: dict[str, Any]) -> str:
    return reload_cache(engine, arg)


@registry.method("CacheSv1", "Clear", ANY)
def clear_cache(_engine: Engine, _arg: Any) -> str:
    return OK


@registry.method("CoreSv1", "Status", ANY)
def core_status(engine: Engine, _arg: Any) -> dict[str, Any]:
    return {
        "node_id": "fake-cgrates",
        "version": "CGRateS@v0.11.0~dev (fake)",
        "active_goroutines": 1,
        "running_since": engine.now().strftime("%Y-%m-%d %H:%M:%S"),
    }


# -- destinations (DataDB) -----------------------------------------------------------------------------------


@registry.method("APIerSv1", "GetDestination", S.STRING)
def get_destination(engine: Engine, destination_id: str) -> dict[str, Any]:
    if destination_id not in engine.destinations:
        raise not_found()
    return {"Id": destination_id, "Prefixes": list(engine.destinations[destination_id])}


@registry.method("APIerSv2", "GetDestinations", S.ATTR_GET_DESTINATIONS_V2)
def get_destinations(engine: Engine, arg: dict[str, Any]) -> list[dict[str, Any]]:
    return [get_destination(engine, dest_id) for dest_id in arg["DestinationIDs"] or sorted(engine.destinations)]


@registry.method("APIerSv1", "LoadTariffPlanFromStorDb", S.ATTR_LOAD_TP_FROM_STORDB)
def load_tariff_plan_from_stordb(engine: Engine, arg: dict[str, Any]) -> str:
    """Copies the TP's destinations into DataDB (rates and rating plans are stored, not evaluated)."""
    if not arg["TPid"]:
        raise mandatory_missing("TPid")
    if arg["DryRun"]:
        return OK
    for (tp_id, dest_id), dest in engine.tp.get("destinations", {}).items():
        if tp_id == arg["TPid"]:
            engine.destinations[dest_id] = list(dest["Prefixes"] or [])
    return OK


# -- tariff plan rows (StorDB) -------------------------------------------------------------------------------


def _tp_setter(table: str, struct: Struct, mandatory: list[str], key_field: str = "ID") -> Any:
    def set_row(engine: Engine, arg: dict[str, Any]) -> str:
        require(struct, arg, mandatory)
        if "Tenant" in arg:
            arg["Tenant"] = engine.tenant(arg["Tenant"])
        engine.tp.setdefault(table, {})[(arg["TPid"], arg[key_field])] = copy.deepcopy(arg)
        return OK

    return set_row


def _tp_getter(table: str, struct: Struct, id_field: str) -> Any:
    def get_row(engine: Engine, arg: dict[str, Any]) -> dict[str, Any]:
        require(struct, arg, ["TPid", id_field])
        row = engine.tp.get(table, {}).get((arg["TPid"], arg[id_field]))
        if row is None:
            raise not_found()
        return copy.deepcopy(row)

    return get_row


def _tp_ids(table: str) -> Any:
    def get_ids(engine: Engine, arg: dict[str, Any]) -> list[str]:
        require(S.ATTR_GET_TP_IDS, arg, ["TPid"])
        ids = sorted(row_id for tp_id, row_id in engine.tp.get(table, {}) if tp_id == arg["TPid"])
        ids = [row_id for row_id in ids if arg["Search"] in row_id]
        if not ids:
            raise not_found()
        return paginate(ids, arg["Limit"], arg["Offset"])

    return get_ids


def _tp_remover(table: str, struct: Struct, id_field: str) -> Any:
    def remove_row(engine: Engine, arg: dict[str, Any]) -> str:
        require(struct, arg, ["TPid", id_field])
        engine.tp.get(table, {}).pop((arg["TPid"], arg[id_field]), None)
        return OK

    return remove_row


_TP_ID_GET = Struct("v1.AttrGetTPRow", [("TPid", S.STRING), ("ID", S.STRING)])

for _service in ("APIerSv1", "APIerSv2"):
    registry.method(_service, "SetTPDestination", S.TP_DESTINATION)(
        _tp_setter("destinations", S.TP_DESTINATION, ["TPid", "ID", "Prefixes"])
    )
registry.method("APIerSv1", "GetTPDestination", S.ATTR_GET_TP_DESTINATION_V1)(
    _tp_getter("destinations", S.ATTR_GET_TP_DESTINATION_V1, "ID")
)
# APIerSv2's variant names the id "Tag": a request sending "ID" gets MANDATORY_IE_MISSING: [Tag].
registry.method("APIerSv2", "GetTPDestination", S.ATTR_GET_TP_DESTINATION_V2)(
    _tp_getter("destinations", S.ATTR_GET_TP_DESTINATION_V2, "Tag")
)
registry.method("APIerSv1", "RemoveTPDestination", S.ATTR_GET_TP_DESTINATION_V1)(
    _tp_remover("destinations", S.ATTR_GET_TP_DESTINATION_V1, "ID")
)
registry.method("APIerSv2", "RemoveTPDestination", S.ATTR_GET_TP_DESTINATION_V2)(
    _tp_remover("destinations", S.ATTR_GET_TP_DESTINATION_V2, "Tag")
)
registry.method("APIerSv1", "GetTPDestinationIDs", S.ATTR_GET_TP_IDS)(_tp_ids("destinations"))

_TP_TABLES = (
    ("TPRate", "rates", S.TP_RATE, "RateSlots"),
    ("TPDestinationRate", "destination_rates", S.TP_DESTINATION_RATE, "DestinationRates"),
    ("TPRatingPlan", "rating_plans", S.TP_RATING_PLAN, "RatingPlanBindings"),
)
for _name, _table, _struct, _list_field in _TP_TABLES:
    registry.method("APIerSv1", "Set" + _name, _struct)(_tp_setter(_table, _struct, ["TPid", "ID", _list_field]))
    registry.method("APIerSv1", "Get" + _name, _TP_ID_GET)(_tp_getter(_table, _TP_ID_GET, "ID"))
    registry.method("APIerSv1", "Get" + _name + "Ids", S.ATTR_GET_TP_IDS)(_tp_ids(_table))

registry.method("APIerSv1", "SetTPRatingProfile", S.TP_RATING_PROFILE)(
    _tp_setter("rating_profiles", S.TP_RATING_PROFILE,
               ["TPid", "LoadId", "Category", "Subject", "RatingPlanActivations"], key_field="LoadId")
)  # fmt: skip
