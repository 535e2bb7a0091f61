"""Catalogue rules: products, their validation, cloning and what is on offer to whom.

Plain functions taking an explicit session and principal; they add and flush, never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from omnicrm.catalog import rules
from omnicrm.catalog.models import Product
from omnicrm.catalog.schemas import ProductCustomerOut, ProductOut
from omnicrm.core import facts
from omnicrm.core.api import ListQuery, ListSpec, Page, paginate
from omnicrm.core.auth import Principal
from omnicrm.core.config import Settings
from omnicrm.core.db import utcnow
from omnicrm.core.errors import AppError, Conflict, Forbidden, NotFound, field_error
from omnicrm.core.patching import check_path_id
from omnicrm.inventory import service as inventory
from omnicrm.provisioning import playbooks

CLONE_SUFFIX = "_clone"
SLUG_MAX, NAME_MAX = 150, 255


# --------------------------------------------------------------------------------------------------
# Reading


def get_product(session: Session, principal: Principal, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None or not _visible(principal, product):
        raise NotFound(f"Product {product_id} not found", code="product_not_found")
    return product


def get_product_by_slug(session: Session, principal: Principal, slug: str) -> Product:
    product = session.scalar(select(Product).where(func.lower(Product.product_slug) == slug.strip().lower()))
    if product is None or not _visible(principal, product):
        raise NotFound(f"Product {slug} not found", code="product_not_found")
    return product


def list_products(session: Session, principal: Principal, *, include_disabled: bool) -> list[Product]:
    stmt = select(Product).order_by(Product.product_id)
    if not include_disabled or principal.is_self_care:
        stmt = stmt.where(Product.enabled.is_(True))
    return [p for p in session.scalars(stmt) if _visible(principal, p)]


PRODUCT_LIST = ListSpec(
    sortable={name: getattr(Product, name) for name in (
        "product_id", "product_name", "product_slug", "category", "service_type", "retail_cost", "created",
        "last_modified")},
    filterable={name: getattr(Product, name) for name in (
        "category", "service_type", "enabled", "residential", "business", "customer_can_purchase", "auto_renew")},
    searchable=[Product.product_name, Product.product_slug, Product.comment],
    default_sort=Product.product_id,
)


def page_products(session: Session, principal: Principal, query: ListQuery, *, include_disabled: bool) -> Page:
    stmt = select(Product)
    if not include_disabled or principal.is_self_care:
        stmt = stmt.where(Product.enabled.is_(True))
    if principal.is_self_care:  # rules.PRODUCT_RULES for the self-care channel, as SQL so paging stays exact
        now = utcnow()
        stmt = stmt.where(Product.customer_can_purchase.is_(True),
                          (Product.available_from.is_(None)) | (Product.available_from <= now),
                          (Product.available_until.is_(None)) | (Product.available_until > now))
    return paginate(session, stmt, query, PRODUCT_LIST)


def product_view(product: Product, principal: Principal) -> dict[str, Any]:
    """Customers never see wholesale costs or provisioning internals."""
    model = ProductCustomerOut if principal.is_self_care else ProductOut
    return model.model_validate(product).model_dump()


def _visible(principal: Principal, product: Product) -> bool:
    """Self-care principals only see what they could buy in self-care."""
    if not principal.is_self_care:
        return True
    ctx = rules.SaleContext(channel=rules.SELF_CARE, now=utcnow())
    return rules.is_available(offer_of(product, {}), ctx, rules.PRODUCT_RULES)


# --------------------------------------------------------------------------------------------------
# Writing


def create_product(session: Session, principal: Principal, settings: Settings,
                   values: Mapping[str, Any]) -> Product:
    _staff_only(principal)
    product = Product(**values)
    with session.no_autoflush:
        _check_product(session, settings, product)
    session.add(product)
    _flush(session, product)
    return product


def update_product(session: Session, principal: Principal, settings: Settings, product_id: int,
                   changes: Mapping[str, Any]) -> Product:
    _staff_only(principal)
    product = get_product(session, principal, product_id)
    changes = dict(changes)
    check_path_id(changes.pop("product_id", None), product_id, "product_id")
    old_slug = product.product_slug
    with session.no_autoflush:
        for key, value in changes.items():
            setattr(product, key, value)
        _check_product(session, settings, product)
        if product.product_slug.lower() != old_slug.lower():
            _refuse_if_relied_on(session, product, old_slug, "have its slug changed")
    _flush(session, product)
    return product


def delete_product(session: Session, principal: Principal, product_id: int) -> None:
    _staff_only(principal)
    product = get_product(session, principal, product_id)
    services = facts.product_service_count(session, product_id)
    if services:
        raise Conflict(f"Product {product_id} is used by {services} service(s); disable it instead",
                       code="product_in_use", product_id=product_id)
    _refuse_if_relied_on(session, product, product.product_slug, "be deleted")
    session.delete(product)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"Product {product_id} is still referenced; disable it instead",
                       code="product_in_use", product_id=product_id) from None


def clone_product(session: Session, principal: Principal, product_id: int) -> Product:
    """A disabled copy whose name and slug get the suffix _clone (_clone2, ... when taken)."""
    _staff_only(principal)
    original = get_product(session, principal, product_id)
    copied = {column.key: getattr(original, column.key) for column in Product.__table__.columns
              if column.key not in ("product_id", "created", "last_modified")}
    suffix = _free_clone_suffix(session, original.product_slug)
    copied.update(product_slug=original.product_slug[: SLUG_MAX - len(suffix)] + suffix,
                  product_name=original.product_name[: NAME_MAX - len(suffix)] + suffix, enabled=False)
    for list_field in ("features_list", "inventory_items_list", "relies_on_list"):
        copied[list_field] = list(copied[list_field] or [])
    clone = Product(**copied)
    session.add(clone)
    _flush(session, clone)
    return clone


def _free_clone_suffix(session: Session, slug: str) -> str:
    taken = {s.lower() for s in session.scalars(
        select(Product.product_slug).where(func.lower(Product.product_slug).like(f"{slug.lower()}{CLONE_SUFFIX}%")))}
    number = 1
    while True:
        suffix = CLONE_SUFFIX if number == 1 else f"{CLONE_SUFFIX}{number}"
        if f"{slug[: SLUG_MAX - len(suffix)]}{suffix}".lower() not in taken:
            return suffix
        number += 1


def _check_product(session: Session, settings: Settings, product: Product) -> None:
    if product.service_type not in settings.service_types:
        raise field_error("service_type", f"unknown service type '{product.service_type}' (configured: "
                                          f"{', '.join(settings.service_types)})")
    if not play_path(settings, product.provisioning_play).is_file():
        raise field_error("provisioning_play", f"no playbook {product.provisioning_play}.yaml in "
                                               f"{settings.provisioning.plays_directory}")
    if product.available_from and product.available_until and product.available_until <= product.available_from:
        raise field_error("available_until", "must be after available_from")
    _check_slug_free(session, product)
    product.inventory_items_list = _known_inventory_types(session, product.inventory_items_list or [])
    _check_relies_on(session, product)


def play_path(settings: Settings, play: str) -> Path:
    return settings.resolve_path(settings.provisioning.plays_directory) / f"{play}.yaml"


def plays_on_offer(principal: Principal, settings: Settings) -> list[dict[str, str]]:
    """The playbooks a product may name (those `_check_product` accepts), with their first play's name.
    Provisioning internals, like the product's own provisioning fields, are for staff only."""
    if principal.is_self_care:
        raise Forbidden("Customers cannot see provisioning playbooks", code="permission_denied")
    directory = settings.resolve_path(settings.provisioning.plays_directory)
    offered = []
    for name in playbooks.available_plays(directory):
        path = play_path(settings, name)
        if path.is_file():
            offered.append({"name": name, "description": _play_description(path)})
    return offered


