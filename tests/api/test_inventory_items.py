"""Inventory items: seed fields, SIM data (SPEC D20), lifecycle (D6), exclusive assignment, picker, eSIM QR."""

import json

import pytest
from sqlalchemy import text

from tests.conftest import count_rows
from tests.support.catalogue import KI, NUMBER_TEMPLATE, OPC, SIM_TEMPLATE, ok, sim
from tests.support.factories import make_customers_with_ids, make_service


@pytest.fixture(autouse=True)
def customers(session):
    ids = make_customers_with_ids(session, *range(1, 11))
    make_service(session, 4, service_id=40)
    return ids


@pytest.fixture
def admin(identities):
    return identities.admin()


@pytest.fixture
def templates(client, admin):
    return {t["item"]: ok(client.put("/crm/inventory/item_template", json=t, headers=admin))["inventory_template_id"]
            for t in (SIM_TEMPLATE, NUMBER_TEMPLATE)}


@pytest.fixture
def sim_id(client, admin, templates):
    return ok(client.put("/crm/inventory/", json=sim(1), headers=admin))["inventory_id"]


def test_create_a_sim_by_label_keys_and_read_it_as_the_playbooks_do(client, admin, templates):
    created = ok(client.put("/crm/inventory/", json={**sim(1), "management_password": "s3cret"}, headers=admin))
    assert created["item"] == "SIM Card" and created["item_state"] == "New"
    assert created["inventory_template_id"] == templates["SIM Card"]
    assert created["itemtext1"] == created["iccid"] == "8961000000000000001"
    assert created["imsi"] == "310120000000001"
    assert created["ki"] == created["itemtext3"] == KI and created["opc"] == OPC
    assert created["management_password"] == "s3cret"
    assert created["wholesale_cost"] == 2.5 and created["retail_cost"] == 10  # the template's defaults
    read = ok(client.get(f"/crm/inventory/inventory_id/{created['inventory_id']}", headers=admin))
    assert read == created


@pytest.mark.parametrize("path", ["/crm/inventory", "/crm/inventory/"])
@pytest.mark.parametrize("method", ["put", "post"])
def test_create_on_every_spelling_and_by_template_id_with_itemtext_fields(client, admin, templates, path, method):
    body = {"inventory_template_id": templates["Mobile Number"], "itemtext1": "+61 412 345 678",
            "itemtext2": "Mobile", "latitude": -33.8688, "longitude": "151.2093", "sold_date": "2025-01-04 10:30:00"}
    created = ok(getattr(client, method)(path, json=body, headers=admin))
    assert created["msisdn"] == created["itemtext1"] == "+61412345678" and created["type"] == "Mobile"
    assert created["latitude"] == "-33.8688" and created["sold_date"] == "2025-01-04T10:30:00Z"


def test_ki_opc_and_passwords_need_update_inventory(client, admin, identities, sim_id):
    ok(client.patch(f"/crm/inventory/inventory_id/{sim_id}", json={"management_password": "pw"}, headers=admin))
    viewer = identities.headers("view_inventory")
    seen = ok(client.get(f"/crm/inventory/inventory_id/{sim_id}", headers=viewer))
    hidden = {"ki", "opc", "itemtext3", "itemtext4", "management_password"}
    assert hidden.isdisjoint(seen) and seen["iccid"] == "8961000000000000001"
    listed = ok(client.get("/crm/inventory/", headers=viewer))["data"][0]
    assert hidden.isdisjoint(listed)
    provisioner = identities.headers("view_inventory", "update_inventory")
    full = ok(client.get(f"/crm/inventory/inventory_id/{sim_id}", headers=provisioner))
    assert full["ki"] == KI and full["opc"] == OPC and full["management_password"] == "pw"


def test_secrets_are_encrypted_at_rest_and_redacted_in_the_audit_log(client, admin, session, sim_id):
    ok(client.patch(f"/crm/inventory/inventory_id/{sim_id}", json={"management_password": "pw-123"}, headers=admin))
    row = session.execute(text("SELECT itemtext3, itemtext_secrets, management_password FROM inventory "
                               "WHERE inventory_id = :id"), {"id": sim_id}).one()
    assert row.itemtext3 is None
    assert row.itemtext_secrets.startswith("enc1:") and KI not in row.itemtext_secrets
    assert row.management_password.startswith("enc1:") and "pw-123" not in row.management_password
    audit = " ".join(str(c) for (c,) in session.execute(text(
        "SELECT changes FROM audit_log WHERE entity = 'inventory'")))
    assert KI not in audit and "pw-123" not in audit and "***" in audit


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"iccid": "8961000000000000001", "imsi": "310120000000999"}, "duplicate_iccid", "iccid"),
    ({"iccid": "8961000000000000999", "imsi": "310120000000001"}, "duplicate_imsi", "imsi"),
])
def test_duplicate_sim_identifiers_are_409_with_the_holder(client, admin, sim_id, session, changes, code, field):
    before = count_rows(session, "inventory")
    response = client.put("/crm/inventory/", json={**sim(2), **changes}, headers=admin)
    assert response.status_code == 409 and response.json["code"] == code
    assert response.json["inventory_id"] == sim_id and response.json["errors"][0]["field"] == field
    assert count_rows(session, "inventory") == before


