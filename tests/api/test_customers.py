"""Customers: create/read/update/archive, enumerations, list paging/sort/filters/search, self-care scoping."""

import pytest
from sqlalchemy import func, select

from omnicrm.customers import service
from omnicrm.customers.models import Customer

BUSINESS = {
    "customer_name": "Acme Corporation", "customer_account_type": "Business", "customer_payment_type": "postpaid",
    "tax_identifier": "ABN 51 824 753 556", "contract_start_date": "2025-01-01 00:00:00",
    "contract_end_date": "2026-01-01T00:00:00Z",
    "contacts": [{"contact_firstname": "Wile", "contact_lastname": "Coyote", "contact_email": "wile@acme.example",
                  "contact_phone": "+61 412 345 678", "contact_types": ["billing", "technical"]}],
    "sites": [{"site_name": "Head Office", "address_line_1": "1 Main St", "city": "Sydney", "latitude": -33.8688,
               "longitude": 151.2093}],
}


@pytest.fixture
def staff(identities):
    return identities.headers("view_customer", "create_customer", "update_customer", "delete_customer")


def create(client, headers, **fields):
    body = {"customer_name": "Jane Citizen", **fields}
    response = client.put("/crm/customer/", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def count_customers(session):
    return session.scalar(select(func.count()).select_from(Customer))


def test_create_returns_every_seed_field_with_defaults_and_contacts(client, staff):
    created = create(client, staff)
    assert created["customer_id"] > 0
    assert {k: created[k] for k in ("customer_name", "customer_account_type", "customer_status",
                                    "customer_payment_type", "customer_enabled", "tax_identifier")} == {
        "customer_name": "Jane Citizen", "customer_account_type": "Individual", "customer_status": "Open",
        "customer_payment_type": "prepaid", "customer_enabled": True, "tax_identifier": None}
    assert created["contacts"] == []
    assert created["created"].endswith("Z") and created["last_modified"].endswith("Z")


def test_create_with_contacts_and_sites_in_one_request(client, staff, session):
    created = client.post("/crm/customer/", json=BUSINESS, headers=staff).json
    assert created["contract_start_date"] == "2025-01-01T00:00:00Z"
    [contact] = created["contacts"]
    assert contact["contact_email"] == "wile@acme.example"
    assert contact["contact_phone_e164"] == "+61412345678"
    assert contact["contact_types"] == ["billing", "technical"]
    customer = session.get(Customer, created["customer_id"])
    assert [s.site_name for s in customer.sites] == ["Head Office"]


def test_enumerations_are_canonicalised_and_unknown_values_rejected(client, staff, session):
    created = create(client, staff, customer_status="suspended", customer_account_type="BUSINESS",
                     customer_payment_type="Postpaid")
    assert (created["customer_status"], created["customer_account_type"], created["customer_payment_type"]) == (
        "Suspended", "Business", "postpaid")
    before = count_customers(session)
    response = client.put("/crm/customer/", json={"customer_name": "X", "customer_status": "Deleted",
                                                  "customer_payment_type": "cash"}, headers=staff)
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"customer_status", "customer_payment_type"}
    assert count_customers(session) == before


@pytest.mark.parametrize(("body", "field"), [
    ({"customer_name": ""}, "customer_name"),
    ({"customer_name": "x" * 256}, "customer_name"),
    ({"customer_name": "X", "tax_identifier": "T" * 65}, "tax_identifier"),
    ({"customer_name": "X", "surprise": 1}, "surprise"),
    ({"customer_name": "X", "contract_start_date": "2025-02-01", "contract_end_date": "2025-01-01"}, "body"),
    ({"customer_name": "X", "contacts": [{"contact_email": "not-an-email"}]}, "contacts.0.contact_email"),
    ({"customer_name": "X", "sites": [{"site_name": "S", "latitude": 91, "longitude": 0}]}, "sites.0.latitude"),
])
def test_bad_customer_bodies_are_422_naming_the_field_and_write_nothing(client, staff, session, body, field):
    before = count_customers(session)
    response = client.put("/crm/customer/", json=body, headers=staff)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json["errors"]}
    assert count_customers(session) == before


def test_a_bad_nested_phone_fails_the_whole_request(client, staff, session):
    before = count_customers(session)
    body = {"customer_name": "X", "contacts": [{"contact_firstname": "A", "contact_phone": "12"}]}
    response = client.put("/crm/customer/", json=body, headers=staff)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "contacts.0.contact_phone"
    assert count_customers(session) == before


def test_read_by_canonical_path_and_alias_includes_contacts(client, staff):
    created = client.put("/crm/customer/", json=BUSINESS, headers=staff).json
    cid = created["customer_id"]
    canonical = client.get(f"/crm/customer/customer_id/{cid}", headers=staff)
    alias = client.get(f"/crm/customer/{cid}", headers=staff)
    assert canonical.status_code == alias.status_code == 200
    assert canonical.json == alias.json
    assert canonical.json["contacts"][0]["contact_firstname"] == "Wile"


