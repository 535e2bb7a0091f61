"""Service rules: create, read, list, update (status changes drive the OCS account), delete, expiring.

Every function takes an explicit session and principal, flushes and never commits. Self-care principals only
reach their own customer's services that are `service_visible_to_customer`; any other id answers 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from omnicrm.catalog import service as catalog
from omnicrm.core.api import ListSpec, Page, paginate
from omnicrm.core.auth import Principal
from omnicrm.core.config import Settings
from omnicrm.core.db import undo_on_rollback, utcnow
from omnicrm.core.errors import Conflict, NotFound, ValidationFailed, field_error, not_found
from omnicrm.core.patching import check_path_id
from omnicrm.customers import service as customers
from omnicrm.ocs import OcsClient
from omnicrm.services.models import ACTIVE, DEACTIVATED, EDITABLE_FIELDS, SUSPENDED, Service
from omnicrm.services.schemas import EditableServiceFields, ServiceIn, ServiceListQuery
from omnicrm.utilities import search

# --------------------------------------------------------------------------------------------------
# Access


def visible(stmt: Select[Any], principal: Principal) -> Select[Any]:
    """Restrict a query to what the principal may see: a self-care principal only its customer's services
    that are visible to the customer."""
    if customers.own_customer_id(principal) is None:
        return stmt
    return customers.scoped(stmt, Service.customer_id, principal).where(
        Service.service_visible_to_customer.is_(True))


def _may_see(principal: Principal, service: Service) -> bool:
    own = customers.own_customer_id(principal)
    return own is None or (service.customer_id == own and service.service_visible_to_customer)


def get_service(session: Session, principal: Principal, service_id: int) -> Service:
    service = session.get(Service, service_id)
    if service is None or not _may_see(principal, service):
        raise not_found("Service", service_id)
    return service


def get_service_by_uuid(session: Session, principal: Principal, service_uuid: str) -> Service:
    service = session.scalar(select(Service).where(Service.service_uuid == service_uuid))
    if service is None or not _may_see(principal, service):
        raise not_found("Service", service_uuid)
    return service


def services_of(session: Session, principal: Principal, customer_id: int) -> list[Service]:
    customers.get_customer(session, principal, customer_id)
    stmt = visible(select(Service).where(Service.customer_id == customer_id), principal)
    return list(session.scalars(stmt.order_by(Service.service_id)))


# --------------------------------------------------------------------------------------------------
# Lists

SERVICE_LIST = ListSpec(
    sortable={name: getattr(Service, name) for name in (
        "service_id", "customer_id", "product_id", "service_name", "service_type", "service_uuid",
        "service_status", "service_provisioned_date", "service_active_date", "service_deactivate_date",
        "contract_end_date", "retail_cost", "created", "last_modified")},
    filterable={name: getattr(Service, name) for name in (
        "service_status", "service_type", "customer_id", "product_id", "site_id", "service_billed",
        "bundled_parent")},
    default_sort=Service.service_id,
)


def list_services(session: Session, principal: Principal, query: ServiceListQuery) -> Page:
    stmt = visible(select(Service), principal)
    if query.status != "all":
        stmt = stmt.where(Service.service_status == query.status)
    if query.service_type:
        stmt = stmt.where(Service.service_type == query.service_type)
    if query.customer_id is not None:
        stmt = stmt.where(Service.customer_id == query.customer_id)
    if query.search:
        stmt = stmt.where(_service_search(query.search))
    return paginate(session, stmt, query.model_copy(update={"search": None}), SERVICE_LIST)


def _service_search(text: str) -> Any:
    """Name, uuid or phone digits (through the search index); a short number is also tried as the id."""
    digits = text.strip()
    by_id = Service.service_id == int(digits) if digits.isdigit() and len(digits) < 10 else None
    try:
        matching = Service.service_id.in_(search.matching_entity_ids("service", text))
    except search.QueryTooShort as exc:
        if by_id is None:
            raise field_error("search", str(exc)) from None
        return by_id
    return matching if by_id is None else (by_id | matching)


def expiring_services(session: Session, principal: Principal, threshold_days: int) -> list[Service]:
    """Services that are not deactivated and whose `service_deactivate_date` falls within the next N days."""
    now = utcnow()
    stmt = visible(select(Service), principal).where(
        Service.service_status != DEACTIVATED,
        Service.service_deactivate_date.is_not(None),
        Service.service_deactivate_date >= now,
        Service.service_deactivate_date <= now + dt.timedelta(days=threshold_days))
    return list(session.scalars(stmt.order_by(Service.service_deactivate_date, Service.service_id)))


# --------------------------------------------------------------------------------------------------
# Create


def new_service_uuid() -> str:
    return f"Service_{uuid.uuid4().hex[:8]}"


def create_service(session: Session, principal: Principal, settings: Settings, body: ServiceIn) -> Service:
    customers.ensure_staff(principal, "create services")
    _check_customer(session, principal, body.customer_id)
    _check_service_type(settings, body.service_type)
    _check_product(session, principal, body.product_id)
    _check_site(session, principal, body.site_id, body.customer_id)
    _check_bundled_parent(session, body.bundled_parent, body.customer_id)
    fields = body.model_dump(exclude_none=True)
    fields.setdefault("service_uuid", new_service_uuid())
    _check_uuid_free(session, fields["service_uuid"])
    service = Service(**fields)
    _check_dates(service)
    session.add(service)
    _flush_unique(session, fields["service_uuid"])
    return service


def _check_customer(session: Session, principal: Principal, customer_id: int) -> None:
    try:
        customers.get_customer(session, principal, customer_id)
    except NotFound:
        raise field_error("customer_id", f"customer {customer_id} does not exist") from None


def _check_service_type(settings: Settings, service_type: str) -> None:
    if service_type not in settings.service_types:
        raise field_error("service_type", f"must be one of {', '.join(settings.service_types)}")


def _check_product(session: Session, principal: Principal, product_id: int | None) -> None:
    if product_id is None:
        return
    try:
        catalog.get_product(session, principal, product_id)
    except NotFound:
        raise field_error("product_id", f"product {product_id} does not exist") from None


def _check_site(session: Session, principal: Principal, site_id: int | None, customer_id: int) -> None:
    if site_id is None:
        return
    try:
        site = customers.get_site(session, principal, site_id)
    except NotFound:
        raise field_error("site_id", f"site {site_id} does not exist") from None
    if site.customer_id != customer_id:
        raise field_error("site_id", f"site {site_id} belongs to another customer")


def _check_bundled_parent(session: Session, parent_id: int | None, customer_id: int) -> None:
    if parent_id is None:
        return
    parent = session.get(Service, parent_id)
    if parent is None:
        raise field_error("bundled_parent", f"service {parent_id} does not exist")
    if parent.customer_id != customer_id:
        raise field_error("bundled_parent", f"service {parent_id} belongs to another customer")


def _duplicate_uuid(service_uuid: str) -> Conflict:
    return Conflict(f"A service with service_uuid {service_uuid} already exists", code="duplicate_service_uuid",
                    errors=[{"field": "service_uuid", "message": "already used by another service"}])


def _check_uuid_free(session: Session, service_uuid: str) -> None:
    if session.scalar(select(Service.service_id).where(Service.service_uuid == service_uuid)) is not None:
        raise _duplicate_uuid(service_uuid)


def _flush_unique(session: Session, service_uuid: str) -> None:
    try:
        session.flush()
    except IntegrityError:  # a concurrent request took the uuid between the check and the insert
        raise _duplicate_uuid(service_uuid) from None


# --------------------------------------------------------------------------------------------------
# Update and delete


def update_service(session: Session, principal: Principal, settings: Settings, ocs: OcsClient, service_id: int,
                   body: EditableServiceFields) -> Service:
    """Apply the editable fields. A change to Suspended disables the OCS account, to Active re-enables it
    (verified by read-back); the row is flushed first and the caller commits only after the OCS took the change,
    so an OCS failure leaves the CRM unchanged."""
    customers.ensure_staff(principal, "change services")
    service = get_service(session, principal, service_id)
    changes = body.model_dump(exclude_unset=True)
    check_path_id(changes.pop("service_id", None), service_id, "service_id")
    _refuse_read_only(changes)
    if "service_type" in changes:
        _check_service_type(settings, changes["service_type"])
    if changes.get("site_id") is not None:
        _check_site(session, principal, changes["site_id"], service.customer_id)
    old_status, uuid = service.service_status, service.service_uuid
    customers.apply_changes(service, changes)
    _check_dates(service)
    session.flush()
    if service.service_status != old_status:
        was_disabled = sync_ocs_status(ocs, uuid, service.service_status)
        if was_disabled is not None:  # the OCS is changed: if this transaction does not commit, change it back
            undo_on_rollback(session, lambda: set_ocs_disabled(ocs, uuid, was_disabled))
    return service


def _refuse_read_only(changes: dict[str, Any]) -> None:
    """Read-only fields are refused by the body model already; this guards the invariant for any caller."""
    refused = [name for name in changes if name not in EDITABLE_FIELDS]
    if refused:
        raise ValidationFailed(f"read-only fields cannot be changed: {', '.join(refused)}",
                               errors=[{"field": name, "message": "is read-only"} for name in refused])


def _check_dates(service: Service) -> None:
    if (service.service_active_date and service.service_deactivate_date
            and service.service_deactivate_date < service.service_active_date):
        raise field_error("service_deactivate_date", "must not be before service_active_date")


def sync_ocs_status(ocs: OcsClient, service_uuid: str, status: str) -> bool | None:
    """Suspended → the OCS account `Disabled: true`; Active → `Disabled: false` (both read back by the client).
    A service with no OCS account (not provisioned into the OCS) has nothing to change. Returns the account's
    `Disabled` before the change, or None when nothing was changed."""
    if status not in (SUSPENDED, ACTIVE):
        return None
    account = ocs.get_account(service_uuid)
    if account is None:
        return None
    set_ocs_disabled(ocs, service_uuid, status == SUSPENDED)
    return account.disabled


def set_ocs_disabled(ocs: OcsClient, service_uuid: str, disabled: bool) -> None:
    if disabled:
        ocs.disable_account(service_uuid)
    else:
        ocs.enable_account(service_uuid)


def delete_service(session: Session, principal: Principal, service_id: int) -> None:
    customers.ensure_staff(principal, "delete services")
    session.delete(get_service(session, principal, service_id))
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"Service {service_id} is still referenced", code="service_in_use") from None