def test_msisdns_are_compared_in_e164(client, admin, templates):
    ok(client.put("/crm/inventory/", json={"item": "Mobile Number", "msisdn": "+44 7700 900123"}, headers=admin))
    again = client.put("/crm/inventory/", json={"item": "Mobile Number", "msisdn": "447700900123"}, headers=admin)
    assert again.status_code == 409 and again.json["code"] == "duplicate_msisdn"


@pytest.mark.parametrize(("body", "field"), [
    (sim(3, iccid="1234"), "iccid"),
    (sim(3, ki="not-hex"), "ki"),
    (sim(3, opc="ABC"), "opc"),
    ({"item": "Mobile Number", "msisdn": "0412345678"}, "msisdn"),
    (sim(3, colour="red"), "colour"),
    (sim(3, itemtext1="8961000000000000077"), "iccid"),
    (sim(3, item="Router"), "item"),
    ({"iccid": "8961000000000000001"}, "inventory_template_id"),
    (sim(3, latitude=91), "latitude"),
    (sim(3, item_state="Borrowed"), "item_state"),
    (sim(3, item_state="New", customer_id=4), "customer_id"),
    (sim(3, item_state="Assigned"), "customer_id"),
    (sim(3, wholesale_cost=-1), "wholesale_cost"),
])
def test_bad_items_are_422_naming_the_field_and_write_nothing(client, admin, templates, session, body, field):
    response = client.put("/crm/inventory/", json=body, headers=admin)
    assert response.status_code == 422, response.json
    assert field in {e["field"] for e in response.json["errors"]}
    assert count_rows(session, "inventory") == 0


def test_lifecycle_assign_release_and_illegal_moves(client, admin, sim_id, session):
    path = f"/crm/inventory/inventory_id/{sim_id}"
    assigned = ok(client.patch(path, json={"customer_id": 4, "service_id": 40, "item_state": "Assigned"},
                               headers=admin))
    assert (assigned["item_state"], assigned["customer_id"], assigned["service_id"]) == ("Assigned", 4, 40)
    # the seed's rescue task returns items with nulls and "Available" (= In Stock)
    released = ok(client.patch(path, json={"customer_id": None, "service_id": None, "item_state": "Available"},
                               headers=admin))
    assert (released["item_state"], released["customer_id"], released["service_id"]) == ("In Stock", None, None)
    ok(client.patch(path, json={"item_state": "Lost"}, headers=admin))
    illegal = client.patch(path, json={"customer_id": 5, "item_state": "Assigned"}, headers=admin)
    assert illegal.status_code == 422 and illegal.json["code"] == "illegal_state_transition"
    assert ok(client.get(path, headers=admin))["item_state"] == "Lost"
    states = [json.loads(row.changes)["item_state"]["after"] for row in session.execute(text(
        "SELECT changes FROM audit_log WHERE entity = 'inventory' AND entity_id = :id AND action = 'update' "
        "ORDER BY audit_id"), {"id": str(sim_id)})]
    assert states == ["Assigned", "In Stock", "Lost"]


def test_setting_a_customer_on_stock_assigns_it_and_another_customer_cannot_take_it(client, admin, sim_id):
    path = f"/crm/inventory/inventory_id/{sim_id}"
    assert ok(client.patch(path, json={"customer_id": 4}, headers=admin))["item_state"] == "Assigned"
    ok(client.patch(path, json={"service_id": 40}, headers=admin))  # the service comes later
    taken = client.patch(path, json={"customer_id": 5}, headers=admin)
    assert taken.status_code == 409 and taken.json["inventory_id"] == sim_id


