"""Human-readable OCS balances and ActionPlans (pure functions, no I/O).

Balance enrichment follows seed-extract-2 §4.6 and §7.3-7.4 and seed-extract-4 §11.4-11.5:

- A balance ID is `{descriptive_name}__{original_size}` (SPEC D12); `ID_hr` is the name with spaces and
  `OriginalValue` the size, so the UI can show "X of Y". A unique-per-purchase suffix after the size
  (`Data_5days__5368709120_ab12cd34`) is allowed.
- Units: `*data` bytes → GB (1024³), `*voice` nanoseconds → minutes, `*sms` a count → msgs, `*monetary`
  minor units → money (÷ `monetary_scale`, Decimal, the deployment currency).
- `PercentUsed = (original - value) / original * 100`; a rollover (`*topup` onto a balance with units
  left) makes the value exceed the original, so PercentUsed goes negative and `Remaining_hr` says how much
  rolled over: "6 GB of 5 GB (1 GB rolled over)".
- "Unlimited" voice/SMS is the seed's sentinel 999,999,999.

ActionPlans (CGRateS `GetAccountActionPlan` rows) get `ActionPlanId_split_dict` parsed from
`ServiceID_{uuid}__ProductID_{id}__CustomerID_{id}[__Suffix]`, `NextExecTime` in ISO 8601 UTC and
`custom_NextExecTime_hr` ("in 11 days").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DATA, VOICE, SMS, MONETARY = "*data", "*voice", "*sms", "*monetary"
BYTES_PER_GB = 1024**3
NS_PER_MINUTE = 60 * 10**9
UNLIMITED = 999_999_999
SIZE_SEPARATOR = "__"

_CURRENCY_SYMBOLS = {
    "AUD": "$", "USD": "$", "NZD": "$", "CAD": "$", "SGD": "$", "HKD": "$", "GBP": "£", "EUR": "€",
    "JPY": "¥", "INR": "₹", "ZAR": "R", "PHP": "₱", "NGN": "₦", "KES": "KSh ", "BRL": "R$",
}  # fmt: skip
_ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"}
_LEADING_DIGITS = re.compile(r"\d+")
_GO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
_TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class DisplaySettings:
    """What the enrichment needs from the configuration: the currency and the OCS monetary scale."""

    currency: str = "AUD"
    monetary_scale: int = 100
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


# --------------------------------------------------------------------------------------------------
# Balance IDs and units


def parse_balance_id(balance_id: str) -> tuple[str, int | None]:
    """(`ID_hr`, original size) from `AU_Data_Domestic__107374182400` → ("AU Data Domestic", 107374182400)."""
    name, separator, rest = (balance_id or "").partition(SIZE_SEPARATOR)
    size_match = _LEADING_DIGITS.match(rest) if separator else None
    label = name.replace("_", " ").strip() or (balance_id or "")
    return label, int(size_match.group()) if size_match else None


def is_unlimited(balance_type: str, value: float | int | Decimal) -> bool:
    if balance_type == SMS:
        return value >= UNLIMITED
    if balance_type == VOICE:
        # The seed provisions "unlimited" voice as the bare count 999999999 (not in nanoseconds).
        return value == UNLIMITED or value >= UNLIMITED * NS_PER_MINUTE
    return False


def money_from_ocs(value: float | int | Decimal, settings: DisplaySettings) -> Decimal:
    """An OCS monetary value (minor units) as an amount of the deployment currency."""
    places = Decimal(1) if settings.currency in _ZERO_DECIMAL_CURRENCIES else _TWO_PLACES
    return (_decimal(value) / settings.monetary_scale).quantize(places, rounding=ROUND_HALF_UP)


def money_to_ocs(amount: Decimal, monetary_scale: int) -> int:
    """An amount of money as OCS minor units: Decimal("50.00") → 5000 with the default scale of 100."""
    return int((amount * monetary_scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_money(amount: Decimal, currency: str) -> str:
    symbol = _CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,}"


def format_quantity(balance_type: str, value: float | int | Decimal, settings: DisplaySettings) -> str:
    """A raw OCS quantity in the unit people use for that balance type."""
    if balance_type == DATA:
        return f"{_plain(_decimal(value) / BYTES_PER_GB)} GB"
    if balance_type == VOICE:
        return f"{_plain(_decimal(value) / NS_PER_MINUTE)} min"
    if balance_type == SMS:
        return f"{_plain(_decimal(value))} msgs"
    if balance_type == MONETARY:
        return format_money(money_from_ocs(value, settings), settings.currency)
    return _plain(_decimal(value))


def _unlimited_fields(balance_type: str) -> dict[str, Any]:
    remaining = {VOICE: "Unlimited minutes", SMS: "Unlimited messages"}.get(balance_type, "Unlimited")
    return {"Value_hr": "Unlimited", "Remaining_hr": remaining, "PercentUsed": 0}


def _decimal(value: float | int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _plain(number: Decimal) -> str:
    """Two decimals at most, no trailing zeros: 12.5, 100, 0.47."""
    rounded = number.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --------------------------------------------------------------------------------------------------
# Times


def parse_go_time(text: Any) -> datetime | None:
    """A CGRateS (Go) timestamp as an aware UTC datetime; Go's zero time and empty values mean None."""
    if isinstance(text, datetime):
        moment = text if text.tzinfo else text.replace(tzinfo=UTC)
    elif isinstance(text, str) and (match := _GO_TIME.match(text.strip())):
        base, fraction, zone = match.groups()
        micro = (fraction or ".0")[1:7].ljust(6, "0")
        offset = "+00:00" if zone in (None, "Z") else zone
        moment = datetime.fromisoformat(f"{base.replace(' ', 'T')}.{micro}{offset}")
    else:
        return None
    return None if moment.year <= 1 else moment.astimezone(UTC)


