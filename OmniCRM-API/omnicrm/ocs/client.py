"""OcsClient: the typed CGRateS API OmniCRM uses (SPEC D11, D12; integrations.md §3.1).

Conventions:
- The OCS account of a service is its `service_uuid`; the tenant is `ocs.ocsTenant` unless a call names one.
- Reads are retried on transport failures inside the `ocs.timeout_seconds` budget; writes are sent once.
- NOT_FOUND from a read is a typed result (None, [] or False), never an exception.
- Writes that matter are read back: CGRateS ignores unknown keys and answers "OK", so a change that did not
  happen raises OcsWriteNotApplied (422, code `ocs_write_not_applied`) instead of passing silently.
- CGRateS' ExecuteAction and AddBalance create a missing account as a side effect (cgrates#233); the client
  refuses to run them on an account that does not exist unless told otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from omnicrm.core.config import Settings
from omnicrm.core.errors import AppError, field_error
from omnicrm.core.external import CallBudget
from omnicrm.core.metrics import OCS_ACTION_PLAN_OPS, OCS_BALANCE_QUERIES, OCS_ERRORS
from omnicrm.ocs.balances import iso_utc, parse_go_time, split_action_plan_id
from omnicrm.ocs.errors import OcsError, OcsMethodNotAllowed, OcsNotFound, OcsWriteNotApplied
from omnicrm.ocs.methods import canonical_method, is_read_method, method_names
from omnicrm.ocs.rpc import JsonRpcTransport

_RAISE = object()
_OLD_BALANCE_SUFFIX = "*out"
ATTRIBUTE_PROFILE_PREFIX = "ATTR_ACCOUNT_"
FILTER_PREFIX = "FLTR_ACCOUNT_"


def account_attribute_profile_id(service_uuid: str) -> str:
    return ATTRIBUTE_PROFILE_PREFIX + service_uuid


def account_filter_id(service_uuid: str) -> str:
    return FILTER_PREFIX + service_uuid


def jsonrpc_url(cgrates: str) -> str:
    """`ocs.cgrates` is host:port (the seed's form); a full URL is accepted too."""
    base = cgrates.strip().rstrip("/")
    if "://" not in base:
        base = f"http://{base}"
    return base if base.endswith("/jsonrpc") else f"{base}/jsonrpc"


# --------------------------------------------------------------------------------------------------
# Typed results


@dataclass(frozen=True)
class OcsAccount:
    """A CGRateS account in the APIerSv2 shape (an APIerSv1 'old structure' reply is normalised to it)."""

    tenant: str
    account: str
    balance_map: dict[str, list[dict[str, Any]]]
    disabled: bool
    allow_negative: bool
    action_triggers: list[dict[str, Any]] | None
    update_time: datetime | None
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_reply(cls, reply: Mapping[str, Any]) -> OcsAccount:
        key = str(reply.get("ID") or reply.get("Id") or "")
        key = key.removeprefix("*out:")
        tenant, _, account = key.rpartition(":")
        return cls(
            tenant=tenant,
            account=account,
            balance_map=_normalised_balance_map(reply.get("BalanceMap")),
            disabled=bool(reply.get("Disabled")),
            allow_negative=bool(reply.get("AllowNegative")),
            action_triggers=reply.get("ActionTriggers") or None,
            update_time=parse_go_time(reply.get("UpdateTime")),
            raw=dict(reply),
        )

    def balances(self, balance_type: str) -> list[dict[str, Any]]:
        return list(self.balance_map.get(balance_type, []))

    def balance(self, balance_id: str, balance_type: str | None = None) -> dict[str, Any] | None:
        types = [balance_type] if balance_type else list(self.balance_map)
        for kind in types:
            for balance in self.balance_map.get(kind, []):
                if balance.get("ID") == balance_id:
                    return balance
        return None

    def as_dict(self) -> dict[str, Any]:
        """The account as the API shows it (the `cgrates` block's source)."""
        return {
            "ID": f"{self.tenant}:{self.account}",
            "BalanceMap": self.balance_map,
            "Disabled": self.disabled,
            "AllowNegative": self.allow_negative,
            "ActionTriggers": self.action_triggers,
            "UpdateTime": iso_utc(self.update_time),
        }


def _normalised_balance_map(raw: Any) -> dict[str, list[dict[str, Any]]]:
    """`*monetary*out` → `*monetary` and `Id` → `ID` (APIerSv1.GetAccount's old structure)."""
    result: dict[str, list[dict[str, Any]]] = {}
    for kind, balances in (raw or {}).items():
        normalised = []
        for balance in balances or []:
            item = dict(balance)
            if "ID" not in item and "Id" in item:
                item["ID"] = item.pop("Id")
            normalised.append(item)
        result.setdefault(kind.removesuffix(_OLD_BALANCE_SUFFIX), []).extend(normalised)
    return result


@dataclass(frozen=True)
class CdrPage:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    def as_dict(self) -> dict[str, Any]:
        return {"data": self.items, "pagination": {"current_page": self.page, "per_page": self.per_page,
                                                   "total_pages": self.total_pages, "total_items": self.total}}


# --------------------------------------------------------------------------------------------------
# The client


class OcsClient:
    def __init__(self, url: str, *, tenant: str, timeout_seconds: float = 5.0,
                 methods: Mapping[str, str] | None = None, proxy_allowed_methods: Iterable[str] = (),
                 session: requests.Session | None = None):
        self.url = url
        self.tenant = tenant
        self.methods = method_names(methods or {})
        self.proxy_allowed_methods = frozenset(canonical_method(name) for name in proxy_allowed_methods)
        self.transport = JsonRpcTransport(url, CallBudget(timeout_seconds), session)

    @classmethod
    def from_settings(cls, settings: Settings, session: requests.Session | None = None) -> OcsClient:
        ocs = settings.ocs
        return cls(jsonrpc_url(ocs.cgrates), tenant=ocs.ocsTenant, timeout_seconds=ocs.timeout_seconds,
                   methods=ocs.method_names, proxy_allowed_methods=ocs.proxy_allowed_methods, session=session)

    # -- plumbing -------------------------------------------------------------------------------------------
    def _call(self, operation: str, arg: Any, *, absent: Any = _RAISE) -> Any:
        """Invoke an operation; NOT_FOUND gives `absent` when one is given, else a 422 for writes."""
        method = self.methods[operation]
        is_read = operation == "ping" or operation.startswith(("get_", "count_"))
        try:
            return self.transport.invoke(method, arg, idempotent=is_read)
        except OcsNotFound as exc:
            if absent is not _RAISE:
                return absent
            if is_read:
                raise
            raise OcsError(f"OCS rejected {method}: NOT_FOUND (a referenced object does not exist)",
                           method=method, remote_error=str(exc)) from exc

    def _tenant(self, tenant: str | None) -> str:
        return tenant or self.tenant

    def _not_applied(self, operation: str, what: str) -> OcsWriteNotApplied:
        method = self.methods[operation]
        OCS_ERRORS.labels(method, "write_not_applied").inc()
        return OcsWriteNotApplied(f"OCS {method} answered OK but {what}", method=method)

    def ping(self) -> bool:
        """Whether CGRateS answers (APIerSv1.Ping → "Pong"); never raises."""
        try:
            return self._call("ping", {}) == "Pong"
        except AppError:
            return False

    # -- accounts -------------------------------------------------------------------------------------------
    def get_account(self, account: str, *, tenant: str | None = None) -> OcsAccount | None:
        OCS_BALANCE_QUERIES.labels("account").inc()
        reply = self._call("get_account", {"Tenant": self._tenant(tenant), "Account": _required(account, "account")},
                           absent=None)
        return OcsAccount.from_reply(reply) if reply else None

    def require_account(self, account: str, *, tenant: str | None = None) -> OcsAccount:
        found = self.get_account(account, tenant=tenant)
        if found is None:
            raise OcsNotFound(f"OCS account {account} not found", code="ocs_account_not_found")
        return found

    def set_account(self, account: str, *, disabled: bool | None = None, allow_negative: bool | None = None,
                    action_plan_ids: Sequence[str] | None = None, action_plans_overwrite: bool = False,
                    reload_scheduler: bool = True, tenant: str | None = None) -> OcsAccount:
        """Create the account or update its options/plans (APIerSv2.SetAccount), then read it back."""
        arg: dict[str, Any] = {"Tenant": self._tenant(tenant), "Account": _required(account, "account"),
                               "ReloadScheduler": reload_scheduler}
        options = {name: value for name, value in (("AllowNegative", allow_negative), ("Disabled", disabled))
                   if value is not None}
        if options:
            arg["ExtraOptions"] = options
        if action_plan_ids is not None:
            arg["ActionPlanIDs"] = list(action_plan_ids)
            arg["ActionPlansOverwrite"] = action_plans_overwrite
        self._call("set_account", arg)
        stored = self.get_account(account, tenant=tenant)
        if stored is None:
            raise self._not_applied("set_account", f"account {account} does not exist afterwards")
        for label, wanted, actual in (("Disabled", disabled, stored.disabled),
                                      ("AllowNegative", allow_negative, stored.allow_negative)):
            if wanted is not None and actual != wanted:
                raise self._not_applied("set_account", f"account {account} still has {label}={actual}")
        if action_plan_ids:
            self._verify_plans_attached(account, action_plan_ids, tenant)
        return stored

    def create_account(self, account: str, *, allow_negative: bool = False, disabled: bool = False,
                       action_plan_ids: Sequence[str] = (), tenant: str | None = None) -> OcsAccount:
        """The provisioning form: `{ActionPlanIDs: [], ExtraOptions: {AllowNegative, Disabled}}`."""
        return self.set_account(account, allow_negative=allow_negative, disabled=disabled,
                                action_plan_ids=list(action_plan_ids), tenant=tenant)

    def disable_account(self, account: str, *, tenant: str | None = None) -> OcsAccount:
        """Suspend: the account is kept with `Disabled: true` (verified)."""
        self.require_account(account, tenant=tenant)
        return self.set_account(account, disabled=True, tenant=tenant)

    def enable_account(self, account: str, *, tenant: str | None = None) -> OcsAccount:
        self.require_account(account, tenant=tenant)
        return self.set_account(account, disabled=False, tenant=tenant)

    def remove_account(self, account: str, *, tenant: str | None = None) -> None:
        """Remove the account (also detaches it from every ActionPlan); removing a missing one is fine."""
        self._call("remove_account", {"Tenant": self._tenant(tenant), "Account": _required(account, "account"),
                                      "ReloadScheduler": True})
        if self.get_account(account, tenant=tenant) is not None:
            raise self._not_applied("remove_account", f"account {account} still exists")

    # -- balances -------------------------------------------------------------------------------------------
    def add_balance(self, account: str, balance_type: str, value: float, *, balance_id: str | None = None,
                    expiry_time: str | None = None, weight: float | None = None,
                    destination_ids: str | None = None, blocker: bool | None = None,
                    overwrite: bool = False, cdrlog: bool = False, create_account: bool = False,
                    tenant: str | None = None, **balance_fields: Any) -> OcsAccount:
        """`*topup` (or `*topup_reset` with overwrite) of `value` raw OCS units (bytes, ns, count, minor units).

        `balance_id` selects the balance to top up (created when missing). The account must exist unless
        `create_account` is set, because CGRateS would otherwise create one for a mistyped ID.
        """
        if not create_account:
            self.require_account(account, tenant=tenant)
        balance = _balance_fields(balance_id, expiry_time, weight, destination_ids, blocker, balance_fields)
        arg = {"Tenant": self._tenant(tenant), "Account": _required(account, "account"),
               "BalanceType": _required(balance_type, "balance_type"), "Value": value,
               "Balance": balance, "Overwrite": overwrite, "Cdrlog": cdrlog}
        self._call("add_balance", arg)
        return self._verify_balance(account, "add_balance", balance_type, balance_id, None, tenant)

    def debit_balance(self, account: str, balance_type: str, value: float, *, balance_id: str | None = None,
                      tenant: str | None = None) -> None:
        self.require_account(account, tenant=tenant)
        arg = {"Tenant": self._tenant(tenant), "Account": account,
               "BalanceType": _required(balance_type, "balance_type"), "Value": value,
               "Balance": _balance_fields(balance_id, None, None, None, None, {})}
        self._call("debit_balance", arg)

    def set_balance(self, account: str, balance_type: str, value: float, *, balance_id: str,
                    expiry_time: str | None = None, weight: float | None = None,
                    destination_ids: str | None = None, blocker: bool | None = None,
                    tenant: str | None = None, **balance_fields: Any) -> OcsAccount:
        """Create or overwrite the balance `balance_id` with exactly `value` (APIerSv1.SetBalance), verified."""
        self.require_account(account, tenant=tenant)
        balance = _balance_fields(_required(balance_id, "balance_id"), expiry_time, weight, destination_ids,
                                  blocker, balance_fields)
        arg = {"Tenant": self._tenant(tenant), "Account": account, "BalanceType": balance_type, "Value": value,
               "Balance": balance}
        self._call("set_balance", arg)
        return self._verify_balance(account, "set_balance", balance_type, balance_id, value, tenant)

    def remove_balance(self, account: str, balance_type: str, balance_id: str, *,
                       tenant: str | None = None) -> bool:
        """Remove a balance (e.g. a `Suspension_Blocker`); False when the account does not exist."""
        arg = {"Tenant": self._tenant(tenant), "Account": account, "BalanceType": balance_type,
               "Balance": {"ID": _required(balance_id, "balance_id")}}
        if self._call("remove_balances", arg, absent=False) is False:
            return False
        stored = self.get_account(account, tenant=tenant)
        if stored is not None and stored.balance(balance_id, balance_type) is not None:
            raise self._not_applied("remove_balances", f"balance {balance_id} is still on account {account}")
        return True

    def _verify_balance(self, account: str, operation: str, balance_type: str, balance_id: str | None,
                        value: float | None, tenant: str | None) -> OcsAccount:
        stored = self.get_account(account, tenant=tenant)
        if stored is None:
            raise self._not_applied(operation, f"account {account} does not exist afterwards")
        if balance_id is None:
            return stored
        balance = stored.balance(balance_id, balance_type)
        if balance is None:
            raise self._not_applied(operation, f"account {account} has no {balance_type} balance {balance_id}")
        if value is not None and not math.isclose(float(balance.get("Value") or 0), float(value),
                                                  rel_tol=1e-9, abs_tol=1e-6):
            raise self._not_applied(operation, f"balance {balance_id} holds {balance.get('Value')}, not {value}")
        return stored

    # -- actions --------------------------------------------------------------------------------------------
    def set_actions(self, actions_id: str, actions: Sequence[Mapping[str, Any]], *,
                    overwrite: bool = True) -> None:
        """Define an action set (APIerSv1.SetActions shape: numeric `Units`), verified by reading it back."""
        if not actions:
            raise field_error("actions", "at least one action is required")
        self._call("set_actions", {"ActionsId": _required(actions_id, "actions_id"), "Overwrite": overwrite,
                                   "Actions": [dict(action) for action in actions]})
        stored = self.get_actions(actions_id)
        if stored is None or len(stored) != len(actions):
            raise self._not_applied("set_actions", f"actions {actions_id} are not stored as sent")

    def get_actions(self, actions_id: str) -> list[dict[str, Any]] | None:
        return self._call("get_actions", _required(actions_id, "actions_id"), absent=None)

    def remove_actions(self, *actions_ids: str) -> None:
        self._call("remove_actions", {"ActionIDs": list(actions_ids)})

    def execute_action(self, account: str, actions_id: str, *, create_account: bool = False,
                       tenant: str | None = None) -> None:
        """Run an action set on an account now (e.g. `Action_<product_slug>` for an add-on).

        The account must exist unless `create_account` (CGRateS would silently create it).
        """
        if not create_account:
            self.require_account(account, tenant=tenant)
        self._call("execute_action", {"Tenant": self._tenant(tenant), "Account": account,
                                      "ActionsId": _required(actions_id, "actions_id")})

    # -- action plans ---------------------------------------------------------------------------------------
    def set_action_plan(self, plan_id: str, timings: Sequence[Mapping[str, Any]], *, overwrite: bool = False,
                        reload_scheduler: bool = True) -> dict[str, Any]:
        """Create (or with overwrite replace) an ActionPlan: timings `[{ActionsId, Time, Weight, ...}]`.

        Overwriting a plan detaches its accounts in CGRateS; attach them again with `attach_action_plans`.
        """
        OCS_ACTION_PLAN_OPS.labels("set").inc()
        if not timings:
            raise field_error("timings", "at least one timing is required")
        self._call("set_action_plan", {"Id": _required(plan_id, "plan_id"),
                                       "ActionPlan": [dict(timing) for timing in timings],
                                       "Overwrite": overwrite, "ReloadScheduler": reload_scheduler})
        stored = self.get_action_plan(plan_id)
        wanted = sorted(str(timing.get("ActionsId")) for timing in timings)
        if stored is None or sorted(_plan_actions_ids(stored)) != wanted:
            raise self._not_applied("set_action_plan", f"ActionPlan {plan_id} is not stored as sent")
        return stored

    def get_action_plan(self, plan_id: str) -> dict[str, Any] | None:
        OCS_ACTION_PLAN_OPS.labels("get").inc()
        plans = self._call("get_action_plan", {"ID": _required(plan_id, "plan_id")}, absent=None)
        return plans[0] if plans else None

    def list_action_plans(self) -> list[dict[str, Any]]:
        OCS_ACTION_PLAN_OPS.labels("list").inc()
        return self._call("get_action_plan", {"ID": "*"}, absent=[]) or []

    def remove_action_plan(self, plan_id: str) -> None:
        OCS_ACTION_PLAN_OPS.labels("remove").inc()
        self._call("remove_action_plan", {"ID": _required(plan_id, "plan_id")})
        if self.get_action_plan(plan_id) is not None:
            raise self._not_applied("remove_action_plan", f"ActionPlan {plan_id} still exists")

    def get_account_action_plans(self, account: str, *, tenant: str | None = None) -> list[dict[str, Any]]:
        """`[{ActionPlanId, Uuid, ActionsId, NextExecTime}]` for the account (enrich with
        `balances.enrich_action_plans`)."""
        OCS_ACTION_PLAN_OPS.labels("get_account").inc()
        return self._call("get_account_action_plan", {"Tenant": self._tenant(tenant), "Account": account},
                          absent=[]) or []

    def attach_action_plans(self, account: str, plan_ids: Sequence[str], *, overwrite: bool = False,
                            tenant: str | None = None) -> OcsAccount:
        OCS_ACTION_PLAN_OPS.labels("attach").inc()
        self.require_account(account, tenant=tenant)
        return self.set_account(account, action_plan_ids=plan_ids, action_plans_overwrite=overwrite, tenant=tenant)

    def detach_action_plan(self, account: str, plan_id: str, *, tenant: str | None = None) -> None:
        OCS_ACTION_PLAN_OPS.labels("detach").inc()
        self._call("remove_action_timing", {"ActionPlanId": _required(plan_id, "plan_id"),
                                            "Tenant": self._tenant(tenant), "Account": account,
                                            "ReloadScheduler": True})
        if plan_id in self._attached_plan_ids(account, tenant):
            raise self._not_applied("remove_action_timing", f"ActionPlan {plan_id} is still attached to {account}")

    def remove_account_action_plans(self, account: str, *, tenant: str | None = None) -> list[str]:
        """Deprovisioning: delete the CRM plans made for this service (`ServiceID_<account>__...`) and detach
        the account from shared plans. Returns the plan IDs dealt with."""
        handled = []
        for plan_id in self._attached_plan_ids(account, tenant):
            split = split_action_plan_id(plan_id)
            if split and split.get("ServiceID") == account:
                self.remove_action_plan(plan_id)
            else:
                self.detach_action_plan(account, plan_id, tenant=tenant)
            handled.append(plan_id)
        return handled

    def _attached_plan_ids(self, account: str, tenant: str | None) -> list[str]:
        rows = self.get_account_action_plans(account, tenant=tenant)
        return list(dict.fromkeys(str(row.get("ActionPlanId")) for row in rows))

    def _verify_plans_attached(self, account: str, plan_ids: Sequence[str], tenant: str | None) -> None:
        attached = set(self._attached_plan_ids(account, tenant))
        for plan_id in plan_ids:
            if plan_id in attached:
                continue
            plan = self.get_action_plan(plan_id)
            if plan is not None and _only_asap(plan):
                continue  # a plan of *asap timings runs once and is not attached
            raise self._not_applied("set_account", f"ActionPlan {plan_id} is not attached to {account}")

    def get_scheduled_actions(self, account: str | None = None, *, time_start: datetime | None = None,
                              time_end: datetime | None = None, limit: int | None = None,
                              offset: int | None = None, tenant: str | None = None) -> list[dict[str, Any]]:
        """What the scheduler will run: `[{NextRunTime, Accounts, ActionPlanID, ActionTimingUUID, ActionsID}]`,
        for one account or (without `account`) for every account."""
        arg: dict[str, Any] = {}
        if account is not None:
            arg.update(Tenant=self._tenant(tenant), Account=account)
        for key, value in (("TimeStart", iso_utc(time_start)), ("TimeEnd", iso_utc(time_end)),
                           ("Limit", limit), ("Offset", offset)):
            if value is not None:
                arg[key] = value
        return self._call("get_scheduled_actions", arg, absent=[]) or []

    # -- CDRs -----------------------------------------------------------------------------------------------
    def get_cdrs(self, account: str, *, page: int = 1, per_page: int = 20, newest_first: bool = True,
                 time_start: datetime | None = None, time_end: datetime | None = None,
                 tenant: str | None = None) -> CdrPage:
        """One page of the account's CDRs (CountCDRs for the total, then GetCDRs with Limit/Offset)."""
        if page < 1:
            raise field_error("page", "must be 1 or more")
        if not 1 <= per_page <= 100:
            raise field_error("per_page", "must be between 1 and 100")
        OCS_BALANCE_QUERIES.labels("cdrs").inc()
        query: dict[str, Any] = {"Tenants": [self._tenant(tenant)], "Accounts": [_required(account, "account")]}
        if time_start is not None:
            query["AnswerTimeStart"] = iso_utc(time_start)
        if time_end is not None:
            query["AnswerTimeEnd"] = iso_utc(time_end)
        total = int(self._call("count_cdrs", query, absent=0) or 0)
        items: list[dict[str, Any]] = []
        if total and (page - 1) * per_page < total:
            paged = {**query, "OrderBy": "AnswerTime;desc" if newest_first else "AnswerTime",
                     "Limit": per_page, "Offset": (page - 1) * per_page}
            items = self._call("get_cdrs", paged, absent=[]) or []
        return CdrPage(items=items, total=total, page=page, per_page=per_page)

    # -- attribute profiles and filters ---------------------------------------------------------------------
    def get_attribute_profile(self, profile_id: str, *, tenant: str | None = None) -> dict[str, Any] | None:
        return self._call("get_attribute_profile",
                          {"Tenant": self._tenant(tenant), "ID": _required(profile_id, "profile_id")}, absent=None)

    def get_account_attribute_profile(self, service_uuid: str, *, tenant: str | None = None) -> dict[str, Any] | None:
        return self.get_attribute_profile(account_attribute_profile_id(service_uuid), tenant=tenant)

    def set_attribute_profile(self, profile: Mapping[str, Any], *, tenant: str | None = None) -> dict[str, Any]:
        """Store an AttributeProfile `{ID, Contexts, FilterIDs, Attributes, Weight, ...}`, verified."""
        body = {**profile, "Tenant": profile.get("Tenant") or self._tenant(tenant)}
        profile_id = _required(str(body.get("ID") or ""), "ID")
        self._call("set_attribute_profile", body)
        stored = self.get_attribute_profile(profile_id, tenant=body["Tenant"])
        if stored is None or len(stored.get("Attributes") or []) != len(body.get("Attributes") or []):
            raise self._not_applied("set_attribute_profile", f"AttributeProfile {profile_id} is not stored as sent")
        return stored

    def remove_attribute_profile(self, profile_id: str, *, tenant: str | None = None) -> bool:
        """False when there was nothing to remove."""
        reply = self._call("remove_attribute_profile", {"Tenant": self._tenant(tenant), "ID": profile_id},
                           absent=False)
        return reply is not False

    def get_filter(self, filter_id: str, *, tenant: str | None = None) -> dict[str, Any] | None:
        return self._call("get_filter", {"Tenant": self._tenant(tenant), "ID": _required(filter_id, "filter_id")},
                          absent=None)

    def get_account_filter(self, service_uuid: str, *, tenant: str | None = None) -> dict[str, Any] | None:
        return self.get_filter(account_filter_id(service_uuid), tenant=tenant)

    def set_filter(self, filter_id: str, rules: Sequence[Mapping[str, Any]], *, tenant: str | None = None,
                   activation_interval: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Store a Filter with rules `[{Type, Element, Values}]`, verified by reading it back."""
        body: dict[str, Any] = {"Tenant": self._tenant(tenant), "ID": _required(filter_id, "filter_id"),
                                "Rules": [_filter_rule(rule) for rule in rules]}
        if activation_interval is not None:
            body["ActivationInterval"] = dict(activation_interval)
        self._call("set_filter", body)
        stored = self.get_filter(filter_id, tenant=tenant)
        if stored is None or [_filter_rule(rule) for rule in stored.get("Rules") or []] != body["Rules"]:
            raise self._not_applied("set_filter", f"Filter {filter_id} is not stored as sent")
        return stored

    def set_account_filter(self, service_uuid: str, rules: Sequence[Mapping[str, Any]], *,
                           tenant: str | None = None) -> dict[str, Any]:
        return self.set_filter(account_filter_id(service_uuid), rules, tenant=tenant)

    def remove_filter(self, filter_id: str, *, tenant: str | None = None) -> bool:
        reply = self._call("remove_filter", {"Tenant": self._tenant(tenant), "ID": filter_id}, absent=False)
        return reply is not False

    # -- caches ---------------------------------------------------------------------------------------------
    def reload_cache(self, *, tenant: str | None = None, **ids: Sequence[str]) -> None:
        """CacheSv1.ReloadCache, e.g. `reload_cache(ActionPlanIDs=["..."])` or `DestinationIDs=["*all"]`."""
        arg: dict[str, Any] = {"Tenant": self._tenant(tenant), "APIOpts": {}}
        arg.update({key: list(values) for key, values in ids.items()})
        self._call("reload_cache", arg)

    # -- the audited proxy ----------------------------------------------------------------------------------
    def call(self, method: str, params: Any = None, *, tenant: str | None = None) -> Any:
        """Call any method on `ocs.proxy_allowed_methods` (for `POST /crm/ocs/proxy`).

        `params` is the JSON-RPC params array or its single argument; a missing `Tenant` in an object argument
        is filled with `tenant` or the configured one. NOT_FOUND raises OcsNotFound (404).
        """
        canonical = canonical_method(method or "")
        if canonical not in self.proxy_allowed_methods:
            raise OcsMethodNotAllowed(f"OCS method {method!r} is not in ocs.proxy_allowed_methods",
                                      errors=[{"field": "method", "message": "not an allowed OCS method"}])
        arg = params[0] if isinstance(params, list) and len(params) == 1 else params
        if isinstance(params, list) and len(params) > 1:
            raise field_error("params", "CGRateS methods take exactly one argument")
        if arg is None:
            arg = {}
        if isinstance(arg, dict) and not arg.get("Tenant"):
            arg = {**arg, "Tenant": self._tenant(tenant)}
        return self.transport.invoke(canonical, arg, idempotent=is_read_method(canonical))


# --------------------------------------------------------------------------------------------------
# Payload helpers


def _required(value: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise field_error(name, "is required")
    return value


def _balance_fields(balance_id: str | None, expiry_time: str | None, weight: float | None,
                    destination_ids: str | None, blocker: bool | None, extra: Mapping[str, Any]) -> dict[str, Any]:
    fields = {"ID": balance_id, "ExpiryTime": expiry_time, "Weight": weight, "DestinationIDs": destination_ids,
              "Blocker": blocker}
    return {**{key: value for key, value in fields.items() if value is not None}, **extra}


def _filter_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    return {"Type": rule.get("Type", ""), "Element": rule.get("Element", ""), "Values": list(rule.get("Values") or [])}


def _plan_actions_ids(plan: Mapping[str, Any]) -> list[str]:
    return [str(timing.get("ActionsID") or timing.get("ActionsId")) for timing in plan.get("ActionTimings") or []]


def _only_asap(plan: Mapping[str, Any]) -> bool:
    timings = plan.get("ActionTimings") or []
    starts = [((timing.get("Timing") or {}).get("Timing") or {}).get("StartTime") for timing in timings]
    return bool(starts) and all(start == "*asap" for start in starts)
