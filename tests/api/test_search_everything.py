"""GET /utilities/search_everything (seed-extract-4 §11.11): ranked, paginated, closed records hidden."""

import pytest

from omnicrm.auth.models import User
from omnicrm.utilities import search


@pytest.fixture
def staff(identities):
    return identities.headers("view_customer", "create_customer", "update_customer", "view_customer_contact",
                              "create_customer_contact", "view_customer_site", "create_customer_site")


@pytest.fixture
def world(client, staff):
    def customer(name, **fields):
        response = client.put("/crm/customer/", json={"customer_name": name, **fields}, headers=staff)
        assert response.status_code == 200, response.json
        return response.json["customer_id"]

    acme = customer("Acme Corporation", customer_account_type="Business", contacts=[
        {"contact_firstname": "John", "contact_lastname": "Smith", "contact_email": "john@example.com",
         "contact_phone": "+44 7700 900123"}],
        sites=[{"site_name": "Acme Warehouse", "address_line_1": "42 Wallaby Way", "city": "Sydney"}])
    john = customer("John Smith", contacts=[{"contact_firstname": "Johnny", "contact_email": "jj@mail.example",
                                             "contact_phone": "+1 202 555 0123"}])
    closed = customer("Closedown Holdings", customer_status="Closed",
                      contacts=[{"contact_firstname": "Hidden", "contact_email": "hidden@closedown.example"}])
    return {"acme": acme, "john": john, "closed": closed}


def results(client, headers, **params):
    response = client.get("/utilities/search_everything", query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def kinds(body):
    return [(row["type"], row["name"]) for row in body["data"]]


def test_seed_response_shape(client, staff, world):
    body = results(client, staff, search="Acme Corporation")
    assert body["data"][0] == {"id": world["acme"], "name": "Acme Corporation", "customer_id": world["acme"],
                               "type": "customer", "match": "exact"}
    assert set(body["pagination"]) == {"current_page", "per_page", "total_pages", "total_items"}
    assert body["pagination"]["per_page"] == 10


def test_exact_matches_come_before_prefix_and_substring_matches(client, staff, world):
    body = results(client, staff, search="john smith")
    assert kinds(body)[:2] in ([("customer", "John Smith"), ("contact", "John Smith")],
                               [("contact", "John Smith"), ("customer", "John Smith")])
    assert [row["match"] for row in body["data"][:2]] == ["exact", "exact"]
    prefix = results(client, staff, search="joh")
    assert {row["match"] for row in prefix["data"]} == {"prefix"}
    assert ("contact", "Johnny") in kinds(prefix)


def test_phone_is_matched_on_digits_whatever_the_formatting(client, staff, world):
    for query in ("07700 900123", "+44 7700 900123", "447700900123", "900123", "7700-900-123"):
        assert ("contact", "John Smith") in kinds(results(client, staff, search=query)), query
    assert ("contact", "Johnny") in kinds(results(client, staff, search="555-0123"))


def test_email_site_and_case_insensitive_substrings(client, staff, world):
    assert kinds(results(client, staff, search="JOHN@EXAMPLE.COM"))[0] == ("contact", "John Smith")
    assert ("site", "Acme Warehouse") in kinds(results(client, staff, search="wallaby"))
    assert ("customer", "Acme Corporation") in kinds(results(client, staff, search="rporat"))


def test_closed_customers_and_their_records_are_hidden_unless_asked(client, staff, world):
    assert results(client, staff, search="closedown")["data"] == []
    shown = kinds(results(client, staff, search="closedown", search_closed_records="true"))
    assert set(shown) == {("customer", "Closedown Holdings"), ("contact", "Hidden")}


def test_archiving_hides_a_customer_from_search_and_restoring_brings_it_back(client, staff, world, identities):
    archiver = identities.headers("delete_customer")
    client.delete(f"/crm/customer/customer_id/{world['acme']}", headers=archiver)
    assert all(row["customer_id"] != world["acme"] for row in results(client, staff, search="acme")["data"])
    client.patch(f"/crm/customer/customer_id/{world['acme']}", json={"customer_status": "Open"}, headers=staff)
    assert ("site", "Acme Warehouse") in kinds(results(client, staff, search="acme"))


def test_pagination(client, staff, world):
    first = results(client, staff, search="jo", per_page=2)
    total = first["pagination"]["total_items"]
    assert total >= 3 and len(first["data"]) == 2
    second = results(client, staff, search="jo", per_page=2, page=2)
    assert not {(r["type"], r["id"]) for r in first["data"]} & {(r["type"], r["id"]) for r in second["data"]}


def test_types_the_caller_may_not_view_are_left_out(client, identities, world):
    customers_only = identities.headers("view_customer")
    assert {row["type"] for row in results(client, customers_only, search="john")["data"]} == {"customer"}
    narrowed = results(client, identities.headers("view_customer", "view_customer_contact"), search="john",
                       types="contact")
    assert {row["type"] for row in narrowed["data"]} == {"contact"}


def test_self_care_finds_only_its_own_records(client, identities, world):
    me = identities.headers_for(identities.user(roles=["Customer"], customer_id=world["john"]))
    body = results(client, me, search="john")
    assert body["data"] and {row["customer_id"] for row in body["data"]} == {world["john"]}
    assert results(client, me, search="acme")["data"] == []


@pytest.mark.parametrize("params", [{}, {"search": "a"}, {"search": "x" * 201}, {"search": "ab", "per_page": 101},
                                    {"search": "ab", "page": 0}, {"search": "ab", "types": "planets"}])
def test_bad_queries_are_422(client, staff, params):
    response = client.get("/utilities/search_everything", query_string=params, headers=staff)
    assert response.status_code == 422


def test_search_needs_view_customer(client, identities):
    headers = identities.headers("view_inventory")
    assert client.get("/utilities/search_everything?search=abc", headers=headers).status_code == 403


@pytest.fixture
def users_as_a_source():
    """Another domain plugging itself in (here: staff users under type code 99)."""
    def describe(user):
        return search.Searchable(name=user.username, customer_id=user.customer_id, fields=(user.username, user.email))

    search.register_source("staff_user", 99, User, describe, permission="manage_users")
    yield
    search.unregister_source("staff_user")


def test_other_domains_can_plug_in_a_source(client, identities, users_as_a_source):
    identities.user(permissions=[], email="ingrid.inventory@example.com", username="ingrid.inventory")
    viewer = identities.headers("view_customer", "manage_users")
    assert ("staff_user", "ingrid.inventory") in kinds(results(client, viewer, search="ingrid"))
    assert results(client, identities.headers("view_customer"), search="ingrid")["data"] == []
