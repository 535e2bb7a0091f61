"""AttributeProfiles and Filters (apier/v1/attributes.go, apier/v1/filters.go)."""

from __future__ import annotations

import copy
from typing import Any

from . import schemas as S
from .engine import Engine
from .errors import RPCError, mandatory_missing, not_found
from .rpc import paginate, registry, require

OK = "OK"
_VALUELESS_FILTER_TYPES = {"*empty", "*notempty", "*exists", "*notexists"}


def _ids_for_tenant(store: dict[tuple[str, str], Any], tenant: str, arg: dict[str, Any]) -> list[str]:
    ids = sorted(item_id for item_tenant, item_id in store if item_tenant == tenant and arg["Search"] in item_id)
    if not ids:
        raise not_found()
    return paginate(ids, arg["Limit"], arg["Offset"])


# -- AttributeProfiles ---------------------------------------------------------------------------------------


@registry.method("APIerSv1", "SetAttributeProfile", S.ATTRIBUTE_PROFILE_WITH_OPTS)
def set_attribute_profile(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.ATTRIBUTE_PROFILE_WITH_OPTS, arg, ["ID", "Attributes"])
    profile = {key: value for key, value in arg.items() if key != "APIOpts"}
    profile["Tenant"] = engine.tenant(profile["Tenant"])
    for attribute in profile["Attributes"]:
        if not attribute or not attribute["Path"]:
            raise mandatory_missing("Path")
        for substitute in attribute["Value"] or []:
            if not substitute or not substitute["Rules"]:
                raise mandatory_missing("Rules")
    engine.attribute_profiles[(profile["Tenant"], profile["ID"])] = profile
    return OK


@registry.method("APIerSv1", "GetAttributeProfile", S.TENANT_ID_WITH_OPTS)
def get_attribute_profile(engine: Engine, arg: dict[str, Any]) -> dict[str, Any]:
    require(S.TENANT_ID_WITH_OPTS, arg, ["ID"])
    profile = engine.attribute_profiles.get((engine.tenant(arg["Tenant"]), arg["ID"]))
    if profile is None:
        raise not_found()
    return copy.deepcopy(profile)


@registry.method("APIerSv1", "RemoveAttributeProfile", S.TENANT_ID_WITH_OPTS)
def remove_attribute_profile(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.TENANT_ID_WITH_OPTS, arg, ["ID"])
    if engine.attribute_profiles.pop((engine.tenant(arg["Tenant"]), arg["ID"]), None) is None:
        raise not_found()
    return OK


@registry.method("APIerSv1", "GetAttributeProfileIDs", S.PAGINATOR_WITH_TENANT)
def get_attribute_profile_ids(engine: Engine, arg: dict[str, Any]) -> list[str]:
    return _ids_for_tenant(engine.attribute_profiles, engine.tenant(arg["Tenant"]), arg)


@registry.method("APIerSv1", "GetAttributeProfileCount", S.TENANT_WITH_OPTS)
def get_attribute_profile_count(engine: Engine, arg: dict[str, Any]) -> int:
    tenant = engine.tenant(arg["Tenant"])
    count = sum(1 for item_tenant, _ in engine.attribute_profiles if item_tenant == tenant)
    if not count:
        raise not_found()
    return count


# -- Filters -------------------------------------------------------------------------------------------------


@registry.method("APIerSv1", "SetFilter", S.FILTER_WITH_OPTS)
def set_filter(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.FILTER_WITH_OPTS, arg, ["ID"])
    fltr = {key: value for key, value in arg.items() if key != "APIOpts"}
    fltr["Tenant"] = engine.tenant(fltr["Tenant"])
    for rule in fltr["Rules"] or []:
        if rule and rule["Type"] in _VALUELESS_FILTER_TYPES and any(rule["Values"] or []):
            raise RPCError(f"value of filter <{fltr['ID']}> is not empty <{rule['Values'][0]}>")
    engine.filters[(fltr["Tenant"], fltr["ID"])] = fltr
    return OK


@registry.method("APIerSv1", "GetFilter", S.TENANT_ID)
def get_filter(engine: Engine, arg: dict[str, Any]) -> dict[str, Any]:
    require(S.TENANT_ID, arg, ["ID"])
    fltr = engine.filters.get((engine.tenant(arg["Tenant"]), arg["ID"]))
    if fltr is None:
        raise not_found()
    return copy.deepcopy(fltr)


@registry.method("APIerSv1", "RemoveFilter", S.TENANT_ID_WITH_OPTS)
def remove_filter(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.TENANT_ID_WITH_OPTS, arg, ["ID"])
    if engine.filters.pop((engine.tenant(arg["Tenant"]), arg["ID"]), None) is None:
        raise not_found()
    return OK


@registry.method("APIerSv1", "GetFilterIDs", S.PAGINATOR_WITH_TENANT)
def get_filter_ids(engine: Engine, arg: dict[str, Any]) -> list[str]:
    return _ids_for_tenant(engine.filters, engine.tenant(arg["Tenant"]), arg)
