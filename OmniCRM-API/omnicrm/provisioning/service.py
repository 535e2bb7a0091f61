"""Provisioning jobs: validating a request, reserving its inventory, merging variables and queueing the run.

Plain functions taking an explicit session and principal; they add and flush, never commit. The run itself
(ansible-runner inside the job worker) is in `runner.py`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from omnicrm.catalog import rules
from omnicrm.catalog import service as catalog
from omnicrm.catalog.models import Product
from omnicrm.core import facts
from omnicrm.core.api import ListQuery, ListSpec, Page, escape_like, paginate
from omnicrm.core.auth import SYSTEM, Principal
from omnicrm.core.config import Settings
from omnicrm.core.db import utcnow
from omnicrm.core.errors import BusinessRule, Conflict, NotFound, field_error
from omnicrm.core.jobs import enqueue, request_cancel
from omnicrm.customers import service as customers
from omnicrm.customers.models import Customer
from omnicrm.inventory import service as inventory
from omnicrm.inventory import states as item_states
from omnicrm.inventory.models import InventoryItem
from omnicrm.provisioning import addons, playbooks
from omnicrm.provisioning.models import (
    DEPROVISION,
    FAILED,
    PROVISION,
    RUNNING,
    SUCCESS,
    Provision,
    ProvisionEvent,
    ServiceAddon,
)
from omnicrm.services import service as services
from omnicrm.services.models import Service

RUN_JOB = "provision.run"
# Keys the API sets itself: a request cannot choose them (SPEC F6 system vars win over the request).
SYSTEM_VARS = ("product_id", "customer_id", "access_token", "initiating_user", "crm_base_url")
CREATED_MESSAGE = "Provisioning job created"


# --------------------------------------------------------------------------------------------------
# Creating a job


def plays_directory(settings: Settings) -> Path:
    return settings.resolve_path(settings.provisioning.plays_directory)


def create_provision(session: Session, principal: Principal, settings: Settings, body: Any) -> Provision:
    """PUT /crm/provision/: validate, reserve the picked inventory for the job, record it and queue the run."""
    request_vars = _request_vars(body)
    customer = customers.get_customer(session, principal, body.customer_id)
    product = _product(session, body.product_id)
    target = _target_service(session, principal, body.service_id, customer.customer_id)
    _check_on_offer(session, principal, product, customer.customer_id, target)
    path = playbooks.play_path(plays_directory(settings), product.provisioning_play or "")
    picks = _inventory_picks(product, request_vars)
    if body.service_id is not None:
        request_vars["service_id"] = body.service_id
    reserved = _reserve(session, principal, picks, customer.customer_id, body.service_id)
    system_vars = _system_vars(settings, principal, product.product_id, customer.customer_id)
    merged = playbooks.merge_vars(product.provisioning_json_vars, request_vars, system_vars)
    return _queue(session, principal, path, merged, customer_id=customer.customer_id,
                  product_id=product.product_id, service_id=body.service_id, reserved=reserved)


def _request_vars(body: Any) -> dict[str, Any]:
    extra = dict(body.model_extra or {})
    for key in SYSTEM_VARS:
        extra.pop(key, None)
    return extra


def _product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(f"Product {product_id} not found", code="product_not_found")
    return product


def _target_service(session: Session, principal: Principal, service_id: int | None,
                    customer_id: int) -> facts.ServiceFacts | None:
    if service_id is None:
        return None
    target = facts.service_facts(session, service_id)
    if target is None or (principal.is_self_care and target.customer_id != customer_id):
        raise NotFound(f"Service {service_id} not found", code="service_not_found")
    if target.customer_id != customer_id:
        raise field_error("service_id", f"service {service_id} belongs to another customer")
    return target


def _check_on_offer(session: Session, principal: Principal, product: Product, customer_id: int,
                    target: facts.ServiceFacts | None) -> None:
    """The catalogue's sale rules (seed-extract-3 §8): an add-on needs a service of its type, and so on."""
    if product.category == rules.ADDON and target is None:
        raise field_error("service_id", f"product {product.product_id} is an add-on: service_id is required")
    customer = facts.customer_facts(session, customer_id)
    held = frozenset(s.product_id for s in facts.customer_services(session, customer_id)
                     if s.product_id is not None and (s.status or "").lower() != rules.DEACTIVATED)
    slugs = session.execute(select(func.lower(Product.product_slug), Product.product_id))
    slug_ids = {slug: product_id for slug, product_id in slugs}
    ctx = rules.SaleContext(
        channel=rules.SELF_CARE if principal.is_self_care else rules.STAFF, now=utcnow(),
        account_type=customer.account_type if customer else None, held_product_ids=held,
        target=None if target is None else rules.Target(service_type=target.service_type,
                                                        product_id=target.product_id, status=target.status))
    reasons = rules.unavailability_reasons(catalog.offer_of(product, slug_ids), ctx)
    if "service_type_mismatch" in reasons:
        raise field_error("service_id", f"service is not of type {product.service_type}",
                          code="service_type_mismatch")
    if reasons:
        raise BusinessRule(f"Product {product.product_id} cannot be provisioned for this customer: "
                           + ", ".join(reasons), code="product_not_available", reasons=reasons,
                           errors=[{"field": "product_id", "message": ", ".join(reasons)}])


