"""Services: create/read/list/update/delete, validation, self-care visibility, expiring, global search."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from omnicrm.catalog.models import Product
from omnicrm.services.models import READ_ONLY_FIELDS, Service
from tests.support.factories import make_customer, make_service

STAFF_PERMISSIONS = ("view_customer_service", "create_customer_service", "update_customer_service",
                     "delete_customer_service", "view_customer")


@pytest.fixture
def staff(identities):
    return identities.headers(*STAFF_PERMISSIONS)


@pytest.fixture
def customer_id(session):
    customer = make_customer(session, "Jane Citizen")
    session.commit()
    return customer


def make_product(session, slug="mobile-sim", service_type="mobile"):
    product = Product(product_name=slug.title(), product_slug=slug, category="standalone",
                      service_type=service_type, provisioning_play="play_psim_only")
    session.add(product)
    session.flush()
    return product.product_id


def create(client, headers, customer_id, **fields):
    body = {"customer_id": customer_id, "service_name": "Mobile SIM - 0412345678", "service_type": "mobile",
            **fields}
    response = client.put("/crm/service/", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def count_services(session):
    return session.scalar(select(func.count()).select_from(Service))


# -- create ---------------------------------------------------------------------------------------------------


def test_create_returns_the_service_with_the_seed_defaults(client, staff, customer_id):
    created = create(client, staff, customer_id, service_uuid="Service_c2880638", retail_cost="30.50")
    assert created["service_id"] > 0
    assert created["service_uuid"] == "Service_c2880638"
    assert (created["service_billed"], created["service_taxable"], created["service_visible_to_customer"],
            created["service_usage_visible_to_customer"], created["invoiced"]) == (True, True, True, True, False)
    assert created["service_status"] == "Active"
    assert created["retail_cost"] == 30.5
    assert created["service_provisioned_date"].endswith("Z")


def test_post_creates_too_and_a_missing_uuid_is_generated(client, staff, customer_id):
    response = client.post("/crm/service/", json={"customer_id": customer_id, "service_name": "Fixed line",
                                                  "service_type": "fixed", "service_status": "inactive"},
                           headers=staff)
    assert response.status_code == 200, response.json
    assert response.json["service_uuid"].startswith("Service_")
    assert response.json["service_status"] == "Inactive"


def test_provisioning_vars_may_be_a_json_string_as_the_seed_sends_them(client, staff, customer_id):
    created = create(client, staff, customer_id, provisioning_play="play_psim_only",
                     provisioning_json_vars='{"iccid": "", "msisdn": ""}')
    assert created["provisioning_json_vars"] == {"iccid": "", "msisdn": ""}


@pytest.fixture
def site_staff(identities):
    return identities.headers(*STAFF_PERMISSIONS, "create_customer_site")


def test_product_and_site_are_stored_when_they_exist(client, site_staff, customer_id, session):
    product_id = make_product(session)
    session.commit()
    site = client.put("/crm/site/", json={"customer_id": customer_id, "site_name": "Home"}, headers=site_staff).json
    created = create(client, site_staff, customer_id, product_id=product_id, site_id=site["site_id"])
    assert (created["product_id"], created["site_id"]) == (product_id, site["site_id"])


@pytest.mark.parametrize(("fields", "field"), [
    ({"service_type": "satellite"}, "service_type"),
    ({"customer_id": 999999}, "customer_id"),
    ({"product_id": 999999}, "product_id"),
    ({"site_id": 999999}, "site_id"),
    ({"bundled_parent": 999999}, "bundled_parent"),
    ({"service_status": "Deleted"}, "service_status"),
    ({"service_uuid": "has space"}, "service_uuid"),
    ({"retail_cost": -1}, "retail_cost"),
    ({"service_name": ""}, "service_name"),
    ({"provisioning_json_vars": "[1, 2]"}, "provisioning_json_vars"),
    ({"service_active_date": "2030-01-02", "service_deactivate_date": "2030-01-01"}, "service_deactivate_date"),
    ({"surprise": 1}, "surprise"),
])
def test_bad_create_bodies_are_422_naming_the_field_and_write_nothing(client, staff, customer_id, session, fields,
                                                                       field):
    before = count_services(session)
    body = {"customer_id": customer_id, "service_name": "S", "service_type": "mobile", **fields}
    response = client.put("/crm/service/", json=body, headers=staff)
    assert response.status_code == 422, response.json
    assert field in {e["field"] for e in response.json["errors"]}
    assert count_services(session) == before


def test_a_site_of_another_customer_is_refused(client, site_staff, customer_id, session):
    other = make_customer(session, "Other")
    session.commit()
    site = client.put("/crm/site/", json={"customer_id": other, "site_name": "Elsewhere"}, headers=site_staff).json
    response = client.put("/crm/service/", json={"customer_id": customer_id, "service_name": "S",
                                                 "service_type": "mobile", "site_id": site["site_id"]},
                          headers=site_staff)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "site_id"


def test_a_duplicate_service_uuid_is_409_and_writes_nothing(client, staff, customer_id, session):
    create(client, staff, customer_id, service_uuid="Service_dup00001")
    before = count_services(session)
    response = client.put("/crm/service/", json={"customer_id": customer_id, "service_name": "Again",
                                                 "service_type": "mobile", "service_uuid": "Service_dup00001"},
                          headers=staff)
    assert response.status_code == 409
    assert response.json["code"] == "duplicate_service_uuid"
    assert count_services(session) == before


# -- read -----------------------------------------------------------------------------------------------------


def test_read_by_id_by_uuid_and_by_customer(client, staff, customer_id, session):
    created = create(client, staff, customer_id, service_uuid="Service_read0001")
    other = make_customer(session, "Other")
    make_service(session, other)
    session.commit()
    assert client.get(f"/crm/service/service_id/{created['service_id']}", headers=staff).json == created
    assert client.get("/crm/service/service_uuid/Service_read0001", headers=staff).json == created
    listed = client.get(f"/crm/service/customer_id/{customer_id}", headers=staff).json
    assert [s["service_id"] for s in listed] == [created["service_id"]]


def test_unknown_ids_are_404(client, staff, customer_id):
    assert client.get("/crm/service/service_id/999999", headers=staff).status_code == 404
    response = client.get("/crm/service/service_uuid/Service_nobody", headers=staff)
    assert (response.status_code, response.json["code"]) == (404, "service_not_found")
    assert client.get("/crm/service/customer_id/999999", headers=staff).status_code == 404
    assert client.patch("/crm/service/999999", json={"service_name": "x"}, headers=staff).status_code == 404
    assert client.delete("/crm/service/service_id/999999", headers=staff).status_code == 404


def test_every_route_needs_its_permission(client, identities, customer_id, session):
    service_id = make_service(session, customer_id)
    session.commit()
    nobody = identities.headers("view_customer")
    assert client.get("/crm/service/", headers=nobody).status_code == 403
    assert client.get(f"/crm/service/service_id/{service_id}", headers=nobody).status_code == 403
    assert client.put("/crm/service/", json={}, headers=nobody).status_code == 403
    assert client.patch(f"/crm/service/{service_id}", json={}, headers=nobody).status_code == 403
    assert client.delete(f"/crm/service/service_id/{service_id}", headers=nobody).status_code == 403
    assert client.get("/crm/service/").status_code == 401


# -- list -----------------------------------------------------------------------------------------------------


@pytest.fixture
def listed_services(client, staff, customer_id, session):
    other = make_customer(session, "Acme")
    session.commit()
    return {
        "sim": create(client, staff, customer_id, service_name="Mobile SIM - 0412 345 678",
                      service_uuid="Service_aaaa0001"),
        "suspended": create(client, staff, customer_id, service_name="Old SIM", service_status="Suspended",
                            service_uuid="Service_bbbb0002"),
        "fixed": create(client, staff, other, service_name="Fibre 1000", service_type="fixed",
                        service_uuid="SVC_cccc0003"),
    }


def ids(response):
    assert response.status_code == 200, response.json
    return [s["service_id"] for s in response.json["data"]]


def test_list_tabs_type_customer_and_paging(client, staff, customer_id, listed_services):
    sim, suspended, fixed = (listed_services[k]["service_id"] for k in ("sim", "suspended", "fixed"))
    assert ids(client.get("/crm/service/", headers=staff)) == [sim, suspended, fixed]
    assert ids(client.get("/crm/service/?status=Suspended", headers=staff)) == [suspended]
    assert ids(client.get("/crm/service/?status=active", headers=staff)) == [sim, fixed]
    assert ids(client.get("/crm/service/?service_type=fixed", headers=staff)) == [fixed]
    assert ids(client.get(f"/crm/service/?customer_id={customer_id}", headers=staff)) == [sim, suspended]
    page = client.get("/crm/service/?per_page=2&page=2&sort=service_name&order=desc", headers=staff).json
    assert [s["service_id"] for s in page["data"]] == [fixed]  # Old SIM, Mobile SIM... | Fibre 1000
    assert page["pagination"] == {"current_page": 2, "per_page": 2, "total_pages": 2, "total_items": 3}
    assert client.get("/crm/service/?sort=secret", headers=staff).status_code == 422
    assert client.get("/crm/service/?status=Gone", headers=staff).status_code == 422


def test_list_search_over_name_uuid_phone_digits_and_id(client, staff, listed_services):
    sim, fixed = listed_services["sim"]["service_id"], listed_services["fixed"]["service_id"]
    assert ids(client.get("/crm/service/?search=fibre", headers=staff)) == [fixed]
    assert ids(client.get("/crm/service/?search=cccc00", headers=staff)) == [fixed]
    assert ids(client.get("/crm/service/?search=0412345678", headers=staff)) == [sim]
    assert sim in ids(client.get(f"/crm/service/?search={sim}", headers=staff))


def test_services_appear_in_global_search(client, identities, listed_services):
    headers = identities.headers("view_customer", "view_customer_service")
    results = client.get("/utilities/search_everything?search=Fibre", headers=headers).json
    assert [(r["type"], r["id"]) for r in results["data"]] == [("service", listed_services["fixed"]["service_id"])]
    blind = identities.headers("view_customer")
    assert client.get("/utilities/search_everything?search=Fibre", headers=blind).json["data"] == []


# -- update ---------------------------------------------------------------------------------------------------


def test_patch_changes_editable_fields_on_both_paths(client, staff, customer_id):
    created = create(client, staff, customer_id)
    sid = created["service_id"]
    changed = client.patch(f"/crm/service/{sid}", json={"service_name": "Renamed", "service_billed": False,
                                                        "service_deactivate_date": "2030-01-01T00:00:00Z"},
                           headers=staff)
    assert changed.status_code == 200, changed.json
    assert (changed.json["service_name"], changed.json["service_billed"]) == ("Renamed", False)
    again = client.patch(f"/crm/service/service_id/{sid}", json={"service_notes": "note", "service_id": sid},
                         headers=staff)
    assert again.json["service_notes"] == "note"
    assert again.json["service_deactivate_date"] == "2030-01-01T00:00:00Z"


@pytest.mark.parametrize("field", [f for f in READ_ONLY_FIELDS if f != "service_id"])
def test_read_only_fields_are_422_naming_them(client, staff, customer_id, session, field):
    created = create(client, staff, customer_id)
    response = client.patch(f"/crm/service/{created['service_id']}", json={field: "x", "service_name": "New"},
                            headers=staff)
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == [field]
    assert session.get(Service, created["service_id"]).service_name == created["service_name"]


@pytest.mark.parametrize(("body", "field"), [
    ({"service_id": 1}, "service_id"),
    ({"service_type": "satellite"}, "service_type"),
    ({"service_name": None}, "service_name"),
    ({"service_active_date": "2030-01-02", "service_deactivate_date": "2030-01-01"}, "service_deactivate_date"),
    ({"site_id": 999999}, "site_id"),
])
def test_bad_patches_are_422(client, staff, customer_id, body, field):
    created = create(client, staff, customer_id)
    if field == "service_id":
        body = {"service_id": created["service_id"] + 1000}
    response = client.patch(f"/crm/service/{created['service_id']}", json=body, headers=staff)
    assert response.status_code == 422, response.json
    assert response.json["errors"][0]["field"] == field


# -- delete and expiring --------------------------------------------------------------------------------------


def test_delete_removes_the_service(client, staff, customer_id, session):
    created = create(client, staff, customer_id)
    response = client.delete(f"/crm/service/service_id/{created['service_id']}", headers=staff)
    assert response.status_code == 200
    assert session.get(Service, created["service_id"]) is None
    assert client.get(f"/crm/service/service_id/{created['service_id']}", headers=staff).status_code == 404


def test_expiring_lists_services_ending_within_the_threshold(client, staff, customer_id, session):
    now = dt.datetime.now(dt.UTC)
    soon = make_service(session, customer_id, service_deactivate_date=now + dt.timedelta(days=3))
    later = make_service(session, customer_id, service_deactivate_date=now + dt.timedelta(days=20))
    make_service(session, customer_id, service_deactivate_date=now - dt.timedelta(days=1))
    make_service(session, customer_id, service_deactivate_date=now + dt.timedelta(days=2),
                 service_status="Deactivated")
    make_service(session, customer_id)
    session.commit()
    assert [s["service_id"] for s in client.get("/crm/service/expiring?threshold=7", headers=staff).json] == [soon]
    assert [s["service_id"] for s in client.get("/crm/service/expiring?threshold=30", headers=staff).json] == [
        soon, later]
    assert client.get("/crm/service/expiring?threshold=-1", headers=staff).status_code == 422


# -- self-care ------------------------------------------------------------------------------------------------


@pytest.fixture
def self_care(identities, customer_id, session):
    other = make_customer(session, "Other")
    ids_ = {
        "mine": make_service(session, customer_id),
        "hidden": make_service(session, customer_id, service_visible_to_customer=False),
        "theirs": make_service(session, other),
    }
    session.commit()
    user = identities.user(roles=["Customer"], customer_id=customer_id)
    return {"headers": identities.headers_for(user), **ids_, "customer_id": customer_id, "other": other}


def test_self_care_sees_only_its_visible_services(client, self_care):
    headers = self_care["headers"]
    assert client.get(f"/crm/service/service_id/{self_care['mine']}", headers=headers).status_code == 200
    assert client.get(f"/crm/service/service_id/{self_care['hidden']}", headers=headers).status_code == 404
    assert client.get(f"/crm/service/service_id/{self_care['theirs']}", headers=headers).status_code == 404
    assert ids(client.get("/crm/service/", headers=headers)) == [self_care["mine"]]
    listed = client.get(f"/crm/service/customer_id/{self_care['customer_id']}", headers=headers).json
    assert [s["service_id"] for s in listed] == [self_care["mine"]]
    assert client.get(f"/crm/service/customer_id/{self_care['other']}", headers=headers).status_code == 404


def test_self_care_cannot_change_services_even_with_the_permission(client, identities, self_care):
    user = identities.user(permissions=["update_customer_service", "view_customer_service"],
                           customer_id=self_care["customer_id"])
    response = client.patch(f"/crm/service/{self_care['mine']}", json={"service_name": "Mine now"},
                            headers=identities.headers_for(user))
    assert response.status_code == 403


def test_inventory_items_appear_in_global_search_by_their_identifiers(client, identities, customer_id, session):
    from omnicrm.inventory.models import InventoryItem, InventoryTemplate

    template = InventoryTemplate(item="SIM Card", itemtext1_label="ICCID", itemtext2_label="IMSI")
    session.add(template)
    session.flush()
    item = InventoryItem(inventory_template_id=template.inventory_template_id, customer_id=customer_id,
                         itemtext1="8944000000000000019", itemtext2="001010000000019")
    session.add(item)
    session.commit()
    headers = identities.headers("view_customer", "view_inventory")
    results = client.get("/utilities/search_everything?search=89440000000000", headers=headers).json["data"]
    assert [(r["type"], r["id"], r["name"]) for r in results] == [
        ("inventory", item.inventory_id, "8944000000000000019 / 001010000000019")]
    by_imsi = client.get("/utilities/search_everything?search=001010000000019", headers=headers).json["data"]
    assert [r["id"] for r in by_imsi] == [item.inventory_id]
    blind = identities.headers("view_customer")
    assert client.get("/utilities/search_everything?search=89440000000000", headers=blind).json["data"] == []


def test_the_demo_seeder_gives_the_demo_customers_services_once(session):
    from omnicrm.customers.demo import seed_customers
    from omnicrm.services.demo import seed_services

    seed_customers(session)
    assert len(seed_services(session)) == 2
    assert seed_services(session) == []
    jane = session.scalar(select(Service).where(Service.service_uuid == "Service_d3m00001"))
    assert (jane.service_billed, jane.service_status) == (True, "Active")
