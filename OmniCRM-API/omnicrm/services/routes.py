"""Services API (`/crm/service/...`)."""

from __future__ import annotations

from flask import Flask

from omnicrm.core import facts
from omnicrm.customers import service as customers
from omnicrm.services import facts_providers


def register(app: Flask) -> None:
    facts.provide(app, facts.SERVICE, facts_providers.service_facts)
    facts.provide(app, facts.CUSTOMER_SERVICES, facts_providers.customer_services)
    facts.provide(app, facts.PRODUCT_SERVICE_COUNT, facts_providers.product_service_count)
    customers.register_active_services_check(facts_providers.active_service_count)
