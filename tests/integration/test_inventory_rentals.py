"""Rented equipment not returned in time becomes Lost: the hourly job, on real connections (SPEC D6)."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from omnicrm.core import jobs
from omnicrm.core.auth import SYSTEM
from omnicrm.inventory import rentals, service
from omnicrm.inventory.models import InventoryItem
from omnicrm.inventory.schemas import ItemCreate
from tests.support.factories import make_customer, make_service

SENT_BACK = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)  # when the add-ons were removed
DUE = SENT_BACK + dt.timedelta(days=14)


@pytest.fixture
def rented(committed_db, session_app):
    """Five modems on one customer's service: three awaiting return since SENT_BACK, two still in use."""
    with committed_db.transaction() as session:
        customer_id = make_customer(session, "Renter")
        service_id = make_service(session, customer_id)
        service.create_template(session, SYSTEM, {"item": "Modem Router", "itemtext1_label": "Serial Number"})
        ids = [service.create_item(session, SYSTEM, ItemCreate.model_validate({
            "item": "Modem Router", "serial_number": f"MR-{n}", "customer_id": customer_id,
            "service_id": service_id})).inventory_id for n in range(5)]
        for inventory_id in ids[:3]:
            rentals.await_return(session, SYSTEM, inventory_id, now=SENT_BACK)
    return customer_id, ids[:3], ids[3:]


def items(db, ids):
    with db.transaction() as session:
        rows = [session.get(InventoryItem, inventory_id) for inventory_id in ids]
        session.expunge_all()
    return rows


def test_nothing_is_lost_before_the_due_date(committed_db, rented):
    _, awaiting, _ = rented
    assert rentals.mark_unreturned_lost(committed_db, DUE) == []
    assert {item.item_state for item in items(committed_db, awaiting)} == {"Assigned"}


def test_overdue_items_become_lost_keeping_their_customer(committed_db, rented):
    customer_id, awaiting, in_use = rented
    with committed_db.transaction() as session:  # one came back in time
        service.update_item(session, SYSTEM, awaiting[0], {"item_state": "In Stock"}, {})
    assert rentals.mark_unreturned_lost(committed_db, DUE + dt.timedelta(seconds=1)) == awaiting[1:]
    for item in items(committed_db, awaiting[1:]):
        assert (item.item_state, item.customer_id, item.service_id, item.return_due) == \
            ("Lost", customer_id, None, None)
        assert item.inventory_notes == "Awaiting return by 2026-03-15\nNot returned by 2026-03-15: marked Lost"
    assert [item.item_state for item in items(committed_db, [awaiting[0], *in_use])] == \
        ["In Stock", "Assigned", "Assigned"]
    assert rentals.mark_unreturned_lost(committed_db, DUE + dt.timedelta(days=30)) == []


def test_two_schedulers_at_once_mark_each_item_once(committed_db, rented):
    _, awaiting, _ = rented
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        return rentals.mark_unreturned_lost(committed_db, DUE + dt.timedelta(days=1))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [future.result() for future in [pool.submit(run) for _ in range(2)]]
    assert sorted(results[0] + results[1]) == awaiting
    for item in items(committed_db, awaiting):
        assert item.item_state == "Lost" and item.inventory_notes.count("marked Lost") == 1


def test_the_job_runs_hourly():
    task = jobs.periodic_tasks()[rentals.LOST_JOB]
    assert (task.interval_seconds, task.job_kind) == (3600, rentals.LOST_JOB)
    assert rentals.LOST_JOB in jobs.registered_kinds()


def test_the_job_marks_what_is_overdue_now(committed_db, rented):
    _, awaiting, _ = rented
    with committed_db.transaction() as session:
        job = jobs.enqueue(session, rentals.LOST_JOB)
        session.flush()
        job_id = job.job_id
    assert jobs.Worker(committed_db, run_scheduler=False).run_until_idle() == 1
    with committed_db.transaction() as session:
        job = session.get(jobs.Job, job_id)
        assert (job.status, job.result) == ("succeeded", {"marked_lost": awaiting})
