"""The demo seeder adds a few charges and a credit to the demo customers, once."""

from decimal import Decimal

from sqlalchemy import func, select

from omnicrm.billing.demo import seed_transactions
from omnicrm.billing.models import Transaction
from omnicrm.customers.demo import seed_customers


def test_demo_transactions_are_seeded_once(session):
    seed_customers(session)
    assert seed_transactions(session) == ["transactions: 2 for Jane Citizen", "transactions: 2 for Acme Corporation"]
    taxes = session.scalars(select(Transaction.tax_amount).order_by(Transaction.transaction_id)).all()
    assert taxes == [Decimal("1.00"), Decimal("0.00"), Decimal("7.50"), Decimal("1.25")]
    assert seed_transactions(session) == []
    assert session.scalar(select(func.count()).select_from(Transaction)) == 4