def _play_description(path: Path) -> str:
    try:
        return playbooks.describe(path)
    except AppError:  # unreadable YAML: still listed, so the editor shows what a product names
        return path.stem


def _check_slug_free(session: Session, product: Product) -> None:
    clash = session.scalar(select(Product.product_id).where(
        func.lower(Product.product_slug) == product.product_slug.lower(),
        Product.product_id != (product.product_id or 0)))
    if clash is not None:
        raise Conflict(f"A product with slug {product.product_slug} already exists", code="duplicate_product_slug",
                       product_id=clash, errors=[{"field": "product_slug", "message": "already exists"}])


def _known_inventory_types(session: Session, names: list[str]) -> list[str]:
    """Each entry must name an inventory template; entries take the template's own spelling."""
    known = inventory.template_names(session)
    missing = [name for name in names if name.lower() not in known]
    if missing:
        raise field_error("inventory_items_list", f"no inventory template named {', '.join(missing)}")
    return [known[name.lower()] for name in names]


def _check_relies_on(session: Session, product: Product) -> None:
    entries = product.relies_on_list or []
    resolved = resolve_product_refs(session, entries)
    missing = [entry for entry in entries if entry.lower() not in resolved]
    if missing:
        raise field_error("relies_on_list", f"unknown product(s): {', '.join(missing)}")
    if product.product_id is not None and product.product_id in resolved.values():
        raise field_error("relies_on_list", "a product cannot rely on itself")
    if product.product_id is None and product.product_slug.lower() in {e.lower() for e in entries}:
        raise field_error("relies_on_list", "a product cannot rely on itself")


def resolve_product_refs(session: Session, entries: list[str]) -> dict[str, int]:
    """relies_on_list entries (product ids or slugs, as the seed uses both) -> product ids, lowercased keys."""
    ids = {int(e) for e in entries if e.isdigit()}
    slugs = {e.lower() for e in entries if not e.isdigit()}
    resolved: dict[str, int] = {}
    if ids:
        resolved.update({str(pid): pid for pid in session.scalars(
            select(Product.product_id).where(Product.product_id.in_(ids)))})
    if slugs:
        resolved.update({slug.lower(): pid for pid, slug in session.execute(
            select(Product.product_id, Product.product_slug).where(func.lower(Product.product_slug).in_(slugs)))})
    return resolved


