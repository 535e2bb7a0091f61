"""CGRateS's loose converters for ``map[string]any`` input (utils/reflect.go) and ``NewBalanceFilter``."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from .errors import RPCError
from .gojson import go_sprint
from .gotime import GoTimeError, parse_duration, parse_time_detect_layout
from .model import BalanceFilter, parse_string_map

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def format_float_f(number: float) -> str:
    """``strconv.FormatFloat(f, 'f', -1, 64)``: positional, shortest."""
    if number.is_integer():
        return str(int(number))
    return format(Decimal(repr(number)), "f")


def iface_as_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_float_f(value)
    if isinstance(value, (int, str)):
        return str(value)
    return json.dumps(value, indent=1, separators=(",", ": "))


def iface_as_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise RPCError(f"cannot convert field: {go_sprint(value)} to float64")
    if not isinstance(value, str):
        return float(value)
    if value.endswith(("s", "m", "h")):
        try:
            return float(parse_duration(value))
        except GoTimeError as exc:
            raise RPCError(str(exc)) from None
    return parse_float(value)


def parse_float(text: str) -> float:
    """``strconv.ParseFloat``: unlike Python's float(), no surrounding spaces or underscores."""
    try:
        if text != text.strip() or "_" in text:
            raise ValueError(text)
        return float(text)
    except ValueError:
        raise RPCError(f'strconv.ParseFloat: parsing "{text}": invalid syntax') from None


def parse_bool(text: str) -> bool:
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RPCError(f'strconv.ParseBool: parsing "{text}": invalid syntax')


def iface_as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_bool(value)
    if isinstance(value, (int, float)):
        return value > 0
    raise RPCError(f"cannot convert field: {go_sprint(value)} to bool")


def iface_as_time(value: Any, now: datetime) -> datetime | None:
    if not isinstance(value, str):
        raise RPCError(f"cannot convert field: {go_sprint(value)} to time.Time")
    try:
        return parse_time_detect_layout(value, now)
    except GoTimeError as exc:
        raise RPCError(str(exc)) from None


def balance_weight(text: str, now: datetime) -> float:
    """``utils.BalanceWeightAsFloat64``: ``*time_desc`` / ``*time_asc`` or a number."""
    if text == "*time_desc":
        return float(int(datetime(2050, 1, 1).timestamp()) - int(now.timestamp()))
    if text == "*time_asc":
        return float(int(now.timestamp()))
    return parse_float(text)


def balance_filter_from_map(values: dict[str, Any], now: datetime) -> BalanceFilter:
    """``engine.NewBalanceFilter``: keys match exactly (``ID``, ``ExpiryTime``…), unknown keys are ignored."""
    bf = BalanceFilter()
    if "ID" in values:
        bf.id = iface_as_string(values["ID"])
    if "UUID" in values:
        bf.uuid = iface_as_string(values["UUID"])
    if "Value" in values:
        bf.value = abs(iface_as_float(values["Value"]))
    if "ExpiryTime" in values:
        bf.set_expiration(iface_as_time(values["ExpiryTime"], now))
    if "Weight" in values:
        bf.weight = balance_weight(iface_as_string(values["Weight"]), now)
    for key, attr in (("DestinationIDs", "destination_ids"), ("Categories", "categories"),
                      ("SharedGroups", "shared_groups"), ("TimingIDs", "timing_ids")):  # fmt: skip
        if key in values:
            setattr(bf, attr, parse_string_map(iface_as_string(values[key])))
    if "RatingSubject" in values:
        bf.rating_subject = iface_as_string(values["RatingSubject"])
    if "Disabled" in values:
        bf.disabled = iface_as_bool(values["Disabled"])
    if "Blocker" in values:
        bf.blocker = iface_as_bool(values["Blocker"])
    if "Factors" in values:
        bf.factors = _factors(values["Factors"])
    return bf


def _factors(value: Any) -> dict[str, float]:
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError as exc:
        raise RPCError(str(exc)) from None
    if not isinstance(parsed, dict):
        raise RPCError("json: cannot unmarshal into Go value of type engine.ValueFactors")
    return {key: float(item) for key, item in parsed.items()}


def balance_value_from_text(balance_type: str, text: str) -> float:
    """``utils.ParseBalanceFilterValue`` (APIerSv2.SetActions ``Units``): ``*voice`` accepts durations."""
    if balance_type == "*voice":
        try:
            return float(text) if text.lstrip("-").isdigit() else float(parse_duration(text))
        except GoTimeError:
            pass
    else:
        try:
            return float(text)
        except ValueError:
            pass
    try:
        formula = json.loads(text)
    except ValueError:
        formula = None
    if isinstance(formula, dict):
        return float(formula.get("Static", 0.0))
    raise RPCError(f"Invalid value: {text}")
