"""Demo services for the demo customers (OCS accounts come from provisioning, so these have none yet)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omnicrm.customers.models import Customer
from omnicrm.services.models import Service

DEMO_SERVICES: list[dict[str, Any]] = [
    {"customer_name": "Jane Citizen", "service_name": "Mobile SIM - 0412345678", "service_type": "mobile",
     "service_uuid": "Service_d3m00001", "retail_cost": 30},
    {"customer_name": "Acme Corporation", "service_name": "Fibre 1000 - Head Office", "service_type": "fixed",
     "service_uuid": "Service_d3m00002", "retail_cost": 120},
]


def seed_services(session: Session) -> list[str]:
    lines = []
    for values in DEMO_SERVICES:
        fields = dict(values)
        customer_id = session.scalar(select(Customer.customer_id).where(
            Customer.customer_name == fields.pop("customer_name")).order_by(Customer.customer_id).limit(1))
        exists = session.scalar(select(Service.service_id).where(Service.service_uuid == fields["service_uuid"]))
        if customer_id is None or exists is not None:
            continue
        session.add(Service(customer_id=customer_id, **fields))
        lines.append(f"service {fields['service_name']} ({fields['service_uuid']})")
    session.flush()
    return lines
