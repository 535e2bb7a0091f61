"""Demo transactions: two charges or a charge and a credit on two demo customers, so billing screens show data."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from omnicrm.billing import service
from omnicrm.billing.models import Transaction
from omnicrm.core.auth import SYSTEM
from omnicrm.customers.models import Customer

# customer name -> (title, description, retail, wholesale, tax %)
TRANSACTIONS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "Jane Citizen": [
        ("SIM starter pack", "Prepaid SIM and number", "10.00", "1.00", "10"),
        ("Goodwill credit", "Credit for the network outage on the 3rd", "-5.00", "0", "0"),
    ],
    "Acme Corporation": [
        ("Installation fee", "On-site installation of the fibre CPE", "75.00", "45.00", "10"),
        ("Modem rental", "Monthly CPE rental", "12.50", "4.00", "10"),
    ],
}


def seed_transactions(session: Session) -> list[str]:
    lines = []
    for name, charges in TRANSACTIONS.items():
        customer_id = session.scalar(select(Customer.customer_id).where(Customer.customer_name == name))
        if customer_id is None or _has_transactions(session, customer_id):
            continue
        for title, description, retail, wholesale, tax in charges:
            service.record_charge(session, SYSTEM, customer_id, None, title, Decimal(retail),
                                  wholesale_cost=Decimal(wholesale), tax_percentage=Decimal(tax),
                                  description=description)
        lines.append(f"transactions: {len(charges)} for {name}")
    return lines


def _has_transactions(session: Session, customer_id: int) -> bool:
    found = session.scalar(select(Transaction.transaction_id).where(Transaction.customer_id == customer_id).limit(1))
    return found is not None
