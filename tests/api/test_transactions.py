"""Transactions (SPEC F7): charges and credits, tax per line, the four widgets, void, self-care scope."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from omnicrm.billing import service as billing
from omnicrm.billing.models import Transaction
from omnicrm.core.auth import SYSTEM
from omnicrm.core.db import utcnow
from omnicrm.core.errors import ValidationFailed
from tests.support.factories import make_customer, make_service, make_site

STAFF_PERMISSIONS = ("view_customer_transaction", "create_customer_transaction", "update_customer_transaction",
                     "view_customer_activity")


@pytest.fixture
def staff(identities):
    return identities.headers(*STAFF_PERMISSIONS)


@pytest.fixture
def acme(session):
    customer_id = make_customer(session, "Acme")
    return {"customer_id": customer_id, "service_id": make_service(session, customer_id),
            "site_id": make_site(session, customer_id)}


@pytest.fixture
def globex(session):
    customer_id = make_customer(session, "Globex")
    return {"customer_id": customer_id, "service_id": make_service(session, customer_id),
            "site_id": make_site(session, customer_id)}


def count_transactions(session):
    return session.scalar(select(func.count()).select_from(Transaction))


def charge(client, headers, owner, **fields):
    body = {"customer_id": owner["customer_id"], "title": "Charge", "retail_cost": 10, **fields}
    response = client.put("/crm/transaction/", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def listing(client, headers, path="/crm/transaction/", **params):
    response = client.get(path, query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


# --------------------------------------------------------------------------------------------------
# Recording


def test_the_seeds_setup_fee_body_creates_an_uninvoiced_charge_with_its_tax(client, staff, acme):
    # play_simple_service's task sends strings and an explicit null invoice_id (seed-extract-6 §8.4).
    response = client.put("/crm/transaction/", json={
        "customer_id": acme["customer_id"], "service_id": acme["service_id"], "site_id": acme["site_id"],
        "title": "Setup fee", "description": "Connection of Mobile 20GB", "invoice_id": None,
        "retail_cost": "50.00", "wholesale_cost": "20", "tax_percentage": "10"}, headers=staff)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["transaction_id"] > 0 and body["invoice_id"] is None and body["void"] is False
    assert (body["retail_cost"], body["wholesale_cost"], body["tax_percentage"], body["tax_amount"]) == (
        50, 20, 10, 5)
    assert '"tax_amount": 5.00' in response.get_data(as_text=True)  # exact JSON numbers with 2 decimals
    assert body["service_id"] == acme["service_id"] and body["site_id"] == acme["site_id"]
    assert body["created"].endswith("Z")


def test_post_is_accepted_too_and_links_are_optional(client, staff, acme):
    response = client.post("/crm/transaction/", json={"customer_id": acme["customer_id"], "title": "Fee",
                                                      "retail_cost": 5, "service_id": "", "site_id": None},
                           headers=staff)
    assert response.status_code == 200, response.json
    assert response.json["service_id"] is None and response.json["tax_amount"] == 0


def test_credits_are_negative_and_their_tax_too(client, staff, acme):
    body = charge(client, staff, acme, title="Goodwill credit", retail_cost="-10.00", tax_percentage=10)
    assert body["retail_cost"] == -10 and body["tax_amount"] == -1


@pytest.mark.parametrize(("retail", "percentage", "stored", "tax"), [
    ("0.05", "10", "0.05", "0.01"),      # 0.005 rounds half-up, not to even
    ("-0.05", "10", "-0.05", "-0.01"),   # and symmetrically for credits
    ("10.005", "0", "10.01", "0.00"),    # amounts are kept in cents
    ("19.99", "12.5", "19.99", "2.50"),  # 2.49875
    ("33.33", "7.75", "33.33", "2.58"),  # 2.583075
])
def test_amounts_and_tax_round_half_up_to_cents(client, staff, acme, session, retail, percentage, stored, tax):
    made = charge(client, staff, acme, retail_cost=retail, tax_percentage=percentage)
    row = session.get(Transaction, made["transaction_id"])
    assert (row.retail_cost, row.tax_amount) == (Decimal(stored), Decimal(tax))


@pytest.mark.parametrize(("fields", "field"), [
    ({"retail_cost": "ten"}, "retail_cost"),
    ({"retail_cost": None}, "retail_cost"),
    ({"retail_cost": True}, "retail_cost"),
    ({"retail_cost": "NaN"}, "retail_cost"),
    ({"wholesale_cost": "1e20"}, "wholesale_cost"),
    ({"tax_percentage": "101"}, "tax_percentage"),
    ({"tax_percentage": -1}, "tax_percentage"),
    ({"tax_percentage": "10.12345"}, "tax_percentage"),
    ({"title": ""}, "title"),
    ({"title": "x" * 256}, "title"),
    ({"invoice_id": 7}, "invoice_id"),
    ({"service_id": 0}, "service_id"),
    ({"site_id": "abc"}, "site_id"),
    ({"amount": 5}, "amount"),
    ({"customer_id": None}, "customer_id"),
])
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, staff, acme, session, fields, field):
    before = count_transactions(session)
    body = {"customer_id": acme["customer_id"], "title": "Charge", "retail_cost": 10, **fields}
    response = client.put("/crm/transaction/", json=body, headers=staff)
    assert response.status_code == 422, response.json
    assert field in {e["field"] for e in response.json["errors"]}
    assert count_transactions(session) == before


def test_title_and_retail_cost_are_required(client, staff, acme):
    response = client.put("/crm/transaction/", json={"customer_id": acme["customer_id"]}, headers=staff)
    assert response.status_code == 422
    assert {"title", "retail_cost"} <= {e["field"] for e in response.json["errors"]}


@pytest.mark.parametrize(("key", "code"), [("customer_id", "customer_not_found"),
                                           ("service_id", "service_not_found"), ("site_id", "site_not_found")])
def test_unknown_customer_service_or_site_is_404(client, staff, acme, session, key, code):
    body = {**acme, "title": "Charge", "retail_cost": 10, key: 987654}
    response = client.put("/crm/transaction/", json=body, headers=staff)
    assert response.status_code == 404 and response.json["code"] == code
    assert count_transactions(session) == 0


@pytest.mark.parametrize("key", ["service_id", "site_id"])
def test_service_and_site_must_belong_to_the_customer(client, staff, acme, globex, session, key):
    body = {**acme, "title": "Charge", "retail_cost": 10, key: globex[key]}
    response = client.put("/crm/transaction/", json=body, headers=staff)
    assert response.status_code == 422, response.json
    assert response.json["errors"][0]["field"] == key
    assert count_transactions(session) == 0


def test_record_charge_is_the_service_function_other_domains_use(app, session, acme):
    with app.app_context():
        _record_charges(session, acme)


def _record_charges(session, acme):
    row = billing.record_charge(session, SYSTEM, acme["customer_id"], acme["service_id"], "SIM setup",
                                Decimal("25"), wholesale_cost="4.5", tax_percentage=10, site_id=acme["site_id"])
    assert row.transaction_id and row.invoice_id is None and row.created_by == "system"
    assert (row.retail_cost, row.wholesale_cost, row.tax_amount) == (Decimal("25.00"), Decimal("4.50"),
                                                                     Decimal("2.50"))
    assert billing.record_charge(session, SYSTEM, acme["customer_id"], None, "Float", 0.15,
                                 tax_percentage=10).tax_amount == Decimal("0.02")  # via repr, never binary


@pytest.mark.parametrize(("arguments", "field"), [
    ({"tax_percentage": 150}, "tax_percentage"),
    ({"tax_percentage": "10.00001"}, "tax_percentage"),
    ({"retail_cost": "ten"}, "retail_cost"),
    ({"retail_cost": Decimal("Infinity")}, "retail_cost"),
    ({"wholesale_cost": True}, "wholesale_cost"),
    ({"title": "  "}, "title"),
    ({"title": "x" * 256}, "title"),
])
def test_record_charge_applies_the_rules_of_the_request_body(app, session, acme, arguments, field):
    values = {"title": "Charge", "retail_cost": 1, **arguments}
    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        billing.record_charge(session, SYSTEM, acme["customer_id"], None, values.pop("title"),
                              values.pop("retail_cost"), **values)
    assert refused.value.errors[0]["field"] == field
    assert count_transactions(session) == 0


# --------------------------------------------------------------------------------------------------
# Reading and listing


def test_read_one_by_id_and_unknown_ids_are_404(client, staff, acme):
    made = charge(client, staff, acme, title="Installation")
    for path in (f"/crm/transaction/transaction_id/{made['transaction_id']}",
                 f"/crm/transaction/{made['transaction_id']}"):
        assert client.get(path, headers=staff).json == made
    missing = client.get("/crm/transaction/transaction_id/987654", headers=staff)
    assert missing.status_code == 404 and missing.json["code"] == "transaction_not_found"


def test_a_customers_transactions_are_paged_newest_first_with_its_widgets(client, staff, acme, globex):
    ids = [charge(client, staff, acme, retail_cost=amount)["transaction_id"] for amount in (10, 20, 30)]
    charge(client, staff, globex, retail_cost=1000)
    page = listing(client, staff, f"/crm/transaction/customer_id/{acme['customer_id']}", per_page=2)
    assert [t["transaction_id"] for t in page["data"]] == ids[::-1][:2]
    assert page["pagination"] == {"current_page": 1, "per_page": 2, "total_pages": 2, "total_items": 3}
    assert page["stats"]["total"] == 60
    unknown = client.get("/crm/transaction/customer_id/987654", headers=staff)
    assert unknown.status_code == 404 and unknown.json["code"] == "customer_not_found"


def test_the_list_sorts_filters_and_searches(client, staff, acme, globex):
    charge(client, staff, acme, title="Monthly plan", retail_cost=30, service_id=acme["service_id"])
    charge(client, staff, acme, title="Goodwill credit", description="outage on 3 May", retail_cost=-5)
    charge(client, staff, globex, title="Modem rental", retail_cost=12)
    by_cost = listing(client, staff, sort="retail_cost", order="desc")["data"]
    assert [t["retail_cost"] for t in by_cost] == [30, 12, -5]
    assert all("wholesale_cost" in t for t in by_cost)  # staff see it
    filtered = listing(client, staff, filters=f'{{"customer_id": [{acme["customer_id"]}]}}')
    assert {t["title"] for t in filtered["data"]} == {"Monthly plan", "Goodwill credit"}
    assert filtered["stats"]["total"] == 25
    by_service = listing(client, staff, filters=f'{{"service_id": [{acme["service_id"]}]}}')["data"]
    assert [t["title"] for t in by_service] == ["Monthly plan"]
    assert [t["title"] for t in listing(client, staff, search="OUTAGE")["data"]] == ["Goodwill credit"]
    assert listing(client, staff, search="rental")["stats"]["total"] == 12
    assert listing(client, staff, filters='{"invoice_id": [null]}')["pagination"]["total_items"] == 3


@pytest.mark.parametrize(("params", "field"), [
    ({"sort": "password"}, "sort"), ({"filters": '{"colour": ["red"]}'}, "filters.colour"),
    ({"filters": '{"void": ["maybe"]}'}, "filters.void"), ({"per_page": 101}, "per_page"),
])
def test_bad_list_parameters_are_422(client, staff, params, field):
    response = client.get("/crm/transaction/", query_string=params, headers=staff)
    assert response.status_code == 422 and field in {e["field"] for e in response.json["errors"]}


def _set(session, transaction_id, **values):
    session.execute(update(Transaction).where(Transaction.transaction_id == transaction_id).values(**values))
    session.flush()


def test_the_four_widgets_sum_retail_of_lines_that_are_not_void(client, staff, acme, session):
    now = utcnow()
    last_month = (now.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    long_ago = now - dt.timedelta(days=400)
    this_month_charge = charge(client, staff, acme, retail_cost="100.10")
    this_month_credit = charge(client, staff, acme, retail_cost="-0.10")
    last_months = charge(client, staff, acme, retail_cost=40)
    old_invoiced = charge(client, staff, acme, retail_cost=7)
    voided = charge(client, staff, acme, retail_cost=1000)
    _set(session, last_months["transaction_id"], created=last_month)
    _set(session, old_invoiced["transaction_id"], created=long_ago, invoice_id=1)
    assert client.post(f"/crm/transaction/transaction_id/{voided['transaction_id']}/void",
                       headers=staff).status_code == 200

    page = listing(client, staff)
    assert page["stats"] == {"total": 147, "uninvoiced": 140, "this_month": 100, "last_month": 40}
    assert '"this_month": 100.00' in client.get("/crm/transaction/", headers=staff).get_data(as_text=True)
    assert page["pagination"]["total_items"] == 5  # void lines stay listed
    assert this_month_charge and this_month_credit
    hidden = listing(client, staff, filters='{"void": [false], "invoiced": [false]}')
    assert hidden["pagination"]["total_items"] == 3 and hidden["stats"]["uninvoiced"] == 140


def test_widgets_of_an_empty_list_are_zero(client, staff):
    assert listing(client, staff)["stats"] == {"total": 0, "uninvoiced": 0, "this_month": 0, "last_month": 0}


# --------------------------------------------------------------------------------------------------
# Void


def test_void_keeps_the_row_with_who_when_and_why(client, staff, acme, session):
    made = charge(client, staff, acme, retail_cost=25)
    response = client.post(f"/crm/transaction/transaction_id/{made['transaction_id']}/void",
                           json={"reason": "duplicate charge"}, headers=staff)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["void"] is True and body["void_reason"] == "duplicate charge" and body["void_by"]
    assert body["void_time"].endswith("Z") and body["retail_cost"] == 25
    assert session.get(Transaction, made["transaction_id"]).void is True
    assert count_transactions(session) == 1


def test_voiding_twice_is_409(client, staff, acme):
    path = f"/crm/transaction/transaction_id/{charge(client, staff, acme)['transaction_id']}/void"
    assert client.post(path, headers=staff).status_code == 200
    again = client.post(path, headers=staff)
    assert again.status_code == 409 and again.json["code"] == "transaction_already_void"


def test_an_invoiced_transaction_cannot_be_voided(client, staff, acme, session):
    made = charge(client, staff, acme)
    _set(session, made["transaction_id"], invoice_id=42)
    response = client.post(f"/crm/transaction/transaction_id/{made['transaction_id']}/void", headers=staff)
    assert response.status_code == 422 and response.json["code"] == "transaction_invoiced"
    assert session.get(Transaction, made["transaction_id"]).void is False


def test_void_of_an_unknown_transaction_is_404_and_bad_bodies_422(client, staff, acme):
    assert client.post("/crm/transaction/transaction_id/987654/void", headers=staff).status_code == 404
    path = f"/crm/transaction/transaction_id/{charge(client, staff, acme)['transaction_id']}/void"
    response = client.post(path, json={"reason": "x" * 501}, headers=staff)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "reason"


def test_transactions_and_their_void_are_in_the_customers_activity_log(client, staff, acme):
    made = charge(client, staff, acme, title="Installation")
    client.post(f"/crm/transaction/transaction_id/{made['transaction_id']}/void", headers=staff)
    activity = listing(client, staff, f"/crm/customer/customer_id/{acme['customer_id']}/activity")["data"]
    transaction_actions = [a["action"] for a in activity if a["entity"] == "transaction"]
    assert len(transaction_actions) == 2


# --------------------------------------------------------------------------------------------------
# Access


def test_permissions_are_checked_per_operation(client, identities, acme):
    viewer = identities.headers("view_customer_transaction")
    made = charge(client, identities.headers("create_customer_transaction", "view_customer_transaction"), acme)
    refused = client.put("/crm/transaction/", json={"customer_id": acme["customer_id"], "title": "x",
                                                    "retail_cost": 1}, headers=viewer)
    assert refused.status_code == 403
    assert client.post(f"/crm/transaction/transaction_id/{made['transaction_id']}/void",
                       headers=viewer).status_code == 403
    assert client.get("/crm/transaction/", headers=identities.headers("view_customer")).status_code == 403


@pytest.fixture
def self_care(client, staff, identities, acme, globex):
    mine = charge(client, staff, acme, retail_cost=10, wholesale_cost=3)
    other = charge(client, staff, globex, retail_cost=99)
    user = identities.user(roles=["Customer"], customer_id=acme["customer_id"])
    return {"mine": mine, "other": other, "headers": identities.headers_for(user)}


def test_self_care_sees_only_its_own_transactions_without_wholesale_costs(client, self_care, acme, globex):
    headers = self_care["headers"]
    page = listing(client, headers)
    assert [t["transaction_id"] for t in page["data"]] == [self_care["mine"]["transaction_id"]]
    assert page["stats"]["total"] == 10
    assert "wholesale_cost" not in page["data"][0]
    own = client.get(f"/crm/transaction/transaction_id/{self_care['mine']['transaction_id']}", headers=headers)
    assert own.status_code == 200 and "wholesale_cost" not in own.json
    assert client.get(f"/crm/transaction/transaction_id/{self_care['other']['transaction_id']}",
                      headers=headers).status_code == 404
    assert client.get(f"/crm/transaction/customer_id/{globex['customer_id']}", headers=headers).status_code == 404
    filtered = listing(client, headers, filters=f'{{"customer_id": [{globex["customer_id"]}]}}')
    assert filtered["data"] == [] and filtered["stats"]["total"] == 0
    assert client.get("/crm/transaction/", query_string={"sort": "wholesale_cost"},
                      headers=headers).status_code == 422


def test_self_care_cannot_record_or_void_even_with_the_permissions(client, identities, acme, self_care, session):
    headers = identities.headers_for(identities.user(
        permissions=list(STAFF_PERMISSIONS), customer_id=acme["customer_id"]))
    before = count_transactions(session)
    created = client.put("/crm/transaction/", json={"customer_id": acme["customer_id"], "title": "Free money",
                                                    "retail_cost": -500}, headers=headers)
    assert created.status_code == 403
    voided = client.post(f"/crm/transaction/transaction_id/{self_care['mine']['transaction_id']}/void",
                         headers=headers)
    assert voided.status_code == 403
    assert count_transactions(session) == before
