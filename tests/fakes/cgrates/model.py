"""CGRateS data objects (accounts, balances, actions, action plans) and their wire shapes."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .gojson import GoMap, go_float, time_or_zero

BALANCE_TYPES = ("*monetary", "*voice", "*data", "*sms", "*generic")


def new_uuid() -> str:
    return str(uuid.uuid4())


def parse_string_map(text: str) -> dict[str, bool]:
    """``utils.ParseStringMap``: ``"A;!B"`` → {"A": True, "B": False}; ``*zero`` → {}."""
    if text == "*zero":
        return {}
    result: dict[str, bool] = {}
    for part in text.split(";"):
        part = part.strip()
        if part:
            if part.startswith("!"):
                result[part[1:]] = False
            else:
                result[part] = True
    return result


def string_map_text(mapping: dict[str, bool] | None) -> str:
    """``StringMap.String``: the keys joined by ``;``."""
    return ";".join(sorted(mapping or {}))


def prefixed_string_map_text(mapping: dict[str, bool] | None) -> str:
    return ";".join(key if enabled else "!" + key for key, enabled in sorted((mapping or {}).items()))


def includes(have: dict[str, bool], want: dict[str, bool]) -> bool:
    """``StringMap.Includes``."""
    return len(have) >= len(want) and all(have.get(key) for key in want)


@dataclass
class Balance:
    uuid: str = ""
    id: str = ""
    value: float = 0.0
    expiration: datetime | None = None
    weight: float = 0.0
    destination_ids: dict[str, bool] = field(default_factory=dict)
    rating_subject: str = ""
    categories: dict[str, bool] = field(default_factory=dict)
    shared_groups: dict[str, bool] = field(default_factory=dict)
    timing_ids: dict[str, bool] = field(default_factory=dict)
    disabled: bool = False
    blocker: bool = False
    factors: dict[str, float] | None = None

    def expired_at(self, moment: datetime) -> bool:
        return self.expiration is not None and self.expiration < moment

    def to_native(self) -> dict[str, Any]:
        return {
            "Uuid": self.uuid,
            "ID": self.id,
            "Value": self.value,
            "ExpirationDate": time_or_zero(self.expiration),
            "Weight": self.weight,
            "DestinationIDs": GoMap(self.destination_ids),
            "RatingSubject": self.rating_subject,
            "Categories": GoMap(self.categories),
            "SharedGroups": GoMap(self.shared_groups),
            "Timings": None,
            "TimingIDs": GoMap(self.timing_ids),
            "Disabled": self.disabled,
            "Factors": GoMap(self.factors) if self.factors is not None else None,
            "Blocker": self.blocker,
        }

    def to_old(self) -> dict[str, Any]:
        """The pre-v2 balance shape APIerSv1.GetAccount returns."""
        return {
            "Uuid": self.uuid,
            "Id": self.id,
            "Value": self.value,
            "ExpirationDate": time_or_zero(self.expiration),
            "Weight": self.weight,
            "DestinationIds": string_map_text(self.destination_ids),
            "RatingSubject": self.rating_subject,
            "Category": string_map_text(self.categories),
            "SharedGroup": string_map_text(self.shared_groups),
            "Timings": None,
            "TimingIDs": string_map_text(self.timing_ids),
            "Disabled": self.disabled,
        }


@dataclass
class BalanceFilter:
    """``engine.BalanceFilter``: every attribute optional (None = not given)."""

    uuid: str | None = None
    id: str | None = None
    type: str | None = None
    value: float | None = None
    expiration: datetime | None = None
    has_expiration: bool = False  # a zero expiration (``*unlimited``) is still "given"
    weight: float | None = None
    destination_ids: dict[str, bool] | None = None
    rating_subject: str | None = None
    categories: dict[str, bool] | None = None
    shared_groups: dict[str, bool] | None = None
    timing_ids: dict[str, bool] | None = None
    disabled: bool | None = None
    blocker: bool | None = None
    factors: dict[str, float] | None = None

    def set_expiration(self, moment: datetime | None) -> None:
        self.expiration = moment
        self.has_expiration = True

    def create_balance(self) -> Balance:
        return Balance(
            uuid=self.uuid or "",
            id=self.id or "",
            value=self.value or 0.0,
            expiration=self.expiration,
            weight=self.weight or 0.0,
            destination_ids=dict(self.destination_ids or {}),
            rating_subject=self.rating_subject or "",
            categories=dict(self.categories or {}),
            shared_groups=dict(self.shared_groups or {}),
            timing_ids=dict(self.timing_ids or {}),
            disabled=bool(self.disabled),
            blocker=bool(self.blocker),
            factors=dict(self.factors) if self.factors is not None else None,
        )

    def matches(self, balance: Balance, balance_type: str = "") -> bool:
        """``Balance.MatchFilter`` (ids win, then expiry, then the other attributes)."""
        if balance_type and self.type and balance_type != self.type:
            return False
        if self.uuid:
            return balance.uuid == self.uuid
        if self.id:
            return balance.id == self.id
        if self.has_expiration and balance.expiration != self.expiration:
            return False
        return (
            (self.weight is None or balance.weight == self.weight)
            and (self.blocker is None or balance.blocker == self.blocker)
            and (self.disabled is None or balance.disabled == self.disabled)
            and (self.destination_ids is None or includes(balance.destination_ids, self.destination_ids))
            and (self.categories is None or includes(balance.categories, self.categories))
            and (self.timing_ids is None or includes(balance.timing_ids, self.timing_ids))
            and (self.shared_groups is None or includes(balance.shared_groups, self.shared_groups))
            and (self.rating_subject is None or balance.rating_subject == self.rating_subject)
        )

    def modify(self, balance: Balance) -> None:
        """``BalanceFilter.ModifyBalance``: copy every given attribute onto the balance."""
        for attr in ("id", "value", "rating_subject", "weight", "disabled", "blocker"):
            given = getattr(self, attr)
            if given is not None:
                setattr(balance, attr, given)
        for attr in ("categories", "destination_ids", "shared_groups", "timing_ids"):
            given = getattr(self, attr)
            if given is not None:
                setattr(balance, attr, dict(given))
        if self.has_expiration:
            balance.expiration = self.expiration
        if self.factors is not None:
            balance.factors = dict(self.factors)

    def to_native(self) -> dict[str, Any]:
        def opt_map(mapping: dict[str, bool] | None) -> GoMap | None:
            return GoMap(mapping) if mapping is not None else None

        return {
            "Uuid": self.uuid,
            "ID": self.id,
            "Type": self.type,
            "Value": None if self.value is None else {"Method": "", "Params": None, "Static": self.value},
            "ExpirationDate": time_or_zero(self.expiration) if self.has_expiration else None,
            "Weight": self.weight,
            "DestinationIDs": opt_map(self.destination_ids),
            "RatingSubject": self.rating_subject,
            "Categories": opt_map(self.categories),
            "SharedGroups": opt_map(self.shared_groups),
            "TimingIDs": opt_map(self.timing_ids),
            "Timings": None,
            "Disabled": self.disabled,
            "Factors": self.factors,
            "Blocker": self.blocker,
        }


@dataclass
class Account:
    id: str  # "<tenant>:<account>"
    balance_map: dict[str, list[Balance]] | None = None
    action_triggers: list[dict[str, Any]] | None = None
    allow_negative: bool = False
    disabled: bool = False
    update_time: datetime | None = None

    @property
    def tenant(self) -> str:
        return self.id.split(":", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split(":", 1)[1] if ":" in self.id else ""

    def balances(self, balance_type: str) -> list[Balance]:
        if self.balance_map is None:
            self.balance_map = {}
        return self.balance_map.setdefault(balance_type, [])

    def all_balances(self) -> list[tuple[str, Balance]]:
        return [(kind, b) for kind, chain in (self.balance_map or {}).items() for b in chain]

    def to_native(self) -> dict[str, Any]:
        balance_map = None
        if self.balance_map is not None:
            balance_map = GoMap({kind: [b.to_native() for b in chain] for kind, chain in self.balance_map.items()})
        return {
            "ID": self.id,
            "BalanceMap": balance_map,
            "UnitCounters": None,
            "ActionTriggers": copy.deepcopy(self.action_triggers),
            "AllowNegative": self.allow_negative,
            "Disabled": self.disabled,
            "UpdateTime": time_or_zero(self.update_time),
        }

    def to_old(self) -> dict[str, Any]:
        """``Account.AsOldStructure``: ``*out:`` id prefix and ``*out`` appended to balance types."""
        old_map = GoMap(
            {kind + "*out": [b.to_old() for b in chain] for kind, chain in (self.balance_map or {}).items() if chain}
        )
        return {
            "Id": "*out:" + self.id,
            "BalanceMap": old_map,
            "UnitCounters": [],
            "ActionTriggers": [],
            "AllowNegative": self.allow_negative,
            "Disabled": self.disabled,
        }


@dataclass
class Action:
    id: str
    action_type: str
    extra_parameters: str = ""
    filters: list[str] | None = None
    expiration_string: str = ""
    weight: float = 0.0
    balance: BalanceFilter | None = None

    def to_native(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "ActionType": self.action_type,
            "ExtraParameters": self.extra_parameters,
            "Filters": self.filters,
            "ExpirationString": self.expiration_string,
            "Weight": self.weight,
            "Balance": self.balance.to_native() if self.balance else None,
        }

    def to_tp_action(self) -> dict[str, Any]:
        """The ``utils.TPAction`` shape of APIerSv1.GetActions (numbers rendered as strings)."""
        bal = self.balance
        tp = {
            "Identifier": self.action_type,
            "BalanceId": "",
            "BalanceUuid": "",
            "BalanceType": "",
            "Units": "",
            "ExpiryTime": self.expiration_string,
            "Filters": ";".join(self.filters or []),
            "TimingTags": "",
            "DestinationIds": "",
            "RatingSubject": "",
            "Categories": "",
            "SharedGroups": "",
            "BalanceWeight": "",
            "ExtraParameters": self.extra_parameters,
            "BalanceBlocker": "",
            "BalanceDisabled": "",
            "Weight": self.weight,
        }
        if bal is not None:
            tp.update(
                BalanceType=bal.type or "",
                Units=go_float(bal.value or 0.0),
                DestinationIds=prefixed_string_map_text(bal.destination_ids),
                RatingSubject=bal.rating_subject or "",
                SharedGroups=string_map_text(bal.shared_groups),
                BalanceWeight=go_float(bal.weight or 0.0),
                TimingTags=string_map_text(bal.timing_ids),
                BalanceId=bal.id or "",
                Categories=string_map_text(bal.categories),
                BalanceBlocker="true" if bal.blocker else "false",
                BalanceDisabled="true" if bal.disabled else "false",
            )
        return tp


@dataclass
class ActionTiming:
    uuid: str
    timing: dict[str, Any]
    actions_id: str
    weight: float
    one_shot_at: datetime | None = None  # cached time of a "+duration" timing

    def to_native(self) -> dict[str, Any]:
        return {
            "Uuid": self.uuid,
            "Timing": {"Timing": self.timing, "Rating": None, "Weight": 0},
            "ActionsID": self.actions_id,
            "ExtraData": None,
            "Weight": self.weight,
        }


@dataclass
class ActionPlan:
    id: str
    account_ids: dict[str, bool] | None = None
    action_timings: list[ActionTiming] = field(default_factory=list)

    def to_native(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "AccountIDs": GoMap(self.account_ids) if self.account_ids is not None else None,
            "ActionTimings": [at.to_native() for at in self.action_timings],
        }
