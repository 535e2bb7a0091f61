"""Transaction endpoints (seed paths: `PUT /crm/transaction/` creates, POST is accepted too)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask

from omnicrm.billing import service
from omnicrm.billing.schemas import TransactionIn, TransactionOut, TransactionPage, TransactionView, VoidIn
from omnicrm.core.api import ListQuery, db_session, operation
from omnicrm.core.auth import current_principal, require

bp = Blueprint("billing", __name__)
TAGS = ["billing"]
LIST_HELP = ("filters: customer_id, service_id, site_id, invoice_id, void, invoiced; search: title, description; "
             "stats: retail totals of the matching lines that are not void")


def _view(row: Any) -> dict[str, Any]:
    return service.present(row, current_principal())


@bp.put("/crm/transaction/")
@bp.post("/crm/transaction/")
@bp.put("/crm/transaction")
@bp.post("/crm/transaction")
@require("create_customer_transaction")
@operation(body=TransactionIn, response=TransactionOut, tags=TAGS,
           summary="Record a charge (positive retail_cost) or credit (negative) on a customer")
def create_transaction(body: TransactionIn) -> dict[str, Any]:
    return _view(service.create_transaction(db_session(), current_principal(), body))


@bp.get("/crm/transaction/")
@bp.get("/crm/transaction")
@require("view_customer_transaction")
@operation(query=ListQuery, response=TransactionPage, tags=TAGS, summary=f"List transactions ({LIST_HELP})")
def list_transactions(query: ListQuery) -> dict[str, Any]:
    return service.list_transactions(db_session(), current_principal(), query)


@bp.get("/crm/transaction/customer_id/<int:customer_id>")
@require("view_customer_transaction")
@operation(query=ListQuery, response=TransactionPage, tags=TAGS,
           summary=f"A customer's transactions ({LIST_HELP})")
def customer_transactions(customer_id: int, query: ListQuery) -> dict[str, Any]:
    return service.list_transactions(db_session(), current_principal(), query, customer_id=customer_id)


@bp.get("/crm/transaction/transaction_id/<int:transaction_id>")
@bp.get("/crm/transaction/<int:transaction_id>")
@require("view_customer_transaction")
@operation(response=TransactionView, tags=TAGS, summary="One transaction (customers do not see wholesale_cost)")
def get_transaction(transaction_id: int) -> dict[str, Any]:
    return _view(service.get_transaction(db_session(), current_principal(), transaction_id))


@bp.post("/crm/transaction/transaction_id/<int:transaction_id>/void")
@require("update_customer_transaction")
@operation(body=VoidIn, body_optional=True, response=TransactionOut, tags=TAGS,
           summary="Void a transaction: kept with who/when/why, excluded from totals (422 when invoiced, "
                   "409 when already void)")
def void_transaction(transaction_id: int, body: VoidIn) -> dict[str, Any]:
    row = service.void_transaction(db_session(), current_principal(), transaction_id, body.reason)
    return _view(row)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
