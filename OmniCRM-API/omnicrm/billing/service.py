"""Transaction rules: record charges and credits, read and list them with their totals, void them.

Every function takes an explicit session and principal, adds/flushes and never commits. Self-care principals
only ever see their own customer's transactions (any other id answers 404) and never wholesale costs; they
cannot record or void transactions. Other domains (provisioning, payments) record charges with `record_charge`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from omnicrm.billing.models import Transaction
from omnicrm.billing.money import line_amount, tax_amount
from omnicrm.billing.schemas import TransactionCustomerOut, TransactionIn, TransactionOut, TransactionStats
from omnicrm.core import facts
from omnicrm.core.api import ListQuery, ListSpec, Page, apply_filters, bool_filter, filter_truth, paginate
from omnicrm.core.auth import Principal
from omnicrm.core.db import Money, utcnow
from omnicrm.core.errors import BusinessRule, Conflict, field_error, not_found
from omnicrm.core.types import MoneyIn
from omnicrm.customers import service as customers

MAX_PERCENTAGE = Decimal(100)
PERCENT_STEP = Decimal("0.0001")  # tax_percentage is NUMERIC(7, 4)
TITLE_MAX = 255
_MONEY: TypeAdapter[Decimal] = TypeAdapter(MoneyIn)


# --------------------------------------------------------------------------------------------------
# Recording


def record_charge(session: Session, principal: Principal, customer_id: int, service_id: int | None, title: str,
                  retail_cost: Decimal | int | str, *, wholesale_cost: Decimal | int | str = Decimal(0),
                  tax_percentage: Decimal | int | str = Decimal(0), description: str | None = None,
                  site_id: int | None = None) -> Transaction:
    """Record one uninvoiced charge (positive retail_cost) or credit (negative) on a customer.

    The customer must exist (and be the principal's own for self-care), and the service and site, when given,
    must belong to that customer. Amounts are rounded half-up to cents; the tax is computed per line.
    """
    title = _title(title)
    retail = line_amount(_money(retail_cost, "retail_cost"))
    wholesale = line_amount(_money(wholesale_cost, "wholesale_cost"))
    percentage = _percentage(tax_percentage)
    customers.get_customer(session, principal, customer_id)
    _check_service(session, customer_id, service_id)
    _check_site(session, principal, customer_id, site_id)
    row = Transaction(
        customer_id=customer_id, service_id=service_id, site_id=site_id, title=title, description=description,
        retail_cost=retail, wholesale_cost=wholesale, tax_percentage=percentage,
        tax_amount=tax_amount(retail, percentage), void=False, created_by=actor_label(principal),
    )
    session.add(row)
    session.flush()
    return row


def create_transaction(session: Session, principal: Principal, body: TransactionIn) -> Transaction:
    customers.ensure_staff(principal, "record transactions")
    return record_charge(
        session, principal, body.customer_id, body.service_id, body.title, body.retail_cost,
        wholesale_cost=body.wholesale_cost, tax_percentage=body.tax_percentage, description=body.description,
        site_id=body.site_id,
    )


def _check_service(session: Session, customer_id: int, service_id: int | None) -> None:
    if service_id is None:
        return
    service = facts.service_facts(session, service_id)
    if service is None:
        raise not_found("Service", service_id)
    if service.customer_id != customer_id:
        raise field_error("service_id", f"service {service_id} does not belong to customer {customer_id}",
                          code="service_not_of_customer")


def _check_site(session: Session, principal: Principal, customer_id: int, site_id: int | None) -> None:
    if site_id is None:
        return
    site = customers.get_site(session, principal, site_id)
    if site.customer_id != customer_id:
        raise field_error("site_id", f"site {site_id} does not belong to customer {customer_id}",
                          code="site_not_of_customer")


# The same rules as the request body (schemas.TransactionIn), for callers in other domains.


def _money(value: Any, field: str) -> Decimal:
    try:
        return _MONEY.validate_python(value)
    except ValidationError as exc:
        raise field_error(field, exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


def _percentage(value: Any) -> Decimal:
    percentage = _money(value, "tax_percentage")
    if not Decimal(0) <= percentage <= MAX_PERCENTAGE or percentage != percentage.quantize(PERCENT_STEP):
        raise field_error("tax_percentage", "must be between 0 and 100 with at most 4 decimals")
    return percentage


def _title(value: str) -> str:
    title = (value or "").strip()
    if not 1 <= len(title) <= TITLE_MAX:
        raise field_error("title", f"must be 1 to {TITLE_MAX} characters")
    return title


def actor_label(principal: Principal) -> str:
    """Who did it, as shown on the transaction (the audit log keeps the full identity)."""
    if principal.username:
        return principal.username
    return principal.kind if principal.api_key_id is None else f"{principal.kind} {principal.api_key_id}"


# --------------------------------------------------------------------------------------------------
# Reading


def present(row: Transaction, principal: Principal) -> dict[str, Any]:
    """A transaction as the caller may see it: customers never see wholesale costs."""
    model = TransactionCustomerOut if principal.is_self_care else TransactionOut
    return model.model_validate(row).model_dump()


def get_transaction(session: Session, principal: Principal, transaction_id: int, *,
                    for_update: bool = False) -> Transaction:
    row = session.get(Transaction, transaction_id, with_for_update=for_update, populate_existing=for_update)
    own = customers.own_customer_id(principal)
    if row is None or (own is not None and row.customer_id != own):
        raise not_found("Transaction", transaction_id)
    return row


def _invoiced_filter(stmt: Select[Any], values: list[Any]) -> Select[Any]:
    wanted = {filter_truth(value, "filters.invoiced") for value in values}
    if wanted == {True}:
        return stmt.where(Transaction.invoice_id.is_not(None))
    if wanted == {False}:
        return stmt.where(Transaction.invoice_id.is_(None))
    return stmt


TRANSACTION_LIST = ListSpec(
    sortable={name: getattr(Transaction, name) for name in (
        "transaction_id", "customer_id", "service_id", "site_id", "invoice_id", "title", "retail_cost",
        "wholesale_cost", "tax_amount", "void", "created")},
    filterable={
        **{name: getattr(Transaction, name) for name in ("customer_id", "service_id", "site_id", "invoice_id")},
        "void": bool_filter(Transaction.void, "void"),
        "invoiced": _invoiced_filter,
    },
    searchable=(Transaction.title, Transaction.description),
    default_sort=Transaction.transaction_id.desc(),
)


def list_transactions(session: Session, principal: Principal, query: ListQuery,
                      customer_id: int | None = None) -> dict[str, Any]:
    """One page of transactions plus the four widgets over everything the same filters match."""
    _refuse_hidden_sort(principal, query)
    stmt = customers.scoped(select(Transaction), Transaction.customer_id, principal)
    if customer_id is not None:
        customers.get_customer(session, principal, customer_id)
        stmt = stmt.where(Transaction.customer_id == customer_id)
    page: Page = paginate(session, stmt, query, TRANSACTION_LIST)
    listed = page.as_dict(lambda row: present(row, principal))
    listed["stats"] = transaction_stats(session, apply_filters(stmt, query, TRANSACTION_LIST), utcnow())
    return listed


def _refuse_hidden_sort(principal: Principal, query: ListQuery) -> None:
    if principal.is_self_care and query.sort == "wholesale_cost":
        raise field_error("sort", "cannot sort by wholesale_cost")


def month_start(moment: dt.datetime, months_back: int = 0) -> dt.datetime:
    """The first instant (UTC) of the month `months_back` months before the one holding `moment`."""
    index = moment.year * 12 + moment.month - 1 - months_back
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


def transaction_stats(session: Session, stmt: Select[Any], now: dt.datetime) -> dict[str, Any]:
    """Retail sums of the lines `stmt` selects that are not void: all time, uninvoiced, this and last month."""
    lines = stmt.where(Transaction.void.is_(False)).order_by(None).subquery()
    this_month, last_month = month_start(now), month_start(now, 1)
    retail = lines.c.retail_cost

    def total_where(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, retail), else_=0)), 0, type_=Money())

    row = session.execute(select(
        func.coalesce(func.sum(retail), 0, type_=Money()),
        total_where(lines.c.invoice_id.is_(None)),
        total_where(lines.c.created >= this_month),
        total_where(and_(lines.c.created >= last_month, lines.c.created < this_month)),
    )).one()
    stats = TransactionStats(total=row[0], uninvoiced=row[1], this_month=row[2], last_month=row[3])
    return stats.model_dump()


# --------------------------------------------------------------------------------------------------
# Voiding


def void_transaction(session: Session, principal: Principal, transaction_id: int,
                     reason: str | None = None) -> Transaction:
    """Mark a transaction void (kept for the record, out of every total). Invoiced lines need their invoice
    voided first (422); a line that is already void is a 409."""
    customers.ensure_staff(principal, "void transactions")
    # Locked for the check-then-write (SQLite's BEGIN IMMEDIATE already serialises writers).
    row = get_transaction(session, principal, transaction_id, for_update=True)
    if row.invoice_id is not None:
        raise BusinessRule(f"Transaction {transaction_id} is on invoice {row.invoice_id}; void the invoice first",
                           code="transaction_invoiced", invoice_id=row.invoice_id)
    if row.void:
        raise Conflict(f"Transaction {transaction_id} is already void", code="transaction_already_void")
    row.void = True
    row.void_time = utcnow()
    row.void_by = actor_label(principal)
    row.void_by_user_id = principal.user_id
    row.void_reason = reason
    session.flush()
    return row