def test_assign_action_is_exclusive_and_checks_the_template(client, admin, sim_id):
    path = f"/crm/inventory/inventory_id/{sim_id}/assign"
    wrong = client.post(path, json={"customer_id": 4, "item": "Mobile Number"}, headers=admin)
    assert wrong.status_code == 409 and wrong.json["code"] == "inventory_wrong_template"
    assert wrong.json["inventory_id"] == sim_id
    won = ok(client.post(path, json={"customer_id": 4, "service_id": 40, "item": "SIM Card"}, headers=admin))
    assert won["item_state"] == "Assigned"
    lost = client.post(path, json={"customer_id": 5}, headers=admin)
    assert lost.status_code == 409 and lost.json["code"] == "inventory_not_free" and lost.json["inventory_id"] == sim_id
    assert client.post("/crm/inventory/inventory_id/999999/assign", json={"customer_id": 1},
                       headers=admin).status_code == 404


def test_changing_an_iccid_frees_the_old_one(client, admin, sim_id):
    ok(client.patch(f"/crm/inventory/inventory_id/{sim_id}", json={"iccid": "8961000000000000555"}, headers=admin))
    ok(client.put("/crm/inventory/", json=sim(2, iccid="8961000000000000001"), headers=admin))


def test_assignment_checks_the_service_belongs_to_the_customer(client, admin, sim_id, session):
    service_of_4 = make_service(session, 4)
    path = f"/crm/inventory/inventory_id/{sim_id}"
    other = client.patch(path, json={"customer_id": 5, "service_id": service_of_4}, headers=admin)
    assert other.status_code == 422 and other.json["errors"][0]["field"] == "service_id"
    assert client.patch(path, json={"customer_id": 50}, headers=admin).status_code == 422
    unknown_service = {"customer_id": 4, "service_id": service_of_4 + 100}
    assert client.patch(path, json=unknown_service, headers=admin).status_code == 422
    ok(client.patch(path, json={"customer_id": 4, "service_id": service_of_4}, headers=admin))


def test_delete_refuses_assigned_items_and_frees_identifiers(client, admin, sim_id):
    path = f"/crm/inventory/inventory_id/{sim_id}"
    ok(client.patch(path, json={"customer_id": 4}, headers=admin))
    refused = client.delete(path, headers=admin)
    assert refused.status_code == 409 and refused.json["code"] == "inventory_assigned"
    ok(client.patch(path, json={"item_state": "In Stock"}, headers=admin))
    ok(client.delete(path, headers=admin))
    assert client.get(path, headers=admin).status_code == 404
    ok(client.put("/crm/inventory/", json=sim(1), headers=admin))


def test_customer_items_come_wrapped_in_data(client, admin, templates):
    for n, customer in ((1, 7), (2, 7), (3, 8)):
        ok(client.put("/crm/inventory/", json=sim(n, customer_id=customer), headers=admin))
    body = ok(client.get("/crm/inventory/customer_id/7", headers=admin))
    assert [item["iccid"] for item in body["data"]] == ["8961000000000000001", "8961000000000000002"]
    assert ok(client.get("/crm/inventory/customer_id/99", headers=admin)) == {"data": []}


def test_list_filters_and_search(client, admin, templates):
    ok(client.put("/crm/inventory/", json=sim(1, item_state="In Stock"), headers=admin))
    ok(client.put("/crm/inventory/", json=sim(2, item_location="Shop"), headers=admin))
    ok(client.put("/crm/inventory/", json={"item": "Mobile Number", "msisdn": "+61400000001"}, headers=admin))
    by_state = ok(client.get('/crm/inventory/?filters={"item_state":["In Stock"]}', headers=admin))
    assert [i["iccid"] for i in by_state["data"]] == ["8961000000000000001"]
    by_type = ok(client.get('/crm/inventory?filters={"item":["mobile number"]}', headers=admin))
    assert [i["msisdn"] for i in by_type["data"]] == ["+61400000001"]
    found = ok(client.get("/crm/inventory/?search=000000000002", headers=admin))
    assert [i["iccid"] for i in found["data"]] == ["8961000000000000002"]
    assert ok(client.get("/crm/inventory/?search=shop", headers=admin))["pagination"]["total_items"] == 1
    assert client.get('/crm/inventory/?filters={"ki":["x"]}', headers=admin).status_code == 422


