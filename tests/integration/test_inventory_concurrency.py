"""Exclusive assignment: of two concurrent requests for one inventory item exactly one wins (real connections)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from omnicrm.core.auth import SYSTEM
from omnicrm.core.errors import Conflict
from omnicrm.inventory import service
from omnicrm.inventory.models import InventoryItem
from omnicrm.inventory.schemas import ItemCreate, TemplateCreate
from tests.support.catalogue import SIM_TEMPLATE, sim
from tests.support.factories import make_customer

ROUNDS = 12


@pytest.fixture
def customers(committed_db):
    with committed_db.transaction() as session:
        return [make_customer(session, "First"), make_customer(session, "Second")]


@pytest.fixture
def stock(committed_db, session_app, customers):  # the application configures encryption at rest (Ki/OPc)
    with committed_db.transaction() as session:
        service.create_template(session, SYSTEM, TemplateCreate.model_validate(SIM_TEMPLATE).model_dump())
        items = [service.create_item(session, SYSTEM, ItemCreate.model_validate(sim(n, item_state="In Stock")))
                 for n in range(1, ROUNDS + 1)]
        session.flush()
        return [item.inventory_id for item in items]


def _assign(db, inventory_id, customer_id, barrier):
    barrier.wait()
    try:
        with db.transaction() as session:
            service.assign_item(session, SYSTEM, inventory_id, customer_id=customer_id, expected_item="SIM Card")
        return "won"
    except Conflict as exc:
        return exc.code


def test_two_concurrent_assignments_exactly_one_wins(committed_db, stock, customers):
    for inventory_id in stock:
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(_assign, committed_db, inventory_id, customer, barrier) for customer in customers]
            results = [future.result() for future in futures]
        assert results.count("won") == 1, results
        assert set(results) - {"won"} <= {"inventory_not_free", "inventory_changed"}
        winner = customers[results.index("won")]
        with committed_db.transaction() as session:
            item = session.get(InventoryItem, inventory_id)
            assert (item.item_state, item.customer_id) == ("Assigned", winner)


@pytest.mark.mariadb
def test_a_change_based_on_a_stale_read_is_refused(committed_db, stock, customers):
    inventory_id = stock[0]
    slow = committed_db.session()
    try:
        stale = slow.get(InventoryItem, inventory_id)  # read before the other request commits
        assert stale.item_state == "In Stock"
        with committed_db.transaction() as fast:
            service.assign_item(fast, SYSTEM, inventory_id, customer_id=customers[0])
        with pytest.raises(Conflict) as raised:
            service.update_item(slow, SYSTEM, inventory_id, {"customer_id": customers[1]}, {})
        assert raised.value.code == "inventory_changed" and raised.value.extra["inventory_id"] == inventory_id
    finally:
        slow.rollback()
        slow.close()
    with committed_db.transaction() as session:
        assert session.get(InventoryItem, inventory_id).customer_id == customers[0]
