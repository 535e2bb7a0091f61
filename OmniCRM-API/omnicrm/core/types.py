"""Pydantic field types shared by every domain's schemas (SPEC D4)."""

from __future__ import annotations

import ast
import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer

CENT = Decimal("0.01")


def round_money(value: Decimal | int | str, exponent: Decimal = CENT) -> Decimal:
    """ROUND_HALF_UP to the currency's minor unit."""
    return Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP)


def _parse_money(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, float):
        # JSON numbers arrive as floats; go through their shortest repr, never binary arithmetic.
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise ValueError("must be a decimal number") from None
    return value


def _finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite number")
    if abs(value) >= Decimal("1e14"):
        raise ValueError("is too large")
    return value


# Money accepted from JSON numbers or strings; kept exact.
MoneyIn = Annotated[Decimal, BeforeValidator(_parse_money), AfterValidator(_finite)]
# Money emitted as a JSON number with two decimals.
MoneyOut = Annotated[Decimal, AfterValidator(round_money)]


def _assume_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _parse_datetime_text(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:  # date only
            return text + "T00:00:00"
        return text.replace("Z", "+00:00") if text.endswith("Z") else text
    return value


# Accepts ISO 8601 and the seed's "YYYY-MM-DD HH:MM:SS"; naive values are UTC.
UTCDateTimeIn = Annotated[dt.datetime, BeforeValidator(_parse_datetime_text), AfterValidator(_assume_utc)]


def _parse_list_field(value: Any) -> Any:
    """A JSON array, a JSON-array string, or a Python-list literal string ("['SIM Card']")."""
    if value is None or isinstance(value, list):
        return value or []
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        for parser in (json.loads, ast.literal_eval):
            try:
                parsed = parser(text)
            except (ValueError, SyntaxError):
                continue
            if isinstance(parsed, list | tuple):
                return list(parsed)
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


StrList = Annotated[list[str], BeforeValidator(_parse_list_field)]


def format_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


UTCDateTimeOut = Annotated[dt.datetime, PlainSerializer(format_datetime, when_used="json")]


class Schema(BaseModel):
    """Base for request bodies: unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class OutSchema(BaseModel):
    """Base for responses: built from ORM objects or dicts."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class PaginationOut(OutSchema):
    current_page: int
    per_page: int
    total_pages: int
    total_items: int


ItemT = TypeVar("ItemT")


class Paginated(OutSchema, Generic[ItemT]):
    """The list envelope of SPEC D2: `response=Paginated[XOut]` serialises `Page.as_dict()` (ORM rows inside)."""

    data: list[ItemT]
    pagination: PaginationOut
