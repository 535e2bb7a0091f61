"""Demo customers: an individual (with a self-care login) and businesses with contacts, sites, tags, attributes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omnicrm.auth import service as auth_service
from omnicrm.auth.demo import DEMO_PASSWORD
from omnicrm.core.auth import SYSTEM
from omnicrm.customers import service
from omnicrm.customers.models import Customer
from omnicrm.customers.schemas import AttributeIn, CustomerIn, TagIn

SELF_CARE_EMAIL = "customer@omnicrm.demo"

DEMO_CUSTOMERS: list[dict[str, Any]] = [
    {
        "customer": {
            "customer_name": "Jane Citizen", "customer_account_type": "Individual", "customer_payment_type": "prepaid",
            "contract_start_date": "2025-01-01 00:00:00",
            "contacts": [{"contact_firstname": "Jane", "contact_lastname": "Citizen",
                          "contact_email": "jane.citizen@example.com", "contact_phone": "0412 345 678",
                          "contact_types": ["primary", "billing"]}],
            "sites": [{"site_name": "Home", "address_line_1": "12 Harbour Street", "city": "Sydney", "state": "NSW",
                       "zip_code": "2000", "country": "Australia", "latitude": -33.8688, "longitude": 151.2093}],
        },
        "tags": [{"tag_text": "New Customer", "tag_hex_color": "4CAF50"}],
        "attributes": {"preferred_contact_method": "email", "onboarding_date": "2025-01-01"},
    },
    {
        "customer": {
            "customer_name": "Acme Corporation", "customer_account_type": "Business",
            "customer_payment_type": "postpaid", "tax_identifier": "ABN 51 824 753 556",
            "contract_start_date": "2025-01-01 00:00:00", "contract_end_date": "2027-12-31 23:59:59",
            "contacts": [
                {"contact_firstname": "John", "contact_lastname": "Smith", "contact_email": "john@example.com",
                 "contact_phone": "+44 7700 900123", "contact_types": ["primary", "technical"]},
                {"contact_firstname": "Wile", "contact_lastname": "Coyote", "contact_email": "accounts@acme.example",
                 "contact_phone": "+61 2 9374 4000", "contact_types": ["billing"]},
            ],
            "sites": [
                {"site_name": "London Office", "address_line_1": "123 Main Street", "city": "London",
                 "state": "Greater London", "zip_code": "SW1A 1AA", "country": "United Kingdom", "latitude": 51.5074,
                 "longitude": -0.1278, "plus_code": "9C3XGPHC+3Q",
                 "google_maps_place_id": "ChIJdd4hrwug2EcRmSrV3Vo6III"},
                {"site_name": "Sydney Warehouse", "address_line_1": "42 Wallaby Way", "city": "Sydney",
                 "state": "NSW", "zip_code": "2000", "country": "Australia", "latitude": -33.8651,
                 "longitude": 151.2099},
            ],
        },
        "tags": [{"tag_text": "VIP Customer", "tag_hex_color": "FFD700", "tag_link": "https://example.com/vip"}],
        "attributes": {"external_crm_id": "SF-12345", "support_tier": "premium", "billing_cycle": "monthly",
                       "credit_limit": "10000"},
    },
    {
        "customer": {
            "customer_name": "Globex Networks", "customer_account_type": "Business",
            "customer_payment_type": "postpaid", "customer_status": "Suspended",
            "contacts": [{"contact_firstname": "Hank", "contact_lastname": "Scorpio",
                          "contact_email": "hank@globex.example", "contact_types": ["primary"]}],
            "sites": [{"site_name": "Cypress Creek Campus", "address_line_1": "1 Globex Way", "city": "Melbourne",
                       "state": "VIC", "zip_code": "3000", "country": "Australia", "latitude": -37.8136,
                       "longitude": 144.9631}],
        },
        "tags": [{"tag_text": "Payment overdue", "tag_hex_color": "F44336"}],
        "attributes": {"legacy_system_id": "OLD-CRM-789"},
    },
]


def seed_customers(session: Session) -> list[str]:
    created = []
    for demo in DEMO_CUSTOMERS:
        name = demo["customer"]["customer_name"]
        if session.scalar(select(Customer.customer_id).where(Customer.customer_name == name)) is not None:
            continue
        customer = service.create_customer(session, SYSTEM, CustomerIn.model_validate(demo["customer"]))
        for tag in demo["tags"]:
            service.create_tag(session, SYSTEM, TagIn.model_validate({**tag, "customer_id": customer.customer_id}))
        for attribute_name, value in demo["attributes"].items():
            service.create_attribute(session, SYSTEM, AttributeIn(customer_id=customer.customer_id,
                                                                  attribute_name=attribute_name,
                                                                  attribute_value=value))
        created.append(f"customer {customer.customer_id} {name}")
    created.extend(_self_care_login(session))
    return created


def _self_care_login(session: Session) -> list[str]:
    """The demo's self-care user, linked to Jane Citizen and her primary contact."""
    if auth_service.find_user_by_email(session, SELF_CARE_EMAIL) is not None:
        return []
    jane = session.scalar(select(Customer).where(Customer.customer_name == "Jane Citizen"))
    if jane is None or not jane.contacts:
        return []
    auth_service.create_user(session, email=SELF_CARE_EMAIL, password=DEMO_PASSWORD, username="jane.citizen",
                             first_name="Jane", last_name="Citizen", roles=["Customer"],
                             customer_id=jane.customer_id, contact_id=jane.contacts[0].contact_id,
                             email_verified=True)
    return [f"self-care user {SELF_CARE_EMAIL} / {DEMO_PASSWORD} (customer {jane.customer_id})"]
