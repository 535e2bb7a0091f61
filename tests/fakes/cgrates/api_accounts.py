"""APIerSv1/APIerSv2 account and balance methods (apier/v1/accounts.go, apier/v2/accounts.go)."""

from __future__ import annotations

import copy
from typing import Any

from . import schemas as S
from .convert import balance_filter_from_map
from .engine import Engine
from .errors import mandatory_missing, not_found, server_error
from .gojson import time_or_zero
from .model import Account, Action, ActionPlan, BalanceFilter
from .rpc import paginate, registry, require
from .timing import DEFAULT_TIMING_IDS

OK = "OK"


# -- SetAccount -------------------------------------------------------------------------------------------


def _existing_or_new(engine: Engine, key: str) -> Account:
    existing = engine.accounts.get(key)
    return copy.deepcopy(existing) if existing else Account(id=key)


def _plan_or_server_error(engine: Engine, plan_id: str) -> ActionPlan:
    plan = engine.action_plans.get(plan_id)
    if plan is None:
        raise server_error("NOT_FOUND")
    return plan


def _apply_extra_options(account: Account, options: dict[str, bool] | None) -> None:
    options = options or {}
    if "AllowNegative" in options:
        account.allow_negative = options["AllowNegative"]
    if "Disabled" in options:
        account.disabled = options["Disabled"]


@registry.method("APIerSv1", "SetAccount", S.ATTR_SET_ACCOUNT_V1)
def set_account_v1(engine: Engine, arg: dict[str, Any]) -> str:
    """One plan per account: attaching ``ActionPlanID`` detaches every other plan."""
    require(S.ATTR_SET_ACCOUNT_V1, arg, ["Account"])
    key = engine.account_key(arg["Tenant"], arg["Account"])
    account = _existing_or_new(engine, key)
    dirty = False
    wanted = arg["ActionPlanID"]
    if wanted:
        current = engine.plans_of(key)
        others = [_plan_or_server_error(engine, plan_id) for plan_id in current if plan_id != wanted]
        if wanted not in current:
            plan = _plan_or_server_error(engine, wanted)
            plan.account_ids = {**(plan.account_ids or {}), key: True}
            engine.push_asap_tasks(plan, key)
        for other in others:
            (other.account_ids or {}).pop(key, None)
        engine.set_plans_of(key, [wanted])
        dirty = bool(others) or wanted not in current
    if arg["ActionTriggersID"]:
        account.action_triggers = _triggers(engine, [arg["ActionTriggersID"]])
    _apply_extra_options(account, arg["ExtraOptions"])
    engine.save_account(account)
    if arg["ReloadScheduler"] and dirty:
        engine.reload_scheduler()
    return OK


@registry.method("APIerSv2", "SetAccount", S.ATTR_SET_ACCOUNT_V2)
def set_account_v2(engine: Engine, arg: dict[str, Any]) -> str:
    """Attaches ``ActionPlanIDs``; a plan made only of ``*asap`` timings runs once and is not attached."""
    require(S.ATTR_SET_ACCOUNT_V2, arg, ["Account"])
    key = engine.account_key(arg["Tenant"], arg["Account"])
    account = _existing_or_new(engine, key)
    wanted = arg["ActionPlanIDs"] or []
    current = engine.plans_of(key)
    dropped = [p for p in current if p not in wanted] if arg["ActionPlansOverwrite"] else []
    dropped_plans = [_plan_or_server_error(engine, plan_id) for plan_id in dropped]
    wanted_plans = [_plan_or_server_error(engine, plan_id) for plan_id in wanted]
    triggers = _triggers(engine, arg["ActionTriggerIDs"] or [])
    current = [p for p in current if p not in dropped]
    for plan in dropped_plans:
        (plan.account_ids or {}).pop(key, None)
    needs_reload = bool(dropped_plans)
    for plan in wanted_plans:
        pushed = engine.push_asap_tasks(plan, key)
        needs_reload = needs_reload or pushed > 0
        if pushed == len(plan.action_timings) or plan.id in current:
            continue
        plan.account_ids = {**(plan.account_ids or {}), key: True}
        current.append(plan.id)
        needs_reload = True
    engine.set_plans_of(key, current)
    _merge_triggers(account, triggers, overwrite=arg["ActionTriggerOverwrite"])
    _apply_extra_options(account, arg["ExtraOptions"])
    engine.save_account(account)
    if arg["ReloadScheduler"] and needs_reload:
        engine.reload_scheduler()
    return OK