def _inventory_picks(product: Product, request_vars: Mapping[str, Any]) -> dict[str, int]:
    """One inventory id per type in the product's inventory_items_list, given under the type's name."""
    picks: dict[str, int] = {}
    for item_type in product.inventory_items_list or []:
        value = request_vars.get(item_type)
        if value in (None, ""):
            raise field_error(item_type, f"pick a {item_type} (an inventory id) for this product",
                              code="inventory_pick_missing")
        try:
            picks[item_type] = int(value)
        except (TypeError, ValueError):
            raise field_error(item_type, "must be an inventory id") from None
    if len(set(picks.values())) != len(picks):
        raise field_error(next(iter(picks)), "one item cannot fill two inventory types")
    return picks


def _reserve(session: Session, principal: Principal, picks: Mapping[str, int], customer_id: int,
             service_id: int | None) -> list[int]:
    """Assign each picked item to the customer now, so no other job (or person) can take it: of two
    concurrent requests for one SIM exactly one wins, the other gets 409."""
    for item_type, inventory_id in picks.items():
        item = inventory.ensure_free(session, inventory_id, expected_item=item_type)
        if principal.is_self_care and not item.template.allow_dropdown_customer:
            raise field_error(item_type, f"{item_type} items cannot be chosen in self-care")
        inventory.assign_item(session, SYSTEM, inventory_id, customer_id=customer_id, service_id=service_id,
                              expected_item=item_type)
    return list(picks.values())


def _system_vars(settings: Settings, principal: Principal, product_id: int | None,
                 customer_id: int | None) -> dict[str, Any]:
    # access_token is the job's own credential, issued when the job starts (runner.py)
    return {"product_id": product_id, "customer_id": customer_id, "initiating_user": principal.user_id,
            "crm_base_url": settings.crm.base_url.rstrip("/")}


def _queue(session: Session, principal: Principal, path: Path, merged: dict[str, Any], *, customer_id: int | None,
           product_id: int | None, service_id: int | None, reserved: list[int], action: str = PROVISION,
           retry_of: int | None = None) -> Provision:
    provision = Provision(
        customer_id=customer_id, product_id=product_id, service_id=service_id, action=action,
        provisioning_play=path.stem, playbook_description=playbooks.describe(path)[:255],
        provisioning_json_vars=playbooks.redact({**merged, "access_token": "***"}),
        extra_vars_sealed=json.dumps(merged, default=str), provisioning_status=RUNNING,
        task_count=playbooks.count_tasks(path, action), initiating_user=principal.user_id,
        initiated_by=(principal.username or principal.kind)[:255], reserved_inventory=reserved, retry_of=retry_of)
    session.add(provision)
    session.flush()
    job = enqueue(session, RUN_JOB, {"provision_id": provision.provision_id}, max_attempts=1)
    session.flush()
    provision.job_id = job.job_id
    return provision


