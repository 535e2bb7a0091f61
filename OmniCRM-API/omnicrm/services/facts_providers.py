"""What other domains may know about services (core.facts), answered from customer_service."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from omnicrm.core.facts import ServiceFacts
from omnicrm.services.models import ACTIVE, Service

_FACT_COLUMNS = (Service.service_id, Service.customer_id, Service.product_id, Service.service_type,
                 Service.service_status)


def _facts(row: Any) -> ServiceFacts:
    return ServiceFacts(row.service_id, row.customer_id, row.product_id, row.service_type, row.service_status)


def service_facts(session: Session, service_id: int) -> ServiceFacts | None:
    row = session.execute(select(*_FACT_COLUMNS).where(Service.service_id == service_id)).first()
    return None if row is None else _facts(row)


def customer_services(session: Session, customer_id: int) -> list[ServiceFacts]:
    rows = session.execute(select(*_FACT_COLUMNS).where(Service.customer_id == customer_id)
                           .order_by(Service.service_id))
    return [_facts(row) for row in rows]


def product_service_count(session: Session, product_id: int) -> int:
    return session.scalar(select(func.count()).where(Service.product_id == product_id)) or 0


def active_service_count(session: Session, customer_id: int) -> int:
    return session.scalar(select(func.count()).where(Service.customer_id == customer_id,
                                                     Service.service_status == ACTIVE)) or 0
