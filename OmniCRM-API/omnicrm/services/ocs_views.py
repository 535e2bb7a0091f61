"""The live OCS (CGRateS) and HSS (PyHSS) views of a service, the global scheduled-actions list and the proxy.

The CRM row comes from the database; the rest is read from the OCS/HSS on every request (nothing is cached), so
these views answer 503 `ocs_unavailable` / `hss_unavailable` when the remote system is down — except the
service view, which still returns the service with `cgrates: {"error": "ocs_unavailable"}`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omnicrm.catalog.models import Product
from omnicrm.core import audit
from omnicrm.core.auth import Principal
from omnicrm.core.errors import AppError, NotFound, field_error
from omnicrm.customers import service as customers
from omnicrm.customers.models import Customer
from omnicrm.hss import HssClient
from omnicrm.inventory.models import InventoryIdentifier, InventoryItem
from omnicrm.ocs import DisplaySettings, OcsClient, OcsUnavailable
from omnicrm.ocs.balances import enrich_account, enrich_action_plans, split_action_plan_id
from omnicrm.services.models import Service
from omnicrm.services.schemas import OcsProxyIn, ServiceOut
from omnicrm.services.service import get_service

NOT_AVAILABLE = "N/A"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------------------------------
# The service with its live OCS block


def service_with_ocs(session: Session, principal: Principal, ocs: OcsClient, display: DisplaySettings,
                     service_id: int) -> dict[str, Any]:
    service = get_service(session, principal, service_id)
    view = ServiceOut.model_validate(service).model_dump()
    view["cgrates"] = _cgrates_block(principal, ocs, display, service)
    return view


def _cgrates_block(principal: Principal, ocs: OcsClient, display: DisplaySettings, service: Service) -> dict[str, Any]:
    if principal.is_self_care and not service.service_usage_visible_to_customer:
        return {"error": "usage_not_visible"}
    if not principal.is_self_care and not principal.can("view_ocs"):
        return {"error": "view_ocs_required"}
    try:
        account = ocs.get_account(service.service_uuid)
        if account is None:
            return {"error": "ocs_account_not_found"}
        block = enrich_account(account.as_dict(), display)
        block["ActionPlans"] = enrich_action_plans(ocs.get_account_action_plans(service.service_uuid), _now())
    except OcsUnavailable:
        return {"error": "ocs_unavailable"}
    return block


# --------------------------------------------------------------------------------------------------
# Per-service OCS views


def cdrs(session: Session, principal: Principal, ocs: OcsClient, service_id: int, *, page: int,
         per_page: int) -> dict[str, Any]:
    service = get_service(session, principal, service_id)
    return ocs.get_cdrs(service.service_uuid, page=page, per_page=per_page).as_dict()


def scheduled_actions(session: Session, principal: Principal, ocs: OcsClient, service_id: int) -> list[dict[str, Any]]:
    service = get_service(session, principal, service_id)
    return ocs.get_scheduled_actions(service.service_uuid)


def attribute_profile(session: Session, principal: Principal, ocs: OcsClient, service_id: int) -> dict[str, Any]:
    service = get_service(session, principal, service_id)
    profile = ocs.get_account_attribute_profile(service.service_uuid)
    if profile is None:
        raise NotFound(f"No AttributeProfile ATTR_ACCOUNT_{service.service_uuid} in the OCS",
                       code="ocs_attribute_profile_not_found")
    return profile


def account_filter(session: Session, principal: Principal, ocs: OcsClient, service_id: int) -> dict[str, Any]:
    service = get_service(session, principal, service_id)
    found = ocs.get_account_filter(service.service_uuid)
    if found is None:
        raise NotFound(f"No Filter FLTR_ACCOUNT_{service.service_uuid} in the OCS", code="ocs_filter_not_found")
    return found


def set_account_filter(session: Session, principal: Principal, ocs: OcsClient, service_id: int,
                       rules: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    customers.ensure_staff(principal, "change OCS filters")
    service = get_service(session, principal, service_id)
    stored = ocs.set_account_filter(service.service_uuid, rules)
    audit.record(session, action="ocs_filter", entity="customer_service", entity_id=service.service_id,
                 customer_id=service.customer_id, changes={"Rules": list(rules)})
    session.flush()
    return stored


# --------------------------------------------------------------------------------------------------
# Every scheduled action, joined to the CRM ("N/A" where the OCS knows something the CRM does not)


def all_scheduled_actions(session: Session, ocs: OcsClient, *, page: int, per_page: int) -> dict[str, Any]:
    rows = ocs.get_scheduled_actions()
    shown = rows[(page - 1) * per_page: page * per_page]
    plans = {row_id: split_action_plan_id(row_id) or {} for row_id in (str(r.get("ActionPlanID") or "") for r in shown)}
    services = _services_by_uuid(session, [p["ServiceID"] for p in plans.values() if p.get("ServiceID")])
    products = _product_names(session, [p["ProductID"] for p in plans.values() if isinstance(p.get("ProductID"), int)])
    data = [_scheduled_row(row, plans[str(row.get("ActionPlanID") or "")], services, products) for row in shown]
    total = len(rows)
    return {"data": data, "pagination": {"current_page": page, "per_page": per_page,
                                         "total_pages": -(-total // per_page), "total_items": total}}


def _services_by_uuid(session: Session, uuids: list[str]) -> dict[str, Any]:
    if not uuids:
        return {}
    stmt = (select(Service.service_uuid, Service.service_id, Service.service_name, Service.service_status,
                   Service.customer_id, Customer.customer_name)
            .join(Customer, Customer.customer_id == Service.customer_id)
            .where(Service.service_uuid.in_(set(uuids))))
    return {row.service_uuid: row for row in session.execute(stmt)}


def _product_names(session: Session, product_ids: list[int]) -> dict[int, str]:
    if not product_ids:
        return {}
    stmt = select(Product.product_id, Product.product_name).where(Product.product_id.in_(set(product_ids)))
    return {row.product_id: row.product_name for row in session.execute(stmt)}


def _scheduled_row(row: Mapping[str, Any], plan: Mapping[str, Any], services: Mapping[str, Any],
                   products: Mapping[int, str]) -> dict[str, Any]:
    service = services.get(str(plan.get("ServiceID") or ""))
    product_name = products.get(plan["ProductID"]) if isinstance(plan.get("ProductID"), int) else None
    return {
        **row,
        "service_uuid": plan.get("ServiceID") or NOT_AVAILABLE,
        "service_id": service.service_id if service else NOT_AVAILABLE,
        "service_name": service.service_name if service else NOT_AVAILABLE,
        "service_status": service.service_status if service else NOT_AVAILABLE,
        "customer_id": service.customer_id if service else NOT_AVAILABLE,
        "customer_name": service.customer_name if service else NOT_AVAILABLE,
        "product_id": plan.get("ProductID") if product_name else NOT_AVAILABLE,
        "product_name": product_name or NOT_AVAILABLE,
    }


# --------------------------------------------------------------------------------------------------
# The audited proxy


def proxy_call(session: Session, principal: Principal, ocs: OcsClient, body: OcsProxyIn) -> dict[str, Any]:
    """Call an allow-listed OCS method. The audit entry is added before the call and completed after it, so a
    caller that commits on failure too keeps a record of every attempt."""
    customers.ensure_staff(principal, "call the OCS proxy")
    customer_id = _proxy_customer(session, principal, body)
    entry = audit.record(session, action="ocs_proxy", entity="ocs", entity_id=body.method[:64],
                         customer_id=customer_id,
                         changes={"method": body.method, "params": body.params, "tenant": body.tenant,
                                  "service_id": body.service_id, "outcome": "started"})
    session.flush()
    try:
        result = ocs.call(body.method, body.params, tenant=body.tenant)
    except AppError as exc:
        entry.changes = {**(entry.changes or {}), "outcome": exc.code}
        session.flush()
        raise
    entry.changes = {**(entry.changes or {}), "outcome": "ok"}
    session.flush()
    return {"method": body.method, "result": result}


def _proxy_customer(session: Session, principal: Principal, body: OcsProxyIn) -> int | None:
    customer_id = body.customer_id
    if body.service_id is not None:
        try:
            service = get_service(session, principal, body.service_id)
        except NotFound:
            raise field_error("service_id", f"service {body.service_id} does not exist") from None
        if customer_id is not None and customer_id != service.customer_id:
            raise field_error("customer_id", "does not own the given service_id")
        customer_id = service.customer_id
    elif customer_id is not None:
        try:
            customers.get_customer(session, principal, customer_id)
        except NotFound:
            raise field_error("customer_id", f"customer {customer_id} does not exist") from None
    return customer_id


# --------------------------------------------------------------------------------------------------
# HSS


def hss_view(session: Session, principal: Principal, hss: HssClient, service_id: int) -> dict[str, Any]:
    """The PyHSS subscriber of the SIM assigned to the service, found by the SIM's IMSI in the inventory."""
    service = get_service(session, principal, service_id)
    sim = assigned_imsi(session, service.service_id)
    if sim is None:
        raise NotFound(f"Service {service_id} has no SIM (an inventory item with an IMSI) assigned",
                       code="service_sim_not_found")
    inventory_id, imsi = sim
    return {"service_id": service.service_id, "inventory_id": inventory_id, "imsi": imsi,
            "subscriber": hss.get_subscriber_by_imsi(imsi)}


def assigned_imsi(session: Session, service_id: int) -> tuple[int, str] | None:
    stmt = (select(InventoryIdentifier.inventory_id, InventoryIdentifier.value)
            .join(InventoryItem, InventoryItem.inventory_id == InventoryIdentifier.inventory_id)
            .where(InventoryItem.service_id == service_id, InventoryIdentifier.kind == "imsi")
            .order_by(InventoryItem.inventory_id).limit(1))
    row = session.execute(stmt).first()
    return None if row is None else (row.inventory_id, row.value)