# --------------------------------------------------------------------------------------------------
# Re-running: deprovision, retry, the OCS callback


def run_playbook(session: Session, principal: Principal, settings: Settings, body: Any) -> Provision:
    """POST /crm/provision/run_playbook: the service's playbook again (its deprovisioning_play when set and
    action is deprovision) with the variables it was provisioned with, the service's, and the request's."""
    service = _service(session, principal, body.service_id)
    request_vars = {k: v for k, v in (body.model_extra or {}).items() if k not in SYSTEM_VARS}
    deprovisioning = body.action == DEPROVISION
    play = body.provisioning_play or (service.deprovisioning_play if deprovisioning else None) \
        or service.provisioning_play or _product_play(session, service.product_id)
    path = playbooks.play_path(plays_directory(settings), play or "")
    earlier = {**(service.provisioning_json_vars or {}),
               **((service.deprovisioning_json_vars or {}) if deprovisioning else {})}
    service_vars = {"service_id": service.service_id, "service_uuid": service.service_uuid,
                    "action": body.action}
    if deprovisioning:
        service_vars["deprovision_subscriber"] = _deprovision_mode(body.mode, request_vars) == "hard"
    merged = playbooks.merge_vars(earlier, {**request_vars, **service_vars},
                                  _system_vars(settings, principal, service.product_id, service.customer_id))
    return _queue(session, principal, path, merged, customer_id=service.customer_id, product_id=service.product_id,
                  service_id=service.service_id, reserved=[], action=body.action)


def _deprovision_mode(mode: str | None, request_vars: Mapping[str, Any]) -> str:
    """SPEC D22: `mode` hard (the default) or soft; without a mode the seed's `deprovision_subscriber` flag
    still chooses. The playbooks read the choice as `deprovision_subscriber`."""
    if mode is not None:
        return mode
    if "deprovision_subscriber" in request_vars:
        return "hard" if playbooks.truthy(request_vars["deprovision_subscriber"]) else "soft"
    return "hard"


def _service(session: Session, principal: Principal, service_id: int) -> Service:
    return services.get_service(session, principal, service_id)  # 404, and self-care only their own


def _product_play(session: Session, product_id: int | None) -> str | None:
    product = session.get(Product, product_id) if product_id is not None else None
    return product.provisioning_play if product is not None else None


def ocs_callback(session: Session, principal: Principal, settings: Settings, service_id: int,
                 product_id: int) -> Provision:
    """The OCS's *http_post (auto-renew): queue the product's playbook for the service. A repeated callback
    while that renewal is still queued or running gets the same job (the OCS may post twice)."""
    service = _service(session, principal, service_id)
    product = _product(session, product_id)
    pending = session.scalar(select(Provision).where(
        Provision.service_id == service_id, Provision.product_id == product_id, Provision.action == "renew",
        Provision.provisioning_status == RUNNING).limit(1))
    if pending is not None:
        return pending
    path = playbooks.play_path(plays_directory(settings), product.provisioning_play or "")
    request_vars = {"service_id": service.service_id, "service_uuid": service.service_uuid, "action": "renew"}
    merged = playbooks.merge_vars(product.provisioning_json_vars, request_vars,
                                  _system_vars(settings, principal, product.product_id, service.customer_id))
    return _queue(session, principal, path, merged, customer_id=service.customer_id, product_id=product.product_id,
                  service_id=service.service_id, reserved=[], action="renew")


