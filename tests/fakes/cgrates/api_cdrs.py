"""CDR queries and ingestion (apier/v1/cdrs.go, apier/v2/cdrs.go, engine/cdrs.go)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from . import schemas as S
from .convert import iface_as_float, iface_as_string
from .engine import Engine
from .errors import RPCError, not_found, server_error
from .gojson import GoMap, time_or_zero
from .gotime import GoTimeError, format_duration, parse_duration, parse_time_detect_layout, rfc3339_seconds
from .rpc import registry

OK = "OK"

_LIST_FILTERS = {
    "CGRIDs": "CGRID", "RunIDs": "RunID", "OriginIDs": "OriginID", "OriginHosts": "OriginHost",
    "Sources": "Source", "ToRs": "ToR", "RequestTypes": "RequestType", "Tenants": "Tenant",
    "Categories": "Category", "Accounts": "Account", "Subjects": "Subject",
}  # fmt: skip
_TIME_FILTERS = {
    "SetupTime": "SetupTime",
    "AnswerTime": "AnswerTime",
    "CreatedAt": "_created",
    "UpdatedAt": "_created",
}
_CDR_ZERO = S.CDR.zero()
_ORDER_FIELDS = {"OrderID": "OrderID", "AnswerTime": "AnswerTime", "SetupTime": "SetupTime", "Usage": "Usage",
                 "Cost": "Cost"}  # fmt: skip


# -- filtering -----------------------------------------------------------------------------------------------


def _parse_time(text: str, now: datetime) -> datetime | None:
    try:
        return parse_time_detect_layout(text, now) if text else None
    except GoTimeError as exc:
        raise server_error(exc) from None


def _predicates(engine: Engine, fltr: dict[str, Any]) -> list[Callable[[dict[str, Any]], bool]]:
    """One predicate per constraint of an RPCCDRsFilter; a CDR passes when all hold."""
    checks: list[Callable[[dict[str, Any]], bool]] = []
    for list_name, field_name in _LIST_FILTERS.items():
        if fltr.get(list_name):
            checks.append(lambda cdr, f=field_name, v=fltr[list_name]: cdr.get(f) in v)
        if fltr.get("Not" + list_name):
            checks.append(lambda cdr, f=field_name, v=fltr["Not" + list_name]: cdr.get(f) not in v)
    if fltr.get("DestinationPrefixes"):
        checks.append(lambda cdr, p=tuple(fltr["DestinationPrefixes"]): str(cdr.get("Destination")).startswith(p))
    if fltr.get("NotDestinationPrefixes"):
        checks.append(
            lambda cdr, p=tuple(fltr["NotDestinationPrefixes"]): not str(cdr.get("Destination")).startswith(p)
        )
    if fltr.get("Costs"):
        checks.append(lambda cdr, v=fltr["Costs"]: cdr.get("Cost") in v)
    if fltr.get("NotCosts"):
        checks.append(lambda cdr, v=fltr["NotCosts"]: cdr.get("Cost") not in v)
    for key, value in (fltr.get("ExtraFields") or {}).items():
        checks.append(lambda cdr, k=key, v=value: (cdr.get("ExtraFields") or {}).get(k) == v)
    for key, value in (fltr.get("NotExtraFields") or {}).items():
        checks.append(lambda cdr, k=key, v=value: (cdr.get("ExtraFields") or {}).get(k) != v)
    checks.extend(_time_predicates(engine, fltr))
    checks.extend(_usage_and_extra_predicates(fltr))
    return checks


def _time_predicates(engine: Engine, fltr: dict[str, Any]) -> list[Callable[[dict[str, Any]], bool]]:
    checks = []
    now = engine.now()
    for prefix, field_name in _TIME_FILTERS.items():
        start = _parse_time(fltr.get(prefix + "Start", ""), now)
        end = _parse_time(fltr.get(prefix + "End", ""), now)
        if start is not None:
            checks.append(lambda cdr, f=field_name, t=start: cdr.get(f) is not None and cdr[f] >= t)
        if end is not None:
            checks.append(lambda cdr, f=field_name, t=end: cdr.get(f) is not None and cdr[f] < t)
    return checks


def _usage_and_extra_predicates(fltr: dict[str, Any]) -> list[Callable[[dict[str, Any]], bool]]:
    checks = []
    try:
        min_usage = parse_duration(fltr["MinUsage"]) if fltr.get("MinUsage") else None
        max_usage = parse_duration(fltr["MaxUsage"]) if fltr.get("MaxUsage") else None
    except GoTimeError as exc:
        raise server_error(exc) from None
    if min_usage is not None:
        checks.append(lambda cdr: cdr.get("Usage", 0) >= min_usage)
    if max_usage is not None:
        checks.append(lambda cdr: cdr.get("Usage", 0) < max_usage)
    extra = fltr.get("ExtraArgs") or {}
    bounds = (("OrderIDStart", "OrderID", ">="), ("OrderIDEnd", "OrderID", "<"),
              ("MinCost", "Cost", ">="), ("MaxCost", "Cost", "<"))  # fmt: skip
    for arg_name, field_name, op in bounds:
        if arg_name in extra:
            limit = iface_as_float(extra[arg_name])
            if op == ">=":
                checks.append(lambda cdr, f=field_name, n=limit: cdr.get(f, 0) >= n)
            else:
                checks.append(lambda cdr, f=field_name, n=limit: cdr.get(f, 0) < n)
    return checks


def _ordered(cdrs: list[dict[str, Any]], order_by: str) -> list[dict[str, Any]]:
    if not order_by:
        return cdrs
    name, _, direction = order_by.partition(";")
    if name not in _ORDER_FIELDS:
        raise server_error(f"invalid value : {name}")
    field_name = _ORDER_FIELDS[name]
    return sorted(cdrs, key=lambda cdr: cdr.get(field_name) or 0, reverse=direction == "desc")


def query_cdrs(engine: Engine, fltr: dict[str, Any]) -> list[dict[str, Any]]:
    checks = _predicates(engine, fltr)
    matched = [cdr for cdr in engine.cdrs if all(check(cdr) for check in checks)]
    matched = _ordered(matched, fltr.get("OrderBy", ""))
    offset = fltr.get("Offset") or 0
    limit = fltr.get("Limit")
    return matched[offset : offset + limit] if limit else matched[offset:]


# -- wire shapes ---------------------------------------------------------------------------------------------


def native_cdr(cdr: dict[str, Any]) -> dict[str, Any]:
    fields = [name for name, _ in S.CDR.fields]
    result = {name: cdr.get(name, _CDR_ZERO.get(name)) for name in fields}
    result["ExtraFields"] = GoMap(cdr.get("ExtraFields") or {})
    result["SetupTime"] = time_or_zero(cdr.get("SetupTime"))
    result["AnswerTime"] = time_or_zero(cdr.get("AnswerTime"))
    return result


_EXTERNAL_FIELDS = (
    "CGRID", "RunID", "OrderID", "OriginHost", "Source", "OriginID", "ToR", "RequestType", "Tenant",
    "Category", "Account", "Subject", "Destination", "SetupTime", "AnswerTime", "Usage", "ExtraFields",
    "CostSource", "Cost", "CostDetails", "ExtraInfo", "PreRated",
)  # fmt: skip


def external_cdr(cdr: dict[str, Any]) -> dict[str, Any]:
    """``CDR.AsExternalCDR``: Usage "1m30s" for *voice else nanoseconds as text, times in RFC3339."""
    result = {name: cdr.get(name, _CDR_ZERO.get(name)) for name in _EXTERNAL_FIELDS}
    usage = cdr.get("Usage") or 0
    result.update(
        SetupTime=rfc3339_seconds(cdr.get("SetupTime")),
        AnswerTime=rfc3339_seconds(cdr.get("AnswerTime")),
        Usage=format_duration(usage) if cdr.get("ToR") == "*voice" else str(usage),
        ExtraFields=GoMap(cdr.get("ExtraFields") or {}),
        CostDetails=json.dumps(cdr.get("CostDetails"), separators=(",", ":")),
    )
    return result


# -- RPC methods ---------------------------------------------------------------------------------------------


@registry.method("APIerSv2", "GetCDRs", S.RPC_CDRS_FILTER)
def get_cdrs_v2(engine: Engine, fltr: dict[str, Any]) -> list[dict[str, Any]]:
    found = query_cdrs(engine, fltr)
    if not found:
        raise not_found()
    return [external_cdr(cdr) for cdr in found]


@registry.method("APIerSv2", "CountCDRs", S.RPC_CDRS_FILTER)
def count_cdrs_v2(engine: Engine, fltr: dict[str, Any]) -> int:
    return len(query_cdrs(engine, {**fltr, "Limit": None, "Offset": None}))


@registry.method("CDRsV1", "GetCDRs", S.RPC_CDRS_FILTER_WITH_OPTS)
def get_cdrs_cdrsv1(engine: Engine, fltr: dict[str, Any]) -> list[dict[str, Any]]:
    found = query_cdrs(engine, fltr)
    if not found:
        raise server_error("NOT_FOUND")
    return [native_cdr(cdr) for cdr in found]


@registry.method("CDRsV1", "GetCDRsCount", S.RPC_CDRS_FILTER_WITH_OPTS)
def count_cdrs_cdrsv1(engine: Engine, fltr: dict[str, Any]) -> int:
    return len(query_cdrs(engine, {**fltr, "Limit": None, "Offset": None}))


@registry.method("APIerSv1", "GetCDRs", S.ATTR_GET_CDRS)
def get_cdrs_v1(engine: Engine, attrs: dict[str, Any]) -> list[dict[str, Any]]:
    """The older AttrGetCdrs filter (CgrIds, MediationRunIds, TORs, TimeStart…)."""
    fltr = {
        "CGRIDs": attrs["CgrIds"], "RunIDs": attrs["MediationRunIds"], "ToRs": attrs["TORs"],
        "OriginHosts": attrs["CdrHosts"], "Sources": attrs["CdrSources"], "RequestTypes": attrs["ReqTypes"],
        "Tenants": attrs["Tenants"], "Categories": attrs["Categories"], "Accounts": attrs["Accounts"],
        "Subjects": attrs["Subjects"], "DestinationPrefixes": attrs["DestinationPrefixes"],
        "AnswerTimeStart": attrs["TimeStart"], "AnswerTimeEnd": attrs["TimeEnd"], "OrderBy": attrs["OrderBy"],
        "Limit": attrs["Limit"], "Offset": attrs["Offset"],
        "ExtraArgs": {k: v for k, v in (("OrderIDStart", attrs["OrderIdStart"]),
                                        ("OrderIDEnd", attrs["OrderIdEnd"])) if v is not None},
    }  # fmt: skip
    found = query_cdrs(engine, fltr)
    if not found:
        raise not_found()
    return [external_cdr(cdr) for cdr in found]


@registry.method("CDRsV1", "ProcessCDR", S.CDR_WITH_OPTS)
def process_cdr(engine: Engine, cdr: dict[str, Any]) -> str:
    cdr.pop("APIOpts", None)
    engine.store_cdr(complete_cdr(engine, cdr))
    return OK


@registry.method("CDRsV1", "ProcessEvent", S.ARG_V1_PROCESS_EVENT)
def process_event(engine: Engine, arg: dict[str, Any]) -> str:
    event = dict(arg["Event"] or {})
    event.setdefault("Tenant", arg["Tenant"])
    engine.store_cdr(cdr_from_event(engine, event))
    return OK


# -- building CDRs -------------------------------------------------------------------------------------------


def complete_cdr(engine: Engine, cdr: dict[str, Any]) -> dict[str, Any]:
    """Fill the fields a CDR server would: CGRID, RunID, Tenant, Subject."""
    full = {**S.CDR.zero(), **cdr}
    full["Tenant"] = full["Tenant"] or engine.default_tenant
    full["RunID"] = full["RunID"] or "*default"
    full["Subject"] = full["Subject"] or full["Account"]
    full["ExtraFields"] = full["ExtraFields"] or {}
    for name in ("SetupTime", "AnswerTime"):
        if not isinstance(full[name], datetime):
            full[name] = None
    if not full["CGRID"]:
        full["CGRID"] = hashlib.sha1((full["OriginID"] + full["OriginHost"]).encode()).hexdigest()
    return full


def cdr_from_event(engine: Engine, event: dict[str, Any]) -> dict[str, Any]:
    """A CDR from a flat event (``CDRsV1.ProcessEvent``) or from the control API's inject call."""
    known = {name for name, _ in S.CDR.fields}
    cdr: dict[str, Any] = {"ExtraFields": {}}
    now = engine.now()
    for key, value in event.items():
        if key in ("SetupTime", "AnswerTime"):
            cdr[key] = value if isinstance(value, datetime) else _parse_time(iface_as_string(value), now)
        elif key == "Usage":
            cdr[key] = _usage_ns(value)
        elif key in ("Cost",):
            cdr[key] = float(value)
        elif key in ("OrderID",):
            cdr[key] = int(value)
        elif key in ("PreRated", "Partial", "CostDetails", "ExtraFields"):
            cdr[key] = value
        elif key in known:
            cdr[key] = iface_as_string(value)
        else:
            cdr["ExtraFields"][key] = iface_as_string(value)
    return complete_cdr(engine, cdr)


def _usage_ns(value: Any) -> int:
    if isinstance(value, str) and not value.lstrip("-").isdigit():
        try:
            return parse_duration(value)
        except GoTimeError as exc:
            raise RPCError(str(exc)) from None
    return int(float(value))
