"""Demo data for `omnicrm seed-demo` / `make run`. Every seeder is idempotent."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from omnicrm.auth import demo as auth_demo
from omnicrm.billing import demo as billing_demo
from omnicrm.catalog import demo as catalog_demo
from omnicrm.core.db import Database
from omnicrm.customers import demo as customers_demo
from omnicrm.inventory import demo as inventory_demo
from omnicrm.services import demo as services_demo

# Each seeder returns human-readable lines describing what it created.
SEEDERS: list[Callable[[Session], list[str]]] = [
    auth_demo.seed_staff,
    customers_demo.seed_customers,
    inventory_demo.seed_inventory,
    catalog_demo.seed_products,
    services_demo.seed_services,
    billing_demo.seed_transactions,
]


def seed_all(db: Database) -> list[str]:
    lines: list[str] = []
    for seeder in SEEDERS:
        with db.transaction() as session:
            lines.extend(seeder(session))
    return lines or ["demo data already present"]