def test_unknown_customer_is_404(client, staff):
    for response in (client.get("/crm/customer/customer_id/999999", headers=staff),
                     client.patch("/crm/customer/customer_id/999999", json={"customer_name": "x"}, headers=staff),
                     client.delete("/crm/customer/customer_id/999999", headers=staff)):
        assert response.status_code == 404
        assert response.json["code"] == "customer_not_found"


def test_patch_changes_only_given_fields_and_rejects_null_for_required_ones(client, staff):
    cid = create(client, staff, tax_identifier="T-1")["customer_id"]
    patched = client.patch(f"/crm/customer/customer_id/{cid}", json={"customer_enabled": "false"}, headers=staff)
    assert patched.status_code == 200
    assert patched.json["customer_enabled"] is False and patched.json["tax_identifier"] == "T-1"
    cleared = client.patch(f"/crm/customer/customer_id/{cid}", json={"tax_identifier": None}, headers=staff)
    assert cleared.json["tax_identifier"] is None
    refused = client.patch(f"/crm/customer/customer_id/{cid}", json={"customer_name": None}, headers=staff)
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "customer_name"


def test_patch_keeps_the_contract_dates_in_order(client, staff):
    cid = create(client, staff, contract_start_date="2025-06-01")["customer_id"]
    response = client.patch(f"/crm/customer/customer_id/{cid}", json={"contract_end_date": "2025-05-01"},
                            headers=staff)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "contract_end_date"


def test_delete_archives_hides_from_the_list_and_is_reversible(client, staff):
    cid = create(client, staff, customer_name="Archived Person")["customer_id"]
    archived = client.delete(f"/crm/customer/customer_id/{cid}", headers=staff)
    assert archived.status_code == 200 and archived.json["customer_status"] == "Archived"
    assert client.get(f"/crm/customer/customer_id/{cid}", headers=staff).json["customer_status"] == "Archived"
    listed = client.get("/crm/customer/", headers=staff).json["data"]
    assert cid not in {c["customer_id"] for c in listed}
    with_archived = client.get("/crm/customer/?include_archived=true", headers=staff).json["data"]
    assert cid in {c["customer_id"] for c in with_archived}
    restored = client.patch(f"/crm/customer/customer_id/{cid}", json={"customer_status": "Open"}, headers=staff)
    assert restored.json["customer_status"] == "Open"
    assert cid in {c["customer_id"] for c in client.get("/crm/customer/", headers=staff).json["data"]}


@pytest.fixture
def active_services():
    """A registered check (as the services domain will register one) answering from this dict."""
    counts = {}

    def check(_session, customer_id):
        return counts.get(customer_id, 0)

    service.register_active_services_check(check)
    yield counts
    service.unregister_active_services_check(check)


def test_closing_with_active_services_is_422_unless_forced(client, staff, active_services):
    cid = create(client, staff)["customer_id"]
    active_services[cid] = 2
    refused = client.patch(f"/crm/customer/customer_id/{cid}", json={"customer_status": "Closed"}, headers=staff)
    assert refused.status_code == 422
    assert refused.json["code"] == "customer_has_active_services" and refused.json["active_services"] == 2
    assert client.get(f"/crm/customer/{cid}", headers=staff).json["customer_status"] == "Open"
    suspended = client.patch(f"/crm/customer/customer_id/{cid}", json={"customer_status": "Suspended"},
                             headers=staff)
    assert suspended.status_code == 200
    forced = client.patch(f"/crm/customer/customer_id/{cid}", json={"customer_status": "Closed", "force": True},
                          headers=staff)
    assert forced.status_code == 200 and forced.json["customer_status"] == "Closed"


def test_archiving_with_active_services_is_409_unless_forced(client, staff, active_services):
    cid = create(client, staff)["customer_id"]
    active_services[cid] = 1
    refused = client.delete(f"/crm/customer/customer_id/{cid}", headers=staff)
    assert refused.status_code == 409 and refused.json["code"] == "customer_has_active_services"
    assert client.delete(f"/crm/customer/customer_id/{cid}?force=true", headers=staff).status_code == 200
    active_services[cid] = 0


def test_without_active_services_closing_needs_no_force(client, staff, active_services):
    cid = create(client, staff)["customer_id"]
    response = client.patch(f"/crm/customer/customer_id/{cid}", json={"customer_status": "Closed"}, headers=staff)
    assert response.status_code == 200


# --------------------------------------------------------------------------------------------------
# Lists


