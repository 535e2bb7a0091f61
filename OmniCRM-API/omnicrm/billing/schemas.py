"""Request and response bodies of the transaction endpoints (seed field names, SPEC D4 parsing)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from omnicrm.core.types import MoneyIn, MoneyOut, OutSchema, PaginationOut, Schema, UTCDateTimeOut

Percentage = Annotated[MoneyIn, Field(ge=0, le=100, decimal_places=4)]
PercentOut = Annotated[Decimal, AfterValidator(lambda value: value.normalize())]  # 10.0000 -> 10


def _blank_is_none(value: Any) -> Any:
    """Forms and playbooks send "" for "no link"; it means the same as null."""
    return None if isinstance(value, str) and not value.strip() else value


def _uninvoiced(value: Any) -> None:
    if _blank_is_none(value) is not None:
        raise ValueError("must be null: transactions are created uninvoiced and invoicing sets invoice_id")
    return None


OptionalId = Annotated[Annotated[int, Field(ge=1)] | None, BeforeValidator(_blank_is_none)]


class TransactionIn(Schema):
    customer_id: int = Field(ge=1)
    service_id: OptionalId = None
    site_id: OptionalId = None
    title: str = Field(min_length=1, max_length=255)
    description: str | None = Field(None, max_length=5000)
    # The seed sends an explicit null; invoicing (a later part of billing) sets it.
    invoice_id: Annotated[None, BeforeValidator(_uninvoiced)] = None
    retail_cost: MoneyIn
    wholesale_cost: MoneyIn = Decimal(0)
    tax_percentage: Percentage = Decimal(0)


class VoidIn(Schema):
    reason: str | None = Field(None, max_length=500)


class TransactionCustomerOut(OutSchema):
    """What a self-care customer sees of a transaction: everything but the wholesale cost."""

    transaction_id: int
    customer_id: int
    service_id: int | None
    site_id: int | None
    invoice_id: int | None
    title: str
    description: str | None
    retail_cost: MoneyOut
    tax_percentage: PercentOut
    tax_amount: MoneyOut
    void: bool
    void_time: UTCDateTimeOut | None
    void_by: str | None
    void_reason: str | None
    created: UTCDateTimeOut
    last_modified: UTCDateTimeOut


class TransactionOut(TransactionCustomerOut):
    wholesale_cost: MoneyOut


# Staff get TransactionOut, self-care callers TransactionCustomerOut (pydantic's smart union keeps the richer one).
TransactionView = TransactionOut | TransactionCustomerOut


class TransactionStats(OutSchema):
    """The four widgets of the transactions page: retail sums of the lines that are not void."""

    total: MoneyOut
    uninvoiced: MoneyOut
    this_month: MoneyOut
    last_month: MoneyOut


class TransactionPage(OutSchema):
    data: list[TransactionView]
    pagination: PaginationOut
    stats: TransactionStats
