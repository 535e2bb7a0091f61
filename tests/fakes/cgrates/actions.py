"""Action functions (engine/action.go, engine/account.go): what ``*topup``, ``*cdrlog``, ``*http_post``… do.

Each function takes (engine, account or None, action, run) and raises ActionFailed on error.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import ActionFailed
from .gojson import dumps, go_float
from .model import Account, Action, Balance, BalanceFilter, new_uuid, string_map_text

if TYPE_CHECKING:
    from .engine import Engine, Run

ActionFunc = Callable[["Engine", "Account | None", Action, "Run"], None]


def _need(account: Account | None) -> Account:
    if account is None:
        raise ActionFailed("nil account")
    return account


# -- balance value actions --------------------------------------------------------------------------------


def _debit_balance(engine: Engine, account: Account, act: Action, run: Run, *, sign: int, reset: bool) -> None:
    """``Account.debitBalanceAction``: every live balance matching the filter is changed; none → a new one."""
    bf: BalanceFilter = copy.deepcopy(act.balance)
    amount = bf.value or 0.0
    if sign < 0 and amount > 0:  # genericMakeNegative
        amount = -amount
    kind = bf.type or ""
    now = engine.now()
    found = False
    for balance in (account.balance_map or {}).get(kind, []):
        if balance.expired_at(now) or not bf.matches(balance):
            continue
        if reset:
            balance.value = 0.0
        balance.value = engine.round_value(balance.value - amount)
        run.balance_values[run.index] = balance.value
        found = True
    if not found:
        account.balances(kind).append(_new_debited_balance(engine, bf, amount, act.extra_parameters))
        run.balance_values[run.index] = account.balances(kind)[-1].value


def _new_debited_balance(engine: Engine, bf: BalanceFilter, amount: float, extra_parameters: str) -> Balance:
    created = bf.create_balance()
    if created.id == "*default":
        created = Balance(id="*default", value=-amount)
    elif amount != 0:
        created.value = engine.round_value(-amount)
    created.uuid = new_uuid()
    factors = _value_factors(extra_parameters)
    if factors is not None:
        created.factors = factors
    return created


def _value_factors(extra_parameters: str) -> dict[str, float] | None:
    if not extra_parameters:
        return None
    try:
        parsed = json.loads(extra_parameters)
    except ValueError:
        return None
    if isinstance(parsed, dict) and all(isinstance(v, (int, float)) for v in parsed.values()):
        return {key: float(value) for key, value in parsed.items()}
    return None


def topup(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    _debit_balance(engine, _need(account), act, run, sign=-1, reset=False)


def topup_reset(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    _debit_balance(engine, _need(account), act, run, sign=-1, reset=True)


def debit(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    _debit_balance(engine, _need(account), act, run, sign=1, reset=False)


def debit_reset(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    _debit_balance(engine, _need(account), act, run, sign=1, reset=True)


def set_balance(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    """``Account.setBalanceAction``: find by UUID (must exist) or by ID within the type, else create."""
    account = _need(account)
    bf = act.balance
    balance = _find_for_set(engine, account, bf)
    if bf.id == "*default":
        if bf.value is not None:
            balance.id, balance.value = "*default", bf.value
    else:
        bf.modify(balance)


def _find_for_set(engine: Engine, account: Account, bf: BalanceFilter) -> Balance:
    now = engine.now()
    if bf.uuid:
        for _, balance in account.all_balances():
            if balance.uuid == bf.uuid and not balance.expired_at(now):
                return balance
        raise ActionFailed(f"cannot find balance with uuid: <{bf.uuid}>")
    for kind, balance in account.all_balances():
        if bf.type and kind != bf.type:
            continue
        if bf.id is not None and balance.id == bf.id and not balance.expired_at(now):
            return balance
    if bf.type is None:
        raise ActionFailed("missing balance type")
    created = Balance(uuid=new_uuid())
    account.balances(bf.type).append(created)
    return created


def remove_balance(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    account = _need(account)
    removed: list[tuple[str, Balance]] = []
    for kind, chain in (account.balance_map or {}).items():
        keep = []
        for balance in chain:
            if act.balance.matches(balance, kind):
                removed.append((kind, balance))
            else:
                keep.append(balance)
        account.balance_map[kind] = keep
    if not removed:
        raise ActionFailed("NOT_FOUND")
    run.removed[run.index] = removed


def remove_expired(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    account = _need(account)
    now = engine.now()
    removed: list[tuple[str, Balance]] = []
    for kind, chain in (account.balance_map or {}).items():
        if act.balance.type and kind != act.balance.type:
            continue
        expired = [b for b in chain if b.expired_at(now) and act.balance.matches(b, kind)]
        account.balance_map[kind] = [b for b in chain if b not in expired]
        removed.extend((kind, b) for b in expired)
    if not removed:
        raise ActionFailed("NOT_FOUND")
    run.removed[run.index] = removed


def reset_account(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    """``genericReset``: every balance type keeps a single zero balance with no id."""
    account = _need(account)
    for kind in list(account.balance_map or {}):
        account.balance_map[kind] = [Balance()]


def _flag_setter(attr: str, value: bool) -> ActionFunc:
    def set_flag(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
        setattr(_need(account), attr, value)

    return set_flag


def remove_account(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    if account is not None:
        key = account.id
    else:
        info = json.loads(act.extra_parameters) if act.extra_parameters else {}
        key = f"{info.get('Tenant', '')}:{info.get('Account', '')}"
    engine.accounts.pop(key, None)
    for plan_id in engine.plans_of(key):
        plan = engine.action_plans.get(plan_id)
        if plan and plan.account_ids:
            plan.account_ids.pop(key, None)
    engine.remove_plans_of(key)


def _account_noop(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    _need(account)


def _noop(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    engine.logs.append({"level": "info", "message": f"{act.action_type} accepted, not simulated by the fake"})


# -- side-effect actions ---------------------------------------------------------------------------------


def log_action(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    if account is not None:
        engine.logs.append({"level": "info", "message": "LOG Account: " + dumps(account.to_native())})
    elif run.extra_data is not None:
        engine.logs.append({"level": "info", "message": "LOG ExtraData: " + dumps(run.extra_data)})


def http_post(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    """POSTs the account (native JSON) to the URL in ExtraParameters. Delivery happens after the call
    returns; failures never fail the action (CGRateS parks them under failed_posts)."""
    if account is not None:
        body = dumps(account.to_native())
    elif run.extra_data is not None:
        body = dumps(run.extra_data)
    else:
        body = ""
    engine.record_http_post(act.extra_parameters, body, run.actions_id, account.id if account else None)


# -- *cdrlog ------------------------------------------------------------------------------------------------

_LOGGED_ACTIONS = {
    "*debit",
    "*debit_reset",
    "*topup",
    "*topup_reset",
    "*set_balance",
    "*remove_balance",
    "*remove_expired",
    "*transfer_balance",
}
_CDR_FLOAT_FIELDS = {"Cost"}
_CDR_STRING_FIELDS = {
    "CGRID", "RunID", "OriginHost", "Source", "OriginID", "ToR", "RequestType", "Tenant", "Category",
    "Account", "Subject", "Destination", "ExtraInfo", "CostSource",
}  # fmt: skip


def cdrlog(engine: Engine, account: Account | None, act: Action, run: Run) -> None:
    """Writes one CDR per balance action of the set (RunID = the action type, Source ``*cdrlog``)."""
    if not engine.cdrlog_enabled:
        raise ActionFailed("No connection with CDR Server")
    template = _cdrlog_template(act, run)
    cdrs: list[dict[str, Any]] = []
    for index, logged in enumerate(run.actions):
        if logged.action_type not in _LOGGED_ACTIONS or logged.balance is None:
            continue
        cdr = _base_cdr(logged, run)
        for field_name, rule in template.items():
            _set_cdr_field(cdr, field_name, _rsr_value(rule, account, logged, run.balance_values.get(index, 0.0)))
        if logged.action_type in ("*remove_balance", "*remove_expired"):
            cdrs.extend(_removed_balance_cdrs(cdr, run.removed.get(index)))
        else:
            cdrs.append(cdr)
    for cdr in cdrs:
        engine.store_cdr(cdr)


def _cdrlog_template(act: Action, run: Run) -> dict[str, str]:
    template = {
        "ToR": "~*acnt.BalanceType",
        "OriginHost": "127.0.0.1",
        "RequestType": "*none",
        "Tenant": "~*acnt.Tenant",
        "Account": "~*acnt.Account",
        "Subject": "~*acnt.Account",
        "Cost": "~*act.ActionValue",
    }
    if act.extra_parameters:
        try:
            overrides = json.loads(act.extra_parameters)
        except ValueError as exc:
            raise ActionFailed(f"invalid character in ExtraParameters: {exc}") from None
        if not isinstance(overrides, dict) or not all(isinstance(v, str) for v in overrides.values()):
            raise ActionFailed("json: cannot unmarshal ExtraParameters into Go value of type map[string]string")
        template.update(overrides)
    if isinstance(run.extra_data, dict):
        template.update(
            {key: value if isinstance(value, str) else dumps(value) for key, value in run.extra_data.items()}
        )
    return template


def _base_cdr(logged: Action, run: Run) -> dict[str, Any]:
    origin_id = new_uuid()
    return {
        "CGRID": hashlib.sha1(origin_id.encode()).hexdigest(),
        "RunID": logged.action_type,
        "OrderID": 0,
        "OriginHost": "",
        "Source": "*cdrlog",
        "OriginID": origin_id,
        "ToR": "",
        "RequestType": "",
        "Tenant": "",
        "Category": "",
        "Account": "",
        "Subject": "",
        "Destination": "",
        "SetupTime": run.ref_time,
        "AnswerTime": run.ref_time,
        "Usage": 1,
        "ExtraFields": {},
        "ExtraInfo": "",
        "Partial": False,
        "PreRated": True,
        "CostSource": "",
        "Cost": 0.0,
        "CostDetails": None,
    }


def _set_cdr_field(cdr: dict[str, Any], name: str, value: str) -> None:
    if name in _CDR_STRING_FIELDS:
        cdr[name] = value
    elif name in _CDR_FLOAT_FIELDS:
        with contextlib.suppress(ValueError):
            cdr[name] = float(value)
    elif name not in cdr:
        cdr["ExtraFields"][name] = value


def _removed_balance_cdrs(cdr: dict[str, Any], removed: list[tuple[str, Balance]] | None) -> list[dict[str, Any]]:
    if not removed:
        raise ActionFailed("NOT_FOUND")
    result = []
    for kind, balance in removed:
        copy_ = dict(cdr, Cost=balance.value, ToR=kind, OriginID=new_uuid())
        copy_["CGRID"] = hashlib.sha1(copy_["OriginID"].encode()).hexdigest()
        copy_["ExtraFields"] = {**cdr["ExtraFields"], "BalanceID": balance.id}
        result.append(copy_)
    return result


def _rsr_value(rule: str, account: Account | None, act: Action, balance_value: float) -> str:
    """A template rule: ``~*acnt.X`` / ``~*act.X`` read the run; anything else is a literal."""
    if not rule.startswith("~"):
        return rule
    scope, _, name = rule[1:].partition(".")
    bf = act.balance or BalanceFilter()
    if scope == "*act":
        return {
            "ActionID": act.id,
            "ActionType": act.action_type,
            "ActionValue": go_float(bf.value or 0.0),
        }.get(name, "")
    if scope != "*acnt":
        return ""
    return {
        "AccountID": account.id if account else "",
        "Tenant": account.tenant if account else "",
        "Account": account.name if account else "",
        "BalanceType": bf.type or "",
        "BalanceID": bf.id or "",
        "BalanceUUID": bf.uuid or "",
        "BalanceValue": go_float(balance_value),
        "DestinationIDs": string_map_text(bf.destination_ids),
        "ExtraParameters": act.extra_parameters,
        "RatingSubject": bf.rating_subject or "",
        "Category": string_map_text(bf.categories),
        "SharedGroups": string_map_text(bf.shared_groups),
    }.get(name, "")


ACTION_FUNCS: dict[str, ActionFunc] = {
    "*topup": topup,
    "*topup_reset": topup_reset,
    "*debit": debit,
    "*debit_reset": debit_reset,
    "*set_balance": set_balance,
    "*remove_balance": remove_balance,
    "*remove_expired": remove_expired,
    "*reset_account": reset_account,
    "*enable_account": _flag_setter("disabled", False),
    "*disable_account": _flag_setter("disabled", True),
    "*allow_negative": _flag_setter("allow_negative", True),
    "*deny_negative": _flag_setter("allow_negative", False),
    "*remove_account": remove_account,
    "*cdrlog": cdrlog,
    "*log": log_action,
    "*http_post": http_post,
    "*http_post_async": http_post,
    "*reset_triggers": _account_noop,
    "*set_recurrent": _account_noop,
    "*unset_recurrent": _account_noop,
    "*reset_counters": _account_noop,
    "*publish_account": _account_noop,
}
# Real action types whose effect lies outside what the fake models: accepted and logged.
for _name in (
    "*mail_async", "*cgr_rpc", "*export", "*post_event", "*reset_threshold", "*reset_stat_queue",
    "*remove_session_costs", "*alter_sessions", "*force_disconnect_sessions", "*transfer_balance",
    "*transfer_monetary_default", "*cdr_account", "*topup_zero_negative", "*set_expiry",
    "*set_ddestinations", "*remote_set_account",
):  # fmt: skip
    ACTION_FUNCS[_name] = _noop
