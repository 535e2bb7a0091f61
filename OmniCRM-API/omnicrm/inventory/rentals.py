"""Rented equipment coming back (SPEC D6): taken off its service, an item stays Assigned to the customer with a
`return_due` date; staff set it In Stock when it is back, and the hourly job marks it Lost once the date passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.exc import StaleDataError

from omnicrm.core import jobs
from omnicrm.core.auth import Principal
from omnicrm.core.db import Database, utcnow
from omnicrm.core.errors import Conflict
from omnicrm.inventory import service, states
from omnicrm.inventory.models import InventoryItem

DEFAULT_RETURN_DAYS = 14
LOST_JOB = "inventory.mark_unreturned_lost"
_settings: dict[str, Any] = {"return_days": DEFAULT_RETURN_DAYS}


def configure(*, rental_return_days: int) -> None:
    """How many days a customer has to bring rented equipment back (`inventory.rental_return_days`)."""
    _settings["return_days"] = rental_return_days


def is_awaiting_return(item: InventoryItem) -> bool:
    return item.item_state == states.ASSIGNED and item.service_id is None and item.return_due is not None


def await_return(session: Session, principal: Principal, inventory_id: int, *,
                 now: dt.datetime | None = None) -> InventoryItem:
    """Take an Assigned item off its service; it stays the customer's until it is back or overdue.

    Asking again keeps the first due date.
    """
    service.staff_only(principal)
    item = service.get_item(session, principal, inventory_id)
    if is_awaiting_return(item):
        return item
    if item.item_state != states.ASSIGNED:
        raise Conflict(f"Inventory item {inventory_id} is {item.item_state}; only an Assigned item can await "
                       "its return", code="inventory_not_assigned", inventory_id=inventory_id,
                       errors=[{"field": "item_state", "message": f"is {item.item_state}, not Assigned"}])
    due = (now or utcnow()) + dt.timedelta(days=_settings["return_days"])
    service.update_item(session, principal, inventory_id, {"service_id": None}, {})
    item.return_due = due
    item.inventory_notes = _with_note(item.inventory_notes, f"Awaiting return by {due:%Y-%m-%d}")
    service.flush_item(session, inventory_id)
    return item


def _with_note(notes: str | None, line: str) -> str:
    return f"{notes.rstrip()}\n{line}" if notes and notes.strip() else line


# --------------------------------------------------------------------------------------------------
# Not returned in time: Lost


def overdue_ids(session: Session, now: dt.datetime) -> list[int]:
    return list(session.scalars(select(InventoryItem.inventory_id).where(
        InventoryItem.item_state == states.ASSIGNED, InventoryItem.return_due < now)
        .order_by(InventoryItem.inventory_id)))


def mark_unreturned_lost(db: Database, now: dt.datetime) -> list[int]:
    """Items still awaiting return after their due date become Lost (the customer stays, to be charged).

    Each item in its own transaction, row-locked where the database can (SKIP LOCKED) and written with the
    item's version check, so two schedulers running at once mark each item exactly once.
    """
    with db.transaction() as session:
        candidates = overdue_ids(session, now)
    marked = []
    for inventory_id in candidates:
        try:
            with db.transaction() as session:
                if _mark_lost(session, inventory_id, now):
                    marked.append(inventory_id)
        except StaleDataError:
            continue  # another scheduler changed it first
    return marked


def _mark_lost(session: Session, inventory_id: int, now: dt.datetime) -> bool:
    # Without the template join, so that only the item's row is locked (MariaDB has no FOR UPDATE OF).
    item = session.scalar(select(InventoryItem).options(lazyload(InventoryItem.template)).where(
        InventoryItem.inventory_id == inventory_id, InventoryItem.item_state == states.ASSIGNED,
        InventoryItem.return_due < now).with_for_update(skip_locked=True))
    if item is None:
        return False  # returned, already marked or locked by another scheduler
    due = item.return_due
    item.item_state, item.return_due = states.LOST, None
    item.inventory_notes = _with_note(item.inventory_notes, f"Not returned by {due:%Y-%m-%d}: marked Lost")
    session.flush()
    return True


@jobs.job_handler(LOST_JOB, max_attempts=1)
def _mark_unreturned_lost_job(ctx: jobs.JobContext) -> dict[str, Any]:
    return {"marked_lost": mark_unreturned_lost(ctx.db, utcnow())}


jobs.periodic(LOST_JOB, 3600, LOST_JOB)