def retry_provision(session: Session, principal: Principal, settings: Settings, provision_id: int) -> Provision:
    """A failed job again, as a new job with the same variables; its inventory is reserved afresh."""
    failed = get_provision(session, principal, provision_id)
    if failed.provisioning_status != FAILED:
        raise Conflict(f"Provision {provision_id} has not failed (status {failed.provisioning_status})",
                       code="provision_not_failed")
    path = playbooks.play_path(plays_directory(settings), failed.provisioning_play)
    if failed.customer_id is None:
        raise Conflict(f"Provision {provision_id} has no customer any more", code="provision_not_retryable")
    reserved = list(failed.reserved_inventory or [])
    for inventory_id in reserved:
        inventory.assign_item(session, SYSTEM, inventory_id, customer_id=failed.customer_id,
                              service_id=failed.service_id)
    merged = json.loads(failed.extra_vars_sealed or "{}")
    merged.update(_system_vars(settings, principal, failed.product_id, failed.customer_id))
    retry = _queue(session, principal, path, merged, customer_id=failed.customer_id, product_id=failed.product_id,
                   service_id=failed.service_id, reserved=reserved, action=failed.action,
                   retry_of=failed.provision_id)
    addons.follow_retried_removal(session, failed, retry)
    return retry


def remove_addon(session: Session, principal: Principal, settings: Settings, service_id: int,
                 addon_id: int) -> Provision:
    """Remove an add-on from its service: its playbook again with action "deprovision" and the variables it was
    added with (the data boost's size, the rented item's id), so the playbook takes back what it gave."""
    service = _service(session, principal, service_id)
    addon = addons.lock_active_addon(session, service_id, addon_id)
    origin = session.get(Provision, addon.provision_id) if addon.provision_id is not None else None
    if origin is None:
        raise Conflict(f"Add-on {addon_id} has lost the job that added it", code="addon_not_removable")
    path = playbooks.play_path(plays_directory(settings), origin.provisioning_play)
    merged = json.loads(origin.extra_vars_sealed or "{}")
    merged.update(service_id=service.service_id, service_uuid=service.service_uuid, action=DEPROVISION)
    merged.update(_system_vars(settings, principal, addon.product_id, service.customer_id))
    removal = _queue(session, principal, path, merged, customer_id=service.customer_id,
                     product_id=addon.product_id, service_id=service.service_id, reserved=[], action=DEPROVISION)
    addons.mark_removing(addon, removal)
    return removal


def service_addons(session: Session, principal: Principal, service_id: int, *,
                   include_removed: bool) -> list[ServiceAddon]:
    _service(session, principal, service_id)  # 404, and self-care only their own
    return addons.addons_of(session, service_id, include_removed=include_removed)


def cancel_provision(session: Session, principal: Principal, provision_id: int) -> Provision:
    """A queued job is cancelled at once (and its inventory released); a running one is stopped by its runner."""
    provision = get_provision(session, principal, provision_id)
    if provision.provisioning_status != RUNNING or provision.job_id is None:
        raise Conflict(f"Provision {provision_id} is not running", code="provision_not_running")
    if not request_cancel(session, provision.job_id):
        raise Conflict(f"Provision {provision_id} is finishing", code="provision_not_running")
    if provision.started is None:
        finish(session, provision, FAILED, "cancelled before it started")
    return provision


# --------------------------------------------------------------------------------------------------
# Ending a job (used by the runner and by cancel)


def finish(session: Session, provision: Provision, status: int, error: str | None = None) -> None:
    """Record the final status, revoke the job's credential and, on failure, release its reserved items."""
    provision.provisioning_status = status
    provision.finished = utcnow()
    provision.credential_revoked = True
    provision.error = error[:4000] if error else None
    if status == FAILED:
        release_reserved(session, provision)
    addons.on_job_finished(session, provision, status)


def release_reserved(session: Session, provision: Provision) -> list[int]:
    """Items the job reserved go back In Stock unless the playbook left them on a service that still exists."""
    released = []
    for inventory_id in provision.reserved_inventory or []:
        item = session.get(InventoryItem, inventory_id)
        if item is None or item.item_state != item_states.ASSIGNED or item.customer_id != provision.customer_id:
            continue  # already released (by the playbook's rescue) or moved on since
        if item.service_id not in (None, provision.service_id):
            continue  # the playbook left it on a service that still exists
        inventory.update_item(session, SYSTEM, inventory_id, {"item_state": item_states.IN_STOCK}, {})
        released.append(inventory_id)
    return released


