"""Demo products: a prepaid mobile SIM plan, a data add-on and an auto-renewing plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from omnicrm.catalog import service
from omnicrm.catalog.models import Product
from omnicrm.catalog.schemas import ProductCreate
from omnicrm.core.auth import SYSTEM

PRODUCTS: list[dict[str, Any]] = [
    {"product_slug": "prepaid-mobile-20gb", "product_name": "Prepaid Mobile 20GB", "category": "standalone",
     "service_type": "mobile", "icon": "fa-solid fa-sim-card", "comment": "SIM and number, 20GB for 30 days",
     "retail_cost": Decimal("15.00"), "wholesale_cost": Decimal("5.00"), "retail_setup_cost": Decimal("0.00"),
     "wholesale_setup_cost": Decimal("1.00"), "tax_percentage": Decimal("10"), "enabled": True,
     "residential": True, "business": True, "customer_can_purchase": True, "contract_days": 30,
     "auto_renew": "prompt", "allow_auto_renew": True, "provisioning_play": "play_psim_only",
     "provisioning_json_vars": '{"days": 30, "data_gb": 20, "voice_minutes": "unlimited", "sms_count": "unlimited"}',
     "inventory_items_list": ["SIM Card", "Mobile Number"],
     "features_list": ["20GB data", "Unlimited calls", "Unlimited SMS", "30 days"],
     "terms": "Must be activated within 6 months. Credit expires after 30 days."},
    {"product_slug": "mobile-monthly-30gb", "product_name": "Mobile 30GB Monthly (auto-renew)",
     "category": "standalone", "service_type": "mobile", "icon": "fa-solid fa-mobile",
     "comment": "Renews every month through an OCS ActionPlan", "retail_cost": Decimal("30.00"),
     "wholesale_cost": Decimal("12.00"), "tax_percentage": Decimal("10"), "enabled": True, "residential": True,
     "business": True, "customer_can_purchase": True, "contract_days": 30, "auto_renew": "true",
     "allow_auto_renew": True, "provisioning_play": "play_simple_service",
     "provisioning_json_vars": '{"data_gb": 30}', "inventory_items_list": [],
     "features_list": ["30GB data every month", "Unlimited calls and SMS", "Cancel any time"],
     "terms": "Renews every 30 days until cancelled."},
    {"product_slug": "data-addon-5gb", "product_name": "5GB Data Boost", "category": "addon",
     "service_type": "mobile", "icon": "fa-solid fa-plus", "comment": "One-off 5GB, valid 7 days",
     "retail_cost": Decimal("5.00"), "wholesale_cost": Decimal("1.50"), "tax_percentage": Decimal("10"),
     "enabled": True, "residential": True, "business": True, "customer_can_purchase": True, "contract_days": 0,
     "auto_renew": "false", "provisioning_play": "play_local_data_addon",
     "provisioning_json_vars": '{"data_gb": 5, "days": 7}', "inventory_items_list": [],
     "relies_on_list": ["prepaid-mobile-20gb", "mobile-monthly-30gb"],
     "features_list": ["5GB extra data", "Valid for 7 days"], "terms": "Unused data expires after 7 days."},
]


def seed_products(session: Session) -> list[str]:
    settings = current_app.extensions["omnicrm"].settings
    existing = {slug.lower() for slug in session.scalars(Product.__table__.select().with_only_columns(
        Product.product_slug))}
    lines = []
    for values in PRODUCTS:
        if values["product_slug"].lower() in existing:
            continue
        body = ProductCreate.model_validate(values)
        service.create_product(session, SYSTEM, settings, body.model_dump())
        lines.append(f"product {values['product_name']} ({values['provisioning_play']})")
    return lines
