"""The demo seeder makes customers with contacts, sites, tags and attributes, plus a self-care login."""

from sqlalchemy import select

from omnicrm.auth.models import User
from omnicrm.customers.demo import SELF_CARE_EMAIL, seed_customers
from omnicrm.customers.models import Customer


def test_demo_customers_are_complete_and_seeding_is_idempotent(session):
    lines = seed_customers(session)
    assert any("Acme Corporation" in line for line in lines)
    acme = session.scalar(select(Customer).where(Customer.customer_name == "Acme Corporation"))
    assert acme.customer_account_type == "Business"
    assert len(acme.contacts) == 2 and len(acme.sites) == 2 and acme.tags and acme.attributes
    assert acme.contacts[0].contact_phone_e164 == "+447700900123"
    user = session.scalar(select(User).where(User.email == SELF_CARE_EMAIL))
    jane = session.get(Customer, user.customer_id)
    assert jane.customer_name == "Jane Citizen" and user.contact_id == jane.contacts[0].contact_id
    assert seed_customers(session) == []