def _refuse_if_relied_on(session: Session, product: Product, slug: str, action: str) -> None:
    references = {str(product.product_id), slug.lower()}
    dependants = [other.product_id for other in session.scalars(select(Product).where(
        Product.product_id != product.product_id))
        if references & {entry.lower() for entry in (other.relies_on_list or [])}]
    if dependants:
        listed = ", ".join(str(p) for p in dependants)
        raise Conflict(f"Product(s) {listed} rely on product {product.product_id}, so it cannot {action}",
                       code="product_relied_on", product_ids=dependants)


def products_using_inventory_type(session: Session, item_name: str) -> list[int]:
    wanted = item_name.strip().lower()
    return [product.product_id for product in session.scalars(select(Product).order_by(Product.product_id))
            if wanted in {name.lower() for name in (product.inventory_items_list or [])}]


def _staff_only(principal: Principal) -> None:
    if principal.is_self_care:
        raise Forbidden("Customers cannot change the catalogue", code="permission_denied")


def _flush(session: Session, product: Product) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"A product with slug {product.product_slug} already exists",
                       code="duplicate_product_slug") from None


# --------------------------------------------------------------------------------------------------
# What is on offer (catalogue rules service)


def offer_of(product: Product, slug_ids: Mapping[str, int]) -> rules.Offer:
    relies = frozenset(pid for entry in (product.relies_on_list or [])
                       if (pid := _entry_id(entry, slug_ids)) is not None)
    return rules.Offer(
        product_id=product.product_id, category=product.category, service_type=product.service_type,
        enabled=product.enabled, residential=product.residential, business=product.business,
        customer_can_purchase=product.customer_can_purchase, available_from=product.available_from,
        available_until=product.available_until, relies_on=relies)


def _entry_id(entry: str, slug_ids: Mapping[str, int]) -> int | None:
    return int(entry) if entry.isdigit() else slug_ids.get(entry.lower())


def available_products(session: Session, principal: Principal, *, customer_id: int | None,
                       service_id: int | None, channel: str | None,
                       now: dt.datetime | None = None) -> tuple[list[Product], list[tuple[Product, list[str]]]]:
    """The products on offer to a customer (add-ons when a target service is named), and the others with why."""
    channel = rules.SELF_CARE if principal.is_self_care else (channel or rules.STAFF)
    if principal.is_self_care:
        if customer_id is not None and customer_id != principal.customer_id:
            raise NotFound(f"Customer {customer_id} not found", code="customer_not_found")
        customer_id = principal.customer_id
    target, customer_id = _target_service(session, principal, service_id, customer_id)
    products = list(session.scalars(select(Product).order_by(Product.product_id)))
    slug_ids = {p.product_slug.lower(): p.product_id for p in products}
    ctx = rules.SaleContext(channel=channel, now=now or utcnow(), target=target,
                            account_type=_account_type(session, customer_id),
                            held_product_ids=_held_products(session, customer_id, target, products))
    available, excluded = [], []
    for product in products:
        reasons = rules.unavailability_reasons(offer_of(product, slug_ids), ctx)
        if reasons:
            excluded.append((product, reasons))
        else:
            available.append(product)
    return available, excluded


def _target_service(session: Session, principal: Principal, service_id: int | None,
                    customer_id: int | None) -> tuple[rules.Target | None, int | None]:
    if service_id is None:
        return None, customer_id
    service = facts.service_facts(session, service_id)
    hidden = service is None or (principal.is_self_care and service.customer_id != customer_id)
    if hidden:
        raise NotFound(f"Service {service_id} not found", code="service_not_found")
    assert service is not None
    if customer_id is not None and service.customer_id != customer_id:
        raise field_error("service_id", f"service {service_id} belongs to another customer")
    target = rules.Target(service_type=service.service_type, product_id=service.product_id, status=service.status)
    return target, service.customer_id


def _account_type(session: Session, customer_id: int | None) -> str | None:
    if customer_id is None:
        return None
    customer = facts.customer_facts(session, customer_id)
    if customer is None:
        raise NotFound(f"Customer {customer_id} not found", code="customer_not_found")
    return customer.account_type


def _held_products(session: Session, customer_id: int | None, target: rules.Target | None,
                   products: list[Product]) -> frozenset[int]:
    """Products of the customer's live services; only looked up when a standalone product has prerequisites."""
    needed = target is None and customer_id is not None and any(
        p.relies_on_list and p.category != rules.ADDON for p in products)
    if not needed:
        return frozenset()
    assert customer_id is not None
    return frozenset(s.product_id for s in facts.customer_services(session, customer_id)
                     if s.product_id is not None and (s.status or "").lower() != rules.DEACTIVATED)
