"""Facts one domain publishes for others without being imported by them (late-bound, per application).

The customers and services domains own their tables; the catalogue and inventory only need a few facts about
a customer or a service (account type, service type, product, owner). The owning domain registers a provider
in its `register(app)`; consumers ask through the functions below and never import the owner's modules.
Providers live in `AppState.services`, so a test may register a double that is dropped after the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from omnicrm.core.errors import DependencyUnavailable

CUSTOMER = "facts.customer"  # (session, customer_id) -> CustomerFacts | None
SERVICE = "facts.service"  # (session, service_id) -> ServiceFacts | None
CUSTOMER_SERVICES = "facts.customer_services"  # (session, customer_id) -> list[ServiceFacts]
PRODUCT_SERVICE_COUNT = "facts.product_service_count"  # (session, product_id) -> int
PRODUCTS_USING_INVENTORY_TYPE = "facts.products_using_inventory_type"  # (session, item name) -> [product_id]
CONTACT_CUSTOMER = "facts.contact_customer"  # (session, contact_id) -> customer_id | None


@dataclass(frozen=True)
class CustomerFacts:
    customer_id: int
    account_type: str  # Individual | Business (SPEC D6)
    status: str | None = None


@dataclass(frozen=True)
class ServiceFacts:
    service_id: int
    customer_id: int
    product_id: int | None
    service_type: str | None
    status: str | None = None


def provide(app: Flask, name: str, provider: Callable[..., Any]) -> None:
    app.extensions["omnicrm"].services[name] = provider


def provider(name: str) -> Callable[..., Any] | None:
    if not has_app_context():  # a script or job without an application: no other domain to ask
        return None
    found = current_app.extensions["omnicrm"].services.get(name)
    return found if callable(found) else None


def _required(name: str, what: str) -> Callable[..., Any]:
    found = provider(name)
    if found is None:
        raise DependencyUnavailable(f"{what} are not available in this deployment", code="facts_unavailable")
    return found


def customer_facts(session: Session, customer_id: int) -> CustomerFacts | None:
    result: CustomerFacts | None = _required(CUSTOMER, "Customer facts")(session, customer_id)
    return result


def service_facts(session: Session, service_id: int) -> ServiceFacts | None:
    result: ServiceFacts | None = _required(SERVICE, "Service facts")(session, service_id)
    return result


def customer_services(session: Session, customer_id: int) -> list[ServiceFacts]:
    return list(_required(CUSTOMER_SERVICES, "Service facts")(session, customer_id))


def is_provided(name: str) -> bool:
    return provider(name) is not None


def product_service_count(session: Session, product_id: int) -> int:
    """How many services use a product; 0 when no services provider is registered."""
    found = provider(PRODUCT_SERVICE_COUNT)
    return 0 if found is None else int(found(session, product_id))


def products_using_inventory_type(session: Session, item_name: str) -> list[int]:
    """Products whose inventory_items_list names this inventory type; [] without a catalogue provider."""
    found = provider(PRODUCTS_USING_INVENTORY_TYPE)
    return [] if found is None else [int(p) for p in found(session, item_name)]


def contact_customer_id(session: Session, contact_id: int) -> int | None:
    """The customer a contact belongs to; None when the contact does not exist."""
    found = _required(CONTACT_CUSTOMER, "Contact facts")(session, contact_id)
    return None if found is None else int(found)