def test_picker_offers_free_stock_of_one_type_per_channel(client, admin, identities, templates):
    ids = [ok(client.put("/crm/inventory/", json=sim(n, item_state=state), headers=admin))["inventory_id"]
           for n, state in ((1, "In Stock"), (2, "New"), (3, "Damaged"))]
    ok(client.patch(f"/crm/inventory/inventory_id/{ids[1]}", json={"customer_id": 3}, headers=admin))
    ok(client.put("/crm/inventory/", json={"item": "Mobile Number", "msisdn": "+61400000001"}, headers=admin))
    staff = ok(client.get("/crm/inventory/picker?item=SIM%20Card&channel=staff", headers=admin))
    assert [row["inventory_id"] for row in staff["data"]] == [ids[0]]
    assert staff["data"][0]["label"] == f"{ids[0]} - 8961000000000000001 - Warehouse A"
    assert set(staff["data"][0]) == {"inventory_id", "label", "item", "itemtext1", "item_location", "item_state"}
    # the SIM template is not offered to customers; numbers are
    assert ok(client.get("/crm/inventory/picker?item=SIM%20Card&channel=self-care", headers=admin))["data"] == []
    shopper = identities.headers("view_product")
    assert ok(client.get("/crm/inventory/picker?item=SIM%20Card&channel=staff", headers=shopper))["data"] == []
    numbers = ok(client.get("/crm/inventory/picker?item=mobile%20number&search=0001", headers=shopper))
    assert [row["itemtext1"] for row in numbers["data"]] == ["+61400000001"]
    assert client.get("/crm/inventory/picker?item=Router", headers=admin).status_code == 404
    assert client.get("/crm/inventory/picker", headers=admin).status_code == 422


def test_picker_search_finds_a_substring_of_either_identifier_and_filters_by_location(client, admin, templates):
    ids = [ok(client.put("/crm/inventory/", json=sim(n, item_location=place, **extra), headers=admin))["inventory_id"]
           for n, place, extra in ((1, "Warehouse A", {}), (2, "Shop", {"iccid": "8961012345678900002"}),
                                   (3, "Shop", {"imsi": "310159876543210"}))]

    def found(query):
        return [row["inventory_id"] for row in ok(client.get(
            f"/crm/inventory/picker?item=SIM%20Card&{query}", headers=admin))["data"]]

    iccid_middle = "2345678"
    assert found(f"search={iccid_middle}") == [ids[1]]
    assert found("search=98765") == [ids[2]]  # the IMSI (itemtext2) too
    assert found("search=5") == ids[1:]  # one character: the plain LIKE over both identifiers
    assert found('filters={"item_location":["Shop"]}') == ids[1:]
    assert found("search=nothing-like-it") == []
    ok(client.patch(f"/crm/inventory/inventory_id/{ids[1]}", json={"customer_id": 3}, headers=admin))
    assert found(f"search={iccid_middle}") == []  # taken: no longer free


def test_esim_activation_code_as_a_qr_png(client, admin, identities, templates):
    esim = ok(client.put("/crm/inventory/", json=sim(1, management_url="LPA:1$smdp.example.com$ACT-1",
                                                     customer_id=7), headers=admin))
    plain = ok(client.put("/crm/inventory/", json=sim(2, management_url="https://192.168.1.1"), headers=admin))
    png = client.get(f"/crm/inventory/inventory_id/{esim['inventory_id']}/qr", headers=admin)
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    bigger = client.get(f"/crm/inventory/inventory_id/{esim['inventory_id']}/qr?box_size=16", headers=admin)
    assert len(bigger.data) > len(png.data)
    missing = client.get(f"/crm/inventory/inventory_id/{plain['inventory_id']}/qr", headers=admin)
    assert missing.status_code == 404 and missing.json["code"] == "no_lpa_activation_code"
    owner = identities.headers(customer_id=7)
    assert client.get(f"/crm/inventory/inventory_id/{esim['inventory_id']}/qr", headers=owner).status_code == 200
    stranger = identities.headers(customer_id=8)
    assert client.get(f"/crm/inventory/inventory_id/{esim['inventory_id']}/qr", headers=stranger).status_code == 404
    staff_without_permission = identities.headers("view_product")
    response = client.get(f"/crm/inventory/inventory_id/{esim['inventory_id']}/qr", headers=staff_without_permission)
    assert response.status_code == 403


def test_customers_with_inventory_rights_only_reach_their_own_items(client, admin, identities, templates):
    mine = ok(client.put("/crm/inventory/", json=sim(1, customer_id=7), headers=admin))["inventory_id"]
    other = ok(client.put("/crm/inventory/", json=sim(2, customer_id=8), headers=admin))["inventory_id"]
    customer = identities.headers("view_inventory", "update_inventory", customer_id=7)
    assert [i["inventory_id"] for i in ok(client.get("/crm/inventory/", headers=customer))["data"]] == [mine]
    assert "ki" not in ok(client.get(f"/crm/inventory/inventory_id/{mine}", headers=customer))
    assert client.get(f"/crm/inventory/inventory_id/{other}", headers=customer).status_code == 404
    assert client.get("/crm/inventory/customer_id/8", headers=customer).status_code == 404
    assert client.patch(f"/crm/inventory/inventory_id/{mine}", json={"inventory_notes": "x"},
                        headers=customer).status_code == 403
