"""Rented equipment coming back (SPEC D6): awaiting return, back In Stock, the awaiting-return filter."""

import datetime as dt

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from omnicrm.app import app_state
from omnicrm.core.config import Settings
from omnicrm.core.db import utcnow
from tests.support.catalogue import ok
from tests.support.factories import make_customers_with_ids, make_service

CUSTOMER, SERVICE = 4, 40


@pytest.fixture(autouse=True)
def customers(session):
    make_customers_with_ids(session, CUSTOMER, 5)
    make_service(session, CUSTOMER, service_id=SERVICE)
    make_service(session, CUSTOMER, service_id=41)


@pytest.fixture
def admin(identities):
    return identities.admin()


@pytest.fixture
def modem(client, admin):
    ok(client.put("/crm/inventory/item_template", json={"item": "Modem Router", "itemtext1_label": "Serial Number"},
                  headers=admin))
    return ok(client.put("/crm/inventory/", json={
        "item": "Modem Router", "serial_number": "MR-0001", "customer_id": CUSTOMER, "service_id": SERVICE,
        "inventory_notes": "Rented with Modem Rental"}, headers=admin))["inventory_id"]


def await_return(client, headers, inventory_id):
    return client.post(f"/crm/inventory/inventory_id/{inventory_id}/await_return", headers=headers)


def patch(client, admin, inventory_id, **changes):
    return ok(client.patch(f"/crm/inventory/inventory_id/{inventory_id}", json=changes, headers=admin))


def test_awaiting_return_leaves_the_modem_with_the_customer_off_its_service_due_in_14_days(client, admin, modem):
    before = utcnow().replace(microsecond=0)  # the API answers whole seconds
    item = ok(await_return(client, admin, modem))
    assert (item["item_state"], item["customer_id"], item["service_id"]) == ("Assigned", CUSTOMER, None)
    due = dt.datetime.fromisoformat(item["return_due"])
    assert before + dt.timedelta(days=14) <= due <= utcnow() + dt.timedelta(days=14)
    assert item["inventory_notes"] == f"Rented with Modem Rental\nAwaiting return by {due:%Y-%m-%d}"
    assert ok(client.get(f"/crm/inventory/inventory_id/{modem}", headers=admin))["return_due"] == item["return_due"]


def test_asking_again_keeps_the_first_due_date(client, admin, modem):
    first = ok(await_return(client, admin, modem))
    again = ok(await_return(client, admin, modem))
    assert again["return_due"] == first["return_due"] and again["inventory_notes"] == first["inventory_notes"]


def test_the_change_is_audited(client, admin, session, modem):
    ok(await_return(client, admin, modem))
    changes = " ".join(str(c) for (c,) in session.execute(text(
        "SELECT changes FROM audit_log WHERE entity = 'inventory' AND action = 'update'")))
    assert "return_due" in changes


@pytest.mark.parametrize("state", ["In Stock", "Lost", "Damaged"])
def test_only_an_assigned_item_can_await_its_return(client, admin, modem, state):
    patch(client, admin, modem, item_state=state)
    response = await_return(client, admin, modem)
    assert response.status_code == 409 and response.json["code"] == "inventory_not_assigned"
    assert response.json["errors"][0]["field"] == "item_state"
    item = ok(client.get(f"/crm/inventory/inventory_id/{modem}", headers=admin))
    assert item["item_state"] == state and item["return_due"] is None


def test_unknown_item_is_404(client, admin):
    response = await_return(client, admin, 999999)
    assert response.status_code == 404 and response.json["code"] == "inventory_not_found"


def test_needs_update_inventory(client, identities, modem):
    response = await_return(client, identities.headers("view_inventory"), modem)
    assert response.status_code == 403
    assert ok(await_return(client, identities.headers("update_inventory"), modem))["service_id"] is None


def test_receiving_the_modem_back_in_stock_frees_it_and_clears_the_due_date(client, admin, modem):
    ok(await_return(client, admin, modem))
    item = patch(client, admin, modem, item_state="In Stock")
    assert (item["item_state"], item["customer_id"], item["return_due"]) == ("In Stock", None, None)


def test_marking_it_lost_or_putting_it_on_a_service_again_clears_the_due_date(client, admin, modem):
    ok(await_return(client, admin, modem))
    assert patch(client, admin, modem, service_id=41)["return_due"] is None
    ok(await_return(client, admin, modem))
    lost = patch(client, admin, modem, item_state="Lost")
    assert (lost["item_state"], lost["customer_id"], lost["return_due"]) == ("Lost", CUSTOMER, None)


def test_editing_an_item_awaiting_return_keeps_its_due_date(client, admin, modem):
    due = ok(await_return(client, admin, modem))["return_due"]
    assert patch(client, admin, modem, item_location="Customer premises")["return_due"] == due


def test_the_list_filters_items_awaiting_return(client, admin, modem):
    other = ok(client.put("/crm/inventory/", json={"item": "Modem Router", "serial_number": "MR-0002",
                                                   "customer_id": CUSTOMER, "service_id": SERVICE},
                          headers=admin))["inventory_id"]
    ok(await_return(client, admin, modem))

    def listed(value):
        page = ok(client.get(f'/crm/inventory/?filters={{"awaiting_return":[{value}]}}', headers=admin))
        return [row["inventory_id"] for row in page["data"]]

    assert listed("true") == [modem] and listed('"false"') == [other]
    assert client.get('/crm/inventory/?filters={"awaiting_return":["soon"]}', headers=admin).status_code == 422


@pytest.fixture
def three_day_returns(app):
    from omnicrm.inventory import rentals

    rentals.configure(rental_return_days=3)
    yield
    rentals.configure(rental_return_days=app_state(app).settings.inventory.rental_return_days)


def test_the_return_period_is_the_rental_return_days_setting(client, admin, modem, three_day_returns):
    due = dt.datetime.fromisoformat(ok(await_return(client, admin, modem))["return_due"])
    assert abs(due - (utcnow() + dt.timedelta(days=3))) < dt.timedelta(minutes=1)


def test_the_setting_defaults_to_14_days_and_must_be_positive():
    assert Settings().inventory.rental_return_days == 14
    with pytest.raises(ValidationError):
        Settings(inventory={"rental_return_days": 0})
