"""Real rows for tests that need a customer, contact or service to exist (foreign keys are enforced)."""

from __future__ import annotations

import uuid
from typing import Any

from omnicrm.customers.models import Contact, Customer, Site
from omnicrm.services.models import Service


def make_customer(session: Any, name: str = "Test Customer", **fields: Any) -> int:
    row = Customer(customer_name=name, **fields)
    session.add(row)
    session.flush()
    return row.customer_id


def make_contact(session: Any, customer_id: int, email: str = "contact@example.com", **fields: Any) -> int:
    row = Contact(customer_id=customer_id, contact_email=email, contact_types=["primary"], **fields)
    session.add(row)
    session.flush()
    return row.contact_id


def make_site(session: Any, customer_id: int, name: str = "Head office", **fields: Any) -> int:
    row = Site(customer_id=customer_id, site_name=name, **fields)
    session.add(row)
    session.flush()
    return row.site_id


def make_service(session: Any, customer_id: int, service_type: str = "mobile", **fields: Any) -> int:
    fields.setdefault("service_uuid", f"Service_{uuid.uuid4().hex[:8]}")
    fields.setdefault("service_name", f"Test service {fields['service_uuid']}")
    row = Service(customer_id=customer_id, service_type=service_type, **fields)
    session.add(row)
    session.flush()
    return row.service_id


def make_customers_with_ids(session: Any, *ids: int, account_type: str = "Individual") -> list[int]:
    """Customers with fixed ids, for tests written against known customer numbers."""
    for customer_id in ids:
        session.add(Customer(customer_id=customer_id, customer_name=f"Customer {customer_id}",
                             customer_account_type=account_type))
    session.flush()
    return list(ids)