# --------------------------------------------------------------------------------------------------
# Reading


def _scoped(stmt: Select[Any], principal: Principal) -> Select[Any]:
    """Staff with view_provision see every job; others (view_own_provision) their customer's or their own."""
    if principal.can("view_provision") and not principal.is_self_care:
        return stmt
    if principal.customer_id is not None:
        return stmt.where(Provision.customer_id == principal.customer_id)
    return stmt.where(Provision.initiating_user == principal.user_id) if principal.user_id is not None \
        else stmt.where(Provision.provision_id.is_(None))


def get_provision(session: Session, principal: Principal, provision_id: int) -> Provision:
    provision = session.scalar(_scoped(select(Provision).where(Provision.provision_id == provision_id), principal))
    if provision is None:
        raise NotFound(f"Provision {provision_id} not found", code="provision_not_found")
    return provision


PROVISION_LIST = ListSpec(
    sortable={name: getattr(Provision, name) for name in (
        "provision_id", "created", "provisioning_status", "provisioning_play", "customer_id", "product_id")},
    filterable={name: getattr(Provision, name) for name in (
        "provisioning_status", "customer_id", "product_id", "service_id", "provisioning_play", "action",
        "initiating_user")},
    default_sort=Provision.provision_id.desc(),
)


def list_provisions(session: Session, principal: Principal, query: ListQuery) -> Page:
    stmt = _scoped(select(Provision), principal)
    if query.search:
        pattern = f"%{escape_like(query.search)}%"
        stmt = stmt.outerjoin(Customer, Customer.customer_id == Provision.customer_id) \
            .outerjoin(Product, Product.product_id == Provision.product_id) \
            .where(or_(*(column.ilike(pattern, escape="\\") for column in (
                Provision.provisioning_play, Provision.playbook_description, Customer.customer_name,
                Product.product_name))))
    return paginate(session, stmt, query.model_copy(update={"search": None}), PROVISION_LIST)


def provision_view(session: Session, principal: Principal, provision: Provision, *,
                   with_events: bool) -> dict[str, Any]:
    """The seed's shape (seed-extract-4 §11.1): the job, customer_name and its events as provisioning_result_json."""
    customer = session.get(Customer, provision.customer_id) if provision.customer_id else None
    product = session.get(Product, provision.product_id) if provision.product_id else None
    events = list(provision.events)
    staff = principal.can("view_provision") and not principal.is_self_care
    view: dict[str, Any] = {
        column: getattr(provision, column) for column in (
            "provision_id", "customer_id", "product_id", "service_id", "action", "provisioning_play",
            "playbook_description", "provisioning_status", "task_count", "initiating_user", "initiated_by",
            "reserved_inventory", "error", "retry_of", "job_id", "created", "started", "finished")}
    view.update(customer_name=customer.customer_name if customer else None,
                product_name=product.product_name if product else None,
                tasks_done=sum(1 for e in events if e.provisioning_status != RUNNING),
                provisioning_json_vars=provision.provisioning_json_vars if staff else None)
    if with_events:
        view["provisioning_result_json"] = [_event_view(e, staff) for e in events]
    return view


def _event_view(event: ProvisionEvent, staff: bool) -> dict[str, Any]:
    return {"provision_event_id": event.provision_event_id, "event_number": event.event_number,
            "event_name": event.event_name, "provisioning_status": event.provisioning_status,
            "skipped": event.provisioning_status == SUCCESS and _was_skipped(event.provisioning_result_json),
            "provisioning_result_json": event.provisioning_result_json if staff else None,
            "timestamp": event.timestamp}


def _was_skipped(result_json: str | None) -> bool:
    """A task whose condition was false (status 0, like a task that ran, per SPEC D6): Ansible's result says
    `skipped` at its top level. A result trimmed to the stored limit was not a skip (those are tiny)."""
    if not result_json or '"skipped": true' not in result_json:
        return False
    try:
        result = json.loads(result_json)
    except ValueError:
        return False
    return isinstance(result, dict) and result.get("skipped") is True