@pytest.fixture
def population(client, staff, identities):
    tagger = identities.headers("create_customer_tag")
    made = {}
    for name, status, kind, pay in [("Alpha Pty", "Open", "Business", "postpaid"),
                                    ("Bravo Smith", "Suspended", "Individual", "prepaid"),
                                    ("Charlie Jones", "Closed", "Individual", "postpaid"),
                                    ("Delta Networks", "Open", "Business", "prepaid")]:
        made[name] = create(client, staff, customer_name=name, customer_status=status, customer_account_type=kind,
                            customer_payment_type=pay)["customer_id"]
    response = client.put("/crm/tag/", json={"customer_id": made["Delta Networks"], "tag_text": "VIP Customer",
                                             "tag_hex_color": "FFD700"}, headers=tagger)
    assert response.status_code == 200
    return made


def names(response):
    assert response.status_code == 200, response.json
    return [c["customer_name"] for c in response.json["data"]]


def test_list_paginates_with_the_d2_envelope(client, staff, population):
    response = client.get("/crm/customer/?per_page=2&page=2&sort=customer_name", headers=staff)
    assert response.json["pagination"] == {"current_page": 2, "per_page": 2, "total_pages": 2, "total_items": 4}
    assert names(response) == ["Charlie Jones", "Delta Networks"]
    assert "contacts" in response.json["data"][0]


def test_plural_alias_lists_the_same(client, staff, population):
    assert client.get("/crm/customers", headers=staff).json == client.get("/crm/customer/", headers=staff).json


def test_sort_and_order(client, staff, population):
    assert names(client.get("/crm/customer/?sort=customer_name&order=desc", headers=staff))[0] == "Delta Networks"
    bad = client.get("/crm/customer/?sort=password", headers=staff)
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "sort"


@pytest.mark.parametrize(("filters", "expected"), [
    ('{"customer_status": ["Open"]}', {"Alpha Pty", "Delta Networks"}),
    ('{"status": ["Suspended", "Closed"]}', {"Bravo Smith", "Charlie Jones"}),
    ('{"customer_account_type": ["Business"]}', {"Alpha Pty", "Delta Networks"}),
    ('{"payment_type": ["postpaid"]}', {"Alpha Pty", "Charlie Jones"}),
    ('{"tag": ["vip customer"]}', {"Delta Networks"}),
    ('{"customer_enabled": [true]}', {"Alpha Pty", "Bravo Smith", "Charlie Jones", "Delta Networks"}),
])
def test_filters(client, staff, population, filters, expected):
    assert set(names(client.get("/crm/customer/", query_string={"filters": filters}, headers=staff))) == expected


def test_unknown_filter_is_422(client, staff):
    response = client.get("/crm/customer/", query_string={"filters": '{"password": ["x"]}'}, headers=staff)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "filters.password"


def test_search_by_name_fragment_or_id(client, staff, population):
    assert names(client.get("/crm/customer/?search=smi", headers=staff)) == ["Bravo Smith"]
    assert names(client.get("/crm/customer/?search=NETWORK", headers=staff)) == ["Delta Networks"]
    by_id = population["Charlie Jones"]
    assert names(client.get(f"/crm/customer/?search={by_id}", headers=staff)) == ["Charlie Jones"]
    too_short = client.get("/crm/customer/?search=a", headers=staff)
    assert too_short.status_code == 422 and too_short.json["errors"][0]["field"] == "search"


def test_list_requires_view_customer(client, identities):
    assert client.get("/crm/customer/", headers=identities.headers("view_customer_site")).status_code == 403


# --------------------------------------------------------------------------------------------------
# Self-care


@pytest.fixture
def self_care(client, staff, identities):
    mine = create(client, staff, customer_name="My Self")["customer_id"]
    other = create(client, staff, customer_name="Someone Else")["customer_id"]
    user = identities.user(roles=["Customer"], customer_id=mine)
    return {"mine": mine, "other": other, "headers": identities.headers_for(user)}


def test_self_care_reads_only_its_own_customer(client, self_care):
    headers = self_care["headers"]
    assert client.get(f"/crm/customer/{self_care['mine']}", headers=headers).status_code == 200
    assert client.get(f"/crm/customer/{self_care['other']}", headers=headers).status_code == 404
    listed = client.get("/crm/customer/", headers=headers).json
    assert [c["customer_id"] for c in listed["data"]] == [self_care["mine"]]


def test_self_care_may_rename_itself_but_not_change_its_status(client, identities, staff):
    mine = create(client, staff, customer_name="Me")["customer_id"]
    other = create(client, staff, customer_name="Not Me")["customer_id"]
    user = identities.user(permissions=["view_customer", "update_customer", "create_customer"], customer_id=mine)
    headers = identities.headers_for(user)
    assert client.patch(f"/crm/customer/customer_id/{mine}", json={"customer_name": "Me Too"},
                        headers=headers).status_code == 200
    status = client.patch(f"/crm/customer/customer_id/{mine}", json={"customer_status": "Closed"}, headers=headers)
    assert status.status_code == 403
    assert client.patch(f"/crm/customer/customer_id/{other}", json={"customer_name": "Hacked"},
                        headers=headers).status_code == 404
    assert client.put("/crm/customer/", json={"customer_name": "New"}, headers=headers).status_code == 403
