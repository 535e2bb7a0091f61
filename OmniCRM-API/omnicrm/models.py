"""Imports every domain's models so Base.metadata describes the whole schema (Alembic, tests)."""

from __future__ import annotations

import importlib

from omnicrm.core.db import Base

MODEL_MODULES = [
    "omnicrm.core.audit",
    "omnicrm.core.jobs",
    "omnicrm.auth.models",
    "omnicrm.utilities.search",
    "omnicrm.customers.models",
    "omnicrm.communications.models",
    "omnicrm.inventory.models",
    "omnicrm.catalog.models",
    "omnicrm.services.models",
    "omnicrm.provisioning.models",
    "omnicrm.billing.models",
]


def load_all_models() -> type[Base]:
    for module in MODEL_MODULES:
        importlib.import_module(module)
    return Base
