"""The CGRateS fake's data store and execution engine: accounts, actions, action plans, the scheduler queue,
CDRs and profiles, plus ``ActionTiming.Execute`` semantics (engine/action_plan.go).

All methods expect the caller to hold the server lock.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import timing as timing_mod
from .actions import ACTION_FUNCS
from .errors import PARTIALLY_EXECUTED, ActionFailed, RPCError, not_found
from .gotime import GoTimeError, parse_time_detect_layout
from .model import Account, Action, ActionPlan, ActionTiming, Balance, BalanceFilter, new_uuid

ACCOUNT_ACTIONS = {
    "*topup",
    "*debit",
    "*reset_triggers",
    "*set_recurrent",
    "*unset_recurrent",
    "*allow_negative",
    "*deny_negative",
    "*reset_account",
    "*topup_reset",
    "*debit_reset",
    "*transfer_balance",
    "*reset_counters",
    "*enable_account",
    "*disable_account",
    "*transfer_monetary_default",
    "*publish_account",
    "*cdr_account",
    "*set_balance",
    "*remove_balance",
}


class Clock:
    """Wall-clock time plus an adjustable offset, so tests can move the fake into the future."""

    def __init__(self) -> None:
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def set(self, moment: datetime) -> None:
        self._offset = moment - datetime.now(UTC)

    def reset(self) -> None:
        self._offset = timedelta(0)


@dataclass
class HttpPost:
    """One ``*http_post`` action: recorded always, delivered after the call unless delivery is off."""

    url: str
    body: str
    actions_id: str
    account_id: str | None
    time: datetime
    delivered: bool = False
    status: int | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "body": self.body,
            "actions_id": self.actions_id,
            "account_id": self.account_id,
            "time": self.time.isoformat(),
            "delivered": self.delivered,
            "status": self.status,
            "error": self.error,
        }


@dataclass
class Run:
    """Shared state of one execution over one account (``SharedActionsData``)."""

    actions: list[Action]
    ref_time: datetime
    extra_data: Any
    actions_id: str
    index: int = 0
    balance_values: dict[int, float] = field(default_factory=dict)
    removed: dict[int, list[tuple[str, Balance]]] = field(default_factory=dict)


@dataclass
class QueuedTiming:
    """An entry of the scheduler queue: the timing plus the accounts copied from its plan at reload."""

    plan_id: str
    timing: ActionTiming
    account_ids: dict[str, bool]
    next_run: datetime | None = None


class Engine:
    def __init__(self, clock: Clock, *, default_tenant: str = "cgrates.org", cdrlog_enabled: bool = True) -> None:
        self.clock = clock
        self.default_tenant = default_tenant
        self.cdrlog_enabled = cdrlog_enabled
        self.rounding_decimals = 5
        self.reset()

    def reset(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.actions: dict[str, list[Action]] = {}
        self.action_plans: dict[str, ActionPlan] = {}
        self.account_action_plans: dict[str, list[str]] = {}
        self.action_triggers: dict[str, list[dict[str, Any]]] = {}
        self.tasks: list[dict[str, str]] = []
        self.queue: list[QueuedTiming] = []
        self.cdrs: list[dict[str, Any]] = []
        self.attribute_profiles: dict[tuple[str, str], dict[str, Any]] = {}
        self.filters: dict[tuple[str, str], dict[str, Any]] = {}
        self.tp: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        self.destinations: dict[str, list[str]] = {}
        self.http_posts: list[HttpPost] = []
        self.pending_posts: list[HttpPost] = []
        self.logs: list[dict[str, Any]] = []
        self.cache_reloads: list[dict[str, Any]] = []
        self.executions: list[dict[str, Any]] = []
        self.scheduler_reloads = 0
        self._order_ids = itertools.count(1)

    def now(self) -> datetime:
        return self.clock.now()

    def tenant(self, tenant: str) -> str:
        return tenant or self.default_tenant

    def account_key(self, tenant: str, account: str) -> str:
        return f"{self.tenant(tenant)}:{account}"

    def round_value(self, value: float) -> float:
        """``Balance.SetValue`` rounds to general.rounding_decimals (5), half away from zero."""
        quantum = Decimal(1).scaleb(-self.rounding_decimals)
        return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))

    # -- accounts -----------------------------------------------------------------------------------------
    def load_account(self, key: str) -> Account:
        account = self.accounts.get(key)
        if account is None:
            raise not_found()
        return copy.deepcopy(account)

    def save_account(self, account: Account) -> None:
        account.update_time = self.now()
        self.accounts[account.id] = copy.deepcopy(account)

    def ensure_account(self, key: str) -> None:
        if key not in self.accounts:
            self.save_account(Account(id=key))

    def plans_of(self, key: str) -> list[str]:
        return list(self.account_action_plans.get(key, []))

    def set_plans_of(self, key: str, plan_ids: list[str]) -> None:
        if plan_ids:
            self.account_action_plans[key] = list(plan_ids)
        else:
            self.account_action_plans.pop(key, None)

    def remove_plans_of(self, key: str, plan_ids: list[str] | None = None) -> None:
        if plan_ids is None:
            self.account_action_plans.pop(key, None)
            return
        self.set_plans_of(key, [p for p in self.plans_of(key) if p not in plan_ids])

    def detach_account_everywhere(self, key: str) -> None:
        for plan in self.action_plans.values():
            if plan.account_ids and key in plan.account_ids:
                del plan.account_ids[key]
        self.remove_plans_of(key)

    # -- action execution (ActionTiming.Execute) ---------------------------------------------------------
    def actions_for(self, actions_id: str) -> list[Action]:
        if actions_id == "*log":
            return [Action(id="*log", action_type="*log")]
        actions = self.actions.get(actions_id)
        if actions is None:
            raise not_found()
        return copy.deepcopy(actions)

    def execute(
        self,
        actions_id: str,
        account_ids: list[str],
        *,
        extra_data: Any = None,
        actions: list[Action] | None = None,
        origin: str = "*apier",
    ) -> None:
        """Run an action set on accounts; raises PARTIALLY_EXECUTED if any account's run failed."""
        acts = actions if actions is not None else self.actions_for(actions_id)
        acts = sorted(acts, key=lambda act: -act.weight)
        self.executions.append(
            {"actions_id": actions_id, "accounts": list(account_ids), "origin": origin, "time": self.now()}
        )
        failed = False
        for account_id in account_ids:
            if not self._execute_on_account(account_id, acts, actions_id, extra_data):
                failed = True
        if not account_ids and not self._execute_without_account(acts, actions_id, extra_data):
            failed = True
        if failed:
            raise RPCError(PARTIALLY_EXECUTED)

    def _execute_on_account(self, account_id: str, acts: list[Action], actions_id: str, extra: Any) -> bool:
        existing = self.accounts.get(account_id)
        account = copy.deepcopy(existing) if existing else Account(id=account_id)
        run = Run(
            actions=[copy.deepcopy(a) for a in acts],
            ref_time=self.now(),
            extra_data=extra,
            actions_id=actions_id,
        )
        removed_account = False
        for index, act in enumerate(run.actions):
            run.index = index
            self._prepare_action(act)
            function = ACTION_FUNCS.get(act.action_type)
            if function is None:
                return False  # unknown action type: aborted, nothing saved
            try:
                function(self, account, act, run)
            except ActionFailed as exc:
                self.logs.append({"level": "error", "message": f"Error executing action {act.action_type}: {exc}"})
                return False
            removed_account = removed_account or act.action_type == "*remove_account"
        if not removed_account:
            self.save_account(account)
        return True

    def _execute_without_account(self, acts: list[Action], actions_id: str, extra: Any) -> bool:
        run = Run(actions=acts, ref_time=self.now(), extra_data=extra, actions_id=actions_id)
        for index, act in enumerate(acts):
            run.index = index
            if act.action_type in ACCOUNT_ACTIONS:
                continue
            function = ACTION_FUNCS.get(act.action_type)
            if function is None:
                return False
            try:
                function(self, None, act, run)
            except ActionFailed:
                return False
        return True

    def _prepare_action(self, act: Action) -> None:
        if act.balance is None:
            act.balance = BalanceFilter()
        # An ExpiryTime that does not parse (e.g. "+5d") is silently ignored, as in CGRateS.
        if act.expiration_string:
            with contextlib.suppress(GoTimeError):
                act.balance.set_expiration(parse_time_detect_layout(act.expiration_string, self.now()))

    # -- scheduler ----------------------------------------------------------------------------------------
    def push_asap_tasks(self, plan: ActionPlan, account_id: str) -> int:
        pushed = 0
        for at in plan.action_timings:
            if timing_mod.is_asap(at.timing):
                self.tasks.append({"Uuid": new_uuid(), "AccountID": account_id, "ActionsID": at.actions_id})
                pushed += 1
        return pushed

    def reload_scheduler(self) -> None:
        """``Scheduler.Reload``: run the queued tasks, then rebuild the queue from the stored plans."""
        self.scheduler_reloads += 1
        tasks, self.tasks = self.tasks, []
        for task in tasks:
            with contextlib.suppress(RPCError):
                self.execute(task["ActionsID"], [task["AccountID"]], origin="*scheduler")
        now = self.now()
        queue = []
        for plan in self.action_plans.values():
            for at in plan.action_timings:
                if timing_mod.is_asap(at.timing):
                    continue
                entry = QueuedTiming(plan.id, copy.deepcopy(at), dict(plan.account_ids or {}))
                entry.next_run = self.next_start(entry.timing, now)
                if entry.next_run is None or entry.next_run < now:
                    continue
                queue.append(entry)
        self.queue = self._sorted_queue(queue)

    def next_start(self, at: ActionTiming, ref: datetime) -> datetime | None:
        if timing_mod.is_one_shot(at.timing):
            if at.one_shot_at is None:
                at.one_shot_at = timing_mod.one_shot_time(at.timing, self.now())
            return at.one_shot_at
        return timing_mod.next_start_time(at.timing, ref)

    @staticmethod
    def _sorted_queue(queue: list[QueuedTiming]) -> list[QueuedTiming]:
        far = datetime.max.replace(tzinfo=UTC)
        return sorted(queue, key=lambda e: (e.next_run or far, -e.timing.weight))

    def run_due(self, until: datetime) -> int:
        """The scheduler loop up to ``until``: each due timing runs at its own time, then is re-queued."""
        executed = 0
        while self.queue and self.queue[0].next_run is not None and self.queue[0].next_run <= until:
            entry = self.queue.pop(0)
            self.clock.set(max(entry.next_run, self.now()))
            self._run_queued(entry)
            executed += 1
            if not timing_mod.is_one_shot(entry.timing.timing):
                following = self.now() + timedelta(seconds=1)
                entry.next_run = self.next_start(entry.timing, following)
                if entry.next_run is not None and entry.next_run >= following:
                    self.queue = self._sorted_queue([*self.queue, entry])
        if self.now() < until:
            self.clock.set(until)
        return executed

    def _run_queued(self, entry: QueuedTiming) -> None:
        try:
            self.execute(entry.timing.actions_id, list(entry.account_ids), origin="*scheduler")
        except RPCError as exc:
            self.logs.append({"level": "error", "message": f"scheduled {entry.timing.actions_id}: {exc}"})

    # -- CDRs ---------------------------------------------------------------------------------------------
    def store_cdr(self, cdr: dict[str, Any]) -> dict[str, Any]:
        stored = dict(cdr)
        stored["OrderID"] = stored.get("OrderID") or next(self._order_ids)
        stored.setdefault("_created", self.now())
        self.cdrs.append(stored)
        return stored

    # -- posts and logs -----------------------------------------------------------------------------------
    def record_http_post(self, url: str, body: str, actions_id: str, account_id: str | None) -> None:
        post = HttpPost(url, body, actions_id, account_id, self.now())
        self.http_posts.append(post)
        self.pending_posts.append(post)

    def take_pending_posts(self) -> list[HttpPost]:
        posts, self.pending_posts = self.pending_posts, []
        return posts