def iso_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def human_datetime(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return f"{utc:%b} {utc.day}, {utc.year} {utc:%H:%M} UTC"


def human_until(moment: datetime, now: datetime) -> str:
    """"in 11 days", "in 5 hours", "in 1 minute", "now", "3 days ago"."""
    seconds = (moment - now).total_seconds()
    magnitude = abs(seconds)
    if magnitude < 60:
        return "now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if magnitude >= size:
            count = int(magnitude // size)
            phrase = f"{count} {unit}{'' if count == 1 else 's'}"
            return f"in {phrase}" if seconds > 0 else f"{phrase} ago"
    return "now"  # pragma: no cover - the loop always returns for magnitude >= 60


def _balance_expiry(balance: Mapping[str, Any]) -> datetime | None:
    raw = balance.get("ExpirationDate", balance.get("ExpiryTime"))
    return parse_go_time(raw)


# --------------------------------------------------------------------------------------------------
# Balances


def enrich_balance(balance: Mapping[str, Any], balance_type: str, settings: DisplaySettings) -> dict[str, Any]:
    """The balance with the `_hr` fields of seed-extract-2 §4.6 added (the raw fields are kept)."""
    enriched = dict(balance)
    balance_id = str(balance.get("ID") or balance.get("Id") or "")
    label, original = parse_balance_id(balance_id)
    value = _decimal(balance.get("Value") or 0)
    expiry = _balance_expiry(balance)
    enriched.update(
        ID_hr=label,
        OriginalValue=original,
        OriginalValue_hr=_original_hr(balance_type, original, settings),
        Value_hr=format_quantity(balance_type, value, settings),
        ExpiryTime=iso_utc(expiry),
        ExpiryTime_hr=human_datetime(expiry) if expiry else "No expiry",
        Unlimited=is_unlimited(balance_type, value),
    )
    enriched.update(_progress(balance_type, value, original, enriched["Value_hr"], settings))
    return enriched


def _original_hr(balance_type: str, original: int | None, settings: DisplaySettings) -> str | None:
    if original is None:
        return None
    return "Unlimited" if is_unlimited(balance_type, original) else format_quantity(balance_type, original, settings)


def _progress(balance_type: str, value: Decimal, original: int | None, value_hr: str,
              settings: DisplaySettings) -> dict[str, Any]:
    """`Remaining_hr` and `PercentUsed` for a balance (or a total) holding `value` of `original`."""
    if is_unlimited(balance_type, value):
        return _unlimited_fields(balance_type)
    if not original:
        suffix = "credit" if balance_type == MONETARY else "remaining"
        return {"Remaining_hr": f"{value_hr} {suffix}", "PercentUsed": None}
    original_hr = format_quantity(balance_type, original, settings)
    remaining = f"{value_hr} of {original_hr}"
    if value > original:
        rolled = format_quantity(balance_type, value - original, settings)
        remaining += f" ({rolled} rolled over)"
    percent = ((original - value) / original * 100).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)
    return {"Remaining_hr": remaining, "PercentUsed": _number(percent)}


def enrich_balance_map(balance_map: Mapping[str, Iterable[Mapping[str, Any]]] | None,
                       settings: DisplaySettings) -> dict[str, list[dict[str, Any]]]:
    """Every balance of a CGRateS `BalanceMap` enriched, heaviest (consumed first) first."""
    result: dict[str, list[dict[str, Any]]] = {}
    for balance_type, balances in (balance_map or {}).items():
        enriched = [enrich_balance(balance, balance_type, settings) for balance in balances or []]
        enriched.sort(key=lambda item: -(item.get("Weight") or 0))
        result[balance_type] = enriched
    return result


def _is_active(balance: Mapping[str, Any], now: datetime) -> bool:
    expiry = _balance_expiry(balance)
    return not balance.get("Disabled") and (expiry is None or expiry > now)


def balance_totals(balance_map: Mapping[str, Iterable[Mapping[str, Any]]] | None,
                   settings: DisplaySettings) -> dict[str, dict[str, Any]]:
    """Per balance type: what is left across the active (enabled, unexpired) balances, e.g. "17.5 GB"."""
    totals: dict[str, dict[str, Any]] = {}
    for balance_type, balances in (balance_map or {}).items():
        active = [b for b in balances or [] if _is_active(b, settings.now)]
        value = sum((_decimal(b.get("Value") or 0) for b in active), Decimal(0))
        sizes = [parse_balance_id(str(b.get("ID") or b.get("Id") or ""))[1] for b in active]
        original = sum(size for size in sizes if size) if sizes and all(sizes) else None
        unlimited = any(is_unlimited(balance_type, _decimal(b.get("Value") or 0)) for b in active)
        value_hr = format_quantity(balance_type, value, settings)
        total: dict[str, Any] = {
            "Count": len(active),
            "Value": _number(value),
            "Value_hr": value_hr,
            "OriginalValue": original,
            "OriginalValue_hr": _original_hr(balance_type, original, settings),
            "Unlimited": unlimited,
        }
        if unlimited:
            total.update(_unlimited_fields(balance_type))
        else:
            total.update(_progress(balance_type, value, original, value_hr, settings))
        totals[balance_type] = total
    return totals


def enrich_account(account: Mapping[str, Any], settings: DisplaySettings) -> dict[str, Any]:
    """`{BalanceMap, BalanceTotals, Disabled, AllowNegative}` for the service view's `cgrates` block."""
    balance_map = account.get("BalanceMap") or {}
    return {
        "BalanceMap": enrich_balance_map(balance_map, settings),
        "BalanceTotals": balance_totals(balance_map, settings),
        "Disabled": bool(account.get("Disabled")),
        "AllowNegative": bool(account.get("AllowNegative")),
    }


# --------------------------------------------------------------------------------------------------
# ActionPlans

_PLAN_ID_KEYS = ("ServiceID", "ProductID", "CustomerID")


def split_action_plan_id(plan_id: str) -> dict[str, Any] | None:
    """`ServiceID_abc__ProductID_456__CustomerID_789__MonthlyRenewal` →
    {"ServiceID": "abc", "ProductID": 456, "CustomerID": 789, "Suffix": "MonthlyRenewal"};
    None when the ID does not follow the CRM convention (a plan made outside the CRM)."""
    parsed: dict[str, Any] = {}
    suffix: list[str] = []
    for part in (plan_id or "").split(SIZE_SEPARATOR):
        key = next((k for k in _PLAN_ID_KEYS if part.startswith(k + "_") and k not in parsed), None)
        if key is None:
            suffix.append(part)
            continue
        raw = part[len(key) + 1 :]
        parsed[key] = int(raw) if key != "ServiceID" and raw.isdigit() else raw
    if "ServiceID" not in parsed:
        return None
    if suffix:
        parsed["Suffix"] = SIZE_SEPARATOR.join(suffix)
    return parsed


def enrich_action_plans(timings: Iterable[Mapping[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """GetAccountActionPlan rows with the split ID and the next run in ISO and in words, soonest first."""
    enriched = []
    for timing in timings:
        item = dict(timing)
        plan_id = str(timing.get("ActionPlanId") or timing.get("ActionPlanID") or "")
        next_run = parse_go_time(timing.get("NextExecTime"))
        item.update(
            ActionPlanId=plan_id,
            ActionPlanId_split_dict=split_action_plan_id(plan_id),
            NextExecTime=iso_utc(next_run),
            custom_NextExecTime_hr=human_until(next_run, now) if next_run else "Not scheduled",
        )
        enriched.append(item)
    far_future = datetime.max.replace(tzinfo=UTC)
    enriched.sort(key=lambda item: parse_go_time(item["NextExecTime"]) or far_future)
    return enriched
