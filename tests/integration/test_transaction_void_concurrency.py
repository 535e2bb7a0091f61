"""Voiding a transaction: of two concurrent voids of one line exactly one wins (real connections)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from omnicrm.billing import service
from omnicrm.billing.models import Transaction
from omnicrm.core.auth import SYSTEM
from omnicrm.core.errors import Conflict
from tests.support.factories import make_customer

ROUNDS = 8


def _void(db, transaction_id, reason, barrier):
    barrier.wait()
    try:
        with db.transaction() as session:
            service.void_transaction(session, SYSTEM, transaction_id, reason)
        return "won"
    except Conflict as exc:
        return exc.code


def test_two_concurrent_voids_exactly_one_wins(committed_db, session_app):
    with committed_db.transaction() as session, session_app.app_context():
        customer_id = make_customer(session, "Payer")
        ids = [service.record_charge(session, SYSTEM, customer_id, None, f"Charge {n}", 10).transaction_id
               for n in range(ROUNDS)]
    for transaction_id in ids:
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(_void, committed_db, transaction_id, reason, barrier) for reason in ("a", "b")]
            results = [future.result() for future in futures]
        assert sorted(results) == ["transaction_already_void", "won"], results
        with committed_db.transaction() as session:
            row = session.get(Transaction, transaction_id)
            assert row.void and row.void_reason == ("a", "b")[results.index("won")]