def _triggers(engine: Engine, trigger_ids: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for trigger_id in trigger_ids:
        if trigger_id not in engine.action_triggers:
            raise server_error("NOT_FOUND")
        found.extend(copy.deepcopy(engine.action_triggers[trigger_id]))
    return found


def _merge_triggers(account: Account, triggers: list[dict[str, Any]], *, overwrite: bool) -> None:
    if overwrite:
        account.action_triggers = []
    for trigger in triggers:
        existing = account.action_triggers or []
        if trigger not in existing:
            account.action_triggers = [*existing, trigger]


# -- reading accounts ---------------------------------------------------------------------------------------


@registry.method("APIerSv2", "GetAccount", S.ATTR_GET_ACCOUNT)
def get_account_v2(engine: Engine, arg: dict[str, Any]) -> dict[str, Any]:
    return engine.load_account(engine.account_key(arg["Tenant"], arg["Account"])).to_native()


@registry.method("APIerSv1", "GetAccount", S.ATTR_GET_ACCOUNT)
def get_account_v1(engine: Engine, arg: dict[str, Any]) -> dict[str, Any]:
    return engine.load_account(engine.account_key(arg["Tenant"], arg["Account"])).to_old()


def _account_keys(engine: Engine, tenant: str, account_ids: list[str] | None) -> list[str]:
    if account_ids:
        return [f"{tenant}:{acc}" for acc in account_ids if acc]
    # GetKeysForPrefix("acc_" + tenant): "cgrates.org" also matches tenant "cgrates.org2"
    return sorted(key for key in engine.accounts if key.startswith(tenant))


def _selected_accounts(engine: Engine, arg: dict[str, Any]) -> list[Account] | None:
    keys = _account_keys(engine, engine.tenant(arg["Tenant"]), arg["AccountIDs"])
    if not keys:
        return None
    offset = min(max(arg["Offset"], 0), len(keys))
    keys = keys[offset : offset + arg["Limit"]] if arg["Limit"] else keys[offset:]
    wanted = arg["Filter"] or {}
    accounts = []
    for key in keys:
        account = engine.accounts.get(key)
        if account is None:
            continue
        if "AllowNegative" in wanted and wanted["AllowNegative"] != account.allow_negative:
            continue
        if "Disabled" in wanted and wanted["Disabled"] != account.disabled:
            continue
        accounts.append(account)
    return accounts


@registry.method("APIerSv2", "GetAccounts", S.ATTR_GET_ACCOUNTS)
def get_accounts_v2(engine: Engine, arg: dict[str, Any]) -> list[dict[str, Any]] | None:
    accounts = _selected_accounts(engine, arg)
    return None if accounts is None else [a.to_native() for a in accounts]


@registry.method("APIerSv1", "GetAccounts", S.ATTR_GET_ACCOUNTS)
def get_accounts_v1(engine: Engine, arg: dict[str, Any]) -> list[dict[str, Any]] | None:
    accounts = _selected_accounts(engine, arg)
    return None if accounts is None else [a.to_old() for a in accounts]


@registry.method("APIerSv1", "GetAccountsCount", S.TENANT_WITH_OPTS)
def get_accounts_count_v1(engine: Engine, arg: dict[str, Any]) -> int:
    return len(_account_keys(engine, engine.tenant(arg["Tenant"]), None))


@registry.method("APIerSv2", "GetAccountsCount", S.ATTR_GET_ACCOUNTS_COUNT)
def get_accounts_count_v2(engine: Engine, arg: dict[str, Any]) -> int:
    count = len(_account_keys(engine, engine.tenant(arg["Tenant"]), None))
    if count == 0:
        raise not_found()
    return count


@registry.method("APIerSv1", "GetAccountIDs", S.PAGINATOR_WITH_TENANT)
def get_account_ids(engine: Engine, arg: dict[str, Any]) -> list[str]:
    prefix = engine.tenant(arg["Tenant"]) + ":"
    ids = sorted(key[len(prefix) :] for key in engine.accounts if key.startswith(prefix))
    ids = [account_id for account_id in ids if arg["Search"] in account_id]
    if not ids:
        raise not_found()
    return paginate(ids, arg["Limit"], arg["Offset"])


@registry.method("APIerSv1", "RemoveAccount", S.ATTR_REMOVE_ACCOUNT)
def remove_account(engine: Engine, arg: dict[str, Any]) -> str:
    """Removing a missing account is OK too. The scheduler is not reloaded (ReloadScheduler is ignored)."""
    require(S.ATTR_REMOVE_ACCOUNT, arg, ["Account"])
    key = engine.account_key(arg["Tenant"], arg["Account"])
    engine.detach_account_everywhere(key)
    engine.accounts.pop(key, None)
    return OK


@registry.method("APIerSv1", "GetAccountActionPlan", S.TENANT_ACCOUNT)
def get_account_action_plan(engine: Engine, arg: dict[str, Any]) -> list[dict[str, Any]]:
    require(S.TENANT_ACCOUNT, arg, ["Account"])
    key = engine.account_key(arg["Tenant"], arg["Account"])
    now = engine.now()
    timings = []
    for plan_id in engine.plans_of(key):
        plan = engine.action_plans.get(plan_id)
        if plan is None:
            raise not_found()
        for at in plan.action_timings:
            timings.append(
                {
                    "ActionPlanId": plan.id,
                    "Uuid": at.uuid,
                    "ActionsId": at.actions_id,
                    "NextExecTime": time_or_zero(engine.next_start(at, now)),
                }
            )
    return timings


@registry.method("APIerSv1", "ResetAccountActionTriggers", S.ATTR_RESET_TRIGGERS)
def reset_account_action_triggers(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.ATTR_RESET_TRIGGERS, arg, ["Account"])
    account = engine.load_account(engine.account_key(arg["Tenant"], arg["Account"]))
    for trigger in account.action_triggers or []:
        if arg["UniqueID"] in ("", trigger.get("UniqueID")) and arg["GroupID"] in ("", trigger.get("ID")):
            trigger["Executed"] = arg["Executed"]
    engine.save_account(account)
    return OK


# -- balances -----------------------------------------------------------------------------------------------


def _balance_filter(engine: Engine, arg: dict[str, Any]) -> BalanceFilter:
    bf = balance_filter_from_map(arg["Balance"] or {}, engine.now())
    bf.type = arg["BalanceType"]
    if arg["Value"] != 0:
        bf.value = abs(arg["Value"])
    if set(bf.timing_ids or {}) - DEFAULT_TIMING_IDS:
        raise not_found()  # only the default timing profiles exist in the fake
    return bf


def _run_balance_action(engine: Engine, key: str, action_type: str, bf: BalanceFilter, arg: dict[str, Any]) -> None:
    actions = [
        Action(id="", action_type=action_type, balance=bf),
        Action(id="", action_type="*publish_account"),
    ]
    if arg.get("Cdrlog"):
        actions.append(Action(id="", action_type="*cdrlog"))
    extra = arg.get("ActionExtraData") or None
    engine.execute("", [key], extra_data=extra, actions=actions)


def _modify_balance(engine: Engine, arg: dict[str, Any], action_type: str) -> str:
    require(S.ATTR_ADD_BALANCE, arg, ["Account", "BalanceType", "Value"])
    bf = _balance_filter(engine, arg)
    key = engine.account_key(arg["Tenant"], arg["Account"])
    engine.ensure_account(key)
    if arg["Overwrite"]:
        action_type += "_reset"
    _run_balance_action(engine, key, action_type, bf, arg)
    return OK


@registry.method("APIerSv1", "AddBalance", S.ATTR_ADD_BALANCE)
def add_balance(engine: Engine, arg: dict[str, Any]) -> str:
    """A ``*topup`` (``*topup_reset`` with Overwrite); creates the account; Balance keys select the target."""
    return _modify_balance(engine, arg, "*topup")


@registry.method("APIerSv1", "DebitBalance", S.ATTR_ADD_BALANCE)
def debit_balance(engine: Engine, arg: dict[str, Any]) -> str:
    return _modify_balance(engine, arg, "*debit")


def _require_id_or_uuid(bf: BalanceFilter) -> None:
    if not bf.id and not bf.uuid:
        raise mandatory_missing("BalanceID", "or", "BalanceUUID")


@registry.method("APIerSv1", "SetBalance", S.ATTR_SET_BALANCE)
def set_balance(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.ATTR_SET_BALANCE, arg, ["Account", "BalanceType"])
    bf = _balance_filter(engine, arg)
    _require_id_or_uuid(bf)
    key = engine.account_key(arg["Tenant"], arg["Account"])
    engine.ensure_account(key)
    _run_balance_action(engine, key, "*set_balance", bf, arg)
    return OK


@registry.method("APIerSv1", "SetBalances", S.ATTR_SET_BALANCES)
def set_balances(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.ATTR_SET_BALANCES, arg, ["Account", "Balances"])
    key = engine.account_key(arg["Tenant"], arg["Account"])
    engine.ensure_account(key)
    for item in arg["Balances"]:
        item = item or S.ATTR_BALANCE.zero()
        bf = _balance_filter(engine, item)
        _require_id_or_uuid(bf)
        _run_balance_action(engine, key, "*set_balance", bf, item)
    return OK


@registry.method("APIerSv1", "RemoveBalances", S.ATTR_SET_BALANCE)
def remove_balances(engine: Engine, arg: dict[str, Any]) -> str:
    require(S.ATTR_SET_BALANCE, arg, ["Account", "BalanceType"])
    bf = balance_filter_from_map(arg["Balance"] or {}, engine.now())
    bf.type = arg["BalanceType"]
    key = engine.account_key(arg["Tenant"], arg["Account"])
    if key not in engine.accounts:
        raise not_found()
    actions = [Action(id="", action_type="*remove_balance", balance=bf)]
    engine.execute("", [key], extra_data=arg["ActionExtraData"] or None, actions=actions)
    return OK
