"""Actions, ActionPlans and the scheduler (apier/v1/apier.go, apier/v2/apier.go, apier/v1/scheduler*.go)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import schemas as S
from . import timing as timing_mod
from .convert import balance_value_from_text, balance_weight, parse_bool
from .engine import Engine
from .errors import RPCError, action_mandatory_missing, exists, not_found, server_error
from .gojson import GoMap, time_or_zero
from .mandatory import missing_fields
from .model import Action, ActionPlan, ActionTiming, BalanceFilter, new_uuid, parse_string_map
from .rpc import paginate, registry, require

OK = "OK"


# -- SetActions ------------------------------------------------------------------------------------------


def _check_action_entries(struct: Any, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        required = ["Identifier", "Weight"] + (["Units"] if entry["BalanceType"] else [])
        missing = missing_fields(struct, entry, required)
        if missing:
            raise action_mandatory_missing(entry["Identifier"], missing)


def _optional_bool(text: str) -> bool | None:
    return parse_bool(text) if text else None


def _check_timing_tags(tags: str) -> None:
    for tag in filter(None, tags.split(";")):
        timing_id = tag.removeprefix("!")
        if timing_id not in timing_mod.DEFAULT_TIMING_IDS:
            raise RPCError(f'error: NOT_FOUND querying timing with id: "{timing_id}"')


def _store_actions(engine: Engine, actions_id: str, actions: list[Action]) -> str:
    engine.actions[actions_id] = actions
    return OK


def _balance_filter_for(entry: dict[str, Any], value: float | None, weight: float | None) -> BalanceFilter:
    return BalanceFilter(
        uuid=entry["BalanceUuid"],
        id=entry["BalanceId"],
        type=entry["BalanceType"],
        value=value,
        weight=weight,
        destination_ids=parse_string_map(entry["DestinationIds"]),
        rating_subject=entry["RatingSubject"],
        shared_groups=parse_string_map(entry["SharedGroups"]),
        categories=parse_string_map(entry["Categories"]),
        timing_ids=parse_string_map(entry["TimingTags"]),
        blocker=_optional_bool(entry["BalanceBlocker"]),
        disabled=_optional_bool(entry["BalanceDisabled"]),
    )


@registry.method("APIerSv1", "SetActions", S.V1_ATTR_SET_ACTIONS)
def set_actions_v1(engine: Engine, arg: dict[str, Any]) -> str:
    """Units is a float and Filters a list here; APIerSv2.SetActions takes both as strings."""
    require(S.V1_ATTR_SET_ACTIONS, arg, ["ActionsId", "Actions"])
    entries = [entry or S.V1_TP_ACTION.zero() for entry in arg["Actions"]]
    _check_action_entries(S.V1_TP_ACTION, entries)
    if not arg["Overwrite"] and arg["ActionsId"] in engine.actions:
        raise exists()
    actions = []
    for entry in entries:
        balance = _balance_filter_for(entry, entry["Units"], entry["BalanceWeight"])
        _check_timing_tags(entry["TimingTags"])
        actions.append(_action(arg["ActionsId"], entry, entry["Filters"], balance))
    return _store_actions(engine, arg["ActionsId"], actions)


@registry.method("APIerSv2", "SetActions", S.ATTR_SET_ACTIONS_V2)
def set_actions_v2(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.ATTR_SET_ACTIONS_V2, arg, ["ActionsId", "Actions"])
    entries = [entry or S.TP_ACTION.zero() for entry in arg["Actions"]]
    _check_action_entries(S.TP_ACTION, entries)
    if not arg["Overwrite"] and arg["ActionsId"] in engine.actions:
        raise exists()
    actions = []
    for entry in entries:
        value = balance_value_from_text(entry["BalanceType"], entry["Units"]) if entry["Units"] else None
        weight = balance_weight(entry["BalanceWeight"], engine.now()) if entry["BalanceWeight"] else None
        balance = None
        if entry["Identifier"] != "*reset_triggers":
            balance = _balance_filter_for(entry, value, weight)
        _check_timing_tags(entry["TimingTags"])
        filters = entry["Filters"].split(";") if entry["Filters"] else None
        actions.append(_action(arg["ActionsId"], entry, filters, balance))
    return _store_actions(engine, arg["ActionsId"], actions)


def _action(actions_id: str, entry: dict[str, Any], filters: list[str] | None, balance: BalanceFilter | None) -> Action:
    return Action(
        id=actions_id,
        action_type=entry["Identifier"],
        weight=entry["Weight"],
        expiration_string=entry["ExpiryTime"],
        extra_parameters=entry["ExtraParameters"],
        filters=filters,
        balance=balance,
    )


@registry.method("APIerSv1", "GetActions", S.STRING)
def get_actions_v1(engine: Engine, actions_id: str) -> list[dict[str, Any]]:
    """Takes a bare string; returns TPAction rows with numbers as strings."""
    if not actions_id:
        raise RPCError(f"MANDATORY_IE_MISSING ActionsId: {actions_id}")
    if actions_id not in engine.actions:
        raise server_error("NOT_FOUND")
    return [action.to_tp_action() for action in engine.actions[actions_id]]


@registry.method("APIerSv2", "GetActions", S.ATTR_GET_ACTIONS_V2)
def get_actions_v2(engine: Engine, arg: dict[str, Any]) -> GoMap | None:
    keys = [key for key in (arg["ActionIDs"] or sorted(engine.actions)) if key]
    if not keys:
        return None
    offset = min(max(arg["Offset"], 0), len(keys))
    keys = keys[offset : offset + arg["Limit"]] if arg["Limit"] else keys[offset:]
    result = GoMap()
    for key in keys:
        if key not in engine.actions:
            raise server_error("NOT_FOUND")
        if engine.actions[key]:
            result[key] = [action.to_native() for action in engine.actions[key]]
    return result


@registry.method("APIerSv1", "RemoveActions", S.ATTR_REMOVE_ACTIONS)
def remove_actions(engine: Engine, arg: dict[str, Any]) -> str:
    if arg["ActionIDs"] is None:
        raise not_found()
    for actions_id in arg["ActionIDs"]:
        engine.actions.pop(actions_id, None)
    return OK


@registry.method("APIerSv1", "ExecuteAction", S.ATTR_EXECUTE_ACTION)
def execute_action(engine: Engine, arg: dict[str, Any]) -> str:
    """Runs an action set now; a missing account is created by the run."""
    accounts = [engine.account_key(arg["Tenant"], arg["Account"])] if arg["Account"] else []
    engine.execute(arg["ActionsId"], accounts)
    return OK


# -- ActionPlans ---------------------------------------------------------------------------------------------


@registry.method("APIerSv1", "SetActionPlan", S.ATTR_SET_ACTION_PLAN)
def set_action_plan(engine: Engine, arg: dict[str, Any]) -> str:
    """Overwriting a plan drops its accounts: they must be attached again with SetAccount."""
    require(S.ATTR_SET_ACTION_PLAN, arg, ["Id", "ActionPlan"])
    entries = [entry or S.ATTR_ACTION_PLAN.zero() for entry in arg["ActionPlan"]]
    for entry in entries:
        missing = missing_fields(S.ATTR_ACTION_PLAN, entry, ["ActionsId", "Time", "Weight"])
        if missing:
            raise action_mandatory_missing(entry["ActionsId"], missing)
    previous = engine.action_plans.get(arg["Id"])
    if previous is not None and not arg["Overwrite"]:
        raise exists()
    plan = ActionPlan(id=arg["Id"], action_timings=[_action_timing(engine, entry) for entry in entries])
    engine.action_plans[plan.id] = plan
    for account_id in (previous.account_ids or {}) if previous else {}:
        engine.remove_plans_of(account_id, [plan.id])
    if arg["ReloadScheduler"]:
        engine.reload_scheduler()
    return OK


def _action_timing(engine: Engine, entry: dict[str, Any]) -> ActionTiming:
    if entry["ActionsId"] not in engine.actions:
        raise RPCError(f"BROKEN_REFERENCE:{entry['ActionsId']}")
    timing = timing_mod.timing_from_plan_entry(entry, engine.now())
    if timing is None:
        raise RPCError(f"UNSUPPORTED_FORMAT:{entry['Time']}")
    return ActionTiming(uuid=new_uuid(), timing=timing, actions_id=entry["ActionsId"], weight=entry["Weight"])


@registry.method("APIerSv1", "GetActionPlan", S.ATTR_GET_ACTION_PLAN)
def get_action_plan(engine: Engine, arg: dict[str, Any]) -> list[dict[str, Any]]:
    if arg["ID"] in ("", "*"):
        return [engine.action_plans[key].to_native() for key in sorted(engine.action_plans)]
    plan = engine.action_plans.get(arg["ID"])
    if plan is None:
        raise not_found()
    return [plan.to_native()]


@registry.method("APIerSv1", "RemoveActionPlan", S.ATTR_GET_ACTION_PLAN)
def remove_action_plan(engine: Engine, arg: dict[str, Any]) -> str:
    """Removing a missing plan is OK. Queued runs survive until the scheduler reloads."""
    require(S.ATTR_GET_ACTION_PLAN, arg, ["ID"])
    previous = engine.action_plans.pop(arg["ID"], None)
    for account_id in (previous.account_ids or {}) if previous else {}:
        engine.remove_plans_of(account_id, [arg["ID"]])
    return OK


@registry.method("APIerSv1", "GetActionPlanIDs", S.PAGINATOR_WITH_TENANT)
def get_action_plan_ids(engine: Engine, arg: dict[str, Any]) -> list[str]:
    ids = [plan_id for plan_id in sorted(engine.action_plans) if arg["Search"] in plan_id]
    if not ids:
        raise not_found()
    return paginate(ids, arg["Limit"], arg["Offset"])


@registry.method("APIerSv1", "RemoveActionTiming", S.ATTR_REMOVE_ACTION_TIMING)
def remove_action_timing(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.ATTR_REMOVE_ACTION_TIMING, arg, ["ActionPlanId"])
    plan = engine.action_plans.get(arg["ActionPlanId"])
    if plan is None:
        raise server_error("NOT_FOUND")
    if arg["Account"]:
        key = engine.account_key(arg["Tenant"], arg["Account"])
        (plan.account_ids or {}).pop(key, None)
        engine.remove_plans_of(key, [plan.id])
    elif arg["ActionTimingId"]:
        plan.action_timings = [at for at in plan.action_timings if at.uuid != arg["ActionTimingId"]]
    else:
        for account_id in plan.account_ids or {}:
            engine.remove_plans_of(account_id, [plan.id])
        engine.action_plans.pop(plan.id)
    if arg["ReloadScheduler"]:
        engine.reload_scheduler()
    return OK


# -- scheduler -----------------------------------------------------------------------------------------------


@registry.method("APIerSv1", "GetScheduledActions", S.ARGS_GET_SCHEDULED_ACTIONS)
def get_scheduled_actions(engine: Engine, arg: dict[str, Any]) -> list[dict[str, Any]]:
    """What the scheduler queue holds (filled on scheduler reloads only); ``*asap`` timings never appear."""
    selected = [
        {
            "NextRunTime": time_or_zero(entry.next_run),
            "Accounts": len(entry.account_ids),
            "ActionPlanID": entry.plan_id,
            "ActionTimingUUID": entry.timing.uuid,
            "ActionsID": entry.timing.actions_id,
        }
        for entry in engine.queue
        if _in_window(entry.next_run, arg["TimeStart"], arg["TimeEnd"])
        and _has_account(entry.account_ids, arg["Tenant"], arg["Account"])
    ]
    if arg["Offset"] is not None and arg["Offset"] <= len(selected):
        selected = selected[arg["Offset"] :]
    if arg["Limit"] is not None and arg["Limit"] <= len(selected):
        selected = selected[: arg["Limit"]]
    if not selected:
        raise not_found()
    return selected


def _in_window(moment: datetime | None, start: datetime | None, end: datetime | None) -> bool:
    if moment is None:
        return False
    start = start if isinstance(start, datetime) else None
    end = end if isinstance(end, datetime) else None
    return (start is None or moment >= start) and (end is None or moment < end)


def _has_account(account_ids: dict[str, bool], tenant: str | None, account: str | None) -> bool:
    """A sent Tenant/Account (even an empty one) must match one of the timing's accounts."""
    if tenant is None and account is None:
        return True
    for account_id in account_ids:
        parts = account_id.split(":")
        if len(parts) != 2:
            continue
        if (tenant is None or tenant == parts[0]) and (account is None or account == parts[1]):
            return True
    return False


@registry.method("SchedulerSv1", "Reload", S.CGR_EVENT)
def scheduler_reload(engine: Engine, _arg: dict[str, Any]) -> str:
    engine.reload_scheduler()
    return OK


@registry.method("SchedulerSv1", "ExecuteActions", S.ATTRS_EXECUTE_ACTIONS)
def scheduler_execute_actions(engine: Engine, arg: dict[str, Any]) -> str:
    """Forces a plan's non-``*asap`` timings to run now on its accounts (heaviest first)."""
    if arg["ActionPlanID"]:
        plan = engine.action_plans.get(arg["ActionPlanID"])
        if plan is None:
            raise not_found()
        for at in sorted(plan.action_timings, key=lambda item: -item.weight):
            if not timing_mod.is_asap(at.timing):
                engine.execute(at.actions_id, list(plan.account_ids or {}), origin="*scheduler")
    return OK


@registry.method("SchedulerSv1", "Ping", S.CGR_EVENT)
def scheduler_ping(_engine: Engine, _arg: Any) -> str:
    return "Pong"
