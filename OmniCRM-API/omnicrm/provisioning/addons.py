"""Add-ons on a service: recorded when an add-on's provisioning job succeeds, listed on the service's Add-ons tab
and removed by running the add-on's playbook with action "deprovision" (seed-extract-4 §2, "Active add-ons").

Starting a removal job lives in `service.remove_addon` (it queues a job like any other); this module keeps the
add-on rows in step with the jobs that add and remove them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omnicrm.catalog import rules
from omnicrm.catalog.models import Product
from omnicrm.core.auth import SYSTEM
from omnicrm.core.db import utcnow
from omnicrm.core.errors import Conflict, NotFound
from omnicrm.inventory import service as inventory
from omnicrm.inventory import states as item_states
from omnicrm.inventory.models import InventoryItem
from omnicrm.provisioning import playbooks
from omnicrm.provisioning.models import (
    ADDON_ACTIVE,
    ADDON_REMOVED,
    ADDON_REMOVING,
    DEPROVISION,
    PROVISION,
    SUCCESS,
    Provision,
    ServiceAddon,
)


def on_job_finished(session: Session, provision: Provision, status: int) -> None:
    """Keep the add-ons in step with a job that just ended."""
    removal = _removal_of(session, provision)
    if removal is not None:
        _end_removal(removal, succeeded=status == SUCCESS)
    elif status == SUCCESS and provision.action == PROVISION:
        record_addon(session, provision)
    elif status == SUCCESS and provision.action == DEPROVISION and provision.service_id is not None \
            and not _is_addon_job(session, provision):
        _service_torn_down(session, provision.service_id)


def _addon_product(session: Session, provision: Provision) -> Product | None:
    product = session.get(Product, provision.product_id) if provision.product_id is not None else None
    return product if product is not None and product.category == rules.ADDON else None


def _is_addon_job(session: Session, provision: Provision) -> bool:
    return _addon_product(session, provision) is not None


def record_addon(session: Session, provision: Provision) -> ServiceAddon | None:
    """The add-on a successful job put on its service (jobs for other product categories add none)."""
    product = _addon_product(session, provision)
    if product is None or provision.service_id is None:
        return None
    variables = json.loads(provision.extra_vars_sealed or "{}")
    recurring = _auto_renews(product, variables)
    added = provision.finished or utcnow()
    days = _validity_days(product, variables)
    addon = ServiceAddon(
        service_id=provision.service_id, product_id=product.product_id, provision_id=provision.provision_id,
        status=ADDON_ACTIVE, retail_cost=product.retail_cost, recurring=recurring,
        contract_days=product.contract_days or 0, inventory_ids=list(provision.reserved_inventory or []),
        added=added, expires=None if recurring or not days else added + dt.timedelta(days=days))
    session.add(addon)
    session.flush()
    return addon


def _auto_renews(product: Product, variables: dict[str, Any]) -> bool:
    chosen = variables.get("auto_renew")
    if chosen is not None and chosen != "":
        return playbooks.truthy(chosen)
    return (product.auto_renew or "").lower() == "true"


def _validity_days(product: Product, variables: dict[str, Any]) -> int | None:
    """How long the add-on lasts: the play's `days` variable when given (a 7-day data boost), else the
    product's contract period."""
    try:
        days = int(float(variables["days"]))
    except (KeyError, TypeError, ValueError):
        days = product.contract_days or 0
    return days if days > 0 else None


def _removal_of(session: Session, provision: Provision) -> ServiceAddon | None:
    if provision.action != DEPROVISION:
        return None
    return session.scalar(select(ServiceAddon).where(ServiceAddon.removal_provision_id == provision.provision_id))


def _end_removal(addon: ServiceAddon, *, succeeded: bool) -> None:
    if succeeded:
        addon.status, addon.removed = ADDON_REMOVED, utcnow()
    else:
        addon.status = ADDON_ACTIVE  # the playbook rolled back or never ran; the add-on is still there


def _service_torn_down(session: Session, service_id: int) -> None:
    """Deprovisioning the whole service removes its add-ons with it; SPEC D22 puts their equipment still on the
    service back In Stock (removing a rental add-on on its own waits for the return, SPEC D6)."""
    for addon in list(session.scalars(select(ServiceAddon).where(
            ServiceAddon.service_id == service_id, ServiceAddon.status != ADDON_REMOVED))):
        addon.status, addon.removed = ADDON_REMOVED, utcnow()
        for inventory_id in addon.inventory_ids or []:
            item = session.get(InventoryItem, inventory_id)
            if item is not None and item.item_state == item_states.ASSIGNED and item.service_id == service_id:
                inventory.update_item(session, SYSTEM, inventory_id, {"item_state": item_states.IN_STOCK}, {})


# --------------------------------------------------------------------------------------------------
# Reading and the start of a removal


def addons_of(session: Session, service_id: int, *, include_removed: bool) -> list[ServiceAddon]:
    stmt = select(ServiceAddon).where(ServiceAddon.service_id == service_id)
    if not include_removed:
        stmt = stmt.where(ServiceAddon.status != ADDON_REMOVED)
    return list(session.scalars(stmt.order_by(ServiceAddon.added.desc(), ServiceAddon.addon_id.desc())))


def lock_active_addon(session: Session, service_id: int, addon_id: int) -> ServiceAddon:
    """The add-on, row-locked so two Remove clicks start one removal; 409 unless it is active."""
    addon = session.scalar(select(ServiceAddon).where(
        ServiceAddon.addon_id == addon_id, ServiceAddon.service_id == service_id).with_for_update())
    if addon is None:
        raise NotFound(f"Add-on {addon_id} not found on service {service_id}", code="addon_not_found")
    if addon.status != ADDON_ACTIVE:
        raise Conflict(f"Add-on {addon_id} is {addon.status.lower()}, not active", code="addon_not_active")
    return addon


def mark_removing(addon: ServiceAddon, removal: Provision) -> None:
    addon.status, addon.removal_provision_id = ADDON_REMOVING, removal.provision_id


def follow_retried_removal(session: Session, failed: Provision, retry: Provision) -> None:
    """A retried removal job removes the same add-on: the add-on follows the new job."""
    addon = _removal_of(session, failed)
    if addon is not None and addon.status == ADDON_ACTIVE:
        mark_removing(addon, retry)


def addon_view(session: Session, addon: ServiceAddon) -> dict[str, Any]:
    product = session.get(Product, addon.product_id) if addon.product_id is not None else None
    view = {column: getattr(addon, column) for column in (
        "addon_id", "service_id", "product_id", "provision_id", "removal_provision_id", "status", "retail_cost",
        "recurring", "contract_days", "added", "expires", "removed")}
    view.update(product_name=product.product_name if product else None,
                product_slug=product.product_slug if product else None,
                icon=product.icon if product else None,
                inventory=[_item_view(session, inventory_id) for inventory_id in addon.inventory_ids or []])
    return view


def _item_view(session: Session, inventory_id: int) -> dict[str, Any]:
    item = session.get(InventoryItem, inventory_id)
    if item is None:
        return {"inventory_id": inventory_id, "item": None, "itemtext1": None, "item_state": None}
    return {"inventory_id": inventory_id, "item": item.template.item, "itemtext1": item.itemtext1,
            "item_state": item.item_state}
